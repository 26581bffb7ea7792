"""Issue #12's loose ends: computed notes in the downloads, the pace from a stated gap, a regency's
history chart printed as its data allows, and "dates far apart" measured on a month-dated snapshot's span."""

from __future__ import annotations

import json

import pytest

from generator.facts import discrepancies
from generator.facts import indicators as ind
from generator.data.model import load_dataset
from generator.site import exports
from conftest import FIXTURES


@pytest.fixture(scope="module")
def honest():
    return {r.slug: r for r in load_dataset(FIXTURES / "honest").regions}


def snapshot(region, when: str):
    return next(s for s in region.snapshots if s.date.isoformat() == when)


def test_the_json_download_carries_computed_notes_marked_as_computed(honest):
    beta = honest["beta"]
    snap = snapshot(beta, "2025-09")
    computed = discrepancies.notes(snap, ind.headline(snap))
    assert computed  # the fixture's stated gap disagrees with its own target and participants
    notes = json.loads(exports.snapshot_json(beta, snap))["notes"]
    own = [n for n in notes if not n.get("computed")]
    assert [n["id"] for n in own] == [n.id for n in snap.notes]
    marked = [n for n in notes if n.get("computed")]
    assert [(n["id"], n["text"]) for n in marked] == [(n.id, n.text) for n in computed]
    assert all("source" not in n for n in marked)

"""A stated figure and the same figure computed from other stated figures that disagree beyond rounding
become a data note on the report (issue #12), computed and credited to no one; agreeing ones do not."""

from __future__ import annotations

import re

import pytest

from generator.facts import discrepancies
from generator.facts import indicators as ind
from generator.data.dataset import load_dataset
from conftest import FIXTURES, REPO


@pytest.fixture(scope="module")
def regions():
    return {r.slug: r for r in load_dataset(FIXTURES / "honest").regions + load_dataset(REPO / "data").regions}


def notes(region, iso):
    snap = next(s for s in region.snapshots if str(s.date) == iso)
    return discrepancies.notes(snap, ind.headline(snap))


def test_a_stated_gap_its_target_and_participants_do_not_give(regions):
    (note,) = notes(regions["beta"], "2025-09")  # "25 ribu" (24.500 to 25.500) against 131.215 − 112.480
    assert note.kind == "problem" and note.source is None and note.id == "selisih-dihitung-target-2025-kekurangan"
    assert "Kabar Beta menyebut kekurangan sekitar 25 ribu peserta untuk target 2025" in note.text
    assert "target 131.215 peserta dikurangi 112.480 peserta menyisakan 18.735 (dihitung)" in note.text


def test_a_target_head_count_worked_out_on_another_workforce(regions):
    # Lampung, 8 December 2025: 38,39 % of "3,1 juta" is 1,17 to 1,21 million, not the 1.149.447 stated
    # (which means 2,99 million workers); 45,53 % of it is 1,39 to 1,43 million, not 1.436.809
    by_id = {n.id: n.text for n in notes(regions["lampung"], "2025-12-08")}
    assert sorted(by_id) == ["selisih-dihitung-target-2025-peserta", "selisih-dihitung-target-2026-peserta"]
    assert "Target 2025 (38,39\u00a0%) disebut setara 1.149.447 peserta" in by_id["selisih-dihitung-target-2025-peserta"]
    assert "sekitar 3,1 juta potensi pekerja per 8 Desember 2025 adalah sekitar 1,19 juta peserta" in \
        by_id["selisih-dihitung-target-2025-peserta"]


@pytest.mark.parametrize("slug, iso", [
    ("lampung", "2024-09-24"),  # ANTARA's 237.360 is 32,62 % of 3.058.943 less 760.468, rounded up: agrees
    ("lampung", "2023-12-31"), ("lampung", "2025-08-13"),
    ("alfa", "2025-06-30"),  # "sekitar 130 ribu" within what "1,1 juta" and "sekitar 38 %" allow
    ("beta", "2025-05-20"),  # 131.215 is 32,62 % of 402.253 within its rounding
    ("gama", "2025-06-30"),
])
def test_figures_that_agree_within_rounding_make_no_note(regions, slug, iso):
    assert notes(regions[slug], iso) == ()


def test_the_note_is_on_the_report_credited_to_no_one():
    page = (REPO / "tests" / "golden" / "honest" / "beta" / "index.html").read_text(encoding="utf-8")
    note = re.search(r'<aside class="note note-problem" id="catatan-selisih-dihitung-target-2025-kekurangan">(.*?)</aside>',
                     page, re.S)
    assert note and "Masalah data." in note[1] and "Sumber:" not in note[1] and "(dihitung)" in note[1]
    assert 'id="catatan"' in page

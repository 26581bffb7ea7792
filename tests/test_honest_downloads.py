"""Issue #12's loose ends: computed notes in the downloads, the pace from a stated gap, a regency's
history chart printed as its data allows, and "dates far apart" measured on a month-dated snapshot's span."""

from __future__ import annotations

import json
import re
import shutil
from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from generator.facts import discrepancies, words
from generator.facts import indicators as ind
from generator.data.dataset import load_dataset
from generator.data.when import When, days_apart
from generator.facts.subregion_history import subregion_history
from generator.site import chart_plans, exports, national
from generator.site.plan import Plan, Report
from conftest import FIXTURES

NBSP = "\u00a0"


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


def test_the_pace_comes_from_the_stated_gap_where_that_is_the_gap_shown(honest):
    for slug, when in (("alfa", "2025-06-30"), ("beta", "2025-09")):
        snap = snapshot(honest[slug], when)
        g = ind.headline(snap).targets[0]
        stated = g.target.gap
        assert stated is not None and not g.met
        assert g.per_month.formula == "stated gap / months left"
        assert dict(g.per_month.inputs)["stated gap"] == stated.value
        assert g.per_month.interval.lo == pytest.approx(stated.interval.lo / g.months_left.hi)
        assert g.per_month.interval.hi == pytest.approx(stated.interval.hi / g.months_left.lo)
        sentence = next(f.text for f in words.targets(honest[slug], snap, ind.headline(snap))
                        if f.text.startswith("Untuk mencapainya"))
        assert sentence.endswith("setiap bulan hingga akhir 2025, dari kekurangan yang disebut sumber."), sentence


def test_without_a_stated_gap_the_pace_comes_from_the_computed_gap(honest):
    snap = snapshot(honest["beta"], "2025-05-20")
    paced = [g for g in ind.headline(snap).targets if g.per_month is not None]
    assert paced and all(g.target.gap is None for g in paced)
    for g in paced:
        assert g.per_month.formula == "workers needed / months left"
        assert g.per_month.interval.hi == pytest.approx(max(g.gap_workers.interval.hi, 0) / g.months_left.lo)


def test_a_regencys_own_history_prints_what_its_figures_support(tmp_path):
    data = tmp_path / "data"
    shutil.copytree(FIXTURES / "honest" / "alfa", data / "alfa")
    later = data / "alfa" / "2025-06-30.yaml"
    later.write_text(later.read_text(encoding="utf-8") + "subregions:\n  - {name: Kabupaten Satu, coverage: 38}\n"
                     "  - {name: Kabupaten Dua, coverage: 37.4}\n", encoding="utf-8")
    alfa = load_dataset(data).regions[0]
    satu = next(s for s in alfa.subregions if s.name == "Kabupaten Satu")
    history = subregion_history(alfa, satu)
    assert [p.figure.stated or p.figure.value for p in history] == [37, 38]
    plan, rep = Plan(), Report.of(alfa, alfa.snapshots[-1])
    job = plan.charts[chart_plans.subregion_history_chart(plan, rep, satu, history)]
    assert job.description == ("Cakupan Kabupaten Satu dari waktu ke waktu: "
                               f"31 Desember 2024 37{NBSP}%; 30 Juni 2025 38{NBSP}%.")
    spec = json.dumps(job.spec, ensure_ascii=False)
    assert '"shown": "37 %"' in spec and '"shown": "38 %"' in spec and "37,0" not in spec


def _provinces(tmp_path, older: str, latest: str):
    """Aceh dated `older` (its file and its `date:`) beside Papua Selatan dated `latest`."""
    data = tmp_path / f"data-{older}-{latest}"
    for slug, when in (("aceh", older), ("papua-selatan", latest)):
        (data / slug).mkdir(parents=True)
        shutil.copy(FIXTURES / "national" / slug / "region.yaml", data / slug / "region.yaml")
        snap = next((FIXTURES / "national" / slug).glob("20*.yaml")).read_text(encoding="utf-8")
        (data / slug / f"{when}.yaml").write_text(re.sub(r"(?m)^date: .*$", f"date: {when}", snap), encoding="utf-8")
    rows = national.entries(load_dataset(data))
    return {e.region.slug: e.old for e in rows}, national.caveats(rows)


@pytest.mark.parametrize("older, latest, far", [
    ("2024-06", "2024-12-30", False),  # 1 June is 212 days before, but 30 June only 183
    ("2024-06", "2024-12-31", True),  # even 30 June is 184 days before
    ("2024-06-30", "2024-12-30", False),
    ("2024-06-29", "2024-12-30", True),
    ("2024", "2025-06-30", False),  # a year reaches its last day, 31 December
])
def test_dates_far_apart_are_measured_between_the_nearest_days_of_their_spans(tmp_path, older, latest, far):
    old, caveats = _provinces(tmp_path, older, latest)
    assert old == {"aceh": far, "papua-selatan": False}
    assert ("dates" in caveats) == far
    if far:
        assert caveats["dates"].startswith("Tanggal data berjauhan: dari ")


spans_of_dates = st.one_of(
    st.dates(min_value=date(2000, 1, 1), max_value=date(2040, 12, 31)).map(lambda d: When(d.year, d.month, d.day)),
    st.tuples(st.integers(2000, 2040), st.integers(1, 12)).map(lambda ym: When(*ym)),
    st.integers(2000, 2040).map(When))


@given(spans_of_dates, spans_of_dates)
def test_days_apart_is_the_gap_between_the_nearest_days(a, b):
    apart = days_apart(a, b)
    assert apart == days_apart(b, a) >= 0
    assert (apart == 0) == a.overlaps(b)
    assert apart <= min(abs((x - y).days) for x in (a.first, a.last) for y in (b.first, b.last))

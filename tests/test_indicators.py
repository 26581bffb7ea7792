"""Every indicator, checked against the real Lampung figures and by hand."""

from __future__ import annotations

import math
from datetime import date

import pytest

from generator.facts import indicators as ind
from generator.facts.subregion_history import subregion_history
from test_model import snap


def test_coverage_stated_and_computed(lampung):
    h = ind.headline(snap(lampung, "2024-09-24"))
    assert h.coverage.value == 24.86
    assert h.coverage.interval.width < 0.001  # 24,86 % of exact counts: known to the counts' 24,8603
    assert h.coverage_computed.value == pytest.approx(100 * 760468 / 3058943)
    assert round(h.coverage_computed.value, 2) == 24.86
    assert h.coverage_difference.value == pytest.approx(24.86 - 100 * 760468 / 3058943)
    assert abs(h.coverage_difference.value) < 0.005  # within the rounding of 24,86
    assert h.uncovered.value == 3058943 - 760468 and h.uncovered.exact
    assert h.coverage_computed.inputs == (("participants", 760468), ("workforce", 3058943))


def test_gap_to_the_2024_target_in_points_and_workers(lampung):
    g = ind.headline(snap(lampung, "2024-09-24")).targets[0]
    assert g.year == 2024
    assert g.gap_points.value == pytest.approx(7.76)
    assert round(g.gap_workers.value) == 237359  # 32,62 % of 3.058.943, less 760.468
    assert math.ceil(g.gap_workers.value) == 237360  # ANTARA's figure: whole people to reach the target
    assert g.target.gap.value == 237360
    assert g.months_left.lo == g.months_left.hi == pytest.approx(98 / (365.2425 / 12))
    assert g.per_month.value == pytest.approx(237360 / g.months_left.mid)  # the stated gap, the one shown
    assert not g.met


def test_the_2025_target_as_a_head_count(lampung):
    g = ind.headline(snap(lampung, "2024-09-24")).targets[1]
    assert g.target_participants.value == 1174328
    assert round(0.3839 * 3058943) == 1174328  # the stated head count matches the target share
    assert g.gap_workers.value == 1174328 - 760468


def test_a_rounded_workforce_is_refined_from_exact_participants_and_stated_coverage(lampung):
    h = ind.headline(snap(lampung, "2023-12-31"))
    assert h.workforce.value == pytest.approx(731991 / 0.2679)
    assert not h.workforce.exact
    assert h.workforce.computed  # made here from 731.991 and 26,79 %: not the source's "2,7 juta"
    assert 2_650_000 <= h.workforce.interval.lo < h.workforce.interval.hi <= 2_750_000


def test_missing_participants_are_estimated_and_marked(lampung):
    h = ind.headline(snap(lampung, "2025-12-08"))
    assert h.participants.value == pytest.approx(0.2527 * 3100000)
    assert not h.participants.exact


def test_no_pace_is_given_for_the_last_weeks_of_a_target_year(lampung):
    gaps = {g.year: g for g in ind.headline(snap(lampung, "2025-12-08")).targets}
    assert gaps[2025].months_left.hi < 1 and gaps[2025].per_month is None
    assert gaps[2026].per_month is not None


@pytest.mark.parametrize("iso, expected", [
    ("2024-12-31", 0.0), ("2024-12-01", 30 / (365.2425 / 12)), ("2024-01-01", 365 / (365.2425 / 12)),
])
def test_months_until_year_end(iso, expected):
    months = ind.months_until_year_end(date.fromisoformat(iso), 2024)  # a day: a point
    assert months.lo == months.hi == pytest.approx(expected)


def test_subregion_rank_median_spread_and_counts(lampung):
    s = snap(lampung, "2024-09-24")
    stats = ind.subregion_stats(lampung, s, ind.headline(s).coverage)
    assert stats.count == 13  # the two unclear Lampung Utara figures are left out
    assert [r.figure.stated_name for r in stats.ambiguous] == ["Lampung Utara", "Lampung Utara"]
    assert [m.name for m in stats.missing] == ["Lampung Utara", "Pesawaran"]
    assert stats.rows[0].subregion.name == "Kota Metro" and stats.rows[0].rank == 1
    assert stats.rows[-1].subregion.name == "Pesisir Barat" and stats.rows[-1].rank == 13
    ranks = {r.subregion.name: r.rank for r in stats.rows}
    assert ranks["Lampung Barat"] == ranks["Mesuji"] == 7  # a tie shares its rank
    assert ranks["Tulang Bawang Barat"] == 9
    assert stats.median.value == 23.3 and (stats.median.interval.lo, stats.median.interval.hi) == (23.25, 23.35)
    assert (stats.lowest.value, stats.highest.value) == (1.9, 32.9)
    assert stats.spread.value == pytest.approx(31.0)
    assert stats.spread.interval.lo == pytest.approx(30.9) and stats.spread.interval.hi == pytest.approx(31.1)
    assert (stats.count, stats.total, stats.partial) == (13, 15, True)
    assert stats.below_province == 7
    assert stats.meeting == ((2024, 2), (2025, 0))
    assert stats.row("kota-metro").vs_province.value == pytest.approx(32.9 - 24.86)


def test_figures_their_rounding_cannot_tell_apart_share_a_rank(lampung):
    from dataclasses import replace

    s = snap(lampung, "2024-09-24")
    metro = next(f for f in s.subregions if f.subregion.name == "Kota Metro")
    # "33 %" (32,5-33,5) holds Bandar Lampung's 32,8: the two tie; "32,9" and "32,8" only touch, and do not
    whole = replace(metro, coverage=replace(metro.coverage, value=33, decimals=0))
    s2 = replace(s, subregions=tuple(whole if f is metro else f for f in s.subregions))
    ranks = {r.subregion.name: r.rank for r in ind.subregion_stats(lampung, s2, ind.headline(s2).coverage).rows}
    assert ranks["Kota Metro"] == ranks["Kota Bandar Lampung"] == 1
    assert ranks["Tanggamus"] == 3


@pytest.mark.parametrize("p1, w1, p2, w2", [
    (731991, 731991 / 0.2679, 760468, 3058943),
    (100, 1000, 150, 1000),
    (100, 1000, 100, 2000),
    (500, 1000, 250, 400),
])
def test_the_split_of_a_change_adds_up(p1, w1, p2, w2):
    due_p, due_w = ind.split_change(p1, w1, p2, w2)
    assert due_p + due_w == pytest.approx(100 * (p2 / w2 - p1 / w1))


def test_split_is_zero_for_what_did_not_change():
    assert ind.split_change(100, 1000, 150, 1000)[1] == 0
    assert ind.split_change(100, 1000, 100, 2000)[0] == 0


def test_december_2023_to_september_2024_more_participants_lower_coverage(lampung):
    c = ind.changes(lampung)[0]
    assert (c.before.date.isoformat(), c.after.date.isoformat()) == ("2023-12-31", "2024-09-24")
    assert c.participants.value == 28477
    assert c.points.value == pytest.approx(-1.93)
    assert c.due_to_participants.value == pytest.approx(0.99, abs=0.005)
    assert c.due_to_workforce.value == pytest.approx(-2.92, abs=0.005)
    assert c.due_to_participants.value + c.due_to_workforce.value == pytest.approx(-1.93)
    assert c.workforce.value == pytest.approx(3058943 - 731991 / 0.2679)


def test_restated_targets_and_new_notes_between_snapshots(lampung):
    c = ind.changes(lampung)[2]  # 2025-08-13 -> 2025-12-08
    assert [t.year for t in c.new_targets] == [2026, 2030]
    assert c.restated_targets == ()  # 38,39 % both times; only September 2024 gave a head count
    assert {n.id for n in c.new_notes} == {"selisih-411-ribu", "target-dinyatakan-ulang"}


def test_subregion_movers_compare_clear_figures(lampung):
    c = ind.change(snap(lampung, "2024-09-24"), snap(lampung, "2025-12-08"))
    assert [(m[0].name, m[1], m[2]) for m in c.movers] == [("Kota Metro", 32.9, 34.9)]


def test_subregion_history_tells_values_unclear_figures_and_rankings(lampung):
    utara = next(s for s in lampung.subregions if s.name == "Lampung Utara")
    history = subregion_history(lampung, utara)
    assert [p.coverage for p in history] == [None, None, None, None]
    assert tuple(f.value for f in history[1].ambiguous) == (25.6, 26.6)
    assert history[3].ranked == "tertinggi ke-4 menurut Radar Lampung"
    bandar = next(s for s in lampung.subregions if s.name == "Kota Bandar Lampung")
    assert subregion_history(lampung, bandar)[2].ranked == (
        "terendah menurut Tribun Lampung, Lampost.co, Kutipan.co.id; "
        "tertinggi ke-3 menurut Radar Lampung, Berdikari.co")


def test_a_change_given_its_headlines_is_the_change_computed_alone(lampung):
    """(plan.Report passes the headlines it has: the same change, not computed twice.)"""
    snaps = lampung.snapshots
    for before, after in zip(snaps, snaps[1:]):
        assert ind.change(before, after, ind.headline(before), ind.headline(after)) == ind.change(before, after)

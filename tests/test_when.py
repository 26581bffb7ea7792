"""Snapshots and sources dated only to a month or a year (issue #12): named, ordered, addressed, printed and
computed as the span of days they are, never as a day."""

from __future__ import annotations

import pickle
import re
import shutil
from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from generator.facts import fmt
from generator.data import when
from generator.facts import indicators as ind
from generator.errors import DataError
from generator.data.dataset import load_dataset
from generator.data.when import When
from conftest import FIXTURES, REPO


@pytest.mark.parametrize("text, precision, first, last", [
    ("2025-06-30", "day", date(2025, 6, 30), date(2025, 6, 30)),
    ("2025-06", "month", date(2025, 6, 1), date(2025, 6, 30)),
    ("2024-02", "month", date(2024, 2, 1), date(2024, 2, 29)),
    ("2025", "year", date(2025, 1, 1), date(2025, 12, 31)),
])
def test_a_date_knows_its_precision_and_span(text, precision, first, last):
    w = when.parse(text)
    assert (w.precision, w.first, w.last, w.isoformat(), str(w), f"{w}") == (precision, first, last, text, text, text)
    assert pickle.loads(pickle.dumps(w)).isoformat() == text  # the build's worker processes get it whole


@pytest.mark.parametrize("text", ["2025-13", "2025-02-30", "25-06", "2025-6", "Juni 2025", "2025-06-1"])
def test_what_is_not_a_date(text):
    with pytest.raises(ValueError):
        when.parse(text)


@pytest.mark.parametrize("text, long, short", [
    ("2025-06-30", "30 Juni 2025", "30 Jun 2025"), ("2025-06", "Juni 2025", "Jun 2025"), ("2025", "2025", "2025"),
])
def test_printed_as_precisely_as_it_is_known(text, long, short):
    assert fmt.long_date(when.parse(text)) == long and fmt.short_date(when.parse(text)) == short
    # "2025-06" equals 1 June 2025 as a date, but is never printed as that day (nor the day as the month)
    assert fmt.long_date(date(2025, 6, 1)) == "1 Juni 2025" and fmt.long_date(when.parse("2025-06")) == "Juni 2025"


@given(st.dates(date(1990, 1, 1), date(2100, 12, 31)), st.sampled_from(["day", "month", "year"]))
def test_a_span_holds_its_first_day_and_sorts_before_the_next_span(d, precision):
    w = {"day": When(d.year, d.month, d.day), "month": When(d.year, d.month), "year": When(d.year)}[precision]
    assert w.first <= d <= w.last and w.overlaps(d)
    after = When.fromordinal(w.last.toordinal() + 1)
    assert w < after and not w.overlaps(after)


def _month_region(tmp_path):
    shutil.copytree(FIXTURES / "honest" / "beta", tmp_path / "beta")
    return tmp_path


def test_a_month_snapshot_loads_sorts_and_keeps_its_name():
    beta = next(r for r in load_dataset(FIXTURES / "honest").regions if r.slug == "beta")
    assert [str(s.date) for s in beta.snapshots] == ["2025-05-20", "2025-09"]
    latest = beta.latest
    assert latest.date.precision == "month" and latest.sources[0].date.isoformat() == "2025-10"


def test_months_left_and_pace_are_intervals_for_a_month():
    beta = next(r for r in load_dataset(FIXTURES / "honest").regions if r.slug == "beta")
    g = ind.headline(beta.latest).targets[0]
    per_month = 365.2425 / 12
    # from 30 September (92 days left) to 1 September (121 days left) 2025
    assert g.months_left.lo == pytest.approx(92 / per_month) and g.months_left.hi == pytest.approx(121 / per_month)
    # the pace of the gap the source stated ("25 ribu": 24.500 to 25.500), the one the page shows
    assert g.per_month.interval.lo == pytest.approx(g.target.gap.interval.lo / g.months_left.hi)
    assert g.per_month.interval.hi == pytest.approx(g.target.gap.interval.hi / g.months_left.lo)
    assert fmt.count(g.per_month) == "sekitar 7 ribu"  # 6.163 to 8.436 a month: no more digits than that
    c = ind.change(beta.snapshots[0], beta.latest)
    assert (c.days.lo, c.days.hi) == (104, 133) and fmt.days(c.days) == "104–133 hari"


def test_a_bare_year_is_a_date_of_a_year(tmp_path):
    folder = _month_region(tmp_path) / "beta"
    (folder / "2025-09.yaml").unlink()
    text = (folder / "2025-05-20.yaml").read_text(encoding="utf-8").replace("date: 2025-05-20", "date: 2024")
    (folder / "2025-05-20.yaml").unlink()
    (folder / "2024.yaml").write_text(text, encoding="utf-8")
    snap = load_dataset(tmp_path).regions[0].latest
    assert snap.date.precision == "year" and str(snap.date) == "2024"
    g = ind.headline(snap).targets[0]
    per_month = 365.2425 / 12  # to 31 December 2025: from the end of 2024 (365 days) or its start (730)
    assert (g.months_left.lo, g.months_left.hi) == (pytest.approx(365 / per_month), pytest.approx(730 / per_month))


def test_a_month_file_must_hold_that_month(tmp_path):
    folder = _month_region(tmp_path) / "beta"
    path = folder / "2025-09.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("date: 2025-09", "date: 2025-09-15"), encoding="utf-8")
    with pytest.raises(DataError) as info:
        load_dataset(tmp_path)
    assert "2025-09-15 differs from the file name (2025-09.yaml)" in str(info.value)


def test_the_month_report_is_addressed_and_printed_by_its_month():
    golden = REPO / "tests" / "golden" / "honest" / "beta"
    page = (golden / "arsip" / "2025-09" / "index.html").read_text(encoding="utf-8")
    assert 'Data per <time datetime="2025-09">September 2025</time>' in page
    assert not re.search(r"\d+ September 2025", page)  # no day invented for it
    assert '"tanggal":"September 2025"' in page  # the history chart's tooltip too
    archive = (golden / "arsip" / "index.html").read_text(encoding="utf-8")
    assert 'href="../../beta/arsip/2025-09/index.html"' in archive and 'href="../../beta/data/2025-09.csv"' in archive
    assert "2025-09,Beta Fiktif" in (golden / "data" / "2025-09.csv").read_text(encoding="utf-8")
    change = (golden / "arsip" / "2025-09" / "perubahan" / "index.html").read_text(encoding="utf-8")
    assert "104–133 hari di antara dua laporan" in change


def test_a_month_report_is_frozen_and_checked_under_its_month(tmp_path):
    from generator.publish.published import read_frozen
    from generator.commands.freeze import freeze

    shutil.copytree(FIXTURES / "honest" / "beta", tmp_path / "beta")
    record, _ = freeze(tmp_path, "beta", "2025-09", content=REPO / "content", templates=REPO / "templates")
    assert record.path == tmp_path / "beta" / "frozen" / "2025-09.json"
    assert "beta/arsip/2025-09/index.html" in record.files
    (loaded,) = read_frozen(tmp_path).values()
    assert str(loaded.date) == "2025-09" and loaded.date.precision == "month"
    load_dataset(tmp_path)  # the frozen/2025-09.json file is one the data folder may hold


def test_a_month_report_is_a_dated_address_that_search_leaves_out():
    from generator.publish import search

    assert not search.indexed("beta/arsip/2025-09/index.html") and not search.indexed("beta/arsip/2025/index.html")
    assert search.indexed("beta/index.html")


def test_history_charts_say_the_month_not_a_day():
    from generator.charts import history, national as national_charts

    points = [{"date": "2025-05-20", "label": "20 Mei 2025", "coverage": 24.86},
              {"date": "2025-09-15", "label": "September 2025", "coverage": 27.96}]
    for spec in (history.history_chart(points, targets=[], title="t", description="d"),
                 national_charts.province_lines([dict(p, name="Beta") for p in points], highlight=None,
                                                title="t", description="d")):
        rows = [r for rows in spec["datasets"].values() for r in rows if "tanggal" in r]
        assert {r["tanggal"] for r in rows} == {"20 Mei 2025", "September 2025"}
        tooltips = [t for layer in spec["layer"] for t in layer.get("encoding", {}).get("tooltip", [])
                    if isinstance(t, dict) and t.get("title") == "Tanggal"]
        assert tooltips and all(t["field"] == "tanggal" or t.get("timeUnit") for t in tooltips)
        assert any(t["field"] == "tanggal" for t in tooltips)

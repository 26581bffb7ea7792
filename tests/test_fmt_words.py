"""Indonesian numbers, dates and generated sentences, checked on the real figures."""

from __future__ import annotations

from datetime import date

import pytest

from generator import fmt, indicators as ind, words
from generator.model import Figure, Source
from test_model import snap

SRC = Source("s", "Sumber")


@pytest.mark.parametrize("value, decimals, expected", [
    (3058943, 0, "3.058.943"), (24.86, 2, "24,86"), (1.9, 1, "1,9"), (-1.93, 2, "−1,93"), (0, 0, "0"),
])
def test_numbers_use_indonesian_separators(value, decimals, expected):
    assert fmt.number(value, decimals) == expected


def test_percent_and_points():
    assert fmt.percent(24.86) == "24,86\u00a0%"
    assert fmt.points(-1.93) == "−1,93\u00a0poin"
    assert fmt.points(0.99) == "+0,99\u00a0poin"
    assert fmt.points(7.76, sign=False) == "7,76\u00a0poin"


def test_dates_in_indonesian():
    assert fmt.long_date(date(2024, 9, 24)) == "24 September 2024"
    assert fmt.long_date(date(2025, 8, 13)) == "13 Agustus 2025"
    assert fmt.month_year(date(2023, 12, 31)) == "Desember 2023"


@pytest.mark.parametrize("figure, expected", [
    (Figure(760468, "count", SRC), "760.468"),
    (Figure(2700000, "count", SRC, rounded_to=100000, stated="2,7 juta"), "sekitar 2,7 juta"),
    (Figure(2700000, "count", SRC, rounded_to=100000), "sekitar 2,7 juta"),
    (Figure(389534, "count", SRC, approximate=True), "sekitar 390 ribu"),
])
def test_counts_are_never_more_precise_than_their_source(figure, expected):
    assert fmt.count(figure) == expected


def test_percentages_keep_the_decimals_of_their_source():
    assert fmt.pct(Figure(24.5, "percent", SRC, decimals=1)) == "24,5\u00a0%"
    assert fmt.pct(Figure(24.86, "percent", SRC, decimals=2)) == "24,86\u00a0%"
    assert fmt.pct(ind.Computed(24.8603, "x", exact=False)) == "sekitar 24,86\u00a0%"


def test_headline_sentence_for_september_2024(lampung):
    s = snap(lampung, "2024-09-24")
    fact = words.headline(lampung, s, ind.headline(s))
    assert fact.text == ("Per 24 September 2024, cakupan kepesertaan Jamsostek di Lampung sebesar 24,86\u00a0%: "
                         "760.468 peserta BPJS Ketenagakerjaan dari 3.058.943 potensi pekerja.")
    assert [x.publisher for x in fact.sources] == ["Lampost.co"]


def test_target_sentences_carry_the_gap_and_pace(lampung):
    s = snap(lampung, "2024-09-24")
    first, second = words.targets(lampung, s, ind.headline(s))
    assert "target 2024 sebesar 32,62\u00a0%" in first.text
    assert "7,76\u00a0poin" in first.text and "237.359 peserta" in first.text
    assert "hingga akhir 2024" in first.text
    assert "413.860 peserta" in second.text


def test_rounded_inputs_make_sentences_say_sekitar(lampung):
    s = snap(lampung, "2025-12-08")
    fact = words.headline(lampung, s, ind.headline(s))
    assert "sekitar 783 ribu peserta" in fact.text and "sekitar 3,1 juta potensi pekerja" in fact.text


def test_the_change_sentence_explains_the_split(lampung):
    text = words.change(lampung, ind.changes(lampung)[0]).text
    assert text == ("Dibandingkan 31 Desember 2023, cakupan turun 1,93\u00a0poin meski jumlah peserta bertambah "
                    "28.477 orang. Perubahan peserta menyumbang +0,99\u00a0poin, perubahan perkiraan jumlah "
                    "pekerja −2,92\u00a0poin.")


def test_subregion_sentence(lampung):
    s = snap(lampung, "2024-09-24")
    fact = words.subregions(lampung, s, ind.subregion_stats(lampung, s, 24.86))
    assert "tertinggi di Kota Metro (32,9\u00a0%)" in fact.text
    assert "terendah di Pesisir Barat (1,9\u00a0%)" in fact.text
    assert "7 daerah berada di bawah angka provinsi" in fact.text


def test_the_methodology_example_matches_the_indicators(lampung):
    from conftest import REPO

    text = (REPO / "content" / "metodologi.md").read_text(encoding="utf-8")
    c = ind.changes(lampung)[0]
    for figure in (fmt.number(c.participants.value), fmt.number(abs(c.points.value), 2),
                   fmt.number(c.due_to_participants.value, 2), fmt.number(abs(c.due_to_workforce.value), 2),
                   fmt.number(731991), fmt.percent(26.79).replace("\u00a0", " ")):
        assert figure in text, figure

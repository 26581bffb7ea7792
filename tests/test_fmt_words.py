"""Indonesian numbers, dates and generated sentences, checked on the real figures."""

from __future__ import annotations

from datetime import date

import pytest

from generator.facts import fmt, indicators as ind, words
from generator.data.model import Figure, Source
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
    (Figure(389534, "count", SRC, approximate=True), "sekitar 389.534"),  # as published
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
    target, computed, stated, target2, computed2 = words.targets(lampung, s, ind.headline(s))
    assert target.text == "Target 2024 sebesar 32,62\u00a0%." and [x.publisher for x in target.sources] == ["Lampost.co"]
    assert "7,76\u00a0poin" in computed.text and "hingga akhir 2024" in computed.text
    assert computed.sources == ()  # computed: credited to no source
    assert "237.359" not in computed.text  # the stated gap is shown instead, with its source
    assert stated.text == "ANTARA menyebut kekurangan 237.360 peserta untuk target 2024."
    assert target2.text == "Target 2025 sebesar 38,39\u00a0%, setara 1.174.328 peserta."
    assert "413.860 peserta" in computed2.text and computed2.sources == ()


def test_rounded_inputs_make_sentences_say_sekitar(lampung):
    s = snap(lampung, "2025-12-08")
    fact = words.headline(lampung, s, ind.headline(s))
    # 25,27 % of 3,05-3,15 juta is 770-796 ribu: tens of thousands, and computed, so it says so
    assert "sekitar 780 ribu peserta BPJS Ketenagakerjaan (dihitung dari cakupan × potensi pekerja)" in fact.text
    assert "sekitar 3,1 juta potensi pekerja" in fact.text
    assert "sekitar sekitar" not in fact.text


def test_the_change_sentence_explains_the_split(lampung):
    text = words.change(lampung, ind.changes(lampung)[0]).text
    assert text == ("Dibandingkan 31 Desember 2023, cakupan per 24 September 2024 turun 1,93\u00a0poin meski jumlah "
                    "peserta bertambah 28.477 orang. Dalam batas pembulatan angka sumber, perubahan peserta menyumbang "
                    "+0,99\u00a0poin, perubahan perkiraan jumlah pekerja −2,93 hingga −2,91\u00a0poin.")


def test_a_split_from_rounded_counts_is_a_range_not_hundredths(lampung):
    # 687 ribu, 2,8 juta and 3,1 juta: the "+3,30 / −2,53" claimed digits the rounding does not hold
    text = words.change(lampung, ind.changes(lampung)[-1]).text
    assert "+3,30" not in text and "hingga" in text
    c = ind.changes(lampung)[-1]
    assert 3.30 in c.due_to_participants.interval and -2.53 in c.due_to_workforce.interval


def test_subregion_sentence(lampung):
    s = snap(lampung, "2024-09-24")
    fact = words.subregions(lampung, s, ind.subregion_stats(lampung, s, ind.headline(s).coverage))
    assert "13 dari 15 kabupaten/kota" in fact.text  # Pesawaran missing, Lampung Utara unclear
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

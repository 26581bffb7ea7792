"""Honest with any province's figures (issue #12): precision, stated vs computed, partial and dated.

The pages are read from tests/golden/honest, which test_golden.py checks is
exactly what the fictional provinces in tests/fixtures/honest build into; the
properties run on intervals and sentences directly.
"""

from __future__ import annotations

import html
import math
import re
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from generator.facts import fmt, words
from generator.facts import indicators as ind
from generator.facts.indicators import Computed
from generator.data.interval import Interval
from generator.data.dataset import load_dataset
from generator.site.plan import Report
from conftest import FIXTURES, REPO

HONEST = REPO / "tests" / "golden" / "honest"
NBSP = "\u00a0"


def text(path: str) -> str:
    page = (HONEST / path).read_text(encoding="utf-8")
    page = re.sub(r"<(script|style)\b.*?</\1>", " ", page, flags=re.S)
    return re.sub(r"[ \t\r\n]+", " ", html.unescape(re.sub(r"<[^>]+>", " ", page)))


@pytest.fixture(scope="module")
def regions():
    return load_dataset(FIXTURES / "honest").regions + load_dataset(REPO / "data").regions


def every_page() -> list[Path]:
    return sorted(p for p in HONEST.rglob("*") if p.suffix in (".html", ".xml", ".json", ".csv"))


def test_the_honest_golden_site_has_every_province():
    assert {p.relative_to(HONEST).parts[0] for p in every_page()} >= {"alfa", "beta", "gama"}


def test_no_sentence_keeps_an_unfilled_placeholder():
    import re

    for root in ("honest", "national", "expected"):
        for path in sorted((REPO / "tests" / "golden" / root).rglob("*.html")):
            left = re.findall(r"\{[a-z_]+\.[a-z_]+\}", path.read_text(encoding="utf-8"))
            assert not left, (path, left)  # e.g. "{region.whole}" from a string that lost its f


def test_sekitar_is_never_said_twice():
    for page in every_page():
        assert "sekitar sekitar" not in page.read_text(encoding="utf-8").lower(), page


def test_a_published_figure_prints_as_published():
    alfa = text("alfa/arsip/2024-12-31/index.html")
    assert f"37{NBSP}%" in alfa and "37,00" not in alfa and "50,00" not in alfa
    assert f"kurang 13{NBSP}poin" in alfa and "13,00" not in alfa  # 50 % − 37 %: 12 to 14 points
    assert f"24,86{NBSP}%" in text("beta/arsip/2025-05-20/index.html")


def test_one_publisher_is_named_once():
    for page in every_page():
        assert "Harian Alfa, Harian Alfa" not in page.read_text(encoding="utf-8"), page


def test_a_stated_gap_is_shown_with_its_source_not_the_computed_one():
    alfa = text("alfa/index.html")
    assert "Harian Alfa menyebut kekurangan sekitar 130 ribu peserta untuk target 2025" in alfa
    assert "kurang sekitar 130 ribu peserta menurut Harian Alfa" in alfa


def test_computed_sentences_say_so_and_credit_no_source():
    alfa = text("alfa/index.html")
    assert "(dihitung dari cakupan × potensi pekerja)" in alfa
    assert "(dihitung dari angka sumber)" in alfa


def test_a_statistic_over_part_of_the_regencies_says_how_many():
    alfa = text("alfa/arsip/2024-12-31/index.html")
    assert "3 dari 5 kabupaten/kota" in alfa


def test_a_partial_regency_list_is_never_called_complete():
    alfa = text("alfa/index.html")  # 30 June 2025 names no regency; 31 Dec 2024 named 3 of 5
    assert "berasal dari 31 Desember 2024 (3 dari 5 kabupaten/kota dengan angka yang jelas)" in alfa
    assert "Angka lengkap" not in alfa
    assert "Angka lengkap terbaru berasal dari 30 Juni 2024" in text("gama/index.html")  # 4 of 4


def test_regency_figures_from_an_earlier_report_name_their_date():
    gama = text("gama/index.html")  # its latest report (30 June 2025) names one regency only
    assert "Per 30 Juni 2024, di antara 4 kabupaten/kota dengan angka yang jelas" in gama
    cite = text("gama/kabupaten-hulu-gama/index.html")
    assert "laporan per 30 Juni 2025 (angka Kabupaten Hulu Gama per 30 Juni 2024)" in cite


def test_figures_the_rounding_cannot_tell_apart_tie():
    alfa = text("alfa/arsip/2024-12-31/index.html")
    assert f"terendah di Kabupaten Dua (37,4{NBSP}%) dan Kabupaten Satu (37{NBSP}%)" in alfa


def test_what_a_count_counts_and_a_regencys_own_counts_are_shown():
    assert "peserta aktif · Harian Alfa" in text("alfa/arsip/2024-12-31/index.html")
    assert "termasuk pekerja jasa konstruksi" in text("gama/index.html")
    tiga = text("alfa/arsip/2024-12-31/kota-tiga/index.html")
    assert "52.000" in tiga and "130.000" in tiga and "cakupan dihitung dari keduanya" in tiga


def test_downloads_carry_interval_note_and_computed():
    csv = (HONEST / "alfa/data/2024-12-31.csv").read_text(encoding="utf-8")
    assert "cakupan_min,cakupan_maks" in csv and ",37,36.5,37.5," in csv
    assert "dasar peserta: peserta aktif" in csv and "cakupan dihitung dari peserta ÷ potensi pekerja" in csv
    data = (HONEST / "alfa/data/2024-12-31.json").read_text(encoding="utf-8")
    assert '"computed": "participants / workforce × 100"' in data and '"basis": "peserta aktif"' in data


def test_compared_figures_on_different_bases_are_flagged():
    gama = text("gama/arsip/2025-06-30/perubahan/index.html")
    assert ("Dasar hitungan angka yang dibandingkan berbeda (cakupan per 30 Juni 2024: tidak disebut; per 30 Juni "
            "2025: termasuk pekerja jasa konstruksi), jadi perubahan ini tidak sepenuhnya sebanding.") in gama


def test_a_split_whose_direction_the_rounding_leaves_open_is_not_asserted():
    page = text("alfa/arsip/2025-06-30/perubahan/index.html")
    assert "terlalu bulat untuk memastikan arah" in page
    assert "menyumbang" not in page


# --------------------------------------------------------------------------- properties


def parse(printed: str) -> tuple[float, float, float]:
    """A printed Indonesian number back to (value, finest and coarsest unit its last digit can have):
    a whole number's trailing zeros may be digits shown or places rounded away."""
    t = printed.replace("sekitar ", "").replace(NBSP, " ").replace("\u2212", "-")
    t = t.removesuffix(" %").removesuffix(" poin").strip()
    scale = 1
    for word, factor in ((" juta", 10**6), (" ribu", 10**3)):
        if t.endswith(word):
            t, scale = t.removesuffix(word), factor
    whole, _, frac = t.partition(",")
    digits = whole.replace(".", "").lstrip("+-")
    value = float(f"{whole.replace('.', '')}.{frac}" if frac else whole.replace(".", "")) * scale
    unit = 10.0 ** -len(frac) * scale
    coarsest = unit
    if not frac and digits.strip("0"):
        coarsest = unit * 10 ** (len(digits) - len(digits.rstrip("0")))
    elif not frac:
        coarsest = math.inf  # a bare 0 shows no digit of any place
    return value, unit, coarsest


spans = st.tuples(st.floats(min_value=-500, max_value=500), st.floats(min_value=0, max_value=50))


@given(spans, st.floats(min_value=0, max_value=1))
def test_every_printed_percent_lies_in_its_interval_with_no_digit_it_does_not_support(span, t):
    lo, width = span
    iv = Interval(lo, lo + width)
    c = Computed(iv.lo + t * iv.width, "test", interval=iv, exact=False)
    for printed in (fmt.pct(c), fmt.points(c)):
        value, unit, coarsest = parse(printed)
        assert iv.lo - 0.005 - 1e-9 <= value <= iv.hi + 0.005 + 1e-9, printed  # (0,01: the finest digit)
        assert coarsest * 10 > iv.width or unit == 0.01, printed  # no digit finer than the interval's width
        assert unit <= max(iv.width, 0.01) * (1 + 1e-9), printed  # and every digit it does support
        assert printed.count("sekitar") == 1


@given(st.floats(min_value=1000, max_value=5e7), st.floats(min_value=0, max_value=0.2), st.floats(0, 1))
def test_every_printed_count_lies_in_its_interval_with_no_digit_it_does_not_support(mid, rel, t):
    iv = Interval(mid * (1 - rel), mid * (1 + rel))
    c = Computed(iv.lo + t * iv.width, "test", interval=iv, exact=False)
    printed = fmt.count(c)
    value, unit, coarsest = parse(printed)
    assert iv.lo - 0.5 - 1e-9 * mid <= value <= iv.hi + 0.5 + 1e-9 * mid, printed
    assert coarsest * 10 > iv.width or unit == 1, printed
    assert printed.count("sekitar") == 1


def test_no_computed_figure_is_credited_to_a_source(regions):
    for region in regions:
        for snap in region.snapshots:
            h = ind.headline(snap)
            for fact in words.targets(region, snap, h):
                if fact.text.startswith(("Untuk mencapainya", "Cakupan per")):
                    assert fact.sources == (), fact.text
            for c in ind.changes(region):
                assert words.change(region, c).sources == ()
            if snap.subregions:
                stats = ind.subregion_stats(region, snap, h.coverage)
                fact = words.subregions(region, snap, stats, snap.date)
                if fact is not None:
                    derived = [r for r in stats.rows if r.figure.coverage.derived is not None]
                    assert all(r.figure.coverage.source not in fact.sources or any(
                        x.figure.coverage.derived is None and x.figure.coverage.source == r.figure.coverage.source
                        for x in stats.rows) for r in derived)


def test_no_sentence_uses_a_figure_from_another_date_without_naming_it(regions):
    for region in regions:
        for snap in region.snapshots:
            rep = Report.of(region, snap)
            if rep.stats is None:
                continue
            fact = words.subregions(region, rep.sub_snap, rep.stats, snap.date)
            if fact is not None and rep.sub_snap.date != snap.date:
                assert fact.text.startswith(f"Per {fmt.long_date(rep.sub_snap.date)},"), fact.text


def test_lampungs_published_facts_stay_as_published(regions):
    lampung = next(r for r in regions if r.slug == "lampung")
    snap = next(s for s in lampung.snapshots if s.date.isoformat() == "2024-09-24")
    h = ind.headline(snap)
    assert words.headline(lampung, snap, h).text == (
        f"Per 24 September 2024, cakupan kepesertaan Jamsostek di Lampung sebesar 24,86{NBSP}%: 760.468 peserta "
        "BPJS Ketenagakerjaan dari 3.058.943 potensi pekerja.")
    targets = [f.text for f in words.targets(lampung, snap, h)]
    assert f"Target 2024 sebesar 32,62{NBSP}%." in targets
    assert f"Target 2025 sebesar 38,39{NBSP}%, setara 1.174.328 peserta." in targets

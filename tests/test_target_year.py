"""A target whose year the source does not give (issue #12): allowed as `year: unknown`, shown as
"Target (tahun tidak disebut)", its gap computed, but no months left and no pace per month."""

from __future__ import annotations

import html
import re
import shutil

import pytest

from generator.facts import indicators as ind
from generator.facts import words
from generator.errors import DataError
from generator.data.dataset import load_dataset
from conftest import FIXTURES, REPO

HONEST = REPO / "tests" / "golden" / "honest"


def text(path: str) -> str:
    page = re.sub(r"<(script|style)\b.*?</\1>", " ", (HONEST / path).read_text(encoding="utf-8"), flags=re.S)
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", page)))


def gama():
    return next(r for r in load_dataset(FIXTURES / "honest").regions if r.slug == "gama")


def test_a_target_without_a_year_has_a_gap_but_no_deadline():
    (g,) = ind.headline(gama().latest).targets
    assert g.year is None and g.target.year is None
    assert g.months_left is None and g.per_month is None
    assert g.gap_points.interval.lo > 8 and g.gap_workers is not None  # 30 % − 21,27 %: computed as ever
    region = gama()
    sentences = " ".join(f.text for f in words.targets(region, region.latest, ind.headline(region.latest)))
    assert "Target (tahun tidak disebut) sebesar 30" in sentences and "setiap bulan" not in sentences


def test_the_report_names_it_without_a_year():
    page = text("gama/index.html")
    assert "Target (tahun tidak disebut) 30 %" in page.replace("\u00a0", " ")
    assert "setiap bulan" not in page and "hingga akhir" not in page
    spec = (HONEST / "gama" / "index.html").read_text(encoding="utf-8").replace("\u00a0", " ")
    assert "Di luar grafik: target (tahun tidak disebut): 30 %" in spec  # under the history chart, not on its axis
    assert "Target baru (tahun tidak disebut): 30 %" in text("gama/arsip/2025-06-30/perubahan/index.html").replace("\u00a0", " ")
    assert "Target provinsi (tahun tidak disebut)" in text("gama/kota-empat/index.html")


def _with_targets(tmp_path, lines: str):
    shutil.copytree(FIXTURES / "honest" / "gama", tmp_path / "gama")
    path = tmp_path / "gama" / "2025-06-30.yaml"
    body = path.read_text(encoding="utf-8").replace("targets:\n  - {year: unknown, coverage: 30}\n", "targets:\n" + lines)
    path.write_text(body, encoding="utf-8")
    return tmp_path


def test_undated_targets_sort_after_the_dated_ones(tmp_path):
    data = _with_targets(tmp_path, "  - {year: unknown, coverage: 30}\n  - {year: 2026, coverage: 25}\n")
    assert [t.year for t in load_dataset(data).regions[0].latest.targets] == [2026, None]


@pytest.mark.parametrize("lines, message", [
    ("  - {year: unknown, coverage: 30}\n  - {year: unknown, coverage: 35}\n",
     "targets[1].year: unknown has two targets (also at line"),
    ("  - {year: , coverage: 30}\n", "targets[0].year: is empty (a year, or unknown when the source gives none, expected)"),
    ("  - {year: segera, coverage: 30}\n",
     'targets[0].year: is text "segera" (a year, or unknown when the source gives none, expected)'),
])
def test_a_year_left_empty_or_unknown_twice_is_an_error(tmp_path, lines, message):
    with pytest.raises(DataError) as info:
        load_dataset(_with_targets(tmp_path, lines))
    assert message in str(info.value)

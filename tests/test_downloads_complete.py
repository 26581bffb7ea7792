"""Every figure a source published reaches the downloads (issue #12): the long CSV lists each one,
as published, with its interval, basis and source; the notes CSV marks the notes the site computed.

Checked over every snapshot of the shipped data and the honest fixtures (partial, rounded,
"sekitar", month-dated, targets without a year, segments, a stated gap)."""

from __future__ import annotations

import csv
import io
import json

import pytest

from generator.data.dataset import load_dataset
from generator.facts import discrepancies
from generator.facts.indicators import headline
from generator.site import exports
from conftest import FIXTURES, REPO

REGIONS = [r for folder in (REPO / "data", FIXTURES / "honest") for r in load_dataset(folder).regions]
SNAPSHOTS = [(r, s) for r in REGIONS for s in r.snapshots]


def published(snap):
    """(place, what, target year, segment, figure) for every figure the snapshot's sources gave."""
    out = [("", what, "", "", f) for what, f in (("cakupan_persen", snap.coverage), ("peserta", snap.participants),
                                                ("potensi_pekerja", snap.workforce)) if f]
    for t in snap.targets:
        year = "tidak disebut" if t.year is None else str(t.year)
        out += [("", what, year, "", f) for what, f in (("target_cakupan_persen", t.coverage),
                ("target_peserta", t.participants), ("target_kekurangan_peserta", t.gap)) if f]
    for g in snap.segments:
        out += [("", what, "", g.name, f) for what, f in (("cakupan_persen", g.coverage),
                ("peserta", g.participants), ("potensi_pekerja", g.workforce)) if f]
    for sub in snap.subregions:
        place = sub.stated_name if sub.ambiguous else sub.subregion.name
        out += [(place, what, "", "", f) for what, f in (("cakupan_persen", sub.coverage),
                ("peserta", sub.participants), ("potensi_pekerja", sub.workforce)) if f and f.derived is None]
    return out


def rows(text: str) -> list[dict]:
    return list(csv.DictReader(io.StringIO(text)))


@pytest.mark.parametrize("region,snap", SNAPSHOTS, ids=[f"{r.slug}-{s.date}" for r, s in SNAPSHOTS])
def test_the_long_csv_holds_every_published_figure_and_nothing_computed(region, snap):
    got = rows(exports.figures_csv(region, snap))
    want = published(snap)
    assert len(got) == len(want)
    for row, (place, what, year, segment, f) in zip(got, want):
        assert row["tanggal"] == snap.date.isoformat()
        assert row["wilayah"] == (place or region.name)
        assert (row["besaran"], row["tahun_target"], row["segmen"]) == (what, year, segment)
        assert float(row["nilai"]) == f.value
        assert float(row["nilai_min"]) == pytest.approx(f.interval.lo)
        assert float(row["nilai_maks"]) == pytest.approx(f.interval.hi)
        assert (row["seperti_ditulis"], row["dasar"], row["keterangan"]) == (f.stated or "", f.basis or "", f.note or "")
        assert (row["sumber"], row["sumber_id"]) == (f.source.publisher, f.source.id)


def test_the_fixtures_exercise_what_the_long_csv_is_for():
    """Targets without a year, segments, stated gaps, bases, notes and "sekitar" all occur."""
    every = [r for region, snap in SNAPSHOTS for r in rows(exports.figures_csv(region, snap))]
    assert any(r["tahun_target"] == "tidak disebut" for r in every)
    assert any(r["segmen"] for r in every)
    assert any(r["besaran"] == "target_kekurangan_peserta" for r in every)
    assert any(r["dasar"] for r in every) and any(r["keterangan"] for r in every)
    assert any(r["pembulatan"] == "perkiraan" for r in every) and any(r["seperti_ditulis"] for r in every)
    assert any(r["atribusi"] == "tidak jelas" for r in every)


@pytest.mark.parametrize("region,snap", SNAPSHOTS, ids=[f"{r.slug}-{s.date}" for r, s in SNAPSHOTS])
def test_the_notes_csv_holds_the_datas_notes_and_marks_the_computed_ones(region, snap):
    got = rows(exports.notes_csv(snap))
    computed = discrepancies.notes(snap, headline(snap))
    assert [(r["id"], r["teks"], r["dihitung"]) for r in got] == (
        [(n.id, n.text, "tidak") for n in snap.notes] + [(n.id, n.text, "ya") for n in computed])
    assert all(r["sumber"] == "" for r in got if r["dihitung"] == "ya")  # no source made them


def test_the_data_package_describes_every_csv():
    region, snap = SNAPSHOTS[0]
    package = json.loads(exports.datapackage(region, snap))
    by_path = {r["path"]: r for r in package["resources"]}
    for path, columns in ((f"{snap.date}.csv", exports.COLUMNS), (f"{snap.date}.angka.csv", exports.FIGURE_COLUMNS),
                          (f"{snap.date}.catatan.csv", exports.NOTE_COLUMNS)):
        fields = [f["name"] for f in by_path[path]["schema"]["fields"]]
        assert fields == [name for name, _, _ in columns]
    assert next(csv.reader(io.StringIO(exports.figures_csv(region, snap)))) == [n for n, _, _ in exports.FIGURE_COLUMNS]

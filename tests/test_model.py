"""The checked model keeps what the sources said: exact, rounded, ranked, or unclear."""

from __future__ import annotations

import dataclasses
from datetime import date

import pytest

from generator.data.dataset import load_dataset
from generator.data.model import Dataset
from conftest import FIXTURES, REPO


def snap(region, iso):
    return next(s for s in region.snapshots if s.date == date.fromisoformat(iso))


def test_lampung_has_its_fifteen_regencies_and_four_snapshots(lampung):
    assert lampung.name == "Lampung"
    assert lampung.code_system == "kemendagri"
    assert len(lampung.subregions) == 15
    assert [s.date.isoformat() for s in lampung.snapshots] == ["2023-12-31", "2024-09-24", "2025-08-13", "2025-12-08"]
    kinds = [s.kind for s in lampung.subregions]
    assert kinds.count("kota") == 2 and kinds.count("kabupaten") == 13


@pytest.mark.parametrize("iso, participants, workforce, coverage", [
    ("2023-12-31", 731991, 2700000, 26.79),
    ("2024-09-24", 760468, 3058943, 24.86),
    ("2025-08-13", 687000, 2800000, 24.5),
    ("2025-12-08", None, 3100000, 25.27),
])
def test_headline_figures_are_as_published(lampung, iso, participants, workforce, coverage):
    s = snap(lampung, iso)
    assert (s.participants.value if s.participants else None) == participants
    assert s.workforce.value == workforce
    assert s.coverage.value == coverage


def test_rounded_figures_are_marked_with_their_step_and_words(lampung):
    w = snap(lampung, "2023-12-31").workforce
    assert (w.rounded_to, w.stated, w.exact, w.tolerance) == (100000, "2,7 juta", False, 50000)
    exact = snap(lampung, "2024-09-24").workforce
    assert exact.exact and exact.tolerance == 0
    assert snap(lampung, "2024-09-24").coverage.tolerance == pytest.approx(0.005)


def test_every_figure_names_its_source(lampung):
    s = snap(lampung, "2024-09-24")
    assert s.coverage.source.publisher == "Lampost.co"
    assert s.target(2024).gap.source.publisher == "ANTARA"
    assert s.target(2025).participants.value == 1174328


def test_duplicated_lampung_utara_is_kept_as_the_source_gave_it(lampung):
    s = snap(lampung, "2024-09-24")
    assert len(s.subregions) == 15
    utara = [f for f in s.subregions if f.subregion.name == "Lampung Utara"]
    assert [f.coverage.value for f in utara] == [25.6, 26.6]
    assert all(f.ambiguous == "lampung-utara-dua-kali" for f in utara)
    assert not any(f.subregion.name == "Pesawaran" for f in s.subregions)
    assert any(n.id == "lampung-utara-dua-kali" and n.kind == "problem" for n in s.notes)


def test_source_spellings_resolve_to_one_subregion(lampung):
    s = snap(lampung, "2024-09-24")
    names = {f.stated_name: f.subregion.name for f in s.subregions}
    assert names["Tulangbawang"] == "Tulang Bawang"
    assert names["Tulangbawang Barat"] == "Tulang Bawang Barat"
    assert names["Kota Metro"] == "Kota Metro"


def test_a_ranking_without_values_is_stored_as_a_ranking(lampung):
    s = snap(lampung, "2025-08-13")
    assert s.subregions == ()
    first, second = s.rankings
    assert [x.name for x in first.highest] == ["Kota Metro", "Lampung Selatan"]
    assert [x.name for x in first.lowest] == ["Kota Bandar Lampung"]
    assert [x.publisher for x in second.sources] == ["Radar Lampung", "Berdikari.co"]
    assert [x.name for x in second.lowest] == ["Pesisir Barat"]


def test_targets_are_recorded_per_snapshot_as_restated(lampung):
    assert snap(lampung, "2024-09-24").target(2025).participants.value == 1174328
    assert snap(lampung, "2025-12-08").target(2025).participants.value == 1149447
    assert [t.year for t in snap(lampung, "2025-12-08").targets] == [2025, 2026, 2030]


def test_the_model_is_frozen(lampung):
    with pytest.raises(dataclasses.FrozenInstanceError):
        lampung.name = "x"


def test_a_second_synthetic_province_with_bps_codes_loads():
    region = load_dataset(FIXTURES / "data").regions[0]
    assert region.code_system == "bps"
    assert [s.code for s in region.subregions] == ["9901", "9902", "9903", "9971"]
    first = region.snapshots[0]
    assert {f.stated_name: f.subregion.name for f in first.subregions}["Tengah"] == "Kabupaten Tengah Raya"


def test_several_regions_in_one_data_folder(tmp_path):
    import shutil

    shutil.copytree(REPO / "data" / "lampung", tmp_path / "lampung")
    shutil.copytree(FIXTURES / "data" / "contoh", tmp_path / "contoh")
    dataset = load_dataset(tmp_path)
    assert isinstance(dataset, Dataset)
    assert [r.slug for r in dataset.regions] == ["contoh", "lampung"]
    assert dataset.snapshot_count == 6

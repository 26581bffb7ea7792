"""`cakupan new`: the next snapshot starts as the latest one's shape, to be filled in."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
import yaml

from conftest import FIXTURES, REPO
from generator.commands.cli import main
from generator.errors import DataError
from generator.data.dataset import load_dataset
from generator.commands.new import new_snapshot

# a line the editor fills in: "  key:  # isi: what (sebelumnya: previous value)"
BLANK = re.compile(r"^(\s*[a-z_]+):  # isi: .*\(sebelumnya: (.*)\)$")


@pytest.fixture
def data(tmp_path) -> Path:
    shutil.copytree(FIXTURES / "data", tmp_path / "data")
    return tmp_path / "data"


def fill_with_previous(text: str) -> str:
    """What an editor does, here with the old values: put a value where each comment asks for one."""
    return "\n".join(BLANK.sub(r"\1: \2", line) for line in text.splitlines()) + "\n"


def test_new_writes_the_latest_snapshots_shape_with_empty_figures(data):
    path = new_snapshot(data, "contoh", "2025-01-31")
    assert path == data / "contoh" / "2025-01-31.yaml"
    text = path.read_text(encoding="utf-8")
    assert "dari 2024-07-31.yaml" in text.splitlines()[1]  # (after the schema line: test_new_names_the_schema)
    assert "\ndate: 2025-01-31\n" in text
    assert "  - id: buletin\n    publisher: Buletin Contoh\n" in text
    assert "\ncoverage:  # isi: cakupan dalam persen, mis. 24.86 (sebelumnya: 21.43)\n" in text
    assert "\nparticipants:  # isi: jumlah peserta terdaftar, mis. 731991 (sebelumnya: 150000)\n" in text
    assert "(sebelumnya: {value: 700000, rounded_to: 100000, stated: '0,7 juta'})" in text
    assert "  - year: 2024\n    coverage:  # isi: target cakupan dalam persen (sebelumnya: 25.0)\n" in text
    assert "    participants:  # isi: target dalam jumlah peserta (sebelumnya: 175000)\n" in text
    assert "  - name: Kota Pelabuhan\n    coverage:  # isi: cakupan dalam persen (sebelumnya: 33.0)\n" in text
    assert "  - name: Kabupaten Hulu\n" in text
    # the notes describe one day's sources: kept only as comments
    assert "# notes:\n#   - id: daftar-parsial\n" in text
    assert "\nnotes:" not in text
    # every figure is empty: a YAML null, which validate refuses
    parsed = yaml.safe_load(text)
    assert parsed["coverage"] is None and parsed["targets"][1] == {"year": 2025, "coverage": None}
    assert parsed["subregions"] == [{"name": "Kota Pelabuhan", "coverage": None},
                                    {"name": "Kabupaten Hulu", "coverage": None}]


def test_new_names_the_schema_for_editors_on_its_first_line(data):
    path = new_snapshot(data, "contoh", "2025-01-31")
    first = path.read_text(encoding="utf-8").splitlines()[0]
    prefix = "# yaml-language-server: $schema="
    assert first.startswith(prefix)
    ref = first[len(prefix):]
    assert not ref.startswith(("/", "file:"))  # relative: it stays right when the folder moves with the package
    schema_file = (path.parent / ref).resolve()
    assert schema_file.name == "snapshot.schema.json"
    assert json.loads(schema_file.read_text(encoding="utf-8"))["$schema"].endswith("/draft/2020-12/schema")


def test_an_unfilled_snapshot_fails_validation_naming_each_empty_figure(data):
    new_snapshot(data, "contoh", "2025-01-31")
    with pytest.raises(DataError) as error:
        load_dataset(data)
    message = str(error.value)
    assert "2025-01-31.yaml:" in message
    assert "coverage: is empty (a number expected)" in message
    assert "subregions[0].coverage: is empty (a number expected)" in message


def test_a_filled_in_snapshot_validates(data):
    path = new_snapshot(data, "contoh", "2025-01-31")
    path.write_text(fill_with_previous(path.read_text(encoding="utf-8")), encoding="utf-8")
    region = load_dataset(data).regions[0]
    latest = region.latest
    assert str(latest.date) == "2025-01-31"
    assert latest.coverage.value == 21.43 and latest.workforce.stated == "0,7 juta"
    assert [t.year for t in latest.targets] == [2024, 2025]
    assert [s.subregion.name for s in latest.subregions] == ["Kota Pelabuhan", "Kabupaten Hulu"]


def test_the_real_data_gives_a_snapshot_that_validates_once_filled(tmp_path):
    data = tmp_path / "data"
    shutil.copytree(REPO / "data", data)
    path = new_snapshot(data, "lampung", "2026-01-31")
    text = path.read_text(encoding="utf-8")
    assert "(sebelumnya: {value: 38.39, source: metropolis})" in text
    assert "# rankings:\n#   - sources: [radar]\n" in text
    path.write_text(fill_with_previous(text), encoding="utf-8")
    assert load_dataset(data).regions[0].latest.coverage.value == 25.27


def test_a_name_the_source_gave_twice_is_written_once(tmp_path):
    data = tmp_path / "data"
    shutil.copytree(REPO / "data", data)
    for later in ("2025-08-13", "2025-12-08"):
        (data / "lampung" / f"{later}.yaml").unlink()
    text = new_snapshot(data, "lampung", "2025-01-31").read_text(encoding="utf-8")
    assert text.count("  - name: Lampung Utara\n") == 1
    assert "ambiguous" not in text.split("# catatan")[0]


def test_new_takes_a_month_when_the_source_gives_no_day(data):
    path = new_snapshot(data, "contoh", "2024-08")
    assert path == data / "contoh" / "2024-08.yaml"
    assert "\ndate: 2024-08\n" in path.read_text(encoding="utf-8")
    # and the next one starts from it: the month sorts after the day snapshots before it
    assert "dari 2024-08.yaml" in new_snapshot(data, "contoh", "2024-09-30").read_text(encoding="utf-8").splitlines()[1]


@pytest.mark.parametrize("region, date, message", [
    ("jawa-barat", "2025-01-31", 'unknown region "jawa-barat" in '),
    ("../contoh", "2025-01-31", 'unknown region "../contoh"'),
    ("contoh", "2025-02-30", '"2025-02-30" is not a real date (YYYY-MM-DD expected'),
    ("contoh", "31-01-2025", '"31-01-2025" is not a real date'),
    ("contoh", "2024-07-30", "2024-07-30 is not later than the latest snapshot, "),
    ("contoh", "2024-07-31", "2024-07-31.yaml already exists"),
    ("contoh", "2024-07", "2024-07 is not later than the latest snapshot, "),  # July holds the 31st
    ("contoh", "2025-13", '"2025-13" is not a real date'),
])
def test_new_refuses_with_a_clear_message_and_exit_2(data, capsys, region, date, message):
    files = sorted(data.rglob("*"))
    assert main(["new", region, date, "--data", str(data)]) == 2
    assert message in capsys.readouterr().err
    assert sorted(data.rglob("*")) == files


def test_new_says_what_to_do_next(data, capsys, monkeypatch):
    monkeypatch.chdir(data.parent)
    assert main(["new", "contoh", "2025-01-31"]) == 0
    assert capsys.readouterr().out == ("wrote data/contoh/2025-01-31.yaml: fill in the figures, "
                                       "then run cakupan validate\n")
    assert main(["validate"]) == 2  # as promised: unfilled, it does not validate


def test_new_has_help(capsys):
    with pytest.raises(SystemExit) as exit:
        main(["new", "--help"])
    assert exit.value.code == 0
    assert "REGION" in capsys.readouterr().out

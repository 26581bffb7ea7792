"""Every kind of bad input in tests/bad-data gives its exact message and exit status 2."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.commands.cli import main

CASES = sorted(p for p in (Path(__file__).parent / "bad-data").iterdir() if p.is_dir())


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_bad_data_is_reported_with_file_line_and_key(case, capsys, monkeypatch):
    monkeypatch.chdir(case)  # messages name paths relative to where the command runs
    assert main(["validate", "."]) == 2
    err = capsys.readouterr().err.splitlines()
    expected = (case / "expected.txt").read_text(encoding="utf-8").splitlines()
    assert err[0] == f"cakupan: {len(expected)} problem{'s' if len(expected) > 1 else ''} in the data:"
    assert err[1:] == expected


def test_there_is_a_case_for_every_kind_of_problem():
    names = {c.name for c in CASES}
    for kind in ("invalid-yaml", "wrong-type", "unknown-key", "missing-key", "duplicate-subregion",
                 "duplicate-code", "unknown-subregion", "percent-range", "participants-above-workforce",
                 "coverage-mismatch", "bad-date", "same-date", "target-without-year"):
        assert kind in names


def test_a_bad_build_leaves_the_previous_site_untouched(tmp_path, capsys):
    out = tmp_path / "site"
    out.mkdir()
    (out / "index.html").write_text("previous site", encoding="utf-8")
    case = Path(__file__).parent / "bad-data" / "coverage-mismatch"
    assert main(["build", "--data", str(case), "--out", str(out)]) == 2
    assert "disagrees with participants / workforce" in capsys.readouterr().err
    assert [p.name for p in out.iterdir()] == ["index.html"]
    assert (out / "index.html").read_text(encoding="utf-8") == "previous site"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]  # no half-written folder left beside it

"""The command line: output, help and exit codes."""

from __future__ import annotations

import subprocess
import sys

import pytest

from generator.commands.cli import main
from conftest import FIXTURES, REPO


def test_validate_summarises_the_real_data(capsys, monkeypatch):
    monkeypatch.chdir(REPO)
    assert main(["validate", "data"]) == 0
    out = capsys.readouterr().out
    assert out.splitlines()[-1] == "OK: 1 region, 4 snapshots, 15 sub-regions, 8 data notes"
    assert "lampung: Lampung, 4 snapshots (2023-12-31 to 2025-12-08), 15 sub-regions" in out
    assert "note 2024-09-24 lampung-utara-dua-kali:" in out


def test_validate_defaults_to_the_data_folder(capsys, monkeypatch):
    monkeypatch.chdir(REPO)
    assert main(["validate"]) == 0


def test_a_missing_data_folder_is_a_clear_error(capsys, tmp_path):
    assert main(["validate", str(tmp_path / "nothing")]) == 2
    assert "is not a folder" in capsys.readouterr().err


@pytest.mark.parametrize("argv", [["--help"], ["validate", "--help"], ["build", "--help"]])
def test_every_command_has_help(argv, capsys):
    with pytest.raises(SystemExit) as exit:
        main(argv)
    assert exit.value.code == 0
    assert "usage: cakupan" in capsys.readouterr().out


def test_build_options_are_documented_in_help(capsys):
    with pytest.raises(SystemExit):
        main(["build", "--help"])
    out = capsys.readouterr().out
    for option in ("--data", "--out", "--content", "--templates", "--base-url"):
        assert option in out


def test_an_unknown_command_exits_2(capsys):
    with pytest.raises(SystemExit) as exit:
        main(["publish"])
    assert exit.value.code == 2


def test_a_bad_base_url_is_refused(capsys, tmp_path):
    code = main(["build", "--data", str(FIXTURES / "data"), "--out", str(tmp_path / "site"),
                 "--content", str(REPO / "content"), "--templates", str(REPO / "templates"), "--base-url", "example.org"])
    assert code == 2
    assert "absolute http(s) address expected" in capsys.readouterr().err
    assert not (tmp_path / "site").exists()


def test_a_template_error_names_the_template_and_leaves_no_site(tmp_path, capsys):
    import shutil

    templates = tmp_path / "templates"
    shutil.copytree(REPO / "templates", templates)
    page = templates / "page.html"
    page.write_text(page.read_text(encoding="utf-8").replace("{{ page.title }}</h1>", "{{ page.titel }}</h1>"),
                    encoding="utf-8")
    code = main(["build", "--data", str(FIXTURES / "data"), "--out", str(tmp_path / "site"),
                 "--content", str(REPO / "content"), "--templates", str(templates)])
    assert code == 2
    err = capsys.readouterr().err
    assert "page.html" in err and "titel" in err
    assert not (tmp_path / "site").exists()


def test_the_console_script_runs_as_a_module():
    result = subprocess.run([sys.executable, "-m", "generator.commands.cli", "validate", str(FIXTURES / "data")],
                            capture_output=True, text=True, cwd=REPO)
    assert result.returncode == 0, result.stderr
    assert "OK: 1 region, 2 snapshots, 4 sub-regions, 1 data notes" in result.stdout


def test_debug_shows_the_traceback(tmp_path):
    result = subprocess.run([sys.executable, "-m", "generator.commands.cli", "--debug", "validate", str(tmp_path / "x")],
                            capture_output=True, text=True, cwd=REPO)
    assert result.returncode != 0
    assert "Traceback" in result.stderr

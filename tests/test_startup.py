"""Ctrl-C at any moment of `cakupan`'s start-up: one line and exit code 130, never a traceback."""

from __future__ import annotations

import ast
import os
import signal
import subprocess
import sys
import time
import tomllib

import pytest

from conftest import FIXTURES, REPO
from generator.commands import entry

# What the console script pip writes for `cakupan` does, once Python has started: import the entry
# point, then call it. "R" on stdout marks the moment the entry point has started importing the cli
# (from then on it is in charge of an interrupt); the signal comes `delay` seconds later.
CHILD = """\
import os, sys
from generator.commands.entry import main


class Mark:
    def find_spec(self, name, path=None, target=None):
        if name == "generator.commands.cli":
            os.write(1, b"R")
        return None


sys.meta_path.insert(0, Mark())
sys.exit(main())
"""


def interrupted(args: list[str], delay: float) -> tuple[int, str]:
    """Start `cakupan args` as its console script does, send SIGINT `delay` seconds after the entry
    point started, and return the exit code and stderr."""
    child = subprocess.Popen([sys.executable, "-c", CHILD, *args], cwd=REPO, stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, env={**os.environ, "PYTHONPATH": str(REPO)})
    assert child.stdout.read(1) == b"R"
    if delay:
        time.sleep(delay)
    child.send_signal(signal.SIGINT)
    _, err = child.communicate(timeout=30)
    return child.returncode, err.decode("utf-8", "replace")


def test_the_console_script_starts_at_the_entry_point_which_imports_nothing_first():
    scripts = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]["scripts"]
    assert scripts == {"cakupan": "generator.commands.entry:main"}
    tree = ast.parse((REPO / "generator" / "commands" / "entry.py").read_text(encoding="utf-8"))
    imported = [alias.name for node in tree.body if isinstance(node, (ast.Import, ast.ImportFrom))
                for alias in node.names]
    assert imported == ["sys"]  # (built into the interpreter: nothing to find, read or run)


def whole_run(args: list[str]) -> float:
    """Seconds from the mark to the end of an uninterrupted run (how long start-up lasts here)."""
    child = subprocess.Popen([sys.executable, "-c", CHILD, *args], cwd=REPO, stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, env={**os.environ, "PYTHONPATH": str(REPO)})
    assert child.stdout.read(1) == b"R"
    start = time.monotonic()
    child.communicate(timeout=30)
    return time.monotonic() - start


@pytest.mark.parametrize("args, fractions", [
    (["--help"], [0, 0.05, 0.2, 0.5] * 2),  # while the cli and argparse are imported
    (["validate", str(FIXTURES / "data")], [0.1, 0.3, 0.5, 0.7]),  # while the data stage is imported and runs
])
def test_ctrl_c_early_in_start_up_is_one_line_and_exit_130(args, fractions):
    # the signal comes at these fractions of an uninterrupted run on this machine, busy or not
    length = min(whole_run(args) for _ in range(2))
    seen = set()
    for delay in (fraction * length for fraction in fractions):
        code, err = interrupted(args, delay)
        assert "Traceback" not in err and "Exception ignored" not in err, (delay, err)
        # 0: it finished before the signal came; -SIGINT: it came as Python was ending the process, once
        # it had put Ctrl-C's default back (nothing is printed, and a shell reports 130)
        assert code in (0, 130) or (code, err) == (-signal.SIGINT, ""), (delay, code, err)
        if code == 130:
            assert err.strip().splitlines()[-1].startswith("cakupan: interrupted"), err
        seen.add(code)
    assert 130 in seen  # (the signal did come during start-up at least once)


def test_the_entry_point_returns_what_the_cli_returns_and_130_on_an_interrupt(monkeypatch, capsys):
    assert entry.main(["validate", str(FIXTURES / "data")]) == 0
    import generator.commands.cli as cli

    def ctrl_c(argv):
        raise KeyboardInterrupt

    monkeypatch.setattr(cli, "main", ctrl_c)
    assert entry.main(["--help"]) == 130
    assert capsys.readouterr().err == "cakupan: interrupted\n"


def test_python_m_runs_the_cli_and_the_entry_point():
    for module in ("generator.commands.cli", "generator.commands.entry"):
        done = subprocess.run([sys.executable, "-m", module, "--version"], cwd=REPO, capture_output=True,
                              text=True, timeout=60)
        assert (done.returncode, done.stdout.strip()) == (0, "cakupan 0.1.0"), done.stderr

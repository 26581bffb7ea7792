"""The input walker and the rebuild key on what no editor makes but a pull request can: names that
are not UTF-8, and folders nested past Python's recursion limit.

Each was an "unexpected error" (exit 1) from `cakupan build` with its cache, and in `cakupan serve`
a build error no page could show (issue #18)."""

from __future__ import annotations

import hashlib
import io
import os
import shutil
import sys
from pathlib import Path

from conftest import FIXTURES, REPO
from generator.commands import watch
from generator.commands.cli import main
from generator.commands.serve import Preview
from generator.data import inputs
from generator.publish import rebuild
from test_serve import SNAPSHOT, get, next_build, project, state

NOT_UTF8 = os.fsdecode(b"\xff.yaml")


def test_a_name_that_is_not_utf8_is_exit_2_naming_it_with_the_cache_too(tmp_path, monkeypatch):
    for name in ("data", "content", "templates"):
        shutil.copytree((FIXTURES if name == "data" else REPO) / name, tmp_path / name)
    (tmp_path / "data" / "contoh" / NOT_UTF8).write_text("x: 1\n", encoding="utf-8")
    monkeypatch.setenv("CAKUPAN_CACHE_DIR", str(tmp_path / "cache"))  # (the key is made only with a cache)
    stderr = io.TextIOWrapper(io.BytesIO(), encoding="utf-8", errors="backslashreplace")  # as Python's own
    monkeypatch.setattr(sys, "stderr", stderr)
    code = main(["build", "--data", str(tmp_path / "data"), "--content", str(tmp_path / "content"),
                 "--templates", str(tmp_path / "templates"), "--out", str(tmp_path / "site")])
    stderr.flush()
    said = stderr.buffer.getvalue()
    assert code == 2 and b"\\udcff.yaml: is not read" in said and b"unexpected" not in said, said
    assert not (tmp_path / "site").exists()


def test_the_preview_shows_an_error_naming_a_file_that_is_not_utf8(tmp_path):
    settings = project(tmp_path)
    running = Preview(settings, port=0, interval=0.2, quiet=True)
    running.start()
    try:
        before = state(running)["version"]
        (settings.data / SNAPSHOT.parent / NOT_UTF8).write_text("x: 1\n", encoding="utf-8")
        broken = next_build(running, before)
        assert "\\udcff.yaml: is not read" in broken["error"] and "unexpected" not in broken["error"]
        status, page = get(running.url + "contoh/index.html")  # the last good build, the error over it
        assert status == 200 and "cakupan-build-error" in page and "\\udcff.yaml" in page
    finally:
        running.stop()


def test_folders_nested_past_the_recursion_limit_are_walked_keyed_and_watched(tmp_path):
    top = deepest = str(tmp_path / "data")
    os.mkdir(deepest)
    try:
        for _ in range(sys.getrecursionlimit() + 100):  # (os.makedirs and shutil.rmtree recurse)
            deepest += "/a"
            os.mkdir(deepest)
        found = list(inputs.walk(Path(top)))
        assert [entry.kind for entry in found] == ["folder"] * (sys.getrecursionlimit() + 100)
        rebuild._tree(Path(top), hashlib.sha256())
        assert len(watch.look((Path(top),))) == len(found)
    finally:
        while len(deepest) >= len(top):  # (deepest first, without recursion)
            os.rmdir(deepest)
            deepest = os.path.dirname(deepest)

"""Kept reports carried into a rebuild (issue #17): moved whole at the swap, and moved back if it fails.

A rebuild keeps every dated report whose key is unchanged. Its files are not
linked into the fresh folder one by one: at the swap, a folder of the previous
site holding only kept files moves in whole (carry.carry_in). These tests
edit a content page, so that the inputs change and every report is kept, and
check that the result is what a build without a previous site makes, that a
folder really moved, that nothing else comes along with it, and that a failure
while carrying or swapping leaves the previous site byte for byte.
"""

from __future__ import annotations

import errno
import os
import shutil
from pathlib import Path

import pytest

from generator.commands.build import Settings, build
from generator.errors import CakupanError
from generator.publish import carry, write
from conftest import FIXTURES, REPO

REPORT = Path("contoh") / "arsip" / "2024-01-31"  # a dated report of the fixture data, kept by each rebuild


def tree(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


@pytest.fixture
def built(tmp_path, monkeypatch) -> Settings:
    """A site built once with the build cache, from a content folder of its own (edited by the tests)."""
    monkeypatch.setenv("CAKUPAN_CACHE_DIR", str(tmp_path / "cache"))
    shutil.copytree(REPO / "content", tmp_path / "content")
    settings = Settings(data=FIXTURES / "data", out=tmp_path / "site", content=tmp_path / "content",
                        templates=REPO / "templates")
    build(settings)
    return settings


def edit_content(settings: Settings) -> None:
    page = settings.content / "tentang.md"
    page.write_text(page.read_text(encoding="utf-8") + "\nSatu kalimat baru.\n", encoding="utf-8")


def leftovers(settings: Settings) -> list[str]:
    """Folders a build left beside the output (its stage), other than the removers' (swept later)."""
    return sorted(p.name for p in settings.out.parent.iterdir() if p.name.startswith(".site.new-"))


def test_a_rebuild_moves_a_kept_reports_folder_in_and_makes_what_a_deploy_makes(built, tmp_path):
    folder = os.stat(built.out / REPORT).st_ino
    page = os.stat(built.out / REPORT / "index.html").st_ino
    edit_content(built)
    summary = build(built)
    assert summary.reports_kept > 0 and not summary.unchanged
    assert os.stat(built.out / REPORT).st_ino == folder  # the folder itself: moved, not made and filled
    assert os.stat(built.out / REPORT / "index.html").st_ino == page
    assert "Satu kalimat baru." in (built.out / "tentang" / "index.html").read_text(encoding="utf-8")
    deploy = build(Settings(data=built.data, out=tmp_path / "deploy", content=built.content,
                            templates=built.templates))  # (every report from the build cache)
    assert deploy.reports_cached == summary.reports_kept
    assert tree(built.out) == tree(tmp_path / "deploy")
    assert leftovers(built) == []


def test_a_file_the_site_does_not_hold_is_not_carried_with_its_folder(built):
    (built.out / REPORT / "catatan-pribadi.txt").write_text("bukan bagian situs", encoding="utf-8")
    before = tree(built.out)
    edit_content(built)
    summary = build(built)
    assert summary.reports_kept > 0
    assert not (built.out / REPORT / "catatan-pribadi.txt").exists()
    for path, data in before.items():  # the report's own files are all there, as they were
        if path.startswith(REPORT.as_posix() + "/") and not path.endswith(".txt"):
            assert (built.out / path).read_bytes() == data


def test_a_file_put_deep_in_a_kept_report_stays_behind_and_no_folder_is_listed(built, monkeypatch):
    first, second = sorted(p for p in (built.out / REPORT).iterdir() if p.is_dir())[:2]  # regencies' pages
    (first / "catatan-pribadi.txt").write_text("bukan bagian situs", encoding="utf-8")
    other = os.stat(second).st_ino
    edit_content(built)
    real, listed = os.listdir, []

    def listdir(path="."):
        if str(path).startswith(str(built.out) + "/"):  # (a folder in the site, not the site itself)
            listed.append(path)
        return real(path)

    monkeypatch.setattr(carry.os, "listdir", listdir)  # (the record says what each folder held)
    summary = build(built)
    assert summary.reports_kept > 0 and listed == []
    assert not (built.out / first.relative_to(built.out) / "catatan-pribadi.txt").exists()
    assert (built.out / first.relative_to(built.out) / "index.html").is_file()  # linked, with its report
    assert os.stat(built.out / second.relative_to(built.out)).st_ino == other  # its sibling: moved whole


def test_a_failed_swap_moves_every_carried_folder_back(built, monkeypatch):
    before = tree(built.out)
    edit_content(built)

    def fail(fresh, out_dir):
        assert (Path(fresh) / REPORT / "index.html").is_file()  # (the report was carried in when it failed)
        raise OSError(errno.EIO, "Input/output error")

    monkeypatch.setattr(write, "_swap_in", fail)
    with pytest.raises(CakupanError, match="the previous site is unchanged"):
        build(built)
    assert tree(built.out) == before
    assert leftovers(built) == []


def test_a_move_that_fails_halfway_through_carrying_moves_the_others_back(built, monkeypatch):
    before = tree(built.out)
    edit_content(built)
    real, moves = os.rename, []

    def rename(source, target):
        moves.append(source)
        if len(moves) == 3:
            raise OSError(errno.ENOSPC, "No space left on device")
        return real(source, target)

    monkeypatch.setattr(write.os, "rename", rename)
    with pytest.raises(CakupanError):
        build(built)
    assert len(moves) > 3  # two folders moved before the failure, and moved back
    monkeypatch.setattr(write.os, "rename", real)
    assert tree(built.out) == before
    assert leftovers(built) == []
    again = build(built)  # (the record of the previous site went before the swap: its reports from the cache)
    assert again.reports_kept + again.reports_cached > 0 and "Satu kalimat baru." in (
        built.out / "tentang" / "index.html").read_text(encoding="utf-8")

"""Nothing lost: a build that fails at any point leaves the previous site byte for byte.

Each test starts from a previous site on disk, breaks the build at one step
(bad data, a page that fails to render, a chart that fails to draw, a full
disk after N files, Ctrl-C, the swap itself) and checks that the output folder
is exactly as it was and that no temporary folder is left beside it.
"""

from __future__ import annotations

import errno
import os
import shutil
import signal
from pathlib import Path

import pytest

from generator.commands import build as build_module
from generator.charts import draw
from generator.site import render
from generator.publish import reports, write
from generator.commands.build import Settings, build
from generator.commands.cli import main
from generator.errors import CakupanError, DataError, UsageError
from generator.publish.write import Output, write_site
from conftest import FIXTURES, REPO

SVG = '<svg xmlns="http://www.w3.org/2000/svg" width="40" height="20"></svg>'


def tree(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


@pytest.fixture(autouse=True)
def quick_charts(monkeypatch):
    """Charts drawn as stubs: these tests are about the files, not the pictures."""
    monkeypatch.setattr(draw, "render_svg", lambda spec: SVG)
    monkeypatch.setattr(draw, "render_png", lambda spec: b"\x89PNG stub")


@pytest.fixture
def previous(tmp_path) -> tuple[Path, dict[str, bytes]]:
    """A previous site in tmp_path/site, and its bytes."""
    out = tmp_path / "site"
    (out / "lampung" / "kota-metro").mkdir(parents=True)
    (out / "index.html").write_text("<!doctype html><title>previous</title>", encoding="utf-8")
    (out / "lampung" / "index.html").write_text("previous report", encoding="utf-8")
    (out / "lampung" / "kota-metro" / "index.html").write_text("previous regency", encoding="utf-8")
    (out / "assets").mkdir()
    (out / "assets" / "vega.js").write_bytes(os.urandom(2048))
    return out, tree(out)


def settings(out: Path, data: Path = FIXTURES / "data") -> Settings:
    return Settings(data=data, out=out, content=REPO / "content", templates=REPO / "templates")


def assert_untouched(out: Path, before: dict[str, bytes]) -> None:
    assert tree(out) == before
    assert sorted(p.name for p in out.parent.iterdir()) == [out.name], "a temporary folder was left beside the site"


def fail_on_call(n: int, exc: BaseException, real):
    """A stand-in for `real` that raises exc on its n-th call (counting from 1)."""
    calls = []

    def stand_in(*args, **kwargs):
        calls.append(1)
        if len(calls) == n:
            raise exc
        return real(*args, **kwargs)

    stand_in.calls = calls
    return stand_in


# --------------------------------------------------------------------------- failures before the write


def test_bad_data_leaves_the_previous_site(previous, tmp_path):
    out, before = previous
    data = tmp_path / "data"
    shutil.copytree(FIXTURES / "data", data)
    path = data / "contoh" / "2024-07-31.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("coverage: 21.43", "coverage: 121.43"), encoding="utf-8")
    with pytest.raises(DataError, match="percentage from 0 to 100"):
        build(settings(out, data))
    shutil.rmtree(data)
    assert_untouched(out, before)


@pytest.mark.parametrize("n", [1, 5])
def test_a_page_that_fails_to_render_leaves_the_previous_site(previous, monkeypatch, n):
    out, before = previous
    monkeypatch.setattr(render, "render", fail_on_call(n, RuntimeError("template blew up"), render.render))
    with pytest.raises(RuntimeError, match="template blew up"):
        build(settings(out))
    assert_untouched(out, before)


@pytest.mark.parametrize("n", [1, 3])
def test_a_chart_that_fails_to_draw_leaves_the_previous_site(previous, monkeypatch, n):
    out, before = previous
    monkeypatch.setattr(draw, "render_svg", fail_on_call(n, ValueError("vl-convert failed"), lambda spec: SVG))
    with pytest.raises(ValueError, match="vl-convert failed"):
        build(settings(out))
    assert_untouched(out, before)


def test_ctrl_c_while_rendering_leaves_the_previous_site(previous, monkeypatch):
    out, before = previous
    monkeypatch.setattr(render, "render", fail_on_call(4, KeyboardInterrupt(), render.render))
    with pytest.raises(KeyboardInterrupt):
        build(settings(out))
    assert_untouched(out, before)


# --------------------------------------------------------------------------- failures while writing


@pytest.fixture
def output() -> Output:
    site = Output()
    site.add("index.html", "<!doctype html><title>new</title>")
    for i in range(30):
        site.add(f"lampung/daerah-{i}/index.html", f"new page {i}")
    site.add("assets/site.js", b"// new")
    return site


@pytest.mark.parametrize("after", [0, 1, 17, 31])
def test_a_full_disk_after_n_files_leaves_the_previous_site(previous, output, monkeypatch, after):
    out, before = previous
    full = OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
    monkeypatch.setattr(write, "_write_file", fail_on_call(after + 1, full, write._write_file))
    with pytest.raises(CakupanError, match="No space left on device.*previous site is unchanged") as caught:
        write_site(output, out)
    assert caught.value.__cause__ is full
    assert_untouched(out, before)


def test_a_full_disk_during_a_real_build_is_reported_not_a_crash(previous, monkeypatch, capsys):
    out, before = previous
    full = OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
    monkeypatch.setattr(write, "_write_file", fail_on_call(40, full, write._write_file))
    code = main(["build", "--data", str(FIXTURES / "data"), "--out", str(out),
                 "--content", str(REPO / "content"), "--templates", str(REPO / "templates")])
    assert code == 1
    err = capsys.readouterr().err
    assert "No space left on device" in err and "previous site is unchanged" in err and "unexpected" not in err
    assert_untouched(out, before)


def test_ctrl_c_while_writing_leaves_the_previous_site(previous, output, monkeypatch):
    out, before = previous
    monkeypatch.setattr(write, "_write_file", fail_on_call(10, KeyboardInterrupt(), write._write_file))
    with pytest.raises(KeyboardInterrupt):
        write_site(output, out)
    assert_untouched(out, before)


# --------------------------------------------------------------------------- failures at the swap


def test_a_failed_swap_leaves_the_previous_site(previous, output, monkeypatch):
    out, before = previous
    monkeypatch.setattr(write, "_exchange", fail_on_call(1, OSError(errno.EIO, "I/O error"), write._exchange))
    with pytest.raises(CakupanError, match="I/O error"):
        write_site(output, out)
    assert_untouched(out, before)


@pytest.mark.parametrize("failure", [OSError(errno.EACCES, "Permission denied"), KeyboardInterrupt()])
def test_without_an_atomic_exchange_a_failed_move_puts_the_previous_site_back(previous, output, monkeypatch,
                                                                               failure):
    """Where the system cannot swap in one step, the old folder goes aside and comes back on failure."""
    out, before = previous
    monkeypatch.setattr(write, "_exchange", lambda a, b: False)
    monkeypatch.setattr(os, "rename", fail_on_call(2, failure, os.rename))  # 1: old aside, 2: new in
    with pytest.raises((CakupanError, KeyboardInterrupt)):
        write_site(output, out)
    assert_untouched(out, before)


@pytest.mark.parametrize("atomic", [True, False], ids=["exchange", "two-renames"])
def test_ctrl_c_in_the_middle_of_the_swap_waits_for_the_swap_to_finish(previous, output, monkeypatch, atomic):
    """A real SIGINT between the two renames: held back until the new site is in place, then raised."""
    out, _ = previous
    if not atomic:
        monkeypatch.setattr(write, "_exchange", lambda a, b: False)
    real_rename, real_exchange = os.rename, write._exchange

    def rename_then_interrupt(a, b):
        real_rename(a, b)
        signal.raise_signal(signal.SIGINT)

    def exchange_then_interrupt(a, b):
        done = real_exchange(a, b)
        signal.raise_signal(signal.SIGINT)
        return done

    monkeypatch.setattr(os, "rename", rename_then_interrupt)
    if atomic:
        monkeypatch.setattr(write, "_exchange", exchange_then_interrupt)
    with pytest.raises(KeyboardInterrupt):
        write_site(output, out)
    assert tree(out) == output.files
    assert sorted(p.name for p in out.parent.iterdir()) == ["site"]
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler


# --------------------------------------------------------------------------- success, and what is never replaced


@pytest.mark.parametrize("atomic", [True, False], ids=["exchange", "two-renames"])
def test_a_good_write_replaces_the_whole_previous_site(previous, output, monkeypatch, atomic):
    out, _ = previous
    if not atomic:
        monkeypatch.setattr(write, "_exchange", lambda a, b: False)
    write_site(output, out)
    assert tree(out) == output.files  # nothing of the previous site is left over
    assert sorted(p.name for p in out.parent.iterdir()) == ["site"]
    assert out.stat().st_mode & 0o777 == 0o755


def test_a_good_build_into_a_new_folder(tmp_path):
    out = tmp_path / "deep" / "site"
    summary = build(settings(out))
    assert (out / "index.html").is_file() and summary.files == len(tree(out))
    assert sorted(p.name for p in out.parent.iterdir()) == ["site"]


def test_a_file_in_the_way_is_not_replaced(tmp_path, output):
    out = tmp_path / "site"
    out.write_text("my notes", encoding="utf-8")
    with pytest.raises(UsageError, match="not a folder"):
        write_site(output, out)
    assert out.read_text(encoding="utf-8") == "my notes"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]


def test_a_folder_that_is_not_a_site_is_not_replaced(tmp_path, output):
    """`--out data` or `--out ~` by mistake must not delete the folder."""
    out = tmp_path / "data"
    (out / "lampung").mkdir(parents=True)
    (out / "lampung" / "region.yaml").write_text("name: Lampung\n", encoding="utf-8")
    before = tree(out)
    with pytest.raises(UsageError, match="is not a site"):
        write_site(output, out)
    assert_untouched(out, before)


def test_the_working_folder_is_not_replaced(tmp_path, output, monkeypatch):
    site = tmp_path / "site"
    (site / "sub").mkdir(parents=True)
    (site / "index.html").write_text("previous", encoding="utf-8")
    monkeypatch.chdir(site / "sub")
    with pytest.raises(UsageError, match="holds the working folder"):
        write_site(output, site)
    assert (site / "index.html").read_text(encoding="utf-8") == "previous"


def test_an_empty_folder_is_filled(tmp_path, output):
    out = tmp_path / "site"
    out.mkdir()
    write_site(output, out)
    assert tree(out) == output.files


def test_paths_outside_the_site_are_refused():
    site = Output()
    for path in ("../x.html", "/etc/passwd", "a/../../x", "a\\..\\x", ""):
        with pytest.raises(CakupanError):
            site.add(path, "x")
    site.add("a/index.html", "x")
    with pytest.raises(CakupanError, match="same path"):
        site.add("a/index.html", "y")


def test_the_build_module_writes_only_through_write_site(monkeypatch, tmp_path):
    """Every byte reaches the disk through write.py: a build that fails before it has written nothing."""
    seen = []
    monkeypatch.setattr(build_module, "write_site", lambda output, out, **how: seen.append(out))
    build(settings(tmp_path / "site"))
    assert seen == [tmp_path / "site"] and not (tmp_path / "site").exists()


def test_a_template_error_in_a_worker_process_leaves_the_previous_site(previous, tmp_path_factory, monkeypatch,
                                                                       capsys):
    """Dated reports made in worker processes (two regions, forced): an error there stops the build, with
    the same message as in one process, and the stage folder is removed."""
    out, before = previous
    inputs = tmp_path_factory.mktemp("inputs")
    shutil.copytree(FIXTURES / "data" / "contoh", inputs / "data" / "contoh")
    shutil.copytree(REPO / "data" / "lampung", inputs / "data" / "lampung", ignore=shutil.ignore_patterns("frozen"))
    shutil.copytree(REPO / "templates", inputs / "templates")
    page = inputs / "templates" / "change.html"  # (only dated reports have a change page)
    page.write_text(page.read_text(encoding="utf-8").replace("{% block main %}", "{% block main %}{{ nosuchthing.x }}", 1),
                    encoding="utf-8")
    monkeypatch.setattr(reports, "MIN_WORKERS", 0)
    monkeypatch.setenv("CAKUPAN_WORKERS", "2")
    code = main(["build", "--no-cache", "--data", str(inputs / "data"), "--out", str(out),
                 "--content", str(REPO / "content"), "--templates", str(inputs / "templates")])
    assert code == 2
    err = capsys.readouterr().err
    assert "change.html:" in err and "'nosuchthing' is undefined (while rendering " in err
    assert_untouched(out, before)


def test_a_rebuild_leaves_the_previous_site_to_a_remover_that_finishes(tmp_path):
    """The build returns once the new site is in place; a process of its own removes the previous
    one, and a build finds and removes any previous site such a process left."""
    import time

    out = tmp_path / "site"
    build(settings(out))
    (out / "index.html").write_text("edited by hand", encoding="utf-8")  # (so the rebuild is not skipped)
    build(settings(out))
    assert "edited by hand" not in (out / "index.html").read_text(encoding="utf-8")
    left = tmp_path / ".site.removed-left"  # as a killed remover would leave it
    (left / "site" / "deep").mkdir(parents=True)
    (left / "site" / "deep" / "index.html").write_text("old", encoding="utf-8")
    (out / "index.html").write_text("edited again", encoding="utf-8")
    build(settings(out))
    deadline = time.monotonic() + 30
    while sorted(p.name for p in tmp_path.iterdir()) != ["site"] and time.monotonic() < deadline:
        time.sleep(0.05)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]

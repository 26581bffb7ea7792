"""The build cache never changes a byte: a cached build is the cold build, a damaged entry is not trusted.

The synthetic province in tests/fixtures/data is built with the real content/
and templates/ and a base URL (so link-preview cards are drawn too): once
without the cache (the reference), once into an empty cache, once from the
filled cache, and once from a copy of it with damaged entries. Each cache is a
folder of its own (CAKUPAN_CACHE_DIR), never the user's.
"""

from __future__ import annotations

import io
import os
import shutil
from pathlib import Path

import pytest

from generator.publish import cache, progress, workers
from generator.charts import target
from generator.publish import reports as reports_module
from generator.commands.build import Settings, build
from generator.publish.archive import MANIFEST
from generator.commands.cli import main
from conftest import FIXTURES, REPO

BASE_URL = "https://contoh.github.io/cakupan/"


def tree(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def entries(cache_dir: Path) -> list[Path]:
    """The build cache's entries (not the records of sites built, generator/publish/rebuild.py)."""
    return sorted(p for p in (cache_dir / "build" / f"v{cache.FORMAT}").rglob("*") if p.is_file())


def settings(out: Path) -> Settings:
    return Settings(data=FIXTURES / "data", out=out, content=REPO / "content", templates=REPO / "templates",
                    base_url=BASE_URL)


@pytest.fixture(scope="module")
def cold(tmp_path_factory) -> tuple[dict[str, bytes], Path]:
    """The reference: `cakupan build --no-cache`, with an empty cache folder that it must leave empty."""
    root = tmp_path_factory.mktemp("cold")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("CAKUPAN_CACHE_DIR", str(root / "cache"))
        code = main(["build", "--no-cache", "--data", str(FIXTURES / "data"), "--out", str(root / "site"),
                     "--content", str(REPO / "content"), "--templates", str(REPO / "templates"),
                     "--base-url", BASE_URL])
    assert code == 0
    return tree(root / "site"), root / "cache"


@pytest.fixture(scope="module")
def filled(tmp_path_factory) -> tuple[dict[str, bytes], Path, int]:
    """A first build into an empty cache: (its files, the cache folder, what it found there)."""
    root = tmp_path_factory.mktemp("filled")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("CAKUPAN_CACHE_DIR", str(root / "cache"))
        summary = build(settings(root / "site"))
    return tree(root / "site"), root / "cache", summary.from_cache


def test_no_cache_neither_reads_nor_writes_the_cache(cold):
    _, cache_dir = cold
    assert not (cache_dir / "build").exists()


def test_a_build_into_an_empty_cache_is_the_cold_build(cold, filled):
    built, cache_dir, found = filled
    assert found == 0
    assert len(entries(cache_dir)) > 0
    assert built == cold[0]


def report_entries(cache_dir: Path) -> list[Path]:
    """The entries holding whole dated reports (generator/publish/reportcache.py)."""
    return [p for p in entries(cache_dir) if (cache._unpack(p.read_bytes()) or (b"",))[0].startswith(b'{"manifest"')]


def dated_reports(site: dict[str, bytes]) -> int:
    return sum(1 for path in site if "/arsip/" in path and path.endswith("/" + MANIFEST))


def test_a_deploy_from_the_cache_renders_no_dated_report_and_is_the_cold_build(cold, filled, tmp_path, monkeypatch,
                                                                               capsys):
    """What CI does: an empty output folder, the build cache of the previous build restored."""
    _, cache_dir, _ = filled
    monkeypatch.setenv("CAKUPAN_CACHE_DIR", str(cache_dir))
    stored = len(entries(cache_dir))
    reports = dated_reports(cold[0])
    assert reports >= 2 and len(report_entries(cache_dir)) == reports
    monkeypatch.setattr(reports_module, "render_report", None)  # a dated report rendered would fail the build
    code = main(["build", "--data", str(FIXTURES / "data"), "--out", str(tmp_path / "site"), "--content",
                 str(REPO / "content"), "--templates", str(REPO / "templates"), "--base-url", BASE_URL])
    assert code == 0
    assert f", {reports} dated reports from the build cache" in capsys.readouterr().out
    assert len(entries(cache_dir)) == stored, "nothing new to store"
    built = tree(tmp_path / "site")
    assert sorted(built) == sorted(cold[0])
    differ = [path for path in built if built[path] != cold[0][path]]
    assert not differ, f"{len(differ)} files differ from the cold build, e.g. {differ[:5]}"


def test_a_cached_build_is_the_cold_build_byte_for_byte(cold, filled, tmp_path, monkeypatch):
    """Without the whole reports in the cache, every chart, card, spec and zip still comes from it."""
    cache_dir = tmp_path / "cache"
    shutil.copytree(filled[1], cache_dir)
    for path in report_entries(cache_dir):
        path.unlink()
    monkeypatch.setenv("CAKUPAN_CACHE_DIR", str(cache_dir))
    stored = len(entries(cache_dir))
    summary = build(settings(tmp_path / "site"))
    assert summary.reports_cached == 0
    assert summary.from_cache == stored, "every chart, card, spec and zip should come from the cache"
    assert len(entries(cache_dir)) == stored + dated_reports(cold[0]), "only the reports to store again"
    built = tree(tmp_path / "site")
    assert sorted(built) == sorted(cold[0])
    differ = [path for path in built if built[path] != cold[0][path]]
    assert not differ, f"{len(differ)} files differ from the cold build, e.g. {differ[:5]}"


def test_a_damaged_report_entry_is_not_trusted(cold, filled, tmp_path, monkeypatch):
    cache_dir = tmp_path / "cache"
    shutil.copytree(filled[1], cache_dir)
    damaged = report_entries(cache_dir)[0]
    data = bytearray(damaged.read_bytes())
    data[-50] ^= 0xFF  # one byte of its record
    damaged.write_bytes(bytes(data))
    monkeypatch.setenv("CAKUPAN_CACHE_DIR", str(cache_dir))
    summary = build(settings(tmp_path / "site"))
    assert summary.reports_cached == dated_reports(cold[0]) - 1  # that one rendered again
    assert tree(tmp_path / "site") == cold[0]
    assert cache._unpack(damaged.read_bytes()) is not None  # and stored whole


def test_a_damaged_entry_is_not_trusted(cold, filled, tmp_path, monkeypatch):
    cache_dir = tmp_path / "cache"
    shutil.copytree(filled[1], cache_dir)
    for path in report_entries(cache_dir):  # (so that every report is made again, from the images)
        path.unlink()
    images = [p for p in entries(cache_dir) if b"<svg" in p.read_bytes()[:300] and b"\x89PNG" in p.read_bytes()]
    assert len(images) >= 3
    flipped, cut, garbage = images[:3]
    data = bytearray(flipped.read_bytes())
    data[-100] ^= 0xFF  # one byte of the PNG: the header's hash no longer matches
    flipped.write_bytes(bytes(data))
    cut.write_bytes(cut.read_bytes()[:-10])  # a write that stopped short
    garbage.write_bytes(b"not a cache entry at all")
    monkeypatch.setenv("CAKUPAN_CACHE_DIR", str(cache_dir))
    summary = build(settings(tmp_path / "site"))
    assert summary.from_cache == len(entries(filled[1])) - len(report_entries(filled[1])) - 3
    assert tree(tmp_path / "site") == cold[0]
    for path in (flipped, cut, garbage):  # drawn again and stored whole
        assert cache._unpack(path.read_bytes()) is not None


# --------------------------------------------------------------------------- the store itself


def test_entries_round_trip_and_leave_no_temporary_file(tmp_path):
    store = cache.Store(tmp_path)
    store.put("ab" * 32, (b"<svg/>", b"\x89PNG...", b""))
    assert cache.Store(tmp_path).get("ab" * 32) == (b"<svg/>", b"\x89PNG...", b"")
    assert [p.name for p in (tmp_path / f"v{cache.FORMAT}" / "ab").iterdir()] == ["ab" * 32]
    assert cache.Store(tmp_path).get("cd" * 32) is None


def test_an_unusable_cache_folder_only_makes_builds_slower(tmp_path):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the cache folder should be")
    store = cache.Store(blocker)
    store.put("ab" * 32, (b"x",))
    assert store.get("ab" * 32) is None
    assert cache.Store(None).get("ab" * 32) is None  # --no-cache


def test_pruning_removes_the_least_recently_used_but_never_what_the_build_used(tmp_path):
    old = cache.Store(tmp_path)
    for i in range(6):
        old.put(f"{i:02d}" * 32, (bytes(1000),))
    for i, path in enumerate(sorted((tmp_path / f"v{cache.FORMAT}").rglob("*"))):
        if path.is_file():
            os.utime(path, (1_000_000 + i, 1_000_000 + i))  # 00.. is the oldest
    store = cache.Store(tmp_path)
    store.get("00" * 32)  # used by this build, though the oldest
    store.put("99" * 32, (bytes(1000),))
    removed = store.prune(max_bytes=3 * 1100)
    left = sorted(p.name[:2] for p in (tmp_path / f"v{cache.FORMAT}").rglob("*") if p.is_file())
    assert removed == 4
    assert left == ["00", "05", "99"]


def test_an_entry_is_touched_once_a_build_and_made_recently_used(tmp_path, monkeypatch):
    cache.Store(tmp_path).put("ab" * 32, (b"x",))
    entry = tmp_path / f"v{cache.FORMAT}" / "ab" / ("ab" * 32)
    os.utime(entry, (1_000_000, 1_000_000))
    touched = []
    real = os.utime
    monkeypatch.setattr(os, "utime", lambda path, *a, **k: (touched.append(os.fspath(path)), real(path, *a, **k)))
    store = cache.Store(tmp_path)
    store.log = set()
    for _ in range(3):  # (a deploy touches what each report used: the same entry for several)
        store.touch("ab" * 32)
    assert touched == [os.fspath(entry)]
    assert entry.stat().st_mtime > 1_000_000  # recently used: the last to be pruned
    assert store.log == {"ab" * 32} and "ab" * 32 in store.spared


def test_keys_change_with_the_spec_and_the_setting():
    spec = {"mark": "bar", "data": {"values": [{"a": 1}]}}
    salted = cache.salt()
    assert cache.chart_key(spec, salted) == cache.chart_key(dict(reversed(list(spec.items()))), salted)
    assert cache.chart_key(spec, salted) != cache.chart_key({**spec, "mark": "line"}, salted)
    assert cache.chart_key(spec, salted) != cache.chart_key(spec, salted + b" another vl-convert")


def test_charts_drawn_before_an_interruption_are_kept(tmp_path, monkeypatch):
    specs = [target.target_chart(20 + i, [], title=f"Uji {i}", description="Uji.", validate=False) for i in range(3)]
    real = workers._draw

    def interrupted(fn, items, what, cached, total, done=None):
        done(0, fn(items[0]))
        raise KeyboardInterrupt

    monkeypatch.setattr(workers, "_draw", interrupted)
    with pytest.raises(KeyboardInterrupt):
        cache.chart_images(specs, cache.Store(tmp_path))
    monkeypatch.setattr(workers, "_draw", real)
    store = cache.Store(tmp_path)
    again = cache.chart_images(specs, store)
    assert (store.hits, store.added) == (1, 2)
    assert again == cache.chart_images(specs, cache.Store(None))


def test_workers_draw_the_same_bytes_as_this_process(monkeypatch):
    specs = [target.target_chart(20 + i, [{"year": 2025, "coverage": 30.0}], title=f"Uji {i}",
                                 description="Uji.", validate=False) for i in range(4)]
    here = [workers._chart(spec) for spec in specs]
    monkeypatch.setattr(workers, "MIN_BATCH", 2)
    monkeypatch.setenv("CAKUPAN_WORKERS", "2")
    assert workers.draw_charts(specs) == here


# --------------------------------------------------------------------------- progress


class FakeTerminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_progress_shows_only_on_a_terminal_outside_ci(monkeypatch):
    monkeypatch.delenv("CI", raising=False)
    assert not progress.show_on_terminal(io.StringIO())
    terminal = FakeTerminal()
    assert progress.show_on_terminal(terminal)
    progress.update("Drawing charts", 10, 10)
    progress.stop()
    assert "Drawing charts: 10/10" in terminal.getvalue()
    monkeypatch.setenv("CI", "true")
    assert not progress.show_on_terminal(FakeTerminal())
    progress.stop()


# --------------------------------------------------------------------------- keeping unchanged dated reports


def test_a_rebuild_keeps_unchanged_reports_and_is_the_cold_build(tmp_path, monkeypatch):
    """Nothing changed: nothing done. A new snapshot: every earlier dated report is kept (linked from the
    previous site, not made again), and the site is byte for byte the cold build of the new data."""
    data = tmp_path / "data"
    shutil.copytree(FIXTURES / "data", data)
    monkeypatch.setenv("CAKUPAN_CACHE_DIR", str(tmp_path / "cache"))
    out = tmp_path / "site"
    first = build(Settings(data=data, out=out, content=REPO / "content", templates=REPO / "templates",
                           base_url=BASE_URL))
    assert not first.unchanged and first.reports_kept == 0
    marker = (out / "index.html").stat().st_mtime_ns
    again = build(Settings(data=data, out=out, content=REPO / "content", templates=REPO / "templates",
                           base_url=BASE_URL))
    assert again.unchanged and again.files == first.files
    assert (out / "index.html").stat().st_mtime_ns == marker  # the site was left as it was

    latest = (data / "contoh" / "2024-07-31.yaml").read_text(encoding="utf-8")
    (data / "contoh" / "2024-10-31.yaml").write_text(
        latest.replace("date: 2024-07-31", "date: 2024-10-31").replace("participants: 150000", "participants: 160000"),
        encoding="utf-8")
    kept_before = (out / "contoh/arsip/2024-01-31/index.html").stat().st_ino
    second = build(Settings(data=data, out=out, content=REPO / "content", templates=REPO / "templates",
                            base_url=BASE_URL))
    assert second.reports_kept == 2 and not second.unchanged
    assert (out / "contoh/arsip/2024-01-31/index.html").stat().st_ino == kept_before  # linked, not written
    code = main(["build", "--no-cache", "--data", str(data), "--out", str(tmp_path / "cold"),
                 "--content", str(REPO / "content"), "--templates", str(REPO / "templates"), "--base-url", BASE_URL])
    assert code == 0
    built, cold = tree(out), tree(tmp_path / "cold")
    assert sorted(built) == sorted(cold)
    differ = [path for path in built if built[path] != cold[path]]
    assert not differ, f"{len(differ)} files differ from the cold build, e.g. {differ[:5]}"


def test_a_build_with_work_to_do_reads_the_record_and_hashes_the_inputs_once(tmp_path, monkeypatch):
    """`cakupan build` checks for nothing changed before its heavy imports, then builds with what it read."""
    from generator.publish import rebuild

    monkeypatch.setenv("CAKUPAN_CACHE_DIR", str(tmp_path / "cache"))
    data = tmp_path / "data"
    shutil.copytree(FIXTURES / "data", data)
    args = ["build", "--data", str(data), "--out", str(tmp_path / "site"), "--content", str(REPO / "content"),
            "--templates", str(REPO / "templates")]
    assert main(args) == 0
    (data / "contoh" / "2024-07-31.yaml").write_text(  # (a correction: the latest report is made again)
        (data / "contoh" / "2024-07-31.yaml").read_text(encoding="utf-8").replace("participants: 150000",
                                                                                  "participants: 150100"),
        encoding="utf-8")
    calls = []
    for name in ("_read", "inputs_key"):
        real = getattr(rebuild, name)
        monkeypatch.setattr(rebuild, name, lambda *a, _real=real, _name=name: (calls.append(_name), _real(*a))[1])
    assert main(args) == 0
    assert sorted(calls) == ["_read", "inputs_key"]


def test_an_edited_site_file_is_made_again(tmp_path, monkeypatch):
    """A file of a kept report that is no longer as recorded (size) makes that report be made again."""
    monkeypatch.setenv("CAKUPAN_CACHE_DIR", str(tmp_path / "cache"))
    out = tmp_path / "site"
    build(settings(out))
    page = out / "contoh/arsip/2024-01-31/index.html"
    original = page.read_bytes()
    page.write_bytes(original + b"<!-- edited by hand -->")
    summary = build(settings(out))
    assert not summary.unchanged and summary.reports_kept == 1  # the other report is kept
    assert page.read_bytes() == original


def test_dated_reports_made_in_worker_processes_are_the_same_bytes(tmp_path, monkeypatch):
    """Two regions, their dated reports made in two worker processes or in this one: the same site."""
    from generator.publish import reports

    data = tmp_path / "data"
    shutil.copytree(FIXTURES / "data" / "contoh", data / "contoh")
    shutil.copytree(REPO / "data" / "lampung", data / "lampung", ignore=shutil.ignore_patterns("frozen"))
    monkeypatch.setattr(reports, "MIN_WORKERS", 0)
    import multiprocessing

    real, started = multiprocessing.get_context, []
    monkeypatch.setattr(multiprocessing, "get_context", lambda method=None: (started.append(method), real(method))[1])
    sites = {}
    for workers_wanted in ("1", "2"):
        monkeypatch.setenv("CAKUPAN_WORKERS", workers_wanted)
        started.clear()
        code = main(["build", "--no-cache", "--data", str(data), "--out", str(tmp_path / workers_wanted),
                     "--content", str(REPO / "content"), "--templates", str(REPO / "templates"),
                     "--base-url", BASE_URL])
        assert code == 0
        assert ("spawn" in started) == (workers_wanted == "2")
        sites[workers_wanted] = tree(tmp_path / workers_wanted)
    assert sorted(sites["1"]) == sorted(sites["2"])
    differ = [p for p in sites["1"] if sites["1"][p] != sites["2"][p]]
    assert not differ, f"{len(differ)} files differ, e.g. {differ[:5]}"


def test_a_site_rewritten_without_the_cache_is_not_trusted(tmp_path, monkeypatch):
    """A --no-cache build from other data into the same folder leaves the record behind; the files it
    wrote are new, so the next build with the record's inputs makes its reports again."""
    data = tmp_path / "data"
    shutil.copytree(FIXTURES / "data", data)
    monkeypatch.setenv("CAKUPAN_CACHE_DIR", str(tmp_path / "cache"))
    out = tmp_path / "site"
    args = ["--data", str(data), "--out", str(out), "--content", str(REPO / "content"),
            "--templates", str(REPO / "templates")]
    assert main(["build", *args]) == 0
    first = tree(out)
    snapshot = data / "contoh" / "2024-01-31.yaml"
    original = snapshot.read_text(encoding="utf-8")
    snapshot.write_text(original.replace("Buletin Contoh", "Buletin Contih"), encoding="utf-8")  # (the same sizes)
    assert main(["build", "--no-cache", *args]) == 0
    snapshot.write_text(original, encoding="utf-8")
    summary = build(Settings(data=data, out=out, content=REPO / "content", templates=REPO / "templates"))
    assert not summary.unchanged and summary.reports_kept == 0
    assert tree(out) == first


def test_entries_of_an_older_format_are_removed(tmp_path):
    old = tmp_path / "build" / "v1" / "ab"
    old.mkdir(parents=True)
    (old / "ab12").write_bytes(b"an entry of format 1")
    store = cache.Store(tmp_path / "build")
    store.put("cd" * 32, (b"<svg/>", b"png"))
    store.prune()
    assert not (tmp_path / "build" / "v1").exists()
    assert store.get("cd" * 32) == (b"<svg/>", b"png")


def test_a_report_of_many_files_round_trips_through_the_cache(tmp_path):
    """A report's entry holds hundreds of files (a province's regency pages, embeds, images)."""
    from generator.publish import rebuild, reportcache
    from generator.publish.write import Output

    made_into = Output()
    files = {f"r/arsip/2024-01-31/k{i:03d}/index.html": (b"<p>%d</p>" % i) * (i + 1) for i in range(300)}
    for path, data in files.items():
        made_into.add(path, data)
    made = rebuild.Made("k" * 64, {p: made_into.digests[p] for p in list(files)[:10]},
                        {p: (made_into.sizes[p], made_into.digests[p]) for p in files}, 300, ["r/"], [{"date": "x"}])
    store = cache.Store(tmp_path)
    reportcache.put(store, made, made_into, set())
    out = Output()
    again = reportcache.take(cache.Store(tmp_path), made.key, out)
    assert again is not None and again.cached
    assert out.files == files
    assert (again.manifest, again.files, again.pages, again.urls, again.feed) == (
        made.manifest, made.files, made.pages, made.urls, made.feed)
    assert reportcache.take(cache.Store(tmp_path), "j" * 64, Output()) is None



def test_without_a_cache_folder_a_build_keeps_what_it_drew_in_memory_for_itself(monkeypatch):
    """--no-cache: nothing on disk, but a chart two reports show is drawn once; bounded, never a "hit"."""
    store = cache.Store(None)
    store.put("ab" * 32, (b"<svg/>", b"png"))
    assert store.get("ab" * 32) == (b"<svg/>", b"png") and store.hits == 0
    monkeypatch.setattr(cache, "MEMORY_MAX_BYTES", 10)
    store.put("cd" * 32, (b"0123456789",))  # over the budget: the least recently used goes first
    assert store.get("ab" * 32) is None and store.get("cd" * 32) == (b"0123456789",)

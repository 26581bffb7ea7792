"""Builds that render few dated reports (issue #17).

A rebuild after one new snapshot, or a deploy whose reports are in the build
cache, renders one or two reports: starting workers (each imports Altair and
vl-convert and loads the data again) would cost it more than it saves, so
they start only when enough reports must be rendered (not when the data
holds many). A deploy links each cached report's files instead of writing
them, so the site's files and the cache's are shared: an edit in place must
not spoil the next deploy.
"""

from __future__ import annotations

import dataclasses
import multiprocessing
import os
import shutil
from pathlib import Path

from generator.commands.cli import main
from generator.publish import cache, rebuild, reportcache, reports, search
from test_cache import dated_reports, filled, settings, tree  # noqa: F401 (filled: a fixture)
from generator.commands.build import build
from generator.site import exports
from conftest import FIXTURES, REPO


def test_workers_start_for_many_reports_to_render_and_not_for_one(tmp_path, monkeypatch):
    data = tmp_path / "data"
    shutil.copytree(FIXTURES / "data" / "contoh", data / "contoh")
    shutil.copytree(REPO / "data" / "lampung", data / "lampung", ignore=shutil.ignore_patterns("frozen"))
    monkeypatch.setenv("CAKUPAN_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setenv("CAKUPAN_WORKERS", "2")
    monkeypatch.setattr(reports, "MIN_WORKERS", 3)  # the data holds 6 reports; a new snapshot adds 1
    real, started = multiprocessing.get_context, []
    monkeypatch.setattr(multiprocessing, "get_context", lambda method=None: (started.append(method), real(method))[1])
    args = ["build", "--data", str(data), "--out", str(tmp_path / "site"), "--content", str(REPO / "content"),
            "--templates", str(REPO / "templates")]

    assert main(args) == 0
    assert "spawn" in started  # six reports to render: workers

    started.clear()
    text = (data / "contoh" / "2024-07-31.yaml").read_text(encoding="utf-8")
    (data / "contoh" / "2024-08-31.yaml").write_text(text.replace("2024-07-31", "2024-08-31"), encoding="utf-8")
    assert main(args) == 0
    assert "spawn" not in started  # one report to render, the others linked from the previous site
    assert (tmp_path / "site" / "contoh" / "arsip" / "2024-08-31" / "index.html").is_file()

    started.clear()
    shutil.rmtree(tmp_path / "site")  # a deploy: an empty output folder, the build cache kept
    assert main(args) == 0
    assert "spawn" not in started  # every report from the build cache


def test_a_new_report_of_many_places_is_drawn_by_processes_started_before_it_is_planned(tmp_path, monkeypatch):
    """workers.warm: the drawing processes start when the build knows it has such a report to draw; the
    report is byte for byte what drawing it in the build's own process makes."""
    monkeypatch.setenv("CAKUPAN_WORKERS", "2")
    real, started = multiprocessing.get_context, []
    monkeypatch.setattr(multiprocessing, "get_context", lambda method=None: (started.append(method), real(method))[1])
    made = {}
    for name, places in (("early", 1), ("here", 10**6)):  # (the fixture's province has 5 regencies)
        data = tmp_path / name / "data"
        shutil.copytree(FIXTURES / "data" / "contoh", data / "contoh")
        monkeypatch.setenv("CAKUPAN_CACHE_DIR", str(tmp_path / name / "cache"))
        args = ["build", "--data", str(data), "--out", str(tmp_path / name / "site"), "--content",
                str(REPO / "content"), "--templates", str(REPO / "templates")]
        assert main(args) == 0
        text = (data / "contoh" / "2024-07-31.yaml").read_text(encoding="utf-8")
        (data / "contoh" / "2024-08-31.yaml").write_text(text.replace("2024-07-31", "2024-08-31"), encoding="utf-8")
        monkeypatch.setattr(reports, "WARM_PLACES", places)
        started.clear()
        assert main(args) == 0
        site = tmp_path / name / "site"
        made[name] = ({**tree(site / "contoh" / "arsip" / "2024-08-31"), **tree(site / "charts" / "contoh" / "2024-08-31")},
                      "spawn" in started)
    assert made["early"][1] and not made["here"][1]
    assert made["early"][0] == made["here"][0] and any(p.endswith(".svg") for p in made["early"][0])


def report_files(cache_dir: Path) -> list[Path]:
    """The files of the reports kept whole, one per SHA-256 (reportcache.FILES)."""
    return sorted(p for p in (cache_dir / "build" / reportcache.FILES).rglob("*") if p.is_file())


def test_a_site_file_edited_in_place_does_not_spoil_a_deploy_from_the_cache(filled, tmp_path, monkeypatch):
    """A report's files are linked between the cache and the site: an edit in place reaches the cache's
    copy too, which the next deploy finds by its hash and makes again."""
    cache_dir = tmp_path / "cache"
    shutil.copytree(filled[1], cache_dir)  # (copies: no longer linked to the filled site)
    monkeypatch.setenv("CAKUPAN_CACHE_DIR", str(cache_dir))
    first = build(settings(tmp_path / "one"))
    reports_made = dated_reports(filled[0])
    assert first.reports_cached == reports_made
    page = tmp_path / "one" / "contoh" / "arsip" / "2024-01-31" / "index.html"
    assert page.stat().st_nlink == 2  # the site's file is the cache's
    with open(page, "r+b") as f:  # in place, as an editor saving over it might
        f.seek(10)
        f.write(b"X")
    second = build(settings(tmp_path / "two"))
    assert second.reports_cached == reports_made - 1  # that report rendered again
    assert tree(tmp_path / "two") == filled[0]  # (the filled build is the cold one: test_cache.py)


def test_pruning_the_files_of_kept_reports_spares_those_this_build_holds(filled, tmp_path):
    cache_dir = tmp_path / "cache"
    shutil.copytree(filled[1], cache_dir)
    files = report_files(cache_dir)
    assert len(files) > 10
    keep = {p.name for p in files[: len(files) // 2]}
    store = cache.Store(cache_dir / "build")
    assert reportcache.prune(store, keep) == 0  # under the size limit: nothing goes
    removed = reportcache.prune(store, keep, max_bytes=0)
    assert removed == len(files) - len(keep)
    assert {p.name for p in report_files(cache_dir)} == keep


def test_a_deploy_reads_no_cached_file_untouched_since_it_was_kept(filled, tmp_path, monkeypatch):
    """A cached report's files are trusted by the size and time they were kept with (as a previous site's
    are): a deploy links them unread. A file whose time changed is read and checked, then taken."""
    cache_dir = tmp_path / "cache"
    shutil.copytree(filled[1], cache_dir)  # (copy2 keeps the times)
    monkeypatch.setenv("CAKUPAN_CACHE_DIR", str(cache_dir))
    folder = cache_dir / "build" / reportcache.FILES
    read = []
    monkeypatch.setattr(reportcache, "open", lambda p, *a: (read.append(Path(p)), open(p, *a))[1], raising=False)
    first = build(settings(tmp_path / "one"))
    assert first.reports_cached == dated_reports(filled[0])
    assert [p for p in read if folder in p.parents] == []

    touched = report_files(cache_dir)[0]
    stat = touched.stat()
    os.utime(touched, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000))  # same bytes, another time
    read.clear()
    second = build(settings(tmp_path / "two"))
    assert second.reports_cached == dated_reports(filled[0])  # checked by its hash, and taken
    assert touched in read
    assert tree(tmp_path / "two") == filled[0]


def test_after_reports_are_linked_the_next_build_finds_nothing_changed(filled, tmp_path, monkeypatch):
    """The site's record takes a linked file's time from its source, unread: it must be the file's own,
    or the next build would find the site touched and make it again."""
    cache_dir = tmp_path / "cache"
    shutil.copytree(filled[1], cache_dir)
    monkeypatch.setenv("CAKUPAN_CACHE_DIR", str(cache_dir))
    out = tmp_path / "site"
    deployed = build(settings(out))  # every report linked from the build cache
    assert deployed.reports_cached == dated_reports(filled[0])
    assert build(settings(out)).unchanged
    (out / "index.html").write_bytes(b"edited by hand")  # (so the next build is not skipped)
    kept = build(settings(out))  # every report linked from the previous site
    assert kept.reports_kept == dated_reports(filled[0]) and not kept.unchanged
    assert build(settings(out)).unchanged
    (out / "index.html").write_bytes(b"edited again")  # (the kept reports' lines of the record, written back)
    assert build(settings(out)).reports_kept == dated_reports(filled[0])
    assert tree(out) == filled[0]


def test_a_report_kept_from_the_previous_site_is_in_the_cache_for_the_next_deploy(filled, tmp_path, monkeypatch):
    """A rebuild keeps reports from the previous site, not from the cache: their cache entries are marked
    used (or made again, if pruned), since the next deploy starts without the site."""
    cache_dir = tmp_path / "cache"
    shutil.copytree(filled[1], cache_dir)
    monkeypatch.setenv("CAKUPAN_CACHE_DIR", str(cache_dir))
    out = tmp_path / "site"
    build(settings(out))
    store = cache.open_store()
    keys = sorted(rebuild.read(store, out).reports)
    assert keys and all(reportcache.holds(store, key) for key in keys)
    for key in keys:  # (as pruning would drop them)
        store._path(reportcache._entry_key(key)).unlink()
    (out / "index.html").write_bytes(b"edited by hand")  # (so the next build is not skipped)
    assert build(settings(out)).reports_kept == len(keys)
    assert all(reportcache.holds(store, key) for key in keys)
    monkeypatch.setattr(reports, "render_report", None)  # a dated report rendered would fail the deploy
    deployed = build(settings(tmp_path / "deployed"))
    assert deployed.reports_cached == len(keys)
    assert tree(tmp_path / "deployed") == filled[0]


def test_a_build_with_nothing_to_do_reads_only_the_files_part_of_the_record(filled, tmp_path, monkeypatch):
    """The record's reports (two thirds of a national record) are read only by a build that keeps reports;
    a reports part that is missing or from another build keeps none (they come from the cache instead)."""
    cache_dir = tmp_path / "cache"
    shutil.copytree(filled[1], cache_dir)
    monkeypatch.setenv("CAKUPAN_CACHE_DIR", str(cache_dir))
    out = tmp_path / "site"
    build(settings(out))
    part = rebuild._reports_path(rebuild._record_path(cache.open_store(), out))
    assert part.is_file()
    read, real = [], Path.read_bytes
    monkeypatch.setattr(Path, "read_bytes", lambda p: (read.append(p), real(p))[1])
    assert build(settings(out)).unchanged
    assert part not in read
    part.write_text('{"format": 0}', encoding="utf-8")
    (out / "index.html").write_bytes(b"edited by hand")
    again = build(settings(out))
    assert part in read and again.reports_kept == 0 and again.reports_cached == dated_reports(filled[0])
    assert tree(out) == filled[0]


def test_the_search_index_of_the_same_pages_comes_from_the_cache(filled, tmp_path, monkeypatch):
    """A deploy whose pages did not change does not run Pagefind again; a changed page does."""
    cache_dir = tmp_path / "cache"
    shutil.copytree(filled[1], cache_dir)
    monkeypatch.setenv("CAKUPAN_CACHE_DIR", str(cache_dir))
    build(settings(tmp_path / "one"))  # (the filled cache predates the index in it: made here once)
    runs, real = [], search._index
    monkeypatch.setattr(search, "_index", lambda pages: (runs.append(len(pages)), real(pages))[1])
    build(settings(tmp_path / "two"))
    assert runs == []
    assert tree(tmp_path / "two") == filled[0]
    templates = tmp_path / "templates"
    shutil.copytree(REPO / "templates", templates)
    base = templates / "base.html"
    base.write_text(base.read_text(encoding="utf-8") + "<!-- edited -->\n", encoding="utf-8")
    build(dataclasses.replace(settings(tmp_path / "three"), templates=templates))
    assert len(runs) == 1


def test_a_data_file_the_latest_page_links_answers_though_its_report_was_made_before(filled, tmp_path, monkeypatch):
    """A kept report stays as made; when a later cakupan adds a kind of data file, the latest page links
    its date's file of that kind, so the build writes the latest date's data files itself."""
    cache_dir = tmp_path / "cache"
    shutil.copytree(filled[1], cache_dir)
    monkeypatch.setenv("CAKUPAN_CACHE_DIR", str(cache_dir))
    out = tmp_path / "site"
    build(settings(out))
    real = exports.data_files
    monkeypatch.setattr(exports, "data_files", lambda region, snap: {
        **real(region, snap), f"{region.slug}/data/{snap.date}.baru.csv": b"baru\n"})
    (out / "index.html").write_bytes(b"edited by hand")  # (so the next build is not skipped)
    assert build(settings(out)).reports_kept == dated_reports(filled[0])
    assert (out / "contoh" / "data" / "2024-07-31.baru.csv").read_bytes() == b"baru\n"  # the latest date's
    assert not (out / "contoh" / "data" / "2024-01-31.baru.csv").exists()  # an earlier report: as made


def test_pruning_looks_at_the_folder_of_files_only_when_something_may_have_to_go(filled, tmp_path, monkeypatch):
    cache_dir = tmp_path / "cache"
    shutil.copytree(filled[1], cache_dir)
    store = cache.Store(cache_dir / "build")
    files = report_files(cache_dir)
    total = sum(p.stat().st_size for p in files)
    note = cache_dir / "build" / reportcache.TOTAL
    assert note.read_text().split() == [str(total), str(total)]  # (the build that filled it noted it: all held)
    note.unlink()
    looked = []
    real = os.scandir
    monkeypatch.setattr(reportcache.os, "scandir", lambda path: (looked.append(path), real(path))[1])
    keep = {p.name for p in files[1:]}  # the first no longer held
    assert reportcache.prune(store, keep, added=10) == 0
    assert looked  # no note yet: it looks, and notes the bytes and those held
    first = files[0].stat().st_size
    assert note.read_text().split() == [str(total), str(total - first)]
    looked.clear()
    assert reportcache.prune(store, keep, added=1000, max_bytes=total + 1000) == 0
    assert not looked  # within the limit with what was added: no look
    assert note.read_text().split() == [str(total + 1000), str(total - first + 1000)]
    removed = reportcache.prune(store, keep, added=1, max_bytes=total - 1)  # it may pass the limit: it looks
    assert looked and removed == 1 and not files[0].exists()
    assert note.read_text().split() == [str(total - first)] * 2
    looked.clear()
    assert reportcache.prune(store, keep, added=5, released=False, max_bytes=0) == 0
    assert not looked  # over the limit, but the last look left only held files and none was released
    assert reportcache.prune(store, keep, added=5, released=True, max_bytes=0) == 0
    assert looked  # a report released: its files may go

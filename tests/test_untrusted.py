"""Nothing leaks, nothing crashes: every input a user can get wrong ends in exit 2 with one line naming it.

Each case here was an "unexpected error" (exit 1), a hang, or a file from
outside the repository published on the site (issue #18). The build runs
through the command line, as a user runs it; after a failed build the
previous site must be byte for byte as it was.
"""

from __future__ import annotations

import csv
import io
import os
import shutil
import signal
import threading
import time
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from conftest import FIXTURES, REPO
from generator.data import budget, inputs
from generator.site import render
from generator.commands.build import Settings, render_site
from generator.commands.cli import main
from generator.errors import UsageError
from generator.publish.rebuild import inputs_key

SNAPSHOT = Path("contoh") / "2024-07-31.yaml"


@pytest.fixture(scope="module")
def pristine(tmp_path_factory) -> Path:
    """The fixtures' data with the repo's prose and templates, and the site a good build makes of them."""
    root = tmp_path_factory.mktemp("pristine")
    shutil.copytree(FIXTURES / "data", root / "data")
    shutil.copytree(REPO / "content", root / "content")
    shutil.copytree(REPO / "templates", root / "templates")
    assert run(root) == 0
    return root


@pytest.fixture
def project(tmp_path, pristine) -> Path:
    """A copy of the pristine project, its inputs only (a test edits them)."""
    for name in ("data", "content", "templates"):
        shutil.copytree(pristine / name, tmp_path / name)
    return tmp_path


def run(project: Path, *extra: str, command: str = "build") -> int:
    argv = [command, "--data", str(project / "data"), "--content", str(project / "content"),
            "--templates", str(project / "templates")]
    if command == "build":
        argv += ["--out", str(project / "site"), "--no-cache"]
    return main(argv + list(extra))


def snapshot(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture
def built(project, pristine) -> dict[str, bytes]:
    """The site as a good build left it (a copy of it: a failed build must leave exactly this)."""
    shutil.copytree(pristine / "site", project / "site")
    return snapshot(project / "site")


def refused(project: Path, capsys, built: dict[str, bytes], *names: str) -> str:
    """Build again: exit 2, a message naming each of names, the previous site unchanged."""
    code = run(project)
    err = capsys.readouterr().err
    assert code == 2, err
    assert "unexpected error" not in err and "Traceback" not in err
    for name in names:
        assert name in err, err
    assert snapshot(project / "site") == built
    return err


SECRET = "rahasia-runner-CAKUPAN"


@pytest.fixture
def outside(tmp_path_factory) -> Path:
    """A file outside the project, as /etc/passwd or /proc/self/environ would be."""
    path = tmp_path_factory.mktemp("elsewhere") / "environ"
    path.write_text(f"# Judul\n\nTOKEN={SECRET}\n", encoding="utf-8")
    return path


# --------------------------------------------------------------------------- files from elsewhere


@pytest.mark.parametrize("where", ["content/contoh/2024-07-31.md", "content/bocor.md", "content/CNAME",
                                   "data/contoh/2024-12-31.yaml", "templates/page.html",
                                   "templates/assets/style.css"])
def test_a_symlink_out_of_its_folder_is_refused_naming_it(project, built, capsys, outside, where):
    path = project / where
    path.parent.mkdir(exist_ok=True)
    path.unlink(missing_ok=True)
    path.symlink_to(outside)
    err = refused(project, capsys, built, path.name, "outside")
    assert SECRET not in err


def test_the_runners_environment_never_reaches_a_page(project, built, capsys):
    (project / "content" / "contoh").mkdir()
    (project / "content" / "contoh" / "2024-07-31.md").symlink_to("/proc/self/environ")
    refused(project, capsys, built, "2024-07-31.md")


def test_a_symlink_inside_its_folder_is_read(project, capsys):
    (project / "content" / "lain.md").write_text("# Lain\n\nHalaman lain.\n", encoding="utf-8")
    (project / "content" / "juga.md").symlink_to("lain.md")
    assert run(project) == 0
    assert "Halaman lain." in (project / "site" / "juga" / "index.html").read_text(encoding="utf-8")


@pytest.mark.parametrize("where", ["content/contoh/2024-07-31.md", "data/contoh/2024-12-31.yaml", "content/CNAME"])
def test_a_fifo_is_refused_at_once_not_waited_on(project, built, capsys, where):
    path = project / where
    path.parent.mkdir(exist_ok=True)
    os.mkfifo(path)
    started = time.monotonic()
    refused(project, capsys, built, path.name, "FIFO")
    assert time.monotonic() - started < 60  # (reading it would wait for ever)


def test_a_symlink_to_a_device_is_refused(project, built, capsys):
    (project / "data" / "contoh" / "2024-12-31.yaml").symlink_to("/dev/zero")
    refused(project, capsys, built, "2024-12-31.yaml")


@pytest.mark.parametrize("where, limit", [("content/besar.md", inputs.MAX_MARKDOWN),
                                          ("data/contoh/2024-12-31.yaml", inputs.MAX_YAML)])
def test_a_sparse_huge_file_is_refused_unread(project, built, capsys, where, limit):
    path = project / where
    with open(path, "wb") as f:
        f.truncate(10 * 10**9)  # 10 GB that take no room on disk
    started = time.monotonic()
    refused(project, capsys, built, path.name, f"at most {limit:,} expected")
    assert time.monotonic() - started < 60


def test_a_snapshot_path_that_is_a_folder_is_an_error(project, built, capsys):
    (project / "data" / "contoh" / "2024-12-31.yaml").mkdir()
    refused(project, capsys, built, "2024-12-31.yaml: is a folder, not a regular file")


def test_input_reading_names_the_file_and_line_of_bad_utf8(tmp_path):
    path = tmp_path / "a.md"
    path.write_bytes(b"# Judul\n\nbaik\n\xff\xfe\n")
    with pytest.raises(inputs.InputError, match=r"a\.md:4: is not UTF-8 text"):
        inputs.read_text(path, tmp_path, 1000)


# Inputs on which Python-Markdown takes seconds to minutes, all within the size limit (issue #18):
# 8 s, 73 s, 10 s and 264 s unbounded. Each is refused once it has used budget.MARKDOWN_SECONDS of CPU.
PATHOLOGICAL_MARKDOWN = {"brackets-then-text": "[" * 200 + "a" * 49_000, "dash-lines": "-\n" * 24_000,
                         "unclosed-a-tags": "<a " * 4_000, "brackets": "[" * 16_000}


@pytest.mark.parametrize("name", list(PATHOLOGICAL_MARKDOWN))
def test_pathological_markdown_is_refused_within_its_budget(project, built, capsys, name):
    page = project / "content" / "lambat.md"
    page.write_text("# Lambat\n\n" + PATHOLOGICAL_MARKDOWN[name], encoding="utf-8")
    started = time.process_time()
    err = refused(project, capsys, built, "content/lambat.md: takes too long to render as Markdown",
                  f"at most {budget.MARKDOWN_SECONDS:g} s")
    assert len(err.strip().splitlines()) == 1, err
    assert time.process_time() - started < budget.MARKDOWN_SECONDS + 5  # (unbounded: 8 s to 264 s)


def test_a_pathological_editors_note_is_refused_naming_it(project, built, capsys):
    (project / "content" / "contoh").mkdir(exist_ok=True)
    (project / "content" / "contoh" / "2024-07-31.md").write_text("-\n" * 24_000, encoding="utf-8")
    refused(project, capsys, built, "content/contoh/2024-07-31.md: takes too long to render")


def test_the_budget_leaves_no_timer_behind_and_spares_a_large_real_page():
    before = signal.getsignal(signal.SIGVTALRM)
    with pytest.raises(UsageError, match=r"^Markdown: takes too long"):
        render.markdown_html(PATHOLOGICAL_MARKDOWN["dash-lines"])
    assert signal.getitimer(signal.ITIMER_VIRTUAL) == (0.0, 0.0)
    assert signal.getsignal(signal.SIGVTALRM) is before
    text = (REPO / "content" / "metodologi.md").read_text(encoding="utf-8")
    large = text * (inputs.MAX_MARKDOWN // len(text.encode("utf-8")))  # as big as a page may be, all real prose
    assert "<h2" in render.markdown_html(large)  # (0.18 s of CPU here: real prose is never refused)


def test_outside_the_main_thread_markdown_renders_without_a_timer():
    results = []
    thread = threading.Thread(target=lambda: results.append((budget.can_bound(), str(render.markdown_html("*a*")))))
    thread.start()
    thread.join()
    assert results == [(False, "<p><em>a</em></p>")]
    assert budget.can_bound()  # (this test runs in the main thread)


def test_a_builds_worker_process_renders_without_a_timer(monkeypatch):
    monkeypatch.setattr(budget, "_checked", False)
    budget.checked_by_parent()
    assert not budget.can_bound()
    assert str(render.markdown_html("*a*")) == "<p><em>a</em></p>"


# --------------------------------------------------------------------------- exit 2, never "unexpected error"


@pytest.mark.parametrize("where", ["content/tentang.md", "content/contoh/2024-07-31.md", "content/CNAME"])
def test_text_that_is_not_utf8_is_exit_2(project, built, capsys, where):
    path = project / where
    path.parent.mkdir(exist_ok=True)
    path.write_bytes(b"# Tentang\n\nKata \xe9\xe8 Latin-1.\n")
    refused(project, capsys, built, f"{path.name}:3: is not UTF-8 text")


def test_a_prose_page_without_its_title_is_exit_2(project, built, capsys):
    (project / "content" / "tentang.md").write_text("Tanpa judul.\n", encoding="utf-8")
    refused(project, capsys, built, "tentang.md:1: a page starts with its title")


@pytest.mark.parametrize("name, says", [("data", "taken by the site's own pages"), ("index", "taken by the site's own pages"),
                                        ("contoh", "taken by a region's folder"), ("<b>x", "is not a URL slug"),
                                        ("..x", "is not a URL slug"), ("Huruf Besar", "is not a URL slug")])
def test_a_prose_page_whose_name_is_taken_or_not_a_slug_is_exit_2(project, built, capsys, name, says):
    (project / "content" / f"{name}.md").write_text("# Halaman\n\nIsi.\n", encoding="utf-8")
    refused(project, capsys, built, f"{name}.md", says)


@pytest.mark.parametrize("date", ["0001-01-01", "9999-12-31", "2150-01-31", "1989-12-31"])
def test_a_date_outside_1990_to_2100_is_exit_2_with_its_line(project, built, capsys, date):
    path = project / "data" / SNAPSHOT
    path.write_text(path.read_text(encoding="utf-8").replace("date: 2024-07-31", f"date: {date}"), encoding="utf-8")
    refused(project, capsys, built, f"2024-07-31.yaml:2: date: {date} is out of range (a date from 1990 to 2100 expected)")


@pytest.mark.parametrize("command", ["build", "validate"])
def test_a_workforce_of_zero_is_exit_2(project, built, capsys, command):
    path = project / "data" / SNAPSHOT
    path.write_text(path.read_text(encoding="utf-8").replace("value: 700000", "value: 0"), encoding="utf-8")
    if command == "build":
        refused(project, capsys, built, "2024-07-31.yaml:8: workforce.value: is 0 (a workforce of at least one person")
    else:
        assert main(["validate", str(project / "data")]) == 2
        assert "workforce.value: is 0" in capsys.readouterr().err


def test_a_frozen_record_nested_100000_deep_is_exit_2(project, built, capsys):
    (project / "data" / "contoh" / "frozen").mkdir()
    (project / "data" / "contoh" / "frozen" / "2024-07-31.json").write_text("[" * 100_000 + "]" * 100_000)
    refused(project, capsys, built, "2024-07-31.json: not a frozen-snapshot record (nested too deeply)")


@pytest.mark.parametrize("expression", ["{{ 1 // 0 }}", "{{ 'a' + 1 }}", "{{ '%d' % 'x' }}"])
def test_a_template_that_raises_is_exit_2_naming_it(project, built, capsys, expression):
    path = project / "templates" / "page.html"
    path.write_text(path.read_text(encoding="utf-8").replace("{% block main %}", "{% block main %}" + expression, 1),
                    encoding="utf-8")
    refused(project, capsys, built, "page.html:")


def test_a_missing_asset_is_exit_2(project, built, capsys):
    (project / "templates" / "assets" / "site.js").unlink()
    refused(project, capsys, built, "site.js: missing")


def test_a_read_only_output_folder_is_said_so_not_a_bug(project, built, capsys, monkeypatch):
    import tempfile

    def read_only(*args, **kwargs):
        raise OSError(30, "Read-only file system")

    monkeypatch.setattr(tempfile, "mkdtemp", read_only)
    assert run(project) == 1
    err = capsys.readouterr().err
    assert "site: the site could not be written (Read-only file system)" in err and "unexpected" not in err
    assert snapshot(project / "site") == built


def test_a_message_quotes_only_a_short_escaped_excerpt(project, built, capsys):
    (project / "data" / "contoh" / "2024-12-31.yaml").write_text('root:x:0:0:"' + "a" * 500 + '\n')
    err = refused(project, capsys, built, '2024-12-31.yaml:1: is text "root:x:0:0:\\"aaa')
    assert "a" * 100 not in err


def test_ctrl_c_before_the_command_starts_prints_no_traceback(monkeypatch, capsys):
    import generator.commands.cli as cli

    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(cli, "parser", interrupted)
    assert main(["validate"]) == 130
    assert capsys.readouterr().err == "cakupan: interrupted\n"


def _sigint_in_worker(_):
    import signal

    return signal.getsignal(signal.SIGINT) == signal.SIG_IGN


def test_worker_processes_leave_ctrl_c_to_the_main_process():
    import signal

    from generator.publish import workers

    before = signal.getsignal(signal.SIGINT)
    with workers.pool(1) as pool:
        assert pool.map(_sigint_in_worker, [0]) == [True]
    assert signal.getsignal(signal.SIGINT) is before


# --------------------------------------------------------------------------- bounded work


def test_ten_thousand_regencies_are_refused_while_reading(tmp_path):
    from generator.data.load import read_yaml

    path = tmp_path / "region.yaml"
    path.write_text("name: Besar\nsubregions:\n" + "".join(
        f'  - {{code: "99{i:05d}", name: Kabupaten N{i}, kind: kabupaten}}\n' for i in range(10_000)))
    found = read_yaml(path).problems
    assert [p.message for p in found] == ["holds more than 20,000 values (a data file has a few hundred to a few thousand)"]
    assert found[0].line < 3_000  # refused while reading, two thirds of the file unread (about 0.3 s)


def test_more_sub_regions_than_the_limit_are_refused(project, built, capsys):
    path = project / "data" / "contoh" / "region.yaml"
    path.write_text(path.read_text(encoding="utf-8") + "".join(
        f'  - {{code: "98{i:03d}", name: Kabupaten N{i}, kind: kabupaten}}\n' for i in range(600)), encoding="utf-8")
    refused(project, capsys, built, "region.yaml:8: subregions: lists 604 sub-regions (at most 500 expected)")


# --------------------------------------------------------------------------- output that keeps its format


@pytest.mark.parametrize("url", ['https://x.example/"><script>alert(1)</script>', "https://x.example/a b/",
                                 "https://x.example/?a=1&b=2", "javascript:alert(1)//https://", "https://x.example/#a"])
def test_a_base_url_that_is_not_clean_is_refused(project, built, capsys, url):
    assert run(project, "--base-url", url) == 2
    assert "a clean absolute http(s) address expected" in capsys.readouterr().err
    assert snapshot(project / "site") == built


def test_a_correction_with_control_characters_keeps_the_feed_well_formed(project):
    settings = Settings(data=project / "data", content=project / "content", templates=project / "templates",
                        base_url="https://contoh.github.io/cakupan/", cache=False)
    from datetime import date

    from generator.publish.published import Correction, Frozen

    records = {("contoh", date(2024, 7, 31)): Frozen("contoh", date(2024, 7, 31), project / "x.json", {},
                                                     (Correction(date(2024, 8, 1), "angka\x00 salah\x1b[31m\x0c"),), None)}
    feed = render_site(settings, records).output.files["feed.xml"].decode("utf-8")
    ET.fromstring(feed)  # well-formed
    assert "angka salah[31m" in feed


def test_every_chart_csv_goes_through_the_formula_guard(project):
    path = project / "data" / "contoh" / "region.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("name: Kota Pelabuhan, kind: kota, short: Pelabuhan",
                                                             'name: "=HYPERLINK(1)", kind: kota, short: "@SUM(1)", slug: kota'),
                    encoding="utf-8")
    for snap in (project / "data" / "contoh").glob("2024-*.yaml"):
        snap.write_text(snap.read_text(encoding="utf-8").replace("Kota Pelabuhan", '"=HYPERLINK(1)"'), encoding="utf-8")
    site = render_site(Settings(data=project / "data", content=project / "content",
                                templates=project / "templates", cache=False), {}).output.files
    charts = [p for p in site if p.startswith("charts/") and p.endswith(".csv")]
    assert charts
    cells = [cell for p in charts for row in csv.reader(io.StringIO(site[p].decode())) for cell in row]
    assert "'=HYPERLINK(1)" in cells or "'@SUM(1)" in cells
    assert not any(cell[:1] in "=+@" for cell in cells if cell)


def test_user_ids_cannot_take_the_sites_own_ids_and_pictures_stay_home():
    out = render.markdown_html('<p id="grafik-target">a</p> [ke sana](#sumber) '
                               '![jejak](https://tracker.example/p.gif) <img src="//tracker.example/q">'
                               ' <img src="../assets/favicon.svg" alt="ikon">\n\n## Perubahan antarlaporan\n')
    assert 'id="md-grafik-target"' in out and 'href="#md-sumber"' in out
    assert "tracker.example" not in out and 'src="../assets/favicon.svg"' in out
    assert 'id="perubahan-antarlaporan"' in out  # (dated reports link to the methodology's headings)


def test_the_site_ids_list_covers_every_id_the_templates_write():
    import re

    for path in (REPO / "templates").glob("*.html"):
        for value in re.findall(r'\bid="([^"]*)"', path.read_text(encoding="utf-8")):
            if value.startswith("{{"):
                continue  # a chart's id (grafik-…) or a fact's (fakta-…), from the code
            assert value.startswith(render.SITE_IDS), (path.name, value)


@pytest.mark.parametrize("href", ["javascript:alert(1)", "JaVaScRiPt:alert(1)", "java&#x09;script:alert(1)",
                                  "&#106;avascript:alert(1)", " javascript:alert(1)", "data:text/html,x",
                                  "vbscript:x", "file:///etc/passwd", "jav&#x0A;ascript:alert(1)"])
def test_only_http_mailto_and_relative_links_are_kept(href):
    out = render.markdown_html(f'<a href="{href}">x</a>')
    assert "href" not in out


# --------------------------------------------------------------------------- the rebuild key


def test_the_rebuild_key_sees_a_symlinked_region_an_empty_folder_and_a_folder_snapshot(project, tmp_path):
    settings = Settings(data=project / "data", content=project / "content", templates=project / "templates")
    before = inputs_key(settings)
    (project / "data" / "contoh" / "2024-12-31.yaml").mkdir()
    with_folder = inputs_key(settings)
    assert with_folder != before
    (project / "data" / "contoh" / "2024-12-31.yaml").rmdir()
    elsewhere = tmp_path / "lain"
    shutil.copytree(project / "data" / "contoh", elsewhere)
    (project / "data" / "lain").symlink_to(project / "data" / "contoh", target_is_directory=True)
    assert inputs_key(settings) not in (before, with_folder)


def test_a_build_after_adding_a_folder_snapshot_is_not_nothing_changed(project, capsys):
    assert main(["build", "--data", str(project / "data"), "--content", str(project / "content"),
                 "--templates", str(project / "templates"), "--out", str(project / "site")]) == 0
    (project / "data" / "contoh" / "2024-12-31.yaml").mkdir()
    capsys.readouterr()
    assert main(["build", "--data", str(project / "data"), "--content", str(project / "content"),
                 "--templates", str(project / "templates"), "--out", str(project / "site")]) == 2
    assert "is a folder" in capsys.readouterr().err


def test_the_rebuild_key_neither_opens_a_fifo_nor_fails_on_an_unreadable_file(project, monkeypatch):
    settings = Settings(data=project / "data", content=project / "content", templates=project / "templates")
    before = inputs_key(settings)
    snapshot = project / "data" / "contoh" / "2024-07-31.yaml"
    real_open = os.open

    def denied(name, *args, **kwargs):
        if Path(name) == snapshot:
            raise PermissionError(13, "Permission denied", str(name))
        return real_open(name, *args, **kwargs)

    monkeypatch.setattr(os, "open", denied)
    unreadable = inputs_key(settings)  # (an unreadable file once raised PermissionError here: exit 1)
    monkeypatch.undo()
    assert unreadable != before
    os.mkfifo(project / "data" / "contoh" / "2024-12-31.yaml")
    assert inputs_key(settings) not in (before, unreadable)  # (and returned: the FIFO was not opened)

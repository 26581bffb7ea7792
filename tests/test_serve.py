"""`cakupan serve`: the preview rebuilds on an edit, shows a bad edit, and recovers."""

from __future__ import annotations

import http.client
import io
import json
import os
import shutil
import socket
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from conftest import FIXTURES, REPO
from generator.commands.build import Settings
from generator.commands import watch
from generator.commands.cli import main
from generator.errors import UsageError
from generator.commands.serve import Preview, inject, serve, site_path

BASE_URL = "https://contoh.github.io/cakupan/"
SNAPSHOT = Path("contoh") / "2024-07-31.yaml"


def project(root: Path) -> Settings:
    """A copy of the fixtures' data with the repo's prose and templates, so edits here touch nothing else."""
    shutil.copytree(FIXTURES / "data", root / "data")
    shutil.copytree(REPO / "content", root / "content")
    shutil.copytree(REPO / "templates", root / "templates")
    return Settings(data=root / "data", content=root / "content", templates=root / "templates", base_url=BASE_URL)


def get(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, response.read().decode("utf-8")
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode("utf-8")


def state(preview: Preview) -> dict:
    return json.loads(get(f"http://127.0.0.1:{preview.port}/__cakupan/version")[1])


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")


def next_build(preview: Preview, after: int, timeout: float = 20) -> dict:
    """Wait until the server reports a build newer than `after`."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        now = state(preview)
        if now["version"] > after:
            return now
        time.sleep(0.1)
    raise AssertionError(f"no rebuild within {timeout} s")


@pytest.fixture(scope="module")
def preview(tmp_path_factory):
    settings = project(tmp_path_factory.mktemp("preview"))
    (settings.content / "CNAME").write_text("cakupan.example.org\n")
    running = Preview(settings, port=0, interval=0.2, quiet=True)
    running.start()
    yield running
    running.stop()


def test_pages_are_served_under_the_sites_path_with_a_reload_script(preview):
    assert preview.url == f"http://127.0.0.1:{preview.port}/cakupan/"
    status, page = get(preview.url + "contoh/index.html")
    assert status == 200
    assert '<script src="/__cakupan/reload.js" data-version="1"></script></body>' in page
    assert "cakupan-build-error" not in page
    status, script = get(f"http://127.0.0.1:{preview.port}/__cakupan/reload.js")
    assert status == 200 and "/__cakupan/version" in script
    # only the response gets the script: the built files stay as cakupan build writes them
    assert "__cakupan" not in (preview.out / "contoh" / "index.html").read_text(encoding="utf-8")
    assert "__cakupan" not in get(preview.url + "assets/site.js")[1]


def test_the_preview_is_what_cakupan_build_writes_a_custom_domain_included(preview):
    assert get(preview.url + "CNAME") == (200, "cakupan.example.org\n")  # content/CNAME -> site/CNAME
    assert (preview.out / "CNAME").is_file() and (preview.out / ".nojekyll").is_file()


def test_the_root_redirects_to_the_site_and_folders_get_their_index(preview):
    with urllib.request.urlopen(f"http://127.0.0.1:{preview.port}/", timeout=10) as response:
        assert response.url == preview.url
    with urllib.request.urlopen(preview.url + "contoh", timeout=10) as response:
        assert response.url == preview.url + "contoh/"
        assert "<title>" in response.read().decode()


def test_a_missing_page_gets_the_sites_404_and_nothing_outside_is_served(preview):
    status, page = get(preview.url + "tidak-ada/")
    assert status == 404 and "/cakupan/" in page and "__cakupan/reload.js" in page
    assert get(f"http://127.0.0.1:{preview.port}/lain/")[0] == 404
    connection = http.client.HTTPConnection("127.0.0.1", preview.port, timeout=10)
    connection.request("GET", "/cakupan/../../../../etc/passwd")
    response = connection.getresponse()
    assert response.status == 404 and b"root:" not in response.read()
    connection.close()


def test_an_edit_rebuilds_a_bad_edit_is_shown_and_the_next_good_edit_recovers(preview):
    snapshot = preview.settings.data / SNAPSHOT
    page = preview.url + "contoh/index.html"
    before = state(preview)
    assert before["ok"] and "21,43" in get(page)[1]

    edit(snapshot, "coverage: 21.43", "coverage: 22.75")
    after = next_build(preview, before["version"])
    assert after["ok"], after["error"]
    status, html = get(page)
    assert status == 200 and "22,75" in html and "21,43" not in html
    assert f'data-version="{after["version"]}"' in html

    edit(snapshot, "coverage: 22.75", "coverage: 99")
    broken = next_build(preview, after["version"])
    assert not broken["ok"]
    assert "2024-07-31.yaml:9: coverage: 99 % disagrees with participants / workforce" in broken["error"]
    status, html = get(page)
    assert status == 200  # still serving the last good build ...
    assert "22,75" in html
    assert 'id="cakupan-build-error" role="alert"' in html  # ... with the error over it
    assert "2024-07-31.yaml:9: coverage: 99 % disagrees" in html

    edit(snapshot, "coverage: 99", "coverage: 21.43")
    fixed = next_build(preview, broken["version"])
    assert fixed["ok"] and fixed["error"] is None
    status, html = get(page)
    assert status == 200 and "21,43" in html and "cakupan-build-error" not in html


def test_a_site_that_never_built_shows_the_error_and_keeps_answering(tmp_path):
    settings = project(tmp_path)
    edit(settings.data / SNAPSHOT, "coverage: 21.43", "coverage: [21.43]")
    running = Preview(settings, port=0, quiet=True)
    running.start()
    try:
        status, html = get(running.url + "contoh/index.html")
        assert status == 500
        assert "the site could not be built" in html and "coverage: is a list (a number expected)" in html
        assert "__cakupan/reload.js" in html  # it reloads itself once the data is fixed
        assert state(running) == {"version": 1, "ok": False, "error": running.error}
    finally:
        running.stop()
    assert not running.out.parent.exists()  # the temporary build is removed


def test_ctrl_c_stops_the_server_cleanly(tmp_path, monkeypatch, capsys):
    settings = project(tmp_path)
    edit(settings.data / SNAPSHOT, "coverage: 21.43", "coverage: [21.43]")  # fails fast: no charts to draw
    started = []

    def interrupted(self):
        started.append(self)
        raise KeyboardInterrupt

    monkeypatch.setattr(Preview, "wait", interrupted)
    assert serve(settings, port=0) == 0
    assert "stopped" in capsys.readouterr().out
    assert not started[0].out.parent.exists()


def test_a_port_in_use_is_a_clear_error_before_any_build(tmp_path):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        settings = Settings(data=tmp_path / "nothing-built", content=tmp_path, templates=tmp_path)
        with pytest.raises(UsageError, match=r"cannot listen on 127\.0\.0\.1:\d+: .*--port 0"):
            Preview(settings, port=taken.getsockname()[1], quiet=True).start()


def test_inject_puts_the_script_before_the_end_of_body_and_escapes_the_error():
    page = inject("<html><body><p>x</p></body></html>", 7, "a <b> & c")
    assert page.endswith('<script src="/__cakupan/reload.js" data-version="7"></script></body></html>')
    assert "a &lt;b&gt; &amp; c" in page and "<b>" not in page


@pytest.mark.parametrize("base_url, path", [(None, "/"), ("https://contoh.github.io/cakupan/", "/cakupan/"),
                                            ("https://contoh.github.io/cakupan", "/cakupan/"),
                                            ("https://data.example.org/", "/")])
def test_the_site_is_served_under_the_path_of_its_base_url(base_url, path):
    assert site_path(base_url) == path


def test_serve_has_help_and_refuses_a_bad_base_url(capsys):
    with pytest.raises(SystemExit) as exit:
        main(["serve", "--help"])
    assert exit.value.code == 0
    out = capsys.readouterr().out
    for option in ("--port", "--host", "--base-url", "--data"):
        assert option in out
    assert main(["serve", "--base-url", "example.org", "--port", "0"]) == 2
    assert "absolute http(s) address expected" in capsys.readouterr().err


def test_ctrl_c_during_the_first_build_stops_cleanly_too(tmp_path, monkeypatch, capsys):
    settings = project(tmp_path)
    made = []

    def interrupted(self):
        made.append(self)
        raise KeyboardInterrupt

    monkeypatch.setattr(Preview, "rebuild", interrupted)
    assert serve(settings, port=0) == 0  # returns: does not hang waiting for a server that never started
    assert "stopped" in capsys.readouterr().out
    assert not made[0].out.parent.exists()


def raw_get(preview: Preview, path: str, host: str | None = "default") -> tuple[int, bytes]:
    """GET the path exactly as given (no client-side normalisation), with the given Host header."""
    connection = http.client.HTTPConnection("127.0.0.1", preview.port, timeout=10)
    connection.putrequest("GET", path, skip_host=True, skip_accept_encoding=True)
    if host == "default":
        host = f"127.0.0.1:{preview.port}"
    if host is not None:
        connection.putheader("Host", host)
    connection.endheaders()
    response = connection.getresponse()
    body = response.read()
    connection.close()
    return response.status, body


@pytest.mark.parametrize("path", ["/cakupan/%2Fetc/passwd", "/cakupan/%2fetc/passwd", "/cakupan/%2F%2Fetc/passwd",
                                  "/cakupan//etc/passwd", "/cakupan/..%2F..%2F..%2Fetc/passwd",
                                  "/cakupan/%2e%2e/%2e%2e/%2e%2e/etc/passwd", "/cakupan/..%5c..%5cetc%5cpasswd",
                                  "/cakupan/%00/etc/passwd", "/%2Fetc/passwd"])
def test_no_encoded_path_reaches_a_file_outside_the_site(preview, path):
    status, body = raw_get(preview, path)
    assert status == 404 and b"root:" not in body


def test_a_symlink_out_of_the_served_folder_is_not_followed(preview, tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("rahasia\n")
    (preview.out / "bocor.txt").symlink_to(secret)
    (preview.out / "bocor").symlink_to(tmp_path, target_is_directory=True)
    try:
        assert raw_get(preview, "/cakupan/bocor.txt")[0] == 404
        assert raw_get(preview, "/cakupan/bocor/secret.txt")[0] == 404
        assert raw_get(preview, "/cakupan/contoh/index.html")[0] == 200
    finally:
        (preview.out / "bocor.txt").unlink()
        (preview.out / "bocor").unlink()


@pytest.mark.parametrize("host", ["127.0.0.1:{port}", "localhost:{port}", "LOCALHOST:{port}", "[::1]:{port}"])
def test_requests_to_the_servers_own_address_are_answered(preview, host):
    assert raw_get(preview, "/cakupan/", host.format(port=preview.port))[0] == 200


@pytest.mark.parametrize("host", ["evil.example:{port}", "127.0.0.1.nip.io:{port}", "localhost.evil.example:{port}",
                                  "127.0.0.1", "127.0.0.1:1", "localhost", "", None])
def test_a_request_addressed_to_another_name_is_refused(preview, host):
    """DNS rebinding: a page at evil.example whose name now resolves to 127.0.0.1 sends Host: evil.example."""
    status, body = raw_get(preview, "/cakupan/", host.format(port=preview.port) if host is not None else None)
    assert status == 421 and b"<html" not in body
    assert raw_get(preview, "/__cakupan/version", host.format(port=preview.port) if host else None)[0] == 421


# --------------------------------------------------------------------------- hostile inputs, watched


def hostile_folder(root: Path) -> Path:
    """A data folder holding what a pull request could put there (issue #18)."""
    data = root / "data"
    shutil.copytree(FIXTURES / "data", data)
    region = data / "contoh"
    os.mkfifo(region / "2024-08-31.yaml")
    (region / "2024-09-30.yaml").symlink_to("/dev/zero")
    with open(region / "2024-10-31.yaml", "wb") as sparse:
        sparse.truncate(10 * 10**9)  # 10 GB, none of it on disk
    (region / "rahasia.yaml").symlink_to("/etc/passwd")
    (region / "akar").symlink_to("/", target_is_directory=True)
    (region / "putaran").symlink_to(region / "putaran")  # a loop
    (region / "hilang.yaml").symlink_to(region / "tidak-ada.yaml")
    (data / "aa-tautan").symlink_to(region, target_is_directory=True)  # inside: walked (once)
    (data / "bukan-utf8-\udcff.yaml").write_bytes(b"x: 1\n")
    return data


def test_the_watcher_looks_at_hostile_entries_without_opening_one(tmp_path, monkeypatch):
    data = hostile_folder(tmp_path)

    def never(*args, **kwargs):
        raise AssertionError(f"opened {args[0]}")

    monkeypatch.setattr(os, "open", never)
    monkeypatch.setattr("builtins.open", never)
    started = time.monotonic()
    found = watch.look((data, tmp_path / "content"))
    assert time.monotonic() - started < 5
    monkeypatch.undo()
    kinds = {Path(path).relative_to(tmp_path).as_posix(): entry[0] for path, entry in found.items()}
    kinds.update({k.replace("aa-tautan", "contoh"): v for k, v in kinds.items() if "aa-tautan/" in k})
    assert kinds["data/contoh/2024-08-31.yaml"] == "special"  # a FIFO: looked at, never opened
    assert kinds["data/contoh/2024-09-30.yaml"] == "outside" and kinds["data/contoh/rahasia.yaml"] == "outside"
    assert kinds["data/contoh/2024-10-31.yaml"] == "file"
    assert found[str(data / "aa-tautan" / "2024-10-31.yaml")][2] == 10 * 10**9
    assert kinds["data/contoh/akar"] == "outside" and not any(k.startswith("data/contoh/akar/") for k in kinds)
    assert kinds["data/contoh/putaran"] == "broken" and kinds["data/contoh/hilang.yaml"] == "broken"
    assert kinds["data/aa-tautan/region.yaml"] == "file" and kinds["data/contoh"] == "again"
    assert kinds["data/bukan-utf8-\udcff.yaml"] == "file"
    assert kinds["content"] == "missing"


def test_a_folder_replaced_by_a_file_while_it_is_looked_at_is_no_error(tmp_path, monkeypatch):
    data = tmp_path / "data"
    shutil.copytree(FIXTURES / "data", data)
    region = data / "contoh"
    listdir = os.listdir

    def swapped(path):
        if Path(path) == region and region.is_dir():
            shutil.rmtree(region)
            region.write_text("now a file\n")
        return listdir(path)

    monkeypatch.setattr(os, "listdir", swapped)
    assert watch.look((data,))[str(region)][0] == "unreadable"
    monkeypatch.undo()

    stop = threading.Event()

    def toggle():  # a folder and a file, swapped as fast as possible while it is looked at
        while not stop.is_set():
            region.unlink() if region.is_file() else None
            shutil.copytree(FIXTURES / "data" / "contoh", region, dirs_exist_ok=True)
            shutil.rmtree(region, ignore_errors=True)
            region.write_text("a file\n")

    thread = threading.Thread(target=toggle)
    thread.start()
    try:
        for _ in range(200):
            watch.look((data,))
    finally:
        stop.set()
        thread.join()


def rebuilt_with(preview: Preview, after: int, text: str, timeout: float = 30) -> dict:
    """Wait for a build newer than `after` whose error contains text (a build of an
    in-between state, while the test replaces one entry by another, may come first)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        now = state(preview)
        if now["version"] > after and text in (now["error"] or ""):
            return now
        time.sleep(0.1)
    raise AssertionError(f"no build failing with {text!r} within {timeout} s (last: {state(preview)})")


def test_hostile_inputs_are_reported_as_the_build_does_and_the_last_good_site_stays(preview, monkeypatch):
    page = preview.url + "contoh/index.html"
    path = preview.settings.data / "contoh" / "2024-12-31.yaml"
    spare = path.with_name(".baru")
    last = state(preview)
    assert last["ok"]
    real_open = os.open

    def denied(name, *args, **kwargs):
        if Path(name) == path:
            raise PermissionError(13, "Permission denied", str(name))
        return real_open(name, *args, **kwargs)

    def fifo(spare):
        os.mkfifo(spare)

    def dev_zero(spare):
        spare.symlink_to("/dev/zero")

    def sparse(spare):
        with open(spare, "wb") as f:
            f.truncate(10 * 10**9)

    def unreadable(spare):
        spare.write_text("date: 2024-12-31\n")
        monkeypatch.setattr(os, "open", denied)

    cases = [(fifo, "2024-12-31.yaml: is a FIFO (named pipe), not a regular file"),
             (dev_zero, "2024-12-31.yaml: is a symlink to a file outside"),
             (sparse, "2024-12-31.yaml: file is 10,000,000,000 bytes (at most 1,000,000 expected)"),
             (unreadable, "2024-12-31.yaml: cannot be read (Permission denied)")]
    try:
        for make, message in cases:
            make(spare)
            os.replace(spare, path)  # one entry replaced by the next in one step
            last = rebuilt_with(preview, last["version"], message)
            status, html = get(page)
            assert status == 200 and "21,43" in html and "cakupan-build-error" in html  # the last good site
        monkeypatch.undo()
        path.unlink()
        path.mkdir()  # a folder where a snapshot is expected
        last = rebuilt_with(preview, last["version"], "2024-12-31.yaml: is a folder, not a regular file")
        assert preview._threads[-1].is_alive()  # the watcher is still at work
    finally:
        monkeypatch.undo()
        if path.is_dir() and not path.is_symlink():
            path.rmdir()
        elif path.exists() or path.is_symlink():
            path.unlink()
    fixed = next_build(preview, last["version"])
    assert fixed["ok"], fixed["error"]


def test_a_look_that_fails_is_said_and_the_next_look_goes_on(tmp_path, capsys):
    running = Preview(Settings(data=tmp_path, content=tmp_path, templates=tmp_path), port=0)
    looks = []

    def broken():
        looks.append(1)
        raise RuntimeError("a bug")

    running._scan = broken
    assert running.check() is False and running.check() is False and len(looks) == 2
    assert capsys.readouterr().err.count("cakupan serve: could not look at the inputs: RuntimeError: a bug") == 2


def test_a_message_with_a_name_that_is_not_utf8_is_printed_escaped(tmp_path, monkeypatch):
    running = Preview(Settings(data=tmp_path, content=tmp_path, templates=tmp_path), port=0)
    strict = io.TextIOWrapper(io.BytesIO(), encoding="utf-8")
    monkeypatch.setattr(sys, "stdout", strict)
    running._say("change in data/bukan-utf8-\udcff.yaml: rebuilding")
    strict.flush()
    assert strict.buffer.getvalue() == b"change in data/bukan-utf8-\\udcff.yaml: rebuilding\n"
    strict.close()
    running._say("a closed terminal is no error either")


def test_cakupan_serve_rebuilds_in_the_main_thread_where_markdown_has_its_budget(tmp_path):
    settings = project(tmp_path)
    running = Preview(settings, port=0, quiet=True)
    running.start(watcher_thread=False)  # as serve() starts it: wait() watches, in the calling thread
    try:
        assert len(running._threads) == 1  # the server's only
        assert running.check() is False  # nothing changed
        (settings.content / "lambat.md").write_text("# Lambat\n\n" + "-\n" * 24_000, encoding="utf-8")  # 73 s unbounded
        started = time.process_time()
        assert running.check() is True
        version, error, good = running.state()
        assert "content/lambat.md: takes too long to render as Markdown" in error and good
        assert time.process_time() - started < 10
    finally:
        running.stop()

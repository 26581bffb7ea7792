"""`cakupan verify`: a copy checked against hashes its editor cannot rewrite, every file and zip included."""

from __future__ import annotations

import http.server
import io
import re
import shutil
import threading
import zipfile
from functools import partial

import pytest

from generator.publish.archive import sha256
from generator.commands.cli import main

ZIP = "lampung/arsip/2024-09-24/laporan-lampung-2024-09-24.zip"


@pytest.fixture
def copy(site, tmp_path):
    out = tmp_path / "copy"
    shutil.copytree(site, out)
    return out


def run(capsys, *args) -> tuple[int, str]:
    capsys.readouterr()
    code = main(["verify", *map(str, args)])
    captured = capsys.readouterr()
    return code, captured.out + captured.err


def test_a_fresh_site_verifies_and_its_manifest_hash_is_published(site, capsys):
    code, out = run(capsys, site, "--against", site / "feed.xml")
    assert code == 0, out
    digest = sha256((site / "SHA256SUMS").read_bytes())
    assert f"SHA-256 of {site}/SHA256SUMS: {digest}" in out
    assert f'title="sha256:{digest}"' in (site / "feed.xml").read_text(encoding="utf-8")
    assert f"<code>{digest}</code>" in (site / "lampung/arsip/index.html").read_text(encoding="utf-8")
    listed = (site / "SHA256SUMS").read_text(encoding="utf-8")
    for path in ("lampung/index.html", "assets/site.js", ZIP, "charts/lampung/2025-12-08/target.png"):
        assert f"  {path}\n" in listed


def test_edits_to_latest_pages_and_shared_scripts_added_and_missing_files_are_found(copy, capsys):
    (copy / "lampung/index.html").write_text("diubah", encoding="utf-8")
    script = next(copy.glob("assets/*/site.js"))
    script.write_bytes(script.read_bytes() + b"\nalert(1)\n")
    (copy / "lampung/tambahan.html").write_text("baru", encoding="utf-8")
    (copy / "lampung/data/2025-08-13.csv").unlink()
    code, out = run(capsys, copy)
    assert code == 3
    assert "changed: lampung/index.html" in out
    assert f"changed: {script.relative_to(copy).as_posix()}" in out
    assert "added: lampung/tambahan.html" in out
    assert "missing: lampung/data/2025-08-13.csv" in out


def test_a_dropped_manifest_line_is_an_added_file(copy, capsys):
    manifest = copy / "SHA256SUMS"
    manifest.write_text("".join(l for l in manifest.read_text().splitlines(True) if "kota-metro/index" not in l))
    code, out = run(capsys, copy)
    assert code == 3 and "added: lampung/arsip/2024-09-24/kota-metro/index.html" in out


def test_an_edit_that_rewrites_the_manifest_too_is_caught_against_the_site(copy, site, capsys):
    page = copy / "lampung/arsip/2024-09-24/index.html"
    page.write_text(page.read_text(encoding="utf-8").replace("24,86", "42,86"), encoding="utf-8")
    manifest = copy / "SHA256SUMS"
    text = manifest.read_text(encoding="utf-8")
    text = re.sub(r"\w{64}(  lampung/arsip/2024-09-24/index\.html)", sha256(page.read_bytes()) + r"\1", text)
    manifest.write_text(text, encoding="utf-8")
    assert run(capsys, copy)[0] == 0  # consistent with itself: only an anchor outside the copy tells
    handler = partial(http.server.SimpleHTTPRequestHandler, directory=str(site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        code, out = run(capsys, copy, "--against", f"http://127.0.0.1:{server.server_port}/")
    finally:
        server.shutdown()
        server.server_close()
    assert code == 3
    assert "but http://127.0.0.1:" in out and "feed.xml states" in out


def test_against_the_frozen_records(project_with_frozen, capsys):
    data, site = project_with_frozen
    assert run(capsys, site, "--against", data)[0] == 0
    page = site / "contoh/arsip/2024-01-31/index.html"
    page.write_bytes(page.read_bytes() + b" ")
    manifest = site / "SHA256SUMS"
    manifest.write_text(re.sub(r"\w{64}(  contoh/arsip/2024-01-31/index\.html)", sha256(page.read_bytes()) + r"\1",
                               manifest.read_text(encoding="utf-8")), encoding="utf-8")
    code, out = run(capsys, site, "--against", data)
    assert code == 3 and "contoh/arsip/2024-01-31/index.html: differs from data/contoh/frozen/2024-01-31.json" in out


@pytest.fixture
def project_with_frozen(tmp_path, monkeypatch):
    from conftest import FIXTURES, REPO

    for name, source in (("data", FIXTURES / "data"), ("content", REPO / "content"),
                         ("templates", REPO / "templates")):
        shutil.copytree(source, tmp_path / name)
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("CAKUPAN_BASE_URL", raising=False)
    assert main(["freeze", "contoh", "2024-01-31"]) == 0
    assert main(["build"]) == 0
    return tmp_path / "data", tmp_path / "site"


def rezip(path, change) -> None:
    with zipfile.ZipFile(path) as z:
        entries = [(i, z.read(i)) for i in z.infolist()]
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as z:
        for info, data in entries:
            z.writestr(info, change(info.filename, data))
    path.write_bytes(buffer.getvalue())


def test_a_zip_with_a_bad_crc_is_found(copy, capsys):
    path = copy / ZIP
    data = bytearray(path.read_bytes())
    with zipfile.ZipFile(path) as z:
        info = z.infolist()[0]
    data[data.index(b"PK\x01\x02") + 16] ^= 0xFF  # the first entry's CRC-32, as the zip's directory lists it
    path.write_bytes(bytes(data))
    code, out = run(capsys, copy)
    assert code == 3 and f"zip: {ZIP}: {info.filename}: its CRC-32 does not match its bytes" in out
    assert f"changed: {ZIP}" in out


def test_an_edited_zip_entry_with_a_good_crc_is_found(copy, capsys):
    path = copy / ZIP
    rezip(path, lambda name, data: data.replace(b"24,86", b"42,86") if name.endswith("2024-09-24/index.html") else data)
    manifest = copy / "SHA256SUMS"  # and the site manifest rewritten to match the new zip
    manifest.write_text(re.sub(r"\w{64}(  " + re.escape(ZIP) + ")", sha256(path.read_bytes()) + r"\1",
                               manifest.read_text(encoding="utf-8")), encoding="utf-8")
    code, out = run(capsys, copy)
    assert code == 3 and f"zip: {ZIP}: lampung/arsip/2024-09-24/index.html: changed" in out


@pytest.mark.parametrize("content, message", [
    (b"\x89PNG\r\n\x1a\n\x00\x00binary", "not a manifest (not UTF-8 text"),
    (b"just some words\n", ":1: not a manifest line"),
    (b"%s  /etc/passwd\n" % (b"0" * 64), ":1: '/etc/passwd' is outside the site"),
    (b"%s  ../outside.txt\n" % (b"0" * 64), ":1: '../outside.txt' is outside the site"),
    (b"", "an empty manifest"),
    (None, "not a manifest (a folder, not a file)"),
])
def test_a_malformed_manifest_is_exit_2_naming_it(copy, capsys, content, message):
    manifest = copy / "SHA256SUMS"
    manifest.unlink()
    if content is None:
        manifest.mkdir()
    else:
        manifest.write_bytes(content)
    code, out = run(capsys, copy)
    assert code == 2, out
    assert "SHA256SUMS" in out and message in out
    assert "Traceback" not in out and "unexpected" not in out


def test_no_manifest_is_exit_2(copy, capsys):
    (copy / "SHA256SUMS").unlink()
    code, out = run(capsys, copy)
    assert code == 2 and "SHA256SUMS: missing" in out


def test_a_listed_file_that_links_outside_the_site_is_refused(copy, capsys, tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("rahasia", encoding="utf-8")
    page = copy / "lampung/kota-metro/index.html"
    page.unlink()
    page.symlink_to(secret)
    code, out = run(capsys, copy)
    assert code == 2 and "lampung/kota-metro/index.html is a link to a file outside the site: refused" in out

"""Dated reports: kept as published, told apart from the latest, frozen, verified, packed and announced."""

from __future__ import annotations

import io
import random
import re
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
import zipfile
from datetime import date as Date, datetime

import pytest

from generator.publish import archive
from generator.publish.archive import parse_manifest, sha256
from generator.errors import CakupanError
from generator.commands.cli import main
from conftest import FIXTURES, REPO

DATES = ("2023-12-31", "2024-09-24", "2025-08-13", "2025-12-08")
ATOM = "{http://www.w3.org/2005/Atom}"


def test_every_snapshot_has_its_full_dated_report(site):
    for day in DATES:
        folder = site / "lampung" / "arsip" / day
        assert (folder / "index.html").is_file()
        assert len(list(folder.glob("*/index.html"))) == 15 + (day != DATES[0])  # regencies (+ what changed)
        html = (folder / "index.html").read_text(encoding="utf-8")
        assert "Laporan arsip" in html and "Lihat laporan terbaru" in html


def test_a_dated_report_shows_the_figures_of_its_date(site):
    html = (site / "lampung/arsip/2024-09-24/index.html").read_text(encoding="utf-8")
    assert "24,86\u00a0%" in html and "760.468" in html and "24 September 2024" in html
    assert "25,27" not in html  # nothing from a later snapshot
    assert 'id="catatan-lampung-utara-dua-kali"' in html


def test_the_latest_report_links_to_its_permalink(site):
    html = (site / "lampung/index.html").read_text(encoding="utf-8")
    assert ('href="../lampung/arsip/2025-12-08/index.html">'
            'https://contoh.github.io/cakupan/lampung/arsip/2025-12-08/</a>') in html
    assert "Laporan arsip" not in html


def test_the_archive_index_lists_every_snapshot_with_its_change(site):
    html = (site / "lampung/arsip/index.html").read_text(encoding="utf-8")
    rows = re.findall(r'<a href="\.\./\.\./lampung/arsip/(\d{4}-\d\d-\d\d)/index.html">', html)
    assert rows == list(reversed(DATES))
    assert "−1,93\u00a0poin" in html  # Dec 2023 to Sept 2024
    assert html.count(".zip\" download>ZIP</a>") == 4


def test_what_changed_explains_the_split_in_words(site):
    html = (site / "lampung/arsip/2024-09-24/perubahan/index.html").read_text(encoding="utf-8")
    assert "cakupan per 24 September 2024 turun 1,93\u00a0poin meski jumlah peserta bertambah 28.477 orang" in html
    # "2,7 juta" workers in December 2023 leave the workforce part a range a hundredth wide
    assert "+0,99\u00a0poin" in html and "−2,93 hingga −2,91\u00a0poin" in html
    later = (site / "lampung/arsip/2025-12-08/perubahan/index.html").read_text(encoding="utf-8")
    assert "Target baru untuk 2026: 45,53\u00a0%" in later
    assert 'id="catatan-target-dinyatakan-ulang"' in later


def test_each_dated_report_ships_a_manifest(site):
    listed = parse_manifest((site / "lampung/arsip/2024-09-24/SHA256SUMS").read_text(encoding="utf-8"))
    assert "lampung/arsip/2024-09-24/index.html" in listed
    assert "lampung/data/2024-09-24.csv" in listed
    assert "charts/lampung/2024-09-24/peringkat.vl.json" in listed
    assert {"charts/lampung/2024-09-24/peringkat.svg", "charts/lampung/2024-09-24/peringkat.png"} <= set(listed)
    for path, digest in listed.items():
        assert sha256((site / path).read_bytes()) == digest
    # (cakupan verify checks the whole site against its root SHA256SUMS: tests/test_verify.py)


def test_the_zip_holds_the_report_offline(site):
    with zipfile.ZipFile(site / "lampung/arsip/2024-09-24/laporan-lampung-2024-09-24.zip") as z:
        names = z.namelist()
        assert names == sorted(names)
        prefix = "laporan-lampung-2024-09-24/"
        assert prefix + "index.html" in names and prefix + "SHA256SUMS" in names
        assert any(re.fullmatch(prefix + r"assets/[0-9a-f]{16}/vega\.js", n) for n in names)
        assert prefix + "metodologi/index.html" in names and prefix + "lampung/data/2024-09-24.csv" in names
        listed = parse_manifest(z.read(prefix + "SHA256SUMS").decode())
        assert sorted(prefix + p for p in listed) == sorted(n for n in names if n != prefix + "SHA256SUMS")
        for path, digest in listed.items():
            assert sha256(z.read(prefix + path)) == digest
        assert {i.date_time for i in z.infolist()} == {(2024, 9, 24, 0, 0, 0)}


def test_the_feed_is_valid_atom_with_an_entry_per_snapshot(site):
    root = ET.parse(site / "feed.xml").getroot()
    assert root.tag == ATOM + "feed"
    for name in ("id", "title", "updated", "author"):
        assert len(root.findall(ATOM + name)) == 1, name
    entries = root.findall(ATOM + "entry")
    assert len(entries) == 4
    ids = set()
    for entry in entries:
        for name in ("id", "title", "updated", "summary"):
            assert len(entry.findall(ATOM + name)) == 1, name
        datetime.strptime(entry.find(ATOM + "updated").text, "%Y-%m-%dT%H:%M:%SZ")
        assert entry.find(ATOM + "link").get("href").startswith("https://contoh.github.io/cakupan/lampung/arsip/")
        ids.add(entry.find(ATOM + "id").text)
    assert len(ids) == 4
    assert entries[0].find(ATOM + "title").text.startswith("Cakupan Jamsostek Lampung per 8 Desember 2025")
    assert root.find(ATOM + "updated").text == "2025-12-08T00:00:00Z"
    html = (site / "lampung/kota-metro/index.html").read_text(encoding="utf-8")
    assert '<link rel="alternate" type="application/atom+xml" href="../../feed.xml"' in html


@pytest.fixture
def project(tmp_path, monkeypatch):
    """A copy of the synthetic project to freeze and edit."""
    shutil.copytree(FIXTURES / "data", tmp_path / "data")
    shutil.copytree(REPO / "content", tmp_path / "content")
    shutil.copytree(REPO / "templates", tmp_path / "templates")
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("CAKUPAN_BASE_URL", raising=False)
    return tmp_path


# Freezing keeps every byte, whatever the templates later make: tests/test_permanence.py.


def test_republishing_with_a_reason_shows_a_correction(project, capsys, monkeypatch):
    assert main(["freeze", "contoh", "2024-01-31"]) == 0
    data = project / "data/contoh/2024-01-31.yaml"
    data.write_text(data.read_text(encoding="utf-8").replace("coverage: 31.5", "coverage: 31.6"), encoding="utf-8")
    assert main(["build"]) == 2
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")  # 2026-01-01
    assert main(["freeze", "contoh", "2024-01-31", "--republish", "Angka Kota Pelabuhan salah ketik."]) == 0
    assert main(["build"]) == 0
    html = (project / "site/contoh/arsip/2024-01-31/index.html").read_text(encoding="utf-8")
    assert "Koreksi 1 Januari 2026.</strong> Angka Kota Pelabuhan salah ketik." in html
    feed = (project / "site/feed.xml").read_text(encoding="utf-8")
    assert "<title>Koreksi laporan Contoh Sintetis per 31 Januari 2024</title>" in feed


def test_a_new_snapshot_leaves_frozen_reports_alone(project):
    assert main(["freeze", "contoh", "2024-01-31"]) == 0
    newer = project / "data/contoh/2024-12-31.yaml"
    text = (project / "data/contoh/2024-07-31.yaml").read_text(encoding="utf-8")
    newer.write_text(text.replace("date: 2024-07-31", "date: 2024-12-31").replace("coverage: 33.0", "coverage: 35.0"),
                     encoding="utf-8")
    assert main(["build"]) == 0


def test_freeze_refuses_what_it_cannot_do(project, capsys):
    assert main(["freeze", "contoh", "2023-01-01"]) == 2
    assert "has no snapshot dated 2023-01-01" in capsys.readouterr().err
    assert main(["freeze", "contoh", "2024-01-31", "--republish", "x"]) == 2
    assert "is not frozen yet" in capsys.readouterr().err
    assert main(["freeze", "contoh", "2024-01-31"]) == 0
    assert main(["freeze", "contoh", "2024-01-31"]) == 2
    assert "is frozen already" in capsys.readouterr().err


def test_a_frozen_report_holds_for_its_base_url_only(project, capsys):
    assert main(["freeze", "contoh", "2024-01-31"]) == 0
    assert main(["build", "--base-url", "https://contoh.github.io/cakupan/"]) == 2
    assert "was frozen for the base URL (none)" in capsys.readouterr().err


# --------------------------------------------------------------------------- the zip itself


def zip_inputs() -> dict[str, bytes]:
    noise = random.Random(7).randbytes(50_000)  # deflate cannot shrink it: stored
    return {
        "assets/vega.js": b"(function(){var vega={};" + b"vega.x=function(a){return a*2};\n" * 30_000 + b"})();",
        "assets/style.css": b"body{margin:0}\n" * 200,
        "lampung/arsip/2024-09-24/index.html": "<p>Cakupan 24,86\u00a0%</p>\n".encode() * 400,
        "charts/peta.png": noise,
        "data/kosong.csv": b"",
        "data/satu.txt": b"x",
        "catatan/ringkasan-\u00e9.txt": "Ringkasan per kabupaten\n".encode() * 100,
    }


def test_the_snapshot_zip_round_trips_through_zipfile():
    files = zip_inputs()
    data = archive.snapshot_zip("laporan-x", files, Date(2024, 9, 24))
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        assert z.testzip() is None  # every CRC checks
        assert z.namelist() == [f"laporan-x/{p}" for p in sorted(files)]
        for info in z.infolist():
            assert z.read(info) == files[info.filename.removeprefix("laporan-x/")]
            assert info.date_time == (2024, 9, 24, 0, 0, 0)
            assert info.external_attr == 0o644 << 16 and info.create_system == 3
        kinds = {i.filename: i.compress_type for i in z.infolist()}
        assert kinds["laporan-x/assets/vega.js"] == zipfile.ZIP_DEFLATED
        assert z.getinfo("laporan-x/assets/vega.js").compress_size < 50_000
        assert kinds["laporan-x/charts/peta.png"] == zipfile.ZIP_STORED  # deflate would only grow it
        assert kinds["laporan-x/data/kosong.csv"] == zipfile.ZIP_STORED


def test_the_snapshot_zip_is_the_same_whatever_was_zipped_before(monkeypatch):
    files, when = zip_inputs(), Date(2024, 9, 24)
    archive.clear_zip_memo()
    first = archive.snapshot_zip("laporan-x", files, when)  # compressed now
    assert archive.snapshot_zip("laporan-x", files, when) == first  # from the memo
    archive.snapshot_zip("laporan-y", {"a.txt": b"a" * 5000, **files}, Date(2023, 1, 1))
    assert archive.snapshot_zip("laporan-x", dict(reversed(files.items())), when) == first
    archive.clear_zip_memo()
    assert archive.snapshot_zip("laporan-x", files, when) == first
    monkeypatch.setattr(archive, "_MEMO_BYTES", 40_000)  # smaller than some files: the memo stays bounded
    archive.clear_zip_memo()
    for _ in range(2):
        assert archive.snapshot_zip("laporan-x", files, when) == first
        assert archive._memo_size <= 40_000
    archive.clear_zip_memo()
    # another process, which has compressed nothing yet
    script = ("import hashlib, sys; from datetime import date; from generator.publish import archive; "
              "sys.path.insert(0, 'tests'); from test_archive import zip_inputs; "
              "print(hashlib.sha256(archive.snapshot_zip('laporan-x', zip_inputs(), date(2024, 9, 24))).hexdigest())")
    out = subprocess.run([sys.executable, "-c", script], cwd=REPO, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == sha256(first)


@pytest.mark.skipif(shutil.which("unzip") is None, reason="unzip is not installed")
def test_unzip_accepts_the_snapshot_zip(tmp_path):
    path = tmp_path / "laporan-x.zip"
    path.write_bytes(archive.snapshot_zip("laporan-x", zip_inputs(), Date(1975, 6, 1)))  # dated 1980 at the earliest
    result = subprocess.run(["unzip", "-t", str(path)], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "No errors detected" in result.stdout


def test_the_snapshot_zip_refuses_what_a_zip_without_zip64_cannot_hold():
    class Huge(bytes):
        def __len__(self):
            return 1 << 32

    with pytest.raises(CakupanError, match="goes past the 4 GB a zip without ZIP64 holds"):
        archive.snapshot_zip("laporan-x", {"a.bin": Huge(b"x")}, Date(2024, 9, 24))
    with pytest.raises(CakupanError, match="after 2107"):
        archive.snapshot_zip("laporan-x", {"a.txt": b"a"}, Date(2108, 1, 1))

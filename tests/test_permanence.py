"""Published means permanent: a frozen report's every byte, and every address the site offered, survive
later builds from a clean checkout (new snapshots, template, stylesheet and script edits)."""

from __future__ import annotations

import json
import os
import re
import shutil
import xml.etree.ElementTree as ET
from pathlib import Path, PurePosixPath
from urllib.parse import unquote, urlsplit

import pytest

from conftest import FIXTURES, REPO
from generator.publish.archive import sha256
from generator.commands.cli import main

BASE = "https://contoh.github.io/cakupan/"
ATTR = re.compile(r'\b(?:href|src|data-runtime)="([^"#?]+)[^"]*"')  # data-runtime: the chart runtime site.js loads on demand


@pytest.fixture(scope="module")
def shared_cache(tmp_path_factory) -> Path:
    """One build cache for these tests (images drawn once); as on GitHub Pages, a restored cache never
    holds a previous site: that comes from the repository alone."""
    return tmp_path_factory.mktemp("cache")


@pytest.fixture
def project(tmp_path, monkeypatch, shared_cache):
    shutil.copytree(FIXTURES / "data", tmp_path / "data")
    shutil.copytree(REPO / "content", tmp_path / "content")
    shutil.copytree(REPO / "templates", tmp_path / "templates")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("CAKUPAN_BASE_URL", BASE)
    monkeypatch.setenv("CAKUPAN_CACHE_DIR", str(shared_cache))
    return tmp_path


def clean_checkout(project: Path) -> None:
    """No previous site/, and no record of it in the cache (so nothing can be kept from it)."""
    shutil.rmtree(project / "site")
    shutil.rmtree(Path(os.environ["CAKUPAN_CACHE_DIR"]) / "sites", ignore_errors=True)


def files_of(site: Path) -> dict[str, bytes]:
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in sorted(site.rglob("*")) if p.is_file()}


def offered(site: Path) -> set[str]:
    """Every address of the site that a page, the sitemap or the feed links, as a path from its root."""
    found = set()
    for page in site.rglob("*.html"):
        here = PurePosixPath(page.relative_to(site).as_posix()).parent
        for target in ATTR.findall(page.read_text(encoding="utf-8")):
            if "://" in target or target.startswith(("mailto:", "data:", "/")):
                continue
            found.add(_normal(here / unquote(target)))
    for loc in ET.parse(site / "sitemap.xml").getroot().iter("{http://www.sitemaps.org/schemas/sitemap/0.9}loc"):
        found.add(loc.text.removeprefix(BASE))
    for link in ET.parse(site / "feed.xml").getroot().iter("{http://www.w3.org/2005/Atom}link"):
        found.add(urlsplit(link.get("href")).path.removeprefix(urlsplit(BASE).path))
    return {p for p in found if p}


def _normal(path: PurePosixPath) -> str:
    parts: list[str] = []
    for part in path.parts:
        if part == "..":
            parts.pop()
        elif part != ".":
            parts.append(part)
    return "/".join(parts)


def answers(site: Path, address: str) -> bool:
    target = site / address
    return target.is_file() or (target / "index.html").is_file()


def new_snapshot(project: Path) -> None:
    text = (project / "data/contoh/2024-07-31.yaml").read_text(encoding="utf-8")
    (project / "data/contoh/2024-12-31.yaml").write_text(
        text.replace("date: 2024-07-31", "date: 2024-12-31").replace("coverage: 33.0", "coverage: 35.0"),
        encoding="utf-8")


def edit_templates(project: Path) -> None:
    """A stylesheet rule, a script line, a page template and the zip's index page, all changed."""
    (project / "templates/assets/style.css").open("a").write("\nbody { color: #123456; }\n")
    (project / "templates/assets/site.js").open("a").write("\n// a later version\n")
    for name, old, new in (("base.html", "Langsung ke isi", "Lompat ke isi"),
                           ("zip-index.html", "buka laporan", "buka laporannya")):
        path = project / "templates" / name
        text = path.read_text(encoding="utf-8")
        assert old in text
        path.write_text(text.replace(old, new), encoding="utf-8")


def record(project: Path, day: str) -> dict:
    return json.loads((project / f"data/contoh/frozen/{day}.json").read_text(encoding="utf-8"))


def test_freeze_records_every_byte_a_reader_receives(project):
    assert main(["freeze", "contoh", "2024-07-31"]) == 0
    assert main(["build"]) == 0
    files = record(project, "2024-07-31")["files"]
    prefix = "contoh/arsip/2024-07-31/"
    for path in (prefix + "index.html", prefix + "SHA256SUMS", prefix + "laporan-contoh-2024-07-31.zip",
                 "contoh/data/2024-07-31.csv", "charts/contoh/2024-07-31/peta.vl.json"):
        assert path in files, path
    page = (project / "site" / prefix / "index.html").read_text(encoding="utf-8")
    loaded = {_normal(PurePosixPath(prefix) / t) for t in ATTR.findall(page) if "assets/" in t}
    assert {p.rsplit("/", 1)[1] for p in loaded} >= {"style.css", "site.js", "vega.js", "favicon.svg"}
    assert loaded <= set(files)  # the assets it loads, at their content addresses
    assert all(re.fullmatch(r"assets/[0-9a-f]{16}/[a-z.]+", p) for p in loaded)
    # the chart images its date's latest report offered (the latest then)
    assert "charts/contoh/2024-07-31/peta.png" in files and "charts/contoh/2024-07-31/peta.svg" in files
    for path, digest in files.items():
        assert sha256((project / "site" / path).read_bytes()) == digest, path
        assert sha256((project / "data/contoh/frozen/files" / digest).read_bytes()) == digest


def test_template_stylesheet_and_script_edits_change_new_reports_only(project):
    assert main(["freeze", "contoh", "2024-01-31"]) == 0
    assert main(["build"]) == 0
    before = files_of(project / "site")
    frozen = record(project, "2024-01-31")["files"]
    published = sorted(p for p in before if p.startswith("contoh/arsip/2024-07-31/"))  # made, never frozen
    assert published
    edit_templates(project)
    new_snapshot(project)
    clean_checkout(project)  # (a deploy: no previous site, the build cache restored)
    assert main(["build"]) == 0
    after = files_of(project / "site")
    for path in [*frozen, *published]:
        assert after[path] == before[path], path  # pages, zip, manifest and the assets they load
    assert b"Lompat ke isi" not in after["contoh/arsip/2024-01-31/index.html"]
    assert b"Lompat ke isi" not in after["contoh/arsip/2024-07-31/index.html"]
    newer = after["contoh/arsip/2024-12-31/index.html"].decode()
    assert "Lompat ke isi" in newer and "Lompat ke isi" in after["contoh/index.html"].decode()
    css = next(t for t in ATTR.findall(newer) if t.endswith("style.css"))
    assert after[_normal(PurePosixPath("contoh/arsip/2024-12-31") / css)].endswith(b"color: #123456; }\n")
    assert after["assets/style.css"].endswith(b"color: #123456; }\n")  # the old address: the newest bytes
    old = next(t for t in ATTR.findall(after["contoh/arsip/2024-07-31/index.html"].decode()) if t.endswith("style.css"))
    assert after[_normal(PurePosixPath("contoh/arsip/2024-07-31") / old)] == before["assets/style.css"]


def test_a_build_without_the_cache_makes_every_report_not_frozen_with_todays_templates(project):
    assert main(["freeze", "contoh", "2024-01-31"]) == 0
    assert main(["build"]) == 0
    before = files_of(project / "site")
    edit_templates(project)
    assert main(["build", "--no-cache"]) == 0
    after = files_of(project / "site")
    for path in record(project, "2024-01-31")["files"]:
        assert after[path] == before[path], path
    assert b"Lompat ke isi" in after["contoh/arsip/2024-07-31/index.html"]


def test_no_address_disappears_after_a_new_snapshot_and_a_template_edit(project):
    for day in ("2024-01-31", "2024-07-31"):
        assert main(["build"]) == 0
        assert main(["freeze", "contoh", day]) == 0
    assert main(["build"]) == 0
    site = project / "site"
    before, addresses = files_of(site), offered(site)
    assert "charts/contoh/2024-07-31/peta.png" in addresses  # a download of the latest report
    frozen = {p for day in ("2024-01-31", "2024-07-31") for p in record(project, day)["files"]}
    new_snapshot(project)
    edit_templates(project)
    clean_checkout(project)
    assert main(["build"]) == 0
    gone = sorted(a for a in addresses if not answers(site, a))
    assert gone == []
    after = files_of(site)
    changed = sorted(p for p in addresses & frozen if after[p] != before[p])
    assert changed == []
    assert "charts/contoh/2024-12-31/peta.png" in after  # and the new latest has its own


def test_a_stored_file_edited_in_the_repository_stops_the_build(project, capsys):
    assert main(["freeze", "contoh", "2024-01-31"]) == 0
    digest = record(project, "2024-01-31")["files"]["contoh/arsip/2024-01-31/index.html"]
    blob = project / "data/contoh/frozen/files" / digest
    blob.write_bytes(blob.read_bytes().replace(b"20,0", b"29,0"))
    capsys.readouterr()
    assert main(["build"]) == 2
    assert f"data/contoh/frozen/files/{digest}: its bytes no longer have the SHA-256" in capsys.readouterr().err
    blob.unlink()
    assert main(["build"]) == 2
    assert "missing (the bytes of contoh/arsip/2024-01-31/index.html" in capsys.readouterr().err
    assert not (project / "site").exists()


def test_republishing_with_nothing_changed_is_refused(project, capsys):
    assert main(["freeze", "contoh", "2024-01-31"]) == 0
    before = (project / "data/contoh/frozen/2024-01-31.json").read_bytes()
    capsys.readouterr()
    assert main(["freeze", "contoh", "2024-01-31", "--republish", "Tidak ada yang berubah."]) == 2
    assert "nothing to re-publish" in capsys.readouterr().err
    assert (project / "data/contoh/frozen/2024-01-31.json").read_bytes() == before


def test_a_data_fix_stops_the_build_until_republished_then_old_bytes_are_pruned(project, capsys):
    assert main(["freeze", "contoh", "2024-01-31"]) == 0
    old = set(record(project, "2024-01-31")["files"].values())
    data = project / "data/contoh/2024-01-31.yaml"
    data.write_text(data.read_text(encoding="utf-8") + "# a comment changes nothing\n", encoding="utf-8")
    assert main(["build"]) == 0
    data.write_text(data.read_text(encoding="utf-8").replace("coverage: 31.5", "coverage: 31.6"), encoding="utf-8")
    capsys.readouterr()
    assert main(["build"]) == 2
    assert "the report contoh 2024-01-31 is frozen, but its data changed" in capsys.readouterr().err
    assert main(["freeze", "contoh", "2024-01-31", "--republish", "Angka salah ketik.", "--on", "2026-01-01"]) == 0
    assert main(["build"]) == 0
    new = set(record(project, "2024-01-31")["files"].values())
    stored = {p.name for p in (project / "data/contoh/frozen/files").iterdir()}
    assert stored == new and old - new  # the replaced bytes are no longer kept


def test_a_data_change_no_reader_sees_updates_the_key_without_a_correction(project, capsys):
    """As when the code reads the same data differently: the build stops, and re-publishing keeps the report."""
    assert main(["freeze", "contoh", "2024-01-31"]) == 0
    path = project / "data/contoh/frozen/2024-01-31.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    files = data["files"]
    data["data_key"] = "0" * 64
    path.write_text(json.dumps(data), encoding="utf-8")
    assert main(["build"]) == 2
    capsys.readouterr()
    assert main(["freeze", "contoh", "2024-01-31", "--republish", "Tidak terlihat pembaca."]) == 0
    assert "data key updated, no correction" in capsys.readouterr().out
    after = record(project, "2024-01-31")
    assert after["files"] == files and after["corrections"] == [] and after["data_key"] != "0" * 64
    assert main(["build"]) == 0

"""The golden sites: small synthetic inputs built and compared file by file.

tests/golden/expected is the committed output of building tests/fixtures/data
with the real content/ and templates/; tests/golden/national that of the
national fixture (tests/fixtures/national: a national series, five provinces,
the other 33 without data), built without a base URL. Any change to what the
site writes shows up here as a diff; after an intended change, `make golden`
rewrites the expected trees (review them before committing). In the national
tree, zips, PNG images and the search index's compressed files are kept as their
SHA-256 (BINARY_SUMS), which says
as much about a change and keeps the tree small.
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
from pathlib import Path

from generator.site import assets
from generator.commands.build import Settings, build
from conftest import FIXTURES, REPO

EXPECTED = REPO / "tests" / "golden" / "expected"
HONEST = REPO / "tests" / "golden" / "honest"
NATIONAL = REPO / "tests" / "golden" / "national"
BINARY_SUMS = "BINARY.sha256"  # in the national tree: "<sha256>  <path>" for each file ending in BINARY
BINARY = (".zip", ".png", ".pagefind", ".pf_fragment", ".pf_index", ".pf_meta")  # (gzip and images)
BUNDLE = re.compile(r"assets/([0-9a-f]{16}/)?vega\.js")  # 900 KB of third-party JavaScript: by hash, not stored


def tree(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def test_golden_site(tmp_path):
    out = tmp_path / "site"
    build(Settings(data=FIXTURES / "data", out=out, content=REPO / "content", templates=REPO / "templates",
                   base_url="https://contoh.github.io/cakupan/"))
    built = tree(out)
    bundles = [built.pop(p) for p in sorted(built) if BUNDLE.fullmatch(p)]
    assert len(bundles) == 2  # at assets/vega.js, and at its content address
    for bundle in bundles:
        assert hashlib.sha256(bundle).hexdigest() == hashlib.sha256(assets.RUNTIME.read_bytes()).hexdigest()
    if os.environ.get("CAKUPAN_UPDATE_GOLDEN"):
        shutil.rmtree(EXPECTED, ignore_errors=True)
        for path, data in built.items():
            (EXPECTED / path).parent.mkdir(parents=True, exist_ok=True)
            (EXPECTED / path).write_bytes(data)
    expected = tree(EXPECTED)
    assert sorted(built) == sorted(expected), "files added or missing: run `make golden` if intended"
    differ = [path for path in built if built[path] != expected[path]]
    assert not differ, f"{len(differ)} files differ from tests/golden/expected, e.g. {differ[:5]}"


def _words(root: Path) -> dict[str, bytes]:
    """The pages and downloads, where every figure is printed (charts and assets are the other golden's)."""
    return {p: data for p, data in tree(root).items()
            if p.endswith((".html", ".csv", ".json", ".xml")) and not p.startswith(("charts/", "embed/", "assets/"))
            and not p.endswith(".vl.json")}


def test_golden_honest_site(tmp_path):
    """Three fictional provinces with every kind of published figure (tests/fixtures/honest): the words
    and numbers of every page and download, compared with tests/golden/honest."""
    out = tmp_path / "site"
    build(Settings(data=FIXTURES / "honest", out=out, content=REPO / "content", templates=REPO / "templates"))
    built = _words(out)
    if os.environ.get("CAKUPAN_UPDATE_GOLDEN"):
        shutil.rmtree(HONEST, ignore_errors=True)
        for path, data in built.items():
            (HONEST / path).parent.mkdir(parents=True, exist_ok=True)
            (HONEST / path).write_bytes(data)
    expected = tree(HONEST)
    assert sorted(built) == sorted(expected), "files added or missing: run `make golden` if intended"
    differ = [path for path in built if built[path] != expected[path]]
    assert not differ, f"{len(differ)} files differ from tests/golden/honest, e.g. {differ[:5]}"


def test_two_builds_are_byte_identical(tmp_path):
    settings = dict(data=FIXTURES / "data", content=REPO / "content", templates=REPO / "templates")
    build(Settings(out=tmp_path / "a", **settings))
    build(Settings(out=tmp_path / "b", **settings))
    assert tree(tmp_path / "a") == tree(tmp_path / "b")


def test_golden_national_site(tmp_path):
    out = tmp_path / "site"
    build(Settings(data=FIXTURES / "national", out=out, content=REPO / "content", templates=REPO / "templates"))
    built = tree(out)
    assert len([built.pop(p) for p in sorted(built) if BUNDLE.fullmatch(p)]) == 2  # (compared in test_golden_site)
    binary = {p: built.pop(p) for p in sorted(built) if p.endswith(BINARY)}
    built[BINARY_SUMS] = "".join(f"{hashlib.sha256(data).hexdigest()}  {p}\n" for p, data in binary.items()).encode()
    if os.environ.get("CAKUPAN_UPDATE_GOLDEN"):
        shutil.rmtree(NATIONAL, ignore_errors=True)
        for path, data in built.items():
            (NATIONAL / path).parent.mkdir(parents=True, exist_ok=True)
            (NATIONAL / path).write_bytes(data)
    expected = tree(NATIONAL)
    assert sorted(built) == sorted(expected), "files added or missing: run `make golden` if intended"
    differ = [path for path in built if built[path] != expected[path]]
    assert not differ, f"{len(differ)} files differ from tests/golden/national, e.g. {differ[:5]}"

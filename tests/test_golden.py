"""The golden site: a small synthetic input built and compared file by file.

tests/golden/expected is the committed output of building tests/fixtures/data
with the real content/ and templates/. Any change to what the site writes
shows up here as a diff; after an intended change, `make golden` rewrites
the expected tree (review it before committing).
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
from pathlib import Path

from generator import charts
from generator.build import Settings, build
from conftest import FIXTURES, REPO

EXPECTED = REPO / "tests" / "golden" / "expected"
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
        assert hashlib.sha256(bundle).hexdigest() == hashlib.sha256(charts.javascript_bundle().encode()).hexdigest()
    if os.environ.get("CAKUPAN_UPDATE_GOLDEN"):
        shutil.rmtree(EXPECTED, ignore_errors=True)
        for path, data in built.items():
            (EXPECTED / path).parent.mkdir(parents=True, exist_ok=True)
            (EXPECTED / path).write_bytes(data)
    expected = tree(EXPECTED)
    assert sorted(built) == sorted(expected), "files added or missing: run `make golden` if intended"
    differ = [path for path in built if built[path] != expected[path]]
    assert not differ, f"{len(differ)} files differ from tests/golden/expected, e.g. {differ[:5]}"


def test_two_builds_are_byte_identical(tmp_path):
    settings = dict(data=FIXTURES / "data", content=REPO / "content", templates=REPO / "templates")
    build(Settings(out=tmp_path / "a", **settings))
    build(Settings(out=tmp_path / "b", **settings))
    assert tree(tmp_path / "a") == tree(tmp_path / "b")

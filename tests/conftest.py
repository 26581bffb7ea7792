"""Shared fixtures: the real data, and one build of the real site for every site test."""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

import pytest

from generator.commands.build import Settings, build
from generator.data.dataset import load_dataset

REPO = Path(__file__).resolve().parent.parent
FIXTURES = REPO / "tests" / "fixtures"

# A build cache of the test session's own, never the user's: a dated report found there is kept as it
# was made (publish/rebuild.py), so a cache filled before a template edit would hide the edit.
os.environ["CAKUPAN_CACHE_DIR"] = tempfile.mkdtemp(prefix="cakupan-test-cache-")


def need(program: str) -> str:
    """The path of a program the test drives; skip without it, except in CI where it must be there."""
    path = shutil.which(program)
    if path is None:
        if os.environ.get("CI"):
            pytest.fail(f"{program} is not installed (make test installs it: tools/system-deps)")
        pytest.skip(f"{program} is not installed")
    return path


@pytest.fixture(scope="session")
def lampung():
    return load_dataset(REPO / "data").regions[0]


@pytest.fixture(scope="session")
def site(tmp_path_factory) -> Path:
    """The real Lampung site, built once, with a base URL as on GitHub Pages."""
    out = tmp_path_factory.mktemp("built") / "site"
    build(Settings(data=REPO / "data", out=out, content=REPO / "content", templates=REPO / "templates",
                   base_url="https://contoh.github.io/cakupan/"))
    return out


# A reader reaching for every chart (what site.js waits for before it loads the chart runtime),
# for pages opened by a browser with no pointer (chromium --dump-dom): a script a test copy loads.
REACH = """document.addEventListener("DOMContentLoaded", function () {
  document.querySelectorAll(".chart-view").forEach(function (v) { v.dispatchEvent(new PointerEvent("pointerenter")); });
});
"""


def load_first(page: Path, script: str) -> None:
    """Make page (a test copy) load assets/<script> right after its Content-Security-Policy."""
    import re

    text = page.read_text(encoding="utf-8")
    meta = re.search(r'<meta http-equiv="Content-Security-Policy"[^>]*>\n', text)
    assert meta, page
    root = re.search(r'href="((?:\.\./)*)assets/(?:[0-9a-f]{16}/)?style.css"', text).group(1)
    page.write_text(text[: meta.end()] + f'<script src="{root}assets/{script}"></script>\n' + text[meta.end():],
                    encoding="utf-8")


# In a browser page: for each chart image shown, [its figure's id, the image it shows, its smallest text
# in screen pixels] (the smallest font size in that SVG times the scale it is shown at).
SMALLEST_TEXT = """async () => {
    const out = [];
    for (const img of document.querySelectorAll('.chart-view img')) {
        await img.decode();
        const svg = await (await fetch(img.currentSrc)).text();
        const sizes = [...svg.matchAll(/font-size="([\\d.]+)px"/g)].map(m => Number(m[1]));
        const scale = img.getBoundingClientRect().width / img.naturalWidth;
        out.push([img.closest('figure, body').id || img.currentSrc, img.currentSrc, Math.min(...sizes) * scale]);
    }
    return out;
}"""

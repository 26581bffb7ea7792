"""The phone budget (issue #14): what each page type loads before any interaction, gzipped.

Lighthouse (bench/lighthouse.py, a benchmark) measures the transfer itself;
this fast check adds up, for one page of each type in the built Lampung site,
the gzipped bytes of the page and of everything it loads before a reader
reaches for a chart: its stylesheet, scripts, icon and every chart image it
names (all of them, as if none were lazy). The chart runtime (vega.js) is not
among them: site.js loads it on demand. GitHub Pages serves text gzipped; level
6 is gzip's default.
"""

from __future__ import annotations

import gzip
import re
from pathlib import Path

import pytest

BUDGET = 150_000
PAGES = [
    "index.html",  # (one region: its report is the home page; bench/lighthouse.py measures a national one)
    "lampung/index.html",
    "lampung/kota-metro/index.html",
    "lampung/arsip/2024-09-24/index.html",
    "lampung/arsip/2025-12-08/perubahan/index.html",
    "lampung/arsip/index.html",
    "data/index.html",
    "embed/lampung/2025-12-08/target/index.html",
]
LOADED = re.compile(r'<(?:link rel="(?:stylesheet|icon)"[^>]* href|script src|img src)="([^"]+)"')


def before_interaction(site: Path, page: str) -> dict[str, int]:
    """Each file the page loads before any interaction, and its gzipped size."""
    path = site / page
    html = path.read_bytes()
    sizes = {page: len(gzip.compress(html, 6))}
    for ref in LOADED.findall(html.decode("utf-8")):
        file = (path.parent / ref).resolve()
        sizes[file.relative_to(site.resolve()).as_posix()] = len(gzip.compress(file.read_bytes(), 6))
    return sizes


@pytest.mark.parametrize("page", PAGES)
def test_a_page_loads_at_most_150_kb_gzipped_before_any_interaction(site, page):
    sizes = before_interaction(site, page)
    assert "assets/site.js" in sizes or "embed" not in page
    assert not any(name.endswith("vega.js") for name in sizes), sizes  # the runtime waits for a reader
    assert sum(sizes.values()) <= BUDGET, sizes


def test_the_budget_counts_what_a_page_loads(site):
    sizes = before_interaction(site, "lampung/arsip/2024-09-24/index.html")
    assert {"assets/style.css", "assets/site.js", "assets/favicon.svg", "charts/lampung/2024-09-24/peta.svg"} <= set(sizes)

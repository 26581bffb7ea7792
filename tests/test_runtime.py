"""The chart runtime (generator/site/vega.js): built from its sources as they are, and enough for every chart.

The runtime is Vega alone with the transforms the charts use (runtime/charts.js), bundled by
`make runtime` and committed. These tests hold the committed bundle to its sources, to the Vega
that draws the images, and to the charts pages embed: compiled to Vega at build time, using no
transform the runtime leaves out. The browser tests (test_playwright.py, test_csp.py) then draw
every chart of a page with it.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import re
from pathlib import Path

import vl_convert

from conftest import REPO
from generator.site import assets

RUNTIME = REPO / "runtime"
GOLDEN = REPO / "tests" / "golden" / "expected"
SPEC = re.compile(r'<script type="application/json" id="grafik-[^"]*-spec">(.*?)</script>', re.S)

# The transforms of the three families charts.js registers (vega-transforms, vega-view-transforms,
# vega-encode), by the name a Vega spec gives them.
REGISTERED = {
    "aggregate", "bin", "collect", "compare", "countpattern", "cross", "density", "dotbin", "expression",
    "extent", "facet", "field", "filter", "flatten", "fold", "formula", "generate", "impute",
    "joinaggregate", "kde", "key", "load", "lookup", "multiextent", "multivalues", "params", "pivot",
    "prefacet", "project", "proxy", "quantile", "relay", "sample", "sequence", "sieve", "subflow",
    "timeunit", "tupleindex", "values", "window",
    "bound", "identifier", "mark", "overlap", "render", "viewlayout",
    "axisticks", "datajoin", "encode", "legendentries", "linkpath", "pie", "scale", "sortitems", "stack",
}


def _header() -> str:
    return assets.RUNTIME.read_bytes().split(b"\n", 1)[0].decode("utf-8")


def test_the_bundle_is_built_from_the_sources_as_they_are():
    """Edit charts.js or the lock file without `make runtime`, and this fails."""
    head = _header()
    for name in ("charts.js", "package-lock.json"):
        digest = hashlib.sha256((RUNTIME / name).read_bytes()).hexdigest()
        assert f"{name} {digest}" in head, f"run `make runtime`: generator/site/vega.js predates runtime/{name}"


def test_the_runtime_is_the_vega_that_draws_the_images():
    lock = json.loads((RUNTIME / "package-lock.json").read_text(encoding="utf-8"))
    assert lock["packages"]["node_modules/vega"]["version"] == vl_convert.get_vega_version()
    held = dict(re.findall(r"(vega-[a-z-]+) (\d+\.\d+\.\d+)", _header()))
    # no Vega-Lite compiler, no vega-embed, and none of the transform families the charts never use
    assert not {"vega-lite", "vega-embed", "vega-geo", "vega-force", "vega-hierarchy", "vega-label",
                "vega-regression", "vega-voronoi", "vega-wordcloud", "vega-crossfilter"} & set(held)
    assert {"vega-interpreter", "vega-tooltip", "vega-parser", "vega-view"} <= set(held)
    # one copy of each package: a second version of one would be bundled twice
    versions = [p for p in lock["packages"] if re.search(r"node_modules/.+/node_modules/vega-", p)]
    assert versions == []


def test_the_runtime_weighs_less_than_half_the_old_bundle():
    data = assets.RUNTIME.read_bytes()
    assert len(data) < 450_000  # vl-convert's bundle of Vega, Vega-Lite and vega-embed: 898 KB
    assert len(gzip.compress(data, 9)) < 160_000  # (it was 305 KB gzipped)


def _transforms(node) -> set[str]:
    found = set()
    if isinstance(node, dict):
        for step in node.get("transform", []) if isinstance(node.get("transform"), list) else []:
            found.add(step.get("type"))
        for value in node.values():
            found |= _transforms(value)
    elif isinstance(node, list):
        for value in node:
            found |= _transforms(value)
    return found


def _embedded(root: Path) -> list[dict]:
    specs = []
    for page in sorted(root.rglob("*.html")):
        specs += [json.loads(text) for text in SPEC.findall(page.read_text(encoding="utf-8"))]
    return specs


def test_every_embedded_chart_is_compiled_vega_using_only_registered_transforms(site):
    specs = _embedded(site) + _embedded(GOLDEN)
    assert len(specs) > 50
    for spec in specs:
        assert "/vega/v6" in spec["$schema"] and "marks" in spec  # compiled: no Vega-Lite reaches the page
    used = set().union(*map(_transforms, specs))
    assert used and used <= REGISTERED, used - REGISTERED


def test_a_regency_page_and_the_runtime_agree_on_the_highlight(site):
    """site.js fills the "sorot" signal of the shared ranking: the compiled spec must still have it."""
    page = next(site.glob("lampung/kota-metro/index.html")).read_text(encoding="utf-8")
    assert 'data-sorot="Kota Metro"' in page
    ranking = next(spec for spec in map(json.loads, SPEC.findall(page))
                   if any(s.get("name") == "sorot" for s in spec.get("signals", [])))
    assert isinstance(ranking["width"], (int, float))  # what site.js narrows on a phone

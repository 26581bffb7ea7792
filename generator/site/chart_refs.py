"""A chart as a page refers to it: its files, its embed page and the spec the runtime reads.

Pages show every chart as an image drawn at build time and load the chart
runtime only on demand, so what a template needs of a chart is a set of
addresses (SVG, PNG, Vega-Lite, CSV, the chart-only embed page), the image's
size for the <img> fallback, and the spec compiled to Vega, made safe to sit
inside <script>.
The drawing itself happens in publish/ (through the build cache); this module
only names the files and reads the drawn SVG's size.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Protocol

from markupsafe import Markup

from generator.charts.theme import PHONE_MAX_SCREEN
from generator.site.plan import PageJob, Plan, Table


class Drawn(Protocol):
    """What a chart_ref needs of a drawn chart (publish/cache.py's Drawn)."""

    svg: str
    text: str  # the spec, as written into its .vl.json
    vega: str  # the spec compiled to Vega: what the chart runtime draws


@dataclass(frozen=True)
class ChartRef:
    """A chart as pages use it: its files and its embedded spec."""

    id: str
    description: str
    source: str
    svg: str  # drawn at build time: shown before (and without) any chart runtime
    png: str
    json: str
    csv: str
    embed: str  # the chart-only page for an iframe
    title: str
    table: Table
    width: int
    height: int
    responsive: bool
    spec_json: Markup  # the Vega spec, safe inside <script>: no "</" can close it
    phone: dict | None = None  # the image drawn at a phone's width: {"svg", "width", "height", "media"}
    # what a page highlighting one row shows first (templates/_macros.html): name -> {"svg", "width",
    # "height", "phone"}, the same spec with that row as "this one"
    variants: dict[str, dict] = field(default_factory=dict)


def phone_path(base: str) -> str:
    return f"{base}.ponsel.svg"


def variant_base(base: str, stem: str) -> str:
    """charts/lampung/2024-09-24/peringkat, kota-metro -> charts/lampung/2024-09-24/peringkat.kota-metro"""
    return f"{base}.{stem}"


def _phone(base: str, svg: str | None) -> dict | None:
    if svg is None:
        return None
    width, height = svg_size(svg)
    return {"svg": phone_path(base), "width": width, "height": height, "media": f"(max-width: {PHONE_MAX_SCREEN}px)"}


def chart_ref(base: str, job, drawn: Drawn, phone: str | None = None,
              variants: dict[str, tuple[str, str, str | None]] | None = None) -> ChartRef:
    """How pages show a chart: its image (and its phone-width image, and its variants'), with its spec
    for the runtime that makes it interactive."""
    width, height = svg_size(drawn.svg)
    narrow = _phone(base, phone)
    shown = {}
    for name, (stem, svg, phone_svg) in (variants or {}).items():
        at = variant_base(base, stem)
        w, h = svg_size(svg)
        shown[name] = {"svg": f"{at}.svg", "width": w, "height": h, "phone": _phone(at, phone_svg)}
    return ChartRef(
        id="grafik-" + base.rsplit("/", 1)[1], description=job.description, source=job.source,
        svg=f"{base}.svg", png=f"{base}.png", json=f"{base}.vl.json", csv=f"{base}.csv",
        embed=embed_path(base), title=job.title, table=job.table, width=width, height=height,
        responsive=job.responsive, phone=narrow, variants=shown,
        # inside <script>, no "<" at all: nothing can close the element or open a comment
        spec_json=Markup(drawn.vega.replace("<", "\\u003c")),
    )


def embed_path(base: str) -> str:
    """charts/lampung/2024-09-24/peringkat -> embed/lampung/2024-09-24/peringkat/index.html"""
    return "embed/" + base.removeprefix("charts/") + "/index.html"


def chart_home(base: str) -> str:
    """The dated page a chart belongs to: its report (or its regency's page, for a regency's history)."""
    _, region, when, name = base.split("/")
    sub = name.removeprefix("riwayat-") if name.startswith("riwayat-") else None
    return f"{region}/arsip/{when}/" + (f"{sub}/" if sub else "")


def embed_pages(plan: Plan) -> list[PageJob]:
    """A chart-only page per chart of a dated report, linking back to the page it belongs to."""
    bases = sorted({base for page in plan.pages for base in page.charts.values()})
    return [PageJob(embed_path(base), "embed.html", {"home": chart_home(base)}, {"chart": base}) for base in bases]


def svg_size(svg: str) -> tuple[int, int]:
    """The pixel size vl-convert wrote on the <svg> element, for the <img> fallback."""
    head = svg[: svg.index(">") + 1]
    found = dict(re.findall(r'\b(width|height)="([\d.]+)', head))
    return round(float(found.get("width", 600))), round(float(found.get("height", 300)))

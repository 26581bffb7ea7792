"""`cakupan build`, as a recipe: load, check, plan, draw, render, write.

Nothing is written until every page and chart exists in memory, so a bad
input or a crash leaves the previous site as it was.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import date as Date
from pathlib import Path

from markupsafe import Markup

from . import __version__, charts, exports, render
from .errors import CakupanError, UsageError
from .model import load_dataset
from .pages import PageJob, Plan, plan_site
from .write import Output, write_site

NAV = (("Laporan", "index.html"), ("Metodologi", "metodologi/index.html"), ("Tentang", "tentang/index.html"))
ASSETS = ("style.css", "site.js", "favicon.svg")


@dataclass(frozen=True)
class Settings:
    data: Path = Path("data")
    out: Path = Path("site")
    content: Path = Path("content")
    templates: Path = Path("templates")
    base_url: str | None = None


@dataclass(frozen=True)
class Summary:
    pages: int
    charts: int
    files: int
    bytes: int


@dataclass(frozen=True)
class ChartRef:
    """A drawn chart as pages use it: its files and its embedded spec."""

    id: str
    description: str
    source: str
    svg: str
    png: str
    json: str
    width: int
    height: int
    responsive: bool
    spec_json: Markup  # safe inside <script>: no "</" can close it


def build(settings: Settings) -> Summary:
    base_url = normalise_base_url(settings.base_url)
    dataset = load_dataset(settings.data)
    prose = {p.stem: render.read_prose(p) for p in sorted(settings.content.glob("*.md"))}
    editor_notes = _editor_notes(settings.content, dataset)
    env = render.environment(settings.templates)
    plan = plan_site(dataset, prose, editor_notes, frozenset(env.list_templates()))
    output = Output()
    refs = draw_charts(plan, output)
    for page in plan.pages:
        output.add(page.path, render_page(env, page, refs, base_url))
    for region in dataset.regions:
        for snap in region.snapshots:
            output.add(f"{region.slug}/data/{snap.date}.csv", exports.snapshot_csv(region, snap))
            output.add(f"{region.slug}/data/{snap.date}.json", exports.snapshot_json(region, snap))
    add_static(output, settings.templates, plan, base_url)
    write_site(output, settings.out)
    return Summary(len(plan.pages), len(plan.charts), len(output.files), output.size)


def draw_charts(plan: Plan, output: Output) -> dict[str, ChartRef]:
    refs = {}
    for base, job in sorted(plan.charts.items()):
        spec_text = json.dumps(job.spec, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
        svg = charts.render_svg(job.spec)
        output.add(f"{base}.vl.json", json.dumps(job.spec, ensure_ascii=False, sort_keys=True, indent=1) + "\n")
        output.add(f"{base}.svg", svg)
        output.add(f"{base}.png", charts.render_png(job.spec))
        width, height = svg_size(svg)
        refs[base] = ChartRef(
            id="grafik-" + base.rsplit("/", 1)[1], description=job.description, source=job.source,
            svg=f"{base}.svg", png=f"{base}.png", json=f"{base}.vl.json", width=width, height=height, responsive=job.responsive,
            # a spec inside <script> must not be able to close it
            spec_json=Markup(spec_text.replace("</", "<\\/").replace("<!--", "<\\!--")),
        )
    return refs


def svg_size(svg: str) -> tuple[int, int]:
    """The pixel size vl-convert wrote on the <svg> element, for the <img> fallback."""
    head = svg[: svg.index(">") + 1]
    found = dict(re.findall(r'\b(width|height)="([\d.]+)', head))
    return round(float(found.get("width", 600))), round(float(found.get("height", 300)))


def normalise_base_url(url: str | None) -> str | None:
    if not url:
        return None
    if not url.startswith(("https://", "http://")):
        raise UsageError(f"--base-url {url!r}: an absolute http(s) address expected, e.g. https://user.github.io/repo/")
    return url if url.endswith("/") else url + "/"


def render_page(env, page: PageJob, refs: dict[str, ChartRef], base_url: str | None) -> str:
    depth = page.path.count("/")
    root = "../" * depth
    if page.path == "404.html" and base_url:
        root = "/" + base_url.split("://", 1)[1].split("/", 1)[1]  # served at any depth: use the site's path
    current = page.pretty.split("/", 1)[0] + "/" if "/" in page.pretty else ""
    nav = [{"label": label, "path": path,
            "current": (path == "index.html" and page.path == "index.html") or (path != "index.html" and path.startswith(current) and current)}
           for label, path in NAV]
    context = {
        **page.context,
        "root": root, "page_path": page.path, "nav": nav, "version": __version__,
        "site_name": "cakupan Jamsostek",
        "vega_versions": charts.versions(),
        "canonical": (base_url + page.pretty) if base_url and page.path != "404.html" else None,
        "charts": {name: refs[base] for name, base in page.charts.items()},
    }
    return render.render(env, page.template, context)


def add_static(output: Output, templates: Path, plan: Plan, base_url: str | None) -> None:
    for name in ASSETS:
        path = templates / "assets" / name
        if not path.is_file():
            raise CakupanError(f"{path}: missing (the site's {name})")
        output.add(f"assets/{name}", path.read_bytes())
    output.add("assets/vega.js", charts.javascript_bundle())
    output.add(".nojekyll", b"")
    robots = "User-agent: *\nAllow: /\n"
    if base_url:
        robots += f"Sitemap: {base_url}sitemap.xml\n"
        urls = sorted({p.pretty for p in plan.pages if p.path != "404.html" and p.url_path is None})
        body = "".join(f"  <url><loc>{base_url}{u}</loc></url>\n" for u in urls)
        output.add("sitemap.xml", '<?xml version="1.0" encoding="UTF-8"?>\n'
                   '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n' + body + "</urlset>\n")
    output.add("robots.txt", robots)


def _editor_notes(content: Path, dataset) -> dict[tuple[str, Date], str]:
    notes = {}
    for region in dataset.regions:
        for snap in region.snapshots:
            path = content / region.slug / f"{snap.date}.md"
            if path.is_file():
                notes[(region.slug, snap.date)] = render.markdown_html(path.read_text(encoding="utf-8"))
    return notes

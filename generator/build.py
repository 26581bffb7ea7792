"""`cakupan build`, as a recipe: load, check, plan, draw, render, write.

Nothing is written until every page and chart exists in memory, so a bad
input or a crash leaves the previous site as it was.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date as Date
from pathlib import Path

from markupsafe import Markup

from . import __version__, cache, cards, charts, exports, fmt, progress, render, words
from .archive import MANIFEST, Frozen, check_frozen, manifest_text, read_frozen, sha256
from .errors import CakupanError, UsageError
from .model import Dataset, load_dataset
from .pages import PageJob, Plan, Table, dated_prefix, plan_site, social
from .write import Output, write_site

NAV = (("Laporan", "index.html"), ("Data", "data/index.html"), ("Metodologi", "metodologi/index.html"),
       ("Tentang", "tentang/index.html"))
ASSETS = ("style.css", "site.js", "favicon.svg")


@dataclass(frozen=True)
class Settings:
    data: Path = Path("data")
    out: Path = Path("site")
    content: Path = Path("content")
    templates: Path = Path("templates")
    base_url: str | None = None
    cache: bool = True  # reuse chart and card images from the build cache (generator/cache.py)


@dataclass(frozen=True)
class Summary:
    pages: int
    charts: int
    files: int
    bytes: int
    from_cache: int = 0  # images, specs and zips the build cache had, not made again


@dataclass(frozen=True)
class ChartRef:
    """A drawn chart as pages use it: its files and its embedded spec."""

    id: str
    description: str
    source: str
    svg: str
    png: str
    json: str
    csv: str
    embed: str  # the chart-only page for an iframe
    title: str
    table: Table
    width: int
    height: int
    responsive: bool
    spec_json: Markup  # safe inside <script>: no "</" can close it


@dataclass
class Rendered:
    """A whole site in memory, with what it was made from."""

    output: Output
    plan: Plan
    dataset: Dataset
    manifests: dict[tuple[str, Date], dict[str, str]]  # (region, date) -> {path: sha256}
    store: cache.Store | None = None


def build(settings: Settings) -> Summary:
    """Render everything, check it against the frozen snapshots, then swap it in."""
    records = read_frozen(settings.data) if settings.data.is_dir() else {}
    site = render_site(settings, records)
    check_frozen(records, site.manifests, normalise_base_url(settings.base_url))
    write_site(site.output, settings.out)
    return Summary(len(site.plan.pages), len(site.plan.charts), len(site.output.files), site.output.size,
                   site.store.hits if site.store else 0)


def render_site(settings: Settings, records: dict[tuple[str, Date], Frozen]) -> Rendered:
    base_url = normalise_base_url(settings.base_url)
    dataset = load_dataset(settings.data)
    prose = {p.stem: render.read_prose(p) for p in sorted(settings.content.glob("*.md"))}
    editor_notes = _editor_notes(settings.content, dataset)
    env = render.environment(settings.templates)
    corrections = {key: record.corrections for key, record in records.items()}
    store = cache.open_store(settings.cache)
    with charts.remembering(cache.spec_store(store)):
        plan = plan_site(dataset, prose, editor_notes, frozenset(env.list_templates()), corrections)
    output = Output()
    refs = draw_charts(plan, output, store)
    plan.pages += embed_pages(plan)
    previews = link_previews(plan, output, settings.templates, store) if base_url else {}
    for done, page in enumerate(plan.pages, start=1):
        output.add(page.path, render_page(env, page, refs, base_url, previews.get(page.path)))
        progress.update("Rendering pages", done, len(plan.pages))
    for region in dataset.regions:
        for snap in region.snapshots:
            output.add(f"{region.slug}/data/{snap.date}.csv", exports.snapshot_csv(region, snap))
            output.add(f"{region.slug}/data/{snap.date}.json", exports.snapshot_json(region, snap))
            output.add(f"{region.slug}/data/{snap.date}.datapackage.json", exports.datapackage(region, snap))
    add_static(output, settings.templates, plan, base_url, settings.content)
    output.add("feed.xml", render.render(env, "feed.xml", feed_context(dataset, plan, records, base_url)))
    manifests = {}
    dated = _dated_pages(plan)
    assets = {p: data for p, data in output.files.items() if p.startswith("assets/")}
    for region in dataset.regions:
        for snap in region.snapshots:
            manifests[(region.slug, snap.date)] = seal_snapshot(output, plan, env, region, snap.date, dated, assets, store)
            progress.update("Sealing dated reports", len(manifests), dataset.snapshot_count)
    store.prune()
    return Rendered(output, plan, dataset, manifests, store)


def _dated_pages(plan: Plan) -> dict[str, list[PageJob]]:
    """Pages by the dated report they belong to (<region>/arsip/<date>/), found once, not once a report."""
    out: dict[str, list[PageJob]] = {}
    for page in plan.pages:
        parts = page.path.split("/", 3)
        if len(parts) == 4 and parts[1] == "arsip":
            out.setdefault("/".join(parts[:3]) + "/", []).append(page)
    return out


def snapshot_files(output: Output, plan: Plan, region, when: Date,
                   dated: dict[str, list[PageJob]] | None = None) -> dict[str, bytes]:
    """Everything a dated report shows: its pages, the charts they draw, its data."""
    prefix = dated_prefix(region, when)
    paths = {f"{region.slug}/data/{when}.{kind}" for kind in ("csv", "json", "datapackage.json")}
    for page in plan.pages if dated is None else dated.get(prefix, ()):
        if page.path.startswith(prefix):
            paths.add(page.path)
            for base in page.charts.values():
                paths |= {f"{base}.svg", f"{base}.png", f"{base}.vl.json", f"{base}.csv", embed_path(base)}
            paths |= set(re.findall(r'<meta property="og:image" content="[^"]*?(cards/[0-9a-f]+\.png)"',
                                    output.files[page.path].decode()))
    return {p: output.files[p] for p in paths}


def seal_snapshot(output: Output, plan: Plan, env, region, when: Date, dated: dict[str, list[PageJob]] | None = None,
                  assets: dict[str, bytes] | None = None, store: cache.Store | None = None) -> dict[str, str]:
    """Add a dated report's SHA256SUMS and its offline zip; return its hashes."""
    prefix = dated_prefix(region, when)
    files = snapshot_files(output, plan, region, when, dated)
    manifest = manifest_text(files)
    output.add(prefix + MANIFEST, manifest)
    packed = dict(files)
    packed[prefix + MANIFEST] = manifest.encode()
    packed.update(assets if assets is not None else
                  {p: data for p, data in output.files.items() if p.startswith("assets/")})
    packed["index.html"] = render.render(env, "zip-index.html", {
        "region": region, "date": when, "report": prefix + "index.html"}).encode()
    name = f"laporan-{region.slug}-{when}"
    output.add(f"{prefix}{name}.zip", cache.snapshot_zip(name, packed, when, store or cache.Store(None)))
    return {p: sha256(data) for p, data in files.items()}


def feed_context(dataset: Dataset, plan: Plan, records, base_url: str | None) -> dict:
    """An Atom entry per snapshot and per correction, newest first."""
    entries = []
    by_path = {p.path: p for p in reversed(plan.pages)}  # (the first page of a path, as next() found it)
    for region in dataset.regions:
        for snap in region.snapshots:
            prefix = dated_prefix(region, snap.date)
            page = by_path[prefix + "index.html"]
            link = (base_url or "") + prefix
            summary = " ".join(f.text for f in page.context["facts"][:1])
            if page.context.get("h") is not None and (rep_change := (
                    by_path[prefix + "perubahan/index.html"].context["c"]
                    if prefix + "perubahan/index.html" in by_path else None)):
                summary += " " + words.change(region, rep_change).text
            entries.append({
                "id": _entry_id(base_url, prefix), "link": link, "updated": snap.date,
                "title": f"Cakupan Jamsostek {region.name} per {fmt.long_date(snap.date)}: "
                         f"{fmt.pct(page.context['h'].coverage)}",
                "summary": summary,
            })
            record = records.get((region.slug, snap.date))
            for i, c in enumerate(record.corrections if record else (), start=1):
                entries.append({
                    "id": _entry_id(base_url, f"{prefix}#koreksi-{i}"), "link": f"{link}#koreksi-{i}",
                    "updated": c.date,
                    "title": f"Koreksi laporan {region.name} per {fmt.long_date(snap.date)}",
                    "summary": c.reason,
                })
    entries.sort(key=lambda e: (e["updated"], e["id"]), reverse=True)
    return {"entries": entries, "base_url": base_url, "feed_id": _entry_id(base_url, "feed.xml"),
            "updated": entries[0]["updated"] if entries else None, "version": __version__}


def _entry_id(base_url: str | None, path: str) -> str:
    return (base_url + path) if base_url else "urn:cakupan:" + path.strip("/").replace("/#", "#").replace("/", ":")


def draw_charts(plan: Plan, output: Output, store: cache.Store | None = None) -> dict[str, ChartRef]:
    refs = {}
    jobs = sorted(plan.charts.items())
    images = cache.chart_images([job.spec for _, job in jobs], store or cache.Store(None))
    for (base, job), (svg, png, spec_text, document) in zip(jobs, images):
        output.add(f"{base}.vl.json", document)
        output.add(f"{base}.svg", svg)
        output.add(f"{base}.png", png)
        output.add(f"{base}.csv", exports.table_csv(job.table))
        width, height = svg_size(svg)
        refs[base] = ChartRef(
            id="grafik-" + base.rsplit("/", 1)[1], description=job.description, source=job.source,
            svg=f"{base}.svg", png=f"{base}.png", json=f"{base}.vl.json", csv=f"{base}.csv",
            embed=embed_path(base), title=job.title, table=job.table, width=width, height=height,
            responsive=job.responsive,
            # inside <script>, no "<" at all: nothing can close the element or open a comment
            spec_json=Markup(spec_text.replace("<", "\\u003c")),
        )
    return refs


def embed_path(base: str) -> str:
    """charts/lampung/2024-09-24/peringkat -> embed/lampung/2024-09-24/peringkat/index.html"""
    return "embed/" + base.removeprefix("charts/") + "/index.html"


def embed_pages(plan: Plan) -> list[PageJob]:
    """A chart-only page per chart, linking back to the first page that shows it (a dated one)."""
    homes: dict[str, PageJob] = {}
    for page in plan.pages:
        for base in page.charts.values():
            homes.setdefault(base, page)
    return [PageJob(embed_path(base), "embed.html", {"home": homes[base].pretty}, {"chart": base})
            for base in sorted(homes)]


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


def link_previews(plan: Plan, output: Output, templates: Path, store: cache.Store | None = None) -> dict[str, dict]:
    """A 1200x630 card per page, named by its content, so pages that say the same share one."""
    previews = {}
    new: dict[str, str] = {}  # path -> card SVG, drawn below in one batch
    for page in plan.pages:
        preview = social(page)
        if preview is None:
            continue
        svg = cards.card_svg(preview.card, templates)
        path = f"cards/{sha256(svg.encode())[:20]}.png"
        if path not in output.files:
            new.setdefault(path, svg)
        previews[page.path] = {"title": preview.title, "description": preview.description, "image": path,
                               "alt": f"{preview.card.place}: {preview.card.figure}".strip(": ")}
    for path, png in zip(new, cache.card_images(list(new.values()), store or cache.Store(None))):
        output.add(path, png)
    return previews


def render_page(env, page: PageJob, refs: dict[str, ChartRef], base_url: str | None,
                preview: dict | None = None) -> str:
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
        "base_url": base_url,
        "preview": preview,
        "charts": {name: refs[base] for name, base in page.charts.items()},
    }
    return render.render(env, page.template, context)


def add_static(output: Output, templates: Path, plan: Plan, base_url: str | None, content: Path | None = None) -> None:
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
    if content is not None and (content / "CNAME").is_file():  # a custom domain, for hosts that read site/CNAME
        output.add("CNAME", custom_domain(content / "CNAME"))


def custom_domain(path: Path) -> str:
    """content/CNAME, checked: one domain name on one line, as GitHub Pages and others expect it."""
    text = path.read_text(encoding="utf-8").strip()
    if not re.fullmatch(r"(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}", text, re.IGNORECASE):
        raise UsageError(f"{path}: {text[:80]!r} is not a domain name (one line such as data.example.org expected, "
                         "without https:// or a path)")
    return text.lower() + "\n"


def _editor_notes(content: Path, dataset) -> dict[tuple[str, Date], str]:
    notes = {}
    for region in dataset.regions:
        for snap in region.snapshots:
            path = content / region.slug / f"{snap.date}.md"
            if path.is_file():
                notes[(region.slug, snap.date)] = render.markdown_html(path.read_text(encoding="utf-8"))
    return notes

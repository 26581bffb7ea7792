"""`cakupan build`, as a recipe: load, check, plan, draw, render, write.

The site is made in parts, one after the other, each streamed into a fresh
folder beside the output and forgotten, so memory stays bounded however many
reports there are: the latest report of each region, then every dated
report, then the pages about the whole site. Every chart is drawn as SVG and
PNG (from the build cache when it has them), so a page shows its charts
before any chart runtime loads; a dated report's images are its own files.
The fresh folder replaces the output only when everything is made and
checked, so a bad input or a crash leaves the previous site as it was.

A dated report depends only on its region's data up to its date, the
templates and the code (generator/rebuild.py makes that its key), so a
rebuild links the files of every report whose key is unchanged from the
previous site instead of making them again; and a rebuild whose inputs are
all unchanged does nothing.
"""

from __future__ import annotations

import dataclasses
import functools
import os
import re
from dataclasses import dataclass
from datetime import date as Date
from pathlib import Path

from markupsafe import Markup

from generator import __version__
from generator.site import assets as shared, cards, exports, national, offline, render
from generator.data import budget, inputs
from generator.publish import cache, progress, published, rebuild, search, verify, workers
from generator.charts import draw
from generator.facts import fmt, words
from generator.publish.archive import MANIFEST, manifest_text, sha256
from generator.data import when as when_
from generator.errors import UsageError
from generator.data.model import Dataset, load_dataset
from generator.publish.published import Frozen, read_frozen
from generator.site.pages import (PageJob, Plan, Report, Table, dated_prefix, forget, home_crumbs,
    plan_common, plan_dated, plan_latest, social)
from generator.publish.settings import Settings
from generator.publish.write import Output, discard, stage_for, write_site

NAV = (("Laporan", "index.html"), ("Data", "data/index.html"), ("Metodologi", "metodologi/index.html"),
       ("Tentang", "tentang/index.html"), ("Cari", "cari/index.html"))
METHODOLOGY = "metodologi"  # content/metodologi.md: the page each report links as its explanation


@dataclass(frozen=True)
class Summary:
    pages: int
    charts: int
    files: int
    bytes: int
    from_cache: int = 0  # images, specs and zips the build cache had, not made again
    reports_kept: int = 0  # dated reports linked from the previous site, unchanged
    unchanged: bool = False  # nothing changed since the previous build: the site was left as it was


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
    spec_json: Markup  # safe inside <script>: no "</" can close it


@dataclass
class Rendered:
    """What a build made, beyond its files."""

    output: Output
    manifests: dict[tuple[str, Date], dict[str, str]]  # (region, date) -> {path: sha256}
    pages: int = 0
    charts: int = 0
    store: cache.Store | None = None
    kept: int = 0
    reports: dict[str, rebuild.Made] = dataclasses.field(default_factory=dict)  # by key, for the next build
    by_date: dict[tuple[str, Date], rebuild.Made] = dataclasses.field(default_factory=dict)  # the same, by (region, date)
    data_keys: dict[tuple[str, Date], str] = dataclasses.field(default_factory=dict)  # published.data_keys
    assets: shared.Assets | None = None  # the shared files this build's new pages load


def build(settings: Settings) -> Summary:
    """Render everything, check it against the frozen snapshots, then swap it in."""
    normalise_base_url(settings.base_url)  # a bad --base-url stops before anything is read
    records = read_frozen(settings.data) if settings.data.is_dir() else {}
    store = cache.open_store(settings.cache)
    inputs = rebuild.inputs_key(settings) if store.root is not None else None
    previous = rebuild.read(store, settings.out)
    if previous is not None and inputs is not None and previous.inputs == inputs and previous.intact(settings.out):
        s = previous.summary
        return Summary(s["pages"], s["charts"], s["files"], s["bytes"], unchanged=True)
    stage = stage_for(settings.out)
    try:
        site = render_site(settings, records, Output(stage, settings.out), store, previous)
        rebuild.forget(store, settings.out)  # (until the new record is written: it describes the old site)
        write_site(site.output, settings.out)
    finally:
        discard(stage)
    summary = Summary(site.pages, site.charts, len(site.output.sizes), site.output.size,
                      site.store.hits if site.store else 0, site.kept)
    if inputs is not None:
        rebuild.write(store, settings.out, inputs, site.reports, site.output, dataclasses.asdict(summary))
    return summary


def render_site(settings: Settings, records: dict[tuple[str, Date], Frozen], output: Output | None = None,
                store: cache.Store | None = None, previous: rebuild.Previous | None = None,
                check: bool = True) -> Rendered:
    """Make every file of the site into output (in memory unless given a streamed one); check=False
    (cakupan freeze, which keeps one report) writes frozen reports whose data changed as stored."""
    output = output if output is not None else Output()
    store = store if store is not None else cache.open_store(settings.cache)
    base_url = normalise_base_url(settings.base_url)
    dataset = load_dataset(settings.data, cache=settings.cache)
    prose = render.read_content(settings.content, tuple(r.slug for r in dataset.regions))
    env = render.environment(settings.templates)
    corrections = {key: record.corrections for key, record in records.items()}
    current = shared.collect(settings.templates)
    site = Rendered(output, {}, store=store, assets=current)
    job = _dated_job(settings, records, store, previous, output.stage, dataset, env)  # (reads every note)
    add_static(output, current, base_url, settings.content)
    site.data_keys = published.data_keys(dataset, job.notes, corrections)
    if check:
        published.check(records, site.data_keys, base_url, settings.data)  # (before anything is made)
    home, editor_notes = job.home, job.notes
    latest_plans, feed, urls = [], [], []
    for index, (mades, kept, hits) in enumerate(_each_region(job, output)):
        region = dataset.regions[index]
        progress.update("Dated reports", index + 1, len(dataset.regions), region.name)
        for made in mades:
            site.reports[made.key] = made
            when = (made.feed[0]["region"], when_.parse(made.feed[0]["date"]))
            site.manifests[when] = made.manifest
            site.by_date[when] = made
            if made.frozen:  # (made in a worker process: its files are pinned here too)
                output.pinned.update(made.files)
            site.pages += made.pages
            feed += made.feed
            urls += made.urls
            for path, (size, digest) in made.files.items():
                output.sizes.setdefault(path, size)
                output.digests.setdefault(path, digest)
        site.kept += kept
        store.hits += hits
        forget()
        reports = [Report.of(region, snap) for snap in region.snapshots]
        latest_plans.append(plan_latest(region, reports, home, corrections,
                                        editor_notes.get((region.slug, reports[-1].snap.date)),
                                        front=len(dataset.regions) == 1))
    forget()
    common = plan_common(dataset, prose, frozenset(env.list_templates()))
    front = national.plan_front(dataset) if len(dataset.regions) > 1 else Plan()  # the national overview
    # The latest reports' and the front page's charts drawn as images, in one batch (spread over worker processes).
    jobs = {base: job for plan in latest_plans + [front] for base, job in plan.charts.items()}
    refs = draw_charts(jobs, output, store)
    site.charts = len(jobs)
    searched: dict[str, str] = {}  # the pages the search index covers: path -> HTML
    stating = []  # the pages that state the site manifest's hash: made once every other file is
    for plan in latest_plans + [front, common]:
        pages = plan.pages
        previews = link_previews(pages, output, settings.templates, store) if base_url else {}
        for page in pages:
            if verify.unlisted(page.path):
                stating.append((page, previews.get(page.path)))
                if search.indexed(page.path):  # indexed before the hash is known: the index skips it
                    unstated = dataclasses.replace(page, context={**page.context, "site_manifest": ""})
                    searched[page.path] = render_page(env, unstated, refs, base_url, previews.get(page.path),
                                                      current.paths)
                continue
            text = render_page(env, page, refs, base_url, previews.get(page.path), current.paths)
            output.add(page.path, text)
            if search.indexed(page.path):
                searched[page.path] = text
        site.pages += len(pages)
        urls += [p.pretty for p in pages if p.path != "404.html" and p.url_path is None]
    add_sitemap(output, base_url, urls)
    search.build_index(output, searched, dataset)
    listing = verify.site_manifest(output.digests).encode()
    output.add(MANIFEST, listing)
    site_hash = sha256(listing)
    for page, preview in stating:
        page = dataclasses.replace(page, context={**page.context, "site_manifest": site_hash})
        output.add(page.path, render_page(env, page, refs, base_url, preview, current.paths))
    output.add("feed.xml", render.render(env, "feed.xml", {**feed_context(feed, records, base_url),
                                                           "site_manifest": site_hash}))
    store.prune()
    return site


@dataclass
class _Dated:
    """What making a region's dated reports needs (a worker process makes its own: _dated_job)."""

    dataset: Dataset
    env: object
    home: list
    records: dict
    corrections: dict
    notes: dict
    keys: rebuild.ReportKeys
    previous: rebuild.Previous | None
    settings: Settings
    base_url: str | None
    assets: shared.Assets
    store: cache.Store
    stage: Path | None
    methodology: render.Prose | None  # content/metodologi.md, which each report's zip holds


def _dated_job(settings: Settings, records: dict, store: cache.Store, previous: rebuild.Previous | None,
               stage: Path | None, dataset: Dataset | None = None, env=None) -> _Dated:
    """Everything making dated reports needs, from the settings (as a worker process makes it again)."""
    corrections = {key: record.corrections for key, record in records.items()}
    dataset = dataset if dataset is not None else load_dataset(settings.data, cache=settings.cache)
    env = env if env is not None else render.environment(settings.templates)
    base_url = normalise_base_url(settings.base_url)
    notes = _editor_notes(settings.content, dataset)
    assets = shared.collect(settings.templates)
    methodology = settings.content / (METHODOLOGY + ".md")
    keys = rebuild.ReportKeys(settings, dataset, notes, corrections, base_url, len(dataset.regions))
    return _Dated(dataset, env, home_crumbs(dataset), records, corrections, notes, keys, previous, settings, base_url,
                  assets, store, stage, render.read_prose(methodology) if methodology.is_file() else None)


_JOB: _Dated | None = None  # in a worker process: what its regions' reports need
MIN_WORKERS = 24  # dated reports below which starting worker processes costs more than it saves


def _each_region(job: _Dated, output: Output):
    """Each region's dated reports, made or kept: (its Made list, how many kept, cache hits), in order.

    With a streamed output and enough reports, regions are spread over worker
    processes that write into the same stage folder (a region's files are its
    own, but for content-named cards, which any process may write). Workers
    are spawned, not forked (vl-convert, which draws link-preview cards, does
    not survive a fork), and each makes its inputs again from the settings."""
    count = min(workers.worker_count(), len(job.dataset.regions))
    if output.stage is None or count < 2 or job.dataset.snapshot_count < MIN_WORKERS:
        for index in range(len(job.dataset.regions)):
            yield *_region_reports(job, index, output), 0  # (hits counted on this process's store)
        return
    with workers.pool(count, initializer=_start_worker,
                      initargs=(job.settings, job.records, job.stage)) as pool:
        yield from pool.imap(_in_worker, range(len(job.dataset.regions)))


def _start_worker(settings: Settings, records: dict, stage: Path) -> None:
    global _JOB
    progress.stop()  # (the parent shows progress, a region at a time)
    budget.checked_by_parent()  # (the parent rendered the same Markdown within its budget)
    store = cache.open_store(settings.cache)
    previous = rebuild.read(store, settings.out) if store.root is not None else None
    _JOB = _dated_job(settings, records, store, previous, stage)


def _in_worker(index: int):
    job = _JOB
    output = Output(job.stage, job.settings.out)
    before = job.store.hits
    mades, kept = _region_reports(job, index, output)
    return mades, kept, job.store.hits - before


def _region_reports(job: _Dated, index: int, output: Output):
    region = job.dataset.regions[index]
    forget()
    mades, kept = [], 0
    for snap in region.snapshots:
        when = snap.date
        key = job.keys.of(region, when)
        record = job.records.get((region.slug, when))
        made = None
        if record is not None and record.stored:  # frozen: its stored bytes, whatever the templates now make
            made = rebuild.Made(key, {p: record.files[p] for p in record.manifest},
                                published.serve(record, job.settings.data, output), record.pages, list(record.urls),
                                [record.feed], frozen=True)
        elif job.previous is not None:
            made = job.previous.reuse(key, job.settings.out, output)
        if made is None:
            plan = plan_dated(Report.of(region, snap), job.home, job.corrections, job.notes.get((region.slug, when)))
            made = render_report(plan, job.env, output, region, when, job.base_url, job.settings.templates,
                                 job.assets, job.store, key, job.methodology)
        elif not made.frozen:
            kept += 1
        mades.append(made)
        progress.update("Dated reports", index + 1, len(job.dataset.regions), f"{region.name} {when}")
    forget()
    return mades, kept


def render_report(plan: Plan, env, output: Output, region, when: Date, base_url: str | None, templates: Path,
                  assets: shared.Assets, store: cache.Store, key: str,
                  methodology: render.Prose | None = None) -> rebuild.Made:
    """A dated report's pages, chart files, embeds, data, SHA256SUMS and zip, made and written."""
    files: dict[str, bytes] = {}
    refs = {}
    # Its charts' images are its own files (in its SHA256SUMS and zip), drawn once and then
    # read from the build cache: the report shows them before any chart runtime loads.
    ordered = sorted(plan.charts.items())
    for (base, job), drawn in zip(ordered, cache.chart_images([job.spec for _, job in ordered], store)):
        refs[base] = chart_ref(base, job, drawn)
        files[f"{base}.vl.json"] = cache.spec_document(job.spec, drawn.text).encode()
        files[f"{base}.svg"] = drawn.svg.encode()
        files[f"{base}.png"] = drawn.png
        files[f"{base}.csv"] = exports.table_csv(job.table).encode()
    pages = plan.pages + embed_pages(plan)
    previews = link_previews(pages, output, templates, store) if base_url else {}
    for page in pages:
        files[page.path] = render_page(env, page, refs, base_url, previews.get(page.path), assets.paths).encode()
    snap = next(s for s in region.snapshots if s.date == when)
    files[f"{region.slug}/data/{when}.csv"] = exports.snapshot_csv(region, snap).encode()
    files[f"{region.slug}/data/{when}.json"] = exports.snapshot_json(region, snap).encode()
    files[f"{region.slug}/data/{when}.datapackage.json"] = exports.datapackage(region, snap).encode()
    shown = dict(files)
    for preview in previews.values():  # the link-preview cards its pages name
        shown[preview["image"]] = output.read(preview["image"])
    extra = {}  # in the zip only: the methodology its pages link, with the sources up to its date
    if methodology is not None:
        template = f"{METHODOLOGY}.html" if f"{METHODOLOGY}.html" in env.list_templates() else "page.html"
        sources = [{"region": region, "snap": s} for s in reversed(region.snapshots) if s.date <= when]
        page = PageJob(f"{METHODOLOGY}/index.html", template, {"page": methodology, "sources": sources})
        extra[page.path] = render_page(env, page, {}, base_url, None, assets.paths).encode()
    manifest = seal_snapshot(files, shown, env, region, when, assets, store, extra, base_url)
    for path in sorted(files):
        output.add(path, files[path])
    prefix = dated_prefix(region, when)
    report_page = plan.pages[0]
    return rebuild.Made(
        key=key, manifest=manifest,
        files={p: (output.sizes[p], output.digests[p]) for p in [*files, *(v["image"] for v in previews.values())]},
        pages=len(pages), urls=[p.pretty for p in plan.pages],
        feed=[feed_entry(region, when, prefix, report_page, next((p for p in plan.pages if p.template == "change.html"),
                                                                 None))])


def seal_snapshot(files: dict[str, bytes], shown: dict[str, bytes], env, region, when: Date,
                  assets: shared.Assets, store: cache.Store | None = None, extra: dict[str, bytes] | None = None,
                  base_url: str | None = None) -> dict[str, str]:
    """Add a dated report's SHA256SUMS and its offline zip to files; return its hashes. The zip holds
    what its pages show and load, extra (the methodology), and its pages' links made to stand alone
    (generator/offline.py); SHA256SUMS lists the site's files, so it checks a copy of the site."""
    prefix = dated_prefix(region, when)
    manifest = manifest_text(shown)
    files[prefix + MANIFEST] = manifest.encode()
    packed = dict(shown)
    packed.update(assets.addressed())
    packed.update(extra or {})
    packed["index.html"] = render.render(env, "zip-index.html", {
        "region": region, "date": when, "report": prefix + "index.html"}).encode()
    packed = offline.standalone(packed, base_url)
    packed[MANIFEST] = manifest_text(packed).encode()  # the zip's own files (its pages' links differ from the site's)
    name = f"laporan-{region.slug}-{when}"
    files[f"{prefix}{name}.zip"] = cache.snapshot_zip(name, packed, when, store or cache.Store(None))
    return {p: sha256(data) for p, data in shown.items()}


def feed_entry(region, when: Date, prefix: str, page: PageJob, changed: PageJob | None) -> dict:
    """What the Atom feed says of a dated report (kept with it, so a kept report needs no planning)."""
    summary = " ".join(f.text for f in page.context["facts"][:1])
    if page.context.get("h") is not None and changed is not None:
        summary += " " + words.change(region, changed.context["c"]).text
    return {"region": region.slug, "date": when.isoformat(), "prefix": prefix,
            "title": f"Cakupan Jamsostek {region.name} per {fmt.long_date(when)}: {fmt.pct(page.context['h'].coverage)}",
            "summary": summary, "region_name": region.name}


def feed_context(reports: list[dict], records, base_url: str | None) -> dict:
    """An Atom entry per snapshot and per correction, newest first."""
    entries = []
    for r in reports:
        when = when_.parse(r["date"])
        link = (base_url or "") + r["prefix"]
        # Atom needs a day: a report of a month or a year is dated by its first day
        entries.append({"id": _entry_id(base_url, r["prefix"]), "link": link, "updated": when_.first_last(when)[0],
                        "title": r["title"], "summary": r["summary"]})
        record = records.get((r["region"], when))
        for i, c in enumerate(record.corrections if record else (), start=1):
            entries.append({
                "id": _entry_id(base_url, f"{r['prefix']}#koreksi-{i}"), "link": f"{link}#koreksi-{i}",
                "updated": c.date,
                "title": f"Koreksi laporan {r['region_name']} per {fmt.long_date(when)}",
                "summary": c.reason,
            })
    entries.sort(key=lambda e: (e["updated"], e["id"]), reverse=True)
    return {"entries": entries, "base_url": base_url, "feed_id": _entry_id(base_url, "feed.xml"),
            "updated": entries[0]["updated"] if entries else None, "version": __version__}


def _entry_id(base_url: str | None, path: str) -> str:
    return (base_url + path) if base_url else "urn:cakupan:" + path.strip("/").replace("/#", "#").replace("/", ":")


def draw_charts(jobs: dict, output: Output, store: cache.Store | None = None) -> dict[str, ChartRef]:
    """The latest reports' charts: SVG and PNG (from the build cache or drawn), Vega-Lite and CSV."""
    refs = {}
    ordered = sorted(jobs.items())
    images = cache.chart_images([job.spec for _, job in ordered], store or cache.Store(None))
    for (base, job), drawn in zip(ordered, images):
        output.add(f"{base}.vl.json", cache.spec_document(job.spec, drawn.text))
        output.add(f"{base}.svg", drawn.svg)
        output.add(f"{base}.png", drawn.png)
        output.add(f"{base}.csv", exports.table_csv(job.table))
        refs[base] = chart_ref(base, job, drawn)
    return refs


def chart_ref(base: str, job, drawn: cache.Drawn) -> ChartRef:
    """How pages show a chart: its image, with its spec for the runtime that makes it interactive."""
    width, height = svg_size(drawn.svg)
    return ChartRef(
        id="grafik-" + base.rsplit("/", 1)[1], description=job.description, source=job.source,
        svg=f"{base}.svg", png=f"{base}.png", json=f"{base}.vl.json", csv=f"{base}.csv",
        embed=embed_path(base), title=job.title, table=job.table, width=width, height=height,
        responsive=job.responsive,
        # inside <script>, no "<" at all: nothing can close the element or open a comment
        spec_json=Markup(drawn.text.replace("<", "\\u003c")),
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


# A base URL is written as is into sitemap.xml, robots.txt, the feed and every page's links: only
# http(s), a host name (or [IPv6]), a port, and a path of characters that need no escaping anywhere.
BASE_URL = re.compile(r"https?://(?:[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*"
                      r"[A-Za-z0-9])?)*|\[[0-9A-Fa-f:.]+\])(?::[0-9]{1,5})?(?:/(?:[A-Za-z0-9._~!$()*+,;=:@/-]|"
                      r"%[0-9A-Fa-f]{2})*)?")


def normalise_base_url(url: str | None) -> str | None:
    if not url:
        return None
    if not BASE_URL.fullmatch(url):
        raise UsageError(f"--base-url {url[:100]!r}: a clean absolute http(s) address expected, such as "
                         "https://user.github.io/repo/ (no spaces, quotes, <, >, &, query or fragment)")
    return url if url.endswith("/") else url + "/"


def link_previews(pages: list[PageJob], output: Output, templates: Path,
                  store: cache.Store | None = None) -> dict[str, dict]:
    """A 1200x630 card per page, named by its content, so pages that say the same share one."""
    previews = {}
    new: dict[str, str] = {}  # path -> card SVG, drawn below in one batch
    for page in pages:
        preview = social(page)
        if preview is None:
            continue
        svg = cards.card_svg(preview.card, templates)
        path = f"cards/{sha256(svg.encode())[:20]}.png"
        if path not in output:
            new.setdefault(path, svg)
        previews[page.path] = {"title": preview.title, "description": preview.description, "image": path,
                               "alt": f"{preview.card.place}: {preview.card.figure}".strip(": ")}
    for path, png in zip(new, cache.card_images(list(new.values()), store or cache.Store(None))):
        output.add(path, png)
    return previews


def render_page(env, page: PageJob, refs: dict[str, ChartRef], base_url: str | None,
                preview: dict | None = None, assets: dict[str, str] | None = None) -> str:
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
        "vega_versions": _versions(),
        "canonical": (base_url + page.pretty) if base_url and page.path != "404.html" else None,
        "base_url": base_url,
        "preview": preview,
        "assets": assets or {},  # name -> its content address (generator/assets.py)
        "charts": {name: refs[base] for name, base in page.charts.items()},
    }
    return render.render(env, page.template, context)


@functools.cache
def _versions() -> dict[str, str]:
    return draw.versions()


def add_static(output: Output, current: shared.Assets, base_url: str | None, content: Path | None = None) -> None:
    """The shared files at their names (the addresses older pages load) and at their content addresses."""
    for name, data in current.files.items():
        output.add(f"assets/{name}", data)
        output.add(current.paths[name], data)
    output.add(".nojekyll", b"")
    robots = "User-agent: *\nAllow: /\n"
    if base_url:
        robots += f"Sitemap: {base_url}sitemap.xml\n"
    output.add("robots.txt", robots)
    if content is not None and os.path.lexists(content / "CNAME"):  # a custom domain, for hosts that read site/CNAME
        output.add("CNAME", custom_domain(content / "CNAME", content))


def add_sitemap(output: Output, base_url: str | None, urls: list[str]) -> None:
    if not base_url:
        return
    body = "".join(f"  <url><loc>{base_url}{u}</loc></url>\n" for u in sorted(set(urls)))
    output.add("sitemap.xml", '<?xml version="1.0" encoding="UTF-8"?>\n'
               '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n' + body + "</urlset>\n")


def asset(templates: Path, name: str) -> bytes:
    """templates/assets/<name>, read as every input is (generator/inputs.py)."""
    path = templates / "assets" / name
    if not os.path.lexists(path):
        raise UsageError(f"{display_path(path)}: missing (the site's {name})")
    return inputs.read_bytes(path, templates, inputs.MAX_ASSET)


def custom_domain(path: Path, content: Path | None = None) -> str:
    """content/CNAME, checked: one domain name on one line, as GitHub Pages and others expect it."""
    text = inputs.read_text(path, content if content is not None else path.parent, inputs.MAX_CNAME).strip()
    if not re.fullmatch(r"(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}", text, re.IGNORECASE):
        raise UsageError(f"{path}: {text[:80]!r} is not a domain name (one line such as data.example.org expected, "
                         "without https:// or a path)")
    return text.lower() + "\n"


def _editor_notes(content: Path, dataset) -> dict[tuple[str, Date], str]:
    notes = {}
    for region in dataset.regions:
        for snap in region.snapshots:
            path = content / region.slug / f"{snap.date}.md"
            if os.path.lexists(path):  # (a FIFO or a broken symlink is an error, not a note left out)
                notes[(region.slug, snap.date)] = render.markdown_html(
                    inputs.read_text(path, content, inputs.MAX_MARKDOWN), path)
    return notes

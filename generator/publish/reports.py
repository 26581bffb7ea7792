"""Every dated report: kept from the previous site, served from its frozen record, or made and sealed.

A dated report (/<region>/arsip/<date>/) is published once and kept as it
was: its pages, its charts' files, embeds, data files, a SHA256SUMS and a zip
that opens offline. Its key is what it says (its region's data up to its
date) and where it is published, not the templates or the code
(publish/rebuild.py), so a rebuild carries the files of every report whose key
is unchanged from the previous site, a deploy into an empty folder links them
from the build cache (publish/reportcache.py), and a frozen report
(publish/published.py) is written as stored.

Regions are made one after another, their planning caches forgotten between
them, so memory stays bounded; with a streamed output and enough reports they
are spread over spawned worker processes writing into the same stage folder.
Rendered is the build's account of what it made beyond the files: what the
next build, the feed, the sitemap and cakupan freeze read.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from datetime import date as Date
from pathlib import Path

from generator.data import budget, when as when_
from generator.data.dataset import load_dataset
from generator.data.model import Dataset
from generator.publish import cache, progress, published, rebuild, reportcache, workers
from generator.publish.archive import MANIFEST, manifest_text, sha256
from generator.publish.images import chart_files, drawn_charts, link_previews
from generator.publish.settings import Settings, normalise_base_url
from generator.publish.write import Output
from generator.site import assets as shared, exports, offline, render
from generator.site.chart_refs import chart_ref, embed_pages
from generator.site.feed import feed_entry
from generator.site.frame import render_page
from generator.site.notes import editor_notes
from generator.site.pages import home_crumbs, plan_dated
from generator.site.plan import dated_prefix, forget, PageJob, Plan, Report

METHODOLOGY = "metodologi"  # content/metodologi.md: the page each report links as its explanation
MIN_WORKERS = 24  # dated reports below which starting worker processes costs more than it saves
# Sub-regions shown by the reports to render from which drawing processes start before they are planned
# (workers.warm): each has its history chart and the ranking with its bar highlighted, each with a phone
# image, so 16 make 64 images or more. Measured: a 23-regency province's new report drew in about 1.5 s
# less; a 5-regency one took the same either way, so its few images are drawn here.
WARM_PLACES = 16


@dataclass
class Rendered:
    """What a build made, beyond its files."""

    output: Output
    manifests: dict[tuple[str, Date], dict[str, str]]  # (region, date) -> {path: sha256}
    pages: int = 0
    charts: int = 0
    store: cache.Store | None = None
    kept: int = 0
    cached: int = 0  # dated reports linked from the build cache (publish/reportcache.py), not rendered
    reports: dict[str, rebuild.Made] = dataclasses.field(default_factory=dict)  # by key, for the next build
    by_date: dict[tuple[str, Date], rebuild.Made] = dataclasses.field(default_factory=dict)  # the same, by date
    data_keys: dict[tuple[str, Date], str] = dataclasses.field(default_factory=dict)  # published.data_keys
    assets: shared.Assets | None = None  # the shared files this build's new pages load
    feed: list[dict] = dataclasses.field(default_factory=list)  # the dated reports' Atom entries (site/feed.py)
    urls: list[str] = dataclasses.field(default_factory=list)  # the dated reports' addresses, for the sitemap
    to_cache: dict[str, int] = dataclasses.field(default_factory=dict)  # files put in the build cache: sha256 -> size

    def take(self, mades: list[rebuild.Made], kept: int, hits: int) -> None:
        """A region's dated reports, made or kept: recorded for the next build, the feed and the sitemap."""
        for made in mades:
            self.reports[made.key] = made
            when = (made.feed[0]["region"], when_.parse(made.feed[0]["date"]))
            self.manifests[when] = made.manifest
            self.by_date[when] = made
            if made.frozen or made.cached or made.kept:
                # published: where the latest report draws one of its files anew, the published bytes stay
                self.output.pinned.update(made.files)
            put = not (made.frozen or made.cached or made.kept)  # (made here: reportcache.put kept it)
            if made.kept:  # (the next deploy starts without this site: the build cache must hold it)
                put = reportcache.keep(self.store, made, self.output)
            if put:
                self.to_cache.update((digest, size) for size, digest in made.files.values())
            self.pages += made.pages
            self.cached += made.cached
            self.feed += made.feed
            self.urls += made.urls
            for path, (size, digest) in made.files.items():
                self.output.sizes.setdefault(path, size)
                self.output.digests.setdefault(path, digest)
        self.kept += kept
        self.store.hits += hits


@dataclass
class Dated:
    """What making a region's dated reports needs (a worker process makes its own: dated_job)."""

    dataset: Dataset
    env: object
    home: list
    records: dict
    corrections: dict
    notes: dict
    keys: rebuild.ReportKeys
    data_keys: dict[tuple[str, Date], str]  # published.data_keys: what each report says, hashed
    previous: rebuild.Previous | None
    settings: Settings
    base_url: str | None
    assets: shared.Assets
    store: cache.Store
    stage: Path | None
    methodology: render.Prose | None  # content/metodologi.md, which each report's zip holds


def dated_job(settings: Settings, records: dict, store: cache.Store, previous: rebuild.Previous | None,
              stage: Path | None, dataset: Dataset | None = None, env=None) -> Dated:
    """Everything making dated reports needs, from the settings (as a worker process makes it again)."""
    corrections = {key: record.corrections for key, record in records.items()}
    dataset = dataset if dataset is not None else load_dataset(settings.data, cache=settings.cache)
    env = env if env is not None else render.environment(settings.templates, cache.compiled_templates(store))
    base_url = normalise_base_url(settings.base_url)
    notes = editor_notes(settings.content, dataset)
    assets = shared.collect(settings.templates)
    methodology = settings.content / (METHODOLOGY + ".md")
    data_keys = published.data_keys(dataset, notes, corrections)
    keys = rebuild.ReportKeys(data_keys, base_url, len(dataset.regions))
    return Dated(dataset, env, home_crumbs(dataset), records, corrections, notes, keys, data_keys, previous,
                 settings, base_url,
                 assets, store, stage, render.read_prose(methodology) if methodology.is_file() else None)


def made_regions(job: Dated, site: Rendered):
    """Each region in turn, once its dated reports are made or kept and recorded in site."""
    regions = job.dataset.regions
    for index, (mades, kept, hits) in enumerate(_each_region(job, site.output)):
        progress.update("Dated reports", index + 1, len(regions), regions[index].name)
        site.take(mades, kept, hits)
        forget()
        yield regions[index]


_JOB: Dated | None = None  # in a worker process: what its regions' reports need


def _each_region(job: Dated, output: Output):
    """Each region's dated reports, made or kept: (its Made list, how many kept, cache hits), in order.

    With a streamed output and enough reports, regions are spread over worker
    processes that write into the same stage folder (a region's files are its
    own, but for content-named cards, which any process may write). Workers
    are spawned, not forked (vl-convert, which draws link-preview cards, does
    not survive a fork), and each makes its inputs again from the settings."""
    count = min(workers.worker_count(), len(job.dataset.regions))
    to_render, places = _to_render(job) if output.stage is not None else (0, 0)
    if count < 2 or to_render < MIN_WORKERS:
        if places >= WARM_PLACES:  # (their charts drawn by processes started now, while they are planned)
            workers.warm()
        for index in range(len(job.dataset.regions)):
            yield *_region_reports(job, index, output), 0  # (hits counted on this process's store)
        return
    with workers.pool(count, initializer=_start_worker,
                      initargs=(job.settings, job.records, job.stage)) as pool:
        yield from pool.imap(_in_worker, range(len(job.dataset.regions)))


def _to_render(job: Dated) -> tuple[int, int]:
    """How many dated reports must be rendered (not frozen, not in the previous site, not in the build
    cache), and how many sub-regions they show in all.

    A new snapshot or a deploy from the cache renders one or two: starting workers
    (each imports Altair and vl-convert and loads the data again) would cost more."""
    count = places = 0
    for region in job.dataset.regions:
        for snap in region.snapshots:
            record = job.records.get((region.slug, snap.date))
            if record is not None and record.stored:
                continue
            key = job.keys.of(region, snap.date)
            if job.previous is not None and key in job.previous.reports:
                continue
            if not reportcache.holds(job.store, key):
                count, places = count + 1, places + len(region.subregions)
    return count, places


def _start_worker(settings: Settings, records: dict, stage: Path) -> None:
    global _JOB
    progress.stop()  # (the parent shows progress, a region at a time)
    budget.checked_by_parent()  # (the parent rendered the same Markdown within its budget)
    store = cache.open_store(settings.cache)
    previous = rebuild.read(store, settings.out) if store.root is not None else None
    _JOB = dated_job(settings, records, store, previous, stage)
    workers.collect_less()  # (as the parent's build does)


def _in_worker(index: int):
    job = _JOB
    output = Output(job.stage, job.settings.out, carry=False)  # (the parent learns of no carried file)
    before = job.store.hits
    mades, kept = _region_reports(job, index, output)
    return mades, kept, job.store.hits - before


def _region_reports(job: Dated, index: int, output: Output):
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
        if made is None:  # no previous site to link it from (a deploy starts without one): the build cache?
            made = reportcache.take(job.store, key, output)
        if made is None:
            plan = plan_dated(Report.of(region, snap), job.home, job.corrections, job.notes.get((region.slug, when)))
            job.store.log = set()  # (the entries making it uses: kept with it, so pruning spares them)
            made = render_report(plan, job.env, output, region, when, job.base_url, job.settings.templates,
                                 job.assets, job.store, key, job.methodology)
            reportcache.put(job.store, made, output, job.store.log)
            job.store.log = None
        elif not made.frozen and not made.cached:
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
    for base, chart, pictures in drawn_charts(plan.charts, store):
        refs[base] = chart_ref(base, chart, pictures.drawn, pictures.phone, pictures.variants)
        files.update(chart_files(base, chart, pictures))
    pages = plan.pages + embed_pages(plan)
    previews = link_previews(pages, output, templates, store) if base_url else {}
    for page in pages:
        files[page.path] = render_page(env, page, refs, base_url, previews.get(page.path), assets.paths).encode()
    files.update(_data_files(region, when))
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
    made = {p: (output.sizes[p], output.digests[p]) for p in [*files, *(v["image"] for v in previews.values())]}
    # The shared files its pages load, at their content addresses: kept with the report, so a later
    # stylesheet or script does not change what it loads (static.py writes them for this build).
    made.update((path, (len(data), sha256(data))) for path, data in assets.addressed().items())
    return rebuild.Made(
        key=key, manifest=manifest, files=made,
        pages=len(pages), urls=[p.pretty for p in plan.pages],
        feed=[feed_entry(region, when, prefix, report_page, next((p for p in plan.pages if p.template == "change.html"),
                                                                 None))])


def _data_files(region, when: Date) -> dict[str, bytes]:
    """The figures behind a snapshot (site/exports.py)."""
    return exports.data_files(region, next(s for s in region.snapshots if s.date == when))


def seal_snapshot(files: dict[str, bytes], shown: dict[str, bytes], env, region, when: Date,
                  assets: shared.Assets, store: cache.Store | None = None, extra: dict[str, bytes] | None = None,
                  base_url: str | None = None) -> dict[str, str]:
    """Add a dated report's SHA256SUMS and its offline zip to files; return its hashes. The zip holds
    what its pages show and load, extra (the methodology), and its pages' links made to stand alone
    (generator/site/offline.py); SHA256SUMS lists the site's files, so it checks a copy of the site."""
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

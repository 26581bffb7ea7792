"""`cakupan build`, as a recipe.

build():
  1. check the base URL, read the frozen records, open the build cache;
  2. stop there if no input changed since the previous build (the site is left as it was);
  3. render the whole site into a fresh folder beside the output (render_site), but for the
     unchanged dated reports, carried over from the previous site;
  4. move those reports' folders into it and swap it in (publish/write.py, publish/carry.py),
     and record what it made for the next build.

render_site():
  1. load the data, the Markdown pages, the templates and the shared assets;
  2. check every frozen report against what its data makes now, before anything is made;
  3. the static files, then every dated report, region by region (publish/reports.py: kept from
     the previous site when its key is unchanged, made in worker processes when there are many);
  4. plan the latest reports, the front page and the site's own pages;
  5. draw their charts as SVG and PNG, in one batch (from the build cache when it has them);
  6. render their pages, then the sitemap and the search index;
  7. seal: the site manifest (checksums), the pages that state its hash, and the Atom feed.

Each part is streamed into the fresh folder and forgotten, so memory stays
bounded however many reports there are; the folder replaces the output only
when everything is made and checked, so a bad input or a crash leaves the
previous site as it was.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from datetime import date as Date

from generator.data.dataset import load_dataset
from generator.publish import cache, progress, published, rebuild, reportcache, reports, search, workers
from generator.publish.images import draw_charts
from generator.publish.pagewriter import PageWriter
from generator.publish.published import Frozen, read_frozen
from generator.publish.reports import Rendered
from generator.publish.settings import Settings, normalise_base_url
from generator.publish.write import Output, discard, stage_for, sweep_removed, write_site
from generator.site import exports, national, render, static
from generator.site.feed import feed_context
from generator.site.pages import plan_common, plan_latest
from generator.site.plan import forget, Plan, Report


@dataclass(frozen=True)
class Summary:
    """What a build tells the command line: how much it made, and how much it did not have to."""

    pages: int
    charts: int
    files: int
    bytes: int
    from_cache: int = 0  # images, specs and zips the build cache had, not made again
    reports_kept: int = 0  # dated reports carried over from the previous site, unchanged
    reports_cached: int = 0  # dated reports linked from the build cache (a deploy into an empty folder)
    unchanged: bool = False  # nothing changed since the previous build: the site was left as it was


def build(settings: Settings, begun: rebuild.Start | None = None) -> Summary:
    """Render everything, check it against the frozen snapshots, then swap it in (begun: the record of the
    previous build and the inputs' key, when the caller has read them: rebuild.start)."""
    normalise_base_url(settings.base_url)  # a bad --base-url stops before anything is read
    records = read_frozen(settings.data) if settings.data.is_dir() else {}
    store = cache.open_store(settings.cache)
    begun = rebuild.start(settings) if begun is None else begun
    progress.lap("key check")
    if begun.unchanged:
        s = begun.previous.summary
        return Summary(s["pages"], s["charts"], s["files"], s["bytes"], unchanged=True)
    previous, inputs = begun.previous, begun.inputs
    sweep_removed(settings.out)  # (previous sites an earlier build's remover did not finish)
    stage = stage_for(settings.out)
    try:
        with workers.drawing(), workers.fewer_collections():  # (one set of drawing processes, if it needs any)
            site = render_site(settings, records, Output(stage, settings.out), store, previous)
        rebuild.forget(store, settings.out)  # (until the new record is written: it describes the old site)
        write_site(site.output, settings.out, remove_later=True, folders=previous.folders if previous else None)
        progress.lap("swap (the previous site left to a remover)")
    finally:
        discard(stage)
    summary = Summary(site.pages, site.charts, len(site.output.sizes), site.output.size,
                      site.store.hits if site.store else 0, site.kept, site.cached)
    if inputs is not None:
        rebuild.write(store, settings.out, inputs, site.reports, site.output, dataclasses.asdict(summary))
        progress.lap("record")
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
    env = render.environment(settings.templates, cache.compiled_templates(store))
    job = reports.dated_job(settings, records, store, previous, output.stage, dataset, env)  # (reads every note)
    site = Rendered(output, {}, store=store, assets=job.assets)
    output.add_all(static.static_files(job.assets, base_url, settings.content))
    site.data_keys = job.data_keys
    if check:
        published.check(records, site.data_keys, base_url, settings.data)  # (before anything is made)
    progress.lap("load")

    latest = [_latest_plan(job, region) for region in reports.made_regions(job, site)]
    forget()
    # The data files each latest page links are its dated report's, unless that report was made before a
    # kind of file existed (a report stays as made): written here too, the same bytes or the report's kept.
    for region in dataset.regions:
        output.add_all(exports.data_files(region, region.snapshots[-1]))
    progress.lap("dated reports")
    common = plan_common(dataset, prose, frozenset(env.list_templates()))
    front = national.plan_front(dataset) if len(dataset.regions) > 1 else Plan()  # the national overview
    plans = latest + [front, common]

    charts = {base: chart for plan in plans for base, chart in plan.charts.items()}
    progress.lap("latest: plan")
    writer = PageWriter(env, draw_charts(charts, output, store), base_url, job.assets.paths, settings.templates, store)
    site.charts = len(charts)
    progress.lap("latest: chart images")
    for plan in plans:
        site.pages += writer.write(plan.pages, output)
    output.add_all(static.sitemap(base_url, site.urls + writer.urls))
    progress.lap("latest: pages")
    search.build_index(output, writer.searched, dataset, store)
    progress.lap("search index")

    site_hash = writer.seal(output)
    output.add("feed.xml", render.render(env, "feed.xml", {**feed_context(site.feed, records, base_url),
                                                           "site_manifest": site_hash}))
    progress.lap("feed and stated pages")
    store.prune()
    if site.to_cache:  # (only a report put in the build cache adds files to its folder of them)
        released = previous is None or any(key not in site.reports for key in previous.reports)
        reportcache.prune(store, {digest for made in site.reports.values() for _, digest in made.files.values()},
                          added=sum(site.to_cache.values()), released=released)
    progress.lap("cache prune")
    return site


def _latest_plan(job: reports.Dated, region) -> Plan:
    """A region's latest report, as its region page (or the front page, for a site of one region)."""
    snapshots = [Report.of(region, snap) for snap in region.snapshots]
    note = job.notes.get((region.slug, snapshots[-1].snap.date))
    return plan_latest(region, snapshots, job.home, job.corrections, note, front=len(job.dataset.regions) == 1)

"""The pages of a report and of the whole site, each a template with its context.

This stage decides; it renders nothing. A region's report is a page for the region and one per
regency or city, under the latest address and, for ever, under its date; beside them the
what-changed page, the archive index and the site's own pages (prose, data, search, 404).
"""

from __future__ import annotations

from datetime import date as Date

from generator.data.model import Dataset, Region, Snapshot, SubRegion
from generator.data.names import fold
from generator.facts import discrepancies, fmt, words
from generator.facts.indicators import difference, headline, subregion_stats
from generator.facts.subregion_history import subregion_history
from generator.site.chart_plans import (change_chart, history_chart, ranking_chart, subregion_history_chart,
    target_chart, tile_chart)
from generator.site.exports import COLUMNS, LICENCE, data_paths
from generator.site.plan import PageJob, Plan, Report, by_slug, dated_prefix, once, publishers
from generator.site.social import card_bars




def _table(rep: Report) -> list[dict]:
    if rep.stats is None:
        return [{"kind": "missing", "subregion": s, "rank": None, "coverage": None, "vs": None, "note": None}
                for s in sorted(rep.region.subregions, key=lambda s: s.name)]
    rows = [{"kind": "ranked", "subregion": r.subregion, "rank": r.rank, "coverage": r.figure.coverage,
             "vs": r.vs_province, "note": None} for r in rep.stats.rows]
    rows += [{"kind": "ambiguous", "subregion": r.subregion, "rank": None, "coverage": r.figure.coverage,
              "vs": None, "note": r.figure.ambiguous} for r in rep.stats.ambiguous]
    named = {r["subregion"].slug for r in rows}
    rows += [{"kind": "missing", "subregion": s, "rank": None, "coverage": None, "vs": None, "note": None}
             for s in rep.stats.missing if s.slug not in named]
    return rows


def _segments(snap: Snapshot) -> list[dict]:
    out = []
    for s in snap.segments:
        coverage = s.coverage
        if coverage is None and s.participants and s.workforce:
            from generator.facts.indicators import Computed

            coverage = Computed(100 * s.participants.value / s.workforce.value, "participants / workforce × 100",
                                exact=s.participants.exact and s.workforce.exact,
                                interval=100 * s.participants.interval / s.workforce.interval.clamp_min(1e-9))
        figs = [f for f in (s.participants, s.workforce, s.coverage) if f]
        out.append({"name": s.name, "participants": s.participants, "workforce": s.workforce,
                    "coverage": coverage, "source": publishers(f.source for f in figs)})
    return out


def region_page(plan: Plan, rep: Report, prefix: str, crumbs: list[dict], editor_note: str | None) -> PageJob:
    facts = [words.headline(rep.region, rep.snap, rep.h), *words.targets(rep.region, rep.snap, rep.h)]
    if rep.change is not None:
        facts.append(words.change(rep.region, rep.change))
    if rep.stats is not None and (f := words.subregions(rep.region, rep.sub_snap, rep.stats, rep.snap.date)):
        facts.append(f)
    partial = None
    if rep.sub_snap is not rep.snap and (rep.snap.subregions or rep.snap.rankings):
        partial = {"figures": [f for f in rep.snap.subregions if f.coverage and not f.ambiguous],
                   "rankings": rep.snap.rankings}
    sub_notes = ()
    if rep.sub_snap is not None and rep.sub_snap is not rep.snap:
        ids = {f.ambiguous for f in rep.sub_snap.subregions if f.ambiguous}
        sub_notes = tuple(n for n in rep.sub_snap.notes if n.id in ids)
    page = PageJob(f"{prefix}index.html", "region.html", {
        "region": rep.region, "snap": rep.snap, "h": rep.h, "facts": facts, "stats": rep.stats,
        "sub_snap": rep.sub_snap, "partial": partial, "table": _table(rep), "segments": _segments(rep.snap),
        "editor_note": editor_note, "crumbs": crumbs, "sub_notes": sub_notes,
        "computed_notes": discrepancies.notes(rep.snap, rep.h),
        "data_files": data_paths(rep.region, rep.snap),
    })
    for name, base in (("target", target_chart(plan, rep)), ("history", history_chart(plan, rep)),
                       ("change", change_chart(plan, rep)), ("ranking", ranking_chart(plan, rep)),
                       ("tiles", tile_chart(plan, rep))):
        if base is not None:
            page.charts[name] = base
    return page


def subregion_page(plan: Plan, rep: Report, sub: SubRegion, prefix: str, crumbs: list[dict]) -> PageJob:
    region = rep.region
    history = tuple(p for p in once(subregion_history, region, sub) if p.date <= rep.snap.date)
    current = None
    for snap in reversed([s for s in region.snapshots if s.date <= rep.snap.date]):
        fig = once(by_slug, snap)[0].get(sub.slug)
        if fig is None:
            continue
        h = once(headline, snap)
        stats = once(subregion_stats, region, snap, h.coverage)
        row = stats.row(sub.slug)
        current = {
            "date": snap.date, "figure": fig, "province": h.coverage,
            "rank": row.rank if stats.count >= 2 else None, "count": stats.count,
            "vs_province": row.vs_province,
            "targets": [(t.year, t.coverage, difference(t.coverage, fig.coverage, "target − sub-region coverage"))
                        for t in snap.targets],
        }
        break
    unclear = None
    for snap in reversed(region.snapshots):
        values = [f.coverage for f in once(by_slug, snap)[1].get(sub.slug, ()) if f.coverage]
        if values and snap.date <= rep.snap.date:
            unclear = {"date": snap.date, "text": " dan ".join(fmt.pct(v) for v in values)}
            break
    notes = []
    for snap in (s for s in region.snapshots if s.date <= rep.snap.date):
        ids = {f.ambiguous for f in once(by_slug, snap)[1].get(sub.slug, ())}
        for n in snap.notes:
            if n.id in ids or (n.kind == "problem" and fold(sub.name) in fold(n.text)):
                notes.append(n)
    facts = []
    if current is not None:
        facts.append(words.subregion(region, sub, current))
    page = PageJob(f"{prefix}{sub.slug}/index.html", "subregion.html", {
        "region": region, "sub": sub, "current": current, "unclear": unclear, "history": history,
        "notes": notes, "facts": facts, "crumbs": crumbs,
        "bars": card_bars(rep, sub) if current and rep.sub_snap and current["date"] == rep.sub_snap.date else (),
    })
    charted = {"ranking": ranking_chart(plan, rep) if rep.stats and rep.stats.row(sub.slug) else None,
               "history": subregion_history_chart(plan, rep, sub, history)}
    page.charts.update({name: base for name, base in charted.items() if base is not None})
    return page


def report_pages(plan: Plan, rep: Report, prefix: str, home: list[dict], archive: dict,
                 editor_note: str | None) -> list[PageJob]:
    """The region report and one page per sub-region, under `prefix`."""
    region = rep.region
    crumbs = home + ([{"label": region.name, "path": f"{region.slug}/index.html"},
                      {"label": "Arsip", "path": f"{region.slug}/arsip/index.html"}] if archive["archived"] else [])
    pages = [region_page(plan, rep, prefix, crumbs, editor_note)]
    crumbs_sub = crumbs + [{"label": fmt.long_date(rep.snap.date) if archive["archived"] else region.name,
                            "path": f"{prefix}index.html"}]
    pages += [subregion_page(plan, rep, sub, prefix, crumbs_sub) for sub in region.subregions]
    dated = dated_prefix(region, rep.snap.date)
    for page in pages:
        page.context.update(base=prefix, archive=archive,
                            cite=citation(page, rep.snap.date, dated + page.path.removeprefix(prefix)))
    return pages


def citation(page: PageJob, when: Date, dated_path: str) -> dict:
    """What a reader needs to cite a page: its title, the data date and the address that never changes."""
    ctx = page.context
    place = ctx["sub"].name if "sub" in ctx else ctx["region"].name
    figures = ctx["facts"][0].sources if ctx.get("facts") else ()
    title = f"Cakupan Jamsostek di {place}, data per {fmt.long_date(when)}"
    if ctx.get("current") and ctx["current"]["date"] != when:  # the regency's own figure is older: say so
        title = (f"Cakupan Jamsostek di {place}, laporan per {fmt.long_date(when)} "
                 f"(angka {place} per {fmt.long_date(ctx['current']['date'])})")
    return {"title": title, "year": when.year,
            "path": dated_path.removesuffix("index.html"), "sources": publishers(figures)}


def change_page(plan: Plan, rep: Report, home: list[dict], archive: dict) -> PageJob:
    """What changed between the previous snapshot and this one."""
    c = rep.change
    region = rep.region
    prefix = dated_prefix(region, rep.snap.date)
    h1 = once(headline, c.before)
    rows = []
    for label, before, after, kind, diff in (
        ("Cakupan", h1.coverage, rep.h.coverage, "pct", c.points),
        ("Peserta", h1.participants, rep.h.participants, "count", c.participants),
        ("Potensi pekerja", c.before.workforce or h1.workforce, rep.snap.workforce or rep.h.workforce, "count",
         c.workforce),
    ):
        rows.append({"label": label, "before": before, "after": after, "kind": kind, "change": diff})
    crumbs = home + [{"label": region.name, "path": f"{region.slug}/index.html"},
                     {"label": "Arsip", "path": f"{region.slug}/arsip/index.html"},
                     {"label": fmt.long_date(rep.snap.date), "path": f"{prefix}index.html"}]
    path = f"{prefix}perubahan/index.html"
    page = PageJob(path, "change.html", {
        "region": region, "rep": rep, "c": c, "rows": rows, "change_fact": words.change(region, c), "crumbs": crumbs,
        "base": prefix, "archive": archive,
        "cite": {"title": f"Perubahan cakupan Jamsostek di {region.name}, {fmt.long_date(c.before.date)} "
                          f"ke {fmt.long_date(c.after.date)}", "year": rep.snap.date.year,
                 "path": path.removesuffix("index.html"), "sources": publishers(f.source for s in (c.before, c.after)
                                        for f in (s.coverage, s.participants, s.workforce) if f)},
    })
    base = change_chart(plan, rep)
    if base is not None:
        page.charts["change"] = base
    return page


def archive_index(plan: Plan, region: Region, reports: list[Report], home: list[dict]) -> PageJob:
    rows = []
    for rep in reversed(reports):
        rows.append({"rep": rep, "prefix": dated_prefix(region, rep.snap.date)})
    page = PageJob(f"{region.slug}/arsip/index.html", "archive.html", {
        "region": region, "rows": rows,
        "crumbs": home + [{"label": region.name, "path": f"{region.slug}/index.html"}],
    })
    base = history_chart(plan, reports[-1])
    if base is not None:
        page.charts["history"] = base
    return page


def home_crumbs(dataset: Dataset) -> list[dict]:
    """The first breadcrumb of every report page: the national overview, when there is one."""
    return [{"label": "Ikhtisar", "path": "index.html"}] if len(dataset.regions) > 1 else []


def _archive(rep: Report, corrections: dict, archived: bool) -> dict:
    when = rep.snap.date
    return {"archived": archived, "date": when, "region": rep.region,
            "permalink": dated_prefix(rep.region, when),
            "changes": f"{dated_prefix(rep.region, when)}perubahan/index.html" if rep.change else None,
            "corrections": corrections.get((rep.region.slug, when), ())}


def plan_dated(rep: Report, home: list[dict], corrections: dict, editor_note: str | None) -> Plan:
    """One snapshot's report under <region>/arsip/<date>/, which must not change once published.

    It depends only on the region's data up to that date (never on a later
    snapshot), so a build can keep it whole while those inputs stay the same."""
    plan = Plan()
    archive = _archive(rep, corrections, True)
    plan.pages += report_pages(plan, rep, dated_prefix(rep.region, rep.snap.date), home, archive, editor_note)
    if rep.change is not None:
        plan.pages.append(change_page(plan, rep, home, archive))
    return plan


def plan_latest(region: Region, reports: list[Report], home: list[dict], corrections: dict,
                editor_note: str | None, front: bool = False) -> Plan:
    """The region's unprefixed pages (its latest report) and its archive index; with front, index.html too."""
    plan = Plan()
    latest = reports[-1]
    pages = report_pages(plan, latest, f"{region.slug}/", home, _archive(latest, corrections, False), editor_note)
    plan.pages += pages
    plan.pages.append(archive_index(plan, region, reports, home))
    if front:
        first = pages[0]
        plan.pages.append(PageJob("index.html", first.template, dict(first.context), dict(first.charts),
                                  url_path=first.pretty))
    return plan


def plan_common(dataset: Dataset, prose: dict, templates: frozenset[str] = frozenset()) -> Plan:
    """The pages about the whole site: prose pages, the data page and 404.

    A content page uses templates/<slug>.html when there is one."""
    plan = Plan()  # (the national overview, with several regions: generator/national.py)
    sources = [{"region": r, "snap": s} for r in dataset.regions for s in reversed(r.snapshots)]
    for slug, page in sorted(prose.items()):
        template = f"{slug}.html" if f"{slug}.html" in templates else "page.html"
        plan.pages.append(PageJob(f"{slug}/index.html", template, {"page": page, "sources": sources}))
    plan.pages.append(PageJob("data/index.html", "data.html", {"regions": dataset.regions, "columns": COLUMNS,
                                                               "licence": LICENCE}))
    plan.pages.append(PageJob("cari/index.html", "search.html", {"places": _places(dataset)}))
    plan.pages.append(PageJob("404.html", "404.html", {}))
    return plan


def _places(dataset: Dataset) -> list[dict]:
    """Every place with a page, by name: regions, their regencies and cities, and the national
    region's provinces that have no report of their own (a province that has one is listed once)."""
    own = {fold(r.name) for r in dataset.regions if not r.national}
    places = [{"name": r.name, "path": f"{r.slug}/index.html", "note": "laporan nasional" if r.national else "provinsi"}
              for r in dataset.regions]
    places += [{"name": s.name, "path": f"{r.slug}/{s.slug}/index.html", "note": f"{s.kind_label.lower()}, {r.name}"}
               for r in dataset.regions for s in r.subregions if not (r.national and fold(s.name) in own)]
    return sorted(places, key=lambda p: (fold(p["name"]), p["path"]))

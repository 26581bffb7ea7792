"""What the site contains: every page with its context and every chart with its spec.

This stage decides; it renders nothing. Pages name their charts by path, so a
chart shared by several pages is drawn once.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date as Date

from generator.charts import (change as change_charts, history as history_charts, ranking as ranking_charts,
    target as target_charts, tiles as tile_charts)
from generator.facts import discrepancies, fmt, words
from generator.site.cards import Card
from generator.site.exports import COLUMNS, LICENCE
from generator.data.interval import decimals as supported
from generator.facts.indicators import (Change, Headline, SubregionStats, change, difference, headline,
    subregion_history, subregion_stats)
from generator.data.model import Dataset, Region, Snapshot, SubRegion
from generator.data.model import fold
from generator.data.when import middle


@dataclass(frozen=True)
class Table:
    """Columns as (heading, kind) with kind text, pct, count, points or date; rows of raw values."""

    columns: tuple[tuple[str, str], ...]
    rows: tuple[tuple, ...]


@dataclass(frozen=True)
class ChartJob:
    base: str  # path without extension: charts/<region>/<date>/<name>
    spec: dict
    description: str
    source: str
    table: Table  # the figures the chart draws, for its CSV and its table
    responsive: bool = True  # may be drawn narrower on a small screen (not the tile map)

    @property
    def title(self) -> str:
        title = self.spec.get("title", {})
        return title.get("text", "") if isinstance(title, dict) else str(title)


@dataclass
class PageJob:
    path: str  # e.g. lampung/kota-metro/index.html
    template: str
    context: dict
    charts: dict[str, str] = field(default_factory=dict)  # name in the template -> chart base
    url_path: str | None = None  # the address to cite (defaults to the folder of path)

    @property
    def pretty(self) -> str:
        if self.url_path is not None:
            return self.url_path
        return self.path[: -len("index.html")] if self.path.endswith("index.html") else self.path


@dataclass
class Plan:
    pages: list[PageJob] = field(default_factory=list)
    charts: dict[str, ChartJob] = field(default_factory=dict)

    def chart(self, job: ChartJob) -> str:
        if job.base in self.charts:
            raise ValueError(f"chart {job.base} planned twice")  # pages share a chart by its base
        self.charts[job.base] = job
        return job.base


def _publishers(sources) -> str:
    names: list[str] = []
    for s in sources:
        if s.publisher not in names:
            names.append(s.publisher)
    return ", ".join(names)


def regency_snapshot(region: Region, upto: Snapshot) -> Snapshot | None:
    """The latest snapshot up to `upto` with clear figures for at least two sub-regions."""
    for snap in reversed(region.snapshots):
        if snap.date <= upto.date and sum(1 for f in snap.subregions if f.coverage and not f.ambiguous) >= 2:
            return snap
    return None


# Pure indicators that many pages of one plan need again and again (every later
# report of a region, every regency page of a report): computed once per region.
# Keyed by the arguments' identity (numbers by value); the entry holds its
# arguments, so an id is never reused while its entry lives. forget() empties it (between regions).
_MEMO: dict[tuple, tuple] = {}


def _once(fn, *args):
    key = (fn, *(("v", a) if isinstance(a, (int, float, str)) else ("i", id(a)) for a in args))
    hit = _MEMO.get(key)
    if hit is None:
        hit = _MEMO[key] = (args, fn(*args))
    return hit[1]


def _by_slug(snap: Snapshot) -> tuple[dict, dict]:
    """A snapshot's sub-region figures by slug: the first clear one, and the unclear ones in order."""
    clear: dict[str, object] = {}
    unclear: dict[str, list] = {}
    for f in snap.subregions:
        if f.ambiguous:
            unclear.setdefault(f.subregion.slug, []).append(f)
        elif f.coverage:
            clear.setdefault(f.subregion.slug, f)
    return clear, unclear


@dataclass(frozen=True)
class Report:
    """Everything computed for one region as of one snapshot."""

    region: Region
    snap: Snapshot
    h: Headline
    previous: Snapshot | None
    change: Change | None
    sub_snap: Snapshot | None
    sub_h: Headline | None
    stats: SubregionStats | None

    @classmethod
    def of(cls, region: Region, snap: Snapshot) -> Report:
        h = _once(headline, snap)
        earlier = [s for s in region.snapshots if s.date < snap.date]
        previous = earlier[-1] if earlier else None
        sub_snap = regency_snapshot(region, snap)
        sub_h = _once(headline, sub_snap) if sub_snap else None
        stats = _once(subregion_stats, region, sub_snap, sub_h.coverage) if sub_snap else None
        return cls(region, snap, h, previous, _once(change, previous, snap) if previous else None, sub_snap, sub_h,
                   stats)


# --------------------------------------------------------------------------- charts


def _chart_base(region: Region, when: Date, name: str) -> str:
    return f"charts/{region.slug}/{when.isoformat()}/{name}"


# Specs are not validated against the Vega-Lite schema while building (about
# 40 ms each); tests/test_site.py validates every spec the site writes.


def _drawn(plan: Plan, base: str) -> str | None:
    """A chart already planned by another page (the same figures, the same file)."""
    return base if base in plan.charts else None


def target_chart(plan: Plan, rep: Report) -> str | None:
    base = _chart_base(rep.region, rep.snap.date, "target")
    if not rep.h.targets or _drawn(plan, base):
        return _drawn(plan, base)
    targets = [{"year": g.year, "coverage": g.target.coverage.value, "shown": fmt.chart_pct(g.target.coverage)}
               for g in rep.h.targets]
    gaps = "; ".join(f"target {fmt.target_year(g.year)} {fmt.pct(g.target.coverage)}" for g in rep.h.targets)
    description = (f"Cakupan {rep.region.name} {fmt.pct(rep.h.coverage)} per {fmt.long_date(rep.snap.date)} "
                   f"dibandingkan dengan {gaps}.")
    spec = target_charts.target_chart(rep.h.coverage.value, targets,
                                      title=f"Cakupan {rep.region.name} dan targetnya",
                                      subtitle=f"Per {fmt.long_date(rep.snap.date)}", description=description,
                                      shown=fmt.chart_pct(rep.h.coverage), validate=False)
    table = Table((("Ukuran", "text"), ("Cakupan (%)", "pct")),
                  (("Cakupan " + fmt.long_date(rep.snap.date), rep.h.coverage.value),
                   *((f"Target {fmt.target_year(g.year)}", g.target.coverage.value) for g in rep.h.targets)))
    return plan.chart(ChartJob(base, spec, description,
                               _publishers([rep.snap.coverage.source if rep.snap.coverage else rep.snap.sources[0]]
                                           + [g.target.coverage.source for g in rep.h.targets]), table))


HISTORY_YEARS_AHEAD = 2  # targets at most this many years after the report's year are drawn in its history


def _chart_day(when: Date) -> str:
    """Where a chart puts a date: its day, or the middle of a month or a year."""
    return middle(when).isoformat()


def history_chart(plan: Plan, rep: Report) -> str | None:
    base = _chart_base(rep.region, rep.snap.date, "riwayat")
    snaps = [s for s in rep.region.snapshots if s.date <= rep.snap.date]
    if len(snaps) < 2 or _drawn(plan, base):
        return _drawn(plan, base)
    heads = [_once(headline, s) for s in snaps]
    points = [{"date": _chart_day(s.date), "label": fmt.long_date(s.date), "coverage": round(h.coverage.value, 2),
               "shown": fmt.chart_pct(h.coverage), "estimate": not h.coverage.exact}
              for s, h in zip(snaps, heads)]
    # A target years ahead would stretch the time axis until the points bunch up at its start (and
    # their labels collide on a phone): it is named under the title instead of drawn.
    # (and a target without a year has no place on a time axis)
    near = [g for g in rep.h.targets if g.year is not None and g.year <= rep.snap.date.year + HISTORY_YEARS_AHEAD]
    far = [g for g in rep.h.targets if g not in near]
    targets = [{"year": g.year, "coverage": g.target.coverage.value, "shown": fmt.chart_pct(g.target.coverage)}
               for g in near]
    description = "Cakupan " + rep.region.name + " dari waktu ke waktu: " + "; ".join(
        f"{fmt.long_date(s.date)} {fmt.pct(h.coverage)}" for s, h in zip(snaps, heads)) + "."
    subtitle = "Titik per tanggal data; target seperti dinyatakan per " + fmt.long_date(rep.snap.date)
    if far:
        subtitle = [subtitle, "Di luar grafik: " + "; ".join(f"target {fmt.target_year(g.year)}: {fmt.pct(g.target.coverage)}"
                                                                for g in far)]
    spec = history_charts.history_chart(points, targets=targets, title=f"Cakupan {rep.region.name} dari waktu ke waktu",
                                        subtitle=subtitle, description=description, validate=False)
    table = Table((("Tanggal data", "date"), ("Cakupan (%)", "pct"), ("Perkiraan", "text")),
                  tuple((s.date, h.coverage.value, "" if h.coverage.exact else "ya") for s, h in zip(snaps, heads)))
    return plan.chart(ChartJob(base, spec, description, _publishers(src for s in snaps for src in s.sources[:1]), table))


def change_chart(plan: Plan, rep: Report) -> str | None:
    c = rep.change
    base = _chart_base(rep.region, rep.snap.date, "perubahan")
    if c is None or c.due_to_participants is None or _drawn(plan, base):
        return _drawn(plan, base)
    if any(supported(p.interval, 2) < 2 for p in (c.due_to_participants, c.due_to_workforce, c.points)):
        return None  # its bars print hundredths the rounding does not support; the sentence gives what it does
    parts = [
        {"label": "Perubahan jumlah peserta", "points": round(c.due_to_participants.value, 2)},
        {"label": "Perubahan perkiraan pekerja", "points": round(c.due_to_workforce.value, 2)},
        {"label": "Perubahan cakupan", "points": round(c.points.value, 2), "total": True},
    ]
    description = words.change(rep.region, c).text
    spec = change_charts.change_chart(parts, title="Mengapa cakupan berubah",
                                      subtitle=f"{fmt.long_date(c.before.date)} ke {fmt.long_date(c.after.date)}, dalam poin persentase",
                                      description=description, validate=False)
    table = Table((("Bagian", "text"), ("Poin persentase", "points")), tuple((p["label"], p["points"]) for p in parts))
    # Not drawn narrower on a small screen (scaled as a picture instead): its value labels sit beside
    # the bars in room computed for its full width, which a narrower plot would not leave.
    return plan.chart(ChartJob(base, spec, description,
                               _publishers(list(c.before.sources[:1]) + list(c.after.sources[:1])), table,
                               responsive=False))


def ranking_chart(plan: Plan, rep: Report) -> str | None:
    """The regencies ranked; one chart for the report and all its regency pages, each page
    highlighting its own bar through the spec's "sorot" param (site.js)."""
    stats, sub_snap = rep.stats, rep.sub_snap
    if stats is None:
        return None
    base = _chart_base(rep.region, sub_snap.date, "peringkat")
    if _drawn(plan, base):
        return base
    rows = [{"name": r.subregion.name, "coverage": r.coverage, "shown": fmt.chart_pct(r.figure.coverage),
             "ambiguous": False} for r in stats.rows]
    rows += [{"name": r.figure.stated_name, "coverage": r.coverage, "shown": fmt.chart_pct(r.figure.coverage),
              "ambiguous": True} for r in stats.ambiguous]
    rows.sort(key=lambda r: -r["coverage"])
    targets = [{"year": t.year, "coverage": t.coverage.value, "shown": fmt.chart_pct(t.coverage)} for t in sub_snap.targets]
    description = (f"Cakupan {stats.count} {rep.region.parts} di {rep.region.name} per {fmt.long_date(sub_snap.date)}, "
                   f"dari {fmt.pct(stats.highest)} sampai {fmt.pct(stats.lowest)}; "
                   f"{rep.region.whole} {fmt.pct(rep.sub_h.coverage)}.")
    spec = ranking_charts.ranking_chart(rows, province=rep.sub_h.coverage.value, targets=targets,
                                        province_shown=fmt.chart_pct(rep.sub_h.coverage),
                                        title=f"Cakupan per {rep.region.parts} di {rep.region.name}",
                                        subtitle=f"Per {fmt.long_date(sub_snap.date)}",
                                        description=description, validate=False)
    table = Table(((rep.region.parts.capitalize(), "text"), ("Cakupan (%)", "pct"), ("Atribusi", "text")),
                  tuple((r["name"], r["coverage"], "tidak jelas" if r["ambiguous"] else "jelas") for r in rows))
    return plan.chart(ChartJob(base, spec, description,
                               _publishers(f.coverage.source for f in sub_snap.subregions if f.coverage), table))


def tile_chart(plan: Plan, rep: Report) -> str | None:
    if rep.stats is None or not all(s.tile for s in rep.region.subregions):
        return None
    base = _chart_base(rep.region, rep.sub_snap.date, "peta")
    if _drawn(plan, base):
        return base
    clear = {r.subregion.slug: r for r in rep.stats.rows}
    rows = [{"name": s.name, "short": s.short, "x": s.tile[0], "y": s.tile[1],
             "coverage": r.coverage if (r := clear.get(s.slug)) else None,
             "shown": fmt.chart_pct(r.figure.coverage) if r else None}
            for s in rep.region.subregions]
    description = (f"Peta petak {len(rows)} {rep.region.parts} di {rep.region.name}, diwarnai menurut cakupan per "
                   f"{fmt.long_date(rep.sub_snap.date)}; {len(rows) - len(clear)} tanpa angka yang jelas.")
    spec = tile_charts.tile_map(rows, title=f"Peta cakupan {rep.region.name}",
                                subtitle=f"Per {fmt.long_date(rep.sub_snap.date)}; satu petak satu daerah, letak disederhanakan",
                                description=description, validate=False)
    table = Table(((rep.region.parts.capitalize(), "text"), ("Cakupan (%)", "pct")),
                  tuple((r["name"], r["coverage"]) for r in sorted(rows, key=lambda r: r["name"])))
    return plan.chart(ChartJob(base, spec, description,
                               _publishers(f.coverage.source for f in rep.sub_snap.subregions if f.coverage),
                               table, responsive=False))


def subregion_history_chart(plan: Plan, rep: Report, sub: SubRegion, history) -> str | None:
    base = _chart_base(rep.region, rep.snap.date, f"riwayat-{sub.slug}")
    points = [{"date": _chart_day(p.date), "label": fmt.long_date(p.date), "coverage": p.coverage, "estimate": False}
              for p in history if p.coverage is not None]
    if len(points) < 2 or _drawn(plan, base):
        return _drawn(plan, base)
    description = f"Cakupan {sub.name} dari waktu ke waktu: " + "; ".join(
        f"{fmt.long_date(p.date)} {fmt.percent(p.coverage, 1)}" for p in history if p.coverage is not None) + "."
    spec = history_charts.history_chart(points, targets=[], title=f"Cakupan {sub.name} dari waktu ke waktu", decimals=1,
                                        subtitle="Hanya tanggal dengan angka yang jelas", description=description, validate=False)
    table = Table((("Tanggal data", "date"), ("Cakupan (%)", "pct")),
                  tuple((p.date, p.coverage) for p in history if p.coverage is not None))
    return plan.chart(ChartJob(base, spec, description,
                               _publishers(f.coverage.source for s in rep.region.snapshots if s.date <= rep.snap.date
                                           if (f := _once(_by_slug, s)[0].get(sub.slug))), table))


# --------------------------------------------------------------------------- pages


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
                    "coverage": coverage, "source": _publishers(f.source for f in figs)})
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
        "data_files": {"csv": f"{rep.region.slug}/data/{rep.snap.date}.csv",
                       "json": f"{rep.region.slug}/data/{rep.snap.date}.json"},
    })
    for name, base in (("target", target_chart(plan, rep)), ("history", history_chart(plan, rep)),
                       ("change", change_chart(plan, rep)), ("ranking", ranking_chart(plan, rep)),
                       ("tiles", tile_chart(plan, rep))):
        if base is not None:
            page.charts[name] = base
    return page


def subregion_page(plan: Plan, rep: Report, sub: SubRegion, prefix: str, crumbs: list[dict]) -> PageJob:
    region = rep.region
    history = tuple(p for p in _once(subregion_history, region, sub) if p.date <= rep.snap.date)
    current = None
    for snap in reversed([s for s in region.snapshots if s.date <= rep.snap.date]):
        fig = _once(_by_slug, snap)[0].get(sub.slug)
        if fig is None:
            continue
        h = _once(headline, snap)
        stats = _once(subregion_stats, region, snap, h.coverage)
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
        values = [f.coverage for f in _once(_by_slug, snap)[1].get(sub.slug, ()) if f.coverage]
        if values and snap.date <= rep.snap.date:
            unclear = {"date": snap.date, "text": " dan ".join(fmt.pct(v) for v in values)}
            break
    notes = []
    for snap in (s for s in region.snapshots if s.date <= rep.snap.date):
        ids = {f.ambiguous for f in _once(_by_slug, snap)[1].get(sub.slug, ())}
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


def dated_prefix(region: Region, when: Date) -> str:
    """Where the report as of `when` lives for ever."""
    return f"{region.slug}/arsip/{when.isoformat()}/"


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
            "path": dated_path.removesuffix("index.html"), "sources": _publishers(figures)}


def change_page(plan: Plan, rep: Report, home: list[dict], archive: dict) -> PageJob:
    """What changed between the previous snapshot and this one."""
    c = rep.change
    region = rep.region
    prefix = dated_prefix(region, rep.snap.date)
    h1 = _once(headline, c.before)
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
                 "path": path.removesuffix("index.html"), "sources": _publishers(f.source for s in (c.before, c.after)
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


def forget() -> None:
    """Drop the indicators remembered for the region planned last (call between regions)."""
    _MEMO.clear()


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


# --------------------------------------------------------------------------- link previews


@dataclass(frozen=True)
class Social:
    """What a link to a page says in a chat or a timeline: title, description and its card."""

    title: str
    description: str
    card: Card


def social(page: PageJob) -> Social | None:
    """The link preview of a report, regency, change, archive or prose page (none for embeds and 404)."""
    ctx = page.context
    if page.template in ("embed.html", "404.html"):
        return None
    kicker = "CAKUPAN KEPESERTAAN JAMSOSTEK"
    label = "pekerja terdaftar di BPJS Ketenagakerjaan"
    if page.template == "region.html":
        region, snap, h = ctx["region"], ctx["snap"], ctx["h"]
        figure = fmt.pct(h.coverage).removeprefix("sekitar ")
        targets = tuple((f"Target {fmt.target_year(g.year)}: {fmt.percent(g.target.coverage.value, g.target.coverage.decimals)}",
                         g.target.coverage.value) for g in h.targets[:4])
        card = Card(kicker, region.name, figure, label, f"Data per {fmt.long_date(snap.date)}",
                    "Sumber: " + _publishers(snap.sources), progress=(h.coverage.value, targets) if targets else None)
        return Social(f"{region.name}: {figure} pekerja terlindungi Jamsostek ({fmt.long_date(snap.date)})",
                      ctx["facts"][0].text, card)
    if page.template == "subregion.html":
        sub, current, rep_stats = ctx["sub"], ctx["current"], ctx.get("bars", ())
        if current is None:
            card = Card(kicker, sub.name, "", "belum ada angka cakupan yang jelas", ctx["region"].name, "cakupan")
            return Social(f"{sub.name}: cakupan Jamsostek", f"Belum ada angka cakupan yang jelas untuk {sub.name}.", card)
        figure = fmt.pct(current["figure"].coverage)
        card = Card(kicker, sub.name, figure, label, f"Data per {fmt.long_date(current['date'])}",
                    "Sumber: " + current["figure"].coverage.source.publisher, bars=rep_stats)
        return Social(f"{sub.name}: {figure} pekerja terlindungi Jamsostek ({fmt.long_date(current['date'])})",
                      ctx["facts"][0].text, card)
    if page.template == "change.html":
        c = ctx["c"]
        figure = fmt.points(c.points.value)
        card = Card(kicker, ctx["region"].name, figure, "perubahan cakupan",
                    f"{fmt.long_date(c.before.date)} ke {fmt.long_date(c.after.date)}",
                    "Sumber: " + _publishers(ctx["change_fact"].sources))
        return Social(f"{ctx['region'].name}: cakupan berubah {figure}", ctx["change_fact"].text, card)
    if page.template == "archive.html":
        region = ctx["region"]
        card = Card(kicker, region.name, "", f"arsip {len(ctx['rows'])} laporan", "", "cakupan")
        return Social(f"Arsip laporan cakupan Jamsostek {region.name}",
                      f"{len(ctx['rows'])} laporan cakupan Jamsostek {region.name} menurut tanggal data.", card)
    title = ctx["page"].title if "page" in ctx else "Cakupan Jamsostek" if page.template == "overview.html" else "Data"
    description = ctx["page"].description if "page" in ctx else "Cakupan kepesertaan Jamsostek: angka, sumber dan data."
    return Social(title, description, Card(kicker, title, "", "", "", "cakupan"))


CARD_BARS = 20  # more bars than this do not fit a card legibly: such a card shows the figure alone


def card_bars(rep: Report, sub: SubRegion) -> tuple:
    """The regency ranking as card bars, with this regency highlighted (none for a long ranking)."""
    if rep.stats is None or rep.stats.row(sub.slug) is None:
        return ()
    if len(rep.stats.rows) + len(rep.stats.ambiguous) > CARD_BARS:
        return ()
    rows = [(r.subregion.name, r.coverage, "highlight" if r.subregion.slug == sub.slug else "normal")
            for r in rep.stats.rows]
    rows += [(r.figure.stated_name, r.coverage, "ambiguous") for r in rep.stats.ambiguous]
    return tuple(sorted(rows, key=lambda r: -r[1]))

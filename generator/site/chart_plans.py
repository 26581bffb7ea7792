"""Which charts a report has, and for each its spec, description, source line and figure table.

A page names its charts by path (charts/<region>/<date>/<name>), so a chart that several pages
show (a report's ranking on every regency page) is planned, drawn and written once.
"""

from __future__ import annotations

from datetime import date as Date

from generator.charts import (change as change_charts, history as history_charts, ranking as ranking_charts,
    target as target_charts, tiles as tile_charts)
from generator.charts.theme import PHONE_ROOM, WIDTH
from generator.data.interval import decimals as supported
from generator.data.model import Region, SubRegion
from generator.data.when import middle
from generator.facts import fmt, words
from generator.facts.indicators import headline
from generator.site.plan import ChartJob, Plan, Report, Table, by_slug, once, publishers


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
                               publishers([rep.snap.coverage.source if rep.snap.coverage else rep.snap.sources[0]]
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
    heads = [once(headline, s) for s in snaps]
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
    return plan.chart(ChartJob(base, spec, description, publishers(src for s in snaps for src in s.sources[:1]), table))


def change_chart(plan: Plan, rep: Report) -> str | None:
    c = rep.change
    base = _chart_base(rep.region, rep.snap.date, "perubahan")
    if c is None or c.due_to_participants is None or _drawn(plan, base):
        return _drawn(plan, base)
    if any(supported(p.interval, 2) < 2 for p in (c.due_to_participants, c.due_to_workforce, c.points)):
        return None  # its bars print hundredths the rounding does not support; the sentence gives what it does
    values = (c.due_to_participants, c.due_to_workforce, c.points)
    parts = [{"label": label, "points": round(v.value, 2)} | ({"total": True} if v is c.points else {})
             for label, v in zip(("Perubahan jumlah peserta", "Perubahan perkiraan pekerja", "Perubahan cakupan"),
                                 values)]
    # On a phone the names are shorter (the title and the axis say what changed), leaving the bars room
    short = [dict(p, label=label) for p, label in zip(parts, ("Peserta", "Potensi pekerja", "Cakupan"))]
    description = words.change(rep.region, c).text
    spec, phone = (change_charts.change_chart(
        rows, title="Mengapa cakupan berubah", description=description, width=width, validate=False,
        subtitle=f"{fmt.long_date(c.before.date)} ke {fmt.long_date(c.after.date)}, dalam poin persentase")
        for rows, width in ((parts, WIDTH), (short, PHONE_ROOM)))
    table = Table((("Bagian", "text"), ("Poin persentase", "points")), tuple((p["label"], p["points"]) for p in parts))
    # Not narrowed by site.js on a small screen: its value labels sit beside the bars in room computed
    # for its width, which a narrower plot would not leave; its phone image is laid out for a phone.
    return plan.chart(ChartJob(base, spec, description,
                               publishers(list(c.before.sources[:1]) + list(c.after.sources[:1])), table,
                               responsive=False, phone=phone))


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
    # each regency's page shows its own bar highlighted from the first view, before any runtime
    variants = {r.subregion.name: (r.subregion.slug, ranking_charts.highlighted(spec, r.subregion.name))
                for r in stats.rows}
    return plan.chart(ChartJob(base, spec, description,
                               publishers(f.coverage.source for f in sub_snap.subregions if f.coverage), table,
                               variants=variants))


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
    spec, phone = (tile_charts.tile_map(
        rows, title=f"Peta cakupan {rep.region.name}", description=description, width=width, validate=False,
        subtitle=f"Per {fmt.long_date(rep.sub_snap.date)}; satu petak satu daerah, letak disederhanakan")
        for width in (WIDTH, PHONE_ROOM + 40))  # (tile_map leaves 40 px of its width as margin: tiles fill the room)
    table = Table(((rep.region.parts.capitalize(), "text"), ("Cakupan (%)", "pct")),
                  tuple((r["name"], r["coverage"]) for r in sorted(rows, key=lambda r: r["name"])))
    return plan.chart(ChartJob(base, spec, description,
                               publishers(f.coverage.source for f in rep.sub_snap.subregions if f.coverage),
                               table, responsive=False, phone=phone))


def subregion_history_chart(plan: Plan, rep: Report, sub: SubRegion, history) -> str | None:
    base = _chart_base(rep.region, rep.snap.date, f"riwayat-{sub.slug}")
    points = [{"date": _chart_day(p.date), "label": fmt.long_date(p.date), "coverage": p.coverage,
               "shown": fmt.chart_pct(p.figure), "estimate": False} for p in history if p.figure is not None]
    if len(points) < 2 or _drawn(plan, base):
        return _drawn(plan, base)
    description = f"Cakupan {sub.name} dari waktu ke waktu: " + "; ".join(
        f"{fmt.long_date(p.date)} {fmt.pct(p.figure)}" for p in history if p.figure is not None) + "."
    spec = history_charts.history_chart(points, targets=[], title=f"Cakupan {sub.name} dari waktu ke waktu",
                                subtitle="Hanya tanggal dengan angka yang jelas", description=description, validate=False)
    table = Table((("Tanggal data", "date"), ("Cakupan (%)", "pct")),
                  tuple((p.date, p.coverage) for p in history if p.coverage is not None))
    return plan.chart(ChartJob(base, spec, description,
                               publishers(f.coverage.source for s in rep.region.snapshots if s.date <= rep.snap.date
                                           if (f := once(by_slug, s)[0].get(sub.slug))), table))

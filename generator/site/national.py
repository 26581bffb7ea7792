"""The national front page: every province on one map, ranked and over time, with its caveats.

Why this module exists: with several regions in data/, index.html compares
provinces whose figures come from different dates, sources and definitions.
Such a comparison is only honest with its caveats beside it, and it never
makes a national figure out of provinces of different dates: the national
figure is the national region's own (region.yaml `level: nasional`, with
sources like any province), or the page says there is none. Rows are ordered
by value (the ranking) or by name (the list), never by folder.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date as Date

from generator.charts import national as national_charts, ranking as ranking_charts
from generator.charts.theme import PHONE_ROOM
from generator.facts import fmt
from generator.facts.indicators import headline
from generator.data.model import Dataset, Region
from generator.data.names import fold
from generator.site.plan import ChartJob, PageJob, Plan, Table, publishers
from generator.data.provinces import BY_CODE, PROVINCES, Province
from generator.data.when import days_apart, middle

FAR_APART_DAYS = 183  # latest figures further apart than this are flagged as from another time: measured
# between the nearest days of their spans, so a snapshot of a month is far only if its last day is
CHARTS = "charts/ikhtisar"  # the front page's charts: one address each, always the latest overview


@dataclass(frozen=True)
class Entry:
    """A province with data: its latest figure and what a reader comparing it must know."""

    region: Region
    province: Province | None  # its tile (None: a region that is not one of the 38)
    h: object  # indicators.Headline of its latest snapshot
    old: bool  # its date is far before the latest province's
    rough: bool  # rounded or approximate coverage, or a rounded workforce
    basis: str | None  # the workforce estimate it is computed on, as its data names it
    unsourced: bool  # its source has neither a title nor an address

    @property
    def date(self) -> Date:
        return self.region.latest.date


def match(region: Region) -> Province | None:
    """The province a region is, by its Kemendagri code, else by its name."""
    if region.code_system == "kemendagri" and region.code in BY_CODE:
        return BY_CODE[region.code]
    return next((p for p in PROVINCES if fold(p.name) == fold(region.name)), None)


def entries(dataset: Dataset) -> list[Entry]:
    """The provinces with data, highest coverage first (then by name)."""
    latest = max((r.latest.date for r in dataset.provinces), default=None)
    out = []
    for region in dataset.provinces:
        snap = region.latest
        h = headline(snap)
        cov = snap.coverage
        rough = (not h.coverage.exact) or bool(cov and not cov.exact) or bool(snap.workforce and not snap.workforce.exact)
        source = cov.source if cov else snap.sources[0]
        out.append(Entry(region, match(region), h, days_apart(snap.date, latest) > FAR_APART_DAYS, rough,
                         snap.workforce.note if snap.workforce else None, not (source.title or source.url)))
    return sorted(out, key=lambda e: (-e.h.coverage.value, e.region.name))


def _names(items: list[Entry]) -> str:
    names = [e.region.name for e in sorted(items, key=lambda e: e.region.name)]
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " dan " + names[-1]


def caveats(rows: list[Entry]) -> dict[str, str]:
    """What each comparison must say beside it, by kind: dates, rough figures, basis, sources."""
    out = {}
    if rows:
        first, last = min(e.date for e in rows), max(e.date for e in rows)
        if days_apart(first, last) > FAR_APART_DAYS:
            months = round((middle(last) - middle(first)).days / 30.44)
            out["dates"] = (f"Tanggal data berjauhan: dari {fmt.long_date(first)} sampai {fmt.long_date(last)} "
                            f"(sekitar {months} bulan). Angka {_names([e for e in rows if e.old])} jauh lebih lama "
                            "daripada yang lain; perbandingannya tidak sezaman.")
        rough = [e for e in rows if e.rough]
        if rough:
            out["rough"] = (f"Angka {_names(rough)} dibulatkan atau perkiraan (\"sekitar\"), jadi urutannya dengan "
                            "provinsi yang angkanya berdekatan belum pasti.")
        bases = {e.basis for e in rows if e.basis}
        unknown = [e for e in rows if not e.basis]
        if len(bases) > 1 or (bases and unknown):
            text = "Dasar perhitungannya berbeda: " + "; ".join(
                f"{_names([e for e in rows if e.basis == b])}: {b}" for b in sorted(bases)) + "."
            if unknown:
                text += f" Untuk {_names(unknown)} data tidak menyebut perkiraan potensi pekerjanya."
            out["basis"] = text
        unsourced = [e for e in rows if e.unsourced]
        if unsourced:
            out["sources"] = (f"Sumber angka {_names(unsourced)} tidak tercatat dengan judul atau alamat terbitan; "
                              "periksa sebelum mengutipnya.")
    return out


def _link(dataset: Dataset, province: Province, by_code: dict[str, Entry]) -> str | None:
    """Where a tile leads: the province's report, else its page in the national report."""
    if province.code in by_code:
        return f"{by_code[province.code].region.slug}/index.html"
    national = dataset.national
    if national is not None:
        sub = next((s for s in national.subregions if s.code == province.code or fold(s.name) == fold(province.name)),
                   None)
        if sub is not None:
            return f"{national.slug}/{sub.slug}/index.html"
    return None


def plan_front(dataset: Dataset) -> Plan:
    """index.html as the national overview, its three charts and their embed pages."""
    plan = Plan()
    rows = entries(dataset)
    notes = caveats(rows)
    by_code = {e.province.code: e for e in rows if e.province is not None}
    tiles = []
    for p in PROVINCES:
        e = by_code.get(p.code)
        tiles.append({"province": p, "entry": e, "href": _link(dataset, p, by_code)})
    national = dataset.national
    nat = None
    if national is not None:
        nat = {"region": national, "snap": national.latest, "h": headline(national.latest)}
    page = PageJob("index.html", "overview.html", {
        "rows": rows, "tiles": tiles, "national": nat, "caveats": notes,
        "by_name": sorted(rows, key=lambda e: e.region.name),
        "others": [e for e in rows if e.province is None],
        "missing": sorted((t for t in tiles if t["entry"] is None), key=lambda t: t["province"].name),
    })
    for name, base in (("tiles", _tile_chart(plan, tiles, rows)), ("ranking", _ranking_chart(plan, rows, nat)),
                       ("history", _history_chart(plan, dataset, nat))):
        if base is not None:
            page.charts[name] = base
    plan.pages.append(page)
    for base in sorted(set(page.charts.values())):
        plan.pages.append(PageJob("embed/" + base.removeprefix("charts/") + "/index.html", "embed.html",
                                  {"home": ""}, {"chart": base}))
    return plan


def _tile_chart(plan: Plan, tiles: list[dict], rows: list[Entry]) -> str | None:
    data = [{"name": t["province"].name, "short": t["province"].short, "x": t["province"].tile[0],
             "y": t["province"].tile[1], "coverage": t["entry"].h.coverage.value if t["entry"] else None,
             "shown": fmt.chart_pct(t["entry"].h.coverage) if t["entry"] else None,
             "date": fmt.long_date(t["entry"].date) if t["entry"] else "", "href": t["href"]} for t in tiles]
    known = sum(1 for t in tiles if t["entry"])
    description = (f"Peta petak {len(PROVINCES)} provinsi Indonesia, diwarnai menurut cakupan Jamsostek terbaru "
                   f"masing-masing; {known} provinsi punya angka, {len(PROVINCES) - known} tanpa data.")
    spec, phone = (national_charts.province_tiles(
        data, title="Peta cakupan per provinsi", description=description, width=width, validate=False,
        subtitle="Angka terbaru tiap provinsi, dengan tanggalnya sendiri; satu petak satu provinsi, letak disederhanakan")
        for width in (None, PHONE_ROOM + 10))  # (on a phone: in bands, west to east, top to bottom)
    table = Table((("Provinsi", "text"), ("Kode", "text"), ("Data per", "date"), ("Cakupan (%)", "pct")),
                  tuple((t["province"].name, t["province"].code, t["entry"].date if t["entry"] else None,
                         t["entry"].h.coverage.value if t["entry"] else None)
                        for t in sorted(tiles, key=lambda t: t["province"].name)))
    return plan.chart(ChartJob(f"{CHARTS}/peta", spec, description,
                               publishers(e.region.latest.sources[0] for e in rows) or "–", table,
                               responsive=False, phone=phone))


def _ranking_chart(plan: Plan, rows: list[Entry], nat: dict | None) -> str | None:
    if len(rows) < 2:
        return None
    bars = [{"name": e.region.name, "coverage": round(e.h.coverage.value, 2), "shown": fmt.chart_pct(e.h.coverage)}
            for e in rows]
    description = (f"Cakupan {len(rows)} provinsi menurut angka terbaru masing-masing, dari "
                   f"{fmt.pct(rows[0].h.coverage)} ({rows[0].region.name}) sampai {fmt.pct(rows[-1].h.coverage)} "
                   f"({rows[-1].region.name}); tanggal datanya berbeda.")
    spec = ranking_charts.ranking_chart(bars, province=None, targets=[], title="Cakupan per provinsi",
                                        subtitle="Angka terbaru tiap provinsi; tanggalnya di tabel",
                                        description=description, validate=False)
    table = Table((("Provinsi", "text"), ("Data per", "date"), ("Cakupan (%)", "pct"), ("Perkiraan", "text")),
                  tuple((e.region.name, e.date, e.h.coverage.value, "ya" if e.rough else "") for e in rows))
    return plan.chart(ChartJob(f"{CHARTS}/peringkat", spec, description,
                               publishers(e.region.latest.sources[0] for e in rows), table))


def _history_chart(plan: Plan, dataset: Dataset, nat: dict | None) -> str | None:
    series = list(dataset.provinces) + ([nat["region"]] if nat else [])
    coverage = {id(s): headline(s).coverage for r in series for s in r.snapshots}  # (every snapshot of the site)
    # a snapshot of a month or a year sits in the middle of its span, and says its month (when.py)
    points = [{"name": r.name, "date": middle(s.date).isoformat(), "label": fmt.long_date(s.date), "when": s.date,
               "coverage": round(coverage[id(s)].value, 2), "shown": fmt.chart_pct(coverage[id(s)]),
               "estimate": not coverage[id(s)].exact}
              for r in series for s in r.snapshots]
    if len({p["date"] for p in points}) < 2:
        return None
    highlight = nat["region"].name if nat else None
    description = ("Cakupan tiap provinsi dari waktu ke waktu" + (f", {highlight} ditonjolkan" if highlight else "")
                   + ": " + "; ".join(f"{r.name} {', '.join(fmt.long_date(s.date) + ' ' + fmt.pct(coverage[id(s)]) for s in r.snapshots)}"
                                      for r in sorted(series, key=lambda r: r.name)) + ".")
    spec = national_charts.province_lines(
        points, highlight=highlight, title="Cakupan per provinsi dari waktu ke waktu",
        subtitle="Satu garis per wilayah, titik per tanggal data" + (f"; garis tebal: {highlight}" if highlight else ""),
        description=description, validate=False)
    table = Table((("Wilayah", "text"), ("Tanggal data", "date"), ("Cakupan (%)", "pct")),
                  tuple((p["name"], p["when"], p["coverage"])
                        for p in sorted(points, key=lambda p: (p["name"], p["date"]))))
    return plan.chart(ChartJob(f"{CHARTS}/riwayat", spec, description,
                               publishers(s.sources[0] for r in series for s in r.snapshots), table))

"""The national front page's own charts: the provinces' tile map and their lines over time.

Why this module exists: the province charts (target.py, ranking.py,
history.py, tiles.py, change.py) draw one province's regencies; the front
page needs two shapes they do not have. A tile map of Indonesia's 38
provinces is 15 tiles wide, so its tiles carry a short label and a small
value, and each tile links to its province (Vega's href channel: a click on
the drawn chart opens the province; without JavaScript the page's list of
provinces has the same links). The chart over time draws a line per
province, one of them highlighted through the same "sorot" param as the
regency ranking (site.js sets it from the page). They follow the same
design: one Altair build per shape, figures filled into a copy
(template.Template), the same theme, locale and colours (theme.py); the
provinces are ranked by ranking.py's chart.
"""

from __future__ import annotations

import datetime as _dt
from typing import Any, Mapping, Sequence

import altair as alt

from generator.charts.history import dt_param, parse_date
from generator.charts.labels import nice_ceiling, pct_axis, pct_expr, percent_domain_max, text_px
from generator.charts.ranking import SOROT
from generator.charts.template import Template, shaped, slot, table
from generator.charts.theme import BLUE, CALM, INK, NO_DATA, PADDING, RULE, WIDTH
from generator.charts.tiles import blues, ink_on

CELL = 40  # px per tile: 15 tiles make about the width of every chart
NO_DATA_MARK = "–"  # in a tile without a figure (the legend says "tanpa data")


def province_tiles(rows: Sequence[Mapping[str, Any]], *, title: str, description: str,
                   subtitle: str | Sequence[str] | None = None, width: int | None = None,
                   validate: bool = True) -> dict[str, Any]:
    """One square per province at (x, y), y growing downwards, filled by coverage
    (grey, dashed, for a province without a figure), linking to row["href"] when given.

    With a width (a phone's), the archipelago is cut west to east into bands of BAND_COLUMNS
    columns, stacked top to bottom (each band only as tall as its rows), so that tiles are
    large enough for their names at 11 px."""
    rows = _banded(rows) if width is not None else list(rows)
    ncols = max(r["x"] for r in rows) + 1
    nrows = max(r["y"] for r in rows) + 1
    cell = CELL if width is None else width // ncols
    name_size, value_size = (9, 10) if width is None else (11, 11)
    known = [r["coverage"] for r in rows if r.get("coverage") is not None]
    dmax = min(100.0, nice_ceiling(max(known), 5.0)) if known else 10.0
    gap = 0.05
    values = []
    for r in rows:
        cov = r.get("coverage")
        values.append({
            "name": r["name"], "short": r["short"], "href": r.get("href") or "",
            "x0": r["x"] + gap, "x1": r["x"] + 1 - gap, "y0": r["y"] + gap, "y1": r["y"] + 1 - gap,
            "cx": r["x"] + 0.5, "cy": r["y"] + 0.5, "coverage": cov, "shown": r.get("shown"),
            "date": r.get("date") or "", "status": "ada" if cov is not None else "tanpa data",
            "ink": INK if cov is None else ink_on(blues(cov / dmax)),
            "name_size": name_size, "value_size": value_size,
        })
    template = _tiles_template(legend=bool(known), missing=any(v["coverage"] is None for v in values))
    return template.fill({"tiles": values}, {"x.domain": [0, ncols], "y.domain": [0, nrows],
                                             "color.domain": [0, dmax]},
                         title=title, subtitle=subtitle, description=description,
                         width=cell * ncols, height=round(cell * nrows), validate=validate)


BAND_COLUMNS = 5  # a phone's tile map: 15 columns of provinces become three bands of five


def _banded(rows: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """The tiles moved into bands of BAND_COLUMNS columns (west first), each band's empty rows left out
    and half a row between bands."""
    out, top = [], 0.0
    for band in range(max(r["x"] for r in rows) // BAND_COLUMNS + 1):
        mine = [r for r in rows if r["x"] // BAND_COLUMNS == band]
        ys = sorted({r["y"] for r in mine})
        for r in mine:
            out.append(dict(r, x=r["x"] - band * BAND_COLUMNS, y=top + ys.index(r["y"])))
        top += len(ys) + 0.5
    return out


@shaped
def _tiles_template(*, legend: bool, missing: bool) -> Template:
    x = alt.X("x0", type="quantitative", scale=alt.Scale(domain=slot("x.domain"), nice=False, zero=False), axis=None)
    y = alt.Y("y0", type="quantitative", axis=None,
              scale=alt.Scale(domain=slot("y.domain"), nice=False, zero=False, reverse=True))
    base = alt.Chart(table("tiles")).transform_calculate(
        nilai=f"datum.coverage == null ? 'tanpa data' : {pct_expr('coverage', ',.1f')}",
        label=f"datum.coverage == null ? '{NO_DATA_MARK}' : format(datum.coverage, ',.0f')")
    tooltip = [alt.Tooltip("name", type="nominal", title="Provinsi"),
               alt.Tooltip("nilai", type="nominal", title="Cakupan"),
               alt.Tooltip("date", type="nominal", title="Data per")]
    href = alt.Href("href", type="nominal")
    rect = dict(x=x, x2=alt.X2("x1"), y=y, y2=alt.Y2("y1"), tooltip=tooltip, href=href)
    color = alt.Color("coverage", type="quantitative", scale=alt.Scale(scheme="blues", domain=slot("color.domain"),
                                                                       nice=False),
                      legend=alt.Legend(title="Cakupan", orient="bottom", direction="horizontal", format=",.0f",
                                        labelExpr="datum.label + ' %'", gradientLength=220, gradientThickness=12,
                                        tickCount=5) if legend else None)
    layers: list[alt.Chart] = [base.transform_filter("datum.coverage != null").mark_rect(cursor="pointer")
                               .encode(color=color, **rect)]
    if missing:
        layers.append(base.transform_filter("datum.coverage == null")
                      .mark_rect(stroke=RULE, strokeDash=[3, 2], strokeWidth=1, cursor="pointer")
                      .encode(color=alt.Color("status", type="nominal",
                                              scale=alt.Scale(domain=["tanpa data"], range=[NO_DATA]),
                                              legend=alt.Legend(title=None, orient="bottom", symbolType="square",
                                                                symbolStrokeColor=RULE, symbolDash=[3, 2],
                                                                symbolSize=200)), **rect))
    ink = alt.Color("ink", type="nominal", scale=None)
    at = dict(x=alt.X("cx", type="quantitative"), y=alt.Y("cy", type="quantitative"), color=ink, tooltip=tooltip,
              href=href)
    layers.append(base.mark_text(baseline="bottom", fontWeight="bold", fontSize=alt.ExprRef("datum.name_size"), dy=1,
                                 cursor="pointer")
                  .encode(text=alt.Text("short", type="nominal"), **at))
    layers.append(base.mark_text(baseline="top", fontSize=alt.ExprRef("datum.value_size"), dy=2, cursor="pointer")
                  .encode(text=alt.Text("label", type="nominal"), **at))
    return Template(alt.layer(*layers), resolve={"scale": {"color": "independent"}})


def province_lines(points: Sequence[Mapping[str, Any]], *, highlight: str | None, title: str, description: str,
                   subtitle: str | Sequence[str] | None = None, validate: bool = True) -> dict[str, Any]:
    """Coverage over time, a line (and a point per date) per series ("name"); the series named
    by the param SOROT is dark and labelled at its last point, the others light."""
    # "label": the date as the text prints it (a day, or "Juni 2025" for a snapshot of a month: when.py)
    values = sorted(({"name": p["name"], "date": p["date"], "tanggal": p.get("label", p["date"]),
                      "coverage": p["coverage"], "shown": p.get("shown"), "estimate": bool(p.get("estimate"))}
                     for p in points),
                    key=lambda p: (p["name"], p["date"]))
    dates = [parse_date(v["date"]) for v in values]
    first, last = min(dates), max(dates)
    pad = _dt.timedelta(days=max(30, round(max(1, (last - first).days) * 0.05)))
    dmax = percent_domain_max([v["coverage"] for v in values], headroom=1.12)
    months = max(1, (last - first).days) / 30.4
    step = 1 if months <= 8 else 3 if months <= 24 else 6 if months <= 60 else 12
    lasts = {}
    for v in values:
        lasts[v["name"]] = v
    template = _lines_template()
    spec = template.fill({"points": values, "last": sorted(lasts.values(), key=lambda v: v["name"])},
                         {"x.domain": [dt_param(first - pad), dt_param(last + pad)], "y.domain": [0, dmax],
                          "y.ticks": max(2, int(dmax // 10)), "sorot": highlight, "x.step": step},
                         title=title, subtitle=subtitle, description=description, height=300,
                         width=WIDTH - PADDING - text_px("100 %") - 8, validate=validate)
    return spec


_IS = f"datum.name === {SOROT}"


@shaped
def _lines_template() -> Template:
    x = alt.X("date", type="temporal", scale=alt.Scale(type="utc", domain=slot("x.domain"), nice=False),
              axis=alt.Axis(title=None, format="%b %Y", grid=False, labelOverlap=True, labelFlush=False,
                            tickCount=alt.TimeIntervalStep(interval="month", step=slot("x.step"))))
    y = alt.Y("coverage", type="quantitative", scale=alt.Scale(domain=slot("y.domain"), nice=False),
              axis=pct_axis("y.ticks", ticks=False))
    tooltip = [alt.Tooltip("name", type="nominal", title="Wilayah"),
               alt.Tooltip("tanggal", type="nominal", title="Tanggal"),
               alt.Tooltip("nilai", type="nominal", title="Cakupan")]
    base = alt.Chart(table("points")).transform_calculate(nilai=pct_expr("coverage", ",.2f"))
    stroke = alt.condition(_IS, alt.value(BLUE), alt.value(CALM))
    lines = base.mark_line(strokeWidth=2).encode(x=x, y=y, detail=alt.Detail("name", type="nominal"), color=stroke,
                                                 strokeWidth=alt.condition(_IS, alt.value(3.5), alt.value(1.5)))
    dots = base.mark_point(size=40, filled=True, opacity=1).encode(
        x=alt.X("date", type="temporal"), y=alt.Y("coverage", type="quantitative"), color=stroke, tooltip=tooltip)
    label = (alt.Chart(table("last")).transform_filter(_IS)
             .transform_calculate(nilai=pct_expr("coverage", ",.2f"))
             .mark_text(align="right", dx=-4, dy=-10, baseline="bottom", fontWeight="bold", color=BLUE, fontSize=12)
             .encode(x=alt.X("date", type="temporal"), y=alt.Y("coverage", type="quantitative"),
                     text=alt.Text("label", type="nominal")))
    label = label.transform_calculate(label="datum.name + ' ' + datum.nilai")
    return Template(alt.layer(lines, dots, label), params=[{"name": SOROT, "value": slot("sorot")}])


__all__ = ["province_tiles", "province_lines"]

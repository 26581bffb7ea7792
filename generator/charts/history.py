"""The history chart: a region's coverage over time, a point per snapshot, and its targets ahead.

Why this module exists: a report and each regency's page show how coverage
moved between snapshots and how far the targets still are. Dates are UTC
days on a time axis in Indonesian (TIME_LOCALE); a figure that is an
estimate is a hollow point, and the legend says so only when the chart has
one. The national chart over time (national.py) uses the same date helpers.
"""

from __future__ import annotations

import datetime as _dt
from typing import Any, Mapping, Sequence

import altair as alt

from generator.charts.labels import pct_axis, pct_expr, percent_domain_max, text_px
from generator.charts.template import Template, shaped, slot, table
from generator.charts.theme import BLUE, PADDING, TARGET, WIDTH


def parse_date(s: str) -> _dt.date:
    return _dt.date.fromisoformat(s)


def dt_param(d: _dt.date) -> dict[str, Any]:
    """A UTC day as a Vega-Lite DateTime (what alt.DateTime(...).to_dict() gives)."""
    return {"date": d.day, "month": d.month, "utc": True, "year": d.year}


_KINDS = {False: "Angka laporan", True: "Perkiraan"}


def history_chart(
    points: Sequence[Mapping[str, Any]],
    *,
    targets: Sequence[Mapping[str, Any]],
    title: str,
    description: str,
    subtitle: str | Sequence[str] | None = None,
    height: int = 300,
    decimals: int = 2,
    validate: bool = True,
) -> dict[str, Any]:
    """Coverage over time: a line with a point per snapshot (hollow when the
    figure is an estimate) and a diamond with a label for each target at the
    end of its year. Dates are UTC days, so every time zone sees the same
    month; the axis needs TIME_LOCALE to say "Des 2024"."""
    pts = sorted(points, key=lambda p: p["date"])
    values = [
        # "label": the date as the text prints it (a day, "Juni 2025" for a snapshot of a month); "date",
        # where the point sits: the middle of a month or a year
        {"date": p["date"], "tanggal": p.get("label", p["date"]), "coverage": p["coverage"],
         "shown": p.get("shown"), "kind": _KINDS[bool(p.get("estimate"))]}
        for p in pts
    ]
    trows = [
        {"date": f"{t['year']:04d}-12-31", "year": t["year"], "coverage": t["coverage"], "shown": t.get("shown")}
        for t in sorted(targets, key=lambda t: t["year"])
    ]
    dates = [parse_date(v["date"]) for v in values] + [parse_date(t["date"]) for t in trows]
    first, last = min(dates), max(dates)
    span_days = max(1, (last - first).days)
    pad = _dt.timedelta(days=max(30, round(span_days * 0.05)))
    months = span_days / 30.4
    step = 1 if months <= 8 else 3 if months <= 36 else 6 if months <= 72 else 12
    dmax = percent_domain_max(
        [v["coverage"] for v in values] + [t["coverage"] for t in trows], headroom=1.12
    )
    present = [k for k in _KINDS.values() if any(v["kind"] == k for v in values)]
    # Value labels on the first and the last point only (no clutter).
    tables = {"points": values, "first": [values[0]]}
    if len(values) > 1:
        tables["last"] = [values[-1]]
    if trows:
        tables["targets"] = trows
    template = _history_template(
        decimals=decimals,
        monthly=step < 12,
        legend=len(present) > 1 or present == [_KINDS[True]],
        last=len(values) > 1,
        targets=bool(trows),
    )
    return template.fill(
        tables,
        {
            "x.domain": [dt_param(first - pad), dt_param(last + pad)],
            "x.step": step,
            "y.domain": [0, dmax],
            "y.ticks": max(2, int(dmax // 10)),
        },
        title=title, subtitle=subtitle, description=description,
        # The plot: the chart less the y axis labels ("40 %") on the left.
        height=height, width=WIDTH - PADDING - text_px("100 %") - 8, validate=validate,
    )


@shaped
def _history_template(*, decimals: int, monthly: bool, legend: bool, last: bool, targets: bool) -> Template:
    fmt = f",.{decimals}f"
    layers = _series(_time_axis(monthly), fmt, legend) + _end_labels(fmt, last)
    if targets:
        layers += _target_marks(fmt)
    return Template(alt.layer(*layers))


def _time_axis(monthly: bool) -> alt.X:
    """The x encoding of the line: UTC days, with monthly ticks or only years.

    Monthly ticks: "Jan 2024, Apr, Jul, Okt, Jan 2025", the year on the
    first label and where it changes; else only years, each label to the
    right of its tick (1 January), over the year it names, so a target at
    the end of 2025 sits at the end of "2025", not under "2026"; a label
    that would run past the plot is left out."""
    return alt.X(
        "date",
        type="temporal",
        scale=alt.Scale(type="utc", domain=slot("x.domain"), nice=False),
        axis=alt.Axis(
            title=None,
            format="%b %Y" if monthly else "%Y",  # the utc scale makes Vega format in UTC
            labelExpr="datum.index == 0 || utcmonth(datum.value) == 0"
            " ? datum.label : utcFormat(datum.value, '%b')"
            if monthly
            else alt.Undefined,
            tickCount=alt.TimeIntervalStep(interval="month", step=slot("x.step")),
            grid=False,
            labelOverlap=True,
            labelFlush=False,
            labelAlign=alt.Undefined if monthly else "left",
            labelBound=alt.Undefined if monthly else True,
        ),
    )


def _series(x: alt.X, fmt: str, legend: bool) -> list[alt.Chart]:
    """The line and its points, filled for a reported figure and hollow for an estimate."""
    y = alt.Y(
        "coverage",
        type="quantitative",
        scale=alt.Scale(domain=slot("y.domain"), nice=False),
        axis=pct_axis("y.ticks", ticks=False),
    )
    date_tt = alt.Tooltip("tanggal", type="nominal", title="Tanggal")  # as precise as the data: a day, a month
    base = alt.Chart(table("points")).transform_calculate(nilai=pct_expr("coverage", fmt))
    line = base.mark_line(color=BLUE, strokeWidth=2.5).encode(x=x, y=y)
    fill_legend = (
        alt.Legend(
            title=None,
            orient="bottom",
            direction="horizontal",
            symbolType="circle",
            symbolStrokeColor=BLUE,
            symbolStrokeWidth=2,
        )
        if legend
        else None
    )
    dots = base.mark_point(size=70, strokeWidth=2, color=BLUE, opacity=1).encode(
        x=alt.X("date", type="temporal"),
        y=alt.Y("coverage", type="quantitative"),
        fill=alt.Fill(
            "kind",
            type="nominal",
            scale=alt.Scale(domain=list(_KINDS.values()), range=[BLUE, "white"]),
            legend=fill_legend,
        ),
        tooltip=[
            date_tt,
            alt.Tooltip("nilai", type="nominal", title="Cakupan"),
            alt.Tooltip("kind", type="nominal", title="Jenis angka"),
        ],
    )
    return [line, dots]


def _end_labels(fmt: str, last: bool) -> list[alt.Chart]:
    """The value labels of the first point and (when there is another) the last.

    The first starts at its point, the last ends at its point, so neither
    runs into the axis or off the chart."""
    return [
        alt.Chart(table(role))
        .transform_calculate(nilai=pct_expr("coverage", fmt))
        .mark_text(align=align, dx=-6 if align == "left" else 6, dy=-10,
                   baseline="bottom", fontWeight="bold", color=BLUE, fontSize=12)
        .encode(
            x=alt.X("date", type="temporal"),
            y=alt.Y("coverage", type="quantitative"),
            text=alt.Text("nilai", type="nominal"),
        )
        for role, align in [("first", "left")] + ([("last", "right")] if last else [])
    ]


def _target_marks(fmt: str) -> list[alt.Chart]:
    """A diamond for each target at the end of its year, and its label ("Target 2025: 38,39 %")."""
    # A target's deadline is a day, the end of its year. (formatType "utc"
    # would compile to a call of Vega's utc() constructor; a utc time unit
    # makes Vega-Lite use utcFormat instead.)
    deadline_tt = alt.Tooltip("date", type="temporal", timeUnit="utcyearmonthdate", title="Tanggal",
                              format="%-d %B %Y")
    tdata = table("targets")
    tcalc = {"label": "'Target ' + datum.year + ': ' + " + pct_expr("coverage", fmt)}
    diamonds = (
        alt.Chart(tdata)
        .transform_calculate(**tcalc)
        .mark_point(shape="diamond", filled=True, size=110, color=TARGET, opacity=1)
        .encode(
            x=alt.X("date", type="temporal"),
            y=alt.Y("coverage", type="quantitative"),
            tooltip=[
                alt.Tooltip("label", type="nominal", title="Target"),
                deadline_tt,
            ],
        )
    )
    labels = (
        alt.Chart(tdata)
        .transform_calculate(**tcalc)
        .mark_text(align="right", dx=4, dy=-14, baseline="bottom", color=TARGET,
                   fontWeight="bold")
        .encode(
            x=alt.X("date", type="temporal"),
            y=alt.Y("coverage", type="quantitative"),
            text=alt.Text("label", type="nominal"),
        )
    )
    return [diamonds, labels]

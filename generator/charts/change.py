"""The change chart: why coverage moved between two snapshots, as diverging bars in percentage points.

Why this module exists: a change in coverage has two causes that a reader
cannot tell apart from the figure alone: more (or fewer) participants, and a
larger (or smaller) workforce estimate. The facts split a change into those
parts (generator/facts/indicators.py); a report draws them with this chart:
rises in blue, falls in vermillion, each with its signed value, the total
set apart in bold.
"""

from __future__ import annotations

from typing import Any, Mapping, Sequence

import altair as alt

from generator.charts.labels import key_labels, label_axis, text_px, when_one_of
from generator.charts.template import Template, shaped, slot, table
from generator.charts.theme import BLUE, INK, PADDING, VERMILLION, WIDTH


def change_chart(
    parts: Sequence[Mapping[str, Any]],
    *,
    title: str,
    description: str,
    subtitle: str | Sequence[str] | None = None,
    width: int = WIDTH,
    validate: bool = True,
) -> dict[str, Any]:
    """Diverging bars explaining a change in coverage, in percentage points (the whole chart about
    width px wide: its value labels are placed in room computed for that width):
    rises in blue, falls in vermillion, each labelled with its sign
    ("+0,99 poin", "−2,92 poin"). A part with "total": True (or, when no part
    says so, one labelled "Perubahan total") is set apart in bold."""
    flagged = any("total" in p for p in parts)
    digits = len(str(len(parts)))
    values = []
    for i, p in enumerate(parts):
        if flagged:
            total = bool(p.get("total"))
        else:
            total = p["label"].strip().lower() == "perubahan total"
        values.append(
            {
                "key": f"{i:0{digits}d} {p['label']}",
                "label": p["label"],
                "points": p["points"],
                "sign": "naik" if p["points"] >= 0 else "turun",
                "total": total,
            }
        )
    keys = [v["key"] for v in values]
    total_keys = [v["key"] for v in values if v["total"]]
    lo = min([0.0, *(v["points"] for v in values)])
    hi = max([0.0, *(v["points"] for v in values)])
    span = (hi - lo) or 1.0
    # The plot: the chart less the labels on the left; then room at each end
    # for the value labels ("−2,92 poin"), in data units.
    name_px = max((text_px(v["label"], 12) for v in values), default=0) + 8
    plot_px = width - PADDING - name_px
    label_px = max((text_px(f"{v['points']:+.2f} poin", 12) for v in values), default=0) + 8
    sides = (lo < 0) + (hi > 0)
    room = label_px * span / max(plot_px - sides * label_px, plot_px / 3)
    domain = [lo - (room if lo < 0 else 0), hi + (room if hi > 0 else 0)]
    return _change_template(total=bool(total_keys)).fill(
        {"parts": values, "zero": [{"zero": 0}]},
        {"keys": keys, "labels": key_labels(digits), "weight": when_one_of(total_keys), "x.domain": domain},
        title=title, subtitle=subtitle, description=description,
        height=34 * max(1, len(values)), width=plot_px, validate=validate,
    )


@shaped
def _change_template(*, total: bool) -> Template:
    # (total: whether a part is set apart, making the label weight a condition.)
    y = label_axis(color=INK, inner=0.3, outer=0.15, padding=8)
    x = alt.X(
        "points",
        type="quantitative",
        scale=alt.Scale(domain=slot("x.domain"), nice=False, zero=True),
        axis=alt.Axis(
            title="Perubahan (poin persentase)",
            format=",.0f",
            labelExpr="datum.value > 0 ? '+' + datum.label : datum.label",
            grid=False,
            domain=False,
            ticks=False,
            tickMinStep=1,
        ),
    )
    label_expr = (
        "(datum.points > 0 ? format(datum.points, '+,.2f') : format(datum.points, ',.2f'))"
        " + ' poin'"
    )
    base = alt.Chart(table("parts")).transform_calculate(nilai=label_expr)
    tooltip = [
        alt.Tooltip("label", type="nominal", title="Komponen"),
        alt.Tooltip("nilai", type="nominal", title="Perubahan"),
    ]
    bars = base.mark_bar().encode(
        x=x,
        y=y,
        color=alt.Color(
            "sign",
            type="nominal",
            scale=alt.Scale(domain=["naik", "turun"], range=[BLUE, VERMILLION]),
            legend=None,
        ),
        tooltip=tooltip,
    )
    zero = (
        alt.Chart(table("zero"))
        .mark_rule(color=INK, strokeWidth=1.5)
        .encode(x=alt.X("zero", type="quantitative"))
    )
    text_layers = []
    for positive in (True, False):
        test = "datum.points >= 0" if positive else "datum.points < 0"
        text_layers.append(
            base.transform_filter(test)
            .mark_text(
                align="left" if positive else "right",
                dx=5 if positive else -5,
                baseline="middle",
                fontSize=12,
                fontWeight=alt.ExprRef("datum.total ? 'bold' : 'normal'"),
            )
            .encode(
                x=alt.X("points", type="quantitative"),
                y=alt.Y("key", type="nominal", sort=slot("keys")),
                text=alt.Text("nilai", type="nominal"),
                tooltip=tooltip,
            )
        )
    return Template(alt.layer(bars, zero, *text_layers))

"""The target chart: a province's coverage as a bar, with a tick and a label for each of its targets.

Why this module exists: a report's first chart answers "how far is the
province from its targets?". It is a bullet chart, one bar on a 0..max
track, each target a vertical rule with its label on its own line above the
bar (labels.py places them). It is built from a template per number of
targets (template.py).
"""

from __future__ import annotations

from typing import Any, Mapping, Sequence

import altair as alt

from generator.charts.labels import (fmt_percent, pct_axis, pct_expr, percent_domain_max, percent_ticks,
    place_references, reference_layers, target_name, year_key)
from generator.charts.template import Template, shaped, slot, table
from generator.charts.theme import BLUE, PADDING, TARGET, TRACK, WIDTH

_TARGET_LINE = 16  # px per target label line
_TARGET_BAR = 30  # px, the height of the bar


def _target_bar_top(targets: int) -> int:
    """Where the bar starts, below a label line per target."""
    return 8 + _TARGET_LINE * targets + 4


def target_chart(
    coverage: float,
    targets: Sequence[Mapping[str, Any]],
    *,
    title: str,
    description: str,
    subtitle: str | Sequence[str] | None = None,
    shown: str | None = None,  # the coverage as the page prints it (each target may carry its own "shown")
    validate: bool = True,
) -> dict[str, Any]:
    """A bullet chart: the province's coverage as a bar on a 0..max track,
    with a tick and a label for each target ("Target 2024: 32,62 %")."""
    targets = sorted(targets, key=lambda t: (year_key(t["year"]), t["coverage"]))
    dmax = percent_domain_max([coverage, *(t["coverage"] for t in targets)])
    plot_px = WIDTH - PADDING
    current = [{"start": 0, "coverage": coverage, "label": "Cakupan", "shown": shown}]
    tables = {"track": [{"start": 0, "end": dmax}], "current": current}
    # The coverage value: inside the bar's end when the bar is long enough.
    inside = coverage >= dmax * 0.16
    values: dict[str, Any] = {
        "x.domain": [0, dmax],
        "x.ticks": percent_ticks(dmax),
        "value.align": "right" if inside else "left",
        "value.dx": -6 if inside else 6,
        "value.color": "white" if inside else BLUE,
    }
    refs = [{"value": t["coverage"],
             "label": f"{target_name(t['year'])}: {t.get('shown') or fmt_percent(t['coverage']) + ' %'}"}
            for t in targets]
    ref_tables, ref_values = place_references(refs, dmax=dmax, plot_px=plot_px, top=8 + _TARGET_LINE / 2,
                                               line=_TARGET_LINE)
    return _target_template(targets=len(targets)).fill(
        tables | ref_tables, values | ref_values, title=title, subtitle=subtitle, description=description,
        height=_target_bar_top(len(targets)) + _TARGET_BAR + 2, width=plot_px, validate=validate,
    )


@shaped
def _target_template(*, targets: int) -> Template:
    bar_top = _target_bar_top(targets)
    x_scale = alt.Scale(domain=slot("x.domain"), nice=False, zero=True)
    x_axis = pct_axis("x.ticks", grid=False, ticks=True, tickSize=4, offset=4, labelFlush=True)
    y_bar = alt.YValue(bar_top)
    y2_bar = alt.Y2Value(bar_top + _TARGET_BAR)

    track = (
        alt.Chart(table("track"))
        .mark_rect(color=TRACK)
        .encode(
            x=alt.X("start", type="quantitative", scale=x_scale, axis=x_axis),
            x2=alt.X2("end"),
            y=y_bar,
            y2=y2_bar,
        )
    )
    bar = (
        alt.Chart(table("current"))
        .transform_calculate(nilai=pct_expr("coverage", ",.2f"))
        .mark_rect(color=BLUE)
        .encode(
            x=alt.X("start", type="quantitative"),
            x2=alt.X2("coverage"),
            y=y_bar,
            y2=y2_bar,
            tooltip=[
                alt.Tooltip("label", type="nominal", title="Keterangan"),
                alt.Tooltip("nilai", type="nominal", title="Cakupan"),
            ],
        )
    )
    value_label = (
        alt.Chart(table("current"))
        .transform_calculate(nilai=pct_expr("coverage", ",.2f"))
        .mark_text(
            align=slot("value.align"),
            dx=slot("value.dx"),
            baseline="middle",
            fontSize=14,
            fontWeight="bold",
            color=slot("value.color"),
        )
        .encode(
            x=alt.X("coverage", type="quantitative"),
            y=alt.YValue(bar_top + _TARGET_BAR / 2),
            text=alt.Text("nilai", type="nominal"),
        )
    )
    rules, labels = reference_layers([(TARGET, None)] * targets, bottom=bar_top + _TARGET_BAR + 4)
    return Template(alt.layer(track, bar, value_label, *rules, *labels))

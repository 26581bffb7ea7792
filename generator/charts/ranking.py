"""The ranking chart: a province's regencies by coverage, highest first, with the province and its targets.

Why this module exists: every regency's page shows where it stands among its
neighbours, and a province has up to a few dozen regencies. Rather than a
spec per regency, one spec serves them all: the regency drawn as "this one"
is a param, SOROT, that the page sets (view.signal("sorot", name)), and the
drawn image of a regency's page is the same spec with the param filled. The
national front page ranks its provinces with the same chart.
"""

from __future__ import annotations

from typing import Any, Mapping, Sequence

import altair as alt

from generator.charts.labels import (fmt_percent, key_labels, label_axis, listed, pct_axis, pct_expr,
    percent_domain_max, percent_ticks, place_references, reference_layers, target_name, text_px, when_one_of,
    year_key)
from generator.charts.template import Template, shaped, slot, table
from generator.charts.theme import (AMBIGUOUS_FILL, AMBIGUOUS_LABEL, AMBIGUOUS_STROKE, BLUE, CALM, INK, MUTED,
    PADDING, ROW_HEIGHT, TARGET, WIDTH)

#: The ranking's top-level param: the name of the regency drawn as "this
#: one", or null. One spec serves every regency's page: the page sets it,
#: view.signal("sorot", name).runAsync(). Rows of unclear attribution are
#: never "this one", whatever their name.
SOROT = "sorot"
_THIS, _OTHER = "Kabupaten/kota ini", "Kabupaten/kota lain"
_IS_SOROT = f"!datum.ambiguous && datum.name === {SOROT}"  # a row of the ranking's table
# Plain comparisons and ternaries: vega-interpreter (the site's CSP has no unsafe-eval) runs them.
_GROUP = f"datum.ambiguous ? '{AMBIGUOUS_LABEL}' : (datum.name === {SOROT} ? '{_THIS}' : '{_OTHER}')"

Style = tuple[str, tuple[int, ...] | None]  # a reference line's colour and dash (None: solid)


def ranking_chart(
    rows: Sequence[Mapping[str, Any]],
    *,
    province: float | None,
    targets: Sequence[Mapping[str, Any]],
    title: str,
    description: str,
    subtitle: str | Sequence[str] | None = None,
    province_shown: str | None = None,  # the province's figure as the page prints it
    validate: bool = True,
) -> dict[str, Any]:
    """Horizontal bars, regencies by coverage (highest first), with rules for
    the province value and the targets.

    Each bar has a unique key ("03 Lampung Utara"), so two rows with the same
    name stay two bars; the axis shows the name without the key. The bar
    named by the param SOROT is dark with a white value and a bold name; its
    value is the name of the first clear row with "highlight": True, else null."""
    values, width = _bars(rows)
    sorot = next((r["name"] for r in rows if r.get("highlight") and not r.get("ambiguous")), None)
    keys = [v["key"] for v in values]
    ambiguous_keys = [v["key"] for v in values if v["ambiguous"]]
    shown = [v["coverage"] for v in values] + ([province] if province is not None else [])
    dmax = percent_domain_max(shown + [t["coverage"] for t in targets], headroom=1.08)
    refs, styles = _references(province, province_shown, targets)
    plot_px = _fit_values(values, dmax)
    ref_tables, ref_values = place_references(refs, dmax=dmax, plot_px=plot_px, top=-len(refs) * 15 - 2, line=15)
    template = _ranking_template(
        references=tuple(styles),
        ambiguous=bool(ambiguous_keys),
        labels_inside=any(v["inside"] for v in values),
        labels_outside=not all(v["inside"] for v in values),
    )
    return template.fill(
        {"rows": values} | ref_tables,
        {
            "sorot": sorot,
            "keys": keys,
            "labels": key_labels(width),
            "weight": _sorot_weight(width, ambiguous_keys),
            "label.color": when_one_of(ambiguous_keys, otherwise=INK, then=MUTED),
            "x.domain": [0, dmax],
            "x.ticks": percent_ticks(dmax),
        } | ref_values,
        title=title, subtitle=subtitle, description=description,
        height=ROW_HEIGHT * max(1, len(values)), width=plot_px, validate=validate,
    )


def highlighted(spec: Mapping[str, Any], name: str) -> dict[str, Any]:
    """The ranking spec with the regency named drawn as "this one": what the runtime does with
    view.signal(SOROT, name), done before drawing, for the image a regency's page shows first."""
    params = [dict(p, value=name) if p.get("name") == SOROT else p for p in spec.get("params", ())]
    if not any(p.get("name") == SOROT for p in params):
        raise ValueError("not a ranking spec: it has no sorot param")
    return dict(spec, params=params)


def _bars(rows: Sequence[Mapping[str, Any]]) -> tuple[list[dict[str, Any]], int]:
    """The table of bars, highest coverage first, each with its unique key; and the digits of the keys' numbers."""
    ordered = sorted(
        enumerate(rows), key=lambda ir: (-ir[1]["coverage"], ir[1]["name"], ir[0])
    )
    width = len(str(len(ordered)))
    values = []
    for pos, (_, r) in enumerate(ordered):
        values.append(
            {
                "key": f"{pos:0{width}d} {r['name']}",
                "name": r["name"],
                "coverage": r["coverage"],
                "shown": r.get("shown"),
                "ambiguous": bool(r.get("ambiguous")),
                "note": "atribusi tidak jelas dalam sumber" if r.get("ambiguous") else "",
                # Dashed grey outline: "ambiguous" without relying on colour.
                "stroke": AMBIGUOUS_STROKE if r.get("ambiguous") else None,
                "dash": [3, 2] if r.get("ambiguous") else [1, 0],
            }
        )
    return values, width


def _references(
    province: float | None, province_shown: str | None, targets: Sequence[Mapping[str, Any]]
) -> tuple[list[dict[str, Any]], list[Style]]:
    """The reference lines (the province's figure, then the targets by year) and the style of each."""
    refs: list[dict[str, Any]] = []
    styles: list[Style] = []
    if province is not None:
        refs.append({"value": province, "label": f"Provinsi {province_shown or fmt_percent(province) + ' %'}"})
        styles.append((INK, None))
    for t in sorted(targets, key=lambda t: year_key(t["year"])):
        refs.append({"value": t["coverage"], "label": target_name(t["year"])})
        styles.append((TARGET, (5, 3)))
    return refs, styles


def _fit_values(values: list[dict[str, Any]], dmax: float) -> float:
    """The plot's width (the chart's less the names), having marked in each bar whether its value fits inside.

    Values sit inside the end of their bar, where no rule or grid line can
    cross them; a bar too short for its value gets it just outside."""
    name_px = max((text_px(v["name"], 12) for v in values), default=0) + 6
    plot_px = WIDTH - PADDING - name_px
    for v in values:
        v["inside"] = v["coverage"] / dmax * plot_px >= text_px(v["shown"] or "00,0 %") + 10
        v["ink"] = MUTED if v["ambiguous"] and not v["inside"] else INK  # white inside the SOROT bar
    return plot_px


def _sorot_weight(width: int, ambiguous_keys: Sequence[str]) -> dict[str, Any]:
    """The axis labels' weight: bold for the SOROT bar's (the key less its number is the name)."""
    chosen = f"slice(datum.value, {width + 1}) === {SOROT}"
    if ambiguous_keys:
        chosen += f" && {listed(ambiguous_keys)} < 0"
    return {"condition": {"test": chosen, "value": "bold"}, "value": "normal"}


@shaped
def _ranking_template(
    *, references: tuple[Style, ...], ambiguous: bool, labels_inside: bool, labels_outside: bool,
) -> Template:
    y = label_axis(color=slot("label.color"), inner=0.25, outer=0.1, padding=6)
    x = alt.X(
        "coverage",
        type="quantitative",
        scale=alt.Scale(domain=slot("x.domain"), nice=False),
        axis=pct_axis("x.ticks", grid=True, ticks=False, orient="bottom"),
    )
    tooltip = [
        alt.Tooltip("name", type="nominal", title="Kabupaten/kota"),
        alt.Tooltip("nilai", type="nominal", title="Cakupan"),
    ]
    if ambiguous:
        tooltip.append(alt.Tooltip("note", type="nominal", title="Catatan"))
    base = alt.Chart(table("rows")).transform_calculate(nilai=pct_expr("coverage", ",.1f"))
    bars = base.transform_calculate(group=_GROUP).mark_bar(strokeWidth=1).encode(
        x=x,
        y=y,
        color=_bar_colour(ambiguous),
        stroke=alt.Stroke("stroke", type="nominal", scale=None),
        strokeDash=alt.StrokeDash("dash", type="nominal", scale=None),
        tooltip=tooltip,
    )
    labels = [_value_labels(base, inside, tooltip)
              for inside, present in ((True, labels_inside), (False, labels_outside)) if present]
    rules, ref_labels = reference_layers(references)
    return Template(alt.layer(*rules, bars, *labels, *ref_labels),
                    params=[{"name": SOROT, "value": slot("sorot")}])


def _bar_colour(ambiguous: bool) -> alt.Color:
    """Bars coloured by group: this one, the others, and (when there are any) those of unclear attribution."""
    groups = [_THIS, _OTHER] + ([AMBIGUOUS_LABEL] if ambiguous else [])
    palette = {_THIS: BLUE, _OTHER: CALM, AMBIGUOUS_LABEL: AMBIGUOUS_FILL}
    # The highlighted bar explains itself (dark bar, bold name); the legend
    # only has to say what the grey, dashed bars mean.
    legend = (
        alt.Legend(
            title=None,
            orient="bottom",
            direction="horizontal",
            values=[AMBIGUOUS_LABEL],
            symbolType="square",
            symbolSize=160,
            symbolStrokeColor=AMBIGUOUS_STROKE,
            symbolStrokeWidth=1,
            symbolDash=[3, 2],
            offset=10,
        )
        if ambiguous
        else None
    )
    return alt.Color(
        "group",
        type="nominal",
        scale=alt.Scale(domain=groups, range=[palette[g] for g in groups]),
        legend=legend,
    )


def _value_labels(base: alt.Chart, inside: bool, tooltip: list[alt.Tooltip]) -> alt.Chart:
    """The layer of the values drawn inside the end of their bar (inside=True), or just past it."""
    return (
        base.transform_filter("datum.inside" if inside else "!datum.inside")
        .mark_text(
            align="right" if inside else "left",
            dx=-5 if inside else 4,
            baseline="middle",
            fontSize=11,
        )
        .encode(
            x=alt.X("coverage", type="quantitative"),
            y=alt.Y("key", type="nominal", sort=slot("keys")),
            text=alt.Text("nilai", type="nominal"),
            color=alt.Color(
                "ink", type="nominal", scale=None,
                # White on the dark bar; a value outside its bar stays ink.
                condition={"test": _IS_SOROT, "value": "white"} if inside else alt.Undefined,
            ),
            tooltip=tooltip,
        )
    )

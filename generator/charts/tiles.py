"""The tile map: a province's regencies as a grid of squares, each filled by its coverage.

Why this module exists: a map with real borders is costly to draw and read
at phone size, and a regency's outline says nothing about its coverage. A
tile grid (positions from region.yaml) keeps the rough geography, gives every
regency the same room for its short name and its value, and shows those
without a figure as such ("tanpa data"). The national front page's tiles
(national.py) use the same colour helpers, so the text on a tile is white
only where the tile is dark.
"""

from __future__ import annotations

from typing import Any, Mapping, Sequence

import altair as alt

from generator.charts.labels import PCT_LABELS, nice_ceiling, pct_expr
from generator.charts.template import Template, shaped, slot, table
from generator.charts.theme import INK, NO_DATA, NO_DATA_LABEL, ON_TILE, RULE, WIDTH

# Vega's "blues" scheme (vega-scale schemes.js), which Vega interpolates
# linearly in RGB; used here only to pick a readable text colour per tile.
_BLUES = [
    "#cfe1f2", "#bed8ec", "#a8cee5", "#8fc1de", "#74b2d7", "#5ba3cf",
    "#4592c6", "#3181bd", "#206fb2", "#125ca4", "#0a4a90",
]


def blues(t: float) -> tuple[float, float, float]:
    """The RGB colour Vega gives a tile at t (0..1) along its "blues" scheme."""
    t = min(1.0, max(0.0, t)) * (len(_BLUES) - 1)
    i = min(int(t), len(_BLUES) - 2)
    f = t - i
    a, b = (tuple(int(c[k : k + 2], 16) for k in (1, 3, 5)) for c in _BLUES[i : i + 2])
    return tuple(x + (y - x) * f for x, y in zip(a, b))  # type: ignore[return-value]


def _luminance(rgb: Sequence[float]) -> float:
    def lin(c: float) -> float:
        c /= 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (lin(c) for c in rgb)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def ink_on(rgb: Sequence[float]) -> str:
    """White or ON_TILE (INK's value), whichever contrasts more with the fill (WCAG ratio)."""
    bg = _luminance(rgb)
    ink = _luminance([0x22, 0x22, 0x22])
    white = (1.05) / (bg + 0.05)
    dark = (bg + 0.05) / (ink + 0.05)
    return "white" if white > dark else ON_TILE


def _wrap_short(label: str, limit: int = 10) -> str:
    """Break a long tile label at the space nearest its middle."""
    if len(label) <= limit or " " not in label:
        return label
    spaces = [i for i, c in enumerate(label) if c == " "]
    cut = min(spaces, key=lambda i: abs(i - len(label) / 2))
    return label[:cut] + "\n" + label[cut + 1 :]


def tile_map(
    rows: Sequence[Mapping[str, Any]],
    *,
    title: str,
    description: str,
    subtitle: str | Sequence[str] | None = None,
    cell: int | None = None,
    width: int = WIDTH,
    validate: bool = True,
) -> dict[str, Any]:
    """A tile-grid map: one square per regency at (x, y), y growing
    downwards, filled by coverage ("blues"; light grey, dashed, "tanpa data"
    when there is no figure), with the short name and the value inside."""
    ncols = max(r["x"] for r in rows) + 1
    nrows = max(r["y"] for r in rows) + 1
    known = [r["coverage"] for r in rows if r.get("coverage") is not None]
    dmax = nice_ceiling(max(known), 5.0) if known else 10.0
    dmax = min(100.0, dmax)
    if cell is None:
        cell = min(112, (width - 40) // ncols)
    # Small tiles (a phone's image) hold their names at the smallest readable size, plainly, broken sooner.
    compact = cell < 80
    name_size, name_weight, limit = (11, "normal", 8) if compact else (12, "bold", 10)
    gap = 0.04
    values = []
    for r in rows:
        cov = r.get("coverage")
        values.append(
            {
                "name": r["name"],
                "short": _wrap_short(r["short"], limit),
                "x0": r["x"] + gap,
                "x1": r["x"] + 1 - gap,
                "y0": r["y"] + gap,
                "y1": r["y"] + 1 - gap,
                "cx": r["x"] + 0.5,
                "cy": r["y"] + 0.5,
                "coverage": cov,
                "shown": r.get("shown"),
                "status": "ada" if cov is not None else NO_DATA_LABEL,
                "lines": _wrap_short(r["short"], limit).count("\n") + 1,
                "name_size": name_size,
                "name_weight": name_weight,
                "ink": INK if cov is None else ink_on(blues(cov / dmax)),
                "size": 11 if cov is None else 13,  # font size of the value line
            }
        )
    template = _tile_template(legend=bool(known), missing=any(v["coverage"] is None for v in values))
    return template.fill(
        {"tiles": values},
        {"x.domain": [0, ncols], "y.domain": [0, nrows], "color.domain": [0, dmax]},
        title=title, subtitle=subtitle, description=description,
        width=cell * ncols, height=cell * nrows, validate=validate,
    )


@shaped
def _tile_template(*, legend: bool, missing: bool) -> Template:
    x_scale = alt.Scale(domain=slot("x.domain"), nice=False, zero=False)
    y_scale = alt.Scale(domain=slot("y.domain"), nice=False, zero=False, reverse=True)
    square = dict(
        x=alt.X("x0", type="quantitative", scale=x_scale, axis=None),
        x2=alt.X2("x1"),
        y=alt.Y("y0", type="quantitative", scale=y_scale, axis=None),
        y2=alt.Y2("y1"),
    )
    base = alt.Chart(table("tiles")).transform_calculate(
        nilai=f"datum.coverage == null ? '{NO_DATA_LABEL}' : " + pct_expr("coverage", ",.1f")
    )
    tooltip = [
        alt.Tooltip("name", type="nominal", title="Kabupaten/kota"),
        alt.Tooltip("nilai", type="nominal", title="Cakupan"),
    ]
    layers: list[alt.Chart] = [_filled_tiles(base, square, tooltip, legend)]
    if missing:
        layers.append(_missing_tiles(base, square, tooltip))
    layers += _tile_texts(base, tooltip)
    return Template(alt.layer(*layers), resolve={"scale": {"color": "independent"}})


def _filled_tiles(base: alt.Chart, square: dict[str, Any], tooltip: list[alt.Tooltip], legend: bool) -> alt.Chart:
    """The tiles with a figure, in the blues of their coverage (and its legend, when asked for)."""
    return base.transform_filter("datum.coverage != null").mark_rect().encode(
        **square,
        color=alt.Color(
            "coverage",
            type="quantitative",
            scale=alt.Scale(
                scheme="blues",
                domain=slot("color.domain"),
                nice=False,
            ),
            legend=alt.Legend(
                title="Cakupan",
                orient="bottom",
                direction="horizontal",
                format=",.0f",
                labelExpr=PCT_LABELS,
                gradientLength=220,
                gradientThickness=12,
                tickCount=5,
            )
            if legend
            else None,
        ),
        tooltip=tooltip,
    )


def _missing_tiles(base: alt.Chart, square: dict[str, Any], tooltip: list[alt.Tooltip]) -> alt.Chart:
    """The tiles without a figure: light grey, dashed, with a legend entry "tanpa data"."""
    return (
        base.transform_filter("datum.coverage == null")
        .mark_rect(stroke=RULE, strokeDash=[3, 2], strokeWidth=1)
        .encode(
            **square,
            color=alt.Color(
                "status",
                type="nominal",
                scale=alt.Scale(domain=[NO_DATA_LABEL], range=[NO_DATA]),
                legend=alt.Legend(
                    title=None,
                    orient="bottom",
                    symbolType="square",
                    symbolStrokeColor=RULE,
                    symbolStrokeWidth=1,
                    symbolDash=[3, 2],
                    symbolSize=200,
                ),
            ),
            tooltip=tooltip,
        )
    )


def _tile_texts(base: alt.Chart, tooltip: list[alt.Tooltip]) -> list[alt.Chart]:
    """The short name (on one or two lines) above each tile's centre, and the value below it."""
    text_color = alt.Color("ink", type="nominal", scale=None)
    at = dict(x=alt.X("cx", type="quantitative"), y=alt.Y("cy", type="quantitative"))
    name = base.mark_text(
        baseline="bottom",
        fontWeight=alt.ExprRef("datum.name_weight"),
        fontSize=alt.ExprRef("datum.name_size"),
        lineBreak="\n",
        # Vega grows multi-line text downwards; lift it by the extra lines.
        dy=alt.ExprRef("-1 - (datum.lines - 1) * (datum.name_size + 2)"),
    ).encode(**at, text=alt.Text("short", type="nominal"), color=text_color, tooltip=tooltip)
    value = base.mark_text(baseline="top", dy=3).encode(
        **at,
        text=alt.Text("nilai", type="nominal"),
        color=text_color,
        size=alt.Size("size", type="quantitative", scale=None),
        tooltip=tooltip,
    )
    return [name, value]

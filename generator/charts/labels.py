"""What the charts' labels and axes are made of: percent axes, bar names, text widths, reference lines.

Why this module exists: every chart kind labels its figures the same way
(a percent as the page prints it, "24,86 %"; a target as "Target 2025"), and
the bar charts share their axis of named bars and their reference lines
(the province's figure, the targets), each label on its own line where no
other rule crosses it. Those parts live here, once, for target.py,
ranking.py, history.py, tiles.py, change.py and national.py.
"""

from __future__ import annotations

import functools
import itertools
import json
import math
from collections.abc import Mapping
from typing import Any, Iterable, Sequence

import altair as alt
from babel.numbers import format_decimal

from generator.charts.template import slot, table


# --- axes of named bars -------------------------------------------------------
def label_axis(*, color: Any, inner: float, outer: float, padding: int) -> alt.Y:
    """The band axis of a horizontal bar chart: one row per unique key (slot
    "keys", in order), showing only the label part (slot "labels", see
    key_labels), in the weight of slot "weight"."""
    return alt.Y(
        "key",
        type="nominal",
        sort=slot("keys"),
        scale=alt.Scale(paddingInner=inner, paddingOuter=outer),
        axis=alt.Axis(title=None, labelExpr=slot("labels"), labelFontSize=12, labelFontWeight=slot("weight"),
                      labelColor=color, ticks=False, domain=False, labelPadding=padding),
    )


def key_labels(width: int) -> str:
    """The labelExpr of label_axis for keys numbered with `width` digits: the key less its number."""
    return f"slice(datum.label, {width + 1})"


def listed(keys: Sequence[str]) -> str:
    """Vega expression: the position of the axis label's value in keys (-1: not there)."""
    return f"indexof([{', '.join(json.dumps(k) for k in keys)}], datum.value)"


def when_one_of(keys: Sequence[str], otherwise: Any = "normal", then: Any = "bold") -> Any:
    """A conditional axis label property: `then` for the labels in keys."""
    if not keys:
        return otherwise
    return {"condition": {"test": f"{listed(keys)} >= 0", "value": then}, "value": otherwise}


# --- percents -----------------------------------------------------------------
def pct_expr(field: str, fmt: str = ",.1f") -> str:
    """Vega expression: the row's "shown" text when it has one (the value as the page prints it, with
    only the digits its rounding supports: "37 %", "~38 %"), else the field as an Indonesian percent label."""
    return f"(isValid(datum.shown) ? datum.shown : format(datum['{field}'], '{fmt}') + ' %')"


PCT_LABELS = "datum.label + ' %'"  # axis/legend labelExpr: "20" -> "20 %"


def pct_axis(tick_slot: str, **props: Any) -> alt.Axis:
    """A percent axis ("0 %, 10 %, …") without title or domain line; its tick count from the slot `tick_slot`.
    Labels keep 6 px apart: where a narrow screen draws the chart narrower (site.js), Vega drops every
    other label instead of letting "40 %45 %" touch."""
    return alt.Axis(title=None, format=",.0f", labelExpr=PCT_LABELS, tickCount=slot(tick_slot), domain=False,
                    labelSeparation=6, **props)


def nice_ceiling(value: float, step: float = 5.0) -> float:
    """The next multiple of step at or above value (45 for 42.2)."""
    return max(step, math.ceil(value / step - 1e-9) * step)


def percent_domain_max(values: Iterable[float], *, headroom: float = 1.1) -> float:
    """The end of a percent axis: the largest value plus headroom, rounded
    up to a multiple of 5, never past 100."""
    top = max([0.0, *values]) * headroom
    return min(100.0, nice_ceiling(top if top > 0 else 10.0))


def percent_ticks(dmax: float) -> int:
    """About how many ticks a 0..dmax percent axis gets: every 5 % up to 50, then every 10 %."""
    return max(2, int(dmax // 5) if dmax <= 50 else int(dmax // 10))


# --- text and reference lines ---------------------------------------------------
def text_px(text: str, size: float = 11) -> float:
    """Rough width of text in theme.FONT (0.6 em a character: generous, so
    a label placed by it never runs into its neighbour)."""
    return len(text) * size * 0.6


@functools.lru_cache(maxsize=4096)
def fmt_percent(value: float) -> str:
    """An Indonesian number with two decimals ("24,86"), for labels fixed at
    build time (their width decides where they go)."""
    return format_decimal(value, format="#,##0.00", locale="id")


# Bold 11 px text averages under 6.6 px a character in theme.FONT; round up.
_CHAR_PX = 7.0


def _stack_labels(
    refs: Sequence[Mapping[str, Any]], *, dmax: float, plot_px: float
) -> list[tuple[int, bool]]:
    """Place reference-line labels one per line above a plot.

    Each reference has a vertical rule at refs[i]["value"] (0..dmax, drawn
    over plot_px pixels) that rises to its own label line. Returns, per ref,
    (line, right_aligned), line 0 on top, chosen so that no label runs off
    the plot and no label is crossed by another reference's rule (a rule
    crosses every line at or below its own). Few references (a province and
    two or three targets), so every order of the lines is tried; given the
    order, each label's alignment is chosen on its own, since what it costs
    does not depend on the others' alignment."""
    px = tuple(r["value"] / dmax * plot_px for r in refs)
    widths = tuple(len(r["label"]) * _CHAR_PX + 6 for r in refs)
    return list(_stack(px, widths, plot_px))


@functools.lru_cache(maxsize=1024)  # a province's ranking charts share their references
def _stack(px: tuple[float, ...], widths: tuple[float, ...], plot_px: float) -> tuple[tuple[int, bool], ...]:
    """_stack_labels for rules at px with labels widths wide, in pixels."""
    n = len(px)
    if n == 0:
        return ()
    natural = sorted(range(n), key=lambda i: (px[i], i))
    if n > 4:  # not expected; keep it cheap: natural order, flip at the right edge
        return tuple((natural.index(i), px[i] + widths[i] > plot_px) for i in range(n))
    rank = [natural.index(i) for i in range(n)]

    # For label i aligned right (True) or not: what it costs whatever the
    # order (100 off the plot, 1 for right alignment: labels prefer to
    # follow their rule), and the other rules that run through it.
    fixed: list[tuple[float, float]] = []
    crossed: list[tuple[list[int], list[int]]] = []
    for i in range(n):
        costs, rules = [], []
        for right in (False, True):
            a, b = (px[i] - widths[i], px[i]) if right else (px[i], px[i] + widths[i])
            costs.append((100 if a < 0 or b > plot_px else 0) + (1 if right else 0))
            rules.append([j for j in range(n) if j != i and a - 2 <= px[j] <= b + 2])
        fixed.append((costs[0], costs[1]))
        crossed.append((rules[0], rules[1]))

    # Every order of the lines; the first of equal cost wins, and a label
    # goes right of its rule unless the left is cheaper (costs are sums of
    # halves and hundreds: exact).
    best: tuple[float, tuple[tuple[int, bool], ...]] | None = None
    for order in itertools.permutations(range(n)):
        line_of = [0] * n
        for line, ref in enumerate(order):
            line_of[ref] = line
        total, placed = 0.0, []
        for i in range(n):
            left, right = (
                fixed[i][side] + 100 * sum(line_of[j] <= line_of[i] for j in crossed[i][side])
                + abs(line_of[i] - rank[i]) * 0.5
                for side in (0, 1)
            )
            total += right if right < left else left
            placed.append((line_of[i], right < left))
        if best is None or total < best[0]:
            best = (total, tuple(placed))
    assert best is not None
    return best[1]


def reference_layers(
    styles: Sequence[tuple[str, tuple[int, ...] | None]], *, bottom: float | str = "height"
) -> tuple[list[alt.Chart], list[alt.Chart]]:
    """Template layers for vertical reference rules, each with a label on its
    own line: styles[i] = (colour, dash or None) for reference i, drawn from
    table "ref{i}" and placed by the slots "ref{i}.*" (see place_references).
    Rules run down to `bottom` (pixels or "height"). Returns (rule layers,
    label layers) so that callers can draw rules behind their bars and labels
    on top."""
    rules: list[alt.Chart] = []
    labels: list[alt.Chart] = []
    for i, (color, dash) in enumerate(styles):
        d = table(f"ref{i}")
        x = alt.X("value", type="quantitative")
        rules.append(
            alt.Chart(d)
            .mark_rule(color=color, strokeWidth=2 if not dash else 1.5, strokeDash=list(dash or (1, 0)))
            .encode(x=x, y=alt.YValue(slot(f"ref{i}.rule")), y2=alt.Y2Value(bottom))
        )
        labels.append(
            alt.Chart(d)
            .mark_text(
                align=slot(f"ref{i}.align"),
                dx=slot(f"ref{i}.dx"),
                baseline="middle",
                color=color,
                fontWeight="bold",
            )
            .encode(x=x, y=alt.YValue(slot(f"ref{i}.y")), text=alt.Text("label", type="nominal"))
        )
    return rules, labels


def place_references(
    refs: Sequence[Mapping[str, Any]], *, dmax: float, plot_px: float, top: float, line: float = 15,
) -> tuple[dict[str, Any], dict[str, Any]]:
    """The tables and slot values of reference_layers for refs ({"value",
    "label"}): each label on its own line (see _stack_labels), line 0 centred
    at pixel `top` (negative: above the plot)."""
    tables: dict[str, Any] = {}
    values: dict[str, Any] = {}
    for i, (r, (line_no, right)) in enumerate(zip(refs, _stack_labels(refs, dmax=dmax, plot_px=plot_px))):
        label_y = top + line_no * line
        tables[f"ref{i}"] = [{"value": r["value"], "label": r["label"]}]
        values[f"ref{i}.rule"] = label_y + line / 2 - 3
        values[f"ref{i}.y"] = label_y
        values[f"ref{i}.align"] = "right" if right else "left"
        values[f"ref{i}.dx"] = -4 if right else 4
    return tables, values


# --- targets ------------------------------------------------------------------
def year_key(year: int | None) -> tuple[bool, int]:
    """The sort key of a target's year: in order, a target without a year (the source gave none) last."""
    return (year is None, year or 0)


def target_name(year: int | None) -> str:
    return f"Target {year}" if year is not None else "Target (tahun tidak disebut)"

"""Charts: coverage figures in, Vega-Lite specs and chart images out.

Why this module exists: every chart on the site is drawn twice, once by
vl-convert at build time (the SVG every page shows first, and the PNG) and,
when a reader reaches for it, by vega-embed in the browser (from the
Vega-Lite JSON). Both must say the same thing in the same language, so the specs
are built in one place, from plain Python data, and the Indonesian number and
date locales live here too. The chart builders are pure: lists of dicts and
floats in, a JSON-ready dict out, the same bytes for the same input; they
read no files and no clock.

Speed: Altair makes each kind of chart once per shape (its structure: how
many reference lines, which optional layers and legends), with placeholders
for the figures; every spec of that shape is then a copy of that template
with the figures filled in, a fraction of a millisecond (see "templates").

The ranking chart has a param, SOROT ("sorot"): the regency it highlights,
so that one spec serves every regency's page (view.signal("sorot", name)).

Conventions for every chart:
- percent values are in percent units (24.86 means 24,86 %);
- numbers are formatted by d3-format strings, so LOCALE turns them into
  Indonesian ("24,86", "1.234"); pass LOCALE and TIME_LOCALE to vega-embed
  (formatLocale, timeFormatLocale) and to vl-convert (render_svg/render_png);
- colours are Okabe-Ito (colour-blind safe) plus greys; the font is DejaVu
  Sans, which vl-convert finds through generator/fonts.conf.
"""

from __future__ import annotations

import datetime as _dt
import functools
import hashlib
import json
import math
import os
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Iterable, Sequence

# --- fonts -------------------------------------------------------------------
# Pinned to DejaVu (generator/charts/fonts.py) before vl-convert loads them.
from generator.charts import fonts as _fonts  # noqa: E402

_FONTS_CONF = _fonts.FONTS_CONF


def _pin_fonts() -> None:
    _fonts.pin(_FONTS_CONF)


_pin_fonts()

import altair as alt  # noqa: E402  (after the font pinning, on purpose)
import vl_convert  # noqa: E402
from babel.numbers import format_decimal  # noqa: E402

__all__ = [
    "LOCALE",
    "TIME_LOCALE",
    "VL_VERSION",
    "SOROT",
    "validate_spec",
    "change_chart",
    "history_chart",
    "javascript_bundle",
    "ranking_chart",
    "render_png",
    "render_svg",
    "target_chart",
    "tile_map",
    "versions",
]

# --- locales -----------------------------------------------------------------
LOCALE: dict[str, Any] = {
    "decimal": ",",
    "thousands": ".",
    "grouping": [3],
    "currency": ["Rp", ""],
}

# Month and day names as Babel's "id" locale (CLDR) writes them, so chart
# axes agree with the dates in the page text.
TIME_LOCALE: dict[str, Any] = {
    "dateTime": "%A, %e %B %Y pukul %H.%M.%S",
    "date": "%d/%m/%Y",
    "time": "%H.%M.%S",
    "periods": ["AM", "PM"],
    "days": ["Minggu", "Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu"],
    "shortDays": ["Min", "Sen", "Sel", "Rab", "Kam", "Jum", "Sab"],
    "months": [
        "Januari", "Februari", "Maret", "April", "Mei", "Juni",
        "Juli", "Agustus", "September", "Oktober", "November", "Desember",
    ],
    "shortMonths": [
        "Jan", "Feb", "Mar", "Apr", "Mei", "Jun",
        "Jul", "Agu", "Sep", "Okt", "Nov", "Des",
    ],
}


def _vl_version() -> str | None:
    """The vl-convert Vega-Lite version matching Altair's schema ("6.4")."""
    major_minor = ".".join(alt.SCHEMA_VERSION.lstrip("v").split(".")[:2])
    return major_minor if major_minor in vl_convert.get_vegalite_versions() else None


#: Vega-Lite version passed to vl-convert; None means vl-convert's newest.
VL_VERSION: str | None = _vl_version()

# --- look --------------------------------------------------------------------
WIDTH = 600  # about the total width of every chart, in px (axes included)
_PADDING = 12  # config padding, left + right
ROW_HEIGHT = 22  # px per bar in ranking charts
FONT = "DejaVu Sans"

# Okabe & Ito (2008), colour-blind safe.
BLUE = "#0072B2"
VERMILLION = "#D55E00"
# Neutrals.
INK = "#222222"
MUTED = "#595959"
RULE = "#8C8C8C"
GRID = "#E6E6E6"
TRACK = "#ECECEC"
NO_DATA = "#F2F2F2"
ON_TILE = "#212121"  # ink on a coverage tile, whose blue stays in dark mode: so does it (generator/darkmode.py)

CALM = "#9CC3E0"  # a light tint of BLUE: "the other regencies"
TARGET = VERMILLION  # targets are vermillion in every chart
AMBIGUOUS_FILL = "#D9D9D9"
AMBIGUOUS_STROKE = "#7A7A7A"

AMBIGUOUS_LABEL = "Atribusi tidak jelas"
NO_DATA_LABEL = "tanpa data"

_CONFIG: dict[str, Any] = {
    "font": FONT,
    "background": "white",
    # Vega's automatic ARIA texts are English and would read out the bar keys
    # ("00 Kota Metro"); screen readers get the chart's description instead
    # (use it as the alt text of the <img>, or aria-label of the embed), and
    # the page carries the figures as a table.
    "aria": False,
    "padding": {"left": 4, "right": 8, "top": 6, "bottom": 6},
    "view": {"stroke": None},
    "title": {
        "anchor": "start",
        "fontSize": 16,
        "fontWeight": "bold",
        "color": INK,
        "subtitleFontSize": 12,
        "subtitleColor": MUTED,
        "subtitlePadding": 4,
        "offset": 14,
    },
    "axis": {
        "labelFontSize": 11,
        "labelColor": MUTED,
        "titleFontSize": 11,
        "titleFontWeight": "normal",
        "titleColor": MUTED,
        "gridColor": GRID,
        "domainColor": RULE,
        "tickColor": RULE,
        "labelPadding": 4,
    },
    "legend": {
        "labelFontSize": 11,
        "labelColor": INK,
        "titleFontSize": 11,
        "titleFontWeight": "normal",
        "titleColor": MUTED,
        "symbolSize": 110,
    },
    "text": {"fontSize": 11, "color": INK},
}


# --- templates: one Altair build per shape ---------------------------------------
# Altair takes 5-25 ms to make a spec, most of it walking its own objects, and
# a national site has tens of thousands of charts that differ from their
# siblings in figures, not in structure. So every builder works in two halves:
#
# - The shape: what decides the structure of the spec (how many reference
#   lines; which optional layers, legends and tooltips there are; the number
#   of decimals in expressions). A _shaped function builds the Altair chart
#   for one shape, once per process, with a placeholder, _slot("name"),
#   wherever a value depends on the figures (scale domains, tick counts, sort
#   orders, the labels listed in a condition, label placements, the title),
#   and a one-row stand-in, _table("role"), for each table of data. The
#   result is a _Template: the spec as a plain dict, slots and all.
# - The figures: the builder works out every value in plain Python, as it
#   always has, and _Template.fill puts them into a copy of the template,
#   in one walk over the dict. Each table gets the name Altair gives it (a
#   hash of its rows; equal tables are one table), so a spec is what Altair
#   would have built from the figures directly, to the byte.
#
# A slot receives the same kind of value for every chart of a shape (a
# domain is always two numbers; whether a label weight is a condition or a
# plain weight is part of the shape), so validate=True checks the first spec
# filled from each template: the shape, once. (The subtitle, a string or a
# list of lines, is valid either way.)

_SLOT = "\u2060slot:"  # WORD JOINER: in no label, name or expression of a chart


def _slot(name: str) -> str:
    """The placeholder for the value `name`, given to _Template.fill."""
    return _SLOT + name


def _table(role: str) -> alt.InlineData:
    """The stand-in for the table `role`, given to _Template.fill. Layers that
    share their data share one stand-in object (Altair moves data that every
    layer shares to the top level); stand-ins of one role are one table."""
    return alt.InlineData(values=[{_SLOT: role}])


def _table_name(rows: Any) -> str:
    """The name Altair gives a table in "datasets" (altair.vegalite.v6.api._dataset_name)."""
    if rows == [{}]:
        return "empty"
    text = json.dumps(rows, sort_keys=True, default=str)
    return "data-" + hashlib.sha256(text.encode()).hexdigest()[:32]


def _put(value: Any, slots: Mapping[str, Any]) -> Any:
    """A copy of value (plain dicts, lists and scalars), each string that is
    a key of slots replaced by a copy of its value."""
    kind = type(value)
    if kind is dict:
        return {k: _put(v, slots) for k, v in value.items()}
    if kind is list:
        return [_put(v, slots) for v in value]
    if kind is str and value in slots:
        return _plain(slots[value])
    return value


def _slots_in(value: Any) -> set[str]:
    """The names of the slots in value."""
    if isinstance(value, dict):
        return set().union(*map(_slots_in, value.values()))
    if isinstance(value, list):
        return set().union(*map(_slots_in, value))
    return {value[len(_SLOT):]} if isinstance(value, str) and value.startswith(_SLOT) else set()


class _Template:
    """A chart's spec for one shape, with slots for the figures.

    Made from the Altair chart with the top-level properties every chart
    shares (set on the dict, as Altair's .properties() would check them):
    description, title (with the subtitle), width and height, the house
    config, and params or resolve when given."""

    def __init__(self, chart: alt.LayerChart, *, params: list[dict[str, Any]] | None = None,
                 resolve: Mapping[str, Any] | None = None):
        body = chart.to_dict(validate=False)
        # Altair has moved the stand-in tables to "datasets"; the template
        # keeps their order (the order Altair gives the real tables) and a
        # slot where each one's name is used.
        stand_ins = body.pop("datasets")
        self.roles = tuple(rows[0][_SLOT] for rows in stand_ins.values())
        body = _put(body, {name: _slot(f"table:{rows[0][_SLOT]}") for name, rows in stand_ins.items()})
        spec: dict[str, Any] = {
            "$schema": body.pop("$schema"),
            "description": _slot("description"),
            "title": _slot("title"),
            # The plot's own width, from an estimate of what its axis labels
            # need, so that the whole chart comes out at about WIDTH. (autosize
            # "fit-x" would hit WIDTH exactly but makes Vega lay the chart out
            # twice: 10-30 ms more a chart, and the label placement here needs
            # the plot width anyway.)
            "width": _slot("width"),
            "height": _slot("height"),
        }
        if params:
            spec["params"] = params
        spec["config"] = _CONFIG
        body.pop("config", None)  # Altair's default view size; ours is the width and height
        spec.update(body)
        spec["datasets"] = _slot("datasets")
        if resolve:
            spec["resolve"] = resolve
        self.spec = _plain(spec)
        self.slots = frozenset(_slots_in(self.spec))
        self.validated = False

    def fill(
        self,
        tables: Mapping[str, list[dict[str, Any]]],
        values: Mapping[str, Any],
        *,
        title: str,
        subtitle: str | Sequence[str] | None,
        description: str,
        width: float,
        height: float,
        validate: bool,
    ) -> dict[str, Any]:
        """The spec for these figures: tables by role, the other values by
        slot name, and the top-level properties."""
        if tables.keys() != set(self.roles):
            raise ValueError(f"tables {sorted(tables)} for a template of {sorted(self.roles)}")
        names = {role: _table_name(rows) for role, rows in tables.items()}
        datasets = {}
        for role in self.roles:  # equal tables get one name, as in Altair
            datasets[names[role]] = tables[role]
        head: dict[str, Any] = {"text": title}
        if subtitle:
            head["subtitle"] = list(subtitle) if not isinstance(subtitle, str) else subtitle
        given = {
            "description": description, "title": head, "width": round(width), "height": height,
            "datasets": datasets, **{f"table:{role}": name for role, name in names.items()}, **values,
        }
        if given.keys() != self.slots:
            raise ValueError(f"slots {sorted(given)} for a template of {sorted(self.slots)}")
        spec = _put(self.spec, {_slot(name): value for name, value in given.items()})
        if validate and not self.validated:
            validate_spec(spec)
            self.validated = True
        return spec


_SHAPED: list[Any] = []  # the cache of every _shaped function, for _clear_templates()


def _shaped(make: Any) -> Any:
    """A template maker, cached by its arguments (the shape). Altair's debug
    mode checks every object against the schema as it is made, whatever
    validate= says, and a slot is rarely what the schema expects there: off."""

    @functools.lru_cache(maxsize=128)
    @functools.wraps(make)
    def template(**shape: Any) -> _Template:
        with alt.utils.schemapi.debug_mode(False):
            return make(**shape)

    _SHAPED.append(template)
    return template


def _clear_templates() -> None:
    """Forget every template (the next call of each shape builds it with Altair again)."""
    for template in _SHAPED:
        template.cache_clear()


@functools.cache
def _validator() -> Any:
    import jsonschema

    schema = alt.vegalite.v6.schema.core.load_schema()
    cls = jsonschema.validators.validator_for(schema)
    return cls(schema)


def validate_spec(spec: Mapping[str, Any]) -> None:
    """Raise ValueError unless spec is valid Vega-Lite for the version
    Altair ships (the version vl-convert renders with)."""
    import jsonschema

    error = jsonschema.exceptions.best_match(_validator().iter_errors(spec))
    if error is not None:
        where = "/".join(str(p) for p in error.absolute_path) or "(top level)"
        raise ValueError(f"invalid Vega-Lite spec at {where}: {error.message[:500]}")


def _plain(value: Any) -> Any:
    """A deep copy made only of dicts, lists and scalars (no shared objects)."""
    if type(value) in _SCALARS:
        return value
    if isinstance(value, Mapping):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    return value


_SCALARS = frozenset((str, int, float, bool, type(None)))


# --- small helpers -----------------------------------------------------------
def _label_axis(*, color: Any, inner: float, outer: float, padding: int) -> alt.Y:
    """The band axis of a horizontal bar chart: one row per unique key (slot
    "keys", in order), showing only the label part (slot "labels", see
    _key_labels), in the weight of slot "weight"."""
    return alt.Y(
        "key",
        type="nominal",
        sort=_slot("keys"),
        scale=alt.Scale(paddingInner=inner, paddingOuter=outer),
        axis=alt.Axis(title=None, labelExpr=_slot("labels"), labelFontSize=12, labelFontWeight=_slot("weight"),
                      labelColor=color, ticks=False, domain=False, labelPadding=padding),
    )


def _key_labels(width: int) -> str:
    """The labelExpr of _label_axis for keys numbered with `width` digits: the key less its number."""
    return f"slice(datum.label, {width + 1})"


def _pct_expr(field: str, fmt: str = ",.1f") -> str:
    """Vega expression: the row's "shown" text when it has one (the value as the page prints it, with
    only the digits its rounding supports: "37 %", "~38 %"), else the field as an Indonesian percent label."""
    return f"(isValid(datum.shown) ? datum.shown : format(datum['{field}'], '{fmt}') + ' %')"


_PCT_LABELS = "datum.label + ' %'"  # axis/legend labelExpr: "20" -> "20 %"


def _pct_axis(slot: str, **props: Any) -> alt.Axis:
    """A percent axis ("0 %, 10 %, …") without title or domain line; its tick count from the slot.
    Labels keep 6 px apart: where a narrow screen draws the chart narrower (site.js), Vega drops every
    other label instead of letting "40 %45 %" touch."""
    return alt.Axis(title=None, format=",.0f", labelExpr=_PCT_LABELS, tickCount=_slot(slot), domain=False,
                    labelSeparation=6, **props)


def _listed(keys: Sequence[str]) -> str:
    """Vega expression: the position of the axis label's value in keys (-1: not there)."""
    return f"indexof([{', '.join(json.dumps(k) for k in keys)}], datum.value)"


def _when_one_of(keys: Sequence[str], otherwise: Any = "normal", then: Any = "bold") -> Any:
    """A conditional axis label property: `then` for the labels in keys."""
    if not keys:
        return otherwise
    return {"condition": {"test": f"{_listed(keys)} >= 0", "value": then}, "value": otherwise}


def _nice_ceiling(value: float, step: float = 5.0) -> float:
    """The next multiple of step at or above value (45 for 42.2)."""
    return max(step, math.ceil(value / step - 1e-9) * step)


def _percent_domain_max(values: Iterable[float], *, headroom: float = 1.1) -> float:
    """The end of a percent axis: the largest value plus headroom, rounded
    up to a multiple of 5, never past 100."""
    top = max([0.0, *values]) * headroom
    return min(100.0, _nice_ceiling(top if top > 0 else 10.0))


def _percent_ticks(dmax: float) -> int:
    """About how many ticks a 0..dmax percent axis gets: every 5 % up to 50, then every 10 %."""
    return max(2, int(dmax // 5) if dmax <= 50 else int(dmax // 10))


def _text_px(text: str, size: float = 11) -> float:
    """Rough width of text in DejaVu Sans (0.6 em a character, a little
    generous for Indonesian names)."""
    return len(text) * size * 0.6


@functools.lru_cache(maxsize=4096)
def _fmt_percent(value: float) -> str:
    """An Indonesian number with two decimals ("24,86"), for labels fixed at
    build time (their width decides where they go)."""
    return format_decimal(value, format="#,##0.00", locale="id")


# Bold 11 px DejaVu Sans averages about 6.6 px a character; round up.
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
    import itertools

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


def _reference_layers(
    styles: Sequence[tuple[str, tuple[int, ...] | None]], *, bottom: float | str = "height"
) -> tuple[list[alt.Chart], list[alt.Chart]]:
    """Template layers for vertical reference rules, each with a label on its
    own line: styles[i] = (colour, dash or None) for reference i, drawn from
    table "ref{i}" and placed by the slots "ref{i}.*" (see _place_references).
    Rules run down to `bottom` (pixels or "height"). Returns (rule layers,
    label layers) so that callers can draw rules behind their bars and labels
    on top."""
    rules: list[alt.Chart] = []
    labels: list[alt.Chart] = []
    for i, (color, dash) in enumerate(styles):
        d = _table(f"ref{i}")
        x = alt.X("value", type="quantitative")
        rules.append(
            alt.Chart(d)
            .mark_rule(color=color, strokeWidth=2 if not dash else 1.5, strokeDash=list(dash or (1, 0)))
            .encode(x=x, y=alt.YValue(_slot(f"ref{i}.rule")), y2=alt.Y2Value(bottom))
        )
        labels.append(
            alt.Chart(d)
            .mark_text(
                align=_slot(f"ref{i}.align"),
                dx=_slot(f"ref{i}.dx"),
                baseline="middle",
                color=color,
                fontWeight="bold",
            )
            .encode(x=x, y=alt.YValue(_slot(f"ref{i}.y")), text=alt.Text("label", type="nominal"))
        )
    return rules, labels


def _place_references(
    refs: Sequence[Mapping[str, Any]], *, dmax: float, plot_px: float, top: float, line: float = 15,
) -> tuple[dict[str, Any], dict[str, Any]]:
    """The tables and slot values of _reference_layers for refs ({"value",
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


# --- target chart ------------------------------------------------------------
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
    targets = sorted(targets, key=lambda t: (_year_key(t["year"]), t["coverage"]))
    dmax = _percent_domain_max([coverage, *(t["coverage"] for t in targets)])
    plot_px = WIDTH - _PADDING
    current = [{"start": 0, "coverage": coverage, "label": "Cakupan", "shown": shown}]
    tables = {"track": [{"start": 0, "end": dmax}], "current": current}
    # The coverage value: inside the bar's end when the bar is long enough.
    inside = coverage >= dmax * 0.16
    values: dict[str, Any] = {
        "x.domain": [0, dmax],
        "x.ticks": _percent_ticks(dmax),
        "value.align": "right" if inside else "left",
        "value.dx": -6 if inside else 6,
        "value.color": "white" if inside else BLUE,
    }
    refs = [{"value": t["coverage"],
             "label": f"{_target_name(t['year'])}: {t.get('shown') or _fmt_percent(t['coverage']) + ' %'}"}
            for t in targets]
    ref_tables, ref_values = _place_references(refs, dmax=dmax, plot_px=plot_px, top=8 + _TARGET_LINE / 2,
                                               line=_TARGET_LINE)
    return _target_template(targets=len(targets)).fill(
        tables | ref_tables, values | ref_values, title=title, subtitle=subtitle, description=description,
        height=_target_bar_top(len(targets)) + _TARGET_BAR + 2, width=plot_px, validate=validate,
    )


@_shaped
def _target_template(*, targets: int) -> _Template:
    bar_top = _target_bar_top(targets)
    x_scale = alt.Scale(domain=_slot("x.domain"), nice=False, zero=True)
    x_axis = _pct_axis("x.ticks", grid=False, ticks=True, tickSize=4, offset=4, labelFlush=True)
    y_bar = alt.YValue(bar_top)
    y2_bar = alt.Y2Value(bar_top + _TARGET_BAR)

    track = (
        alt.Chart(_table("track"))
        .mark_rect(color=TRACK)
        .encode(
            x=alt.X("start", type="quantitative", scale=x_scale, axis=x_axis),
            x2=alt.X2("end"),
            y=y_bar,
            y2=y2_bar,
        )
    )
    bar = (
        alt.Chart(_table("current"))
        .transform_calculate(nilai=_pct_expr("coverage", ",.2f"))
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
        alt.Chart(_table("current"))
        .transform_calculate(nilai=_pct_expr("coverage", ",.2f"))
        .mark_text(
            align=_slot("value.align"),
            dx=_slot("value.dx"),
            baseline="middle",
            fontSize=14,
            fontWeight="bold",
            color=_slot("value.color"),
        )
        .encode(
            x=alt.X("coverage", type="quantitative"),
            y=alt.YValue(bar_top + _TARGET_BAR / 2),
            text=alt.Text("nilai", type="nominal"),
        )
    )
    rules, labels = _reference_layers([(TARGET, None)] * targets, bottom=bar_top + _TARGET_BAR + 4)
    return _Template(alt.layer(track, bar, value_label, *rules, *labels))


# --- ranking chart -------------------------------------------------------------
#: The ranking's top-level param: the name of the regency drawn as "this
#: one", or null. One spec serves every regency's page: the page sets it,
#: view.signal("sorot", name).runAsync(). Rows of unclear attribution are
#: never "this one", whatever their name.
SOROT = "sorot"
_THIS, _OTHER = "Kabupaten/kota ini", "Kabupaten/kota lain"
_IS_SOROT = f"!datum.ambiguous && datum.name === {SOROT}"  # a row of the ranking's table
# Plain comparisons and ternaries: vega-interpreter (the site's CSP has no unsafe-eval) runs them.
_GROUP = f"datum.ambiguous ? '{AMBIGUOUS_LABEL}' : (datum.name === {SOROT} ? '{_THIS}' : '{_OTHER}')"


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
    sorot = next((r["name"] for r in rows if r.get("highlight") and not r.get("ambiguous")), None)
    keys = [v["key"] for v in values]
    ambiguous_keys = [v["key"] for v in values if v["ambiguous"]]

    all_values = [v["coverage"] for v in values]
    refs: list[dict[str, Any]] = []
    styles: list[tuple[str, tuple[int, ...] | None]] = []
    if province is not None:
        all_values.append(province)
    for t in targets:
        all_values.append(t["coverage"])
    dmax = _percent_domain_max(all_values, headroom=1.08)
    if province is not None:
        refs.append({"value": province, "label": f"Provinsi {province_shown or _fmt_percent(province) + ' %'}"})
        styles.append((INK, None))
    for t in sorted(targets, key=lambda t: _year_key(t["year"])):
        refs.append({"value": t["coverage"], "label": _target_name(t["year"])})
        styles.append((TARGET, (5, 3)))

    # The axis label of the SOROT bar is bold: the key less its number is the name.
    chosen = f"slice(datum.value, {width + 1}) === {SOROT}"
    if ambiguous_keys:
        chosen += f" && {_listed(ambiguous_keys)} < 0"
    # Values sit inside the end of their bar, where no rule or grid line can
    # cross them; a bar too short for its value gets it just outside.
    name_px = max((_text_px(v["name"], 12) for v in values), default=0) + 6
    plot_px = WIDTH - _PADDING - name_px  # the chart's width less the names
    for v in values:
        v["inside"] = v["coverage"] / dmax * plot_px >= _text_px(v["shown"] or "00,0 %") + 10
        v["ink"] = MUTED if v["ambiguous"] and not v["inside"] else INK  # white inside the SOROT bar
    ref_tables, ref_values = _place_references(refs, dmax=dmax, plot_px=plot_px, top=-len(refs) * 15 - 2, line=15)
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
            "labels": _key_labels(width),
            "weight": {"condition": {"test": chosen, "value": "bold"}, "value": "normal"},
            "label.color": _when_one_of(ambiguous_keys, otherwise=INK, then=MUTED),
            "x.domain": [0, dmax],
            "x.ticks": _percent_ticks(dmax),
        } | ref_values,
        title=title, subtitle=subtitle, description=description,
        height=ROW_HEIGHT * max(1, len(values)), width=plot_px, validate=validate,
    )


@_shaped
def _ranking_template(
    *, references: tuple[tuple[str, tuple[int, ...] | None], ...], ambiguous: bool, labels_inside: bool,
    labels_outside: bool,
) -> _Template:
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
    y = _label_axis(color=_slot("label.color"), inner=0.25, outer=0.1, padding=6)
    x = alt.X(
        "coverage",
        type="quantitative",
        scale=alt.Scale(domain=_slot("x.domain"), nice=False),
        axis=_pct_axis("x.ticks", grid=True, ticks=False, orient="bottom"),
    )
    tooltip = [
        alt.Tooltip("name", type="nominal", title="Kabupaten/kota"),
        alt.Tooltip("nilai", type="nominal", title="Cakupan"),
    ]
    if ambiguous:
        tooltip.append(alt.Tooltip("note", type="nominal", title="Catatan"))
    base = alt.Chart(_table("rows")).transform_calculate(nilai=_pct_expr("coverage", ",.1f"))
    bars = base.transform_calculate(group=_GROUP).mark_bar(strokeWidth=1).encode(
        x=x,
        y=y,
        color=alt.Color(
            "group",
            type="nominal",
            scale=alt.Scale(domain=groups, range=[palette[g] for g in groups]),
            legend=legend,
        ),
        stroke=alt.Stroke("stroke", type="nominal", scale=None),
        strokeDash=alt.StrokeDash("dash", type="nominal", scale=None),
        tooltip=tooltip,
    )
    labels = [
        base.transform_filter("datum.inside" if inside else "!datum.inside")
        .mark_text(
            align="right" if inside else "left",
            dx=-5 if inside else 4,
            baseline="middle",
            fontSize=11,
        )
        .encode(
            x=alt.X("coverage", type="quantitative"),
            y=alt.Y("key", type="nominal", sort=_slot("keys")),
            text=alt.Text("nilai", type="nominal"),
            color=alt.Color(
                "ink", type="nominal", scale=None,
                # White on the dark bar; a value outside its bar stays ink.
                condition={"test": _IS_SOROT, "value": "white"} if inside else alt.Undefined,
            ),
            tooltip=tooltip,
        )
        for inside, present in ((True, labels_inside), (False, labels_outside))
        if present
    ]
    rules, ref_labels = _reference_layers(references)
    return _Template(alt.layer(*rules, bars, *labels, *ref_labels),
                     params=[{"name": SOROT, "value": _slot("sorot")}])


def _year_key(year: int | None) -> tuple[bool, int]:
    return (year is None, year or 0)  # a target without a year (the source gave none) last


def _target_name(year: int | None) -> str:
    return f"Target {year}" if year is not None else "Target (tahun tidak disebut)"


# --- history chart -------------------------------------------------------------
def _parse_date(s: str) -> _dt.date:
    return _dt.date.fromisoformat(s)


def _dt_param(d: _dt.date) -> dict[str, Any]:
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
    dates = [_parse_date(v["date"]) for v in values] + [_parse_date(t["date"]) for t in trows]
    first, last = min(dates), max(dates)
    span_days = max(1, (last - first).days)
    pad = _dt.timedelta(days=max(30, round(span_days * 0.05)))
    months = span_days / 30.4
    step = 1 if months <= 8 else 3 if months <= 36 else 6 if months <= 72 else 12
    dmax = _percent_domain_max(
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
            "x.domain": [_dt_param(first - pad), _dt_param(last + pad)],
            "x.step": step,
            "y.domain": [0, dmax],
            "y.ticks": max(2, int(dmax // 10)),
        },
        title=title, subtitle=subtitle, description=description,
        # The plot: the chart less the y axis labels ("40 %") on the left.
        height=height, width=WIDTH - _PADDING - _text_px("100 %") - 8, validate=validate,
    )


@_shaped
def _history_template(*, decimals: int, monthly: bool, legend: bool, last: bool, targets: bool) -> _Template:
    # Monthly ticks: "Jan 2024, Apr, Jul, Okt, Jan 2025", the year on the
    # first label and where it changes; else only years, each label to the
    # right of its tick (1 January), over the year it names, so a target at
    # the end of 2025 sits at the end of "2025", not under "2026"; a label
    # that would run past the plot is left out.
    x = alt.X(
        "date",
        type="temporal",
        scale=alt.Scale(type="utc", domain=_slot("x.domain"), nice=False),
        axis=alt.Axis(
            title=None,
            format="%b %Y" if monthly else "%Y",  # the utc scale makes Vega format in UTC
            labelExpr="datum.index == 0 || utcmonth(datum.value) == 0"
            " ? datum.label : utcFormat(datum.value, '%b')"
            if monthly
            else alt.Undefined,
            tickCount=alt.TimeIntervalStep(interval="month", step=_slot("x.step")),
            grid=False,
            labelOverlap=True,
            labelFlush=False,
            labelAlign=alt.Undefined if monthly else "left",
            labelBound=alt.Undefined if monthly else True,
        ),
    )
    y = alt.Y(
        "coverage",
        type="quantitative",
        scale=alt.Scale(domain=_slot("y.domain"), nice=False),
        axis=_pct_axis("y.ticks", ticks=False),
    )
    # formatType "utc" would compile to a call of Vega's utc() constructor;
    # a utc time unit makes Vega-Lite use utcFormat instead.
    date_tt = alt.Tooltip("tanggal", type="nominal", title="Tanggal")  # as precise as the data: a day, a month
    # a target's deadline is a day: the end of its year
    deadline_tt = alt.Tooltip("date", type="temporal", timeUnit="utcyearmonthdate", title="Tanggal",
                              format="%-d %B %Y")
    base = alt.Chart(_table("points")).transform_calculate(nilai=_pct_expr("coverage", f",.{decimals}f"))
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
    layers: list[alt.Chart] = [line, dots]

    # The first value label starts at its point, the last ends at its point,
    # so neither runs into the axis or off the chart.
    for role, align in [("first", "left")] + ([("last", "right")] if last else []):
        layers.append(
            alt.Chart(_table(role))
            .transform_calculate(nilai=_pct_expr("coverage", f",.{decimals}f"))
            .mark_text(align=align, dx=-6 if align == "left" else 6, dy=-10,
                       baseline="bottom", fontWeight="bold", color=BLUE, fontSize=12)
            .encode(
                x=alt.X("date", type="temporal"),
                y=alt.Y("coverage", type="quantitative"),
                text=alt.Text("nilai", type="nominal"),
            )
        )

    if targets:
        tdata = _table("targets")
        tcalc = {"label": "'Target ' + datum.year + ': ' + " + _pct_expr("coverage", f",.{decimals}f")}
        layers.append(
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
        layers.append(
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
    return _Template(alt.layer(*layers))


# --- tile map ------------------------------------------------------------------
# Vega's "blues" scheme (vega-scale schemes.js), which Vega interpolates
# linearly in RGB; used here only to pick a readable text colour per tile.
_BLUES = [
    "#cfe1f2", "#bed8ec", "#a8cee5", "#8fc1de", "#74b2d7", "#5ba3cf",
    "#4592c6", "#3181bd", "#206fb2", "#125ca4", "#0a4a90",
]


def _blues(t: float) -> tuple[float, float, float]:
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


def _ink_on(rgb: Sequence[float]) -> str:
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
    validate: bool = True,
) -> dict[str, Any]:
    """A tile-grid map: one square per regency at (x, y), y growing
    downwards, filled by coverage ("blues"; light grey, dashed, "tanpa data"
    when there is no figure), with the short name and the value inside."""
    ncols = max(r["x"] for r in rows) + 1
    nrows = max(r["y"] for r in rows) + 1
    known = [r["coverage"] for r in rows if r.get("coverage") is not None]
    dmax = _nice_ceiling(max(known), 5.0) if known else 10.0
    dmax = min(100.0, dmax)
    if cell is None:
        cell = min(112, (WIDTH - 40) // ncols)
    gap = 0.04
    values = []
    for r in rows:
        cov = r.get("coverage")
        values.append(
            {
                "name": r["name"],
                "short": _wrap_short(r["short"]),
                "x0": r["x"] + gap,
                "x1": r["x"] + 1 - gap,
                "y0": r["y"] + gap,
                "y1": r["y"] + 1 - gap,
                "cx": r["x"] + 0.5,
                "cy": r["y"] + 0.5,
                "coverage": cov,
                "shown": r.get("shown"),
                "status": "ada" if cov is not None else NO_DATA_LABEL,
                "lines": _wrap_short(r["short"]).count("\n") + 1,
                "ink": INK if cov is None else _ink_on(_blues(cov / dmax)),
                "size": 10 if cov is None else 13,  # font size of the value line
            }
        )
    template = _tile_template(legend=bool(known), missing=any(v["coverage"] is None for v in values))
    return template.fill(
        {"tiles": values},
        {"x.domain": [0, ncols], "y.domain": [0, nrows], "color.domain": [0, dmax]},
        title=title, subtitle=subtitle, description=description,
        width=cell * ncols, height=cell * nrows, validate=validate,
    )


@_shaped
def _tile_template(*, legend: bool, missing: bool) -> _Template:
    x_scale = alt.Scale(domain=_slot("x.domain"), nice=False, zero=False)
    y_scale = alt.Scale(domain=_slot("y.domain"), nice=False, zero=False, reverse=True)
    x = alt.X("x0", type="quantitative", scale=x_scale, axis=None)
    y = alt.Y("y0", type="quantitative", scale=y_scale, axis=None)
    base = alt.Chart(_table("tiles")).transform_calculate(
        nilai=f"datum.coverage == null ? '{NO_DATA_LABEL}' : " + _pct_expr("coverage", ",.1f")
    )
    tooltip = [
        alt.Tooltip("name", type="nominal", title="Kabupaten/kota"),
        alt.Tooltip("nilai", type="nominal", title="Cakupan"),
    ]
    filled = base.transform_filter("datum.coverage != null").mark_rect().encode(
        x=x,
        x2=alt.X2("x1"),
        y=y,
        y2=alt.Y2("y1"),
        color=alt.Color(
            "coverage",
            type="quantitative",
            scale=alt.Scale(
                scheme="blues",
                domain=_slot("color.domain"),
                nice=False,
            ),
            legend=alt.Legend(
                title="Cakupan",
                orient="bottom",
                direction="horizontal",
                format=",.0f",
                labelExpr=_PCT_LABELS,
                gradientLength=220,
                gradientThickness=12,
                tickCount=5,
            )
            if legend
            else None,
        ),
        tooltip=tooltip,
    )
    layers: list[alt.Chart] = [filled]
    if missing:
        layers.append(
            base.transform_filter("datum.coverage == null")
            .mark_rect(stroke=RULE, strokeDash=[3, 2], strokeWidth=1)
            .encode(
                x=x,
                x2=alt.X2("x1"),
                y=y,
                y2=alt.Y2("y1"),
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
    text_color = alt.Color("ink", type="nominal", scale=None)
    layers.append(
        base.mark_text(
            baseline="bottom",
            fontWeight="bold",
            fontSize=12,
            lineBreak="\n",
            # Vega grows multi-line text downwards; lift it by the extra lines.
            dy=alt.ExprRef("-1 - (datum.lines - 1) * 14"),
        )
        .encode(
            x=alt.X("cx", type="quantitative"),
            y=alt.Y("cy", type="quantitative"),
            text=alt.Text("short", type="nominal"),
            color=text_color,
            tooltip=tooltip,
        )
    )
    layers.append(
        base.mark_text(baseline="top", dy=3)
        .encode(
            x=alt.X("cx", type="quantitative"),
            y=alt.Y("cy", type="quantitative"),
            text=alt.Text("nilai", type="nominal"),
            color=text_color,
            size=alt.Size("size", type="quantitative", scale=None),
            tooltip=tooltip,
        )
    )
    return _Template(alt.layer(*layers), resolve={"scale": {"color": "independent"}})


# --- change chart ----------------------------------------------------------------
def change_chart(
    parts: Sequence[Mapping[str, Any]],
    *,
    title: str,
    description: str,
    subtitle: str | Sequence[str] | None = None,
    validate: bool = True,
) -> dict[str, Any]:
    """Diverging bars explaining a change in coverage, in percentage points:
    rises in blue, falls in vermillion, each labelled with its sign
    ("+0,99 poin", "−2,92 poin"). A part with "total": True (or, when no part
    says so, one labelled "Perubahan total") is set apart in bold."""
    flagged = any("total" in p for p in parts)
    width = len(str(len(parts)))
    values = []
    for i, p in enumerate(parts):
        if flagged:
            total = bool(p.get("total"))
        else:
            total = p["label"].strip().lower() == "perubahan total"
        values.append(
            {
                "key": f"{i:0{width}d} {p['label']}",
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
    name_px = max((_text_px(v["label"], 12) for v in values), default=0) + 8
    plot_px = WIDTH - _PADDING - name_px
    label_px = max((_text_px(f"{v['points']:+.2f} poin", 12) for v in values), default=0) + 8
    sides = (lo < 0) + (hi > 0)
    room = label_px * span / max(plot_px - sides * label_px, plot_px / 3)
    domain = [lo - (room if lo < 0 else 0), hi + (room if hi > 0 else 0)]
    return _change_template(total=bool(total_keys)).fill(
        {"parts": values, "zero": [{"zero": 0}]},
        {"keys": keys, "labels": _key_labels(width), "weight": _when_one_of(total_keys), "x.domain": domain},
        title=title, subtitle=subtitle, description=description,
        height=34 * max(1, len(values)), width=plot_px, validate=validate,
    )


@_shaped
def _change_template(*, total: bool) -> _Template:
    # (total: whether a part is set apart, making the label weight a condition.)
    y = _label_axis(color=INK, inner=0.3, outer=0.15, padding=8)
    x = alt.X(
        "points",
        type="quantitative",
        scale=alt.Scale(domain=_slot("x.domain"), nice=False, zero=True),
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
    base = alt.Chart(_table("parts")).transform_calculate(nilai=label_expr)
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
        alt.Chart(_table("zero"))
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
                y=alt.Y("key", type="nominal", sort=_slot("keys")),
                text=alt.Text("nilai", type="nominal"),
                tooltip=tooltip,
            )
        )
    return _Template(alt.layer(bars, zero, *text_layers))


# --- rendering ---------------------------------------------------------------------
# Vega numbers gradients and clip paths with counters that live as long as
# the rendering process ("gradient_0", then "gradient_1" for the next chart),
# so the same spec would give different bytes depending on what was drawn
# before it. render_svg renames them after the spec: stable, and unique
# between different charts inlined into one page.
_SVG_IDS = re.compile(r'(id="|url\(#)((?:p_)?gradient_\d+|clip\d+)\b')


def _stable_ids(svg: str, spec: Mapping[str, Any]) -> str:
    tag = hashlib.sha256(
        json.dumps(spec, sort_keys=True, ensure_ascii=False).encode("utf-8")
    ).hexdigest()[:10]
    names: dict[str, str] = {}

    def rename(m: re.Match[str]) -> str:
        old = m.group(2)
        kind = "clip" if old.startswith("clip") else "gradient"
        new = names.setdefault(old, f"{kind}-{tag}-{len(names)}")
        return m.group(1) + new

    return _SVG_IDS.sub(rename, svg)


def render_svg(spec: Mapping[str, Any]) -> str:
    """The chart as an SVG document, numbers and dates in Indonesian; the
    same spec gives the same bytes, whatever was rendered before."""
    svg = vl_convert.vegalite_to_svg(
        dict(spec),
        vl_version=VL_VERSION,
        format_locale=LOCALE,
        time_format_locale=TIME_LOCALE,
    )
    from generator.charts import darkmode  # (which reads this module's colours)

    return darkmode.with_dark_scheme(_stable_ids(svg, spec))


def render_png(spec: Mapping[str, Any], *, scale: float = 2) -> bytes:
    """The chart as PNG bytes (scale 2: sharp on high-density screens)."""
    return vl_convert.vegalite_to_png(
        dict(spec),
        vl_version=VL_VERSION,
        scale=scale,
        format_locale=LOCALE,
        time_format_locale=TIME_LOCALE,
    )


def png_from_svg(svg: str, *, scale: float = 2) -> bytes:
    """The PNG of an SVG already rendered: the same bytes as render_png, without running Vega twice."""
    return vl_convert.svg_to_png(svg, scale=scale)


@functools.cache
def javascript_bundle() -> str:
    """Vega, Vega-Lite and vega-embed as one plain script (about 900 KB).

    It defines window.vegaEmbed (window.vega and window.vegaLite stay null);
    serve it once and call vegaEmbed(el, spec, {formatLocale: LOCALE,
    timeFormatLocale: TIME_LOCALE, actions: false}).

    Making it costs vl-convert about a second, so it is kept in the user's
    cache folder, one file per vl-convert and Vega-Lite version."""
    from importlib.metadata import version

    cache = cache_dir() / f"vega-bundle-{version('vl-convert-python')}-{VL_VERSION}.js"
    try:
        return cache.read_text(encoding="utf-8")
    except OSError:
        pass
    bundle = vl_convert.javascript_bundle(vl_version=VL_VERSION)
    try:
        cache.parent.mkdir(parents=True, exist_ok=True)
        partial = cache.with_suffix(f".{os.getpid()}.tmp")
        partial.write_text(bundle, encoding="utf-8")
        partial.replace(cache)
    except OSError:
        pass  # no cache folder: just slower next time
    return bundle


def cache_dir() -> Path:
    """Where cakupan keeps what is costly to make: $CAKUPAN_CACHE_DIR, else the XDG cache folder."""
    if os.environ.get("CAKUPAN_CACHE_DIR"):
        return Path(os.environ["CAKUPAN_CACHE_DIR"])
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "cakupan"


def versions() -> dict[str, str]:
    """The JavaScript library versions the charts are drawn with."""
    vl = VL_VERSION or vl_convert.get_vegalite_versions()[-1]
    schema = alt.SCHEMA_VERSION.lstrip("v")
    return {
        "vega": vl_convert.get_vega_version(),
        "vega-lite": schema if schema.startswith(vl + ".") else vl,
        "vega-embed": vl_convert.get_vega_embed_version(),
    }

"""Link-preview cards laid out and drawn: where each text and bar of a Card goes on the 1200x630
canvas, the SVG from templates/card.svg and its PNG by vl-convert (the rules: generator/site/card.py).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field, replace
from pathlib import Path

import jinja2

from generator.charts import theme as _theme  # noqa: F401  (first: it pins fontconfig before vl_convert loads fonts)

import vl_convert

from generator.charts import png
from generator.site.card import BAR_FILL, BLUE, GREY, HEIGHT, LIGHT_BLUE, WIDTH, Card
from generator.site.card_text import CAP, DESCENT, Fit, clean, ellipsize, fit_text, text_width

__all__ = ["card_svg", "card_png", "layout"]


# --- layout --------------------------------------------------------------------
# Everything is centred on x = 600. The place and the figure stay inside the
# central square (x 285..915, what a square crop keeps); the chart and the
# footer may use the full width.
_CX = WIDTH / 2
_SAFE = 600  # width for the place and the figure
_TEXT = 1000  # width for kicker, label and date
_TITLE = 800  # width for the title of a card without a figure
_MARGIN = 48
_RULE = 8  # the coloured rule on top
_FOOTER_RULE = 570  # hairline above the footer
_FOOTER_BASE = 604
_CHART_GAP = 26  # between the text block and the chart
_FOOTER_GAP = 18  # between the chart and the footer rule


def _n(x: float) -> str:
    """A coordinate for the SVG: at most one decimal, no exponent, no "-0"."""
    text = f"{round(x, 1):.1f}".rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


@dataclass(frozen=True)
class _Line:
    text: str
    y: str
    extra: str = ""  # the date, in its own colour, when it shares the label's line


@dataclass(frozen=True)
class _Block:
    """A text of one or more centred lines at one size."""

    size: str
    lines: tuple[_Line, ...]


@dataclass
class _Stack:
    """Text blocks placed from the top down; `y` is the bottom of the last one."""

    y: float
    blocks: dict[str, _Block | None] = field(default_factory=dict)

    def add(self, key: str, fit: Fit, gap: float, leading: float = 1.12) -> None:
        if not fit.lines:
            self.blocks[key] = None
            return
        base = self.y + gap + CAP * fit.size
        lines = []
        for i, text in enumerate(fit.lines):
            lines.append(_Line(text, _n(base + i * leading * fit.size)))
        self.blocks[key] = _Block(_n(fit.size), tuple(lines))
        self.y = base + (len(fit.lines) - 1) * leading * fit.size + DESCENT * fit.size


def _fit_figure(figure: str, size: float) -> Fit:
    """The figure on one line, as large as fits: a number is never wrapped
    or shortened, only made smaller."""
    figure = clean(figure)
    if not figure:
        return Fit(size, ())
    return Fit(min(size, math.floor(_SAFE / text_width(figure, 1, bold=True))), (figure,))


_DOT = "\u2003\u00b7\u2003"  # between the label and the date on one line (em spaces)


def _text_block(card: Card, scale: float, titled: bool, together: bool = False) -> _Stack:
    """Kicker, place, figure, label and date, at `scale` of their full size.
    A card without a figure (titled) makes the place its title, larger.
    `together` puts the label and the date on one line, if they fit there."""
    stack = _Stack(y=_RULE)
    stack.add("kicker", fit_text(card.kicker, _TEXT, 20, 14, bold=True, spacing=2.0), gap=34)
    if titled:
        # A page title is longer than a place name and is the whole card: wider.
        stack.add("place", fit_text(card.place, _TITLE, 84 * scale, 36, bold=True, lines=2), gap=34 * scale)
        stack.blocks["figure"] = None
        stack.add("label", fit_text(card.label, _TEXT, 30 * scale, 20, lines=2), gap=26 * scale, leading=1.3)
        stack.add("date", fit_text(card.date_line, _TEXT, 22 * scale, 16), gap=12 * scale)
        return stack
    stack.add("place", fit_text(card.place, _SAFE, 60 * scale, 34 * scale, bold=True, lines=2), gap=22 * scale)
    stack.add("figure", _fit_figure(card.figure, 150 * scale), gap=20 * scale)
    label, date = clean(card.label), clean(card.date_line)
    if together and label and date:
        both = fit_text(label + _DOT + date, _TEXT, 24 * scale, 17)
        if both.lines == (label + _DOT + date,):
            stack.add("label", Fit(both.size, (label,)), gap=16 * scale)
            block = stack.blocks["label"]
            assert block is not None
            stack.blocks["label"] = _Block(block.size, (_Line(label, block.lines[0].y, _DOT + date),))
            stack.blocks["date"] = None
            return stack
    stack.add("label", fit_text(label, _TEXT, 28 * scale, 18, lines=1), gap=16 * scale)
    stack.add("date", fit_text(date, _TEXT, 22 * scale, 16), gap=12 * scale)
    return stack


@dataclass(frozen=True)
class _Bar:
    name: str
    style: str
    fill: str
    bold: bool
    y: str  # top of the bar
    height: str
    width: str
    text_y: str


@dataclass(frozen=True)
class _Bars:
    size: str  # font size of the names
    name_x: str  # right edge of the names
    x: str  # left edge of the bars (the zero line)
    axis_top: str
    axis_bottom: str
    rows: tuple[_Bar, ...]


@dataclass(frozen=True)
class _Target:
    label: str
    x: str  # the tick
    label_x: str  # the middle of the label
    tick_top: str
    tick_bottom: str
    text_y: str


@dataclass(frozen=True)
class _Progress:
    x: str
    y: str
    width: str
    height: str
    right: str  # x + width
    middle: str  # baseline for the "0" and "100 %" at the ends
    fill_width: str
    size: str
    targets: tuple[_Target, ...]


_BAR_ROW_MAX = 26.0  # row height of the bar chart, at most
_BAR_ROW_MIN = 16.0  # the text shrinks (down to _MIN_SCALE) to give rows this much
_BAR_ROW_LEAST = 11.0  # below this, too many bars: an error
_MIN_SCALE = 0.8
_BARS_WIDTH = 820  # names and bars together
_NAME_MAX = 300


def _bars(card: Card, top: float, bottom: float) -> _Bars:
    n = len(card.bars)
    row = min(_BAR_ROW_MAX, (bottom - top) / n)
    size = max(10.0, min(17.0, row * 0.7))
    names = [ellipsize(clean(name), _NAME_MAX, size, style == "highlight") for name, _, style in card.bars]
    name_w = max(text_width(t, size, style == "highlight") for t, (_, _, style) in zip(names, card.bars))
    gap = 12
    bars_w = _BARS_WIDTH - name_w - gap
    left = _CX - _BARS_WIDTH / 2
    zero = left + name_w + gap
    # The longest bar ends at 95 % of the width: the chart compares places with
    # one another, so its scale starts at zero and has no numbers on it.
    scale = bars_w * 0.95 / max(max(v for _, v, _ in card.bars), 1e-9)
    y0 = top + (bottom - top - n * row) / 2
    rows = []
    for i, ((_, value, style), name) in enumerate(zip(card.bars, names)):
        y = y0 + i * row
        h = row * 0.72
        rows.append(_Bar(name=name, style=style, fill=BAR_FILL[style], bold=style == "highlight",
                         y=_n(y + (row - h) / 2), height=_n(h), width=_n(max(value * scale, 0.0)),
                         text_y=_n(y + row / 2 + 0.36 * size)))
    return _Bars(size=_n(size), name_x=_n(zero - gap), x=_n(zero), axis_top=_n(y0),
                 axis_bottom=_n(y0 + n * row), rows=tuple(rows))


_PROGRESS_WIDTH = 860
_PROGRESS_HEIGHT = 36
_TARGET_SIZE = 18
_TARGET_ROW = 26  # one row of target labels
_TARGET_PAD = 14  # between two labels in a row


@dataclass(frozen=True)
class _Slot:
    label: str
    tick: float  # from the left end of the bar
    start: float  # of the label, same origin
    end: float
    side: int  # 1 below the bar, -1 above
    row: int  # 0 = nearest the bar


def _target_slots(card: Card) -> list[_Slot]:
    """Where each target's label goes. Labels are centred on their tick
    (pushed inward at the ends of the bar) and take, in this order, the first
    free row of: below the bar, above it, second row below, second above...
    A row is free if the label overlaps no label in it and, further out, if
    its tick line (which runs out to it) crosses no label nearer the bar and
    it covers no tick line running past it."""
    assert card.progress is not None
    slots: list[_Slot] = []
    targets = sorted(card.progress[1], key=lambda t: (t[1], t[0]))
    for label, value in targets:
        label = ellipsize(clean(label), 360, _TARGET_SIZE, False)
        tick = _PROGRESS_WIDTH * value / 100
        w = text_width(label, _TARGET_SIZE)
        start = min(max(tick - w / 2, 0.0), _PROGRESS_WIDTH - w)
        end = start + w
        for strict in (True, False):
            for k in range(2 * len(targets)):
                side, row = (1 if k % 2 == 0 else -1), k // 2
                if _slot_free(slots, side, row, tick, start, end, strict):
                    break
            else:
                continue
            break
        slots.append(_Slot(label, tick, start, end, side, row))
    return slots


def _slot_free(slots: list[_Slot], side: int, row: int, tick: float, start: float, end: float,
               strict: bool) -> bool:
    for s in slots:
        if s.side != side:
            continue
        if s.row == row and s.start < end + _TARGET_PAD and start < s.end + _TARGET_PAD:
            return False
        if strict and s.row < row and s.start - 4 <= tick <= s.end + 4:
            return False
        if strict and s.row > row and start - 4 <= s.tick <= end + 4:
            return False
    return True


def _progress_rows(slots: list[_Slot]) -> tuple[int, int]:
    """How many rows of labels above and below the bar."""
    above = 1 + max((s.row for s in slots if s.side < 0), default=-1)
    below = 1 + max((s.row for s in slots if s.side > 0), default=-1)
    return above, below


def _progress_height(card: Card) -> float:
    above, below = _progress_rows(_target_slots(card))
    return _PROGRESS_HEIGHT + (above + below) * _TARGET_ROW + 10 * bool(above) + 10 * bool(below)


def _progress(card: Card, top: float, bottom: float) -> _Progress:
    assert card.progress is not None
    coverage, _ = card.progress
    slots = _target_slots(card)
    above, below = _progress_rows(slots)
    x = _CX - _PROGRESS_WIDTH / 2
    y = top + (bottom - top - _progress_height(card)) / 2 + above * _TARGET_ROW + 10 * bool(above)
    bar_bottom = y + _PROGRESS_HEIGHT
    size = _TARGET_SIZE
    targets = []
    for s in slots:
        if s.side > 0:
            text_y = bar_bottom + 10 + CAP * size + s.row * _TARGET_ROW
            tick_top, tick_bottom = y - 3, text_y - CAP * size - 4
        else:
            text_y = y - 10 - DESCENT * size - s.row * _TARGET_ROW
            tick_top, tick_bottom = text_y + DESCENT * size + 3, bar_bottom + 3
        targets.append(_Target(label=s.label, x=_n(x + s.tick), label_x=_n(x + (s.start + s.end) / 2),
                               tick_top=_n(tick_top), tick_bottom=_n(tick_bottom), text_y=_n(text_y)))
    return _Progress(x=_n(x), y=_n(y), width=_n(_PROGRESS_WIDTH), height=_n(_PROGRESS_HEIGHT),
                     right=_n(x + _PROGRESS_WIDTH), middle=_n(y + _PROGRESS_HEIGHT / 2 + 0.36 * 17),
                     fill_width=_n(_PROGRESS_WIDTH * coverage / 100), size=_n(size),
                     targets=tuple(targets))


def layout(card: Card) -> dict:
    """The numbers the template needs: every position and size, in px."""
    titled = not clean(card.figure)
    chart = "bars" if card.bars else "progress" if card.progress is not None else None
    chart_bottom = _FOOTER_RULE - _FOOTER_GAP
    # What the chart would like, and what it cannot do without.
    if chart == "bars":
        want, need = len(card.bars) * _BAR_ROW_MIN, len(card.bars) * _BAR_ROW_LEAST
    elif chart == "progress":
        want = need = _progress_height(card)
    else:
        want = need = 0.0
    # The text shrinks until the chart has the room it wants, but not below
    # 80 %: the place and the figure matter more than the chart. Next the
    # label and the date share a line; only a chart that would not fit at all
    # takes the text down to 70 %.
    tries = [(False, s / 100) for s in range(100, 75, -5)] + [(True, s / 100) for s in range(100, 65, -5)]
    for together, scale in tries:
        stack = _text_block(card, scale, titled, together)
        room = chart_bottom - (stack.y + _CHART_GAP)
        if chart is None or room >= want or (together and scale <= _MIN_SCALE and room >= need):
            break
    else:
        what = f"{len(card.bars)} bars" if chart == "bars" else f"the labels of {len(card.progress[1])} targets"
        raise ValueError(f"card for {card.place!r}: {what} do not fit under the text "
                         "(fewer rows or shorter labels)")
    context: dict = {"blocks": stack.blocks, "bars": None, "progress": None}
    top = stack.y + _CHART_GAP
    if chart == "bars":
        context["bars"] = _bars(card, top, chart_bottom)
    elif chart == "progress":
        context["progress"] = _progress(card, top, chart_bottom)
    else:
        # No chart: centre the text block between the rule and the footer
        # (a little above the middle).
        shift = (_FOOTER_RULE - stack.y) / 2 - 10
        if shift > 0:
            context["blocks"] = {k: _shift(b, shift) for k, b in stack.blocks.items()}
    foot_size = 18
    source = fit_text(card.source_line, 860, foot_size, 13)
    context["footer"] = {"rule": _n(_FOOTER_RULE), "y": _n(_FOOTER_BASE), "size": _n(source.size),
                         "source": source.lines[0] if source.lines else "",
                         "left": _n(_MARGIN), "right": _n(WIDTH - _MARGIN)}
    context["width"], context["height"], context["cx"], context["rule"] = WIDTH, HEIGHT, _n(_CX), _RULE
    context["colors"] = {"blue": BLUE, "light": LIGHT_BLUE, "grey": GREY}
    return context


def _shift(block: _Block | None, dy: float) -> _Block | None:
    if block is None:
        return None
    return _Block(block.size, tuple(replace(line, y=_n(float(line.y) + dy)) for line in block.lines))


# --- rendering -----------------------------------------------------------------
_ENVIRONMENTS: dict[Path, jinja2.Environment] = {}


def _environment(templates: Path) -> jinja2.Environment:
    key = Path(templates).resolve()
    env = _ENVIRONMENTS.get(key)
    if env is None:
        env = jinja2.Environment(loader=jinja2.FileSystemLoader(key), autoescape=True,
                                 undefined=jinja2.StrictUndefined, keep_trailing_newline=True)
        _ENVIRONMENTS[key] = env
    return env


def card_svg(card: Card, templates: Path) -> str:
    """The card as an SVG document (1200x630), from templates/card.svg."""
    context = layout(card)
    context["title"] = " \u2014 ".join(t for t in (clean(card.place), clean(card.figure)) if t)
    return _environment(templates).get_template("card.svg").render(context)


def card_png(svg: str) -> bytes:
    """The SVG as a PNG, pixel for pixel (scale 1: 1200x630; packed tighter: png.compact)."""
    return png.compact(vl_convert.svg_to_png(svg, scale=1))

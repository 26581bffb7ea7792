"""Link-preview cards: one 1200x630 PNG per page, for Open Graph and Twitter.

Why this module exists: a link to the site is mostly read inside WhatsApp,
Telegram, X or Facebook, where the page's og:image is all a reader sees
before deciding to open it. A generic logo says nothing; a card that shows
the place, the headline figure, the date and a small chart says the story at
a glance. The cards are drawn here, at build time, from plain values the
page already has (so they agree with the page), as an SVG from
templates/card.svg, turned into a PNG by vl-convert (already a dependency,
for the charts), with no browser and no network.

Design rules:
- the place and the figure are centred and kept inside the middle 630 px, so
  a square thumbnail cropped from the centre (WhatsApp) still shows them;
- every text is measured with DejaVu Sans' own advance widths (the table
  below), shrunk, wrapped or shortened to fit, and stacked from the top; the
  chart gets the space left under the text, so text never overlaps it;
- this module never formats a number: the caller passes the figure already
  written in Indonesian (Babel, generator.fmt); the chart carries no numbers;
- pure and deterministic: the same Card gives the same SVG and PNG bytes.
"""

from __future__ import annotations

import math
import re
import unicodedata
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Literal

import jinja2

from generator.charts import theme as _theme  # noqa: F401  (first: it pins fontconfig before vl_convert loads fonts)

import vl_convert

__all__ = ["Card", "card_svg", "card_png", "layout", "text_width", "WIDTH", "HEIGHT", "BLUE", "LIGHT_BLUE", "GREY"]

WIDTH, HEIGHT = 1200, 630
BLUE = "#0b5fa5"
LIGHT_BLUE = "#9CC3E0"
GREY = "#D9D9D9"

Style = Literal["highlight", "normal", "ambiguous"]
_STYLES = ("highlight", "normal", "ambiguous")
_BAR_FILL = {"highlight": BLUE, "normal": LIGHT_BLUE, "ambiguous": GREY}


@dataclass(frozen=True)
class Card:
    """What one card says. Percent values are in percent units (24.86 means 24,86 %)."""

    kicker: str
    place: str
    figure: str  # already formatted ("24,86 %"); "" for a page without a figure
    label: str
    date_line: str
    source_line: str
    bars: tuple[tuple[str, float, Style], ...] = ()
    progress: tuple[float, tuple[tuple[str, float], ...]] | None = None

    def __post_init__(self) -> None:
        # Lists are accepted and frozen into tuples, so a card stays hashable.
        bars = tuple((str(n), float(v), s) for n, v, s in self.bars)
        for name, value, style in bars:
            if style not in _STYLES:
                raise ValueError(f"bar {name!r}: style {style!r} is not one of {', '.join(_STYLES)}")
            _check_percent(f"bar {name!r}", value)
        object.__setattr__(self, "bars", bars)
        if self.progress is not None:
            coverage, targets = self.progress
            _check_percent("progress coverage", coverage)
            targets = tuple((str(label), float(value)) for label, value in targets)
            for label, value in targets:
                _check_percent(f"target {label!r}", value)
            object.__setattr__(self, "progress", (float(coverage), targets))
        if self.bars and self.progress is not None:
            raise ValueError("a card has one chart: bars or progress, not both")


def _check_percent(what: str, value: float) -> None:
    if not (isinstance(value, (int, float)) and math.isfinite(value) and 0 <= value <= 100):
        raise ValueError(f"{what}: {value!r} is not a percent between 0 and 100")


# --- text measurement ----------------------------------------------------------
# Advance widths of DejaVu Sans (Book and Bold), in font units (2048 an em),
# read from the TTF files: U+0020..U+007E, then U+00A0..U+00FF, then a few
# typographic characters. Kerning (which only narrows) is ignored, so the
# estimates err on the wide side. Other characters count as a wide letter.
_UPEM = 2048
_ASCII_BOOK = (
    651, 821, 942, 1716, 1303, 1946, 1597, 563, 799, 799, 1024, 1716, 651, 739, 651, 690,
    1303, 1303, 1303, 1303, 1303, 1303, 1303, 1303, 1303, 1303, 690, 690, 1716, 1716, 1716,
    1087, 2048, 1401, 1405, 1430, 1577, 1294, 1178, 1587, 1540, 604, 604, 1343, 1141, 1767,
    1532, 1612, 1235, 1612, 1423, 1300, 1251, 1499, 1401, 2025, 1403, 1251, 1403, 799, 690,
    799, 1716, 1024, 1024, 1255, 1300, 1126, 1300, 1260, 721, 1300, 1298, 569, 569, 1186,
    569, 1995, 1298, 1253, 1300, 1300, 842, 1067, 803, 1298, 1212, 1675, 1212, 1212, 1075,
    1303, 690, 1303, 1716,
)
_LATIN1_BOOK = (
    651, 821, 1303, 1303, 1303, 1303, 690, 1024, 1024, 2048, 965, 1253, 1716, 739, 2048,
    1024, 1024, 1716, 821, 821, 1024, 1303, 1303, 651, 1024, 821, 965, 1253, 1985, 1985,
    1985, 1087, 1401, 1401, 1401, 1401, 1401, 1401, 1995, 1430, 1294, 1294, 1294, 1294, 604,
    604, 604, 604, 1587, 1532, 1612, 1612, 1612, 1612, 1612, 1716, 1612, 1499, 1499, 1499,
    1499, 1251, 1239, 1290, 1255, 1255, 1255, 1255, 1255, 1255, 2011, 1126, 1260, 1260, 1260,
    1260, 569, 569, 569, 569, 1253, 1298, 1253, 1253, 1253, 1253, 1253, 1716, 1253, 1298,
    1298, 1298, 1298, 1212, 1300, 1212,
)
_ASCII_BOLD = (
    713, 934, 1067, 1716, 1425, 2052, 1786, 627, 936, 936, 1071, 1716, 778, 850, 778, 748,
    1425, 1425, 1425, 1425, 1425, 1425, 1425, 1425, 1425, 1425, 819, 819, 1716, 1716, 1716,
    1188, 2048, 1585, 1561, 1503, 1700, 1399, 1399, 1681, 1714, 762, 762, 1587, 1305, 2038,
    1714, 1741, 1501, 1741, 1577, 1475, 1397, 1663, 1585, 2259, 1579, 1483, 1485, 936, 748,
    936, 1716, 1024, 1024, 1382, 1466, 1214, 1466, 1389, 891, 1466, 1458, 702, 702, 1362,
    702, 2134, 1458, 1407, 1466, 1466, 1010, 1219, 979, 1458, 1335, 1892, 1321, 1335, 1192,
    1458, 748, 1458, 1716,
)
_LATIN1_BOLD = (
    713, 934, 1425, 1425, 1303, 1425, 748, 1024, 1024, 2048, 1155, 1323, 1716, 850, 2048,
    1024, 1024, 1716, 897, 897, 1024, 1507, 1303, 778, 1024, 897, 1155, 1323, 2120, 2120,
    2120, 1188, 1585, 1585, 1585, 1585, 1585, 1585, 2222, 1503, 1399, 1399, 1399, 1399, 762,
    762, 762, 762, 1716, 1714, 1741, 1741, 1741, 1741, 1741, 1716, 1741, 1663, 1663, 1663,
    1663, 1483, 1511, 1473, 1382, 1382, 1382, 1382, 1382, 1382, 2146, 1214, 1389, 1389, 1389,
    1389, 702, 702, 702, 702, 1407, 1458, 1407, 1407, 1407, 1407, 1407, 1716, 1407, 1458,
    1458, 1458, 1458, 1335, 1466, 1335,
)
#                 thin  hair  nnbsp  en    em    '     '     "     "     …     −     •
_EXTRA_CHARS = "\u2009\u200a\u202f\u2013\u2014\u2018\u2019\u201c\u201d\u2026\u2212\u2022"
_EXTRA_BOOK = (409, 204, 409, 1024, 2048, 651, 651, 1061, 1061, 2048, 1716, 1208)
_EXTRA_BOLD = (409, 204, 409, 1024, 2048, 778, 778, 1346, 1346, 2048, 1716, 1309)


def _table(ascii_: tuple[int, ...], latin1: tuple[int, ...], extra: tuple[int, ...]) -> dict[str, int]:
    table = {chr(0x20 + i): w for i, w in enumerate(ascii_)}
    table.update({chr(0xA0 + i): w for i, w in enumerate(latin1)})
    table.update(zip(_EXTRA_CHARS, extra))
    return table


_ADVANCE = {False: _table(_ASCII_BOOK, _LATIN1_BOOK, _EXTRA_BOOK),
            True: _table(_ASCII_BOLD, _LATIN1_BOLD, _EXTRA_BOLD)}
_UNKNOWN = 1750  # about a capital M: wide on purpose


def text_width(text: str, size: float, bold: bool = False, spacing: float = 0.0) -> float:
    """Width in px of one line of DejaVu Sans at `size` px (letter-spacing included)."""
    table = _ADVANCE[bold]
    units = sum(table.get(ch, _UNKNOWN) for ch in text)
    return units * size / _UPEM + spacing * len(text)


# Vertical metrics of DejaVu Sans, in em.
_CAP = 0.73  # capital letters and digits
_DESCENT = 0.24  # g, p, y and the comma


_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")  # become a space
_INVISIBLE = re.compile(r"[\xad\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff]")  # are dropped


def _clean(text: str) -> str:
    """One line of text: no control characters (XML refuses most of them),
    no invisible ones (they would be measured but not drawn), single spaces."""
    text = unicodedata.normalize("NFC", str(text))
    text = _INVISIBLE.sub("", _CONTROL.sub(" ", text))
    return re.sub(r" +", " ", text).strip()


@dataclass(frozen=True)
class _Fit:
    size: float
    lines: tuple[str, ...]


def _ellipsize(text: str, width: float, size: float, bold: bool, spacing: float = 0.0) -> str:
    if text_width(text, size, bold, spacing) <= width:
        return text
    while text and text_width(text.rstrip() + "\u2026", size, bold, spacing) > width:
        text = text[:-1]
    return text.rstrip(" ,.;:-\u2013") + "\u2026"


def _two_lines(text: str, width: float, size: float, bold: bool) -> tuple[str, str] | None:
    """The most even break of `text` into two lines that both fit, if any."""
    words = text.split(" ")
    best: tuple[float, tuple[str, str]] | None = None
    for i in range(1, len(words)):
        a, b = " ".join(words[:i]), " ".join(words[i:])
        longest = max(text_width(a, size, bold), text_width(b, size, bold))
        if longest <= width and (best is None or longest < best[0]):
            best = (longest, (a, b))
    return best[1] if best else None


def fit_text(text: str, width: float, size: float, min_size: float, *, bold: bool = False,
             lines: int = 1, spacing: float = 0.0, step: float = 2.0) -> _Fit:
    """The largest size (down to `min_size`) at which `text` fits `width`:
    on one line if it can stay at least 80 % of `size`, else (lines=2) on two
    lines broken at a space; at `min_size` the last line is shortened with an
    ellipsis."""
    text = _clean(text)
    if not text:
        return _Fit(size, ())
    sizes = []
    s = size
    while s > min_size:
        sizes.append(s)
        s -= step
    sizes.append(min_size)
    for s in sizes:
        if lines > 1 and s < 0.8 * size:
            break
        if text_width(text, s, bold, spacing) <= width:
            return _Fit(s, (text,))
    if lines > 1:
        for s in sizes:
            if text_width(text, s, bold, spacing) <= width:
                return _Fit(s, (text,))
            pair = _two_lines(text, width, s, bold)
            if pair:
                return _Fit(s, pair)
        # Still too long at the smallest size: fill the first line, shorten the second.
        words, first = text.split(" "), ""
        while words and text_width((first + " " + words[0]).strip(), min_size, bold) <= width:
            first = (first + " " + words.pop(0)).strip()
        if not first:  # one enormous word
            return _Fit(min_size, (_ellipsize(text, width, min_size, bold),))
        return _Fit(min_size, (first, _ellipsize(" ".join(words), width, min_size, bold)))
    return _Fit(min_size, (_ellipsize(text, width, min_size, bold, spacing),))


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

    def add(self, key: str, fit: _Fit, gap: float, leading: float = 1.12) -> None:
        if not fit.lines:
            self.blocks[key] = None
            return
        base = self.y + gap + _CAP * fit.size
        lines = []
        for i, text in enumerate(fit.lines):
            lines.append(_Line(text, _n(base + i * leading * fit.size)))
        self.blocks[key] = _Block(_n(fit.size), tuple(lines))
        self.y = base + (len(fit.lines) - 1) * leading * fit.size + _DESCENT * fit.size


def _fit_figure(figure: str, size: float) -> _Fit:
    """The figure on one line, as large as fits: a number is never wrapped
    or shortened, only made smaller."""
    figure = _clean(figure)
    if not figure:
        return _Fit(size, ())
    return _Fit(min(size, math.floor(_SAFE / text_width(figure, 1, bold=True))), (figure,))


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
    label, date = _clean(card.label), _clean(card.date_line)
    if together and label and date:
        both = fit_text(label + _DOT + date, _TEXT, 24 * scale, 17)
        if both.lines == (label + _DOT + date,):
            stack.add("label", _Fit(both.size, (label,)), gap=16 * scale)
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
    names = [_ellipsize(_clean(name), _NAME_MAX, size, style == "highlight") for name, _, style in card.bars]
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
        rows.append(_Bar(name=name, style=style, fill=_BAR_FILL[style], bold=style == "highlight",
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
        label = _ellipsize(_clean(label), 360, _TARGET_SIZE, False)
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
            text_y = bar_bottom + 10 + _CAP * size + s.row * _TARGET_ROW
            tick_top, tick_bottom = y - 3, text_y - _CAP * size - 4
        else:
            text_y = y - 10 - _DESCENT * size - s.row * _TARGET_ROW
            tick_top, tick_bottom = text_y + _DESCENT * size + 3, bar_bottom + 3
        targets.append(_Target(label=s.label, x=_n(x + s.tick), label_x=_n(x + (s.start + s.end) / 2),
                               tick_top=_n(tick_top), tick_bottom=_n(tick_bottom), text_y=_n(text_y)))
    return _Progress(x=_n(x), y=_n(y), width=_n(_PROGRESS_WIDTH), height=_n(_PROGRESS_HEIGHT),
                     right=_n(x + _PROGRESS_WIDTH), middle=_n(y + _PROGRESS_HEIGHT / 2 + 0.36 * 17),
                     fill_width=_n(_PROGRESS_WIDTH * coverage / 100), size=_n(size),
                     targets=tuple(targets))


def layout(card: Card) -> dict:
    """The numbers the template needs: every position and size, in px."""
    titled = not _clean(card.figure)
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
    context["title"] = " \u2014 ".join(t for t in (_clean(card.place), _clean(card.figure)) if t)
    return _environment(templates).get_template("card.svg").render(context)


def card_png(svg: str) -> bytes:
    """The SVG as a PNG, pixel for pixel (scale 1: 1200x630)."""
    return vl_convert.svg_to_png(svg, scale=1)

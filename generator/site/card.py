"""Link-preview cards: what one says (a Card), its size and colours, and the rules all cards follow.

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
  written in Indonesian (Babel, generator/facts/fmt.py); the chart carries no numbers;
- pure and deterministic: the same Card gives the same SVG and PNG bytes.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Literal

WIDTH, HEIGHT = 1200, 630
BLUE = "#0b5fa5"
LIGHT_BLUE = "#9CC3E0"
GREY = "#D9D9D9"

Style = Literal["highlight", "normal", "ambiguous"]
STYLES = ("highlight", "normal", "ambiguous")
BAR_FILL = {"highlight": BLUE, "normal": LIGHT_BLUE, "ambiguous": GREY}


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
            if style not in STYLES:
                raise ValueError(f"bar {name!r}: style {style!r} is not one of {', '.join(STYLES)}")
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

"""The look every chart shares: its font, colours, sizes, Indonesian locales and Vega-Lite config.

Why this module exists: the site's charts are drawn in two places, by
vl-convert at build time and by the chart runtime in the reader's browser, and both
must print the same Indonesian numbers and dates in the same font and
colours. So the settings that make a chart look like the site's live here,
once, as plain values: the chart builders put CONFIG into every spec,
generator/charts/draw.py hands LOCALE and TIME_LOCALE to vl-convert,
generator/charts/darkmode.py maps these colours to their dark twins, and the
pages pass the locales to the runtime (assets/site.js).

It also pins the fonts, on import: vl-convert loads every font fontconfig
lists, so fontconfig must be pointed at generator/charts/fonts.conf before
vl_convert is first imported, in every process. Any module that imports
vl_convert imports this one first (draw.py, site/cards.py).

Conventions:
- percent values are in percent units (24.86 means 24,86 %);
- numbers are formatted by d3-format strings, so LOCALE turns them into
  Indonesian ("24,86", "1.234");
- colours are Okabe-Ito (colour-blind safe) plus greys; the font is FONT
  (Liberation Sans, which vl-convert carries, then its metric twins).
"""

from __future__ import annotations

from typing import Any

# --- fonts -------------------------------------------------------------------
# fontconfig pinned (generator/charts/fonts.py) before anything loads vl-convert.
from generator.charts import fonts  # noqa: E402

_FONTS_CONF = fonts.FONTS_CONF


def _pin_fonts() -> None:
    fonts.pin(_FONTS_CONF)


_pin_fonts()

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

# --- sizes -------------------------------------------------------------------
WIDTH = 600  # about the total width of every chart, in px (axes included)
#: The room a chart has on a phone (a 360 px screen less the page's margins): a chart drawn
#: wider than this also gets an image drawn at this width (charts/draw.py, phone_spec), whose
#: text then shows at its own size instead of shrunk with the picture (templates/_macros.html).
PHONE_ROOM = 320
PHONE_MAX_SCREEN = 480  # the screens (CSS px) that are shown the phone image
PADDING = 12  # config padding, left + right
ROW_HEIGHT = 22  # px per bar in ranking charts
#: Liberation Sans is built into vl-convert (held in memory: measuring a string maps no font file,
#: where a system font costs a file mapping per character, four times the whole SVG's time), and
#: Arial and Helvetica have its widths: a reader on Windows, macOS or iOS sees an image's text set
#: in the widths it was measured in; elsewhere the browser's own sans-serif stands in (a family the
#: reader lacks with no generic after it would fall back to a serif).
FONT = "Liberation Sans, Arial, Helvetica, sans-serif"

# --- colours -----------------------------------------------------------------
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
ON_TILE = "#212121"  # ink on a coverage tile, whose blue stays in dark mode: so does it (charts/darkmode.py)

CALM = "#9CC3E0"  # a light tint of BLUE: "the other regencies"
TARGET = VERMILLION  # targets are vermillion in every chart
AMBIGUOUS_FILL = "#D9D9D9"
AMBIGUOUS_STROKE = "#7A7A7A"

AMBIGUOUS_LABEL = "Atribusi tidak jelas"
NO_DATA_LABEL = "tanpa data"

# --- the house config, at the top of every spec ------------------------------
CONFIG: dict[str, Any] = {
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

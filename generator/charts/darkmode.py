"""Charts in the reader's colour scheme: the dark palette of every chart, images and drawn alike.

Why it exists: a chart image is drawn once, at build time, in the light
palette (theme.py; draw.py draws it), and a dated report's images never
change. So rather than a second, dark image of every chart, each SVG carries a <style>
that, under `prefers-color-scheme: dark`, recolours its marks by the colours
they were drawn with: CSS outranks SVG presentation attributes (fill="...",
stroke="..."), and an SVG shown by <img> follows the page's colour scheme.
The PNG made from the same SVG (resvg, which applies no @media rule) stays
light, as a download for print should. A chart the runtime draws in the page
(assets/site.js) is recoloured by the same rules in assets/style.css, scoped
to `.chart-view svg`; tests/test_darkmode.py checks that both say the same.

Colours not listed keep their value in both schemes: white (text inside a
bar), the coverage blues of the tile map and the ink on those tiles
(theme.ON_TILE), since their fills do not change.
"""

from __future__ import annotations

from generator.charts import theme

PAPER = "#16181b"  # --paper in style.css's dark scheme
# light colour -> dark colour, for fills and strokes alike
DARK = {
    theme.INK: "#e7e9ec",
    theme.MUTED: "#a3abb5",
    theme.RULE: "#6f7781",
    theme.GRID: "#33383f",
    theme.TRACK: "#2a2e33",
    theme.NO_DATA: "#23262a",
    theme.CALM: "#3f6482",
    theme.BLUE: "#2f7fc4",
    theme.VERMILLION: "#f0a36b",
    theme.AMBIGUOUS_FILL: "#3a4048",
    theme.AMBIGUOUS_STROKE: "#8a929c",
}


def rules(scope: str = "svg") -> str:
    """The dark rules for the charts under scope ("svg" in an image, ".chart-view svg" in a page)."""
    out = [f'{scope} > rect[fill="white" i] {{ fill: {PAPER}; }}',  # the background: an image's,
           f"{scope}.marks {{ background-color: {PAPER} !important; }}"]  # and the runtime's (style="")
    for light, dark in DARK.items():
        out.append(f'{scope} [fill="{light}" i] {{ fill: {dark}; }}')
        out.append(f'{scope} [stroke="{light}" i] {{ stroke: {dark}; }}')
    return "\n".join(out)


def style_element() -> str:
    return "<style>@media (prefers-color-scheme: dark) {\n" + rules() + "\n}</style>"


def with_dark_scheme(svg: str) -> str:
    """The SVG with its dark rules, as the first child of its root element."""
    end = svg.index(">") + 1
    return svg[:end] + style_element() + svg[end:]

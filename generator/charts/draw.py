"""Drawing the charts with vl-convert: SVG and PNG at build time, and the Vega spec a page draws them from.

Why this module exists: every chart is shown first as an image drawn at
build time (no JavaScript needed, nothing to wait for), and the same chart is
drawn again by the chart runtime (generator/site/vega.js) when a reader
reaches for it, from its spec compiled to Vega here. Both must print the
same Indonesian numbers and dates, so everything that talks to vl-convert is
here: the SVG (with its dark-scheme rules, darkmode.py, and ids that do not
depend on what was drawn before), the PNG, the compiled Vega spec, and the
library versions the site names. The chart builders never draw.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

# (first: importing theme pins fontconfig before vl_convert is imported and loads the fonts)
from generator.charts.theme import LOCALE, PHONE_ROOM, TIME_LOCALE
from generator.charts import darkmode, png

import vl_convert  # noqa: E402

__all__ = ["cache_dir", "fit_titles", "phone_spec", "png_from_svg", "render_png", "render_svg",
           "stable_ids", "use_vl_version", "vega_text", "versions", "vl_version"]


_VL: list[str | None] = []  # the Vega-Lite version the charts are drawn with, once known (vl_version)


def vl_version() -> str | None:
    """The vl-convert Vega-Lite version matching Altair's schema ("6.4"); None means vl-convert's newest.
    Altair is imported only here: a drawing process (publish/workers.py) is given its parent's
    (use_vl_version) and never imports it, about 40 MB less a process."""
    if not _VL:
        import altair as alt

        major_minor = ".".join(alt.SCHEMA_VERSION.lstrip("v").split(".")[:2])
        _VL.append(major_minor if major_minor in vl_convert.get_vegalite_versions() else None)
    return _VL[0]


def use_vl_version(version: str | None) -> None:
    """Draw with this Vega-Lite version (what vl_version() gave in the process that started this one)."""
    _VL[:] = [version]


# --- ids that do not depend on what was drawn before --------------------------
# Vega numbers gradients and clip paths with counters that live as long as
# the rendering process ("gradient_0", then "gradient_1" for the next chart),
# so the same spec would give different bytes depending on what was drawn
# before it. render_svg renames them after the spec: stable, and unique
# between different charts inlined into one page.
SVG_IDS = re.compile(r'(id="|url\(#)((?:p_)?gradient_\d+|clip\d+)\b')


def stable_ids(svg: str, spec: Mapping[str, Any]) -> str:
    """The SVG with Vega's numbered gradient and clip ids renamed after its spec."""
    tag = hashlib.sha256(
        json.dumps(spec, sort_keys=True, ensure_ascii=False).encode("utf-8")
    ).hexdigest()[:10]
    names: dict[str, str] = {}

    def rename(m: re.Match[str]) -> str:
        old = m.group(2)
        kind = "clip" if old.startswith("clip") else "gradient"
        new = names.setdefault(old, f"{kind}-{tag}-{len(names)}")
        return m.group(1) + new

    return SVG_IDS.sub(rename, svg)


# --- phone width -------------------------------------------------------------
def phone_spec(spec: Mapping[str, Any], drawn_width: int) -> dict[str, Any] | None:
    """The spec with its plot narrowed so the whole chart is PHONE_ROOM wide, as site.js narrows
    the live chart on a small screen; None when it already fits or has no numeric width."""
    width = spec.get("width")
    if not isinstance(width, (int, float)) or drawn_width <= PHONE_ROOM:
        return None
    return fit_titles(dict(spec, width=max(160, int(width - (drawn_width - PHONE_ROOM)))))


def fit_titles(spec: Mapping[str, Any]) -> dict[str, Any]:
    """The spec with its title and subtitle in lines that fit PHONE_ROOM: a longer line would widen the chart."""
    title = spec.get("title")
    if not isinstance(title, Mapping):
        return dict(spec)
    return dict(spec, title={**title, **{key: _wrapped(title[key], limit) for key, limit in _TITLE_LINES.items()
                                          if key in title}})


# Characters a line of PHONE_ROOM holds: the title at 16 px bold, the subtitle at 12 px (counted at
# 0.6 em a letter, generous for theme.FONT, and the room's margins).
_TITLE_LINES = {"text": 30, "subtitle": 44}


def _wrapped(text: str | list[str], limit: int) -> str | list[str]:
    """Text (or each of its lines) broken at spaces into as few lines of at most limit characters as
    words allow, as even as they can be ("Cakupan Lampung dari / waktu ke waktu")."""
    lines: list[str] = []
    for part in [text] if isinstance(text, str) else text:
        fewest, narrowest = len(_greedy(part, limit)), limit
        while narrowest > 1 and len(_greedy(part, narrowest - 1)) == fewest:
            narrowest -= 1
        lines += _greedy(part, narrowest)
    return lines[0] if len(lines) == 1 else lines


def _greedy(text: str, limit: int) -> list[str]:
    lines, line = [], ""
    for word in text.split(" "):
        if line and len(line) + 1 + len(word) > limit:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}" if line else word
    return lines + [line]


# --- drawing ---------------------------------------------------------------
def render_svg(spec: Mapping[str, Any]) -> str:
    """The chart as an SVG document, numbers and dates in Indonesian; the
    same spec gives the same bytes, whatever was rendered before."""
    svg = vl_convert.vegalite_to_svg(
        dict(spec),
        vl_version=vl_version(),
        format_locale=LOCALE,
        time_format_locale=TIME_LOCALE,
    )
    return darkmode.with_dark_scheme(stable_ids(svg, spec))


def render_png(spec: Mapping[str, Any], *, scale: float = 2) -> bytes:
    """The chart as PNG bytes (scale 2: sharp on high-density screens; packed tighter: png.compact)."""
    return png.compact(vl_convert.vegalite_to_png(
        dict(spec),
        vl_version=vl_version(),
        scale=scale,
        format_locale=LOCALE,
        time_format_locale=TIME_LOCALE,
    ))


def png_from_svg(svg: str, *, scale: float = 2) -> bytes:
    """The PNG of an SVG already rendered: the same bytes as render_png, without running Vega twice
    (packed tighter: png.compact)."""
    return png.compact(vl_convert.svg_to_png(svg, scale=scale))


def vega_text(spec: Mapping[str, Any]) -> str:
    """The chart compiled to Vega, as compact JSON: what a page embeds for the chart runtime
    (generator/site/vega.js), which so needs no Vega-Lite compiler of its own.

    Its marks are compiled without ARIA roles: in the page the chart is described once, by the
    alt text on its holder (assets/site.js), and a role per mark without a label is only noise to
    a screen reader."""
    config = dict(spec.get("config") or {})
    config["mark"] = {**config.get("mark", {}), "aria": False}
    return json.dumps(vl_convert.vegalite_to_vega(dict(spec, config=config), vl_version=vl_version()),
                      ensure_ascii=False, separators=(",", ":"))


def cache_dir() -> Path:
    """Where cakupan keeps what is costly to make: $CAKUPAN_CACHE_DIR, else the XDG cache folder."""
    if os.environ.get("CAKUPAN_CACHE_DIR"):
        return Path(os.environ["CAKUPAN_CACHE_DIR"])
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "cakupan"


def versions() -> dict[str, str]:
    """The JavaScript library versions the charts are drawn with."""
    import altair as alt

    vl = vl_version() or vl_convert.get_vegalite_versions()[-1]
    schema = alt.SCHEMA_VERSION.lstrip("v")
    return {
        "vega": vl_convert.get_vega_version(),
        "vega-lite": schema if schema.startswith(vl + ".") else vl,
    }

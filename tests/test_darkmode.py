"""Charts follow the reader's colour scheme: the dark rules in every chart image and in style.css.

The images are drawn once in the light palette and carry their dark rules
(generator/charts/darkmode.py); a chart drawn in the page by the runtime is
recoloured by the same rules in style.css. These tests check that both say
the same, that every colour a chart is drawn with is either recoloured or
kept on purpose, and, in Chromium, that a chart is dark in a dark scheme both
as its image (before any runtime) and once drawn by the runtime.
"""

from __future__ import annotations

import base64
import functools
import http.server
import os
import re
import threading

import pytest

from conftest import REPO, need
from generator.charts import darkmode, theme

os.environ.setdefault("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")

# Drawn with on purpose in both schemes: on fills that keep their colour (white text in a bar, ink on
# a coverage tile), nothing at all, and Vega's own border of the tile map's colour legend.
KEPT = {"white", "none", theme.ON_TILE.lower(), "#ddd"}


def test_style_css_recolours_a_drawn_chart_by_the_same_rules_as_the_images():
    css = (REPO / "templates/assets/style.css").read_text(encoding="utf-8")
    block = css[css.index("/* Charts in dark mode"):]
    for line in darkmode.rules(".chart-view svg").splitlines():
        assert line in block
    assert darkmode.rules("svg") in darkmode.style_element()


def test_every_chart_image_carries_its_dark_rules_and_every_colour_is_recoloured_or_kept(site):
    svgs = sorted((site / "charts").rglob("*.svg"))
    assert len(svgs) >= 10
    light = {c.lower() for c in darkmode.DARK}
    for path in svgs:
        svg = path.read_text(encoding="utf-8")
        assert svg.startswith("<svg") and darkmode.style_element() in svg, path
        drawn = {c.lower() for c in re.findall(r'(?:fill|stroke)="([^"]+)"', svg)}
        drawn = {c for c in drawn if not c.startswith(("rgb(", "url("))}  # the tile map's coverage blues
        assert drawn - light - KEPT == set(), path


def _brightness(page, png: bytes) -> float:
    """Mean brightness (0-255) of a PNG, decoded by the browser itself."""
    url = "data:image/png;base64," + base64.b64encode(png).decode()
    return page.evaluate("""async (url) => {
        const img = new Image(); img.src = url; await img.decode();
        const c = document.createElement('canvas'); c.width = img.width; c.height = img.height;
        const g = c.getContext('2d'); g.drawImage(img, 0, 0);
        const d = g.getImageData(0, 0, c.width, c.height).data; let sum = 0;
        for (let i = 0; i < d.length; i += 4) sum += (d[i] + d[i + 1] + d[i + 2]) / 3;
        return sum / (d.length / 4);
    }""", url)


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_a_chart_follows_the_colour_scheme_as_its_image_and_once_drawn(site, scheme):
    from playwright.sync_api import sync_playwright

    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=need("chromium"), args=["--no-sandbox", "--disable-gpu"])
            page = browser.new_page(viewport={"width": 390, "height": 900}, color_scheme=scheme)
            page.goto(f"http://127.0.0.1:{server.server_address[1]}/lampung/arsip/2024-09-24/index.html")
            view = page.locator("#grafik-target .chart-view")
            view.scroll_into_view_if_needed()
            page.wait_for_function("() => document.querySelector('#grafik-target img').complete")
            image = view.locator("img").screenshot()
            view.hover()
            page.wait_for_selector("#grafik-target .chart-view[data-interactive] svg")
            drawn = view.screenshot()
            label = page.evaluate("""() => getComputedStyle(
                document.querySelector('#grafik-target .role-axis-label text')).fill""")
            blank = browser.new_page()  # (the site's CSP allows no data: image)
            image, drawn = _brightness(blank, image), _brightness(blank, drawn)
            browser.close()
    finally:
        server.shutdown()
        server.server_close()
    if scheme == "dark":
        assert image < 80 and drawn < 80, (image, drawn)
        assert label == "rgb(163, 171, 181)"  # MUTED, recoloured
    else:
        assert image > 200 and drawn > 200, (image, drawn)
        assert label == "rgb(89, 89, 89)"

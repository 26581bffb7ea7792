"""What every page shares around its own content: the menu, the way back to the root, the canonical address.

A page plan (site/pages.py) says what a page holds; the frame adds what
every page of the site carries the same way, so that no template computes it:
the relative path to the site's root (or the site's own path for 404.html,
which a host serves at any depth), the menu with the current section marked,
the canonical address under the base URL, the link preview, the content
addresses of the shared assets and the charts the page shows.
"""

from __future__ import annotations

import functools

from generator import __version__
from generator.charts import draw
from generator.site import render
from generator.site.chart_refs import ChartRef
from generator.site.plan import PageJob

NAV = (("Laporan", "index.html"), ("Data", "data/index.html"), ("Metodologi", "metodologi/index.html"),
       ("Tentang", "tentang/index.html"), ("Cari", "cari/index.html"))


def render_page(env, page: PageJob, refs: dict[str, ChartRef], base_url: str | None,
                preview: dict | None = None, assets: dict[str, str] | None = None) -> str:
    """A page's HTML: its plan's context in the site's frame, through its template."""
    depth = page.path.count("/")
    root = "../" * depth
    if page.path == "404.html" and base_url:
        root = "/" + base_url.split("://", 1)[1].split("/", 1)[1]  # served at any depth: use the site's path
    current = page.pretty.split("/", 1)[0] + "/" if "/" in page.pretty else ""
    nav = [{"label": label, "path": path,
            "current": (path == "index.html" and page.path == "index.html")
            or (path != "index.html" and path.startswith(current) and current)}
           for label, path in NAV]
    context = {
        **page.context,
        "root": root, "page_path": page.path, "nav": nav, "version": __version__,
        "site_name": "cakupan Jamsostek",
        "vega_versions": _versions(),
        "canonical": (base_url + page.pretty) if base_url and page.path != "404.html" else None,
        "base_url": base_url,
        "preview": preview,
        "assets": assets or {},  # name -> its content address (generator/site/assets.py)
        "charts": {name: refs[base] for name, base in page.charts.items()},
    }
    return render.render(env, page.template, context)


@functools.cache
def _versions() -> dict[str, str]:
    return draw.versions()

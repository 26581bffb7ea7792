"""The site's files that no page plan makes: shared assets, .nojekyll, robots.txt, CNAME, sitemap.xml.

They are what a static host reads besides the pages: the shared files at
their plain names (the addresses older pages load) and at their content
addresses (what new pages load, so a dated report keeps the bytes it was
published with), robots.txt pointing at the sitemap when there is a base URL,
an empty .nojekyll so GitHub Pages serves every folder as is, and content/CNAME,
checked, for hosts that read a custom domain from the site. Each function
returns files by path; writing them is publish/'s job.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

from generator.data import inputs
from generator.errors import UsageError
from generator.site.assets import Assets


def static_files(current: Assets, base_url: str | None, content: Path | None = None) -> dict[str, bytes]:
    """The shared files at their names and at their content addresses, with robots.txt, .nojekyll and CNAME."""
    files = {}
    for name, data in current.files.items():
        files[f"assets/{name}"] = data
        files[current.paths[name]] = data
    files[".nojekyll"] = b""
    robots = "User-agent: *\nAllow: /\n"
    if base_url:
        robots += f"Sitemap: {base_url}sitemap.xml\n"
    files["robots.txt"] = robots.encode()
    if content is not None and os.path.lexists(content / "CNAME"):  # a custom domain, for hosts that read site/CNAME
        files["CNAME"] = custom_domain(content / "CNAME", content).encode()
    return files


def sitemap(base_url: str | None, urls: list[str]) -> dict[str, bytes]:
    """sitemap.xml, listing every address once, when there is a base URL to write them under."""
    if not base_url:
        return {}
    body = "".join(f"  <url><loc>{base_url}{u}</loc></url>\n" for u in sorted(set(urls)))
    return {"sitemap.xml": ('<?xml version="1.0" encoding="UTF-8"?>\n'
                            '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n' + body + "</urlset>\n")
            .encode()}


def custom_domain(path: Path, content: Path | None = None) -> str:
    """content/CNAME, checked: one domain name on one line, as GitHub Pages and others expect it."""
    text = inputs.read_text(path, content if content is not None else path.parent, inputs.MAX_CNAME).strip()
    if not re.fullmatch(r"(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}", text, re.IGNORECASE):
        raise UsageError(f"{path}: {text[:80]!r} is not a domain name (one line such as data.example.org expected, "
                         "without https:// or a path)")
    return text.lower() + "\n"

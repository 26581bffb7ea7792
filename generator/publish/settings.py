"""What a build is asked to do: its input folders, its output folder, its base URL and whether to use the cache.

A plain value, read by every publishing step and by the commands; it lives here, before them, so
that the rebuild's input key can read it without importing the build that uses the key. The base
URL, the address the site is published at, is checked here too (normalise_base_url), for the build,
cakupan freeze and cakupan serve alike."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from generator.errors import UsageError


@dataclass(frozen=True)
class Settings:
    data: Path = Path("data")
    out: Path = Path("site")
    content: Path = Path("content")
    templates: Path = Path("templates")
    base_url: str | None = None
    cache: bool = True  # reuse images, specs, zips and unchanged dated reports (generator/cache.py, rebuild.py)


# A base URL is written as is into sitemap.xml, robots.txt, the feed and every page's links: only
# http(s), a host name (or [IPv6]), a port, and a path of characters that need no escaping anywhere.
BASE_URL = re.compile(r"https?://(?:[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*"
                      r"[A-Za-z0-9])?)*|\[[0-9A-Fa-f:.]+\])(?::[0-9]{1,5})?(?:/(?:[A-Za-z0-9._~!$()*+,;=:@/-]|"
                      r"%[0-9A-Fa-f]{2})*)?")


def normalise_base_url(url: str | None) -> str | None:
    """The base URL as pages use it (ending in /), or None without one; a URL unsafe to write as is stops the build."""
    if not url:
        return None
    if not BASE_URL.fullmatch(url):
        raise UsageError(f"--base-url {url[:100]!r}: a clean absolute http(s) address expected, such as "
                         "https://user.github.io/repo/ (no spaces, quotes, <, >, &, query or fragment)")
    return url if url.endswith("/") else url + "/"

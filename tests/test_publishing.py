"""A custom domain: content/CNAME ends up as site/CNAME, checked."""

from __future__ import annotations

import pytest

from conftest import REPO
from generator.site.assets import collect
from generator.site.static import static_files as site_static_files
from generator.errors import UsageError
from generator.publish.write import Output


def static_files(content) -> dict[str, bytes]:
    output = Output()
    output.add_all(site_static_files(collect(REPO / "templates"), base_url=None, content=content))
    return output.files


def test_a_cname_in_content_is_copied_to_the_site(tmp_path):
    (tmp_path / "CNAME").write_text("Data.Example.org\n")
    assert static_files(tmp_path)["CNAME"] == b"data.example.org\n"


def test_without_a_cname_there_is_none_in_the_site(tmp_path):
    assert "CNAME" not in static_files(tmp_path)
    assert "CNAME" not in static_files(None)


@pytest.mark.parametrize("text", ["https://data.example.org/", "data.example.org/cakupan", "a.org\nb.org",
                                  "localhost", ""])
def test_a_cname_that_is_not_one_domain_name_is_refused(tmp_path, text):
    (tmp_path / "CNAME").write_text(text)
    with pytest.raises(UsageError, match="is not a domain name"):
        static_files(tmp_path)


# That `cakupan build` writes it: tests/test_serve.py, whose preview is built with a content/CNAME.

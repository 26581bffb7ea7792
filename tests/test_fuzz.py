"""Hypothesis fuzzing of what reads untrusted text: the YAML loader and the Markdown path.

Whatever bytes a data file holds, the loader returns problems (never raises);
whatever a content page says, the rendered HTML has no script, handler, or
link to another scheme than http(s), mailto or a relative address. The
budget is fixed (derandomised, a bounded number of short examples), so this
runs in seconds in `make test`; sizes stay small because Python-Markdown is
slow on some long inputs (docs/security.md, "Markdown").
"""

from __future__ import annotations

import re

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator.site import render
from generator.data.load import read_yaml

BUDGET = settings(deadline=None, derandomize=True, database=None, max_examples=150,
                  suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])

YAML_BITS = ["a: ", "- ", "[", "]", "{", "}", ", ", "&x ", "*x", "<<: ", "!!python/object:os.system ", "!t ", '"',
             "'", "\n", "  ", "#", "|", ">", "? ", ": ", "---\n", "...\n", "\t", "\x00", "\ufeff", "é", "1e400", ".nan",
             "2024-01-31", "~", "null"]


@BUDGET
@given(st.one_of(st.binary(max_size=300), st.lists(st.sampled_from(YAML_BITS), max_size=40).map("".join)))
def test_the_yaml_loader_reports_any_input_and_never_raises(tmp_path_factory, data):
    path = tmp_path_factory.mktemp("fuzz") / "x.yaml"
    path.write_bytes(data if isinstance(data, bytes) else data.encode("utf-8", "surrogatepass"))
    raw = read_yaml(path)
    assert raw.root is not None or raw.problems
    for p in raw.problems:
        assert isinstance(p.line, int) and p.line >= 0 and p.message and "\n" not in p.message


MD_BITS = ["[", "]", "(", ")", "<", ">", "!", "*", "_", "`", "#", "-", " ", "\n", "|", "{:", "}", "#id", ".c", "&",
           "&#x09;", "&#106;", "javascript:", "JaVaScRiPt:", "data:", "//evil.example/", "https://x.example/",
           "mailto:", "<script>", "</script>", "<a href=", "<img src=", "<iframe", " onerror=", " onclick=",
           " style=", '"', "'", "<!--", "-->", "<svg", "<style>", "id=grafik-1", " id=sumber"]


@BUDGET
@given(st.lists(st.sampled_from(MD_BITS), max_size=40).map("".join))
def test_markdown_never_keeps_a_script_a_handler_or_another_scheme(text):
    out = str(render.markdown_html(text))
    lowered = out.lower()
    assert "<script" not in lowered and "<iframe" not in lowered and "<svg" not in lowered and "<style" not in lowered
    assert not re.search(r"<[^>]*\son\w+\s*=", lowered)
    assert not re.search(r"<[^>]*\sstyle\s*=", lowered)
    for url in re.findall(r'(?:href|src)="([^"]*)"', out):
        assert re.match(r"(https?:|mailto:|[^:]*$)", url, re.IGNORECASE), url
        assert not re.match(r"\s*//", url) or 'href="' + url in out  # (a picture never from //elsewhere)
    for value in re.findall(r'\bid="([^"]*)"', out):
        assert not value.startswith(render.SITE_IDS) or value.startswith(render.USER_ID), value

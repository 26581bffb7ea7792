"""A chart's phone-width image (issue #14): its spec narrowed as site.js narrows the live chart,
with titles in lines that fit the room, so that its text shows at its own size on a phone."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from generator.charts import draw
from generator.charts.theme import PHONE_ROOM

def as_lines(wrapped: str | list[str]) -> list[str]:
    return [wrapped] if isinstance(wrapped, str) else wrapped


words = st.lists(st.text(alphabet="abcdefghij,;%0123456789", min_size=1, max_size=40), min_size=1, max_size=20)


@given(st.lists(words, min_size=1, max_size=3), st.integers(min_value=5, max_value=60))
def test_each_line_of_a_title_given_in_lines_is_wrapped_on_its_own(lines_given, limit):
    texts = [" ".join(parts) for parts in lines_given]
    assert as_lines(draw._wrapped(texts, limit)) == [line for text in texts for line in as_lines(draw._wrapped(text, limit))]


@given(words, st.integers(min_value=5, max_value=60))
def test_wrapping_keeps_every_word_in_order_and_fits_where_words_allow(parts, limit):
    text = " ".join(parts)
    lines = as_lines(draw._wrapped(text, limit))
    assert " ".join(lines) == text
    assert all(len(line) <= limit or " " not in line for line in lines)
    assert len(lines) == len(draw._greedy(text, limit))  # as few lines as greedy filling gives


def test_a_chart_that_fits_a_phone_has_no_phone_spec():
    assert draw.phone_spec({"width": 200}, PHONE_ROOM) is None
    assert draw.phone_spec({"width": "container"}, 600) is None


def test_the_phone_spec_narrows_the_plot_and_breaks_long_titles():
    spec = {"width": 547, "title": {"text": "Cakupan Lampung dari waktu ke waktu",
                                    "subtitle": "Titik per tanggal data; target seperti dinyatakan per 24 September 2024"}}
    narrow = draw.phone_spec(spec, 591)
    assert narrow["width"] == 547 - (591 - PHONE_ROOM)
    assert narrow["title"]["text"] == ["Cakupan Lampung", "dari waktu ke waktu"]
    assert len(narrow["title"]["subtitle"]) == 2
    assert spec["width"] == 547 and isinstance(spec["title"]["text"], str)  # the page's own spec is untouched

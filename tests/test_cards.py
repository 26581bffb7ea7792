"""Link-preview cards: exactly 1200x630, hostile text escaped, long names
fitted, one bar a row with the place in blue, text clear of the chart, and
the same bytes every time.

Data: the real Lampung figures (province 25,27 % on 8 December 2025 with its
targets; the regencies on 24 September 2024), plus synthetic names."""

from __future__ import annotations

import math
import struct
from pathlib import Path
from xml.etree import ElementTree as ET

import pytest

from generator.site.card import BLUE, GREY, LIGHT_BLUE, Card
from generator.site.card_text import text_width
from generator.site.cards import card_png, card_svg, layout

TEMPLATES = Path(__file__).resolve().parent.parent / "templates"
NS = "{http://www.w3.org/2000/svg}"

KICKER = "CAKUPAN KEPESERTAAN JAMSOSTEK"
LABEL = "pekerja terdaftar di BPJS Ketenagakerjaan"
SOURCE = "Sumber: Lampost.co"
REGENCIES = [
    ("Kota Metro", 32.9), ("Kota Bandar Lampung", 32.8), ("Tanggamus", 29.4), ("Tulangbawang", 26.9),
    ("Lampung Utara", 26.6), ("Lampung Selatan", 26.5), ("Lampung Tengah", 26.4), ("Lampung Utara", 25.6),
    ("Mesuji", 23.3), ("Lampung Barat", 23.3), ("Tulangbawang Barat", 22.6), ("Pringsewu", 21.4),
    ("Way Kanan", 19.3), ("Lampung Timur", 17.4), ("Pesisir Barat", 1.9),
]


def regency_bars(place: str) -> tuple:
    return tuple((name, value, "highlight" if name == place else "ambiguous" if name == "Lampung Utara" else "normal")
                 for name, value in REGENCIES)


PROVINCE = Card(KICKER, "Lampung", "25,27\u00a0%", LABEL, "Data per 8 Desember 2025", SOURCE,
                progress=(25.27, (("Target 2025", 38.39), ("Target 2026", 45.53), ("Target 2030", 58.35))))
REGENCY = Card(KICKER, "Kota Metro", "32,9\u00a0%", LABEL, "Data per 24 September 2024", SOURCE,
               bars=regency_bars("Kota Metro"))
METHOD = Card(KICKER, "Metodologi", "", "Dari mana angka cakupan berasal", "Diperbarui 8 Desember 2025", SOURCE)


def png_size(png: bytes) -> tuple[int, int]:
    """Width and height from the IHDR chunk, which a PNG must start with."""
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    length, kind = struct.unpack(">I4s", png[8:16])
    assert kind == b"IHDR" and length == 13
    return struct.unpack(">II", png[16:24])


def parse(svg: str) -> ET.Element:
    root = ET.fromstring(svg)
    assert root.tag == NS + "svg"
    assert (root.get("width"), root.get("height"), root.get("viewBox")) == ("1200", "630", "0 0 1200 630")
    return root


def texts(root: ET.Element, cls: str) -> list[ET.Element]:
    return [e for e in root.iter(NS + "text") if e.get("class") == cls]


def test_png_is_1200_by_630():
    png = card_png(card_svg(PROVINCE, TEMPLATES))
    assert png_size(png) == (1200, 630)


def test_hostile_text_is_escaped():
    hostile = "<script>alert(1)</script> & Co"
    card = Card(hostile, hostile, "1,5\u00a0%", hostile, hostile, hostile,
                progress=(1.5, ((hostile, 30.0),)))
    svg = card_svg(card, TEMPLATES)
    assert "<script>" not in svg and "&lt;script&gt;alert(1)&lt;/script&gt; &amp; Co" in svg
    root = parse(svg)
    assert not list(root.iter(NS + "script"))
    assert " ".join(e.text for e in texts(root, "place")) == hostile
    assert [e.text for e in texts(root, "target-label")] == [hostile]
    bars = Card(KICKER, "x", "1", LABEL, "d", SOURCE, bars=((hostile, 10.0, "highlight"),))
    assert [e.text for e in texts(parse(card_svg(bars, TEMPLATES)), "bar-name")] == [hostile]


def place_of(card: Card) -> tuple[float, list[str]]:
    block = layout(card)["blocks"]["place"]
    return float(block.size), [line.text for line in block.lines]


@pytest.mark.parametrize("chart", [{}, {"bars": regency_bars("Tulangbawang Barat")}])
def test_long_names_shrink_or_wrap_to_fit(chart):
    def card(place: str) -> Card:
        return Card(KICKER, place, "22,6\u00a0%", LABEL, "Data per 24 September 2024", SOURCE, **chart)

    short_size, short = place_of(card("Kota Metro"))
    assert short == ["Kota Metro"]
    assert place_of(card("Contoh Sintetis")) == (short_size, ["Contoh Sintetis"])
    size, lines = place_of(card("Kabupaten Tulang Bawang Barat"))
    if chart:  # the chart needs the height: two lines at the largest size that fits
        assert size <= short_size and len(lines) == 2
    else:
        assert size < short_size
    assert " ".join(lines) == "Kabupaten Tulang Bawang Barat"
    assert all(text_width(line, size, bold=True) <= 600 for line in lines)
    # One word longer than the card: shortened, never overflowing.
    size, lines = place_of(card("Kabupaten" * 12))
    assert lines[-1].endswith("\u2026") and all(text_width(line, size, bold=True) <= 600 for line in lines)


def test_figure_shrinks_but_is_never_cut():
    block = layout(Card(KICKER, "Lampung", "3.058.943.000", LABEL, "d", SOURCE))["blocks"]["figure"]
    assert [line.text for line in block.lines] == ["3.058.943.000"]
    assert text_width("3.058.943.000", float(block.size), bold=True) <= 600


def test_bars_one_rect_a_row_and_the_place_in_blue():
    root = parse(card_svg(REGENCY, TEMPLATES))
    (group,) = [g for g in root.iter(NS + "g") if g.get("class") == "chart bars"]
    rects = [r for r in group.iter(NS + "rect") if r.get("class", "").startswith("bar ")]
    assert len(rects) == len(REGENCIES)
    assert [e.text for e in texts(group, "bar-name")] == [name for name, _ in REGENCIES]
    fills = [r.get("fill") for r in rects]
    assert fills[0] == BLUE and fills.count(BLUE) == 1
    assert [i for i, f in enumerate(fills) if f == GREY] == [4, 7]
    assert fills.count(LIGHT_BLUE) == len(REGENCIES) - 3
    # Lengths in proportion to the values, rows top to bottom.
    widths = [float(r.get("width")) for r in rects]
    for (_, value), width in zip(REGENCIES, widths):
        assert width == pytest.approx(widths[0] * value / 32.9, abs=0.2)
    ys = [float(r.get("y")) for r in rects]
    assert ys == sorted(ys)


def chart_box(root: ET.Element) -> tuple[float, float]:
    """Top and bottom of everything drawn in the chart group."""
    (group,) = [g for g in root.iter(NS + "g") if g.get("class", "").startswith("chart")]
    ys = []
    for e in group.iter():
        if e.tag == NS + "rect":
            ys += [float(e.get("y")), float(e.get("y")) + float(e.get("height"))]
        elif e.tag == NS + "line":
            ys += [float(e.get("y1")), float(e.get("y2"))]
        elif e.tag == NS + "text":
            size = float(e.get("font-size"))
            ys += [float(e.get("y")) - 0.93 * size, float(e.get("y")) + 0.24 * size]
    return min(ys), max(ys)


CROWDED = Card(KICKER, "Kabupaten Tulang Bawang Barat", "24,86\u00a0%", LABEL, "Data per 24 September 2024", SOURCE,
               progress=(24.86, tuple((f"Target {2024 + i}", 30.0 + 2 * i) for i in range(5)) + (("Target 2045", 100.0),)))


@pytest.mark.parametrize("card", [PROVINCE, REGENCY, CROWDED,
                                  Card(KICKER, "Kabupaten Tulang Bawang Barat", "22,6\u00a0%", LABEL,
                                       "Data per 24 September 2024", SOURCE, bars=regency_bars("Tulangbawang Barat"))],
                         ids=["progress", "bars", "crowded-targets", "long-name-bars"])
def test_text_never_overlaps_the_chart(card):
    root = parse(card_svg(card, TEMPLATES))
    top, bottom = chart_box(root)
    above = [e for e in root.iter(NS + "text") if e.get("class") in {"kicker", "place", "figure", "label", "date"}]
    assert max(float(e.get("y")) + 0.24 * float(e.get("font-size")) for e in above) < top
    (rule,) = [e for e in root.iter(NS + "line") if e.get("class") == "footer-rule"]
    assert bottom < float(rule.get("y1"))
    # Target labels overlap neither one another nor the edges of the card.
    boxes = []
    for e in texts(root, "target-label"):
        x, y, size = float(e.get("x")), float(e.get("y")), float(e.get("font-size"))
        w = text_width(e.text, size)
        boxes.append((x - w / 2, x + w / 2, y - 0.93 * size, y + 0.24 * size))
    for i, a in enumerate(boxes):
        assert 0 <= a[0] and a[1] <= 1200
        for b in boxes[i + 1:]:
            assert a[1] <= b[0] or b[1] <= a[0] or a[3] <= b[2] or b[3] <= a[2], (a, b)


def test_same_card_same_bytes():
    twin = Card(**{f: getattr(REGENCY, f) for f in REGENCY.__dataclass_fields__})
    svg = card_svg(REGENCY, TEMPLATES)
    assert card_svg(twin, TEMPLATES) == svg
    assert card_png(card_svg(twin, TEMPLATES)) == card_png(svg)


def test_a_page_without_figure_or_chart_renders():
    svg = card_svg(METHOD, TEMPLATES)
    root = parse(svg)
    assert not texts(root, "figure") and not [g for g in root.iter(NS + "g")]
    assert [e.text for e in texts(root, "place")] == ["Metodologi"]
    assert float(layout(METHOD)["blocks"]["place"].size) > float(layout(PROVINCE)["blocks"]["place"].size)
    assert png_size(card_png(svg)) == (1200, 630)


@pytest.mark.parametrize("kwargs", [
    {"bars": (("A", math.nan, "normal"),)},
    {"bars": (("A", 120.0, "normal"),)},
    {"bars": (("A", 10.0, "bold"),)},
    {"progress": (-1.0, ())},
    {"progress": (10.0, (("Target", math.inf),))},
])
def test_bad_values_are_refused(kwargs):
    with pytest.raises(ValueError):
        Card(KICKER, "x", "1", LABEL, "d", SOURCE, **kwargs)


def test_too_many_bars_is_an_error_not_a_smudge():
    card = Card(KICKER, "x", "1", LABEL, "d", SOURCE, bars=tuple((f"W{i}", 1.0, "normal") for i in range(40)))
    with pytest.raises(ValueError, match="40 bars do not fit"):
        card_svg(card, TEMPLATES)

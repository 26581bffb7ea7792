"""Charts: every spec is valid Vega-Lite, says its numbers and dates in
Indonesian, and renders to the same bytes every time.

Data: the real Lampung figures (BPJS Ketenagakerjaan coverage, 24 September
2024, and the history around it)."""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import altair as alt
import jsonschema
import pytest

from generator.charts import change, draw, history, labels, ranking, target, template, theme, tiles

PROVINCE = 24.86
TARGETS = [{"year": 2024, "coverage": 32.62}, {"year": 2025, "coverage": 38.39}]
REGENCIES = [
    ("Pesisir Barat", 1.9, False),
    ("Lampung Timur", 17.4, False),
    ("Way Kanan", 19.3, False),
    ("Pringsewu", 21.4, False),
    ("Tulangbawang Barat", 22.6, False),
    ("Lampung Barat", 23.3, False),
    ("Mesuji", 23.3, False),
    ("Lampung Utara", 25.6, True),
    ("Lampung Tengah", 26.4, False),
    ("Lampung Selatan", 26.5, False),
    ("Lampung Utara", 26.6, True),
    ("Tulangbawang", 26.9, False),
    ("Tanggamus", 29.4, False),
    ("Kota Bandar Lampung", 32.8, False),
    ("Kota Metro", 32.9, False),
]
RANKING = [
    {"name": n, "coverage": v, "highlight": n == "Tanggamus", "ambiguous": a}
    for n, v, a in REGENCIES
]
HISTORY = [
    {"date": "2023-12-31", "coverage": 26.79, "estimate": False},
    {"date": "2024-09-24", "coverage": 24.86, "estimate": False},
    {"date": "2025-08-13", "coverage": 24.5, "estimate": True},
    {"date": "2025-12-08", "coverage": 25.27, "estimate": False},
]
# Tile positions from data/lampung/region.yaml; Pesawaran has no figure.
TILES = [
    {"name": n, "short": s, "x": x, "y": y, "coverage": v}
    for n, s, x, y, v in [
        ("Way Kanan", "Way Kanan", 1, 0, 19.3),
        ("Tulang Bawang Barat", "Tubaba", 2, 0, 22.6),
        ("Mesuji", "Mesuji", 3, 0, 23.3),
        ("Lampung Barat", "Lambar", 0, 1, 23.3),
        ("Lampung Utara", "Lampura", 1, 1, None),
        ("Lampung Tengah", "Lamteng", 2, 1, 26.4),
        ("Tulang Bawang", "Tuba", 3, 1, 26.9),
        ("Pesisir Barat", "Pesibar", 0, 2, 1.9),
        ("Tanggamus", "Tanggamus", 1, 2, 29.4),
        ("Pringsewu", "Pringsewu", 2, 2, 21.4),
        ("Metro", "Metro", 3, 2, 32.9),
        ("Lampung Timur", "Lamtim", 4, 2, 17.4),
        ("Pesawaran", "Pesawaran", 2, 3, None),
        ("Bandar Lampung", "Bandar Lampung", 3, 3, 32.8),
        ("Lampung Selatan", "Lamsel", 4, 3, 26.5),
    ]
]
CHANGE = [
    {"label": "Peserta bertambah", "points": 0.99},
    {"label": "Perkiraan pekerja berubah", "points": -2.92},
    {"label": "Perubahan total", "points": -1.93},
]


def build(kind: str) -> dict:
    if kind == "target":
        return target.target_chart(
            PROVINCE, TARGETS, title="Cakupan dan target", description="Cakupan 24,86 persen."
        )
    if kind == "ranking":
        return ranking.ranking_chart(
            RANKING,
            province=PROVINCE,
            targets=TARGETS,
            title="Cakupan per kabupaten/kota",
            description="Tanggamus 29,4 persen, peringkat ketiga.",
        )
    if kind == "history":
        return history.history_chart(
            HISTORY, targets=TARGETS, title="Cakupan dari waktu ke waktu",
            description="Dari 26,79 persen ke 25,27 persen.",
        )
    if kind == "tiles":
        return tiles.tile_map(TILES, title="Peta cakupan", description="Peta petak.")
    if kind == "change":
        return change.change_chart(
            CHANGE, title="Mengapa cakupan turun", description="Turun 1,93 poin."
        )
    raise AssertionError(kind)


KINDS = ["target", "ranking", "history", "tiles", "change"]


@pytest.fixture(scope="module")
def specs() -> dict[str, dict]:
    return {kind: build(kind) for kind in KINDS}


@pytest.fixture(scope="module")
def svgs(specs) -> dict[str, str]:
    return {kind: draw.render_svg(spec) for kind, spec in specs.items()}


@pytest.fixture(scope="module")
def schema_validator():
    """The Vega-Lite JSON schema Altair ships, read from its file."""
    path = Path(alt.__file__).parent / "vegalite" / "v6" / "schema" / "vega-lite-schema.json"
    schema = json.loads(path.read_text(encoding="utf-8"))
    return jsonschema.validators.validator_for(schema)(schema)


def texts(svg: str) -> list[str]:
    """The strings an SVG shows, in order; the lines of a multi-line text
    joined by "\n"; labels Vega hid (opacity 0, overlapping) left out."""
    found = []
    for attrs, body in re.findall(r"<text([^>]*)>(.*?)</text>", svg):
        if 'opacity="0"' not in attrs:
            found.append("\n".join(re.findall(r">([^<]+)<", f">{body}<")))
    return found


# --- every spec -------------------------------------------------------------------
@pytest.mark.parametrize("kind", KINDS)
def test_spec_is_valid_vega_lite(kind, specs, schema_validator):
    errors = list(schema_validator.iter_errors(specs[kind]))
    assert errors == [], jsonschema.exceptions.best_match(errors).message


@pytest.mark.parametrize("kind", KINDS)
def test_spec_is_plain_json_with_inline_data_and_house_style(kind, specs):
    spec = specs[kind]
    assert json.loads(json.dumps(spec)) == spec
    assert spec["$schema"].endswith(f"/vega-lite/{alt.SCHEMA_VERSION}.json")
    assert spec["description"] and spec["title"]["text"]
    assert '"url"' not in json.dumps(spec)  # data inline, never fetched
    assert spec["datasets"]
    assert isinstance(spec["width"], int) and 300 <= spec["width"] <= 600  # the plot
    assert spec["config"]["font"] == theme.FONT
    assert spec["config"]["view"]["stroke"] is None


def test_specs_are_deterministic():
    for kind in KINDS:
        assert json.dumps(build(kind)) == json.dumps(build(kind))


def test_locales_are_indonesian_and_agree_with_babel():
    from babel import Locale

    assert theme.LOCALE == {
        "decimal": ",", "thousands": ".", "grouping": [3], "currency": ["Rp", ""],
    }
    id_ = Locale.parse("id")
    assert theme.TIME_LOCALE["months"] == [id_.months["format"]["wide"][i] for i in range(1, 13)]
    assert theme.TIME_LOCALE["shortMonths"] == [
        id_.months["format"]["abbreviated"][i] for i in range(1, 13)
    ]
    # d3 weeks start on Sunday, CLDR's day index 6.
    sunday_first = (6, 0, 1, 2, 3, 4, 5)
    assert theme.TIME_LOCALE["days"] == [id_.days["format"]["wide"][i] for i in sunday_first]
    assert set(theme.TIME_LOCALE) >= {
        "dateTime", "date", "time", "periods", "days", "shortDays", "months", "shortMonths",
    }


# --- each chart -------------------------------------------------------------------
def test_target_chart_shows_coverage_and_each_target_in_indonesian(svgs):
    drawn = texts(svgs["target"])
    assert "24,86 %" in drawn
    assert "Target 2024: 32,62 %" in drawn
    assert "Target 2025: 38,39 %" in drawn
    assert "45 %" in drawn  # axis runs to max(target) * 1.1, rounded up


def test_ranking_keeps_both_lampung_utara_bars(specs, svgs):
    spec = specs["ranking"]
    bars = next(layer for layer in spec["layer"] if layer["mark"]["type"] == "bar")
    rows = spec["datasets"][bars["data"]["name"]]
    assert [r["name"] for r in rows].count("Lampung Utara") == 2
    keys = [r["key"] for r in rows]
    assert len(set(keys)) == len(RANKING)
    assert bars["encoding"]["y"]["field"] == "key"
    assert bars["encoding"]["y"]["sort"] == keys
    # Rendered: two axis labels, each without its key.
    assert texts(svgs["ranking"]).count("Lampung Utara") == 2
    assert not any(re.match(r"\d+ [A-Z]", t) for t in texts(svgs["ranking"]))


def test_ranking_is_sorted_and_scales_with_rows(specs):
    spec = specs["ranking"]
    bars = next(layer for layer in spec["layer"] if layer["mark"]["type"] == "bar")
    rows = spec["datasets"][bars["data"]["name"]]
    values = [r["coverage"] for r in rows]
    assert values == sorted(values, reverse=True)
    assert spec["height"] == 22 * len(RANKING)


def test_ranking_labels_province_targets_and_ambiguity(svgs):
    drawn = texts(svgs["ranking"])
    assert "Provinsi 24,86 %" in drawn
    assert "Target 2024" in drawn and "Target 2025" in drawn
    assert "Atribusi tidak jelas" in drawn
    assert "29,4 %" in drawn and "1,9 %" in drawn


def test_ranking_tooltip_formats_value_in_indonesian(specs):
    spec = json.dumps(specs["ranking"])
    assert "format(datum['coverage'], ',.1f') + ' %'" in spec
    assert "atribusi tidak jelas" in spec


def test_history_speaks_indonesian_months(svgs):
    drawn = texts(svgs["history"])
    assert "Okt" in drawn and "Oct" not in drawn  # d3's English default says "Oct"
    assert "Jan 2025" in drawn
    assert "Target 2024: 32,62 %" in drawn
    assert "Perkiraan" in drawn  # hollow points are explained


def test_history_short_span_names_may_and_august():
    spec = history.history_chart(
        [{"date": "2025-04-01", "coverage": 24.5, "estimate": False},
         {"date": "2025-10-31", "coverage": 25.1, "estimate": False}],
        targets=[], title="Riwayat", description="Dua titik.",
    )
    drawn = texts(draw.render_svg(spec))
    assert "Mei" in drawn and "Agu" in drawn


def test_tile_map_labels_values_and_missing_figures(specs, svgs):
    drawn = texts(svgs["tiles"])
    assert "Lamteng" in drawn and "26,4 %" in drawn
    assert drawn.count("tanpa data") >= 2  # two tiles and the legend
    # "Bandar Lampung" is too long for one line inside a tile.
    assert "Bandar\nLampung" in drawn
    assert specs["tiles"]["width"] == specs["tiles"]["height"] * 5 / 4  # square tiles


def test_tile_text_is_white_only_on_dark_tiles(specs):
    spec = specs["tiles"]
    rows = next(iter(v for v in spec["datasets"].values() if len(v) == len(TILES)))
    ink = {r["name"]: r["ink"] for r in rows}
    assert ink["Metro"] == "white"
    assert ink["Pesisir Barat"] != "white"
    assert ink["Pesawaran"] != "white"


def test_change_chart_signs_its_labels(svgs):
    drawn = texts(svgs["change"])
    assert "+0,99 poin" in drawn
    assert "\u22122,92 poin" in drawn  # a real minus sign, not a hyphen
    assert "\u22121,93 poin" in drawn


def test_reference_labels_are_not_crossed_by_other_rules():
    refs = [
        {"value": 24.86, "label": "Provinsi 24,86 %"},
        {"value": 32.62, "label": "Target 2024"},
        {"value": 38.39, "label": "Target 2025"},
    ]
    plot_px, dmax = 450, 45
    placement = labels._stack_labels(refs, dmax=dmax, plot_px=plot_px)
    for i, (line, right) in enumerate(placement):
        x = refs[i]["value"] / dmax * plot_px
        width = len(refs[i]["label"]) * labels._CHAR_PX
        lo, hi = (x - width, x) if right else (x, x + width)
        assert 0 <= lo and hi <= plot_px
        for j, (other_line, _) in enumerate(placement):
            if j != i and other_line <= line:  # rule j passes through line i
                assert not lo <= refs[j]["value"] / dmax * plot_px <= hi


# --- rendering ---------------------------------------------------------------------
def test_rendering_is_deterministic_and_png_is_png(specs):
    spec = specs["history"]
    assert draw.render_svg(spec) == draw.render_svg(spec)
    png = draw.render_png(spec)
    assert png.startswith(b"\x89PNG\r\n\x1a\n")
    assert png == draw.render_png(spec)


def test_svg_bytes_do_not_depend_on_what_was_rendered_before(specs, svgs):
    # Vega counts gradients per process: the tile map's legend gradient was
    # "gradient_0" the first time and "gradient_1" the next.
    again = draw.render_svg(specs["tiles"])
    assert again == svgs["tiles"]
    ids = re.findall(r'id="([^"]+)"', again)
    assert ids and all(f"url(#{i})" in again for i in ids)
    other = tiles.tile_map(TILES[:5], title="Lain", description="Peta lain.")
    assert not set(ids) & set(re.findall(r'id="([^"]+)"', draw.render_svg(other)))


@pytest.mark.parametrize("kind", KINDS)
def test_svg_has_a_size_of_about_600_px(kind, svgs):
    width = float(re.search(r'<svg[^>]* width="([\d.]+)"', svgs[kind]).group(1))
    assert 540 <= width <= 620


def test_versions_match_altair_schema():
    v = draw.versions()
    assert set(v) == {"vega", "vega-lite"}
    assert alt.SCHEMA_VERSION.lstrip("v").startswith(v["vega-lite"])
    assert all(re.fullmatch(r"\d+\.\d+(\.\d+)?", x) for x in v.values())


def test_fonts_are_pinned_unless_the_caller_chose(monkeypatch):
    monkeypatch.setenv("FONTCONFIG_FILE", "/somewhere/else.conf")
    theme._pin_fonts()
    assert os.environ["FONTCONFIG_FILE"] == "/somewhere/else.conf"

    monkeypatch.delenv("FONTCONFIG_FILE")
    theme._pin_fonts()
    if Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf").is_file():
        assert os.environ["FONTCONFIG_FILE"] == str(theme._FONTS_CONF)


def test_png_from_svg_matches_a_direct_png_render():
    spec = change.change_chart([{"label": "Naik", "points": 1.0}, {"label": "Perubahan total", "points": 1.0}],
                               title="Uji", description="Uji")
    assert draw.png_from_svg(draw.render_svg(spec)) == draw.render_png(spec)


# --- templates: one Altair build per shape -------------------------------------------
def _call(builder, *args, **kwargs):
    return lambda **more: builder(*args, **kwargs, **more)


def _shifted(rows, by, **changes):
    return [dict(r, coverage=None if r["coverage"] is None else round(r["coverage"] + by, 2), **changes) for r in rows]


CLEAR = [dict(r, highlight=False) for r in RANKING if not r["ambiguous"]]
# Pairs of calls of one shape (the same structure, other figures and words).
SAME_SHAPE = {
    "target": (
        _call(target.target_chart, PROVINCE, TARGETS, title="Cakupan dan target", description="Cakupan 24,86 persen."),
        _call(target.target_chart, 30.1, [{"year": 2024, "coverage": 35.0}, {"year": 2026, "coverage": 61.2}],
              title="Lain", subtitle="Per 1 Juli 2025", description="Lain."),
    ),
    "target-outside-no-targets": (
        _call(target.target_chart, 1.5, [], title="Sedikit", description="1,5 persen."),
        _call(target.target_chart, 0.2, [], title="Lebih sedikit", description="0,2 persen.", subtitle=["a", "b"]),
    ),
    "ranking": (
        _call(ranking.ranking_chart, RANKING, province=PROVINCE, targets=TARGETS, title="Peringkat", description="D."),
        _call(ranking.ranking_chart, _shifted(RANKING, 1.0, highlight=False), province=20.0,
              targets=[{"year": 2025, "coverage": 40.0}, {"year": 2024, "coverage": 30.0}],
              title="Peringkat lain", subtitle="Per 1 Juli 2025", description="Lain."),
    ),
    "ranking-clear-no-references": (
        _call(ranking.ranking_chart, CLEAR, province=None, targets=[], title="Peringkat", description="D."),
        _call(ranking.ranking_chart, [dict(r, highlight=r["name"] == "Mesuji") for r in _shifted(CLEAR[:5], 0.3)],
              province=None, targets=[], title="Lima", description="Lima."),
    ),
    "history": (
        _call(history.history_chart, HISTORY, targets=TARGETS, title="Riwayat", description="D."),
        _call(history.history_chart, _shifted(HISTORY, -3.0), targets=[{"year": 2025, "coverage": 31.0},
              {"year": 2026, "coverage": 36.0}], title="Riwayat lain", description="Lain."),
    ),
    "history-short": (
        _call(history.history_chart, HISTORY[:2], targets=[], title="Dua", description="D.", decimals=1, height=200),
        _call(history.history_chart, _shifted(HISTORY[1:3], 2, estimate=False), targets=[], title="Dua lagi",
              description="D.", decimals=1, height=180),
    ),
    "tiles": (
        _call(tiles.tile_map, TILES, title="Peta", description="Peta."),
        _call(tiles.tile_map, _shifted(TILES[:7], 5.0), title="Peta kecil", description="Peta kecil.", cell=60),
    ),
    "change": (
        _call(change.change_chart, CHANGE, title="Perubahan", description="D."),
        _call(change.change_chart, [{"label": "Naik", "points": 2.5}, {"label": "Total", "points": 2.5, "total": True}],
              title="Naik", description="Naik."),
    ),
}


@pytest.fixture
def templates_used(monkeypatch):
    """The template each spec is filled from, in order, from a clean template cache."""
    used = []
    fill = template.Template.fill

    def spy(self, *args, **kwargs):
        used.append(self)
        return fill(self, *args, **kwargs)

    monkeypatch.setattr(template.Template, "fill", spy)
    template._clear_templates()
    yield used
    template._clear_templates()


def _slot_paths(value, path=()):
    if isinstance(value, dict):
        return [p for k, v in value.items() for p in _slot_paths(v, (*path, k))]
    if isinstance(value, list):
        return [p for i, v in enumerate(value) for p in _slot_paths(v, (*path, i))]
    return [path] if isinstance(value, str) and value.startswith(template._SLOT) else []


def _differences(a, b, path=()):
    """Where two JSON values differ (a dict key in one only counts as a difference at the dict)."""
    if isinstance(a, dict) and isinstance(b, dict) and a.keys() == b.keys():
        return [p for k in a for p in _differences(a[k], b[k], (*path, k))]
    if isinstance(a, list) and isinstance(b, list) and len(a) == len(b):
        return [p for i, (x, y) in enumerate(zip(a, b)) for p in _differences(x, y, (*path, i))]
    return [] if a == b and type(a) is type(b) else [path]


@pytest.mark.parametrize("shape", SAME_SHAPE)
def test_a_spec_from_a_template_is_the_spec_built_afresh(shape, templates_used):
    first, other = SAME_SHAPE[shape]
    fresh = first()  # the template is built for this call
    other()  # the template filled with other figures in between
    again = first()  # from the cached template
    assert templates_used[0] is templates_used[1] is templates_used[2]
    assert again == fresh
    assert json.dumps(again) == json.dumps(fresh)  # the key order too
    template._clear_templates()
    assert first() == fresh and templates_used[3] is not templates_used[0]


@pytest.mark.parametrize("shape", SAME_SHAPE)
def test_specs_of_one_shape_differ_only_in_their_figures(shape, templates_used):
    first, other = SAME_SHAPE[shape]
    a, b = first(), other()
    made = templates_used[0]
    assert templates_used[1] is made, "the pair should be of one shape"
    slots = _slot_paths(made.spec)
    differences = _differences(a, b)
    assert differences  # other figures, other words
    for path in differences:
        assert any(path[: len(s)] == s for s in slots), f"{path} differs, and is no slot of the template"
    assert a.keys() == b.keys() and len(a["layer"]) == len(b["layer"])


def test_validate_checks_each_shape_once(monkeypatch, templates_used):
    checked = []
    monkeypatch.setattr(template, "validate_spec", lambda spec: checked.append(spec))
    first, other = SAME_SHAPE["ranking"]
    first(), other(), first(validate=False)
    assert len(checked) == 1
    SAME_SHAPE["history"][1]()
    assert len(checked) == 2


def test_validate_rejects_an_invalid_spec(monkeypatch, templates_used):
    first, _ = SAME_SHAPE["change"]
    first(validate=False)  # the template, not yet checked
    made = templates_used[0]
    monkeypatch.setitem(made.spec["layer"][0], "mark", {"type": "no-such-mark"})
    with pytest.raises(ValueError, match="invalid Vega-Lite spec"):
        first()


@pytest.mark.parametrize("shape", SAME_SHAPE)
def test_every_shape_gives_valid_vega_lite(shape, schema_validator):
    template._clear_templates()
    for call in SAME_SHAPE[shape]:
        spec = call()  # validate=True: the first of each shape is checked as it is filled
        errors = list(schema_validator.iter_errors(spec))
        assert errors == [], jsonschema.exceptions.best_match(errors).message
        template.validate_spec(spec)


def _drawn_bars(svg: str) -> list[str]:
    return re.findall(r'<path d="M[^"]*" fill="(#[0-9A-Fa-f]{6})"[^>]*stroke-width="1"', svg)


def _bold(svg: str) -> list[str]:
    return [t for attrs, t in re.findall(r"<text([^>]*)>([^<]*)</text>", svg) if 'font-weight="bold"' in attrs]


def test_ranking_highlight_is_the_param_sorot(specs):
    spec = specs["ranking"]
    assert spec["params"] == [{"name": "sorot", "value": "Tanggamus"}]
    bars = next(layer for layer in spec["layer"] if layer["mark"]["type"] == "bar")
    rows = spec["datasets"][bars["data"]["name"]]
    assert not any("highlight" in r for r in rows)  # the table is the same for every regency's page
    assert "datum.name === sorot" in json.dumps(bars)
    plain = ranking.ranking_chart(CLEAR, province=PROVINCE, targets=TARGETS, title="T", description="D.")
    assert plain["params"] == [{"name": "sorot", "value": None}]
    # The first clear row with highlight names it; a row of unclear attribution never does.
    unclear = [dict(r, highlight=r["ambiguous"]) for r in RANKING]
    assert ranking.ranking_chart(unclear, province=None, targets=[], title="T",
                                description="D.")["params"][0]["value"] is None


def test_ranking_draws_the_sorot_bar_dark_with_a_bold_name(svgs, specs):
    def drawn(spec):
        svg = draw.render_svg(spec)
        return _drawn_bars(svg).count(theme.BLUE), [t for t in _bold(svg) if t in {r["name"] for r in RANKING}], \
            re.findall(r'fill="white"[^>]*>([^<]+)</text>', svg)

    assert drawn(specs["ranking"]) == (1, ["Tanggamus"], ["29,4 %"])
    assert _drawn_bars(svgs["ranking"]).count(theme.CALM) == len(RANKING) - 3  # the others, less two unclear
    shared = json.loads(json.dumps(specs["ranking"]))
    shared["params"][0]["value"] = None  # as a page without a regency of its own
    assert drawn(shared) == (0, [], [])
    shared["params"][0]["value"] = "Kota Metro"  # as view.signal("sorot", "Kota Metro") does in a page
    assert drawn(shared) == (1, ["Kota Metro"], ["32,9 %"])
    shared["params"][0]["value"] = "Lampung Utara"  # only bars of unclear attribution have this name
    assert drawn(shared) == (0, [], [])


def test_ranking_without_highlight_draws_no_highlight():
    spec = ranking.ranking_chart(CLEAR, province=PROVINCE, targets=TARGETS, title="T", description="D.")
    svg = draw.render_svg(spec)
    assert _drawn_bars(svg).count(theme.BLUE) == 0
    assert _drawn_bars(svg).count(theme.CALM) == len(CLEAR)
    assert "Atribusi tidak jelas" not in texts(svg)  # the legend is for unclear bars only


def test_a_history_over_years_labels_each_year_over_its_span():
    """Yearly ticks sit at 1 January; the label runs right of its tick, over the year it names, so a
    target drawn at the end of 2030 stands over "2030" (a label past the plot is left out)."""
    points = [{"date": "2023-12-31", "coverage": 26.79}, {"date": "2025-12-08", "coverage": 25.27}]
    long = history.history_chart(points, targets=[{"year": 2030, "coverage": 58.35}], title="t", description="d")
    short = history.history_chart(points, targets=[], title="t", description="d")
    long_axis, short_axis = (next(layer["encoding"]["x"]["axis"] for layer in spec["layer"]
                                  if "axis" in layer["encoding"].get("x", {})) for spec in (long, short))
    assert long_axis["format"] == "%Y" and long_axis["labelAlign"] == "left" and long_axis["labelBound"] is True
    assert short_axis["format"] == "%b %Y" and "labelAlign" not in short_axis
    svg = draw.render_svg(long)
    labels = re.findall(r'translate\(([\d.]+),\d+\)"[^>]*opacity="([01])">(20\d\d)</text>', svg)
    shown = {year for _, opacity, year in labels if opacity == "1"}  # (Vega hides a label by opacity)
    assert {str(year) for year in range(2024, 2031)} <= shown
    # a shown label starts far enough from the plot's end to hold four digits (over 20 px at 11 px)
    assert all(float(x) + 20 <= long["width"] for x, opacity, _ in labels if opacity == "1")
    assert re.search(r'text-anchor="start"[^>]*>2030</text>', svg)


def test_percent_labels_never_touch_when_a_chart_is_drawn_narrow():
    """site.js draws a chart narrower on a phone; Vega then drops labels that would come closer than
    a few pixels instead of printing "40 %45 %"."""
    spec = target.target_chart(24.5, [{"year": 2025, "coverage": 38.39}], title="t", description="d")
    spec["width"] = 380  # (at this width, without a separation, "40 %" and "45 %" touch)
    ticks = re.findall(r'<text text-anchor="(\w+)" transform="translate\(([\d.]+),[\d.]+\)"[^>]*opacity="([01])">'
                       r'(\d+ %)</text>', draw.render_svg(spec))
    shown = [(anchor, float(x), text) for anchor, x, opacity, text in ticks if opacity == "1"]
    assert len(ticks) == 10 and 3 <= len(shown) <= 10

    def extent(anchor, x, text):  # ~7 px a character at 11 px
        width = 7 * len(text)
        left = x if anchor == "start" else x - width if anchor == "end" else x - width / 2
        return left, left + width

    for a, b in zip(shown, shown[1:]):
        assert extent(*b)[0] - extent(*a)[1] >= 4, (a, b)


def test_a_compacted_png_has_the_same_pixels_in_fewer_bytes():
    """png.compact deflates the image data again: the rows it holds are the same bytes."""
    import zlib

    import vl_convert

    from generator.charts import png

    spec = json.loads((Path(__file__).parent / "golden" / "expected" / "charts" / "contoh" / "2024-01-31" /
                       "target.vl.json").read_text(encoding="utf-8"))
    spec.pop("$schema", None)
    svg = draw.render_svg(spec)
    loose = vl_convert.svg_to_png(svg, scale=2)
    tight = draw.png_from_svg(svg)
    assert tight == png.compact(loose) and len(tight) < len(loose) * 0.7

    def rows(data: bytes) -> bytes:
        return zlib.decompress(b"".join(d for kind, d in png._chunks(data) if kind == b"IDAT"))

    assert rows(tight) == rows(loose)
    others = [(kind, d) for kind, d in png._chunks(loose) if kind != b"IDAT"]
    assert [(kind, d) for kind, d in png._chunks(tight) if kind != b"IDAT"] == others  # header and the rest as drawn
    assert [kind for kind, _ in png._chunks(tight)].count(b"IDAT") == 1
    assert png.compact(b"not a png") == b"not a png"


def test_a_drawing_process_draws_with_its_parents_vega_lite_version_and_never_imports_altair():
    """Altair costs a drawing process about 40 MB; the process needs only the Vega-Lite version."""
    from generator.charts import draw
    from generator.publish import workers

    spec = {"$schema": "https://vega.github.io/schema/vega-lite/v6.json", "mark": "bar",
            "data": {"values": [{"a": "x", "b": 1}]},
            "encoding": {"x": {"field": "a", "type": "nominal"}, "y": {"field": "b", "type": "quantitative"}}}
    with workers.drawing():
        pool, _ = workers._pool_for(1)
        assert pool.apply(workers._svg, (spec,)) == draw.render_svg(spec)
        assert pool.apply(eval, ("'altair' in __import__('sys').modules",)) is False
        assert pool.apply(eval, ("__import__('generator.charts.draw').charts.draw.vl_version()",)) == draw.vl_version()

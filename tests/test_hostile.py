"""Nothing injected: hostile data and prose are rejected with a clear message, or shown as text.

data/ and content/ are not trusted (docs/security.md). The loader refuses
files that would exhaust it (alias bombs, deep nesting, huge files, binary);
the model refuses values that cannot be shown safely (control characters,
unsafe addresses, slugs that leave the folder, numbers no float can hold);
everything else reaches the pages escaped, the chart specs cannot close
their <script>, and Markdown is sanitised. Small cases with their exact
messages are in tests/bad-data/ too.
"""

from __future__ import annotations

import csv
import html.parser
import io
import json
import re
import shutil
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from generator.data import load
from generator.site import render
from generator.commands.build import Settings, build
from generator.errors import DataError, UsageError
from generator.data.load import read_yaml
from generator.data.dataset import load_dataset
from conftest import FIXTURES, REPO

SCRIPT = "<script>alert(1)</script>"
BREAKOUT = "</script><script>alert(1)</script>"  # would close the <script type="application/json"> of a chart
ATTRIBUTE = '"><img src=x onerror=alert(1)>'
COMMENT = "<!--<script>"
TEMPLATE = "{{ 7 * 7 }}{% raw %}"
URL_BREAKER = '"><svg/onload=alert(1)>'  # a valid http(s) address (no spaces) that would close href=""
ESCAPED = "&lt;script&gt;alert(1)&lt;/script&gt;"


def problems(tmp_path: Path, text: str | bytes, name: str = "2024-01-31.yaml") -> list[str]:
    path = tmp_path / name
    path.write_bytes(text if isinstance(text, bytes) else text.encode("utf-8"))
    raw = read_yaml(path)
    return [f"{p.line}: {p.message}" for p in raw.problems]


# --------------------------------------------------------------------------- the loader's limits


@pytest.fixture
def values_made(monkeypatch) -> list[int]:
    """Counts the values the loader builds: the work a file costs, whatever the machine's speed."""
    made = [0]
    real = load.Raw

    def counted(*args, **kwargs):
        made[0] += 1
        return real(*args, **kwargs)

    monkeypatch.setattr(load, "Raw", counted)
    return made


def test_a_billion_laughs_is_refused_after_bounded_work(tmp_path, values_made):
    """9**9 values if expanded; the loader stops at its limit instead."""
    lines = ['a: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    for prev, name in zip("abcdefgh", "bcdefghi"):
        lines.append(f"{name}: &{name} [" + ", ".join([f"*{prev}"] * 9) + "]")
    found = problems(tmp_path, "\n".join(lines) + "\n")
    assert len(found) == 1 and "expands to more than 200,000 values (aliases of aliases?" in found[0]
    assert values_made[0] <= load.MAX_NODES


def test_a_merge_key_bomb_does_not_expand(tmp_path, values_made):
    lines = ["a: &a {k: 1}"]
    for prev, name in zip("abcdefgh", "bcdefghi"):
        lines.append(f"{name}: &{name} {{<<: [" + ", ".join([f"*{prev}"] * 9) + "]}")
    path = tmp_path / "m.yaml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    raw = read_yaml(path)
    assert raw.problems == [] and list(raw.root.value["i"].value) == ["k"]
    assert values_made[0] < 100  # each mapping holds one key after merging: nine mappings, eighteen values


@pytest.mark.parametrize("depth", [60, 1500])
@pytest.mark.parametrize("style", ["flow-list", "flow-map", "block"])
def test_deep_nesting_is_refused_not_a_crash(tmp_path, depth, style):
    """PyYAML composes recursively: 1500 levels used to hit Python's recursion limit (a RecursionError)."""
    if style == "flow-list":
        text = "notes: " + "[" * depth + "]" * depth + "\n"
    elif style == "flow-map":
        text = "notes: " + "{a: " * depth + "1" + "}" * depth + "\n"
    else:
        depth = min(depth, 900)  # (1500 indented levels are 2.2 MB, over the size limit)
        text = "".join("  " * i + f"k{i}:\n" for i in range(depth)) + "  " * depth + "x: 1\n"
    found = problems(tmp_path, text)
    assert len(found) == 1 and found[0].endswith(": nested deeper than 50 levels")


def test_nesting_up_to_the_limit_is_read(tmp_path):
    assert problems(tmp_path, "a: " + "[" * 49 + "]" * 49 + "\n") == []


def test_a_file_over_the_size_limit_is_refused_unread(tmp_path):
    assert load.MAX_BYTES == 1_000_000
    found = problems(tmp_path, "a: " + "x" * load.MAX_BYTES + "\n")
    assert found == ["0: file is 1,000,004 bytes (at most 1,000,000 expected)"]


@pytest.mark.parametrize("data, line", [
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", 1),  # an image saved as .yaml
    ("date: 2024-01-31\nname: caf\xe9\n".encode("latin-1"), 2),  # Latin-1
    ("date: 2024-01-31\n".encode("utf-16"), 1),  # UTF-16 with its byte-order mark
    (bytes(range(256)), 2),
])
def test_binary_and_non_utf8_files_are_refused(tmp_path, data, line):
    assert problems(tmp_path, data) == [f"{line}: is not UTF-8 text"]


def test_a_control_character_is_refused_with_its_line_not_a_crash(tmp_path):
    """PyYAML refuses it while the loader is made, which used to be outside the error handling."""
    found = problems(tmp_path, "date: 2024-01-31\nsources:\n  - publisher: a\x00b\n")
    assert found == ["3: invalid YAML: the character U+0000 is not allowed (control characters cannot be in a YAML file)"]


def test_a_utf8_byte_order_mark_is_fine(tmp_path):
    assert problems(tmp_path, "\ufeffdate: 2024-01-31\n") == []


def test_a_key_that_is_a_list_or_mapping_is_reported(tmp_path):
    assert problems(tmp_path, "? [a, b]\n: 1\n? {a: 1}\n: 2\n") == ["1: a key is a list (text expected)",
                                                                   "3: a key is a mapping (text expected)"]


def test_merge_keys_follow_yaml_and_only_real_duplicates_are_reported(tmp_path):
    path = tmp_path / "m.yaml"
    path.write_text("base: &b {x: 1, y: 2}\nover: {<<: *b, x: 3}\ntwice: {<<: *b, x: 3, x: 4}\nagain: *b\n",
                    encoding="utf-8")
    raw = read_yaml(path)
    plain = {k: {kk: vv.value for kk, vv in v.value.items()} for k, v in raw.root.value.items()}
    assert plain == {"base": {"x": 1, "y": 2}, "over": {"x": 3, "y": 2}, "twice": {"x": 3, "y": 2},
                     "again": {"x": 1, "y": 2}}
    assert [str(p) for p in raw.problems] == [f"{raw.shown}:3: x: key appears twice in one mapping (also at line 3)"]


# --------------------------------------------------------------------------- values the model refuses


REGION = """\
name: Contoh
kind: provinsi
code: "99"
code_system: bps
subregions:
  - {code: "9901", name: Kabupaten Hulu, kind: kabupaten}
  - {code: "9902", name: Kabupaten Hilir, kind: kabupaten}
"""
SNAPSHOT = """\
date: 2024-01-31
sources:
  - {id: buletin, publisher: Buletin Contoh, url: "https://example.org/1"}
participants: 120000
workforce: 600000
coverage: 20.0
subregions:
  - {name: Kabupaten Hulu, coverage: 12.5}
"""


def validate(tmp_path: Path, region: str = REGION, snapshot: str = SNAPSHOT, folder: str = "contoh") -> list[str]:
    data = tmp_path / "data"
    shutil.rmtree(data, ignore_errors=True)
    (data / folder).mkdir(parents=True)
    (data / folder / "region.yaml").write_text(region, encoding="utf-8")
    (data / folder / "2024-01-31.yaml").write_text(snapshot, encoding="utf-8")
    try:
        load_dataset(data)
    except DataError as exc:
        return [f"{Path(p.path).name}:{p.line}: {p.key}: {p.message}" if p.key else f"{Path(p.path).name}: {p.message}"
                for p in exc.problems]
    return []


def test_the_plain_case_is_valid(tmp_path):
    assert validate(tmp_path) == []


@pytest.mark.parametrize("url", [
    "javascript:alert(1)", "JavaScript:alert(1)", " javascript:alert(1)", "data:text/html,<script>alert(1)</script>",
    "vbscript:msgbox(1)", "file:///etc/passwd", "//evil.example/x", "https://", "http:// evil.example",
    "ftp://example.org/x", "/relative/path",
])
def test_only_http_addresses_are_accepted_for_sources(tmp_path, url):
    found = validate(tmp_path, snapshot=SNAPSHOT.replace('"https://example.org/1"', json.dumps(url)))
    assert found == [f'2024-01-31.yaml:3: sources[0].url: "{url.strip()}" is not a web address '
                     "(http:// or https:// expected)"]


@pytest.mark.parametrize("value, message", [
    (".nan", "is nan (a finite number expected)"),
    (".inf", "is inf (a finite number expected)"),
    ("-.inf", "is -inf (a finite number expected)"),
    ("-1", "is -1 (zero or more people expected)"),
    ("1.0e+30", "is 1e+30 (at most 1,000,000,000 people expected)"),
    ("9" * 400, "is a 400-digit number (at most 1,000,000,000,000,000 expected)"),
    ("1e30", 'is text "1e30" (a number expected; YAML reads 1e6 as text, 1.0e+6 as a number)'),
    ("120000.5", "is 120000.5 (a whole number of people expected)"),
])
def test_numbers_no_count_can_be(tmp_path, value, message):
    assert validate(tmp_path, snapshot=SNAPSHOT.replace("participants: 120000", f"participants: {value}")) == [
        f"2024-01-31.yaml:4: participants: {message}"]


def test_a_number_longer_than_python_reads_is_refused_not_a_crash(tmp_path):
    assert problems(tmp_path, "date: 2024-01-31\nparticipants: " + "9" * 5000 + "\n") == [
        "2: holds a number too long to read (more than 4,300 digits; at most 1,000,000,000,000,000 expected)"]


@pytest.mark.parametrize("value, message", [
    (".nan", "is nan (a finite number expected)"),
    ("100.01", "is 100.01 (a percentage from 0 to 100 expected)"),
    ("-0.5", "is -0.5 (a percentage from 0 to 100 expected)"),
])
def test_percentages_out_of_range(tmp_path, value, message):
    snapshot = SNAPSHOT.replace("  - {name: Kabupaten Hulu, coverage: 12.5}", f"  - {{name: Kabupaten Hulu, coverage: {value}}}")
    assert validate(tmp_path, snapshot=snapshot) == [f"2024-01-31.yaml:8: subregions[0].coverage: {message}"]


@pytest.mark.parametrize("char", ["\\0", "\\x07", "\\e", "\\x85", "\\u202e", "\\u2066", "\\ud800", "\\uffff"])
def test_invisible_and_control_characters_in_text_are_refused(tmp_path, char):
    """YAML's escapes can put characters in a string that the file itself may not hold."""
    snapshot = SNAPSHOT.replace("publisher: Buletin Contoh", f'publisher: "Buletin{char}Contoh"')
    found = validate(tmp_path, snapshot=snapshot)
    assert len(found) == 1
    assert re.fullmatch(r"2024-01-31\.yaml:3: sources\[0\]\.publisher: contains the invisible character U\+[0-9A-F]{4} "
                        r"\(plain text expected\)", found[0])


def test_very_long_text_is_refused(tmp_path):
    snapshot = SNAPSHOT.replace("publisher: Buletin Contoh", "publisher: " + "x" * 201)
    snapshot += "notes:\n  - {id: panjang, text: " + "kata " * 401 + "}\n"
    assert validate(tmp_path, snapshot=snapshot) == [
        "2024-01-31.yaml:3: sources[0].publisher: is 201 characters long (at most 200 expected)",
        "2024-01-31.yaml:10: notes[0].text: is 2,004 characters long (at most 2,000 expected)",
    ]


@pytest.mark.parametrize("slug", ["..", "../x", "a/b", "/etc", "C:\\x", "a.b", "．．", "ａｂｃ", "kota_metro", "-a", "A"])
def test_slugs_that_could_leave_the_folder_or_are_not_plain_are_refused(tmp_path, slug):
    region = REGION.replace("name: Kabupaten Hilir, kind: kabupaten}", f"name: Kabupaten Hilir, kind: kabupaten, slug: {json.dumps(slug)}}}")
    assert validate(tmp_path, region=region) == [
        f'region.yaml:7: subregions[1].slug: {json.dumps(slug, ensure_ascii=False)} is not a URL slug '
        "(lowercase a-z, 0-9 and - expected)"]  # quoted as JSON: a backslash is written \\


@pytest.mark.parametrize("name, slug", [
    ("Kota ／ Etc", "kota-etc"),  # fullwidth solidus
    ("．．／．．／Etc", "etc"),  # fullwidth full stops
    ("Kota Méträ", "kota-metra"),
    ("../../Kota", "kota"),
])
def test_look_alike_characters_in_names_make_plain_slugs(tmp_path, name, slug):
    region = REGION.replace("name: Kabupaten Hilir", f"name: {json.dumps(name)}")
    data = tmp_path / "data"
    assert validate(tmp_path, region=region) == []
    assert load_dataset(data).regions[0].subregions[1].slug == slug


@pytest.mark.parametrize("name", ["!!!", "／／", "港口市"])
def test_a_name_without_latin_letters_needs_a_slug(tmp_path, name):
    region = REGION.replace("name: Kabupaten Hilir", f"name: {json.dumps(name)}")
    assert validate(tmp_path, region=region) == [
        f'region.yaml:7: subregions[1].name: "{name}" has no letter a-z or digit to make its URL slug from (set slug:)']
    region = region.replace("kind: kabupaten}\n", "kind: kabupaten, slug: pelabuhan}\n", 2)
    assert validate(tmp_path, region=region.replace("slug: pelabuhan}", "slug: hulu}", 1)) == []


def test_two_names_without_latin_letters_are_still_told_apart(tmp_path):
    region = REGION.replace("name: Kabupaten Hulu, kind: kabupaten}", 'name: "港口", kind: kabupaten, slug: gangkou}')
    region = region.replace("name: Kabupaten Hilir, kind: kabupaten}", 'name: "山城", kind: kabupaten, slug: shancheng}')
    snapshot = SNAPSHOT.replace("{name: Kabupaten Hulu, coverage: 12.5}", '{name: "港口", coverage: 12.5}')
    assert validate(tmp_path, region=region, snapshot=snapshot) == []


def test_a_name_whose_slug_is_too_long(tmp_path):
    region = REGION.replace("name: Kabupaten Hilir", "name: " + "Hilir " * 20)
    assert validate(tmp_path, region=region) == [
        "region.yaml:7: subregions[1].name: makes a URL slug of 119 characters (at most 80 expected: set a shorter slug:)"]


@pytest.mark.parametrize("other, message", [
    ("Kabupaten-Hulu", 'subregions[1].name: "Kabupaten-Hulu" appears twice (also at line 6)'),
    ("KABUPATEN  HULU!", 'subregions[1].name: "KABUPATEN  HULU!" appears twice (also at line 6)'),
    ("Kabupaten Hūlu", 'subregions[1].name: "Kabupaten Hūlu" appears twice (also at line 6)'),
])
def test_names_that_differ_but_make_the_same_slug_collide(tmp_path, other, message):
    region = REGION.replace("name: Kabupaten Hilir", f"name: {json.dumps(other)}")
    assert validate(tmp_path, region=region) == [f"region.yaml:7: {message}"]


def test_an_explicit_slug_that_collides_with_a_made_one(tmp_path):
    region = REGION.replace("name: Kabupaten Hilir, kind: kabupaten}", "name: Kabupaten Hilir, kind: kabupaten, slug: kabupaten-hulu}")
    assert validate(tmp_path, region=region) == ['region.yaml:7: subregions[1].slug: "kabupaten-hulu" appears twice (also at line 6)']


@pytest.mark.parametrize("name", ["Provinsi Contoh", "PROVINSI  Contoh"])
def test_a_region_name_that_names_its_kind_is_refused(tmp_path, name):
    """Pages say "Provinsi <name>": a name written with its kind would print "Provinsi Provinsi Contoh"."""
    region = REGION.replace("name: Contoh", f"name: {name}")
    assert validate(tmp_path, region=region) == [
        f'region.yaml:1: name: "{name}" names its kind; write the name alone ("Contoh"): pages put "Provinsi" '
        "before it"]


@pytest.mark.parametrize("folder, message", [
    ("Contoh", 'folder name "Contoh" is not a URL slug (lowercase a-z, 0-9 and - expected)'),
    ("con toh", 'folder name "con toh" is not a URL slug (lowercase a-z, 0-9 and - expected)'),
    ("contoh.old", 'folder name "contoh.old" is not a URL slug (lowercase a-z, 0-9 and - expected)'),
    ("assets", 'folder name "assets" is taken by the site\'s own files (rename the folder)'),
    ("charts", 'folder name "charts" is taken by the site\'s own files (rename the folder)'),
])
def test_a_region_folder_name_must_be_a_free_slug(tmp_path, folder, message):
    assert validate(tmp_path, folder=folder) == [f"region.yaml: {message}"]


def test_a_content_page_named_like_a_region_is_refused(tmp_path):
    content = tmp_path / "content"
    content.mkdir()
    (content / "contoh.md").write_text("# Contoh\n\nSebuah halaman.\n", encoding="utf-8")
    with pytest.raises(UsageError, match="contoh.md: the address contoh/ is taken by a region's folder"):
        build(Settings(data=FIXTURES / "data", out=tmp_path / "site", content=content, templates=REPO / "templates"))
    assert not (tmp_path / "site").exists()


# --------------------------------------------------------------------------- Markdown in content/


PROSE = f"""\
## Judul *miring* dan `kode`

| a | b |
|---|---|
| 1 | **2** |

[tautan](https://example.org/a) [relatif](../metodologi/index.html) [surel](mailto:a@example.org)
[js](javascript:alert(1)) [JS](JAVASCRIPT:alert(1)) [data](data:text/html,x) [vb](vbscript:x)

{SCRIPT}

<style>body {{ display: none }}</style>

<iframe src="https://evil.example/"></iframe>

<p onclick="alert(1)" style="color: red" class="catatan" id="penting">teks</p>

<a href=" java&#x09;script:alert(1)">y</a> <img src=x onerror=alert(1)> <svg onload=alert(1)></svg>

<form action="https://evil.example/"><input name=q></form> <object data=x></object> <embed src=x>

<!-- {SCRIPT} -->
"""


def test_markdown_keeps_ordinary_formatting():
    out = render.markdown_html(PROSE)
    assert '<h2 id="judul-miring-dan-kode">Judul <em>miring</em> dan <code>kode</code></h2>' in out
    assert "<table>" in out and "<th>a</th>" in out and "<td><strong>2</strong></td>" in out
    assert '<a href="https://example.org/a">tautan</a>' in out
    assert '<a href="../metodologi/index.html">relatif</a>' in out
    assert '<a href="mailto:a@example.org">surel</a>' in out
    assert '<p class="catatan" id="penting">teks</p>' in out


def test_markdown_loses_scripts_styles_frames_handlers_and_unsafe_links():
    out = render.markdown_html(PROSE)
    lowered = out.lower()
    for gone in ("<script", "alert(1)</", "<style", "display: none", "<iframe", "onclick", "onerror", "onload",
                 "style=", "javascript:", "java", "data:", "vbscript", "<form", "<input", "<object", "<embed",
                 "<svg", "<!--"):
        assert gone not in lowered, gone
    assert "<a>js</a>" in out and "<a>data</a>" in out  # the text stays, the link goes


def test_markdown_output_is_marked_safe_so_templates_do_not_escape_it_twice():
    assert hasattr(render.markdown_html("*a*"), "__html__")


def test_the_shipped_prose_is_unchanged_by_the_sanitiser():
    for path in sorted((REPO / "content").glob("*.md")):
        raw = render._markdown().convert(path.read_text(encoding="utf-8").split("\n", 1)[1])
        assert render.sanitise(raw) == raw, path.name


# --------------------------------------------------------------------------- a whole site from hostile data


def hostile_data(root: Path) -> tuple[Path, Path]:
    """A valid data folder and content folder with markup in every text field; returns (data, content)."""
    data, content = root / "data", root / "content"
    q = json.dumps  # a JSON string is a YAML double-quoted string
    (data / "uji").mkdir(parents=True)
    (data / "uji" / "region.yaml").write_text(f"""\
name: {q("Uji " + SCRIPT)}
kind: {q("provinsi " + ATTRIBUTE)}
code: {q("<b>99</b>")}
code_system: bps
subregions:
  - {{code: "9901", name: {q("Hulu " + SCRIPT)}, kind: kabupaten, short: {q(COMMENT)}, tile: {{x: 0, y: 0}}, aliases: [{q("Hulu " + COMMENT)}]}}
  - {{code: "9902", name: {q("Hilir " + BREAKOUT)}, kind: kabupaten, short: {q(BREAKOUT)}, tile: {{x: 1, y: 0}}}}
  - {{code: "9903", name: {q("Tengah " + ATTRIBUTE)}, kind: kabupaten, tile: {{x: 0, y: 1}}}}
  - {{code: "9971", name: {q("=HYPERLINK(1) " + TEMPLATE)}, kind: kota, tile: {{x: 1, y: 1}}}}
""", encoding="utf-8")
    source = (f"{{id: sumber, publisher: {q('Penerbit ' + SCRIPT)}, title: {q('Judul ' + BREAKOUT)}, "
              f"about: {q('Tentang ' + ATTRIBUTE + ' ' + TEMPLATE)}, "
              f"url: {q('https://example.org/?q=' + URL_BREAKER)}}}")
    for when, p, w, c, subs in (("2024-01-31", 120000, 600000, 20.0, (12.5, 18.0, 22.0, 31.5)),
                                ("2024-07-31", 150000, 620000, 24.19, (14.0, 19.5, 23.0, 33.0))):
        names = ["Hulu " + COMMENT, "Hilir " + BREAKOUT, "Tengah " + ATTRIBUTE, "=HYPERLINK(1) " + TEMPLATE]
        (data / "uji" / f"{when}.yaml").write_text(f"""\
date: {when}
sources:
  - {source}
participants: {p}
workforce: {{value: {w}, note: {q("Catatan " + SCRIPT)}, stated: {q(str(w) + " " + BREAKOUT)}}}
coverage: {c}
targets:
  - {{year: 2025, coverage: 30.0}}
subregions:
""" + "".join(f"  - {{name: {q(n)}, coverage: {v}}}\n" for n, v in zip(names, subs)) + f"""\
rankings:
  - {{sources: [sumber], highest: [{q(names[3])}], lowest: [{q(names[1])}]}}
segments:
  - {{name: {q("Segmen " + SCRIPT)}, participants: 1000, workforce: 4000}}
notes:
  - {{id: catatan, kind: problem, text: {q("Catatan " + BREAKOUT + " " + ATTRIBUTE + " " + TEMPLATE)}, source: sumber}}
""", encoding="utf-8")
    shutil.copytree(REPO / "content", content)
    (content / "uji").mkdir()
    (content / "uji" / "2024-07-31.md").write_text("Catatan redaksi *penting*.\n\n" + PROSE, encoding="utf-8")
    (content / "halaman.md").write_text(f"# Halaman {SCRIPT}\n\n{ATTRIBUTE} pembuka.\n\n" + PROSE, encoding="utf-8")
    return data, content


def build_hostile(root: Path) -> Path:
    data, content = hostile_data(root)
    out = root / "site"
    build(Settings(data=data, out=out, content=content, templates=REPO / "templates",
                   base_url="https://contoh.github.io/uji/"))
    return out


@pytest.fixture(scope="module")
def hostile(tmp_path_factory) -> Path:
    return build_hostile(tmp_path_factory.mktemp("hostile"))


class _Elements(html.parser.HTMLParser):
    """Every element and attribute of a page, and the text of its scripts."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict]] = []
        self.scripts: list[tuple[dict, str]] = []
        self._open: dict | None = None

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        if tag == "script":
            self._open, self._text = dict(attrs), []

    def handle_data(self, data):
        if self._open is not None:
            self._text.append(data)

    def handle_endtag(self, tag):
        if tag == "script" and self._open is not None:
            self.scripts.append((self._open, "".join(self._text)))
            self._open = None


def parse(page: Path) -> _Elements:
    parser = _Elements()
    parser.feed(page.read_text(encoding="utf-8"))
    parser.close()
    return parser


def test_the_hostile_site_builds_with_every_page(hostile):
    assert (hostile / "uji" / "index.html").is_file()
    assert (hostile / "halaman" / "index.html").is_file()
    assert len(list(hostile.glob("uji/*/index.html"))) >= 4


def test_every_file_stays_inside_the_site_with_a_plain_name(hostile):
    for path in hostile.rglob("*"):
        rel = path.relative_to(hostile).as_posix()
        assert re.fullmatch(r"[a-z0-9.][a-z0-9._/-]*", rel, re.I), rel
        assert ".." not in rel.split("/")
        assert path.resolve().is_relative_to(hostile.resolve())


def test_no_page_has_a_script_or_handler_the_site_did_not_write(hostile):
    pages = sorted(hostile.rglob("*.html"))
    charts = 0
    for page in pages:
        parsed = parse(page)
        where = page.relative_to(hostile).as_posix()
        for tag, attrs in parsed.tags:
            assert not [a for a in attrs if a.startswith("on")], (where, tag, attrs)
            if tag == "form" and where == "cari/index.html" and attrs.get("id") == "cari" and "action" not in attrs:
                continue  # the search page's own form (answered on the page by search.js, never sent)
            assert tag not in ("iframe", "object", "embed", "style", "form", "svg"), (where, tag)
            for name in ("href", "src"):
                value = (attrs.get(name) or "").strip().lower()
                assert not value.startswith(("javascript:", "data:", "vbscript:")), (where, tag, attrs)
            if tag == "img":  # the charts' pictures, or a relative image in prose: nothing from elsewhere
                assert not re.match(r"[a-z][a-z0-9+.-]*:|//", attrs["src"], re.I), (where, attrs)
        for attrs, text in parsed.scripts:
            if attrs.get("type") == "application/json":
                json.loads(text)  # the spec survived whole: the name did not close the element
                assert attrs["id"].endswith("-spec")
                charts += 1
                assert "</" not in text and "<!--" not in text
            else:
                assert re.fullmatch(r"(\.\./)*assets/[0-9a-f]{16}/(vega|site|sort|search)\.js", attrs["src"]) and text == "", (where, attrs)
    assert charts >= 5


def test_markup_in_every_text_field_is_shown_as_text(hostile):
    report = (hostile / "uji" / "index.html").read_text(encoding="utf-8")
    for shown in ("Uji " + ESCAPED,  # region name
                  "Hulu " + ESCAPED,  # sub-region name
                  "Penerbit " + ESCAPED,  # source publisher
                  "Segmen " + ESCAPED,  # segment name
                  "Catatan " + ESCAPED,  # figure note
                  "&lt;/script&gt;&lt;script&gt;alert(1)&lt;/script&gt;",  # note text, source title
                  "&#34;&gt;&lt;img src=x onerror=alert(1)&gt;",  # an attribute breaker, in text
                  "{{ 7 * 7 }}{% raw %}"):  # Jinja does not read data as a template
        assert shown in report, shown
    assert "alert(1)</script>" not in report.replace("<\\/script>", "")
    assert "49" not in re.sub(r"\d{3,}|[\d.,]+ ?%", "", report).split("{{ 7 * 7 }}")[0][-20:]
    link = re.search(r'<a href="(https://example\.org/[^"]*)" rel="noopener">', report).group(1)
    assert link == "https://example.org/?q=&#34;&gt;&lt;svg/onload=alert(1)&gt;"


def test_chart_specs_carry_hostile_names_intact(hostile):
    report = parse(hostile / "uji" / "index.html")
    specs = [json.loads(text) for attrs, text in report.scripts if attrs.get("type") == "application/json"]
    blob = json.dumps(specs, ensure_ascii=False)
    assert "Hilir " + BREAKOUT in blob and "Hulu " + SCRIPT in blob
    assert '"short": "<!--<script>"' in blob  # the tile map's label


def test_chart_images_are_well_formed_and_hold_no_script(hostile):
    svgs = sorted(hostile.glob("charts/**/*.svg"))
    assert svgs
    for svg in svgs:
        root = ET.parse(svg).getroot()  # well-formed XML: every name was escaped
        assert not [e for e in root.iter() if e.tag.rsplit("}", 1)[-1] in ("script", "foreignObject")], svg
        assert not [k for e in root.iter() for k in e.attrib if k.lower().startswith("on")], svg
    assert "Hilir &lt;/script&gt;" in "".join(s.read_text(encoding="utf-8") for s in svgs)


def test_the_csv_does_not_start_a_formula(hostile):
    rows = list(csv.reader(io.StringIO((hostile / "uji" / "data" / "2024-07-31.csv").read_text(encoding="utf-8"))))
    names = [row[1] for row in rows[1:]]
    assert "'=HYPERLINK(1) {{ 7 * 7 }}{% raw %}" in names
    assert not [cell for row in rows for cell in row if cell[:1] in ("=", "+", "@")]
    assert "Hilir " + BREAKOUT in names  # other text as it is


def test_the_json_export_and_the_feed_are_well_formed(hostile):
    data = json.loads((hostile / "uji" / "data" / "2024-07-31.json").read_text(encoding="utf-8"))
    assert data["region"]["name"] == "Uji " + SCRIPT
    feed = ET.parse(hostile / "feed.xml").getroot()
    assert "Uji " + SCRIPT in "".join(feed.itertext())
    ET.parse(hostile / "sitemap.xml")


def test_prose_and_the_editor_note_are_sanitised_in_the_page(hostile):
    page = (hostile / "halaman" / "index.html").read_text(encoding="utf-8")
    assert "<h1>Halaman " + ESCAPED + "</h1>" in page  # the title is text
    assert '<h2 id="judul-miring-dan-kode">' in page  # the body is HTML, not escaped
    assert "<table>" in page
    report = (hostile / "uji" / "index.html").read_text(encoding="utf-8")
    note = report.split('class="editor-note"')[1].split("</section>")[0]
    assert "<em>penting</em>" in note and "<table>" in note
    for page_text in (page, note):
        assert "<iframe" not in page_text and "onclick" not in page_text and "javascript:" not in page_text

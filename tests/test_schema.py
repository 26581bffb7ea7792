"""The data format's JSON Schemas: valid Draft 2020-12, true of every shipped file, and their errors located."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given, settings, strategies as st
from jsonschema import Draft202012Validator

from conftest import FIXTURES, REPO
from generator.data import schema
from generator.data.load import read_yaml

DATA_FILES = sorted([*(REPO / "data").glob("*/*.yaml"), *FIXTURES.glob("*/*/*.yaml")])


def kind_of(path: Path) -> str:
    return schema.REGION if path.name == "region.yaml" else schema.SNAPSHOT


@pytest.mark.parametrize("kind", [schema.REGION, schema.SNAPSHOT])
def test_each_schema_is_a_valid_draft_2020_12_schema(kind):
    text = json.loads(schema.schema_text(kind))
    assert text["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    Draft202012Validator.check_schema(text)


def test_the_validator_is_compiled_once():
    assert schema.validator(schema.SNAPSHOT) is schema.validator(schema.SNAPSHOT)


@pytest.mark.parametrize("path", DATA_FILES, ids=[str(p.relative_to(REPO)) for p in DATA_FILES])
def test_every_shipped_data_file_and_fixture_fits_its_schema(path):
    raw = read_yaml(path)
    assert raw.problems == [] and raw.root is not None
    assert schema.problems(kind_of(path), raw.root, raw.shown) == []


SNAPSHOT = """\
date: 2024-01-31
sources:
  - id: buletin
    publisher: Buletin Contoh
participants: 150000
workforce: 700000
coverage: {value: 21.43, source: buletin}
targets:
  - year: 2025
    coverage: 30
subregions:
  - name: Kota Pelabuhan
    coverage: 33.0
notes:
  - id: catatan
    text: Sebuah catatan.
"""


def located(tmp_path, text: str) -> list[str]:
    path = tmp_path / "2024-01-31.yaml"
    path.write_text(text, encoding="utf-8")
    raw = read_yaml(path)
    return [f"{p.line}: {p.key}: {p.message}" for p in schema.problems(schema.SNAPSHOT, raw.root, "s.yaml")]


@pytest.mark.parametrize("old, new, expected", [
    ("participants: 150000", "participants: banyak", '5: participants: is text "banyak" (a number expected)'),
    ("participants: 150000", "participants: 1e6",
     '5: participants: is text "1e6" (a number expected; YAML reads 1e6 as text, 1.0e+6 as a number)'),
    ("participants: 150000", "participant: 150000", "5: participant: unknown key (did you mean 'participants'?)"),
    ("source: buletin}", "sorce: buletin}", "7: coverage.sorce: unknown key (did you mean 'source'?)"),
    ("source: buletin}", "sumber: buletin}", "7: coverage.sumber: unknown key "
     "(expected one of: value, source, rounded_to, stated, approximate, note, basis)"),
    ("    coverage: 30\n", "", "9: targets[0].coverage: required key is missing"),
    ("year: 2025", "year: segera",
     '9: targets[0].year: is text "segera" (a year, or unknown when the source gives none, expected)'),
    ("date: 2024-01-31", "date: 31 Januari 2024",
     '1: date: "31 Januari 2024" is not a date (YYYY-MM-DD expected; YYYY-MM or YYYY for a month or a year)'),
    ("id: catatan", "id: Catatan Satu",
     '15: notes[0].id: "Catatan Satu" is not a simple id (lowercase a-z, 0-9 and - expected)'),
    ("text: Sebuah catatan.", "text: Sebuah catatan.\n    kind: penting",
     '17: notes[0].kind: "penting" is not allowed (one of: info, problem)'),
    ("    coverage: 33.0", "    coverage: [33.0]", "13: subregions[0].coverage: is a list (a number expected)"),
    ("sources:\n  - id: buletin\n    publisher: Buletin Contoh\n", "sources: []\n",
     "2: sources: is empty (at least one source expected)"),
    ("sources:\n  - id: buletin\n    publisher: Buletin Contoh\n", "sources:\n", "2: sources: is empty (a list expected)"),
])
def test_a_schema_error_names_the_line_and_key(tmp_path, old, new, expected):
    assert old in SNAPSHOT
    assert located(tmp_path, SNAPSHOT.replace(old, new, 1)) == [expected]


WRONG = st.one_of(st.lists(st.integers(), max_size=2), st.dictionaries(st.sampled_from(["x", "y"]), st.integers(),
                                                                        max_size=1), st.booleans())
PLACES = ["participants", "workforce", "coverage", "targets", "subregions", "notes", "sources"]


@settings(max_examples=40, deadline=None)
@given(key=st.sampled_from(PLACES), value=WRONG)
def test_any_wrong_value_at_a_known_key_is_reported_at_its_line_and_key(tmp_path_factory, key, value):
    """A value of the wrong shape at a top key is reported on that key's line, naming it (or its items)."""
    lines = SNAPSHOT.splitlines()
    start = next(i for i, text in enumerate(lines) if text.startswith(f"{key}:"))
    end = next((i for i in range(start + 1, len(lines)) if not lines[i].startswith(" ")), len(lines))
    lines[start:end] = [f"{key}: {json.dumps(value)}"]
    found = located(tmp_path_factory.mktemp("s"), "\n".join(lines) + "\n")
    line = start + 1
    listed = key in ("targets", "subregions", "notes", "sources")
    if listed and value == []:
        assert found == ([f"{line}: sources: is empty (at least one source expected)"] if key == "sources" else [])
    elif listed and isinstance(value, list):  # a list of the wrong items: each item at its own key
        assert found == [f"{line}: {key}[{i}]: is a whole number ({v}) (a mapping expected)" for i, v in enumerate(value)]
    elif not listed and isinstance(value, dict):  # a figure's mapping: value missing, x or y unknown
        assert found and all(f.startswith(f"{line}: {key}") for f in found)
    else:
        assert len(found) == 1 and found[0].startswith(f"{line}: {key}: is "), found


@pytest.mark.parametrize("kind", [schema.REGION, schema.SNAPSHOT])
def test_every_reference_is_a_local_definition_with_only_annotations_beside_it(kind):
    """What makes the validator's inlined schema (schema.validator) mean exactly the shipped one."""
    refs = []

    def walk(node):
        if isinstance(node, dict):
            if "$ref" in node:
                refs.append(node)
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    shipped = json.loads(schema.schema_text(kind))
    walk(shipped)
    assert refs
    for ref in refs:
        assert ref["$ref"].removeprefix("#/$defs/") in shipped["$defs"]
        assert set(ref) <= {"$ref", "title", "description"}
    assert "$ref" not in json.dumps(schema.validator(kind).schema)

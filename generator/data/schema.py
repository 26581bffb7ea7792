"""The structure of the data files, checked against their JSON Schemas before their meaning.

data/schema/region.schema.json and snapshot.schema.json (Draft 2020-12) say
what keys a file may have, which are required, and the type, pattern or
choices of each value. They are the format's one description of its shape:
editors read them for completion and inline errors (docs/data-format.md), and
here each parsed file is validated against them with jsonschema. A schema
error becomes a Problem in the voice of every other message: the file, the
line its key was written on (from load.py's Raw values), the key as a path
(`subregions[2].coverage`) and what was expected. Words a schema keyword
cannot give are kept in the schema itself: `x-expected` names what a value
should be ("text", "a number"), `x-problem` is the sentence for a pattern,
choice or length it fails.
"""

from __future__ import annotations

import difflib
import functools
import hashlib
import json
import re
from importlib import resources
from importlib.metadata import version
from pathlib import Path

from jsonschema import Draft202012Validator
from jsonschema.exceptions import ValidationError, best_match

from generator.errors import Problem
from generator.data.check import describe, join
from generator.data.load import ParseCache, Raw, RawFile

REGION, SNAPSHOT = "region", "snapshot"
_TYPE_WORDS = {"object": "a mapping", "array": "a list", "string": "text", "number": "a number",
               "integer": "a whole number", "boolean": "true or false", "null": "nothing"}
_EXPONENT_TEXT = re.compile(r"[-+]?\d+(\.\d*)?[eE][-+]?\d+")


def schema_text(kind: str) -> str:
    """The schema of a region.yaml (REGION) or of a snapshot (SNAPSHOT), as shipped in the package."""
    return resources.files("generator.data").joinpath("schema", f"{kind}.schema.json").read_text(encoding="utf-8")


@functools.cache  # compiled once a process: a national data folder validates 900+ files
def validator(kind: str) -> Draft202012Validator:
    """The schema's validator, its $refs replaced by what they name (the schemas have no cycles):
    following a reference is most of jsonschema's time, and inlined a file validates in half of it."""
    shipped = json.loads(schema_text(kind))
    return Draft202012Validator(_inline(shipped, shipped.get("$defs", {})))


def _inline(node, defs: dict):
    """node with every {"$ref": "#/$defs/x", ...} replaced by the definition x and its own annotations."""
    if isinstance(node, dict):
        if "$ref" in node:
            named = defs[node["$ref"].removeprefix("#/$defs/")]
            return {**_inline(named, defs), **{k: v for k, v in node.items() if k != "$ref"}}
        return {k: _inline(v, defs) for k, v in node.items() if k != "$defs"}
    if isinstance(node, list):
        return [_inline(v, defs) for v in node]
    return node


def plain(raw: Raw):
    """A Raw tree as the plain values a JSON Schema validates (its lines left behind)."""
    value = raw.value
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [plain(v) for v in value]
    return value


def checked(kind: str, raw: RawFile, cache: ParseCache | None) -> list[Problem]:
    """problems() of a parsed file, or none when the parse cache remembers that the same bytes passed
    the same check: a file's structure is decided by its bytes, its schema, jsonschema and this module,
    and validating a national data folder's 900 snapshots took 0.4 s of every build."""
    if raw.root is None:
        return []
    mark = None
    if cache is not None and raw.key is not None:
        mark = hashlib.sha256(_check_salt(kind) + raw.key.encode()).hexdigest()
    if mark is not None and cache.vouched(mark):
        return []
    found = problems(kind, raw.root, raw.shown)
    if mark is not None and not found:
        cache.vouch(mark)
    return found


@functools.cache
def _check_salt(kind: str) -> bytes:
    """What decides whether a parsed file passes: the schema, jsonschema's version and this module."""
    return hashlib.sha256(f"{kind}\0{version('jsonschema')}\0{schema_text(kind)}\0".encode()
                          + Path(__file__).read_bytes()).digest()


def problems(kind: str, root: Raw, shown: str) -> list[Problem]:
    """Every structural problem of one parsed file, one per place, in the order of the file."""
    errors = list(validator(kind).iter_errors(plain(root)))
    if not errors:
        return []
    found: list[Problem] = []
    by_place: dict[tuple, list[ValidationError]] = {}
    for error in errors:
        if error.validator in ("required", "additionalProperties"):
            found += _key_problems(error, root, shown)
        else:
            by_place.setdefault(tuple(error.absolute_path), []).append(error)
    for place, group in by_place.items():
        error = best_match(group)
        found.append(Problem(shown, _at(root, place).line, _key(place), _sentence(error)))
    return sorted(found, key=lambda p: p.line)


def _at(root: Raw, place) -> Raw:
    raw = root
    for step in place:
        raw = raw.value[step]
    return raw


def _key(place) -> str:
    key = ""
    for step in place:
        key = f"{key}[{step}]" if isinstance(step, int) else join(key, step)
    return key


def _key_problems(error: ValidationError, root: Raw, shown: str) -> list[Problem]:
    """A missing key, or each unknown one with the closest known key as a hint."""
    place = tuple(error.absolute_path)
    mapping = _at(root, place)
    key = _key(place)
    if error.validator == "required":
        missing = [name for name in error.validator_value if name not in mapping.value]
        return [Problem(shown, mapping.line, join(key, name), "required key is missing") for name in missing]
    allowed = list(error.schema.get("properties", {}))
    out = []
    for name, value in mapping.value.items():
        if name in allowed:
            continue
        close = difflib.get_close_matches(name, allowed, n=1)
        hint = f"did you mean '{close[0]}'?" if close else "expected one of: " + ", ".join(allowed)
        out.append(Problem(shown, value.line, join(key, name), f"unknown key ({hint})"))
    return out


def _sentence(error: ValidationError) -> str:
    """What is wrong with one value, as the other checks say it."""
    schema, value = error.schema, error.instance
    if error.validator == "type":
        types = error.validator_value if isinstance(error.validator_value, list) else [error.validator_value]
        expected = schema.get("x-expected") or " or ".join(_TYPE_WORDS[t] for t in types)
        hint = "; YAML reads 1e6 as text, 1.0e+6 as a number" if (
            "number" in types and isinstance(value, str) and _EXPONENT_TEXT.fullmatch(value.strip())) else ""
        return f"is {describe(value)} ({expected} expected{hint})"
    if error.validator == "enum":
        return f'{_quoted(value)} is not allowed (one of: {", ".join(map(str, error.validator_value))})'
    if "x-problem" in schema:
        count = f"{len(value):,}" if isinstance(value, list | dict | str) else ""
        return schema["x-problem"].format(value=_quoted(value), described=describe(value), count=count)
    return f"is {describe(value)} (it does not fit the data format: {error.message})"


def _quoted(value) -> str:
    """A value as messages quote it: text in quotes, at most 60 characters, escaped."""
    text = value.strip() if isinstance(value, str) else str(value)
    return json.dumps(text if len(text) <= 60 else text[:60] + "…", ensure_ascii=False)

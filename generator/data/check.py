"""Reading one file's raw values into checked Python values, with file, line and key.

The JSON Schema (data/schema.py) has already checked a file's structure when
its reader runs; Reader turns each raw value into the value the model holds
(text stripped, a year as a date, a count as an int) and refuses what the
schema cannot say well: invisible characters, text too long for a page, numbers
beyond what a float holds, dates that do not exist. Every problem is collected
with where it was written, so one report lists them all.
"""

from __future__ import annotations

import difflib
import json
import math
import re
from dataclasses import dataclass, field
from decimal import Decimal

from generator.errors import Problem
from generator.data import when as when_
from generator.data.load import Raw
from generator.data.when import When

WHEN_RE = re.compile(rf"^{when_.PATTERN}$")  # a day, a month or a year
# Limits that keep a mistake (or a hostile file) from reaching the site: see docs/security.md.
MAX_TEXT = 200  # names, ids, publishers, labels
MAX_LONG_TEXT = 2000  # titles, notes, descriptions, addresses
MAX_NUMBER = 10**15  # beyond this a float loses whole units, and an int may not fit a float
MAX_COUNT = 1_000_000_000  # people: more than a billion in one region is a typo
MAX_SUBREGIONS = 500  # a province has at most 38 regencies and cities; each one makes pages in every report
YEARS = (1990, 2100)  # dates and target years: BPJS Ketenagakerjaan's figures start in the 1990s
# control characters (tab and newlines apart), lone surrogates, non-characters and the
# bidirectional overrides that can make text read differently from how it is stored
_UNSAFE_CHAR = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ud800-\udfff\ufdd0-\ufdef\ufffe\uffff]")

_TYPE_NAMES = {dict: "a mapping", list: "a list", str: "text", int: "a whole number", bool: "true or false"}


@dataclass
class Reader:
    """Walks one file's raw values, collecting problems with file, line and key."""

    shown: str
    problems: list[Problem] = field(default_factory=list)

    def problem(self, raw: Raw | int, key: str, message: str) -> None:
        line = raw if isinstance(raw, int) else raw.line
        self.problems.append(Problem(self.shown, line, key, message))

    def mapping(self, raw: Raw, key: str, required: tuple[str, ...], optional: tuple[str, ...]) -> dict[str, Raw] | None:
        if not isinstance(raw.value, dict):
            self.problem(raw, key, f"is {describe(raw.value)} (a mapping expected)")
            return None
        allowed = required + optional
        for name, value in raw.value.items():
            if name not in allowed:
                close = difflib.get_close_matches(name, allowed, n=1)
                hint = f"did you mean '{close[0]}'?" if close else "expected one of: " + ", ".join(allowed)
                self.problem(value, join(key, name), f"unknown key ({hint})")
        for name in required:
            if name not in raw.value:
                self.problem(raw, join(key, name) if key else name, "required key is missing")
        return raw.value

    def items(self, raw: Raw | None, key: str) -> list[tuple[str, Raw]]:
        if raw is None:
            return []
        if not isinstance(raw.value, list):
            self.problem(raw, key, f"is {describe(raw.value)} (a list expected)")
            return []
        return [(f"{key}[{i}]", item) for i, item in enumerate(raw.value)]

    def text(self, raw: Raw | None, key: str, limit: int = MAX_TEXT) -> str | None:
        if raw is None:
            return None
        value = raw.value
        if isinstance(value, bool) or not isinstance(value, str | int | float):
            self.problem(raw, key, f"is {describe(value)} (text expected)")
            return None
        text = str(value).strip()
        if not text:
            self.problem(raw, key, "is empty (text expected)")
            return None
        if bad := _UNSAFE_CHAR.search(text):
            self.problem(raw, key, f"contains the invisible character U+{ord(bad.group()):04X} (plain text expected)")
            return None
        if len(text) > limit:
            self.problem(raw, key, f"is {len(text):,} characters long (at most {limit:,} expected)")
            return None
        return text

    def integer(self, raw: Raw | None, key: str) -> int | None:
        if raw is None:
            return None
        if isinstance(raw.value, bool) or not isinstance(raw.value, int):
            self.problem(raw, key, f"is {describe(raw.value)} (a whole number expected)")
            return None
        return raw.value

    def number(self, raw: Raw | None, key: str) -> float | None:
        if raw is None:
            return None
        value = raw.value
        if isinstance(value, bool) or not isinstance(value, int | float):
            hint = "; YAML reads 1e6 as text, 1.0e+6 as a number" if isinstance(value, str) and re.fullmatch(
                r"[-+]?\d+(\.\d*)?[eE][-+]?\d+", value.strip()) else ""
            self.problem(raw, key, f"is {describe(value)} (a number expected{hint})")
            return None
        if isinstance(value, int) and abs(value) > MAX_NUMBER:  # (an int of any size: compare before converting)
            self.problem(raw, key, f"is a {len(str(abs(value)))}-digit number (at most {MAX_NUMBER:,} expected)")
            return None
        if not math.isfinite(value):
            self.problem(raw, key, f"is {value} (a finite number expected)")
            return None
        return value

    def boolean(self, raw: Raw | None, key: str) -> bool:
        if raw is None:
            return False
        if not isinstance(raw.value, bool):
            self.problem(raw, key, f"is {describe(raw.value)} (true or false expected)")
            return False
        return raw.value

    def date(self, raw: Raw | None, key: str) -> When | None:
        """A day, a month or a year (when.py): `2025-06-30`, `2025-06`, `2025` (YAML reads a bare year as a number)."""
        if raw is not None and isinstance(raw.value, int) and not isinstance(raw.value, bool):
            raw = Raw(str(raw.value), raw.line) if 1000 <= raw.value <= 9999 else raw
        text = self.text(raw, key)
        if text is None:
            return None
        if not WHEN_RE.match(text):
            self.problem(raw, key, f'"{text}" is not a date (YYYY-MM-DD expected; YYYY-MM or YYYY for a month or a year)')
            return None
        try:
            when = when_.parse(text)
        except ValueError:
            self.problem(raw, key, f'"{text}" is not a real date (YYYY-MM-DD expected; YYYY-MM or YYYY for a month or a year)')
            return None
        if not YEARS[0] <= when.year <= YEARS[1]:
            self.problem(raw, key, f"{text} is out of range (a date from {YEARS[0]} to {YEARS[1]} expected)")
            return None
        return when

    def choice(self, raw: Raw | None, key: str, choices, default: str | None = None) -> str | None:
        text = self.text(raw, key)
        if text is None:
            return default
        if text not in choices:
            self.problem(raw, key, f'"{text}" is not allowed (one of: {", ".join(choices)})')
            return default
        return text

    def url(self, raw: Raw | None, key: str) -> str | None:
        text = self.text(raw, key, MAX_LONG_TEXT)
        if text is not None and not re.match(r"^https?://[^\s/$.?#][^\s]*$", text, re.IGNORECASE):
            self.problem(raw, key, f'"{text}" is not a web address (http:// or https:// expected)')
            return None
        return text


def join(key: str, name: str) -> str:
    return f"{key}.{name}" if key else name


def describe(value) -> str:
    if value is None:
        return "empty"
    for kind, name in _TYPE_NAMES.items():
        if type(value) is kind:
            if kind in (str, int):  # a short excerpt, escaped: the file may be anything at all
                if kind is int:
                    return f"{name} ({value})"
                return f"{name} {json.dumps(value if len(value) <= 60 else value[:60] + '…', ensure_ascii=False)}"
            return name
    if isinstance(value, float):
        return f"a number ({value})"
    return type(value).__name__


def decimals(value: float) -> int:
    exponent = Decimal(repr(value)).as_tuple().exponent
    return max(0, -exponent) if isinstance(exponent, int) else 0


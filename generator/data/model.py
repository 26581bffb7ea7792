"""The checked model: raw YAML in, frozen dataclasses out, or every problem at once.

Later stages never see a dict from the data folder. Each check here exists
because real coverage data gets it wrong: a regency named twice, a figure that
is only "2,7 juta", a stated percentage that does not match its own counts.
"""

from __future__ import annotations

import difflib
import functools
import json
import math
import os
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date as Date
from decimal import Decimal
from pathlib import Path

from generator.errors import DataError, Problem
from generator.data.interval import Interval
from generator.data import when as when_
from generator.data.layout import SNAPSHOT_NAME, stray_files
from generator.data.when import When
from generator.data.load import ParseCache, Raw, read_yaml

CODE_SYSTEMS = {"kemendagri": "Kemendagri", "bps": "BPS"}
SUBREGION_KINDS = {"kabupaten": "Kabupaten", "kota": "Kota", "provinsi": "Provinsi"}  # provinsi: of a national region
LEVELS = ("provinsi", "nasional")  # region.yaml level: a province, or the country (its sub-regions the provinces)
NOTE_KINDS = ("info", "problem")
RESERVED_SLUGS = ("arsip", "data", "charts", "embed", "perubahan", "assets")  # page folders of a region
SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
UNKNOWN_YEAR = "unknown"  # a target's year when the source does not give one
WHEN_RE = re.compile(rf"^{when_.PATTERN}$")  # a day, a month or a year
RESERVED_REGION_SLUGS = ("assets", "cari", "charts", "embed", "metodologi", "pagefind", "tentang")  # the site's own top folders
# Limits that keep a mistake (or a hostile file) from reaching the site: see docs/security.md.
MAX_TEXT = 200  # names, ids, publishers, labels
MAX_LONG_TEXT = 2000  # titles, notes, descriptions, addresses
MAX_SLUG = 80
MAX_NUMBER = 10**15  # beyond this a float loses whole units, and an int may not fit a float
MAX_COUNT = 1_000_000_000  # people: more than a billion in one region is a typo
MAX_SUBREGIONS = 500  # a province has at most 38 regencies and cities; each one makes pages in every report
YEARS = (1990, 2100)  # dates and target years: BPJS Ketenagakerjaan's figures start in the 1990s
# control characters (tab and newlines apart), lone surrogates, non-characters and the
# bidirectional overrides that can make text read differently from how it is stored
_UNSAFE_CHAR = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ud800-\udfff\ufdd0-\ufdef\ufffe\uffff]")


# --------------------------------------------------------------------------- types


@dataclass(frozen=True)
class Source:
    id: str
    publisher: str
    title: str | None = None
    url: str | None = None
    date: Date | None = None
    about: str | None = None


@dataclass(frozen=True)
class Figure:
    """One published number: its value, how precise the source was, and who said it."""

    value: float
    kind: str  # "count" or "percent"
    source: Source
    rounded_to: float | None = None  # "2,7 juta" is 2_700_000 rounded to 100_000
    stated: str | None = None  # the words the source used, when they are not the digits
    approximate: bool = False  # the source said "sekitar" (about)
    note: str | None = None
    decimals: int = 0  # digits after the decimal point as written
    basis: str | None = None  # what it counts, in the source's terms: "peserta aktif", "termasuk pekerja konstruksi"
    derived: Interval | None = None  # set when the model computed it (a sub-region's participants ÷ workforce)

    @property
    def exact(self) -> bool:
        return self.rounded_to is None and not self.approximate

    @property
    def tolerance(self) -> float:
        """Half the rounding step: the true value lies within value +- tolerance."""
        if self.rounded_to is not None:
            return self.rounded_to / 2
        if self.kind == "percent":
            return 0.5 * 10 ** -self.decimals
        return 0.0

    @property
    def interval(self) -> Interval:
        """Every value the publication allows: its rounding, widened when the source said "sekitar"."""
        if self.derived is not None:
            return self.derived
        return Interval.around(self.value, self.tolerance, self.approximate)


@dataclass(frozen=True)
class Target:
    year: int | None  # None: the source gave no year (`year: unknown`): no deadline, so no pace or months left
    coverage: Figure
    participants: Figure | None = None  # the target as a head count, when stated
    gap: Figure | None = None  # workers still needed, when a source states it


@dataclass(frozen=True)
class SubRegion:
    code: str
    name: str
    kind: str
    slug: str
    short: str
    tile: tuple[int, int] | None
    aliases: tuple[str, ...] = ()

    @property
    def kind_label(self) -> str:
        return SUBREGION_KINDS[self.kind]


@dataclass(frozen=True)
class SubFigure:
    """A sub-region's figure in one snapshot, as the source attributed it."""

    subregion: SubRegion
    stated_name: str
    coverage: Figure | None
    participants: Figure | None = None
    workforce: Figure | None = None
    ambiguous: str | None = None  # the id of the note explaining the doubt

    @property
    def key(self) -> str:
        return f"{self.subregion.slug}:{self.stated_name}:{self.coverage.value if self.coverage else ''}"


@dataclass(frozen=True)
class Ranking:
    """An order without values: highest first, and the lowest ones (last is lowest)."""

    sources: tuple[Source, ...]
    highest: tuple[SubRegion, ...]
    lowest: tuple[SubRegion, ...]


@dataclass(frozen=True)
class Segment:
    """A part of the workforce (formal, informal, vulnerable) with its own figures."""

    name: str
    participants: Figure | None
    workforce: Figure | None
    coverage: Figure | None


@dataclass(frozen=True)
class Note:
    id: str
    text: str
    kind: str
    source: Source | None


@dataclass(frozen=True)
class Snapshot:
    region: str  # the region's slug
    date: Date
    path: str
    sources: tuple[Source, ...]
    participants: Figure | None
    workforce: Figure | None
    coverage: Figure | None
    targets: tuple[Target, ...] = ()
    subregions: tuple[SubFigure, ...] = ()
    rankings: tuple[Ranking, ...] = ()
    segments: tuple[Segment, ...] = ()
    notes: tuple[Note, ...] = ()

    def target(self, year: int) -> Target | None:
        return next((t for t in self.targets if t.year == year), None)


@dataclass(frozen=True)
class Region:
    slug: str
    name: str
    kind: str
    code: str
    code_system: str
    subregions: tuple[SubRegion, ...]
    snapshots: tuple[Snapshot, ...]  # oldest first
    level: str = "provinsi"  # or "nasional": the country, whose sub-regions are the provinces

    @property
    def national(self) -> bool:
        return self.level == "nasional"

    @property
    def place(self) -> str:
        """How pages name the region: "Provinsi Lampung", or the country's name."""
        return self.name if self.national else f"Provinsi {self.name}"

    @property
    def parts(self) -> str:
        """What its sub-regions are called: "kabupaten/kota", or "provinsi" in the country."""
        return "provinsi" if self.national else "kabupaten/kota"

    @property
    def whole(self) -> str:
        """The region's own figure, as a sub-region's page compares with it: "provinsi" or "nasional"."""
        return "nasional" if self.national else "provinsi"

    @property
    def latest(self) -> Snapshot:
        return self.snapshots[-1]

    @property
    def code_system_label(self) -> str:
        return CODE_SYSTEMS[self.code_system]

    def subregion(self, slug: str) -> SubRegion:
        return next(s for s in self.subregions if s.slug == slug)


@dataclass(frozen=True)
class Dataset:
    regions: tuple[Region, ...]

    @property
    def snapshot_count(self) -> int:
        return sum(len(r.snapshots) for r in self.regions)

    @property
    def national(self) -> Region | None:
        """The country's own region (level: nasional), when data/ has one."""
        return next((r for r in self.regions if r.national), None)

    @property
    def provinces(self) -> tuple[Region, ...]:
        return tuple(r for r in self.regions if not r.national)


# --------------------------------------------------------------------------- reading helpers


def slugify(text: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")


@functools.lru_cache(maxsize=8192)  # every snapshot looks up the same few hundred names
def fold(name: str) -> str:
    """Compare names the way a reader would: case, spaces and accents ignored."""
    folded = slugify(name).replace("-", "")
    # a name without a letter a-z (another script) is compared by its own letters, not as ""
    return folded or "".join(ch for ch in unicodedata.normalize("NFKC", name).casefold() if ch.isalnum())


_TYPE_NAMES = {dict: "a mapping", list: "a list", str: "text", int: "a whole number", bool: "true or false"}


@dataclass
class _Reader:
    """Walks one file's raw values, collecting problems with file, line and key."""

    shown: str
    problems: list[Problem] = field(default_factory=list)

    def problem(self, raw: Raw | int, key: str, message: str) -> None:
        line = raw if isinstance(raw, int) else raw.line
        self.problems.append(Problem(self.shown, line, key, message))

    def mapping(self, raw: Raw, key: str, required: tuple[str, ...], optional: tuple[str, ...]) -> dict[str, Raw] | None:
        if not isinstance(raw.value, dict):
            self.problem(raw, key, f"is {_describe(raw.value)} (a mapping expected)")
            return None
        allowed = required + optional
        for name, value in raw.value.items():
            if name not in allowed:
                close = difflib.get_close_matches(name, allowed, n=1)
                hint = f"did you mean '{close[0]}'?" if close else "expected one of: " + ", ".join(allowed)
                self.problem(value, _join(key, name), f"unknown key ({hint})")
        for name in required:
            if name not in raw.value:
                self.problem(raw, _join(key, name) if key else name, "required key is missing")
        return raw.value

    def items(self, raw: Raw | None, key: str) -> list[tuple[str, Raw]]:
        if raw is None:
            return []
        if not isinstance(raw.value, list):
            self.problem(raw, key, f"is {_describe(raw.value)} (a list expected)")
            return []
        return [(f"{key}[{i}]", item) for i, item in enumerate(raw.value)]

    def text(self, raw: Raw | None, key: str, limit: int = MAX_TEXT) -> str | None:
        if raw is None:
            return None
        value = raw.value
        if isinstance(value, bool) or not isinstance(value, str | int | float):
            self.problem(raw, key, f"is {_describe(value)} (text expected)")
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
            self.problem(raw, key, f"is {_describe(raw.value)} (a whole number expected)")
            return None
        return raw.value

    def number(self, raw: Raw | None, key: str) -> float | None:
        if raw is None:
            return None
        value = raw.value
        if isinstance(value, bool) or not isinstance(value, int | float):
            hint = "; YAML reads 1e6 as text, 1.0e+6 as a number" if isinstance(value, str) and re.fullmatch(
                r"[-+]?\d+(\.\d*)?[eE][-+]?\d+", value.strip()) else ""
            self.problem(raw, key, f"is {_describe(value)} (a number expected{hint})")
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
            self.problem(raw, key, f"is {_describe(raw.value)} (true or false expected)")
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


def _join(key: str, name: str) -> str:
    return f"{key}.{name}" if key else name


def _describe(value) -> str:
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


def _decimals(value: float) -> int:
    exponent = Decimal(repr(value)).as_tuple().exponent
    return max(0, -exponent) if isinstance(exponent, int) else 0


# --------------------------------------------------------------------------- region file

_REGION_KEYS = (("name", "kind", "code", "code_system", "subregions"), ("level",))
_SUBREGION_KEYS = (("code", "name", "kind"), ("short", "tile", "aliases", "slug"))


def _read_region(slug: str, raw: Raw, r: _Reader) -> tuple[dict, list[SubRegion]] | None:
    top = r.mapping(raw, "", *_REGION_KEYS)
    if top is None:
        return None
    info = {
        "name": r.text(top.get("name"), "name"),
        "kind": r.text(top.get("kind"), "kind"),
        "code": r.text(top.get("code"), "code"),
        "code_system": r.choice(top.get("code_system"), "code_system", tuple(CODE_SYSTEMS)),
        "level": r.choice(top.get("level"), "level", LEVELS, default="provinsi"),
    }
    subregions: list[SubRegion] = []
    seen: dict[str, tuple[str, int]] = {}  # folded name/code/slug -> (what, line)
    tiles: dict[tuple[int, int], tuple[str, int]] = {}
    listed = top.get("subregions")
    if listed is not None and isinstance(listed.value, list) and len(listed.value) > MAX_SUBREGIONS:
        r.problem(listed, "subregions", f"lists {len(listed.value):,} sub-regions (at most {MAX_SUBREGIONS} expected)")
        return None
    for key, item in r.items(listed, "subregions"):
        m = r.mapping(item, key, *_SUBREGION_KEYS)
        if m is None:
            continue
        code = r.text(m.get("code"), f"{key}.code")
        name = r.text(m.get("name"), f"{key}.name")
        kind = r.choice(m.get("kind"), f"{key}.kind", tuple(SUBREGION_KINDS))
        short = r.text(m.get("short"), f"{key}.short") or name
        aliases = tuple(t for k, a in r.items(m.get("aliases"), f"{key}.aliases") if (t := r.text(a, k)))
        given = r.text(m.get("slug"), f"{key}.slug")
        sub_slug = given or (slugify(name) if name else None)
        derived = given is None and "slug" not in m and name is not None
        if derived and not sub_slug:
            r.problem(m["name"], f"{key}.name", f'"{name}" has no letter a-z or digit to make its URL slug from (set slug:)')
        elif derived and len(sub_slug) > MAX_SLUG:
            r.problem(m["name"], f"{key}.name", f"makes a URL slug of {len(sub_slug)} characters "
                                                f"(at most {MAX_SLUG} expected: set a shorter slug:)")
        elif sub_slug is not None and not SLUG_RE.match(sub_slug):
            r.problem(m.get("slug") or item, f"{key}.slug", f'"{sub_slug}" is not a URL slug (lowercase a-z, 0-9 and - expected)')
        elif sub_slug is not None and len(sub_slug) > MAX_SLUG:
            r.problem(m["slug"], f"{key}.slug", f"is {len(sub_slug)} characters long (a URL slug of at most {MAX_SLUG} expected)")
        if sub_slug is not None and (not SLUG_RE.match(sub_slug) or len(sub_slug) > MAX_SLUG):
            sub_slug = f"?{key}"  # reported above; the sub-region stays known to the snapshots, whose names still resolve
        if sub_slug in RESERVED_SLUGS:
            r.problem(item, f"{key}.slug", f'"{sub_slug}" is a reserved page name (set another slug)')
        tile = None
        if "tile" in m:
            t = r.mapping(m["tile"], f"{key}.tile", ("x", "y"), ())
            if t is not None:
                x, y = r.integer(t.get("x"), f"{key}.tile.x"), r.integer(t.get("y"), f"{key}.tile.y")
                if x is not None and y is not None:
                    if x < 0 or y < 0 or x > 40 or y > 40:
                        r.problem(m["tile"], f"{key}.tile", f"({x}, {y}) is off the grid (0 to 40 expected)")
                    elif (x, y) in tiles:
                        other, line = tiles[(x, y)]
                        r.problem(m["tile"], f"{key}.tile", f'({x}, {y}) is already taken by "{other}" (line {line})')
                    else:
                        tiles[(x, y)] = (name, item.line)
                        tile = (x, y)
        checks = [("name", name, m.get("name")), ("code", code, m.get("code")), ("slug", sub_slug, item)]
        checks += [("name", a, m.get("aliases")) for a in aliases]
        clash = False
        for what, value, where in checks:
            if value is None or (what == "slug" and (clash or value.startswith("?"))):
                continue
            folded = what[0] + ":" + (fold(value) if what != "code" else value)
            if what == "name":
                folded = "n:" + fold(value)
            if folded in seen:
                kind_seen, line = seen[folded]
                r.problem(where, f"{key}.{what if where is not m.get('aliases') else 'aliases'}",
                          f'"{value}" appears twice (also at line {line})')
                clash = True
            else:
                seen[folded] = (what, where.line if where is not None else item.line)
        if None in (code, name, kind, sub_slug):
            continue  # (a clash is reported, but the sub-region stays known to the snapshots)
        subregions.append(SubRegion(code=code, name=name, kind=kind, slug=sub_slug, short=short, tile=tile, aliases=aliases))
    tiled = sum(1 for s in subregions if s.tile)
    if 0 < tiled < len(subregions):
        r.problem(top.get("subregions"), "subregions", f"{len(subregions) - tiled} sub-regions have no tile (give every one a tile, or none)")
    return info, subregions


# --------------------------------------------------------------------------- snapshot file

_SNAPSHOT_KEYS = (
    ("date", "sources"),
    ("participants", "workforce", "coverage", "targets", "subregions", "rankings", "segments", "notes"),
)
_SOURCE_KEYS = (("id", "publisher"), ("title", "url", "date", "about"))
_FIGURE_KEYS = (("value",), ("source", "rounded_to", "stated", "approximate", "note", "basis"))


class _SnapshotReader:
    def __init__(self, r: _Reader, region_slug: str, subregions: list[SubRegion]):
        self.r = r
        self.region = region_slug
        self.sources: dict[str, Source] = {}
        self.default: Source | None = None
        self.by_name: dict[str, SubRegion] = {}
        for s in subregions:
            for n in (s.name, s.code, *s.aliases):
                self.by_name[fold(n)] = s

    def read(self, raw: Raw) -> Snapshot | None:
        r = self.r
        top = r.mapping(raw, "", *_SNAPSHOT_KEYS)
        if top is None:
            return None
        when = r.date(top.get("date"), "date")
        self._sources(top.get("sources"))
        participants = self.figure(top.get("participants"), "participants", "count")
        workforce = self.figure(top.get("workforce"), "workforce", "workforce")
        coverage = self.figure(top.get("coverage"), "coverage", "percent")
        if "coverage" not in top and not ("participants" in top and "workforce" in top):
            r.problem(raw, "coverage", "no coverage for the region (coverage, or participants and workforce, expected)")
        self.consistent(participants, workforce, coverage, "", raw)
        notes = self._notes(top.get("notes"))
        targets = self._targets(top.get("targets"))
        subfigures = self._subfigures(top.get("subregions"), {n.id for n in notes})
        rankings = self._rankings(top.get("rankings"))
        segments = self._segments(top.get("segments"))
        if when is None:
            return None
        return Snapshot(
            region=self.region, date=when, path=r.shown, sources=tuple(self.sources.values()),
            participants=participants, workforce=workforce, coverage=coverage, targets=targets,
            subregions=subfigures, rankings=rankings, segments=segments, notes=notes,
        )

    def _sources(self, raw: Raw | None) -> None:
        r = self.r
        entries = r.items(raw, "sources")
        if raw is not None and not entries and isinstance(raw.value, list):
            r.problem(raw, "sources", "is empty (at least one source expected)")
        for key, item in entries:
            m = r.mapping(item, key, *_SOURCE_KEYS)
            if m is None:
                continue
            sid = r.text(m.get("id"), f"{key}.id")
            publisher = r.text(m.get("publisher"), f"{key}.publisher")
            source = Source(
                id=sid or "", publisher=publisher or "", title=r.text(m.get("title"), f"{key}.title", MAX_LONG_TEXT),
                url=r.url(m.get("url"), f"{key}.url"), date=r.date(m.get("date"), f"{key}.date"),
                about=r.text(m.get("about"), f"{key}.about", MAX_LONG_TEXT),
            )
            if sid is not None and not SLUG_RE.match(sid):  # it becomes part of an HTML id
                r.problem(m["id"], f"{key}.id", f'"{sid}" is not a simple id (lowercase a-z, 0-9 and - expected)')
            if sid is None or publisher is None:
                continue
            if sid in self.sources:
                r.problem(m["id"], f"{key}.id", f'"{sid}" appears twice')
                continue
            self.sources[sid] = source
            self.default = self.default or source

    def source(self, raw: Raw | None, key: str) -> Source | None:
        if raw is None:
            return self.default
        sid = self.r.text(raw, key)
        if sid is None:
            return None
        if sid not in self.sources:
            known = ", ".join(self.sources) or "none listed"
            self.r.problem(raw, key, f'"{sid}" is not a source of this snapshot (known: {known})')
            return None
        return self.sources[sid]

    def figure(self, raw: Raw | None, key: str, kind: str) -> Figure | None:
        """A number, or a mapping {value, source, rounded_to, stated, approximate, note}."""
        r = self.r
        if raw is None:
            return None
        if isinstance(raw.value, dict):
            m = r.mapping(raw, key, *_FIGURE_KEYS)
            value_raw = m.get("value") if m else None
            if value_raw is None:
                return None
            extra = {
                "source": self.source(m.get("source"), f"{key}.source"),
                "rounded_to": r.number(m.get("rounded_to"), f"{key}.rounded_to"),
                "stated": r.text(m.get("stated"), f"{key}.stated"),
                "approximate": r.boolean(m.get("approximate"), f"{key}.approximate"),
                "note": r.text(m.get("note"), f"{key}.note", MAX_LONG_TEXT),
                "basis": r.text(m.get("basis"), f"{key}.basis"),
            }
            if extra["rounded_to"] is not None and extra["rounded_to"] <= 0:
                r.problem(m["rounded_to"], f"{key}.rounded_to", f"is {extra['rounded_to']} (a positive step expected)")
                extra["rounded_to"] = None
            vkey = f"{key}.value"
        else:
            value_raw, vkey = raw, key
            extra = {"source": self.default}
        value = r.number(value_raw, vkey)
        if value is None:
            return None
        if kind == "workforce":  # a count that divides: coverage is participants / workforce
            kind = "count"
            if value == 0:
                r.problem(value_raw, vkey, "is 0 (a workforce of at least one person expected)")
                return None
        if kind == "percent":
            if not 0 <= value <= 100:
                r.problem(value_raw, vkey, f"is {value} (a percentage from 0 to 100 expected)")
                return None
        else:
            if isinstance(value, float) and not value.is_integer():
                r.problem(value_raw, vkey, f"is {value} (a whole number of people expected)")
                return None
            if value < 0:
                r.problem(value_raw, vkey, f"is {value} (zero or more people expected)")
                return None
            if value > MAX_COUNT:
                r.problem(value_raw, vkey, f"is {value} (at most {MAX_COUNT:,} people expected)")
                return None
            value = int(value)
        if extra["source"] is None:
            return None
        return Figure(value=value, kind=kind, decimals=_decimals(value) if kind == "percent" else 0, **extra)

    def consistent(self, participants: Figure | None, workforce: Figure | None, coverage: Figure | None,
                   key: str, raw: Raw) -> None:
        """Participants within the workforce; stated coverage within the rounding of the counts."""
        if participants is None or workforce is None:
            return
        p_low = participants.value - participants.tolerance
        p_high = participants.value + participants.tolerance
        w_low = max(workforce.value - workforce.tolerance, 1e-9)
        w_high = workforce.value + workforce.tolerance
        where = raw.value.get("participants", raw) if isinstance(raw.value, dict) else raw
        if p_low > w_high:
            self.r.problem(where, _join(key, "participants"),
                           f"{participants.value:,} is more than the workforce ({workforce.value:,})")
            return
        if coverage is None:
            return
        low, high = 100 * p_low / w_high, 100 * p_high / w_low
        if participants.approximate or workforce.approximate or coverage.approximate:
            low, high = low * 0.95, high * 1.05
        c_low, c_high = coverage.value - coverage.tolerance, coverage.value + coverage.tolerance
        if c_high < low or c_low > high:
            computed = 100 * participants.value / workforce.value
            where = raw.value.get("coverage", raw) if isinstance(raw.value, dict) else raw
            allowed = f"; {low:.2f} to {high:.2f} given the rounding" if participants.tolerance or workforce.tolerance else ""
            self.r.problem(where, _join(key, "coverage"),
                           f"{coverage.value} % disagrees with participants / workforce = {computed:.2f} %"
                           f" ({coverage.value} ± {coverage.tolerance:g} expected to overlap it{allowed})")

    def _targets(self, raw: Raw | None) -> tuple[Target, ...]:
        r = self.r
        out: dict[int, Target] = {}
        lines: dict[int, int] = {}
        for key, item in r.items(raw, "targets"):
            m = r.mapping(item, key, ("year", "coverage"), ("participants", "gap"))
            if m is None:
                continue
            raw_year = m.get("year")
            undated = raw_year is not None and raw_year.value == UNKNOWN_YEAR
            year = None
            if raw_year is not None and not undated:
                if isinstance(raw_year.value, int) and not isinstance(raw_year.value, bool):
                    year = raw_year.value
                else:
                    r.problem(raw_year, f"{key}.year", f"is {_describe(raw_year.value)} "
                                                       f"(a year, or {UNKNOWN_YEAR} when the source gives none, expected)")
            coverage = self.figure(m.get("coverage"), f"{key}.coverage", "percent")
            participants = self.figure(m.get("participants"), f"{key}.participants", "count")
            gap = self.figure(m.get("gap"), f"{key}.gap", "count")
            if year is not None and not YEARS[0] <= year <= YEARS[1]:
                r.problem(m["year"], f"{key}.year", f"is {year} (a year from {YEARS[0]} to {YEARS[1]} expected)")
                year = None
            if (year is not None or undated) and year in out:
                r.problem(m["year"], f"{key}.year", f"{year or 'unknown'} has two targets (also at line {lines[year]})")
                continue
            if (year is None and not undated) or coverage is None:
                continue
            out[year], lines[year] = Target(year, coverage, participants, gap), item.line
        return tuple(out[y] for y in sorted(out, key=lambda y: (y is None, y or 0)))  # the undated one last

    def resolve(self, raw: Raw | None, key: str) -> tuple[SubRegion, str] | None:
        name = self.r.text(raw, key)
        if name is None:
            return None
        sub = self.by_name.get(fold(name))
        if sub is None:
            close = difflib.get_close_matches(fold(name), list(self.by_name), n=1, cutoff=0.75)
            hint = f'; did you mean "{self.by_name[close[0]].name}"?' if close else ""
            self.r.problem(raw, key, f'"{name}" is not a sub-region of {self.region} (see region.yaml{hint})')
            return None
        return sub, name

    def _subfigures(self, raw: Raw | None, note_ids: set[str]) -> tuple[SubFigure, ...]:
        r = self.r
        out: list[SubFigure] = []
        first: dict[str, tuple[int, str | None]] = {}
        for key, item in r.items(raw, "subregions"):
            m = r.mapping(item, key, ("name",), ("coverage", "participants", "workforce", "ambiguous"))
            if m is None:
                continue
            found = self.resolve(m.get("name"), f"{key}.name")
            coverage = self.figure(m.get("coverage"), f"{key}.coverage", "percent")
            participants = self.figure(m.get("participants"), f"{key}.participants", "count")
            workforce = self.figure(m.get("workforce"), f"{key}.workforce", "workforce")
            ambiguous = r.text(m.get("ambiguous"), f"{key}.ambiguous")
            if ambiguous is not None and ambiguous not in note_ids:
                r.problem(m["ambiguous"], f"{key}.ambiguous", f'"{ambiguous}" is not the id of a note in this snapshot')
            if coverage is None and (participants is None or workforce is None) and "coverage" not in m:
                r.problem(item, f"{key}.coverage", "required key is missing (or participants and workforce)")
            self.consistent(participants, workforce, coverage, key, item)
            if found is None:
                continue
            sub, stated = found
            if sub.slug in first:
                line, other_ambiguous = first[sub.slug]
                if not (ambiguous and other_ambiguous):
                    r.problem(m["name"], f"{key}.name", f'"{stated}" appears twice (also at line {line}); '
                              "if the source really does, mark both with ambiguous: <note id>")
                    continue
            else:
                first[sub.slug] = (m["name"].line, ambiguous)
            if coverage is None and participants and workforce:
                # computed here from the published counts: it says so, and is credited to no one
                value = round(100 * participants.value / workforce.value, 2)  # (the value kept to its printed digits)
                known = 100 * participants.interval / workforce.interval.clamp_min(1e-9)
                coverage = Figure(value, "percent", participants.source, decimals=2,
                                  derived=known.hull(Interval.point(value)))
            out.append(SubFigure(sub, stated, coverage, participants, workforce, ambiguous))
        return tuple(out)

    def _rankings(self, raw: Raw | None) -> tuple[Ranking, ...]:
        r = self.r
        out = []
        for key, item in r.items(raw, "rankings"):
            m = r.mapping(item, key, ("sources",), ("highest", "lowest"))
            if m is None:
                continue
            sources = tuple(s for k, x in r.items(m.get("sources"), f"{key}.sources") if (s := self.source(x, k)))
            lists = {}
            for part in ("highest", "lowest"):
                lists[part] = tuple(found[0] for k, x in r.items(m.get(part), f"{key}.{part}")
                                    if (found := self.resolve(x, k)))
            named = [s.slug for s in lists["highest"] + lists["lowest"]]
            if len(set(named)) < len(named):
                r.problem(item, key, "names one sub-region twice")
            if not lists["highest"] and not lists["lowest"]:
                r.problem(item, key, "ranks nothing (highest or lowest expected)")
                continue
            out.append(Ranking(sources, lists["highest"], lists["lowest"]))
        return tuple(out)

    def _segments(self, raw: Raw | None) -> tuple[Segment, ...]:
        r = self.r
        out = []
        for key, item in r.items(raw, "segments"):
            m = r.mapping(item, key, ("name",), ("participants", "workforce", "coverage"))
            if m is None:
                continue
            name = r.text(m.get("name"), f"{key}.name")
            p = self.figure(m.get("participants"), f"{key}.participants", "count")
            w = self.figure(m.get("workforce"), f"{key}.workforce", "workforce")
            c = self.figure(m.get("coverage"), f"{key}.coverage", "percent")
            self.consistent(p, w, c, key, item)
            if name:
                out.append(Segment(name, p, w, c))
        return tuple(out)

    def _notes(self, raw: Raw | None) -> tuple[Note, ...]:
        r = self.r
        out: dict[str, Note] = {}
        for key, item in r.items(raw, "notes"):
            m = r.mapping(item, key, ("id", "text"), ("kind", "source"))
            if m is None:
                continue
            nid = r.text(m.get("id"), f"{key}.id")
            text = r.text(m.get("text"), f"{key}.text", MAX_LONG_TEXT)
            kind = r.choice(m.get("kind"), f"{key}.kind", NOTE_KINDS, default="info")
            source = self.source(m.get("source"), f"{key}.source") if "source" in m else None
            if nid is not None and not SLUG_RE.match(nid):
                r.problem(m["id"], f"{key}.id", f'"{nid}" is not a simple id (lowercase a-z, 0-9 and - expected)')
                continue
            if nid in out:
                r.problem(m["id"], f"{key}.id", f'"{nid}" appears twice')
                continue
            if nid and text:
                out[nid] = Note(nid, text, kind, source)
        return tuple(out.values())


# --------------------------------------------------------------------------- the folder


def load_dataset(data_dir: Path, cache: bool = True) -> Dataset:
    """Read and check every region in data_dir; raise DataError listing every problem.

    cache=False (`cakupan build --no-cache`) parses every file again, neither reading nor
    writing the parse cache (load.ParseCache); the result and the problems are the same."""
    parsed = ParseCache.open(cache)
    problems: list[Problem] = []
    regions: list[Region] = []
    if not data_dir.is_dir():
        raise DataError([Problem(str(data_dir), 0, "", "is not a folder (a data folder with one sub-folder per region expected)")])
    folders = sorted(p for p in data_dir.iterdir() if p.is_dir() and not p.name.startswith("."))
    problems += stray_files(data_dir)
    for folder in folders:
        region, found = _load_region(folder, parsed, data_dir)
        problems += found
        if region is not None:
            regions.append(region)
    if not folders:
        problems.append(Problem(str(data_dir), 0, "", "holds no region folder (data/<region>/region.yaml expected)"))
    national = [r for r in regions if r.national]
    for extra in national[1:]:
        problems.append(Problem(f"{data_dir / extra.slug / 'region.yaml'}", 0, "level",
                                f'"nasional" is also the level of {national[0].slug}/ (one national region expected)'))
    if problems:
        raise DataError(problems)
    return Dataset(tuple(regions))


def _load_region(folder: Path, parsed: ParseCache | None = None,
                 data_dir: Path | None = None) -> tuple[Region | None, list[Problem]]:
    region_file = folder / "region.yaml"
    raw = read_yaml(region_file, parsed, data_dir)
    problems = list(raw.problems)
    if not SLUG_RE.match(folder.name) or len(folder.name) > MAX_SLUG:
        problems.append(Problem(raw.shown, 0, "", f'folder name "{folder.name}" is not a URL slug (lowercase a-z, 0-9 and - expected)'))
    elif folder.name in RESERVED_REGION_SLUGS:
        problems.append(Problem(raw.shown, 0, "", f'folder name "{folder.name}" is taken by the site\'s own files (rename the folder)'))
    if not os.path.lexists(region_file):
        return None, [Problem(raw.shown, 0, "", "is missing (every region folder needs one)")]
    r = _Reader(raw.shown, problems)
    read = _read_region(folder.name, raw.root, r) if raw.root is not None else None
    subregions = read[1] if read else []
    snapshots: dict[Date, Snapshot] = {}
    for path in sorted(folder.glob("*.yaml")):
        if not SNAPSHOT_NAME.match(path.name):
            continue  # region.yaml, or a misnamed file that layout.stray_files reports
        snap_raw = read_yaml(path, parsed, data_dir)
        problems += snap_raw.problems
        if snap_raw.root is None:
            continue
        sr = _Reader(snap_raw.shown, problems)
        snapshot = _SnapshotReader(sr, folder.name, subregions).read(snap_raw.root)
        if snapshot is None:
            continue
        if WHEN_RE.match(path.stem) and path.stem != snapshot.date.isoformat():
            sr.problem(snap_raw.root.value["date"], "date",
                       f"{snapshot.date.isoformat()} differs from the file name ({path.name})")
        if snapshot.date in snapshots and str(snapshots[snapshot.date].date) == str(snapshot.date):
            sr.problem(snap_raw.root.value["date"], "date",
                       f"{snapshot.date.isoformat()} is also the date of {snapshots[snapshot.date].path} (one snapshot per date)")
            continue
        if clash := next((s for s in snapshots.values() if snapshot.date.overlaps(s.date)), None):
            sr.problem(snap_raw.root.value["date"], "date",
                       f"{snapshot.date.isoformat()} overlaps {clash.date.isoformat()} ({clash.path}): "
                       "a month or a year holds its days, so the order of the two is unknown (one snapshot per date)")
            continue
        snapshots[snapshot.date] = snapshot
    if read is None or problems:
        return None, problems
    if not snapshots:
        return None, [Problem(raw.shown, 0, "", "region has no snapshot (data/<region>/<YYYY-MM-DD>.yaml expected)")]
    info = read[0]
    region = Region(slug=folder.name, subregions=tuple(subregions),
                    snapshots=tuple(snapshots[d] for d in sorted(snapshots)), **info)
    return region, []

"""The checked model: the frozen dataclasses every later stage reads.

Later stages never see a dict from the data folder, only these types. They
hold what the sources said, as checked by data/check.py (structure first, from
the JSON Schema in data/schema/, then meaning, in region.py and snapshot.py):
a figure with its rounding and source, a region with its sub-regions and its
snapshots oldest first.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date as Date

from generator.data.interval import Interval

CODE_SYSTEMS = {"kemendagri": "Kemendagri", "bps": "BPS"}
SUBREGION_KINDS = {"kabupaten": "Kabupaten", "kota": "Kota", "provinsi": "Provinsi"}  # provinsi: of a national region
LEVELS = ("provinsi", "nasional")  # region.yaml level: a province, or the country (its sub-regions the provinces)
NOTE_KINDS = ("info", "problem")
UNKNOWN_YEAR = "unknown"  # a target's year when the source does not give one


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


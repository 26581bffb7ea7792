"""The plan of a site: what pages and charts a build will make, as plain values, before any is made.

Every later step reads these types: the page plans (generator/site/pages.py), the chart plans
(chart_plans.py), the link previews (social.py) and the rendering in the build. A Report holds what
the indicators say of one region as of one snapshot, computed once and shared by all its pages.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from datetime import date as Date

from generator.facts.indicators import Change, Headline, SubregionStats, change, headline, subregion_stats
from generator.data.model import Region, Snapshot


@dataclass(frozen=True)
class Table:
    """Columns as (heading, kind) with kind text, pct, count, points or date; rows of raw values."""

    columns: tuple[tuple[str, str], ...]
    rows: tuple[tuple, ...]


@dataclass(frozen=True)
class ChartJob:
    base: str  # path without extension: charts/<region>/<date>/<name>
    spec: dict
    description: str
    source: str
    table: Table  # the figures the chart draws, for its CSV and its table
    responsive: bool = True  # may be drawn narrower on a small screen (not the tile map)
    phone: dict | None = None  # laid out by its builder for a phone's width (a chart that is not narrowed)
    # the same chart as a page highlighting one of its rows shows it first: name -> (file stem, spec)
    variants: dict[str, tuple[str, dict]] = field(default_factory=dict)

    @property
    def title(self) -> str:
        title = self.spec.get("title", {})
        return title.get("text", "") if isinstance(title, dict) else str(title)


@dataclass
class PageJob:
    path: str  # e.g. lampung/kota-metro/index.html
    template: str
    context: dict
    charts: dict[str, str] = field(default_factory=dict)  # name in the template -> chart base
    url_path: str | None = None  # the address to cite (defaults to the folder of path)

    @property
    def pretty(self) -> str:
        if self.url_path is not None:
            return self.url_path
        return self.path[: -len("index.html")] if self.path.endswith("index.html") else self.path


@dataclass
class Plan:
    pages: list[PageJob] = field(default_factory=list)
    charts: dict[str, ChartJob] = field(default_factory=dict)

    def chart(self, job: ChartJob) -> str:
        if job.base in self.charts:
            raise ValueError(f"chart {job.base} planned twice")  # pages share a chart by its base
        self.charts[job.base] = job
        return job.base


def publishers(sources) -> str:
    names: list[str] = []
    for s in sources:
        if s.publisher not in names:
            names.append(s.publisher)
    return ", ".join(names)


def regency_snapshot(region: Region, upto: Snapshot) -> Snapshot | None:
    """The latest snapshot up to `upto` with clear figures for at least two sub-regions."""
    for snap in reversed(region.snapshots):
        if snap.date <= upto.date and sum(1 for f in snap.subregions if f.coverage and not f.ambiguous) >= 2:
            return snap
    return None


# Pure indicators that many pages of one plan need again and again (every later
# report of a region, every regency page of a report): computed once per region.
# Keyed by the arguments' identity (numbers by value); the entry holds its
# arguments, so an id is never reused while its entry lives. forget() empties it (between regions).
MEMO: dict[tuple, tuple] = {}


def once(fn, *args):
    key = (fn, *(("v", a) if isinstance(a, (int, float, str)) else ("i", id(a)) for a in args))
    hit = MEMO.get(key)
    if hit is None:
        hit = MEMO[key] = (args, fn(*args))
    return hit[1]


def by_slug(snap: Snapshot) -> tuple[dict, dict]:
    """A snapshot's sub-region figures by slug: the first clear one, and the unclear ones in order."""
    clear: dict[str, object] = {}
    unclear: dict[str, list] = {}
    for f in snap.subregions:
        if f.ambiguous:
            unclear.setdefault(f.subregion.slug, []).append(f)
        elif f.coverage:
            clear.setdefault(f.subregion.slug, f)
    return clear, unclear


@dataclass(frozen=True)
class Report:
    """Everything computed for one region as of one snapshot: the regency figures on first use (the
    archive index lists every snapshot's report, but needs only its headline and change)."""

    region: Region
    snap: Snapshot
    h: Headline
    previous: Snapshot | None
    change: Change | None

    @classmethod
    def of(cls, region: Region, snap: Snapshot) -> Report:
        h = once(headline, snap)
        earlier = [s for s in region.snapshots if s.date < snap.date]
        previous = earlier[-1] if earlier else None
        moved = once(change, previous, snap, once(headline, previous), h) if previous else None
        return cls(region, snap, h, previous, moved)

    @functools.cached_property
    def sub_snap(self) -> Snapshot | None:
        """The snapshot its regency figures come from (this one, or the latest earlier one that has them)."""
        return regency_snapshot(self.region, self.snap)

    @functools.cached_property
    def sub_h(self) -> Headline | None:
        return once(headline, self.sub_snap) if self.sub_snap else None

    @functools.cached_property
    def stats(self) -> SubregionStats | None:
        return once(subregion_stats, self.region, self.sub_snap, self.sub_h.coverage) if self.sub_snap else None


def dated_prefix(region: Region, when: Date) -> str:
    """Where the report as of `when` lives for ever."""
    return f"{region.slug}/arsip/{when.isoformat()}/"


def forget() -> None:
    """Drop the indicators remembered for the region planned last (call between regions)."""
    MEMO.clear()


"""Every number the site computes, as pure functions of the checked model.

Each result carries the formula and the inputs it came from, so the
methodology page and the tests can say exactly how a figure was made, and
whether it is exact or rests on a rounded or derived input; and its interval
(interval.py): every value its inputs' rounding allows, from which fmt prints
only the digits it supports.
"""

from __future__ import annotations

import math
import statistics
from dataclasses import dataclass
from datetime import date as Date

from generator.data.interval import Interval
from generator.data.model import Figure, Region, Snapshot, SubFigure, SubRegion, Target
from generator.data.when import first_last

DAYS_PER_MONTH = 365.2425 / 12


@dataclass(frozen=True)
class Computed:
    """A number with how it was made: formula, inputs, and whether it is exact."""

    value: float
    formula: str
    inputs: tuple[tuple[str, float], ...] = ()
    exact: bool = True
    stated: Figure | None = None  # the published figure, when the value is one
    interval: Interval | None = None  # what the inputs allow; a point when not given

    def __post_init__(self):
        if self.interval is None:
            object.__setattr__(self, "interval", Interval.point(self.value))

    @classmethod
    def of(cls, figure: Figure, name: str) -> Computed:
        return cls(figure.value, name, ((name, figure.value),), figure.exact, figure, figure.interval)

    def __neg__(self) -> Computed:
        return Computed(-self.value, f"−({self.formula})", self.inputs, self.exact, None, -self.interval)

    @property
    def computed(self) -> bool:
        """Made here, not published: it says so and is credited to no source."""
        return self.stated is None


# --------------------------------------------------------------------------- one snapshot


@dataclass(frozen=True)
class TargetGap:
    year: int
    target: Target
    gap_points: Computed  # target coverage minus coverage (percentage points)
    target_participants: Computed  # participants the target means
    gap_workers: Computed  # more participants needed (negative: target exceeded)
    months_left: Interval | None  # from the snapshot date to 31 December of the target year (a span for a month
    # or a year); None for a target whose year the source did not give
    per_month: Computed | None  # new participants needed each month; None under a month before the year ends

    @property
    def met(self) -> bool:
        return self.gap_points.value <= 0


@dataclass(frozen=True)
class Headline:
    coverage: Computed  # the stated coverage, or participants / workforce
    coverage_computed: Computed | None  # participants / workforce, when both are known
    coverage_difference: Computed | None  # stated minus computed
    participants: Computed | None
    workforce: Computed | None
    uncovered: Computed | None  # workers not yet registered
    targets: tuple[TargetGap, ...]


def _percent(p: float, w: float) -> float:
    return 100 * p / w


def headline(snapshot: Snapshot) -> Headline:
    """Coverage, counts and the gap to each target for the whole region."""
    p, w, c = snapshot.participants, snapshot.workforce, snapshot.coverage
    computed = None
    if p and w:
        computed = Computed(_percent(p.value, w.value), "participants / workforce × 100",
                            (("participants", p.value), ("workforce", w.value)), p.exact and w.exact,
                            interval=100 * p.interval / w.interval.clamp_min(1e-9))
    coverage = Computed.of(c, "coverage") if c else computed
    if c and computed and coverage.interval.overlaps(computed.interval):
        # printed as published, but known as closely as both the stated figure and the counts allow
        # (the data check ensures they overlap): "20,0 %" of exactly 120.000 ÷ 600.000 is 20,00
        # (the stated value stays the one used, as the methodology says: the interval keeps it)
        known = coverage.interval.intersect(computed.interval).hull(Interval.point(c.value))
        coverage = Computed(c.value, "coverage", (("coverage", c.value),), c.exact, c, known)
    difference = None
    if c and computed:
        difference = Computed(c.value - computed.value, "stated coverage − participants / workforce × 100",
                              (("coverage", c.value), ("computed", computed.value)), computed.exact,
                              interval=c.interval - computed.interval)
    participants = Computed.of(p, "participants") if p else None
    if participants is None and c and w:
        participants = Computed(c.value / 100 * w.value, "coverage / 100 × workforce",
                                (("coverage", c.value), ("workforce", w.value)), False,
                                interval=c.interval / 100 * w.interval)
    workforce = Computed.of(w, "workforce") if w else None
    if c and p and p.exact and (w is None or not w.exact) and c.value > 0:
        # "2,7 juta" workers but 731,991 participants at 26,79 %: the stated
        # coverage pins the workforce down far closer than the rounded count.
        # The true workforce lies both within the stated count's rounding and within what
        # participants and coverage imply: the overlap of the two (the data check ensures one).
        implied = p.interval / (c.interval / 100).clamp_min(1e-12)
        if w is not None and implied.overlaps(w.interval):
            implied = implied.intersect(w.interval)
        workforce = Computed(min(max(p.value / (c.value / 100), implied.lo), implied.hi), "participants / (coverage / 100)",
                             (("participants", p.value), ("coverage", c.value)), False, None, implied)
    uncovered = None
    if participants and workforce:
        uncovered = Computed(workforce.value - participants.value, "workforce − participants",
                             (("workforce", workforce.value), ("participants", participants.value)),
                             participants.exact and workforce.exact,
                             interval=workforce.interval - participants.interval)
    gaps = tuple(target_gap(t, snapshot.date, coverage, participants, workforce) for t in snapshot.targets)
    return Headline(coverage, computed, difference, participants, workforce, uncovered, gaps)


def months_until_year_end(when: Date, year: int) -> Interval:
    """Months from the snapshot date to 31 December of `year`: an interval when the date is a month or a year."""
    first, last = first_last(when)
    end = Date(year, 12, 31)
    return Interval((end - last).days / DAYS_PER_MONTH, (end - first).days / DAYS_PER_MONTH)


def target_gap(target: Target, when: Date, coverage: Computed, participants: Computed | None,
               workforce: Computed | None) -> TargetGap:
    t = target.coverage.value
    gap_points = Computed(t - coverage.value, "target − coverage", (("target", t), ("coverage", coverage.value)),
                          coverage.exact and target.coverage.exact,
                          interval=target.coverage.interval - coverage.interval)
    if target.participants is not None:
        needed = Computed.of(target.participants, "target participants")
    elif workforce is not None:
        needed = Computed(t / 100 * workforce.value, "target / 100 × workforce",
                          (("target", t), ("workforce", workforce.value)), workforce.exact,
                          interval=target.coverage.interval / 100 * workforce.interval)
    else:
        needed = None
    gap_workers = None
    if needed is not None and participants is not None:
        gap_workers = Computed(needed.value - participants.value, "target participants − participants",
                               (("target participants", needed.value), ("participants", participants.value)),
                               needed.exact and participants.exact,
                               interval=needed.interval - participants.interval)
    months = months_until_year_end(when, target.year) if target.year is not None else None
    return TargetGap(target.year, target, gap_points, needed, gap_workers, months, _pace(target, gap_workers, months))


def _pace(target: Target, gap_workers: Computed | None, months: Interval | None) -> Computed | None:
    """New participants a month: from the gap the source stated when there is one (the gap the page
    shows), else from the computed gap; none under a month before the year ends (a pace over days says little)."""
    name = "stated gap" if target.gap is not None else "workers needed"
    gap = Computed.of(target.gap, name) if target.gap is not None else gap_workers
    if gap is None or months is None or months.lo < 1:
        return None
    return Computed(max(gap.value, 0) / months.mid, f"{name} / months left",
                    ((name, gap.value), ("months left", months.mid)), False,
                    interval=gap.interval.clamp_min(0) / months)


# --------------------------------------------------------------------------- sub-regions


@dataclass(frozen=True)
class RankedRow:
    figure: SubFigure
    rank: int | None  # 1 is the highest coverage; None for a figure of unclear attribution
    vs_province: Computed  # points above (+) or below (-) the region

    @property
    def subregion(self) -> SubRegion:
        return self.figure.subregion

    @property
    def coverage(self) -> float:
        return self.figure.coverage.value


@dataclass(frozen=True)
class SubregionStats:
    rows: tuple[RankedRow, ...]  # clearly attributed figures, highest first
    ambiguous: tuple[RankedRow, ...]  # figures the source attributed unclearly
    missing: tuple[SubRegion, ...]  # sub-regions with no clear figure
    median: Computed | None
    lowest: Computed | None
    highest: Computed | None
    spread: Computed | None  # highest − lowest, in points
    below_province: int  # surely below: every value its rounding allows is under the region's
    meeting: tuple[tuple[int, int], ...]  # (target year, how many sub-regions surely meet it)
    total: int = 0  # sub-regions the region has (the statistics cover `count` of them)

    @property
    def count(self) -> int:
        return len(self.rows)

    @property
    def partial(self) -> bool:
        return self.count < self.total

    def row(self, slug: str) -> RankedRow | None:
        return next((r for r in self.rows if r.subregion.slug == slug), None)


def surely_above(a: Interval, b: Interval) -> bool:
    """a ranks above b only when no value a's rounding allows is below b's (touching ends do not tie:
    "32,9" and "32,8" meet at 32,85, which each published figure's rounding leaves to the other)."""
    return a.lo >= b.hi and a.mid > b.mid


def difference(a: Figure, b: Figure, name: str) -> Computed:
    """a − b, two published figures, with the range their rounding allows."""
    return Computed(a.value - b.value, name, (("a", a.value), ("b", b.value)), a.exact and b.exact,
                    interval=a.interval - b.interval)


def _vs(figure: Figure, province: Computed) -> Computed:
    return Computed(figure.value - province.value, "sub-region coverage − region coverage",
                    (("sub-region", figure.value), ("region", province.value)), figure.exact and province.exact,
                    interval=figure.interval - province.interval)


def _stat(values: list[float], ivs: list[Interval], pick, name: str, exact: bool) -> Computed:
    # median, min and max are monotone in every argument: applied to the lower and the
    # upper ends they give the statistic's exact range
    return Computed(pick(values), name, (), exact, interval=Interval(pick([i.lo for i in ivs]), pick([i.hi for i in ivs])))


def subregion_stats(region: Region, snapshot: Snapshot, province: Computed) -> SubregionStats:
    """Rank, median, spread and target counts over the clearly attributed figures.

    Ranks are competition ranks over intervals: a figure shares the rank of every
    figure its rounding cannot tell it apart from ("37 %" and "37,4 %" tie)."""
    clear = [f for f in snapshot.subregions if f.coverage is not None and not f.ambiguous]
    clear.sort(key=lambda f: (-f.coverage.value, f.subregion.name))
    rows = []
    for f in clear:
        rank = 1 + sum(1 for g in clear if surely_above(g.coverage.interval, f.coverage.interval))
        rows.append(RankedRow(f, rank, _vs(f.coverage, province)))
    unclear = tuple(RankedRow(f, None, _vs(f.coverage, province)) for f in snapshot.subregions
                    if f.coverage is not None and f.ambiguous)
    values = [r.coverage for r in rows]
    ivs = [r.figure.coverage.interval for r in rows]
    exact = all(r.figure.coverage.exact for r in rows)
    named = {f.subregion.slug for f in clear}
    missing = tuple(s for s in region.subregions if s.slug not in named)
    meeting = tuple((t.year, sum(1 for i in ivs if i.lo >= t.coverage.interval.hi)) for t in snapshot.targets)
    median = lowest = highest = spread = None
    if values:
        median = _stat(values, ivs, statistics.median, "median of sub-region coverage", exact)
        lowest = _stat(values, ivs, min, "lowest sub-region coverage", exact)
        highest = _stat(values, ivs, max, "highest sub-region coverage", exact)
        spread = Computed(highest.value - lowest.value, "highest − lowest", (("highest", highest.value),
                          ("lowest", lowest.value)), exact, interval=(highest.interval - lowest.interval).clamp_min(0))
    return SubregionStats(
        rows=tuple(rows), ambiguous=unclear, missing=missing, median=median, lowest=lowest, highest=highest,
        spread=spread, below_province=sum(1 for i in ivs if i.hi < province.interval.lo), meeting=meeting,
        total=len(region.subregions),
    )


# --------------------------------------------------------------------------- between snapshots


@dataclass(frozen=True)
class Change:
    before: Snapshot
    after: Snapshot
    points: Computed  # coverage after − before
    participants: Computed | None
    workforce: Computed | None
    due_to_participants: Computed | None  # the two parts add up to `points`
    due_to_workforce: Computed | None
    restated_targets: tuple[tuple[int, Target, Target], ...]  # year, before, after: where they differ
    new_targets: tuple[Target, ...]
    movers: tuple[tuple[SubRegion, float, float], ...]  # sub-region, before, after (clear figures)
    new_notes: tuple

    @property
    def days(self) -> Interval:
        """Days between the two reports: a span when either is dated to a month or a year."""
        (b1, b2), (a1, a2) = first_last(self.before.date), first_last(self.after.date)
        return Interval((a1 - b2).days, (a2 - b1).days)


def split_change(p1: float, w1: float, p2: float, w2: float) -> tuple[float, float]:
    """Split a change in coverage into a participants part and a workforce part.

    The Shapley split: each part is the average of its effect taken first and
    taken second, so the two always add up to the whole change exactly.
    """
    due_p = ((p2 / w1 - p1 / w1) + (p2 / w2 - p1 / w2)) / 2 * 100
    due_w = ((p1 / w2 - p1 / w1) + (p2 / w2 - p2 / w1)) / 2 * 100
    return due_p, due_w


def split_range(p1: Interval, w1: Interval, p2: Interval, w2: Interval) -> tuple[Interval, Interval]:
    """Every value each part of the split can take within its inputs' rounding.

    Written as products of independent factors, each input appearing once in
    each: 50 × (P₂ − P₁) × (1/W₁ + 1/W₂) and 50 × (P₁ + P₂) × (1/W₂ − 1/W₁), so the
    interval arithmetic gives their range without widening it."""
    inv1, inv2 = 1 / w1.clamp_min(1e-9), 1 / w2.clamp_min(1e-9)
    return 50 * (p2 - p1) * (inv1 + inv2), 50 * (p1 + p2) * (inv2 - inv1)


def _diff(a: Computed | None, b: Computed | None, name: str) -> Computed | None:
    if a is None or b is None:
        return None
    return Computed(b.value - a.value, f"{name} after − {name} before", (("before", a.value), ("after", b.value)),
                    a.exact and b.exact, interval=b.interval - a.interval)


def change(before: Snapshot, after: Snapshot, h1: Headline | None = None, h2: Headline | None = None) -> Change:
    """What moved between two snapshots of a region (h1, h2: their headlines, when the caller has them)."""
    h1 = headline(before) if h1 is None else h1
    h2 = headline(after) if h2 is None else h2
    points = Computed(h2.coverage.value - h1.coverage.value, "coverage after − coverage before",
                      (("before", h1.coverage.value), ("after", h2.coverage.value)),
                      h1.coverage.exact and h2.coverage.exact, interval=h2.coverage.interval - h1.coverage.interval)
    due_p = due_w = None
    if h1.participants and h1.workforce and h2.participants and h2.workforce:
        p1, w1, p2, w2 = h1.participants.value, h1.workforce.value, h2.participants.value, h2.workforce.value
        dp, dw = split_change(p1, w1, p2, w2)
        # The stated coverages may differ from participants / workforce by their rounding. That
        # remainder is shared in proportion to each part's size, so the parts add up to the stated
        # change. (Scaling both parts instead inflates two large opposite parts many times over;
        # found by tests/test_properties.py.) With no part at all, the change is rounding only: no split.
        rest = points.value - (dp + dw)
        size = abs(dp) + abs(dw)
        if size:
            dp, dw = dp + rest * abs(dp) / size, dw + rest * abs(dw) / size
        if size or math.isclose(rest, 0, abs_tol=1e-9):
            exact = all(x.exact for x in (h1.participants, h1.workforce, h2.participants, h2.workforce))
            inputs = (("participants before", p1), ("workforce before", w1), ("participants after", p2),
                      ("workforce after", w2))
            rp, rw = split_range(h1.participants.interval, h1.workforce.interval, h2.participants.interval,
                                 h2.workforce.interval)
            # the nominal parts (shifted by the stated coverages' remainder) stay inside their ranges
            rp, rw = rp.hull(Interval.point(dp)), rw.hull(Interval.point(dw))
            due_p = Computed(dp, "Shapley split: participants part", inputs, exact, interval=rp)
            due_w = Computed(dw, "Shapley split: workforce part", inputs, exact, interval=rw)
    restated, new = [], []
    for t in after.targets:
        old = before.target(t.year)
        if old is None:
            new.append(t)
        elif old.coverage.value != t.coverage.value or (
                old.participants and t.participants and old.participants.value != t.participants.value):
            restated.append((t.year, old, t))
    clear_before = {f.subregion.slug: f for f in before.subregions if f.coverage and not f.ambiguous}
    movers = tuple(sorted(
        ((f.subregion, clear_before[f.subregion.slug].coverage.value, f.coverage.value)
         for f in after.subregions if f.coverage and not f.ambiguous and f.subregion.slug in clear_before),
        key=lambda m: -(m[2] - m[1])))
    old_ids = {n.id for n in before.notes}
    return Change(before, after, points, _diff(h1.participants, h2.participants, "participants"),
                  _diff(h1.workforce, h2.workforce, "workforce"), due_p, due_w, tuple(restated), tuple(new),
                  movers, tuple(n for n in after.notes if n.id not in old_ids))


def changes(region: Region) -> tuple[Change, ...]:
    """The change between each pair of consecutive snapshots, oldest first."""
    snaps = region.snapshots
    return tuple(change(a, b) for a, b in zip(snaps, snaps[1:]))

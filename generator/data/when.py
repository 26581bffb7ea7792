"""Dates known to a day, a month or a year: what a snapshot or a source is dated to.

A source may say only "per Juni 2025" or "tahun 2025". Such a date is a span
of days, not a day: `When` is a `datetime.date` (its first day, so it sorts,
hashes and subtracts like one) that also knows its precision, writes itself as
it was given (`2025-06`, `2025`: the file name, the address /arsip/2025-06/,
the downloads) and gives the span it stands for (`first`, `last`), so that a
computation over dates (months left to a target, the days between two
reports) is an interval of every value the span allows.

Written here rather than taken from a library: dateutil and pendulum parse
partial dates into a full day (the first of the month), which is exactly the
false precision this avoids; what is needed is a date plus one field.
"""

from __future__ import annotations

import calendar
import re
from datetime import date as Date

DAY, MONTH, YEAR = "day", "month", "year"
# YYYY-MM-DD, YYYY-MM or YYYY: how a snapshot file is named and its date written
PATTERN = r"\d{4}(?:-\d{2}(?:-\d{2})?)?"
_SHAPE = re.compile(rf"^{PATTERN}$")


class When(Date):
    """A date of a given precision; as a date, the first day of its span."""

    __slots__ = ("precision",)

    def __new__(cls, year: int, month: int | None = None, day: int | None = None):
        if month is None and day is not None:
            raise ValueError("a day needs a month")
        self = super().__new__(cls, year, month or 1, day or 1)
        self.precision = DAY if day is not None else MONTH if month is not None else YEAR
        return self

    def __reduce__(self):
        return (When, self._parts())

    def _parts(self) -> tuple[int, int | None, int | None]:
        return (self.year, None if self.precision == YEAR else self.month,
                self.day if self.precision == DAY else None)

    def __repr__(self) -> str:
        return f"When({self.isoformat()!r})"

    def isoformat(self) -> str:
        return {DAY: super().isoformat(), MONTH: f"{self.year:04d}-{self.month:02d}",
                YEAR: f"{self.year:04d}"}[self.precision]

    __str__ = isoformat

    def __format__(self, spec: str) -> str:
        return self.isoformat() if not spec else super().__format__(spec)

    @property
    def first(self) -> Date:
        return Date(self.year, self.month, self.day)

    @property
    def last(self) -> Date:
        if self.precision == DAY:
            return self.first
        if self.precision == MONTH:
            return Date(self.year, self.month, calendar.monthrange(self.year, self.month)[1])
        return Date(self.year, 12, 31)

    def overlaps(self, other: Date) -> bool:
        o_first, o_last = _span(other)
        return self.first <= o_last and o_first <= self.last


def _span(d: Date) -> tuple[Date, Date]:
    return (d.first, d.last) if isinstance(d, When) else (d, d)


def first_last(d: Date) -> tuple[Date, Date]:
    """The first and the last day a date may be (the same day for a plain date)."""
    return _span(d)


def days_apart(a: Date, b: Date) -> int:
    """The fewest days between two dates' spans: 0 when they overlap (a month holds its days)."""
    (a1, a2), (b1, b2) = _span(a), _span(b)
    return max(0, (b1 - a2).days, (a1 - b2).days)


def middle(d: Date) -> Date:
    """The middle day of a date's span: where a chart draws a point for it."""
    first, last = _span(d)
    return Date.fromordinal((first.toordinal() + last.toordinal()) // 2)


def parse(text: str) -> When:
    """`2025-06-30`, `2025-06` or `2025`; ValueError for anything else or a date that does not exist."""
    if not _SHAPE.match(text):
        raise ValueError(f"{text!r} is not YYYY-MM-DD, YYYY-MM or YYYY")
    parts = [int(p) for p in text.split("-")]
    return When(*parts)


def of(d: Date) -> When:
    """A plain date as a When of a day (a When as it is)."""
    return d if isinstance(d, When) else When(d.year, d.month, d.day)

"""What a figure is known to within: closed intervals, their arithmetic, and the one printing rule.

A published "24,86 %" means some value from 24,855 to 24,865; "2,7 juta" means
2,65 to 2,75 juta; "sekitar" widens a figure by APPROX (a documented default).
Every derived figure is computed on these intervals, so a gap, a change or a
split carries exactly the uncertainty its inputs allow, and the site prints
only the digits that uncertainty supports (see `decimals`, and the
methodology page, content/metodologi.md, which states the same rule).

Written here rather than taken from a library: the site needs four operations
on closed real intervals and one printing rule tied to Indonesian rounding;
the interval packages on PyPI (mpmath's iv, pyinterval) bring outward
rounding modes and a C extension for what is a dozen lines of min and max.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

# "sekitar x" (the source's own "about"): x plus or minus 5 % of x, on top of its digits' rounding.
APPROX = 0.05
_EPS = 1e-9  # floating-point slack when reading a width as a power of ten


@dataclass(frozen=True)
class Interval:
    lo: float
    hi: float

    def __post_init__(self):
        if not self.lo <= self.hi:
            raise ValueError(f"empty interval [{self.lo}, {self.hi}]")

    @classmethod
    def point(cls, value: float) -> Interval:
        return cls(value, value)

    @classmethod
    def around(cls, value: float, half: float, approximate: bool = False) -> Interval:
        """value ± half (its rounding), widened by APPROX of the value when the source said "sekitar"."""
        half = abs(half) + (abs(value) * APPROX if approximate else 0.0)
        return cls(value - half, value + half)

    @property
    def width(self) -> float:
        return self.hi - self.lo

    @property
    def mid(self) -> float:
        return (self.lo + self.hi) / 2

    @property
    def exact(self) -> bool:
        return self.lo == self.hi

    def __contains__(self, value: float) -> bool:
        return self.lo <= value <= self.hi

    def overlaps(self, other: Interval) -> bool:
        return self.lo <= other.hi and other.lo <= self.hi

    @property
    def sign(self) -> int | None:
        """+1 or -1 when every value in the interval has that sign, 0 for exactly zero, else None."""
        if self.lo > 0:
            return 1
        if self.hi < 0:
            return -1
        return 0 if self.lo == self.hi == 0 else None

    def __add__(self, other: Interval | float) -> Interval:
        o = _as(other)
        return Interval(self.lo + o.lo, self.hi + o.hi)

    __radd__ = __add__

    def __neg__(self) -> Interval:
        return Interval(-self.hi, -self.lo)

    def __sub__(self, other: Interval | float) -> Interval:
        return self + (-_as(other))

    def __rsub__(self, other: float) -> Interval:
        return _as(other) - self

    def __mul__(self, other: Interval | float) -> Interval:
        o = _as(other)
        ends = (self.lo * o.lo, self.lo * o.hi, self.hi * o.lo, self.hi * o.hi)
        return Interval(min(ends), max(ends))

    __rmul__ = __mul__

    def __truediv__(self, other: Interval | float) -> Interval:
        o = _as(other)
        if o.lo <= 0 <= o.hi:
            raise ZeroDivisionError(f"division by an interval holding zero [{o.lo}, {o.hi}]")
        return self * Interval(1 / o.hi, 1 / o.lo)

    def __rtruediv__(self, other: float) -> Interval:
        return _as(other) / self

    def clamp_min(self, floor: float) -> Interval:
        return Interval(max(self.lo, floor), max(self.hi, floor))

    def intersect(self, other: Interval) -> Interval:
        return Interval(max(self.lo, other.lo), min(self.hi, other.hi))

    def hull(self, other: Interval) -> Interval:
        return Interval(min(self.lo, other.lo), max(self.hi, other.hi))


def _as(x: Interval | float) -> Interval:
    return x if isinstance(x, Interval) else Interval.point(x)


def decimals(iv: Interval, finest: int) -> int:
    """The printing rule: the last digit printed is at the largest place whose unit is no wider than the interval.

    Decimals after the comma (negative: whole tens, hundreds, ...), never finer
    than `finest` (the kind's usual digits: 2 for percent and points, 0 for
    people). A width of 0,02 points prints hundredths (7,76), a width of 2
    prints whole points (13), 100.000 people prints hundred-thousands (2,7 juta).
    The printed value then always lies inside the interval (see `rounded`).
    """
    if iv.width <= 0:
        return finest
    return min(finest, math.ceil(-math.log10(iv.width) - _EPS))


def rounded(value: float, iv: Interval, places: int) -> float:
    """value rounded to `places`; the interval's midpoint rounded instead when that would leave the interval.

    (An interval narrower than one unit of `places`, the kind's finest, is simply rounded.)"""
    out = round(value, places)
    if out in iv or iv.width < 10.0 ** -places:
        return out
    return round(iv.mid, places)

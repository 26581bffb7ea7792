"""Indonesian numbers and dates, all through Babel, so the site writes 24,86 % and 3.058.943.

A published figure prints as published ("37 %", "24,86 %", "sekitar 2,7 juta").
A computed one prints only the digits its interval supports (interval.decimals,
the rule the methodology page states), with "sekitar" when it rests on a
rounded or "about" input, and "sekitar" is never said twice.
"""

from __future__ import annotations

import functools
import math
from datetime import date as Date

from babel.dates import format_date
from babel.numbers import format_compact_decimal, format_decimal

from generator.facts.indicators import Computed
from generator.data.interval import Interval, decimals as supported, rounded
from generator.data.model import Figure
from generator.data.when import DAY, YEAR

LOCALE = "id_ID"
NBSP = "\u00a0"
MINUS = "\u2212"


# Babel takes 20-40 us a number or date; a national site writes the same few
# thousand of them millions of times. Keyed by type and repr, so 0.0 and -0.0
# (or 1 and 1.0) never share an entry.
_NUMBERS: dict[tuple, str] = {}


def number(value: float, decimals: int = 0) -> str:
    key = (type(value), repr(value), decimals)
    text = _NUMBERS.get(key)
    if text is None:
        pattern = "#,##0" + ("." + "0" * decimals if decimals else "")
        text = format_decimal(round(value, decimals) if decimals else round(value), format=pattern,
                              locale=LOCALE).replace("-", MINUS)
        if len(_NUMBERS) < 200_000:
            _NUMBERS[key] = text
    return text


def percent(value: float | Computed, decimals: int = 2) -> str:
    if isinstance(value, Computed):
        return pct(value, decimals)
    return f"{number(value, decimals)}{NBSP}%"


def about(text: str) -> str:
    """ "sekitar" once: a source's own words may already say it."""
    return text if text.lower().startswith(("sekitar", "kurang lebih", "±")) else f"sekitar {text}"


def _fit(value: Computed, finest: int) -> tuple[float, int]:
    """A computed value rounded to the digits its interval supports, and how many decimals that is."""
    places = supported(value.interval, finest)
    return rounded(value.value, value.interval, places), places


def points(value: float | Computed, decimals: int = 2, sign: bool = True) -> str:
    prefix = ""
    if isinstance(value, Computed):
        prefix = "" if value.exact else "sekitar "
        value, decimals = _fit(value, decimals)
    places = max(decimals, 0)
    text = number(abs(value), places)
    if sign and round(value, places) != 0:
        text = ("+" if value > 0 else MINUS) + text
    return f"{prefix}{text}{NBSP}poin"


def points_range(iv: Interval, decimals: int = 2) -> str:
    """A part whose size the rounding leaves open: "+2,7 hingga +3,8 poin".

    Its ends are known, not estimated: one digit finer than a value of that width
    would show, rounded outwards so the printed range holds the whole interval."""
    if iv.width < 10.0 ** -decimals:  # known to within the finest digit: one value
        return points(round(iv.mid, decimals), decimals)
    places = max(0, min(decimals, supported(iv, decimals) + 1))
    step = 10.0 ** -places
    ends = (math.floor(round(iv.lo / step, 6)) * step, math.ceil(round(iv.hi / step, 6)) * step)
    lo, hi = (points(x, places).removesuffix(f"{NBSP}poin") for x in ends)
    return lo + f"{NBSP}poin" if lo == hi else f"{lo} hingga {hi}{NBSP}poin"


def people(value: float, places: int) -> str:
    """People rounded to `places` (negative: tens, thousands, ...), in words from a thousand up."""
    value = round(value, places)
    if places <= -3 and abs(value) >= 1000:
        digits = max(0, (6 if abs(value) >= 1_000_000 else 3) + places)
        return format_compact_decimal(value, format_type="long", locale=LOCALE,
                                      fraction_digits=digits).replace("-", MINUS)
    return number(value)


def approx_count(value: float) -> str:
    """A count known only roughly: three significant digits in words ("2,73 juta")."""
    if abs(value) < 1000:
        return number(value)
    digits = 2 if abs(value) >= 1_000_000 else 0
    return format_compact_decimal(value, format_type="long", locale=LOCALE, fraction_digits=digits).replace("-", MINUS)


def count(value: Figure | Computed | float | None, exact: bool | None = None) -> str:
    """People, exactly when the figure is exact, otherwise "sekitar" and rounded."""
    if value is None:
        return "–"
    if isinstance(value, Computed):
        if value.stated is not None:
            return count(value.stated)
        text = people(*_fit(value, 0))
        return text if value.exact else about(text)
    if isinstance(value, Figure):
        if value.exact:
            return number(value.value)
        if value.stated:
            return about(value.stated)
        if value.rounded_to is None:  # "sekitar 389.534": the source's own digits, and its "about"
            return about(number(value.value))
        exact, value = False, value.value
    if exact or exact is None:
        return number(value)
    return about(approx_count(value))


def short_pct(value: float) -> str:
    """A percentage with as many decimals as it needs, one or two: 32,9 and 24,86."""
    return number(value, 1 if round(value, 1) == round(value, 2) else 2)


def change_count(value: float | Computed, exact: bool = True) -> str:
    """A change in people with its sign: "+28.477", or "sekitar +327 ribu" when not exact."""
    if isinstance(value, Computed):
        exact, (value, places) = value.exact, _fit(value, 0)
        text = people(abs(value), places)
    else:
        text = number(abs(value)) if exact else approx_count(abs(value))
    sign = "+" if value > 0 else MINUS if value < 0 else ""
    return sign + text if exact else f"sekitar {sign}{text}"


def pct(value: Figure | Computed | float | None, decimals: int | None = None) -> str:
    """A coverage figure with the decimals its source gave (or two when computed)."""
    if value is None:
        return "–"
    prefix = ""
    if isinstance(value, Figure):
        decimals = value.decimals if decimals is None else decimals
        if value.stated and value.approximate:
            return about(value.stated)
        prefix = "sekitar " if value.approximate else ""
        value = value.value
    elif isinstance(value, Computed):
        if value.stated is not None:
            return pct(value.stated, decimals)
        prefix = "" if value.exact else "sekitar "
        value, decimals = _fit(value, 2 if decimals is None else decimals)
    return prefix + percent(value, 2 if decimals is None else max(decimals, 0))


def chart_pct(value: Figure | Computed | None) -> str | None:
    """A coverage as a chart label: the digits pct() prints, "sekitar" shortened to "~" (room is short)."""
    if value is None:
        return None
    text = pct(value).replace(NBSP, " ")  # (a chart's own labels space their "%" plainly)
    return "~" + text[len("sekitar "):] if text.startswith("sekitar ") else text


def _date(when: Date, day: str, month: str) -> str:
    """A date as precisely as it is known: a day, "Juni 2025" for a month, "2025" for a year (when.py)."""
    precision = getattr(when, "precision", DAY)
    # keyed by precision too: When("2025-06") equals date(2025, 6, 1) as a date
    return _date_text(when.year, when.month, when.day, precision, day if precision == DAY else month)


@functools.lru_cache(maxsize=8192)
def _date_text(year: int, month: int, day: int, precision: str, pattern: str) -> str:
    if precision == YEAR:
        return str(year)
    return format_date(Date(year, month, day), format=pattern, locale=LOCALE)


def long_date(when: Date) -> str:
    return _date(when, "d MMMM y", "MMMM y")


def short_date(when: Date) -> str:
    return _date(when, "d MMM y", "MMM y")


def month_year(when: Date) -> str:
    return _date(when, "MMMM y", "MMMM y")


def target_year(year: int | None) -> str:
    """What follows "target": its year, or that the source gave none ("target (tahun tidak disebut)")."""
    return str(year) if year is not None else "(tahun tidak disebut)"


def days(span: Interval) -> str:
    """Days between two reports: "98 hari", or "61–120 hari" when a report is dated to a month or a year."""
    lo, hi = round(span.lo), round(span.hi)
    return f"{number(lo, 0)} hari" if lo == hi else f"{number(lo, 0)}–{number(hi, 0)} hari"


FILTERS = {
    "days": days,
    "target_year": target_year,
    "num": number,
    "percent": percent,
    "points": points,
    "points_range": points_range,
    "count": count,
    "change_count": change_count,
    "short_pct": short_pct,
    "pct": pct,
    "long_date": long_date,
    "short_date": short_date,
    "month_year": month_year,
}

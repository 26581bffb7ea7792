"""Indonesian numbers and dates, all through Babel, so the site writes 24,86 % and 3.058.943.

A figure the source rounded, or one computed from a rounded input, is never
printed with more digits than it has: it reads "sekitar 2,7 juta".
"""

from __future__ import annotations

import functools
from datetime import date as Date

from babel.dates import format_date
from babel.numbers import format_compact_decimal, format_decimal

from .indicators import Computed
from .model import Figure

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


def percent(value: float, decimals: int = 2) -> str:
    return f"{number(value, decimals)}{NBSP}%"


def points(value: float, decimals: int = 2, sign: bool = True) -> str:
    text = number(abs(value), decimals)
    if sign and round(value, decimals) != 0:
        text = ("+" if value > 0 else MINUS) + text
    return f"{text}{NBSP}poin"


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
    stated = None
    if isinstance(value, Figure):
        exact, stated, value = value.exact, value.stated, value.value
    elif isinstance(value, Computed):
        exact = value.exact
        if value.stated is not None and value.stated.value == value.value:
            stated = value.stated.stated
            exact = value.stated.exact
        value = value.value
    if exact or exact is None:
        return number(value)
    return f"sekitar {stated or approx_count(value)}"


def short_pct(value: float) -> str:
    """A percentage with as many decimals as it needs, one or two: 32,9 and 24,86."""
    return number(value, 1 if round(value, 1) == round(value, 2) else 2)


def change_count(value: float, exact: bool) -> str:
    """A change in people with its sign: "+28.477", or "sekitar +327 ribu" when not exact."""
    sign = "+" if value > 0 else MINUS if value < 0 else ""
    if exact:
        return sign + number(abs(value))
    return f"sekitar {sign}{approx_count(abs(value))}"


def pct(value: Figure | Computed | float | None, decimals: int | None = None) -> str:
    """A coverage figure with the decimals its source gave (or two when computed)."""
    if value is None:
        return "–"
    prefix = ""
    if isinstance(value, Figure):
        decimals = value.decimals if decimals is None else decimals
        prefix = "sekitar " if value.approximate else ""
        value = value.value
    elif isinstance(value, Computed):
        if value.stated is not None:
            return pct(value.stated, decimals)
        prefix = "" if value.exact else "sekitar "
        value = value.value
    return prefix + percent(value, 2 if decimals is None else decimals)


@functools.lru_cache(maxsize=8192)
def long_date(when: Date) -> str:
    return format_date(when, format="d MMMM y", locale=LOCALE)


@functools.lru_cache(maxsize=8192)
def short_date(when: Date) -> str:
    return format_date(when, format="d MMM y", locale=LOCALE)


@functools.lru_cache(maxsize=8192)
def month_year(when: Date) -> str:
    return format_date(when, format="MMMM y", locale=LOCALE)


FILTERS = {
    "num": number,
    "percent": percent,
    "points": points,
    "count": count,
    "change_count": change_count,
    "short_pct": short_pct,
    "pct": pct,
    "long_date": long_date,
    "short_date": short_date,
    "month_year": month_year,
}

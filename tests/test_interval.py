"""The interval arithmetic and the one printing rule (generator/data/interval.py)."""

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from generator.data.interval import APPROX, Interval, decimals, rounded

finite = st.floats(min_value=-1e7, max_value=1e7, allow_nan=False, allow_infinity=False)
widths = st.floats(min_value=0, max_value=1e6, allow_nan=False, allow_infinity=False)
intervals = st.builds(lambda a, w: Interval(a, a + w), finite, widths)
positive = st.builds(lambda a, w: Interval(a, a + w), st.floats(min_value=1e-3, max_value=1e7), widths)


def pick(iv: Interval, t: float) -> float:
    return min(iv.hi, max(iv.lo, iv.lo + t * iv.width))


fractions = st.floats(min_value=0, max_value=1)


@given(intervals, intervals, fractions, fractions)
def test_sum_and_difference_hold_every_pair_of_members(a, b, s, t):
    x, y = pick(a, s), pick(b, t)
    assert math.isclose((a + b).lo, (a + b).lo) and (a + b).lo - 1e-6 <= x + y <= (a + b).hi + 1e-6
    assert (a - b).lo - 1e-6 <= x - y <= (a - b).hi + 1e-6


@given(intervals, positive, fractions, fractions)
def test_product_and_quotient_hold_every_pair_of_members(a, b, s, t):
    x, y = pick(a, s), pick(b, t)
    tol = 1e-9 * max(1.0, abs(x * y), abs(x / y))
    assert (a * b).lo - tol <= x * y <= (a * b).hi + tol
    assert (a / b).lo - tol <= x / y <= (a / b).hi + tol


def test_division_by_an_interval_holding_zero_is_refused():
    with pytest.raises(ZeroDivisionError):
        Interval(1, 2) / Interval(-1, 1)


@given(intervals, st.integers(min_value=0, max_value=2), fractions)
def test_printed_value_lies_inside_its_interval_and_shows_no_digit_finer_than_its_width(iv, finest, t):
    places = decimals(iv, finest)
    out = rounded(pick(iv, t), iv, places)
    unit = 10.0 ** -places
    if places < finest or iv.width >= 10.0 ** -finest:
        assert unit <= iv.width * (1 + 1e-6)  # the last digit's unit is no wider than what is known
        assert unit * 10 > iv.width * (1 - 1e-6)  # and one more digit would be finer than it
        assert iv.lo - 1e-6 * unit <= out <= iv.hi + 1e-6 * unit
    else:  # known closer than the kind's finest digits: rounded to those
        assert abs(out - pick(iv, t)) <= unit / 2 + 1e-9


@pytest.mark.parametrize("value, half, places, printed", [
    (24.86, 0.005, 2, 24.86),  # "24,86 %" prints as published
    (37, 0.5, 0, 37),  # "37 %" too
    (32.9, 0.05, 1, 32.9),
    (2_700_000, 50_000, -5, 2_700_000),  # "2,7 juta"
])
def test_a_published_figure_reprints_its_own_digits(value, half, places, printed):
    iv = Interval.around(value, half)
    assert decimals(iv, 2) == places
    assert rounded(value, iv, decimals(iv, 2)) == printed


def test_gap_between_whole_percents_prints_whole_points():
    gap = Interval.around(50, 0.5) - Interval.around(37, 0.5)
    assert (gap.lo, gap.hi) == (12, 14)
    assert decimals(gap, 2) == 0


def test_about_widens_by_the_documented_default():
    iv = Interval.around(411_000, 500, approximate=True)
    assert iv.hi - 411_000 == pytest.approx(500 + 411_000 * APPROX)


@pytest.mark.parametrize("iv, sign", [(Interval(1, 2), 1), (Interval(-2, -1), -1), (Interval(-1, 1), None),
                                      (Interval(0, 0), 0)])
def test_sign_is_given_only_when_certain(iv, sign):
    assert iv.sign == sign

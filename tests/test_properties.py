"""Properties of the pure core (hypothesis)."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from xl_scorecard.core import direction, rag
from xl_scorecard.core.rates import kpi_rate
from xl_scorecard.core.rounding import excel_precision, round_half_away

settings.register_profile("xl_scorecard", deadline=None, max_examples=150)
settings.load_profile("xl_scorecard")

RANK = {rag.RED: 0, rag.AMBER: 1, rag.GREEN: 2}

values = st.floats(min_value=-1e6, max_value=1e6, allow_nan=False, allow_infinity=False)
# Values with at most 3 decimals, as figures arrive (so display rounding has ties to hit).
figures = st.integers(min_value=-10**8, max_value=10**8).map(lambda n: n / 1000)
decimals = st.integers(min_value=0, max_value=4)
maybe_nan = st.one_of(st.just(math.nan), values)
polarities = st.sampled_from(["H", "L", "T"])


def _target_and_floor(data, polarity="H"):
    target = data.draw(values, label="target")
    floor = data.draw(st.one_of(st.just(math.nan),
                                st.floats(min_value=-1e6, max_value=target) if polarity == "H"
                                else st.floats(min_value=target, max_value=1e6)), label="floor")
    return target, floor


@given(st.data(), values, values)
def test_raising_an_h_value_never_worsens_its_rating(data, a, b):
    low, high = sorted((a, b))
    target, floor = _target_and_floor(data)
    before = int(rag.rag_higher(low, target, floor))
    after = int(rag.rag_higher(high, target, floor))
    assert RANK[after] >= RANK[before]


@given(st.data(), figures, figures, decimals)
def test_raising_an_h_value_never_worsens_its_displayed_rating(data, a, b, places):
    """The engine's path: round as displayed, then rate."""
    low, high = sorted((a, b))
    target, floor = _target_and_floor(data)
    before = int(rag.rag_codes(round_half_away(low, places), "H", target, floor))
    after = int(rag.rag_codes(round_half_away(high, places), "H", target, floor))
    assert RANK[after] >= RANK[before]


@given(values, values, maybe_nan)
def test_l_mirrors_h(v, t, f):
    assert rag.rag_lower(v, t, f) == rag.rag_higher(-v, -t, -f)
    assert rag.rag_codes(v, "L", t, f) == rag.rag_codes(-v, "H", -t, -f)


@given(st.data(), values, values)
def test_lowering_an_l_value_never_worsens_its_rating(data, a, b):
    low, high = sorted((a, b))
    target, floor = _target_and_floor(data, polarity="L")
    assert RANK[int(rag.rag_lower(low, target, floor))] >= RANK[int(rag.rag_lower(high, target, floor))]


@given(values, st.floats(0, 1e3), st.floats(0, 1e3), st.floats(0, 1e3), st.floats(0, 1e3), values,
       st.floats(0, 1))
def test_t_rating_never_worsens_moving_towards_the_green_band(centre, g_lo, g_hi, a_lo, a_hi, v,
                                                              fraction):
    """Nested bands around a centre: a value part of the way towards the band is never worse."""
    green = (centre - g_lo, centre + g_hi)
    amber = (green[0] - a_lo, green[1] + a_hi)
    edge = min(max(v, green[0]), green[1])  # v itself when inside the band
    nearer = v + fraction * (edge - v)
    far = int(rag.rag_band(v, *green, *amber))
    near = int(rag.rag_band(nearer, *green, *amber))
    assert int(rag.rag_band(edge, *green, *amber)) == rag.GREEN
    assert RANK[near] >= RANK[far]


@given(values, values, polarities, values, st.floats(0, 10))
@example(0.0, 9.841386453721004e-302, "H", 0.0, 0.0)  # once NaN: 10**316 overflowed
def test_direction_of_a_b_is_the_reverse_of_b_a(a, b, polarity, target, tolerance):
    forward = int(direction.dot_codes(a, b, polarity, target, tolerance))
    backward = int(direction.dot_codes(b, a, polarity, target, tolerance))
    assert forward != direction.NO_ARROW
    assert forward == -backward


@given(values, polarities, values)
def test_same_value_is_unchanged(a, polarity, target):
    assert direction.dot_codes(a, a, polarity, target) == direction.UNCHANGED


@given(st.integers(0, 10**6), st.integers(1, 10**7), st.integers(1, 10**6),
       st.sampled_from([100.0, 10000.0, 1.0]))
def test_rates_invariant_to_scaling_by_a_whole_number(num, den, k, multiplier):
    """Exact integer products: the same quotient, bit for bit."""
    assert kpi_rate(num * k, den * k, multiplier) == kpi_rate(num, den, multiplier)


@given(st.floats(0, 1e6), st.floats(1e-3, 1e7), st.floats(1e-3, 1e3),
       st.sampled_from([100.0, 10000.0, 1.0]))
def test_rates_invariant_to_scaling_together(num, den, k, multiplier):
    """Any factor: equal within Excel's 15 significant digits."""
    scaled = kpi_rate(num * k, den * k, multiplier)
    plain = kpi_rate(num, den, multiplier)
    assert scaled == pytest.approx(plain, rel=1e-14, abs=1e-300)
    assert excel_precision(scaled) == pytest.approx(excel_precision(plain), rel=1e-14, abs=1e-300)


@given(st.floats(0, 1e6), st.floats(0, 1e3))
def test_zero_denominator_stays_blank_when_scaled(num, k):
    assert math.isnan(kpi_rate(num * k, 0.0))
    assert math.isnan(kpi_rate(num, 0.0 * k))


@given(values, decimals)
@example(1.3259742071546198e-302, 0)  # once NaN, not 0
def test_round_half_away_is_idempotent(x, places):
    once = round_half_away(x, places)
    assert round_half_away(once, places) == once


@given(values, decimals)
@example(6.069155127512215e-308, 0)
def test_round_half_away_is_within_half_a_unit(x, places):
    unit = 10.0 ** -places
    assert abs(round_half_away(x, places) - x) <= unit / 2 * (1 + 1e-9)


@given(figures, decimals)
def test_round_half_away_is_symmetric_and_lands_on_the_grid(x, places):
    rounded = round_half_away(x, places)
    assert round_half_away(-x, places) == -rounded
    steps = rounded * 10**places
    assert steps == pytest.approx(round(steps), abs=1e-6)


@given(st.integers(-10**6, 10**6), st.integers(0, 3))
def test_exact_halves_round_away_from_zero(n, places):
    """n + 0.5 units, written with a decimal point as Excel sees it, goes away from zero."""
    text = f"{abs(n)}5" if places == 0 else f"{abs(n) // 10**places}.{abs(n) % 10**places:0{places}d}5"
    x = float(text) / 10 if places == 0 else float(text)
    x = -x if n < 0 else x
    expected_steps = abs(n) + 1
    assert round_half_away(x, places) == pytest.approx(math.copysign(expected_steps, x) / 10**places)


# --------------------------------------------------------------------------- vectorised == scalar

@given(st.lists(st.tuples(figures, decimals), min_size=1, max_size=20))
def test_round_half_away_vectorised_matches_scalar(pairs):
    xs, ds = zip(*pairs)
    vector = round_half_away(np.array(xs), np.array(ds))
    assert list(vector) == [round_half_away(x, d) for x, d in pairs]


@given(st.lists(st.tuples(st.floats(0, 1e6), st.one_of(st.just(0.0), st.floats(1e-3, 1e7)),
                          st.sampled_from([100.0, 10000.0, 1.0])), min_size=1, max_size=20))
def test_kpi_rate_vectorised_matches_scalar(rows):
    nums, dens, mults = map(np.array, zip(*rows))
    vector = kpi_rate(nums, dens, mults)
    scalar = [kpi_rate(n, d, m) for n, d, m in rows]
    np.testing.assert_array_equal(vector, np.array(scalar))


@given(st.lists(st.tuples(maybe_nan, st.sampled_from(["H", "L", "T", None]), values, maybe_nan),
                min_size=1, max_size=20))
def test_rag_codes_vectorised_matches_scalar(rows):
    vs, pols, ts, fs = zip(*rows)
    vs, ts, fs = map(np.array, (vs, ts, fs))
    # T bands derived from the target, so the same rows exercise all three polarities.
    gl, gh, al, ah = ts - 1, ts + 2, ts - 3, ts + 5
    vector = rag.rag_codes(vs, np.array(pols, dtype=object), ts, fs, gl, gh, al, ah)
    scalar = [int(rag.rag_codes(*args)) for args in zip(vs, pols, ts, fs, gl, gh, al, ah)]
    assert list(vector) == scalar
    assert list(rag.labels(vector)) == [rag.labels(c) for c in scalar]


@given(st.lists(st.tuples(maybe_nan, maybe_nan, st.sampled_from(["H", "L", "T", None]), values),
                min_size=1, max_size=20), st.floats(0, 5))
def test_dot_codes_vectorised_matches_scalar(rows, tolerance):
    latest, previous, pols, targets = zip(*rows)
    vector = direction.dot_codes(np.array(latest), np.array(previous), np.array(pols, dtype=object),
                                 np.array(targets), tolerance)
    scalar = [int(direction.dot_codes(*row, tolerance=tolerance)) for row in rows]
    assert list(vector) == scalar
    assert list(direction.arrows(vector)) == [direction.arrows(c) for c in scalar]

"""The worksheet functions' fast paths give exactly what the plain ways give.

Each fast path (issue 13, speed) is compared with the plain computation it replaces, written
out in the test: on table-driven edge cases and on hypothesis-generated inputs with blanks,
text, Excel errors, booleans, mixed polarity, T bands and percentage cells.

- ``rounding.excel_precision``: one looked-up power of ten for |x| from 1e-286 to 1e15, the
  two-step general path for the rest;
- ``direction.gains``: one polarity for the whole call works out only its rule, a column
  works out the T rule only when it has a T row;
- ``rag.rag_codes`` over a column: an L row judged as the H row of its negated figures, the
  band rule only when there is a T row;
- ``arguments.column_of``: a column as xlwings hands it read without ``np.asarray``.
"""

from __future__ import annotations

import datetime as dt
import math

import numpy as np
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from xl_scorecard.core import direction, rag
from xl_scorecard.core.rounding import excel_precision
from xl_scorecard.excel import functions as sf
from xl_scorecard.excel.arguments import column_of


def plain_excel_precision(x):
    """The rule written out once for every value: 10**k up, or 10**-k down, in two steps."""
    arr = np.asarray(x, dtype=float)
    finite = np.isfinite(arr) & (arr != 0)
    with np.errstate(divide="ignore", invalid="ignore"):
        magnitude = np.where(finite, np.floor(np.log10(np.abs(np.where(finite, arr, 1.0)))), 0.0)
    exponent = 14 - magnitude
    first = np.minimum(np.abs(exponent), 300.0)
    scale, rest = 10.0 ** first, 10.0 ** (np.abs(exponent) - first)
    with np.errstate(over="ignore", invalid="ignore"):
        snapped = np.where(exponent >= 0, np.round(arr * scale * rest) / scale / rest,
                           np.round(arr / scale) * scale)
    result = np.where(finite, snapped, arr)
    return result if np.ndim(x) else float(result)


def same_floats(a, b) -> bool:
    a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    return (a.shape == b.shape and np.array_equal(a, b, equal_nan=True)
            and np.array_equal(np.signbit(a), np.signbit(b)))


EDGES = [0.0, -0.0, math.nan, math.inf, -math.inf, 84.95, 0.285 * 100, 2.675, -2.675,
         1e-286, 9.9e-287, 1e-300, 5e-324, -5e-324, 2.2250738585072014e-308,
         999999999999999.9, 1e15, 1.0000000000000002e15, 1e300, -1.7976931348623157e308]


@pytest.mark.parametrize("edge", EDGES)
def test_excel_precision_on_edges_alone_and_among_ordinary_figures(edge):
    for x in (np.array([edge]), np.array([edge, 28.6, 0.5, math.nan]), np.array([[edge], [3.0]])):
        assert same_floats(excel_precision(x), plain_excel_precision(x))
    assert same_floats(excel_precision(edge), plain_excel_precision(np.array([edge]))[0])


any_float = st.floats(allow_nan=True, allow_infinity=True)
figure = st.one_of(st.floats(-1e6, 1e6), st.integers(-10**8, 10**8).map(lambda n: n / 1000))


@settings(max_examples=300, deadline=None)
@given(st.one_of(hnp.arrays(float, st.integers(1, 40), elements=any_float),
                 hnp.arrays(float, st.integers(1, 40), elements=figure),
                 hnp.arrays(float, st.tuples(st.integers(1, 6), st.integers(1, 3)),
                            elements=st.one_of(figure, st.just(math.nan)))))
@example(np.array([1e-290, 1.0]))
@example(np.array([1e16, 1.0]))
def test_excel_precision_fast_equals_plain(x):
    assert same_floats(excel_precision(x), plain_excel_precision(x))


def test_excel_precision_of_nothing():
    assert excel_precision(np.array([])).shape == (0,)
    assert excel_precision(np.zeros((0, 2))).shape == (0, 2)


# =========================================================================== DOT's gains


def plain_gains(latest, previous, polarity, target=np.nan, green_low=np.nan, green_high=np.nan):
    """Every polarity's rule worked out for every row, then chosen by np.where."""
    new, old, tgt, gl, gh = (np.asarray(a, dtype=float)
                             for a in (latest, previous, target, green_low, green_high))
    pol = np.asarray(polarity, dtype=object)
    new, old = plain_excel_precision(new), plain_excel_precision(old)
    band = direction.band_distance(old, gl, gh) - direction.band_distance(new, gl, gh)
    with np.errstate(invalid="ignore"):
        gain = np.where(pol == "H", new - old, np.where(pol == "L", old - new, np.where(
            pol == "T", np.where(np.isnan(tgt), band, np.abs(old - tgt) - np.abs(new - tgt)),
            np.nan)))
    return plain_excel_precision(gain)


maybe = st.one_of(st.just(math.nan), figure)
polarity = st.sampled_from(["H", "L", "T", "", None])


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(maybe, maybe, maybe, maybe, maybe, polarity), min_size=1, max_size=12),
       st.one_of(st.none(), polarity), st.booleans())
def test_gains_fast_equals_plain(rows, one_polarity, bands_as_one):
    new, old, tgt, low, high, pols = (np.array(c, dtype=object if i == 5 else float)
                                      for i, c in enumerate(zip(*rows)))
    if bands_as_one:  # one band (or target) for every row, as a single cell gives
        tgt, low, high = tgt[0], min(low[0], high[0]), max(low[0], high[0])
    pol = pols if one_polarity is None else one_polarity
    got = direction.gains(new, old, pol, tgt, low, high)
    assert same_floats(got, plain_gains(new, old, pol, tgt, low, high))
    if one_polarity is not None:  # and one row alone, as scalars
        one = direction.gains(new[0], old[0], one_polarity, np.ravel(tgt)[0],
                              np.ravel(low)[0], np.ravel(high)[0])
        assert isinstance(one, float)
        assert same_floats(one, plain_gains(new[0], old[0], one_polarity, np.ravel(tgt)[0],
                                            np.ravel(low)[0], np.ravel(high)[0]))


def test_gains_shape_follows_every_argument():
    """One polarity for all still gives a result shaped by every argument, the target too."""
    assert direction.gains(1.0, 2.0, "H", np.array([5.0, 6.0])).shape == (2,)
    assert direction.gains(np.ones((3, 1)), 2.0, "L").shape == (3, 1)
    assert np.isnan(direction.gains(np.ones(2), 1.0, "")).all()


# =========================================================================== RAG over a column


def plain_rag_codes(value, polarity, target, floor, gl, gh, al, ah):
    pol = np.asarray(polarity, dtype=object)
    higher = rag.rag_higher(value, target, floor)
    lower = rag.rag_lower(value, target, floor)
    band = rag.rag_band(value, gl, gh, al, ah)
    return np.where(pol == "H", higher, np.where(pol == "L", lower,
                                                 np.where(pol == "T", band, rag.NONE)))


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(maybe, maybe, maybe, maybe, maybe, maybe, maybe, polarity),
                min_size=1, max_size=12), st.booleans())
def test_rag_codes_over_a_column_fast_equals_plain(rows, one_target):
    *figures, pols = (np.array(c, dtype=float) if i < 7 else np.array(c, dtype=object)
                      for i, c in enumerate(zip(*rows)))
    if one_target:
        figures[1] = figures[1][0]  # a single cell broadcast over the column
    got = rag.rag_codes(figures[0], pols, *figures[1:])
    expected = plain_rag_codes(figures[0], pols, *figures[1:])
    assert got.shape == expected.shape and (got == expected).all()


@pytest.mark.parametrize("value, pol, target, floor, expected", [
    (80.0, "L", 85.0, 90.0, rag.GREEN), (85.0, "L", 85.0, 90.0, rag.GREEN),
    (90.0, "L", 85.0, 90.0, rag.AMBER), (90.1, "L", 85.0, 90.0, rag.RED),
    (90.1, "L", 85.0, math.nan, rag.RED), (math.nan, "L", 85.0, 90.0, rag.NONE),
    (-0.0, "L", 0.0, 1.0, rag.GREEN), (0.0, "H", -0.0, -1.0, rag.GREEN),
    (85.0, "H", 85.0, 76.5, rag.GREEN), (76.5, "H", 85.0, 76.5, rag.AMBER),
])
def test_rag_codes_column_boundaries(value, pol, target, floor, expected):
    column = np.array([value, 50.0])
    pols = np.array([pol, "T"], dtype=object)
    codes = rag.rag_codes(column, pols, np.array([target, math.nan]), np.array([floor, math.nan]),
                          40.0, 60.0)
    assert codes.tolist() == [expected, rag.GREEN]


# =========================================================================== Excel's columns

cell = st.one_of(
    st.none(), st.just(""), st.just("  "), st.sampled_from(["#N/A", "#DIV/0!", "abc", "12.5", "H",
                                                           "l", "T", "inf", "1_000"]),
    st.just(math.nan), st.just(math.inf), st.floats(-1e6, 1e6), st.integers(-1000, 1000),
    st.integers(10**300, 10**400), st.booleans(), st.dates(dt.date(1990, 1, 1), dt.date(2030, 1, 1)),
    st.just({"type": "Error", "errorType": "NotAvailable"}), st.lists(st.floats(0, 1), max_size=2),
    st.tuples(st.integers(0, 3)))
row = st.one_of(st.lists(cell, min_size=1, max_size=1), st.tuples(cell),
                st.lists(cell, min_size=0, max_size=2), cell)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.lists(cell, min_size=1, max_size=1), min_size=2, max_size=10)
       | st.lists(row, min_size=2, max_size=10))
def test_column_of_reads_what_numpy_reads(x):
    """Either the fast read declines, or it gives the array ``np.asarray`` makes."""
    got = column_of(x)
    if got is None:
        return
    arr, _kind = got
    try:
        expected = np.asarray(x, dtype=object)
    except ValueError:
        pytest.fail(f"column_of read a column numpy cannot: {x!r}")
    assert arr.shape == expected.shape == (len(x), 1)
    assert all(a is e for a, e in zip(arr.reshape(-1), expected.reshape(-1)))


@pytest.mark.parametrize("x", [
    [[1.0], (2.0,)], [[1.0], "a"], [[1.0], b"\x05"], [[1.0], {5: 1}], [[1.0], [2.0, 3.0]],
    [[1.0], []], [[[1.0]], [[2.0]]], [[1.0], [np.array([2.0, 3.0])]], [[(1, 2)], [3.0]],
])
def test_column_of_declines_what_is_not_a_plain_column(x):
    assert column_of(x) is None


numbers = st.one_of(st.none(), st.just("#N/A"), st.just(""), st.just("abc"), st.just(True),
                    st.floats(-1e4, 1e4).map(lambda v: round(v, 3)), st.integers(-100, 100),
                    st.sampled_from([84.95, 85.05, 0.8495, 0.85, 76.45, 1e-9]))
percent = st.one_of(st.none(), st.booleans(), st.just("TRUE"), st.just("maybe"))
polarities = st.sampled_from(["H", "L", "T", "h", None, "", "X", 3])


def as_object_array(col):
    """The same column as a NumPy object array: it skips the list reading entirely."""
    arr = np.empty((len(col), 1), dtype=object)
    for i, (c,) in enumerate(col):
        arr[i, 0] = c
    return arr


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(numbers, numbers, numbers, numbers, polarities, percent),
                min_size=2, max_size=10),
       st.one_of(st.none(), st.sampled_from(["H", "L"])), st.one_of(st.none(), percent),
       st.integers(0, 2))
def test_functions_read_excel_columns_as_they_read_numpy_columns(rows, one_polarity, one_pct,
                                                                 decimals):
    """The list of one-cell lists Excel hands over gives what the same column as an object
    array gives (the plain reading), cell by cell, messages included."""
    value, target, floor, previous, pols, pcts = ([[c] for c in col] for col in zip(*rows))
    pol = pols if one_polarity is None else one_polarity
    pct = pcts if one_pct is None else one_pct
    arrays = {name: as_object_array(col) for name, col in
              (("value", value), ("target", target), ("floor", floor), ("previous", previous))}
    pol_array = pol if isinstance(pol, str) else as_object_array(pol)
    pct_array = pct if not isinstance(pct, list) else as_object_array(pct)
    calls = [
        (lambda v, t, f, p, pl, pc: sf.rag(v, t, f, pl, decimals, pc)),
        (lambda v, t, f, p, pl, pc: sf.dot(v, p, pl, t, 0, pc)),
        (lambda v, t, f, p, pl, pc: sf.dot(v, p, pl, None, f, pc)),
        (lambda v, t, f, p, pl, pc: sf.kpirate(v, t, 100)),
    ]
    for call in calls:
        fast = call(value, target, floor, previous, pol, pct)
        plain = call(arrays["value"], arrays["target"], arrays["floor"], arrays["previous"],
                     pol_array, pct_array)
        plain = plain.tolist() if isinstance(plain, np.ndarray) else plain
        assert fast == plain


def test_a_long_excel_column_with_odd_cells_reads_as_numpy_reads():
    """100,000 rows as the bench builds them, with a few odd cells: the same answers."""
    rng = np.random.default_rng(13)
    n = 100_000
    values = [[None if rng.random() < 0.05 else float(round(rng.uniform(0, 100), 3))]
              for _ in range(n)]
    previous = [[float(round(rng.uniform(0, 100), 3))] for _ in range(n)]
    pols = [["L" if rng.random() < 0.4 else "H"] for _ in range(n)]
    values[17], values[4000], pols[99] = ["#N/A"], ["text"], ["T"]
    for fn, args in ((sf.rag, (values, 85.0, 76.5, pols, 1, False)),
                     (sf.dot, (values, previous, pols, None, 0, False)),
                     (sf.dot, (values, previous, "H", None, 0, False))):
        fast = fn(*args)
        plain = fn(*(as_object_array(a) if isinstance(a, list) else a for a in args)).tolist()
        assert fast == plain
        assert sum(isinstance(c, str) and ":" in c for (c,) in fast) >= 1  # the odd cells say so

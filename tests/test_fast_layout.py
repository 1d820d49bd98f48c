"""The build's fast paths give exactly what the plain ways give (issue 13, speed).

- rounding one number in plain Python floats gives what the array path gives for it;
- ``format_value`` (one figure) prints what ``format_values`` prints, and a band edge
  printed from its Decimal what the float of it prints;
- ``wrapped_lines`` counts the lines ``textwrap.wrap`` makes;
- ``rows_of`` / ``records_of`` read a results frame as ``itertuples`` / ``to_dict`` do.
"""

from __future__ import annotations

import math
import textwrap

import numpy as np
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from xl_scorecard.core.display import format_threshold, format_value, format_values
from xl_scorecard.core.month_report import compute_report
from xl_scorecard.core.rounding import excel_precision, round_half_away
from xl_scorecard.inputs.comparators import load_comparators
from xl_scorecard.inputs.data import load_data
from xl_scorecard.inputs.rules_file import load_rules
from xl_scorecard.layout.model import records_of, rows_of, wrapped_lines

from conftest import REPO_ROOT


def same(a, b) -> bool:
    """Equal floats (NaN equal to NaN) with the same sign, both Python floats."""
    return (type(a) is float and type(b) is float
            and ((a == b and math.copysign(1, a) == math.copysign(1, b)) or (a != a and b != b)))


any_float = st.floats(allow_nan=True, allow_infinity=True)
figure = st.one_of(st.integers(-10**9, 10**9).map(lambda n: n / 1000), st.floats(-1e6, 1e6),
                   st.sampled_from([84.95, 0.285 * 100, 2.675, -2.675, 0.5, -0.5, 1e-9, 1e15]))


@settings(max_examples=500, deadline=None)
@given(st.one_of(any_float, figure), st.integers(0, 8))
@example(4.875326188553371e+205, 0)   # two-step scales: one number and many agree too
@example(1.234e-200, 3)
@example(-0.0, 2)
@example(1.7976931348623157e308, 6)   # overflows once scaled: the array path's answer
def test_one_number_rounds_as_the_array_path_rounds_it(x, places):
    assert same(round_half_away(x, places), round_half_away(np.array([x, 1.0]), places)[0].item())
    assert same(excel_precision(x), excel_precision(np.array([x, 1.0]))[0].item())


def test_one_number_with_decimals_of_other_kinds():
    assert round_half_away(2.675, np.int64(2)) == round_half_away(np.array([2.675]), 2)[0] == 2.68
    assert round_half_away(84.95, 1.0) == 85.0
    assert round_half_away(12, 0) == 12.0 and type(round_half_away(12, 0)) is float
    assert same(round_half_away(2.5, 0.5), float(round_half_away(np.array([2.5]), 0.5)[0]))


measures = st.sampled_from(["percent", "rate", "count", "average"])


@settings(max_examples=300, deadline=None)
@given(st.one_of(st.none(), any_float, figure, st.integers(-10**6, 10**6)), measures,
       st.integers(0, 6))
def test_format_value_prints_what_format_values_prints(value, measure, decimals):
    expected = "" if value is None else format_values([value], [measure], [decimals])[0]
    assert format_value(value, measure, decimals) == expected


@pytest.mark.parametrize("value, side, expected", [
    (62.55, "low", "62.6%"), (76.45, "high", "76.4%"), (85, "nearest", "85.0%"),
    (84.95, "nearest", "85.0%"), (None, "low", ""), (math.nan, "high", ""),
])
def test_format_threshold_edges(value, side, expected):
    assert format_threshold(value, "percent", 1, side) == expected


words = st.sampled_from(["a", "bb", "Percentage", "of", "children", "x" * 30, "-", "é", "re-referrals",
                         " ", "  ", "\t", "\n", "\xa0", "\u2003", "\x1c"])


def _edge_the_plain_way(value, measure, decimals, side):
    """The band edge as format_threshold printed it before its fast path: the Decimal edge as a
    float, then format_value."""
    from decimal import ROUND_CEILING, ROUND_FLOOR, Decimal

    step = Decimal(1).scaleb(-int(decimals))
    mode = ROUND_CEILING if side == "low" else ROUND_FLOOR
    edge = Decimal(repr(float(value))).quantize(step, rounding=mode)
    return format_value(float(edge), measure, decimals)


@settings(max_examples=1500, deadline=None)
@given(st.one_of(figure, st.floats(-1e9, 1e9), st.integers(-10**8, 10**8).map(lambda n: n / 10**4),
                 st.sampled_from([99999999.99, -99999999.99, 1e8, -1e8, 1e8 - 1e-7, -0.0, -0.01,
                                  0.045, 62.55, 76.45, 1e-7])),
       measures, st.integers(0, 8), st.sampled_from(["low", "high"]))
def test_band_edges_print_what_the_plain_way_printed(value, measure, decimals, side):
    assert format_threshold(value, measure, decimals, side) == \
        _edge_the_plain_way(value, measure, decimals, side)


@settings(max_examples=500, deadline=None)
@given(st.lists(words, max_size=40).map("".join) | st.lists(words, max_size=12).map(" ".join),
       st.integers(1, 120))
@example("Percentage of Children seen at Section 47 enquiry within timescale", 48)
@example("", 10)
@example(" leading", 10)
def test_wrapped_lines_counts_textwrap_lines(text, width):
    assert wrapped_lines(text, width) == len(textwrap.wrap(text, width, break_on_hyphens=False))


def _identical(a, b) -> bool:
    return type(a) is type(b) and (a == b or (a != a and b != b))


def _frames():
    rules = load_rules(REPO_ROOT / "rules.json")
    for name in ("kent_scs_2012.csv", "synthetic_kent_scs_2012-2014.csv"):
        data = load_data(REPO_ROOT / "workbooks" / name, rules)
        for month in data.months[::6]:
            yield compute_report(rules, data, month, None).results
    examples = REPO_ROOT / "workbooks" / "examples"
    rules = load_rules(examples / "rules.json")
    data = load_data(examples / "anyshire_monthly_2016-2018.csv", rules)
    data.comparators = load_comparators(examples / "anyshire_comparators.csv", rules)
    yield compute_report(rules, data, data.months[-1], None).results  # with cmp: columns


def test_rows_and_records_read_results_as_pandas_reads_them():
    compared = 0
    for frame in _frames():
        fast, plain = rows_of(frame), list(frame.itertuples(index=False))
        assert len(fast) == len(plain) and fast[0]._fields == plain[0]._fields
        for x, y in zip(fast, plain):
            assert all(_identical(a, b) for a, b in zip(x, y)), (x, y)
        for x, y in zip(records_of(frame), frame.to_dict("records")):
            assert list(x) == list(y) and all(_identical(x[k], y[k]) for k in x), (x, y)
        compared += any(c.startswith("cmp:") for c in frame.columns)
    assert compared  # the comparator columns were among them
    empty = next(_frames()).iloc[:0]
    assert rows_of(empty) == [] and records_of(empty) == []

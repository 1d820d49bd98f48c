"""RAG boundaries for every polarity, table-driven.

Boundaries are inclusive as council data notes write them (on target is Green, on
the floor is Amber), and the engine judges the value rounded as displayed, half
away from zero as Excel rounds: 84.95% shows as 85.0% and is Green against 85%.
"""

from __future__ import annotations

import numpy as np
import pytest

from xl_scorecard.core import rag
from xl_scorecard.core.rounding import round_half_away

H_THRESHOLD = {"from": "2012-04", "target": 85, "floor": 76.5}
L_THRESHOLD = {"from": "2012-04", "target": 10, "floor": 11}
# T: target 20, green 18..23, amber 15..27 -- asymmetric around the target.
T_THRESHOLD = {"from": "2012-04", "target": 20, "green": [18, 23], "amber": [15, 27]}


def case(value, expected, label):
    return pytest.param(value, expected, id=label)


# --------------------------------------------------------------------------- through the engine

H_CASES = [
    case(85, "Green", "on-target"),
    case(90, "Green", "above-target"),
    case(84.95, "Green", "84.95-shows-85.0"),
    case(84.94, "Amber", "84.94-shows-84.9"),
    case(76.5, "Amber", "on-floor"),
    case(76.45, "Amber", "76.45-shows-76.5"),
    case(76.44, "Red", "76.44-shows-76.4"),
    case(0, "Red", "zero"),
]

L_CASES = [
    case(10, "Green", "on-target"),
    case(9, "Green", "below-target"),
    case(10.04, "Green", "10.04-shows-10.0"),
    case(10.05, "Amber", "10.05-shows-10.1"),
    case(11, "Amber", "on-floor"),
    case(11.04, "Amber", "11.04-shows-11.0"),
    case(11.05, "Red", "11.05-shows-11.1"),
    case(40, "Red", "far-above"),
]

T_CASES = [
    case(20, "Green", "on-target"),
    case(18, "Green", "green-low-edge"),
    case(23, "Green", "green-high-edge"),
    case(17.95, "Green", "17.95-shows-18.0"),
    case(17.94, "Amber", "17.94-just-below-green"),
    case(23.04, "Green", "23.04-shows-23.0"),
    case(23.05, "Amber", "23.05-just-above-green"),
    case(15, "Amber", "amber-low-edge"),
    case(27, "Amber", "amber-high-edge"),
    case(14.95, "Amber", "14.95-shows-15.0"),
    case(14.94, "Red", "14.94-just-below-amber"),
    case(27.04, "Amber", "27.04-shows-27.0"),
    case(27.05, "Red", "27.05-just-above-amber"),
    case(0, "Red", "far-below"),
]


@pytest.mark.parametrize("value, expected", H_CASES)
def test_higher_is_better(month_row, value, expected):
    row = month_row("2012-05", [("2012-05", value)], polarity="H", thresholds=[H_THRESHOLD])
    assert row.rag == expected


@pytest.mark.parametrize("value, expected", L_CASES)
def test_lower_is_better(month_row, value, expected):
    row = month_row("2012-05", [("2012-05", value)], polarity="L", thresholds=[L_THRESHOLD])
    assert row.rag == expected


@pytest.mark.parametrize("value, expected", T_CASES)
def test_close_to_target_asymmetric_bands(month_row, value, expected):
    row = month_row("2012-05", [("2012-05", value)], polarity="T", thresholds=[T_THRESHOLD])
    assert row.rag == expected
    assert (row.green_low, row.green_high, row.amber_low, row.amber_high) == (18, 23, 15, 27)


@pytest.mark.parametrize("polarity, threshold, value, expected", [
    pytest.param("H", {"from": "2012-04", "target": 90, "floor": None}, 89.9, "Red", id="H-short"),
    pytest.param("H", {"from": "2012-04", "target": 90, "floor": None}, 89.95, "Green", id="H-shows-90.0"),
    pytest.param("H", {"from": "2012-04", "target": 90, "floor": None}, 0, "Red", id="H-zero"),
    pytest.param("L", {"from": "2012-04", "target": 10, "floor": None}, 10.1, "Red", id="L-over"),
    pytest.param("L", {"from": "2012-04", "target": 10, "floor": None}, 10, "Green", id="L-on-target"),
    pytest.param("T", {"from": "2012-04", "target": 20, "green": [18, 23], "amber": None}, 17.9, "Red",
                 id="T-no-amber-band"),
    pytest.param("T", {"from": "2012-04", "target": 20, "green": [18, 23], "amber": None}, 23, "Green",
                 id="T-no-amber-green-edge"),
])
def test_no_amber_short_of_target_is_red(month_row, polarity, threshold, value, expected):
    row = month_row("2012-05", [("2012-05", value)], polarity=polarity, thresholds=[threshold])
    assert row.rag == expected


def test_on_target_with_pair_of_figures_is_green(month_row):
    """The value from numerator/denominator: 170/200 = 85.0% against 85% is Green."""
    row = month_row("2012-05", [("K1", "2012-05", 170, 200, None)])
    assert (row.display, row.rag) == ("85.0%", "Green")


# --------------------------------------------------------------------------- no rating

@pytest.mark.parametrize("overrides", [
    pytest.param({"thresholds": [{"from": "2015-04", "target": 85, "floor": 76.5}]},
                 id="thresholds-start-later"),
    pytest.param({"thresholds": []}, id="empty-thresholds"),
    pytest.param({"thresholds": None}, id="no-thresholds-field"),
    pytest.param({"thresholds": [{"from": "2012-04", "target": None, "floor": None}]},
                 id="target-null"),
])
def test_no_thresholds_in_force_means_no_rating(month_row, overrides):
    row = month_row("2015-03", [("2015-02", 10), ("2015-03", 95)], **overrides)
    assert row.rag == ""
    assert row.display == "95.0%"
    assert row.dot_previous == "↑"  # the arrow needs no target for H


def test_no_polarity_means_no_rating_and_no_arrow(month_row):
    row = month_row("2015-03", [("2015-02", 10), ("2015-03", 95)], polarity=None,
                    thresholds=[{"from": "2012-04", "target": 85, "floor": 76.5}])
    assert row.display == "95.0%"
    assert (row.rag, row.rag_previous, row.dot_previous, row.dot_outturn) == ("", "", "", "")


def test_blank_value_means_no_rating(month_row):
    row = month_row("2012-05", [("K1", "2012-05", 5, 0, None)])
    assert (row.display, row.rag) == ("", "")
    assert np.isnan(row.value)


# --------------------------------------------------------------------------- effective dating

EFFECTIVE = [
    {"from": "2014-04", "target": 85, "floor": 76.5},
    {"from": "2015-04", "target": 90, "floor": None},
]


@pytest.mark.parametrize("month, value, expected, target", [
    pytest.param("2015-03", 86, "Green", 85, id="Mar-2015-86-by-2014-04"),
    pytest.param("2015-04", 86, "Red", 90, id="Apr-2015-86-by-2015-04"),
    pytest.param("2015-03", 80, "Amber", 85, id="Mar-2015-80-amber"),
    pytest.param("2015-04", 80, "Red", 90, id="Apr-2015-80-no-amber"),
    pytest.param("2016-01", 90, "Green", 90, id="Jan-2016-on-new-target"),
    pytest.param("2014-03", 95, "", None, id="before-first-entry"),
])
def test_thresholds_switch_at_april(month_row, month, value, expected, target):
    row = month_row(month, [(month, value)], thresholds=EFFECTIVE)
    assert row.rag == expected
    if target is None:
        assert np.isnan(row.target)
    else:
        assert row.target == target


def test_previous_rating_uses_the_thresholds_of_the_previous_figures_month(month_row):
    row = month_row("2015-04", [("2015-03", 86), ("2015-04", 86)], thresholds=EFFECTIVE)
    assert (row.previous_period, row.rag_previous, row.rag) == ("2015-03", "Green", "Red")
    assert row.target == 90


def test_previous_rating_without_thresholds_then_is_blank(month_row):
    row = month_row("2014-04", [("2014-03", 50), ("2014-04", 50)], thresholds=EFFECTIVE)
    assert (row.rag_previous, row.rag) == ("", "Red")


def test_previous_rating_is_judged_on_its_displayed_value(month_row):
    row = month_row("2012-05", [("2012-04", 84.95), ("2012-05", 84.94)])
    assert (row.rag_previous, row.rag) == ("Green", "Amber")


# --------------------------------------------------------------------------- rag_basis

@pytest.mark.parametrize("basis, value, expected", [
    pytest.param("displayed", 84.95, "Green", id="displayed-84.95"),
    pytest.param("unrounded", 84.95, "Amber", id="unrounded-84.95"),
    pytest.param("unrounded", 84.9999, "Amber", id="unrounded-84.9999-shows-85.0"),
    pytest.param("unrounded", 85, "Green", id="unrounded-on-target"),
    pytest.param("unrounded", 76.45, "Red", id="unrounded-76.45-below-floor"),
])
def test_rag_basis(month_row, basis, value, expected):
    row = month_row("2012-05", [("2012-05", value)], rag_basis=basis)
    assert row.rag == expected


# --------------------------------------------------------------------------- the pure functions

@pytest.mark.parametrize("value, polarity, kwargs, expected", [
    pytest.param(85, "H", dict(target=85, floor=76.5), "Green", id="H-on-target"),
    pytest.param(84.99, "H", dict(target=85, floor=76.5), "Amber", id="H-unrounded-just-below"),
    pytest.param(76.5, "H", dict(target=85, floor=76.5), "Amber", id="H-on-floor"),
    pytest.param(76.49, "H", dict(target=85, floor=76.5), "Red", id="H-below-floor"),
    pytest.param(84, "H", dict(target=85), "Red", id="H-no-floor"),
    pytest.param(10, "L", dict(target=10, floor=11), "Green", id="L-on-target"),
    pytest.param(10.01, "L", dict(target=10, floor=11), "Amber", id="L-just-above"),
    pytest.param(11, "L", dict(target=10, floor=11), "Amber", id="L-on-floor"),
    pytest.param(11.01, "L", dict(target=10, floor=11), "Red", id="L-above-floor"),
    pytest.param(18, "T", dict(green_low=18, green_high=23, amber_low=15, amber_high=27), "Green",
                 id="T-green-low"),
    pytest.param(23, "T", dict(green_low=18, green_high=23, amber_low=15, amber_high=27), "Green",
                 id="T-green-high"),
    pytest.param(23.01, "T", dict(green_low=18, green_high=23, amber_low=15, amber_high=27), "Amber",
                 id="T-just-above-green"),
    pytest.param(15, "T", dict(green_low=18, green_high=23, amber_low=15, amber_high=27), "Amber",
                 id="T-amber-low"),
    pytest.param(14.99, "T", dict(green_low=18, green_high=23, amber_low=15, amber_high=27), "Red",
                 id="T-below-amber"),
    pytest.param(27.01, "T", dict(green_low=18, green_high=23, amber_low=15, amber_high=27), "Red",
                 id="T-above-amber"),
    pytest.param(np.nan, "H", dict(target=85, floor=76.5), "", id="H-missing-value"),
    pytest.param(90, "H", dict(), "", id="H-no-target"),
    pytest.param(90, None, dict(target=85, floor=76.5), "", id="no-polarity"),
    pytest.param(90, "X", dict(target=85, floor=76.5), "", id="unknown-polarity"),
])
def test_rag_codes_scalar(value, polarity, kwargs, expected):
    assert rag.labels(rag.rag_codes(value, polarity, **kwargs)) == expected


def test_rag_codes_vectorised_mixed_polarities():
    codes = rag.rag_codes(
        value=[85, 76.5, 76.4, 10, 11, 11.1, 20, 16, 28, 50],
        polarity=["H", "H", "H", "L", "L", "L", "T", "T", "T", None],
        target=[85, 85, 85, 10, 10, 10, 20, 20, 20, 20],
        floor=[76.5, 76.5, 76.5, 11, 11, 11, np.nan, np.nan, np.nan, np.nan],
        green_low=18, green_high=23, amber_low=15, amber_high=27)
    assert list(rag.labels(codes)) == ["Green", "Amber", "Red", "Green", "Amber", "Red",
                                       "Green", "Amber", "Red", ""]


# --------------------------------------------------------------------------- Excel-like rounding

@pytest.mark.parametrize("value, decimals, expected", [
    pytest.param(0.285 * 100, 0, 29.0, id="0.285x100-to-29"),
    pytest.param(1.005, 2, 1.01, id="1.005-to-1.01"),
    pytest.param(-2.5, 0, -3.0, id="minus-2.5-away-from-zero"),
    pytest.param(2.5, 0, 3.0, id="2.5-away-from-zero"),
    pytest.param(0.5, 0, 1.0, id="0.5-to-1"),
    pytest.param(-0.04, 1, 0.0, id="no-negative-zero"),
    pytest.param(84.95, 1, 85.0, id="84.95-to-85.0"),
    pytest.param(76.45, 1, 76.5, id="76.45-to-76.5"),
    pytest.param(1234.5, 0, 1235.0, id="1234.5-to-1235"),
])
def test_round_half_away(value, decimals, expected):
    result = round_half_away(value, decimals)
    assert result == expected
    assert str(result) != "-0.0"


def test_excel_rounding_reaches_the_rating(month_row):
    """0.285 x 100 is 28.499999999999996 in binary, 28.5 to Excel: shown 29% and Green vs 29."""
    row = month_row("2012-05", [("K1", "2012-05", 0.285, 1, None)], decimals=0,
                    thresholds=[{"from": "2012-04", "target": 29, "floor": 26}])
    assert row.value < 28.5
    assert (row.display, row.rag) == ("29%", "Green")

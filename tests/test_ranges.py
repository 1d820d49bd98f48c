"""Lead indicators: Below / Within / Above an expected range, judged on the displayed value."""

from __future__ import annotations

import math

import numpy as np
import pytest

from xl_scorecard.core.ranges import range_status, status_sentence
from xl_scorecard.core.errors import RulesError
from xl_scorecard.inputs.rules_file import rules_from_dict

NAN = math.nan

# value, low, high, decimals, status
CASES = [
    (80, 80, 100, 0, "Within"),          # exactly on low
    (100, 80, 100, 0, "Within"),         # exactly on high
    (79.9, 80, 100, 1, "Below"),         # just below
    (100.1, 80, 100, 1, "Above"),        # just above
    (79.96, 80, 100, 1, "Within"),       # shown as 80.0: judged as displayed
    (100.04, 80, 100, 1, "Within"),      # shown as 100.0
    (100.05, 80, 100, 1, "Above"),       # shown as 100.1
    (79.94, 80, 100, 1, "Below"),        # shown as 79.9
    (5, NAN, 12, 0, "Within"),           # one-sided: only an upper threshold
    (12, NAN, 12, 0, "Within"),
    (13, NAN, 12, 0, "Above"),
    (-1e9, NAN, 12, 0, "Within"),
    (3, 4, NAN, 0, "Below"),             # one-sided: only a lower threshold
    (4, 4, NAN, 0, "Within"),
    (1e9, 4, NAN, 0, "Within"),
    (NAN, 80, 100, 0, ""),               # a blank result has no status
    (90, NAN, NAN, 0, ""),               # no range, no status
]


@pytest.mark.parametrize("value, low, high, decimals, status", CASES)
def test_range_status_boundaries(month_row, value, low, high, decimals, status):
    expected = [None if math.isnan(low) else low, None if math.isnan(high) else high]
    thresholds = ([{"from": "2012-04", "expected": expected}] if expected != [None, None]
                  else [{"from": "2012-04", "target": None, "floor": None}])
    row = month_row("2012-05", [("2012-05", value)], polarity=None, decimals=decimals,
                    measure="count", thresholds=thresholds)
    assert row["range_status"] == status
    assert row["rag"] == ""                       # a range is not a RAG rating


def test_range_status_is_vectorised_and_blank_without_a_range():
    got = range_status([1, 5, 9, np.nan, 5], [2, 2, 2, 2, np.nan], [8, 8, 8, 8, np.nan])
    assert got.tolist() == ["Below", "Within", "Above", "", ""]


def test_a_rated_indicator_may_also_carry_an_expected_range(month_row):
    row = month_row("2012-05", [("2012-05", 90)], thresholds=[
        {"from": "2012-04", "target": 85, "floor": 76.5, "expected": [70, 88]}])
    assert (row["rag"], row["range_status"]) == ("Green", "Above")


def test_the_range_in_force_follows_its_effective_date(month_row):
    rows = [("2012-05", 90), ("2013-05", 90)]
    th = [{"from": "2012-04", "expected": [80, 100]}, {"from": "2013-04", "expected": [60, 85]}]
    assert month_row("2012-05", rows, polarity=None, measure="count", thresholds=th)["range_status"] == "Within"
    assert month_row("2013-05", rows, polarity=None, measure="count", thresholds=th)["range_status"] == "Above"


@pytest.mark.parametrize("status, low, high, text", [
    ("Above", 80, 100, "above the upper threshold of 100"),
    ("Below", 80, 100, "below the lower threshold of 80"),
    ("Within", 80, 100, "within the expected range of 80 to 100"),
    ("Within", NAN, 12, "at or below the upper threshold of 12"),
    ("Within", 4, NAN, "at or above the lower threshold of 4"),
    ("", 80, 100, ""),
])
def test_the_wording_reports_use(status, low, high, text):
    assert status_sentence(status, low, high, "count", 0) == text


def test_validate_refuses_a_range_whose_low_is_above_its_high(run_cli, write_json, make_document,
                                                              make_indicator):
    doc = make_document(make_indicator(polarity=None, thresholds=[
        {"from": "2012-04", "expected": [100, 80]}]))
    code, out, err = run_cli("validate", "--rules", write_json(doc))
    assert code == 2
    assert err.strip().endswith("$.indicators[0].thresholds[0].expected (K1): expected range "
                                "[100, 80] has its low end above its high end: give it as [low, high]")
    with pytest.raises(RulesError):
        rules_from_dict(doc)


@pytest.mark.parametrize("expected", [[80], [80, 90, 100], ["80", 90]])
def test_validate_refuses_a_range_of_the_wrong_shape(run_cli, write_json, make_document,
                                                     make_indicator, expected):
    doc = make_document(make_indicator(polarity=None, thresholds=[{"from": "2012-04", "expected": expected}]))
    code, out, err = run_cli("validate", "--rules", write_json(doc))
    assert code == 2 and "expected" in err and "Traceback" not in err


def test_lead_indicators_are_counted_apart_from_ratings(make_rules, make_data):
    from xl_scorecard.core.engine import compute_month
    from xl_scorecard.core.summary import summarise

    rated = {"id": "R1", "name": "rated", "polarity": "H", "period": "SS", "measure": "percent",
             "decimals": 1, "thresholds": [{"from": "2012-04", "target": 85, "floor": 76.5}]}
    leads = [{"id": f"L{i}", "name": "lead", "polarity": None, "period": "SS", "measure": "count",
              "decimals": 0, "thresholds": [{"from": "2012-04", "expected": [80, 100]}]} for i in range(4)]
    rules = make_rules(indicators=[rated, *leads])
    rows = [("R1", "2012-05", None, None, 90)] + [
        (f"L{i}", "2012-05", None, None, v) for i, v in enumerate((80, 90, 100, 101))]
    summary = summarise(compute_month(rules, make_data(rules, rows), "2012-05"))
    assert (summary.rated, summary.green) == (1, 1)
    assert (summary.ranges.within, summary.ranges.above, summary.ranges.below) == (3, 1, 0)
    assert summary.paragraph.endswith("Of the 4 lead indicators, 3 are within their expected range "
                                      "and 1 is above it.")


def test_today_results_without_range_columns_still_summarise(kent_results):
    from xl_scorecard.core.summary import summarise
    frame = kent_results.drop(columns=["range_status"])
    assert summarise(frame).ranges.total == 0

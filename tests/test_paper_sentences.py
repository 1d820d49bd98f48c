"""The committee paper's sentences: table-driven for every polarity, relation to target and
measure, rising / falling / unchanged, and percentage points on displayed values."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from xl_scorecard.core.engine import compute_month
from xl_scorecard.paper.sentences import judge, statement, subject

T_BANDS = {"from": "2012-04", "target": 20, "green": [18, 23], "amber": [15, 27]}
T_NO_AMBER = {"from": "2012-04", "target": 20, "green": [18, 23], "amber": None}
H_NO_AMBER = {"from": "2012-04", "target": 85, "floor": None}

# (case, indicator overrides, April value, May value, rating, relation, phrases in the paragraph)
CASES = [
    ("H above, rising, 84.9% -> 85.1% is 0.2 points", {}, 84.94, 85.06, "Green", "above",
     ["is 85.1% at the end of May 2012, up 0.2 percentage points from 84.9% at the end of April 2012",
      "This is 0.1 percentage points above the target of 85.0%.", "performance has improved"]),
    ("H equals target, falling", {}, 86.0, 85.0, "Green", "equals",
     ["down 1.0 percentage point from 86.0%", "This meets the target of 85.0%.",
      "performance has worsened"]),
    ("H shown as 85.0% is Green (judged as displayed)", {}, 84.0, 84.95, "Green", "equals",
     ["is 85.0%", "This meets the target of 85.0%."]),
    ("H below target, above floor: Amber", {}, 80.0, 80.0, "Amber", "below",
     ["the same as at the end of April 2012", "This is 5.0 percentage points below the target of "
      "85.0%, but within the floor standard of 76.5%.", "performance is unchanged"]),
    ("H on the floor is Amber", {}, 70.0, 76.5, "Amber", "below",
     ["up 6.5 percentage points", "8.5 percentage points below the target of 85.0%, but within the "
      "floor standard of 76.5%.", "The rating has moved from Red to Amber since April 2012."]),
    ("H below floor: Red", {}, 75.0, 70.0, "Red", "below",
     ["15.0 percentage points below the target of 85.0%, and beyond the floor standard of 76.5%."]),
    ("H no Amber year: short of target is Red", {"thresholds": [H_NO_AMBER]}, 84.0, 84.5, "Red",
     "below", ["0.5 percentage points below the target of 85.0%; there is no Amber rating"]),
    ("H same as displayed, unrounded fall", {}, 85.04, 85.01, "Green", "equals",
     ["the same as at the end of April 2012", "worsened very slightly (by less than the figures shown)"]),
    ("H same as displayed, unrounded rise", {}, 85.01, 85.04, "Green", "equals",
     ["improved very slightly"]),
    ("L count below target: Green, falling", {"polarity": "L", "measure": "count", "decimals": 0},
     12, 9, "Green", "below", ["is 9 at the end of May 2012, down 3 from 12", "This is 1 below the "
                               "target of 10.", "performance has improved"]),
    ("L count rising into Amber", {"polarity": "L", "measure": "count", "decimals": 0},
     9, 10.6, "Amber", "above", ["up 2 from 9", "1 above the target of 10, but within the floor "
                                 "standard of 11.", "performance has worsened"]),
    ("L equals target", {"polarity": "L", "measure": "count", "decimals": 0}, 10, 10, "Green",
     "equals", ["the same as", "This meets the target of 10."]),
    ("L beyond floor: Red", {"polarity": "L", "measure": "count", "decimals": 0}, 11, 14, "Red",
     "above", ["4 above the target of 10, and beyond the floor standard of 11."]),
    ("T inside the band", {"polarity": "T", "thresholds": [T_BANDS]}, 25.0, 20.0, "Green", "within",
     ["down 5.0 percentage points", "This is within the target range of 18.0% to 23.0%.",
      "performance has improved"]),
    ("T on the band's edge is Green", {"polarity": "T", "thresholds": [T_BANDS]}, 20.0, 23.0,
     "Green", "within", ["within the target range of 18.0% to 23.0%"]),
    ("T above the band: Amber", {"polarity": "T", "thresholds": [T_BANDS]}, 23.0, 24.0, "Amber",
     "above_range", ["1.0 percentage point above the target range of 18.0% to 23.0%, but within the "
                     "tolerance of 15.0% to 27.0%.", "performance has worsened"]),
    ("T below the band: Red", {"polarity": "T", "thresholds": [T_BANDS]}, 14.5, 14.0, "Red",
     "below_range", ["4.0 percentage points below the target range of 18.0% to 23.0%, and outside the "
                     "tolerance of 15.0% to 27.0%."]),
    ("T no Amber: outside the band is Red", {"polarity": "T", "thresholds": [T_NO_AMBER]}, 22.0,
     24.0, "Red", "above_range", ["above the target range of 18.0% to 23.0%; there is no Amber rating"]),
    ("rate per 10,000", {"measure": "rate", "per": 10000,
                         "thresholds": [{"from": "2012-04", "target": 500, "floor": 450}]},
     520.04, 528.46, "Green", "above",
     ["is 528.5 per 10,000 at the end of May 2012, up 8.5 per 10,000 from 520.0 per 10,000",
      "28.5 per 10,000 above the target of 500.0 per 10,000."]),
    ("average caseload, lower is better", {"polarity": "L", "measure": "average",
                                            "thresholds": [{"from": "2012-04", "target": 18, "floor": 22}]},
     21.0, 21.7, "Amber", "above", ["is 21.7 at the end of May 2012, up 0.7 from 21.0",
                                    "This is 3.7 above the target of 18.0, but within the floor standard of 22.0."]),
    ("count, H, one decimal of none", {"measure": "count", "decimals": 0,
                                       "thresholds": [{"from": "2012-04", "target": 100, "floor": 90}]},
     95, 101, "Green", "above", ["up 6 from 95", "This is 1 above the target of 100."]),
    ("percent with no decimals: 1 percentage point", {"decimals": 0}, 84.4, 85.2, "Green", "equals",
     ["up 1 percentage point from 84%", "This meets the target of 85%."]),
    ("year to date period wording", {"period": "YTD"}, 80.0, 90.0, "Green", "above",
     ["is 90.0% in the year to May 2012, up 10.0 percentage points from 80.0% in the year to April 2012"]),
    ("rolling 12 months wording", {"period": "R12M"}, 80.0, 90.0, "Green", "above",
     ["in the 12 months to May 2012"]),
    ("no polarity: activity, not rated", {"polarity": None, "thresholds": []}, 40.0, 42.0, "", "",
     ["up 2.0 percentage points", "This is an activity indicator and is not rated."]),
    ("polarity but no target", {"thresholds": []}, 40.0, 42.0, "", "",
     ["There is no target for this indicator, so it is not rated."]),
    ("no previous result", {}, None, 90.0, "Green", "above",
     ["is 90.0% at the end of May 2012. This is 5.0 percentage points above"]),
    ("a finer target printed alike is met, not exceeded", {"decimals": 0, "thresholds": [
        {"from": "2012-04", "target": 84.6, "floor": 80}]}, 84.0, 85.0, "Green", "equals",
     ["is 85% at the end of May 2012, up 1 percentage point from 84%", "This meets the target of 85%."]),
    ("no result this month", {}, 90.0, None, "", "",
     ["has no result at the end of May 2012 (no figures, or a zero denominator)."]),
]


@pytest.mark.parametrize("case,overrides,april,may,rating,relation,phrases", CASES,
                         ids=[c[0] for c in CASES])
def test_sentence(make_rules, make_data, case, overrides, april, may, rating, relation, phrases):
    rules = make_rules(**overrides)
    rows = [("K1", "2012-04", None, None, april), ("K1", "2012-05", None, None, may)]
    results = compute_month(rules, make_data(rules, rows), "2012-05")
    row = results.iloc[0]
    said = statement(row, rules["K1"])
    assert said.rating == row["rag"] == rating
    assert said.relation == relation
    for phrase in phrases:
        assert phrase in said.text, f"{phrase!r} not in {said.text!r}"
    assert "0.02%" not in said.text and "  " not in said.text


# A threshold finer than the display, at the boundary, for every polarity and both bases: the
# words agree with the figures printed and with the rating (judged on the displayed value
# unless rag_basis is unrounded). (overrides, thresholds, May value, rating, relation, sentence)
FINE = {"decimals": 0}
BOUNDARY = [
    # H: a target of 84.6 printed 85%
    (FINE, {"target": 84.6, "floor": 80}, 84.6, "Green", "equals", "This meets the target of 85%."),
    (FINE, {"target": 84.6, "floor": 80}, 84.4, "Amber", "below",
     "This is 1 percentage point below the target of 85%, but within the floor standard of 80%."),
    # H: a target of 85.4 also printed 85%: a result shown as 85% is short of it
    (FINE, {"target": 85.4, "floor": 80}, 85.2, "Amber", "below",
     "This is below the target of 85.4%, but within the floor standard of 80%."),
    (FINE, {"target": 85.4, "floor": 80}, 85.5, "Green", "above",
     "This is 1 percentage point above the target of 85%."),
    # H: a floor printed like the result
    (FINE, {"target": 90, "floor": 85.4}, 85.2, "Red", "below",
     "This is 5 percentage points below the target of 90%, and beyond the floor standard of 85.4%."),
    (FINE, {"target": 90, "floor": 84.6}, 84.6, "Amber", "below",
     "This is 5 percentage points below the target of 90%, but within the floor standard of 85%."),
    # L: the mirror image
    ({**FINE, "polarity": "L"}, {"target": 85.4, "floor": 90}, 85.4, "Green", "equals",
     "This meets the target of 85%."),
    ({**FINE, "polarity": "L"}, {"target": 84.6, "floor": 90}, 84.6, "Amber", "above",
     "This is above the target of 84.6%, but within the floor standard of 90%."),
    ({**FINE, "polarity": "L"}, {"target": 80, "floor": 84.6}, 84.6, "Red", "above",
     "This is 5 percentage points above the target of 80%, and beyond the floor standard of 84.6%."),
    # T: band edges printed as the first and last displayed figures inside the band
    ({**FINE, "polarity": "T"}, {"target": 20, "green": [18.4, 22.6], "amber": [15.3, 27]}, 22.4,
     "Green", "within", "This is within the target range of 19% to 22%."),
    ({**FINE, "polarity": "T"}, {"target": 20, "green": [18.4, 22.6], "amber": [15.3, 27]}, 22.6,
     "Amber", "above_range", "This is 1 percentage point above the target range of 19% to 22%, but "
     "within the tolerance of 16% to 27%."),
    ({**FINE, "polarity": "T"}, {"target": 20, "green": [18.4, 22.6], "amber": [15.3, 27]}, 18.4,
     "Amber", "below_range", "This is 1 percentage point below the target range of 19% to 22%"),
    ({**FINE, "polarity": "T"}, {"target": 20, "green": [18.4, 22.6], "amber": [15.3, 27]}, 15.4,
     "Red", "below_range", "and outside the tolerance of 16% to 27%."),
    # judged unrounded: the result prints like its target, so both are printed finely
    ({"rag_basis": "unrounded"}, {"target": 85, "floor": 76.5}, 84.96, "Amber", "below",
     "This is below the target of 85.0% (the result is 84.96% before rounding), but within the "
     "floor standard of 76.5%."),
    ({"rag_basis": "unrounded"}, {"target": 85, "floor": 76.5}, 85.0, "Green", "equals",
     "This meets the target of 85.0%."),
    ({"rag_basis": "unrounded", "polarity": "L"}, {"target": 85, "floor": 90}, 85.04, "Amber",
     "above", "This is above the target of 85.0% (the result is 85.04% before rounding), but"),
    ({"rag_basis": "unrounded"}, {"target": 90, "floor": 76.5}, 76.46, "Red", "below",
     "and beyond the floor standard of 76.5% (the result is 76.46% before rounding)."),
    ({"rag_basis": "unrounded", "polarity": "T"}, {"target": 20, "green": [18, 23], "amber": [15, 27]},
     23.04, "Amber", "above_range", "This is above the target range of 18.0% to 23.0% (the result "
     "is 23.04% before rounding), but within the tolerance of 15.0% to 27.0%."),
    ({"rag_basis": "unrounded", "polarity": "T", "decimals": 0},
     {"target": 1.625, "green": [1.25, 2.0], "amber": [0.0, 2.0]}, 1.25, "Green", "within",
     "This is within the target range of 1.25% to 2% (the result is 1.25% before rounding)."),
]


@pytest.mark.parametrize("overrides,threshold,may,rating,relation,sentence", BOUNDARY)
def test_a_finer_threshold_at_the_boundary(make_rules, make_data, overrides, threshold, may,
                                            rating, relation, sentence):
    rules = make_rules(**overrides, thresholds=[{"from": "2012-04", **threshold}])
    results = compute_month(rules, make_data(rules, [("K1", "2012-05", None, None, may)]), "2012-05")
    said = statement(results.iloc[0], rules["K1"])
    assert (said.rating, said.relation) == (results.iloc[0]["rag"], relation)
    assert said.rating == rating
    assert sentence in said.text, said.text


def test_an_unchanged_rating_is_not_called_a_move(make_rules, make_data):
    rules = make_rules()
    rows = [("K1", "2012-04", None, None, 80.0), ("K1", "2012-05", None, None, 81.0)]
    text = statement(compute_month(rules, make_data(rules, rows), "2012-05").iloc[0], rules["K1"]).text
    assert "rating has moved" not in text


def test_a_change_is_never_printed_as_a_percentage(make_rules, make_data):
    """The hand-written error: 'a change of 0.2 percentage points printed as 0.02%'."""
    rules = make_rules()
    rows = [("K1", "2012-04", None, None, 84.9), ("K1", "2012-05", None, None, 85.1)]
    text = statement(compute_month(rules, make_data(rules, rows), "2012-05").iloc[0], rules["K1"]).text
    assert "up 0.2 percentage points" in text
    assert "0.2%" not in text and "0.02" not in text


def test_unrounded_basis_judges_rating_and_words_on_the_same_value(make_rules, make_data):
    rules = make_rules(rag_basis="unrounded")
    rows = [("K1", "2012-05", None, None, 84.96)]  # shown 85.0% but short of 85 unrounded
    row = compute_month(rules, make_data(rules, rows), "2012-05").iloc[0]
    said = statement(row, rules["K1"])
    assert row["rag"] == said.rating == "Amber"
    assert said.relation == "below"
    assert "below the target of 85.0%" in said.text


@pytest.mark.parametrize("name,expected", [
    ("Percentage of children seen at S47 enquiry", "The percentage of children seen at S47 enquiry"),
    ("Number of CAFs completed.", "The number of CAFs completed"),
    ("LAC Dental Checks held within required timescale", "LAC Dental Checks held within required timescale"),
    ("NI 68 - Percentage of Referrals", "NI 68 - Percentage of Referrals"),
])
def test_subject(name, expected):
    assert subject(name) == expected


# --------------------------------------------------------------------------- issue 9's columns


def _contract_row(**extra) -> dict:
    """A results row as issue 9's engine will give it: today's columns plus the new ones."""
    row = {"month": "2018-06", "id": "LEAD1", "ref": "5", "name": "Number of contacts",
           "section": "", "polarity": None, "period": "Q", "measure": "count", "decimals": 0,
           "numerator": math.nan, "denominator": math.nan, "value": 104.0, "display": "104",
           "rag": "", "target": math.nan, "floor": math.nan, "green_low": math.nan,
           "green_high": math.nan, "amber_low": math.nan, "amber_high": math.nan,
           "previous": 96.0, "previous_period": "2018-03", "previous_display": "96",
           "rag_previous": "", "dot_previous": "", "outturn": math.nan, "outturn_period": "",
           "outturn_display": "", "dot_outturn": "", "window_from": "2018-04", "window_to": "2018-06",
           "frequency": "quarterly", "as_at": "Q1 2018/19", "expected_low": 80.0,
           "expected_high": 100.0, "range_status": "Above", "flag": "", "target_rated": True}
    row.update(extra)
    return row


@pytest.mark.parametrize("status,low,high,phrase", [
    ("Above", 80.0, 100.0, "This is above the upper threshold of 100."),
    ("Below", 110.0, 130.0, "This is below the lower threshold of 110."),
    ("Within", 80.0, 120.0, "This is within the expected range of 80 to 120."),
    ("Within", math.nan, 120.0, "within the expected range (at or below the upper threshold of 120)"),
    ("Within", 80.0, math.nan, "within the expected range (at or above the lower threshold of 80)"),
])
def test_lead_indicator_against_its_expected_range(status, low, high, phrase):
    said = statement(pd.Series(_contract_row(range_status=status, expected_low=low, expected_high=high)))
    assert said.group == "lead" and said.rating == ""
    assert said.text.startswith("The number of contacts is 104 for Q1 2018/19, up 8 from 96")
    assert phrase in said.text


def test_comparators_of_one_period_say_both():
    row = _contract_row(**{"polarity": "T", "measure": "percent", "decimals": 1, "value": 19.6,
                           "display": "19.6%", "previous": math.nan, "target": 20.0,
                           "green_low": 17.5, "green_high": 22.5, "amber_low": 15.0,
                           "amber_high": 25.0, "range_status": "", "as_at": "", "period": "YTD",
                           "cmp:England": 18.1, "cmp:England:period": "2017/18",
                           "cmp:statistical neighbours": 20.9,
                           "cmp:statistical neighbours:period": "2017/18"})
    said = statement(pd.Series(row))
    assert said.rating == "Green"
    assert ("is 19.6% in the year to June 2018. This is within the target range of 17.5% to 22.5%. "
            "This compares with England 18.1% and statistical neighbours 20.9% (both 2017/18).") in said.text


def test_comparators_of_different_periods_name_each_and_blanks_are_left_out():
    row = _contract_row(**{"cmp:England": 90.0, "cmp:England:period": "2016/17",
                           "cmp:South East": 95.0, "cmp:South East:period": "Q4 2017/18",
                           "cmp:Stat. N.": math.nan, "cmp:Stat. N.:period": ""})
    text = statement(pd.Series(row)).text
    assert "This compares with England 90 (2016/17) and South East 95 (Q4 2017/18)." in text
    assert "Stat. N." not in text


@pytest.mark.parametrize("flag,phrase", [("provisional", "The figure is provisional."),
                                         ("unavailable", "The figure is not yet available.")])
def test_flags(flag, phrase):
    assert phrase in statement(pd.Series(_contract_row(flag=flag))).text


def test_a_target_shown_but_not_rated():
    row = _contract_row(polarity="H", target=90.0, target_rated=False, range_status="")
    said = statement(pd.Series(row))
    assert said.rating == "" and said.group == "unrated"
    assert "The target of 90 is shown for information; the indicator is not rated." in said.text


def test_judge_without_the_new_columns_matches_todays_results(kent_results):
    frame = kent_results.replace("", float("nan")).infer_objects()
    for _, row in frame.iterrows():
        rating, _ = judge({**row.to_dict(), "polarity": row["polarity"] if isinstance(row["polarity"], str) else ""})
        assert rating == (row["rag"] if isinstance(row["rag"], str) else ""), row["id"]

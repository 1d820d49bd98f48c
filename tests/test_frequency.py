"""Quarterly and annual indicators inside a monthly scorecard, and --previous."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

from xl_scorecard.core.engine import compute_month
from xl_scorecard.inputs.data import COLUMNS, check_table
from xl_scorecard.inputs.rules_file import rules_from_dict


def _rules(**fields):
    ind = {"id": "Q1", "name": "Quarterly", "polarity": "H", "period": "Q", "measure": "percent",
           "decimals": 1, "frequency": "quarterly",
           "thresholds": [{"from": "2016-04", "target": 60, "floor": 50}], **fields}
    monthly = {"id": "M1", "name": "Monthly", "polarity": "H", "period": "SS", "measure": "percent",
               "decimals": 1, "thresholds": [{"from": "2016-04", "target": 60, "floor": 50}]}
    return rules_from_dict({"scorecard": {"title": "t"}, "indicators": [ind, monthly]})


def _data(rules, quarterly: dict, months=("2017-04", "2018-03")):
    rows = [("M1", str(m), 50, 100, None) for m in pd.period_range(*months, freq="M")]
    rows += [("Q1", m, None, None, v) for m, v in quarterly.items()]
    return check_table(pd.DataFrame(rows, columns=list(COLUMNS), dtype=object), rules, "d.csv")


QUARTERS = {"2017-06": 55.0, "2017-09": 61.0, "2017-12": 58.0}


@pytest.mark.parametrize("month, value, as_at, previous, previous_period", [
    ("2017-06", 55.0, "Q1 2017/18", np.nan, ""),
    ("2017-08", 55.0, "Q1 2017/18", np.nan, ""),
    ("2017-09", 61.0, "Q2 2017/18", 55.0, "2017-06"),
    ("2017-11", 61.0, "Q2 2017/18", 55.0, "2017-06"),
    ("2018-02", 58.0, "Q3 2017/18", 61.0, "2017-09"),
])
def test_a_quarterly_indicator_shows_its_latest_quarter_and_the_one_before(month, value, as_at,
                                                                          previous, previous_period):
    rules = _rules()
    row = compute_month(rules, _data(rules, QUARTERS), month).set_index("id").loc["Q1"]
    assert row["value"] == value and row["as_at"] == as_at
    assert (np.isnan(previous) and np.isnan(row["previous"])) or row["previous"] == previous
    assert row["previous_period"] == previous_period
    assert row["frequency"] == "quarterly"


def test_a_stale_quarter_is_blank_with_a_warning():
    rules = _rules(max_age_months=3)
    result = compute_month(rules, _data(rules, {"2017-06": 55.0}), "2017-10")
    row = result.set_index("id").loc["Q1"]
    assert np.isnan(row["value"]) and row["as_at"] == "" and row["rag"] == ""
    assert [str(w) for w in result.attrs["warnings"]] == [
        "indicator Q1, month 2017-10: the latest quarterly figure is for 2017-06, more than 3 "
        "months old: not shown; add the latest figure or raise max_age_months"]
    # at the limit it is still shown
    assert compute_month(rules, _data(rules, {"2017-06": 55.0}), "2017-09").set_index("id").loc["Q1", "value"] == 55


def test_default_ages_are_six_months_for_a_quarter_and_two_years_for_a_year():
    rules = _rules()
    assert rules["Q1"].max_age == 6
    assert np.isnan(compute_month(rules, _data(rules, {"2017-06": 55.0}), "2018-01")
                    .set_index("id").loc["Q1", "value"])
    assert compute_month(rules, _data(rules, {"2017-06": 55.0}), "2017-12").set_index("id").loc["Q1", "value"] == 55
    annual = _rules(frequency="annual", period="annual")
    assert annual["Q1"].max_age == 24


def test_an_annual_indicator_has_no_outturn_arrow_and_its_own_year_label():
    rules = _rules(frequency="annual", period="annual")
    data = _data(rules, {"2016-03": 50.0, "2017-03": 57.0}, months=("2016-03", "2018-03"))
    row = compute_month(rules, data, "2017-11").set_index("id").loc["Q1"]
    assert (row["value"], row["as_at"], row["previous"], row["previous_period"]) == (57, "2016/17", 50, "2016-03")
    assert row["dot_previous"] == "↑"
    assert row["outturn_period"] == "" and row["dot_outturn"] == ""


def test_an_academic_year_indicator_beside_a_financial_year_one():
    rules = rules_from_dict({"scorecard": {"title": "t"}, "indicators": [
        {"id": "KS2", "name": "Key stage 2", "polarity": "H", "period": "annual", "measure": "percent",
         "decimals": 0, "frequency": "annual", "year_start_month": 9,
         "thresholds": [{"from": "2016-09", "target": 60, "floor": 55}]},
        {"id": "FY", "name": "Financial", "polarity": "H", "period": "YTD", "measure": "percent",
         "decimals": 1, "aggregate": "sum", "thresholds": [{"from": "2016-04", "target": 60, "floor": 50}]},
    ]})
    rows = [("KS2", "2017-08", None, None, 61)]
    rows += [("FY", str(m), 5, 10, None) for m in pd.period_range("2017-04", "2017-11", freq="M")]
    data = check_table(pd.DataFrame(rows, columns=list(COLUMNS), dtype=object), rules, "d.csv")
    result = compute_month(rules, data, "2017-11").set_index("id")
    assert result.loc["KS2", "as_at"] == "2016/17 (academic year)"
    assert result.loc["FY", "as_at"] == "November 2017"
    assert (result.loc["FY", "window_from"], result.loc["FY", "numerator"]) == ("2017-04", 40)


def test_an_aggregated_quarter_is_quarterly_by_default():
    rules = rules_from_dict({"scorecard": {"title": "t"}, "indicators": [
        {"id": "A", "name": "a", "polarity": None, "period": "Q", "measure": "count", "decimals": 0,
         "aggregate": "sum"}]})
    assert rules["A"].frequency == "quarterly"
    rows = [("A", str(m), None, None, 1) for m in pd.period_range("2017-04", "2017-08", freq="M")]
    data = check_table(pd.DataFrame(rows, columns=list(COLUMNS), dtype=object), rules, "d.csv")
    row = compute_month(rules, data, "2017-08").iloc[0]
    assert (row["value"], row["as_at"], row["window_from"], row["window_to"]) == (3, "Q1 2017/18", "2017-04", "2017-06")


def test_previous_compares_with_the_last_report_month(run_cli, tmp_path):
    rules = _rules()
    data = _data(rules, {})
    months = [str(m) for m in pd.period_range("2017-04", "2018-03", freq="M")]
    rows = [("M1", m, 40 + i, 100, None) for i, m in enumerate(months)]
    data = check_table(pd.DataFrame(rows, columns=list(COLUMNS), dtype=object), rules, "d.csv")
    default = compute_month(rules, data, "2018-03").set_index("id").loc["M1"]
    assert (default["previous_period"], default["previous"]) == ("2018-02", 50)
    paper = compute_month(rules, data, "2018-03", previous_month="2017-12").set_index("id").loc["M1"]
    assert (paper["previous_period"], paper["previous"], paper["rag_previous"]) == ("2017-12", 48, "Red")
    assert paper["dot_previous"] == "↑"
    # the CLI option
    (tmp_path / "rules.json").write_text(json.dumps({"scorecard": {"title": "t"}, "indicators": [
        {"id": "M1", "name": "Monthly", "polarity": "H", "period": "SS", "measure": "percent",
         "decimals": 1, "thresholds": [{"from": "2016-04", "target": 60, "floor": 50}]}]}), "utf-8")
    (tmp_path / "d.csv").write_text("indicator,period,numerator,denominator,value\n" + "".join(
        f"{r[0]},{r[1]},{r[2]},{r[3]},\n" for r in rows), "utf-8")
    code, out, err = run_cli("results", "--rules", tmp_path / "rules.json", "--data", tmp_path / "d.csv",
                             "--previous", "2017-12", "--format", "json")
    assert code == 0, err
    assert json.loads(out)["indicators"][0]["previous_period"] == "2017-12"


def test_a_scorecard_setting_compares_with_the_report_n_months_back():
    doc = {"scorecard": {"title": "t", "previous_report_months": 2}, "indicators": [
        {"id": "M1", "name": "Monthly", "polarity": "H", "period": "SS", "measure": "percent",
         "decimals": 1, "thresholds": [{"from": "2016-04", "target": 60, "floor": 50}]}]}
    rules = rules_from_dict(doc)
    months = [str(m) for m in pd.period_range("2017-04", "2018-03", freq="M")]
    rows = [("M1", m, 40 + i, 100, None) for i, m in enumerate(months)]
    data = check_table(pd.DataFrame(rows, columns=list(COLUMNS), dtype=object), rules, "d.csv")
    row = compute_month(rules, data, "2018-03").iloc[0]
    assert (row["previous_period"], row["previous"]) == ("2018-01", 49)
    # the option wins over the setting
    assert compute_month(rules, data, "2018-03", previous_month="2017-12").iloc[0]["previous_period"] == "2017-12"


def test_the_summary_names_the_report_it_compares_with():
    from xl_scorecard.core.summary import summarise

    rules = _rules()
    months = [str(m) for m in pd.period_range("2017-04", "2018-03", freq="M")]
    rows = [("M1", m, 40 + i, 100, None) for i, m in enumerate(months)]
    data = check_table(pd.DataFrame(rows, columns=list(COLUMNS), dtype=object), rules, "d.csv")
    paper = summarise(compute_month(rules, data, "2018-03", previous_month="2017-12"))
    assert "Compared with December 2017, 1 measure has improved" in paper.paragraph
    assert "Compared with last month" in summarise(compute_month(rules, data, "2018-03")).paragraph

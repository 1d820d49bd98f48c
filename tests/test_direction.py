"""Direction of travel: performance, not the raw number, compared unrounded."""

from __future__ import annotations

import json

import numpy as np
import pytest

from xl_scorecard.core import direction
from xl_scorecard.core.periods import Month


def arrow(latest, previous, polarity, target=np.nan, tolerance=0.0):
    return direction.arrows(direction.dot_codes(latest, previous, polarity, target, tolerance))


@pytest.mark.parametrize("latest, previous, polarity, target, expected", [
    pytest.param(85, 80, "H", np.nan, "↑", id="H-rise"),
    pytest.param(80, 85, "H", np.nan, "↓", id="H-fall"),
    pytest.param(85, 85, "H", np.nan, "→", id="H-equal"),
    pytest.param(28.6, 28.7, "L", np.nan, "↑", id="L-fall-is-improvement"),
    pytest.param(28.7, 28.6, "L", np.nan, "↓", id="L-rise-is-worse"),
    pytest.param(5, 5, "L", np.nan, "→", id="L-equal"),
    pytest.param(21, 25, "T", 20, "↑", id="T-closer-from-above"),
    pytest.param(19, 15, "T", 20, "↑", id="T-closer-from-below"),
    pytest.param(16, 22, "T", 20, "↓", id="T-farther-across-target"),
    pytest.param(18, 22, "T", 20, "→", id="T-same-distance-other-side"),
    pytest.param(30, 25, "T", 20, "↓", id="T-rise-away"),
    pytest.param(20, 20, "T", 20, "→", id="T-on-target-both"),
    pytest.param(21, 25, "T", np.nan, "", id="T-without-target"),
    pytest.param(85, 80, None, np.nan, "", id="no-polarity"),
    pytest.param(85, np.nan, "H", np.nan, "", id="no-previous"),
    pytest.param(np.nan, 80, "L", np.nan, "", id="no-latest"),
    pytest.param(98.94, 98.86, "H", np.nan, "↑", id="unrounded-both-show-98.9"),
    pytest.param(0.1 + 0.2, 0.3, "H", np.nan, "→", id="float-noise-is-unchanged"),
])
def test_arrows(latest, previous, polarity, target, expected):
    assert arrow(latest, previous, polarity, target) == expected


@pytest.mark.parametrize("latest, previous, tolerance, expected", [
    pytest.param(85.4, 85.0, 0.0, "↑", id="off-any-rise"),
    pytest.param(85.4, 85.0, 0.5, "→", id="within"),
    pytest.param(85.5, 85.0, 0.5, "→", id="exactly-tolerance"),
    pytest.param(85.6, 85.0, 0.5, "↑", id="beyond-up"),
    pytest.param(84.5, 85.0, 0.5, "→", id="exactly-tolerance-down"),
    pytest.param(84.4, 85.0, 0.5, "↓", id="beyond-down"),
])
def test_tolerance_in_dot_codes(latest, previous, tolerance, expected):
    assert arrow(latest, previous, "H", tolerance=tolerance) == expected


def test_vectorised_arrows():
    codes = direction.dot_codes([2, 1, 1, 3, 1], [1, 2, 1, 1, np.nan], ["H", "H", "L", "T", "H"],
                                target=[0, 0, 0, 2, 0])
    assert list(direction.arrows(codes)) == ["↑", "↓", "→", "→", ""]


# --------------------------------------------------------------------------- through the engine

def test_unrounded_comparison_through_the_engine(month_row):
    row = month_row("2012-05", [("2012-04", 98.86), ("2012-05", 98.94)])
    assert (row.previous_display, row.display) == ("98.9%", "98.9%")
    assert row.dot_previous == "↑"
    assert row.previous == 98.86  # full precision kept


def test_previous_from_numerator_and_denominator_kept_at_full_precision(month_row):
    row = month_row("2012-05", [("K1", "2012-04", 1, 3, None), ("K1", "2012-05", 33.3, 100, None)])
    assert row.previous == pytest.approx(100 / 3, rel=1e-15)
    assert (row.previous_display, row.display) == ("33.3%", "33.3%")
    assert row.dot_previous == "↓"


SCORECARD_TOLERANCE = {"dot_tolerance": 0.5}


@pytest.mark.parametrize("scorecard, indicator_tolerance, override, expected", [
    pytest.param({}, None, None, "↑", id="off-by-default"),
    pytest.param(SCORECARD_TOLERANCE, None, None, "→", id="scorecard-tolerance"),
    pytest.param(SCORECARD_TOLERANCE, 0, None, "↑", id="indicator-0-overrides-scorecard"),
    pytest.param({}, 0.5, None, "→", id="indicator-tolerance"),
    pytest.param({}, 0.1, None, "↑", id="indicator-tolerance-small"),
    pytest.param(SCORECARD_TOLERANCE, 0.5, 0, "↑", id="override-0-beats-both"),
    pytest.param({}, None, 1.0, "→", id="override-switches-on"),
])
def test_tolerance_precedence(make_rules, make_data, scorecard, indicator_tolerance, override,
                              expected):
    from xl_scorecard.core.engine import compute_month

    extra = {} if indicator_tolerance is None else {"dot_tolerance": indicator_tolerance}
    rules = make_rules(scorecard=scorecard, **extra)
    data = make_data(rules, [("K1", "2012-03", None, None, 80.0),
                             ("K1", "2012-04", None, None, 80.0),
                             ("K1", "2012-05", None, None, 80.3)])
    row = compute_month(rules, data, "2012-05", tolerance=override).iloc[0]
    assert row.dot_previous == expected
    assert row.dot_outturn == expected


@pytest.fixture
def tolerance_files(tmp_path, make_document, make_indicator, write_json):
    rules = write_json(make_document(make_indicator(), dot_tolerance=0.5))
    data = tmp_path / "data.csv"
    data.write_text("indicator,period,numerator,denominator,value\n"
                    "K1,2012-04,,,80\nK1,2012-05,,,80.3\n", encoding="utf-8")
    return rules, data


@pytest.mark.parametrize("extra, expected", [
    pytest.param([], "→", id="scorecard-0.5"),
    pytest.param(["--tolerance", "0"], "↑", id="cli-off"),
    pytest.param(["--tolerance", "0.2"], "↑", id="cli-0.2"),
    pytest.param(["--tolerance", "0.3"], "→", id="cli-0.3-on-the-change"),
])
def test_cli_tolerance(run_cli, tolerance_files, extra, expected):
    rules, data = tolerance_files
    code, out, err = run_cli("results", "--rules", rules, "--data", data, "--month", "2012-05",
                             "--format", "json", *extra)
    assert code == 0, err
    [row] = json.loads(out)["indicators"]
    assert row["dot_previous"] == expected


# --------------------------------------------------------------------------- previous and outturn

def test_missing_previous_and_outturn_mean_no_arrow(month_row):
    row = month_row("2012-05", [("2012-05", 90)])
    assert np.isnan(row.previous) and np.isnan(row.outturn)
    assert (row.previous_period, row.outturn_period) == ("", "")
    assert (row.dot_previous, row.dot_outturn, row.rag_previous) == ("", "", "")


@pytest.mark.parametrize("report, outturn", [
    pytest.param("2013-01", "2012-03", id="Jan-2013"),
    pytest.param("2013-03", "2012-03", id="Mar-2013-last-month-of-year"),
    pytest.param("2012-04", "2012-03", id="Apr-2012-first-month"),
    pytest.param("2012-03", "2011-03", id="Mar-2012"),
])
def test_outturn_is_the_last_month_of_the_previous_financial_year(month_row, report, outturn):
    values = {"2011-03": 70, "2012-03": 75, "2012-04": 90, "2012-12": 60,
              "2013-01": 80, "2013-02": 70, "2013-03": 82}
    rows = [(m, v) for m, v in values.items() if m <= report]
    row = month_row(report, rows)
    assert row.outturn_period == outturn
    assert row.outturn == values[outturn]
    assert row.dot_outturn == ("↑" if values[report] > values[outturn] else "↓")


def test_april_compares_with_march_as_both_previous_and_outturn(month_row):
    row = month_row("2012-04", [("2012-02", 95), ("2012-03", 80), ("2012-04", 85)])
    assert (row.previous_period, row.outturn_period) == ("2012-03", "2012-03")
    assert row.previous == row.outturn == 80
    assert (row.dot_previous, row.dot_outturn) == ("↑", "↑")


def test_blank_march_gives_no_outturn_arrow(month_row):
    row = month_row("2012-05", [("2012-02", 70), ("K1", "2012-03", None, None, None),
                                ("2012-04", 88), ("2012-05", 90)])
    assert row.outturn_period == ""
    assert row.dot_outturn == ""
    assert (row.previous_period, row.dot_previous) == ("2012-04", "↑")


def test_outturn_follows_year_start_month(make_rules, make_data):
    from xl_scorecard.core.engine import compute_month

    rules = make_rules(scorecard={"year_start_month": 1},
                       thresholds=[{"from": "2012-01", "target": 85, "floor": 76.5}])
    data = make_data(rules, [("K1", "2012-12", None, None, 90.0), ("K1", "2013-03", None, None, 80.0),
                             ("K1", "2013-05", None, None, 85.0)])
    row = compute_month(rules, data, "2013-05").iloc[0]
    assert (row.outturn_period, row.outturn, row.dot_outturn) == ("2012-12", 90.0, "↓")
    assert (row.previous_period, row.dot_previous) == ("2013-03", "↑")


@pytest.mark.parametrize("month, start, expected", [
    ("2013-01", 4, "2012-03"), ("2012-04", 4, "2012-03"), ("2012-03", 4, "2011-03"),
    ("2013-05", 1, "2012-12"), ("2013-09", 9, "2013-08"), ("2013-08", 9, "2012-08"),
])
def test_month_outturn_month(month, start, expected):
    assert str(Month.parse(month).outturn_month(start)) == expected


def test_previous_skips_a_blank_month(month_row):
    row = month_row("2013-01", [("2012-11", 80), ("K1", "2012-12", None, None, None),
                                ("2013-01", 85)])
    assert (row.previous_period, row.previous, row.dot_previous) == ("2012-11", 80, "↑")


def test_previous_skips_a_zero_denominator_and_an_absent_month(month_row):
    row = month_row("2013-01", [("K1", "2012-10", 9, 10, None), ("K1", "2012-12", 5, 0, None),
                                ("K1", "2013-01", 8, 10, None)])
    assert (row.previous_period, row.dot_previous) == ("2012-10", "↓")
    assert row.previous == pytest.approx(90)


def test_previous_ignores_later_months(month_row):
    row = month_row("2012-05", [("2012-04", 70), ("2012-05", 80), ("2012-06", 99)])
    assert (row.previous_period, row.dot_previous) == ("2012-04", "↑")


def test_previous_is_per_indicator(make_rules, make_data, make_indicator):
    """Another indicator's later figure does not hide this one's: each looks back on its own."""
    from xl_scorecard.core.engine import compute_month

    rules = make_rules(indicators=[make_indicator(id="A"), make_indicator(id="B", polarity="L")])
    data = make_data(rules, [("A", "2012-02", None, None, 50.0), ("B", "2012-04", None, None, 50.0),
                             ("A", "2012-05", None, None, 60.0), ("B", "2012-05", None, None, 60.0)])
    results = compute_month(rules, data, "2012-05").set_index("id")
    assert results.loc["A", "previous_period"] == "2012-02"
    assert results.loc["B", "previous_period"] == "2012-04"
    assert list(results["dot_previous"]) == ["↑", "↓"]

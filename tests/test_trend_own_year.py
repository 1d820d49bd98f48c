"""The published-style trend table follows each indicator's own year (issue 9, 5): a
financial-year and an academic-year indicator side by side, each with its own previous
years' outturns, its own year's months (or quarters), and its own target for the year, the
figures being the engine's results for those months."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from xl_scorecard.core.engine import compute_month
from xl_scorecard.core.month_report import compute_report
from xl_scorecard.inputs.data import COLUMNS, check_table
from xl_scorecard.inputs.rules_file import rules_from_dict
from xl_scorecard.layout.trend_sheet import FIRST_MONTH_COL, trend_sheet

FIRST, MONTHS = "2015-04", 36        # April 2015 to March 2018


def _indicator(ident, start, **extra):
    return {"id": ident, "name": ident, "polarity": "H", "period": "YTD", "measure": "percent",
            "decimals": 1, "aggregate": "sum", "year_start_month": start,
            "thresholds": [{"from": "2015-04", "target": 70 + start, "floor": 60},
                           {"from": "2017-09", "target": 80 + start, "floor": 60}], **extra}


@pytest.fixture(scope="module")
def inputs():
    rules = rules_from_dict({"scorecard": {"title": "t", "year_start_month": 4,
                                           "trend_style": "published"},
                             "indicators": [_indicator("FIN", 4), _indicator("ACAD", 9),
                                            {**_indicator("QACAD", 9), "period": "Q",
                                             "frequency": "quarterly"}]})
    rng = np.random.default_rng(9)
    rows = [(ident, str(m), int(rng.integers(40, 90)), 100, None)
            for m in pd.period_range(FIRST, periods=MONTHS, freq="M")
            for ident in ("FIN", "ACAD", "QACAD")]
    data = check_table(pd.DataFrame(rows, columns=list(COLUMNS), dtype=object), rules, "d.csv")
    return rules, data


def _band(sheet, ident):
    """The header labels and the result and target rows of one indicator's band."""
    cells = {(c.row, c.col): c.value for c in sheet.cells}
    result_row = next(c.row for c in sheet.cells if c.col == 1 and c.value == ident)
    header, target_row = result_row - 1, result_row + 1
    last = max(col for (r, col) in cells if r == header)
    labels = [cells[(header, col)] for col in range(FIRST_MONTH_COL, last + 1)]
    return (labels, [cells.get((result_row, col)) for col in range(FIRST_MONTH_COL, last + 1)],
            [cells.get((target_row, col)) for col in range(FIRST_MONTH_COL, last + 1)])


CASES = [
    # month, indicator, the months of its columns, its header labels (without the target's)
    ("2018-03", "FIN", ["2016-03", "2017-03"] + [f"2017-{m:02d}" for m in range(4, 13)]
     + ["2018-01", "2018-02", "2018-03"],
     ["2015/16 outturn", "2016/17 outturn", "Apr17", "May17", "Jun17", "Jul17", "Aug17",
      "Sep17", "Oct17", "Nov17", "Dec17", "Jan18", "Feb18", "Mar18"]),
    ("2018-03", "ACAD", ["2015-08", "2016-08", "2017-08", "2017-09", "2017-10", "2017-11",
                         "2017-12", "2018-01", "2018-02", "2018-03"],
     ["2014/15 (academic year) outturn", "2015/16 (academic year) outturn",
      "2016/17 (academic year) outturn", "Sep17", "Oct17", "Nov17", "Dec17", "Jan18", "Feb18",
      "Mar18"]),
    ("2018-03", "QACAD", ["2015-08", "2016-08", "2017-08", "2017-11", "2018-02"],
     ["2014/15 (academic year) outturn", "2015/16 (academic year) outturn",
      "2016/17 (academic year) outturn", "Q1 2017/18 (academic year)",
      "Q2 2017/18 (academic year)"]),
    ("2017-08", "ACAD", ["2015-08", "2016-08"] + [f"2016-{m:02d}" for m in range(9, 13)]
     + [f"2017-{m:02d}" for m in range(1, 9)],
     ["2014/15 (academic year) outturn", "2015/16 (academic year) outturn", "Sep16", "Oct16",
      "Nov16", "Dec16", "Jan17", "Feb17", "Mar17", "Apr17", "May17", "Jun17", "Jul17",
      "Aug17"]),
    ("2017-09", "ACAD", ["2015-08", "2016-08", "2017-08", "2017-09"],
     ["2014/15 (academic year) outturn", "2015/16 (academic year) outturn",
      "2016/17 (academic year) outturn", "Sep17"]),
    ("2017-09", "FIN", ["2016-03", "2017-03", "2017-04", "2017-05", "2017-06", "2017-07",
                        "2017-08", "2017-09"],
     ["2015/16 outturn", "2016/17 outturn", "Apr17", "May17", "Jun17", "Jul17", "Aug17",
      "Sep17"]),
]


@pytest.mark.parametrize("month, ident, months, labels", CASES)
def test_each_indicator_shows_its_own_years(inputs, month, ident, months, labels):
    rules, data = inputs
    report = compute_report(rules, data, month)
    got_labels, results, targets = _band(trend_sheet(report), ident)
    year = report.month.financial_year_label(rules[ident].year_start_month)
    suffix = "" if rules[ident].year_start_month == 4 else " (academic year)"
    assert got_labels == labels + [f"Target {year}{suffix}"]
    # every figure is the engine's result for that month, computed here month by month
    want = [compute_month(rules, data, m).set_index("id").loc[ident, "value"] for m in months]
    np.testing.assert_allclose(np.array(results[:-1], dtype=float), want, rtol=0, atol=0)
    # blank only where the window began before the data (the academic year to August 2015
    # began in September 2014; a quarter's three months are all there)
    blank = [m for m, v in zip(months, results) if v is None]
    assert blank == (["2015-08"] if ident == "ACAD" and "2015-08" in months else [])
    # the target for the indicator's year, beside the table; each column's target in force
    assert results[-1] == rules[ident].threshold_for(report.month).target
    month_of = {str(m): m for m in report.figures.months}
    assert targets[:-1] == [rules[ident].threshold_for(month_of[m]).target for m in months]


def test_an_outturn_is_the_whole_years_figure_recomputed_here(inputs):
    rules, data = inputs
    report = compute_report(rules, data, "2018-03")
    labels, results, _ = _band(trend_sheet(report), "ACAD")
    frame = data.frame[data.frame["indicator"] == "ACAD"]
    year = frame[frame["period"].between("2016-09", "2017-08")]
    want = year["numerator"].astype(float).sum() / year["denominator"].astype(float).sum() * 100
    assert results[labels.index("2016/17 (academic year) outturn")] == pytest.approx(want)

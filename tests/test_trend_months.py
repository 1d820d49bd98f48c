"""``scorecard.trend_months``: the Trend sheet, the Exceptions charts and the paper's charts
show the last N months up to the report month, not a whole long history."""

from __future__ import annotations

import copy
import json
import re

import openpyxl
import pandas as pd
import pytest

from xl_scorecard.core.errors import RulesError
from xl_scorecard.core.month_report import compute_report
from xl_scorecard.inputs.data import load_data
from xl_scorecard.inputs.rules_file import load_rules, rules_from_dict
from xl_scorecard.layout.exceptions_sheet import exceptions_sheet
from xl_scorecard.layout.trend_sheet import FIRST_MONTH_COL, HEADER_ROW, trend_sheet
from xl_scorecard.paper.charts import history

from conftest import BUNDLED_RULES, REPO_ROOT

SYNTHETIC = REPO_ROOT / "workbooks" / "synthetic_kent_scs_2012-2014.csv"   # Apr 2012 - Mar 2014
DOCUMENT = json.loads(BUNDLED_RULES.read_text(encoding="utf-8"))


def _rules(tmp_path, **card):
    document = copy.deepcopy(DOCUMENT)
    document["scorecard"].update(card)
    path = tmp_path / "rules.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    return path


def _report(rules_path, month="2014-03"):
    rules = load_rules(rules_path)
    return compute_report(rules, load_data(SYNTHETIC, rules), month)


def _expected(last: str, n: int) -> list[str]:
    """The n months up to ``last``, labelled as the sheets label them (independently)."""
    return [p.strftime("%b%y") for p in pd.period_range(end=last, periods=n, freq="M")]


def _header_labels(sheet) -> list[str]:
    cells = {(c.row, c.col): c.value for c in sheet.cells}
    labels, col = [], FIRST_MONTH_COL
    while (HEADER_ROW, col) in cells:
        labels.append(cells[HEADER_ROW, col])
        col += 1
    return labels


@pytest.mark.parametrize("n", [4, 13, 24, 60])
def test_the_trend_sheet_shows_the_last_n_months(n, tmp_path):
    sheet = trend_sheet(_report(_rules(tmp_path, trend_months=n)))
    assert _header_labels(sheet) == _expected("2014-03", min(n, 24))
    assert {chart.last_col - chart.first_col + 1 for chart in sheet.charts} == {min(n, 24)}


def test_without_it_every_month_is_shown(tmp_path):
    sheet = trend_sheet(_report(_rules(tmp_path)))
    assert _header_labels(sheet) == _expected("2014-03", 24)


def test_earlier_reports_show_what_there_is(tmp_path):
    sheet = trend_sheet(_report(_rules(tmp_path, trend_months=13), month="2012-09"))
    assert _header_labels(sheet) == _expected("2012-09", 6)


def test_exceptions_charts_and_the_papers_follow_it(tmp_path):
    report = _report(_rules(tmp_path, trend_months=13))
    charts = exceptions_sheet(report).charts
    assert charts and {c.last_col - c.first_col + 1 for c in charts} == {13}
    assert [m.label for m in history(report)] == [
        p.strftime("%B %Y") for p in pd.period_range(end="2014-03", periods=13, freq="M")]
    assert report.trend_window() == list(history(report))[-4:]  # the table's four months


@pytest.mark.parametrize("value, says", [
    (3, "3 is less than the minimum of 4"),
    ("13", "'13' is not an? integer"),
    (13.5, "13.5 is not an? integer"),
])
def test_a_wrong_value_is_named_by_its_path(value, says):
    document = copy.deepcopy(DOCUMENT)
    document["scorecard"]["trend_months"] = value
    with pytest.raises(RulesError) as caught:
        rules_from_dict(document)
    text = str(caught.value)
    assert "$.scorecard.trend_months: " in text and re.search(says, text), text


def test_the_built_workbook_shows_thirteen_month_columns(tmp_path, run_cli):
    rules = _rules(tmp_path, trend_months=13)
    out = tmp_path / "card.xlsx"
    code, _, err = run_cli("build", "--rules", rules, "--data", SYNTHETIC, "--month", "2014-03",
                           "--out", out)
    assert code == 0, err
    ws = openpyxl.load_workbook(out)["Trend"]
    row = [ws.cell(row=HEADER_ROW, column=c).value for c in range(FIRST_MONTH_COL, FIRST_MONTH_COL + 14)]
    assert row == _expected("2014-03", 13) + [None]


def test_a_whole_number_written_with_a_point_is_read_as_a_number_of_months(tmp_path):
    """13.0 is an integer to JSON Schema (and a rules.json sheet's number cell reads as one)."""
    sheet = trend_sheet(_report(_rules(tmp_path, trend_months=13.0)))
    assert _header_labels(sheet) == _expected("2014-03", 13)


def test_the_months_are_calendar_months_so_a_gap_shows_as_fewer_columns(tmp_path):
    """13: the report month and the twelve before it; a month missing from the data is not
    replaced by an earlier one."""
    data = pd.read_csv(SYNTHETIC, dtype=str, keep_default_na=False)
    gap = tmp_path / "gap.csv"
    data[data["period"] != "2013-08"].to_csv(gap, index=False)
    rules = load_rules(_rules(tmp_path, trend_months=13))
    sheet = trend_sheet(compute_report(rules, load_data(gap, rules), "2014-03"))
    assert _header_labels(sheet) == [m for m in _expected("2014-03", 13) if m != "Aug13"]


def test_the_published_style_keeps_its_own_columns_and_the_charts_follow_it(tmp_path):
    report = _report(_rules(tmp_path, trend_style="published", trend_months=4))
    every = _report(_rules(tmp_path, trend_style="published"))
    assert [c.last_col - c.first_col for c in trend_sheet(report).charts] == \
        [c.last_col - c.first_col for c in trend_sheet(every).charts]
    assert {c.last_col - c.first_col + 1 for c in exceptions_sheet(report).charts} == {4}

"""Comparators: England, statistical neighbours and a region quoted beside the results."""

from __future__ import annotations

import io
import json

import pandas as pd
import pytest

from xl_scorecard.core.comparators import period_end
from xl_scorecard.core.periods import Month

TABLE = """indicator,comparator,period,value
SCS01,England,2010/11,60.1
SCS01,England,2011/12,62.5
SCS01,England,2012/13,70
SCS01,Statistical neighbours,2011/12,64.0
SCS02,South East,2012-04,480.5
SCS02,South East,2012-06,999
SCS07,England,2011/12,50.5
"""


@pytest.fixture
def table(tmp_path):
    path = tmp_path / "comparators.csv"
    path.write_text(TABLE, encoding="utf-8")
    return path


@pytest.mark.parametrize("text, start, end", [
    ("2016/17", 4, Month(2017, 3)),
    ("2017/18", 9, Month(2018, 8)),
    ("2017", 9, Month(2017, 8)),
    ("2017", 1, Month(2017, 12)),
    ("2017", 4, Month(2017, 3)),
    ("2018-03", 4, Month(2018, 3)),
])
def test_a_period_ends_in_a_month(text, start, end):
    assert period_end(text, start) == end


@pytest.mark.parametrize("text", ["2016/18", "17/18", "March 2018", "2018-13"])
def test_an_unreadable_period_is_refused(text):
    with pytest.raises(ValueError):
        period_end(text)


def _rows(run_cli, *args):
    code, out, err = run_cli("results", "--month", "2012-05", "--format", "json", *args)
    assert code == 0, err
    return {row["id"]: row for row in json.loads(out)["indicators"]}


def test_the_latest_figure_at_or_before_the_month_of_each_comparator(run_cli, table):
    rows = _rows(run_cli, "--comparators", table)
    assert rows["SCS01"]["comparators"] == {
        "England": {"value": 62.5, "period": "2011/12"},            # 2012/13 ends after May 2012
        "Statistical neighbours": {"value": 64.0, "period": "2011/12"},
        "South East": {"value": None, "period": None}}
    assert rows["SCS02"]["comparators"]["South East"] == {"value": 480.5, "period": "2012-04"}
    # the CSV carries one column pair per comparator, in the order they first appear
    code, out, err = run_cli("results", "--month", "2012-05", "--comparators", table)
    frame = pd.read_csv(io.StringIO(out), dtype=str, keep_default_na=False)
    assert [c for c in frame.columns if c.startswith("cmp:")] == [
        "cmp:England", "cmp:England:period", "cmp:Statistical neighbours",
        "cmp:Statistical neighbours:period", "cmp:South East", "cmp:South East:period"]


def test_without_comparators_the_results_have_no_comparator_columns(kent_results):
    assert not [c for c in kent_results.columns if c.startswith("cmp:")]


def test_the_summary_quotes_the_comparators_of_the_exceptions(run_cli, table):
    code, out, err = run_cli("summary", "--month", "2012-05", "--comparators", table)
    assert code == 0
    assert "  SCS07: 27.8% compares with England 50.5% (2011/12)" in out.splitlines()


BAD = [
    ("SCS99,England,2011/12,1\n", "row 2, column 'indicator'", "'SCS99' is not an indicator"),
    ("SCS01,,2011/12,1\n", "row 2, column 'comparator'", "is empty: name the comparator"),
    ("SCS01,England,March 2012,1\n", "row 2, column 'period'", "is not a period: write it as 2016/17"),
    ("SCS01,England,,1\n", "row 2, column 'period'", "is empty"),
    ("SCS01,England,2011/12,N/A\n", "row 2, column 'value'", "'N/A' is not a number"),
    ("SCS01,England,2011/12,1\nSCS01,England,2011/12,2\n", "row 3", "a second England figure"),
]


@pytest.mark.parametrize("body, where, what", BAD)
def test_bad_comparator_rows_are_refused_like_bad_data_rows(run_cli, tmp_path, body, where, what):
    path = tmp_path / "c.csv"
    path.write_text("indicator,comparator,period,value\n" + body, encoding="utf-8")
    out = tmp_path / "out.xlsx"
    code, _, err = run_cli("build", "--month", "2012-05", "--comparators", path, "--out", out)
    assert code == 2
    assert f"{path}: {where}" in err and what in err and "Traceback" not in err
    assert not out.exists()


def test_a_comparator_file_without_the_columns_is_refused(run_cli, tmp_path):
    path = tmp_path / "c.csv"
    path.write_text("indicator,value\nSCS01,1\n", encoding="utf-8")
    code, _, err = run_cli("results", "--comparators", path)
    assert code == 2 and "missing column(s) comparator, period" in err


def test_the_workbook_shows_comparator_columns_and_a_comparators_sheet(run_cli, table, tmp_path):
    import openpyxl

    out = tmp_path / "c.xlsx"
    code, _, err = run_cli("build", "--month", "2012-05", "--comparators", table, "--out", out)
    assert code == 0, err
    book = openpyxl.load_workbook(out)
    assert "Comparators" in book.sheetnames
    assert [r for r in book["Comparators"].iter_rows(min_row=2, max_row=2, values_only=True)] == [
        ("SCS01", "England", "2010/11", 60.1)]
    sheet = book["Scorecard"]
    header = [c.value for c in sheet[7]]
    england = header.index("England") + 1
    ids = {sheet.cell(r, header.index("ID") + 1).value: r for r in range(8, sheet.max_row + 1)}
    assert sheet.cell(ids["SCS01"], england).value == 62.5
    assert sheet.cell(ids["SCS03"], england).value is None
    exceptions = [c for row in book["Exceptions"].iter_rows(values_only=True) for c in row if c]
    assert "The latest result, 27.8%, compares with England 50.5% (2011/12)." in exceptions


def test_show_comparators_false_hides_the_scorecard_columns(make_rules, make_data, table):
    from xl_scorecard.core.month_report import compute_report
    from xl_scorecard.inputs.comparators import load_comparators
    from xl_scorecard.inputs.data import load_data
    from xl_scorecard.inputs.rules_file import rules_from_dict
    from xl_scorecard.layout.scorecard import scorecard_sheet
    from conftest import BUNDLED_DATA, BUNDLED_RULES

    document = json.loads(BUNDLED_RULES.read_text("utf-8"))
    document["scorecard"]["show_comparators"] = False
    rules = rules_from_dict(document)
    data = load_data(BUNDLED_DATA, rules)
    data.comparators = load_comparators(table, rules)
    layout = scorecard_sheet(compute_report(rules, data, "2012-05"))
    assert "England" not in [c.value for c in layout.cells if c.row == 7]


def test_an_xlsx_comparator_table_with_typed_periods(run_cli, tmp_path):
    import datetime as dt

    import openpyxl

    book = openpyxl.Workbook()
    book.active.title = "Notes"
    sheet = book.create_sheet("Comparators")
    sheet.append(["indicator", "comparator", "period", "value"])
    sheet.append(["SCS01", "England", 2011, 61.0])                  # a year typed as a number
    sheet.append(["SCS02", "South East", dt.datetime(2012, 4, 1), 480.5])   # a date cell
    path = tmp_path / "c.xlsx"
    book.save(path)
    rows = _rows(run_cli, "--comparators", path)
    assert rows["SCS01"]["comparators"]["England"] == {"value": 61.0, "period": "2011"}
    assert rows["SCS02"]["comparators"]["South East"] == {"value": 480.5, "period": "2012-04"}

"""The Data sheet holds the months the workbook shows; nothing else in the workbook changes.

A trimmed workbook (the default) and one built with ``--data-sheet all`` must agree on every
other sheet, cell by cell, and the trimmed Data sheet must be enough to recompute the month
(what the Refresh macro does from it) with the same results and the same Exceptions table.
"""

from __future__ import annotations

import csv

import openpyxl
import pandas as pd
import pytest

from xl_scorecard import cli
from xl_scorecard.core.engine import compute_month
from xl_scorecard.core.month_report import compute_report
from xl_scorecard.core.periods import Month
from xl_scorecard.headless import batch as batch_module
from xl_scorecard.inputs import data as data_module
from xl_scorecard.inputs.data import load_data
from xl_scorecard.inputs.rules_file import load_rules
from xl_scorecard.layout import DATA_SHEET_ROWS
from xl_scorecard.layout.exceptions_sheet import exceptions_sheet

from conftest import REPO_ROOT

RULES = REPO_ROOT / "rules.json"
SYNTHETIC = REPO_ROOT / "workbooks" / "synthetic_kent_scs_2012-2014.csv"
OTHER_SHEETS = ("Scorecard", "Summary", "Exceptions", "Trend", "Rules")


@pytest.fixture(scope="module")
def gappy_data(tmp_path_factory):
    """The synthetic history with SCS01's figures for 2012-10 to 2013-06 removed, so that its
    previous result in 2013-07 is far outside the trend window."""
    path = tmp_path_factory.mktemp("gappy") / "gappy.csv"
    with open(SYNTHETIC, newline="", encoding="utf-8") as source, \
            open(path, "w", newline="", encoding="utf-8") as target:
        reader, writer = csv.reader(source), csv.writer(target, lineterminator="\n")
        writer.writerow(next(reader))
        for row in reader:
            if not (row[0] == "SCS01" and "2012-10" <= row[1] <= "2013-06"):
                writer.writerow(row)
    return path


def _build(tmp_path, data, month, rows):
    out = tmp_path / f"{month}-{rows}.xlsx"
    code = cli.run(["build", "--data", str(data), "--month", month, "--out", str(out),
                    "--data-sheet", rows])
    assert code == 0
    return out


def _sheet(path, name):
    ws = openpyxl.load_workbook(path)[name]
    return {(c.row, c.column): (c.value, c.style_id) for row in ws.iter_rows() for c in row}


def _expected_rows(data_path, month: str, red=()) -> pd.DataFrame:
    """Written here with pandas, independently of the layout: the rows of the last four months
    with data up to the month, of the outturn month (March before the financial year), of
    each indicator's latest month with a figure before the report month, and every row up to
    the report month of the indicators rated Red (``red``: their Exceptions chart shows every
    month up to it, issue 14)."""
    frame = pd.read_csv(data_path, dtype={"period": str})
    months = sorted(p for p in frame["period"].unique() if p <= month)[-4:]
    year, mon = int(month[:4]), int(month[5:])
    outturn = f"{year if mon >= 4 else year - 1}-03"
    has_figure = frame[["numerator", "value"]].notna().any(axis=1) & ~(
        (frame["denominator"] == 0) & frame["value"].isna())
    earlier = frame[has_figure & (frame["period"] < month)]
    previous = earlier.groupby("indicator")["period"].max()
    keep = (frame["period"].isin(months + [outturn])
            | (frame["period"] == frame["indicator"].map(previous))
            | (frame["indicator"].isin(list(red)) & (frame["period"] <= month)))
    return frame[keep].sort_values(["period", "indicator"], kind="stable")


def test_the_cli_choices_are_the_layouts():
    assert cli.DATA_SHEET_ROWS == DATA_SHEET_ROWS


@pytest.mark.parametrize("month", ["2012-05", "2013-04", "2013-07", "2014-03"])
def test_a_trimmed_and_a_full_workbook_agree_on_every_other_sheet(tmp_path, gappy_data, month):
    trimmed = _build(tmp_path, gappy_data, month, "shown")
    full = _build(tmp_path, gappy_data, month, "all")
    for name in OTHER_SHEETS:
        assert _sheet(trimmed, name) == _sheet(full, name), name
    assert openpyxl.load_workbook(trimmed).sheetnames == openpyxl.load_workbook(full).sheetnames

    rules = load_rules(RULES)
    results = compute_month(rules, load_data(gappy_data, rules), month)
    expected = _expected_rows(gappy_data, month, results.loc[results["rag"] == "Red", "id"])
    got = pd.DataFrame(list(openpyxl.load_workbook(trimmed)["Data"].values)[1:],
                       columns=["indicator", "period", "numerator", "denominator", "value"])
    assert list(zip(got["indicator"], got["period"])) == list(
        zip(expected["indicator"], expected["period"]))
    all_rows = list(openpyxl.load_workbook(full)["Data"].values)[1:]
    assert len(all_rows) == sum(1 for _ in open(gappy_data, encoding="utf-8")) - 1
    assert len(got) < len(all_rows) or month == "2012-05"


@pytest.mark.parametrize("month", ["2013-04", "2013-07", "2014-03"])
def test_the_trimmed_data_sheet_recomputes_the_same_month(tmp_path, gappy_data, month):
    """What the Refresh macro does: compute the month from the workbook's own Data sheet."""
    rules = load_rules(RULES)
    trimmed = _build(tmp_path, gappy_data, month, "shown")
    from_sheet = load_data(trimmed, rules)
    from_file = load_data(gappy_data, rules)
    pd.testing.assert_frame_equal(compute_month(rules, from_sheet, month),
                                  compute_month(rules, from_file, month))
    sheet_report = compute_report(rules, from_sheet, month)
    file_report = compute_report(rules, from_file, month)
    assert exceptions_sheet(sheet_report).cells == exceptions_sheet(file_report).cells
    # Roll forward: the next month's rows pasted in, the workbook's rows are still enough.
    following = str(Month.parse(month) + 1)
    if following in from_file.months:
        pasted = pd.concat([from_sheet.frame,
                            from_file.frame[from_file.frame["period"] == following]])
        rolled = type(from_sheet)(pasted.reset_index(drop=True), "pasted")
        pd.testing.assert_frame_equal(compute_month(rules, rolled, following),
                                      compute_month(rules, from_file, following))


def test_batch_reads_and_checks_the_inputs_once(tmp_path, monkeypatch):
    calls = []
    real_load_data = data_module.load_data

    def counted(*args, **kwargs):
        calls.append(args[0])
        return real_load_data(*args, **kwargs)

    def never(*args, **kwargs):
        raise AssertionError("the batch read its inputs again")

    monkeypatch.setattr(data_module, "load_data", counted)
    monkeypatch.setattr(batch_module, "load_data", never)
    monkeypatch.setattr(batch_module, "load_rules", never)
    for jobs in ("1", "2"):
        code = cli.run(["batch", "--data", str(SYNTHETIC), "--from", "2013-01", "--to", "2013-03",
                        "--out-dir", str(tmp_path / jobs), "--jobs", jobs])
        assert code == 0
        assert len(list((tmp_path / jobs).glob("scorecard-*.xlsx"))) == 3
    assert len(calls) == 2  # once per batch, in the main process

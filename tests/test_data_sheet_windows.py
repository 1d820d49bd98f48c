"""The trimmed Data sheet of indicators built from each month's own figures: it keeps the
months their shown figures' windows need, not the whole history, and is still enough for the
Refresh macro to recompute the month (and, after Roll forward, the next one)."""

from __future__ import annotations

import sys

import openpyxl
import pandas as pd
import pytest

from xl_scorecard import cli
from xl_scorecard.core.engine import compute_month
from xl_scorecard.core.month_report import compute_report
from xl_scorecard.core.periods import Month
from xl_scorecard.inputs.data import load_data
from xl_scorecard.inputs.rules_file import load_rules
from xl_scorecard.layout.exceptions_sheet import exceptions_sheet

from conftest import REPO_ROOT

sys.path.insert(0, str(REPO_ROOT / "bench"))
from generated import make_aggregated  # noqa: E402

EXAMPLE = REPO_ROOT / "workbooks" / "examples"


@pytest.fixture(scope="module")
def long_history(tmp_path_factory):
    return make_aggregated(tmp_path_factory.mktemp("long"), 60)


def _build(tmp_path, rules, data, month):
    out = tmp_path / f"{month}.xlsx"
    assert cli.run(["build", "--rules", str(rules), "--data", str(data), "--month", month,
                    "--out", str(out)]) == 0
    return out


def _recomputes(tmp_path, rules_path, data_path, month):
    rules = load_rules(rules_path)
    book = _build(tmp_path, rules_path, data_path, month)
    from_sheet, from_file = load_data(book, rules), load_data(data_path, rules)
    pd.testing.assert_frame_equal(compute_month(rules, from_sheet, month),
                                  compute_month(rules, from_file, month))
    assert (exceptions_sheet(compute_report(rules, from_sheet, month)).cells
            == exceptions_sheet(compute_report(rules, from_file, month)).cells)
    following = str(Month.parse(month) + 1)
    if following in from_file.months:            # Roll forward: next month's rows pasted in
        pasted = pd.concat([from_sheet.frame,
                            from_file.frame[from_file.frame["period"] == following]])
        rolled = type(from_sheet)(pasted.reset_index(drop=True), "pasted")
        pd.testing.assert_frame_equal(compute_month(rules, rolled, following),
                                      compute_month(rules, from_file, following))
    return book, from_sheet, from_file


@pytest.mark.parametrize("month", ["2017-03", "2017-08", "2017-12", "2018-03"])
def test_the_example_recomputes_from_its_trimmed_data_sheet(tmp_path, month):
    _recomputes(tmp_path, EXAMPLE / "rules.json", EXAMPLE / "anyshire_monthly_2016-2018.csv",
                month)


@pytest.mark.parametrize("month", ["2014-03", "2015-06", "2017-03"])
def test_a_long_history_keeps_only_the_windows_it_shows(tmp_path, long_history, month):
    rules_path, data_path = long_history
    book, from_sheet, from_file = _recomputes(tmp_path, rules_path, data_path, month)
    rules = load_rules(rules_path)
    results = compute_month(rules, from_file, month).set_index("id")
    kept = from_sheet.frame
    for ind in rules.indicators:
        if not ind.aggregate or results.loc[ind.id, "rag"] == "Red" or \
                results.loc[ind.id, "range_status"] in ("Below", "Above"):
            continue
        periods = sorted(kept.loc[kept["indicator"] == ind.id, "period"])
        shown = [str(Month.parse(month) - 3), results.loc[ind.id, "previous_period"],
                 results.loc[ind.id, "outturn_period"]]
        if results.loc[ind.id, "window_from"]:           # the shown figure's window, + 11
            shown.append(str(Month.parse(results.loc[ind.id, "window_from"]) + 11))
        first = str(Month.parse(min(p for p in shown if p)) - 11)
        want = sorted(p for p in from_file.frame.loc[from_file.frame["indicator"] == ind.id,
                                                     "period"] if first <= p <= month)
        assert periods == want, ind.id
    rows = len(list(openpyxl.load_workbook(book)["Data"].values)) - 1
    assert rows == len(kept)
    assert rows < len(from_file.frame[from_file.frame["period"] <= month]) or month == "2014-03"

"""The Summary sheet's "Expected range" table: lead indicators Below, Within and Above their
expected range, only when the report has lead indicators; static counts in a static workbook
(live workbooks' COUNTIF formulas are proved in tests/test_native_workbook.py)."""

from __future__ import annotations

import openpyxl
import pytest

from xl_scorecard.core.month_report import compute_report
from xl_scorecard.headless.build import write_report
from xl_scorecard.inputs.comparators import load_comparators
from xl_scorecard.inputs.data import load_data
from xl_scorecard.inputs.rules_file import load_rules

from conftest import BUNDLED_DATA, BUNDLED_RULES
from native_leads import COMPARATORS, DATA, EXAMPLE_MONTHS, RULES


def _report(month: str):
    rules = load_rules(RULES)
    data = load_data(DATA, rules)
    data.comparators = load_comparators(COMPARATORS, rules)
    return compute_report(rules, data, month)


@pytest.mark.parametrize("month", [EXAMPLE_MONTHS[0], "2017-03", EXAMPLE_MONTHS[-1]])
def test_static_summary_counts_the_lead_indicators_as_the_results_do(tmp_path, month):
    report = _report(month)
    out = tmp_path / "static.xlsx"
    write_report(report, out)
    ws = openpyxl.load_workbook(out)["Summary"]
    assert [ws.cell(11, c).value for c in (1, 3, 4, 5, 6)] == [
        "Expected range", "Below", "Within", "Above", "Lead indicators"]
    statuses = report.results["range_status"].value_counts()   # counted here, with pandas
    want = [int(statuses.get(k, 0)) for k in ("Below", "Within", "Above")]
    assert [ws.cell(12, c).value for c in range(3, 7)] == want + [sum(want)]
    assert sum(want) == report.summary.ranges.total > 0
    assert ws.cell(14, 1).value == "Summary" and "lead indicator" in ws.cell(15, 1).value


def test_no_expected_range_table_without_lead_indicators(tmp_path):
    rules = load_rules(BUNDLED_RULES)
    report = compute_report(rules, load_data(BUNDLED_DATA, rules), "2012-05")
    out = tmp_path / "sample.xlsx"
    write_report(report, out, live="native")
    ws = openpyxl.load_workbook(out)["Summary"]
    column_a = [ws.cell(r, 1).value for r in range(1, ws.max_row + 1)]
    assert "Expected range" not in column_a and column_a[10] == "Summary"

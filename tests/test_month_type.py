"""One month type: ``Month`` inside, ``YYYY-MM`` text only at the edges (CLI arguments, the
data table's period column, the results frame, CSV and JSON, workbook cells)."""

from __future__ import annotations

import json
import re
from pathlib import Path

from xl_scorecard import Month, load_data, load_rules
from xl_scorecard.core.engine import prepare
from xl_scorecard.core.month_report import compute_report
from xl_scorecard.layout import workbook_layout

REPO_ROOT = Path(__file__).resolve().parent.parent
PACKAGE = REPO_ROOT / "xl_scorecard"
HISTORY = REPO_ROOT / "workbooks" / "synthetic_kent_scs_2012-2014.csv"
# where text becomes a Month: readers of text, and the Python API that accepts "2012-05"
EDGES = {"cli.py", "inputs/months_text.py", "inputs/rules_file.py", "core/periods.py",
         "core/table.py", "core/engine.py", "core/month_report.py", "core/summary.py",
         # the paper reads the results table, whose months are text (an edge)
         "paper/sentences.py", "paper/document.py", "paper/charts.py"}


def _report(month="2013-09"):
    rules = load_rules(REPO_ROOT / "rules.json")
    return compute_report(rules, load_data(HISTORY, rules), Month.parse(month))


def test_months_inside_are_months():
    report = _report()
    data, figures = report.data, report.figures
    assert all(isinstance(m, Month) for m in data.months + figures.months)
    assert figures.months == data.months and len(figures.months) == 24
    assert report.months_up_to_report() == [Month(2012, 4) + i for i in range(18)]
    assert isinstance(report.summary.month, Month) and report.summary.outturn_month == Month(2013, 3)
    assert report.results_for(Month(2013, 8)) is report.results_for(Month(2013, 8))  # cached by Month
    assert report.results_for(Month(2013, 9)) is report.results


def test_text_at_the_edges():
    report = _report()
    assert set(report.data.frame["period"].map(type)) == {str}  # the table as read
    frame = report.results
    assert set(frame["month"]) == {"2013-09"} and set(frame["outturn_period"]) <= {"2013-03", ""}
    assert set(frame["previous_period"]) <= {"2013-08", ""}
    record = report.summary.to_dict()
    assert (record["month"], record["outturn_month"]) == ("2013-09", "2013-03")
    json.dumps(record)


def test_sheets_show_labels_made_from_months():
    layouts = {s.name: s for s in workbook_layout(_report())}
    trend = {(c.row, c.col): c.value for c in layouts["Trend"].cells}
    assert trend[(3, 5)] == "Apr12" and trend[(3, 5 + 17)] == "Sep13"
    exceptions = [c.value for c in layouts["Exceptions"].cells if c.col == 1]
    assert "June 2013" in exceptions and "September 2013" in exceptions
    summary = [c.value for c in layouts["Summary"].cells]
    assert "Against outturn (March 2013)" in summary


def test_figures_are_keyed_by_month():
    report = _report()
    values = prepare(report.rules, report.data).values
    assert values.columns[0] == Month(2012, 4) and values.columns.is_monotonic_increasing
    assert Month(2012, 5).short_label == "May12" and Month(2000, 1).short_label == "Jan00"


def test_month_text_is_parsed_only_at_the_edges():
    parsing = sorted(p.relative_to(PACKAGE).as_posix() for p in PACKAGE.rglob("*.py")
                     if re.search(r"Month\.parse\(", p.read_text("utf-8")))
    assert set(parsing) <= EDGES, set(parsing) - EDGES
    for folder in ("layout", "writers", "headless", "excel", "outputs"):
        assert not [p for p in parsing if p.startswith(folder + "/")]


def test_parsing_a_month_gives_it_back():
    month = Month(2012, 5)
    assert Month.parse(month) is month and Month.parse(" 2012-05 ") == month

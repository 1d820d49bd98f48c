"""The print layout as data (no LibreOffice): chart axes, exception charts' figures, Trend bands."""

from __future__ import annotations

import math

import pytest

from xl_scorecard import load_data, load_rules
from xl_scorecard.core.month_report import compute_report
from xl_scorecard.layout import workbook_layout
from xl_scorecard.layout.charts import axis_for, nice_step, wrapped_title
from xl_scorecard.layout.exceptions_sheet import SERIES_COL, red_count_sentence
from xl_scorecard.layout.trend_sheet import print_scale

from conftest import BUNDLED_DATA, BUNDLED_RULES, REPO_ROOT

SYNTHETIC = REPO_ROOT / "workbooks" / "synthetic_kent_scs_2012-2014.csv"


@pytest.mark.parametrize("values, measure, decimals, expected", [
    ([0, 0, 0], "count", 0, {"y_min": 0.0, "y_max": 1.0, "y_major": 1.0}),   # not "0, 1, 1"
    ([None, math.nan], "percent", 1, {"y_min": 0.0, "y_max": 1.0, "y_major": 1.0}),
    ([84.4, 85.0, 97.3], "percent", 1, {"y_min": 0.0, "y_max": 125.0, "y_major": 25.0}),
    ([2, 3], "count", 0, {"y_min": 0.0, "y_max": 4.0, "y_major": 1.0}),      # whole ticks
    ([-1.0, 10.0], "percent", 1, {}),                                         # negative: automatic
])
def test_axis_for(values, measure, decimals, expected):
    axis = axis_for(values, measure, decimals)
    assert {k: v for k, v in axis.items() if k != "y_format"} == expected
    assert axis["y_format"] == ('#,##0.0"%"' if measure == "percent" else "#,##0")


@pytest.mark.parametrize("span, step", [(93.5, 20), (107.0, 25), (1.1, 0.25), (4.4, 1)])
def test_nice_step(span, step):
    assert nice_step(span) == pytest.approx(step)


def test_wrapped_title_breaks_at_spaces():
    title = wrapped_title("12. " + "word " * 30, 20)
    assert all(len(line) <= 20 for line in title.split("\n"))
    assert title.replace("\n", " ").split() == ("12. " + "word " * 30).split()


@pytest.mark.parametrize("n, sentence", [(1, "1 indicator is rated Red."),
                                         (12, "12 indicators are rated Red.")])
def test_red_count_in_english(n, sentence):
    assert red_count_sentence(n) == sentence


@pytest.fixture(scope="module")
def history():
    rules = load_rules(BUNDLED_RULES)
    report = compute_report(rules, load_data(SYNTHETIC, rules), "2013-09")
    return report, {s.name: s for s in workbook_layout(report)}


def test_each_exception_chart_plots_the_engines_results_and_targets(history):
    report, sheets = history
    sheet = sheets["Exceptions"]
    cells = {(c.row, c.col): c.value for c in sheet.cells}
    red = list(report.results.loc[report.results["rag"] == "Red", "id"])
    assert len(sheet.charts) == len(red) and len(sheet.row_breaks) == len(red) - 1
    months = report.months_up_to_report()
    for chart, indicator_id in zip(sheet.charts, red):
        assert chart.last_col - chart.first_col + 1 == len(months) == 18
        result_row, target_row = chart.series_rows
        assert cells[(result_row, SERIES_COL)] == "Result"
        for j, month in enumerate(months):
            engine = report.results_for(month).set_index("id").loc[indicator_id]
            got = cells[(result_row, chart.first_col + j)]
            assert (got is None and math.isnan(engine.value)) or got == pytest.approx(engine.value)
            target = cells[(target_row, chart.first_col + j)]
            assert (target is None and math.isnan(engine.target)) or target == engine.target
        assert chart.first_col > sheet.print_cols  # its figures are not printed
        # the chart is anchored in the block: between its heading and the next page break
        anchor_row = int(chart.anchor.lstrip("ABCDEFGH"))
        assert anchor_row == result_row


def test_trend_bands_fit_their_pages(history):
    report, sheets = history
    sheet = sheets["Trend"]
    assert sheet.repeat_rows is None  # nothing prints over a chart
    assert len(sheet.charts) == len(report.rules.indicators)
    assert print_scale(18) < 1 == print_scale(2)
    breaks = [0] + sheet.row_breaks + [sheet.last_row + 20]
    for chart in sheet.charts:  # every band (header row to chart foot) inside one page
        top = chart.category_row
        foot = int(chart.anchor.lstrip("ABCDEFGH")) + 1
        assert sum(top <= b < foot for b in breaks) == 0, chart.title


def test_scorecard_key_and_outturn_note(history):
    rules = load_rules(BUNDLED_RULES)
    may = compute_report(rules, load_data(BUNDLED_DATA, rules), "2012-05")
    sheet = {s.name: s for s in workbook_layout(may)}["Scorecard"]
    texts = [c.value for c in sheet.cells if isinstance(c.value, str)]
    assert any("R12M = Rolling 12 Months" in t and "SS = Snapshot" in t and "YTD = Year to date"
               in t for t in texts)
    assert "No outturn: the data has no March 2012 figures" in texts
    assert sheet.fit_height == 1 and sheet.arrow_ranges
    _, sheets = history
    assert not any(t.startswith("No outturn") for t in
                   (c.value for c in sheets["Scorecard"].cells if isinstance(c.value, str)))

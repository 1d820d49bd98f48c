"""The Trend sheet: each indicator's results and target across the months available."""

from __future__ import annotations

from ..core.month_report import MonthReport
from ..core.periods import Month
from .model import Chart, SheetLayout, column_letter, number_format, plain_number

SHEET = "Trend"
HEADER_ROW = 3
FIRST_MONTH_COL = 5
CHART_ROWS, CHART_COLS, CHARTS_PER_ROW = 15, 8, 2


def trend_sheet(report: MonthReport) -> SheetLayout:
    published = report.rules.scorecard.trend_style == "published"
    months = _published_months(report) if published else report.months_up_to_report()
    sheet = SheetLayout(SHEET, widths={1: 8, 2: 6, 3: 44, 4: 8},
                        freeze=(HEADER_ROW + 1, FIRST_MONTH_COL), repeat_rows=(HEADER_ROW, HEADER_ROW))
    sheet.put(1, 1, f"Trend to {report.month.label}", "title")
    sheet.put_row(HEADER_ROW, 1, ("ID", "Ref", "Indicator", "Series"), "header")
    for j, month in enumerate(months):
        sheet.put(HEADER_ROW, FIRST_MONTH_COL + j, _month_header(report, month, published), "header")
        sheet.widths[FIRST_MONTH_COL + j] = 9
    last_col = FIRST_MONTH_COL + len(months) - 1
    year_label = report.month.financial_year_label(report.rules.scorecard.year_start_month)
    if published:
        sheet.put(HEADER_ROW, last_col + 1, f"Target {year_label}", "header")
        sheet.widths[last_col + 1] = 10
        sheet.heights[HEADER_ROW] = 30
    values = report.figures.values
    row = HEADER_ROW
    series_rows = []
    for ind in report.rules.indicators:
        fmt = number_format(ind.measure, ind.decimals)
        result_row, target_row = row + 1, row + 2
        sheet.put_row(result_row, 1, (ind.id, ind.ref, ind.name, "Result"), "cell")
        sheet.put_row(target_row, 1, (ind.id, ind.ref, ind.name, "Target"), "cell")
        for j, month in enumerate(months):
            th = ind.threshold_for(Month.parse(month))
            sheet.put(result_row, FIRST_MONTH_COL + j, plain_number(values.at[ind.id, month]), "number", fmt)
            sheet.put(target_row, FIRST_MONTH_COL + j, th.target if th else None, "number", fmt)
        if published:
            th = ind.threshold_for(report.month)
            sheet.put(result_row, last_col + 1, th.target if th else None, "number", fmt)
        series_rows.append((ind, result_row, target_row))
        row = _comparator_rows(sheet, report, ind, target_row, months, fmt)
    chart_top = row + 3
    for k, (ind, result_row, target_row) in enumerate(series_rows):
        anchor_row = chart_top + (k // CHARTS_PER_ROW) * CHART_ROWS
        anchor_col = 1 + (k % CHARTS_PER_ROW) * CHART_COLS if k % CHARTS_PER_ROW == 0 else 4
        sheet.charts.append(Chart(
            title=f"{ind.ref}. {ind.name}"[:80], series_rows=(result_row, target_row), title_col=4,
            first_col=FIRST_MONTH_COL, last_col=last_col, category_row=HEADER_ROW,
            anchor=f"{column_letter(anchor_col)}{anchor_row}",
            y_title="%" if ind.measure == "percent" else ""))
    return sheet


def _published_months(report: MonthReport) -> list[str]:
    """The published trend table's columns: each earlier year's outturn month, then this year's."""
    start = report.month.year_start(report.rules.scorecard.year_start_month)
    outturn_month = (start - 1).month
    months = report.months_up_to_report()
    return ([m for m in months if m < str(start) and Month.parse(m).month == outturn_month]
            + [m for m in months if m >= str(start)])


def _month_header(report: MonthReport, month: str, published: bool) -> str:
    """``May12``; in the published style an earlier year's outturn month reads ``2016/17 outturn``."""
    start = report.month.year_start(report.rules.scorecard.year_start_month)
    if published and month < str(start):
        return f"{Month.parse(month).financial_year_label(report.rules.scorecard.year_start_month)} outturn"
    return Month.parse(month).label[:3] + month[2:4]


def _comparator_rows(sheet: SheetLayout, report: MonthReport, ind, row: int, months, fmt) -> int:
    """Beneath an indicator's result and target: one row per comparator, each figure in the
    column of the month its period ends (2016/17 under March 2017). Returns the last row."""
    table = report.data.comparators
    if table is None:
        return row
    sheet.widths[4] = 20    # the Series column names the comparators
    mine = table.frame[(table.frame["indicator"] == ind.id) & table.frame["end"].isin(months)]
    column = {month: FIRST_MONTH_COL + j for j, month in enumerate(months)}
    for name, figures in mine.groupby("comparator", sort=False):
        row += 1
        sheet.put_row(row, 1, (ind.id, ind.ref, ind.name, name), "cell")
        for end, value in zip(figures["end"], figures["value"]):
            sheet.put(row, column[end], plain_number(value), "number", fmt)
    return row

"""The Trend sheet: each indicator's results and target across the months available.

Printed, it reads as one band per indicator: its own header row of months, the
result and target rows, and its line chart anchored in the rows below them,
two bands to a page with a manual page break between, so no chart or title
crosses a page edge and nothing is repeated over a chart.
"""

from __future__ import annotations

from ..core.month_report import MonthReport
from ..core.periods import Month
from .charts import axis_for, wrapped_title
from .model import Chart, SheetLayout, column_letter, number_format, plain_number, wrapped_height

SHEET = "Trend"
HEADER_ROW = 3                      # the first band's header row
FIRST_MONTH_COL = 5
CHART_ROWS, ROW_POINTS = 12, 15     # the chart's rows below each band's table
CHART_WIDTH_CM, CHART_HEIGHT_CM = 16.0, 6.0
BANDS_PER_PAGE = 2
NAME_CHARS_PER_LINE = 48


def trend_sheet(report: MonthReport) -> SheetLayout:
    months = report.months_up_to_report()
    sheet = SheetLayout(SHEET, widths={1: 8, 2: 6, 3: 44, 4: 8}, freeze=(1, FIRST_MONTH_COL),
                        landscape=False, center_horizontally=True)
    sheet.put(1, 1, f"Trend to {report.month.label}", "title")
    labels = [Month.parse(month).label[:3] + month[2:4] for month in months]
    for j in range(len(months)):
        sheet.widths[FIRST_MONTH_COL + j] = 9
    last_col = FIRST_MONTH_COL + len(months) - 1
    values = report.figures.values
    row = HEADER_ROW
    for k, ind in enumerate(report.rules.indicators):
        if k and k % BANDS_PER_PAGE == 0:
            sheet.row_breaks.append(row - 1)
        fmt = number_format(ind.measure, ind.decimals)
        header_row, result_row, target_row = row, row + 1, row + 2
        sheet.put_row(header_row, 1, ("ID", "Ref", "Indicator", "Series", *labels), "header")
        sheet.put_row(result_row, 1, (ind.id, ind.ref, ind.name, "Result"), "cell")
        sheet.put_row(target_row, 1, (ind.id, ind.ref, "", "Target"), "cell")
        sheet.heights[result_row] = wrapped_height(ind.name, NAME_CHARS_PER_LINE) or ROW_POINTS
        results, targets = [], []
        for j, month in enumerate(months):
            th = ind.threshold_for(Month.parse(month))
            results.append(plain_number(values.at[ind.id, month]))
            targets.append(th.target if th else None)
            sheet.put(result_row, FIRST_MONTH_COL + j, results[-1], "number", fmt)
            sheet.put(target_row, FIRST_MONTH_COL + j, targets[-1], "number", fmt)
        for chart_row in range(target_row + 1, target_row + 1 + CHART_ROWS):
            sheet.heights[chart_row] = ROW_POINTS
        sheet.charts.append(Chart(
            title=wrapped_title(f"{ind.ref}. {ind.name}" if ind.ref else ind.name),
            series_rows=(result_row, target_row), title_col=4, first_col=FIRST_MONTH_COL,
            last_col=last_col, category_row=header_row, anchor=f"{column_letter(2)}{target_row + 2}",
            y_title="%" if ind.measure == "percent" else "", width=CHART_WIDTH_CM,
            height=CHART_HEIGHT_CM, **axis_for(results + targets, ind.measure, ind.decimals)))
        row = target_row + CHART_ROWS + 2
    return sheet

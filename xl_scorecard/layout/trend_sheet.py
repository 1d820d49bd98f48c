"""The Trend sheet: each indicator's results and target across the months available.

Printed, it reads as one band per indicator: its own header row of months, the
result and target rows, and its line chart anchored in the rows below them,
as many bands to a page as fit at the scale fit-to-width prints at, with a
manual page break between pages, so no chart or title crosses a page edge and
nothing is repeated over a chart.
"""

from __future__ import annotations

import math

from ..core.month_report import MonthReport
from .charts import axis_for, wrapped_title
from .model import Chart, SheetLayout, column_letter, number_format, plain_number, wrapped_height

SHEET = "Trend"
HEADER_ROW = 3                      # the first band's header row
FIRST_MONTH_COL = 5
ROW_POINTS = 15
PRINTED_CHART_CM = (18.0, 4.0)      # width, height of each chart on the printed page
PRINTABLE_WIDTH_CM = 26.5           # A4 landscape inside the margins
CM_PER_WIDTH_UNIT = 0.19            # one unit of Excel column width, printed at 100%
PRINTABLE_POINTS = 440               # A4 landscape between the margins, less the sheet title
NAME_CHARS_PER_LINE = 48
FIXED_WIDTHS = {1: 8, 2: 6, 3: 44, 4: 8}
MONTH_WIDTH = 9


def print_scale(months: int) -> float:
    """The scale fit-to-width will print at: the month columns make the table wider."""
    width_cm = (sum(FIXED_WIDTHS.values()) + MONTH_WIDTH * months) * CM_PER_WIDTH_UNIT
    return min(1.0, PRINTABLE_WIDTH_CM / width_cm)


def trend_sheet(report: MonthReport) -> SheetLayout:
    months = report.months_up_to_report()
    sheet = SheetLayout(SHEET, widths=dict(FIXED_WIDTHS), freeze=(1, FIRST_MONTH_COL),
                        center_horizontally=True)
    # Charts are sized in the sheet, so a wide table (printed smaller) gets larger charts:
    # every chart prints at PRINTED_CHART_CM whatever the number of months.
    scale = print_scale(len(months))
    chart_width, chart_height = (size / scale for size in PRINTED_CHART_CM)
    chart_rows = math.ceil(chart_height / 2.54 * 72 / ROW_POINTS) + 1
    band_points = (4 + chart_rows) * ROW_POINTS + 15  # header, result (two lines), target, chart, gap
    bands_per_page = max(1, int(PRINTABLE_POINTS // (band_points * scale)))
    sheet.put(1, 1, f"Trend to {report.month.label}", "title")
    labels = [month.short_label for month in months]
    for j in range(len(months)):
        sheet.widths[FIRST_MONTH_COL + j] = MONTH_WIDTH
    last_col = FIRST_MONTH_COL + len(months) - 1
    values = report.figures.values.loc[:, months].to_numpy().tolist()  # one row per indicator
    row = HEADER_ROW
    for k, (ind, row_values) in enumerate(zip(report.rules.indicators, values)):
        if k and k % bands_per_page == 0:
            sheet.row_breaks.append(row - 1)
        fmt = number_format(ind.measure, ind.decimals)
        header_row, result_row, target_row = row, row + 1, row + 2
        sheet.put_row(header_row, 1, ("ID", "Ref", "Indicator", "Series", *labels), "header")
        sheet.put_row(result_row, 1, (ind.id, ind.ref, ind.name, "Result"), "cell")
        sheet.put_row(target_row, 1, (ind.id, ind.ref, "", "Target"), "cell")
        sheet.heights[result_row] = wrapped_height(ind.name, NAME_CHARS_PER_LINE) or ROW_POINTS
        results, targets = [], []
        for j, month in enumerate(months):
            th = ind.threshold_for(month)
            results.append(plain_number(row_values[j]))
            targets.append(th.target if th else None)
            sheet.put(result_row, FIRST_MONTH_COL + j, results[-1], "number", fmt)
            sheet.put(target_row, FIRST_MONTH_COL + j, targets[-1], "number", fmt)
        for chart_row in range(target_row + 1, target_row + 1 + chart_rows):
            sheet.heights[chart_row] = ROW_POINTS
        sheet.charts.append(Chart(
            title=wrapped_title(f"{ind.ref}. {ind.name}" if ind.ref else ind.name),
            series_rows=(result_row, target_row), title_col=4, first_col=FIRST_MONTH_COL,
            last_col=last_col, category_row=header_row, anchor=f"{column_letter(2)}{target_row + 2}",
            y_title="%" if ind.measure == "percent" else "", width=chart_width,
            height=chart_height, **axis_for(results + targets, ind.measure, ind.decimals)))
        row = target_row + chart_rows + 2
    return sheet

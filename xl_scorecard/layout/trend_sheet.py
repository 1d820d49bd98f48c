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
    months = report.months_up_to_report()
    sheet = SheetLayout(SHEET, widths={1: 8, 2: 6, 3: 44, 4: 8},
                        freeze=(HEADER_ROW + 1, FIRST_MONTH_COL), repeat_rows=(HEADER_ROW, HEADER_ROW))
    sheet.put(1, 1, f"Trend to {report.month.label}", "title")
    sheet.put_row(HEADER_ROW, 1, ("ID", "Ref", "Indicator", "Series"), "header")
    parsed = [Month.parse(month) for month in months]
    for j, (month, m) in enumerate(zip(months, parsed)):
        sheet.put(HEADER_ROW, FIRST_MONTH_COL + j, m.label[:3] + month[2:4], "header")
        sheet.widths[FIRST_MONTH_COL + j] = 9
    last_col = FIRST_MONTH_COL + len(months) - 1
    values = report.figures.values.loc[:, months].to_numpy().tolist()  # one row per indicator
    row = HEADER_ROW
    series_rows = []
    for ind, results in zip(report.rules.indicators, values):
        fmt = number_format(ind.measure, ind.decimals)
        result_row, target_row = row + 1, row + 2
        sheet.put_row(result_row, 1, (ind.id, ind.ref, ind.name, "Result"), "cell")
        sheet.put_row(target_row, 1, (ind.id, ind.ref, ind.name, "Target"), "cell")
        for j, (m, value) in enumerate(zip(parsed, results)):
            th = ind.threshold_for(m)
            sheet.put(result_row, FIRST_MONTH_COL + j, plain_number(value), "number", fmt)
            sheet.put(target_row, FIRST_MONTH_COL + j, th.target if th else None, "number", fmt)
        series_rows.append((ind, result_row, target_row))
        row = target_row
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

"""The Trend sheet: each indicator's results and target across the months available.

Printed, it reads as one band per indicator: its own header row of months, the
result and target rows (then a row per comparator, when a comparator table is given),
and its line chart anchored in the rows below them,
as many bands to a page as fit at the scale fit-to-width prints at, with a
manual page break between pages, so no chart or title crosses a page edge and
nothing is repeated over a chart.
"""

from __future__ import annotations

import math

from ..core.month_report import MonthReport
from ..core.periods import Month
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
SERIES_WIDTH_WITH_COMPARATORS = 20  # the Series column names the comparators
TARGET_WIDTH = 10                   # the published style's "Target 2017/18" column


def print_scale(months: int, extra_width: float = 0) -> float:
    """The scale fit-to-width will print at: the month columns make the table wider
    (``extra_width``: further column-width units, e.g. a wider Series column)."""
    width_cm = (sum(FIXED_WIDTHS.values()) + MONTH_WIDTH * months + extra_width) * CM_PER_WIDTH_UNIT
    return min(1.0, PRINTABLE_WIDTH_CM / width_cm)


def trend_sheet(report: MonthReport) -> SheetLayout:
    card = report.rules.scorecard
    published = card.trend_style == "published"
    months = _published_months(report) if published else report.months_up_to_report()
    comparators = _comparators_by_indicator(report, months)
    sheet = SheetLayout(SHEET, widths=dict(FIXED_WIDTHS), freeze=(1, FIRST_MONTH_COL),
                        center_horizontally=True)
    extra_width = TARGET_WIDTH if published else 0
    if any(comparators.values()):
        sheet.widths[4] = SERIES_WIDTH_WITH_COMPARATORS
        extra_width += SERIES_WIDTH_WITH_COMPARATORS - FIXED_WIDTHS[4]
    # Charts are sized in the sheet, so a wide table (printed smaller) gets larger charts:
    # every chart prints at PRINTED_CHART_CM whatever the number of months.
    scale = print_scale(len(months), extra_width)
    chart_width, chart_height = (size / scale for size in PRINTED_CHART_CM)
    chart_rows = math.ceil(chart_height / 2.54 * 72 / ROW_POINTS) + 1
    most_comparators = max((len(rows) for rows in comparators.values()), default=0)
    # header, result (two lines), target, comparators, chart, gap
    band_points = (4 + most_comparators + chart_rows) * ROW_POINTS + 15
    bands_per_page = max(1, int(PRINTABLE_POINTS // (band_points * scale)))
    sheet.put(1, 1, f"Trend to {report.month.label}", "title")
    labels = [_month_header(report, month, published) for month in months]
    for j in range(len(months)):
        sheet.widths[FIRST_MONTH_COL + j] = MONTH_WIDTH
    last_col = FIRST_MONTH_COL + len(months) - 1
    year_label = report.month.financial_year_label(card.year_start_month)
    if published:
        labels.append(f"Target {year_label}")
        sheet.widths[last_col + 1] = TARGET_WIDTH
    values = report.figures.values.loc[:, months].to_numpy().tolist()  # one row per indicator
    row = HEADER_ROW
    for k, (ind, row_values) in enumerate(zip(report.rules.indicators, values)):
        if k and k % bands_per_page == 0:
            sheet.row_breaks.append(row - 1)
        fmt = number_format(ind.measure, ind.decimals)
        header_row, result_row, target_row = row, row + 1, row + 2
        sheet.put_row(header_row, 1, ("ID", "Ref", "Indicator", "Series", *labels), "header")
        if published:
            sheet.heights[header_row] = 30
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
        if published:
            th = ind.threshold_for(report.month)
            sheet.put(result_row, last_col + 1, th.target if th else None, "number", fmt)
        last_row = _comparator_rows(sheet, ind, target_row, comparators[ind.id], fmt)
        for chart_row in range(last_row + 1, last_row + 1 + chart_rows):
            sheet.heights[chart_row] = ROW_POINTS
        sheet.charts.append(Chart(
            title=wrapped_title(f"{ind.ref}. {ind.name}" if ind.ref else ind.name),
            series_rows=(result_row, target_row), title_col=4, first_col=FIRST_MONTH_COL,
            last_col=last_col, category_row=header_row, anchor=f"{column_letter(2)}{last_row + 2}",
            y_title="%" if ind.measure == "percent" else "", width=chart_width,
            height=chart_height, **axis_for(results + targets, ind.measure, ind.decimals)))
        row = last_row + chart_rows + 2
    return sheet


def _published_months(report: MonthReport) -> list[Month]:
    """The published trend table's columns: each earlier year's outturn month, then this year's."""
    start = report.month.year_start(report.rules.scorecard.year_start_month)
    outturn_month = (start - 1).month
    months = report.months_up_to_report()
    return ([m for m in months if m < start and m.month == outturn_month]
            + [m for m in months if m >= start])


def _month_header(report: MonthReport, month: Month, published: bool) -> str:
    """``May12``; in the published style an earlier year's outturn month reads ``2016/17 outturn``."""
    year_start = report.rules.scorecard.year_start_month
    if published and month < report.month.year_start(year_start):
        return f"{month.financial_year_label(year_start)} outturn"
    return month.short_label


def _comparators_by_indicator(report: MonthReport, months: list[Month]) -> dict[str, list]:
    """Per indicator: (comparator, [(column, value)]) for each comparator with a figure whose
    period ends in one of the sheet's months (2016/17 under March 2017)."""
    out: dict[str, list] = {ind.id: [] for ind in report.rules.indicators}
    table = report.data.comparators
    if table is None:
        return out
    column = {str(month): FIRST_MONTH_COL + j for j, month in enumerate(months)}  # ends are text
    shown = table.frame[table.frame["end"].isin(list(column))]
    for (ident, name), figures in shown.groupby(["indicator", "comparator"], sort=False):
        if ident in out:
            out[ident].append((name, [(column[end], value)
                                      for end, value in zip(figures["end"], figures["value"])]))
    return out


def _comparator_rows(sheet: SheetLayout, ind, row: int, comparators: list, fmt: str) -> int:
    """Beneath an indicator's result and target: one row per comparator. Returns the last row."""
    for name, figures in comparators:
        row += 1
        sheet.put_row(row, 1, (ind.id, ind.ref, "", name), "cell")
        for col, value in figures:
            sheet.put(row, col, plain_number(value), "number", fmt)
    return row

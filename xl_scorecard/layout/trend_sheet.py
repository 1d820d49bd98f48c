"""The Trend sheet: each indicator's results and target across the months available (or the
last ``scorecard.trend_months`` of them).

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
from ..core.frequency import as_at_label
from .charts import axis_for, wrapped_title
from .model import (Chart, FigureRows, SheetLayout, column_letter, number_format, plain_number,
                    wrapped_height)

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
    every = report.charted_months()
    # each band has its own header row: in the published style its columns follow the
    # indicator's own year (an academic-year measure shows its Augusts and this September on)
    columns = {ind.id: _published_months(report, ind) if published else every
               for ind in report.rules.indicators}
    comparators = _comparators_by_indicator(report, columns)
    sheet = SheetLayout(SHEET, widths=dict(FIXED_WIDTHS), freeze=(1, FIRST_MONTH_COL),
                        center_horizontally=True)
    extra_width = TARGET_WIDTH if published else 0
    if any(comparators.values()):
        sheet.widths[4] = SERIES_WIDTH_WITH_COMPARATORS
        extra_width += SERIES_WIDTH_WITH_COMPARATORS - FIXED_WIDTHS[4]
    widest = max((len(months) for months in columns.values()), default=0)
    # Charts are sized in the sheet, so a wide table (printed smaller) gets larger charts:
    # every chart prints at PRINTED_CHART_CM whatever the number of months.
    scale = print_scale(widest, extra_width)
    chart_width, chart_height = (size / scale for size in PRINTED_CHART_CM)
    chart_rows = math.ceil(chart_height / 2.54 * 72 / ROW_POINTS) + 1
    most_comparators = max((len(rows) for rows in comparators.values()), default=0)
    # header, result (two lines), target, comparators, chart, gap
    band_points = (4 + most_comparators + chart_rows) * ROW_POINTS + 15
    if published:       # the published style's taller header rows (see _header_points)
        band_points += max((_header_points(report, ind) for ind in report.rules.indicators),
                           default=ROW_POINTS) - ROW_POINTS
    bands_per_page = max(1, int(PRINTABLE_POINTS // (band_points * scale)))
    sheet.put(1, 1, f"Trend to {report.month.label}", "title")
    for j in range(widest):
        sheet.widths[FIRST_MONTH_COL + j] = MONTH_WIDTH
    if published:
        sheet.widths[FIRST_MONTH_COL + widest] = TARGET_WIDTH
    figures = FigureRows(report.figures.values)
    row = HEADER_ROW
    for k, ind in enumerate(report.rules.indicators):
        if k and k % bands_per_page == 0:
            sheet.row_breaks.append(row - 1)
        months = columns[ind.id]
        year_start = ind.year_start(card.year_start_month)
        labels = [_month_header(report, ind, month, published) for month in months]
        last_col = FIRST_MONTH_COL + len(months) - 1
        if published:
            labels.append(f"Target {as_at_label(report.month, 'annual', year_start)}")
        row_values = figures.row(ind.id, months)
        fmt = number_format(ind.measure, ind.decimals)
        header_row, result_row, target_row = row, row + 1, row + 2
        sheet.put_row(header_row, 1, ("ID", "Ref", "Indicator", "Series", *labels), "header")
        if published:
            sheet.heights[header_row] = _header_points(report, ind)
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
            last_col=max(last_col, FIRST_MONTH_COL), category_row=header_row,
            anchor=f"{column_letter(2)}{last_row + 2}",
            y_title="%" if ind.measure == "percent" else "", width=chart_width,
            height=chart_height, **axis_for(results + targets, ind.measure, ind.decimals)))
        row = last_row + chart_rows + 2
    return sheet


def _published_months(report: MonthReport, ind) -> list[Month]:
    """The published trend table's columns for one indicator, in its own year
    (``year_start_month``): each earlier year's outturn month (its year's last), then this
    year's months up to the report month; a quarterly indicator shows this year's quarter
    ends, an annual one its outturns only (its year's figure is the next outturn)."""
    year_start = ind.year_start(report.rules.scorecard.year_start_month)
    start = report.month.year_start(year_start)
    outturn_month = (start - 1).month
    months = report.months_up_to_report()
    this_year = [m for m in months if m >= start]
    frequency = getattr(ind, "frequency", "monthly")
    if frequency == "quarterly":
        this_year = [m for m in this_year if (m.month - year_start) % 3 == 2]
    elif frequency == "annual":
        this_year = []
    return [m for m in months if m < start and m.month == outturn_month] + this_year


def _header_points(report: MonthReport, ind) -> int:
    """Height of a published-style header row: "2016/17 (academic year) outturn" wraps to
    four lines, "2016/17 outturn" to two."""
    year_start = ind.year_start(report.rules.scorecard.year_start_month)
    return 30 if year_start in (1, 4) else 54


def _month_header(report: MonthReport, ind, month: Month, published: bool) -> str:
    """``May12``; in the published style an earlier year's outturn month reads ``2016/17 outturn``
    (``2016/17 (academic year) outturn`` for a September year) and a quarterly indicator's
    quarter ``Q1 2017/18``."""
    if not published:
        return month.short_label
    year_start = ind.year_start(report.rules.scorecard.year_start_month)
    if month < report.month.year_start(year_start):
        return f"{as_at_label(month, 'annual', year_start)} outturn"
    if getattr(ind, "frequency", "monthly") == "quarterly":
        return as_at_label(month, "quarterly", year_start)
    return month.short_label


def _comparators_by_indicator(report: MonthReport, columns: dict[str, list[Month]]) -> dict[str, list]:
    """Per indicator: (comparator, [(column, value)]) for each comparator with a figure whose
    period ends in one of that indicator's columns (2016/17 under March 2017)."""
    out: dict[str, list] = {ind.id: [] for ind in report.rules.indicators}
    table = report.data.comparators
    if table is None:
        return out
    frame = table.frame
    for (ident, name), figures in frame.groupby(["indicator", "comparator"], sort=False):
        if ident not in out:
            continue
        column = {str(month): FIRST_MONTH_COL + j for j, month in enumerate(columns[ident])}
        shown = [(column[end], value) for end, value in zip(figures["end"], figures["value"])
                 if end in column]                                    # ends are text
        if shown:
            out[ident].append((name, shown))
    return out


def _comparator_rows(sheet: SheetLayout, ind, row: int, comparators: list, fmt: str) -> int:
    """Beneath an indicator's result and target: one row per comparator. Returns the last row."""
    for name, figures in comparators:
        row += 1
        sheet.put_row(row, 1, (ind.id, ind.ref, "", name), "cell")
        for col, value in figures:
            sheet.put(row, col, plain_number(value), "number", fmt)
    return row

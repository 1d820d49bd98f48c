"""The Exceptions sheet: one block per Red indicator (then per lead indicator outside its
expected range), each on its own page.

A block is the indicator's heading, its trend table (the last four periods),
a native line chart beside the table (result and target over every month
available, or the last ``scorecard.trend_months``; its figures sit in columns beyond the
print area), the data notes,
the comparators (when the results carry them) and the officer's commentary.
A manual page break follows each block.
"""

from __future__ import annotations

from ..core.comparators import comparison_sentence
from ..core.month_report import MonthReport
from ..core.notes import data_notes
from .charts import axis_for
from .model import (Chart, FigureRows, SheetLayout, column_letter, number_format, plain_number, range_style,
                    records_of, row_type_of, wrapped_height)

SHEET = "Exceptions"
ID_COL = 6
CHART_COL = 5
SERIES_COL = 8                       # chart figures: series names here, months from the next column
COMMENTARY_LABEL = "Commentary"
CHART_WIDTH_CM, CHART_HEIGHT_CM = 12.5, 7.0
CHART_POINTS = CHART_HEIGHT_CM / 2.54 * 72 + 8
HEADER_POINTS, TREND_POINTS = 20, 18
NOTES_CHARS_PER_LINE = 105
COMPARATOR_CHARS_PER_LINE = 95


def red_count_sentence(n: int) -> str:
    """``12 indicators are rated Red.``, ``1 indicator is rated Red.``"""
    return f"{n} indicator is rated Red." if n == 1 else f"{n} indicators are rated Red."


def lead_count_sentence(n: int) -> str:
    """``2 lead indicators are outside their expected range.``, ``1 lead indicator is ... its ...``"""
    if n == 1:
        return "1 lead indicator is outside its expected range."
    return f"{n} lead indicators are outside their expected range."


def exceptions_sheet(report: MonthReport) -> SheetLayout:
    sheet = SheetLayout(SHEET, widths={1: 16, 2: 12, 3: 12, 4: 9, 5: 64, 6: 10, SERIES_COL: 8},
                        landscape=False, print_cols=ID_COL - 1, fit_width=True,
                        center_horizontally=True)
    sheet.put(1, 1, f"Exception report: {report.month.label}", "title")
    records = records_of(report.results)   # one read of the frame, then plain Python
    red_count = sum(record["rag"] == "Red" for record in records)
    outside_count = sum(_outside_range(record) for record in records)
    if not red_count and not outside_count:
        sheet.put(3, 1, "No indicators are rated Red this month.", "muted")
        return sheet
    lead = f" {lead_count_sentence(outside_count)}" if outside_count else ""
    sheet.put(2, 1, f"{red_count_sentence(red_count)}{lead} Officers' commentary is kept when the "
                    "workbook is regenerated.", "muted")
    shown = [record for record in records if record["rag"] == "Red" or _outside_range(record)]
    sheet.merges.append((2, 1, 2, ID_COL - 1))
    all_months = report.charted_months()
    months = report.trend_window()
    history = {month: _by_id(report.results_for(month)) for month in months}
    figures = FigureRows(report.figures.values)
    row = 3
    row_type = row_type_of(report.results)
    for record in shown:                     # the record keeps the cmp: columns by name
        r = row_type._make(record.values())
        if row > 3:
            sheet.row_breaks.append(row)
        row = _block(sheet, row + 1, report, r, months, all_months, history, record, figures)
    return sheet


def _block(sheet: SheetLayout, row: int, report: MonthReport, r, months, all_months,
           history, record: dict, figures: FigureRows) -> int:
    """Write one indicator's block from ``row``; the last row it uses. ``record`` is its
    results row as a dict (with any ``cmp:`` comparator columns)."""
    indicator = report.rules[r.id]
    fmt = number_format(indicator.measure, indicator.decimals)
    heading = row
    sheet.put(heading, 1, f"{r.ref}. {r.name}" if r.ref else r.name, "section")
    for col in range(2, ID_COL):
        sheet.put(heading, col, None, "section")
    sheet.merges.append((heading, 1, heading, ID_COL - 1))
    sheet.put(heading, ID_COL, r.id, "id")
    row += 1
    sheet.put_row(row, 1, ("Period", "Result", "Target", "RAG"), "header")
    sheet.heights[row] = HEADER_POINTS
    first_trend_row = row + 1
    for month in months:
        value, target, rag = history[month][r.id]
        row += 1
        sheet.put(row, 1, month.label, "cell")
        sheet.put(row, 2, plain_number(value), "number", fmt)
        sheet.put(row, 3, plain_number(target), "number", fmt)
        sheet.put(row, 4, rag, "rag" if rag in ("Green", "Amber", "Red", "") else range_style(rag))
        sheet.heights[row] = TREND_POINTS
    sheet.rag_ranges.append((first_trend_row, 4, row, 4))
    row += 1  # room beside the table for the chart
    sheet.heights[row] = max(4, CHART_POINTS - HEADER_POINTS - TREND_POINTS * len(months))
    _chart(sheet, heading, figures, indicator, all_months, fmt)
    row += 1
    notes = data_notes(indicator, indicator.threshold_for(report.month),
                       getattr(r, "range_status", ""))
    sheet.put(row, 1, "Data notes", "label")
    sheet.put(row, 2, notes, "wrap")
    sheet.merges.append((row, 2, row, ID_COL - 1))
    sheet.heights[row] = wrapped_height(notes, NOTES_CHARS_PER_LINE) or 16
    compared = comparison_sentence(record, indicator.measure, indicator.decimals)
    if compared:
        row += 1
        text = f"The latest result, {r.display}, {compared}."
        sheet.put(row, 1, "Comparators", "label")
        sheet.put(row, 2, text, "wrap")
        sheet.merges.append((row, 2, row, ID_COL - 1))
        sheet.heights[row] = wrapped_height(text, COMPARATOR_CHARS_PER_LINE) or 16
    row += 1
    sheet.put(row, 1, COMMENTARY_LABEL, "label")
    sheet.put(row, 2, None, "commentary")
    for col in range(3, ID_COL):
        sheet.put(row, col, None, "commentary")
    sheet.merges.append((row, 2, row, ID_COL - 1))
    sheet.heights[row] = 200
    sheet.commentary[r.id] = (row, 2)
    return row + 1


def _chart(sheet: SheetLayout, heading: int, figures: FigureRows, indicator, all_months,
           fmt: str) -> None:
    """Result and target over the charted months (every month available, or the last
    ``scorecard.trend_months``), beside the block's trend table."""
    values = [plain_number(x) for x in figures.row(indicator.id, all_months)]
    targets = []
    for month in all_months:
        threshold = indicator.threshold_for(month)
        targets.append(threshold.target if threshold else None)
    first = SERIES_COL + 1
    sheet.put(heading + 1, SERIES_COL, "Result", "text")
    sheet.put(heading + 2, SERIES_COL, "Target", "text")
    for j, month in enumerate(all_months):
        sheet.put(heading, first + j, month.label[:3] + " " + str(month)[2:4], "text")
        sheet.put(heading + 1, first + j, values[j], "text", fmt)
        sheet.put(heading + 2, first + j, plain_number(targets[j]), "text", fmt)
    sheet.charts.append(Chart(
        title="", title_col=SERIES_COL,
        series_rows=(heading + 1, heading + 2), first_col=first,
        last_col=first + len(all_months) - 1, category_row=heading,
        anchor=f"{column_letter(CHART_COL)}{heading + 1}", width=CHART_WIDTH_CM,
        height=CHART_HEIGHT_CM, **axis_for(values + targets, indicator.measure, indicator.decimals)))


def _outside_range(record: dict) -> bool:
    """An unrated lead indicator above or below its expected range."""
    return record["rag"] == "" and record.get("range_status") in ("Above", "Below")


def _by_id(results) -> dict[str, tuple]:
    """id -> (value, target, rag) of one month's results, looked up without pandas per row
    (a lead indicator shows its range status instead of a rating)."""
    rated = results["rag"].tolist()
    if "range_status" in results.columns:
        rated = [rag or status for rag, status in zip(rated, results["range_status"].tolist())]
    return dict(zip(results["id"].tolist(), zip(results["value"].tolist(),
                                                results["target"].tolist(), rated)))

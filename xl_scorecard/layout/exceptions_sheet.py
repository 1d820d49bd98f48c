"""The Exceptions sheet: one block per Red indicator with its trend, notes and commentary."""

from __future__ import annotations

from ..core.month_report import MonthReport
from ..core.notes import data_notes
from ..core.periods import Month
from .model import SheetLayout, number_format, plain_number, rows_of

SHEET = "Exceptions"
ID_COL = 6
COMMENTARY_LABEL = "Commentary"


def exceptions_sheet(report: MonthReport) -> SheetLayout:
    sheet = SheetLayout(SHEET, widths={1: 16, 2: 14, 3: 14, 4: 10, 5: 40, 6: 10}, landscape=False,
                        print_cols=ID_COL - 1)
    sheet.put(1, 1, f"Exception report: {report.month.label}", "title")
    red = report.results[report.results["rag"] == "Red"]
    if red.empty:
        sheet.put(3, 1, "No indicators are rated Red this month.", "muted")
        return sheet
    sheet.put(2, 1, f"{len(red)} indicator(s) rated Red. Officers' commentary is kept when the "
                    "workbook is regenerated.", "muted")
    sheet.merges.append((2, 1, 2, ID_COL - 1))
    months = report.trend_window()
    history = {month: _by_id(report.results_for(month)) for month in months}
    row = 3
    for r in rows_of(red):
        row += 1
        indicator = report.rules[r.id]
        sheet.put(row, 1, f"{r.ref}. {r.name}" if r.ref else r.name, "section")
        for col in range(2, ID_COL):
            sheet.put(row, col, None, "section")
        sheet.merges.append((row, 1, row, ID_COL - 1))
        sheet.put(row, ID_COL, r.id, "id")
        row += 1
        sheet.put_row(row, 1, ("Period", "Result", "Target", "RAG"), "header")
        first_trend_row = row + 1
        fmt = number_format(indicator.measure, indicator.decimals)
        for month in months:
            value, target, rag = history[month][r.id]
            row += 1
            sheet.put(row, 1, Month.parse(month).label, "cell")
            sheet.put(row, 2, plain_number(value), "number", fmt)
            sheet.put(row, 3, plain_number(target), "number", fmt)
            sheet.put(row, 4, rag, "rag")
        sheet.rag_ranges.append((first_trend_row, 4, row, 4))
        row += 1
        sheet.put(row, 1, "Data notes", "label")
        sheet.put(row, 2, data_notes(indicator, indicator.threshold_for(report.month)), "wrap")
        sheet.merges.append((row, 2, row, ID_COL - 1))
        sheet.heights[row] = 54
        row += 1
        sheet.put(row, 1, COMMENTARY_LABEL, "label")
        sheet.put(row, 2, None, "commentary")
        for col in range(3, ID_COL):
            sheet.put(row, col, None, "commentary")
        sheet.merges.append((row, 2, row, ID_COL - 1))
        sheet.heights[row] = 80
        sheet.commentary[r.id] = (row, 2)
        row += 1
    return sheet


def _by_id(results) -> dict[str, tuple]:
    """id -> (value, target, rag) of one month's results, looked up without pandas per row."""
    return dict(zip(results["id"], zip(results["value"].tolist(), results["target"].tolist(),
                                       results["rag"].tolist())))

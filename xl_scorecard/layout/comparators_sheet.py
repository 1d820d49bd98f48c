"""The Comparators sheet: the comparator figures as given (indicator, comparator, period, value)."""

from __future__ import annotations

from ..core.month_report import MonthReport
from .model import SheetLayout, plain_number

SHEET = "Comparators"
COLUMNS = ("indicator", "comparator", "period", "value")


def comparators_sheet(report: MonthReport) -> SheetLayout | None:
    """The comparator table as an Excel table the refresh macro reads back; None without one."""
    table = report.data.comparators
    if table is None:
        return None
    frame = table.frame
    sheet = SheetLayout(SHEET, widths={1: 12, 2: 26, 3: 10, 4: 12}, freeze=(2, 1),
                        landscape=False, repeat_rows=(1, 1))
    sheet.put_row(1, 1, COLUMNS, "header")
    rows = zip(frame["indicator"], frame["comparator"], frame["period"], frame["value"])
    for i, (indicator, name, period, value) in enumerate(rows, start=2):
        sheet.put(i, 1, indicator)
        sheet.put(i, 2, name)
        sheet.put(i, 3, period)           # text: 2016/17 must never become a date or a sum
        sheet.put(i, 4, plain_number(value))
    sheet.table = ("ScorecardComparators", 1, 1, max(2, len(frame) + 1), len(COLUMNS))
    return sheet

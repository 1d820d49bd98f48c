"""The Data sheet: the input figures as an Excel table."""

from __future__ import annotations

from ..core.month_report import MonthReport
from .model import SheetLayout, plain_number

SHEET = "Data"
COLUMNS = ("indicator", "period", "numerator", "denominator", "value")


def data_sheet(report: MonthReport) -> SheetLayout:
    frame = report.data.frame.sort_values(["period", "indicator"], kind="stable")
    sheet = SheetLayout(SHEET, widths={1: 12, 2: 10, 3: 12, 4: 12, 5: 12}, freeze=(2, 1),
                        landscape=False, repeat_rows=(1, 1))
    flagged = "flag" in frame.columns and bool((frame["flag"] != "").any())
    columns = COLUMNS + ("flag",) if flagged else COLUMNS   # provisional / unavailable, when used
    sheet.put_row(1, 1, columns, "header")
    rows = zip(*(frame[c].tolist() for c in COLUMNS))
    for i, (indicator, period, num, den, value) in enumerate(rows, start=2):
        sheet.put(i, 1, indicator)
        sheet.put(i, 2, period)
        sheet.put(i, 3, plain_number(num))
        sheet.put(i, 4, plain_number(den))
        sheet.put(i, 5, plain_number(value))
    if flagged:
        for i, flag in enumerate(frame["flag"].tolist(), start=2):
            sheet.put(i, 6, flag or None)
    sheet.table = ("ScorecardData", 1, 1, max(2, len(frame) + 1), len(columns))
    return sheet

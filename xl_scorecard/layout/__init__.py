"""The scorecard workbook's sheets as plain values, for any writer (openpyxl or xlwings),
and the keeping of the analyst's commentary across a rebuild.

May import: ``core``. Never a writer, a face or ``inputs``.
"""

from __future__ import annotations

from ..core.month_report import MonthReport
from .data_sheet import ROWS as DATA_SHEET_ROWS
from .data_sheet import data_sheet
from .exceptions_sheet import exceptions_sheet
from .model import STYLES, Cell, Chart, SheetLayout, Style
from .rules_sheet import rules_sheet
from .scorecard import scorecard_sheet
from .summary_sheet import summary_sheet
from .trend_sheet import trend_sheet

OWNED_SHEETS = ("Scorecard", "Summary", "Exceptions", "Trend", "Data", "Rules")


def workbook_layout(report: MonthReport, live: bool = False,
                    data_sheet_rows: str = "shown") -> list[SheetLayout]:
    """Every sheet xl_scorecard owns, in workbook order; ``data_sheet_rows`` is ``"shown"``
    (the months the workbook shows) or ``"all"`` (every row of the data table)."""
    return [scorecard_sheet(report, live), summary_sheet(report), exceptions_sheet(report),
            trend_sheet(report), data_sheet(report, data_sheet_rows), rules_sheet(report)]


__all__ = ["DATA_SHEET_ROWS", "OWNED_SHEETS", "STYLES", "Cell", "Chart", "MonthReport", "SheetLayout", "Style",
           "workbook_layout"]

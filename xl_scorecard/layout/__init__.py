"""The scorecard workbook's sheets as plain values, for any writer (openpyxl or xlwings),
and the keeping of the analyst's commentary across a rebuild.

May import: ``core``. Never a writer, a face or ``inputs``.
"""

from __future__ import annotations

import datetime as dt

from ..core.month_report import MonthReport
from .comparators_sheet import SHEET as COMPARATORS_SHEET
from .comparators_sheet import comparators_sheet
from .data_sheet import SHEET as DATA_SHEET
from .data_sheet import ROWS as DATA_SHEET_ROWS
from .data_sheet import data_sheet
from .exceptions_sheet import SHEET as EXCEPTIONS_SHEET
from .exceptions_sheet import exceptions_sheet
from .model import PAGE_NUMBER, STYLES, Cell, Chart, SheetLayout, Style, header_text
from .rules_sheet import RULES_SHEET, rules_sheet
from .scorecard import MONTH_NAME, scorecard_sheet
from .scorecard import SHEET as SCORECARD_SHEET
from .summary_sheet import SHEET as SUMMARY_SHEET
from .summary_sheet import summary_sheet
from .trend_sheet import SHEET as TREND_SHEET
from .trend_sheet import trend_sheet

# the sheets a committee reads (the PDF, the macros' refresh), then every sheet we own (and the
# Comparators sheet, written only when there is a comparator table)
COMMITTEE_SHEETS = (SCORECARD_SHEET, SUMMARY_SHEET, EXCEPTIONS_SHEET)
OWNED_SHEETS = COMMITTEE_SHEETS + (TREND_SHEET, DATA_SHEET, RULES_SHEET)


def workbook_layout(report: MonthReport, live=None, produced: dt.date | None = None,
                    data_sheet_rows: str = "shown") -> list[SheetLayout]:
    """Every sheet xl_scorecard owns, in workbook order, each with its page header and footer
    (``live``: None, 'xlwings' or 'native'); ``data_sheet_rows`` is ``"shown"`` (the months
    the workbook shows) or ``"all"`` (every row of the data table)."""
    sheets = [scorecard_sheet(report, live), summary_sheet(report, live), exceptions_sheet(report),
              trend_sheet(report), data_sheet(report, data_sheet_rows), comparators_sheet(report),
              rules_sheet(report)]
    sheets = [sheet for sheet in sheets if sheet is not None]   # Comparators only when given
    for sheet in sheets:
        page_header(sheet, report, produced or dt.date.today())
    return sheets


def page_header(sheet: SheetLayout, report: MonthReport, produced: dt.date) -> None:
    """The council, scorecard title and month, "Page N of M" and the date produced."""
    card = report.rules.scorecard
    council = card.organisation or card.service  # short: the centred title needs the room
    title = f"{card.title}: {report.month.label}"
    sheet.header = (header_text(council), header_text(title), PAGE_NUMBER)
    sheet.footer = (header_text(f"Produced {produced.day} {produced:%B %Y}"), "",
                    header_text(sheet.name))


__all__ = ["COMMITTEE_SHEETS", "COMPARATORS_SHEET", "DATA_SHEET", "DATA_SHEET_ROWS", "MONTH_NAME",
           "OWNED_SHEETS", "STYLES", "Cell", "Chart",
           "MonthReport", "SheetLayout", "Style", "workbook_layout"]

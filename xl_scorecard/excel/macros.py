"""The Excel macros: refresh the scorecard, roll forward a month, check the rules.

Each macro is a plain function taking an ``xw.Book`` (desktop Excel through
RunPython, or Office.js through xlwings Server), so tests run them against
xlwings' remote engine. They compute through the same engine and write the
same layouts as the headless build; commentary typed in the Scorecard and
Exceptions sheets is kept. Input mistakes are shown to the user in an alert
and nothing is written.
"""

from __future__ import annotations

import os
from pathlib import Path

import pandas as pd

from ..core import rules_document
from ..core.errors import Problem, RulesError, ScorecardError, UsageError
from ..core.month_report import compute_report
from ..core.periods import Month
from ..core.rules import Rules
from ..inputs import sample
from ..inputs.data import check_table
from ..inputs.months_text import month_from_cell
from ..inputs.rules_file import load_rules
from ..inputs.rules_workbook import document_from_rows, rules_from_sheet_document
from ..layout import exceptions_sheet, scorecard_sheet, summary_sheet
from ..layout.commentary import apply_commentary, commentary_from_grids
from ..writers.xlwings_writer import render

MONTH_NAME = "ReportMonth"
CONF_SHEET = "xlwings.conf"
RULES_KEY = "SCORECARD_RULES"
DATA_SHEET = "Data"
CHECK_SHEET = "Rules check"
REFRESHED_SHEETS = ("Scorecard", "Summary", "Exceptions")


def refresh(book, month: Month | None = None) -> str:
    """Recompute the report month and rewrite the Scorecard, Summary and Exceptions sheets."""
    try:
        rules = workbook_rules(book)
        month = month or report_month(book)
        data = check_table(_sheet_frame(book, DATA_SHEET), rules, source=f"sheet '{DATA_SHEET}'",
                           first_row=2)
        report = compute_report(rules, data, month)
    except ScorecardError as exc:
        return _alert(book, exc)
    layouts = [scorecard_sheet(report), summary_sheet(report), exceptions_sheet(report)]
    kept = commentary_from_grids({name: _values(book, name) for name in REFRESHED_SHEETS
                                  if _has_sheet(book, name)})
    apply_commentary(layouts, kept)
    for layout in layouts:
        render(_sheet(book, layout.name), layout)
    s = report.summary
    return f"{month.label}: {s.green} Green, {s.amber} Amber, {s.red} Red"


def roll_forward(book) -> str:
    """Move the report month on by one and refresh."""
    try:
        month = report_month(book) + 1
    except ScorecardError as exc:
        return _alert(book, exc)
    _month_cell(book).value = str(month)
    return refresh(book, month)


def validate_rules(book) -> str:
    """Check the workbook's rules and list every problem in the 'Rules check' sheet."""
    try:
        rules = workbook_rules(book)
        rows = [["Where", "Problem"], ["", f"{rules.source}: valid, {len(rules.indicators)} indicators"]]
        verdict = "valid"
    except RulesError as exc:
        rows = [["Where", "Problem"]] + [[p.where, p.message] for p in exc.problems]
        verdict = f"{len(exc.problems)} problem(s)"
    sheet = _sheet(book, CHECK_SHEET)
    sheet.used_range.clear()
    sheet.range((1, 1)).value = rows
    sheet.range((1, 1), (1, 2)).font.bold = True
    return verdict


# --------------------------------------------------------------------------- reading the workbook

def report_month(book) -> Month:
    """The month in the cell named ReportMonth ('2012-05', a date, or a date serial)."""
    value = _month_cell(book).value
    try:
        return month_from_cell(value)
    except (TypeError, ValueError):
        raise UsageError(Problem(f"cell {MONTH_NAME}", f"{value!r} is not a month: type it as "
                                 "YYYY-MM, e.g. 2015-02")) from None


def workbook_rules(book) -> Rules:
    """The workbook's own rules.json sheet when it has one (xlwings Lite and Server can read
    nothing else), else the file in the xlwings.conf setting SCORECARD_RULES, else
    $XL_SCORECARD_RULES, else the bundled sample."""
    if _has_sheet(book, rules_document.SHEET_NAME):
        source = f"{book.name}: sheet '{rules_document.SHEET_NAME}'"
        document, cells = document_from_rows(_values(book, rules_document.SHEET_NAME), source)
        return rules_from_sheet_document(document, cells, source)
    setting = _conf(book).get(RULES_KEY) or os.environ.get("XL_SCORECARD_RULES")
    if not setting:
        return load_rules(sample.rules_path())
    path = Path(str(setting)).expanduser()
    if not path.is_absolute():
        folder = Path(book.fullname).parent if os.path.isabs(str(book.fullname)) else Path.cwd()
        path = folder / path
    return load_rules(path)


def _month_cell(book):
    try:
        return book.names[MONTH_NAME].refers_to_range
    except Exception:  # xlwings raises engine-specific errors for a missing name
        raise UsageError(Problem(f"workbook {book.name}", f"has no cell named {MONTH_NAME}: name "
                                 "the cell holding the report month (Formulas > Define Name)")) from None


def _conf(book) -> dict[str, str]:
    if not _has_sheet(book, CONF_SHEET):
        return {}
    rows = _values(book, CONF_SHEET)
    return {str(r[0]).strip(): r[1] for r in rows if r and len(r) > 1 and r[0] and r[1] is not None}


def _sheet_frame(book, name: str) -> pd.DataFrame:
    if not _has_sheet(book, name):
        raise UsageError(Problem(f"workbook {book.name}", f"has no sheet '{name}' with the data "
                                 "table (indicator, period, numerator, denominator, value)"))
    rows = _values(book, name)
    if not rows or not rows[0]:
        raise UsageError(Problem(f"sheet '{name}'", "is empty: it needs a header row and data rows"))
    header = ["" if h is None else str(h) for h in rows[0]]
    return pd.DataFrame([list(r) + [None] * (len(header) - len(r)) for r in rows[1:]],
                        columns=header, dtype=object)


def _values(book, name: str) -> list[list]:
    """A sheet's cells from A1 to the end of its used range, as rows."""
    used = book.sheets[name].used_range
    last_row, last_col = used.last_cell.row, used.last_cell.column
    values = book.sheets[name].range((1, 1), (last_row, last_col)).options(ndim=2).value
    return values or []


def _has_sheet(book, name: str) -> bool:
    return name in [s.name for s in book.sheets]


def _sheet(book, name: str):
    if _has_sheet(book, name):
        return book.sheets[name]
    return book.sheets.add(name, after=book.sheets[len(book.sheets) - 1])


def _alert(book, exc: ScorecardError) -> str:
    message = "\n".join(str(p) for p in exc.problems[:10])
    try:
        book.app.alert(message, title="xl_scorecard: nothing was changed")
    except Exception:  # an engine without alerts still gets the message back
        pass
    return message

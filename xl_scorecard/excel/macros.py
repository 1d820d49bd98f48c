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
from ..core.engine import compute_month
from ..core.errors import Problem, ScorecardError, UsageError, WorkbookError
from ..core.fill_plan import MapPlace, best_map, map_problems, plan_cells
from ..core.month_report import compute_report
from ..core.periods import Month
from ..core.rules import Rules
from ..inputs import sample
from ..inputs.comparators import check_comparators
from ..inputs.data import check_table
from ..inputs.months_text import LAST_YEAR, month_from_cell
from ..inputs.rules_file import load_rules
from ..core.workbook_map import match_rows, split_cell
from ..inputs.rules_workbook import document_from_rows, rules_from_sheet_document
from ..layout import (COMMITTEE_SHEETS, COMPARATORS_SHEET, DATA_SHEET, MONTH_NAME, exceptions_sheet,
                      scorecard_sheet, summary_sheet)
from ..layout.commentary import (SCORECARD, apply_commentary, commentary_from_grids,
                                 formula_or_value, refuse_unmatched_commentary)
from .rules_argument import workbook_rules_only
from .rules_location import RULES_ENV, confined_rules_path
from ..writers.xlwings_writer import render

CONF_SHEET = "xlwings.conf"
RULES_KEY = "SCORECARD_RULES"
CHECK_SHEET = "Rules check"


def refresh(book, month: Month | None = None) -> str:
    """Recompute the report month and rewrite the Scorecard, Summary and Exceptions sheets."""
    try:
        rules = workbook_rules(book)
        month = month or report_month(book)
        data = check_table(_sheet_frame(book, DATA_SHEET), rules, sheet=DATA_SHEET, first_row=2)
        if _has_sheet(book, COMPARATORS_SHEET):
            data.comparators = check_comparators(_sheet_frame(book, COMPARATORS_SHEET), rules,
                                                 sheet=COMPARATORS_SHEET)
        report = compute_report(rules, data, month)
        grids = {name: _values_and_formulas(book, name)
                 for name in COMMITTEE_SHEETS if _has_sheet(book, name)}
        refuse_unmatched_commentary(grids.get(SCORECARD), rules.ids, workbook=book.name)
    except ScorecardError as exc:
        return _alert(book, exc)
    layouts = [scorecard_sheet(report), summary_sheet(report), exceptions_sheet(report)]
    apply_commentary(layouts, commentary_from_grids(grids))
    for layout in layouts:
        render(_sheet(book, layout.name), layout)
    s = report.summary
    return f"{month.label}: {s.green} Green, {s.amber} Amber, {s.red} Red"


def roll_forward(book) -> str:
    """Move the report month on by one and refresh."""
    try:
        month = report_month(book) + 1
        if month.year > LAST_YEAR:
            raise UsageError(Problem(cell=MONTH_NAME, message=f"{month - 1} is the last month of the "
                                     "calendar: there is no month to roll forward to"))
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
    except ScorecardError as exc:  # invalid rules, or a setting pointing outside the allowed folders
        rows = [["Where", "Problem"]] + [[p.where, _short(p.message)] for p in exc.problems]
        verdict = f"{len(exc.problems)} problem(s)"
    sheet = _sheet(book, CHECK_SHEET)
    sheet.used_range.clear()
    sheet.range((1, 1)).value = rows
    sheet.range((1, 1), (1, 2)).font.bold = True
    return verdict


def fill(book, month: Month | None = None, overwrite_formulas: bool = False) -> str:
    """Write the month's results into the mapped cells of the analyst's own sheet, as
    ``xl-scorecard fill`` does: the same map, the same cells, the same values."""
    try:
        rules = workbook_rules(book)
        # like refresh, the data come from the workbook's Data sheet: a macro opens no data file
        data = check_table(_sheet_frame(book, DATA_SHEET), rules, source=f"sheet '{DATA_SHEET}'",
                           first_row=2)
        month = month or Month.parse(data.months[-1])  # as `fill`: the latest month in the data
        results = compute_month(rules, data, month)
        if rules.workbook is not None:
            mapping, place = rules.workbook, MapPlace(book.name, rules.source, open_book=True)
            if not _has_sheet(book, mapping.sheet):
                raise WorkbookError(place.problem(".sheet", f"has no sheet {mapping.sheet!r}: "
                                                  "correct the sheet name"))
            grid = _values(book, mapping.sheet)
            match = match_rows(grid, mapping, rules)
        else:
            grids = {s.name: _values(book, s.name) for s in book.sheets}
            found = best_map(grids, rules)
            if found is None:
                raise WorkbookError(Problem(workbook=book.name, message="no sheet has a header "
                                            "row naming indicators and results: add a "
                                            "'workbook' section to rules.json"))
            (mapping, match), place = found, MapPlace(book.name, open_book=True)
            grid = grids[mapping.sheet]
        problems = map_problems(mapping, grid, match, place)
        if problems:
            raise WorkbookError(problems)
    except ScorecardError as exc:
        return _alert(book, exc)
    sheet = book.sheets[mapping.sheet]
    current = None
    if mapping.month_cell:
        row, col = split_cell(mapping.month_cell)
        current = grid[row - 1][col - 1] if row <= len(grid) and col <= len(grid[row - 1]) else None
    written = kept = 0
    for cell in plan_cells(mapping, match.rows, results, month, current):
        target = sheet.range((cell.row, cell.col))
        if not overwrite_formulas and _holds_formula(target):
            kept += 1
            continue
        target.value = cell.value
        written += 1
    tail = f"; kept {kept} cell(s) holding formulas" if kept else ""
    return f"{month.label}: wrote {written} cell(s) of sheet '{mapping.sheet}'{tail}"


def _holds_formula(cell) -> bool:
    """True for a cell holding a formula; engines that cannot say (Office.js) report none."""
    try:
        formula = cell.formula
    except NotImplementedError:
        return False
    return isinstance(formula, str) and formula.startswith("=")


# --------------------------------------------------------------------------- reading the workbook

def report_month(book) -> Month:
    """The month in the cell named ReportMonth ('2012-05', a date, or a date serial)."""
    value = _month_cell(book).value
    try:
        return month_from_cell(value)
    except (TypeError, ValueError, OverflowError):
        shown = repr(value) if len(repr(value)) <= 40 else repr(value)[:37] + "..."
        raise UsageError(Problem(cell=MONTH_NAME, message=f"{shown} is not a month: type it as "
                                 "YYYY-MM, e.g. 2015-02")) from None


def workbook_rules(book) -> Rules:
    """The file in the workbook's xlwings.conf setting SCORECARD_RULES when it is filled in (an
    explicit choice), else the workbook's own rules.json sheet (xlwings Lite and Server can
    read nothing else), else $XL_SCORECARD_RULES, else the bundled sample. Under xlwings Lite
    (``rules_argument.workbook_rules_only``) only the sheet: without it, a message.

    The file must lie in an allowed folder (``rules_location.allowed_folders``): a workbook,
    perhaps a client's under xlwings Server, never reads a file elsewhere on this machine.
    """
    setting = None if workbook_rules_only() else _conf(book).get(RULES_KEY)
    if not setting and _has_sheet(book, rules_document.SHEET_NAME):
        document, cells = document_from_rows(_values(book, rules_document.SHEET_NAME),
                                             workbook=book.name)
        return rules_from_sheet_document(document, cells, workbook=book.name)
    if workbook_rules_only():
        raise UsageError(Problem(workbook=book.name, message=f"has no sheet "
                                 f"'{rules_document.SHEET_NAME}' holding the rules, and xlwings "
                                 "Lite cannot read rules.json files: write the sheet with "
                                 f"xl-scorecard rules export --to {book.name}"))
    where: "dict | str" = {"sheet": CONF_SHEET, "cell": RULES_KEY}
    if not setting:
        setting, where = os.environ.get(RULES_ENV), RULES_ENV
    if not setting:
        return load_rules(sample.rules_path())
    folder = Path(book.fullname).parent if os.path.isabs(str(book.fullname)) else None
    return load_rules(confined_rules_path(str(setting), folder, where))


def _month_cell(book):
    try:
        return book.names[MONTH_NAME].refers_to_range
    except Exception:  # xlwings raises engine-specific errors for a missing name
        raise UsageError(Problem(workbook=book.name, message=f"has no cell named {MONTH_NAME}: name "
                                 "the cell holding the report month (Formulas > Define Name)")) from None


def _conf(book) -> dict[str, str]:
    if not _has_sheet(book, CONF_SHEET):
        return {}
    rows = _values(book, CONF_SHEET)
    return {str(r[0]).strip(): r[1] for r in rows if r and len(r) > 1 and r[0] and r[1] is not None}


def _sheet_frame(book, name: str) -> pd.DataFrame:
    if not _has_sheet(book, name):
        raise UsageError(Problem(workbook=book.name, message=f"has no sheet '{name}' with the data "
                                 "table (indicator, period, numerator, denominator, value)"))
    rows = _values(book, name)
    if not rows or not rows[0]:
        raise UsageError(Problem(sheet=name, message="is empty: it needs a header row and data rows"))
    header = ["" if h is None else str(h) for h in rows[0]]
    return pd.DataFrame([list(r) + [None] * (len(header) - len(r)) for r in rows[1:]],
                        columns=header, dtype=object)


def _values(book, name: str) -> list[list]:
    """A sheet's cells from A1 to the end of its used range, as rows."""
    used = book.sheets[name].used_range
    last_row, last_col = used.last_cell.row, used.last_cell.column
    values = book.sheets[name].range((1, 1), (last_row, last_col)).options(ndim=2).value
    return values or []


def _values_and_formulas(book, name: str) -> list[list]:
    """A sheet's values, with formula cells as KeptFormula so commentary keeps its formula.

    Desktop Excel reads formulas at once; Office.js cannot synchronously (xlwings raises
    NotImplementedError), so there the computed values are kept, as before.
    """
    values = _values(book, name)
    if not values:
        return values
    try:
        formulas = book.sheets[name].range((1, 1), (len(values), len(values[0]))).options(ndim=2).formula
    except Exception:  # NotImplementedError on Office.js; engine-specific errors elsewhere
        return values
    formulas = [list(row) for row in formulas or []]
    grid = []
    for r, row in enumerate(values):
        written = formulas[r] if r < len(formulas) else []
        grid.append([_kept(v, written[c] if c < len(written) else None) for c, v in enumerate(row)])
    return grid


def _kept(value, formula):
    """The cell's formula if it has one (its text differs from its value), else its value."""
    if isinstance(formula, str) and formula.startswith("=") and formula != value:
        return formula_or_value(formula, True)
    return value


def _has_sheet(book, name: str) -> bool:
    return name in [s.name for s in book.sheets]


def _sheet(book, name: str):
    if _has_sheet(book, name):
        return book.sheets[name]
    return book.sheets.add(name, after=book.sheets[len(book.sheets) - 1])


def _short(message: str, limit: int = 240) -> str:
    """A problem as shown in a sheet: never long enough to carry a file's contents."""
    return message if len(message) <= limit else message[: limit - 3] + "..."


def _alert(book, exc: ScorecardError) -> str:
    message = "\n".join(str(p) for p in exc.problems[:10])
    try:
        book.app.alert(message, title="xl_scorecard: nothing was changed")
    except Exception:  # an engine without alerts still gets the message back
        pass
    return message

"""The KPI_* functions' optional last argument: the workbook's own rules, as a range.

An xlwings Lite (or Office.js) custom function receives its arguments and nothing else: it
cannot open the workbook that calls it, and Lite has no rules.json file to read. So the rules
come in as an argument, the rules.json sheet's cells (``xl-scorecard rules export`` names
them ``ScorecardRules``): ``=KPI_RAG(D5, A5, , , ScorecardRules)``. Excel then recalculates
the function whenever a cell of that range changes, such as a target an analyst edits.

The cells are read and validated as the refresh macro reads the sheet (rows of indicator,
JSON path, value, type; checked as rules.json is), once per distinct content: the rules are
cached by the cells' text. A problem becomes one short cell message naming the sheet cell and
the JSON path. Cell references count from A1, where ``ScorecardRules`` starts.
"""

from __future__ import annotations

import sys

import numpy as np

from ..core import rules_document as doc
from ..core.errors import Problem, RulesError, UsageError
from ..core.rules import Rules
from ..inputs.rules_workbook import document_from_rows, rules_from_sheet_document
from .arguments import is_blank, omitted

RULES_NAME = doc.RANGE_NAME  # the defined name over the rules.json sheet's cells
SOURCE = "rules.json sheet"  # what messages call rules read from the argument
CACHE_SIZE = 8  # distinct rules texts kept (an analyst editing a target makes a new one)
_CACHE: dict[str, "Rules | RulesError"] = {}
_WORKBOOK_RULES_ONLY = sys.platform == "emscripten"  # Pyodide: xlwings Lite has no files


def use_workbook_rules_only() -> None:
    """From now on no rules file is read: the KPI_* functions need the rules argument and the
    macros the rules.json sheet (xlwings Lite's main.py says so by importing ``lite_mode``)."""
    global _WORKBOOK_RULES_ONLY
    _WORKBOOK_RULES_ONLY = True


def workbook_rules_only() -> bool:
    """True under xlwings Lite (Pyodide, or main.py imported ``lite_mode``)."""
    return _WORKBOOK_RULES_ONLY


NO_RULES = (f"no rules: give the rules.json sheet's range as the last argument, e.g. "
            f"{RULES_NAME} (xl-scorecard rules export --to WORKBOOK writes both)")


def given(rules) -> bool:
    """Whether a rules argument was given (a blank cell or a left-out argument is none)."""
    return rules is not None and not omitted(rules)


def rules_from_range(cells) -> Rules:
    """Validated rules from the rules.json sheet's cells (a 2-D range, as Excel sends it)."""
    if isinstance(cells, np.ndarray):
        cells = cells.tolist()
    text = repr(cells)  # the cells as Excel sent them: equal cells, equal text
    found = _CACHE.get(text)
    if found is None:
        rows = _rows(cells)
        try:
            document, where = document_from_rows(rows, workbook=SOURCE)
            found = rules_from_sheet_document(document, where, workbook=SOURCE)
        except RulesError as exc:
            found = exc
        if len(_CACHE) >= CACHE_SIZE:
            _CACHE.pop(next(iter(_CACHE)))
        _CACHE[text] = found
    if isinstance(found, RulesError):
        raise UsageError(_short(found))
    return found


def _rows(cells) -> list[list]:
    """The range as rows of cells; anything that is not a range of rows is a message."""
    if not isinstance(cells, (list, tuple)) or not cells or not isinstance(cells[0], (list, tuple)):
        raise UsageError(f"rules must be the rules.json sheet's range ({RULES_NAME}), not one "
                         "cell")
    rows = [[None if is_blank(c) else c for c in row] for row in cells]
    if len(rows[0]) < doc.TYPE_COL:
        raise UsageError(f"rules must span the rules.json sheet's columns A to D "
                         f"({RULES_NAME}); this range has {len(rows[0])}")
    return rows


def _short(error: RulesError) -> str:
    """The first problem as 'rules.json!C17 $.indicators[13]...: message', with a count."""
    first: Problem = error.problems[0]
    where = f"{doc.SHEET_NAME}!{first.cell}" if first.cell else doc.SHEET_NAME
    if first.json_path:
        where += f" {first.json_path}"
    more = len(error.problems) - 1
    tail = f" (and {more} more problem{'s' * (more > 1)})" if more else ""
    return f"{where}: {first.message}{tail}"

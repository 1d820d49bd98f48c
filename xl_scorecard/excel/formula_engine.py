"""Calculate a workbook's =RAG(), =DOT(), =KPIRATE() ... formulas without Excel.

Uses the optional ``formulas`` package (``pip install formulas``) as the
spreadsheet engine, with the worksheet functions of ``functions.py`` registered
under their Excel names, so a ``--live`` workbook can be checked headlessly
against the engine::

    values = evaluate("scorecard.xlsx")
    values[("Scorecard", "F5")]   # 'Green'

Headless notes: a blank cell or an Excel error reaches our functions as a
blank; an argument skipped in the middle (``=RAG(A1,B1,,"H")``) reaches them
as 0, as ``formulas`` reads it, so write ``""`` to skip an argument instead.
A formula returning a range needs an array formula (no dynamic spill).
"""

from __future__ import annotations

import functools
import re
from pathlib import Path
from typing import Any

import numpy as np
from openpyxl.utils.cell import column_index_from_string, get_column_letter

from ..inputs.xlsx_input import check_xlsx
from . import functions as sheetfuncs

FUNCTIONS = sheetfuncs.EXCEL_NAMES

_KEY = re.compile(r"^'?\[(?P<book>[^\]]+)\](?P<sheet>.+?)'?!"
                  r"(?P<ref>\$?[A-Z]+\$?\d+(?::\$?[A-Z]+\$?\d+)?)$")
_CELL = re.compile(r"^\$?([A-Z]+)\$?(\d+)$")


def _formulas():
    """The ``formulas`` package, or an ImportError that says how to install it."""
    try:
        import formulas
    except ImportError:
        raise ImportError("evaluating workbook formulas needs the optional 'formulas' package: "
                          "pip install formulas") from None
    return formulas


@functools.lru_cache(maxsize=1)
def _markers():
    """(schedula's EMPTY, formulas' XlError class): what blanks and errors look like inside."""
    import schedula
    from formulas.tokens.operand import XlError
    return schedula.EMPTY, XlError


def _blanked(x):
    """An argument with ``formulas``' blank and error markers turned into None."""
    empty, error = _markers()
    if isinstance(x, np.ndarray):
        cells = np.asarray(x, dtype=object)
        out = np.empty(cells.shape, dtype=object)
        flat_in, flat_out = cells.reshape(-1), out.reshape(-1)
        for i, cell in enumerate(flat_in):
            flat_out[i] = None if cell is empty or isinstance(cell, error) else cell
        return out
    return None if x is empty or isinstance(x, error) else x


def _bridge(pure):
    """``pure`` as a ``formulas`` function: blanks in, one value (or an array) out."""
    @functools.wraps(pure)
    def call(*args):
        out = pure(*(_blanked(a) for a in args))
        if isinstance(out, (list, np.ndarray)):
            arr = np.asarray(out, dtype=object)
            return arr.reshape(-1)[0] if arr.size == 1 else arr
        return out
    return call


def register() -> None:
    """Register our functions with ``formulas`` (before any workbook is loaded)."""
    formulas = _formulas()
    table = formulas.get_functions()
    for name, pure in FUNCTIONS.items():
        wrapped = formulas.functions.wrap_func(_bridge(pure))
        table[name] = wrapped
        table[f"_XLUDF.{name}"] = wrapped  # as some Excel versions save add-in functions


def evaluate(path: "str | Path") -> dict[tuple[str, str], Any]:
    """Calculate a workbook; return {(sheet name, "A1"): value} for every formula cell.

    Sheet names are as in the workbook (``formulas`` upper-cases them internally). Values are
    Python numbers, text or booleans; "" for an empty text result, None for a blank, and an
    Excel error as its text (``"#VALUE!"``).
    """
    formulas = _formulas()
    register()
    path = Path(path)
    check_xlsx(path)  # the same zip, encryption and XML-bomb checks as every other opener
    model = formulas.ExcelModel().loads(str(path)).finish()
    solution = model.calculate()
    names = _sheet_names(model)
    values: dict[tuple[str, str], Any] = {}
    for key, cell in model.cells.items():
        if getattr(cell, "func", None) is None:
            continue  # a constant, or a defined name
        match = _KEY.match(key)
        if not match:
            continue
        sheet = match["sheet"].replace("''", "'")
        sheet = names.get(sheet.upper(), sheet)
        result = solution.get(key)
        grid = (np.asarray(result.value, dtype=object) if result is not None
                else np.full((1, 1), None, dtype=object))
        for ref, value in _cells(match["ref"], grid):
            values[(sheet, ref)] = _plain(value)
    return values


def _sheet_names(model) -> dict[str, str]:
    """UPPER-CASE sheet name -> the name as written, for every loaded workbook."""
    names: dict[str, str] = {}
    for data in model.books.values():
        for book in (v for v in data.values() if hasattr(v, "sheetnames")):
            names.update({name.upper(): name for name in book.sheetnames})
    return names


def _cells(ref: str, grid: np.ndarray):
    """(A1 reference, value) for each cell of ``ref`` (one cell or an array-formula range)."""
    first, _, last = ref.replace("$", "").partition(":")
    column, row = _CELL.match(first).groups()
    col0, row0 = column_index_from_string(column), int(row)
    if not last:
        yield first, grid.reshape(-1)[0] if grid.size else None
        return
    column, row = _CELL.match(last).groups()
    rows, cols = int(row) - row0 + 1, column_index_from_string(column) - col0 + 1
    for r in range(rows):
        for c in range(cols):
            value = grid[r, c] if r < grid.shape[0] and c < grid.shape[1] else None
            yield f"{get_column_letter(col0 + c)}{row0 + r}", value


def _plain(value):
    """A computed cell as a plain Python value."""
    empty, error = _markers()
    if value is empty:
        return None
    if isinstance(value, error):
        return str(value)
    if isinstance(value, np.generic):
        return value.item()
    return value

"""The workbook a build starts from (last month's output, or a template), opened without
parsing the sheets the build replaces, and what is the analyst's in them.

Of a replaced sheet only what a build keeps or checks is read: the Scorecard's ID and
Commentary columns (and every row down to their header), the Exceptions
sheet's commentary columns, and the formulas of every replaced sheet that could reach
outside the workbook (so the refusal names them exactly as before).
"""

from __future__ import annotations

from dataclasses import dataclass

from ..inputs.xlsx_hollow import HollowBook, HollowPackage
from ..layout.commentary import (EXCEPTIONS, EXCEPTIONS_COLUMNS, SCORECARD, commentary_from_grids,
                                 find_header, formula_or_value, header_columns,
                                 read_commentary)
from .active_content import reaching_out


@dataclass
class Base:
    """The opened workbook, the commentary kept in it, the replaced sheets' formulas, and the
    Scorecard's rows as read (None without such a worksheet), for the refusal to judge."""

    workbook: object
    commentary: dict[str, dict[str, str]]
    formulas: dict[str, list[tuple[str, object]]]
    scorecard_rows: "list[list] | None" = None


def read_base(workbook, package: HollowPackage) -> Base:
    """The commentary and formulas of the sheets hollowed in ``package``, from which openpyxl
    loaded ``workbook`` (any error is openpyxl's or the XML parser's, for the caller to word)."""
    book = package.book(workbook)
    grids, formulas = {}, {}
    for title in book.hollowed:
        cells = _wanted_cells(book, title)
        if title in (SCORECARD, EXCEPTIONS):
            grids[title] = _grid(cells)
        formulas[title] = _formulas(cells)
    commentary = commentary_from_grids(grids)
    if any(title not in grids for title in (SCORECARD, EXCEPTIONS)):
        loaded = read_commentary(workbook)  # a sheet openpyxl loaded in full (not hollowed)
        for title in (SCORECARD, EXCEPTIONS):
            if title not in grids:
                commentary[title] = loaded[title]
    loaded_sheets = {ws.title: ws for ws in workbook.worksheets}  # not chart sheets
    if SCORECARD in grids:
        scorecard = grids[SCORECARD]
    elif SCORECARD in loaded_sheets:
        scorecard = [list(row) for row in loaded_sheets[SCORECARD].iter_rows(values_only=True)]
    else:
        scorecard = None
    return Base(workbook, commentary, formulas, scorecard)


def _wanted_cells(book: HollowBook, title: str) -> dict:
    if title == SCORECARD:
        return _scorecard_cells(book)
    if title == EXCEPTIONS:
        return book.cells(title, lambda row, column, found: column in EXCEPTIONS_COLUMNS)
    texts = book.formula_texts(title)
    if texts is None or any(reaching_out("=" + text) for text in texts):
        return book.cells(title)  # read in full, so each such cell is named as before
    return {}


def _scorecard_cells(book: HollowBook) -> dict:
    """Every row in full down to the header row (the first labelled ID and Commentary), then
    only those two columns; read again in full should the rows be out of order or the header
    turn out to be elsewhere (a row whose cells carry no reference)."""
    header = None  # (row, ID column, Commentary column) once found
    current, columns, disordered = 0, [], False

    def wanted(row, column, found):
        nonlocal header, current, columns, disordered
        if row != current:
            if row < current:
                disordered = True
            elif header is None and columns:
                labelled = header_columns(_row_values(found, current, columns))
                header = (current, *labelled) if labelled else None
            current, columns = row, []
        if header is None or disordered:
            columns.append(column)
            return True
        return column in header[1:]

    cells = book.cells(SCORECARD, wanted)
    if disordered or (header is not None and _header_of(cells) != header):
        return book.cells(SCORECARD)
    return cells


def _row_values(cells: dict, row: int, columns: list[int]) -> list:
    values = [None] * max(columns)
    for column in columns:
        values[column - 1] = cells.get((row, column), (None, None))[0]
    return values


def _header_of(cells: dict) -> tuple[int, int, int] | None:
    """(row, ID column, Commentary column) of the first header row among these cells."""
    header = find_header(_grid(cells))
    return None if header is None else (header[0] + 1, *header[1:])


def _grid(cells: dict) -> list[list]:
    """Rows of values from row 1, as ``worksheet.iter_rows()`` gives them (formulas marked)."""
    rows: list[list] = [[] for _ in range(max((r for r, _ in cells), default=0))]
    for (row, column), (value, data_type) in cells.items():
        if row < 1 or column < 1:
            continue
        line = rows[row - 1]
        line.extend([None] * (column - len(line)))
        line[column - 1] = formula_or_value(value, data_type == "f")
    return rows


def _formulas(cells: dict) -> list[tuple[str, object]]:
    from openpyxl.utils import get_column_letter

    return [(f"{get_column_letter(column)}{row}", value) for (row, column), (value, data_type)
            in cells.items() if data_type == "f" and row >= 1 and column >= 1]

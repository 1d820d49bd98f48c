"""openpyxl cells made without ``Cell.__init__`` for the values a layout holds.

``Cell(ws, row, column, value, style_array)`` copies the style ids, then infers the value's
type through a table and, for text, checks its length and characters and whether it reads
as a formula or an error code: about 6 microseconds a text cell, 3 a number, 2 seconds of a
5,000-indicator build. A number, a blank or plain text (no character openpyxl refuses, not
over its length limit, not starting with '=', no error code) is made here with the very
slots ``Cell`` gives it; any other value (a formula, a bool, a date, NumPy's numbers, text
openpyxl would refuse or mark) goes through ``Cell`` itself. A test compares the two on
every kind of value.
"""

from __future__ import annotations

from array import array

from openpyxl.cell.cell import ERROR_CODES, ILLEGAL_CHARACTERS_RE, Cell
from openpyxl.styles.cell_style import StyleArray

_LONGEST_TEXT = 32767               # openpyxl cuts text to Excel's limit
_illegal = ILLEGAL_CHARACTERS_RE.search
_new_cell = Cell.__new__
_new_ids = array.__new__             # StyleArray(ids) without its Python-level __new__


def copy_ids(style_ids: StyleArray) -> StyleArray:
    """``copy(style_ids)``: a cell's own style ids (a later restyle changes that cell only)."""
    return _new_ids(StyleArray, "i", style_ids)


def make_cell(ws, row: int, column: int, value, style_ids: StyleArray) -> Cell:
    """What ``Cell(ws, row=row, column=column, value=value, style_array=style_ids)`` makes."""
    kind = type(value)
    if kind is str:
        if (len(value) > _LONGEST_TEXT or value[:1] == "=" or value in ERROR_CODES
                or _illegal(value)):
            return Cell(ws, row=row, column=column, value=value, style_array=style_ids)
        data_type = "s"
    elif value is None or kind is float or kind is int:
        data_type = "n"
    else:
        return Cell(ws, row=row, column=column, value=value, style_array=style_ids)
    cell = _new_cell(Cell)
    cell.parent = ws
    cell._style = copy_ids(style_ids)
    cell.row, cell.column = row, column
    cell._value, cell.data_type = value, data_type
    cell._hyperlink = cell._comment = None
    return cell

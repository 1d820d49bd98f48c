"""A worksheet's cell data written as text: the bytes openpyxl writes, in a fifth of its time.

openpyxl writes each cell through ElementTree (an Element per cell, its ``<v>`` or ``<is>``
sub-elements, then a namespace-aware serialiser): most of a large workbook's save, more than
half of a 5,000-indicator build. The cells a scorecard holds are few kinds (numbers, text,
formulas, booleans, error codes, empty styled cells), so ``sheet_data`` writes them as the text
openpyxl would, byte for byte (a test compares the two on every sheet we build and on cells of
every kind). A sheet holding anything else (a date, rich text, an array formula, a comment, a
hyperlink: an analyst's own sheet may) returns None and is written by openpyxl as before.
"""

from __future__ import annotations

from collections import defaultdict

from openpyxl.cell.cell import Cell, MergedCell
from openpyxl.compat.numbers import NUMERIC_TYPES
from openpyxl.utils import get_column_letter

_PLAIN_TYPES = {"n", "s", "f", "b", "e", "inlineStr"}


def _escape(text: str) -> str:
    """Text content as ElementTree escapes it: &, < and > only."""
    if "&" in text:
        text = text.replace("&", "&amp;")
    if "<" in text:
        text = text.replace("<", "&lt;")
    if ">" in text:
        text = text.replace(">", "&gt;")
    return text


def _number(value) -> str:
    """A number as openpyxl's ``safe_string`` writes it: 16 significant digits, NaN and
    infinity as nothing."""
    if value != value or value in (float("inf"), float("-inf")):
        return ""
    return "%.16g" % value


class _Unusual(Exception):
    """The sheet holds a cell only openpyxl's own writer handles."""


def sheet_data(ws) -> bytes | None:
    """The ``<sheetData>`` element of ``ws`` as openpyxl's writer makes it, registering each
    cell's style in the workbook in the same order; None when a cell needs openpyxl itself."""
    try:
        return "".join(_rows(ws)).encode("utf-8", "xmlcharrefreplace")  # as openpyxl encodes
    except _Unusual:
        return None


def _rows(ws) -> list[str]:
    rows: dict[int, list] = defaultdict(list)
    for (row, _), cell in sorted(ws._cells.items()):
        rows[row].append(cell)
    dimensions = ws.row_dimensions
    for row in dimensions.keys() - rows.keys():  # a styled or sized row without cells
        rows[row] = []
    register = ws.parent._cell_styles.add
    style_ids: dict[bytes, int] = {}
    letters: dict[int, str] = {}
    row_attributes: dict[tuple, str] = {}
    out = ["<sheetData>"]
    add = out.append
    for row, cells in sorted(rows.items()):
        number = str(row)
        dimension = dimensions.get(row)  # dict.get: the holder's [] would re-set its index
        attributes = "" if dimension is None else _row_attributes(dimension, row_attributes)
        add(f'<row r="{number}"{attributes}>')
        for cell in cells:
            text = _cell(cell, number, letters, style_ids, register)
            if text:
                add(text)
        add("</row>")
    add("</sheetData>")
    return out


def _row_attributes(dimension, known: dict[tuple, str]) -> str:
    """A row's attributes as openpyxl writes them (its height, hidden, outline, style), made
    once for each distinct set of them."""
    held, style = dimension.__dict__, dimension._style
    key = (held.get("ht"), held.get("hidden"), held.get("outlineLevel"), held.get("collapsed"),
           held.get("thickBot"), held.get("thickTop"), style.tobytes() if style else b"")
    text = known.get(key)
    if text is None:  # openpyxl's own iteration, which also registers the row's style
        text = known[key] = "".join(f' {name}="{value}"' for name, value in dimension)
    return text


def _cell(cell, row: str, letters: dict, style_ids: dict, register) -> str:
    """One cell's element as openpyxl writes it; empty for a cell openpyxl leaves out."""
    kind = type(cell)
    if kind is Cell:
        if cell._comment is not None or cell._hyperlink is not None:
            raise _Unusual
        value, data_type = cell._value, cell.data_type
    elif kind is MergedCell:
        value, data_type = None, "n"
    else:
        raise _Unusual
    style = cell._style
    styled = style is not None and any(style)
    if value is None and not styled:
        return ""
    column = cell.column
    letter = letters.get(column)
    if letter is None:
        letter = letters[column] = get_column_letter(column)
    if styled:
        key = style.tobytes()
        sid = style_ids.get(key)
        if sid is None:
            sid = style_ids[key] = register(style)
        head = f'<c r="{letter}{row}" s="{sid}"'
    else:
        head = f'<c r="{letter}{row}"'
    if data_type == "s":
        if type(value) is not str:
            raise _Unusual  # rich text
        if value == "":
            return head + ' t="inlineStr" />'
        stripped = value.strip()
        space = ' xml:space="preserve"' if stripped and stripped != value else ""
        return f'{head} t="inlineStr"><is><t{space}>{_escape(value)}</t></is></c>'
    if data_type not in _PLAIN_TYPES:
        raise _Unusual  # a date: openpyxl converts it by the workbook's epoch
    if data_type == "f":
        if type(value) is not str:
            raise _Unusual  # an array or data-table formula
        formula = value[1:]  # "=" alone (openpyxl reads an empty <f/> so) is an empty element
        return f"{head}><f>{_escape(formula)}</f><v /></c>" if formula else f"{head}><f /><v /></c>"
    if value is None or value == "":
        return f'{head} t="{data_type}" />'  # also openpyxl's reading of an empty inline string
    if data_type == "e" and type(value) is str:
        text = _escape(value)
    elif data_type in ("n", "b") and isinstance(value, NUMERIC_TYPES):
        text = _number(value)
    else:
        raise _Unusual  # a type set by hand that openpyxl writes as text
    return f'{head} t="{data_type}"><v>{text}</v></c>' if text else f'{head} t="{data_type}"><v /></c>'

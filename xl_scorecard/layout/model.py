"""What a sheet holds, independent of the library that writes it.

A ``SheetLayout`` is plain values: cells with a style name and number format,
merged ranges, column widths, frozen panes, ranges coloured by RAG, an
optional Excel table, line charts and print set-up. The openpyxl writer
(headless) and the xlwings writer (macros) both render it.
"""

from __future__ import annotations

import math
import textwrap
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, NamedTuple

import pandas as pd

from ..core.ranges import ABOVE, BELOW, WITHIN


@dataclass(frozen=True)
class Style:
    """A named look; colours are RGB hex without '#'."""

    bold: bool = False
    italic: bool = False
    size: float = 10
    font_color: str | None = None
    fill: str | None = None
    wrap: bool = False
    align: str | None = None        # left, center, right
    valign: str = "top"
    border: bool = False


STYLES: dict[str, Style] = {
    "title": Style(bold=True, size=14),
    "subtitle": Style(bold=True, size=11),
    "label": Style(bold=True),
    "text": Style(),
    "wrap": Style(wrap=True),
    "muted": Style(italic=True, font_color="595959", wrap=True),
    "header": Style(bold=True, fill="1F3864", font_color="FFFFFF", wrap=True, align="center",
                    valign="center", border=True),
    "section": Style(bold=True, fill="D9E1F2", border=True),
    "cell": Style(border=True, wrap=True),
    "number": Style(border=True, align="right"),
    "rag": Style(bold=True, border=True, align="center"),
    "arrow": Style(border=True, align="center", size=12),
    "commentary": Style(border=True, wrap=True, fill="FFF9E5"),
    "id": Style(font_color="808080", size=8),
    "count": Style(bold=True, size=12, align="center", border=True),
    "note": Style(italic=True, size=8, font_color="595959", wrap=True, align="center"),
    "key": Style(size=9, font_color="404040", wrap=True),
    "key_label": Style(bold=True, size=9, font_color="404040"),
    "centre": Style(border=True, align="center"),
    "period": Style(border=True, align="center", wrap=True),   # "2016/17 (academic year)" wraps
    # lead indicators' range status: deliberately not red/amber/green
    "range_within": Style(bold=True, border=True, align="center", fill="DDEBF7", font_color="1F3864"),
    "range_outside": Style(bold=True, italic=True, border=True, align="center", fill="E4DFEC",
                           font_color="5B2C6F"),
}

RAG_FILLS = {"Green": "00B050", "Amber": "FFC000", "Red": "FF0000"}
RAG_FONTS = {"Green": "FFFFFF", "Amber": "000000", "Red": "FFFFFF"}
RANGE_STATUSES = (BELOW, WITHIN, ABOVE)   # a lead indicator's range status
ARROW_FONTS = {"↑": "00B050", "↓": "C00000", "→": "7F7F7F"}   # improved, worsened, unchanged


def range_style(status: str) -> str:
    """The style of a lead indicator's range status cell (``Within`` or outside)."""
    return "range_within" if status == "Within" else "range_outside"


class Cell(NamedTuple):
    """One cell: 1-based row and column. ``value`` is a str, number or None.

    ``formula`` (without the leading '=') replaces the value for live workbooks;
    text values are always written as text, never as formulas. (A named tuple: a
    5,000-indicator workbook makes 320,000 of them.)
    """

    row: int
    col: int
    value: Any
    style: str = "text"
    number_format: str | None = None
    formula: str | None = None


_make_cell = tuple.__new__


@dataclass(frozen=True)
class Chart:
    """A line chart of rows ``series_rows`` over columns first_col..last_col, titles in title_col."""

    title: str
    series_rows: tuple[int, ...]
    title_col: int
    first_col: int
    last_col: int
    category_row: int
    anchor: str
    y_title: str = ""
    width: float = 15.0                      # cm
    height: float = 7.0                      # cm
    y_min: float | None = None               # axis bounds chosen by the layout (None: automatic)
    y_max: float | None = None
    y_major: float | None = None
    y_format: str | None = None              # the indicator's own number format on the axis


@dataclass
class SheetLayout:
    """Everything one sheet holds."""

    name: str
    cells: list[Cell] = field(default_factory=list)
    widths: dict[int, float] = field(default_factory=dict)
    heights: dict[int, float] = field(default_factory=dict)
    merges: list[tuple[int, int, int, int]] = field(default_factory=list)
    freeze: tuple[int, int] | None = None                 # first unfrozen (row, col)
    rag_ranges: list[tuple[int, int, int, int]] = field(default_factory=list)
    arrow_ranges: list[tuple[int, int, int, int]] = field(default_factory=list)  # coloured by meaning
    range_ranges: list[tuple[int, int, int, int]] = field(default_factory=list)  # Below/Within/Above
    table: tuple[str, int, int, int, int] | None = None   # name, r1, c1, r2, c2
    charts: list[Chart] = field(default_factory=list)
    names: dict[str, tuple[int, int]] = field(default_factory=dict)   # defined name -> cell
    landscape: bool = True
    paper: str = "A4"
    repeat_rows: tuple[int, int] | None = None
    fit_width: bool = True
    commentary: dict[str, tuple[int, int]] = field(default_factory=dict)  # indicator id -> cell
    print_cols: int | None = None                                          # print columns 1..n only
    fit_height: int = 0                        # pages tall when fitting (0: as many as needed)
    header: tuple[str, str, str] = ("", "", "")   # left, centre, right; Excel codes (&P, &N)
    footer: tuple[str, str, str] = ("", "", "")
    row_breaks: list[int] = field(default_factory=list)   # a manual page break after each row
    center_horizontally: bool = False
    hidden_cols: list[int] = field(default_factory=list)   # hidden, in an outline group to unhide

    def put(self, row: int, col: int, value: Any, style: str = "text",
            number_format: str | None = None, formula: str | None = None) -> None:
        # tuple.__new__ straight away: Cell(...) goes through the named tuple's own __new__, a
        # third of the cost of each of a sample build's 3,400 cells
        self.cells.append(_make_cell(Cell, (row, col, value, style, number_format, formula)))

    def put_row(self, row: int, col: int, values, style: str = "text") -> None:
        self.cells.extend(_make_cell(Cell, (row, col + offset, value, style, None, None))
                          for offset, value in enumerate(values))

    @property
    def last_row(self) -> int:
        return max((c.row for c in self.cells), default=0)

    @property
    def last_col(self) -> int:
        return max((c.col for c in self.cells), default=0)


PAGE_NUMBER = "Page &P of &N"   # Excel's header codes, understood by LibreOffice too


def header_text(text: str) -> str:
    """Literal text for a page header or footer ('&' is a code there, so it is doubled)."""
    return (text or "").replace("&", "&&")
def rows_of(frame: pd.DataFrame) -> list:
    """A frame's rows as named tuples, like ``itertuples(index=False)`` (a column name that is
    no identifier, such as ``cmp:England``, becomes ``_5``) but read from whole columns
    (itertuples goes through pandas indexing for every column)."""
    row_type = _row_type(tuple(frame.columns))
    return [row_type._make(values) for values in zip(*_columns(frame))]


def row_type_of(frame: pd.DataFrame):
    """The named tuple ``rows_of`` makes for this frame's columns (``_make(record.values())``
    turns one of ``records_of``'s dicts into a row)."""
    return _row_type(tuple(frame.columns))


def records_of(frame: pd.DataFrame) -> list[dict]:
    """A frame's rows as dicts, like ``to_dict("records")``, read from whole columns."""
    names = list(frame.columns)
    return [dict(zip(names, values)) for values in zip(*_columns(frame))]


def _columns(frame: pd.DataFrame) -> list[list]:
    # one object array of Python values (floats, ints, str, NaN) for the whole frame: column by
    # column, pandas would make a Series (and copy the frame's attrs) for each one
    return frame.to_numpy(dtype=object).T.tolist() if frame.shape[1] else []


@lru_cache(maxsize=8)
def _row_type(columns: tuple[str, ...]):
    from collections import namedtuple

    return namedtuple("Row", columns, rename=True)


def wrapped_height(text: str, chars_per_line: int, line_height: float = 13.0) -> float | None:
    """Row height for wrapped text (broken at spaces, as Excel does), or None for one line."""
    lines = wrapped_lines(text or "", chars_per_line)
    return line_height * lines + 2 if lines > 1 else None


def wrapped_lines(text: str, width: int) -> int:
    """``len(textwrap.wrap(text, width, break_on_hyphens=False))``, counted directly for the
    usual text: printable (no tabs, line breaks or other spaces than ' '), one space between
    words, none longer than ``width``."""
    if not text.isprintable() or width < 1:
        return len(textwrap.wrap(text, width, break_on_hyphens=False))
    if len(text) <= width and text[:1] != " " and text[-1:] != " ":
        return 1 if text else 0
    words = text.split(" ")
    if "" in words or max(map(len, words)) > width:
        return len(textwrap.wrap(text, width, break_on_hyphens=False))
    lines, used = 1, len(words[0])
    for word in words[1:]:
        if used + 1 + len(word) <= width:
            used += 1 + len(word)
        else:
            lines, used = lines + 1, len(word)
    return lines


def column_letter(col: int) -> str:
    """1 -> A, 27 -> AA."""
    letters = ""
    while col:
        col, rem = divmod(col - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


def cell_ref(row: int, col: int, absolute: bool = False) -> str:
    dollar = "$" if absolute else ""
    return f"{dollar}{column_letter(col)}{dollar}{row}"


def number_format(measure: str, decimals: int) -> str:
    """Excel format for a value stored in display units: 28.6 shows as 28.6%."""
    digits = "0" if decimals == 0 else "0." + "0" * decimals
    base = "#,##" + digits
    return base + '"%"' if measure == "percent" else base


def plain_number(value):
    """A float for a cell, or None (blank) for a missing value."""
    if value is None:
        return None
    value = float(value)
    return value if math.isfinite(value) else None  # Excel has no NaN or infinity


class FigureRows:
    """An indicator's figures for some months, read from the engine's wide table (indicators x
    months) through one array and two position maps: a pandas lookup per indicator (and per
    month) adds up to seconds over 5,000 indicators or a long history."""

    def __init__(self, values):
        self._table = values.to_numpy(dtype=float)
        self._row = {ind_id: i for i, ind_id in enumerate(values.index)}
        self._col = {month: j for j, month in enumerate(values.columns)}

    def row(self, ind_id: str, months) -> list[float]:
        if not months:
            return []
        return self._table[self._row[ind_id], [self._col[m] for m in months]].tolist()


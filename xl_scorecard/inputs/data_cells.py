"""Reading the cells of one data-table column: texts, months, flags and numbers.

A column comes as a list of cells: text (a CSV's cells), or anything a worksheet holds
(numbers, dates, booleans, None). Text is by far the usual case, so each reader has a
fast path for it; any other cell takes the general path, which decides every case.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from .months_text import parse_month

FLAGS = ("", "provisional", "unavailable")   # the optional 'flag' column
_THOUSANDS = re.compile(r"^[-+]?\d{1,3}(,\d{3})+(\.\d*)?$")
_NAN = float("nan")


def texts(cells: list) -> list[str]:
    """Each cell as stripped text; '' for a blank (empty, whitespace, None, NaN, NaT)."""
    return [cell.strip() if type(cell) is str else ("" if blank(cell) else str(cell).strip())
            for cell in cells]


def flag_texts(cells: list) -> tuple[list[str], list[int]]:
    """Each flag cell as '', 'provisional' or 'unavailable' (any case), and the positions of
    cells that are none of these (read as '')."""
    out = [cell.strip().lower() if type(cell) is str else ("" if blank(cell) else str(cell).strip().lower())
           for cell in cells]
    if set(out).issubset(FLAGS):  # the usual case: no cell to pick out
        return out, []
    bad = [i for i, text in enumerate(out) if text not in FLAGS]
    for i in bad:
        out[i] = ""
    return out, bad


def months(cells: list) -> list[tuple]:
    """For each cell, ``(period text, Month or None, converted, problem or None)``.

    A column holds few distinct month texts (one per month of the table), so each
    distinct text is read once; other cells (dates, numbers) are read one by one.
    """
    seen: dict[str, tuple] = {}
    out = []
    for cell in cells:
        if type(cell) is str:
            read = seen.get(cell)
            if read is None:
                read = seen[cell] = _month(cell)
        else:
            read = _month(cell)
        out.append(read)
    return out


def _month(cell) -> tuple:
    if blank(cell):
        return "", None, False, "is empty: give the month as YYYY-MM"
    try:
        month, converted = parse_month(cell)
    except ValueError as exc:
        return "", None, False, str(exc)
    return str(month), month, converted, None


def numbers(cells: list) -> tuple[np.ndarray, list[int]]:
    """Floats from cells of text or numbers; NaN for blanks; the positions of bad cells.

    Fast path for a column of plain number texts: ``float`` of each stripped text at
    once. It gives what the cell-by-cell reading gives (a text with a thousands comma or
    a per cent sign is never a float), and any cell it cannot take (not text, not a
    number, not finite) sends the whole column down the cell-by-cell reading.
    """
    if set(map(type, cells)) != {str}:
        return numbers_cell_by_cell(cells)
    stripped = [cell.strip() for cell in cells]
    try:
        values = np.array([float(text) if text else _NAN for text in stripped], dtype=float)
    except ValueError:
        return numbers_cell_by_cell(cells)
    if np.count_nonzero(~np.isfinite(values)) != stripped.count(""):  # a NaN or infinity written
        return numbers_cell_by_cell(cells)
    return values, []


def numbers_cell_by_cell(cells: list) -> tuple[np.ndarray, list[int]]:
    """``numbers`` for any cells: text (thousands commas and a per cent sign allowed),
    numbers (a boolean or a non-finite number is bad) and blanks."""
    out = np.full(len(cells), np.nan)
    bad = []
    for i, cell in enumerate(cells):
        if blank(cell):
            continue
        if isinstance(cell, bool):
            bad.append(i)
            continue
        if isinstance(cell, (int, float, np.integer, np.floating)):
            try:
                value = float(cell)
            except OverflowError:  # an integer beyond any float
                value = np.inf
            if not np.isfinite(value):
                bad.append(i)
                continue
            out[i] = value
            continue
        text = str(cell).strip()
        if _THOUSANDS.match(text):
            text = text.replace(",", "")
        if text.endswith("%"):
            text = text[:-1].strip()
        try:
            value = float(text)
        except ValueError:
            bad.append(i)
            continue
        if not np.isfinite(value):
            bad.append(i)
            continue
        out[i] = value
    return out, bad


def blank(cell) -> bool:
    """Empty: None, NaN, NaT, pandas' NA, or text of whitespace only."""
    if cell is None or cell is pd.NaT or cell is pd.NA:
        return True
    if isinstance(cell, (float, np.floating)) and np.isnan(cell):
        return True
    if isinstance(cell, (np.datetime64, np.timedelta64)) and np.isnat(cell):
        return True
    return isinstance(cell, str) and cell.strip() == ""


def shown(cell) -> str:
    """A cell as quoted in a message, cut short."""
    text = repr(cell)
    return text if len(text) <= 40 else text[:37] + "..."


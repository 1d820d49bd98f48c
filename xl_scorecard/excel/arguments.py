"""Cells as Excel hands them to a worksheet function, read into NumPy, and results shaped back.

A single value, ``None`` for a blank, or a 1-D / 2-D list or NumPy array of cells holding
numbers, text, booleans, dates, blanks or Excel error values. ``Call`` collects one call's
arguments, broadcasts single cells over ranges, keeps per-cell problems, and shapes the
result as the input came (lists in, lists out; a 1-D input is a column).
"""

from __future__ import annotations

import datetime as dt
import math

import numpy as np
import pandas as pd

from ..core.errors import UsageError

MAX_DECIMALS = 6  # as rules.json allows
EXCEL_ERRORS = frozenset({
    "#N/A", "#DIV/0!", "#VALUE!", "#REF!", "#NAME?", "#NUM!", "#NULL!", "#GETTING_DATA",
    "#SPILL!", "#CALC!", "#FIELD!", "#BLOCKED!", "#CONNECT!", "#BUSY!", "#UNKNOWN!",
    "#PYTHON!", "#EXTERNAL!",
})
EXCEL_EPOCH = dt.datetime(1899, 12, 30)
MESSAGE_LIMIT = 160  # a cell message is read in the cell: short, one line
_NUMERIC = frozenset({"floating", "integer", "mixed-integer-float", "empty"})


# =========================================================================== cells


def is_blank(cell) -> bool:
    """A blank cell, empty text, NaN or an Excel error value: no figure."""
    if cell is None or cell is pd.NA:
        return True
    if isinstance(cell, (float, np.floating)):
        return bool(np.isnan(cell))
    if isinstance(cell, str):
        text = cell.strip()
        return not text or text.upper() in EXCEL_ERRORS
    if isinstance(cell, dict):  # an Office.js rich error value
        return cell.get("type") == "Error"
    return False


def serial_of(cell) -> float:
    """A date as Excel's serial number (days since 1899-12-30)."""
    if not isinstance(cell, dt.datetime):
        cell = dt.datetime(cell.year, cell.month, cell.day)
    return (cell.replace(tzinfo=None) - EXCEL_EPOCH) / dt.timedelta(days=1)


def shown(cell) -> str:
    text = str(cell)
    return repr(text if len(text) <= 30 else text[:27] + "...")


def to_number(cell, name: str) -> float:
    """One cell as a float: NaN for blanks and errors, a serial for a date, UsageError for text."""
    if is_blank(cell):
        return math.nan
    if isinstance(cell, (bool, np.bool_)):  # TRUE is not 1 in a scorecard
        raise UsageError(f"{name} {'TRUE' if cell else 'FALSE'} is not a number")
    if isinstance(cell, (int, float, np.number)):
        try:
            value = float(cell)
        except (OverflowError, TypeError):  # a Python int beyond a float; Excel never sends one
            raise UsageError(f"{name} is too large a number ({len(str(cell)):,} digits)") from None
        if not math.isfinite(value):
            raise UsageError(f"{name} {value} is not a finite number")
        return value
    if isinstance(cell, (dt.date, dt.datetime)):
        return serial_of(cell)
    if isinstance(cell, str):
        text = cell.strip()
        try:
            value = float(text)
        except ValueError:
            value = math.nan
        # float() also reads 'inf', 'nan', 'Infinity' and '1_000': text to Excel, so not numbers
        if math.isfinite(value) and "_" not in text:
            return value
    raise UsageError(f"{name} {shown(cell)} is not a number")


def distinct_cells(flat: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(index, uniques) of a flat array of cells, so each distinct cell is read once.

    ``index`` is -1 for a missing value (None, NaN); cells that cannot be hashed are each
    their own entry.
    """
    if flat.dtype != object:
        flat = flat.astype(object)
    try:
        return pd.factorize(flat, use_na_sentinel=True)
    except TypeError:  # unhashable cells: read each one
        return np.arange(flat.size), flat


def column_of(x) -> "tuple[np.ndarray, str] | None":
    """A column as xlwings passes it (a list of one-cell lists) as an (n, 1) object array, with
    what pandas' ``infer_dtype`` says its cells are (so a column of numbers is known as one).

    The same array ``np.asarray(x, dtype=object)`` makes, several times faster on a long
    column; None for anything else (rows of other lengths, cells that are themselves lists).
    """
    if not (type(x) is list and len(x) > 1 and type(x[0]) is list):
        return None
    try:
        cells = [cell for (cell,) in x]
    except (TypeError, ValueError):  # a row that is not one cell
        return None
    if list(map(type, x)).count(list) != len(x):  # a row that is a tuple, a text, ...
        return None
    arr = np.fromiter(cells, dtype=object, count=len(cells))
    kind = pd.api.types.infer_dtype(arr, skipna=True)
    # numbers, texts, booleans or blanks alone hold no nested cell; anything else is looked at
    if kind not in _FLAT and not NESTED.isdisjoint(map(type, cells)):
        return None
    return arr.reshape(-1, 1), kind


NESTED = frozenset({list, tuple, np.ndarray, pd.Series})
_FLAT = _NUMERIC | {"string", "boolean"}


class Arg:
    """One argument: a single cell (0-d object array) or a 2-D range."""

    def __init__(self, x, name: str):
        self.name = name
        if isinstance(x, pd.DataFrame):  # a range converted by xlwings' pandas converter
            x = x.to_numpy(dtype=object)
        self.numpy = isinstance(x, np.ndarray)
        self.kind = None  # infer_dtype of the cells, when known
        if self.numpy or isinstance(x, (list, tuple, pd.Series)):
            column = None if self.numpy else column_of(x)
            if column is not None:
                arr, self.kind = column
            else:
                arr = x if self.numpy else np.asarray(x, dtype=object)
            flat_lists = arr.dtype == object and arr.ndim == 1 and arr.size > 0
            if flat_lists and isinstance(arr[0], (list, tuple)):
                raise UsageError(f"{name} is not a rectangular range")
            if arr.ndim > 2:
                raise UsageError(f"{name} must be a single cell or a range of rows and columns")
            if arr.size == 0:
                raise UsageError(f"{name} is an empty range")
            self.ndim = arr.ndim
            arr = arr.reshape(-1, 1) if arr.ndim < 2 else arr
        else:  # one cell, whatever it holds (a range object or a set is one odd cell, not a range)
            self.ndim = 0
            self.cells = np.empty((), dtype=object)
            self.cells[()] = x
            return
        if np.size(arr) == 1:
            cell = np.asarray(arr, dtype=object).reshape(-1)[0]
            self.cells = np.empty((), dtype=object)
            self.cells[()] = cell
        else:
            self.cells = arr

    @property
    def single(self) -> bool:
        return self.cells.ndim == 0

    @property
    def value(self):
        return self.cells[()]

    @property
    def shape(self) -> tuple[int, int]:
        return self.cells.shape if not self.single else (1, 1)


def omitted(x) -> bool:
    """An optional argument left out: None, or one blank cell (Office.js sends [[None]])."""
    while isinstance(x, (list, tuple)):
        if len(x) != 1:
            return False
        x = x[0]
    if isinstance(x, np.ndarray):
        return x.size == 1 and is_blank(x.reshape(-1)[0])
    return is_blank(x)


class Call:
    """One call of a worksheet function: its arguments, common shape and per-cell problems."""

    def __init__(self, fn: str):
        self.fn = fn
        self.args: list[Arg] = []
        self.shaped: list[tuple[str, tuple[int, int]]] = []
        self.problems: dict[int, str] = {}  # flat index in the result -> message

    def arg(self, x, name: str, optional: bool = False) -> Arg:
        """Read an argument; an optional one left blank does not shape the result."""
        a = Arg(x, name)
        if not (optional and a.single and is_blank(a.value)):
            self.args.append(a)
        if not a.single:
            self.shaped.append((name, a.cells.shape))
        return a

    def problem(self, index: int, message: str) -> None:
        self.problems.setdefault(int(index), message)

    def numbers(self, x, name: str, default: float = math.nan, fill_blank: bool = False,
                optional: bool = False):
        """A float (single cell) or a 2-D float array (range).

        A blank single cell gives ``default``; with ``fill_blank`` so do blank cells in a
        range. Text in a single cell raises; text in a range is that cell's problem.
        """
        a = self.arg(x, name, optional)
        if a.single:
            return default if is_blank(a.value) else to_number(a.value, name)
        values = self.range_numbers(a.cells, name, kind=a.kind)
        if fill_blank:
            values = np.where(np.isnan(values), default, values)
        return values

    def range_numbers(self, cells: np.ndarray, name: str, row_of=None, kind=None) -> np.ndarray:
        """Floats for a 2-D range in one go; ``row_of`` maps a cell to its result cell, ``kind``
        is ``infer_dtype`` of the cells when already known.

        Numbers and blanks take the fast path; any other range (text, booleans, dates)
        is read cell by cell, so 'inf' or TRUE is that cell's problem, never a number.
        """
        flat = cells.reshape(-1)
        values = None
        if cells.dtype.kind in "fiu":
            values = flat.astype(float)
        elif cells.dtype.kind == "O" and (
                kind or pd.api.types.infer_dtype(flat, skipna=True)) in _NUMERIC:
            try:
                values = flat.astype(float)
            except (TypeError, ValueError, OverflowError):
                values = None
        if values is None:  # text, booleans, dates, huge integers: one by one
            values = np.full(flat.size, np.nan)
            suspects = range(flat.size)
        else:
            suspects = np.flatnonzero(np.isinf(values))
            values[suspects] = np.nan
        for i in suspects:
            cell = flat[i]
            if is_blank(cell):
                continue
            try:
                values[i] = to_number(cell, name)
            except UsageError as exc:
                self.problem(i if row_of is None else row_of(i), str(exc))
        return values.reshape(cells.shape)

    def settings(self, x, name: str, read, default=None, optional: bool = False):
        """Settings such as polarity, ids or months, each distinct cell read once by ``read``.

        A single cell gives one setting (a blank one gives ``default`` when given); a range
        gives an object array. ``read`` raises UsageError for a wrong cell.
        """
        index, table = self.keyed(x, name, read, default, optional)
        return table[0] if index is None else table[index]

    def keyed(self, x, name: str, read, default=None, optional: bool = False):
        """(index, table): the settings of a range as codes into a table of distinct settings.

        ``index`` is None for a single cell (its setting is ``table[0]``); a wrong cell in a
        range reads as None and becomes that cell's problem.
        """
        a = self.arg(x, name, optional)
        if a.single:
            if default is not None and is_blank(a.value):
                return None, [default]
            return None, [read(a.value)]
        index, uniques = distinct_cells(a.cells.reshape(-1))
        cells = list(uniques) + [None]  # index -1 (a missing value) reads as None
        table = np.empty(len(cells), dtype=object)
        bad = {}
        for k, cell in enumerate(cells):
            try:
                table[k] = read(cell)
            except UsageError as exc:
                bad[k if k < len(uniques) else -1] = str(exc)
        for k, message in bad.items():
            for i in np.flatnonzero(index == k):
                self.problem(i, message)
        index = np.where(index < 0, len(cells) - 1, index).reshape(a.cells.shape)
        return index, table

    def shape(self) -> tuple[int, int] | None:
        """The common shape of the ranges given (None when every argument is one cell)."""
        if not self.shaped:
            return None
        name, first = self.shaped[0]
        for other, shape in self.shaped[1:]:
            if shape != first:
                raise UsageError(f"ranges must be the same size: {name} is {first[0]}x{first[1]} "
                                 f"but {other} is {shape[0]}x{shape[1]}")
        return first

    def result(self, out, shape: tuple[int, int] | None):
        """``out`` shaped like the inputs: one value, or a list / NumPy range, problems in place."""
        template = next((a for a in self.args if not a.single),
                        next((a for a in self.args if a.ndim), None))
        if template is None:
            value = out.item() if isinstance(out, np.ndarray) else out
            return short_message(f"{self.fn}: {self.problems[0]}") if self.problems else value
        shape = shape or (1, 1)
        arr = np.asarray(out, dtype=object)
        if arr.shape != shape:
            arr = np.array(np.broadcast_to(arr, shape), dtype=object)
        elif self.problems and not arr.flags.writeable:
            arr = arr.copy()
        if self.problems:
            flat = arr.reshape(-1)
            for i, message in self.problems.items():
                flat[i] = short_message(f"{self.fn}: {message}")
        if template.ndim == 1 and shape[1] == 1:
            arr = arr.reshape(-1)
        return arr if template.numpy else arr.tolist()


def short_message(text: str) -> str:
    """One line of at most MESSAGE_LIMIT characters, with nothing XML cannot hold."""
    text = " ".join(str(text).split())
    text = "".join(c if c.isprintable() and not "\ud800" <= c <= "\udfff" else "?" for c in text)
    return text if len(text) <= MESSAGE_LIMIT else text[: MESSAGE_LIMIT - 3] + "..."


def numbers_out(values) -> np.ndarray:
    """Floats for the sheet: NaN becomes "" (a blank), never an error value."""
    values = np.asarray(values, dtype=float)
    out = values.astype(object)
    out[np.isnan(values)] = ""
    return out


def sheet_function(fn: str):
    """Decorator: run ``impl(call, *args)``; an argument problem becomes its message."""
    def wrap(impl):
        def run(*args):
            call = Call(fn)
            try:
                return impl(call, *args)
            except UsageError as exc:
                return short_message(f"{fn}: {exc}")
            except (TypeError, ValueError, OverflowError, AttributeError, IndexError) as exc:
                # a cell of a kind Excel never sends (found by the round-two hostile tests):
                # a message in the cell, never a Python error in Excel's face
                return short_message(f"{fn}: cannot read these arguments ({type(exc).__name__})")
        return run
    return wrap


def pair_columns(c: Call, a: Arg, name: str):
    """An N x 2 range as two N x 1 float columns; it takes part in the call's shape as N x 1."""
    values = c.range_numbers(a.cells, name, row_of=lambda i: i // 2)
    rows = np.empty((a.cells.shape[0], 1), dtype=object)
    c.args.append(Arg(rows if a.numpy else rows.tolist(), name))
    c.shaped.append((name, rows.shape))
    return values[:, :1], values[:, 1:]

"""The worksheet functions as plain Python: =RAG(), =DOT(), =KPIRATE() and the KPI_* family.

Each function takes cells as Excel hands them over (a single value, ``None``
for a blank, or a 1-D / 2-D list or NumPy array of cells holding numbers,
text, booleans, dates, blanks or Excel error values such as ``'#N/A'``) and
returns one value for single cells, or a same-shaped range: lists in give
lists out, NumPy in gives NumPy out, a 1-D input is read as a column.

Shared rules:

- Single-cell arguments broadcast over ranges; ranges must all be the same size.
- A blank or an Excel error where a number belongs gives an empty result ("").
  An optional argument that is blank counts as left out.
- A wrong argument gives a short message instead of a result, e.g.
  ``RAG: polarity must be H, L or T``. A wrong single-cell argument replaces
  the whole result; a wrong cell inside a range replaces that cell's result.
- Nothing here re-implements a rule: rounding, rates, RAG, direction of travel
  and the summary paragraph come from the core modules, so a workbook and the
  headless engine cannot disagree.

The xlwings wrappers live in ``udfs.py``, the ``formulas`` bridge in
``formula_engine.py``.
"""

from __future__ import annotations

import datetime as dt
import math
import os
from pathlib import Path

import numpy as np
import pandas as pd

from . import direction, sample
from . import rag as rag_rules
from .errors import RulesError, UsageError
from .months_text import month_from_cell, parse_month
from .periods import Month
from .rates import kpi_rate
from .rounding import round_half_away
from .rules import Indicator, Rules, load_rules
from .summary import DirectionCounts, compose_paragraph

__all__ = [
    "rag", "dot", "kpirate", "kpi_rag", "kpi_dot", "kpi_value", "kpi_target", "kpi_floor",
    "kpi_summary", "RULES_ENV", "MONTH_ENV", "EXCEL_ERRORS",
]

RULES_ENV = "XL_SCORECARD_RULES"
MONTH_ENV = "XL_SCORECARD_MONTH"
MAX_DECIMALS = 6  # as rules.json allows
EXCEL_ERRORS = frozenset({
    "#N/A", "#DIV/0!", "#VALUE!", "#REF!", "#NAME?", "#NUM!", "#NULL!", "#GETTING_DATA",
    "#SPILL!", "#CALC!", "#FIELD!", "#BLOCKED!", "#CONNECT!", "#BUSY!", "#UNKNOWN!",
    "#PYTHON!", "#EXTERNAL!",
})
_EXCEL_EPOCH = dt.datetime(1899, 12, 30)


# =========================================================================== cells


def _is_blank(cell) -> bool:
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


def _serial(cell) -> float:
    """A date as Excel's serial number (days since 1899-12-30)."""
    if not isinstance(cell, dt.datetime):
        cell = dt.datetime(cell.year, cell.month, cell.day)
    return (cell.replace(tzinfo=None) - _EXCEL_EPOCH) / dt.timedelta(days=1)


def _shown(cell) -> str:
    text = str(cell)
    return repr(text if len(text) <= 30 else text[:27] + "...")


def _to_number(cell, name: str) -> float:
    """One cell as a float: NaN for blanks and errors, a serial for a date, UsageError for text."""
    if _is_blank(cell):
        return math.nan
    if isinstance(cell, (bool, int, float, np.number, np.bool_)):
        try:
            return float(cell)
        except OverflowError:  # a Python int beyond a float; Excel never sends one
            raise UsageError(f"{name} is too large a number ({len(str(cell))} digits)") from None
    if isinstance(cell, (dt.date, dt.datetime)):
        return _serial(cell)
    if isinstance(cell, str):
        try:
            return float(cell.strip())
        except ValueError:
            pass
    raise UsageError(f"{name} {_shown(cell)} is not a number")


def _column(x) -> "np.ndarray | None":
    """A column as xlwings passes it (a list of one-cell lists) as an (n, 1) object array.

    The same array ``np.asarray(x, dtype=object)`` makes, about five times faster on a long
    column; None for anything else (rows of other lengths, cells that are themselves lists).
    """
    if not (type(x) is list and len(x) > 1 and type(x[0]) is list):
        return None
    try:
        cells = [cell for (cell,) in x]
    except (TypeError, ValueError):  # a row that is not one cell
        return None
    if set(map(type, x)) != {list} or not _NESTED.isdisjoint(map(type, cells)):
        return None
    return np.fromiter(cells, dtype=object, count=len(cells)).reshape(-1, 1)


_NESTED = frozenset({list, tuple, np.ndarray, pd.Series})


class _Arg:
    """One argument: a single cell (0-d object array) or a 2-D range."""

    def __init__(self, x, name: str):
        self.name = name
        self.numpy = isinstance(x, np.ndarray)
        if self.numpy or isinstance(x, (list, tuple, pd.Series)):
            arr = x if self.numpy else _column(x)
            if arr is None:
                arr = np.asarray(x, dtype=object)
            flat_lists = arr.dtype == object and arr.ndim == 1 and arr.size > 0
            if flat_lists and isinstance(arr[0], (list, tuple)):
                raise UsageError(f"{name} is not a rectangular range")
            if arr.ndim > 2:
                raise UsageError(f"{name} must be a single cell or a range of rows and columns")
            if arr.size == 0:
                raise UsageError(f"{name} is an empty range")
            self.ndim = arr.ndim
            arr = arr.reshape(-1, 1) if arr.ndim < 2 else arr
        else:
            arr, self.ndim = x, 0
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


def _omitted(x) -> bool:
    """An optional argument left out: None, or one blank cell (Office.js sends [[None]])."""
    while isinstance(x, (list, tuple)):
        if len(x) != 1:
            return False
        x = x[0]
    if isinstance(x, np.ndarray):
        return x.size == 1 and _is_blank(x.reshape(-1)[0])
    return _is_blank(x)


class _Call:
    """One call of a worksheet function: its arguments, common shape and per-cell problems."""

    def __init__(self, fn: str):
        self.fn = fn
        self.args: list[_Arg] = []
        self.shaped: list[tuple[str, tuple[int, int]]] = []
        self.problems: dict[int, str] = {}  # flat index in the result -> message

    def arg(self, x, name: str, optional: bool = False) -> _Arg:
        """Read an argument; an optional one left blank does not shape the result."""
        a = _Arg(x, name)
        if not (optional and a.single and _is_blank(a.value)):
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
            return default if _is_blank(a.value) else _to_number(a.value, name)
        values = self.range_numbers(a.cells, name)
        if fill_blank:
            values = np.where(np.isnan(values), default, values)
        return values

    def range_numbers(self, cells: np.ndarray, name: str, row_of=None) -> np.ndarray:
        """Floats for a 2-D range in one go; ``row_of`` maps a cell to its result cell."""
        if cells.dtype.kind in "fiub":
            return cells.astype(float, copy=False)
        flat = cells.reshape(-1)
        try:  # numbers and blanks only: the fast path
            values = flat.astype(float)
        except (TypeError, ValueError):
            try:
                values = np.array(pd.to_numeric(flat, errors="coerce"), dtype=float)
            except (TypeError, ValueError):  # cells pandas cannot read: go one by one
                values = np.full(flat.size, np.nan)
        for i in np.flatnonzero(np.isnan(values)):
            cell = flat[i]
            if _is_blank(cell):
                continue
            try:
                values[i] = _to_number(cell, name)
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
            if default is not None and _is_blank(a.value):
                return None, [default]
            return None, [read(a.value)]
        flat = a.cells.reshape(-1)
        if flat.dtype != object:
            flat = flat.astype(object)
        try:
            index, uniques = pd.factorize(flat, use_na_sentinel=True)
        except TypeError:  # unhashable cells: read each one
            index, uniques = np.arange(flat.size), flat
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
            return f"{self.fn}: {self.problems[0]}" if self.problems else value
        shape = shape or (1, 1)
        arr = np.asarray(out, dtype=object)
        if arr.shape != shape:
            arr = np.array(np.broadcast_to(arr, shape), dtype=object)
        elif self.problems and not arr.flags.writeable:
            arr = arr.copy()
        if self.problems:
            flat = arr.reshape(-1)
            for i, message in self.problems.items():
                flat[i] = f"{self.fn}: {message}"
        if template.ndim == 1 and shape[1] == 1:
            arr = arr.reshape(-1)
        return arr if template.numpy else arr.tolist()


def _numbers_out(values) -> np.ndarray:
    """Floats for the sheet: NaN becomes "" (a blank), never an error value."""
    values = np.asarray(values, dtype=float)
    out = values.astype(object)
    out[np.isnan(values)] = ""
    return out


def _sheet_function(fn: str):
    """Decorator: run ``impl(call, *args)``; an argument problem becomes its message."""
    def wrap(impl):
        def run(*args):
            call = _Call(fn)
            try:
                return impl(call, *args)
            except UsageError as exc:
                return f"{fn}: {exc}"
        return run
    return wrap


# =========================================================================== settings


def _read_polarity(cell) -> str:
    """H, L or T (any case); a blank cell inside a range means no polarity: no rating."""
    if _is_blank(cell):
        return ""
    if isinstance(cell, str) and cell.strip().upper() in ("H", "L", "T"):
        return cell.strip().upper()
    raise UsageError("polarity must be H, L or T")


def _read_decimals(cell) -> float:
    if _is_blank(cell):
        return 1.0
    try:
        value = _to_number(cell, "decimals")
    except UsageError:
        value = math.nan
    if not (math.isfinite(value) and value == int(value) and 0 <= value <= MAX_DECIMALS):
        raise UsageError(f"decimals must be a whole number from 0 to {MAX_DECIMALS}")
    return float(value)


def _decimals(c: _Call, x):
    decimals = c.settings(x, "decimals", _read_decimals, 1.0, optional=True)
    return decimals if isinstance(decimals, float) else decimals.astype(float)


def _band(c: _Call, x, name: str, colour: str):
    """A polarity T band as (low, high): one pair for every row, or one pair per row (N x 2)."""
    hint = f"{name} must be the {colour} band: two cells (low, high), or one pair per row"
    if _omitted(x):
        return math.nan, math.nan
    a = _Arg(x, name)
    if a.single:
        raise UsageError(f"for polarity T, {hint}")
    cells = a.cells
    if cells.size == 2:
        try:
            low, high = (_to_number(cell, name) for cell in cells.reshape(-1))
        except UsageError:
            raise UsageError(f"{name} band must be two numbers (low, high)") from None
        if np.isnan(low) != np.isnan(high):
            raise UsageError(f"{name} band needs both low and high")
        if low > high:
            raise UsageError(f"{name} band low {low:g} is above high {high:g}")
        return low, high
    if cells.shape[1] != 2:
        raise UsageError(hint)
    values = c.range_numbers(cells, name, row_of=lambda i: i // 2)
    low, high = values[:, :1], values[:, 1:]
    for i in np.flatnonzero(low[:, 0] > high[:, 0]):
        c.problem(i, f"{name} band low {low[i, 0]:g} is above high {high[i, 0]:g}")
    rows = np.empty((cells.shape[0], 1), dtype=object)
    c.args.append(_Arg(rows if a.numpy else rows.tolist(), name))  # takes part as N x 1
    c.shaped.append((name, rows.shape))
    return low, high


# =========================================================================== RAG, DOT, KPIRATE


def rag(value, target, floor=None, polarity="H", decimals=1):
    """Green, Amber or Red for a value against its target and floor (blank if either is missing).

    Judged on the value rounded to the decimals shown: on target is Green, on the floor Amber;
    no floor, no Amber. For polarity T give two-cell bands (low, high).
    """
    return _rag(value, target, floor, polarity, decimals)


@_sheet_function("RAG")
def _rag(c: _Call, value, target, floor, polarity, decimals):
    pol = c.settings(polarity, "polarity", _read_polarity, "H", optional=True)
    v = c.numbers(value, "value")
    value_arg = c.args[-1]
    dec = _decimals(c, decimals)
    if isinstance(pol, str) and pol == "T":
        green_low, green_high = _band(c, target, "target", "green")
        amber_low, amber_high = _band(c, floor, "floor", "amber")
        shape = c.shape()
        codes = rag_rules.rag_band(round_half_away(v, dec), green_low, green_high,
                                   amber_low, amber_high)
        return c.result(rag_rules.labels(codes), shape)
    if not isinstance(pol, str):
        for i in np.flatnonzero(pol.reshape(-1) == "T"):
            c.problem(i, 'polarity T needs bands: give "T" as one value with target and floor '
                      "bands (two cells each)")
    t = c.numbers(target, "target")
    if c.args[-1].cells.size == 2 and value_arg.single:
        raise UsageError("target must be one number for polarity H or L; a two-cell band is for T")
    f = c.numbers(floor, "floor", optional=True)
    shape = c.shape()
    judged = round_half_away(v, dec)
    if isinstance(pol, str):  # one polarity: only its rule is needed
        codes = (rag_rules.rag_higher if pol == "H" else rag_rules.rag_lower)(judged, t, f)
    else:
        codes = rag_rules.rag_codes(judged, pol, t, f)
    return c.result(rag_rules.labels(codes), shape)


def dot(latest, previous, polarity="H", target=None, tolerance=0):
    """Direction of travel: ↑ improved, ↓ worsened, → unchanged (blank without both results).

    Shows performance: for polarity L a fall is ↑, for T nearer the target is ↑. Changes no
    bigger than the tolerance show →.
    """
    return _dot(latest, previous, polarity, target, tolerance)


@_sheet_function("DOT")
def _dot(c: _Call, latest, previous, polarity, target, tolerance):
    pol = c.settings(polarity, "polarity", _read_polarity, "H", optional=True)
    new = c.numbers(latest, "latest")
    old = c.numbers(previous, "previous")
    if isinstance(pol, str) and pol == "T" and _omitted(target):
        raise UsageError("polarity T needs the target (one number)")
    tgt = c.numbers(target, "target", optional=True)
    tol = c.numbers(tolerance, "tolerance", 0.0, fill_blank=True, optional=True)
    if np.ndim(tol) == 0 and tol < 0:
        raise UsageError("tolerance must be zero or more")
    if np.ndim(tol):
        for i in np.flatnonzero(tol.reshape(-1) < 0):
            c.problem(i, "tolerance must be zero or more")
    shape = c.shape()
    codes = direction.dot_codes(new, old, pol, tgt, tol)
    return c.result(direction.arrows(codes), shape)


def kpirate(numerator, denominator, multiplier=100):
    """Numerator divided by denominator times the multiplier: 100 for a percentage, 10000 for a
    rate per 10,000, 1 for an average. Blank when the denominator is zero or missing.
    """
    return _kpirate(numerator, denominator, multiplier)


@_sheet_function("KPIRATE")
def _kpirate(c: _Call, numerator, denominator, multiplier):
    num = c.numbers(numerator, "numerator")
    den = c.numbers(denominator, "denominator")
    mult = c.numbers(multiplier, "multiplier", 100.0, fill_blank=True, optional=True)
    shape = c.shape()
    return c.result(_numbers_out(kpi_rate(num, den, mult)), shape)


# =========================================================================== rules and months

_RULES_CACHE: dict[str, tuple[tuple, "Rules | RulesError"]] = {}


def rules_file() -> Path:
    """The rules.json the KPI_* functions read: $XL_SCORECARD_RULES, else the bundled sample."""
    configured = os.environ.get(RULES_ENV, "").strip()
    return Path(configured) if configured else sample.rules_path()


def current_rules() -> Rules:
    """The rules in force, loaded once and again whenever the file changes."""
    path = rules_file()
    try:
        stat = path.stat()
    except OSError:
        raise UsageError(f"rules file {path.name!r} not found "
                         f"(set {RULES_ENV} to its path)") from None
    stamp = (stat.st_mtime_ns, stat.st_size)
    cached = _RULES_CACHE.get(str(path))
    if cached is None or cached[0] != stamp:
        try:
            loaded: Rules | RulesError = load_rules(path)
        except RulesError as exc:
            loaded = exc
        cached = (stamp, loaded)
        _RULES_CACHE[str(path)] = cached
    loaded = cached[1]
    if isinstance(loaded, RulesError):
        first = str(loaded.problems[0]).replace(str(path), path.name)
        more = len(loaded.problems) - 1
        raise UsageError(first + (f" (and {more} more problem{'s' * (more > 1)})" if more else ""))
    return loaded


def _report_month() -> Month | None:
    """$XL_SCORECARD_MONTH, or None (then each indicator's latest thresholds apply)."""
    text = os.environ.get(MONTH_ENV, "").strip()
    if not text:
        return None
    try:
        return parse_month(text)[0]
    except ValueError:
        raise UsageError(f"{MONTH_ENV} {text!r} is not a month; write it as YYYY-MM") from None


def _read_month(cell) -> Month | None:
    """A month from 'YYYY-MM' text, a date, or an Excel date serial; blank is None (the default)."""
    if _is_blank(cell):
        return None
    try:
        return month_from_cell(cell)
    except ValueError:
        if isinstance(cell, (int, float, np.number)) and not isinstance(cell, (bool, np.bool_)):
            raise UsageError(f"month {cell:g} is not a date; write it as YYYY-MM") from None
        raise UsageError(f"month {_shown(cell)} is not a month; write it as YYYY-MM or give a date") from None


class _Finder:
    """Indicator ids as analysts type them: exact, else ignoring case."""

    def __init__(self, rules: Rules):
        self.rules = rules
        self.folded = {ind.id.upper(): ind for ind in rules.indicators}

    def __call__(self, cell) -> Indicator | None:
        if _is_blank(cell):
            return None
        if isinstance(cell, (float, np.floating)) and float(cell).is_integer():
            cell = int(cell)
        key = str(cell).strip()
        found = self.rules[key] if key in self.rules else self.folded.get(key.upper())
        if found is None:
            raise UsageError(f"no indicator {key!r} in {Path(self.rules.source).name}")
        return found


_FIELDS = ("target", "floor", "green_low", "green_high", "amber_low", "amber_high",
           "decimals", "displayed", "multiplier", "count", "tolerance")


def _record(rules: Rules, ind: Indicator | None, month: Month | None) -> tuple[str, list[float]]:
    """(polarity, numbers in _FIELDS order) for one indicator in one month; blanks as NaN."""
    nan = math.nan
    if ind is None:
        return "", [nan] * len(_FIELDS)
    if month is None:
        th = ind.thresholds[-1] if ind.thresholds else None
    else:
        th = ind.threshold_for(month)

    def number(v):
        return nan if v is None else float(v)

    green = th.green if th is not None and th.green else (None, None)
    amber = th.amber if th is not None and th.amber else (None, None)
    tolerance = rules.scorecard.dot_tolerance if ind.dot_tolerance is None else ind.dot_tolerance
    values = [
        number(th.target) if th else nan, number(th.floor) if th else nan,
        number(green[0]), number(green[1]), number(amber[0]), number(amber[1]),
        float(ind.decimals), float(ind.rag_basis == "displayed"), ind.multiplier,
        float(ind.measure == "count"), float(tolerance),
    ]
    return ind.polarity or "", values


class _Lookup:
    """Polarity and thresholds of the indicators named in a call, one value per result cell."""

    def __init__(self, polarity, table: dict[str, np.ndarray]):
        self.polarity = polarity
        self._table = table

    def __getattr__(self, name: str):
        try:
            return self._table[name]
        except KeyError:
            raise AttributeError(name) from None


def _lookup(c: _Call, indicator_id, month=None, use_month: bool = True) -> _Lookup:
    """Read ids (and months) and look each distinct (id, month) pair up once."""
    rules = current_rules()
    id_index, id_table = c.keyed(indicator_id, "indicator_id", _Finder(rules))
    month_index, month_table = (c.keyed(month, "month", _read_month, optional=True) if use_month
                                else (None, [None]))
    default_month = _report_month() if use_month else None
    if id_index is None and month_index is None:
        polarity, values = _record(rules, id_table[0], month_table[0] or default_month)
        return _Lookup(polarity, {k: np.float64(v) for k, v in zip(_FIELDS, values)})
    shape = c.shape()
    ids = np.broadcast_to(0 if id_index is None else id_index, shape).reshape(-1)
    months = np.broadcast_to(0 if month_index is None else month_index, shape).reshape(-1)
    width = len(month_table)
    keys, inverse = np.unique(ids * width + months, return_inverse=True)
    polarities, rows = [], []
    for key in keys.tolist():
        i, m = divmod(key, width)
        polarity, values = _record(rules, id_table[i], month_table[m] or default_month)
        polarities.append(polarity)
        rows.append(values)
    inverse = inverse.reshape(-1)
    table = np.array(rows, dtype=float)[inverse]
    polarity = np.array(polarities, dtype=object)[inverse].reshape(shape)
    return _Lookup(polarity, {k: table[:, j].reshape(shape) for j, k in enumerate(_FIELDS)})


# =========================================================================== KPI_* functions


def kpi_rag(value, indicator_id, month=None):
    """Green, Amber or Red for a value, judged by the indicator's polarity, decimals and the
    target and floor in force for the month in rules.json.
    """
    return _kpi_rag(value, indicator_id, month)


@_sheet_function("KPI_RAG")
def _kpi_rag(c: _Call, value, indicator_id, month):
    v = c.numbers(value, "value")
    ind = _lookup(c, indicator_id, month)
    shape = c.shape()
    rounded = round_half_away(v, np.nan_to_num(ind.decimals))
    judged = np.where(ind.displayed == 1.0, rounded, v)
    codes = rag_rules.rag_codes(judged, ind.polarity, ind.target, ind.floor, ind.green_low,
                                ind.green_high, ind.amber_low, ind.amber_high)
    return c.result(rag_rules.labels(codes), shape)


def kpi_dot(latest, previous, indicator_id, month=None):
    """Direction of travel (↑ ↓ →) for an indicator, using its polarity, target and tolerance
    from rules.json.
    """
    return _kpi_dot(latest, previous, indicator_id, month)


@_sheet_function("KPI_DOT")
def _kpi_dot(c: _Call, latest, previous, indicator_id, month):
    new = c.numbers(latest, "latest")
    old = c.numbers(previous, "previous")
    ind = _lookup(c, indicator_id, month)
    shape = c.shape()
    codes = direction.dot_codes(new, old, ind.polarity, ind.target, np.nan_to_num(ind.tolerance))
    return c.result(direction.arrows(codes), shape)


def kpi_value(numerator, denominator, indicator_id):
    """The indicator's result from numerator and denominator, as its measure says (percentage,
    rate per N, average; a count is the numerator). Blank for a zero or missing denominator.
    """
    return _kpi_value(numerator, denominator, indicator_id)


@_sheet_function("KPI_VALUE")
def _kpi_value(c: _Call, numerator, denominator, indicator_id):
    num = c.numbers(numerator, "numerator")
    den = c.numbers(denominator, "denominator")
    ind = _lookup(c, indicator_id, use_month=False)
    shape = c.shape()
    value = np.where(ind.count == 1.0, num, kpi_rate(num, den, ind.multiplier))
    return c.result(_numbers_out(value), shape)


def kpi_target(indicator_id, month=None):
    """The target in force for the month in rules.json; for polarity T the green band
    (low, high) in two cells.
    """
    return _kpi_target(indicator_id, month)


@_sheet_function("KPI_TARGET")
def _kpi_target(c: _Call, indicator_id, month):
    ind = _lookup(c, indicator_id, month)
    return _threshold_result(c, ind, ind.target, ind.green_low, ind.green_high)


def kpi_floor(indicator_id, month=None):
    """The floor (minimum standard) in force for the month in rules.json, blank when there is no
    Amber; for polarity T the amber band (low, high) in two cells.
    """
    return _kpi_floor(indicator_id, month)


@_sheet_function("KPI_FLOOR")
def _kpi_floor(c: _Call, indicator_id, month):
    ind = _lookup(c, indicator_id, month)
    return _threshold_result(c, ind, ind.floor, ind.amber_low, ind.amber_high)


def _threshold_result(c: _Call, ind: _Lookup, number, low, high):
    """One value per id, or two cells (low, high) per id when an indicator is polarity T."""
    shape = c.shape()
    is_band = np.asarray(ind.polarity == "T")
    if not is_band.any():
        return c.result(_numbers_out(number), shape)
    if shape is None:
        pair = np.array([_numbers_out([low, high])])
        if not any(a.ndim for a in c.args):
            return pair.tolist()
        return c.result(pair, (1, 2))
    if shape[1] != 1:
        raise UsageError("polarity T indicators give two cells (low, high): give the ids as "
                         "one column")
    first = _numbers_out(np.where(is_band, low, number)).reshape(-1, 1)
    second = _numbers_out(np.where(is_band, high, np.nan)).reshape(-1, 1)
    widened = np.hstack([first, second])
    c.problems = {i * 2: m for i, m in c.problems.items()}
    for a in c.args:  # a 1-D list of ids still gives rows of two
        a.ndim = 2 if a.ndim == 1 else a.ndim
    return c.result(widened, widened.shape)


# =========================================================================== KPI_SUMMARY

_RATINGS = {"GREEN": "Green", "G": "Green", "AMBER": "Amber", "A": "Amber",
            "RED": "Red", "R": "Red"}
_ARROWS = {"↑": "↑", "→": "→", "↓": "↓"}


def _counts(c: _Call, x, name: str, read) -> dict[str, int]:
    if x is None:
        return {}
    a = c.arg(x, name)
    flat = a.cells.reshape(-1) if not a.single else np.array([a.value], dtype=object)
    try:
        index, uniques = pd.factorize(flat.astype(object), use_na_sentinel=True)
    except TypeError:
        index, uniques = np.arange(flat.size), flat
    tally = np.bincount(index[index >= 0], minlength=len(uniques))
    counts: dict[str, int] = {}
    for cell, n in zip(uniques, tally):
        key = read(cell)
        if key:
            counts[key] = counts.get(key, 0) + int(n)
    return counts


def _read_rating(cell) -> str:
    if _is_blank(cell):
        return ""
    key = str(cell).strip().upper()
    if key not in _RATINGS:
        raise UsageError(f"rating {_shown(cell)} is not Green, Amber or Red")
    return _RATINGS[key]


def _read_arrow(cell) -> str:
    if _is_blank(cell):
        return ""
    key = str(cell).strip()
    if key not in _ARROWS:
        raise UsageError(f"direction {_shown(cell)} is not one of ↑ → ↓")
    return key


def kpi_summary(rags, dots_previous=None, dots_outturn=None):
    """The committee summary paragraph: how many measures are Green, Amber and Red, and how many
    improved, stayed the same or worsened. Blank cells are left out of the counts.
    """
    return _kpi_summary(rags, dots_previous, dots_outturn)


@_sheet_function("KPI_SUMMARY")
def _kpi_summary(c: _Call, rags, dots_previous, dots_outturn):
    ratings = _counts(c, rags, "rags", _read_rating)

    def directions(x, name):
        if _omitted(x) and not isinstance(x, (list, tuple, np.ndarray)):
            return None
        arrows = _counts(c, x, name, _read_arrow)
        return DirectionCounts(arrows.get("↑", 0), arrows.get("→", 0), arrows.get("↓", 0))

    return compose_paragraph(ratings.get("Green", 0), ratings.get("Amber", 0),
                             ratings.get("Red", 0), directions(dots_previous, "dots_previous"),
                             directions(dots_outturn, "dots_outturn"))

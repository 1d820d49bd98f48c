"""Read and check the long data table: indicator, period, numerator, denominator, value.

CSV or XLSX. Every problem names the file, the row as a spreadsheet shows it
(the header is row 1) and the column; all problems are collected before
anything is raised, so an analyst can fix a file in one pass.
"""

from __future__ import annotations

import csv
import re
import warnings
from pathlib import Path

import numpy as np
import pandas as pd

from ..core.errors import DataError, Problem, one_line
from ..core.rules import Rules
from ..core.table import DataTable
from .data_cells import flag_texts, months, numbers, shown, texts
from .files import regular_file
from .plain_csv import read_plain_csv

COLUMNS = ("indicator", "period", "numerator", "denominator", "value")
NUMERIC = ("numerator", "denominator", "value")
MAX_ROWS = 1_000_000
MAX_BYTES = 200 * 1024 * 1024
MAX_REPORTED = 25
ROWS_ATTR = "xl_scorecard_rows"  # a reader's row numbers in the file, when blank rows were skipped


def load_data(path: "str | Path", rules: Rules) -> DataTable:
    """Read a CSV or XLSX data table and check it against the rules."""
    path = Path(path)
    if regular_file(path, DataError, "data file").st_size > MAX_BYTES:
        raise DataError(Problem(file=str(path), message=f"is larger than the {_size(MAX_BYTES)} limit "
                                "for a data table; split it by year"))
    suffix = path.suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        from .xlsx_input import read_table
        raw, first_row = read_table(path, max_rows=MAX_ROWS), 2
    elif suffix in (".csv", ".txt"):
        plain = read_plain_csv(path, MAX_ROWS)
        if plain is not None:  # the usual file: its cells without pandas' reader
            names, columns = [name.strip().lower() for name in plain[0]], plain[1]
            if len(set(names)) == len(names):  # else as check_table decides
                return _check_cells(names, dict(zip(names, columns)).__getitem__, len(columns[0]), rules,
                                    {"file": str(path), "sheet": ""})
        raw, first_row = _read_csv(path), 2
    else:
        raise DataError(Problem(file=str(path), message=f"unknown file type {suffix!r}: use .csv or .xlsx"))
    return check_table(raw, rules, source=str(path), first_row=first_row,
                       row_numbers=raw.attrs.get(ROWS_ATTR))


_FIELDS_ERROR = re.compile(r"Expected (\d+) fields in line (\d+), saw (\d+)")


def _size(n: int) -> str:
    return f"{n / 2**20:,.0f} MB" if n >= 2**20 else f"{n:,} byte"


def _read_csv(path: Path) -> pd.DataFrame:
    with open(path, "rb") as handle:
        head = handle.read(4096)
    if head[:2] in (b"\xff\xfe", b"\xfe\xff") or head.count(b"\x00") > len(head) // 4:
        raise DataError(Problem(file=str(path), message="is UTF-16 text (Excel's 'Unicode Text' format), not a "
                                "CSV: save it from Excel as 'CSV UTF-8 (Comma delimited)'"))
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            # index_col=False: a row with more cells than the header must never shift the
            # columns (pandas would otherwise take the first column as an index)
            with warnings.catch_warnings(record=True) as caught:
                warnings.simplefilter("always", pd.errors.ParserWarning)
                frame = pd.read_csv(path, dtype=str, keep_default_na=False, encoding=encoding,
                                    skipinitialspace=True, nrows=MAX_ROWS + 1, index_col=False,
                                    skip_blank_lines=False)
            if any(issubclass(w.category, pd.errors.ParserWarning) for w in caught):
                _refuse_extra_cells(path, encoding, len(frame.columns))
            break
        except UnicodeDecodeError:
            continue
        except pd.errors.EmptyDataError:
            raise DataError(Problem(file=str(path), message="the file is empty: it needs a header row "
                                    f"({', '.join(COLUMNS)}) and data rows")) from None
        except pd.errors.ParserError as exc:
            if not _FIELDS_ERROR.search(str(exc)):
                raise DataError(Problem(file=str(path), message=f"not a readable CSV table ({one_line(exc)}): "
                                        "check for an unclosed double quote")) from None
            width = _header_width(path, encoding)
            _refuse_extra_cells(path, encoding, width)
            # only empty extra cells (trailing commas): read again, dropping them
            frame = pd.read_csv(path, dtype=str, keep_default_na=False, encoding=encoding,
                                skipinitialspace=True, nrows=MAX_ROWS + 1, index_col=False,
                                engine="python", on_bad_lines=lambda cells: cells[:width],
                                skip_blank_lines=False)
            break
        except OSError as exc:
            raise DataError(Problem(file=str(path), message=f"cannot be read: {exc.strerror or exc}")) from None
    else:  # pragma: no cover - cp1252 decodes any byte string
        raise DataError(Problem(file=str(path), message="text encoding not recognised; save as UTF-8 CSV"))
    if len(frame) > MAX_ROWS:  # the reader stopped there: rows after it were never read
        raise DataError(Problem(file=str(path), message=f"has more than {MAX_ROWS:,} rows, the limit for one "
                                "data table; split it by year"))
    blank = _blank_rows(frame)
    if blank.any():  # blank lines are skipped, and the rows after them keep their numbers
        numbers = np.flatnonzero(~blank) + 2
        frame = frame[~blank].reset_index(drop=True)
        frame.attrs[ROWS_ATTR] = numbers
    return frame


def _blank_rows(frame: pd.DataFrame) -> np.ndarray:
    """The rows whose every cell is text empty once stripped (a missing cell is not).

    Read from the columns as lists, and past the first column only on its blank rows."""
    blank = np.zeros(len(frame), dtype=bool)
    for k in range(frame.shape[1]):
        cells = frame.iloc[:, k].tolist()
        if k == 0:
            blank[:] = [isinstance(cell, str) and not cell.strip() for cell in cells]
        else:
            for i in np.flatnonzero(blank):
                blank[i] = isinstance(cells[i], str) and not cells[i].strip()
        if not blank.any():
            break
    return blank


def _header_width(path: Path, encoding: str) -> int:
    with open(path, encoding=encoding, newline="") as handle:
        return len(next(csv.reader(handle, skipinitialspace=True), []))


def _refuse_extra_cells(path: Path, encoding: str, width: int) -> None:
    """Some row has more cells than the header: refuse it unless the extra cells are empty."""
    with open(path, encoding=encoding, newline="") as handle:
        for row, record in enumerate(csv.reader(handle, skipinitialspace=True), start=1):
            if row > 1 and len(record) > width and any(c.strip() for c in record[width:]):
                raise DataError(Problem(file=str(path), row=row, message=f"has {len(record)} cells but the "
                                        f"header has {width}: remove the extra cells, or put text "
                                        "that holds a comma in double quotes"))
            if row > MAX_ROWS + 1:
                return


def check_table(raw: pd.DataFrame, rules: Rules, source: str = "", first_row: int = 2,
                sheet: str = "", row_numbers=None) -> DataTable:
    """Check a table of raw cells (text, numbers or dates) and return typed figures.

    ``source`` is the file the cells came from and ``sheet`` the worksheet (either may be
    empty: a macro's Data sheet is named by its sheet alone); problems carry both.
    ``row_numbers`` gives each row's number in the file when blank rows were skipped
    (default: consecutive from ``first_row``).
    """
    raw = raw.rename(columns=lambda c: str(c).strip().lower())
    return _check_cells(list(raw.columns), lambda name: raw[name].tolist(), len(raw), rules,
                        {"file": source, "sheet": sheet}, first_row, row_numbers)


def _check_cells(names: list, cells, size: int, rules: Rules, located: dict, first_row: int = 2,
                 row_numbers=None) -> DataTable:
    """``check_table`` of a table given as its header ``names`` and ``cells(name)``, the list
    of a column's cells; ``size`` rows. The columns are read as Python lists: on the usual
    few hundred rows, pandas' cost per call would be most of the time."""
    _refuse_header(names, size, located)
    problems: list[Problem] = []
    rows = (np.asarray(row_numbers, dtype=int) if row_numbers is not None
            else np.arange(size) + first_row)
    row_list = rows.tolist()
    ids = texts(cells("indicator"))
    known_ids = set(rules.ids)

    def at(i: int, column: str, message: str) -> Problem:
        known = ids[i] if ids[i] in known_ids else ""
        return Problem(**located, row=row_list[i], column=column, indicator=known, message=message)

    if not known_ids.issuperset(ids):
        for i, ident in enumerate(ids):
            if ident not in known_ids:
                what = ("is empty: give the indicator id from the rules" if ident == "" else
                        f"{shown(ident)} is not an indicator in {rules.source}: correct the id or "
                        "add the indicator to the rules")
                problems.append(at(i, "indicator", what))

    period_cells = cells("period")
    periods, converted = [], []
    for i, (text, month, was_converted, problem) in enumerate(months(period_cells)):
        periods.append(text)
        if problem is not None:
            problems.append(at(i, "period", problem))
        elif was_converted:
            converted.append((rows[i], period_cells[i], month))

    flag_cells = cells("flag") if "flag" in names else None
    flags, bad_flags = flag_texts(flag_cells) if flag_cells is not None else ([""] * size, [])
    for i in bad_flags:
        problems.append(at(i, "flag", f"{shown(flag_cells[i])} is not a flag: write provisional or "
                           "unavailable, or leave it empty"))
    unavailable = (np.array([flag == "unavailable" for flag in flags], dtype=bool)
                   if "unavailable" in flags else None)
    figures = {}
    for column in NUMERIC:
        if column not in names:
            figures[column] = np.full(size, np.nan)
            continue
        column_cells = cells(column)
        values, bad = numbers(column_cells)
        figures[column] = values
        for i in (i for i in bad if unavailable is None or not unavailable[i]):
            problems.append(at(i, column, f"{shown(column_cells[i])} is not a number; leave the cell empty "
                                    "for a missing value"))
    if unavailable is not None:  # an unavailable figure is a blank, whatever the cells hold
        for values in figures.values():
            values[unavailable] = np.nan
    denominators = figures["denominator"]
    for i in np.flatnonzero(denominators < 0):
        problems.append(at(i, "denominator", f"{denominators[i]:g} is negative; a denominator "
                           "cannot be below zero: correct it, or leave it empty"))
    problems += _duplicates(ids, periods, row_list, located)

    if problems:
        raise DataError(_capped(sorted(problems, key=_row_order)))

    warnings = _warnings(ids, figures, row_list, rules, located, converted)
    frame = pd.DataFrame({"row": rows, "indicator": ids, "period": periods, "flag": flags, **figures})
    source = Problem(**located, message="").where  # as its problems name it
    return DataTable(frame=frame, source=source, warnings=warnings)


def _refuse_header(names: list, size: int, located: dict) -> None:
    """DataError for a header naming a column twice or missing one, or a table of no rows."""
    twice = sorted({c for c in names if c in (*COLUMNS, "flag") and names.count(c) > 1})
    if twice:
        raise DataError(Problem(**located, message=f"the header names column(s) {', '.join(map(repr, twice))} "
                                "more than once: keep one column of each name"))
    missing = [c for c in ("indicator", "period") if c not in names]
    if not any(c in names for c in ("value", "numerator")):
        missing.append("value (or numerator and denominator)")
    if missing:
        found = ", ".join(shown(str(c)) for c in names) or "none"
        hint = ""
        if len(names) == 1 and any(sep in str(names[0]) for sep in (";", "\t", "|")):
            hint = " (the file seems to use another separator: save it as comma-separated CSV)"
        raise DataError(Problem(**located, message=f"missing column(s) {', '.join(missing)}; found: {found}"
                                f"{hint}. The header row must name {', '.join(COLUMNS)}"))
    if size == 0:
        raise DataError(Problem(**located, message="has a header but no data rows"))


def _duplicates(ids: list, periods: list, rows: list, located: dict) -> list[Problem]:
    """A second row for the same indicator and month (rows without either are not compared)."""
    keys = list(zip(ids, periods))
    if len(set(keys)) == len(keys):  # the usual case: every row its own
        return []
    first: dict = {}
    found = []
    for i, (ident, period) in enumerate(keys):
        if not ident or not period:
            continue
        if (ident, period) not in first:
            first[ident, period] = rows[i]
            continue
        found.append(Problem(
            **located, row=rows[i], column=("indicator", "period"), indicator=ident, month=period,
            message=f"duplicate figures for {ident} in {period} (also on row {first[ident, period]}); keep one "
            "row per indicator and month"))
    return found


def _warnings(ids: list, figures: dict, rows: list, rules: Rules, located: dict, converted) -> list[Problem]:
    warnings = []
    if converted:
        shown = ", ".join(f"row {row} {str(cell)!r} -> {month}" for row, cell, month in converted[:5])
        more = f" and {len(converted) - 5} more" if len(converted) > 5 else ""
        warnings.append(Problem(**located, column="period", severity="warning",
                                message=f"read {len(converted)} month(s) not written as YYYY-MM: {shown}{more}"))
    warnings += _value_only_rows(ids, figures, rows, rules, located)
    percent_ids = {ind.id for ind in rules.indicators if ind.measure == "percent"}
    numerators, denominators = figures["numerator"], figures["denominator"]
    for i in np.flatnonzero(numerators > denominators):
        if ids[i] in percent_ids:
            warnings.append(Problem(**located, row=rows[i], indicator=ids[i], severity="warning",
                                    message=f"numerator {numerators[i]:g} is above denominator "
                                    f"{denominators[i]:g} for percentage {ids[i]}: over 100%"))
    warnings += _negative_warnings(ids, figures, rows, rules, located)
    return warnings


_NEGATIVE_READS = {"H": "rated as far below any target", "L": "rated as better than any target",
                   "T": "rated by its distance from the target"}


def _negative_warnings(ids: list, figures: dict, rows: list, rules: Rules, located: dict) -> list[Problem]:
    """A negative numerator or value: rated as given, but said, unless the indicator allows it.

    Counts of children, visits or posts cannot be below zero, so a minus sign is almost
    always a slip; for a lower-is-better indicator it would silently read as excellent.
    Some figures are genuinely negative (posts unfilled when over establishment):
    ``"allow_negative": true`` in rules.json says so and silences the warning.
    """
    quiet = {ind.id for ind in rules.indicators if ind.allow_negative}
    found = []
    for column in ("numerator", "value"):
        values = figures[column]
        negative = [i for i in np.flatnonzero(values < 0) if ids[i] not in quiet][:MAX_REPORTED]
        for i in negative:
            ind = rules[ids[i]]
            reads = _NEGATIVE_READS.get(ind.polarity, "shown as given")
            found.append(Problem(**located, row=rows[i], column=column, indicator=ind.id,
                                 severity="warning", message=f"{values[i]:g} is negative for {ind.id} ({ind.measure}): "
                                 f"{reads}; correct the figure, or set \"allow_negative\": true "
                                 f"for {ind.id} in the rules if negative figures are genuine"))
    return found


def _value_only_rows(ids: list, figures: dict, rows: list, rules: Rules, located: dict) -> list[Problem]:
    """Aggregated rates need each month's numerator and denominator, not a finished value."""
    aggregated = {ind.id for ind in rules.indicators if ind.aggregate and ind.measure != "count"}
    if not aggregated:
        return []
    given: dict[str, list] = {}  # indicator: its rows giving only a value, in order of appearance
    for i in np.flatnonzero(np.isnan(figures["numerator"]) & ~np.isnan(figures["value"])):
        if ids[i] in aggregated:
            given.setdefault(ids[i], []).append(rows[i])
    out = []
    for ident, group in given.items():
        listed = ", ".join(str(r) for r in group[:5]) + (" ..." if len(group) > 5 else "")
        out.append(Problem(**located, indicator=ident, severity="warning", message=(
            f"has aggregate {rules[ident].aggregate!r}, so each month needs its numerator and "
            f"denominator; {len(group)} row(s) give only a value (rows {listed}): those months "
            "count as missing")))
    return out


def _row_order(problem: Problem) -> int:
    return problem.row or 0


def _capped(problems: list[Problem]) -> list[Problem]:
    if len(problems) <= MAX_REPORTED:
        return problems
    rest = len(problems) - MAX_REPORTED
    return problems[:MAX_REPORTED] + [Problem(message=f"... and {rest} more problem(s)")]

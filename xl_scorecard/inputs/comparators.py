"""Read and check a comparator table: indicator, comparator, period, value (CSV or XLSX).

Bad rows are treated like bad data rows: every problem names the file, row and column and
says what to do; all are listed at once and nothing is computed or written.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from ..core.comparators import ComparatorTable, period_end
from ..core.errors import DataError, Problem
from ..core.rules import Rules
from .data import MAX_BYTES, MAX_ROWS, ROWS_ATTR, _capped, _read_csv, _row_order
from .data_cells import blank as _blank, numbers, shown as _shown
from .files import regular_file

COLUMNS = ("indicator", "comparator", "period", "value")
SHEET = "Comparators"


def load_comparators(path: "str | Path", rules: Rules) -> ComparatorTable:
    """Read a comparator table (an XLSX's ``Comparators`` sheet, else its first) and check it."""
    path = Path(path)
    if regular_file(path, DataError, "comparator file").st_size > MAX_BYTES:
        raise DataError(Problem(file=str(path), message="is too large for a comparator table"))
    suffix = path.suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        from .xlsx_input import read_table
        raw = read_table(path, max_rows=MAX_ROWS, preferred=SHEET)
    elif suffix in (".csv", ".txt"):
        raw = _read_csv(path)
    else:
        raise DataError(Problem(file=str(path), message=f"unknown file type {suffix!r}: use .csv or .xlsx"))
    return check_comparators(raw, rules, str(path), row_numbers=raw.attrs.get(ROWS_ATTR))


def _period_text(cell) -> str:
    """A period cell as text: a typed 2017 (a number) is ``2017``, a date cell its ``YYYY-MM``."""
    if _blank(cell):
        return ""
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    if hasattr(cell, "year") and hasattr(cell, "month"):
        return f"{cell.year:04d}-{cell.month:02d}"
    return str(cell).strip()


def check_comparators(raw: pd.DataFrame, rules: Rules, source: str = "", first_row: int = 2,
                      sheet: str = "", row_numbers=None) -> ComparatorTable:
    """Check raw cells and return the comparator figures, or raise DataError naming every bad cell.

    ``source`` is the file and ``sheet`` the worksheet the cells came from (either may be
    empty); ``row_numbers`` each row's number there when blank rows were skipped.
    """
    located = {"file": source, "sheet": sheet}
    raw = raw.rename(columns=lambda c: str(c).strip().lower())
    missing = [c for c in COLUMNS if c not in raw.columns]
    if missing:
        raise DataError(Problem(**located, message=f"missing column(s) {', '.join(missing)}; the "
                                f"header row must name {', '.join(COLUMNS)}"))
    problems: list[Problem] = []
    rows = ([int(r) for r in row_numbers] if row_numbers is not None
            else [first_row + i for i in range(len(raw))])
    ids, names, periods, ends = [], [], [], []

    def at(i: int, column: "str | None", message: str, indicator: str = "") -> Problem:
        return Problem(**located, row=rows[i], column=column, indicator=indicator, message=message)

    for i, (ident, name, period) in enumerate(zip(raw["indicator"], raw["comparator"], raw["period"])):
        ident = "" if _blank(ident) else str(ident).strip()
        known = ident if ident in rules else ""
        if not known:
            problems.append(at(i, "indicator", "is empty: give the indicator id" if not ident else
                               f"{_shown(ident)} is not an indicator in {rules.source}: correct "
                               "the id or remove the row"))
        name = "" if _blank(name) else str(name).strip()
        if not name:
            problems.append(at(i, "comparator", "is empty: name the comparator, e.g. England or "
                               "Statistical neighbours", known))
        period = _period_text(period)
        end = ""
        try:
            start = rules[ident].year_start(rules.scorecard.year_start_month) if known else 4
            end = str(period_end(period, start)) if period else ""
        except ValueError as exc:
            problems.append(at(i, "period", str(exc), known))
        if not period:
            problems.append(at(i, "period", "is empty: give the period the figure is for "
                               "(2016/17, 2017 or YYYY-MM)", known))
        ids.append(ident), names.append(name), periods.append(period), ends.append(end)
    values, bad = numbers(raw["value"].tolist())
    for i in bad:
        problems.append(at(i, "value", f"{_shown(raw['value'].iat[i])} is not a number; leave the "
                           "row out when there is no figure", ids[i] if ids[i] in rules else ""))
    frame = pd.DataFrame({"row": rows, "indicator": ids, "comparator": names, "period": periods,
                          "end": ends, "value": values})
    dupes = frame[frame.duplicated(["indicator", "comparator", "period"]) & (frame["indicator"] != "")]
    for row in dupes.itertuples(index=False):
        problems.append(Problem(**located, row=int(row.row), indicator=row.indicator,
                                message=f"a second {row.comparator} figure for {row.indicator} in "
                                f"{row.period}: keep one"))
    if problems:
        raise DataError(_capped(sorted(problems, key=_row_order)))
    return ComparatorTable(frame[frame["value"].notna()].reset_index(drop=True), source)

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
from .files import regular_file
from .months_text import parse_month

COLUMNS = ("indicator", "period", "numerator", "denominator", "value")
NUMERIC = ("numerator", "denominator", "value")
FLAGS = ("", "provisional", "unavailable")   # the optional 'flag' column
MAX_ROWS = 1_000_000
MAX_BYTES = 200 * 1024 * 1024
MAX_REPORTED = 25
ROWS_ATTR = "xl_scorecard_rows"  # a reader's row numbers in the file, when blank rows were skipped
_THOUSANDS = re.compile(r"^[-+]?\d{1,3}(,\d{3})+(\.\d*)?$")


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
    blank = np.ones(len(frame), dtype=bool)  # every cell empty once stripped
    for k in range(frame.shape[1]):
        blank &= (frame.iloc[:, k].str.strip() == "").to_numpy(dtype=bool)
    if blank.any():  # blank lines are skipped, and the rows after them keep their numbers
        numbers = np.flatnonzero(~blank) + 2
        frame = frame[~blank].reset_index(drop=True)
        frame.attrs[ROWS_ATTR] = numbers
    if len(frame) > MAX_ROWS:
        raise DataError(Problem(file=str(path), message=f"has more than {MAX_ROWS:,} rows, the limit for one "
                                "data table; split it by year"))
    return frame


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
    located = {"file": source, "sheet": sheet}
    raw = raw.rename(columns=lambda c: str(c).strip().lower())
    problems: list[Problem] = []
    twice = sorted({c for c in raw.columns if c in COLUMNS and list(raw.columns).count(c) > 1})
    if twice:
        raise DataError(Problem(**located, message=f"the header names column(s) {', '.join(map(repr, twice))} "
                                "more than once: keep one column of each name"))
    missing = [c for c in ("indicator", "period") if c not in raw.columns]
    if not any(c in raw.columns for c in ("value", "numerator")):
        missing.append("value (or numerator and denominator)")
    if missing:
        found = ", ".join(_shown(str(c)) for c in raw.columns) or "none"
        hint = ""
        if len(raw.columns) == 1 and any(sep in str(raw.columns[0]) for sep in (";", "\t", "|")):
            hint = " (the file seems to use another separator: save it as comma-separated CSV)"
        raise DataError(Problem(**located, message=f"missing column(s) {', '.join(missing)}; found: {found}"
                                f"{hint}. The header row must name {', '.join(COLUMNS)}"))
    if raw.empty:
        raise DataError(Problem(**located, message="has a header but no data rows"))
    rows = (np.asarray(row_numbers, dtype=int) if row_numbers is not None
            else np.arange(len(raw)) + first_row)
    frame = pd.DataFrame({"row": rows})
    ids = raw["indicator"].map(lambda v: "" if _blank(v) else str(v).strip())

    def at(i: int, column: str, message: str) -> Problem:
        known = ids.iat[i] if ids.iat[i] in rules else ""
        return Problem(**located, row=int(rows[i]), column=column, indicator=known, message=message)

    frame["indicator"] = ids.to_numpy()
    for i in np.flatnonzero(~ids.isin(rules.ids).to_numpy()):
        what = ("is empty: give the indicator id from the rules" if ids.iat[i] == "" else
                f"{_shown(ids.iat[i])} is not an indicator in {rules.source}: correct the id or "
                "add the indicator to the rules")
        problems.append(at(i, "indicator", what))

    periods, converted = [], []
    for i, cell in enumerate(raw["period"].tolist()):
        if _blank(cell):
            problems.append(at(i, "period", "is empty: give the month as YYYY-MM"))
            periods.append("")
            continue
        try:
            month, was_converted = parse_month(cell)
        except ValueError as exc:
            problems.append(at(i, "period", str(exc)))
            periods.append("")
            continue
        periods.append(str(month))
        if was_converted:
            converted.append((rows[i], cell, month))
    frame["period"] = periods

    frame["flag"] = _flags(raw, rows, at, problems)
    unavailable = (frame["flag"] == "unavailable").to_numpy()
    for column in NUMERIC:
        cells = raw[column] if column in raw.columns else pd.Series([""] * len(raw))
        values, bad = _numbers(cells)
        frame[column] = values
        for i in (i for i in bad if not unavailable[i]):
            problems.append(at(i, column, f"{_shown(cells.iat[i])} is not a number; leave the cell empty "
                                    "for a missing value"))
    for column in NUMERIC if unavailable.any() else ():  # an unavailable figure is a blank,
        frame.loc[unavailable, column] = np.nan               # whatever the cells hold
    negative = np.flatnonzero(frame["denominator"].to_numpy() < 0)
    for i in negative:
        problems.append(at(i, "denominator", f"{frame['denominator'].iat[i]:g} is negative; a denominator "
                                "cannot be below zero: correct it, or leave it empty"))

    keyed = frame[(frame["indicator"] != "") & (frame["period"] != "")]
    dupes = keyed[keyed.duplicated(["indicator", "period"], keep="first")]
    firsts = (keyed.drop_duplicates(["indicator", "period"]).set_index(["indicator", "period"])["row"]
              if len(dupes) else None)  # indexing costs more than the check: only when needed
    for _, dup in dupes.iterrows():
        problems.append(Problem(
            **located, row=int(dup["row"]), column=("indicator", "period"), indicator=dup["indicator"],
            month=dup["period"], message=f"duplicate figures for {dup['indicator']} in {dup['period']} (also on row "
            f"{firsts.loc[(dup['indicator'], dup['period'])]}); keep one row per indicator and month"))

    if problems:
        raise DataError(_capped(sorted(problems, key=_row_order)))

    warnings = _warnings(frame, rules, located, converted)
    source = Problem(**located, message="").where  # as its problems name it
    return DataTable(frame=frame.reset_index(drop=True), source=source, warnings=warnings)


def _warnings(frame, rules, located: dict, converted) -> list[Problem]:
    warnings = []
    if converted:
        shown = ", ".join(f"row {row} {str(cell)!r} -> {month}" for row, cell, month in converted[:5])
        more = f" and {len(converted) - 5} more" if len(converted) > 5 else ""
        warnings.append(Problem(**located, column="period", severity="warning",
                                message=f"read {len(converted)} month(s) not written as YYYY-MM: {shown}{more}"))
    warnings += _value_only_rows(frame, rules, located)
    percent_ids = [ind.id for ind in rules.indicators if ind.measure == "percent"]
    over = frame["indicator"].isin(percent_ids) & (frame["numerator"] > frame["denominator"])
    for _, row in (frame[over] if over.any() else frame.iloc[:0]).iterrows():
        warnings.append(Problem(**located, row=int(row["row"]), indicator=row["indicator"],
                                severity="warning", message=f"numerator {row['numerator']:g} is above denominator "
                                f"{row['denominator']:g} for percentage {row['indicator']}: over 100%"))
    warnings += _negative_warnings(frame, rules, located)
    return warnings


_NEGATIVE_READS = {"H": "rated as far below any target", "L": "rated as better than any target",
                   "T": "rated by its distance from the target"}


def _negative_warnings(frame, rules, located: dict) -> list[Problem]:
    """A negative numerator or value: rated as given, but said, unless the indicator allows it.

    Counts of children, visits or posts cannot be below zero, so a minus sign is almost
    always a slip; for a lower-is-better indicator it would silently read as excellent.
    Some figures are genuinely negative (posts unfilled when over establishment):
    ``"allow_negative": true`` in rules.json says so and silences the warning.
    """
    quiet = {ind.id for ind in rules.indicators if ind.allow_negative}
    found = []
    said = ~frame["indicator"].isin(quiet) if quiet else True
    for column in ("numerator", "value"):
        negative = (frame[column] < 0) & said
        if not negative.any():  # the usual case: no rows to pick out
            continue
        for _, row in frame[negative].head(MAX_REPORTED).iterrows():
            ind = rules[row["indicator"]]
            reads = _NEGATIVE_READS.get(ind.polarity, "shown as given")
            found.append(Problem(**located, row=int(row["row"]), column=column, indicator=ind.id,
                                 severity="warning", message=f"{row[column]:g} is negative for {ind.id} ({ind.measure}): "
                                 f"{reads}; correct the figure, or set \"allow_negative\": true "
                                 f"for {ind.id} in the rules if negative figures are genuine"))
    return found


def _value_only_rows(frame, rules, located: dict) -> list[Problem]:
    """Aggregated rates need each month's numerator and denominator, not a finished value."""
    ids = [ind.id for ind in rules.indicators if ind.aggregate and ind.measure != "count"]
    given = frame["indicator"].isin(ids) & frame["numerator"].isna() & frame["value"].notna()
    if not given.any():
        return []
    rows = frame[given]
    out = []
    for ident, group in rows.groupby("indicator", sort=False):
        listed = ", ".join(str(r) for r in group["row"].head(5)) + (" ..." if len(group) > 5 else "")
        out.append(Problem(**located, indicator=ident, severity="warning", message=(
            f"has aggregate {rules[ident].aggregate!r}, so each month needs its numerator and "
            f"denominator; {len(group)} row(s) give only a value (rows {listed}): those months "
            "count as missing")))
    return out


def _flags(raw: pd.DataFrame, rows, at, problems: list) -> list[str]:
    """The optional ``flag`` column: '', 'provisional' or 'unavailable' (any case); else a problem."""
    if "flag" not in raw.columns:
        return [""] * len(raw)
    out = []
    for i, cell in enumerate(raw["flag"].tolist()):
        text = "" if _blank(cell) else str(cell).strip().lower()
        if text not in FLAGS:
            problems.append(at(i, "flag", f"{_shown(cell)} is not a flag: write provisional or "
                               "unavailable, or leave it empty"))
            text = ""
        out.append(text)
    return out


def _numbers(cells: pd.Series) -> tuple[np.ndarray, list[int]]:
    """Floats from cells of text or numbers; NaN for blanks; the positions of bad cells."""
    out = np.full(len(cells), np.nan)
    bad = []
    for i, cell in enumerate(cells.tolist()):
        if _blank(cell):
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


def _shown(cell) -> str:
    """A cell as quoted in a message, cut short."""
    text = repr(cell)
    return text if len(text) <= 40 else text[:37] + "..."


def _blank(cell) -> bool:
    if cell is None or cell is pd.NaT or cell is pd.NA:
        return True
    if isinstance(cell, (float, np.floating)) and np.isnan(cell):
        return True
    if isinstance(cell, (np.datetime64, np.timedelta64)) and np.isnat(cell):
        return True
    return isinstance(cell, str) and cell.strip() == ""


def _row_order(problem: Problem) -> int:
    return problem.row or 0


def _capped(problems: list[Problem]) -> list[Problem]:
    if len(problems) <= MAX_REPORTED:
        return problems
    rest = len(problems) - MAX_REPORTED
    return problems[:MAX_REPORTED] + [Problem(message=f"... and {rest} more problem(s)")]

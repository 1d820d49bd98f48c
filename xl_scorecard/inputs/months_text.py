"""Reading a month written the many ways analysts write one."""

from __future__ import annotations

import datetime as dt
import numbers
import re

import numpy as np

from ..core.periods import Month

_NAMES = ("january", "february", "march", "april", "may", "june", "july", "august",
          "september", "october", "november", "december")
_FULL = {name: i for i, name in enumerate(_NAMES, start=1)}
_ABBREVIATIONS = {name[:3]: i for name, i in _FULL.items()}
_ABBREVIATIONS["sept"] = 9

_PATTERNS = (
    # 2015-02-01 or 2015-02-01 00:00:00 (a date cell written as text): the day is dropped
    (re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T]00:00(?::00)?)?$"), "ymd"),
    (re.compile(r"^(\d{4})[/.](\d{1,2})$"), "ym"),          # 2015/02, 2015.02
    (re.compile(r"^(\d{1,2})[/-](\d{4})$"), "my"),          # 02/2015, 2-2015
    (re.compile(r"^([A-Za-z]+)[- /']+(\d{2}|\d{4})$"), "name"),  # Feb-15, Feb 2015, February 2015
    # 15/02/2015 (day first) or 02/15/2015 (month first): read only when the order is clear
    (re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$"), "dmy"),
)


FIRST_YEAR, LAST_YEAR = 1900, 9999  # Excel's calendar: a report month outside it is a typing slip


def parse_month(raw) -> tuple[Month, bool]:
    """(month, converted) as ``_parse_month`` reads it, refused outside the years 1900 to 9999."""
    month, converted = _parse_month(raw)
    return in_calendar(month, raw), converted


def in_calendar(month: Month, raw=None) -> Month:
    """``month`` if its year is 1900 to 9999 (so the previous month and the outturn exist), else ValueError."""
    if not FIRST_YEAR <= month.year <= LAST_YEAR:
        shown = repr(str(raw).strip()) if raw is not None else str(month)
        raise ValueError(f"{shown} is outside the years {FIRST_YEAR} to {LAST_YEAR} that a "
                         "scorecard month can have: write the year in full, e.g. 2015-02")
    return month


def _parse_month(raw) -> tuple[Month, bool]:
    """(month, converted): converted is True when ``raw`` was not already YYYY-MM.

    Accepts YYYY-MM, date cells, YYYY-MM-DD, YYYY/MM, MM/YYYY, month names
    with two- or four-digit years (Feb-15 is February 2015), and DD/MM/YYYY or
    MM/DD/YYYY when the order is clear (15/02/2015). Raises ValueError for
    anything ambiguous (02/03/2015) or unreadable.
    """
    if isinstance(raw, (dt.date, dt.datetime)):
        return Month(raw.year, raw.month), True
    text = str(raw).strip()
    try:
        return Month.parse(text), False
    except ValueError:
        pass
    for pattern, kind in _PATTERNS:
        match = pattern.match(text)
        if not match:
            continue
        a, b = match.group(1), match.group(2)
        if kind == "ymd":
            try:
                dt.date(int(a), int(b), int(match.group(3)))
            except ValueError:
                break
            return Month(int(a), int(b)), True
        if kind == "dmy":
            first, second, year = int(a), int(b), int(match.group(3))
            if first == second and 1 <= first <= 12:
                return Month(year, first), True
            if 1 <= first <= 12 and 1 <= second <= 12:
                raise ValueError(f"{text!r} is ambiguous: it may be {first} {_NAMES[second - 1].title()} or "
                                 f"{second} {_NAMES[first - 1].title()}; write the month as YYYY-MM")
            day, month = (first, second) if first > 12 else (second, first)
            try:
                dt.date(year, month, day)
            except ValueError:
                break
            return Month(year, month), True
        if kind in ("ym", "my"):
            year, month = (int(a), int(b)) if kind == "ym" else (int(b), int(a))
            if 1 <= month <= 12:
                return Month(year, month), True
            break
        name = a.lower()
        month = _FULL.get(name) or _ABBREVIATIONS.get(name)
        if month:
            year = int(b) if len(b) == 4 else 2000 + int(b)
            return Month(year, month), True
        break
    raise ValueError(f"{text!r} is not a month: write it as YYYY-MM, e.g. 2015-02")


EXCEL_EPOCH = dt.date(1899, 12, 30)


def month_from_cell(value) -> Month:
    """A month from a cell: 'YYYY-MM' (or another accepted text), a date, or an Excel date serial."""
    if isinstance(value, (bool, np.bool_)):
        raise ValueError(f"{value!r} is not a month")
    if isinstance(value, numbers.Real):
        if not 1 <= value < 2958466:  # Excel's dates run from 1900 to 9999
            raise ValueError(f"{value!r} is not a month or an Excel date")
        day = EXCEL_EPOCH + dt.timedelta(days=int(value))
        return Month(day.year, day.month)
    return parse_month(value)[0]

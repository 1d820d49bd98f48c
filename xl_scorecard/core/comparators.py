"""Comparator figures quoted beside an authority's own: England, statistical neighbours, a region.

A comparator table holds, per indicator and comparator, figures for periods written as
published (``2016/17``, ``2017``, ``2018-03``); each period ends in a month, and a month's
scorecard quotes the latest figure whose period ends at or before the report month.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np
import pandas as pd

from .periods import Month

_YEAR_PAIR = re.compile(r"^(\d{4})/(\d{2})$")
_YEAR = re.compile(r"^(\d{4})$")


@dataclass
class ComparatorTable:
    """Checked comparator figures: indicator, comparator, period (as given), end (YYYY-MM), value."""

    frame: pd.DataFrame
    source: str = "comparators"

    @property
    def names(self) -> list[str]:
        """Comparator names in the order they first appear."""
        return list(dict.fromkeys(self.frame["comparator"]))


def period_end(text: str, year_start_month: int = 4) -> Month:
    """The last month a comparator period covers; ValueError for an unreadable period.

    ``2016/17``: the year starting in ``year_start_month`` 2016 (March 2017 for April);
    ``2017``: the year of that calendar year's end month (March 2017 for April, August
    2017 for an academic year, December for January); ``YYYY-MM``: that month.
    """
    text = str(text).strip()
    pair = _YEAR_PAIR.match(text)
    if pair:
        first, second = int(pair.group(1)), int(pair.group(2))
        if (first + 1) % 100 != second:
            raise ValueError(f"{text!r} is not a year like 2016/17 (the second year follows the first)")
        return Month(first, year_start_month) + 11
    year = _YEAR.match(text)
    if year:
        return Month(int(year.group(1)), 12) if year_start_month == 1 else Month(int(year.group(1)), year_start_month - 1)
    try:
        return Month.parse(text)
    except ValueError:
        raise ValueError(f"{text!r} is not a period: write it as 2016/17, 2017 or YYYY-MM") from None


def column(name: str) -> str:
    return f"cmp:{name}"


def period_column(name: str) -> str:
    return f"cmp:{name}:period"


def latest_comparators(table: "ComparatorTable | None", ids: list[str], month: Month) -> dict:
    """``cmp:<name>`` (value) and ``cmp:<name>:period`` columns for one month, rows in ``ids`` order."""
    if table is None or table.frame.empty:
        return {}
    # ``end`` is YYYY-MM text, which sorts as the months do
    frame = table.frame[table.frame["end"] <= str(month)].sort_values("end", kind="stable")
    latest = frame.groupby(["indicator", "comparator"], sort=False).last()
    out = {}
    for name in table.names:
        rows = latest.xs(name, level="comparator") if name in latest.index.get_level_values(1) else None
        if rows is None:
            out[column(name)] = np.full(len(ids), np.nan)
            out[period_column(name)] = np.full(len(ids), "", dtype=object)
            continue
        out[column(name)] = rows["value"].reindex(ids).to_numpy(dtype=float)
        out[period_column(name)] = rows["period"].reindex(ids).fillna("").to_numpy(dtype=object)
    return out


def comparator_names(results: pd.DataFrame) -> list[str]:
    """The comparators a results frame carries (none for results without them)."""
    return [c[4:] for c in results.columns if c.startswith("cmp:") and not c.endswith(":period")]


def comparison_sentence(row, measure: str, decimals: int) -> str:
    """``compares with England 18.1% and Statistical neighbours 20.9% (both 2017/18)``; '' if none.

    ``row`` is one results row (a mapping or a namedtuple's ``_asdict()``).
    """
    from .display import format_value

    quoted = []
    for key in row:
        if isinstance(key, str) and key.startswith("cmp:") and not key.endswith(":period"):
            value = row[key]
            if value is not None and not (isinstance(value, float) and np.isnan(value)):
                quoted.append((key[4:], format_value(float(value), measure, decimals),
                               row.get(key + ":period", "") or ""))
    if not quoted:
        return ""
    periods = {p for _, _, p in quoted}
    if len(periods) == 1:
        names = [f"{name} {shown}" for name, shown, _ in quoted]
        both = "both " if len(quoted) == 2 else "all " if len(quoted) > 2 else ""
        tail = f" ({both}{periods.pop()})" if quoted[0][2] else ""
        return "compares with " + _and(names) + tail
    return "compares with " + _and([f"{name} {shown} ({period})" if period else f"{name} {shown}"
                                     for name, shown, period in quoted])


def _and(parts: list[str]) -> str:
    return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]

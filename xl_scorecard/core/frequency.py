"""Which figure a month's scorecard shows: the month's own, or the latest quarter or year.

A monthly indicator shows the report month's figure. A quarterly or annual one shows its
latest figure at or before the report month, if it is no older than ``max_age_months``,
labelled with its own period (``as_at``: "Q1 2018/19", "2016/17", "2017/18 (academic year)").
Its previous result is the figure before that one.
"""

from __future__ import annotations

import numpy as np

from .periods import Month


def latest_columns(present: np.ndarray, upto: np.ndarray) -> np.ndarray:
    """Per row, the last column index ``< upto[row]`` that is present; -1 if none."""
    columns = np.arange(present.shape[1])[None, :]
    eligible = present & (columns < np.asarray(upto)[:, None])
    found = eligible.any(axis=1)
    last = present.shape[1] - 1 - np.argmax(eligible[:, ::-1], axis=1)
    return np.where(found, last, -1)


def pick(values: np.ndarray, months: list[Month], month: Month, max_ages: np.ndarray,
         monthly: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The column each indicator's latest figure comes from (-1: none shown) and the stale ones.

    ``monthly`` rows take the column of ``month`` itself (blank or not); the others the latest present column at
    or before it, unless more than ``max_ages`` months old (``stale``: a figure exists but is
    too old to show).
    """
    n = values.shape[0]
    at = months.index(month)
    present = ~np.isnan(values)
    latest = latest_columns(present, np.full(n, at + 1))
    index = np.array([m.index for m in months], dtype=int)
    age = np.where(latest >= 0, month.index - index[np.maximum(latest, 0)], 0)
    stale = ~monthly & (latest >= 0) & (age > max_ages)
    chosen = np.where(monthly, at, np.where(stale, -1, latest))
    return chosen, stale


def as_at_label(month: Month, frequency: str, year_start: int) -> str:
    """The label of a figure's own period: ``May 2012``, ``Q1 2018/19``, ``2016/17``."""
    year = month.financial_year_label(year_start)
    if year_start == 9:
        year += " (academic year)"
    if frequency == "quarterly":
        quarter = (month.month - year_start) % 12 // 3 + 1
        return f"Q{quarter} {year}"
    if frequency == "annual":
        return year
    return month.label


def take(table: np.ndarray, columns: np.ndarray, fill=np.nan) -> np.ndarray:
    """``table[row, columns[row]]``, or ``fill`` where the column is -1."""
    rows = np.arange(table.shape[0])
    picked = table[rows, np.maximum(columns, 0)] if table.shape[1] else np.full(len(rows), fill)
    return np.where(columns >= 0, picked, fill)

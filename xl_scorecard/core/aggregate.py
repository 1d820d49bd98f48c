"""Monthly figures in, period figures out: the window sums behind YTD, R12M, Q and annual results.

An indicator with ``aggregate`` has each month's own figures in the data table. Its period
figure at month *t* sums the numerators (and, for ``sum``, the denominators) over the window
its ``period`` names; ``sum_over_latest`` takes the denominator of the window's last month
(a population). The value is computed after summing, never as an average of monthly rates.
A window with a month missing gives a blank figure, never a shortened window.

Vectorised: the window sums of every indicator and month are built from at most 12 shifted
copies of the (indicators x months) tables, not a loop per indicator and month.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .periods import Month

WINDOW_MONTHS = {"SS": 1, "R12M": 12}
MAX_WINDOW = 12


@dataclass(frozen=True)
class Windows:
    """Aggregated figures on a contiguous grid of months (indicators x months)."""

    numerators: np.ndarray
    denominators: np.ndarray
    lengths: np.ndarray        # months in each window; 0 = no figure due at that month
    complete: np.ndarray       # every month the window needs has its figures
    missing: np.ndarray        # (indicators x months x 12) True where window month k back is missing


def window_lengths(periods, year_starts, grid: list[Month]) -> np.ndarray:
    """Months in each indicator's window ending at each grid month (0: none ends there).

    ``SS`` 1; ``R12M`` 12; ``YTD`` the months since the year start; ``Q`` 3 at the end of a
    quarter of the indicator's year; ``annual`` 12 at the year's last month.
    """
    periods = np.asarray(periods, dtype=object)[:, None]
    starts = np.asarray(year_starts, dtype=int)[:, None]
    month_of_year = np.array([m.month for m in grid], dtype=int)[None, :]
    into_year = (month_of_year - starts) % 12            # 0 in the year's first month
    shape = (periods.shape[0], len(grid))
    lengths = np.zeros(shape, dtype=int)
    lengths = np.where(periods == "SS", 1, lengths)
    lengths = np.where(periods == "R12M", 12, lengths)
    lengths = np.where(periods == "YTD", into_year + 1, lengths)
    lengths = np.where((periods == "Q") & (into_year % 3 == 2), 3, lengths)
    lengths = np.where((periods == "annual") & (into_year == 11), 12, lengths)
    return lengths


def aggregate(kinds, periods, year_starts, grid: list[Month],
              numerators: np.ndarray, denominators: np.ndarray, counts=None) -> Windows:
    """Window sums for indicators with an ``aggregate`` kind (``kinds[i]`` None: left as given).

    ``numerators`` and ``denominators`` are (indicators x grid months), NaN where missing;
    ``grid`` is contiguous. A count (``counts[i]``) has its monthly figure as the numerator
    and no denominator.
    """
    kinds = np.asarray(kinds, dtype=object)
    n, t = numerators.shape
    if (kinds == None).all():  # noqa: E711  nothing aggregates: what the 12 shifts would give
        return Windows(numerators=np.array(numerators, dtype=float),
                       denominators=np.array(denominators, dtype=float),
                       lengths=np.zeros((n, t), dtype=int), complete=np.ones((n, t), dtype=bool),
                       missing=np.zeros((n, t, MAX_WINDOW), dtype=bool))
    counts = np.zeros(len(kinds), dtype=bool) if counts is None else np.asarray(counts, dtype=bool)
    lengths = window_lengths(periods, year_starts, grid)
    keep = (kinds == None)[:, None]  # noqa: E711
    summed_den = ((kinds == "sum") & ~counts)[:, None]
    latest_den = ((kinds == "sum_over_latest") & ~counts)[:, None]
    num_sum = np.zeros((n, t))
    den_sum = np.zeros((n, t))
    missing = np.zeros((n, t, MAX_WINDOW), dtype=bool)
    for back in range(MAX_WINDOW):                       # 12 shifts, each over the whole table
        num_k = _shifted(numerators, back)
        den_k = _shifted(denominators, back)
        inside = (back < lengths) & ~keep
        den_needed = summed_den | (latest_den if back == 0 else False)
        absent = np.isnan(num_k) | (den_needed & np.isnan(den_k))
        missing[:, :, back] = inside & absent
        num_sum += np.where(inside & ~absent, num_k, 0.0)
        den_sum += np.where(inside & ~absent & summed_den, den_k, 0.0)
    complete = (lengths > 0) & ~missing.any(axis=2)
    den_sum = np.where(latest_den, denominators, den_sum)
    num_out = np.where(complete, num_sum, np.nan)
    den_out = np.where(complete & (summed_den | latest_den), den_sum, np.nan)
    return Windows(
        numerators=np.where(keep, numerators, num_out),
        denominators=np.where(keep, denominators, den_out),
        lengths=np.where(keep, 0, lengths), complete=complete | keep, missing=missing,
    )


def _shifted(table: np.ndarray, back: int) -> np.ndarray:
    """``table`` moved ``back`` months later: column t holds month t - back (NaN before the grid)."""
    if back == 0:
        return table
    out = np.full(table.shape, np.nan)
    out[:, back:] = table[:, :-back]
    return out


def window_text(grid: list[Month], lengths: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """``window_from`` and ``window_to`` (YYYY-MM, '' where no window) for every cell."""
    if not lengths.any():   # no window anywhere (nothing aggregates): every cell ''
        blank = np.full(lengths.shape, "", dtype=object)
        return blank, blank.copy()
    first = grid[0]
    labels = np.array([str(first + k) for k in range(-MAX_WINDOW, len(grid))], dtype=object)
    column = np.arange(len(grid))[None, :] + MAX_WINDOW
    start = labels[column - np.maximum(lengths, 1) + 1]
    end = np.broadcast_to(labels[column], lengths.shape)
    has = lengths > 0
    return np.where(has, start, ""), np.where(has, end, "")


def missing_months_text(month: Month, missing_back: np.ndarray) -> str:
    """``2012-07, 2012-09`` (runs as ``2015-07..2016-03``) for a window ending at ``month``."""
    backs = sorted((int(k) for k in np.flatnonzero(missing_back)), reverse=True)
    runs: list[list[int]] = []
    for k in backs:
        if runs and runs[-1][-1] == k + 1:
            runs[-1].append(k)
        else:
            runs.append([k])
    return ", ".join(str(month - r[0]) if len(r) == 1 else f"{month - r[0]}..{month - r[-1]}"
                     for r in runs)


def window_max(codes: np.ndarray, lengths: np.ndarray) -> np.ndarray:
    """The largest code over each window (e.g. a window with a provisional month is provisional)."""
    out = codes.copy()
    for back in range(1, MAX_WINDOW):
        shifted = np.zeros_like(codes)
        shifted[:, back:] = codes[:, :-back]
        out = np.where(back < lengths, np.maximum(out, shifted), out)
    return out

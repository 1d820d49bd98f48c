"""Percentages as Excel stores them: a cell showing 84.4% holds 0.844.

xl_scorecard's figures are in display units (84.4 means 84.4%). A worksheet
function cannot see a cell's number format on every Excel (Office.js sends
values only), so the choice is explicit, in the ``percent_cells`` argument of
RAG, DOT, KPI_RAG and KPI_DOT:

One cell sets it for the whole call; a column sets it row by row (a
scorecard column mixing percentages and rates).

- TRUE: the cells are Excel percentages (0.844 is 84.4%). They are scaled by
  100 before rounding, so ``decimals`` still means the decimals shown (84.4%
  has one). For RAG and DOT every figure (value, target, floor, bands,
  tolerance) is a percentage cell; for KPI_* only the results are (targets
  come from rules.json, in display units), and only for percent indicators.
- FALSE: the figures are as written (84.4 is 84.4%, 0.844 is 0.844%).
- left out: as written, but a figure that looks like the same number on the
  other scale is a message, never a silent rating: 0.844 against a target of
  85 (one is 100 times the other, give or take), or fractions with targets
  finer than the decimals shown (0.85 at one decimal).
"""

from __future__ import annotations

import numpy as np

from ..core.errors import UsageError
from ..core.display import as_displayed
from .arguments import Call, is_blank, to_number

PERCENT = 100.0
SCALE_RATIO = 40.0   # a fraction and its percentage differ 100-fold; genuine figures rarely 40-fold
ASK = "give percent_cells TRUE for Excel percentage cells (84.4% = 0.844), FALSE for figures as written"


def read_percent_cells(cell):
    """TRUE / FALSE (or 1 / 0, "TRUE" / "FALSE"); blank is None: check the scales."""
    if is_blank(cell):
        return None
    if isinstance(cell, (bool, np.bool_)):
        return bool(cell)
    if isinstance(cell, str) and cell.strip().upper() in ("TRUE", "FALSE"):
        return cell.strip().upper() == "TRUE"
    try:
        number = to_number(cell, "percent_cells")
    except UsageError:
        number = None
    if number in (0.0, 1.0):
        return bool(number)
    raise UsageError("percent_cells must be TRUE (Excel percentage cells), FALSE (figures as "
                     "written) or left out")


class PercentCells:
    """The percent_cells setting of a call: one for every row, or one per row (a column)."""

    def __init__(self, c: Call, x):
        self.setting = (None if _left_out(x)
                        else c.settings(x, "percent_cells", read_percent_cells, optional=True))

    def __bool__(self) -> bool:  # a single TRUE: every figure is a percentage cell
        return self.setting is True

    @property
    def scale(self):
        """100 where the figures are percentage cells, else 1."""
        if isinstance(self.setting, np.ndarray):
            return np.where(self.setting == True, PERCENT, 1.0)  # noqa: E712 (object array)
        return PERCENT if self.setting else 1.0

    @property
    def unchecked(self):
        """Where the setting was left out, so the scales are checked."""
        if isinstance(self.setting, np.ndarray):
            return np.array([s is None for s in self.setting.reshape(-1)]).reshape(
                self.setting.shape)
        return self.setting is None


def percent_cells_arg(c: Call, x) -> PercentCells:
    return PercentCells(c, x)


def _left_out(x) -> bool:
    while isinstance(x, (list, tuple)) and len(x) == 1:
        x = x[0]
    return x is None or (not isinstance(x, (list, tuple, np.ndarray)) and is_blank(x))


def different_scales(a, b) -> np.ndarray:
    """Where one figure is at most 1 and the other about a hundred times it: two scales."""
    a, b = np.abs(np.asarray(a, dtype=float)), np.abs(np.asarray(b, dtype=float))
    small, large = np.minimum(a, b), np.maximum(a, b)
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        return (small > 0) & (small <= 1) & (large > 1) & (large / small >= SCALE_RATIO)


def check_scales(c: Call, shape, first, second, first_name: str, second_name: str,
                 where=True) -> None:
    """A problem for every cell (of those ``where`` says) whose two figures are on two scales."""
    if not np.any(where):  # percent_cells given: nothing to check
        return
    a = np.broadcast_to(np.asarray(first, dtype=float), shape or ()).reshape(-1)
    b = np.broadcast_to(np.asarray(second, dtype=float), shape or ()).reshape(-1)
    mask = np.broadcast_to(np.asarray(where, dtype=bool), shape or ()).reshape(-1)
    for i in np.flatnonzero(different_scales(a, b) & mask):
        c.problem(i, f"{first_name} {a[i]:g} and {second_name} {b[i]:g} are on two scales: {ASK}")


def check_fraction_thresholds(c: Call, shape, value, thresholds, decimals, name: str,
                              where=True) -> None:
    """Fractions judged against thresholds finer than the decimals shown: percentage cells."""
    if not np.any(where):
        return
    v = np.broadcast_to(np.asarray(value, dtype=float), shape or ()).reshape(-1)
    d = np.broadcast_to(np.asarray(decimals, dtype=float), shape or ()).reshape(-1)
    mask = np.broadcast_to(np.asarray(where, dtype=bool), shape or ()).reshape(-1)
    small = (np.abs(v) <= 1) & mask & ~np.isnan(d)  # decimals "none": nothing is rounded
    if not small.any():
        return
    for threshold in thresholds:
        t = np.broadcast_to(np.asarray(threshold, dtype=float), shape or ()).reshape(-1)
        candidates = np.flatnonzero(small & (np.abs(t) <= 1))  # NaN compares False
        finer = as_displayed(t[candidates], np.nan_to_num(d[candidates])) != t[candidates]
        for i in candidates[finer]:
            c.problem(i, f"{name} {t[i]:g} has more decimals than the {d[i]:g} shown: for Excel "
                         "percentage cells give percent_cells TRUE")

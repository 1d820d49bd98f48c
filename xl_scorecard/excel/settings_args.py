"""The settings a worksheet function takes beside its figures: polarity, decimals, T bands.

Each reads one cell (or a range, one setting per row, through ``Call.settings``) and says in
one short line what is wrong, as the function wizard's argument help describes it.
"""

from __future__ import annotations

import math

import numpy as np

from ..core.errors import UsageError
from .arguments import MAX_DECIMALS, Arg, Call, is_blank, omitted, pair_columns, to_number


def read_polarity(cell) -> str:
    """H, L or T (any case); a blank cell inside a range means no polarity: no rating."""
    if is_blank(cell):
        return ""
    if isinstance(cell, str) and cell.strip().upper() in ("H", "L", "T"):
        return cell.strip().upper()
    raise UsageError("polarity must be H, L or T")


NO_ROUNDING = "none"  # decimals "none": judge the value unrounded (rag_basis "unrounded")
DECIMALS_WANTED = (f'decimals must be a whole number from 0 to {MAX_DECIMALS}, or "{NO_ROUNDING}" '
                   "to rate the value unrounded")


def read_decimals(cell) -> float:
    """0 to MAX_DECIMALS; NaN for "none" (no rounding); blank: the default, 1."""
    if is_blank(cell):
        return 1.0
    if isinstance(cell, str) and cell.strip().lower() == NO_ROUNDING:
        return math.nan
    try:
        value = to_number(cell, "decimals")
    except UsageError:
        value = math.nan
    if not (math.isfinite(value) and value == int(value) and 0 <= value <= MAX_DECIMALS):
        raise UsageError(DECIMALS_WANTED)
    return float(value)


def decimals_arg(c: Call, x):
    decimals = c.settings(x, "decimals", read_decimals, 1.0, optional=True)
    return decimals if isinstance(decimals, float) else decimals.astype(float)


def band_arg(c: Call, x, name: str, colour: str):
    """A polarity T band as (low, high): one pair for every row, or one pair per row (N x 2)."""
    hint = f"{name} must be the {colour} band: two cells (low, high), or one pair per row"
    if omitted(x):
        return math.nan, math.nan
    a = Arg(x, name)
    if a.single:
        raise UsageError(f"for polarity T, {hint}")
    cells = a.cells
    if cells.size == 2:
        try:
            low, high = (to_number(cell, name) for cell in cells.reshape(-1))
        except UsageError:
            raise UsageError(f"{name} band must be two numbers (low, high)") from None
        if np.isnan(low) != np.isnan(high):
            raise UsageError(f"{name} band needs both low and high")
        if low > high:
            raise UsageError(f"{name} band low {low:g} is above high {high:g}")
        return low, high
    if cells.shape[1] != 2:
        raise UsageError(hint)
    low, high = pair_columns(c, a, name)
    for i in np.flatnonzero(low[:, 0] > high[:, 0]):
        c.problem(i, f"{name} band low {low[i, 0]:g} is above high {high[i, 0]:g}")
    return low, high

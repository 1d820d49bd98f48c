"""Rounding as Excel does it: 15 significant digits, then half away from zero.

``0.285 * 100`` is 28.499999999999996 in binary floating point but 28.5 to
Excel, and ``ROUND(28.5, 0)`` is 29. Both functions here work on scalars and
NumPy arrays alike, so the scalar and vectorised paths cannot disagree.
"""

from __future__ import annotations

import numpy as np

SIGNIFICANT_DIGITS = 15


def excel_precision(x):
    """``x`` snapped to the 15 significant digits Excel keeps (NaN stays NaN)."""
    arr = np.asarray(x, dtype=float)
    finite = np.isfinite(arr) & (arr != 0)
    with np.errstate(divide="ignore", invalid="ignore"):
        magnitude = np.where(finite, np.floor(np.log10(np.abs(np.where(finite, arr, 1.0)))), 0.0)
    exponent = (SIGNIFICANT_DIGITS - 1) - magnitude
    # Multiply by 10**k or divide by 10**-k so the scale is an exact power of ten. A number
    # below about 1e-294 needs k > 308, beyond a float: scale in two finite steps then.
    up = exponent >= 0
    first = np.minimum(np.abs(exponent), 300.0)
    scale, rest = 10.0 ** first, 10.0 ** (np.abs(exponent) - first)
    with np.errstate(over="ignore", invalid="ignore"):  # np.where evaluates both branches
        snapped = np.where(up, np.round(arr * scale * rest) / scale / rest,
                           np.round(arr / scale) * scale)
    result = np.where(finite, snapped, arr)
    return result if np.ndim(x) else float(result)


def round_half_away(x, decimals):
    """Round like Excel's ROUND: half away from zero, at 15 significant digits."""
    factor = 10.0 ** np.asarray(decimals, dtype=float)
    arr = np.asarray(x, dtype=float)
    with np.errstate(over="ignore", invalid="ignore"):
        scaled = excel_precision(arr * factor)
        result = np.sign(scaled) * np.floor(np.abs(scaled) + 0.5) / factor
    # a number so large that scaling it overflows has no decimals left to round
    overflowed = np.isfinite(arr) & ~np.isfinite(result)
    if overflowed.any():  # rare: snap only then (a second pass over every value otherwise)
        result = np.where(overflowed, excel_precision(arr), result)
    result = result + 0.0  # no negative zero
    return result if np.ndim(result) else float(result)

"""Rounding as Excel does it: 15 significant digits, then half away from zero.

``0.285 * 100`` is 28.499999999999996 in binary floating point but 28.5 to
Excel, and ``ROUND(28.5, 0)`` is 29. Both functions here work on scalars and
NumPy arrays alike, so the scalar and vectorised paths cannot disagree.
"""

from __future__ import annotations

import math

import numpy as np

SIGNIFICANT_DIGITS = 15


def excel_precision(x):
    """``x`` snapped to the 15 significant digits Excel keeps (NaN stays NaN)."""
    if isinstance(x, (float, int)):  # one number: the same steps in plain Python floats
        snapped = _snap_number(float(x))
        if snapped is not None:
            return snapped
    arr = np.asarray(x, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        # inf for 0, -inf for an infinity, NaN for NaN: finite only where there is a number
        exponent = (SIGNIFICANT_DIGITS - 1) - np.floor(np.log10(np.abs(arr)))
    finite = np.isfinite(exponent)
    exponent = np.where(finite, exponent, 0.0)
    if arr.size and arr.ndim and exponent.min() >= 0 and exponent.max() <= _MAX_ONE_STEP:
        # every |x| from 1e-286 to 1e15: one exact power of ten scales it
        scale = _POWERS_OF_TEN[exponent.astype(np.intp)]
        snapped = arr * scale
        np.round(snapped, out=snapped)
        np.divide(snapped, scale, out=snapped)
        np.copyto(snapped, arr, where=~finite)
        return snapped
    snapped = _snap_any(arr, finite, exponent)
    return snapped if np.ndim(x) else float(snapped)


def _snap_any(arr, finite, exponent):
    """excel_precision for any float, tiny and huge ones included (the general path)."""
    # Multiply by 10**k or divide by 10**-k so the scale is an exact power of ten. A number
    # below about 1e-294 needs k > 308, beyond a float: scale in two finite steps then.
    up = exponent >= 0
    first = np.minimum(np.abs(exponent), float(_MAX_ONE_STEP))
    scale = _POWERS_OF_TEN[first.astype(np.intp)]  # the same powers for one number or many
    rest = _POWERS_OF_TEN[(np.abs(exponent) - first).astype(np.intp)]
    with np.errstate(over="ignore", invalid="ignore"):  # np.where evaluates both branches
        snapped = np.where(up, np.round(arr * scale * rest) / scale / rest,
                           np.round(arr / scale) * scale)
    return np.where(finite, snapped, arr)


_MAX_ONE_STEP = 300
# 10**k as NumPy's power computes it (the general path's scales, looked up instead)
_POWERS_OF_TEN = 10.0 ** np.arange(_MAX_ONE_STEP + 1, dtype=float)
_POWERS = _POWERS_OF_TEN.tolist()
_MAX_PLACES = 22  # 10**22 is the largest power of ten a float holds exactly


def _snap_number(a: float) -> "float | None":
    """excel_precision of one float by the array path's steps (NumPy's log10, then exact float
    operations: a product, rounding half to even, a quotient); None where that path scales
    in two steps."""
    if a == 0 or not math.isfinite(a):
        return a
    exponent = (SIGNIFICANT_DIGITS - 1) - math.floor(np.log10(abs(a)))
    if not 0 <= exponent <= _MAX_ONE_STEP:
        return None
    scale = _POWERS[exponent]
    return round(a * scale) / scale  # |a * scale| < 1e15: the integer is exact


def _small_places(decimals) -> "int | None":
    """``decimals`` as an int when it is one number of places from 0 to 22, else None."""
    if isinstance(decimals, (int, float, np.integer, np.floating)) and not isinstance(
            decimals, bool) and 0 <= decimals <= _MAX_PLACES and decimals == int(decimals):
        return int(decimals)
    return None


def _round_number(x: float, places: int) -> "float | None":
    """round_half_away of one float by the array path's steps; None where that path would
    meet an overflow (a number too large to scale)."""
    if x != x:
        return math.nan
    factor = _POWERS[places]
    scaled = x * factor
    if not math.isfinite(scaled):
        return None
    snapped = _snap_number(scaled)
    if snapped is None:
        return None
    whole = float(math.floor(abs(snapped) + 0.5))
    signed = whole if snapped > 0 else -whole if snapped < 0 else 0.0
    return signed / factor + 0.0


def round_half_away(x, decimals):
    """Round like Excel's ROUND: half away from zero, at 15 significant digits."""
    if isinstance(x, (float, int)):  # one number: the same steps in plain Python floats
        places = _small_places(decimals)
        rounded = None if places is None else _round_number(float(x), places)
        if rounded is not None:
            return rounded
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

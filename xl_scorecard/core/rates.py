"""From numerator and denominator to the indicator's value."""

from __future__ import annotations

import numpy as np

def kpi_rate(numerator, denominator, multiplier=100.0):
    """numerator / denominator x multiplier; NaN (blank) for a zero or missing denominator.

    Works element-wise on arrays; a scalar in gives a float out.
    """
    num = np.asarray(numerator, dtype=float)
    den = np.asarray(denominator, dtype=float)
    mult = np.asarray(multiplier, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        result = np.where(den != 0, num / den * mult, np.nan)
    result = np.where(np.isfinite(result), result, np.nan)
    scalar = not (np.ndim(numerator) or np.ndim(denominator) or np.ndim(multiplier))
    return float(result) if scalar else result


def measure_value(numerator, denominator, multiplier, is_count, given=np.nan):
    """An indicator's value as its measure says, element-wise.

    A count is the value given, else the numerator; any other measure is the rate of a
    numerator and denominator when both are present, else the value given (a result known
    only as published). NaN is blank.
    """
    num, den, given = (np.asarray(a, dtype=float) for a in (numerator, denominator, given))
    has_pair = ~np.isnan(num) & ~np.isnan(den)
    rate = kpi_rate(num, den, multiplier)
    return np.where(is_count, np.where(np.isnan(given), num, given), np.where(has_pair, rate, given))

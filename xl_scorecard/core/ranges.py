"""Lead indicators: Below, Within or Above an expected range, which is not a RAG rating.

Judged like RAG on the value rounded as displayed, bounds inclusive: exactly on the low or
high end is Within. Either end may be missing (a one-sided range).
"""

from __future__ import annotations

import numpy as np

from .display import format_threshold

BELOW, WITHIN, ABOVE = "Below", "Within", "Above"
STATUS_TEXTS = ("", BELOW, WITHIN, ABOVE)   # index: range_codes
_STATUS_ARRAY = np.array(STATUS_TEXTS, dtype=object)


def range_status(judged, low, high) -> np.ndarray:
    """``Below``/``Within``/``Above`` per value; '' for a blank value or no range."""
    return np.asarray(_STATUS_ARRAY[range_codes(judged, low, high)], dtype=object)  # 0-d stays


def range_codes(judged, low, high) -> np.ndarray:
    """range_status as positions in STATUS_TEXTS: 0 blank, 1 below, 2 within, 3 above."""
    judged, low, high = (np.asarray(a, dtype=float) for a in (judged, low, high))
    has_range = ~np.isnan(low) | ~np.isnan(high)
    below = ~np.isnan(low) & (judged < low)
    above = ~np.isnan(high) & (judged > high)
    codes = np.where(below, 1, np.where(above, 3, 2))
    return np.where(np.isnan(judged) | ~has_range, 0, codes)


def range_text(low, high, measure: str, decimals: int) -> str:
    """``the expected range of 80 to 100``, ``the upper threshold of 12``; '' without a range.

    The ends are printed at the indicator's decimals, as the first displayed figures inside
    the range (the value is judged as displayed, bounds inclusive).
    """
    lo, hi = (None if v is None or np.isnan(v) else v for v in (low, high))
    low_text = lambda v: format_threshold(v, measure, decimals, side="low")  # noqa: E731
    high_text = lambda v: format_threshold(v, measure, decimals, side="high")  # noqa: E731
    if lo is not None and hi is not None:
        return f"the expected range of {low_text(lo)} to {high_text(hi)}"
    if hi is not None:
        return f"the upper threshold of {high_text(hi)}"
    if lo is not None:
        return f"the lower threshold of {low_text(lo)}"
    return ""


def status_sentence(status: str, low, high, measure: str, decimals: int) -> str:
    """How reports say it: ``above the upper threshold of 100``, ``within the expected range of 80 to 100``."""
    lo, hi = (None if v is None or np.isnan(v) else v for v in (low, high))
    if status == ABOVE:
        return "above " + range_text(np.nan, hi, measure, decimals)
    if status == BELOW:
        return "below " + range_text(lo, np.nan, measure, decimals)
    if status == WITHIN and lo is not None and hi is not None:
        return "within " + range_text(lo, hi, measure, decimals)
    if status == WITHIN:
        return ("at or below " if hi is not None else "at or above ") + range_text(lo, hi, measure,
                                                                                    decimals)
    return ""

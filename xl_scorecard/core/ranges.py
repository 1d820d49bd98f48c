"""Lead indicators: Below, Within or Above an expected range, which is not a RAG rating.

Judged like RAG on the value rounded as displayed, bounds inclusive: exactly on the low or
high end is Within. Either end may be missing (a one-sided range).
"""

from __future__ import annotations

import numpy as np

from .display import format_threshold

BELOW, WITHIN, ABOVE = "Below", "Within", "Above"


def range_status(judged, low, high) -> np.ndarray:
    """``Below``/``Within``/``Above`` per value; '' for a blank value or no range."""
    judged, low, high = (np.asarray(a, dtype=float) for a in (judged, low, high))
    has_range = ~np.isnan(low) | ~np.isnan(high)
    below = ~np.isnan(low) & (judged < low)
    above = ~np.isnan(high) & (judged > high)
    status = np.where(below, BELOW, np.where(above, ABOVE, WITHIN)).astype(object)
    return np.where(np.isnan(judged) | ~has_range, "", status)


def range_text(low, high, measure: str) -> str:
    """``an expected range of 80 to 100``, ``an upper threshold of 12``; '' without a range."""
    lo, hi = (None if v is None or np.isnan(v) else v for v in (low, high))
    f = lambda v: format_threshold(v, measure)  # noqa: E731
    if lo is not None and hi is not None:
        return f"the expected range of {f(lo)} to {f(hi)}"
    if hi is not None:
        return f"the upper threshold of {f(hi)}"
    if lo is not None:
        return f"the lower threshold of {f(lo)}"
    return ""


def status_sentence(status: str, low, high, measure: str) -> str:
    """How reports say it: ``above the upper threshold of 100``, ``within the expected range of 80 to 100``."""
    lo, hi = (None if v is None or np.isnan(v) else v for v in (low, high))
    f = lambda v: format_threshold(v, measure)  # noqa: E731
    if status == ABOVE:
        return f"above the upper threshold of {f(hi)}"
    if status == BELOW:
        return f"below the lower threshold of {f(lo)}"
    if status == WITHIN and lo is not None and hi is not None:
        return "within " + range_text(lo, hi, measure)
    if status == WITHIN:
        return ("at or below " if hi is not None else "at or above ") + range_text(lo, hi, measure)
    return ""

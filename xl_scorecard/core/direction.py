"""Direction of travel: did performance improve, stay the same or worsen?

The arrow shows performance, not the raw number: for a lower-is-better
indicator a fall is an improvement. Values are compared unrounded (at Excel's
15 significant digits). A change no larger than ``tolerance`` reads as
unchanged; the default 0 turns that off.
"""

from __future__ import annotations

import numpy as np

from .rag import PolarityKinds
from .rounding import excel_precision

WORSENED, UNCHANGED, IMPROVED = -1, 0, 1
NO_ARROW = -2
ARROWS = {IMPROVED: "↑", UNCHANGED: "→", WORSENED: "↓", NO_ARROW: ""}
_ARROW_ARRAY = np.array(["↓", "→", "↑", ""], dtype=object)  # index = code + 1, NO_ARROW -> -1


def dot_codes(latest, previous, polarity, target=np.nan, tolerance=0.0):
    """Direction codes (IMPROVED, UNCHANGED, WORSENED or NO_ARROW), element-wise.

    ``H``: higher is better; ``L``: lower is better; ``T``: closer to ``target``
    is better. No arrow without polarity, without both values, or (for ``T``)
    without a target.
    """
    gain = gains(latest, previous, polarity, target)
    tol = np.asarray(tolerance, dtype=float)
    with np.errstate(invalid="ignore"):
        codes = np.where(gain > tol, IMPROVED, np.where(gain < -tol, WORSENED, UNCHANGED))
    return np.where(np.isnan(gain), NO_ARROW, codes)


def gains(latest, previous, polarity, target=np.nan):
    """The change in performance from ``previous`` to ``latest`` (positive = better), NaN if none.

    ``H``: latest - previous; ``L``: previous - latest; ``T``: how much closer to ``target``.
    Values are taken at 15 significant digits and so is the change.
    """
    new, old, tgt = (np.asarray(a, dtype=float) for a in (latest, previous, target))
    kinds = PolarityKinds.of(polarity)  # or given as one
    new, old = excel_precision(new), excel_precision(old)
    with np.errstate(invalid="ignore"):
        gain = np.where(kinds.h, new - old,
               np.where(kinds.l, old - new,
               np.where(kinds.t, np.abs(old - tgt) - np.abs(new - tgt), np.nan)))
    return excel_precision(gain)


def arrows(codes):
    """Direction codes to arrows; a scalar code gives a str."""
    if np.ndim(codes) == 0:
        return ARROWS[int(codes)]
    return _ARROW_ARRAY[np.asarray(codes, dtype=int) + 1]

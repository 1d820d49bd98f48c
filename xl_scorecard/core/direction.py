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
ARROW_TEXTS = ("↓", "→", "↑", "")  # index = code + 1, NO_ARROW -> -1 (the last)
_ARROW_ARRAY = np.array(ARROW_TEXTS, dtype=object)


def band_distance(value, low, high):
    """How far a value lies outside the band [low, high]: zero inside it."""
    value, low, high = (np.asarray(a, dtype=float) for a in (value, low, high))
    return np.maximum(np.maximum(low - value, value - high), 0.0)


def dot_codes(latest, previous, polarity, target=np.nan, tolerance=0.0,
              green_low=np.nan, green_high=np.nan):
    """Direction codes (IMPROVED, UNCHANGED, WORSENED or NO_ARROW), element-wise.

    ``H``: higher is better; ``L``: lower is better; ``T``: closer to ``target``
    is better, or, with a green band and no target, closer to the band (zero
    inside it). No arrow without polarity, without both values, or (for ``T``)
    without a target or band.
    """
    gain = gains(latest, previous, polarity, target, green_low, green_high)
    tol = np.asarray(tolerance, dtype=float)
    with np.errstate(invalid="ignore"):
        codes = np.where(gain > tol, IMPROVED, np.where(gain < -tol, WORSENED, UNCHANGED))
    return np.where(np.isnan(gain), NO_ARROW, codes)


def gains(latest, previous, polarity, target=np.nan, green_low=np.nan, green_high=np.nan):
    """The change in performance from ``previous`` to ``latest`` (positive = better), NaN if none.

    ``H``: latest - previous; ``L``: previous - latest; ``T``: how much closer to ``target``
    (or, with a green band and no target, to the band). Values are taken at 15 significant
    digits and so is the change.
    """
    new, old, tgt = (np.asarray(a, dtype=float) for a in (latest, previous, target))
    gl, gh = np.asarray(green_low, dtype=float), np.asarray(green_high, dtype=float)
    kinds = PolarityKinds.of(polarity)  # or given as one
    new, old = excel_precision(new), excel_precision(old)
    shape = np.broadcast_shapes(*(np.shape(a) for a in (new, old, tgt, gl, gh, *kinds)))

    def towards_target():
        return np.where(np.isnan(tgt), band_distance(old, gl, gh) - band_distance(new, gl, gh),
                        np.abs(old - tgt) - np.abs(new - tgt))

    with np.errstate(invalid="ignore"):
        if np.ndim(kinds.h) == 0:  # one polarity for all: only its rule is worked out
            gain = (new - old if kinds.h else old - new if kinds.l
                    else towards_target() if kinds.t else np.nan)
        else:  # a T row's rule only when there is one
            gain = np.where(kinds.h, new - old, np.where(kinds.l, old - new, np.where(
                kinds.t, towards_target() if kinds.t.any() else np.nan, np.nan)))
    gain = excel_precision(np.broadcast_to(gain, shape))
    return gain if shape else float(gain)


def arrow_index(codes) -> np.ndarray:
    """Where each direction code's arrow is in ARROW_TEXTS."""
    codes = np.asarray(codes, dtype=int)
    return np.where(codes == NO_ARROW, len(ARROW_TEXTS) - 1, codes + 1)


def arrows(codes):
    """Direction codes to arrows; a scalar code gives a str."""
    if np.ndim(codes) == 0:
        return ARROWS[int(codes)]
    return _ARROW_ARRAY[np.asarray(codes, dtype=int) + 1]

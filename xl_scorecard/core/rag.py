"""Red/Amber/Green: the rating of a value against its target and floor.

Boundaries are inclusive as council data notes write them: on target is
Green, on the floor is Amber. Missing inputs (NaN) give no rating. Every
function takes scalars or NumPy arrays (broadcast together) and returns
rating codes; ``labels`` turns codes into ``Green``/``Amber``/``Red``/``""``.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from .rounding import round_half_away

NONE, GREEN, AMBER, RED = 0, 1, 2, 3
LABELS = ("", "Green", "Amber", "Red")
_LABEL_ARRAY = np.array(LABELS, dtype=object)


def rag_higher(value, target, floor=np.nan):
    """Codes for a higher-is-better indicator; a NaN floor means no Amber."""
    v, t, f = (np.asarray(a, dtype=float) for a in (value, target, floor))
    rated = ~np.isnan(v) & ~np.isnan(t)
    codes = np.where(v >= t, GREEN, np.where(~np.isnan(f) & (v >= f), AMBER, RED))
    return np.where(rated, codes, NONE)


def rag_lower(value, target, floor=np.nan):
    """Codes for a lower-is-better indicator: rag_higher mirrored."""
    return rag_higher(-np.asarray(value, dtype=float), -np.asarray(target, dtype=float),
                      -np.asarray(floor, dtype=float))


def rag_band(value, green_low, green_high, amber_low=np.nan, amber_high=np.nan):
    """Codes for a close-to-target indicator: Green inside the green band, Amber inside amber."""
    v, gl, gh, al, ah = (np.asarray(a, dtype=float)
                         for a in (value, green_low, green_high, amber_low, amber_high))
    rated = ~np.isnan(v) & ~np.isnan(gl) & ~np.isnan(gh)
    in_green = (gl <= v) & (v <= gh)
    in_amber = ~np.isnan(al) & ~np.isnan(ah) & (al <= v) & (v <= ah)
    codes = np.where(in_green, GREEN, np.where(in_amber, AMBER, RED))
    return np.where(rated, codes, NONE)


class PolarityKinds(NamedTuple):
    """Where a polarity (or each of an array of them) is H, L and T, worked out once."""

    h: np.ndarray
    l: np.ndarray  # noqa: E741
    t: np.ndarray

    @classmethod
    def of(cls, polarity) -> "PolarityKinds":
        if isinstance(polarity, cls):
            return polarity
        pol = np.asarray(polarity, dtype=object)
        return cls(pol == "H", pol == "L", pol == "T")

    @classmethod
    def from_codes(cls, index: np.ndarray, table) -> "PolarityKinds":
        """For polarities given as codes into a table of distinct ones (a factorised column):
        the table is compared, not every cell."""
        table = np.asarray(table, dtype=object)
        return cls(*((table == kind)[index] for kind in ("H", "L", "T")))


def rag_codes(value, polarity, target=np.nan, floor=np.nan, green_low=np.nan,
              green_high=np.nan, amber_low=np.nan, amber_high=np.nan):
    """Codes for any mix of polarities ('H', 'L', 'T'; anything else is unrated).
    ``polarity`` may also be a ``PolarityKinds``."""
    if isinstance(polarity, str):  # one polarity for all: only its rule is worked out
        rule = {"H": lambda: rag_higher(value, target, floor),
                "L": lambda: rag_lower(value, target, floor),
                "T": lambda: rag_band(value, green_low, green_high, amber_low, amber_high)}
        codes = rule[polarity]() if polarity in rule else np.asarray(NONE)
        shape = np.broadcast_shapes(*(np.shape(a) for a in (value, target, floor, green_low,
                                                            green_high, amber_low, amber_high)))
        return codes if codes.shape == shape else np.broadcast_to(codes, shape).copy()
    kinds = PolarityKinds.of(polarity)
    # an L row is an H row of the negated figures (exactly: negation only flips the sign)
    sign = np.where(kinds.l, -1.0, 1.0)
    single = rag_higher(np.asarray(value, dtype=float) * sign, np.asarray(target, dtype=float)
                        * sign, np.asarray(floor, dtype=float) * sign)
    band = (rag_band(value, green_low, green_high, amber_low, amber_high) if np.any(kinds.t)
            else NONE)  # worked out only when some row is T
    codes = np.where(kinds.h | kinds.l, single, np.where(kinds.t, band, NONE))
    shape = np.broadcast_shapes(*(np.shape(a) for a in (value, target, floor, green_low,
                                                        green_high, amber_low, amber_high)),
                                *(np.shape(k) for k in kinds))
    return codes if codes.shape == shape else np.broadcast_to(codes, shape).copy()


def judged_values(value, decimals, displayed):
    """Values as the engine judges them (RAG, expected ranges): rounded to ``decimals`` where
    ``displayed`` is true (``rag_basis`` "displayed"), unrounded where it is false or where
    ``decimals`` is NaN (no rounding)."""
    unrounded = np.isnan(decimals)
    if np.any(unrounded):
        displayed = np.logical_and(displayed, ~unrounded)
        decimals = np.where(unrounded, 0, decimals)
    if np.ndim(displayed) == 0:  # one basis for all
        return round_half_away(value, decimals) if displayed else value
    return np.where(displayed, round_half_away(value, decimals), value)


def rag_judged(value, polarity, decimals, displayed, target=np.nan, floor=np.nan,
               green_low=np.nan, green_high=np.nan, amber_low=np.nan, amber_high=np.nan,
               rated=None):
    """Codes for values judged as the engine judges them: rounded to ``decimals`` first where
    ``displayed`` is true (``rag_basis`` "displayed"), unrounded where it is false. Where
    ``rated`` is 0 (rules.json ``"rated": false``) the target is shown but never rated."""
    judged = judged_values(value, decimals, displayed)
    return rag_of_judged(judged, polarity, target, floor, green_low, green_high, amber_low,
                         amber_high, rated)


def rag_of_judged(judged, polarity, target=np.nan, floor=np.nan, green_low=np.nan,
                  green_high=np.nan, amber_low=np.nan, amber_high=np.nan, rated=None):
    """``rag_judged`` of values already judged (``judged_values``): for a caller that needs
    the judged values too (the engine's expected ranges)."""
    if rated is not None and np.any(np.asarray(rated) == 0.0):
        polarity = np.where(np.asarray(rated) == 0.0, "", np.asarray(polarity, dtype=object))
    return rag_codes(judged, polarity, target, floor, green_low, green_high, amber_low, amber_high)


def labels(codes):
    """Rating codes to their labels; a scalar code gives a str."""
    if np.ndim(codes) == 0:
        return LABELS[int(codes)]
    return _LABEL_ARRAY[np.asarray(codes, dtype=int)]

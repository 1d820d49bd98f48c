"""How figures are printed: ``28.6%``, ``528.5``, ``1,616``."""

from __future__ import annotations

import math
from decimal import ROUND_CEILING, ROUND_FLOOR, Decimal

import numpy as np

from .rounding import round_half_away

UNITS = {"percent": "%"}


def as_displayed(values, decimals):
    """Numbers (scalars or arrays) rounded as the scorecard displays them (Excel's rounding)."""
    return round_half_away(values, decimals)


def displayed(value, decimals: int) -> float:
    """The number as the scorecard displays it (Excel's rounding), for arithmetic on shown figures."""
    return float(round_half_away(float(value), decimals))


def format_value(value, measure: str, decimals: int) -> str:
    """The value as the scorecard prints it; empty for a missing value."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    number, places = float(value), int(decimals)  # as format_values reads them
    if math.isnan(number):
        return ""
    return f"{round_half_away(number, places):,.{places}f}{UNITS.get(measure, '')}"


def format_values(values, measures, decimals) -> list[str]:
    """Values as the scorecard prints them (``28.6%``; empty for a blank), rounded in one call."""
    values = np.asarray(values, dtype=float)
    places = np.asarray(decimals, dtype=int)
    rounded = round_half_away(values, places).tolist()
    return ["" if math.isnan(v) else f"{r:,.{d}f}{UNITS.get(m, '')}"
            for v, r, m, d in zip(values.tolist(), rounded, measures, places.tolist())]


def format_threshold(value, measure: str, decimals: int, side: str = "nearest") -> str:
    """A target, floor or band edge at the indicator's own decimals: ``85.0%``, ``543.7``.

    RAG is judged on the figure as displayed, so a band edge finer than the
    display is printed as the first displayed figure inside the band: ``side``
    "low" rounds a lower edge up (62.55 -> 62.6), "high" an upper edge down
    (76.45 -> 76.4); "nearest" (a target on its own) rounds half away from zero.
    """
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    if side == "nearest":
        return format_value(value, measure, decimals)
    return format_edge(value, measure, decimals, side)


def format_edge(value, measure: str, decimals: int, side: str) -> str:
    """A band edge rounded towards the inside of its band (``side`` "low" up, "high" down)."""
    places = int(decimals)
    mode = ROUND_CEILING if side == "low" else ROUND_FLOOR
    edge = Decimal(repr(float(value))).quantize(_STEPS[places] if places in _STEPS else
                                                Decimal(1).scaleb(-places), rounding=mode)
    if places <= _FAST_PLACES and -_FAST_BELOW < edge < _FAST_BELOW:
        # at most 15 significant digits: the float of the edge prints as the edge itself, so
        # the Decimal is printed directly (format_value would round it once more)
        return f"{edge if edge else abs(edge):,.{places}f}{UNITS.get(measure, '')}"
    return format_value(float(edge), measure, decimals)


_FAST_PLACES, _FAST_BELOW = 6, Decimal(10) ** 8
_STEPS = {places: Decimal(1).scaleb(-places) for places in range(_FAST_PLACES + 1)}


def format_change(new, old, measure: str, decimals: int) -> str:
    """A change between two results as displayed: ``+2.4 percentage points``, ``-3.1``."""
    if any(v is None or (isinstance(v, float) and math.isnan(v)) for v in (new, old)):
        return ""
    delta = round_half_away(round_half_away(new, decimals) - round_half_away(old, decimals), decimals)
    return _change_text(delta, measure, decimals)


def format_changes(new, old, measures, decimals) -> list[str]:
    """``format_change`` for columns of results, rounded in vectorised calls."""
    new, old = np.asarray(new, dtype=float), np.asarray(old, dtype=float)
    places = np.asarray(decimals, dtype=int)
    delta = round_half_away(round_half_away(new, places) - round_half_away(old, places), places)
    missing = (np.isnan(new) | np.isnan(old)).tolist()
    return ["" if gap else _change_text(d, m, p)
            for gap, d, m, p in zip(missing, np.atleast_1d(delta).tolist(), measures,
                                    np.atleast_1d(places).tolist())]


def _change_text(delta: float, measure: str, decimals: int) -> str:
    sign = "+" if delta > 0 else "-" if delta < 0 else ""
    text = f"{sign}{abs(delta):,.{decimals}f}"
    if measure == "percent":
        return f"{text} percentage point" + ("" if abs(delta) == 1 else "s")
    return text

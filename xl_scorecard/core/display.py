"""How figures are printed: ``28.6%``, ``528.5``, ``1,616``."""

from __future__ import annotations

import math

import numpy as np

from .rounding import round_half_away

UNITS = {"percent": "%"}


def displayed(value, decimals: int) -> float:
    """The number as the scorecard displays it (Excel's rounding), for arithmetic on shown figures."""
    return float(round_half_away(float(value), decimals))


def format_value(value, measure: str, decimals: int) -> str:
    """The value as the scorecard prints it; empty for a missing value."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    return format_values([value], [measure], [decimals])[0]


def format_values(values, measures, decimals) -> list[str]:
    """Values as the scorecard prints them (``28.6%``; empty for a blank), rounded in one call."""
    values = np.asarray(values, dtype=float)
    places = np.asarray(decimals, dtype=int)
    rounded = round_half_away(values, places).tolist()
    return ["" if math.isnan(v) else f"{r:,.{d}f}{UNITS.get(m, '')}"
            for v, r, m, d in zip(values.tolist(), rounded, measures, places.tolist())]


def format_threshold(value, measure: str) -> str:
    """A target or floor as written in data notes: ``85%``, ``76.5%``, ``543.7``."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    return f"{float(value):,.6g}{UNITS.get(measure, '')}"


def format_change(new, old, measure: str, decimals: int) -> str:
    """A change between two results as displayed: ``+2.4 percentage points``, ``-3.1``."""
    if any(v is None or (isinstance(v, float) and math.isnan(v)) for v in (new, old)):
        return ""
    delta = round_half_away(round_half_away(new, decimals) - round_half_away(old, decimals), decimals)
    sign = "+" if delta > 0 else "-" if delta < 0 else ""
    text = f"{sign}{abs(delta):,.{decimals}f}"
    if measure == "percent":
        return f"{text} percentage point" + ("" if abs(delta) == 1 else "s")
    return text

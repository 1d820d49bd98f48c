"""Axis choices for the native line charts: start at zero, ticks in the indicator's own format."""

from __future__ import annotations

import math

from .model import number_format


def nice_step(span: float) -> float:
    """A 1, 2, 2.5 or 5 times a power of ten step giving about five ticks over ``span``."""
    raw = span / 5
    power = 10 ** math.floor(math.log10(raw))
    return next(m * power for m in (1, 2, 2.5, 5, 10) if m * power >= raw)


def axis_for(values, measure: str, decimals: int) -> dict:
    """y_min, y_max, y_major and y_format for a chart of ``values`` (None and NaN ignored).

    A series of zeros (or nothing) gets a 0-to-1 axis rather than a repeating "0, 1, 1";
    ticks are never finer than the indicator's decimals, so no two read the same.
    """
    seen = [float(v) for v in values if v is not None and math.isfinite(float(v))]
    top = max(seen, default=0.0)
    bottom = min(seen, default=0.0)
    if bottom < 0 or top <= 0:
        if not seen or (top == 0 and bottom == 0):
            return {"y_min": 0.0, "y_max": 1.0, "y_major": max(1.0, 10.0 ** -decimals),
                    "y_format": number_format(measure, decimals)}
        return {"y_format": number_format(measure, decimals)}
    step = max(nice_step(top * 1.1), 10.0 ** -decimals)
    return {"y_min": 0.0, "y_max": math.ceil(top * 1.1 / step) * step, "y_major": step,
            "y_format": number_format(measure, decimals)}


def wrapped_title(text: str, width: int = 55) -> str:
    """A chart title broken onto lines of at most ``width`` characters (at spaces)."""
    lines, line = [], ""
    for word in text.split():
        if line and len(line) + 1 + len(word) > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}" if line else word
    lines.append(line)
    return "\n".join(lines)

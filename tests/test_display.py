"""One formatting rule: every figure, target and band edge at the indicator's own decimals."""

from __future__ import annotations

import pytest
from hypothesis import given, settings, strategies as st

from xl_scorecard.core.display import format_threshold, format_value
from xl_scorecard.core.rag import labels, rag_band, rag_higher, rag_lower


@pytest.mark.parametrize("value, measure, decimals, side, expected", [
    (98, "percent", 1, "nearest", "98.0%"),
    (85, "percent", 0, "nearest", "85%"),
    (62.55, "percent", 1, "low", "62.6%"),
    (76.45, "percent", 1, "high", "76.4%"),
    (489.33, "rate", 1, "low", "489.4"),
    (598.07, "rate", 1, "high", "598.0"),
    (598.0, "rate", 1, "high", "598.0"),
    (30, "count", 0, "nearest", "30"),
    (1616, "count", 0, "low", "1,616"),
    (None, "percent", 1, "low", ""),
])
def test_threshold_formats(value, measure, decimals, side, expected):
    assert format_threshold(value, measure, decimals, side) == expected


def _number(text: str) -> float:
    return float(text.rstrip("%").replace(",", ""))


edges = st.decimals(min_value=0, max_value=1000, places=3).map(float)


@settings(max_examples=200, deadline=None)
@given(edges, edges, st.integers(0, 2), st.integers(-200, 120000))
def test_printed_band_edges_say_what_the_rating_does(a, b, decimals, tenths):
    """A displayed figure is Green exactly when it lies between the printed edges."""
    low, high = min(a, b), max(a, b)
    shown = _number(format_value(tenths / 10 ** decimals, "rate", decimals))  # as displayed
    printed_low = _number(format_threshold(low, "rate", decimals, "low"))
    printed_high = _number(format_threshold(high, "rate", decimals, "high"))
    green_band = labels(rag_band(shown, low, high)) == "Green"
    assert green_band == (printed_low <= shown <= printed_high)
    assert (labels(rag_higher(shown, low)) == "Green") == (shown >= printed_low)
    assert (labels(rag_lower(shown, high)) == "Green") == (shown <= printed_high)

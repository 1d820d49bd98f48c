"""The data-notes sentence printed under each exception, generated from the rules.

"Target: 85.0% (RAG Status set as: Green 85.0% and above, Amber from 76.5% to
85.0%, Red below 76.5%). Tolerance: Higher values are better. Data: snapshot at the
end of each month. Data Source: Liberi."
"""

from __future__ import annotations

from .display import format_threshold
from .ranges import range_text, status_sentence
from .rules import POLARITY_WORDS, Indicator, Threshold

PERIOD_WORDS = {
    "SS": "snapshot at the end of each month",
    "YTD": "financial year to date",
    "R12M": "rolling 12 months",
    "Q": "quarter end",
    "annual": "annual result",
}


AGGREGATE_WORDS = {
    "sum": ", summed from each month's figures",
    "sum_over_latest": ", each month's numerators summed over the latest month's denominator",
}


def rag_status_text(indicator: Indicator, threshold: Threshold | None) -> str:
    """``Green 85% and above, Amber from 76.5% to 85%, Red below 76.5%``; empty if unrated."""
    if threshold is None or indicator.polarity is None:
        return ""

    def lo(value) -> str:
        return format_threshold(value, indicator.measure, indicator.decimals, "low")

    def hi(value) -> str:
        return format_threshold(value, indicator.measure, indicator.decimals, "high")

    if indicator.polarity == "T":
        if threshold.green is None:
            return ""
        (gl, gh), amber = threshold.green, threshold.amber
        green_low, green_high = lo(gl), hi(gh)
        text = f"Green from {green_low} to {green_high}"
        if amber is None:
            return text + f", Red below {green_low} or above {green_high} (no Amber)"
        amber_low, amber_high = lo(amber[0]), hi(amber[1])
        return (text + f", Amber from {amber_low} to {green_low} or {green_high} to {amber_high}, "
                f"Red below {amber_low} or above {amber_high}")
    if threshold.target is None:
        return ""
    edge = lo if indicator.polarity == "H" else hi    # each edge printed once, shown twice
    target = edge(threshold.target)
    floor = None if threshold.floor is None else edge(threshold.floor)
    if indicator.polarity == "H":
        if floor is None:
            return f"Green {target} and above, Red below {target} (no Amber)"
        return f"Green {target} and above, Amber from {floor} to {target}, Red below {floor}"
    if floor is None:
        return f"Green {target} and below, Red above {target} (no Amber)"
    return f"Green {target} and below, Amber from {target} to {floor}, Red above {floor}"


def data_notes(indicator: Indicator, threshold: Threshold | None, status: str = "") -> str:
    """The full data-notes sentence for an indicator under the thresholds in force.

    ``status`` (a lead indicator's range status this month) adds how reports say it:
    "The latest result is above the upper threshold of 100."
    """
    parts = []
    expected = threshold.expected if threshold is not None else None
    if expected:
        low, high = (float("nan") if v is None else v for v in expected)
        judged = range_text(low, high, indicator.measure, indicator.decimals)
        parts.append(f"Lead indicator: judged against {judged}, not RAG rated.")
        if status:
            said = status_sentence(status, low, high, indicator.measure, indicator.decimals)
            parts.append(f"The latest result is {said}.")
    if threshold is not None and threshold.target is not None:
        status = rag_status_text(indicator, threshold)
        target = ("Target: "
                  f"{format_threshold(threshold.target, indicator.measure, indicator.decimals)}")
        if not threshold.rated:
            parts.append(f"{target} (shown for information, not RAG rated).")
        else:
            parts.append(f"{target} (RAG Status set as: {status})." if status else f"{target}.")
        if threshold.floor_derived:
            floor = format_threshold(threshold.floor, indicator.measure, indicator.decimals,
                                     "high" if indicator.polarity == "L" else "low")
            parts.append(f"(Floor {floor} derived from the scorecard's default floor rule.)")
        if threshold.inferred:
            parts.append(f"({_inferred_text(threshold.inferred)} inferred, not published.)")
    elif not expected:
        parts.append("No target: not rated.")
    parts.append(f"Tolerance: {POLARITY_WORDS[indicator.polarity]}.")
    parts.append(f"Data: {PERIOD_WORDS[indicator.period]}{AGGREGATE_WORDS.get(indicator.aggregate, '')}.")
    if indicator.source:
        parts.append(f"Data Source: {indicator.source}.")
    return " ".join(parts)


def _inferred_text(fields: tuple[str, ...]) -> str:
    """``('green', 'amber')`` -> ``Green and amber bands``; ``('floor',)`` -> ``Floor``."""
    words = [f for f in fields if f not in ("green", "amber")]
    bands = [f for f in fields if f in ("green", "amber")]
    if bands:
        words.append(" and ".join(bands) + (" bands" if len(bands) > 1 else " band"))
    text = " and ".join(words)
    return text[:1].upper() + text[1:]

"""One month's scorecard: value, RAG and direction of travel for every indicator.

Pure: takes validated rules and a checked data table, returns a DataFrame
with one row per indicator in rules order. The worksheet functions, the
headless workbooks and the CLI all read their figures from here.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from . import direction, rag
from .display import format_values
from .errors import DataError, Problem, UsageError
from .periods import Month
from .rates import measure_value
from .rules import THRESHOLD_FIELDS, Indicator, Rules
from .table import DataTable

RESULT_COLUMNS = (
    "month", "id", "ref", "name", "section", "polarity", "period", "measure", "decimals",
    "numerator", "denominator", "value", "display", "rag", "target", "floor",
    "green_low", "green_high", "amber_low", "amber_high",
    "previous", "previous_period", "previous_display", "rag_previous", "dot_previous",
    "outturn", "outturn_period", "outturn_display", "dot_outturn",
)


@dataclass(frozen=True)
class Figures:
    """Every indicator's value for every month, computed once (indicators x months)."""

    values: pd.DataFrame        # index: indicator id, columns: Month (sorted), NaN = blank
    numerators: pd.DataFrame
    denominators: pd.DataFrame

    @property
    def months(self) -> list[Month]:
        return list(self.values.columns)


def prepare(rules: Rules, data: DataTable) -> Figures:
    """Turn the long table into wide tables of values, numerators and denominators.

    The checked table has at most one row per (indicator, month), so each row is placed
    straight into its cell of an indicators x months grid (a pandas pivot does the same work
    with a hundred times the overhead).
    """
    frame = data.frame
    ids = list(rules.ids)
    row_of = {ident: i for i, ident in enumerate(ids)}
    periods = frame["period"].to_numpy(dtype=object)
    months = sorted(set(periods.tolist()))
    col_of = {month: j for j, month in enumerate(months)}
    rows = np.fromiter((row_of[i] for i in frame["indicator"].tolist()), dtype=np.intp,
                       count=len(frame))
    cols = np.fromiter((col_of[m] for m in periods.tolist()), dtype=np.intp, count=len(frame))
    measure = np.array([ind.measure for ind in rules.indicators], dtype=object)[rows]
    multiplier = np.array([ind.multiplier for ind in rules.indicators], dtype=float)[rows]
    num, den, given = (frame[c].to_numpy(dtype=float) for c in ("numerator", "denominator", "value"))
    value = measure_value(num, den, multiplier, measure == "count", given)
    index = pd.Index(ids, dtype=frame["indicator"].dtype, name="indicator")
    columns = pd.Index([Month.parse(text) for text in months], dtype=object)  # the one parse

    def wide(column: np.ndarray) -> pd.DataFrame:
        grid = np.full((len(ids), len(months)), np.nan)
        grid[rows, cols] = column
        return pd.DataFrame(grid, index=index, columns=columns)

    return Figures(values=wide(value), numerators=wide(num), denominators=wide(den))


def compute_month(rules: Rules, data: "DataTable | Figures", month: "Month | str",
                  tolerance: float | None = None) -> pd.DataFrame:
    """The scorecard for ``month``: one row per indicator, in rules order.

    ``tolerance`` overrides the materiality threshold for direction of travel
    (rules: indicator ``dot_tolerance``, else scorecard ``dot_tolerance``, else 0).
    """
    figures = prepare(rules, data) if isinstance(data, DataTable) else data
    if isinstance(month, str):  # the Python API's edge: "2012-05"
        try:
            month = Month.parse(month)
        except ValueError as exc:
            raise UsageError(Problem(month=month[:50], message=f"{exc}: give it as YYYY-MM")) from None
    if month not in figures.values.columns:
        present = figures.months
        span = f"{present[0]} to {present[-1]}" if present else "none"
        raise DataError(Problem(month=month, message=f"has no data; months in the data: "
                                f"{span}. Choose one of those months, or add this month's figures"))
    indicators = rules.indicators
    year_start = rules.scorecard.year_start_month
    values = figures.values[month].to_numpy()
    previous, previous_month = _latest_before(figures.values, month)
    outturn_month = month.outturn_month(year_start)
    outturn = (figures.values[outturn_month].to_numpy() if outturn_month in figures.values.columns
               else np.full(len(indicators), np.nan))

    now = _thresholds(indicators, [month] * len(indicators))
    then = _thresholds(indicators, previous_month)
    polarity = np.array([ind.polarity or "" for ind in indicators], dtype=object)
    tol = np.array([tolerance_for(ind, rules, tolerance) for ind in indicators])

    rated_now = _rag(indicators, values, polarity, now)
    rated_then = _rag(indicators, previous, polarity, then)
    dot_previous = direction.dot_codes(values, previous, polarity, now["target"], tol)
    dot_outturn = direction.dot_codes(values, outturn, polarity, now["target"], tol)

    measures = [ind.measure for ind in indicators]
    decimals = [ind.decimals for ind in indicators]

    def shown(column):
        return format_values(column, measures, decimals)

    frame = pd.DataFrame({
        "month": str(month),
        "id": [ind.id for ind in indicators],
        "ref": [ind.ref for ind in indicators],
        "name": [ind.name for ind in indicators],
        "section": [ind.section for ind in indicators],
        "polarity": polarity,
        "period": [ind.period for ind in indicators],
        "measure": [ind.measure for ind in indicators],
        "decimals": [ind.decimals for ind in indicators],
        "numerator": figures.numerators[month].to_numpy(),
        "denominator": figures.denominators[month].to_numpy(),
        "value": values,
        "display": shown(values),
        "rag": rag.labels(rated_now),
        "target": now["target"], "floor": now["floor"],
        "green_low": now["green_low"], "green_high": now["green_high"],
        "amber_low": now["amber_low"], "amber_high": now["amber_high"],
        "previous": previous,
        "previous_period": ["" if m is None else str(m) for m in previous_month],
        "previous_display": shown(previous),
        "rag_previous": rag.labels(rated_then),
        "dot_previous": direction.arrows(dot_previous),
        "outturn": outturn,
        "outturn_period": np.where(np.isnan(outturn), "", str(outturn_month)),
        "outturn_display": shown(outturn),
        "dot_outturn": direction.arrows(dot_outturn),
    }, columns=list(RESULT_COLUMNS))
    return frame


def _latest_before(values: pd.DataFrame, month: Month) -> tuple[np.ndarray, list]:
    """Each indicator's latest non-blank value before ``month``, and its month (None if none)."""
    before = values.loc[:, [c for c in values.columns if c < month]]
    n = len(values)
    if before.shape[1] == 0:
        return np.full(n, np.nan), [None] * n
    present = before.notna().to_numpy()
    last = before.shape[1] - 1 - np.argmax(present[:, ::-1], axis=1)
    found = present.any(axis=1)
    picked = before.to_numpy()[np.arange(n), last]
    months = list(before.columns)
    return (np.where(found, picked, np.nan),
            [months[k] if ok else None for k, ok in zip(last.tolist(), found.tolist())])


def _thresholds(indicators, months) -> dict[str, np.ndarray]:
    """Target, floor and bands in force for each indicator at its given month (NaN if none)."""
    table = np.full((len(indicators), len(THRESHOLD_FIELDS)), np.nan)
    for i, (ind, month) in enumerate(zip(indicators, months)):
        th = ind.threshold_for(month) if month is not None else None
        if th is not None:
            table[i] = th.numbers()
    return {name: table[:, j] for j, name in enumerate(THRESHOLD_FIELDS)}


def _rag(indicators: tuple[Indicator, ...], values, polarity, th) -> np.ndarray:
    decimals = np.array([ind.decimals for ind in indicators])
    displayed = np.array([ind.rag_basis == "displayed" for ind in indicators])
    return rag.rag_judged(values, polarity, decimals, displayed, th["target"], th["floor"],
                          th["green_low"], th["green_high"], th["amber_low"], th["amber_high"])


def tolerance_for(ind: Indicator, rules: Rules, override: float | None = None) -> float:
    """Materiality threshold for an indicator's arrows: override, else indicator, else scorecard."""
    if override is not None:
        value = float(override)
        if not np.isfinite(value) or value < 0:  # nan would silence every arrow, inf too
            raise UsageError(f"tolerance {override!r} must be a finite number, zero or more")
        return value
    if ind.dot_tolerance is not None:
        return ind.dot_tolerance
    return rules.scorecard.dot_tolerance


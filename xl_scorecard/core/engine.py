"""One month's scorecard: value, RAG and direction of travel for every indicator.

Pure: takes validated rules and a checked data table, returns a DataFrame
with one row per indicator in rules order. The worksheet functions, the
headless workbooks and the CLI all read their figures from here.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from . import direction, rag
from .aggregate import aggregate, missing_months_text, window_max, window_text
from .comparators import ComparatorTable, latest_comparators
from .display import format_values
from .errors import DataError, Problem, UsageError
from .frequency import as_at_label, latest_columns, pick, take
from .periods import Month, month_range
from .ranges import range_status
from .rates import measure_value
from .rules import THRESHOLD_EXTRAS, THRESHOLD_FIELDS, Indicator, Rules
from .table import DataTable

RESULT_COLUMNS = (
    "month", "id", "ref", "name", "section", "polarity", "period", "measure", "decimals",
    "numerator", "denominator", "value", "display", "rag", "target", "floor",
    "green_low", "green_high", "amber_low", "amber_high",
    "previous", "previous_period", "previous_display", "rag_previous", "dot_previous",
    "outturn", "outturn_period", "outturn_display", "dot_outturn",
    "window_from", "window_to", "frequency", "as_at", "expected_low", "expected_high", "range_status",
    "flag", "target_rated", "floor_derived",
)


FLAG_NAMES = ("", "provisional", "unavailable")
FLAG_CODES = {name: code for code, name in enumerate(FLAG_NAMES)}


@dataclass(frozen=True)
class Figures:
    """Every indicator's period figure for every month, computed once (indicators x months)."""

    values: pd.DataFrame        # index: indicator id, columns: Month (sorted), NaN = blank
    numerators: pd.DataFrame    # aggregated where the indicator has ``aggregate``
    denominators: pd.DataFrame
    window_from: pd.DataFrame | None = None   # 'YYYY-MM' text (results columns); '' if not aggregated
    window_to: pd.DataFrame | None = None
    gaps: dict = field(default_factory=dict)  # Month -> (indicators x 12) missing months back
    comparators: ComparatorTable | None = None
    flags: pd.DataFrame | None = None         # 0 none, 1 provisional, 2 unavailable (FLAG_NAMES)

    @property
    def months(self) -> list[Month]:
        return list(self.values.columns)


def prepare(rules: Rules, data: DataTable) -> Figures:
    """Turn the long table into wide tables of period values, numerators and denominators."""
    frame = data.frame
    texts = sorted(frame["period"].unique())
    months = [Month.parse(text) for text in texts]  # the one parse
    ids = list(rules.ids)
    indicators = rules.indicators
    counts = np.array([ind.measure == "count" for ind in indicators], dtype=bool)
    given_value = frame["value"].to_numpy(dtype=float)
    count_rows = frame["indicator"].map({ind.id: ind.measure == "count" for ind in indicators})
    monthly = np.where(count_rows.to_numpy(dtype=bool) & ~np.isnan(given_value), given_value,
                       frame["numerator"].to_numpy(dtype=float))
    long = frame.assign(monthly=monthly)
    grid = month_range(months[0], months[-1]) if months else []
    position = {m: i for i, m in enumerate(grid)}
    kept = [position[m] for m in months]                     # the grid columns with data

    at_row = pd.Index(ids).get_indexer(long["indicator"])     # (indicator, month) is unique
    at_col = long["period"].map(dict(zip(texts, kept))).to_numpy(dtype=int)

    def wide(column: str) -> np.ndarray:
        table = np.full((len(ids), len(grid)), np.nan)
        table[at_row, at_col] = long[column].to_numpy(dtype=float)
        return table

    num, den, given = wide("monthly"), wide("denominator"), wide("value")
    kinds = [ind.aggregate for ind in indicators]
    windows = aggregate(kinds, [ind.period for ind in indicators],
                        [ind.year_start(rules.scorecard.year_start_month) for ind in indicators],
                        grid, num, den, counts)
    aggregated = np.array([k is not None for k in kinds], dtype=bool)[:, None]
    multiplier = np.array([ind.multiplier for ind in indicators], dtype=float)[:, None]
    # an aggregated rate is its window's sums or blank, never a value given for the month
    given = np.where(aggregated | counts[:, None], np.nan, given)
    value = measure_value(windows.numerators, windows.denominators, multiplier, counts[:, None], given)
    start, end = window_text(grid, windows.lengths) if grid else (num, num)
    index = pd.Index(ids, name="indicator")  # the axes named as the long table names them
    columns = pd.Index(months, dtype=object, name="period")

    def table(array) -> pd.DataFrame:
        return pd.DataFrame(np.asarray(array)[:, kept], index=index, columns=columns)

    flag_codes = np.zeros((len(ids), len(grid)), dtype=int)
    if "flag" in long.columns:
        flag_codes[at_row, at_col] = long["flag"].map(FLAG_CODES).fillna(0).to_numpy(dtype=int)
        flag_codes = np.where(aggregated, window_max(flag_codes, windows.lengths), flag_codes)
    gaps = {grid[t]: windows.missing[:, t, :]
            for t in np.flatnonzero(windows.missing.any(axis=(0, 2)))}
    numerators = np.where(aggregated, windows.numerators, wide("numerator"))  # as given if not
    return Figures(values=table(value), numerators=table(numerators),
                   denominators=table(windows.denominators),
                   window_from=table(start), window_to=table(end), gaps=gaps,
                   comparators=data.comparators, flags=table(flag_codes))


def compute_month(rules: Rules, data: "DataTable | Figures", month: "Month | str",
                  tolerance: float | None = None, previous_month: "Month | str | None" = None
                  ) -> pd.DataFrame:
    """The scorecard for ``month``: one row per indicator, in rules order.

    ``tolerance`` overrides the materiality threshold for direction of travel
    (rules: indicator ``dot_tolerance``, else scorecard ``dot_tolerance``, else 0).
    ``previous_month`` makes the previous result the latest figure at or before that month
    (the last report) instead of the latest before the shown figure. Warnings (missing
    months of a window, stale quarterly or annual figures) are in ``frame.attrs["warnings"]``.
    """
    figures = prepare(rules, data) if isinstance(data, DataTable) else data
    month = _parse_month(month)
    if month not in figures.values.columns:
        present = figures.months
        span = f"{present[0]} to {present[-1]}" if present else "none"
        raise DataError(Problem(month=month, message=f"has no data; months in the data: "
                                f"{span}. Choose one of those months, or add this month's figures"))
    indicators = rules.indicators
    months = figures.months
    at = months.index(month)
    table = figures.values.to_numpy()
    frequency = np.array([ind.frequency for ind in indicators], dtype=object)
    monthly = frequency == "monthly"
    starts = [ind.year_start(rules.scorecard.year_start_month) for ind in indicators]
    chosen, stale = pick(table, months, month, np.array([ind.max_age for ind in indicators]), monthly)
    values = take(table, chosen)
    upto = np.where(monthly, at, np.where(chosen >= 0, chosen, 0))
    if previous_month is None and rules.scorecard.previous_report_months:
        previous_month = month - rules.scorecard.previous_report_months
    if previous_month is not None:
        cut = _parse_month(previous_month)
        upto = np.minimum(upto, sum(m <= cut for m in months))
    before = latest_columns(~np.isnan(table), upto)
    previous = take(table, before)
    previous_months = [months[b] if b >= 0 else None for b in before.tolist()]
    position = {m: i for i, m in enumerate(months)}
    by_start = {ys: month.outturn_month(ys) for ys in set(starts)}
    outturn_months = [by_start[ys] for ys in starts]
    outturn_at = np.array([position.get(m, -1) for m in outturn_months], dtype=int)
    outturn_at = np.where(frequency == "annual", -1, outturn_at)
    outturn = take(table, outturn_at)
    outturn_period = np.where(np.isnan(outturn), "",
                              np.array([str(m) for m in outturn_months], dtype=object))

    now = _thresholds(indicators, [month] * len(indicators))
    then = _thresholds(indicators, previous_months)
    polarity = np.array([ind.polarity or "" for ind in indicators], dtype=object)
    tol = np.array([tolerance_for(ind, rules, tolerance) for ind in indicators])

    rated_now = _rag(indicators, values, polarity, now)
    rated_then = _rag(indicators, previous, polarity, then)
    bands = (now["green_low"], now["green_high"])
    dot_previous = direction.dot_codes(values, previous, polarity, now["target"], tol, *bands)
    dot_outturn = direction.dot_codes(values, outturn, polarity, now["target"], tol, *bands)

    measures = [ind.measure for ind in indicators]
    decimals = [ind.decimals for ind in indicators]

    def shown(column):
        return format_values(column, measures, decimals)

    codes = (take(figures.flags.to_numpy(), chosen, fill=0).astype(int) if figures.flags is not None
             else np.zeros(len(indicators), dtype=int))
    flag = np.array(FLAG_NAMES, dtype=object)[codes]
    display = np.array(shown(values), dtype=object)
    display = np.where((flag == "provisional") & (display != ""), np.char.add(display.astype(str), "*"),
                       display)
    display = np.where(flag == "unavailable", "-", display)

    def texts(wide: "pd.DataFrame | None") -> np.ndarray:
        if wide is None:
            return np.full(len(indicators), "", dtype=object)
        return take(wide.to_numpy(dtype=object), chosen, fill="")

    as_at = _as_at(months, chosen, frequency, starts, values)
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
        "numerator": take(figures.numerators.to_numpy(), chosen),
        "denominator": take(figures.denominators.to_numpy(), chosen),
        "value": values,
        "display": display,
        "rag": rag.labels(rated_now),
        "target": now["target"], "floor": now["floor"],
        "green_low": now["green_low"], "green_high": now["green_high"],
        "amber_low": now["amber_low"], "amber_high": now["amber_high"],
        "previous": previous,
        "previous_period": ["" if m is None else str(m) for m in previous_months],
        "previous_display": shown(previous),
        "rag_previous": rag.labels(rated_then),
        "dot_previous": direction.arrows(dot_previous),
        "outturn": outturn,
        "outturn_period": outturn_period,
        "outturn_display": shown(outturn),
        "dot_outturn": direction.arrows(dot_outturn),
        "window_from": texts(figures.window_from),
        "window_to": texts(figures.window_to),
        "frequency": frequency,
        "as_at": as_at,
        "expected_low": now["expected_low"], "expected_high": now["expected_high"],
        "range_status": range_status(_judged(indicators, values), now["expected_low"],
                                     now["expected_high"]),
        "flag": flag,
        "target_rated": now["rated"] == 1.0,
        "floor_derived": now["floor_derived"] == 1.0,
    }, columns=list(RESULT_COLUMNS))
    for name, column in latest_comparators(figures.comparators, list(rules.ids), month).items():
        frame[name] = column
    frame.attrs["warnings"] = _warnings(rules, figures, month, stale, table, months)
    return frame


def _as_at(months: list[Month], chosen, frequency, starts, values) -> list[str]:
    """Each shown figure's own period label, each distinct (month, frequency, year start) once."""
    labels: dict = {}
    out = []
    for c, f, ys, v in zip(chosen.tolist(), frequency, starts, values.tolist()):
        if c < 0 or v != v:
            out.append("")
            continue
        if (c, f, ys) not in labels:
            labels[(c, f, ys)] = as_at_label(months[c], f, ys)
        out.append(labels[(c, f, ys)])
    return out


def _parse_month(month: "Month | str") -> Month:
    """A Month, from the Python API's ``"2012-05"`` too (an edge)."""
    if isinstance(month, Month):
        return month
    try:
        return Month.parse(month)
    except ValueError as exc:
        raise UsageError(Problem(month=str(month)[:50],
                                 message=f"{exc}: give it as YYYY-MM")) from None


def _warnings(rules: Rules, figures: Figures, month: Month, stale, table, months) -> list[Problem]:
    """Missing months of this month's windows, and quarterly or annual figures too old to show."""
    out = []
    missing = figures.gaps.get(month)
    flagged = np.asarray(stale) | (missing.any(axis=1) if missing is not None else False)
    for i in np.flatnonzero(flagged):
        ind, is_stale, row = rules.indicators[i], stale[i], table[i]
        gap = missing_months_text(month, missing[i]) if missing is not None else ""
        if gap:
            wanted = (f"{figures.window_from.at[ind.id, month]}.."
                      f"{figures.window_to.at[ind.id, month]}")
            out.append(Problem(indicator=ind.id, month=month, severity="warning", message=(
                f"its {ind.period} figure needs {wanted}; missing {gap}: the result is blank "
                "until those months' figures are in the data table")))
        if is_stale:
            last = months[int(np.flatnonzero(~np.isnan(row[: months.index(month) + 1]))[-1])]
            out.append(Problem(indicator=ind.id, month=month, severity="warning", message=(
                f"the latest {ind.frequency} figure is for {last}, more than {ind.max_age} "
                "months old: not shown; add the latest figure or raise max_age_months")))
    return out


def _thresholds(indicators, months) -> dict[str, np.ndarray]:
    """Target, floor, bands and range in force for each indicator at its month (NaN if none);
    ``rated`` and ``floor_derived`` as 1.0 / 0.0 (NaN without thresholds)."""
    names = (*THRESHOLD_FIELDS, *THRESHOLD_EXTRAS)
    table = np.full((len(indicators), len(names)), np.nan)
    for i, (ind, month) in enumerate(zip(indicators, months)):
        th = ind.threshold_for(month) if month is not None else None
        if th is not None:
            table[i] = (*th.numbers(), *th.extras())
    return {name: table[:, j] for j, name in enumerate(names)}


def _judged(indicators: tuple[Indicator, ...], values) -> np.ndarray:
    """The values RAG and ranges are judged on: rounded as displayed, unless rag_basis says not."""
    decimals = np.array([ind.decimals for ind in indicators])
    displayed = np.array([ind.rag_basis == "displayed" for ind in indicators])
    return rag.judged_values(values, decimals, displayed)


def _rag(indicators: tuple[Indicator, ...], values, polarity, th) -> np.ndarray:
    decimals = np.array([ind.decimals for ind in indicators])
    displayed = np.array([ind.rag_basis == "displayed" for ind in indicators])
    return rag.rag_judged(values, polarity, decimals, displayed, th["target"], th["floor"],
                          th["green_low"], th["green_high"], th["amber_low"], th["amber_high"],
                          rated=th["rated"])


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


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
from .indicator_arrays import IndicatorArrays, indicator_arrays, text_column
from .periods import Month, month_range
from .ranges import STATUS_TEXTS, range_codes
from .rates import measure_value
from .rules import THRESHOLD_FIELDS, Indicator, Rules
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
_FLAG_INDEX = pd.Index(FLAG_NAMES)   # a flag's code by hashed look-up (-1: not a flag)


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
    # what compute_month reads from these figures and their rules once, for every month
    # (init=False: a copy made by dataclasses.replace starts with an empty one)
    cache: dict = field(default_factory=dict, init=False, repr=False, compare=False)

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
    grid = month_range(months[0], months[-1]) if months else []
    position = {m: i for i, m in enumerate(grid)}
    kept = [position[m] for m in months]                     # the grid columns with data

    # rows placed by hashed look-ups on the columns (no Series.map, no copy of the frame);
    # a row whose indicator is not in the rules (-1) counts as a count, as a map to NaN did
    index = pd.Index(ids, name="indicator")  # the axes named as the long table names them
    at_row = index.get_indexer(frame["indicator"])            # (indicator, month) is unique
    at_col = np.asarray(kept, dtype=int)[pd.Index(texts).get_indexer(frame["period"])]
    given_value = frame["value"].to_numpy(dtype=float)
    columns_given = {"numerator": frame["numerator"].to_numpy(dtype=float),
                     "denominator": frame["denominator"].to_numpy(dtype=float),
                     "value": given_value}
    count_rows = np.append(counts, True)[at_row]
    columns_given["monthly"] = np.where(count_rows & ~np.isnan(given_value), given_value,
                                        columns_given["numerator"])

    def wide(column: str) -> np.ndarray:
        table = np.full((len(ids), len(grid)), np.nan)
        table[at_row, at_col] = columns_given[column]
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
    columns = pd.Index(months, dtype=object, name="period")

    def table(array) -> pd.DataFrame:
        return pd.DataFrame(np.asarray(array)[:, kept], index=index, columns=columns)

    flag_codes = np.zeros((len(ids), len(grid)), dtype=int)
    if "flag" in frame.columns:  # -1 (a name not in FLAG_NAMES, or NaN) is no flag
        codes = _FLAG_INDEX.get_indexer(frame["flag"])
        flag_codes[at_row, at_col] = np.where(codes < 0, 0, codes)
        if aggregated.any():
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
    arrays = indicator_arrays(rules, figures.cache)
    n = len(indicators)
    months = figures.months
    at = months.index(month)
    table = figures.values.to_numpy()
    frequency, monthly, starts, polarity = (arrays.frequency, arrays.monthly, arrays.starts,
                                            arrays.polarity)
    chosen, stale = pick(table, months, month, arrays.max_ages, monthly)
    values = take(table, chosen)
    upto = np.where(monthly, at, np.where(chosen >= 0, chosen, 0))
    if previous_month is None and rules.scorecard.previous_report_months:
        previous_month = month - rules.scorecard.previous_report_months
    if previous_month is not None:
        cut = _parse_month(previous_month)
        upto = np.minimum(upto, sum(m <= cut for m in months))
    before = latest_columns(~np.isnan(table), upto)
    previous = take(table, before)
    # months as text and outturn columns worked out per distinct month or year start, not per row
    month_texts = [str(m) for m in months]
    position = {m: i for i, m in enumerate(months)}
    by_start = {ys: month.outturn_month(ys) for ys in set(starts)}
    at_by_start = {ys: position.get(m, -1) for ys, m in by_start.items()}
    outturn_at = np.array([at_by_start[ys] for ys in starts], dtype=int)
    outturn_at = np.where(frequency == "annual", -1, outturn_at)
    outturn = take(table, outturn_at)
    outturn_shown = np.where(np.isnan(outturn), -1, outturn_at)  # its month's text, or ''

    month_index = np.array([m.index for m in months], dtype=np.int64)
    now = arrays.thresholds_at(np.full(n, month.index, dtype=np.int64), np.ones(n, dtype=bool))
    then = arrays.thresholds_at(month_index[np.maximum(before, 0)], before >= 0)
    tol = (arrays.tolerances if tolerance is None
           else np.array([tolerance_for(ind, rules, tolerance) for ind in indicators]))

    # the shown and the previous figures rated in one call, the two arrows in one, the three
    # figures printed in one: each step is element-wise, so stacking changes no result
    judged, rated_both = _judged_and_rated(arrays, values, previous, now, then)
    rated_now, rated_then = rated_both[:n], rated_both[n:]
    twice = {k: np.tile(now[k], 2) for k in ("target", "green_low", "green_high")}
    dot_both = direction.dot_codes(np.tile(values, 2), np.concatenate([previous, outturn]),
                                   np.tile(polarity, 2), twice["target"], np.tile(tol, 2),
                                   twice["green_low"], twice["green_high"])
    shown_all = format_values(np.concatenate([values, previous, outturn]), arrays.measures * 3,
                              arrays.decimals * 3)

    codes = (take(figures.flags.to_numpy(), chosen, fill=0).astype(int) if figures.flags is not None
             else np.zeros(n, dtype=int))
    flag = np.array(FLAG_NAMES, dtype=object)[codes]
    display = np.array(shown_all[:n], dtype=object)
    provisional = (flag == "provisional") & (display != "")
    if provisional.any():   # starred only when some figure is provisional
        display = np.where(provisional, np.char.add(display.astype(str), "*"), display)
    display = np.where(flag == "unavailable", "-", display)

    def labels(column: str, vocabulary, positions):
        # pandas infers each column's label set once per Figures; one inference per column,
        # not per label set, so each column keeps a dtype of its own (and its own block)
        return text_column(figures.cache, "labels " + column, vocabulary, positions)

    def texts(name: str):
        wide = getattr(figures, name)
        if wide is None:
            return np.full(n, "", dtype=object)
        if name not in figures.cache:   # the text tables read out of pandas once per Figures
            figures.cache[name] = wide.to_numpy(dtype=object)
        cells = figures.cache[name]      # a cell's position in the flattened table, or -1
        at_cell = np.where(chosen >= 0, np.arange(n) * cells.shape[1] + chosen, -1)
        return text_column(figures.cache, name + " cells", cells, at_cell)

    as_at = _as_at(months, chosen, frequency, starts, values)
    static = arrays.static_columns
    frame = pd.DataFrame({
        "month": labels("month", month_texts, np.full(n, at)) if n else str(month),
        "id": static["id"], "ref": static["ref"], "name": static["name"],
        "section": static["section"], "polarity": static["polarity"],
        "period": static["period"], "measure": static["measure"], "decimals": static["decimals"],
        "numerator": take(figures.numerators.to_numpy(), chosen),
        "denominator": take(figures.denominators.to_numpy(), chosen),
        "value": values,
        "display": display,
        "rag": labels("rag", rag.LABELS, rated_now),
        "target": now["target"], "floor": now["floor"],
        "green_low": now["green_low"], "green_high": now["green_high"],
        "amber_low": now["amber_low"], "amber_high": now["amber_high"],
        "previous": previous,
        "previous_period": labels("previous_period", month_texts, before),
        "previous_display": shown_all[n:2 * n],
        "rag_previous": labels("rag_previous", rag.LABELS, rated_then),
        "dot_previous": labels("dot_previous", direction.ARROW_TEXTS,
                               direction.arrow_index(dot_both[:n])),
        "outturn": outturn,
        "outturn_period": labels("outturn_period", month_texts, outturn_shown),
        "outturn_display": shown_all[2 * n:],
        "dot_outturn": labels("dot_outturn", direction.ARROW_TEXTS,
                              direction.arrow_index(dot_both[n:])),
        "window_from": texts("window_from"),
        "window_to": texts("window_to"),
        "frequency": static["frequency"],
        "as_at": as_at,
        "expected_low": now["expected_low"], "expected_high": now["expected_high"],
        "range_status": labels("range_status", STATUS_TEXTS,
                               range_codes(judged, now["expected_low"], now["expected_high"])),
        "flag": labels("flag", FLAG_NAMES, codes),
        "target_rated": now["rated"] == 1.0,
        "floor_derived": now["floor_derived"] == 1.0,
    })  # the keys are RESULT_COLUMNS in order; pandas copies each array (the cached ones too)
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


def _judged_and_rated(arrays: IndicatorArrays, values, previous, now, then):
    """The shown values as judged (rounded as displayed unless rag_basis says not), and the
    rating codes of the shown figures (``now``'s thresholds) then of the previous ones
    (``then``'s), from one stacked call."""
    decimals = np.tile(arrays.decimal_places, 2)
    displayed = np.tile(arrays.displayed, 2)
    judged = rag.judged_values(np.concatenate([values, previous]), decimals, displayed)
    th = {k: np.concatenate([now[k], then[k]]) for k in (*THRESHOLD_FIELDS, "rated")}
    codes = rag.rag_of_judged(judged, np.tile(arrays.polarity, 2), th["target"], th["floor"],
                              th["green_low"], th["green_high"], th["amber_low"],
                              th["amber_high"], rated=th["rated"])
    return judged[:len(values)], codes


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


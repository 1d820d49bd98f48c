"""The rules' per-indicator attributes and thresholds as arrays, worked out once per rules.

``compute_month`` runs once per month a workbook shows (the report month, the months of the
trend tables, every month of a batch). Reading each frozen ``Indicator`` attribute by
attribute, and each one's thresholds through ``threshold_for``, on every call cost more
than the arithmetic; so did letting pandas infer the dtype of the same text columns again.
``IndicatorArrays.of(rules)`` does that once; ``thresholds_at`` finds the entry in force for
every indicator at once by comparing month indices (the last entry, in rules order, that
starts at or before the month: what ``Indicator.threshold_for`` returns).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from .rules import THRESHOLD_EXTRAS, THRESHOLD_FIELDS, Rules

THRESHOLD_NAMES = (*THRESHOLD_FIELDS, *THRESHOLD_EXTRAS)
STATIC_COLUMNS = ("id", "ref", "name", "section", "polarity", "period", "measure", "decimals",
                  "frequency")


@dataclass(frozen=True)
class IndicatorArrays:
    """What ``compute_month`` reads from the rules, in rules order."""

    rules: Rules                  # the rules these were read from (a cache checks identity)
    polarity: np.ndarray          # object: 'H', 'L', 'T' or '' (no polarity)
    frequency: np.ndarray         # object
    monthly: np.ndarray           # bool
    starts: list[int]             # each indicator's year start month
    max_ages: np.ndarray
    measures: list[str]
    decimals: list[int]
    decimal_places: np.ndarray    # as np.array(decimals)
    displayed: np.ndarray         # bool: rag_basis "displayed"
    tolerances: np.ndarray        # each indicator's dot_tolerance, else the scorecard's
    static_columns: dict          # result columns that never change by month, dtype inferred
    entries: np.ndarray           # (threshold entries x THRESHOLD_NAMES), rules order
    entry_start: np.ndarray       # each entry's Month.index
    entry_owner: np.ndarray       # the indicator (row) each entry belongs to
    first_entry: np.ndarray       # per indicator with entries: its first entry's row

    @classmethod
    def of(cls, rules: Rules) -> "IndicatorArrays":
        indicators = rules.indicators
        year_start = rules.scorecard.year_start_month
        polarity = np.array([ind.polarity or "" for ind in indicators], dtype=object)
        frequency = np.array([ind.frequency for ind in indicators], dtype=object)
        measures = [ind.measure for ind in indicators]
        decimals = [ind.decimals for ind in indicators]
        # given to pandas as compute_month once gave these columns, so it infers the same dtypes
        static = {
            "id": [ind.id for ind in indicators], "ref": [ind.ref for ind in indicators],
            "name": [ind.name for ind in indicators],
            "section": [ind.section for ind in indicators], "polarity": polarity,
            "period": [ind.period for ind in indicators], "measure": measures,
            "decimals": decimals, "frequency": frequency}
        rows, starts, owners = [], [], []
        for i, ind in enumerate(indicators):
            for th in ind.thresholds:
                rows.append((*th.numbers(), *th.extras()))
                starts.append(th.start.index)
                owners.append(i)
        owner = np.array(owners, dtype=np.intp)
        has_entries = np.bincount(owner, minlength=len(indicators)) > 0
        first = np.searchsorted(owner, np.flatnonzero(has_entries))
        return cls(
            rules=rules, polarity=polarity, frequency=frequency, monthly=frequency == "monthly",
            starts=[ind.year_start(year_start) for ind in indicators],
            max_ages=np.array([ind.max_age for ind in indicators]), measures=measures,
            decimals=decimals, decimal_places=np.array(decimals),
            displayed=np.array([ind.rag_basis == "displayed" for ind in indicators]),
            tolerances=np.array([rules.scorecard.dot_tolerance if ind.dot_tolerance is None
                                 else ind.dot_tolerance for ind in indicators]),
            static_columns={c: pd.Series(static[c]).array for c in STATIC_COLUMNS},
            entries=np.array(rows, dtype=float).reshape(len(rows), len(THRESHOLD_NAMES)),
            entry_start=np.array(starts, dtype=np.int64), entry_owner=owner, first_entry=first)

    def thresholds_at(self, month_index: np.ndarray,
                      has_month: np.ndarray) -> dict[str, np.ndarray]:
        """Target, floor, bands and range in force for each indicator at its month index (NaN
        where none, or where ``has_month`` is false); ``rated`` and ``floor_derived`` as 1.0 /
        0.0 (NaN without thresholds)."""
        n = len(self.polarity)
        table = np.full((n, len(THRESHOLD_NAMES)), np.nan)
        if len(self.entry_owner):
            owner = self.entry_owner
            in_force = has_month[owner] & (self.entry_start <= month_index[owner])
            candidate = np.where(in_force, np.arange(len(owner)), -1)
            chosen = np.full(n, -1)
            chosen[owner[self.first_entry]] = np.maximum.reduceat(candidate, self.first_entry)
            found = chosen >= 0
            table[found] = self.entries[chosen[found]]
        return {name: table[:, j] for j, name in enumerate(THRESHOLD_NAMES)}


def indicator_arrays(rules: Rules, cache: dict) -> IndicatorArrays:
    """The arrays of ``rules``, kept in ``cache`` (a ``Figures``' own) while the rules stay."""
    arrays = cache.get("indicator_arrays")
    if arrays is None or arrays.rules is not rules:
        arrays = cache["indicator_arrays"] = IndicatorArrays.of(rules)
    return arrays


def text_column(cache: dict, key: str, texts, positions: np.ndarray, fill: str = ""):
    """``texts[positions]`` (``fill`` where a position is -1) as a frame's column of text.

    pandas works out the dtype of a column of Python strings by reading every cell, about
    50 microseconds a column: half the build of a 39-column results frame. Here the distinct
    texts (a label set, a table's cells) go to pandas once, kept in ``cache`` under ``key``,
    and each column is taken from them. Every text is a str, so the dtype inferred from them
    is the one inferred from the column; an empty column stays an object array, as before.
    ``fill`` is kept after the texts, where position -1 takes it (NumPy's take: four times
    faster than pandas' take with a fill value).
    """
    positions = np.asarray(positions, dtype=np.intp)
    if not len(positions):
        return np.full(0, fill, dtype=object)
    inferred = cache.get((key, fill))
    if inferred is None:
        texts = np.append(np.asarray(texts, dtype=object).ravel(), np.array([fill], dtype=object))
        inferred = cache[key, fill] = pd.Series(texts).array
    return inferred.take(positions)

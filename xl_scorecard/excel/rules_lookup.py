"""The indicator lookups behind the KPI_* functions: rules.json (cached, reloaded when it
changes), the report month, and each indicator's polarity and thresholds in force."""

from __future__ import annotations

import math
import os
from dataclasses import replace
from pathlib import Path

import numpy as np

from ..core.engine import tolerance_for
from ..core.errors import RulesError, UsageError
from ..core.periods import Month
from ..core.rules import THRESHOLD_FIELDS, Indicator, Rules
from ..inputs import sample
from ..inputs.months_text import month_from_cell, parse_month
from ..inputs.rules_file import load_rules
from .arguments import Call, is_blank, shown
from .rules_argument import NO_RULES, given, rules_from_range, workbook_rules_only
from .rules_location import env_rules_path

RULES_ENV = "XL_SCORECARD_RULES"
MONTH_ENV = "XL_SCORECARD_MONTH"

_RULES_CACHE: dict[str, tuple[tuple, "Rules | RulesError"]] = {}


def rules_file() -> Path:
    """The rules.json the KPI_* functions read: $XL_SCORECARD_RULES, else the bundled sample."""
    configured = os.environ.get(RULES_ENV, "").strip()
    return env_rules_path(configured) if configured else sample.rules_path()


def current_rules(rules=None) -> Rules:
    """The rules in force: the rules range when one is given (cached by its text), else
    rules.json, loaded once and again whenever the file changes (never under xlwings Lite)."""
    if given(rules):
        return rules_from_range(rules)
    if workbook_rules_only():
        raise UsageError(NO_RULES)
    path = rules_file()
    try:
        stat = path.stat()
    except OSError:
        raise UsageError(f"rules file {path.name!r} not found "
                         f"(set {RULES_ENV} to its path)") from None
    stamp = (stat.st_mtime_ns, stat.st_size)
    cached = _RULES_CACHE.get(str(path))
    if cached is None or cached[0] != stamp:
        try:
            loaded: Rules | RulesError = load_rules(path)
        except RulesError as exc:
            loaded = exc
        cached = (stamp, loaded)
        _RULES_CACHE[str(path)] = cached
    loaded = cached[1]
    if isinstance(loaded, RulesError):
        first = str(replace(loaded.problems[0], file=path.name))
        more = len(loaded.problems) - 1
        raise UsageError(first + (f" (and {more} more problem{'s' * (more > 1)})" if more else ""))
    return loaded


def report_month() -> Month | None:
    """$XL_SCORECARD_MONTH, or None (then each indicator's latest thresholds apply)."""
    text = os.environ.get(MONTH_ENV, "").strip()
    if not text:
        return None
    try:
        return parse_month(text)[0]
    except ValueError:
        raise UsageError(f"{MONTH_ENV} {text!r} is not a month; write it as YYYY-MM") from None


def read_month(cell) -> Month | None:
    """A month from 'YYYY-MM' text, a date, or an Excel date serial; blank is None (the default)."""
    if is_blank(cell):
        return None
    try:
        return month_from_cell(cell)
    except (ValueError, OverflowError, TypeError):
        if isinstance(cell, (int, float, np.number)) and not isinstance(cell, (bool, np.bool_)):
            try:
                number = f"{float(cell):g}"
            except OverflowError:
                number = f"of {len(str(cell)):,} digits"
            raise UsageError(f"month {number} is not a date; write it as YYYY-MM") from None
        raise UsageError(f"month {shown(cell)} is not a month; write it as YYYY-MM or give a date") from None


class IndicatorFinder:
    """Indicator ids as analysts type them: exact, else ignoring case."""

    def __init__(self, rules: Rules):
        self.rules = rules
        self.folded = {ind.id.upper(): ind for ind in rules.indicators}

    def __call__(self, cell) -> Indicator | None:
        if is_blank(cell):
            return None
        if isinstance(cell, (float, np.floating)) and float(cell).is_integer():
            cell = int(cell)
        key = str(cell).strip()
        found = self.rules[key] if key in self.rules else self.folded.get(key.upper())
        if found is None:
            raise UsageError(f"no indicator {shown(key)} in {Path(self.rules.source).name}")
        return found


RECORD_FIELDS = (*THRESHOLD_FIELDS, "decimals", "displayed", "multiplier", "count", "tolerance",
                 "percent", "expected_low", "expected_high", "rated")


def threshold_record(rules: Rules, ind: Indicator | None, month: Month | None) -> tuple[str, list[float]]:
    """(polarity, numbers in RECORD_FIELDS order) for one indicator in one month; blanks as NaN."""
    nan = math.nan
    if ind is None:
        return "", [nan] * len(RECORD_FIELDS)
    if month is None:
        th = ind.thresholds[-1] if ind.thresholds else None
    else:
        th = ind.threshold_for(month)
    expected_low, expected_high, rated, _ = th.extras() if th is not None else (nan, nan, 1.0, 0.0)
    values = [
        *(th.numbers() if th is not None else [nan] * len(THRESHOLD_FIELDS)),
        float(ind.decimals), float(ind.rag_basis == "displayed"), ind.multiplier,
        float(ind.measure == "count"), float(tolerance_for(ind, rules)), float(ind.measure == "percent"),
        expected_low, expected_high, rated,
    ]
    return ind.polarity or "", values


class Lookup:
    """Polarity and thresholds of the indicators named in a call, one value per result cell."""

    def __init__(self, polarity, table: dict[str, np.ndarray]):
        self.polarity = polarity
        self._table = table

    def __getattr__(self, name: str):
        try:
            return self._table[name]
        except KeyError:
            raise AttributeError(name) from None


def lookup(c: Call, indicator_id, month=None, use_month: bool = True, rules=None) -> Lookup:
    """Read ids (and months) and look each distinct (id, month) pair up once, in the rules
    range when one is given, else in rules.json."""
    rules = current_rules(rules)
    id_index, id_table = c.keyed(indicator_id, "indicator_id", IndicatorFinder(rules))
    month_index, month_table = (c.keyed(month, "month", read_month, optional=True) if use_month
                                else (None, [None]))
    default_month = report_month() if use_month else None
    if id_index is None and month_index is None:
        polarity, values = threshold_record(rules, id_table[0], month_table[0] or default_month)
        return Lookup(polarity, {k: np.float64(v) for k, v in zip(RECORD_FIELDS, values)})
    shape = c.shape()
    ids = np.broadcast_to(0 if id_index is None else id_index, shape).reshape(-1)
    months = np.broadcast_to(0 if month_index is None else month_index, shape).reshape(-1)
    width = len(month_table)
    keys, inverse = np.unique(ids * width + months, return_inverse=True)
    polarities, rows = [], []
    for key in keys.tolist():
        i, m = divmod(key, width)
        polarity, values = threshold_record(rules, id_table[i], month_table[m] or default_month)
        polarities.append(polarity)
        rows.append(values)
    inverse = inverse.reshape(-1)
    table = np.array(rows, dtype=float)[inverse]
    polarity = np.array(polarities, dtype=object)[inverse].reshape(shape)
    return Lookup(polarity, {k: table[:, j].reshape(shape) for j, k in enumerate(RECORD_FIELDS)})

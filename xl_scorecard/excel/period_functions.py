"""=KPI_RANGE() and =KPI_PERIOD(): lead indicators' range status and period figures from
monthly figures, computed by the same core code as the engine (``core.ranges``, ``engine.prepare``).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..core.engine import prepare
from ..core.errors import UsageError
from ..core.rag import judged_values
from ..core.ranges import range_status
from ..core.rules import Rules
from ..core.table import DataTable
from .arguments import Call, numbers_out, sheet_function
from .rules_lookup import IndicatorFinder, current_rules, lookup, read_month


def _flat(a) -> np.ndarray:
    """An argument's cells as one flat column (a single cell is a column of one)."""
    return np.array([a.value], dtype=object) if a.single else np.asarray(a.cells, dtype=object).reshape(-1)


def kpi_range(value, indicator_id, month=None, rules=None):
    """Below, Within or Above: a lead indicator's value against its expected range in
    rules.json for the month (judged as displayed, bounds inclusive); blank without a range.
    """
    return _kpi_range(value, indicator_id, month, rules)


@sheet_function("KPI_RANGE")
def _kpi_range(c: Call, value, indicator_id, month, rules):
    v = c.numbers(value, "value")
    ind = lookup(c, indicator_id, month, rules=rules)
    shape = c.shape()
    judged = judged_values(v, np.nan_to_num(ind.decimals), ind.displayed == 1.0)
    status = range_status(np.atleast_1d(judged), np.atleast_1d(ind.expected_low),
                          np.atleast_1d(ind.expected_high))
    return c.result(status.reshape(np.shape(judged)) if np.ndim(judged) else status[0], shape)


def kpi_period(numerators, denominators, months, indicator_id, month=None, rules=None):
    """The indicator's period figure (YTD, R12M, quarter, year) from columns of monthly
    numerators, denominators and months, summed as its aggregate in rules.json says; blank
    when a month of the window is missing.
    """
    return _kpi_period(numerators, denominators, months, indicator_id, month, rules)


@sheet_function("KPI_PERIOD")
def _kpi_period(c: Call, numerators, denominators, months, indicator_id, month, rules):
    rules = current_rules(rules)
    ind = IndicatorFinder(rules)(c.arg(indicator_id, "indicator_id").value)
    if ind is None:
        raise UsageError("give the indicator id")
    cells = [_flat(c.arg(x, name)) for x, name in ((numerators, "numerators"),
                                                   (denominators, "denominators"), (months, "months"))]
    num, den, when = cells
    if not len(num) == len(den) == len(when):
        raise UsageError(f"numerators, denominators and months must be the same size "
                         f"({len(num)}, {len(den)} and {len(when)} cells)")
    read = [read_month(m) for m in when]
    if any(m is None for m in read):
        raise UsageError("every month cell needs a month (YYYY-MM or a date)")
    keys = [str(m) for m in read]   # the data table's period column is text
    if len(set(keys)) != len(keys):
        raise UsageError(f"month {next(k for k in keys if keys.count(k) > 1)} is given twice")
    frame = pd.DataFrame({"row": range(len(keys)), "indicator": ind.id, "period": keys,
                          "numerator": c.range_numbers(num.reshape(-1, 1), "numerators").reshape(-1),
                          "denominator": c.range_numbers(den.reshape(-1, 1), "denominators").reshape(-1),
                          "value": np.nan})
    if c.problems:
        raise UsageError(next(iter(c.problems.values())))
    chosen = c.arg(month, "month", optional=True)
    if not chosen.single:
        raise UsageError("month must be one cell")
    target = read_month(chosen.value)
    target = target if target is not None else max(read)
    figures = prepare(Rules(rules.scorecard, (ind,), rules.source), DataTable(frame, "KPI_PERIOD"))
    if target not in figures.values.columns:
        raise UsageError(f"month {target} is not among the months given")
    return numbers_out([figures.values.at[ind.id, target]])[0]

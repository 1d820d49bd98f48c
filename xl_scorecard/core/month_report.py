"""Everything one month's workbook shows, computed once by the pure engine."""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from .engine import Figures, compute_month, prepare, tolerance_for
from .periods import Month
from .rules import Rules
from .summary import Summary, summarise
from .table import DataTable

TREND_PERIODS = 4


@dataclass
class MonthReport:
    """One month's results plus the history the trend tables need."""

    rules: Rules
    data: DataTable
    figures: Figures
    month: Month
    results: pd.DataFrame
    summary: Summary
    tolerance: float | None = None
    previous_month: Month | None = None
    _history: dict[Month, pd.DataFrame] = field(default_factory=dict, repr=False)

    def results_for(self, month: Month) -> pd.DataFrame:
        """The engine's results for another month (cached)."""
        if month == self.month:
            return self.results
        if month not in self._history:
            self._history[month] = compute_month(self.rules, self.figures, month, self.tolerance)
        return self._history[month]

    def tolerance_for(self, indicator_id: str) -> float:
        """The materiality threshold the engine used for this indicator's arrows."""
        return tolerance_for(self.rules[indicator_id], self.rules, self.tolerance)

    def months_up_to_report(self) -> list[Month]:
        return [m for m in self.figures.months if m <= self.month]

    def charted_months(self) -> list[Month]:
        """The months the Trend sheet (months style) and the charts show: every month of the
        data up to the report, or those of the last ``scorecard.trend_months`` calendar months
        (13: the report month and the twelve before it, fewer where the data has gaps)."""
        months = self.months_up_to_report()
        limit = self.rules.scorecard.trend_months
        return [m for m in months if m > self.month - limit] if limit else months

    def trend_window(self) -> list[Month]:
        """The months the Exceptions trend tables show: the last TREND_PERIODS up to the report."""
        return self.months_up_to_report()[-TREND_PERIODS:]


def compute_report(rules: Rules, data: DataTable, month: "Month | str",
                   tolerance: float | None = None, figures: Figures | None = None,
                   previous_month: "Month | str | None" = None,
                   history: "dict[Month, pd.DataFrame] | None" = None) -> MonthReport:
    """Compute a month and its summary; ``figures`` may be shared across a batch.

    ``previous_month`` (the last report's month) is what the previous column compares with.
    ``history``: other months' results already computed from the same rules, figures and
    tolerance (a batch's worker keeps them, so month t's trend tables reuse what month t - 1
    computed); this month's own results join it.
    """
    figures = figures or prepare(rules, data)
    month = Month.parse(month) if isinstance(month, str) else month  # a batch's task is text
    if isinstance(previous_month, str):  # the Python API's edge: "2012-05"
        previous_month = Month.parse(previous_month)
    results = compute_month(rules, figures, month, tolerance, previous_month)
    summary = summarise(results, rules.scorecard.year_start_month)
    if history is None:
        history = {}
    elif previous_month is None:       # what results_for(month) computes for a later month
        history[month] = results
    return MonthReport(rules, data, figures, month, results, summary, tolerance, previous_month,
                       history)

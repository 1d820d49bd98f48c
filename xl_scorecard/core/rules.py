"""The rules model: frozen indicators, thresholds and the scorecard.

Built from a checked rules.json by ``inputs.rules_file``; nothing here reads files.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from .periods import Month

FREQUENCIES = ("monthly", "quarterly", "annual")
DEFAULT_MAX_AGE = {"monthly": 0, "quarterly": 6, "annual": 24}

THRESHOLD_FIELDS = ("target", "floor", "green_low", "green_high", "amber_low", "amber_high")
THRESHOLD_EXTRAS = ("expected_low", "expected_high", "rated", "floor_derived")
if TYPE_CHECKING:  # pragma: no cover
    from .workbook_map import WorkbookMap

POLARITY_WORDS = {
    "H": "Higher values are better",
    "L": "Lower values are better",
    "T": "Values close to target are better",
    None: "No polarity (activity indicator)",
}


@dataclass(frozen=True)
class Threshold:
    """Targets in force from one month until the next entry."""

    start: Month
    target: float | None
    floor: float | None = None
    green: tuple[float, float] | None = None
    amber: tuple[float, float] | None = None
    inferred: tuple[str, ...] = ()
    expected: tuple[float | None, float | None] | None = None
    rated: bool = True                 # False: the target is shown but not rated
    floor_derived: bool = False        # the floor comes from the scorecard's default_floor rule

    def numbers(self) -> tuple[float, ...]:
        """Target, floor and the band ends in THRESHOLD_FIELDS order; NaN where there is none."""
        green = self.green or (None, None)
        amber = self.amber or (None, None)
        return tuple(math.nan if v is None else float(v)
                     for v in (self.target, self.floor, *green, *amber))

    def extras(self) -> tuple[float, ...]:
        """The expected range's ends (NaN where open), then ``rated`` and ``floor_derived`` as
        1.0 or 0.0, in THRESHOLD_EXTRAS order."""
        low, high = self.expected or (None, None)
        return (math.nan if low is None else float(low), math.nan if high is None else float(high),
                float(self.rated), float(self.floor_derived))


@dataclass(frozen=True)
class Indicator:
    """One row of the scorecard: what is measured and how it is judged."""

    id: str
    name: str
    polarity: str | None
    period: str
    measure: str
    decimals: int
    ref: str = ""
    section: str = ""
    per: float | None = None
    rag_basis: str = "displayed"
    dot_tolerance: float | None = None
    allow_negative: bool = False
    source: str = ""
    notes: str = ""
    thresholds: tuple[Threshold, ...] = ()
    aggregate: str | None = None          # None: figures arrive aggregated; "sum", "sum_over_latest"
    frequency: str = "monthly"            # "monthly", "quarterly", "annual"
    year_start_month: int | None = None   # None: the scorecard's
    max_age_months: int | None = None     # None: DEFAULT_MAX_AGE for the frequency

    def year_start(self, scorecard_year_start: int) -> int:
        """First month of this indicator's year (its own, else the scorecard's)."""
        return self.year_start_month or scorecard_year_start

    @property
    def max_age(self) -> int:
        """How many months old the latest figure may be before it is not shown."""
        if self.max_age_months is not None:
            return self.max_age_months
        return DEFAULT_MAX_AGE[self.frequency]

    @property
    def multiplier(self) -> float:
        """What numerator / denominator is multiplied by."""
        return {"percent": 100.0, "rate": float(self.per or 1.0)}.get(self.measure, 1.0)

    def threshold_for(self, month: Month) -> Threshold | None:
        """The thresholds in force for a month: the last entry starting at or before it."""
        chosen = None
        for threshold in self.thresholds:
            if threshold.start <= month:
                chosen = threshold
        return chosen


@dataclass(frozen=True)
class Scorecard:
    """The title block and calendar of the scorecard."""

    title: str
    organisation: str = ""
    service: str = ""
    year_start_month: int = 4
    dot_tolerance: float = 0.0
    show_comparators: bool = True     # a column per comparator on the Scorecard sheet
    group_by_frequency: bool = False  # Scorecard rows: monthly and quarterly first, then annual
    previous_report_months: int | None = None   # compare with the report this many months back
    trend_style: str = "months"       # "published": earlier years' outturns, then this year's months
    trend_months: int | None = None   # the Trend sheet's and the charts' last N months (None: all)


@dataclass(frozen=True)
class Contact:
    """A contact named at the end of the committee paper."""

    name: str = ""
    role: str = ""
    phone: str = ""
    email: str = ""


@dataclass(frozen=True)
class ReportInfo:
    """The committee paper's header block and boilerplate (rules.json ``report``); all optional."""

    sender: str = ""          # rules.json "from"
    to: str = ""
    meeting_date: str = ""
    subject: str = ""
    classification: str = ""
    summary: str = ""
    recommendation: str = ""
    introduction: str = ""
    context: str = ""
    background_documents: tuple[str, ...] = ()
    contacts: tuple[Contact, ...] = ()


@dataclass(frozen=True)
class Rules:
    """A validated rules.json."""

    scorecard: Scorecard
    indicators: tuple[Indicator, ...]
    source: str = "rules.json"
    report: ReportInfo = field(default_factory=ReportInfo)
    workbook: "WorkbookMap | None" = None  # where `fill` writes in the analyst's own sheet
    _by_id: dict = field(default_factory=dict, repr=False, compare=False)

    def __post_init__(self) -> None:
        self._by_id.update({ind.id: ind for ind in self.indicators})

    def __getitem__(self, indicator_id: str) -> Indicator:
        return self._by_id[indicator_id]

    def __contains__(self, indicator_id: object) -> bool:
        return indicator_id in self._by_id

    @property
    def ids(self) -> tuple[str, ...]:
        return tuple(ind.id for ind in self.indicators)

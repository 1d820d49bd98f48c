"""Months and financial years: the calendar of a monthly scorecard."""

from __future__ import annotations

import re
from dataclasses import dataclass

_MONTH_NAMES = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)
_ISO_MONTH = re.compile(r"^(\d{4})-(\d{2})$")


@dataclass(frozen=True, order=True)
class Month:
    """A calendar month, ordered and countable (``Month(2012, 5) - 1`` is April 2012)."""

    year: int
    month: int

    def __post_init__(self) -> None:
        if not 1 <= self.month <= 12:
            raise ValueError(f"month must be 1..12, not {self.month}")

    @classmethod
    def parse(cls, text: "str | Month") -> "Month":
        """Read ``YYYY-MM``; raise ValueError for anything else (a Month is returned as it is)."""
        if isinstance(text, Month):
            return text
        match = _ISO_MONTH.match(str(text).strip())
        if not match:
            raise ValueError(f"{text!r} is not a month in the form YYYY-MM")
        year, month = int(match.group(1)), int(match.group(2))
        if not 1 <= month <= 12:
            raise ValueError(f"{text!r} has no month {month:02d}")
        return cls(year, month)

    @property
    def index(self) -> int:
        """Months since year 0: consecutive months differ by 1."""
        return self.year * 12 + self.month - 1

    @classmethod
    def from_index(cls, index: int) -> "Month":
        return cls(index // 12, index % 12 + 1)

    def __add__(self, months: int) -> "Month":
        return Month.from_index(self.index + months)

    def __sub__(self, months: int) -> "Month":
        return Month.from_index(self.index - months)

    def __str__(self) -> str:
        return f"{self.year:04d}-{self.month:02d}"

    @property
    def label(self) -> str:
        """As printed on a scorecard: ``May 2012``."""
        return f"{_MONTH_NAMES[self.month - 1]} {self.year}"

    @property
    def short_label(self) -> str:
        """As a trend table's column heading: ``May12``."""
        return f"{_MONTH_NAMES[self.month - 1][:3]}{self.year % 100:02d}"

    def year_start(self, year_start_month: int = 4) -> "Month":
        """First month of the financial year this month belongs to."""
        year = self.year if self.month >= year_start_month else self.year - 1
        return Month(year, year_start_month)

    def outturn_month(self, year_start_month: int = 4) -> "Month":
        """Last month of the previous financial year (March for an April start)."""
        return self.year_start(year_start_month) - 1


def month_range(first: Month, last: Month) -> list[Month]:
    """Every month from first to last inclusive."""
    return [Month.from_index(i) for i in range(first.index, last.index + 1)]

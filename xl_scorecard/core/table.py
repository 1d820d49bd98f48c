"""The checked data table: what the engine computes from, whatever file it came from."""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from .errors import Problem
from .periods import Month


@dataclass
class DataTable:
    """Checked figures: one row per (indicator, month), numbers as floats (NaN = missing).

    ``frame['period']`` keeps each month as the table's text, ``YYYY-MM``; ``months`` are
    the months present, as ``Month``.
    """

    frame: pd.DataFrame
    source: str
    warnings: list[Problem] = field(default_factory=list)

    @property
    def months(self) -> list[Month]:
        return [Month.parse(text) for text in sorted(self.frame["period"].unique())]

"""Which value goes in which cell when a month's results fill the analyst's own sheet.

Pure: the headless fill (``xl_scorecard.fill``) and the Excel ``fill`` macro
both write exactly this plan, so the two routes give identical cells. Numbers
are in display units at full precision, as ``xl-scorecard results`` gives
them (28.6 means 28.6%); a blank result empties the cell.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import pandas as pd

from .periods import Month
from .workbook_map import WorkbookMap, column_index, column_letter, field_kind, split_cell


@dataclass(frozen=True)
class CellValue:
    """One cell to write: where, what, and why."""

    row: int
    col: int
    value: "float | str | None"  # None empties the cell
    field: str  # the results column, or 'month'
    indicator: str = ""

    @property
    def ref(self) -> str:
        return f"{column_letter(self.col)}{self.row}"


def cell_value(results_row: "pd.Series | dict", name: str) -> "float | str | None":
    """A results field as a cell value: a number, a text, or None for blank or absent."""
    value = results_row.get(name) if hasattr(results_row, "get") else None
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    if field_kind(name) == "number":
        try:
            number = float(value)
        except (TypeError, ValueError):
            return None
        return None if math.isnan(number) else number
    text = str(value)
    return text or None


def month_value(month: Month, current) -> "float | str":
    """The month cell's new value, in the kind it holds: a date serial stays a serial (the 1st
    of the month), anything else becomes the month as printed ('May 2012')."""
    if isinstance(current, (int, float)) and not isinstance(current, bool):
        # days since 1899-12-30, Excel's 1900 date system
        import datetime as dt

        return float((dt.date(month.year, month.month, 1) - dt.date(1899, 12, 30)).days)
    return month.label


def plan_cells(mapping: WorkbookMap, rows: dict[str, int], results: pd.DataFrame,
               month: Month, month_current=None) -> list[CellValue]:
    """Every mapped cell of every matched indicator, in sheet order, then the month cell."""
    by_id = {r["id"]: r for r in results.to_dict("records")}
    cells = []
    for ident, row in rows.items():
        record = by_id.get(ident)
        if record is None:
            continue
        for name, letter in mapping.columns.items():
            cells.append(CellValue(row, column_index(letter), cell_value(record, name), name, ident))
    cells.sort(key=lambda c: (c.row, c.col))
    if mapping.month_cell:
        row, col = split_cell(mapping.month_cell)
        cells.append(CellValue(row, col, month_value(month, month_current), "month"))
    return cells

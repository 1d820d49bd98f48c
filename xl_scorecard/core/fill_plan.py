"""Which value goes in which cell when a month's results fill the analyst's own sheet.

Pure: the headless fill (``xl_scorecard.fill``) and the Excel ``fill`` macro
both write exactly this plan, so the two routes give identical cells. Numbers
are in display units at full precision, as ``xl-scorecard results`` gives
them (28.6 means 28.6%); a blank result empties the cell.
"""

from __future__ import annotations

import dataclasses
import math
from dataclasses import dataclass

import pandas as pd

from .errors import Problem
from .periods import Month
from .rules import Rules
from .workbook_map import (RowMatch, WorkbookMap, column_index, column_letter, field_kind,
                           find_map, match_rows, split_cell)

AUTOMATIC = "the map found automatically"  # as problems name a map rules.json does not hold


@dataclass(frozen=True)
class MapPlace:
    """Where a map's problems point, as ``Problem`` fields: the rules file holding the map
    (its ``$.workbook`` section) and the workbook it maps; for the map found automatically
    (no ``rules_file``), the workbook alone, with the path the map would have in rules.json."""

    book: str  # the workbook: a file's path, or an open workbook's name
    rules_file: str = ""
    open_book: bool = False  # an open workbook (the macro), not a file on disk

    def problem(self, path: str, message: str, sheet: str = "", cell: str = "") -> Problem:
        """A problem at ``$.workbook`` + ``path`` (``.columns.rag``), in the sheet's cell."""
        located = {"json_path": "$.workbook" + path, "sheet": sheet, "cell": cell}
        if self.rules_file:
            return Problem(file=self.rules_file, workbook=self.book, **located, message=message)
        book = {"workbook": self.book} if self.open_book else {"file": self.book}
        return Problem(**book, **located, message=f"{message} (in {AUTOMATIC}; `xl-scorecard "
                       "map --write-rules` saves it to rules.json, where it can be corrected)")


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


# fields in the indicator's display units: a percentage's are divided by 100 for % cells
IN_DISPLAY_UNITS = ("value", "target", "floor", "previous", "outturn", "expected_low",
                    "expected_high")


RATINGS = ("rag", "rag_previous")


def _as_fraction(name: str) -> bool:
    return name in IN_DISPLAY_UNITS or (name.startswith("cmp:") and not name.endswith(":period"))


def plan_cells(mapping: WorkbookMap, rows: dict[str, int], results: pd.DataFrame,
               month: Month, month_current=None) -> list[CellValue]:
    """Every mapped cell of every matched indicator, in sheet order, then the month cell.
    With ``percent_as_fraction`` a percentage indicator's figures are written as fractions
    (0.286 for 28.6%), for cells formatted as Excel percentages; with ``rag_letters`` the
    ratings as G, A and R."""
    by_id = {r["id"]: r for r in results.to_dict("records")}
    present = {name for name in mapping.columns if name in results.columns}
    cells = []
    for ident, row in rows.items():
        record = by_id.get(ident)
        if record is None:
            continue
        fraction = mapping.percent_as_fraction and record.get("measure") == "percent"
        for name, letter in mapping.columns.items():
            if name not in present:
                continue  # a field these results do not have (yet): its cells are left alone
            value = cell_value(record, name)
            if fraction and isinstance(value, float) and _as_fraction(name):
                value = value / 100
            if mapping.rag_letters and name in RATINGS and isinstance(value, str):
                value = value[:1]
            cells.append(CellValue(row, column_index(letter), value, name, ident))
    cells.sort(key=lambda c: (c.row, c.col))
    if mapping.month_cell:
        row, col = split_cell(mapping.month_cell)
        cells.append(CellValue(row, col, month_value(month, month_current), "month"))
    return cells


def best_map(grids: "dict[str, list[list]]", rules: Rules) -> "tuple[WorkbookMap, RowMatch] | None":
    """The map found automatically on the sheet (of ``grids``, by name) whose rows match most."""
    best = None
    for name, grid in grids.items():
        mapping = find_map(grid, rules, name)
        if mapping is None:
            continue
        match = match_rows(grid, mapping, rules)
        if match.rows and (best is None or len(match.rows) > len(best[1].rows)):
            if _shows_letters(grid, mapping, match):
                mapping = dataclasses.replace(mapping, rag_letters=True)
            best = (mapping, match)
    return best


def _shows_letters(grid, mapping: WorkbookMap, match: RowMatch) -> bool:
    """True when most filled RAG cells of the matched rows hold G, A or R."""
    letter = mapping.columns.get("rag")
    if letter is None:
        return False
    col = column_index(letter)
    shown = [str(grid[row - 1][col - 1]).strip().upper() for row in match.rows.values()
             if col <= len(grid[row - 1]) and grid[row - 1][col - 1] not in (None, "")]
    return bool(shown) and sum(1 for v in shown if v in ("G", "A", "R")) * 2 > len(shown)


def map_problems(mapping: WorkbookMap, grid: "list[list]", match: RowMatch,
                 place: MapPlace) -> list[Problem]:
    """What makes a map unusable on its sheet: mapped columns without a header, rows two
    indicators claim, each located by ``place`` (the map's JSON path, the sheet, the cell)."""
    problems, sheet, top = [], mapping.sheet, mapping.header_row
    header = grid[top - 1] if len(grid) >= top else []
    for group in ("match", "columns"):
        for key, letter in getattr(mapping, group).items():
            index = column_index(letter)
            text = header[index - 1] if index <= len(header) else None
            if text is None or str(text).strip() == "":
                problems.append(place.problem(
                    f".{group}.{key}", f"column {letter} does not exist in the table: its header "
                    f"cell {letter}{top} is empty; map a column with a header in row {top}",
                    sheet, f"{letter}{top}"))
    key = next(iter(mapping.match.values()))
    for row, ids in match.doubled:
        pinned = [i for i in ids if i in mapping.rows]
        path = f".rows.{pinned[-1]}" if pinned else ".match"
        problems.append(place.problem(
            path, f"two indicators on one row ({', '.join(ids)}); give each indicator its own row, "
            "or pin one with $.workbook.rows", sheet, f"{key}{row}"))
    return problems


def absent_fields(mapping: WorkbookMap, results: pd.DataFrame) -> list[str]:
    """Mapped fields the results do not carry (e.g. comparators before any are loaded)."""
    return [name for name in mapping.columns if name not in results.columns]

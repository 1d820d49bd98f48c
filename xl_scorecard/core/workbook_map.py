"""The map from an analyst's own scorecard sheet to our results, and how to find it.

A ``WorkbookMap`` says which sheet, which header row, which columns identify
an indicator (its id, ref or name as printed) and which columns receive which
result. ``find_map`` reads the header row by the names councils print
("Ref", "Indicator", "Latest Result", "RAG", "DoT", ...); ``match_rows`` finds
each indicator's row (by id, then ref, then name, normalised). Both work on a
plain grid of cell values, so the headless fill and the Excel macro agree.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Sequence

from .rules import Rules

KEYS = ("id", "ref", "name")  # the order rows are matched in
# results columns a mapped column may receive: (field, kind); cmp:<name> are numbers too
FIELDS = {
    "value": "number", "display": "text", "rag": "text", "numerator": "number",
    "denominator": "number", "target": "number", "floor": "number", "previous": "number",
    "rag_previous": "text", "dot_previous": "text", "outturn": "number", "dot_outturn": "text",
    "range_status": "text", "flag": "text", "as_at": "text", "expected_low": "number",
    "expected_high": "number",
}

# header text as councils print it (normalised) -> what it holds
_HEADERS = {
    "id": ("id", "indicator id", "kpi id", "code", "kpi code", "pi code"),
    "ref": ("ref", "ref no", "reference", "no", "number", "#", "pi ref", "kpi ref"),
    "name": ("indicator", "indicators", "measure", "indicator name", "performance indicator",
             "description", "kpi", "performance measure"),
    "value": ("latest result", "latest", "result", "current result", "actual", "latest month",
              "this month", "current", "value", "latest value"),
    "rag": ("rag", "rag status", "rag rating", "rating", "status"),
    "numerator": ("num", "numerator"),
    "denominator": ("denom", "denominator", "den"),
    "target": ("target", "target for the year", "annual target", "year target"),
    "floor": ("floor", "floor standard", "minimum standard"),
    "previous": ("previous result", "previous", "last month", "previous month", "prev"),
    "dot_previous": ("dot previous to latest", "dot previous", "dot last month"),
    "outturn": ("outturn", "outturn result", "outturn march result", "march outturn",
                "outturn march"),
    "dot_outturn": ("dot outturn to latest", "dot outturn", "dot march"),
    "range_status": ("range", "range status", "expected range"),
    "cmp:England": ("england", "england average", "national"),
    "cmp:Statistical neighbours": ("statistical neighbours", "stat n", "stat neighbours",
                                   "sn average"),
}
_HEADER_OF = {text: what for what, texts in _HEADERS.items() for text in texts}
_DOT = ("dot", "direction of travel", "dot arrow", "trend")
SCAN_ROWS = 40  # the header row is looked for in the first rows of the sheet


@dataclass(frozen=True)
class WorkbookMap:
    """Where each result goes in the analyst's sheet (columns as letters, rows 1-based)."""

    sheet: str
    header_row: int
    match: dict[str, str]  # "id" / "ref" / "name" -> column letter
    columns: dict[str, str]  # result field -> column letter
    rows: dict[str, int] = field(default_factory=dict)  # indicator id -> row, pinned by hand
    month_cell: str | None = None
    percent_as_fraction: bool = False  # percentages go in as 0.286 for cells formatted 0.0%
    rag_letters: bool = False  # ratings go in as G / A / R, as the sheet already shows them

    def as_json(self) -> dict:
        """The ``workbook`` section of rules.json for this map."""
        out: dict = {"sheet": self.sheet, "header_row": self.header_row,
                     "match": dict(self.match), "columns": dict(self.columns)}
        if self.rows:
            out["rows"] = dict(self.rows)
        if self.month_cell:
            out["month_cell"] = self.month_cell
        if self.percent_as_fraction:
            out["percent_as_fraction"] = True
        if self.rag_letters:
            out["rag_letters"] = True
        return out


@dataclass(frozen=True)
class RowMatch:
    """Which row each indicator is on, and what could not be matched."""

    rows: dict[str, int]  # indicator id -> row
    unmatched: list[tuple[int, str]]  # (row, text) of rows that name no indicator
    missing: list[str]  # indicator ids found on no row
    doubled: list[tuple[int, list[str]]]  # a row two or more indicators claim


def field_kind(name: str) -> str | None:
    """'number' or 'text' for a results field a column may receive; None if unknown."""
    if name.startswith("cmp:") and len(name) > 4:
        return "text" if name.endswith(":period") else "number"
    return FIELDS.get(name)


def column_index(letters: str) -> int:
    """'A' -> 1, 'AB' -> 28."""
    number = 0
    for char in letters.upper():
        number = number * 26 + ord(char) - 64
    return number


def column_letter(index: int) -> str:
    """1 -> 'A', 28 -> 'AB'."""
    letters = ""
    while index > 0:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


_CELL = re.compile(r"^\$?([A-Za-z]{1,3})\$?([0-9]{1,7})$")


def split_cell(ref: str) -> tuple[int, int]:
    """'E7' -> (7, 5); ValueError for anything that is not a cell reference."""
    found = _CELL.match(str(ref).strip())
    if not found:
        raise ValueError(f"{ref!r} is not a cell reference such as B3")
    return int(found.group(2)), column_index(found.group(1))


def normalise(value) -> str:
    """Text as compared: case, spacing, punctuation and '&' / 'and' do not matter; 1.0 is '1'."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = str(value).lower().replace("&", " and ").replace("'", "").replace("\u2019", "")
    return " ".join(re.sub(r"[^0-9a-z#]+", " ", text).split())


def header_meaning(text) -> str | None:
    """What a printed header holds ('value', 'rag', 'dot', ...), or None if unknown."""
    key = normalise(text)
    if key in _HEADER_OF:
        return _HEADER_OF[key]
    if key in _DOT or key.startswith("dot "):
        return "dot"
    if key.startswith("target"):
        return "target"
    if key.startswith("outturn"):
        return "outturn"
    return None


def _cell(grid: Sequence[Sequence], row: int, col: int):
    if row < 1 or row > len(grid) or col < 1 or col > len(grid[row - 1]):
        return None
    return grid[row - 1][col - 1]


def header_columns(row_values: Sequence) -> dict[str, str]:
    """One header row's recognised columns, field -> letter (a first plain 'DoT' is against
    the previous result, a second against the outturn)."""
    found: dict[str, str] = {}
    dots = []
    for i, text in enumerate(row_values, start=1):
        meaning = header_meaning(text)
        if meaning == "dot":
            dots.append(column_letter(i))
        elif meaning and meaning not in found:
            found[meaning] = column_letter(i)
    for what in ("dot_previous", "dot_outturn"):
        if what not in found and dots:
            found[what] = dots.pop(0)
    return found


def find_map(grid: Sequence[Sequence], rules: Rules, sheet: str) -> WorkbookMap | None:
    """The header row with most recognised names that also identifies indicators; None if none."""
    best, best_score = None, 1
    for row in range(1, min(len(grid), SCAN_ROWS) + 1):
        found = header_columns(grid[row - 1])
        keys = {k: found.pop(k) for k in KEYS if k in found}
        if not keys or not found:
            continue
        score = len(keys) + len(found)
        if score > best_score:
            best, best_score = WorkbookMap(sheet, row, keys, found), score
    if best is None:
        return None
    month = _month_cell(grid, best.header_row)
    return WorkbookMap(best.sheet, best.header_row, best.match, best.columns, month_cell=month)


def _month_cell(grid: Sequence[Sequence], header_row: int) -> str | None:
    """A title-block cell holding a month, such as 'May 2012' or '2012-05', above the header."""
    month_text = re.compile(r"^(january|february|march|april|may|june|july|august|september|"
                            r"october|november|december) [0-9]{4}$|^[0-9]{4} [0-9]{2}$")
    for row in range(1, header_row):
        for col, value in enumerate(grid[row - 1], start=1):
            if isinstance(value, str) and month_text.match(normalise(value)):
                return f"{column_letter(col)}{row}"
    return None


def match_rows(grid: Sequence[Sequence], mapping: WorkbookMap, rules: Rules) -> RowMatch:
    """Each indicator's row below the header: by id, then ref, then name; pinned rows win."""
    lookup = {key: {} for key in KEYS}
    for ind in rules.indicators:
        for key, text in (("id", ind.id), ("ref", ind.ref), ("name", ind.name)):
            if normalise(text):
                lookup[key].setdefault(normalise(text), []).append(ind.id)
    sections = {normalise(ind.section) for ind in rules.indicators} - {""}
    claims: dict[int, list[str]] = {}
    unmatched = []
    for row in range(mapping.header_row + 1, len(grid) + 1):
        cells = grid[row - 1]
        if sum(1 for v in cells if normalise(v)) < 2:
            continue  # a section heading, a note or an empty row
        ids = None
        for key in KEYS:
            letter = mapping.match.get(key)
            text = normalise(_cell(grid, row, column_index(letter))) if letter else ""
            if text and text in lookup[key]:
                ids = lookup[key][text]
                break
        if ids:
            claims[row] = list(ids)
        elif not any(normalise(v) in sections for v in cells):
            shown = next((str(_cell(grid, row, column_index(mapping.match[k]))) for k in
                          ("name", "ref", "id") if k in mapping.match
                          and normalise(_cell(grid, row, column_index(mapping.match[k])))), "")
            unmatched.append((row, shown))
    rows: dict[str, int] = {}
    for row, ids in claims.items():
        for ident in ids:
            rows.setdefault(ident, row)
    for ident, row in mapping.rows.items():
        rows[ident] = row
    by_row: dict[int, list[str]] = {}
    for ident, row in rows.items():
        by_row.setdefault(row, []).append(ident)
    doubled = sorted((row, ids) for row, ids in by_row.items() if len(ids) > 1)
    missing = [ind.id for ind in rules.indicators if ind.id not in rows]
    return RowMatch(rows=rows, unmatched=unmatched, missing=missing, doubled=doubled)

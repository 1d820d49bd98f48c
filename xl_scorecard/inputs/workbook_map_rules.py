"""The checks of rules.json's ``workbook`` section (where ``fill`` writes in the analyst's own
sheet) beyond the schema: columns Excel has, each mapped once, pinned rows below the header."""

from __future__ import annotations

from typing import Iterable

from ..core.errors import Problem
from ..core.workbook_map import column_index, split_cell

MAX_COLUMN = column_index("XFD")


def workbook_problems(document: dict, source: str, ids: set, at) -> Iterable[Problem]:
    """The fill map: columns Excel has, one result per column, never the identifying columns."""
    book = document["workbook"]

    def where(*parts):
        return at(source, document, ["workbook", *parts])

    used: dict[str, str] = {}
    for group in ("match", "columns"):
        for name, letter in book[group].items():
            if column_index(letter) > MAX_COLUMN:
                yield Problem(**where(group, name), message=f"column {letter} is beyond Excel's last "
                              "column XFD")
            elif letter in used:
                yield Problem(**where(group, name), message=f"column {letter} is already mapped to "
                              f"{used[letter]}: map each column once (an identifying column is "
                              "never written)")
            else:
                used[letter] = f"$.workbook.{group}.{name}"
    for ident, row in book.get("rows", {}).items():
        if ident not in ids:
            yield Problem(**where("rows", ident), message=f"{ident!r} is not an indicator id in "
                          "$.indicators")
        elif row <= book["header_row"]:
            yield Problem(**where("rows", ident), message=f"row {row} is not below the header row "
                          f"{book['header_row']}")
    if "month_cell" in book and split_cell(book["month_cell"])[1] > MAX_COLUMN:
        yield Problem(**where("month_cell"), message=f"{book['month_cell']} is beyond Excel's last "
                      "column XFD")


def workbook_message(error) -> str:
    path = list(error.absolute_path)
    if error.validator == "anyOf" and path[-1] == "columns":
        return (f"{error.instance!r} is not a results column a cell can receive; use value, rag, "
                "numerator, denominator, target, floor, previous, dot_previous, outturn, "
                "dot_outturn, range_status, flag, as_at, expected_low, expected_high, display, "
                "rag_previous or cmp:<comparator>")
    if error.validator == "maxLength":
        return f"{error.instance!r} is longer than Excel's 31 characters for a sheet name"
    if path[-1] == "month_cell":
        return f"{error.instance!r} is not a cell reference such as B3"
    if "rows" in path:
        return f"{error.instance!r} is not an indicator id"
    return f"{error.instance!r} is not a column letter such as E (capitals, no row number)"

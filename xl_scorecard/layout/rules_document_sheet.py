"""The rules.json sheet: the whole rules document, one row per field, editable in Excel.

Written by ``xl-scorecard rules export --to WORKBOOK``; read back by ``rules import``, by
``--rules WORKBOOK.xlsx`` and by the refresh macro when the workbook must carry its own rules
(xlwings Lite and xlwings Server cannot read the PC's files).
"""

from __future__ import annotations

from typing import Any

from ..core import rules_document as doc
from .model import SheetLayout, wrapped_height

VALUE_CHARS_PER_LINE = 75
INSTRUCTIONS = ("The scorecard's rules.json, one field per row. Edit a Value (a target, a floor, "
                "a band edge) and refresh: the new rules are checked as rules.json is. Leave a "
                "number empty for null (an empty floor means no Amber). To add a threshold, copy "
                "its rows with the next number, e.g. thresholds[1]. Do not change the Field or "
                "Type columns of existing rows.")


def rules_document_sheet(document: Any, source: str = "rules.json") -> SheetLayout:
    sheet = SheetLayout(doc.SHEET_NAME, widths={1: 10, 2: 46, 3: 60, 4: 9},
                        freeze=(doc.HEADER_ROW + 1, doc.VALUE_COL), landscape=False,
                        repeat_rows=(doc.HEADER_ROW, doc.HEADER_ROW))
    sheet.put(1, 1, f"Rules: {source}", "subtitle")
    sheet.put(2, 1, INSTRUCTIONS, "muted")
    sheet.merges.append((2, 1, 2, 4))
    sheet.heights[2] = 42
    sheet.put_row(doc.HEADER_ROW, 1, doc.HEADER, "header")
    for row, (parts, value) in enumerate(doc.flatten(document), start=doc.HEADER_ROW + 1):
        kind = doc.type_of(value)
        sheet.put(row, doc.INDICATOR_COL, doc.indicator_of(document, parts), "id")
        sheet.put(row, doc.FIELD_COL, doc.path_text(parts), "cell")
        shown = doc.cell_value(value)
        sheet.put(row, doc.VALUE_COL, shown, "cell" if kind == "text" else "number",
                  "@" if kind == "text" else "General")  # "@": Excel keeps 2015-04 as text
        sheet.put(row, doc.TYPE_COL, kind, "id")
        height = wrapped_height(shown, VALUE_CHARS_PER_LINE) if kind == "text" else None
        if height:
            sheet.heights[row] = height
    return sheet

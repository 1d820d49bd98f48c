"""The rules.json sheet inside an open workbook: the rules document written as rows, and the
``ScorecardRules`` name over its cells (the KPI_* functions' rules argument)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from openpyxl.utils import get_column_letter
from openpyxl.workbook.defined_name import DefinedName

from ..core import rules_document as doc
from ..inputs.rules_file import load_rules
from ..inputs.rules_workbook import WORKBOOK_SUFFIXES, document_from_workbook, rules_from_workbook
from ..layout.rules_document_sheet import rules_document_sheet
from ..writers.openpyxl_writer import render_sheet


def rules_document(path: "str | Path") -> Any:
    """The validated rules document of a rules.json file or of a workbook's rules.json sheet."""
    path = Path(path)
    if path.suffix.lower() in WORKBOOK_SUFFIXES:
        rules_from_workbook(path)  # checks it, naming cells
        return document_from_workbook(path)[0]
    load_rules(path)  # checks it: schema and meaning, naming JSON paths
    text = path.read_text(encoding="utf-8-sig")
    return json.loads(text, parse_constant=str)


def write_rules_sheet(book, document: Any, source: str) -> int:
    """(Re)write ``book``'s rules.json sheet from the document and name its cells
    ScorecardRules (A1 to column D of the last row). Returns the number of field rows."""
    if doc.SHEET_NAME in book.sheetnames:
        book.remove(book[doc.SHEET_NAME])
    render_sheet(book.create_sheet(doc.SHEET_NAME), rules_document_sheet(document, source))
    rows = sum(1 for _ in doc.flatten(document))
    if doc.RANGE_NAME in book.defined_names:
        del book.defined_names[doc.RANGE_NAME]
    ref = f"'{doc.SHEET_NAME}'!$A$1:${get_column_letter(doc.TYPE_COL)}${doc.HEADER_ROW + rows}"
    book.defined_names[doc.RANGE_NAME] = DefinedName(doc.RANGE_NAME, attr_text=ref)
    return rows

"""`xl-scorecard rules export` and `rules import`: rules.json into a workbook's sheet and back."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from openpyxl.utils import get_column_letter
from openpyxl.workbook.defined_name import DefinedName

from ..core import rules_document as doc
from ..core.errors import Problem, RulesError, WorkbookError
from ..inputs.rules_file import load_rules
from ..inputs.rules_workbook import WORKBOOK_SUFFIXES, document_from_workbook, rules_from_workbook
from ..layout.rules_document_sheet import rules_document_sheet
from ..outputs.atomic import atomic_path, refuse_folder
from ..writers.openpyxl_writer import render_sheet
from .build import _open_base, refuse_if_open


def rules_document(path: "str | Path") -> Any:
    """The validated rules document of a rules.json file or of a workbook's rules.json sheet."""
    path = Path(path)
    if path.suffix.lower() in WORKBOOK_SUFFIXES:
        rules_from_workbook(path)  # checks it, naming cells
        return document_from_workbook(path)[0]
    load_rules(path)  # checks it: schema and meaning, naming JSON paths
    text = path.read_text(encoding="utf-8-sig")
    return json.loads(text, parse_constant=str)


def export_rules(rules_path: "str | Path", workbook: "str | Path") -> int:
    """Write the rules document into ``workbook``'s rules.json sheet (created if need be).

    Every other sheet, and an .xlsm's VBA, is kept; the write is atomic. Returns the row count.
    """
    document = rules_document(rules_path)
    workbook = Path(workbook)
    refuse_folder(workbook)
    if workbook.suffix.lower() not in WORKBOOK_SUFFIXES:
        raise WorkbookError(Problem(file=str(workbook), message="rules go into an Excel workbook: "
                                    "give a name ending in .xlsx (or .xlsm)"))
    refuse_if_open(workbook)
    book = _open_base(workbook if workbook.exists() else None,
                      keep_vba=workbook.suffix.lower() == ".xlsm")
    if doc.SHEET_NAME in book.sheetnames:
        book.remove(book[doc.SHEET_NAME])
    layout = rules_document_sheet(document, Path(rules_path).name)
    render_sheet(book.create_sheet(doc.SHEET_NAME), layout)
    rows = sum(1 for _ in doc.flatten(document))
    name_rules_range(book, doc.HEADER_ROW + rows)
    with atomic_path(workbook) as temp:
        book.save(temp)
    return rows


def name_rules_range(book, last_row: int) -> None:
    """Name the rules.json sheet's cells ScorecardRules (A1 to column D of the last row), the
    range the KPI_* functions take as their rules argument."""
    if doc.RANGE_NAME in book.defined_names:
        del book.defined_names[doc.RANGE_NAME]
    ref = f"'{doc.SHEET_NAME}'!$A$1:${get_column_letter(doc.TYPE_COL)}${last_row}"
    book.defined_names[doc.RANGE_NAME] = DefinedName(doc.RANGE_NAME, attr_text=ref)


def import_rules(workbook: "str | Path") -> str:
    """The workbook's rules.json sheet as rules.json text (validated first)."""
    workbook = Path(workbook)
    if workbook.suffix.lower() not in WORKBOOK_SUFFIXES:
        raise RulesError(Problem(file=str(workbook), message="rules import reads a workbook "
                                 "(.xlsx or .xlsm) with a rules.json sheet"))
    return json.dumps(rules_document(workbook), indent=2, ensure_ascii=False) + "\n"

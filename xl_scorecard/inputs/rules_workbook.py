"""Rules carried inside a workbook: the rules.json sheet read back into a rules document.

The sheet's rows are (indicator, JSON path, value, type); see core/rules_document.py. What an
analyst types is read as Excel holds it: a number in a number field, a blank for null, a month
Excel turned into a date back to YYYY-MM. The document is then checked exactly as rules.json is,
and each problem names the workbook, the sheet, the cell and the JSON path.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
import json
import warnings
from pathlib import Path
from typing import Any

from ..core import rules_document as doc
from ..core.errors import Problem, RulesError, one_line
from ..core.rules import Rules
from .months_text import month_from_cell
from .rules_file import json_path, rules_from_dict
from .xlsx_input import check_xlsx

WORKBOOK_SUFFIXES = (".xlsx", ".xlsm")


def rules_from_workbook(path: "str | Path") -> Rules:
    """Validated rules from a workbook's rules.json sheet."""
    document, cells = document_from_workbook(path)
    return rules_from_sheet_document(document, cells, file=str(path))


def document_from_workbook(path: "str | Path") -> tuple[Any, dict[str, str]]:
    """(document, {JSON path: cell}) from a workbook file's rules.json sheet."""
    import openpyxl

    path = Path(path)
    check_xlsx(path)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            book = openpyxl.load_workbook(path, read_only=True, data_only=True, keep_links=False)
    except Exception as exc:  # openpyxl raises many kinds for a malformed package
        raise RulesError(Problem(file=str(path), message=f"cannot be opened as a workbook "
                                 f"({one_line(exc)})")) from None
    try:
        if doc.SHEET_NAME not in book.sheetnames:
            raise RulesError(Problem(file=str(path), message=f"has no sheet '{doc.SHEET_NAME}' "
                                     "holding the rules: write one with xl-scorecard rules "
                                     f"export --to {path.name}"))
        rows = [list(r) for r in book[doc.SHEET_NAME].iter_rows(values_only=True)]
    finally:
        book.close()
    return document_from_rows(rows, file=str(path))


def document_from_rows(rows: list[list], file: str = "", workbook: str = ""
                       ) -> tuple[Any, dict[str, str]]:
    """(document, {JSON path as validation messages write it: cell}) from the sheet's rows.

    ``file`` (a workbook on disk) or ``workbook`` (an open one's name) says where they are from.
    """
    at = {"file": file, "workbook": workbook, "sheet": doc.SHEET_NAME}
    header = next((i for i, row in enumerate(rows[:20])
                   if tuple(_text(c) for c in (list(row) + [None] * 4)[:4]) == doc.HEADER), None)
    if header is None:
        raise RulesError(Problem(**at, message=f"has no header row {', '.join(doc.HEADER)}: "
                                 "write the sheet again with xl-scorecard rules export"))
    problems, leaves, cells = [], [], {}
    for number, row in enumerate(rows[header + 1:], start=header + 2):
        row = list(row) + [None] * 4
        field, value, kind = (row[c - 1] for c in (doc.FIELD_COL, doc.VALUE_COL, doc.TYPE_COL))
        if field is None or str(field).strip() == "":
            continue
        try:
            parts = doc.parse_path(field)
        except ValueError as exc:
            problems.append(Problem(**at, cell=f"B{number}", message=f"{str(field)[:60]!r} is not "
                                    f"a field path ({exc}): paths look like "
                                    "$.indicators[0].thresholds[0].target"))
            continue
        kind = _text(kind).lower()
        if parts and parts[-1] == "from":
            value = _month_from_serial(value)
        if kind and kind not in doc.TYPES:
            problems.append(Problem(**at, cell=f"D{number}", message=f"type {kind!r} is not one "
                                    f"of {', '.join(doc.TYPES)}"))
            continue
        try:
            leaves.append((parts, read_value(value, kind)))
        except ValueError as exc:
            problems.append(Problem(**at, cell=f"C{number}", message=str(exc)))
            continue
        cells[json_path(parts)] = f"C{number}"
    if problems:
        raise RulesError(problems)
    if not leaves:
        raise RulesError(Problem(**at, message="has no rules rows below its header"))
    try:
        document = doc.unflatten(leaves)
    except doc.PathClash as exc:
        raise RulesError(Problem(**at, message=str(exc))) from None
    return document, cells


def read_value(value: Any, kind: str) -> Any:
    """A Value cell as the JSON value its type says (a blank number is null)."""
    if isinstance(value, str) and value == "" and kind != "text":
        value = None
    if value is None:
        return {"text": "", "list": [], "object": {}}.get(kind)
    if isinstance(value, (dt.datetime, dt.date)):  # Excel made "2015-04" a date
        return f"{value.year:04d}-{value.month:02d}"
    if kind == "text":
        if isinstance(value, float) and value.is_integer():
            return str(int(value))
        return value if isinstance(value, str) else str(value)
    if kind in ("list", "object"):
        try:
            return json.loads(str(value))
        except json.JSONDecodeError:
            raise ValueError(f"{str(value)[:40]!r} is not a {kind}: write [] or {{}} "
                             "(or add the items as rows of their own)") from None
    if kind == "boolean" and isinstance(value, str) and value.strip().upper() in ("TRUE", "FALSE"):
        return value.strip().upper() == "TRUE"
    if isinstance(value, str):
        number = _number(value)
        value = value if number is None else number
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return value  # the schema says what is wrong with it, with its JSON path
    if kind == "number":
        return float(value)
    return int(value) if float(value).is_integer() and abs(value) < 2 ** 53 else float(value)


def rules_from_sheet_document(document: Any, cells: dict[str, str], file: str = "",
                              workbook: str = "") -> Rules:
    """Validated rules; each problem names the sheet cell beside its JSON path."""
    source = file or workbook
    try:
        return rules_from_dict(document, source=source)
    except RulesError as exc:
        raise RulesError([_with_cell(p, cells, file, workbook) for p in exc.problems]) from None


def _with_cell(problem: Problem, cells: dict[str, str], file: str, workbook: str) -> Problem:
    """The problem located in the sheet: its JSON path's cell, or the first cell inside it."""
    path = problem.json_path
    inside = [p for p in cells if p.startswith(path + ".") or p.startswith(path + "[")]
    cell = cells.get(path) or (cells[inside[0]] if inside else "")
    return replace(problem, file=file, workbook=workbook, sheet=doc.SHEET_NAME, cell=cell)


def _month_from_serial(value: Any) -> Any:
    """A 'from' month Excel turned into a date, sent as its serial number (Office.js sends no
    dates: xlwings Lite and Server see 41000 for April 2012), as YYYY-MM."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        try:
            return str(month_from_cell(value))
        except ValueError:
            return value  # the schema check names the cell
    return value


def _text(value: Any) -> str:
    return "" if value is None else str(value).strip()


def _number(text: str) -> float | int | None:
    try:
        number = float(text.replace(",", "").strip())
    except ValueError:
        return None
    return int(number) if number.is_integer() and "." not in text else number

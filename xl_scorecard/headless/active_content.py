"""Formulas that reach outside the workbook: refused in a --template or an existing --out.

A template is copied into every workbook we generate, so a formula in it that runs a
program (DDE: ``=cmd|' /C calc'!A0``), calls a DLL (``CALL``, ``REGISTER``, ``EXEC``),
fetches from the web (``WEBSERVICE``, ``FILTERXML``, ``RTD``) or links to a local file
(``HYPERLINK("file:...")``) would be spread to every reader. Scorecards never need one,
so such a workbook is refused with the cells named, before anything is written.
"""

from __future__ import annotations

import re

from ..core.errors import Problem, WorkbookError

_FUNCTIONS = re.compile(r"\b(WEBSERVICE|FILTERXML|RTD|CALL|REGISTER(?:\.ID)?|EXEC|EXECUTE|"
                        r"DDE|DDEAUTO|IMPORTXML|IMPORTDATA)\s*\(", re.IGNORECASE)
_DDE = re.compile(r"(?:^|[=(,;+\-*/&\s])'?[A-Za-z0-9_.]+'?\s*\|")  # app|topic!item
_LOCAL_LINK = re.compile(r"HYPERLINK\s*\(\s*\"\s*(?:file:|\\\\)", re.IGNORECASE)
MAX_NAMED = 10


def reaching_out(formula: str) -> str | None:
    """Why a formula reaches outside the workbook, or None."""
    text = _outside_strings(formula)
    found = _FUNCTIONS.search(text)
    if found:
        return f"calls {found.group(1).upper()}"
    if _DDE.search(text):
        return "is a DDE link (it can start a program)"
    if _LOCAL_LINK.search(formula):
        return "links to a local or network file"
    return None


def refuse_active_content(workbook, source: str, skip_sheets: tuple[str, ...] = (),
                          read_apart: dict[str, list[tuple[str, object]]] | None = None) -> None:
    """WorkbookError naming the cells (and defined names) whose formulas reach outside.
    ``read_apart``: {sheet: [(cell, formula)]} for sheets whose cells were not loaded."""
    found = []
    read_apart = read_apart or {}
    for ws in workbook.worksheets:
        if ws.title in skip_sheets:
            continue
        formulas = read_apart[ws.title] if ws.title in read_apart else _formulas(ws)
        for coordinate, value in formulas:
            text = value if isinstance(value, str) else getattr(value, "text", "")
            why = reaching_out(str(text or ""))
            if why:
                found.append(f"{ws.title}!{coordinate} {why}")
    for name, defined in getattr(workbook.defined_names, "items", lambda: [])():
        why = reaching_out(str(getattr(defined, "attr_text", "") or ""))
        if why:
            found.append(f"the name {name} {why}")
    if found:
        more = f" and {len(found) - MAX_NAMED} more" if len(found) > MAX_NAMED else ""
        raise WorkbookError(Problem(file=source, message=f"holds formulas that reach outside the workbook "
                                    f"({'; '.join(found[:MAX_NAMED])}{more}): a scorecard never "
                                    "needs them and they would be copied to every reader; delete "
                                    "them in Excel and save the workbook again"))


def _formulas(ws):
    return [(cell.coordinate, cell.value) for row in ws.iter_rows() for cell in row
            if cell.data_type == "f"]


def _outside_strings(formula: str) -> str:
    """The formula with its "string literals" blanked, so text in quotes is not mistaken for a call."""
    return re.sub(r'"(?:[^"]|"")*"', '""', formula)

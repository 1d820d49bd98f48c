"""`xl-scorecard rules export` and `rules import`: rules.json into a workbook's sheet and back."""

from __future__ import annotations

import json
from pathlib import Path

from ..core.errors import Problem, RulesError, WorkbookError
from ..inputs.rules_workbook import WORKBOOK_SUFFIXES
from ..outputs.atomic import atomic_path, refuse_folder
from .build import _open_base, refuse_if_open
from .rules_sheet import rules_document, write_rules_sheet
from .vba_archive import vba_kept_until_saved

__all__ = ["export_rules", "import_rules", "rules_document"]


def export_rules(rules_path: "str | Path", workbook: "str | Path") -> int:
    """Write the rules document into ``workbook``'s rules.json sheet (created if need be) and
    name its cells ScorecardRules.

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
                      keep_vba=workbook.suffix.lower() == ".xlsm").workbook
    with vba_kept_until_saved(book):
        rows = write_rules_sheet(book, document, Path(rules_path).name)
        with atomic_path(workbook) as temp:
            book.save(temp)
    return rows


def import_rules(workbook: "str | Path") -> str:
    """The workbook's rules.json sheet as rules.json text (validated first)."""
    workbook = Path(workbook)
    if workbook.suffix.lower() not in WORKBOOK_SUFFIXES:
        raise RulesError(Problem(file=str(workbook), message="rules import reads a workbook "
                                 "(.xlsx or .xlsm) with a rules.json sheet"))
    return json.dumps(rules_document(workbook), indent=2, ensure_ascii=False) + "\n"

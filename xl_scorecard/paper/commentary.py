"""Officers' commentary typed in the month's workbook (Scorecard and Exceptions sheets),
read with the same safe opener and matching rules as a rebuild keeps it."""

from __future__ import annotations

import warnings
from dataclasses import dataclass
from pathlib import Path

from ..core.errors import Problem, WorkbookError
from ..inputs.xlsx_input import check_xlsx, unreadable_workbook
from ..layout.commentary import read_commentary
from ..layout.exceptions_sheet import SHEET as EXCEPTIONS
from ..layout.scorecard import MONTH_CELL
from ..layout.scorecard import SHEET as SCORECARD



@dataclass(frozen=True)
class Commentary:
    """Officers' texts by indicator id, and the month the workbook says it is for."""

    texts: dict[str, list[str]]
    month: str


def workbook_commentary(path: "str | Path") -> Commentary:
    """The Scorecard's commentary, then the Exceptions sheet's (each text once), by indicator."""
    path = Path(path)
    if not path.exists():
        raise WorkbookError(Problem(file=str(path), message="no such workbook: give the month's scorecard "
                                    "workbook (xl-scorecard build writes it) to --workbook"))
    if path.suffix.lower() not in (".xlsx", ".xlsm"):
        raise WorkbookError(Problem(file=str(path), message="is not an Excel workbook: --workbook takes the "
                                    "month's scorecard .xlsx"))
    check_xlsx(path)
    import openpyxl

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # openpyxl warns about features it drops
            book = openpyxl.load_workbook(path, read_only=True, data_only=True, keep_links=False)
    except Exception as exc:  # openpyxl raises many kinds for a malformed package
        raise unreadable_workbook(path, exc, WorkbookError, "opened") from None
    try:
        if not {SCORECARD, EXCEPTIONS} & set(book.sheetnames):
            raise WorkbookError(Problem(file=str(path), message=f"has neither a {SCORECARD} nor an {EXCEPTIONS} "
                                        "sheet: is it a scorecard workbook?"))
        found = read_commentary(book)
        month = _month_cell(book)
    except WorkbookError:
        raise
    except Exception as exc:  # read-only mode parses each sheet while its rows are read
        raise unreadable_workbook(path, exc, WorkbookError) from None
    finally:
        book.close()
    merged: dict[str, list[str]] = {}
    for sheet in (SCORECARD, EXCEPTIONS):
        for ident, text in found.get(sheet, {}).items():
            text = str(text).strip()
            if text not in merged.setdefault(ident, []):
                merged[ident].append(text)
    return Commentary(merged, month)


def _month_cell(book) -> str:
    """The ReportMonth cell of the Scorecard sheet ('YYYY-MM'), or '' if there is none."""
    if SCORECARD not in book.sheetnames:
        return ""
    row, col = MONTH_CELL
    for values in book[SCORECARD].iter_rows(min_row=row, max_row=row, min_col=col, max_col=col,
                                            values_only=True):
        return str(values[0]).strip() if values and values[0] is not None else ""
    return ""

"""The committee PDF, rendered by LibreOffice when it is installed."""

from __future__ import annotations

import tempfile
import warnings
from pathlib import Path

from ..core.errors import Problem, WorkbookError, one_line
from ..inputs.xlsx_input import check_xlsx
from ..outputs.libreoffice import TIMEOUT_SECONDS, convert_to_pdf, find_soffice, require_soffice

__all__ = ["COMMITTEE_SHEETS", "find_soffice", "workbook_to_pdf"]

COMMITTEE_SHEETS = ("Scorecard", "Summary", "Exceptions")


def workbook_to_pdf(workbook: "str | Path", pdf: "str | Path | None" = None,
                    sheets: tuple[str, ...] = COMMITTEE_SHEETS) -> Path:
    """Render the committee sheets of ``workbook`` to ``pdf`` (default: beside it)."""
    workbook = Path(workbook)
    pdf = Path(pdf) if pdf else workbook.with_suffix(".pdf")
    check_xlsx(workbook)  # the input first: a bad workbook is refused with or without LibreOffice
    require_soffice(pdf)
    with tempfile.TemporaryDirectory(prefix="xl-scorecard-pdf-") as tmp:
        tmp = Path(tmp)
        printable = tmp / "committee.xlsx"
        _committee_copy(workbook, printable, sheets)
        convert_to_pdf(printable, pdf, TIMEOUT_SECONDS)
    return pdf


def _committee_copy(source: Path, target: Path, sheets: tuple[str, ...]) -> None:
    import openpyxl

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            book = openpyxl.load_workbook(source, keep_links=False)
    except Exception as exc:  # openpyxl raises many kinds for a malformed package
        raise WorkbookError(Problem(str(source), f"cannot be opened as a workbook ({one_line(exc)}): "
                                    "open it in Excel, save a copy as .xlsx and try again")) from None
    missing = [name for name in sheets if name not in book.sheetnames]
    if len(missing) == len(sheets):
        raise WorkbookError(Problem(str(source), f"has none of the sheets {', '.join(sheets)}: "
                                    "is it a scorecard workbook?"))
    for ws in list(book.worksheets):
        if ws.title not in sheets:
            book.remove(ws)
    book.active = 0
    book.save(target)

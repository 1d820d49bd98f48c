"""The committee PDF, rendered by LibreOffice when it is installed."""

from __future__ import annotations

import re
import tempfile
import warnings
from pathlib import Path

from ..core.errors import Problem, WorkbookError
from ..inputs.xlsx_input import check_xlsx, unreadable_workbook
from ..layout import COMMITTEE_SHEETS
from ..outputs.guard import refuse_overwriting_inputs
from ..outputs.libreoffice import convert_to_pdf, require_soffice

# Our worksheet functions: LibreOffice has no add-in for them and would print #NAME?.
ADD_IN_FORMULA = re.compile(r"(?<![A-Za-z0-9_.])(?:_xludf\.)?(KPIRATE|RAG|DOT|KPI_[A-Z]+)\s*\(",
                            re.IGNORECASE)
LISTED_CELLS = 3


def workbook_to_pdf(workbook: "str | Path", pdf: "str | Path | None" = None,
                    sheets: tuple[str, ...] = COMMITTEE_SHEETS) -> Path:
    """Render the committee sheets of ``workbook`` to ``pdf`` (default: beside it)."""
    workbook = Path(workbook)
    pdf = Path(pdf) if pdf else workbook.with_suffix(".pdf")
    refuse_overwriting_inputs(pdf, {"the workbook to print": workbook}, "pdf")
    check_xlsx(workbook)  # the input first: a bad workbook is refused with or without LibreOffice
    require_soffice(pdf)  # before the copy: without LibreOffice, say so at once
    with tempfile.TemporaryDirectory(prefix="xl-scorecard-pdf-") as tmp:
        tmp = Path(tmp)
        printable = tmp / "committee.xlsx"
        _committee_copy(workbook, printable, sheets)
        return convert_to_pdf(printable, pdf)


def _committee_copy(source: Path, target: Path, sheets: tuple[str, ...]) -> None:
    import openpyxl

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            book = openpyxl.load_workbook(source, keep_links=False)
    except Exception as exc:  # openpyxl raises many kinds for a malformed package
        raise unreadable_workbook(source, exc, WorkbookError, "opened") from None
    missing = [name for name in sheets if name not in book.sheetnames]
    if len(missing) == len(sheets):
        raise WorkbookError(Problem(file=str(source), message=f"has none of the sheets {', '.join(sheets)}: "
                                    "is it a scorecard workbook?"))
    for ws in book.worksheets:  # hidden, not removed: native formulas read the Rules sheet
        ws.sheet_view.tabSelected = False
        if ws.title not in sheets:
            ws.sheet_state = "hidden"
    _cached_values_for_add_in_formulas(source, book)
    book.active = book.sheetnames.index(next(n for n in book.sheetnames if n in sheets))
    book.save(target)


def _cached_values_for_add_in_formulas(source: Path, book) -> None:
    """Print add-in formulas (=KPIRATE(), =RAG(), ...) as the values Excel saved with them.

    A ``--live`` workbook straight from ``build`` has no saved values (no Excel has
    calculated it): it is refused, naming the first cells, rather than printed as #NAME?.
    Excel saves a whole workbook calculated, and a blank result ("") reads back as no
    value, so a workbook is refused only when none of these formulas has a saved value.
    """
    add_in = [(ws, cell) for ws in book.worksheets for row in ws.iter_rows() for cell in row
              if cell.data_type == "f" and isinstance(cell.value, str)
              and ADD_IN_FORMULA.search(cell.value)]
    if not add_in:
        return
    import openpyxl

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        cached = openpyxl.load_workbook(source, data_only=True, keep_links=False)
    missing = []
    for ws, cell in add_in:
        value = cached[ws.title][cell.coordinate].value
        if value is None:
            missing.append(f"{ws.title}!{cell.coordinate}")
        cell.value = value
    if len(missing) == len(add_in):
        listed = ", ".join(missing[:LISTED_CELLS]) + (
            f" and {len(missing) - LISTED_CELLS} more" if len(missing) > LISTED_CELLS else "")
        raise WorkbookError(Problem(file=str(source), message=f"{len(missing)} cells hold worksheet-function "
                                    f"formulas (=KPIRATE, =RAG, =DOT) with no saved value ({listed}): "
                                    "LibreOffice cannot calculate them. Open the workbook in Excel "
                                    "with the xlwings add-in, let it recalculate and save it, or "
                                    "build the month without --live, then run pdf again"))

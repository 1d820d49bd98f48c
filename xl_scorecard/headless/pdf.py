"""The committee PDF, rendered by LibreOffice when it is installed."""

from __future__ import annotations

import re
import shutil
import subprocess
import tempfile
import warnings
from pathlib import Path

from ..core.errors import Problem, WorkbookError, one_line
from ..inputs.xlsx_input import check_xlsx
from ..layout import COMMITTEE_SHEETS
from ..outputs.atomic import atomic_path
from ..outputs.guard import refuse_overwriting_inputs

TIMEOUT_SECONDS = 180


def find_soffice() -> str | None:
    """The LibreOffice command, or None."""
    return shutil.which("soffice") or shutil.which("libreoffice")


def workbook_to_pdf(workbook: "str | Path", pdf: "str | Path | None" = None,
                    sheets: tuple[str, ...] = COMMITTEE_SHEETS) -> Path:
    """Render the committee sheets of ``workbook`` to ``pdf`` (default: beside it)."""
    workbook = Path(workbook)
    pdf = Path(pdf) if pdf else workbook.with_suffix(".pdf")
    refuse_overwriting_inputs(pdf, {"the workbook to print": workbook}, "pdf")
    check_xlsx(workbook)  # the input first: a bad workbook is refused with or without LibreOffice
    soffice = find_soffice()
    if soffice is None:
        raise WorkbookError(Problem(file=str(pdf), message="cannot render a PDF: LibreOffice is not installed "
                                    "(Debian/Ubuntu: apt-get install libreoffice-calc-nogui; "
                                    "Windows/Mac: install LibreOffice and put soffice on PATH)"))
    with tempfile.TemporaryDirectory(prefix="xl-scorecard-pdf-") as tmp:
        tmp = Path(tmp)
        printable = tmp / "committee.xlsx"
        _committee_copy(workbook, printable, sheets)
        profile = (tmp / "profile").as_uri()
        command = [soffice, f"-env:UserInstallation={profile}", "--headless", "--norestore",
                   "--convert-to", "pdf", "--outdir", str(tmp), str(printable)]
        try:
            done = subprocess.run(command, capture_output=True, text=True, timeout=TIMEOUT_SECONDS)
        except subprocess.TimeoutExpired:
            raise WorkbookError(Problem(file=str(pdf), message=f"LibreOffice took longer than {TIMEOUT_SECONDS} s "
                                        "to render the PDF")) from None
        produced = tmp / "committee.pdf"
        if done.returncode != 0 or not produced.exists():
            detail = (done.stderr or done.stdout).strip().splitlines()[-1:] or ["no output"]
            raise WorkbookError(Problem(file=str(pdf), message=f"LibreOffice could not render the PDF: {detail[0]}"))
        with atomic_path(pdf) as temp:
            shutil.copyfile(produced, temp)
    return pdf


ADDIN_FORMULA = re.compile(r"\b(?:_xludf\.)?(?:RAG|DOT|KPIRATE|KPI_[A-Z]+)\(", re.IGNORECASE)


def _print_addin_formulas_as_values(book, source: Path) -> None:
    """LibreOffice has no xlwings add-in: it would print #NAME? for =RAG() and the like. Such
    cells print their cached values (the engine's, as `build --live` writes them); plain
    formulas (native workbooks, the counts) are left to LibreOffice to calculate."""
    import openpyxl

    cells = [(ws.title, c.coordinate) for ws in book.worksheets for row in ws.iter_rows()
             for c in row if isinstance(c.value, str) and ADDIN_FORMULA.search(c.value)
             and c.value.startswith("=")]
    if not cells:
        return
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        cached = openpyxl.load_workbook(source, data_only=True, keep_links=False)
    for sheet, ref in cells:
        book[sheet][ref].value = cached[sheet][ref].value


def _committee_copy(source: Path, target: Path, sheets: tuple[str, ...]) -> None:
    import openpyxl

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            book = openpyxl.load_workbook(source, keep_links=False)
    except Exception as exc:  # openpyxl raises many kinds for a malformed package
        raise WorkbookError(Problem(file=str(source), message=f"cannot be opened as a workbook ({one_line(exc)}): "
                                    "open it in Excel, save a copy as .xlsx and try again")) from None
    missing = [name for name in sheets if name not in book.sheetnames]
    if len(missing) == len(sheets):
        raise WorkbookError(Problem(file=str(source), message=f"has none of the sheets {', '.join(sheets)}: "
                                    "is it a scorecard workbook?"))
    _print_addin_formulas_as_values(book, source)
    for ws in book.worksheets:  # hidden, not removed: native formulas read the Rules sheet
        ws.sheet_view.tabSelected = False
        if ws.title not in sheets:
            ws.sheet_state = "hidden"
    book.active = book.sheetnames.index(next(n for n in book.sheetnames if n in sheets))
    book.save(target)

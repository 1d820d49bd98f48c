"""Run LibreOffice headless to convert a document (a workbook, a .docx) to PDF.

Each conversion gets its own throw-away user profile, so it neither disturbs nor waits for
a LibreOffice the analyst has open; the PDF is moved into place atomically.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

from ..core.errors import Problem, WorkbookError
from .atomic import atomic_path

TIMEOUT_SECONDS = 180
INSTALL_HINT = ("Debian/Ubuntu: apt-get install libreoffice-calc-nogui libreoffice-writer-nogui; "
                "Windows/Mac: install LibreOffice and put soffice on PATH")


def find_soffice() -> str | None:
    """The LibreOffice command, or None."""
    return shutil.which("soffice") or shutil.which("libreoffice")


def require_soffice(pdf: "str | Path") -> str:
    """The LibreOffice command, or a WorkbookError naming the PDF that cannot be made."""
    soffice = find_soffice()
    if soffice is None:
        raise WorkbookError(Problem(file=str(pdf), message=f"cannot render a PDF: LibreOffice is not installed "
                                    f"({INSTALL_HINT})"))
    return soffice


# A tagged PDF (structure for screen readers) from Writer; the JSON filter options need
# LibreOffice 7.4 or later, so an older one is asked again for a plain PDF.
TAGGED_WRITER_PDF = 'pdf:writer_pdf_Export:{"UseTaggedPDF":{"type":"boolean","value":"true"}}'


def convert_to_pdf(source: "str | Path", pdf: "str | Path", timeout: float = TIMEOUT_SECONDS,
                   target: str = "pdf") -> Path:
    """Convert ``source`` (any document LibreOffice opens) to ``pdf``, atomically; ``target``
    is LibreOffice's --convert-to argument (e.g. ``TAGGED_WRITER_PDF``)."""
    source, pdf = Path(source), Path(pdf)
    soffice = require_soffice(pdf)
    with tempfile.TemporaryDirectory(prefix="xl-scorecard-pdf-") as tmp:
        tmp = Path(tmp)
        profile = (tmp / "profile").as_uri()
        outdir = tmp / "out"
        produced = outdir / (source.stem + ".pdf")
        for attempt in dict.fromkeys((target, "pdf")):
            command = [soffice, f"-env:UserInstallation={profile}", "--headless", "--norestore",
                       "--convert-to", attempt, "--outdir", str(outdir), str(source)]
            try:
                done = subprocess.run(command, capture_output=True, text=True, timeout=timeout)
            except subprocess.TimeoutExpired:
                raise WorkbookError(Problem(file=str(pdf), message=f"LibreOffice took longer than {timeout:g} s "
                                            "to render the PDF")) from None
            if done.returncode == 0 and produced.exists():
                break
        if done.returncode != 0 or not produced.exists():
            detail = (done.stderr or done.stdout).strip().splitlines()[-1:] or ["no output"]
            raise WorkbookError(Problem(file=str(pdf), message=f"LibreOffice could not render the PDF: {detail[0]}"))
        with atomic_path(pdf) as temp:
            shutil.copyfile(produced, temp)
    return pdf

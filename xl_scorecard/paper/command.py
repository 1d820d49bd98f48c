"""``xl-scorecard report``: the committee paper as .docx (and PDF), from the same results as
``xl-scorecard results``. Bad inputs are refused before anything is written."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ..core.errors import Problem, UsageError, WorkbookError
from ..core.month_report import MonthReport, compute_report
from ..outputs.atomic import atomic_path, refuse_folder
from ..outputs.libreoffice import TAGGED_WRITER_PDF, convert_to_pdf, require_soffice
from .commentary import workbook_commentary
from .content import compose
from .document import build_document


@dataclass(frozen=True)
class Written:
    """What a report run wrote."""

    docx: Path
    pdf: Path | None
    paragraphs: int
    charts: int
    warnings: tuple[Problem, ...] = ()


def lock_files(path: Path) -> list[Path]:
    """Lock files Word/Excel (``~$NAME``) and LibreOffice (``.~lock.NAME#``) keep beside an open file."""
    candidates = [path.with_name("~$" + path.name), path.with_name(f".~lock.{path.name}#")]
    return [c for c in candidates if c.exists()]


def check_out(out: Path, pdf: bool) -> None:
    """Refuse an output that cannot or must not be replaced, before any work is done."""
    refuse_folder(out)
    if out.suffix.lower() != ".docx":
        raise UsageError(Problem(file=str(out), message="the committee paper is a Word document: give an "
                                 "output name ending in .docx"))
    for target in (out, out.with_suffix(".pdf")) if pdf else (out,):
        found = lock_files(target)
        if found:
            raise WorkbookError(Problem(file=str(target), message=f"is open in Word or LibreOffice (its lock "
                                        f"file {found[0].name} is beside it): close it and try "
                                        "again; if it is not open anywhere, delete the lock file"))


def write_paper(report: MonthReport, out: "str | Path", workbook: "str | Path | None" = None,
                pdf: bool = False) -> Written:
    """Write the month's paper to ``out`` (atomically) and, with ``pdf``, the PDF beside it."""
    out = Path(out)
    check_out(out, pdf)
    if pdf:
        require_soffice(out.with_suffix(".pdf"))
    commentary = workbook_commentary(workbook) if workbook else None
    paper = compose(report, commentary.texts if commentary else {})
    document, charts = build_document(paper)
    with atomic_path(out) as temp:
        document.save(str(temp))
    pdf_path = convert_to_pdf(out, out.with_suffix(".pdf"), target=TAGGED_WRITER_PDF) if pdf else None
    paragraphs = sum(1 for b in paper.blocks if b.kind == "para" and b.indicator)
    warnings = []
    if commentary and commentary.month and commentary.month != str(report.month):
        warnings.append(Problem(file=str(workbook), message=f"is the scorecard for {commentary.month} "
                                f"(Scorecard!B3), not {report.month}: its commentary was carried "
                                "into the paper; check that it is still current"))
    return Written(out, pdf_path, paragraphs, charts, tuple(warnings))


def run_report(args, stdout, problems, inputs, warn) -> int:
    """The command's body; ``inputs(args)`` gives (rules, data, month) as every command loads them,
    with ``--comparators`` read into the data as ``results --comparators`` reads it."""
    rules, data, month = inputs(args)
    report = compute_report(rules, data, month, args.tolerance,
                            previous_month=getattr(args, "previous", None))
    warn(data, problems, report.results)
    out = args.out or Path("workbooks") / "out" / f"paper-{report.month}.docx"
    written = write_paper(report, out, args.workbook, args.pdf)
    problems.add(written.warnings, severity="warning")
    print(f"wrote {written.docx}: {report.month}, {written.paragraphs} indicator paragraphs, "
          f"{written.charts} charts", file=stdout)
    if written.pdf:
        print(f"wrote {written.pdf}", file=stdout)
    return 0

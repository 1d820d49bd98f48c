"""Build one month's scorecard workbook headlessly, keeping what is the analyst's."""

from __future__ import annotations

import warnings
from dataclasses import dataclass
from pathlib import Path

from ..atomic import atomic_path
from ..errors import Problem, WorkbookError
from ..layout import OWNED_SHEETS, Report, workbook_layout
from ..xlsx_input import check_xlsx
from .keep import apply_commentary, read_commentary
from .writer import add_defined_names, render_sheet


@dataclass(frozen=True)
class Built:
    """What a build wrote: the file and the month's counts."""

    path: Path
    month: str
    green: int
    amber: int
    red: int
    rated: int


def write_report(report: Report, out: "str | Path", template: "str | Path | None" = None,
                 live: bool = False) -> Built:
    """Write the month's workbook to ``out`` atomically.

    Starts from ``out`` itself when it exists (so commentary and foreign sheets
    survive), else from ``template``, else from a new workbook.
    """
    out = Path(out)
    base = out if out.exists() else (Path(template) if template else None)
    layouts = workbook_layout(report, live=live)
    workbook = _open_base(base, keep_vba=out.suffix.lower() == ".xlsm")
    if base is not None:
        apply_commentary(layouts, read_commentary(workbook))
    _replace_owned_sheets(workbook, layouts)
    with atomic_path(out) as temp:
        try:
            workbook.save(temp)
        except OSError as exc:
            raise WorkbookError(Problem(str(out), f"cannot be written: {exc.strerror or exc}")) from None
    summary = report.summary
    return Built(out, str(report.month), summary.green, summary.amber, summary.red, summary.rated)


def _open_base(base: Path | None, keep_vba: bool):
    import openpyxl

    if base is None:
        workbook = openpyxl.Workbook()
        workbook.remove(workbook.active)
        return workbook
    check_xlsx(base)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # openpyxl warns about features it drops
            return openpyxl.load_workbook(base, keep_vba=keep_vba, keep_links=False)
    except Exception as exc:  # openpyxl raises many kinds for a malformed package
        raise WorkbookError(Problem(str(base), f"cannot be opened as a workbook: {exc}")) from None


def _replace_owned_sheets(workbook, layouts) -> None:
    for name in OWNED_SHEETS:
        if name in workbook.sheetnames:
            workbook.remove(workbook[name])
    for name in list(workbook.defined_names):
        if name == "ReportMonth":
            del workbook.defined_names[name]
    for index, layout in enumerate(layouts):
        ws = workbook.create_sheet(layout.name, index)
        render_sheet(ws, layout)
        add_defined_names(workbook, layout)
    workbook.active = 0
    for ws in workbook.worksheets:
        ws.sheet_view.tabSelected = ws.title == layouts[0].name

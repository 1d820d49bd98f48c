"""Build one month's scorecard workbook headlessly, keeping what is the analyst's."""

from __future__ import annotations

import contextlib
import gc
import warnings
from dataclasses import dataclass, replace
from pathlib import Path

from ..core import rules_document as doc
from ..core.errors import Problem, WorkbookError
from ..core.periods import Month
from ..inputs.xlsx_hollow import hollow_package
from ..inputs.xlsx_input import check_xlsx, unreadable_workbook
from ..layout import MONTH_NAME, OWNED_SHEETS, MonthReport, workbook_layout
from ..layout.commentary import apply_commentary, refuse_unmatched_commentary
from ..outputs.atomic import atomic_path, refuse_folder
from ..writers.cached_values import add_cached_values, formula_values
from ..writers.openpyxl_save import save_workbook
from ..writers.openpyxl_writer import add_defined_names, render_sheet
from .active_content import refuse_active_content
from .base_workbook import Base, read_base
from .ownership import refuse_foreign_sheets
from .rules_sheet import rules_document, write_rules_sheet
from .vba_archive import vba_kept_until_saved


@dataclass(frozen=True)
class Built:
    """What a build wrote: the file and the month's counts."""

    path: Path
    month: Month
    green: int
    amber: int
    red: int
    rated: int


def write_report(report: MonthReport, out: "str | Path", template: "str | Path | None" = None,
                 live=None, data_sheet: str = "shown") -> Built:
    """Write the month's workbook to ``out`` atomically.

    Starts from ``out`` itself when it exists (so commentary and foreign sheets
    survive), else from ``template``, else from a new workbook. ``live``: None (values),
    'xlwings' (=RAG() ... through the add-in) or 'native' (plain Excel formulas); formula
    cells carry the engine's figures as cached values. ``data_sheet``: ``"shown"`` (the
    rows of the months the workbook shows) or ``"all"``.
    """
    out = Path(out)
    refuse_folder(out)
    if out.suffix.lower() not in (".xlsx", ".xlsm"):
        raise WorkbookError(Problem(file=str(out), message="a scorecard is an Excel workbook: give an output "
                                    "name ending in .xlsx (or .xlsm to keep macros)"))
    refuse_if_open(out)
    with collector_paused():
        return _write(report, out, template, live, data_sheet)


def _write(report: MonthReport, out: Path, template, live, data_sheet: str) -> Built:
    base = out if out.exists() else (Path(template) if template else None)
    layouts = workbook_layout(report, live=live, data_sheet_rows=data_sheet)
    replaced = _replaced_sheets(layouts)
    try:
        opened = _open_base(base, keep_vba=out.suffix.lower() == ".xlsm", replaced=replaced)
    except WorkbookError as exc:
        if base != out:
            raise
        raise WorkbookError([replace(p, message=f"{p.message} (this is the existing output workbook: "
                                     "it was left unchanged; to start afresh, move it away or "
                                     "choose another --out)") for p in exc.problems]) from None
    workbook = opened.workbook
    if base is not None:
        refuse_foreign_sheets(workbook, str(base), replaced)
        refuse_unmatched_commentary(opened.scorecard_rows, report.rules.ids, file=str(base))
        refuse_active_content(workbook, str(base), read_apart=opened.formulas)
        apply_commentary(layouts, opened.commentary)
    if out.suffix.lower() == ".xlsm" and workbook.vba_archive is None:
        raise WorkbookError(Problem(file=str(out), message="an .xlsm is a macro-enabled workbook, but there are "
                                    "no macros to keep (Excel refuses such a file): name the "
                                    "output .xlsx, or give a --template .xlsm that holds the VBA"))
    _replace_owned_sheets(workbook, layouts)
    if base is not None and base != out:
        _carry_rules_in_use(workbook, report.rules.source)
    with atomic_path(out) as temp, vba_kept_until_saved(workbook):
        try:
            save_workbook(workbook, temp)
            cached = formula_values(layouts)
            if any(cached.values()):  # a live workbook: give its formula cells their values
                temp.write_bytes(add_cached_values(temp.read_bytes(), cached))
        except OSError as exc:
            raise WorkbookError(Problem(file=str(out), message=f"cannot be written: {exc.strerror or exc}")) from None
    summary = report.summary
    return Built(out, report.month, summary.green, summary.amber, summary.red, summary.rated)


def _carry_rules_in_use(workbook, source: str) -> None:
    """A template's rules.json sheet (the template carries the bundled rules for xlwings Lite)
    is rewritten with the rules this workbook is built with, so its refresh and KPI_* functions
    compute what the build did. An existing output's sheet is the analyst's: never touched."""
    path = Path(source)
    if doc.SHEET_NAME in workbook.sheetnames and path.is_file():
        write_rules_sheet(workbook, rules_document(path), path.name)


@contextlib.contextmanager
def collector_paused():
    """Python's cyclic garbage collector off while a workbook is built. Everything made is
    kept until the save, so collections free nothing but walk every object made so far:
    about a fifth of a 5,000-indicator build's time. It runs again as soon as the workbook
    is written."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _open_base(base: Path | None, keep_vba: bool, replaced=()) -> Base:
    """A new workbook, or ``base`` with the sheets titled in ``replaced`` (those a build
    renders afresh) left unparsed, their commentary read (headless/base_workbook.py):
    rebuilding over last month's output costs little more than a fresh build."""
    import openpyxl

    if base is None:
        workbook = openpyxl.Workbook()
        workbook.remove(workbook.active)
        return Base(workbook, {}, {})
    check_xlsx(base)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # openpyxl warns about features it drops
            package = hollow_package(base, replaced)
            workbook = openpyxl.load_workbook(package.source, keep_vba=keep_vba, keep_links=False)
            return read_base(workbook, package)
    except Exception as exc:  # openpyxl (or the XML parser) raises many kinds for a malformed package
        raise unreadable_workbook(base, exc, WorkbookError, "opened") from None


def _replaced_sheets(layouts) -> list[str]:
    """The sheets a build removes and renders afresh: ours, and any this month's layouts name."""
    return list(dict.fromkeys([*OWNED_SHEETS, *(layout.name for layout in layouts)]))


def lock_files(path: Path) -> list[Path]:
    """The lock files Excel (``~$NAME``) and LibreOffice (``.~lock.NAME#``) keep beside an open file."""
    path = Path(path)
    candidates = [path.with_name("~$" + path.name), path.with_name(f".~lock.{path.name}#")]
    return [c for c in candidates if c.exists()]


def refuse_if_open(path: Path) -> None:
    """Refuse to replace a workbook someone has open: their unsaved work would be lost."""
    found = lock_files(path)
    if found:
        raise WorkbookError(Problem(file=str(path), message=f"is open in Excel or LibreOffice (its lock file "
                                    f"{found[0].name} is beside it): close it and try again; if "
                                    "it is not open anywhere, delete the lock file"))


def _replace_owned_sheets(workbook, layouts) -> None:
    for name in _replaced_sheets(layouts):
        if name in workbook.sheetnames:
            workbook.remove(workbook[name])
    for name in list(workbook.defined_names):
        if name == MONTH_NAME:
            del workbook.defined_names[name]
    for index, layout in enumerate(layouts):
        ws = workbook.create_sheet(layout.name, index)
        render_sheet(ws, layout)
        add_defined_names(workbook, layout)
    workbook.active = 0
    for ws in workbook.worksheets:
        ws.sheet_view.tabSelected = ws.title == layouts[0].name

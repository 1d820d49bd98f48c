"""Fill the analyst's own workbook with a month's results, and find the map that says where.

``map_workbook`` finds (or reads from rules.json) where each result goes;
``fill_workbook`` checks the map against the sheet, then writes the planned
cells and the parts that must change with them, atomically. A bad map is an
input error naming the sheet, the cell and the rules path, and nothing is written.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from ..core.errors import Problem, WorkbookError
from ..core.fill_plan import (CellValue, MapPlace, absent_fields, best_map, map_problems,
                              plan_cells)
from ..core.periods import Month
from ..core.rules import Rules
from ..core.workbook_map import (SCAN_ROWS, RowMatch, WorkbookMap, column_index, match_rows,
                                 split_cell)
from ..outputs.atomic import write_atomic
from . import parts
from .package import REL, Package
from .sheet_xml import SheetXml, head_grid, shared_strings

SHARED_STRINGS = REL + "/sharedStrings"
STYLES = REL + "/styles"
RAG_FIELDS = ("rag", "rag_previous")


@dataclass
class MapFound:
    """The map used, whether it was found automatically, and how the rows matched."""

    mapping: WorkbookMap
    automatic: bool
    match: RowMatch
    place: MapPlace  # how problems name the map: rules.json's section, or the workbook's
    headers: dict[str, object] = field(default_factory=dict)  # column letter -> header text
    problems: list[Problem] = field(default_factory=list)  # what makes it unusable, if anything


@dataclass
class FillReport:
    """What a fill wrote (or, on a dry run, would write)."""

    path: Path
    found: MapFound
    month: Month
    written: list[tuple[CellValue, object]]  # (cell, old value)
    kept_formulas: list[tuple[CellValue, object, str]]  # (cell, old value, formula text)
    overwritten_formulas: list[tuple[CellValue, str]]
    rag_colours: str | None  # the cells xl_scorecard's RAG colours were added to
    changed_parts: list[str]
    dry_run: bool
    absent: list[str] = field(default_factory=list)  # mapped fields the results lack


def open_sheet(package: Package, name: str, rules_file: str = "") -> tuple[SheetXml, str, str]:
    """The named worksheet (its XML, part name and sheetId); ``rules_file`` holds the map that
    names it (else the sheet was asked for with ``--sheet``)."""
    sheets = package.sheets()
    book = str(package.path)
    for sheet_name, sheet_id, part in sheets:
        if sheet_name == name:
            return SheetXml(package.xml(part), _strings(package), book, name), part, sheet_id
    names = ", ".join(repr(s[0]) for s in sheets)
    if rules_file:
        raise WorkbookError(MapPlace(book, rules_file).problem(
            ".sheet", f"has no sheet {name!r}; its sheets are {names}: correct the sheet name"))
    raise WorkbookError(Problem(file=book, message=f"has no sheet {name!r} (--sheet); its sheets "
                                f"are {names}: correct the sheet name"))


def map_workbook(package: Package, rules: Rules,
                 sheet: str | None = None) -> tuple[MapFound, SheetXml]:
    """The map in rules.json, else the one found in the workbook (on ``sheet``, else the best)."""
    if rules.workbook is not None and sheet in (None, rules.workbook.sheet):
        place = MapPlace(str(package.path), rules.source)
        xml, _, _ = open_sheet(package, rules.workbook.sheet, rules.source)
        return _found(rules.workbook, False, xml.grid(), rules, place), xml
    names = [sheet] if sheet else [name for name, _, _ in package.sheets()]
    if sheet is None:  # look at each sheet's first rows; parse whole only those that fit
        names = [name for name in names if best_map({name: _head(package, name)}, rules)]
    sheets = {name: open_sheet(package, name)[0] for name in names}
    best = best_map({name: xml.grid() for name, xml in sheets.items()}, rules)
    if best is None:
        on = f"sheet {sheet!r}" if sheet else "any sheet"
        raise WorkbookError(Problem(file=str(package.path), message="no header row with an indicator column "
                                    "(Ref, Indicator, ...) and result columns (Latest Result, "
                                    f"RAG, ...) whose rows name our indicators was found on {on}: "
                                    "add a 'workbook' section to rules.json (see "
                                    "docs/fill-in-place.md)"))
    xml = sheets[best[0].sheet]
    mapping = best[0]
    if _percent_cells(package, xml, mapping, best[1].rows, rules):
        mapping = dataclasses.replace(mapping, percent_as_fraction=True)
    return _found(mapping, True, xml.grid(), rules, MapPlace(str(package.path))), xml


def _percent_cells(package: Package, xml: SheetXml, mapping: WorkbookMap, rows: dict[str, int],
                   rules: Rules) -> bool:
    """True when most percentage indicators' result cells are formatted as Excel percentages."""
    letter = mapping.columns.get("value")
    percent_rows = [row for ident, row in rows.items() if rules[ident].measure == "percent"]
    if letter is None or not percent_rows:
        return False
    styles = parts.percent_styles(package, package.target_of(package.workbook_part(), STYLES))
    col = column_index(letter)
    shown = sum(1 for row in percent_rows if xml.style((row, col)) in styles)
    return shown * 2 > len(percent_rows)


def _head(package: Package, name: str) -> list[list]:
    """A sheet's first rows: enough to find a header row and the first indicator rows."""
    part = next(p for n, _, p in package.sheets() if n == name)
    return head_grid(package.parts[part], _strings(package), SCAN_ROWS * 2)


def _strings(package: Package) -> list[str]:
    """The workbook's shared strings, read once per package."""
    if "strings" not in package.cache:
        part = package.target_of(package.workbook_part(), SHARED_STRINGS)
        package.cache["strings"] = shared_strings(package.xml(part) if part and package.has(part)
                                                  else None)
    return package.cache["strings"]


def _found(mapping: WorkbookMap, automatic: bool, grid, rules: Rules, place: MapPlace) -> MapFound:
    header = grid[mapping.header_row - 1] if len(grid) >= mapping.header_row else []
    headers = {}
    for letter in [*mapping.match.values(), *mapping.columns.values()]:
        index = column_index(letter)
        headers[letter] = header[index - 1] if index <= len(header) else None
    found = MapFound(mapping, automatic, match_rows(grid, mapping, rules), place, headers)
    found.problems = map_problems(mapping, grid, found.match, place)
    return found


def check_map(found: MapFound, sheet: SheetXml, cells: list[CellValue]) -> None:
    """Refuse a map that does not fit the sheet; every problem at once."""
    problems = list(found.problems)
    for cell in cells:
        merged = sheet.merged_range_holding((cell.row, cell.col))
        if merged:
            path = ".month_cell" if cell.field == "month" else f".columns.{cell.field}"
            problems.append(found.place.problem(
                path, f"is inside the merged range {merged}: unmerge it in Excel or map another "
                "cell", found.mapping.sheet, cell.ref))
    if problems:
        raise WorkbookError(problems)


def fill_workbook(path: "str | Path", rules: Rules, results: pd.DataFrame, month: "Month | str",
                  out: "str | Path | None" = None, dry_run: bool = False,
                  overwrite_formulas: bool = False, sheet: str | None = None) -> FillReport:
    """Write ``results`` into the mapped cells of the workbook at ``path`` (or a copy at
    ``out``); on a dry run only say what would be written."""
    path = Path(path)
    month = Month.parse(month) if isinstance(month, str) else month
    target = Path(out) if out else path
    if target.suffix.lower() != path.suffix.lower():
        raise WorkbookError(Problem(file=str(target), message=f"--out must end in {path.suffix} like the "
                                    "workbook: a workbook's contents decide its extension"))
    if not dry_run:
        _refuse_open(target)
    package = Package.open(path)
    found, xml = map_workbook(package, rules, sheet)
    mapping = found.mapping
    current_month = xml.value(split_cell(mapping.month_cell)) if mapping.month_cell else None
    cells = plan_cells(mapping, found.match.rows, results, month, current_month)
    check_map(found, xml, cells)

    planned = {(c.row, c.col) for c in cells}
    written, kept, overwritten = [], [], []
    for cell in cells:
        where = (cell.row, cell.col)
        formula = xml.formula(where)
        old = xml.value(where)
        if formula is not None:
            spans_kept = [s for s in formula.spans if s not in planned]
            if not overwrite_formulas or spans_kept:
                shown = "=" + formula.text if formula.text else f"({formula.kind} formula)"
                kept.append((cell, old, shown))
                continue
            overwritten.append((cell, "=" + formula.text))
        written.append((cell, old))
    rag_cells = [(c.row, c.col) for c, _ in written if c.field in RAG_FIELDS
                 and not xml.has_conditional_format((c.row, c.col))]
    report = FillReport(path if out is None else target, found, month, written, kept, overwritten,
                        None, [], dry_run, absent_fields(mapping, results))
    if dry_run:
        report.rag_colours = " ".join(parts._runs(rag_cells)) if rag_cells else None
        return report

    for cell, _ in written:
        xml.write((cell.row, cell.col), cell.value)
    workbook = package.workbook_part()
    _, sheet_id, sheet_part = next(s for s in package.sheets() if s[0] == mapping.sheet)
    styles_part = package.target_of(workbook, STYLES)
    if rag_cells and styles_part and package.has(styles_part):
        report.rag_colours = parts.add_rag_colours(package, styles_part, xml.root, rag_cells,
                                                   mapping.rag_letters)
    package.replace(sheet_part, xml.root)
    parts.drop_calc_chain_entries(package, workbook, sheet_id,
                                  [(c.row, c.col) for c, _ in overwritten])
    parts.drop_shared_string_references(package, package.target_of(workbook, SHARED_STRINGS),
                                        xml.shared_replaced)
    parts.set_full_calc_on_load(package, workbook)
    report.changed_parts = package.changed()
    write_atomic(target, package.save)
    return report


def _refuse_open(path: Path) -> None:
    """An output open in Excel or LibreOffice (its lock file beside it) is not replaced."""
    for lock in (path.with_name("~$" + path.name), path.with_name(f".~lock.{path.name}#")):
        if lock.exists():
            raise WorkbookError(Problem(file=str(path), message="is open in Excel or LibreOffice (its lock "
                                        f"file {lock.name} is present): close it and try again; "
                                        "if it is not open anywhere, delete the lock file"))

"""What belongs to the analyst: commentary typed into our sheets, matched by indicator id."""

from __future__ import annotations

from ..core.errors import Problem, WorkbookError
from .exceptions_sheet import COMMENTARY_LABEL
from .exceptions_sheet import ID_COL as EXCEPTIONS_ID_COL
from .exceptions_sheet import SHEET as EXCEPTIONS
from .model import SheetLayout
from .scorecard import COMMENTARY_COL
from .scorecard import ID_COL as SCORECARD_ID_COL
from .scorecard import SHEET as SCORECARD


HEADER_LABELS = ("ID", "Commentary")  # the Scorecard's header row is the first row holding both
EXCEPTIONS_COLUMNS = (1, 2, EXCEPTIONS_ID_COL)  # the only columns the Exceptions commentary is read from


class KeptFormula(str):
    """Commentary the analyst wrote as a formula (``'=...'``): written back as a formula, not text."""


def formula_or_value(value, is_formula: bool):
    """A cell's value for the grids below: a formula's text marked as KeptFormula."""
    if is_formula:
        text = value if isinstance(value, str) else getattr(value, "text", None)  # ArrayFormula
        if isinstance(text, str) and text.startswith("="):
            return KeptFormula(text)
    return value


def read_commentary(workbook) -> dict[str, dict[str, str]]:
    """{'Scorecard': {id: text}, 'Exceptions': {id: text}} from an openpyxl workbook."""
    sheets = {ws.title: ws for ws in workbook.worksheets}  # not chart sheets
    grids = {name: [[formula_or_value(c.value, c.data_type == "f") for c in row]
                    for row in sheets[name].iter_rows()]
             for name in (SCORECARD, EXCEPTIONS) if name in sheets}
    return commentary_from_grids(grids)


def commentary_from_grids(grids: dict[str, list]) -> dict[str, dict[str, str]]:
    """The same from plain rows of cell values per sheet (any backend: openpyxl, xlwings)."""
    return {
        SCORECARD: _scorecard_commentary(grids.get(SCORECARD) or []),
        EXCEPTIONS: _exceptions_commentary(grids.get(EXCEPTIONS) or []),
    }


def header_columns(row) -> tuple[int, int] | None:
    """(ID column, Commentary column), 1-based, when this row of values is the Scorecard's header."""
    labels = {v.strip(): col for col, v in enumerate(row or (), start=1) if isinstance(v, str)}
    id_label, comment_label = HEADER_LABELS
    if id_label in labels and comment_label in labels:
        return labels[id_label], labels[comment_label]
    return None


def find_header(rows: list) -> tuple[int, int, int] | None:
    """(index, ID column, Commentary column) of the Scorecard's header: the first of these rows
    of values labelled ID and Commentary (index from 0, columns from 1); None without one."""
    for index, row in enumerate(rows):
        labelled = header_columns(row)
        if labelled:
            return (index, *labelled)
    return None


def refuse_unmatched_commentary(scorecard_rows: "list | None", ids, **where) -> None:
    """Refuse a Scorecard (its rows of values; None when there is no such sheet) whose cells
    name indicators (``ids``) but that has no header row: the commentary typed beside them
    could not be matched and rewriting the sheet would lose it. A sheet naming none (a new
    one holding a title and the month) has nothing to lose. ``where``: the file or workbook."""
    if not scorecard_rows or find_header(scorecard_rows) is not None:
        return
    known = set(ids)
    if not any(isinstance(value, str) and value.strip() in known
               for row in scorecard_rows for value in row or ()):
        return
    raise WorkbookError(Problem(**where, sheet=SCORECARD, message=(
        "has no header row labelled ID and Commentary, so commentary typed in the sheet cannot "
        "be matched to indicators and rewriting it would lose that commentary: put the header "
        "row back (the labels ID and Commentary above their columns), or move the workbook "
        "away to start afresh")))


def _scorecard_commentary(rows: list) -> dict[str, str]:
    found = {}
    header = find_header(rows)
    if header is None:
        return found
    header_index, id_col, comment_col = header
    for row in rows[header_index + 1:]:
        ident, text = _at(row, id_col), _at(row, comment_col)
        if isinstance(ident, str) and _has_text(text):
            found[ident.strip()] = text
    return found


def _exceptions_commentary(rows: list) -> dict[str, str]:
    found, current = {}, None
    for row in rows:
        ident = _at(row, EXCEPTIONS_ID_COL)
        if isinstance(ident, str) and ident.strip():
            current = ident.strip()
        if _at(row, 1) == COMMENTARY_LABEL and current and _has_text(_at(row, 2)):
            found[current] = _at(row, 2)
    return found


def _at(row, col: int):
    """Cell ``col`` (1-based) of a row of values, or None past its end."""
    return row[col - 1] if row is not None and len(row) >= col else None


def apply_commentary(layouts: list[SheetLayout], kept: dict[str, dict[str, str]]) -> None:
    """Put kept commentary into the new layouts; commentary with no place is archived, not lost."""
    for layout in layouts:
        texts = kept.get(layout.name, {})
        if not texts:
            continue
        placed = {}
        for ident, (row, col) in layout.commentary.items():
            if ident in texts:
                placed[(row, col)] = texts[ident]
        layout.cells = [_with_text(c, placed) for c in layout.cells]
        orphans = {i: t for i, t in texts.items() if i not in layout.commentary}
        if orphans:
            _archive(layout, orphans)


def _with_text(cell, placed):
    text = placed.get((cell.row, cell.col))
    if text is None:
        return cell
    if isinstance(text, KeptFormula):
        return cell._replace(value=None, formula=text[1:])
    return cell._replace(value=text)


def _archive(layout: SheetLayout, orphans: dict[str, str]) -> None:
    """Keep commentary whose indicator has no row or block this month at the foot of the sheet."""
    row = layout.last_row + 2
    layout.put(row, 1, "Commentary kept from earlier versions (indicator not shown this month)",
               "subtitle")
    on_scorecard = layout.name == SCORECARD
    for ident, text in sorted(orphans.items()):
        row += 1
        if on_scorecard:
            layout.put(row, SCORECARD_ID_COL, ident, "id")
            cell = (row, COMMENTARY_COL)
        else:
            layout.put(row, EXCEPTIONS_ID_COL, ident, "id")
            layout.put(row, 1, COMMENTARY_LABEL, "label")
            cell = (row, 2)
        if isinstance(text, KeptFormula):
            layout.put(*cell, None, "commentary", formula=text[1:])
        else:
            layout.put(*cell, text, "commentary")
        layout.commentary[ident] = cell


def _has_text(value) -> bool:
    return value is not None and str(value).strip() != ""

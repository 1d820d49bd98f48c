"""What belongs to the analyst: commentary typed into our sheets, matched by indicator id."""

from __future__ import annotations

from ..layout.exceptions_sheet import COMMENTARY_LABEL, ID_COL as EXCEPTIONS_ID_COL
from ..layout.exceptions_sheet import SHEET as EXCEPTIONS
from ..layout.model import SheetLayout
from ..layout.scorecard import COMMENTARY_COL, ID_COL as SCORECARD_ID_COL
from ..layout.scorecard import SHEET as SCORECARD


def read_commentary(workbook) -> dict[str, dict[str, str]]:
    """{'Scorecard': {id: text}, 'Exceptions': {id: text}} from an existing workbook."""
    kept: dict[str, dict[str, str]] = {"Scorecard": {}, "Exceptions": {}}
    if SCORECARD in workbook.sheetnames:
        kept["Scorecard"] = _scorecard_commentary(workbook[SCORECARD])
    if EXCEPTIONS in workbook.sheetnames:
        kept["Exceptions"] = _exceptions_commentary(workbook[EXCEPTIONS])
    return kept


def _scorecard_commentary(ws) -> dict[str, str]:
    id_col = comment_col = header_row = None
    for row in ws.iter_rows(min_row=1, max_row=min(ws.max_row, 40)):
        labels = {str(c.value).strip(): c.column for c in row if isinstance(c.value, str)}
        if "ID" in labels and "Commentary" in labels:
            id_col, comment_col, header_row = labels["ID"], labels["Commentary"], row[0].row
            break
    found = {}
    if header_row is None:
        return found
    for row in ws.iter_rows(min_row=header_row + 1, values_only=True):
        ident = row[id_col - 1] if len(row) >= id_col else None
        text = row[comment_col - 1] if len(row) >= comment_col else None
        if isinstance(ident, str) and _has_text(text):
            found[ident.strip()] = text
    return found


def _exceptions_commentary(ws) -> dict[str, str]:
    found, current = {}, None
    for row in ws.iter_rows(values_only=True):
        ident = row[EXCEPTIONS_ID_COL - 1] if len(row) >= EXCEPTIONS_ID_COL else None
        if isinstance(ident, str) and ident.strip():
            current = ident.strip()
        label = row[0] if row else None
        if label == COMMENTARY_LABEL and current and len(row) > 1 and _has_text(row[1]):
            found[current] = row[1]
    return found


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
    from dataclasses import replace

    return replace(cell, value=text)


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
        layout.put(*cell, text, "commentary")
        layout.commentary[ident] = cell


def _has_text(value) -> bool:
    return value is not None and str(value).strip() != ""

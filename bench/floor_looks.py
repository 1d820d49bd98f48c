"""The bare floor's looks and helpers (bench/bare_build.py): fonts, fills, borders and number
formats written by hand, the ``Writer`` that styles cells (and merges) the fast or the public
way, conditional colours, page set-up and column widths. No xl_scorecard code."""

from __future__ import annotations

from copy import copy

from openpyxl.formatting.rule import CellIsRule
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.dimensions import RowDimension

import floor_shortcuts

GREY = Side(style="thin", color="BFBFBF")
BOX = Border(left=GREY, right=GREY, top=GREY, bottom=GREY)


def _look(size=10, bold=False, italic=False, color=None, fill=None, wrap=False, align=None,
          valign="top", border=False):
    font = Font(name="Arial", bold=bold, italic=italic, size=size, color=color)
    return (font, PatternFill("solid", fgColor=fill) if fill else None,
            Alignment(horizontal=align, vertical=valign, wrap_text=wrap), BOX if border else None)


LOOKS = {
    "title": _look(14, bold=True),
    "subtitle": _look(11, bold=True),
    "label": _look(bold=True),
    "text": _look(),
    "wrap": _look(wrap=True),
    "muted": _look(italic=True, color="595959", wrap=True),
    "header": _look(bold=True, fill="1F3864", color="FFFFFF", wrap=True, align="center",
                    valign="center", border=True),
    "section": _look(bold=True, fill="D9E1F2", border=True),
    "cell": _look(border=True, wrap=True),
    "number": _look(border=True, align="right"),
    "rag": _look(bold=True, border=True, align="center"),
    "arrow": _look(border=True, align="center", size=12),
    "commentary": _look(border=True, wrap=True, fill="FFF9E5"),
    "id": _look(color="808080", size=8),
    "count": _look(12, bold=True, align="center", border=True),
    "note": _look(8, italic=True, color="595959", wrap=True, align="center"),
    "key": _look(9, color="404040", wrap=True),
    "key_label": _look(9, bold=True, color="404040"),
    "centre": _look(border=True, align="center"),
    "period": _look(border=True, align="center", wrap=True),
}
ARROW_RULES = (("↑", "00B050"), ("↓", "C00000"), ("→", "7F7F7F"))
RAG_RULES = (("Green", "00B050", "FFFFFF"), ("Amber", "FFC000", "000000"), ("Red", "FF0000", "FFFFFF"))


def fmt_for(measure: str, decimals: int) -> str:
    digits = "0" if decimals == 0 else "0." + "0" * decimals
    return "#,##" + digits + ('"%"' if measure == "percent" else "")


def name_height(text: str, per_line: int, line: float = 13.0):
    import textwrap

    lines = len(textwrap.wrap(text or "", per_line, break_on_hyphens=False))
    return line * lines + 2 if lines > 1 else None


class Writer:
    """``put(ws, row, col, value, look, number_format)``, styling each cell."""

    def __init__(self, fast_styles: bool):
        self.fast = fast_styles
        self.ids: dict[tuple, object] = {}

    def put(self, ws, row, col, value, look="text", fmt=None):
        if self.fast:  # the cell made directly, with its look's style ids, as our writer does
            ids = self.ids.get((look, fmt))
            if ids is not None:
                made = ws._cells[row, col] = floor_shortcuts.cell(ws, row, col, value, ids)
                return made
        cell = ws.cell(row=row, column=col)
        if value is not None:
            cell.value = value
        font, fill, align, border = LOOKS[look]
        cell.font = font
        cell.alignment = align
        if fill is not None:
            cell.fill = fill
        if border is not None:
            cell.border = border
        if fmt:
            cell.number_format = fmt
        if self.fast:
            self.ids[(look, fmt)] = copy(cell._style)
        return cell

    def height(self, ws, row, points):
        """``ws.row_dimensions[row].height = points``; in fast mode a new row's dimension is
        a copy of the first one made at that height (openpyxl validates each new one's fields),
        as our writer does."""
        dims = ws.row_dimensions
        key = ("height", ws.title, points)
        model = self.ids.get(key)
        if not self.fast or points is None or row in dims or model is None:
            new = row not in dims
            dims[row].height = points
            if self.fast and points is not None and model is None and new:
                self.ids[key] = dims[row]
            return
        dim = RowDimension.__new__(RowDimension)
        dim.__dict__.update(model.__dict__)
        dim.__dict__["index"] = row
        dim.parent, dim._style = ws, None
        dict.__setitem__(dims, row, dim)

    def row(self, ws, row, col, values, look="text"):
        for i, value in enumerate(values):
            self.put(ws, row, col + i, value, look)

    def merge(self, ws, r1, c1, r2, c2):
        """``ws.merge_cells``; in fast mode only the first merge of each shape and looks, the
        others copying the style ids it left and adding their range directly (no overlap
        check), as our writer does."""
        if not self.fast:
            ws.merge_cells(start_row=r1, start_column=c1, end_row=r2, end_column=c2)
            return
        floor_shortcuts.merge(ws, self.ids, r1, c1, r2, c2)


def rag_colours(ws, ref: str, w: Writer) -> None:
    for label, fill, font in RAG_RULES:
        _colour_rule(ws, ref, w, ("rag", label), CellIsRule(
            operator="equal", formula=[f'"{label}"'],
            fill=PatternFill("solid", fgColor=fill, bgColor=fill), font=Font(bold=True, color=font)))


def arrow_colours(ws, ref: str, w: Writer) -> None:
    for arrow, colour in ARROW_RULES:
        _colour_rule(ws, ref, w, ("arrow", arrow), CellIsRule(
            operator="equal", formula=[f'"{arrow}"'], font=Font(bold=True, color=colour)))


def _colour_rule(ws, ref: str, w: Writer, key: tuple, rule) -> None:
    """In fast mode the rules of one colour on a sheet share one differential style, whose
    index the save looks up once (floor_shortcuts), as our writer does."""
    if w.fast:
        rule.dxf = w.ids.setdefault(("dxf", ws.title, *key), rule.dxf)
    ws.conditional_formatting.add(ref, rule)


def page(ws, f, landscape=True, a3=False, title_rows=None, area_cols=None, last_row=1,
         tall=0, centre=False, breaks=()):
    from openpyxl.worksheet.pagebreak import Break, RowBreak

    ws.page_setup.orientation = "landscape" if landscape else "portrait"
    ws.page_setup.paperSize = ws.PAPERSIZE_A3 if a3 else ws.PAPERSIZE_A4
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = tall
    ws.print_options.horizontalCentered = centre or None
    for item, texts in ((ws.oddHeader, (f["council"], f["page_title"], "Page &P of &N")),
                        (ws.oddFooter, (f["produced"], None, ws.title))):
        for part, text in zip((item.left, item.center, item.right), texts):
            part.text = text.replace("&", "&&") if text and not text.startswith("Page &") else text
            part.size = 8
    if breaks:
        ws.row_breaks = RowBreak(brk=[Break(id=row) for row in breaks])
    if title_rows:
        ws.print_title_rows = title_rows
    if area_cols:
        ws.print_area = f"A1:{get_column_letter(area_cols)}{max(last_row, 1)}"
    ws.print_options.gridLines = False
    m = ws.page_margins
    m.left, m.right, m.top, m.bottom, m.header, m.footer = 0.4, 0.4, 0.7, 0.7, 0.3, 0.3


def widths(ws, cols: dict) -> None:
    for col, width in cols.items():
        ws.column_dimensions[get_column_letter(col)].width = width

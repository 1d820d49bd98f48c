"""Render sheet layouts into an open workbook through xlwings (desktop Excel or Office.js).

The same ``SheetLayout`` the headless writer renders with openpyxl: values go
in one block write, then number formats, styles, merges and widths in runs
of neighbouring cells, so a refresh is a few hundred calls, not thousands.
RAG cells are coloured directly (Office.js scripts cannot add conditional
formats), and text that Excel would read as a formula gets a leading
apostrophe so it stays text. Arrows are coloured by meaning the same way.

Hidden columns (the working columns of a live Scorecard, its ID beside comparators) are
hidden on every engine. Print set-up: the print area goes through xlwings on every engine; orientation,
paper, fit-to-page, repeated rows, header, footer and page breaks need Excel's
own PageSetup object, which desktop Excel (COM) has and Office.js scripts do not,
so there they are left as the workbook has them. Charts are drawn only by the
headless build.
"""

from __future__ import annotations

from itertools import groupby

from ..core.text import reads_as_formula
from ..layout.model import ARROW_FONTS, RAG_FILLS, RAG_FONTS, STYLES, SheetLayout, cell_ref


def layout_grid(layout: SheetLayout) -> list[list]:
    """The sheet's values as rows (formulas as '=...', formula-looking text escaped)."""
    rows, cols = layout.last_row, layout.last_col
    grid = [[None] * cols for _ in range(rows)]
    for cell in layout.cells:
        grid[cell.row - 1][cell.col - 1] = _excel_value(cell)
    return grid


def _excel_value(cell):
    if cell.formula is not None:
        return "=" + cell.formula
    value = cell.value
    if reads_as_formula(value):
        return "'" + value
    return value


def render(sheet, layout: SheetLayout) -> None:
    """Replace ``sheet``'s contents with ``layout`` (an ``xw.Sheet``)."""
    sheet.used_range.clear()
    grid = layout_grid(layout)
    if grid:
        sheet.range((1, 1)).value = grid
    _formats(sheet, layout)
    _styles(sheet, layout)
    _rag_colours(sheet, layout, grid)
    _arrow_colours(sheet, layout, grid)
    for r1, c1, r2, c2 in layout.merges:
        sheet.range((r1, c1), (r2, c2)).merge()
    for col, width in layout.widths.items():
        sheet.range((1, col)).column_width = width
    _hidden_columns(sheet, layout)
    _print_setup(sheet, layout)


def _hidden_columns(sheet, layout: SheetLayout) -> None:
    """The layout's hidden columns hidden (the working columns of a live Scorecard, its ID
    beside comparators), every other column of the layout shown: a refresh after the sheet's
    columns changed leaves none hidden by the last one. The headless workbook also groups
    them in an outline; grouping again at every refresh would nest the outline."""
    last = max([layout.last_col, *layout.hidden_cols])
    if not last:
        return
    sheet.range((1, 1), (1, last)).columns.hidden = False
    for c1, c2 in _spans(sorted(set(layout.hidden_cols))):
        sheet.range((1, c1), (1, c2)).columns.hidden = True


def _spans(numbers: list[int]):
    """(first, last) of each run of consecutive numbers."""
    for _, run in groupby(enumerate(numbers), key=lambda pair: pair[1] - pair[0]):
        run = [n for _, n in run]
        yield run[0], run[-1]


XL_LANDSCAPE, XL_PORTRAIT, XL_PAPER_A3, XL_PAPER_A4 = 2, 1, 8, 9


def _print_setup(sheet, layout: SheetLayout) -> None:
    """The print area everywhere; the rest through desktop Excel's PageSetup when it is there."""
    if layout.print_cols:
        sheet.page_setup.print_area = f"A1:{cell_ref(max(layout.last_row, 1), layout.print_cols)}"
    page = getattr(getattr(sheet, "api", None), "PageSetup", None)
    if page is None:  # Office.js (remote) books: no PageSetup object
        return
    page.Orientation = XL_LANDSCAPE if layout.landscape else XL_PORTRAIT
    page.PaperSize = XL_PAPER_A3 if layout.paper == "A3" else XL_PAPER_A4
    if layout.fit_width:
        page.Zoom = False
        page.FitToPagesWide = 1
        page.FitToPagesTall = layout.fit_height or False
    if layout.repeat_rows:
        page.PrintTitleRows = f"${layout.repeat_rows[0]}:${layout.repeat_rows[1]}"
    page.CenterHorizontally = layout.center_horizontally
    page.LeftMargin = page.RightMargin = 0.4 * 72   # points; the headless writer's margins
    page.TopMargin = page.BottomMargin = 0.7 * 72
    page.HeaderMargin = page.FooterMargin = 0.3 * 72
    page.LeftHeader, page.CenterHeader, page.RightHeader = layout.header
    page.LeftFooter, page.CenterFooter, page.RightFooter = layout.footer
    sheet.api.ResetAllPageBreaks()
    for row in layout.row_breaks:
        sheet.api.HPageBreaks.Add(sheet.api.Rows(row + 1))


def _arrow_colours(sheet, layout: SheetLayout, grid) -> None:
    for r1, c1, r2, c2 in layout.arrow_ranges:
        for row in range(r1, min(r2, len(grid)) + 1):
            for col in range(c1, c2 + 1):
                arrow = grid[row - 1][col - 1] if col <= len(grid[0]) else None
                if arrow in ARROW_FONTS:
                    sheet.range((row, col)).font.color = "#" + ARROW_FONTS[arrow]


def _runs(cells, key):
    """Runs of horizontally adjacent cells in one row sharing ``key``: (row, c1, c2, key)."""
    ordered = sorted(cells, key=lambda c: (c.row, c.col))
    for (row, value), group in groupby(ordered, key=lambda c: (c.row, key(c))):
        group = list(group)
        start = prev = group[0].col
        for cell in group[1:]:
            if cell.col != prev + 1:
                yield row, start, prev, value
                start = cell.col
            prev = cell.col
        yield row, start, prev, value


def _blocks(cells, key):
    """Rectangles of cells sharing ``key``: row runs stacked over consecutive rows."""
    open_blocks: dict[tuple, list] = {}
    for row, c1, c2, value in _runs(cells, key):
        block = open_blocks.get((c1, c2, value))
        if block is not None and block[1] == row - 1:
            block[1] = row
            continue
        if block is not None:
            yield block[0], c1, block[1], c2, value
        open_blocks[(c1, c2, value)] = [row, row]
    for (c1, c2, value), (r1, r2) in open_blocks.items():
        yield r1, c1, r2, c2, value


def _formats(sheet, layout: SheetLayout) -> None:
    formatted = [c for c in layout.cells if c.number_format]
    for r1, c1, r2, c2, fmt in _blocks(formatted, key=lambda c: c.number_format):
        sheet.range((r1, c1), (r2, c2)).number_format = fmt


def _styles(sheet, layout: SheetLayout) -> None:
    styled = [c for c in layout.cells if c.style != "text"]
    for r1, c1, r2, c2, name in _blocks(styled, key=lambda c: c.style):
        style = STYLES[name]
        rng = sheet.range((r1, c1), (r2, c2))
        if style.bold:
            rng.font.bold = True
        if style.italic:
            rng.font.italic = True
        if style.size != 10:
            rng.font.size = style.size
        if style.font_color:
            rng.font.color = "#" + style.font_color
        if style.fill:
            rng.color = "#" + style.fill
        if style.wrap:
            rng.wrap_text = True


def _rag_colours(sheet, layout: SheetLayout, grid) -> None:
    for r1, c1, r2, c2 in layout.rag_ranges:
        for row in range(r1, r2 + 1):
            for col in range(c1, c2 + 1):
                label = grid[row - 1][col - 1] if row <= len(grid) and col <= len(grid[0]) else None
                if label in RAG_FILLS:
                    rng = sheet.range((row, col))
                    rng.color = "#" + RAG_FILLS[label]
                    rng.font.color = "#" + RAG_FONTS[label]

"""Render sheet layouts into an open workbook through xlwings (desktop Excel or Office.js).

The same ``SheetLayout`` the headless writer renders with openpyxl: values go
in one block write, then number formats, styles, merges and widths in runs
of neighbouring cells, so a refresh is a few hundred calls, not thousands.
RAG cells are coloured directly (Office.js scripts cannot add conditional
formats), and text that Excel would read as a formula gets a leading
apostrophe so it stays text.
"""

from __future__ import annotations

from itertools import groupby

from ..core.text import reads_as_formula
from ..layout.model import RAG_FILLS, RAG_FONTS, STYLES, SheetLayout


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
    for r1, c1, r2, c2 in layout.merges:
        sheet.range((r1, c1), (r2, c2)).merge()
    for col, width in layout.widths.items():
        sheet.range((1, col)).column_width = width


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

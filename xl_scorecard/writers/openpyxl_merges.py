"""Merged ranges, written as openpyxl's ``merge_cells`` writes them at a fraction of the cost.

``ws.merge_cells`` costs two things that grow with the sheet: it checks the new range against
every range already merged (quadratic in the number of merges: 19 s of a 5,000-indicator
build), and it re-borders the edge cells through openpyxl's style hashing. A layout's merges
never overlap, and merges of the same shape over cells of the same looks come out the same, so
the first merge of each kind is done by ``merge_cells`` itself and the styles it leaves are
copied to the others.
"""

from __future__ import annotations

from copy import copy

from openpyxl.cell.cell import MergedCell
from openpyxl.worksheet.merge import MergedCellRange
from openpyxl.worksheet.worksheet import Worksheet

from .openpyxl_cells import copy_ids


class Merger:
    """Merges ranges of one worksheet; remembers the outcome of each kind of merge."""

    def __init__(self, ws: Worksheet):
        self.ws = ws
        self._outcomes: dict[tuple, list] = {}

    def merge(self, r1: int, c1: int, r2: int, c2: int) -> None:
        cells = self.ws._cells
        coords = [(r, c) for r in range(r1, r2 + 1) for c in range(c1, c2 + 1)]
        before = tuple(tuple(cells[rc]._style) if rc in cells else None for rc in coords)
        key = (r2 - r1, c2 - c1, before)
        outcome = self._outcomes.get(key)
        if outcome is None:
            self.ws.merge_cells(start_row=r1, start_column=c1, end_row=r2, end_column=c2)
            self._outcomes[key] = [copy(cells[rc]._style) for rc in coords]
            return
        top = cells.get(coords[0]) or self.ws.cell(row=r1, column=c1)
        top._style = copy_ids(outcome[0])
        for (row, col), style in zip(coords[1:], outcome[1:]):
            cell = _new_merged(MergedCell)   # MergedCell(ws, row, column) with the style copied
            cell.parent, cell._style, cell.row, cell.column = self.ws, copy_ids(style), row, col
            cells[row, col] = cell
        merged = MergedCellRange.__new__(MergedCellRange)
        # CellRange.__init__'s fields, set as its validated setters store them (c1 <= c2 and
        # r1 <= r2: the layout's ranges)
        merged.__dict__.update(min_col=c1, min_row=r1, max_col=c2, max_row=r2, title=None)
        merged.ws, merged.start_cell = self.ws, top
        self.ws.merged_cells.ranges.add(merged)


_new_merged = MergedCell.__new__

"""The openpyxl writer's shortcuts write exactly what openpyxl's own calls write.

The writer merges ranges through ``openpyxl_merges.Merger`` (the first merge of each kind by
``ws.merge_cells``, the rest copied) because ``merge_cells`` is quadratic in the number of
merges. These tests build every sheet of real months both ways and compare every cell's
style ids, value and type, and the merged ranges.
"""

from __future__ import annotations

import openpyxl
import pytest

from xl_scorecard.core.month_report import compute_report
from xl_scorecard.inputs.data import load_data
from xl_scorecard.inputs.rules_file import load_rules
from xl_scorecard.layout import workbook_layout
from xl_scorecard.writers import openpyxl_merges, openpyxl_writer

from conftest import REPO_ROOT

SYNTHETIC = REPO_ROOT / "workbooks" / "synthetic_kent_scs_2012-2014.csv"


def _render(layouts):
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for layout in layouts:
        openpyxl_writer.render_sheet(wb.create_sheet(layout.name), layout)
    return wb


def _contents(wb):
    out = {}
    for ws in wb.worksheets:
        out[ws.title] = (
            {rc: (type(c).__name__, c.value, c.data_type, tuple(c._style))
             for rc, c in ws._cells.items()},
            sorted(str(r) for r in ws.merged_cells.ranges))
    return out


class _PlainMerger:
    """openpyxl's own way, for comparison."""

    def __init__(self, ws):
        self.ws = ws

    def merge(self, r1, c1, r2, c2):
        self.ws.merge_cells(start_row=r1, start_column=c1, end_row=r2, end_column=c2)


@pytest.mark.parametrize("month", ["2012-05", "2013-09", "2014-03"])
def test_fast_merges_write_what_merge_cells_writes(month, monkeypatch):
    rules = load_rules(REPO_ROOT / "rules.json")
    report = compute_report(rules, load_data(SYNTHETIC, rules), month)
    layouts = workbook_layout(report)
    assert sum(len(layout.merges) for layout in layouts) > 10
    fast = _contents(_render(layouts))
    monkeypatch.setattr(openpyxl_writer, "Merger", _PlainMerger)
    plain = _contents(_render(layouts))
    assert fast == plain


def test_a_merge_over_cells_of_other_looks_is_done_by_openpyxl_again():
    wb = openpyxl.Workbook()
    ws = wb.active
    ws["A1"].border = openpyxl.styles.Border(top=openpyxl.styles.Side(style="thin"))
    ws["A2"].border = openpyxl.styles.Border(top=openpyxl.styles.Side(style="thick"))
    merger = openpyxl_merges.Merger(ws)
    merger.merge(1, 1, 1, 3)
    merger.merge(2, 1, 2, 3)
    assert len(merger._outcomes) == 2
    assert ws["B2"].border.top.style == "thick" and ws["B1"].border.top.style == "thin"
    assert sorted(str(r) for r in ws.merged_cells.ranges) == ["A1:C1", "A2:C2"]

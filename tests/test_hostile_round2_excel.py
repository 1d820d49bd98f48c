"""Round two (issue 15) in Excel's faces: the macros' rules setting, commentary formulas through
Refresh, and worksheet functions given hostile cells. The macros run against xlwings' real
remote-engine Book, as tests/test_macros.py does."""

from __future__ import annotations

import json
import os
from pathlib import Path

import numpy as np
import pytest

xw = pytest.importorskip("xlwings")

from xl_scorecard.excel import functions as sf  # noqa: E402
from xl_scorecard.excel import macros  # noqa: E402
from xl_scorecard.layout.scorecard import COMMENTARY_COL, ID_COL  # noqa: E402

from conftest import REPO_ROOT  # noqa: E402

TEMPLATE = REPO_ROOT / "workbooks" / "scorecard-template.xlsx"
needs_remote = pytest.mark.skipif(not getattr(xw, "__pro__", False),
                                  reason="xlwings' remote engine needs XLWINGS_LICENSE_KEY at import")


def _macro_helpers():
    import test_macros

    return test_macros


# --------------------------------------------------------------------------- commentary formulas


@needs_remote
def test_refresh_keeps_a_commentary_formula_where_the_engine_can_read_formulas(monkeypatch):
    """Desktop Excel hands formulas over; the Office.js engine cannot, and keeps the value."""
    helpers = _macro_helpers()
    payload = helpers.payload_from(TEMPLATE)
    scorecard = next(s for s in payload["sheets"] if s["name"] == "Scorecard")
    row = next(i for i, r in enumerate(scorecard["values"]) if len(r) >= ID_COL and r[ID_COL - 1] == "SCS20")
    scorecard["values"][row][COMMENTARY_COL - 1] = "Up 3.0"  # what the formula shows
    formula = '="Up "&TEXT(3,"0.0")'

    def formulas(self):
        grid = [["" if v is None else v for v in r] for r in self.options(ndim=2).value]
        if self.sheet.name == "Scorecard":
            grid[row][COMMENTARY_COL - 1] = formula
        return grid

    monkeypatch.setattr(xw.main.Range, "formula", property(formulas))
    book = xw.Book(json=payload)
    macros.refresh(book)
    written = helpers.written_sheets(book)["Scorecard"]
    assert written[(row + 1, COMMENTARY_COL)] == formula


@needs_remote
def test_refresh_on_office_js_keeps_the_value_it_sees():
    helpers = _macro_helpers()
    payload = helpers.payload_from(TEMPLATE)
    scorecard = next(s for s in payload["sheets"] if s["name"] == "Scorecard")
    row = next(i for i, r in enumerate(scorecard["values"]) if len(r) >= ID_COL and r[ID_COL - 1] == "SCS20")
    scorecard["values"][row][COMMENTARY_COL - 1] = "Up 3.0"
    book = xw.Book(json=payload)
    macros.refresh(book)
    assert helpers.written_sheets(book)["Scorecard"][(row + 1, COMMENTARY_COL)] == "Up 3.0"

"""A build replaces only what is its own, and only when it can keep the commentary.

Building into a workbook xl_scorecard did not write (no ReportMonth name) that has a sheet
called like one of ours (an analyst's own ``Data`` or ``Summary``) is refused, and so are a
chart sheet so called and a Scorecard whose rows name indicators but that has lost its ID ...
Commentary header row: the file is left byte for byte as it was and the message says what to do.
"""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest

from xl_scorecard.layout.scorecard import COMMENTARY_COL, HEADER_ROW, ID_COL

from conftest import REPO_ROOT

SAMPLE = ("--rules", REPO_ROOT / "rules.json", "--data", REPO_ROOT / "workbooks" / "kent_scs_2012.csv")


def _their_workbook(path: Path, sheets: list[str]) -> bytes:
    book = openpyxl.Workbook()
    book.active.title = sheets[0]
    for name in sheets[1:]:
        book.create_sheet(name)
    for ws in book.worksheets:
        ws["A1"], ws["B2"] = f"{ws.title}: the analyst's own", 42
    book.save(path)
    return path.read_bytes()


@pytest.mark.parametrize("sheets, named", [
    (["Data", "Notes"], "'Data'"),
    (["Summary", "Trend", "Cover"], "'Summary', 'Trend'"),
    (["Scorecard"], "'Scorecard'"),
])
@pytest.mark.parametrize("route", ["--out", "--template"])
def test_a_workbook_of_their_own_with_sheets_called_like_ours_is_refused(
        run_cli, tmp_path, sheets, named, route):
    theirs = tmp_path / "council scorecard.xlsx"
    before = _their_workbook(theirs, sheets)
    out = theirs if route == "--out" else tmp_path / "new.xlsx"
    extra = () if route == "--out" else ("--template", theirs)
    code, stdout, err = run_cli("build", *SAMPLE, "--out", out, *extra)
    assert code == 2, err
    assert "Traceback" not in err and stdout == ""
    assert str(theirs) in err and "was not written by xl-scorecard" in err
    assert f"has sheets called {named}, which a build replaces" in err
    assert "xl-scorecard fill" in err
    assert theirs.read_bytes() == before
    assert not (tmp_path / "new.xlsx").exists()


def test_a_workbook_of_their_own_without_our_sheet_names_is_built_into(run_cli, tmp_path):
    theirs = tmp_path / "mine.xlsx"
    _their_workbook(theirs, ["Cover", "Notes"])
    code, _, err = run_cli("build", *SAMPLE, "--out", theirs)
    assert code == 0, err
    book = openpyxl.load_workbook(theirs)
    assert {"Cover", "Notes", "Scorecard"} <= set(book.sheetnames)
    assert book["Notes"]["A1"].value == "Notes: the analyst's own" and book["Notes"]["B2"].value == 42


@pytest.mark.parametrize("name", ["Scorecard", "Exceptions", "Trend"])
def test_a_chart_sheet_called_like_one_of_ours_is_refused_even_in_our_workbook(run_cli, tmp_path, name):
    out = tmp_path / "scorecard.xlsx"
    _ours(run_cli, out)
    book = openpyxl.load_workbook(out)
    book.remove(book[name])
    chart = openpyxl.chart.BarChart()
    chart.add_data(openpyxl.chart.Reference(book["Data"], min_col=3, min_row=1, max_row=5))
    book.create_chartsheet(name).add_chart(chart)
    book.save(out)
    before = out.read_bytes()
    code, _, err = run_cli("build", *SAMPLE, "--out", out)
    assert code == 2, err
    assert f"has chart sheets called '{name}', which a build replaces" in err
    assert "cannot be opened" not in err and "Traceback" not in err
    assert out.read_bytes() == before


def _ours(run_cli, path: Path) -> None:
    code, _, err = run_cli("build", *SAMPLE, "--out", path)
    assert code == 0, err


def test_our_own_workbook_is_rebuilt_with_its_commentary(run_cli, tmp_path):
    """The ReportMonth name marks it ours: its sheets are replaced, commentary kept."""
    out = tmp_path / "scorecard.xlsx"
    _ours(run_cli, out)
    book = openpyxl.load_workbook(out)
    assert "ReportMonth" in book.defined_names
    ws = book["Scorecard"]
    row = next(r for r in range(HEADER_ROW + 1, ws.max_row + 1) if ws.cell(r, ID_COL).value == "SCS20")
    ws.cell(row, COMMENTARY_COL).value = "Audit backlog cleared."
    book.create_sheet("Data notes")["A1"] = "mine"
    book.save(out)
    code, _, err = run_cli("build", *SAMPLE, "--out", out)
    assert code == 0, err
    book = openpyxl.load_workbook(out)
    ws = book["Scorecard"]
    assert "Audit backlog cleared." in [ws.cell(r, COMMENTARY_COL).value for r in range(1, ws.max_row + 1)]
    assert book["Data notes"]["A1"].value == "mine"


def test_a_scorecard_that_lost_its_header_row_is_refused_not_overwritten(run_cli, tmp_path):
    out = tmp_path / "scorecard.xlsx"
    _ours(run_cli, out)
    book = openpyxl.load_workbook(out)
    ws = book["Scorecard"]
    ws.cell(HEADER_ROW + 2, COMMENTARY_COL).value = "A note the analyst typed."
    ws.cell(HEADER_ROW, COMMENTARY_COL).value = "Comments"  # the label renamed
    book.save(out)
    before = out.read_bytes()
    code, _, err = run_cli("build", *SAMPLE, "--out", out)
    assert code == 2, err
    assert "Traceback" not in err
    assert f"{out} [Scorecard]: has no header row labelled ID and Commentary" in err
    assert out.read_bytes() == before


@pytest.mark.parametrize("cells", [{}, {"A1": "Our scorecard", "A3": "Month", "B3": "2012-05"}],
                         ids=["empty", "a title and the month"])
def test_a_scorecard_sheet_naming_no_indicator_is_simply_replaced(run_cli, tmp_path, cells):
    """A new Scorecard sheet (set up by hand around the ReportMonth cell) has nothing to lose."""
    out = tmp_path / "scorecard.xlsx"
    _ours(run_cli, out)
    book = openpyxl.load_workbook(out)
    book.remove(book["Scorecard"])
    ws = book.create_sheet("Scorecard", 0)
    for ref, value in cells.items():
        ws[ref] = value
    book.save(out)
    code, _, err = run_cli("build", *SAMPLE, "--out", out)
    assert code == 0, err
    ws = openpyxl.load_workbook(out)["Scorecard"]
    assert ws.cell(HEADER_ROW, ID_COL).value == "ID"

"""`build --live`: a workbook of =KPIRATE() / =RAG() / =DOT() formulas equals the static one.

The live workbook is evaluated headlessly by a real Excel formula engine (the
`formulas` package) with xl_scorecard's worksheet functions registered, and
every formula cell is compared with the value the static build wrote there.
"""

from __future__ import annotations

import math
import re

import openpyxl
import pytest

pytest.importorskip("formulas")

from xl_scorecard.excel import formula_engine  # noqa: E402

from conftest import REPO_ROOT  # noqa: E402

SYNTHETIC = REPO_ROOT / "workbooks" / "synthetic_kent_scs_2012-2014.csv"


def _build(run_cli, out, *extra):
    code, _, err = run_cli("build", *extra, "--out", out)
    assert code == 0, err


@pytest.mark.parametrize("data, month", [(None, "2012-05"), (SYNTHETIC, "2013-09")],
                         ids=["published-May-2012", "synthetic-Sep-2013-with-outturn"])
def test_live_workbook_evaluates_to_the_static_one(tmp_path, run_cli, data, month):
    extra = ("--month", month) + (("--data", data) if data else ())
    static_path, live_path = tmp_path / "static.xlsx", tmp_path / "live.xlsx"
    _build(run_cli, static_path, *extra)
    _build(run_cli, live_path, *extra, "--live")

    live = openpyxl.load_workbook(live_path)["Scorecard"]
    formulas = {c.coordinate: c.value for row in live.iter_rows() for c in row
                if isinstance(c.value, str) and c.value.startswith("=")}
    kinds = {re.match(r"=([A-Z_]+)\(", f).group(1) for f in formulas.values()}
    assert kinds == {"KPIRATE", "RAG", "DOT", "COUNTIF"}
    assert sum(f.startswith("=RAG(") for f in formulas.values()) == 44
    counts = [ref for ref, f in formulas.items() if f.startswith("=COUNTIF(")]
    assert sorted(counts) == ["D4", "D5", "F4", "F5", "H4", "H5"]  # the counts follow an edit

    computed = formula_engine.evaluate(live_path)
    summary = openpyxl.load_workbook(live_path)["Summary"]
    summary_counts = [c.coordinate for row in summary.iter_rows() for c in row
                      if isinstance(c.value, str) and c.value.startswith("=")]
    assert len(summary_counts) >= 7  # Green, Amber, Red, Rated and the arrows against previous
    static_summary = openpyxl.load_workbook(static_path)["Summary"]
    for ref in summary_counts:
        assert computed[("Summary", ref)] == static_summary[ref].value, ref
    static = openpyxl.load_workbook(static_path)["Scorecard"]
    for ref in formulas:
        expected, got = static[ref].value, computed[("Scorecard", ref)]
        if isinstance(expected, float):
            assert got == pytest.approx(expected, rel=1e-15), ref
        else:
            assert (got or "") == (expected or ""), (ref, formulas[ref])


def test_live_workbook_has_no_static_ratings(tmp_path, run_cli):
    """In a live workbook the RAG and arrow cells hold formulas, not copies of values."""
    out = tmp_path / "live.xlsx"
    _build(run_cli, out, "--live")
    ws = openpyxl.load_workbook(out)["Scorecard"]
    ratings = [c.value for c in ws["F"] if isinstance(c.value, str) and c.value in ("Green", "Amber", "Red")]
    assert ratings == []
    assert not any(isinstance(c.value, float) and math.isnan(c.value) for row in ws.iter_rows() for c in row)


def test_live_workbook_caches_the_engine_figures(tmp_path, run_cli):
    """A reader that does not calculate (openpyxl's data_only) sees the static workbook's values."""
    static_path, live_path = tmp_path / "static.xlsx", tmp_path / "live.xlsx"
    _build(run_cli, static_path)
    _build(run_cli, live_path, "--live")
    for name in ("Scorecard", "Summary"):
        live = openpyxl.load_workbook(live_path, data_only=True)[name]
        static = openpyxl.load_workbook(static_path)[name]
        for row in static.iter_rows():
            for cell in row:
                got, want = live[cell.coordinate].value, cell.value
                if isinstance(want, float):  # openpyxl writes 16 significant digits, we 17
                    assert got == pytest.approx(want, rel=1e-15), (name, cell.coordinate)
                else:
                    assert got == (None if want == "" else want), (name, cell.coordinate)


@pytest.mark.libreoffice
def test_live_workbook_prints_the_engine_figures_not_name_errors(tmp_path, run_cli):
    """LibreOffice has no xlwings add-in: `pdf` prints the add-in cells' cached values."""
    import shutil
    import subprocess

    if shutil.which("soffice") is None:
        pytest.skip("LibreOffice is not installed")
    live_path = tmp_path / "live.xlsx"
    _build(run_cli, live_path, "--live")
    code, _, err = run_cli("pdf", live_path)
    assert code == 0, err
    text = subprocess.run(["pdftotext", "-layout", str(live_path.with_suffix(".pdf")), "-"],
                          capture_output=True, text=True, check=True).stdout
    assert "#NAME" not in text
    assert re.search(r"Green\s+16\s+Amber\s+16\s+Red\s+12", text.split("\f")[0])


def test_a_live_count_follows_its_num_cell(tmp_path, run_cli):
    """--live (xlwings): a count's latest result is a formula over its Num cell, so editing the
    count re-rates it; evaluated by the `formulas` engine before and after the edit."""
    examples = REPO_ROOT / "workbooks" / "examples"
    live_path = tmp_path / "live.xlsx"
    _build(run_cli, live_path, "--rules", examples / "rules.json", "--data",
           examples / "anyshire_monthly_2016-2018.csv", "--month", "2018-03", "--live")
    book = openpyxl.load_workbook(live_path)
    sheet = book["Scorecard"]
    ids = {sheet.cell(r, 15).value: r for r in range(8, sheet.max_row + 1)}
    row = ids["EX03"]                                # contacts received in the quarter: a count
    latest, num = sheet.cell(row, 5), sheet.cell(row, 7)
    assert latest.value == f'=IF(G{row}="","",G{row})'
    assert formula_engine.evaluate(live_path)[("Scorecard", f"E{row}")] == num.value
    num.value = 1234
    edited = tmp_path / "edited.xlsx"
    book.save(edited)
    assert formula_engine.evaluate(edited)[("Scorecard", f"E{row}")] == 1234

"""Data-quality flags: provisional figures carry an asterisk, unavailable ones print "-"."""

from __future__ import annotations

import json

import openpyxl

HEADER = "indicator,period,numerator,denominator,value,flag\n"


def _run(run_cli, tmp_path, body, *extra):
    data = tmp_path / "d.csv"
    data.write_text(HEADER + body, encoding="utf-8")
    code, out, err = run_cli("results", "--data", data, "--month", "2012-05", "--format", "json", *extra)
    return code, out, err, data


def test_provisional_and_unavailable_figures(run_cli, tmp_path):
    code, out, err, _ = _run(run_cli, tmp_path, "SCS01,2012-04,,,66.7,\nSCS01,2012-05,2064,312597,,Provisional\n"
                             "SCS02,2012-04,,,504.1,\nSCS02,2012-05,N/A,,,unavailable\n")
    assert code == 0, err
    rows = {r["id"]: r for r in json.loads(out)["indicators"]}
    assert (rows["SCS01"]["display"], rows["SCS01"]["flag"], rows["SCS01"]["rag"]) == ("66.0*", "provisional", "Amber")
    assert (rows["SCS02"]["display"], rows["SCS02"]["flag"], rows["SCS02"]["value"]) == ("-", "unavailable", None)
    assert rows["SCS02"]["rag"] == "" and rows["SCS02"]["dot_previous"] == ""
    assert rows["SCS03"]["flag"] == ""


def test_an_unknown_flag_is_refused_naming_the_row(run_cli, tmp_path):
    code, out, err, data = _run(run_cli, tmp_path, "SCS01,2012-05,1,2,,estimate\n")
    assert code == 2
    assert f"{data}: row 2, column 'flag': 'estimate' is not a flag: write provisional or unavailable" in err


def test_a_window_with_a_provisional_month_is_provisional(make_rules, make_data):
    from xl_scorecard.core.engine import compute_month

    rules = make_rules(period="YTD", aggregate="sum")
    rows = [("K1", "2012-04", 8, 10, None), ("K1", "2012-05", 9, 10, None)]
    frame_rows = [r + (f,) for r, f in zip(rows, ("provisional", ""))]
    import pandas as pd
    from xl_scorecard.inputs.data import COLUMNS, check_table

    data = check_table(pd.DataFrame(frame_rows, columns=list(COLUMNS) + ["flag"], dtype=object), rules, "t")
    row = compute_month(rules, data, "2012-05").iloc[0]
    assert (row["value"], row["flag"], row["display"]) == (85.0, "provisional", "85.0%*")


def test_the_workbook_marks_them(run_cli, tmp_path):
    data = tmp_path / "d.csv"
    data.write_text(HEADER + "SCS01,2012-05,2064,312597,,provisional\nSCS02,2012-05,,,,unavailable\n", "utf-8")
    out = tmp_path / "f.xlsx"
    code, _, err = run_cli("build", "--data", data, "--out", out)
    assert code == 0, err
    book = openpyxl.load_workbook(out)
    sheet = book["Scorecard"]
    ids = {sheet.cell(r, 15).value: r for r in range(8, sheet.max_row + 1)}
    assert sheet.cell(ids["SCS01"], 5).number_format.endswith('"*"')
    assert sheet.cell(ids["SCS02"], 5).value == "-"
    assert [c.value for c in book["Data"][1]][-1] == "flag"


def test_the_live_workbook_marks_them_too(run_cli, tmp_path):
    """--live (xlwings formulas): the provisional figure's KPIRATE cell keeps its asterisk,
    the unavailable one prints "-" (no formula), as in the values workbook."""
    data = tmp_path / "d.csv"
    data.write_text(HEADER + "SCS01,2012-04,,,66.7,\nSCS01,2012-05,2064,312597,,provisional\n"
                    "SCS02,2012-05,,,,unavailable\n", "utf-8")
    out = tmp_path / "live.xlsx"
    code, _, err = run_cli("build", "--data", data, "--out", out, "--live")
    assert code == 0, err
    sheet = openpyxl.load_workbook(out)["Scorecard"]
    ids = {sheet.cell(r, 15).value: r for r in range(8, sheet.max_row + 1)}
    latest = sheet.cell(ids["SCS01"], 5)
    assert str(latest.value).startswith("=KPIRATE(") and latest.number_format.endswith('"*"')
    assert sheet.cell(ids["SCS02"], 5).value == "-"
    # the rating and arrows of the unavailable figure are blank values, not RAG("-") errors
    for column in (6, 11, 13):                   # RAG, and both arrows
        cell = sheet.cell(ids["SCS02"], column)
        assert cell.value in (None, "") and cell.data_type != "f", column


def test_the_native_workbook_marks_them_and_libreoffice_agrees(run_cli, tmp_path):
    """--live native: the provisional figure's formula keeps its asterisk and recalculates; the
    unavailable one prints "-" with a blank rating, arrows and working cells (no formula to
    rate "-"); LibreOffice, recalculating from poisoned caches, gives the engine's rating."""
    import shutil

    import pytest

    from native_workbooks import poisoned_copy, recalculate

    if shutil.which("soffice") is None:
        pytest.skip("LibreOffice is not installed")
    data = tmp_path / "d.csv"
    data.write_text(HEADER + "SCS01,2012-04,,,66.7,\nSCS01,2012-05,2064,312597,,provisional\n"
                    "SCS02,2012-04,,,504.1,\nSCS02,2012-05,3000,,,unavailable\n", "utf-8")
    out = tmp_path / "native.xlsx"
    code, _, err = run_cli("build", "--data", data, "--out", out, "--live", "native")
    assert code == 0, err
    sheet = openpyxl.load_workbook(out)["Scorecard"]
    ids = {sheet.cell(r, 15).value: r for r in range(8, sheet.max_row + 1)}
    latest = sheet.cell(ids["SCS01"], 5)
    assert latest.data_type == "f" and latest.number_format.endswith('"*"')
    unavailable = [sheet.cell(ids["SCS02"], c) for c in range(1, sheet.max_column + 1)]
    assert unavailable[4].value == "-"
    formulas = [c.coordinate for c in unavailable if c.data_type == "f"]
    assert formulas == [f"I{ids['SCS02']}"], formulas      # only the target in force (column I)
    (tmp_path / "poisoned").mkdir()
    [done] = recalculate([poisoned_copy(out, tmp_path / "poisoned" / "native.xlsx")],
                         tmp_path / "recalc", tmp_path / "profile")
    values = openpyxl.load_workbook(done, data_only=True)["Scorecard"]
    assert values.cell(ids["SCS01"], 6).value == "Amber"          # 2064/312597 = 66.0 per 10,000
    assert values.cell(ids["SCS02"], 5).value == "-"
    assert values.cell(ids["SCS02"], 6).value in (None, "")

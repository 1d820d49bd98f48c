"""Bad data tables: each mistake names the file, row and column; exit 2; nothing written."""

from __future__ import annotations

import datetime as dt
import json
import os

import numpy as np
import pytest

from xl_scorecard.inputs.data import load_data
from xl_scorecard.core.errors import DataError
from xl_scorecard.inputs.rules_file import load_rules

from hostile_files import DATA_HEADER, data_workbook

HEADER = "indicator,period,numerator,denominator,value\n"
GOOD_ROWS = "K1,2012-04,80,100,\nK1,2012-05,170,200,\nC1,2012-05,,,12\n"


@pytest.fixture
def rules_file(write_json, make_document, make_indicator):
    """K1: H percent (target 85, floor 76.5); C1: a count with no polarity."""
    return write_json(make_document(
        make_indicator(),
        make_indicator(id="C1", name="Referrals", polarity=None, measure="count", decimals=0,
                       thresholds=None)))


@pytest.fixture
def rules(rules_file):
    return load_rules(rules_file)


def _csv(tmp_path, text, name="data.csv"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def _xlsx(tmp_path, rows, header=DATA_HEADER, name="data.xlsx"):
    return data_workbook(tmp_path / name, rows, header)


# (csv text, where after the file name, message fragment)
BAD_CSV = [
    pytest.param(HEADER + "K1,2012-05,170,200,\nXX99,2012-05,1,2,\n", ": row 3, column 'indicator'",
                 "'XX99' is not an indicator in", id="unknown-indicator"),
    pytest.param(HEADER + ",2012-05,1,2,\n", ": row 2, column 'indicator'", "is empty",
                 id="empty-indicator"),
    pytest.param(HEADER + "K1,2012-05,170,200,\nC1,2012-05,,,3\nK1,2012-05,171,200,\n",
                 ": row 4, columns 'indicator' and 'period'",
                 "duplicate figures for K1 in 2012-05 (also on row 2)", id="duplicate-rows"),
    pytest.param(HEADER + "K1,2012-05,abc,200,\n", ": row 2, column 'numerator'",
                 "'abc' is not a number", id="text-numerator"),
    pytest.param(HEADER + "K1,2012-05,170,two hundred,\n", ": row 2, column 'denominator'",
                 "'two hundred' is not a number", id="text-denominator"),
    pytest.param(HEADER + "C1,2012-05,,,N/A\n", ": row 2, column 'value'", "'N/A' is not a number",
                 id="N/A-value"),
    pytest.param(HEADER + "K1,2012-05,N/A,200,\n", ": row 2, column 'numerator'",
                 "'N/A' is not a number", id="N/A-numerator"),
    pytest.param(HEADER + "K1,2012-05,1,-5,\n", ": row 2, column 'denominator'",
                 "-5 is negative", id="negative-denominator"),
    pytest.param(HEADER + "K1,2012-05,170,200,\nK1,2012-13,1,2,\n", ": row 3, column 'period'",
                 "'2012-13' is not a month", id="month-13"),
    pytest.param(HEADER + "K1,May,1,2,\n", ": row 2, column 'period'", "'May' is not a month",
                 id="month-without-year"),
    pytest.param(HEADER + "K1,2012-02-30,1,2,\n", ": row 2, column 'period'",
                 "'2012-02-30' is not a month", id="impossible-date"),
    pytest.param(HEADER + "K1,,1,2,\n", ": row 2, column 'period'", "is empty", id="empty-period"),
    pytest.param("indicator,numerator,denominator,value\nK1,1,2,\n", "",
                 "missing column(s) period", id="missing-period-column"),
    pytest.param("indicator,period,denominator\nK1,2012-05,2\n", "",
                 "missing column(s) value (or numerator and denominator)", id="missing-value-columns"),
    pytest.param("", "", "the file is empty", id="empty-file"),
    pytest.param(HEADER, "", "has a header but no data rows", id="header-only"),
]


@pytest.mark.parametrize("text, where, message", BAD_CSV)
def test_bad_csv_through_the_cli(run_cli, rules_file, tmp_path, text, where, message):
    data = _csv(tmp_path, text)
    fresh, existing = tmp_path / "fresh.csv", tmp_path / "existing.csv"
    existing.write_text("last month's results\n", encoding="utf-8")
    for out in (fresh, existing):
        code, stdout, err = run_cli("results", "--rules", rules_file, "--data", data,
                                    "--month", "2012-05", "--out", out)
        assert code == 2
        assert stdout == ""
        assert "Traceback" not in err
        assert f"error: {data}{where}: " in err and message in err, err
    assert not fresh.exists()
    assert existing.read_text(encoding="utf-8") == "last month's results\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["data.csv", "existing.csv", "rules.json"]


@pytest.mark.parametrize("text, where, message", BAD_CSV)
def test_bad_csv_through_load_data(rules, tmp_path, text, where, message):
    data = _csv(tmp_path, text)
    with pytest.raises(DataError) as caught:
        load_data(data, rules)
    assert any(str(p).startswith(f"{data}{where}: ") and message in str(p)
               for p in caught.value.problems), caught.value.problems


def test_every_bad_row_is_reported_at_once(rules, tmp_path):
    data = _csv(tmp_path, HEADER + "K1,2012-05,abc,200,\nXX,2012-05,1,2,\nK1,2012-04,1,-2,\n")
    with pytest.raises(DataError) as caught:
        load_data(data, rules)
    wheres = [p.where for p in caught.value.problems]
    assert wheres == [f"{data}: row 2, column 'numerator'", f"{data}: row 3, column 'indicator'",
                      f"{data}: row 4, column 'denominator'"]


@pytest.mark.parametrize("name, message", [
    pytest.param("missing.csv", "file not found: check the name and the folder\n", id="not-found"),
    pytest.param("data.json", "unknown file type '.json'", id="unknown-type"),
])
def test_unusable_data_file(run_cli, rules_file, tmp_path, name, message):
    if name.endswith(".json"):
        (tmp_path / name).write_text("{}", encoding="utf-8")
    code, _, err = run_cli("results", "--rules", rules_file, "--data", tmp_path / name)
    assert code == 2
    assert f"error: {tmp_path / name}: {message}" in err


def test_a_relative_path_not_found_names_the_folder_it_was_read_from(run_cli, rules_file, tmp_path,
                                                                     monkeypatch):
    monkeypatch.chdir(tmp_path)
    code, _, err = run_cli("results", "--rules", rules_file, "--data", "missing.csv")
    assert code == 2
    assert err == (f"error: missing.csv: file not found: check the name and the folder (a relative "
                   f"path is read from {os.getcwd()})\n")  # tmp_path as the system resolves it


# --------------------------------------------------------------------------- accepted input

def _results(run_cli, rules_file, data, month="2012-05"):
    code, out, err = run_cli("results", "--rules", rules_file, "--data", data, "--month", month,
                             "--format", "json")
    assert code == 0, err
    return {row["id"]: row for row in json.loads(out)["indicators"]}, err


def test_zero_denominator_is_a_blank_result_not_an_error(run_cli, rules_file, tmp_path):
    data = _csv(tmp_path, HEADER + "K1,2012-03,90,100,\nK1,2012-04,80,100,\nK1,2012-05,0,0,\n")
    rows, err = _results(run_cli, rules_file, data)
    k1 = rows["K1"]
    assert err == ""
    assert (k1["numerator"], k1["denominator"], k1["value"], k1["display"]) == (0, 0, None, "")
    assert (k1["rag"], k1["dot_previous"], k1["dot_outturn"]) == ("", "", "")
    assert (k1["previous"], k1["rag_previous"]) == (80, "Amber")  # the history is still there


def test_empty_cells_are_missing_values(run_cli, rules_file, tmp_path):
    data = _csv(tmp_path, HEADER + "K1,2012-04,80,100,\nK1,2012-05,,,\nC1,2012-05,,,\n")
    rows, _ = _results(run_cli, rules_file, data)
    assert rows["K1"]["value"] is None and rows["K1"]["numerator"] is None
    assert (rows["K1"]["display"], rows["K1"]["rag"], rows["K1"]["dot_previous"]) == ("", "", "")
    assert rows["C1"]["value"] is None


def test_thousands_separators_in_quoted_numbers(run_cli, rules_file, tmp_path):
    data = _csv(tmp_path, HEADER + 'K1,2012-05,"14,655","15,000",\nC1,2012-05,,,"1,616"\n')
    rows, _ = _results(run_cli, rules_file, data)
    assert (rows["K1"]["numerator"], rows["K1"]["denominator"]) == (14655, 15000)
    assert rows["K1"]["display"] == "97.7%"
    assert (rows["C1"]["value"], rows["C1"]["display"]) == (1616, "1,616")


def test_a_comma_that_is_not_a_thousands_separator_is_refused(rules, tmp_path):
    data = _csv(tmp_path, HEADER + 'K1,2012-05,"14,65",200,\n')
    with pytest.raises(DataError, match=r"row 2, column 'numerator': '14,65' is not a number"):
        load_data(data, rules)


@pytest.mark.parametrize("feb, other", [
    pytest.param("Feb-15", "2015/03", id="Feb-15-and-2015/03"),
    pytest.param("2015/02", "March 2015", id="2015/02-and-March-2015"),
])
def test_other_month_spellings_accepted_with_a_warning(run_cli, rules_file, tmp_path, feb, other):
    data = _csv(tmp_path, HEADER + f"K1,{feb},80,100,\nK1,{other},90,100,\n")
    rows, err = _results(run_cli, rules_file, data, month="2015-03")
    assert (rows["K1"]["previous_period"], rows["K1"]["previous"]) == ("2015-02", 80)
    assert rows["K1"]["dot_previous"] == "↑"
    assert f"warning: {data}: column 'period': read 2 month(s) not written as YYYY-MM" in err
    assert f"row 2 '{feb}' -> 2015-02" in err and f"row 3 '{other}' -> 2015-03" in err


def test_iso_months_give_no_warning(run_cli, rules_file, tmp_path):
    _, err = _results(run_cli, rules_file, _csv(tmp_path, HEADER + GOOD_ROWS))
    assert err == ""


# --------------------------------------------------------------------------- XLSX

def test_xlsx_with_a_date_cell_is_read_with_a_warning(run_cli, rules_file, tmp_path):
    data = _xlsx(tmp_path, [("K1", dt.datetime(2012, 4, 30), 80, 100, None),
                            ("K1", "2012-05", 170, 200, None),
                            ("C1", dt.date(2012, 5, 1), None, None, 12)])
    rows, err = _results(run_cli, rules_file, data)
    assert (rows["K1"]["display"], rows["K1"]["rag"], rows["K1"]["previous_period"]) == \
        ("85.0%", "Green", "2012-04")
    assert rows["C1"]["value"] == 12
    assert f"warning: {data}: column 'period': read 2 month(s) not written as YYYY-MM" in err
    assert "row 2 " in err and "-> 2012-04" in err and "row 4 " in err and "-> 2012-05" in err


def test_xlsx_month_spellings_accepted_with_a_warning(run_cli, rules_file, tmp_path):
    data = _xlsx(tmp_path, [("K1", "Feb-15", 80, 100, None), ("K1", "2015/03", 90, 100, None)])
    rows, err = _results(run_cli, rules_file, data, month="2015-03")
    assert rows["K1"]["previous_period"] == "2015-02"
    assert "row 2 'Feb-15' -> 2015-02" in err and "row 3 '2015/03' -> 2015-03" in err


def test_xlsx_numbers_as_text_and_thousands(run_cli, rules_file, tmp_path):
    data = _xlsx(tmp_path, [("K1", "2012-05", "14,655", 15000, None), ("C1", "2012-05", None, None, "12")])
    rows, _ = _results(run_cli, rules_file, data)
    assert rows["K1"]["numerator"] == 14655
    assert rows["C1"]["value"] == 12


BAD_XLSX = [
    pytest.param([("K1", "2012-05", "abc", 200, None)], ": row 2, column 'numerator'",
                 "'abc' is not a number", id="text-numerator"),
    pytest.param([("K1", "2012-05", 170, 200, None), ("C1", "2012-05", None, None, "N/A")],
                 ": row 3, column 'value'", "'N/A' is not a number", id="N/A-value"),
    pytest.param([("K1", "2012-05", 1, -5, None)], ": row 2, column 'denominator'", "-5 is negative",
                 id="negative-denominator"),
    pytest.param([("K1", "2012-05", 1, 2, None), ("ZZ", "2012-05", 1, 2, None)],
                 ": row 3, column 'indicator'", "'ZZ' is not an indicator", id="unknown-indicator"),
    pytest.param([("K1", dt.datetime(2012, 5, 31), 1, 2, None), ("K1", "2012-05", 1, 2, None)],
                 ": row 3, columns 'indicator' and 'period'",
                 "duplicate figures for K1 in 2012-05 (also on row 2)", id="duplicate-date-and-text"),
    pytest.param([("K1", "Spring", 1, 2, None)], ": row 2, column 'period'", "'Spring' is not a month",
                 id="malformed-period"),
    pytest.param([("K1", True, 1, 2, None)], ": row 2, column 'period'", "'True' is not a month",
                 id="boolean-period"),
    pytest.param([("K1", "2012-05", True, 2, None)], ": row 2, column 'numerator'",
                 "True is not a number", id="boolean-numerator"),
    pytest.param([], "", "has a header but no data rows", id="header-only"),
]


@pytest.mark.parametrize("rows, where, message", BAD_XLSX)
def test_bad_xlsx_through_the_cli(run_cli, rules_file, tmp_path, rows, where, message):
    data = _xlsx(tmp_path, rows)
    out = tmp_path / "out.csv"
    code, stdout, err = run_cli("results", "--rules", rules_file, "--data", data, "--out", out)
    assert code == 2
    assert stdout == ""
    assert "Traceback" not in err
    assert f"error: {data}{where}: " in err and message in err, err
    assert not out.exists()


def test_xlsx_missing_column(run_cli, rules_file, tmp_path):
    data = _xlsx(tmp_path, [("K1", 1, 2)], header=("indicator", "numerator", "denominator"))
    code, _, err = run_cli("results", "--rules", rules_file, "--data", data)
    assert code == 2
    assert f"error: {data}: missing column(s) period" in err


def test_empty_xlsx_sheet(run_cli, rules_file, tmp_path):
    data = _xlsx(tmp_path, [], header=None)
    code, _, err = run_cli("results", "--rules", rules_file, "--data", data)
    assert code == 2
    assert "the sheet is empty" in err and str(data) in err


def test_not_really_an_xlsx(run_cli, rules_file, tmp_path):
    data = _csv(tmp_path, HEADER + GOOD_ROWS, name="data.xlsx")
    code, _, err = run_cli("results", "--rules", rules_file, "--data", data)
    assert code == 2
    assert f"error: {data}: is not an .xlsx workbook" in err


def test_xlsx_and_csv_give_the_same_figures(rules, tmp_path):
    from xl_scorecard.core.engine import compute_month

    csv_table = load_data(_csv(tmp_path, HEADER + GOOD_ROWS), rules)
    xlsx_table = load_data(_xlsx(tmp_path, [r.split(",") for r in GOOD_ROWS.splitlines()]), rules)
    a = compute_month(rules, csv_table, "2012-05")
    b = compute_month(rules, xlsx_table, "2012-05")
    np.testing.assert_array_equal(a["value"].to_numpy(float), b["value"].to_numpy(float))
    assert list(a["rag"]) == list(b["rag"]) == ["Green", ""]

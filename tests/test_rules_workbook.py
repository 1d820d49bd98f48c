"""Rules inside a workbook: `rules export --to`, `rules import --from`, `--rules WORKBOOK.xlsx`.

The rules.json sheet round-trips exactly (same document, key order and number types); an
analyst's edit in the sheet is what the next run uses; a bad edit is refused as in rules.json,
naming the sheet cell and the JSON path.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json

import openpyxl
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from xl_scorecard.core import rules_document as doc
from xl_scorecard.inputs.rules_workbook import read_value

from conftest import BUNDLED_RULES

VALUE = doc.VALUE_COL


def _export(run_cli, workbook, rules=None):
    code, out, err = run_cli("rules", "export", *(("--rules", rules) if rules else ()),
                             "--to", workbook)
    assert code == 0, err
    return out


def _import(run_cli, workbook):
    code, out, err = run_cli("rules", "import", "--from", workbook)
    return code, out, err


def _row(book, path_text):
    ws = book[doc.SHEET_NAME]
    return next(r for r in range(1, ws.max_row + 1)
                if ws.cell(row=r, column=doc.FIELD_COL).value == path_text)


def _edit(workbook, changes):
    """Change Value cells as an analyst would in Excel: {JSON path: new cell value}."""
    book = openpyxl.load_workbook(workbook)
    for path_text, value in changes.items():
        book[doc.SHEET_NAME].cell(row=_row(book, path_text), column=VALUE).value = value
    book.save(workbook)


def test_the_bundled_rules_round_trip_exactly(run_cli, tmp_path):
    workbook = tmp_path / "card.xlsx"
    assert "sheet 'rules.json'" in _export(run_cli, workbook)
    code, text, err = _import(run_cli, workbook)
    assert code == 0, err
    original = json.loads(BUNDLED_RULES.read_text(encoding="utf-8"))
    assert json.loads(text) == original
    # same keys in the same order and the same number types (30.0 stays 30.0, 10000 stays 10000)
    assert json.dumps(json.loads(text)) == json.dumps(original)


ODD = {
    "$schema": "./xl_scorecard/rules.schema.json",
    "scorecard": {"title": "=HYPERLINK(\"http://x\")", "notes": "two \"quoted\"\nlines",
                  "x-list": ["one", 2, 3.0], "x-extra": {"a.b": [], "c d": {}, "flag": True, "none": None, "e": 1e-7}},
    "indicators": [{"id": "K1", "ref": "012", "name": "Né 10,000", "section": "S", "polarity": "H",
                    "period": "SS", "measure": "percent", "decimals": 1, "source": "+Liberi",
                    "thresholds": [{"from": "2012-04", "target": 85, "floor": None,
                                    "inferred": []}],
                    "x-note": "2015-04"}],
}


def test_odd_documents_round_trip_and_formula_text_stays_text(run_cli, tmp_path, write_json):
    workbook = tmp_path / "odd.xlsx"
    _export(run_cli, workbook, write_json(ODD))
    code, text, err = _import(run_cli, workbook)
    assert code == 0, err
    assert json.dumps(json.loads(text)) == json.dumps(ODD)
    ws = openpyxl.load_workbook(workbook)[doc.SHEET_NAME]
    title = ws.cell(row=_row(ws.parent, "$.scorecard.title"), column=VALUE)
    assert title.data_type == "s" and title.value.startswith("=HYPERLINK")


JSON_LEAF = st.one_of(st.none(), st.booleans(), st.integers(-2 ** 52, 2 ** 52),
                      st.floats(allow_nan=False, allow_infinity=False), st.text(max_size=8))
JSON_DOC = st.recursive(JSON_LEAF, lambda inner: st.one_of(
    st.lists(inner, max_size=3), st.dictionaries(st.text(max_size=6), inner, max_size=3)),
    max_leaves=12)


@settings(max_examples=200, deadline=None)
@given(JSON_DOC)
def test_any_json_document_survives_its_rows(document):
    """flatten -> the Value and Type cells -> read_value -> unflatten gives the document back."""
    rows = [(doc.parse_path(doc.path_text(parts)),
             read_value(doc.cell_value(value), doc.type_of(value)))
            for parts, value in doc.flatten(document)]
    assert json.dumps(doc.unflatten(rows)) == json.dumps(document)


def test_an_edited_target_is_what_the_next_run_uses(run_cli, tmp_path, write_json):
    workbook = tmp_path / "card.xlsx"
    _export(run_cli, workbook)
    _edit(workbook, {"$.indicators[13].thresholds[0].target": 90,      # SCS14: Green -> Amber
                     "$.indicators[15].thresholds[0].floor": None})    # SCS16: no Amber -> Red
    code, out, err = run_cli("results", "--rules", workbook, "--month", "2012-05")
    assert code == 0, err
    from_sheet = pd.read_csv(io.StringIO(out), dtype=str, keep_default_na=False)

    edited = json.loads(BUNDLED_RULES.read_text(encoding="utf-8"))
    edited["indicators"][13]["thresholds"][0]["target"] = 90
    edited["indicators"][15]["thresholds"][0]["floor"] = None
    code, out, err = run_cli("results", "--rules", write_json(edited), "--month", "2012-05")
    from_file = pd.read_csv(io.StringIO(out), dtype=str, keep_default_na=False)
    pd.testing.assert_frame_equal(from_sheet, from_file)
    rags = from_sheet.set_index("id")["rag"]
    assert (rags["SCS14"], rags["SCS16"]) == ("Amber", "Red")


def test_a_month_excel_turned_into_a_date_reads_back_as_the_month(run_cli, tmp_path):
    workbook = tmp_path / "card.xlsx"
    _export(run_cli, workbook)
    _edit(workbook, {"$.indicators[0].thresholds[0].from": dt.datetime(2012, 4, 1)})
    code, text, err = _import(run_cli, workbook)
    assert code == 0, err
    assert json.loads(text)["indicators"][0]["thresholds"][0]["from"] == "2012-04"


@pytest.mark.parametrize("changes, message", [
    pytest.param({"$.indicators[13].thresholds[0].floor": 95},
                 "[rules.json] cell C{row}: $.indicators[13].thresholds[0].floor (SCS14): "
                 "floor 95 is above target 78.8", id="floor-above-target"),
    pytest.param({"$.indicators[13].thresholds[0].target": "85%"},
                 "[rules.json] cell C{row}: $.indicators[13].thresholds[0].target (SCS14): "
                 "'85%' is not a number", id="text-target"),
    pytest.param({"$.indicators[0].polarity": "X"},
                 "[rules.json] cell C{row}: $.indicators[0].polarity (SCS01): 'X' is not "
                 "allowed", id="bad-polarity"),
])
def test_a_bad_edit_is_refused_naming_the_cell_and_the_json_path(run_cli, tmp_path, changes,
                                                                 message):
    workbook = tmp_path / "card.xlsx"
    _export(run_cli, workbook)
    _edit(workbook, changes)
    row = _row(openpyxl.load_workbook(workbook), next(iter(changes)))
    out_file = tmp_path / "back.json"
    for argv in (("rules", "import", "--from", workbook, "--out", out_file),
                 ("results", "--rules", workbook), ("validate", "--rules", workbook)):
        code, out, err = run_cli(*argv)
        assert code == 2 and out == "" and "Traceback" not in err
        assert message.format(row=row) in err, err
        assert err.startswith(f"error: {workbook} [rules.json] cell C{row}: $.indicators")
    assert not out_file.exists()


@pytest.mark.parametrize("damage, message", [
    pytest.param("no-sheet", "has no sheet 'rules.json' holding the rules: write one with "
                 "xl-scorecard rules export", id="no-sheet"),
    pytest.param("bad-path", "cell B5: 'indicators[0]' is not a field path", id="bad-path"),
    pytest.param("bad-type", "cell D5: type 'percent' is not one of text, integer", id="bad-type"),
    pytest.param("gap", "item [1] must come first (list items are numbered 0, 1, 2 ... in order)",
                 id="list-gap"),
    pytest.param("no-header", "has no header row Indicator, Field, Value, Type", id="no-header"),
])
def test_a_damaged_sheet_is_refused(run_cli, tmp_path, damage, message):
    workbook = tmp_path / "card.xlsx"
    _export(run_cli, workbook)
    book = openpyxl.load_workbook(workbook)
    ws = book[doc.SHEET_NAME]
    if damage == "no-sheet":
        ws.title = "old rules"
    elif damage == "bad-path":
        ws.cell(row=5, column=doc.FIELD_COL).value = "indicators[0]"
    elif damage == "bad-type":
        ws.cell(row=5, column=doc.TYPE_COL).value = "percent"
    elif damage == "gap":
        row = _row(book, "$.indicators[0].thresholds[0].target")
        ws.cell(row=row, column=doc.FIELD_COL).value = "$.indicators[0].thresholds[2].target"
    else:
        ws.cell(row=doc.HEADER_ROW, column=doc.FIELD_COL).value = "Path"
    book.save(workbook)
    code, out, err = _import(run_cli, workbook)
    assert code == 2 and out == "" and message in err and "Traceback" not in err


def test_export_keeps_the_other_sheets_and_replaces_its_own(run_cli, tmp_path):
    workbook = tmp_path / "card.xlsx"
    code, _, err = run_cli("build", "--out", workbook)
    assert code == 0, err
    _export(run_cli, workbook)
    _export(run_cli, workbook)
    book = openpyxl.load_workbook(workbook)
    assert book.sheetnames == ["Scorecard", "Summary", "Exceptions", "Trend", "Data", "Rules",
                               doc.SHEET_NAME]
    other = tmp_path / "next.xlsx"
    code, _, err = run_cli("build", "--out", other, "--rules", workbook)  # rules from a workbook
    assert code == 0, err
    code, _, err = run_cli("build", "--out", workbook)  # a rebuild keeps the rules.json sheet
    assert code == 0, err
    assert doc.SHEET_NAME in openpyxl.load_workbook(workbook).sheetnames


def test_export_refuses_bad_rules_and_open_or_wrong_targets(run_cli, tmp_path, write_json):
    workbook = tmp_path / "card.xlsx"
    _export(run_cli, workbook)
    before = hashlib.sha256(workbook.read_bytes()).hexdigest()
    bad = json.loads(BUNDLED_RULES.read_text(encoding="utf-8"))
    bad["indicators"][0]["polarity"] = "X"
    code, _, err = run_cli("rules", "export", "--rules", write_json(bad), "--to", workbook)
    assert code == 2 and "$.indicators[0].polarity (SCS01)" in err
    (tmp_path / f".~lock.{workbook.name}#").write_text("x")
    code, _, err = run_cli("rules", "export", "--to", workbook)
    assert code == 2 and "is open in Excel or LibreOffice" in err
    assert hashlib.sha256(workbook.read_bytes()).hexdigest() == before
    code, _, err = run_cli("rules", "export", "--to", tmp_path / "rules.csv")
    assert code == 2 and "ending in .xlsx" in err


# --------------------------------------------------------------------------- the refresh macro


@pytest.fixture
def carrying_workbook(run_cli, tmp_path):
    """A built workbook carrying its rules, SCS14's target edited to 90 in the rules.json sheet."""
    workbook = tmp_path / "carrying.xlsx"
    assert run_cli("build", "--out", workbook)[0] == 0
    _export(run_cli, workbook)
    _edit(workbook, {"$.indicators[13].thresholds[0].target": 90})
    return workbook


def _remote_book(path):
    xw = pytest.importorskip("xlwings")
    if not getattr(xw, "__pro__", False):
        pytest.skip("xlwings' remote engine needs XLWINGS_LICENSE_KEY at import")
    from test_macros import payload_from

    return xw.Book(json=payload_from(path))


def test_refresh_reads_rules_from_the_workbook_alone(carrying_workbook, monkeypatch, tmp_path):
    """No rules file reachable (as in xlwings Lite): the rules.json sheet is used, edits and all."""
    from xl_scorecard.excel import macros
    from xl_scorecard.layout.scorecard import HEADER_ROW, ID_COL, RAG

    from test_macros import written_sheets

    monkeypatch.setenv("XL_SCORECARD_RULES", str(tmp_path / "nowhere" / "rules.json"))
    book = _remote_book(carrying_workbook)
    assert macros.refresh(book) == "May 2012: 15 Green, 17 Amber, 12 Red"
    scorecard = written_sheets(book)["Scorecard"]
    rows = {scorecard[(r, ID_COL)]: r for (r, c) in scorecard if c == ID_COL and r > HEADER_ROW}
    assert scorecard[(rows["SCS14"], RAG)] == "Amber"
    assert macros.validate_rules(_remote_book(carrying_workbook)) == "valid"


def test_check_rules_names_the_cell_of_a_bad_edit(carrying_workbook):
    from xl_scorecard.excel import macros

    from test_macros import written_sheets

    _edit(carrying_workbook, {"$.indicators[13].thresholds[0].floor": 95})
    row = _row(openpyxl.load_workbook(carrying_workbook), "$.indicators[13].thresholds[0].floor")
    book = _remote_book(carrying_workbook)
    assert macros.validate_rules(book) == "1 problem(s)"
    check = written_sheets(book)["Rules check"]
    assert check[(2, 1)] == (f"workbook Scorecard.xlsx [rules.json] cell C{row}: "
                             "$.indicators[13].thresholds[0].floor (SCS14)")
    assert "floor 95 is above target 90" in check[(2, 2)]
    refused = _remote_book(carrying_workbook)
    assert f"cell C{row}" in macros.refresh(refused)
    assert [a["func"] for a in refused.json()["actions"]] == ["alert"]

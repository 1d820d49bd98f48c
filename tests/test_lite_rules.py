"""The workbook's own rules for the KPI_* functions: the rules argument (ScorecardRules).

Through xlwings' server machinery (as xlwings Lite runs main.py): the functions given the
rules.json sheet's cells, and the refresh, follow a target edited in that sheet and equal
`xl-scorecard results` for those rules. In-process: the argument's parsing, caching and messages,
and that under Lite nothing falls back to the bundled sample.
"""

from __future__ import annotations

import copy
import json

import openpyxl
import pytest

from conftest import BUNDLED_DATA, BUNDLED_RULES, REPO_ROOT
from test_lite import LITE, _run, _written

from xl_scorecard.core import rules_document as doc
from xl_scorecard.excel import functions as sheetfuncs
from xl_scorecard.excel import rules_argument
from xl_scorecard.excel.functions import EXCEL_NAMES

EDITED = "$.indicators[13].thresholds[0].target"  # SCS14, 78.8 in the bundled rules


SERVER = r"""
import asyncio, importlib.util, json, sys
import xlwings as xw, xlwings.server as server
spec = importlib.util.spec_from_file_location("main", sys.argv[1])
main = importlib.util.module_from_spec(spec)
spec.loader.exec_module(main)
payload = json.load(open(sys.argv[2], encoding="utf-8"))
calls = json.load(open(sys.argv[3], encoding="utf-8"))
base = {"client": "Office.js", "version": xw.__version__, "runtime": "1.4",
        "caller_address": "[Scorecard.xlsx]Scorecard!F5"}
functions = {label: asyncio.run(server.custom_functions_call(
                 dict(base, func_name=name, args=args), main)) for label, name, args in calls}
book = xw.Book(json=payload)
asyncio.run(server.custom_scripts_call(main, "refresh_scorecard", typehint_to_value={xw.Book: book}))
print(json.dumps({"functions": functions,
                  "book": {"sheets": [s.name for s in book.sheets], "actions": book.json()["actions"]}}))
"""


def _exported(run_cli, tmp_path):
    workbook = tmp_path / "carrying.xlsx"
    assert run_cli("build", "--out", workbook)[0] == 0
    assert run_cli("rules", "export", "--to", workbook)[0] == 0
    return workbook


def _rules_range(workbook) -> list[list]:
    """The cells ScorecardRules names, as Office.js sends a range (blanks as "")."""
    book = openpyxl.load_workbook(workbook)
    sheet_name, ref = next(iter(book.defined_names[doc.RANGE_NAME].destinations))
    return [["" if c.value is None else c.value for c in row] for row in book[sheet_name][ref]]


def _row_of(cells, path) -> int:
    return next(i for i, row in enumerate(cells) if row[doc.FIELD_COL - 1] == path)


def _results(run_cli, tmp_path, document) -> dict:
    """`xl-scorecard results` for a rules document: {id: row}."""
    path = tmp_path / f"rules-{len(list(tmp_path.iterdir()))}.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    code, out, err = run_cli("results", "--rules", path, "--data", BUNDLED_DATA,
                             "--month", "2012-05", "--format", "json")
    assert code == 0, err
    return {r["id"]: r for r in json.loads(out)["indicators"]}


def _column(values) -> list[list]:
    return [["" if v is None else v] for v in values]


def test_functions_and_refresh_follow_a_target_edited_in_the_rules_sheet(run_cli, tmp_path):
    pytest.importorskip("xlwings")
    from test_macros import payload_from
    from xl_scorecard.layout.scorecard import HEADER_ROW, ID_COL, RAG

    workbook = _exported(run_cli, tmp_path)
    original = _rules_range(workbook)
    assert original[doc.HEADER_ROW - 1] == list(doc.HEADER)
    assert _row_of(original, "$.indicators[43].thresholds[0].target")  # it reaches the last row
    edited = copy.deepcopy(original)
    edited[_row_of(edited, EDITED)][doc.VALUE_COL - 1] = 90  # the analyst types 90 over 78.8

    document = json.loads(BUNDLED_RULES.read_text(encoding="utf-8"))
    before = _results(run_cli, tmp_path, document)
    document["indicators"][13]["thresholds"][0]["target"] = 90
    after = _results(run_cli, tmp_path, document)
    assert (before["SCS14"]["rag"], after["SCS14"]["rag"]) == ("Green", "Amber")

    ids = list(after)
    values = _column(after[i]["value"] for i in ids)
    previous = _column(after[i]["previous"] for i in ids)
    calls = [("rag before", "kpi_rag", [values, _column(ids), None, None, original]),
             ("rag after", "kpi_rag", [values, _column(ids), None, None, edited]),
             ("dot after", "kpi_dot", [values, previous, _column(ids), None, None, edited]),
             ("target after", "kpi_target", [[["SCS14"]], None, edited]),
             ("floor after", "kpi_floor", [[["SCS14"]], None, edited]),
             ("value after", "kpi_value", [[[after["SCS14"]["numerator"]]],
                                           [[after["SCS14"]["denominator"]]], [["SCS14"]], edited]),
             ("range after", "kpi_range", [values, _column(ids), None, edited]),
             ("no rules", "kpi_rag", [[[84.9]], [["SCS14"]], None, None, None])]
    payload = payload_from(workbook)
    sheet = next(s for s in payload["sheets"] if s["name"] == doc.SHEET_NAME)
    sheet["values"][_row_of(sheet["values"], EDITED)][doc.VALUE_COL - 1] = 90
    (tmp_path / "payload.json").write_text(json.dumps(payload), encoding="utf-8")
    (tmp_path / "calls.json").write_text(json.dumps(calls), encoding="utf-8")

    result = _run(SERVER, LITE / "main.py", tmp_path / "payload.json", tmp_path / "calls.json")
    got = {label: [row[0] for row in cells] for label, cells in result["functions"].items()}
    assert got["rag before"] == [before[i]["rag"] or "" for i in ids]
    assert got["rag after"] == [after[i]["rag"] or "" for i in ids]
    assert got["rag before"] != got["rag after"]
    assert got["dot after"] == [after[i]["dot_previous"] or "" for i in ids]
    assert got["range after"] == [after[i]["range_status"] or "" for i in ids]
    assert got["target after"] == [90]
    assert got["floor after"] == [after["SCS14"]["floor"]]
    assert got["value after"] == [pytest.approx(after["SCS14"]["value"], rel=1e-15)]
    assert got["no rules"] == [f"KPI_RAG: {rules_argument.NO_RULES}"]  # never the sample's

    scorecard = _written(result["book"])["Scorecard"]
    rows = {scorecard[(r, ID_COL)]: r for (r, c) in scorecard if c == ID_COL and r > HEADER_ROW}
    refreshed = {ident: scorecard[(row, RAG)] or "" for ident, row in rows.items() if ident}
    assert refreshed == {i: after[i]["rag"] or "" for i in ids}


# ------------------------------------------------------------------ the argument in-process

@pytest.fixture(scope="module")
def sheet_cells(tmp_path_factory):
    from xl_scorecard import cli
    import io

    workbook = tmp_path_factory.mktemp("rules") / "card.xlsx"
    assert cli.run(["rules", "export", "--to", str(workbook)], io.StringIO(), io.StringIO()) == 0
    return _rules_range(workbook)


def _with(cells, path, value):
    changed = copy.deepcopy(cells)
    changed[_row_of(changed, path)][doc.VALUE_COL - 1] = value
    return changed


def test_the_same_cells_are_parsed_once(sheet_cells):
    first = rules_argument.rules_from_range(sheet_cells)
    assert rules_argument.rules_from_range(copy.deepcopy(sheet_cells)) is first
    edited = rules_argument.rules_from_range(_with(sheet_cells, EDITED, 90))
    assert edited is not first and edited["SCS14"].thresholds[0].target == 90
    assert first["SCS14"].thresholds[0].target == 78.8


def test_a_from_month_excel_made_a_date_arrives_as_a_serial_and_reads_back(sheet_cells):
    """Typing 2012-04 over a 'from' cell makes it a date; Office.js sends its serial number."""
    path = "$.indicators[13].thresholds[0].from"
    assert sheet_cells[_row_of(sheet_cells, path)][doc.VALUE_COL - 1] == "2012-04"
    serial = rules_argument.rules_from_range(_with(sheet_cells, path, 41000.0))  # 1 Apr 2012
    assert serial["SCS14"].thresholds[0] == rules_argument.rules_from_range(sheet_cells)["SCS14"].thresholds[0]
    message = sheetfuncs.kpi_target("SCS14", rules=_with(sheet_cells, path, -5))
    assert message.startswith(f"KPI_TARGET: rules.json!C{_row_of(sheet_cells, path) + 1} {path}")


def test_a_defined_range_with_the_bundled_rules_answers_as_the_file_does(sheet_cells):
    ids = [[i] for i in ("SCS01", "SCS02", "SCS14", "SCS44")]
    values = [[66.0], [468.8], [84.9], [17.2]]
    assert sheetfuncs.kpi_rag(values, ids, rules=sheet_cells) == sheetfuncs.kpi_rag(values, ids)
    assert sheetfuncs.kpi_target(ids, rules=sheet_cells) == sheetfuncs.kpi_target(ids)
    numbers = ([[5.0], [6.0], [7.0]], [[10.0], [10.0], [10.0]], [["2012-03"], ["2012-04"], ["2012-05"]])
    assert (sheetfuncs.kpi_period(*numbers, "SCS02", rules=sheet_cells)
            == sheetfuncs.kpi_period(*numbers, "SCS02"))


MALFORMED = [
    ("one cell", lambda cells: "ScorecardRules",
     "KPI_TARGET: rules must be the rules.json sheet's range (ScorecardRules), not one cell"),
    ("three columns", lambda cells: [row[:3] for row in cells],
     "KPI_TARGET: rules must span the rules.json sheet's columns A to D (ScorecardRules); this "
     "range has 3"),
    ("no header", lambda cells: cells[doc.HEADER_ROW:],
     "KPI_TARGET: rules.json: has no header row Indicator, Field, Value, Type: write the sheet "
     "again with xl-scorecard rules export"),
    ("a word for a target", lambda cells: _with(cells, EDITED, "ninety"),
     "KPI_TARGET: rules.json!C{row} $.indicators[13].thresholds[0].target: "),
    ("a bad type", lambda cells: [r if r[1] != EDITED else [*r[:3], "numeric"] for r in cells],
     "KPI_TARGET: rules.json!D{row}: type 'numeric' is not one of text, integer, number, "
     "boolean, null, list, object"),
    ("a polarity removed", lambda cells: _with(cells, "$.indicators[13].polarity", ""),
     "KPI_TARGET: rules.json!C{polarity_row} $.indicators[13].polarity: "),
]


@pytest.mark.parametrize("case, spoil, expected", MALFORMED, ids=[m[0] for m in MALFORMED])
def test_a_malformed_rules_range_is_one_short_message_naming_the_cell(sheet_cells, case, spoil,
                                                                      expected):
    expected = expected.format(row=_row_of(sheet_cells, EDITED) + 1,
                               polarity_row=_row_of(sheet_cells, "$.indicators[13].polarity") + 1)
    message = sheetfuncs.kpi_target("SCS14", rules=spoil(sheet_cells))
    assert isinstance(message, str) and message.startswith(expected), message
    assert len(message) <= 160 and "\n" not in message


def test_kpi_rag_says_what_rag_says_about_decimals_none_whole(sheet_cells):
    """"none" typed over a decimals cell: =RAG() takes it, rules.json does not; KPI_RAG's cell
    message points to rag_basis, unshortened, as RAG's own message names "none"."""
    path = "$.indicators[0].decimals"
    message = sheetfuncs.kpi_rag(84.95, "SCS01", rules=_with(sheet_cells, path, "none"))
    assert message == (f"KPI_RAG: rules.json!C{_row_of(sheet_cells, path) + 1} {path}: 'none' is not "
                       'a whole number from 0 to 6; to rate the value unrounded, set "rag_basis": '
                       '"unrounded"')
    assert '"none"' in sheetfuncs.rag(84.95, 85, 80, "H", "nine")


def test_under_lite_no_rules_is_a_message_never_the_sample(monkeypatch, sheet_cells):
    monkeypatch.setattr(rules_argument, "_WORKBOOK_RULES_ONLY", True)
    monkeypatch.setenv("XL_SCORECARD_RULES", str(BUNDLED_RULES))  # even a file that is there
    for name, function in EXCEL_NAMES.items():
        if "rules" not in function.__code__.co_varnames:
            continue
        args = {"kpi_period": ([[1.0]], [[2.0]], [["2012-05"]], "SCS02"),
                "kpi_value": (1.0, 2.0, "SCS02"), "kpi_dot": (1.0, 2.0, "SCS02"),
                "kpi_target": ("SCS02",), "kpi_floor": ("SCS02",)}.get(function.__name__,
                                                                          (1.0, "SCS02"))
        message = function(*args)
        assert message.startswith(f"{name}: no rules: give the rules.json sheet's range"), name
        assert function(*args, rules=sheet_cells) != message, name


def test_every_kpi_function_taking_an_indicator_takes_the_rules_last():
    for name, function in EXCEL_NAMES.items():
        params = function.__code__.co_varnames[:function.__code__.co_argcount]
        if "indicator_id" in params:
            assert params[-1] == "rules" and function.__defaults__[-1] is None, name


def test_under_lite_a_workbook_without_the_rules_sheet_is_an_alert(monkeypatch, tmp_path, run_cli):
    pytest.importorskip("xlwings")
    import xlwings as xw
    from test_macros import payload_from
    from xl_scorecard.excel import macros

    workbook = tmp_path / "plain.xlsx"
    assert run_cli("build", "--out", workbook)[0] == 0
    monkeypatch.setattr(rules_argument, "_WORKBOOK_RULES_ONLY", True)
    book = xw.Book(json=payload_from(workbook))
    message = macros.refresh(book)
    assert "has no sheet 'rules.json' holding the rules, and xlwings Lite cannot read" in message
    assert not [a for a in book.json()["actions"] if a["func"] == "setValues"]


def test_the_refresh_reads_a_from_month_sent_as_a_date_serial(tmp_path, run_cli):
    """Office.js sends the rules.json sheet's dates as serial numbers to the macros too."""
    pytest.importorskip("xlwings")
    import xlwings as xw
    from test_macros import payload_from
    from xl_scorecard.excel import macros

    payload = payload_from(_exported(run_cli, tmp_path))
    sheet = next(s for s in payload["sheets"] if s["name"] == doc.SHEET_NAME)
    for row in sheet["values"]:
        if str(row[doc.FIELD_COL - 1]).endswith(".from"):
            row[doc.VALUE_COL - 1] = 41000.0  # 1 April 2012, as Excel holds a date
    assert macros.validate_rules(xw.Book(json=payload)) == "valid"
    assert macros.refresh(xw.Book(json=payload)) == "May 2012: 16 Green, 16 Amber, 12 Red"


MISSING = r"""
import importlib.util, sys
sys.modules["xl_scorecard"] = None  # as in an xlwings Lite whose requirements lack it
spec = importlib.util.spec_from_file_location("main", sys.argv[1])
try:
    spec.loader.exec_module(importlib.util.module_from_spec(spec))
except ImportError as exc:
    print(__import__("json").dumps({"message": str(exc)}))
"""


def test_main_py_says_what_to_do_when_xl_scorecard_is_not_installed():
    message = _run(MISSING, LITE / "main.py")["message"]
    assert message.startswith("xl_scorecard is not installed in xlwings Lite: in the "
                              "requirements.txt tab, replace the REPLACE-ME line")
    assert (REPO_ROOT / "docs" / "excel-routes.md").read_text(encoding="utf-8").count("REPLACE-ME")

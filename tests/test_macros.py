"""The macros, run against xlwings' real remote-engine Book (the engine behind Office.js).

A Book is made from the JSON payload Excel's xlwings client sends: here, the
sheets of a headlessly built workbook. xlwings' remote engine records what a
macro writes as actions; the tests replay the ``setValues`` actions to see
the sheets as Excel would, and compare them with the headless workbook.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import subprocess
import sys
import textwrap

import openpyxl
import pytest

xw = pytest.importorskip("xlwings")

from xl_scorecard import load_data, load_rules
from xl_scorecard.excel import macros  # noqa: E402
from xl_scorecard.core.month_report import compute_report  # noqa: E402
from xl_scorecard.layout.scorecard import COMMENTARY_COL, HEADER_ROW, HEADERS, ID_COL  # noqa: E402

from conftest import BUNDLED_DATA, BUNDLED_RULES, REPO_ROOT  # noqa: E402

SYNTHETIC = REPO_ROOT / "workbooks" / "synthetic_kent_scs_2012-2014.csv"
TEMPLATE = REPO_ROOT / "workbooks" / "scorecard-template.xlsx"

if not getattr(xw, "__pro__", False):
    pytest.skip("xlwings' remote engine needs XLWINGS_LICENSE_KEY at import", allow_module_level=True)


def _cell(value):
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    return value


def payload_from(path, data_rows=None, month="2012-05", conf=None) -> dict:
    """The JSON an Office.js client would send for the workbook at ``path``."""
    book = openpyxl.load_workbook(path)
    sheets = []
    for ws in book.worksheets:
        values = [[_cell(v) for v in row] for row in ws.iter_rows(values_only=True)]
        if ws.title == "Scorecard":
            values[2][1] = month
        if ws.title == "Data" and data_rows is not None:
            values = data_rows
        if ws.title == "xlwings.conf" and conf is not None:
            values = [list(r) for r in conf.items()]
        sheets.append({"name": ws.title, "values": values or [[None]], "pictures": [], "tables": []})
    scorecard_index = book.sheetnames.index("Scorecard")
    return {
        "client": "Office.js", "version": xw.__version__,
        "book": {"name": "Scorecard.xlsx", "active_sheet_index": 0, "selection": "A1"},
        "names": [{"name": "ReportMonth", "sheet_index": scorecard_index, "address": "B3",
                   "book_scope": True, "scope_sheet_name": None, "scope_sheet_index": None}],
        "sheets": sheets,
    }


def csv_rows(path) -> list[list]:
    import csv

    with open(path, encoding="utf-8") as handle:
        rows = list(csv.reader(handle))
    return [rows[0]] + [[r[0], r[1]] + [float(x) if x else None for x in r[2:]] for r in rows[1:]]


def written_sheets(book) -> dict[str, dict[tuple[int, int], object]]:
    """Replay setValues actions: {sheet name: {(row, col): value}} (1-based)."""
    names = [s.name for s in book.sheets]
    out: dict[str, dict] = {}
    for action in book.json()["actions"]:
        if action["func"] == "addSheet":
            names.insert(action["args"][0], action["args"][1])
        if action["func"] != "setValues":
            continue
        cells = out.setdefault(names[action["sheet_position"]], {})
        for i, row in enumerate(action["values"]):
            for j, value in enumerate(row):
                if isinstance(value, str) and value.startswith("'"):
                    value = value[1:]  # Excel's text prefix: the cell shows the text without it
                cells[(action["start_row"] + i + 1, action["start_column"] + j + 1)] = value
    return out


def actions(book, func):
    return [a for a in book.json()["actions"] if a["func"] == func]


@pytest.fixture(scope="module")
def template_book():
    return xw.Book(json=payload_from(TEMPLATE))


def test_refresh_writes_what_the_headless_build_writes(template_book):
    """One computation, two faces: the macro's Scorecard equals the headless workbook's."""
    book = xw.Book(json=payload_from(TEMPLATE))
    assert macros.refresh(book) == "May 2012: 16 Green, 16 Amber, 12 Red"
    written = written_sheets(book)
    headless = openpyxl.load_workbook(TEMPLATE)
    for name in ("Scorecard", "Summary", "Exceptions"):
        ws = headless[name]
        expected = {(c.row, c.column): c.value for row in ws.iter_rows() for c in row
                    if c.value is not None}
        got = {k: v for k, v in written[name].items() if v not in (None, "")}
        assert got.keys() == expected.keys(), name
        for key, value in expected.items():
            if isinstance(value, float):  # openpyxl stores 16-17 significant digits
                assert got[key] == pytest.approx(value, rel=1e-15), (name, key)
            else:
                assert got[key] == value, (name, key)


def test_refresh_ratings_equal_the_engine(template_book):
    book = xw.Book(json=payload_from(TEMPLATE))
    macros.refresh(book)
    scorecard = written_sheets(book)["Scorecard"]
    rows = {scorecard[(r, ID_COL)]: r for (r, c) in scorecard if c == ID_COL and r > HEADER_ROW}
    rules = load_rules(BUNDLED_RULES)
    results = compute_report(rules, load_data(BUNDLED_DATA, rules), "2012-05").results
    rag_col, dot_col = HEADERS.index("RAG") + 1, HEADERS.index("DoT Previous") + 1
    for r in results.itertuples():
        assert scorecard[(rows[r.id], rag_col)] == r.rag
        assert (scorecard[(rows[r.id], dot_col)] or "") == r.dot_previous
    red_fills = [a for a in actions(book, "setRangeColor") if a["args"] == ["#FF0000"]
                 and a["sheet_position"] == 1 and a["start_column"] == rag_col - 1]
    assert len(red_fills) == 12


def test_refresh_keeps_commentary_typed_in_the_workbook():
    payload = payload_from(TEMPLATE)
    scorecard = next(s for s in payload["sheets"] if s["name"] == "Scorecard")
    row = next(i for i, r in enumerate(scorecard["values"]) if len(r) >= ID_COL and r[ID_COL - 1] == "SCS20")
    scorecard["values"][row][COMMENTARY_COL - 1] = "Audits re-sampled; see note 4."
    book = xw.Book(json=payload)
    macros.refresh(book)
    written = written_sheets(book)["Scorecard"]
    assert written[(row + 1, COMMENTARY_COL)] == "Audits re-sampled; see note 4."


def test_refresh_of_a_scorecard_without_its_header_row_is_an_alert_and_writes_nothing():
    """Commentary under a renamed header could not be matched: refused, as the build refuses."""
    payload = payload_from(TEMPLATE)
    scorecard = next(s for s in payload["sheets"] if s["name"] == "Scorecard")
    scorecard["values"][HEADER_ROW - 1][COMMENTARY_COL - 1] = "Comments"
    scorecard["values"][HEADER_ROW + 1][COMMENTARY_COL - 1] = "A note the analyst typed."
    book = xw.Book(json=payload)
    message = macros.refresh(book)
    assert "Scorecard" in message and "has no header row labelled ID and Commentary" in message
    assert [a["func"] for a in book.json()["actions"]] == ["alert"]


def test_roll_forward_writes_the_next_month_and_recomputes():
    book = xw.Book(json=payload_from(TEMPLATE, data_rows=csv_rows(SYNTHETIC), month="2013-01"))
    rules = load_rules(BUNDLED_RULES)
    feb = compute_report(rules, load_data(SYNTHETIC, rules), "2013-02").summary
    assert macros.roll_forward(book) == f"February 2013: {feb.green} Green, {feb.amber} Amber, {feb.red} Red"
    written = written_sheets(book)["Scorecard"]
    assert written[(3, 2)] == "2013-02"


def test_bad_data_is_an_alert_and_nothing_is_written():
    rows = csv_rows(BUNDLED_DATA)
    rows[5][0] = "SCS99"
    book = xw.Book(json=payload_from(TEMPLATE, data_rows=rows))
    message = macros.refresh(book)
    assert "sheet 'Data': row 6, column 'indicator'" in message and "SCS99" in message
    assert [a["func"] for a in book.json()["actions"]] == ["alert"]


def test_a_report_month_that_is_not_a_month_is_an_alert():
    book = xw.Book(json=payload_from(TEMPLATE, month="May"))
    message = macros.refresh(book)
    assert "ReportMonth" in message and "YYYY-MM" in message
    assert [a["func"] for a in book.json()["actions"]] == ["alert"]


def test_report_month_as_an_excel_date_serial():
    book = xw.Book(json=payload_from(TEMPLATE, month=41044))  # 16 May 2012
    assert macros.refresh(book).startswith("May 2012")


def test_validate_lists_rule_problems_in_a_sheet(tmp_path, monkeypatch):
    bad = json.loads(BUNDLED_RULES.read_text(encoding="utf-8"))
    bad["indicators"][3]["thresholds"][0]["floor"] = 99999
    bad["indicators"][19]["polarity"] = "X"
    path = tmp_path / "rules.json"
    path.write_text(json.dumps(bad), encoding="utf-8")
    monkeypatch.setenv("XL_SCORECARD_RULES_DIRS", str(tmp_path))  # the server allows this folder
    book = xw.Book(json=payload_from(TEMPLATE, conf={"SCORECARD_RULES": str(path)}))
    assert macros.validate_rules(book) == "2 problem(s)"
    check = written_sheets(book)["Rules check"]
    assert check[(1, 1)] == "Where"
    assert "$.indicators[3].thresholds[0] (SCS04)" in check[(2, 1)]  # a floor on a T indicator
    assert "not a floor" in check[(2, 2)]
    assert "$.indicators[19].polarity (SCS20)" in check[(3, 1)]
    assert [a["args"][1] for a in actions(book, "addSheet")] == ["Rules check"]


def test_validate_reports_valid_rules(template_book):
    book = xw.Book(json=payload_from(TEMPLATE))
    assert macros.validate_rules(book) == "valid"


def test_scripts_run_through_xlwings_server_machinery(tmp_path):
    """@xw.script entry points, called the way xlwings Server calls them (Office.js)."""
    payload = tmp_path / "payload.json"
    payload.write_text(json.dumps(payload_from(TEMPLATE)), encoding="utf-8")
    program = textwrap.dedent(f"""
        import asyncio, json, os
        os.environ["XLWINGS_LICENSE_KEY"] = "noncommercial"
        os.environ["XLWINGS_ON_SERVER"] = "true"
        import xlwings as xw, xlwings.server as server
        from xl_scorecard.excel import scripts
        meta = server.custom_scripts_meta(scripts)
        book = xw.Book(json=json.load(open({str(payload)!r}, encoding="utf-8")))
        asyncio.run(server.custom_scripts_call(scripts, "refresh_scorecard",
                                               typehint_to_value={{xw.Book: book}}))
        funcs = [a["func"] for a in book.json()["actions"]]
        print(json.dumps({{"scripts": sorted(m["function_name"] for m in meta),
                          "set_values": funcs.count("setValues")}}))
    """)
    done = subprocess.run([sys.executable, "-c", program], capture_output=True, text=True, timeout=120,
                          cwd=REPO_ROOT)
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout.strip().splitlines()[-1])
    assert result["scripts"] == ["check_rules", "fill_scorecard", "refresh_scorecard", "roll_forward"]
    assert result["set_values"] == 3


def test_template_carries_settings_and_the_named_month():
    book = openpyxl.load_workbook(TEMPLATE)
    conf = {r[0]: r[1] for r in book["xlwings.conf"].iter_rows(values_only=True)}
    assert conf["UDF Modules"] == "xl_scorecard.udfs"
    assert "SCORECARD_RULES" in conf
    assert book.defined_names["ReportMonth"].attr_text == "'Scorecard'!$B$3"


def test_template_generator_reproduces_the_committed_template(tmp_path):
    import importlib.util

    spec = importlib.util.spec_from_file_location("make_template", REPO_ROOT / "workbooks" / "make_template.py")
    gen = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(gen)
    gen.main(tmp_path / "t.xlsx")
    fresh, committed = openpyxl.load_workbook(tmp_path / "t.xlsx"), openpyxl.load_workbook(TEMPLATE)
    assert fresh.sheetnames == committed.sheetnames
    for name in fresh.sheetnames:
        assert list(fresh[name].values) == list(committed[name].values), name


# --------------------------------------------------------------------------- fill, live and headless

def _analyst_payload(path, data=True) -> dict:
    """What Office.js sends for the analyst's own workbook (with a Data sheet pasted in)."""
    book = openpyxl.load_workbook(path)
    sheets = [{"name": ws.title, "values": [[_cell(v) for v in row] for row in
                                            ws.iter_rows(values_only=True)] or [[None]],
               "pictures": [], "tables": []} for ws in book.worksheets]
    if data:
        sheets.append({"name": "Data", "values": csv_rows(BUNDLED_DATA), "pictures": [],
                       "tables": []})
    return {"client": "Office.js", "version": xw.__version__,
            "book": {"name": path.name, "active_sheet_index": 0, "selection": "A1"},
            "names": [], "sheets": sheets}


def test_fill_macro_writes_the_cells_the_headless_fill_writes(tmp_path):
    from xl_scorecard import cli
    from fill_workbooks import analyst_workbook

    path = analyst_workbook(tmp_path / "own.xlsx", formula=False)
    book = xw.Book(json=_analyst_payload(path))
    assert macros.fill(book) == "May 2012: wrote 397 cell(s) of sheet 'Scorecard'"
    live = written_sheets(book)["Scorecard"]
    assert cli.run(["fill", "--workbook", str(path)], stdout=io.StringIO(),
                   stderr=io.StringIO()) == 0
    headless = openpyxl.load_workbook(path)["Scorecard"]
    assert len(live) == 397
    for (row, col), value in live.items():
        value = None if value == "" else value  # Office.js empties a cell given ""
        assert headless.cell(row, col).value == value, (row, col)
    assert live[(9, 6)] == "Red" and live[(3, 2)] == "May 2012"


def test_fill_macro_with_a_bad_map_is_an_alert_and_writes_nothing(tmp_path, monkeypatch):
    from fill_workbooks import analyst_workbook

    monkeypatch.setenv("XL_SCORECARD_RULES_DIRS", str(tmp_path))  # a remote book has no folder

    rules = json.loads(BUNDLED_RULES.read_text(encoding="utf-8"))
    rules["workbook"] = {"sheet": "Scorecard", "header_row": 5, "match": {"ref": "A"},
                         "columns": {"rag": "Q"}}
    rules_path = tmp_path / "rules.json"
    rules_path.write_text(json.dumps(rules), encoding="utf-8")
    payload = _analyst_payload(analyst_workbook(tmp_path / "own.xlsx"))
    payload["sheets"].append({"name": "xlwings.conf", "values": [["SCORECARD_RULES", str(rules_path)]],
                              "pictures": [], "tables": []})
    book = xw.Book(json=payload)
    message = macros.fill(book)
    assert (f"{rules_path}: $.workbook.columns.rag: workbook {book.name} [Scorecard] cell Q5: "
            "column Q does not exist") in message
    assert [a["func"] for a in book.json()["actions"]] == ["alert"]


def test_fill_macro_without_a_data_sheet_is_an_alert(tmp_path):
    from fill_workbooks import analyst_workbook

    book = xw.Book(json=_analyst_payload(analyst_workbook(tmp_path / "own.xlsx"), data=False))
    message = macros.fill(book)
    assert "has no sheet 'Data'" in message
    assert [a["func"] for a in book.json()["actions"]] == ["alert"]

"""workbooks/scorecard-template.xlsx is ready for xlwings Lite: it carries the bundled rules in
its rules.json sheet, with the ScorecardRules name over those cells, and main.py refreshes it and
answers the KPI_* functions from those cells alone (no rules file anywhere)."""

from __future__ import annotations

import json

import openpyxl
import pytest

from conftest import BUNDLED_DATA, BUNDLED_RULES, REPO_ROOT
from test_lite import LITE, _run, _written
from test_lite_rules import SERVER, _column, _rules_range

from xl_scorecard.core import rules_document as doc
from xl_scorecard.inputs.rules_workbook import document_from_workbook

TEMPLATE = REPO_ROOT / "workbooks" / "scorecard-template.xlsx"


def test_the_template_carries_the_bundled_rules_and_their_name():
    document, _ = document_from_workbook(TEMPLATE)
    assert document == json.loads(BUNDLED_RULES.read_text(encoding="utf-8"))
    book = openpyxl.load_workbook(TEMPLATE)
    [(sheet, ref)] = list(book.defined_names[doc.RANGE_NAME].destinations)
    assert sheet == doc.SHEET_NAME and ref == f"$A$1:$D${book[doc.SHEET_NAME].max_row}"
    readme = " ".join(str(r[0]) for r in book["ReadMe"].iter_rows(values_only=True) if r[0])
    assert "xlwings Lite" in readme and "ScorecardRules" in readme and "REPLACE-ME" in readme
    # every ReadMe line is text: one starting with "=" would be a broken formula
    assert all(c.data_type == "s" for c in book["ReadMe"]["A"] if c.value is not None)


def test_main_py_refreshes_the_template_and_answers_from_its_rules_alone(run_cli, tmp_path):
    pytest.importorskip("xlwings")
    from test_macros import payload_from
    from xl_scorecard.layout.scorecard import HEADER_ROW, ID_COL, RAG

    code, out, err = run_cli("results", "--rules", BUNDLED_RULES, "--data", BUNDLED_DATA,
                             "--month", "2012-05", "--format", "json")
    assert code == 0, err
    expected = {r["id"]: r for r in json.loads(out)["indicators"]}
    ids = list(expected)
    calls = [("rag", "kpi_rag", [_column(expected[i]["value"] for i in ids), _column(ids),
                                 None, None, _rules_range(TEMPLATE)])]
    (tmp_path / "payload.json").write_text(json.dumps(payload_from(TEMPLATE)), encoding="utf-8")
    (tmp_path / "calls.json").write_text(json.dumps(calls), encoding="utf-8")
    result = _run(SERVER, LITE / "main.py", tmp_path / "payload.json", tmp_path / "calls.json")
    assert [row[0] for row in result["functions"]["rag"]] == [expected[i]["rag"] or "" for i in ids]
    scorecard = _written(result["book"])["Scorecard"]
    rows = {scorecard[(r, ID_COL)]: r for (r, c) in scorecard if c == ID_COL and r > HEADER_ROW}
    assert {i: scorecard[(r, RAG)] or "" for i, r in rows.items() if i} == {
        i: expected[i]["rag"] or "" for i in ids}

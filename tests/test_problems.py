"""Problems carry their location as data: each field renders into the one-line message, and
``--errors json`` hands the same fields to a program on stderr, with the exit code unchanged."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from xl_scorecard.core.errors import DataError, Problem, RulesError
from xl_scorecard.inputs.data import check_table, load_data
from xl_scorecard.inputs.rules_file import load_rules, rules_from_dict

HEADER = "indicator,period,numerator,denominator,value\n"


@pytest.fixture
def rules_file(write_json, make_document, make_indicator):
    """K1: H percent (target 85, floor 76.5)."""
    return write_json(make_document(make_indicator()))

# (fields, the one line it prints as)
RENDERINGS = [
    ({"message": "m"}, "m"),
    ({"file": "d.csv", "message": "file not found"}, "d.csv: file not found"),
    ({"file": "d.csv", "row": 4, "message": "m"}, "d.csv: row 4: m"),
    ({"file": "d.csv", "row": 4, "column": "period", "message": "m"}, "d.csv: row 4, column 'period': m"),
    ({"file": "d.csv", "column": "period", "message": "m"}, "d.csv: column 'period': m"),
    ({"file": "d.csv", "row": 4, "column": ("indicator", "period"), "indicator": "K1",
      "month": "2012-05", "message": "m"}, "d.csv: row 4, columns 'indicator' and 'period': m"),
    ({"file": "r.json", "line": 3, "column": 7, "message": "m"}, "r.json: line 3 column 7: m"),
    ({"file": "r.json", "json_path": "$.indicators[0].floor", "indicator": "A1", "message": "m"},
     "r.json: $.indicators[0].floor (A1): m"),
    ({"file": "r.json", "json_path": "$.scorecard", "message": "m"}, "r.json: $.scorecard: m"),
    ({"file": "d.xlsx", "sheet": "Data", "message": "m"}, "d.xlsx [Data]: m"),
    ({"sheet": "Data", "message": "m"}, "sheet 'Data': m"),
    ({"workbook": "Book1.xlsx", "message": "m"}, "workbook Book1.xlsx: m"),
    ({"workbook": "Book1.xlsx", "sheet": "rules.json", "cell": "C7", "message": "m"},
     "workbook Book1.xlsx [rules.json] cell C7: m"),
    # a file about another workbook (rules.json's fill map): the file and its path, then the
    # workbook's sheet and cell
    ({"file": "rules.json", "json_path": "$.workbook.columns.rag", "workbook": "own.xlsx",
      "sheet": "Scorecard", "cell": "Q5", "message": "m"},
     "rules.json: $.workbook.columns.rag: workbook own.xlsx [Scorecard] cell Q5: m"),
    ({"file": "rules.json", "json_path": "$.workbook.sheet", "workbook": "own.xlsx",
      "message": "m"}, "rules.json: $.workbook.sheet: workbook own.xlsx: m"),
    ({"cell": "ReportMonth", "message": "m"}, "cell ReportMonth: m"),
    ({"month": "2012-05", "message": "m"}, "month 2012-05: m"),
    ({"month": "2012-13", "message": "m"}, "month '2012-13': m"),
    ({"indicator": "K1", "message": "m"}, "indicator K1: m"),
    ({"file": "f", "message": "first\n   second  \n"}, "f: first second"),
]


@pytest.mark.parametrize("fields, line", RENDERINGS)
def test_a_problem_renders_its_fields_as_one_line(fields, line):
    problem = Problem(**fields)
    assert str(problem) == line
    assert problem.where == (line.rsplit(": ", 1)[0] if ": " in line else "")


@pytest.mark.parametrize("fields, line", RENDERINGS)
def test_a_problem_as_json_keeps_every_field(fields, line):
    record = Problem(**fields).to_dict()
    assert record["text"] == line and record["severity"] == "error"
    for name in ("file", "sheet", "workbook", "cell", "line", "row", "json_path", "indicator", "month"):
        assert record[name] == (fields.get(name) or None)
    column = fields.get("column")
    assert record["column"] == (list(column) if isinstance(column, tuple) else column)
    json.dumps(record)  # plain JSON types only


def test_data_problems_carry_row_column_and_indicator(rules_file, tmp_path):
    data = tmp_path / "data.csv"
    data.write_text(HEADER + "K1,2012-05,abc,200,\nXX,2012-05,1,2,\nK1,2012-04,1,-2,\n"
                    "K1,2012-04,1,2,\n", encoding="utf-8")
    with pytest.raises(DataError) as caught:
        load_data(data, load_rules(rules_file))
    located = [(p.file, p.row, p.column, p.indicator) for p in caught.value.problems]
    assert located == [(str(data), 2, "numerator", "K1"), (str(data), 3, "indicator", ""),
                       (str(data), 4, "denominator", "K1"),
                       (str(data), 5, ("indicator", "period"), "K1")]
    assert caught.value.problems[-1].month == "2012-04"


def test_rules_problems_carry_the_json_path_and_indicator(make_document, make_indicator):
    document = make_document(make_indicator(id="A1", thresholds=[
        {"from": "2012-04", "target": 85, "floor": 90}]))
    with pytest.raises(RulesError) as caught:
        rules_from_dict(document, source="mine.json")
    (problem,) = caught.value.problems
    assert (problem.file, problem.json_path, problem.indicator) == (
        "mine.json", "$.indicators[0].thresholds[0].floor", "A1")


def test_not_json_names_line_and_column(tmp_path):
    path = tmp_path / "rules.json"
    path.write_text('{\n  "scorecard": ,\n}', encoding="utf-8")
    with pytest.raises(RulesError) as caught:
        load_rules(path)
    (problem,) = caught.value.problems
    assert (problem.line, problem.column) == (2, 16)
    assert str(problem).startswith(f"{path}: line 2 column 16: not valid JSON")


# ------------------------------------------------------------------ the CLI's two renderings


@pytest.fixture
def bad_data(tmp_path):
    path = tmp_path / "data.csv"
    path.write_text(HEADER + "K1,2012-05,abc,200,\nXX,2012-05,1,2,\n", encoding="utf-8")
    return path


def _both(run_cli, *argv):
    """(code, stdout, stderr) in text mode and in JSON mode, the option after the command."""
    text = run_cli(*argv)
    as_json = run_cli(*argv, "--errors", "json")
    return text, as_json


def test_json_errors_are_the_text_errors_as_data(run_cli, rules_file, bad_data):
    (code, _, err), (json_code, json_out, json_err) = _both(
        run_cli, "results", "--rules", rules_file, "--data", bad_data)
    assert code == json_code == 2 and json_out == ""
    records = json.loads(json_err)
    assert [f"error: {r['text']}" for r in records] == err.splitlines()
    assert [(r["file"], r["row"], r["column"], r["indicator"], r["severity"]) for r in records] == [
        (str(bad_data), 2, "numerator", "K1", "error"), (str(bad_data), 3, "indicator", None, "error")]
    assert all(r["message"] and r["json_path"] is None for r in records)


def test_json_rules_errors_name_the_json_path(run_cli, write_json, make_document, make_indicator):
    rules = write_json(make_document(make_indicator(id="A1", thresholds=[
        {"from": "2012-04", "target": 85, "floor": 90}])))
    code, out, err = run_cli("--errors", "json", "validate", "--rules", rules)
    assert (code, out) == (2, "")
    (record,) = json.loads(err)
    assert (record["file"], record["json_path"], record["indicator"]) == (
        str(rules), "$.indicators[0].thresholds[0].floor", "A1")
    assert record["message"].startswith("floor 90 is above target 85")


def test_json_warnings_have_their_severity_and_success_keeps_exit_0(run_cli, rules_file, tmp_path):
    data = tmp_path / "data.csv"
    data.write_text(HEADER + "K1,2012-05,250,200,\n", encoding="utf-8")
    code, out, err = run_cli("results", "--rules", rules_file, "--data", data, "--errors=json")
    assert code == 0 and out.startswith("month,")
    (record,) = json.loads(err)
    assert (record["severity"], record["row"], record["indicator"]) == ("warning", 2, "K1")
    text_code, _, text_err = run_cli("results", "--rules", rules_file, "--data", data)
    assert text_code == 0 and text_err == f"warning: {record['text']}\n"


def test_json_stderr_is_only_json_when_a_file_is_written(run_cli, tmp_path):
    code, _, err = run_cli("results", "--out", tmp_path / "r.csv", "--errors", "json")
    assert code == 0 and json.loads(err) == []
    code, _, err = run_cli("results", "--out", tmp_path / "r.csv")
    assert code == 0 and err == f"wrote {tmp_path / 'r.csv'}\n"


@pytest.mark.parametrize("argv", [
    ["validate", "--rules", "MISSING"],
    ["results", "--rules", "MISSING"],
    ["summary", "--rules", "MISSING"],
    ["build", "--rules", "MISSING"],
    ["batch", "--rules", "MISSING"],
    ["pdf", "MISSING.xlsx"],
    ["results", "--month", "2012-13"],
    ["results", "--no-such-option"],
    ["no-such-command"],
])
@pytest.mark.parametrize("before", [True, False], ids=["before-command", "after-command"])
def test_every_command_takes_errors_json(run_cli, tmp_path, argv, before):
    argv = [str(tmp_path / a) if a.startswith("MISSING") else a for a in argv]
    code, _, err = run_cli(*argv)
    option = ["--errors", "json"]
    json_code, _, json_err = run_cli(*(option + argv if before else argv + option))
    assert code == json_code == 2
    records = json.loads(json_err)
    assert [f"error: {r['text']}" for r in records] == err.splitlines()


def test_batch_names_a_failed_month_in_json(run_cli, rules_file, tmp_path):
    data = tmp_path / "data.csv"
    data.write_text(HEADER + "K1,2012-04,80,100,\nK1,2012-06,90,100,\n", encoding="utf-8")
    out_dir = tmp_path / "out"
    code, out, err = run_cli("batch", "--rules", rules_file, "--data", data, "--out-dir", out_dir,
                             "--errors", "json")
    assert code == 2 and "2012-05" in out
    (record,) = json.loads(err)
    assert record["month"] == "2012-05" and record["message"].startswith("has no data")
    assert record["text"].startswith("month 2012-05: has no data; months in the data: 2012-04 to 2012-06")
    assert sorted(p.name for p in out_dir.iterdir()) == ["scorecard-2012-04.xlsx",
                                                        "scorecard-2012-06.xlsx"]


def test_a_build_in_json_mode_writes_and_says_nothing_but_json(run_cli, tmp_path):
    out = tmp_path / "card.xlsx"
    code, stdout, err = run_cli("build", "--out", out, "--errors", "json")
    assert code == 0 and json.loads(err) == [] and out.exists()
    assert stdout.startswith(f"wrote {out}: 2012-05, 16 Green, 16 Amber, 12 Red")


def test_a_worksheets_cells_are_located_by_sheet(rules_file):
    raw = pd.DataFrame([["K1", "2012-05", "abc", 200, None]],
                       columns=["indicator", "period", "numerator", "denominator", "value"])
    with pytest.raises(DataError) as caught:
        check_table(raw, load_rules(rules_file), sheet="Data")
    (problem,) = caught.value.problems
    assert (problem.file, problem.sheet, problem.row, problem.column) == ("", "Data", 2, "numerator")
    assert str(problem).startswith("sheet 'Data': row 2, column 'numerator': 'abc' is not a number")


def test_a_real_process_gives_json_on_stderr_and_exit_2(tmp_path):
    root = Path(__file__).resolve().parent.parent
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(root),
                                                                     os.environ.get("PYTHONPATH")]))}
    done = subprocess.run([sys.executable, "-m", "xl_scorecard.cli", "--errors", "json", "results",
                           "--month", "2099-01"], cwd=tmp_path, env=env, capture_output=True,
                          timeout=120)
    assert (done.returncode, done.stdout) == (2, b"")
    (record,) = json.loads(done.stderr.decode("utf-8"))
    assert record["month"] == "2099-01" and record["severity"] == "error"


def test_a_month_is_located_by_its_text():
    from xl_scorecard import Month

    problem = Problem(month=Month(2012, 5), message="m")
    assert problem.month == "2012-05" and str(problem) == "month 2012-05: m"


def test_the_older_form_still_reads_as_before():
    problem = Problem("data.csv: row 3", "is wrong")
    assert str(problem) == "data.csv: row 3: is wrong" and problem.where == "data.csv: row 3"
    assert problem.to_dict()["place"] == "data.csv: row 3" and problem.to_dict()["row"] is None


def test_the_package_gives_locations_as_fields():
    """Every Problem made in xl_scorecard names its place with fields, never as one phrase."""
    import ast

    package = Path(__file__).resolve().parent.parent / "xl_scorecard"
    phrased = []
    for path in package.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            if (isinstance(node, ast.Call) and getattr(node.func, "id", "") == "Problem"
                    and (node.args or any(k.arg == "place" for k in node.keywords))):
                phrased.append(f"{path.relative_to(package)}:{node.lineno}")
    assert phrased == [], f"give file=, row=, column=, json_path=, ... instead: {phrased}"


def test_the_report_is_also_a_stream_for_handlers():
    import io

    from xl_scorecard.outputs.problems import ProblemReport

    text, as_json = io.StringIO(), io.StringIO()
    for stream, mode in ((text, "text"), (as_json, "json")):
        report = ProblemReport(stream, mode)
        print("wrote out.xlsx", file=report)
        report.add([Problem(file="d.csv", row=2, message="m")], severity="warning")
        report.close()
    assert text.getvalue() == "wrote out.xlsx\nwarning: d.csv: row 2: m\n"
    assert [r["severity"] for r in json.loads(as_json.getvalue())] == ["warning"]

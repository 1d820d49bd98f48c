"""Bad maps and bad workbooks for `fill` and `map`: one table, as docs/robustness.md lists them.

Each case runs through ``cli.run`` and asserts exit code 2, nothing on stdout,
one ``error:`` line per problem naming the sheet, cell and rules path (or the
file) and saying what to do, no traceback, and no file in the folder created,
changed or removed.
"""

from __future__ import annotations

import copy
import hashlib
import io
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

import pytest

from xl_scorecard import cli

from conftest import BUNDLED_DATA, BUNDLED_RULES
from fill_workbooks import analyst_workbook

GOOD_MAP = {"sheet": "Scorecard", "header_row": 5, "match": {"ref": "A", "name": "B"},
            "columns": {"value": "E", "rag": "F", "target": "I", "dot_previous": "K"},
            "month_cell": "B3"}


@dataclass
class Case:
    id: str
    workbook_map: dict | None  # the rules' workbook section (None: none, found automatically)
    expected: tuple[str, ...]  # fragments every error line (or one of them) must hold
    build: Callable[[Path], Path] | None = None  # the workbook, if not the usual fixture
    command: str = "fill"
    rules_edit: Callable[[dict], None] | None = None
    extra: tuple[str, ...] = ()
    # the first problem's fields under --errors json ("own.xlsx", "rules.json": that file in
    # the test's folder); with a rules map, file is rules.json and workbook own.xlsx by default
    fields: dict | None = None


def _map(**changes) -> dict:
    out = copy.deepcopy(GOOD_MAP)
    for key, value in changes.items():
        out[key] = value
    return out


def _not_a_workbook(folder: Path) -> Path:
    path = folder / "own.xlsx"
    path.write_text("Ref,Indicator\n1,Referrals\n")
    return path


def _password_protected(folder: Path) -> Path:
    path = folder / "own.xlsx"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 512)
    return path


def _no_scorecard(folder: Path) -> Path:
    import openpyxl

    path = folder / "own.xlsx"
    book = openpyxl.Workbook()
    book.active.append(["Name", "Address"])
    book.active.append(["Kent", "Maidstone"])
    book.save(path)
    return path


def _twin_names(rules: dict) -> None:
    rules["indicators"][1]["name"] = rules["indicators"][0]["name"]


CASES = [
    Case("column-without-header", _map(columns={"value": "E", "rag": "Q"}),
         ("$.workbook.columns.rag", "column Q does not exist", "own.xlsx [Scorecard] cell Q5",
          "header cell Q5 is empty"),
         fields={"json_path": "$.workbook.columns.rag", "sheet": "Scorecard", "cell": "Q5"}),
    Case("match-column-without-header", _map(match={"id": "R"}),
         ("$.workbook.match.id", "column R does not exist", "header cell R5"),
         fields={"json_path": "$.workbook.match.id", "cell": "R5"}),
    Case("header-row-off", _map(header_row=4),
         ("$.workbook.match.ref", "header cell A4 is empty")),
    Case("two-indicators-pinned-to-one-row", _map(rows={"SCS02": 7}),
         ("$.workbook.rows.SCS02", "[Scorecard] cell A7",
          "two indicators on one row (SCS01, SCS02)"),
         fields={"json_path": "$.workbook.rows.SCS02", "sheet": "Scorecard", "cell": "A7"}),
    Case("two-indicators-share-a-name", _map(match={"name": "B"}),
         ("$.workbook.match", "cell B7", "two indicators on one row (SCS01, SCS02)"),
         rules_edit=_twin_names),
    Case("result-cell-inside-a-merged-range", GOOD_MAP,
         ("rules.json: $.workbook.columns.target: workbook ", "own.xlsx [Scorecard] cell I9: is "
          "inside the merged range I8:I9", "unmerge it in Excel"),
         fields={"json_path": "$.workbook.columns.target", "sheet": "Scorecard", "cell": "I9"},
         build=lambda folder: analyst_workbook(folder / "own.xlsx", merges=("I8:I9",))),
    Case("merged-cell-under-the-map-found-automatically", None,
         ("own.xlsx [Scorecard] cell I9: $.workbook.columns.target: is inside the merged range "
          "I8:I9", "(in the map found automatically; `xl-scorecard map --write-rules` saves it"),
         fields={"json_path": "$.workbook.columns.target", "sheet": "Scorecard", "cell": "I9",
                 "workbook": None, "file": "own.xlsx"},
         build=lambda folder: analyst_workbook(folder / "own.xlsx", merges=("I8:I9",))),
    Case("month-cell-inside-a-merged-range", _map(month_cell="C3"),
         ("$.workbook.month_cell", "cell C3: is inside the merged range B3:C3"),
         fields={"json_path": "$.workbook.month_cell", "cell": "C3"}),
    Case("sheet-not-in-the-workbook", _map(sheet="Scorecard 2012"),
         ("$.workbook.sheet: workbook ", "own.xlsx: has no sheet 'Scorecard 2012'",
          "'Scorecard', 'RAG by section'"),
         fields={"json_path": "$.workbook.sheet", "sheet": None, "workbook": "own.xlsx"}),
    Case("identifying-column-also-written", _map(columns={"value": "A"}),
         ("$.workbook.columns.value", "column A is already mapped to $.workbook.match.ref"),
         fields={"json_path": "$.workbook.columns.value", "workbook": None}),
    Case("unknown-result-field", _map(columns={"latest": "E"}),
         ("$.workbook.columns", "'latest' is not a results column")),
    Case("column-beyond-xfd", _map(columns={"value": "XFZ"}),
         ("$.workbook.columns.value", "beyond Excel's last column XFD")),
    Case("lower-case-column", _map(columns={"value": "e"}),
         ("$.workbook.columns.value", "not a column letter such as E")),
    Case("month-cell-not-a-cell", _map(month_cell="May"),
         ("$.workbook.month_cell", "not a cell reference such as B3")),
    Case("pinned-row-unknown-indicator", _map(rows={"SCS99": 12}),
         ("$.workbook.rows.SCS99", "not an indicator id")),
    Case("pinned-row-above-the-header", _map(rows={"SCS01": 2}),
         ("$.workbook.rows.SCS01", "row 2 is not below the header row 5")),
    Case("no-map-and-none-found", None, ("own.xlsx", "no header row with an indicator column",
                                         "add a 'workbook' section"), build=_no_scorecard,
         fields={"file": "own.xlsx", "json_path": None}),
    Case("map-finds-none", None, ("own.xlsx", "no header row"), build=_no_scorecard,
         command="map", fields={"file": "own.xlsx", "json_path": None}),
    Case("not-a-workbook", None, ("own.xlsx", "is not an .xlsx workbook"), build=_not_a_workbook),
    Case("password-protected", None, ("own.xlsx", "password-protected"),
         build=_password_protected),
    Case("out-with-another-extension", None, ("own.xlsx", "--out must end in .xlsm"),
         build=lambda folder: analyst_workbook(folder / "own.xlsm", vba=True),
         extra=("--out", "own.xlsx")),
    Case("workbook-open-in-excel", None, ("own.xlsx", "is open in Excel or LibreOffice"),
         build=lambda folder: (folder / "~$own.xlsx").write_bytes(b"owner") and
         analyst_workbook(folder / "own.xlsx")),
    Case("strict-open-xml", None, ("own.xlsx", "Strict Open XML", "save it from Excel as"),
         build=lambda folder: __import__("hostile_files").rewrite_parts(
             analyst_workbook(folder / "good.xlsx"), folder / "own.xlsx",
             lambda name, data: data.replace(b"http://schemas.openxmlformats.org/spreadsheetml/"
                                             b"2006/main", b"http://purl.oclc.org/ooxml/"
                                             b"spreadsheetml/main") if name == "xl/workbook.xml"
             else data)),
    Case("damaged-sheet-xml", None, ("own.xlsx: part xl/worksheets/sheet1.xml is damaged XML",
                                     "open the workbook in Excel, save it"),
         build=lambda folder: __import__("hostile_files").rewrite_parts(
             analyst_workbook(folder / "good.xlsx"), folder / "own.xlsx",
             lambda name, data: data[:-40] if name == "xl/worksheets/sheet1.xml" else data),
         fields={"file": "own.xlsx", "sheet": None}),
    Case("workbook-missing", None, ("own.xlsx", "file not found"),
         build=lambda folder: folder / "own.xlsx"),
]


def _hashes(folder: Path) -> dict[str, str]:
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def _argv(case: Case, tmp_path: Path) -> tuple[list[str], Path, Path]:
    """(the command line, the workbook, the rules file) of a case, built in ``tmp_path``."""
    book = case.build(tmp_path) if case.build else analyst_workbook(tmp_path / "own.xlsx")
    rules = json.loads(BUNDLED_RULES.read_text("utf-8"))
    if case.workbook_map is not None:
        rules["workbook"] = case.workbook_map
    if case.rules_edit:
        case.rules_edit(rules)
    rules_path = tmp_path / "rules.json"
    rules_path.write_text(json.dumps(rules, indent=2), "utf-8")
    argv = [case.command, "--workbook", str(book), "--rules", str(rules_path)]
    if case.command == "fill":
        argv += ["--data", str(BUNDLED_DATA), "--month", "2012-05"]
    else:
        argv += ["--write-rules"]
    argv += [str(tmp_path / a) if a.endswith(".xlsx") else a for a in case.extra]
    return argv, book, rules_path


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_bad_map_is_an_input_error_and_nothing_is_written(case, tmp_path):
    argv, _, _ = _argv(case, tmp_path)
    before = _hashes(tmp_path)
    out, err = io.StringIO(), io.StringIO()
    code = cli.run(argv, stdout=out, stderr=err)
    lines = err.getvalue().splitlines()
    assert code == 2, err.getvalue()
    assert out.getvalue() == ""
    assert lines and all(line.startswith("error: ") for line in lines), lines
    assert "Traceback" not in err.getvalue()
    text = err.getvalue()
    for fragment in case.expected:
        assert fragment in text, (fragment, text)
    assert _hashes(tmp_path) == before


WITH_FIELDS = [c for c in CASES if c.fields is not None]


@pytest.mark.parametrize("case", WITH_FIELDS, ids=[c.id for c in WITH_FIELDS])
def test_bad_map_problems_are_located_by_fields_in_json(case, tmp_path):
    """``--errors json`` gives each map problem's place as data: the rules file and JSON path
    of the map, the workbook, its sheet and cell; the text line is rendered from them."""
    argv, book, rules_path = _argv(case, tmp_path)
    text_err, json_err = io.StringIO(), io.StringIO()
    assert cli.run(argv, stdout=io.StringIO(), stderr=text_err) == 2
    assert cli.run(argv + ["--errors", "json"], stdout=io.StringIO(), stderr=json_err) == 2
    records = json.loads(json_err.getvalue())
    assert [f"error: {r['text']}" for r in records] == text_err.getvalue().splitlines()
    expected = {"file": "rules.json", "workbook": "own.xlsx"} if case.workbook_map else {}
    expected.update(case.fields)
    named = {"own.xlsx": str(book), "rules.json": str(rules_path)}
    first = records[0]
    for name, value in expected.items():
        assert first[name] == named.get(value, value), (name, first)
    assert not first["message"].startswith(("$", "sheet", "workbook"))  # places are fields


def test_every_problem_of_a_map_is_listed_at_once(tmp_path):
    book = analyst_workbook(tmp_path / "own.xlsx", merges=("I8:I9",))
    rules = json.loads(BUNDLED_RULES.read_text("utf-8"))
    rules["workbook"] = _map(columns={"value": "E", "rag": "Q", "target": "I"}, rows={"SCS02": 7})
    path = tmp_path / "rules.json"
    path.write_text(json.dumps(rules), "utf-8")
    err = io.StringIO()
    code = cli.run(["fill", "--workbook", str(book), "--rules", str(path), "--data",
                    str(BUNDLED_DATA)], stdout=io.StringIO(), stderr=err)
    assert code == 2
    lines = err.getvalue().splitlines()
    assert len(lines) == 3, lines
    assert [line.split(": ")[2] for line in lines] == [
        "$.workbook.columns.rag", "$.workbook.rows.SCS02", "$.workbook.columns.target"]


@pytest.mark.parametrize("attack,expected", [
    ("billion_laughs_sheet", "declares an XML DOCTYPE or entity"),
    ("billion_laughs_strings", "declares an XML DOCTYPE or entity"),
    ("zip_bomb", "refused as a possible zip bomb"),
    ("truncated", "is not an .xlsx workbook"),
])
def test_hostile_workbooks_are_refused_before_any_part_is_parsed(attack, expected, tmp_path):
    import hostile_files as hostile

    good = analyst_workbook(tmp_path / "good.xlsx")
    bad = tmp_path / "own.xlsx"
    if attack == "billion_laughs_sheet":
        hostile.billion_laughs(good, bad, part="xl/worksheets/sheet1.xml")
    elif attack == "billion_laughs_strings":
        hostile.billion_laughs(good, bad, part="xl/sharedStrings.xml")
    else:
        getattr(hostile, attack)(good, bad)
    before = _hashes(tmp_path)
    for command in (["fill", "--data", str(BUNDLED_DATA)], ["map"]):
        err = io.StringIO()
        code = cli.run([command[0], "--workbook", str(bad), *command[1:]], stdout=io.StringIO(),
                       stderr=err)
        assert code == 2 and expected in err.getvalue() and "Traceback" not in err.getvalue()
    assert _hashes(tmp_path) == before

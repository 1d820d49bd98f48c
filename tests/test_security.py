"""Security: hostile XML, what is unzipped, formula injection, external links and macros.

- openpyxl parses workbook XML through defusedxml, and a "billion laughs"
  workbook is refused quickly, in little memory, by the CLI and by openpyxl itself;
- every place that opens a user's workbook goes through ``xlsx_input.check_xlsx``
  with ``keep_links=False``; the macros open no files at all;
- text from rules or data starting with ``=``, ``+``, ``-`` or ``@`` is text on
  every sheet we write (openpyxl and xlwings writers) and in the results CSV;
- external links in an input workbook are dropped, VBA is never carried into
  an .xlsx (and kept only as opaque bytes in an .xlsm: test_headless).
"""

from __future__ import annotations

import ast
import datetime as dt
import io
import json
import os
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import openpyxl
import pytest

from xl_scorecard.inputs import xlsx_input
from xl_scorecard.layout import workbook_layout
from xl_scorecard.core.text import FORMULA_STARTS
from xl_scorecard.writers.xlwings_writer import layout_grid

import hostile_files as hostile

REPO_ROOT = Path(__file__).resolve().parent.parent
PACKAGE = REPO_ROOT / "xl_scorecard"
# Another engineer's files: reported, not audited here (see the final check below).
NOT_OURS = {"functions.py", "arguments.py", "rules_lookup.py", "udfs.py", "formula_engine.py"}


def _env(**extra):
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO_ROOT), env.get("PYTHONPATH")]))
    env.update(extra)
    return env


@pytest.fixture
def good_xlsx(tmp_path):
    return hostile.data_workbook(tmp_path / "good.xlsx", [("SCS01", "2012-05", 2064, 312597, None)])


# --------------------------------------------------------------------------- XML attacks


def test_openpyxl_parses_through_defusedxml():
    import defusedxml.ElementTree
    from openpyxl.xml import functions

    assert openpyxl.DEFUSEDXML is True
    if openpyxl.LXML:  # python-docx brings lxml: openpyxl then parses parts with entities off
        assert functions.fromstring.keywords["parser"] is functions.safe_parser
    else:
        assert functions.fromstring.__module__.startswith("defusedxml")
    assert functions.iterparse is defusedxml.ElementTree.iterparse
    assert xlsx_input.xml_is_defused()


# Runs in a child limited to 1 GB of address space: an expanding parser would need ~3 GB.
_LIMITED = """
import resource, sys, time, io
resource.setrlimit(resource.RLIMIT_AS, (1 << 30, 1 << 30))
path = sys.argv[1]
started = time.perf_counter()
if sys.argv[2] == "cli":
    from xl_scorecard import cli
    err = io.StringIO()
    code = cli.run(["results", "--data", path], io.StringIO(), err)
    print(code, round(time.perf_counter() - started, 1), err.getvalue().strip())
else:  # openpyxl alone, without our own DOCTYPE check in front of it
    import openpyxl, defusedxml
    try:
        book = openpyxl.load_workbook(path, read_only=sys.argv[2] == "read_only")
        for sheet in book.worksheets:  # read-only mode parses a sheet as its rows are read
            list(sheet.iter_rows(values_only=True))
        print("LOADED")
    except Exception as exc:
        chain, seen = [], exc
        while seen is not None:
            chain.append(type(seen).__name__)
            seen = seen.__cause__ or seen.__context__
        print("REFUSED", round(time.perf_counter() - started, 1), " ".join(chain))
"""


@pytest.mark.skipif(sys.platform != "linux", reason="memory limit through resource.RLIMIT_AS")
@pytest.mark.parametrize("part", ["xl/workbook.xml", "xl/worksheets/sheet1.xml", "docProps/core.xml",
                                  "[Content_Types].xml", "xl/_rels/workbook.xml.rels"])
def test_billion_laughs_is_refused_fast_and_in_little_memory(tmp_path, good_xlsx, part):
    bomb = hostile.billion_laughs(good_xlsx, tmp_path / "laughs.xlsx", part)
    done = subprocess.run([sys.executable, "-c", _LIMITED, str(bomb), "cli"], capture_output=True,
                          text=True, env=_env(), timeout=60)
    assert done.returncode == 0, done.stderr
    code, seconds, message = done.stdout.strip().split(" ", 2)
    assert code == "2" and float(seconds) < 10
    assert message == (f"error: {bomb}: part {part!r} declares an XML DOCTYPE or entity, which Excel "
                       "never writes: refused as a possible XML attack (entity expansion); re-save "
                       "the workbook from Excel")


@pytest.mark.skipif(sys.platform != "linux", reason="memory limit through resource.RLIMIT_AS")
@pytest.mark.parametrize("mode", ["full", "read_only"])
def test_openpyxl_itself_refuses_the_entities(tmp_path, good_xlsx, mode):
    """Behind our own check, defusedxml stops the expansion: belt and braces."""
    part = "xl/workbook.xml" if mode == "full" else "xl/worksheets/sheet1.xml"
    bomb = hostile.billion_laughs(good_xlsx, tmp_path / "laughs.xlsx", part)
    done = subprocess.run([sys.executable, "-c", _LIMITED, str(bomb), mode], capture_output=True,
                          text=True, env=_env(), timeout=60)
    assert done.returncode == 0, done.stderr
    verdict, seconds, chain = done.stdout.strip().split(" ", 2)
    assert verdict == "REFUSED" and float(seconds) < 10
    # defusedxml forbids the entities; lxml (installed with python-docx) leaves them undefined
    assert any(word in chain for word in ("EntitiesForbidden", "DTDForbidden", "XMLSyntaxError")), chain


def test_a_workbook_is_refused_when_defusedxml_is_switched_off(tmp_path, good_xlsx):
    done = subprocess.run([sys.executable, "-m", "xl_scorecard.cli", "results", "--data", str(good_xlsx)],
                          capture_output=True, text=True, timeout=120, cwd=tmp_path,
                          env=_env(OPENPYXL_DEFUSEDXML="False"))
    assert done.returncode == 2
    assert "openpyxl is not parsing XML through defusedxml" in done.stderr
    assert "Traceback" not in done.stderr


# --------------------------------------------------------------------------- what is unzipped


def test_unzipped_size_is_capped(monkeypatch, good_xlsx, run_cli):
    assert run_cli("results", "--data", good_xlsx)[0] == 0  # the control
    monkeypatch.setattr(xlsx_input, "MAX_UNZIPPED", 1000)
    code, _, err = run_cli("results", "--data", good_xlsx)
    assert code == 2 and "refused as a possible zip bomb (the limit is 0 MB)" in err


def test_number_of_parts_is_capped(monkeypatch, good_xlsx, run_cli):
    monkeypatch.setattr(xlsx_input, "MAX_PARTS", 3)
    code, _, err = run_cli("results", "--data", good_xlsx)
    assert code == 2 and "parts, more than the 3 allowed" in err


def test_a_bomb_whose_header_lies_is_still_caught(tmp_path, good_xlsx, run_cli):
    """A part that claims to be small but inflates to more fails its CRC/size check."""
    bomb = hostile.zip_bomb(good_xlsx, tmp_path / "bomb.xlsx", megabytes=8)
    blob = bytearray(bomb.read_bytes())
    with zipfile.ZipFile(bomb) as z:
        info = z.getinfo("xl/media/padding.bin")
    # rewrite the declared size (local header and central directory) to 1 KB
    local = info.header_offset
    blob[local + 22: local + 26] = (1024).to_bytes(4, "little")
    for start in [m.start() for m in re.finditer(rb"PK\x01\x02", bytes(blob))]:
        name_len = int.from_bytes(blob[start + 28: start + 30], "little")
        if bytes(blob[start + 46: start + 46 + name_len]) == b"xl/media/padding.bin":
            blob[start + 24: start + 28] = (1024).to_bytes(4, "little")
    liar = tmp_path / "liar.xlsx"
    liar.write_bytes(bytes(blob))
    code, _, err = run_cli("results", "--data", liar)
    assert code == 2
    assert f"error: {liar}: is a damaged workbook" in err


# --------------------------------------------------------------------------- every opener is guarded


def _functions_calling(name: str) -> dict[str, ast.Call]:
    found = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        if path.name in NOT_OURS:
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for func in ast.walk(tree):
            if not isinstance(func, ast.FunctionDef):
                continue
            for node in ast.walk(func):
                if isinstance(node, ast.Call) and getattr(node.func, "attr", getattr(node.func, "id", "")) == name:
                    found[f"{path.relative_to(PACKAGE).as_posix()}:{func.name}"] = node
    return found


def test_every_workbook_opener_is_known_and_keeps_no_links():
    """A new place that opens a user's workbook fails here until it is guarded and listed."""
    openers = _functions_calling("load_workbook")
    assert set(openers) == {"inputs/xlsx_input.py:read_table", "headless/build.py:_open_base",
                            "headless/pdf.py:_committee_copy", "inputs/xlsx_input.py:unsaved_formulas",
                            "paper/commentary.py:workbook_commentary",
                            # the saved values of the same, already checked, pdf input
                            "headless/pdf.py:_cached_values_for_add_in_formulas",
                            "inputs/rules_workbook.py:document_from_workbook"}
    for where, call in openers.items():
        keywords = {k.arg: k.value for k in call.keywords}
        assert isinstance(keywords.get("keep_links"), ast.Constant), where
        assert keywords["keep_links"].value is False, where
    # each is preceded by check_xlsx: in the same function, or (pdf) in its only caller
    checked = _functions_calling("check_xlsx")
    assert {"inputs/xlsx_input.py:read_table", "headless/build.py:_open_base",
            "headless/pdf.py:workbook_to_pdf", "paper/commentary.py:workbook_commentary",
            "inputs/rules_workbook.py:document_from_workbook"} <= set(checked)
    paper_source = (PACKAGE / "paper" / "commentary.py").read_text(encoding="utf-8")
    assert paper_source.index("check_xlsx(path)") < paper_source.index("load_workbook(")
    pdf_source = (PACKAGE / "headless" / "pdf.py").read_text(encoding="utf-8")
    assert pdf_source.index("check_xlsx(workbook)") < pdf_source.index("_committee_copy(workbook")
    # the second read of a data workbook (its formulas) comes after read_table's check
    reader = (PACKAGE / "inputs" / "xlsx_input.py").read_text(encoding="utf-8")
    assert reader.count("unsaved_formulas(") == 2  # its definition and read_table's one call
    assert reader.index("check_xlsx(path, error=DataError)") < reader.index("= unsaved_formulas(path")


def test_the_macros_open_no_files():
    tree = ast.parse((PACKAGE / "excel" / "macros.py").read_text(encoding="utf-8"))
    calls = {getattr(n.func, "attr", getattr(n.func, "id", "")) for n in ast.walk(tree)
             if isinstance(n, ast.Call)}
    assert not calls & {"open", "load_workbook", "read_table", "load_data", "read_bytes",
                        "read_text", "ZipFile", "Book"}
    assert "load_rules" in calls  # the only file a macro reads is rules.json (JSON, not a workbook)


# --------------------------------------------------------------------------- formula injection


HOSTILE_TEXT = {
    "title": "=cmd|' /C calc'!A0",
    "organisation": "@Council",
    "service": "+Children",
    "section": "-SUM(1,1)",
    "name": '=HYPERLINK("http://example.invalid","click")',
    "ref": "+1+1",
    "source": "@SUM(A1)",
}


@pytest.fixture
def hostile_rules(tmp_path):
    """Two indicators whose every text field starts like a formula; '-K2' is a legal id."""
    document = {
        "scorecard": {"title": HOSTILE_TEXT["title"], "organisation": HOSTILE_TEXT["organisation"],
                      "service": HOSTILE_TEXT["service"]},
        "indicators": [
            {"id": ident, "ref": HOSTILE_TEXT["ref"], "name": HOSTILE_TEXT["name"] + ident,
             "section": HOSTILE_TEXT["section"], "polarity": "H", "period": "SS",
             "measure": "percent", "decimals": 1, "source": HOSTILE_TEXT["source"],
             "thresholds": [{"from": "2012-04", "target": 85, "floor": 76.5}]}
            for ident in ("K1", "-K2")
        ],
    }
    rules = tmp_path / "rules.json"
    rules.write_text(json.dumps(document), encoding="utf-8")
    # K1 falls from Green to Red: it is on the Summary's changes and on the Exceptions sheet
    data = tmp_path / "data.csv"
    data.write_text("indicator,period,numerator,denominator,value\n"
                    "K1,2012-04,90,100,\nK1,2012-05,50,100,\n-K2,2012-04,80,100,\n-K2,2012-05,81,100,\n",
                    encoding="utf-8")
    return rules, data


def _texts(book) -> dict[str, list[str]]:
    return {ws.title: [c.value for row in ws.iter_rows() for c in row if isinstance(c.value, str)]
            for ws in book.worksheets}


@pytest.mark.parametrize("live", [None, "xlwings", "native"], ids=["static", "live", "native"])
def test_formula_looking_text_is_text_on_every_sheet(tmp_path, hostile_rules, run_cli, live):
    rules, data = hostile_rules
    out = tmp_path / "scorecard.xlsx"
    code, _, err = run_cli("build", "--rules", rules, "--data", data, "--out", out,
                           *(["--live", live] if live else []))
    assert code == 0, err
    texts = _texts(openpyxl.load_workbook(out))
    wanted = {
        "Scorecard": [HOSTILE_TEXT["title"], HOSTILE_TEXT["name"] + "K1", HOSTILE_TEXT["section"],
                      HOSTILE_TEXT["ref"], "-K2"],
        "Summary": [HOSTILE_TEXT["name"] + "K1"],
        "Exceptions": ["K1", HOSTILE_TEXT["ref"] + ". " + HOSTILE_TEXT["name"] + "K1"],
        "Trend": [HOSTILE_TEXT["name"] + "-K2"],
        "Data": ["-K2"],
        "Rules": [HOSTILE_TEXT["source"], HOSTILE_TEXT["name"] + "-K2", "-K2"],
    }
    for sheet, values in wanted.items():
        for value in values:
            assert value in texts[sheet] or any(value in t for t in texts[sheet]), (sheet, value)
    # In the file itself: no formula holds our hostile text, and without --live no formula at all.
    ours = re.compile(r"^(_xludf\.)?(KPIRATE|RAG|DOT|COUNTIF)\(|^C5\+D5\+E5$" if live == "xlwings"
                      else r"^(IF|COUNTIF)\(|^C5\+D5\+E5$")
    with zipfile.ZipFile(out) as z:
        for part in z.namelist():
            if not part.startswith("xl/worksheets/sheet"):
                continue
            formulas = re.findall(r"<f>(.*?)</f>", z.read(part).decode("utf-8"))
            if not live:
                assert formulas == [], part
            for formula in formulas:
                assert ours.match(formula), (part, formula)
                assert not any(text in formula for text in HOSTILE_TEXT.values()), (part, formula)


@pytest.mark.libreoffice
def test_libreoffice_shows_the_text_not_its_result(tmp_path, hostile_rules, run_cli):
    """A spreadsheet application opening the workbook sees '=1+1' and '+1+1', never 2."""
    soffice = shutil.which("soffice")
    if soffice is None:
        pytest.skip("LibreOffice is not installed")
    rules, data = hostile_rules
    out = tmp_path / "scorecard.xlsx"
    assert run_cli("build", "--rules", rules, "--data", data, "--out", out)[0] == 0
    profile = (tmp_path / "profile").as_uri()
    subprocess.run([soffice, f"-env:UserInstallation={profile}", "--headless", "--convert-to",
                    "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,true,false,false,-1",
                    "--outdir", str(tmp_path), str(out)], check=True, capture_output=True, timeout=180)
    exported = {p.name: p.read_text(encoding="utf-8") for p in tmp_path.glob("scorecard*.csv")}
    assert exported, "LibreOffice exported nothing"
    text = "\n".join(exported.values())
    assert HOSTILE_TEXT["ref"] in text and HOSTILE_TEXT["title"] in text
    assert "click" in text and HOSTILE_TEXT["name"] + "K1" in text.replace('""', '"')
    assert HOSTILE_TEXT["section"] in text and "-K2" in text and "@SUM(A1)" in text


def _report(rules_path, data_path, month="2012-05"):
    from xl_scorecard import load_data, load_rules
    from xl_scorecard.core.month_report import compute_report

    rules = load_rules(rules_path)
    return compute_report(rules, load_data(data_path, rules), month)


def test_xlwings_writer_escapes_every_formula_looking_text(hostile_rules):
    """What the macros write through xlwings: every sheet's text with a leading apostrophe."""
    layouts = workbook_layout(_report(*hostile_rules), live=True)
    escaped = 0
    for layout in layouts:
        grid = layout_grid(layout)
        for cell in layout.cells:
            written = grid[cell.row - 1][cell.col - 1]
            if cell.formula is not None:
                assert written == "=" + cell.formula
            elif isinstance(cell.value, str) and cell.value.startswith(FORMULA_STARTS):
                assert written == "'" + cell.value, (layout.name, cell)
                escaped += 1
            else:
                assert written == cell.value
    # one definition for every writer (core/text.py), the stricter CSV set: tab and CR too
    assert set(FORMULA_STARTS) == {"=", "+", "-", "@", "\t", "\r"}
    assert escaped >= 10


def test_macro_refresh_writes_formula_looking_text_as_text(tmp_path, hostile_rules, run_cli,
                                                           monkeypatch):
    """The real xlwings remote engine: the setValues a refresh sends carry the apostrophe."""
    xw = pytest.importorskip("xlwings")
    if not getattr(xw, "__pro__", False):
        pytest.skip("xlwings' remote engine needs XLWINGS_LICENSE_KEY at import")
    from xl_scorecard.excel import macros

    rules, data = hostile_rules
    out = tmp_path / "scorecard.xlsx"
    assert run_cli("build", "--rules", rules, "--data", data, "--out", out)[0] == 0
    book = openpyxl.load_workbook(out)
    sheets = []
    for ws in book.worksheets:
        values = [[v.isoformat() if isinstance(v, (dt.date, dt.datetime)) else v for v in row]
                  for row in ws.iter_rows(values_only=True)]
        sheets.append({"name": ws.title, "values": values or [[None]], "pictures": [], "tables": []})
    payload = {
        "client": "Office.js", "version": xw.__version__,
        "book": {"name": "Scorecard.xlsx", "active_sheet_index": 0, "selection": "A1"},
        "names": [{"name": "ReportMonth", "sheet_index": 0, "address": "B3", "book_scope": True,
                   "scope_sheet_name": None, "scope_sheet_index": None}],
        "sheets": sheets,
    }
    monkeypatch.setenv("XL_SCORECARD_RULES", str(rules))
    monkeypatch.setenv("XL_SCORECARD_RULES_DIRS", str(rules.parent))
    xbook = xw.Book(json=payload)
    assert "Red" in macros.refresh(xbook)
    written = [v for a in xbook.json()["actions"] if a["func"] == "setValues"
               for row in a["values"] for v in row if isinstance(v, str)]
    assert "'" + HOSTILE_TEXT["title"] in written
    assert "'" + HOSTILE_TEXT["name"] + "K1" in written
    assert "'-K2" in written
    assert not [v for v in written if v.startswith(FORMULA_STARTS)]


def test_results_csv_escapes_formula_looking_text(hostile_rules, run_cli):
    import csv

    rules, data = hostile_rules
    code, out, _ = run_cli("results", "--rules", rules, "--data", data)
    assert code == 0
    rows = list(csv.DictReader(io.StringIO(out)))
    assert rows[0]["name"] == "'" + HOSTILE_TEXT["name"] + "K1"
    assert rows[0]["section"] == "'" + HOSTILE_TEXT["section"]
    assert rows[0]["ref"] == "'" + HOSTILE_TEXT["ref"]
    assert rows[1]["id"] == "'-K2"
    for row in rows:
        for key in ("id", "ref", "name", "section"):
            assert not row[key].startswith(("=", "+", "-", "@")), (key, row[key])
    # numbers stay numbers, and the JSON output is data, not a spreadsheet: unchanged
    assert float(rows[0]["value"]) == 50.0
    _, js, _ = run_cli("results", "--rules", rules, "--data", data, "--format", "json")
    assert json.loads(js)["indicators"][1]["id"] == "-K2"


def test_negative_numbers_in_csv_are_not_escaped():
    from xl_scorecard.outputs.results_text import csv_text

    assert csv_text("-1.0") == "-1.0" and csv_text("+2%") == "+2%" and csv_text("-1,234.5") == "-1,234.5"
    assert csv_text("-A1") == "'-A1" and csv_text("=1") == "'=1" and csv_text("\t=1") == "'\t=1"
    assert csv_text(12.5) == 12.5 and csv_text("plain") == "plain"


# --------------------------------------------------------------------------- links and macros


def _with_external_link(source: Path, target: Path) -> Path:
    """``source`` plus an external link to another workbook, as Excel writes one."""
    main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    link = (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<externalLink xmlns="{main}" '
            f'xmlns:r="{rel}"><externalBook r:id="rId1"><sheetNames><sheetName val="Sheet1"/>'
            '</sheetNames></externalBook></externalLink>').encode()
    link_rels = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships xmlns="'
                 'http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" '
                 f'Type="{rel}/externalLinkPath" Target="file:///C:/elsewhere/payroll.xlsx" '
                 'TargetMode="External"/></Relationships>').encode()

    def change(name, data):
        if name == "[Content_Types].xml":
            return data.replace(b"</Types>", b'<Override PartName="/xl/externalLinks/externalLink1.xml" '
                                b'ContentType="application/vnd.openxmlformats-officedocument.'
                                b'spreadsheetml.externalLink+xml"/></Types>')
        if name == "xl/_rels/workbook.xml.rels":
            return data.replace(b"</Relationships>", b'<Relationship Id="rIdExt1" Type="' + rel.encode()
                                + b'/externalLink" Target="externalLinks/externalLink1.xml"/></Relationships>')
        if name == "xl/workbook.xml":
            return re.sub(rb"</sheets>", b"</sheets><externalReferences><externalReference "
                          b'r:id="rIdExt1"/></externalReferences>', data, count=1)
        return data

    hostile.rewrite_parts(source, target, change)
    with zipfile.ZipFile(target, "a") as z:
        z.writestr("xl/externalLinks/externalLink1.xml", link)
        z.writestr("xl/externalLinks/_rels/externalLink1.xml.rels", link_rels)
    return target


@pytest.mark.parametrize("role", ["template", "out"])
def test_external_links_in_an_input_workbook_are_dropped(tmp_path, run_cli, role):
    plain = tmp_path / "plain.xlsx"
    assert run_cli("build", "--out", plain)[0] == 0
    linked = _with_external_link(plain, tmp_path / "linked.xlsx")
    # the control: openpyxl would keep the link if asked to
    assert len(openpyxl.load_workbook(linked, keep_links=True)._external_links) == 1
    out = tmp_path / "regenerated.xlsx"
    if role == "template":
        code, _, err = run_cli("build", "--template", linked, "--out", out)
    else:
        shutil.copyfile(linked, out)
        code, _, err = run_cli("build", "--out", out)
    assert code == 0, err
    with zipfile.ZipFile(out) as z:
        names = z.namelist()
        assert not [n for n in names if "externalLink" in n]
        assert b"payroll.xlsx" not in b"".join(z.read(n) for n in names)


def test_vba_from_a_template_is_not_carried_into_an_xlsx(tmp_path, run_cli):
    plain = tmp_path / "plain.xlsx"
    assert run_cli("build", "--out", plain)[0] == 0
    xlsm = tmp_path / "with-macros.xlsm"

    def change(name, data):
        if name == "[Content_Types].xml":
            return data.replace(b"</Types>", b'<Default Extension="bin" ContentType="application/'
                                b'vnd.ms-office.vbaProject"/></Types>')
        if name == "xl/_rels/workbook.xml.rels":
            return data.replace(b"</Relationships>", b'<Relationship Id="rIdVBA" Type="http://schemas.'
                                b'microsoft.com/office/2006/relationships/vbaProject" '
                                b'Target="vbaProject.bin"/></Relationships>')
        return data

    hostile.rewrite_parts(plain, xlsm, change)
    with zipfile.ZipFile(xlsm, "a") as z:
        z.writestr("xl/vbaProject.bin", b"Attribute VB_Name = \"AutoOpen\"" * 20)
    out = tmp_path / "scorecard.xlsx"
    assert run_cli("build", "--template", xlsm, "--out", out)[0] == 0
    with zipfile.ZipFile(out) as z:
        assert "xl/vbaProject.bin" not in z.namelist()
        assert b"vbaProject" not in z.read("[Content_Types].xml")


def test_formula_engine_checks_a_workbook_before_the_formulas_package_opens_it():
    """formula_engine.evaluate() opens a workbook through the 'formulas' package: the same
    check_xlsx guard as every other opener must come first."""
    source = (PACKAGE / "excel" / "formula_engine.py").read_text(encoding="utf-8")
    assert 0 <= source.index("check_xlsx(path)") < source.index("ExcelModel().loads")


def test_formula_engine_refuses_a_hostile_workbook(tmp_path):
    pytest.importorskip("formulas")
    from xl_scorecard.excel import formula_engine
    from xl_scorecard.core.errors import WorkbookError

    not_a_workbook = tmp_path / "fake.xlsx"
    not_a_workbook.write_bytes(b"this is not a zip")
    with pytest.raises(WorkbookError, match="not an .xlsx workbook"):
        formula_engine.evaluate(not_a_workbook)

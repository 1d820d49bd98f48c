"""`xl-scorecard fill`: the analyst's own workbook, the analyst's own layout, filled in place.

The fixture (tests/fill_workbooks.py) has a merged title block, a picture, a
native chart, conditional formatting, data validation, a comment, a hidden
column, a defined name, a second sheet of formulas, a calcChain, shared strings,
custom XML and (as .xlsm) a VBA part. After a fill, every part but the few that
must change is byte for byte the same; the filled sheet differs only in the
mapped cells; those cells equal `xl-scorecard results`; LibreOffice reads them.
"""

from __future__ import annotations

import io
import shutil
import subprocess
import zipfile
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from lxml import etree

from xl_scorecard import cli

from conftest import BUNDLED_DATA, BUNDLED_RULES
from fill_workbooks import FORMULA_REF, HEADER_ROW, HEADERS, analyst_workbook

NS = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
SHEET = "xl/worksheets/sheet1.xml"
MONTH = "2012-05"
# the parts a fill may change; everything else must be byte-identical
MAY_CHANGE = {SHEET, "xl/calcChain.xml", "xl/sharedStrings.xml", "xl/workbook.xml"}
RESULT_HEADERS = {"Latest Result": "value", "RAG": "rag", "Num": "numerator",
                  "Denom": "denominator", "Target (for the year)": "target",
                  "Previous Result": "previous", "DoT (previous to latest)": "dot_previous",
                  "Outturn (March) Result": "outturn", "DoT (outturn to latest)": "dot_outturn"}


def run(*argv) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = cli.run(list(argv), stdout=out, stderr=err)
    return code, out.getvalue(), err.getvalue()


def results_table() -> pd.DataFrame:
    code, out, err = run("results", "--month", MONTH, "--rules", str(BUNDLED_RULES),
                         "--data", str(BUNDLED_DATA))
    assert code == 0, err
    return pd.read_csv(io.StringIO(out), dtype={"ref": str}, keep_default_na=False,
                       na_values=[""])


def fill(path, *extra) -> tuple[int, str, str]:
    return run("fill", "--workbook", str(path), "--month", MONTH, "--rules", str(BUNDLED_RULES),
               "--data", str(BUNDLED_DATA), *extra)


def parts_of(path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as archive:
        return {i.filename: archive.read(i) for i in archive.infolist()}


def cells_of(xml: bytes) -> dict[str, etree._Element]:
    root = etree.fromstring(xml)
    return {c.get("r"): c for c in root.iter(f"{NS}c")}


def indicator_rows(path) -> dict[str, int]:
    """Ref -> row of the fixture, read back with openpyxl."""
    ws = openpyxl.load_workbook(path)["Scorecard"]
    col = HEADERS.index("Ref") + 1
    return {str(ws.cell(r, col).value): r for r in range(HEADER_ROW + 1, ws.max_row + 1)
            if ws.cell(r, 2).value is not None and ws.cell(r, col).value is not None}


def mapped_cells(path) -> set[str]:
    letters = [openpyxl.utils.get_column_letter(HEADERS.index(h) + 1) for h in RESULT_HEADERS]
    return {f"{c}{r}" for r in indicator_rows(path).values() for c in letters} | {"B3"}


@pytest.fixture(params=["xlsx", "xlsm"])
def workbook(request, tmp_path) -> Path:
    return analyst_workbook(tmp_path / f"own-scorecard.{request.param}", vba=request.param == "xlsm")


def test_every_other_part_is_byte_identical_and_the_sheet_differs_only_in_mapped_cells(workbook):
    before = parts_of(workbook)
    code, out, err = fill(workbook)
    assert code == 0, err
    after = parts_of(workbook)
    assert list(after) == list(before)  # same parts, same order
    unchanged = [n for n in before if n not in MAY_CHANGE]
    assert len(unchanged) >= 14  # drawings, chart, picture, comments, styles, theme, VBA, ...
    for name in unchanged:
        assert after[name] == before[name], name
    if workbook.suffix == ".xlsm":
        assert after["xl/vbaProject.bin"] == before["xl/vbaProject.bin"]
    old, new = cells_of(before[SHEET]), cells_of(after[SHEET])
    mapped = mapped_cells(workbook)
    changed = {r for r in set(old) | set(new)
               if r not in old or r not in new or etree.tostring(old[r]) != etree.tostring(new[r])}
    assert changed and changed <= mapped
    for ref in mapped & set(old):
        assert new[ref].get("s") == old[ref].get("s"), ref  # each cell keeps its style
    # everything outside sheetData (merges, conditional formats, validations, drawing) as it was
    outside = [etree.tostring(e) for e in etree.fromstring(before[SHEET]) if e.tag != f"{NS}sheetData"]
    assert outside == [etree.tostring(e) for e in etree.fromstring(after[SHEET])
                       if e.tag != f"{NS}sheetData"]
    assert "kept 1 cell(s) holding your formulas" in out and "E7" in out


def _cell_value(ws, ref):
    return ws[ref].value


def test_filled_cells_equal_the_results_command_cell_by_cell(workbook):
    assert fill(workbook)[0] == 0
    results = results_table().set_index("ref")
    ws = openpyxl.load_workbook(workbook)["Scorecard"]
    rows = indicator_rows(workbook)
    compared = 0
    for ref, row in rows.items():
        for header, field in RESULT_HEADERS.items():
            cell = ws.cell(row, HEADERS.index(header) + 1)
            expected = results.loc[ref, field]
            if ref == FORMULA_REF and field == "value":
                assert cell.value == "=G7/H7*10000"  # the analyst's formula, kept
                continue
            if pd.isna(expected):
                assert cell.value is None, (ref, field)
            elif isinstance(expected, str):
                assert cell.value == expected, (ref, field)
            else:
                assert isinstance(cell.value, (int, float)) and cell.value == pytest.approx(
                    float(expected), rel=1e-15, abs=0), (ref, field)
            compared += 1
    assert len(rows) == 44 and compared == 44 * 9 - 1
    assert ws["B3"].value == "May 2012"
    assert ws["N7"].value == "note 1" and ws["O7"].value == "analyst's commentary 1"


def test_shared_strings_and_calc_chain_stay_consistent(tmp_path):
    path = analyst_workbook(tmp_path / "own.xlsx")
    assert fill(path, "--overwrite-formulas")[0] == 0
    parts = parts_of(path)
    sst = etree.fromstring(parts["xl/sharedStrings.xml"])
    references = sum(1 for name, data in parts.items() if name.startswith("xl/worksheets/sheet")
                     for c in etree.fromstring(data).iter(f"{NS}c") if c.get("t") == "s")
    assert int(sst.get("count")) == references
    chain = etree.fromstring(parts["xl/calcChain.xml"])
    entries = [(c.get("r"), c.get("i")) for c in chain]
    assert ("E7", "1") not in entries and all(r != "E7" for r, _ in entries)
    assert entries[0] == ("B2", "2")  # the next sheet's entries keep their sheet
    formulas = {c.get("r") for c in etree.fromstring(parts["xl/worksheets/sheet2.xml"]).iter(f"{NS}c")
                if c.find(f"{NS}f") is not None}
    assert {r for r, _ in entries} == formulas
    assert openpyxl.load_workbook(path)["Scorecard"]["E7"].value == pytest.approx(66.0275, abs=1e-4)


def test_an_emptied_calc_chain_goes_with_its_relationship_and_content_type(tmp_path):
    path = analyst_workbook(tmp_path / "own.xlsx", pivot_formulas=False)
    assert fill(path, "--overwrite-formulas")[0] == 0
    parts = parts_of(path)
    assert "xl/calcChain.xml" not in parts
    assert b"calcChain" not in parts["xl/_rels/workbook.xml.rels"]
    assert b"calcChain" not in parts["[Content_Types].xml"]
    openpyxl.load_workbook(path)  # still a valid package


def test_dry_run_lists_every_cell_old_and_new_and_writes_nothing(workbook):
    before = workbook.read_bytes()
    code, out, err = fill(workbook, "--dry-run")
    assert code == 0, err
    assert workbook.read_bytes() == before
    assert "Scorecard!F9 (SCS03 rag): 'Amber' -> 'Red'" in out
    assert "Scorecard!B3 (month): 'April 2012' -> 'May 2012'" in out
    assert "would write 396 cell(s)" in out
    assert "=G7/H7*10000" in out


def test_rag_colours_are_added_once_where_the_analyst_has_none(tmp_path):
    path = analyst_workbook(tmp_path / "plain.xlsx", conditional=False)
    before = parts_of(path)
    code, out, _ = fill(path)
    assert code == 0 and "added xl_scorecard's Green/Amber/Red colours" in out
    first = parts_of(path)
    assert first["xl/styles.xml"] != before["xl/styles.xml"]
    dxfs = etree.fromstring(first["xl/styles.xml"]).find(f"{NS}dxfs")
    assert int(dxfs.get("count")) == len(dxfs) == 3
    rules = [r.find(f"{NS}formula").text for r in etree.fromstring(first[SHEET]).iter(f"{NS}cfRule")]
    assert rules == ['"Green"', '"Amber"', '"Red"']
    code, out, _ = fill(path)
    assert code == 0 and "Green/Amber/Red colours" not in out
    assert parts_of(path)["xl/styles.xml"] == first["xl/styles.xml"]  # once only


def test_out_writes_a_copy_and_leaves_the_original(workbook, tmp_path):
    before = workbook.read_bytes()
    copy = tmp_path / f"copy{workbook.suffix}"
    assert fill(workbook, "--out", str(copy))[0] == 0
    assert workbook.read_bytes() == before
    assert openpyxl.load_workbook(copy)["Scorecard"]["F9"].value == "Red"


@pytest.mark.libreoffice
@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed")
@pytest.mark.parametrize("suffix", ["xlsx", "xlsm"])
def test_libreoffice_opens_the_filled_workbook_and_reads_the_same_values(tmp_path, suffix):
    path = analyst_workbook(tmp_path / f"own.{suffix}", vba=suffix == "xlsm")
    assert fill(path)[0] == 0
    out = tmp_path / "lo"
    done = subprocess.run(["soffice", "--headless", f"-env:UserInstallation=file://{tmp_path}/profile",
                           "--convert-to", "xlsx:Calc MS Excel 2007 XML", "--outdir", str(out),
                           str(path)],
                          capture_output=True, timeout=180)
    assert done.returncode == 0, done.stderr
    ours = openpyxl.load_workbook(path)["Scorecard"]
    theirs = openpyxl.load_workbook(out / "own.xlsx", data_only=True)["Scorecard"]
    results = results_table().set_index("ref")
    for ref in mapped_cells(path) - {"E7"}:
        mine, read = ours[ref].value, theirs[ref].value
        if isinstance(mine, float):
            assert read == pytest.approx(mine, rel=1e-14), ref
        else:
            assert read == mine, ref
    # LibreOffice recalculated the analyst's own formula and the second sheet's counts
    assert theirs["E7"].value == pytest.approx(results.loc["1", "value"], rel=1e-12)
    counts = openpyxl.load_workbook(out / "own.xlsx", data_only=True)["RAG by section"]
    rag = results["rag"].value_counts()
    assert [counts[f"B{i}"].value for i in (2, 3, 4)] == [rag["Green"], rag["Amber"], rag["Red"]]


def test_nothing_is_written_while_the_workbook_is_open(workbook):
    lock = workbook.with_name("~$" + workbook.name)
    lock.write_bytes(b"owner")
    before = workbook.read_bytes()
    code, out, err = fill(workbook)
    assert code == 2 and "is open in Excel or LibreOffice" in err and out == ""
    assert workbook.read_bytes() == before


def _with_shared_formulas(path: Path) -> Path:
    """Rewrite the fixture's sheet as Excel stores filled-down formulas: E8:E9 share one
    (both mapped), and L8's is shared with M8 (mapped) and N8 (the hidden notes, not mapped)."""
    parts = parts_of(path)
    root = etree.fromstring(parts[SHEET])
    cells = {c.get("r"): c for c in root.iter(f"{NS}c")}

    def formula(where, text=None, **attrs):
        c = cells.get(where)
        if c is None:  # an empty cell openpyxl did not write
            row = next(r for r in root.iter(f"{NS}row") if r.get("r") == where[1:])
            c = etree.SubElement(row, f"{NS}c", r=where)
        for child in list(c):
            c.remove(child)
        c.attrib.pop("t", None)
        f = etree.SubElement(c, f"{NS}f", **attrs)
        f.text = text
        etree.SubElement(c, f"{NS}v").text = "1"

    formula("E8", "G8/H8*10000", t="shared", ref="E8:E9", si="0")
    formula("E9", t="shared", si="0")
    formula("L8", "G8+1", t="shared", ref="L8:N8", si="1")
    formula("M8", t="shared", si="1")
    formula("N8", t="shared", si="1")
    parts[SHEET] = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
    with zipfile.ZipFile(path, "w") as out:
        for name, data in parts.items():
            out.writestr(name, data)
    return path


def test_a_shared_formula_is_replaced_only_when_every_cell_using_it_is_written(tmp_path):
    path = _with_shared_formulas(analyst_workbook(tmp_path / "own.xlsx"))
    code, out, err = fill(path, "--overwrite-formulas")
    assert code == 0, err
    cells = cells_of(parts_of(path)[SHEET])
    assert cells["E8"].find(f"{NS}f") is None and cells["E9"].find(f"{NS}f") is None
    assert cells["M8"].find(f"{NS}f") is None
    kept = cells["L8"].find(f"{NS}f")  # N8 still uses it: kept, and said so
    assert kept is not None and kept.get("ref") == "L8:N8" and kept.text == "G8+1"
    assert cells["N8"].find(f"{NS}f").get("si") == "1"
    assert "Scorecard!L8 (SCS02 outturn): =G8+1" in out
    assert "formula =G8/H8*10000 replaced" in out


def test_cells_formatted_as_percentages_receive_fractions(tmp_path):
    path = analyst_workbook(tmp_path / "own.xlsx", percent_cells=True)
    code, out, err = run("map", "--workbook", str(path))
    assert code == 0 and "percentages are written as fractions" in out
    assert fill(path)[0] == 0
    ws = openpyxl.load_workbook(path)["Scorecard"]
    results = results_table().set_index("ref")
    rows = indicator_rows(path)
    for ref, row in rows.items():
        expected = results.loc[ref]
        scale = 100 if expected["measure"] == "percent" else 1
        for header, field in (("Latest Result", "value"), ("Target (for the year)", "target"),
                              ("Previous Result", "previous")):
            got = ws.cell(row, HEADERS.index(header) + 1).value
            if ref == FORMULA_REF and field == "value":
                continue
            if pd.isna(expected[field]):
                assert got is None
            else:
                assert got == pytest.approx(expected[field] / scale, rel=1e-15), (ref, field)
        assert ws.cell(row, HEADERS.index("Num") + 1).value == expected["numerator"] or \
            pd.isna(expected["numerator"])
    assert ws[f"E{rows['3']}"].value == pytest.approx(0.967241379, rel=1e-9)


def test_without_percent_cells_figures_stay_in_display_units(tmp_path):
    path = analyst_workbook(tmp_path / "own.xlsx")
    assert "fractions" not in run("map", "--workbook", str(path))[1]
    assert fill(path)[0] == 0
    rows = indicator_rows(path)
    assert openpyxl.load_workbook(path)["Scorecard"][f"E{rows['3']}"].value == pytest.approx(96.7241379)


def test_a_mapped_field_the_results_do_not_carry_leaves_its_cells_alone(tmp_path):
    """A comparator (issue 9) may be mapped before the results carry it (no --comparators)."""
    import json

    path = analyst_workbook(tmp_path / "own.xlsx")
    rules = json.loads(BUNDLED_RULES.read_text("utf-8"))
    rules["workbook"] = {"sheet": "Scorecard", "header_row": 5, "match": {"ref": "A"},
                         "columns": {"rag": "F", "cmp:England": "N", "cmp:South East": "O"}}
    rules_path = tmp_path / "rules.json"
    rules_path.write_text(json.dumps(rules), "utf-8")
    code, out, err = run("fill", "--workbook", str(path), "--rules", str(rules_path), "--data",
                         str(BUNDLED_DATA), "--month", MONTH)
    assert code == 0, err
    # every results table carries range_status since issue 9; without --comparators no cmp: field
    assert "mapped but not in these results, left alone: cmp:England, cmp:South East" in out
    ws = openpyxl.load_workbook(path)["Scorecard"]
    assert ws["N7"].value == "note 1" and ws["O7"].value == "analyst's commentary 1"
    assert ws["F9"].value == "Red"


def test_comparator_and_range_columns_are_written_when_the_results_carry_them():
    """The shared results contract: cmp:<name> numbers and range_status text, when present."""
    from xl_scorecard.core.fill_plan import plan_cells
    from xl_scorecard.core.periods import Month
    from xl_scorecard.core.workbook_map import WorkbookMap

    results = pd.DataFrame({"id": ["A", "B"], "measure": ["percent", "count"],
                            "value": [28.6, 12.0], "cmp:England": [22.6, float("nan")],
                            "cmp:England:period": ["2016/17", ""], "range_status": ["", "Above"]})
    mapping = WorkbookMap("S", 1, {"id": "A"}, {"value": "B", "cmp:England": "C",
                                                "cmp:England:period": "D", "range_status": "E"})
    cells = {(c.ref, c.value) for c in plan_cells(mapping, {"A": 2, "B": 3}, results,
                                                  Month(2018, 5))}
    assert cells == {("B2", 28.6), ("C2", 22.6), ("D2", "2016/17"), ("E2", None),
                     ("B3", 12.0), ("C3", None), ("D3", None), ("E3", "Above")}
    fractions = WorkbookMap("S", 1, {"id": "A"}, {"value": "B", "cmp:England": "C"},
                            percent_as_fraction=True)
    cells = {c.ref: c.value for c in plan_cells(fractions, {"A": 2, "B": 3}, results,
                                                Month(2018, 5))}
    assert cells["B2"] == pytest.approx(0.286) and cells["C2"] == pytest.approx(0.226)
    assert cells["B3"] == 12.0  # a count is never scaled


def test_excel_is_told_to_recalculate_on_opening(tmp_path):
    import hostile_files as hostile

    plain = analyst_workbook(tmp_path / "plain.xlsx")
    path = hostile.rewrite_parts(plain, tmp_path / "own.xlsx", lambda name, data: data.replace(
        b' fullCalcOnLoad="1"', b"") if name == "xl/workbook.xml" else data)
    before = etree.fromstring(parts_of(path)["xl/workbook.xml"])
    assert before.find(f"{NS}calcPr").get("fullCalcOnLoad") is None
    assert fill(path)[0] == 0
    after = etree.fromstring(parts_of(path)["xl/workbook.xml"])
    assert after.find(f"{NS}calcPr").get("fullCalcOnLoad") == "1"
    after.find(f"{NS}calcPr").attrib.pop("fullCalcOnLoad")
    assert etree.tostring(after) == etree.tostring(before)  # nothing else in workbook.xml


def test_a_sheet_showing_g_a_r_gets_letters_and_letter_colours(tmp_path):
    """Kent's published scorecards print G / A / R: the analyst's conditional formats look
    for letters, so a fill must not write words."""
    path = analyst_workbook(tmp_path / "own.xlsx", rag="A", conditional=False)
    code, out, _ = run("map", "--workbook", str(path))
    assert code == 0 and "ratings are written as G, A and R" in out
    code, out, err = fill(path)
    assert code == 0, err
    ws = openpyxl.load_workbook(path)["Scorecard"]
    results = results_table().set_index("ref")
    rag_col = HEADERS.index("RAG") + 1
    for ref, row in indicator_rows(path).items():
        assert ws.cell(row, rag_col).value == results.loc[ref, "rag"][0]
    rules = [r.find(f"{NS}formula").text for r in
             etree.fromstring(parts_of(path)[SHEET]).iter(f"{NS}cfRule")]
    assert rules == ['"G"', '"A"', '"R"']

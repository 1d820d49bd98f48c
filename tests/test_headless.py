"""Headless workbooks: what `build` writes, read back by meaning (values, styles, rules)."""

from __future__ import annotations

import io
import json
import math
import zipfile

import openpyxl
import pandas as pd
import pytest

from xl_scorecard import load_data, load_rules
from xl_scorecard.core.month_report import compute_report
from xl_scorecard.layout.scorecard import HEADERS, HEADER_ROW, ID_COL, COMMENTARY_COL

from conftest import BUNDLED_DATA, BUNDLED_RULES, REPO_ROOT

SYNTHETIC = REPO_ROOT / "workbooks" / "synthetic_kent_scs_2012-2014.csv"


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """The bundled sample's May 2012 workbook, built once through the CLI."""
    from xl_scorecard import cli

    out = tmp_path_factory.mktemp("built") / "scorecard.xlsx"
    stdout, stderr = io.StringIO(), io.StringIO()
    assert cli.run(["build", "--month", "2012-05", "--out", str(out)], stdout, stderr) == 0, stderr.getvalue()
    assert "16 Green, 16 Amber, 12 Red" in stdout.getvalue()
    return out


@pytest.fixture(scope="module")
def book(built):
    return openpyxl.load_workbook(built)


def scorecard_rows(ws) -> dict[str, dict]:
    """Indicator rows of the Scorecard sheet, keyed by the ID column."""
    rows = {}
    for row in ws.iter_rows(min_row=HEADER_ROW + 1, values_only=True):
        ident = row[ID_COL - 1] if len(row) >= ID_COL else None
        if ident:
            rows[ident] = dict(zip(HEADERS + ("Commentary", "ID"), row))
    return rows


def test_sheets_in_order(book):
    assert book.sheetnames == ["Scorecard", "Summary", "Exceptions", "Trend", "Data", "Rules"]


def test_scorecard_header_reads_exactly_as_councils_print_it(book):
    ws = book["Scorecard"]
    header = [ws.cell(HEADER_ROW, c).value for c in range(1, len(HEADERS) + 1)]
    assert " | ".join(header) == ("Ref | Indicator | Polarity | Data Period | Latest Result | RAG | "
                                  "Num | Denom | Target | Previous Result | DoT Previous | "
                                  "Outturn Result | DoT Outturn")


def test_title_block_names_service_organisation_and_month(book):
    ws = book["Scorecard"]
    assert ws["A1"].value == "Specialist Children's Services Performance Scorecard"
    assert "Kent County Council" in ws["A2"].value and "May 2012" in ws["A2"].value
    assert book.defined_names["ReportMonth"].attr_text == "'Scorecard'!$B$3"
    assert ws["B3"].value == "2012-05"


def test_build_gives_exactly_the_results_command(book, kent_results):
    """Every value, rating and arrow in the workbook equals `xl-scorecard results`."""
    rows = scorecard_rows(book["Scorecard"])
    assert list(rows) == list(kent_results["id"])
    for r in kent_results.itertuples(index=False):
        cells = rows[r.id]
        assert cells["RAG"] == r.rag
        assert (cells["DoT Previous"] or "") == r.dot_previous
        assert (cells["DoT Outturn"] or "") == r.dot_outturn
        assert cells["Latest Result"] == pytest.approx(float(r.value), rel=1e-15)
        assert cells["Previous Result"] == pytest.approx(float(r.previous), rel=1e-15)
        assert cells["Target"] == pytest.approx(float(r.target))


def test_results_are_stored_in_display_units_and_formatted_per_measure(book):
    ws = book["Scorecard"]
    by_id = {ws.cell(r, ID_COL).value: r for r in range(HEADER_ROW + 1, ws.max_row + 1)}
    latest = HEADERS.index("Latest Result") + 1
    expected = {"SCS03": '#,##0.0"%"', "SCS02": "#,##0.0", "SCS12": "#,##0", "SCS44": "#,##0.0"}
    for ident, fmt in expected.items():
        cell = ws.cell(by_id[ident], latest)
        assert cell.number_format == fmt, ident
    assert ws.cell(by_id["SCS03"], latest).value == pytest.approx(96.724, abs=1e-3)  # not 0.967


def test_rag_cells_are_coloured_by_conditional_formatting(book):
    ws = book["Scorecard"]
    rules = {}
    for area in ws.conditional_formatting:
        for rule in area.rules:
            rules.setdefault(str(area.sqref), set()).add(rule.formula[0])
    rag_col = openpyxl.utils.get_column_letter(HEADERS.index("RAG") + 1)
    area = next(a for a in rules if a.startswith(f"{rag_col}{HEADER_ROW + 1}:"))
    assert rules[area] == {'"Green"', '"Amber"', '"Red"'}


def test_frozen_header_and_print_setup(book):
    ws = book["Scorecard"]
    assert ws.freeze_panes == f"E{HEADER_ROW + 1}"
    assert ws.page_setup.orientation == "landscape"
    assert ws.page_setup.fitToWidth == 1 and ws.page_setup.fitToHeight == 1  # 44 rows: one page
    assert ws.sheet_properties.pageSetUpPr.fitToPage
    assert ws.print_title_rows == f"$1:${HEADER_ROW}"  # title block and headers if it runs over


def test_every_sheet_has_the_page_header_and_footer(book):
    for ws in book.worksheets:
        assert ws.oddHeader.left.text == "Kent County Council", ws.title
        assert ws.oddHeader.center.text.endswith(": May 2012"), ws.title
        assert ws.oddHeader.right.text == "Page &P of &N", ws.title
        assert ws.oddFooter.left.text.startswith("Produced "), ws.title


def test_exception_blocks_are_pages_with_a_chart_each(book, kent_results):
    ws = book["Exceptions"]
    red = int((kent_results["rag"] == "Red").sum())
    assert ws["A2"].value.startswith(f"{red} indicators are rated Red.")
    assert len(ws.row_breaks.brk) == red - 1
    assert len(ws._charts) == red
    assert all(type(c).__name__ == "LineChart" for c in ws._charts)


def test_summary_sheet_has_counts_paragraph_and_changes(book):
    rules = load_rules(BUNDLED_RULES)
    report = compute_report(rules, load_data(BUNDLED_DATA, rules), "2012-05")
    ws = book["Summary"]
    values = [c for row in ws.iter_rows(values_only=True) for c in row if c is not None]
    assert report.summary.paragraph in values
    assert [ws.cell(5, c).value for c in range(3, 7)] == [16, 16, 12, 44]
    change_rows = [row for row in ws.iter_rows(min_row=16, values_only=True) if row[0]]
    assert len(change_rows) == len(report.summary.changes) == 10
    first = report.summary.changes[0]
    assert change_rows[0][:4] == (first.ref, first.name, first.before, first.after)


def test_exceptions_has_a_block_per_red_indicator(book, kent_results):
    ws = book["Exceptions"]
    ids = [row[5] for row in ws.iter_rows(values_only=True) if len(row) > 5 and row[5]]
    assert ids == list(kent_results.loc[kent_results["rag"] == "Red", "id"])
    text = [c for row in ws.iter_rows(values_only=True) for c in row if isinstance(c, str)]
    assert any(t.startswith("Target: 85.0% (RAG Status set as: Green 85.0% and above, Amber from 76.5% "
                            "to 85.0%, Red below 76.5%).") for t in text)
    assert text.count("Commentary") == len(ids)


def test_trend_has_a_native_line_chart_per_indicator(book):
    ws = book["Trend"]
    assert len(ws._charts) == 44
    assert type(ws._charts[0]).__name__ == "LineChart"


def test_data_sheet_is_an_excel_table_of_the_inputs(book):
    ws = book["Data"]
    assert list(ws.tables) == ["ScorecardData"]
    assert [c.value for c in ws[1]] == ["indicator", "period", "numerator", "denominator", "value"]
    assert ws.max_row == 1 + 88


def test_rules_sheet_lists_thresholds_in_force(book):
    ws = book["Rules"]
    header = [c.value for c in ws[3]]
    row = next(r for r in ws.iter_rows(min_row=4, values_only=True) if r[0] == "SCS20")
    record = dict(zip(header, row))
    assert (record["Target"], record["Floor"], record["In force from"]) == (85, 76.5, "2012-04")


def test_text_that_looks_like_a_formula_is_written_as_text(tmp_path, make_document, make_indicator,
                                                           write_json, run_cli):
    """An indicator named '=HYPERLINK(...)' must not become a live formula (formula injection)."""
    name = '=HYPERLINK("http://example.invalid","click")'
    rules = write_json(make_document(make_indicator(name=name, section="@SUM(A1)")))
    data = tmp_path / "data.csv"
    data.write_text("indicator,period,numerator,denominator,value\nK1,2012-05,1,2,\n")
    out = tmp_path / "out.xlsx"
    assert run_cli("build", "--rules", rules, "--data", data, "--out", out)[0] == 0
    with zipfile.ZipFile(out) as z:
        sheet_xml = z.read("xl/worksheets/sheet1.xml").decode()
    assert "<f>" not in sheet_xml  # no formula anywhere on the static Scorecard
    ws = openpyxl.load_workbook(out)["Scorecard"]
    names = [c.value for row in ws.iter_rows() for c in row]
    assert name in names and "@SUM(A1)" in names


# --------------------------------------------------------------------------- keep the analyst's work


def _type_commentary(path, scorecard_text, exception_text, extra_sheet=True):
    wb = openpyxl.load_workbook(path)
    ws = wb["Scorecard"]
    for r in range(HEADER_ROW + 1, ws.max_row + 1):
        if ws.cell(r, ID_COL).value == "SCS20":
            ws.cell(r, COMMENTARY_COL).value = scorecard_text
    ex = wb["Exceptions"]
    current = None
    for r in range(1, ex.max_row + 1):
        current = ex.cell(r, 6).value or current
        if current == "SCS31" and ex.cell(r, 1).value == "Commentary":
            ex.cell(r, 2).value = exception_text
    if extra_sheet:
        notes = wb.create_sheet("Analyst notes")
        notes["A1"] = "my own working"
    wb.save(path)


def _commentary(path):
    wb = openpyxl.load_workbook(path)
    from xl_scorecard.layout.commentary import read_commentary

    return read_commentary(wb), wb.sheetnames


def test_commentary_and_foreign_sheets_survive_three_regenerations(tmp_path, run_cli):
    out = tmp_path / "scorecard.xlsx"
    argv = ("build", "--month", "2012-05", "--out", out)
    assert run_cli(*argv)[0] == 0
    _type_commentary(out, "Audit backlog cleared in June.", "Three long-running plans end in July.")
    for _ in range(3):
        assert run_cli(*argv)[0] == 0
    kept, sheets = _commentary(out)
    assert kept["Scorecard"] == {"SCS20": "Audit backlog cleared in June."}
    assert kept["Exceptions"] == {"SCS31": "Three long-running plans end in July."}
    assert sheets[-1] == "Analyst notes"
    assert openpyxl.load_workbook(out)["Analyst notes"]["A1"].value == "my own working"


def test_commentary_of_an_indicator_no_longer_red_is_archived_not_lost(tmp_path, run_cli):
    out = tmp_path / "scorecard.xlsx"
    data = ("--data", SYNTHETIC)
    assert run_cli("build", *data, "--month", "2012-05", "--out", out)[0] == 0
    _type_commentary(out, "", "Plans reviewed.", extra_sheet=False)
    assert run_cli("build", *data, "--month", "2012-04", "--out", out)[0] == 0  # SCS31 Green in April
    kept, _ = _commentary(out)
    assert kept["Exceptions"] == {"SCS31": "Plans reviewed."}
    assert run_cli("build", *data, "--month", "2012-05", "--out", out)[0] == 0  # Red again
    kept, _ = _commentary(out)
    assert kept["Exceptions"] == {"SCS31": "Plans reviewed."}


def _with_vba(xlsx, xlsm, payload: bytes):
    """A minimal .xlsm: our workbook plus an opaque vbaProject.bin part."""
    with zipfile.ZipFile(xlsx) as src, zipfile.ZipFile(xlsm, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename == "[Content_Types].xml":
                data = data.replace(
                    b"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
                    b"application/vnd.ms-excel.sheet.macroEnabled.main+xml").replace(
                    b"</Types>", b'<Default Extension="bin" ContentType="application/'
                    b'vnd.ms-office.vbaProject"/></Types>')
            if item.filename == "xl/_rels/workbook.xml.rels":
                data = data.replace(b"</Relationships>", b'<Relationship Id="rIdVBA" Type="http://'
                                    b'schemas.microsoft.com/office/2006/relationships/vbaProject" '
                                    b'Target="vbaProject.bin"/></Relationships>')
            dst.writestr(item, data)
        dst.writestr("xl/vbaProject.bin", payload)


def test_regenerating_an_xlsm_keeps_its_vba_as_opaque_bytes(tmp_path, built, run_cli):
    xlsm = tmp_path / "scorecard.xlsm"
    payload = bytes(range(256)) * 8
    _with_vba(built, xlsm, payload)
    assert run_cli("build", "--month", "2012-05", "--out", xlsm)[0] == 0
    with zipfile.ZipFile(xlsm) as z:
        assert z.read("xl/vbaProject.bin") == payload


def test_an_xlsm_build_and_rules_export_leave_no_zip_open(tmp_path, built, run_cli, monkeypatch):
    """openpyxl's copy of an .xlsm's VBA (an in-memory zip open for appending) is closed once the
    workbook is saved: left to the garbage collector it fails in ZipFile.__del__, an error
    Python can only print. Every ZipFile created during the two commands is closed after them."""
    made = []
    real_init = zipfile.ZipFile.__init__

    def tracked(self, *args, **kwargs):
        real_init(self, *args, **kwargs)
        made.append(self)

    monkeypatch.setattr(zipfile.ZipFile, "__init__", tracked)
    xlsm = tmp_path / "scorecard.xlsm"
    _with_vba(built, xlsm, b"opaque VBA")
    made.clear()
    assert run_cli("build", "--month", "2012-05", "--out", xlsm)[0] == 0
    assert run_cli("rules", "export", "--to", xlsm)[0] == 0
    appending = [z for z in made if z.mode in ("a", "w")]
    assert len(appending) >= 2  # the two VBA copies, and the packages written
    assert [z for z in appending if z.fp is not None] == []


def test_a_failed_save_leaves_the_previous_workbook_and_no_partial_file(tmp_path, built, monkeypatch,
                                                                      run_cli):
    out = tmp_path / "scorecard.xlsx"
    out.write_bytes(built.read_bytes())
    before = out.read_bytes()

    def broken_save(workbook, filename):
        with open(filename, "wb") as handle:
            handle.write(b"PK\x03\x04 half a workbook")
        raise OSError(28, "No space left on device")

    from xl_scorecard.headless import build as build_module

    monkeypatch.setattr(build_module, "save_workbook", broken_save)  # what build saves with
    code, _, err = run_cli("build", "--month", "2012-05", "--out", out)
    assert code == 2 and "No space left on device" in err and "Traceback" not in err
    assert out.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["scorecard.xlsx"]


def test_an_output_folder_that_cannot_be_created_is_a_clear_error(tmp_path, run_cli):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where a folder should be")
    code, _, err = run_cli("build", "--out", blocker / "scorecard.xlsx")
    assert code == 2
    assert "not-a-folder" in err and "Traceback" not in err


# --------------------------------------------------------------------------- batch


def test_batch_writes_one_workbook_per_month_with_a_closing_table(tmp_path, run_cli):
    code, out, err = run_cli("batch", "--data", SYNTHETIC, "--from", "2013-01", "--to", "2013-03",
                             "--out-dir", tmp_path, "--jobs", "2")
    assert code == 0, err
    assert sorted(p.name for p in tmp_path.glob("*.xlsx")) == [
        "scorecard-2013-01.xlsx", "scorecard-2013-02.xlsx", "scorecard-2013-03.xlsx"]
    assert "3 of 3 month(s) written" in out
    assert "3/3" in err  # progress bar
    rules = load_rules(BUNDLED_RULES)
    report = compute_report(rules, load_data(SYNTHETIC, rules), "2013-02")
    line = next(l for l in out.splitlines() if l.startswith("2013-02"))
    assert line.split()[1:4] == [str(report.summary.green), str(report.summary.amber),
                                 str(report.summary.red)]
    ws = openpyxl.load_workbook(tmp_path / "scorecard-2013-02.xlsx")["Scorecard"]
    rags = [r[HEADERS.index("RAG")] for r in ws.iter_rows(min_row=HEADER_ROW + 1, values_only=True)
            if r[ID_COL - 1]]
    assert rags == list(report.results["rag"])


def test_batch_reports_a_bad_month_and_builds_the_others(tmp_path, run_cli):
    code, out, _ = run_cli("batch", "--from", "2012-03", "--to", "2012-05", "--out-dir", tmp_path)
    assert code == 2
    assert "2012-03" in out and "FAILED: month 2012-03: has no data" in out
    assert sorted(p.name for p in tmp_path.glob("*.xlsx")) == [
        "scorecard-2012-04.xlsx", "scorecard-2012-05.xlsx"]


def test_synthetic_history_keeps_the_published_month_exact(kent_results):
    rules = load_rules(BUNDLED_RULES)
    results = compute_report(rules, load_data(SYNTHETIC, rules), "2012-05").results
    assert list(results["display"]) == list(kent_results["display"])
    assert list(results["rag"]) == list(kent_results["rag"])


def test_synthetic_history_generator_reproduces_the_committed_file(tmp_path):
    import importlib.util

    spec = importlib.util.spec_from_file_location("gen", REPO_ROOT / "workbooks" / "make_synthetic_history.py")
    gen = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(gen)
    gen.main(tmp_path / "regenerated.csv")
    assert (tmp_path / "regenerated.csv").read_bytes() == SYNTHETIC.read_bytes()
    frame = pd.read_csv(SYNTHETIC)
    assert frame["period"].nunique() == 24
    assert frame["period"].min() == "2012-04" and frame["period"].max() == "2014-03"


# --------------------------------------------------------------------------- real applications


@pytest.mark.libreoffice
def test_libreoffice_reads_our_values(built, tmp_path):
    """LibreOffice opens the static workbook and exports the values we wrote."""
    import shutil
    import subprocess

    soffice = shutil.which("soffice")
    if soffice is None:
        pytest.skip("LibreOffice is not installed")
    profile = (tmp_path / "profile").as_uri()
    subprocess.run([soffice, f"-env:UserInstallation={profile}", "--headless", "--convert-to",
                    "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,true,false,false,1",
                    "--outdir", str(tmp_path), str(built)], check=True, capture_output=True, timeout=180)
    exported = (tmp_path / "scorecard-Scorecard.csv")
    if not exported.exists():  # older LibreOffice: first sheet only, named after the file
        exported = tmp_path / "scorecard.csv"
    text = exported.read_text(encoding="utf-8")
    for expected in ("96.7%", "468.8", "19.9", "Red", "Amber", "Green", "↑", "↓", "→",
                     "Percentage of Case File Audits judged adequate or better"):
        assert expected in text, expected


@pytest.mark.libreoffice
def test_pdf_renders_committee_pages(built, tmp_path, run_cli):
    from xl_scorecard.outputs.libreoffice import find_soffice

    if find_soffice() is None:
        pytest.skip("LibreOffice is not installed")
    pdf = tmp_path / "committee.pdf"
    code, out, err = run_cli("pdf", built, "--out", pdf)
    assert code == 0, err
    assert pdf.read_bytes()[:5] == b"%PDF-"
    assert pdf.stat().st_size > 10_000


def test_pdf_without_libreoffice_is_a_clear_message(built, tmp_path, monkeypatch, run_cli):
    monkeypatch.setenv("PATH", str(tmp_path))  # no soffice on an empty PATH
    code, _, err = run_cli("pdf", built, "--out", tmp_path / "x.pdf")
    assert code == 2
    assert "LibreOffice is not installed" in err
    assert not (tmp_path / "x.pdf").exists()


def test_static_values_have_no_nan(book):
    for ws in book.worksheets:
        for row in ws.iter_rows(values_only=True):
            assert not any(isinstance(v, float) and math.isnan(v) for v in row), ws.title


def test_template_sheets_and_settings_carry_into_a_new_workbook(tmp_path, run_cli):
    template = REPO_ROOT / "workbooks" / "scorecard-template.xlsx"
    before = template.read_bytes()
    out = tmp_path / "april.xlsx"
    code, _, err = run_cli("build", "--month", "2012-04", "--template", template, "--out", out)
    assert code == 0, err
    book = openpyxl.load_workbook(out)
    assert book.sheetnames == ["Scorecard", "Summary", "Exceptions", "Trend", "Data", "Rules",
                               "ReadMe", "xlwings.conf", "rules.json"]
    assert book.defined_names["ScorecardRules"].attr_text.startswith("'rules.json'!$A$1:$D$")
    conf = {r[0]: r[1] for r in book["xlwings.conf"].iter_rows(values_only=True)}
    assert conf["UDF Modules"] == "xl_scorecard.udfs"
    assert book["Scorecard"]["B3"].value == "2012-04"
    assert book.defined_names["ReportMonth"].attr_text == "'Scorecard'!$B$3"
    assert template.read_bytes() == before  # the template itself is never written


def test_a_workbook_built_from_the_template_carries_the_rules_it_was_built_with(tmp_path, run_cli):
    """The template's rules.json sheet holds the bundled rules; a workbook built from it with
    other rules carries those, so its refresh and KPI_* functions compute what the build did."""
    document = json.loads((REPO_ROOT / "rules.json").read_text(encoding="utf-8"))
    document["indicators"][13]["thresholds"][0]["target"] = 90
    rules = tmp_path / "council.json"
    rules.write_text(json.dumps(document), encoding="utf-8")
    out = tmp_path / "may.xlsx"
    template = REPO_ROOT / "workbooks" / "scorecard-template.xlsx"
    assert run_cli("build", "--rules", rules, "--template", template, "--out", out)[0] == 0
    code, text, err = run_cli("rules", "import", "--from", out)
    assert code == 0, err
    assert json.loads(text) == document
    # regenerating over that output keeps the analyst's sheet, even with other rules
    assert run_cli("build", "--out", out)[0] == 0
    assert json.loads(run_cli("rules", "import", "--from", out)[1]) == document


def test_a_workbook_carries_no_path_of_the_machine_that_built_it(book):
    """Workbooks are shared and committed (the template): no absolute path may leak in."""
    where = str(REPO_ROOT)
    for ws in book.worksheets:
        for row in ws.iter_rows(values_only=True):
            assert not any(isinstance(v, str) and where in v for v in row), ws.title

"""The committee paper as a file: python-docx reads back every Red indicator's paragraph and
the numbers, LibreOffice opens it and converts it to PDF, the charts are the results, the
officers' commentary arrives under its indicator, and bad inputs are refused with nothing written."""

from __future__ import annotations

import math
import shutil
import struct
import subprocess

import docx
import openpyxl
import pytest
from conftest import BUNDLED_DATA, BUNDLED_RULES, REPO_ROOT

from xl_scorecard.core.engine import compute_month
from xl_scorecard.core.month_report import compute_report
from xl_scorecard.inputs.data import load_data
from xl_scorecard.inputs.rules_file import load_rules
from xl_scorecard.layout.model import RAG_FILLS
from xl_scorecard.paper.charts import PIXELS, chart_data, draw_chart
from xl_scorecard.paper.content import compose
from xl_scorecard.paper.sentences import statement

SYNTHETIC = REPO_ROOT / "workbooks" / "synthetic_kent_scs_2012-2014.csv"


@pytest.fixture(scope="module")
def kent():
    rules = load_rules(BUNDLED_RULES)
    return rules, load_data(BUNDLED_DATA, rules)


@pytest.fixture(scope="module")
def paper_docx(tmp_path_factory, kent):
    import io

    from xl_scorecard import cli

    out = tmp_path_factory.mktemp("paper") / "paper.docx"
    err = io.StringIO()
    assert cli.run(["report", "--month", "2012-05", "--out", str(out)], io.StringIO(), err) == 0, err.getvalue()
    return out


def _all_text(document) -> str:
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts.extend(c.text for c in row.cells)
    return "\n".join(parts)


def test_python_docx_reads_back_every_red_paragraph_and_the_numbers(paper_docx, kent):
    rules, data = kent
    results = compute_month(rules, data, "2012-05")
    document = docx.Document(str(paper_docx))
    paragraphs = [p.text for p in document.paragraphs]
    reds = results[results["rag"] == "Red"]
    assert len(reds) == 12
    for _, row in reds.iterrows():
        expected = statement(row, rules[row["id"]]).text
        matches = [p for p in paragraphs if p.endswith(expected)]
        assert len(matches) == 1, row["id"]
        assert matches[0].startswith("3.")
        assert row["display"].replace("-", "\u2212") in matches[0]
    text = _all_text(document)
    for _, row in results.iterrows():
        assert row["display"].replace("-", "\u2212") in text and row["name"] in text
    assert len(document.inline_shapes) == 12  # one chart per Red indicator


def test_the_paper_has_the_house_shape(paper_docx):
    document = docx.Document(str(paper_docx))
    header = document.tables[0]
    labels = [row.cells[0].text for row in header.rows]
    assert labels == ["From:", "To:", "Date:", "Subject:", "Classification:", "Summary:", "Recommendation:"]
    assert header.rows[0].cells[1].text == "[Cabinet Member and Corporate Director]"  # a placeholder
    assert "performance for May 2012" in header.rows[3].cells[1].text
    assert "asked to NOTE and COMMENT" in header.rows[6].cells[1].text
    headings = [p.text for p in document.paragraphs if p.style.name in ("Heading 1", "Heading 2")]
    order = ["1.\tIntroduction", "2.\tContext", "3.\tCurrent performance",
             "Green indicators: target achieved",
             "Amber indicators: below target but within the floor standard",
             "Red indicators: beyond the floor standard", "4.\tRecommendations",
             "Background documents", "Contact details",
             "Appendix: Specialist Children's Services Performance Scorecard, May 2012"]
    positions = [headings.index(h) for h in order]
    assert positions == sorted(positions)
    levels = {p.text: p.style.name for p in document.paragraphs}
    assert levels["3.\tCurrent performance"] == "Heading 1"
    assert levels["Red indicators: beyond the floor standard"] == "Heading 2"
    assert document.core_properties.title == "Specialist Children's Services Performance Scorecard: performance for May 2012"
    assert document.core_properties.author == "Kent County Council"


def test_every_chart_has_alternative_text_for_screen_readers(paper_docx):
    document = docx.Document(str(paper_docx))
    texts = [shape._inline.docPr.get("descr") for shape in document.inline_shapes]
    assert len(texts) == 12 and all(texts)
    assert any(t.startswith("Line chart of Percentage of Case File Audits judged adequate or better "
                            "(Per cent (%)), April 2012 to May 2012: the monthly result against its target.")
               for t in texts)


def test_the_appendix_table_is_styled_like_the_workbook(paper_docx, kent):
    rules, data = kent
    results = compute_month(rules, data, "2012-05").set_index("ref")
    table = docx.Document(str(paper_docx)).tables[-1]
    assert [c.text for c in table.rows[0].cells][:6] == ["Ref", "Indicator", "Period", "Result", "RAG", "Target"]
    seen = 0
    for row in table.rows[1:]:
        cells = row.cells
        if cells[0].text not in results.index:
            continue  # a section heading row
        expected = results.loc[cells[0].text]
        assert cells[3].text == expected["display"].replace("-", "\u2212")
        assert cells[4].text == expected["rag"]
        assert cells[7].text == expected["dot_previous"] and cells[9].text == expected["dot_outturn"]
        fill = cells[4]._tc.tcPr.xpath("./w:shd/@w:fill")
        assert fill == [RAG_FILLS[expected["rag"]]]
        seen += 1
    assert seen == 44


def _png_size(path) -> tuple[int, int]:
    head = path.read_bytes()[:24]
    assert head[:8] == b"\x89PNG\r\n\x1a\n"
    return struct.unpack(">II", head[16:24])


def test_chart_data_are_the_results_of_each_month(tmp_path):
    rules = load_rules(BUNDLED_RULES)
    data = load_data(SYNTHETIC, rules)
    report = compute_report(rules, data, "2013-09")
    reds = list(report.results.loc[report.results["rag"] == "Red", "id"])
    assert reds
    charts = [b.chart for b in compose(report).blocks if b.kind == "chart"]
    assert [c.id for c in charts] == reds
    months = [str(m) for m in data.months if str(m) <= "2013-09"]
    for chart in charts:
        assert list(chart.months) == months
        for k, month in enumerate(months):
            row = compute_month(rules, data, month).set_index("id").loc[chart.id]
            for got, want in ((chart.values[k], row["value"]), (chart.targets[k], row["target"])):
                assert (math.isnan(got) and math.isnan(want)) or got == want, (chart.id, month)
            if rules[chart.id].polarity == "T":
                assert chart.range_kind == "band"
                assert chart.lows[k] == row["green_low"] and chart.highs[k] == row["green_high"]
        png = draw_chart(chart, tmp_path / f"{chart.id}.png")
        assert _png_size(png) == PIXELS
    assert {c.y_label for c in charts} <= {"Per cent (%)", "Rate per 10,000", "Number", "Average"}


def test_a_lead_indicators_chart_draws_its_expected_range(kent, tmp_path):
    """Issue 9's expected_low / expected_high columns, when present, are the chart's range."""
    rules, data = kent
    report = compute_report(rules, data, "2012-05")
    plain = report.results_for

    def with_range(month):
        return plain(month).assign(expected_low=10.0, expected_high=20.0)

    report.results_for = with_range
    chart = chart_data(report, "SCS12")
    assert chart.range_kind == "expected"
    assert chart.lows == (10.0, 10.0) and chart.highs == (20.0, 20.0)
    assert _png_size(draw_chart(chart, tmp_path / "lead.png")) == PIXELS


def test_officers_commentary_is_carried_under_its_indicator(tmp_path, run_cli):
    workbook = tmp_path / "scorecard-2012-05.xlsx"
    assert run_cli("build", "--out", workbook)[0] == 0
    book = openpyxl.load_workbook(workbook)
    scorecard = book["Scorecard"]
    header = next(r for r in scorecard.iter_rows() if any(c.value == "ID" for c in r))
    cols = {c.value: c.column for c in header}
    for row in scorecard.iter_rows(min_row=header[0].row + 1):
        if row[cols["ID"] - 1].value == "SCS44":
            row[cols["Commentary"] - 1].value = "Caseloads held steady while agency staff were replaced."
    exceptions = book["Exceptions"]
    from xl_scorecard.layout.exceptions_sheet import COMMENTARY_LABEL, ID_COL

    current = None
    for row in exceptions.iter_rows():
        ident = row[ID_COL - 1].value if len(row) >= ID_COL else None
        current = ident or current
        if row[0].value == COMMENTARY_LABEL and current == "SCS20":
            row[1].value = "An audit improvement plan is in place; results are due in July."
    book.save(workbook)
    out = tmp_path / "paper.docx"
    code, stdout, err = run_cli("report", "--workbook", workbook, "--out", out)
    assert code == 0, err
    paragraphs = [p.text for p in docx.Document(str(out)).paragraphs]

    def after(name_part: str) -> list[str]:
        start = next(i for i, p in enumerate(paragraphs) if name_part in p and p.startswith("3."))
        following = []
        for text in paragraphs[start + 1:]:
            if text.startswith("3.") or text.startswith("4."):
                break
            following.append(text)
        return following

    assert ("Officer's commentary: Caseloads held steady while agency staff were replaced."
            in after("average Caseloads of social workers"))
    assert ("Officer's commentary: An audit improvement plan is in place; results are due in July."
            in after("Case File Audits judged adequate"))


@pytest.mark.libreoffice
def test_libreoffice_opens_the_docx_and_converts_it_to_pdf(tmp_path, run_cli):
    if shutil.which("soffice") is None:
        pytest.skip("LibreOffice is not installed")
    out = tmp_path / "paper.docx"
    code, stdout, err = run_cli("report", "--data", SYNTHETIC, "--month", "2013-09", "--out", out, "--pdf")
    assert code == 0, err
    pdf = out.with_suffix(".pdf")
    assert pdf.read_bytes()[:5] == b"%PDF-" and f"wrote {pdf}" in stdout
    if shutil.which("pdftotext"):
        text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True,
                              text=True, check=True).stdout
        for phrase in ("Current performance", "Red indicators: beyond the floor standard",
                       "Recommendations", "Figure 1:", "Appendix"):
            assert phrase in text, phrase
        flat = " ".join(text.split())
        rules = load_rules(BUNDLED_RULES)
        results = compute_month(rules, load_data(SYNTHETIC, rules), "2013-09")
        for _, row in results[results["rag"] == "Red"].iterrows():
            said = " ".join(statement(row, rules[row["id"]]).text.split())
            assert said[:60] in flat and row["display"].replace("-", "\u2212") in flat, row["id"]
    if shutil.which("pdfinfo"):
        info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True).stdout
        assert int(next(l.split()[-1] for l in info.splitlines() if l.startswith("Pages:"))) >= 5
        assert "Tagged:          yes" in info  # structure for screen readers


# --------------------------------------------------------------------------- bad inputs


def test_an_out_that_is_not_docx_is_refused(tmp_path, run_cli):
    code, _, err = run_cli("report", "--out", tmp_path / "paper.pdf")
    assert code == 2
    assert ("give an output name ending in .docx" in err
            or "is named as a PDF (.pdf) but this command writes a Word document" in err)
    assert "Traceback" not in err
    assert not list(tmp_path.iterdir())


def test_an_out_that_is_a_folder_is_refused(tmp_path, run_cli):
    folder = tmp_path / "paper.docx"
    folder.mkdir()
    code, _, err = run_cli("report", "--out", folder)
    assert code == 2 and "is a folder, not a file" in err


def test_a_paper_open_in_word_is_not_replaced(tmp_path, run_cli):
    out = tmp_path / "paper.docx"
    draft = docx.Document()
    draft.add_paragraph("the officer's edited draft")
    draft.save(str(out))
    before = out.read_bytes()
    (tmp_path / "~$paper.docx").write_bytes(b"lock")
    code, _, err = run_cli("report", "--out", out)
    assert code == 2 and "is open in Word or LibreOffice" in err
    assert out.read_bytes() == before


@pytest.mark.parametrize("content,message", [
    (b"not a workbook at all", "is not an .xlsx workbook"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100, "is password-protected"),
])
def test_a_bad_workbook_is_refused_and_nothing_written(tmp_path, run_cli, content, message):
    workbook = tmp_path / "scorecard.xlsx"
    workbook.write_bytes(content)
    out = tmp_path / "paper.docx"
    code, _, err = run_cli("report", "--workbook", workbook, "--out", out)
    assert code == 2 and message in err and "Traceback" not in err
    assert not out.exists()


def test_a_missing_workbook_and_a_workbook_without_our_sheets(tmp_path, run_cli):
    out = tmp_path / "paper.docx"
    code, _, err = run_cli("report", "--workbook", tmp_path / "none.xlsx", "--out", out)
    assert code == 2 and "no such workbook" in err
    other = tmp_path / "other.xlsx"
    openpyxl.Workbook().save(other)
    code, _, err = run_cli("report", "--workbook", other, "--out", out)
    assert code == 2 and "has neither a Scorecard nor an Exceptions sheet" in err
    assert not out.exists()


def test_comparators_reach_the_paper_as_they_reach_results(tmp_path, run_cli):
    """``report --comparators`` reads the table as ``results --comparators`` does (issue 9):
    the paper quotes the figures beside the results; a bad table is refused before writing."""
    example = REPO_ROOT / "workbooks" / "examples"
    args = ("--rules", example / "rules.json", "--data", example / "anyshire_monthly_2016-2018.csv",
            "--comparators", example / "anyshire_comparators.csv")
    out = tmp_path / "p.docx"
    code, _, err = run_cli("report", *args, "--out", out)
    assert code == 0, err
    text = "\n".join(p.text for p in docx.Document(str(out)).paragraphs)
    assert "This compares with England" in text
    bad = tmp_path / "comparators.csv"
    bad.write_text("indicator,comparator,period,value\nNOPE,England,2017/18,1\n")
    code, _, err = run_cli("report", *args[:4], "--comparators", bad, "--out", tmp_path / "q.docx")
    assert code == 2 and "row 2, column 'indicator'" in err and not (tmp_path / "q.docx").exists()

def test_pdf_without_libreoffice_is_refused_before_anything_is_written(tmp_path, monkeypatch, run_cli):
    monkeypatch.setenv("PATH", str(tmp_path))
    out = tmp_path / "paper.docx"
    code, _, err = run_cli("report", "--out", out, "--pdf")
    assert code == 2 and "LibreOffice is not installed" in err
    assert not out.exists()


def test_the_report_section_of_rules_fills_the_header(tmp_path, run_cli):
    import json

    document = json.loads(BUNDLED_RULES.read_text("utf-8"))
    document["report"] = {"from": "Cabinet Member for Specialist Children's Services",
                          "to": "Children's Social Care Cabinet Committee",
                          "meeting_date": "12 July 2012", "classification": "Unrestricted",
                          "background_documents": ["Scorecard data notes, May 2012"],
                          "contacts": [{"name": "A. Analyst", "role": "MI Manager",
                                        "phone": "01622 000000", "email": "mi@example.invalid"}]}
    rules = tmp_path / "rules.json"
    rules.write_text(json.dumps(document), encoding="utf-8")
    out = tmp_path / "paper.docx"
    code, _, err = run_cli("report", "--rules", rules, "--out", out)
    assert code == 0, err
    paper = docx.Document(str(out))
    cells = [row.cells[1].text for row in paper.tables[0].rows]
    assert cells[:3] == ["Cabinet Member for Specialist Children's Services",
                         "Children's Social Care Cabinet Committee", "12 July 2012"]
    assert cells[4] == "Unrestricted"
    assert "The Children's Social Care Cabinet Committee is asked to NOTE" in cells[6]
    text = "\n".join(p.text for p in paper.paragraphs)
    assert "Scorecard data notes, May 2012" in text
    assert "A. Analyst, MI Manager, 01622 000000, mi@example.invalid" in text
    document["report"]["form"] = "typo"
    rules.write_text(json.dumps(document), encoding="utf-8")
    code, _, err = run_cli("report", "--rules", rules, "--out", tmp_path / "other.docx")
    assert code == 2 and "$.report: unknown field 'form'" in err


def test_a_workbook_for_another_month_is_used_with_a_warning(tmp_path, run_cli):
    workbook = tmp_path / "scorecard-2012-04.xlsx"
    assert run_cli("build", "--month", "2012-04", "--out", workbook)[0] == 0
    code, _, err = run_cli("report", "--month", "2012-05", "--workbook", workbook,
                           "--out", tmp_path / "paper.docx")
    assert code == 0, err
    assert f"warning: {workbook}: is the scorecard for 2012-04 (Scorecard!B3), not 2012-05" in err
    code, _, err = run_cli("report", "--month", "2012-04", "--workbook", workbook,
                           "--out", tmp_path / "paper-april.docx")
    assert code == 0 and "warning" not in err

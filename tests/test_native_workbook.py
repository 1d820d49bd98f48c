"""`build --live native`: plain Excel formulas that recalculate anywhere, proved by recalculation.

LibreOffice (headless) opens each native workbook with recalculation on load forced (after every
cached value has been replaced by the text WRONG, so a value that was not recalculated shows) and
saves what it computed; every computed cell must equal the engine's result: the bundled sample,
every month of the synthetic history and a workbook of every RAG and direction boundary case.
The `formulas` engine must agree too, and a viewer that does not recalculate reads the engine's
figures from the cached values.
"""

from __future__ import annotations

import math
import re

import openpyxl
import pytest

from xl_scorecard.core.month_report import compute_report
from xl_scorecard.headless.build import write_report
from xl_scorecard.outputs.libreoffice import find_soffice
from xl_scorecard.inputs.data import COLUMNS, check_table
from xl_scorecard.inputs.rules_file import rules_from_dict
from xl_scorecard.layout import scorecard as card
from xl_scorecard.layout.native_formulas import NATIVE_FUNCTIONS
from openpyxl.utils import get_column_letter

from conftest import BUNDLED_DATA, BUNDLED_RULES, REPO_ROOT
from native_workbooks import (WRONG, boundary_document, committee_copy, computed_values,
                              edit_workbook, edited_inputs, expected_cells, formula_cells,
                              poisoned_copy, range_document, recalculate, sheet_cells)
from native_leads import EXAMPLE_MONTHS, edited_example, example_books

import pandas as pd

SYNTHETIC = REPO_ROOT / "workbooks" / "synthetic_kent_scs_2012-2014.csv"
SYNTHETIC_MONTHS = [f"{y}-{m:02d}" for y, m in
                    [(2012, m) for m in range(4, 13)] + [(2013, m) for m in range(1, 13)]
                    + [(2014, m) for m in range(1, 4)]]
needs_soffice = pytest.mark.skipif(find_soffice() is None, reason="LibreOffice is not installed")


def _boundary_inputs(make=boundary_document):
    document, rows = make()
    rules = rules_from_dict(document, source="boundary-rules.json")
    frame = pd.DataFrame([list(r) for r in rows], columns=list(COLUMNS), dtype=object)
    return rules, check_table(frame, rules, source="boundary.csv")


EDITED = "sample-edited"  # the sample after an analyst's edits: openpyxl saved it, no values
EXAMPLE_EDITED = "example-edited"  # the synthetic example (lead indicators) after edits


def _edited_sample(path, rules, folder):
    import json

    document = json.loads(BUNDLED_RULES.read_text(encoding="utf-8"))
    frame = pd.read_csv(BUNDLED_DATA, dtype=object)
    document, frame = edited_inputs(document, frame)
    edited_rules = rules_from_dict(document)
    data = check_table(frame.where(frame.notna(), None), edited_rules, source="edited.csv")
    results = compute_report(edited_rules, data, "2012-05").results
    edited = edit_workbook(path, folder / f"{EDITED}.xlsx", list(rules.ids))
    return edited, results, edited_rules


@pytest.fixture(scope="module")
def native_books(tmp_path_factory):
    """{name: (workbook path, engine results, rules)} for every native workbook under test."""
    from xl_scorecard.inputs.data import load_data
    from xl_scorecard.inputs.rules_file import load_rules

    from xl_scorecard.core.engine import prepare

    folder = tmp_path_factory.mktemp("native")
    books, inputs = {}, {}
    rules = load_rules(BUNDLED_RULES)
    for name, data, month in [("sample-2012-05", BUNDLED_DATA, "2012-05")] + [
            (f"synthetic-{m}", SYNTHETIC, m) for m in SYNTHETIC_MONTHS]:
        if data not in inputs:
            table = load_data(data, rules)
            inputs[data] = (table, prepare(rules, table))
        table, figures = inputs[data]
        report = compute_report(rules, table, month, figures=figures)
        path = folder / f"{name}.xlsx"
        write_report(report, path, live="native")
        books[name] = (path, report.results, rules)
    books[EDITED] = _edited_sample(books["sample-2012-05"][0], rules, folder)
    boundary_rules, boundary_data = _boundary_inputs()
    report = compute_report(boundary_rules, boundary_data, "2012-05")
    path = folder / "boundaries-2012-05.xlsx"
    write_report(report, path, live="native")
    books["boundaries"] = (path, report.results, boundary_rules)
    range_rules, range_data = _boundary_inputs(range_document)
    path = folder / "ranges-2012-05.xlsx"
    report = compute_report(range_rules, range_data, "2012-05")
    write_report(report, path, live="native")
    books["ranges"] = (path, report.results, range_rules)
    books.update(example_books(folder))
    books[EXAMPLE_EDITED] = edited_example(books[f"example-{EXAMPLE_MONTHS[-1]}"][0], folder)
    return books


def _check(name, path, results, rules, values):
    """Every expected cell equals the engine; every formula cell is among those checked."""
    want = expected_cells(path, results, rules)
    formulas = formula_cells(path)
    unchecked = set(formulas) - set(want)
    assert not unchecked, f"{name}: formula cells nobody checks: {sorted(unchecked)[:5]}"
    static = sheet_cells(path)
    differences = []
    for key, expected in want.items():
        got = values[key] if key in formulas else _blank(static.get(key))
        if not _same(got, expected, working=key[1][0] in "PQR"):
            differences.append((key, formulas.get(key, "static"), expected, got))
    assert differences == [], f"{name}: {len(differences)} differences, e.g. {differences[:3]}"
    return len(formulas)


def _blank(value):
    return "" if value is None else value


def _same(got, expected, working=False) -> bool:
    if isinstance(expected, str) or isinstance(got, str):
        return got == expected
    if isinstance(expected, int) and not isinstance(got, float):
        return got == expected
    # LibreOffice saves numbers at 15 significant digits, as Excel shows them. The working
    # columns (rated value, changes) are differences of values taken at 15 digits: a tie in the
    # 15th digit may go either way between applications (core.rounding rounds such a tie to
    # even), so they agree to 11 digits; the arrows they give must agree exactly.
    return math.isclose(got, expected, rel_tol=1e-11 if working else 5e-15, abs_tol=1e-13)


def test_native_formulas_use_only_plain_excel_functions(native_books):
    for name, (path, _, _) in native_books.items():
        for key, text in formula_cells(path).items():
            used = set(re.findall(r"([A-Z][A-Z0-9.]*)\(", re.sub(r'"[^"]*"', '""', text)))
            assert used <= NATIVE_FUNCTIONS, (name, key, text, used - NATIVE_FUNCTIONS)


def test_cached_values_are_the_engine_figures_without_recalculating(native_books):
    """openpyxl's data_only reads the cached values and calculates nothing."""
    for name, (path, results, rules) in native_books.items():
        if name not in (EDITED, EXAMPLE_EDITED):
            _check(name, path, results, rules, computed_values(path, formula_cells(path)))


@needs_soffice
@pytest.mark.libreoffice
def test_libreoffice_recalculating_from_scratch_equals_the_engine(native_books, tmp_path):
    names = list(native_books)
    # The bundled sample goes in whole; the others as their Scorecard, Summary and Rules sheets
    # (all the native formulas use), since LibreOffice takes several times longer over charts.
    trimmed = [native_books[n][0] if n == names[0] else
               committee_copy(native_books[n][0], tmp_path / f"trimmed-{n}.xlsx") for n in names]
    poisoned = [poisoned_copy(path, tmp_path / f"{n}.xlsx") for n, path in zip(names, trimmed)]
    planted = computed_values(poisoned[0], formula_cells(native_books[names[0]][0]))
    assert set(planted.values()) == {WRONG}
    outputs = recalculate(poisoned, tmp_path / "recalculated", tmp_path / "profile")
    checked = 0
    for name, output in zip(names, outputs):
        path, results, rules = native_books[name]
        values = computed_values(output, formula_cells(path))
        assert WRONG not in values.values(), f"{name}: LibreOffice kept a cached value"
        checked += _check(name, path, results, rules, values)
    assert len(names) == 29 + len(EXAMPLE_MONTHS) and checked > 27 * 300


@pytest.mark.parametrize("name", ["sample-2012-05", EDITED, "boundaries", "ranges",
                                  f"example-{EXAMPLE_MONTHS[-1]}", EXAMPLE_EDITED])
def test_formulas_engine_agrees(native_books, name, tmp_path):
    pytest.importorskip("formulas")
    from xl_scorecard.excel import formula_engine

    path, results, rules = native_books[name]
    evaluated = formula_engine.evaluate(committee_copy(path, tmp_path / path.name))
    values = {k: "" if v is None else v for k, v in evaluated.items()}
    _check(name, path, results, rules, values)


def test_boundary_workbook_ratings_match_the_boundary_tables(native_books):
    """Each RAG case of tests/test_rag_boundaries.py, given as a value, is rated in the workbook
    (its cached rating) as that table expects: three rows per case, the first the given value."""
    from test_rag_boundaries import H_CASES, L_CASES, T_CASES

    path, results, _ = native_books["boundaries"]
    cases = [p.values for table in (H_CASES, L_CASES, T_CASES) for p in table]
    cached = computed_values(path, formula_cells(path))
    rag_col = get_column_letter(card.RAG)
    rows = [int(ref[1:]) for (sheet, ref), v in sheet_cells(path).items()
            if sheet == "Scorecard" and ref.startswith(get_column_letter(card.ID_COL))
            and str(v).startswith("B")]
    got = [cached[("Scorecard", f"{rag_col}{row}")] for row in rows[0:3 * len(cases):3]]
    assert got == [expected for _, expected in cases]


@needs_soffice
@pytest.mark.libreoffice
def test_native_workbook_prints_its_figures_not_errors(native_books, tmp_path):
    """`xl-scorecard pdf` of a native workbook: its formulas still find the Rules sheet."""
    import subprocess

    from xl_scorecard.headless.pdf import workbook_to_pdf

    path, results, _ = native_books["synthetic-2013-09"]
    pdf = workbook_to_pdf(path, tmp_path / "native.pdf")
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True,
                          text=True, check=True).stdout
    assert not re.search(r"#(NAME\?|REF!|VALUE!|DIV/0!)|Err:", text)
    first_page = text.split("\f")[0]
    counts = results["rag"].value_counts()
    assert re.search(rf"Green\s+{counts['Green']}\s+Amber\s+{counts['Amber']}\s+Red\s+"
                     rf"{counts['Red']}", first_page)


def test_the_edits_change_what_the_engine_says(native_books):
    """The edited sample is a real test: its ratings, arrows and counts differ from the sample's."""
    before, after = native_books["sample-2012-05"][1], native_books[EDITED][1]
    changed = before.set_index("id")[["rag", "dot_previous"]].compare(
        after.set_index("id")[["rag", "dot_previous"]])
    assert {"SCS01", "SCS14", "SCS16", "SCS04"} <= set(changed.index)
    assert before["rag"].value_counts().to_dict() != after["rag"].value_counts().to_dict()


@pytest.mark.parametrize("argv, first_rag", [
    (["--live"], "=RAG("), (["--live", "xlwings"], "=RAG("), (["--live", "native"], "=IF("),
    ([], None)])
def test_live_options_on_the_command_line(run_cli, tmp_path, argv, first_rag):
    out = tmp_path / "card.xlsx"
    code, _, err = run_cli("build", *argv, "--out", out)
    assert code == 0, err
    rag = openpyxl.load_workbook(out)["Scorecard"][f"{get_column_letter(card.RAG)}9"].value
    assert rag.startswith(first_rag) if first_rag else rag == "Amber"


def test_an_unknown_live_mode_is_a_usage_error(run_cli, tmp_path):
    code, _, err = run_cli("build", "--live", "lambda", "--out", tmp_path / "x.xlsx")
    assert code == 2 and "invalid choice: 'lambda'" in err and "Traceback" not in err
    assert not (tmp_path / "x.xlsx").exists()


def test_batch_writes_native_workbooks(run_cli, tmp_path):
    code, out, err = run_cli("batch", "--live", "native", "--data", SYNTHETIC, "--from", "2013-01",
                             "--to", "2013-02", "--out-dir", tmp_path)
    assert code == 0, err
    for month in ("2013-01", "2013-02"):
        path = tmp_path / f"scorecard-{month}.xlsx"
        rag = sheet_cells(path)[("Scorecard", f"{get_column_letter(card.RAG)}9")]
        assert rag.startswith("=IF("), rag


def test_range_workbook_statuses_match_the_range_table(native_books):
    """Every case of tests/test_ranges.py (its status in the row's name), as a given value, a
    percentage's numerator and denominator and a count: the RAG cell of an unrated lead
    indicator and the range-status column say it; a rated one keeps its RAG."""
    path, results, _ = native_books["ranges"]
    cells = sheet_cells(path)
    cached = computed_values(path, formula_cells(path))
    rag, name, status_col = (get_column_letter(c) for c in (card.RAG, card.NAME, card.GAIN_OUTTURN + 1))
    rows = [ref[len(name):] for (sheet, ref), v in cells.items()
            if sheet == "Scorecard" and ref.startswith(name) and str(v).startswith("Range case")]
    assert len(rows) == len(results) > 40
    for row in rows:
        due = cells[("Scorecard", f"{name}{row}")].split(": ")[1]
        got = [cached[("Scorecard", f"{col}{row}")] for col in (rag, status_col)]
        if " and " in due:
            assert got == due.split(" and "), row
        else:
            assert got == [due if due != "blank" else ""] * 2, row
            assert cells[("Scorecard", f"{rag}{row}")].startswith("=IF(OR(")


def test_the_example_edits_move_ratings_ranges_and_counts(native_books):
    """The edited example is a real test: a count's Num, a rate's Num and two expected bounds
    change a RAG rating, three range statuses and the lead counts."""
    before = native_books[f"example-{EXAMPLE_MONTHS[-1]}"][1].set_index("id")
    after = native_books[EXAMPLE_EDITED][1].set_index("id")
    leads = ["EX01", "EX03", "EX07"]
    assert before.loc[leads, "range_status"].tolist() == ["Within", "Within", "Above"]
    assert after.loc[leads, "range_status"].tolist() == ["Below", "Above", "Within"]
    assert (before.loc["EX02", "rag"], after.loc["EX02", "rag"]) == ("Red", "Green")
    assert after.loc["EX03", "value"] == 4300


def test_native_working_columns_are_hidden_and_not_printed(native_books):
    """Rated value, the two changes and the range status: hidden in an outline group (an analyst
    can show them again); the print area without comparators stops at the Commentary."""
    for name in ("sample-2012-05", "ranges", f"example-{EXAMPLE_MONTHS[-1]}"):
        path = native_books[name][0]
        ws = openpyxl.load_workbook(path)["Scorecard"]
        working = [card.RATED, card.GAIN_PREVIOUS, card.GAIN_OUTTURN]
        if name != "sample-2012-05":
            working.append(card.GAIN_OUTTURN + 1)
            assert ws.cell(card.HEADER_ROW, card.GAIN_OUTTURN + 1).value == card.RANGE_HEADER
        if name.startswith("example-"):  # with comparators the ID joins the group, unprinted
            working.insert(0, card.ID_COL)
        hidden = {get_column_letter(c): (ws.column_dimensions[get_column_letter(c)].hidden,
                                         ws.column_dimensions[get_column_letter(c)].outline_level)
                  for c in range(1, ws.max_column + 1)}
        assert {k for k, (h, _) in hidden.items() if h} == {get_column_letter(c) for c in working}
        assert all(hidden[get_column_letter(c)] == (True, 1) for c in working)
        assert ws.column_dimensions[get_column_letter(max(working) + 1)].collapsed
        assert ws.sheet_format.outlineLevelCol == 1   # Excel draws the outline bar and its +
        if name == "ranges":   # no comparators: the print area ends with the Commentary column
            assert ws.print_area.split(":")[-1].startswith(f"${get_column_letter(card.COMMENTARY_COL)}$")


def test_xlwings_workbooks_carry_kpi_range_and_count_it(tmp_path, monkeypatch):
    """`--live xlwings`: the range status is =KPI_RANGE() in a hidden column after the ID (and
    in the RAG cell of an unrated lead indicator); the Summary counts it with COUNTIF. The
    `formulas` engine, calling the worksheet function itself, gives the engine's statuses and
    counts."""
    from xl_scorecard.core.month_report import compute_report as report_of
    from xl_scorecard.inputs.comparators import load_comparators
    from xl_scorecard.inputs.data import load_data
    from xl_scorecard.inputs.rules_file import load_rules
    from native_leads import COMPARATORS, DATA, RULES

    rules = load_rules(RULES)
    data = load_data(DATA, rules)
    data.comparators = load_comparators(COMPARATORS, rules)
    report = report_of(rules, data, "2018-03")
    out = tmp_path / "xlwings.xlsx"
    write_report(report, out, live="xlwings")
    book = openpyxl.load_workbook(out)
    ws, summary = book["Scorecard"], book["Summary"]
    col = card.ID_COL + 1
    assert ws.cell(card.HEADER_ROW, col).value == card.RANGE_HEADER
    assert ws.column_dimensions[get_column_letter(col)].hidden
    rows = {ws.cell(r, card.ID_COL).value: r for r in range(card.HEADER_ROW + 1, ws.max_row + 1)
            if str(ws.cell(r, card.ID_COL).value).startswith("EX")}
    for ident in ("EX01", "EX03", "EX07"):
        row = rows[ident]
        formula = f"=KPI_RANGE({get_column_letter(card.LATEST)}{row},{get_column_letter(card.ID_COL)}{row},ReportMonth)"
        assert ws.cell(row, col).value == formula and ws.cell(row, card.RAG).value == formula
    assert ws.cell(rows["EX02"], card.RAG).value.startswith("=RAG(")
    letter = get_column_letter(col)
    assert [summary.cell(12, c).value for c in range(3, 7)] == [
        f'=COUNTIF(Scorecard!${letter}$8:${letter}${max(rows.values())},"{label}")'
        for label in ("Below", "Within", "Above")] + ["=C12+D12+E12"]
    assert summary.cell(11, 1).value == "Expected range"

    pytest.importorskip("formulas")
    from xl_scorecard.excel import formula_engine
    from xl_scorecard.excel.period_functions import kpi_range
    from xl_scorecard.excel.rules_lookup import RULES_ENV

    monkeypatch.setitem(formula_engine.FUNCTIONS, "KPI_RANGE", kpi_range)
    monkeypatch.setenv(RULES_ENV, str(RULES))
    values = formula_engine.evaluate(committee_copy(out, tmp_path / "committee.xlsx"))
    results = report.results.set_index("id")
    for ident, row in rows.items():
        assert values[("Scorecard", f"{letter}{row}")] == results.loc[ident, "range_status"], ident
    ranges, rags = report.summary.ranges, report.summary
    assert [values[("Summary", f"{c}12")] for c in "CDEF"] == [
        ranges.below, ranges.within, ranges.above, ranges.total] == [0, 2, 1, 3]
    assert [values[("Summary", f"{c}5")] for c in "CDE"] == [rags.green, rags.amber, rags.red]


def test_a_range_status_changed_by_an_edit_takes_its_look(native_books):
    """Conditional formatting over the RAG column gives Below, Within and Above their own look
    (not red/amber/green) whatever the cell held when built; only with lead indicators."""
    for name, wanted in (("sample-2012-05", set()), ("ranges", {'"Below"', '"Within"', '"Above"'}),
                         (f"example-{EXAMPLE_MONTHS[-1]}", {'"Below"', '"Within"', '"Above"'})):
        ws = openpyxl.load_workbook(native_books[name][0])["Scorecard"]
        rag = get_column_letter(card.RAG)
        looks = {rule.formula[0]: rule.dxf.fill.fgColor.rgb for area in ws.conditional_formatting
                 if str(area.sqref).startswith(f"{rag}{card.HEADER_ROW + 1}:") for rule in area.rules}
        assert {'"Green"', '"Amber"', '"Red"'} | wanted == set(looks), name
        assert not {looks[w][-6:] for w in wanted} & {"00B050", "FFC000", "FF0000"}

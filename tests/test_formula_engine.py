"""A workbook of =RAG() / =DOT() / =KPIRATE() / =KPI_*() formulas, calculated by the `formulas`
package with our functions registered, equals the engine cell for cell on the bundled sample."""

from __future__ import annotations

import math
import sys

import openpyxl
import pytest
from openpyxl.worksheet.formula import ArrayFormula

pytest.importorskip("formulas")

from xl_scorecard import compute_month, load_data, load_rules
from xl_scorecard.excel import formula_engine
from xl_scorecard.inputs import sample  # noqa: E402
from xl_scorecard.excel import functions as sheetfuncs  # noqa: E402

SHEET = "May 2012 scorecard"  # a space and lower case: names come back as written
HEADER = ["id", "polarity", "numerator", "denominator", "multiplier", "value", "target", "floor",
          "green_low", "green_high", "amber_low", "amber_high", "previous", "decimals",
          "RAG", "DOT", "KPI_RAG", "KPI_DOT", "KPI_VALUE", "KPI_TARGET"]
COL = {name: openpyxl.utils.get_column_letter(i) for i, name in enumerate(HEADER, start=1)}


@pytest.fixture(autouse=True)
def _bundled_rules(monkeypatch):
    monkeypatch.delenv(sheetfuncs.RULES_ENV, raising=False)
    monkeypatch.delenv(sheetfuncs.MONTH_ENV, raising=False)


@pytest.fixture(scope="module")
def engine():
    rules = load_rules(sample.rules_path())
    return rules, compute_month(rules, load_data(sample.data_path(), rules), "2012-05")


def _number(x):
    return None if x is None or (isinstance(x, float) and math.isnan(x)) else float(x)


@pytest.fixture(scope="module")
def evaluated(engine, tmp_path_factory):
    """(results, computed values, first data row) for a workbook built over the sample."""
    rules, res = engine
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = SHEET
    ws.append(HEADER)
    for i, r in enumerate(res.itertuples(), start=2):
        ind = rules[r.id]
        has_pair = r.measure != "count" and not (math.isnan(r.numerator)
                                                 or math.isnan(r.denominator))
        c = {name: f"{COL[name]}{i}" for name in HEADER}
        ws.append([r.id, r.polarity, _number(r.numerator), _number(r.denominator), ind.multiplier,
                   None if has_pair else _number(r.value), _number(r.target), _number(r.floor),
                   _number(r.green_low), _number(r.green_high), _number(r.amber_low),
                   _number(r.amber_high), _number(r.previous), r.decimals])
        if has_pair:  # the value is itself a formula, so RAG and DOT read a computed cell
            ws[c["value"]] = f"=KPIRATE({c['numerator']},{c['denominator']},{c['multiplier']})"
            ws[c["KPI_VALUE"]] = f"=KPI_VALUE({c['numerator']},{c['denominator']},{c['id']})"
        if r.polarity == "T":
            ws[c["RAG"]] = (f"=RAG({c['value']},{c['green_low']}:{c['green_high']},"
                            f"{c['amber_low']}:{c['amber_high']},\"T\",{c['decimals']})")
            ws[c["KPI_TARGET"]] = ArrayFormula(f"{c['KPI_TARGET']}:U{i}", f"=KPI_TARGET({c['id']})")
        else:
            ws[c["RAG"]] = (f"=RAG({c['value']},{c['target']},{c['floor']},{c['polarity']},"
                            f"{c['decimals']})")
            ws[c["KPI_TARGET"]] = f"=KPI_TARGET({c['id']},\"2012-05\")"
        ws[c["DOT"]] = f"=DOT({c['value']},{c['previous']},{c['polarity']},{c['target']})"
        ws[c["KPI_RAG"]] = f"=KPI_RAG({c['value']},{c['id']},\"2012-05\")"
        ws[c["KPI_DOT"]] = f"=KPI_DOT({c['value']},{c['previous']},{c['id']})"
    last = len(res) + 1
    ws["W1"] = f"=KPI_SUMMARY(O2:O{last},P2:P{last})"
    ws["W2"] = f"=RAG(A{last + 5},G2)"             # a blank value
    ws["W3"] = "=RAG(NA(),G2)"                      # an error value
    ws["W4"] = "=KPIRATE(1,0)"                      # a zero denominator
    ws["W5"] = '=RAG(1,G2,"","X")'                  # a wrong argument: a message
    ws["W6"] = '=rag(84.95,85,76.5,"H",1)'          # any case
    ws["W7"] = '=KPI_RAG(1,"NOPE")'
    ws["W8"] = "=W6&\"!\""                          # our results feed built-in formulas
    ws["W9"] = "=1/0"                               # a built-in error comes back as its text
    other = wb.create_sheet("Other")
    other["A1"] = f"='{SHEET}'!O2"
    path = tmp_path_factory.mktemp("live") / "sample_formulas.xlsx"
    wb.save(path)
    return res, formula_engine.evaluate(path)


def test_every_formula_cell_is_returned_with_original_sheet_names(evaluated):
    res, values = evaluated
    assert {sheet for sheet, _ in values} == {SHEET, "Other"}
    rag_cells = [ref for sheet, ref in values if sheet == SHEET and ref.startswith("O")]
    assert len(rag_cells) == len(res) == 44
    assert ("Other", "A1") in values and (SHEET, "A2") not in values  # constants are not formulas


def test_rag_dot_and_kpirate_cells_equal_the_engine(evaluated):
    res, values = evaluated
    for i, r in enumerate(res.itertuples(), start=2):
        assert values[(SHEET, f"O{i}")] == r.rag, r.id
        assert values[(SHEET, f"P{i}")] == r.dot_previous, r.id
        if (SHEET, f"F{i}") in values:  # a KPIRATE cell
            assert values[(SHEET, f"F{i}")] == r.value, r.id


def test_kpi_cells_equal_the_engine(evaluated):
    res, values = evaluated
    for i, r in enumerate(res.itertuples(), start=2):
        assert values[(SHEET, f"Q{i}")] == r.rag, r.id
        assert values[(SHEET, f"R{i}")] == r.dot_previous, r.id
        if (SHEET, f"S{i}") in values:
            assert values[(SHEET, f"S{i}")] == r.value, r.id
        if r.polarity == "T":
            band = [values[(SHEET, f"T{i}")], values[(SHEET, f"U{i}")]]
            assert band == [r.green_low, r.green_high], r.id
        else:
            assert values[(SHEET, f"T{i}")] == r.target, r.id


def test_summary_blanks_errors_and_messages(evaluated):
    res, values = evaluated
    assert values[(SHEET, "W1")] == sheetfuncs.kpi_summary([[x] for x in res["rag"]],
                                                           [[x] for x in res["dot_previous"]])
    assert values[(SHEET, "W1")].startswith("There are 44 measures with a RAG rating. Of these 16")
    assert values[(SHEET, "W2")] == ""
    assert values[(SHEET, "W3")] == ""
    assert values[(SHEET, "W4")] == ""
    assert values[(SHEET, "W5")] == "RAG: polarity must be H, L or T"
    assert values[(SHEET, "W6")] == "Green"
    assert values[(SHEET, "W7")] == "KPI_RAG: no indicator 'NOPE' in rules.json"
    assert values[(SHEET, "W8")] == "Green!"
    assert values[(SHEET, "W9")] == "#DIV/0!"
    assert values[("Other", "A1")] == res["rag"].iat[0]


def test_missing_formulas_package_is_explained(monkeypatch):
    monkeypatch.setitem(sys.modules, "formulas", None)
    with pytest.raises(ImportError, match="pip install formulas"):
        formula_engine.evaluate("anything.xlsx")


def test_missing_workbook(tmp_path):
    from xl_scorecard.core.errors import WorkbookError

    with pytest.raises(WorkbookError, match="nowhere.xlsx: file not found"):
        formula_engine.evaluate(tmp_path / "nowhere.xlsx")

"""One rule, one home: the worksheet functions judge through the core, the list of functions
is kept once, and the names every face shares (ReportMonth, the sheets, the formula-looking
characters) are defined once."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from xl_scorecard.core.engine import compute_month
from xl_scorecard.excel import formula_engine, udfs
from xl_scorecard.excel import functions as sf
from xl_scorecard.inputs.data import check_table

PACKAGE = Path(__file__).resolve().parent.parent / "xl_scorecard"


@pytest.fixture
def odd_rules(write_json, make_document, make_indicator, monkeypatch):
    """Rules where the engine's less common paths matter: an unrounded basis, an indicator's
    own tolerance over the scorecard's, a T band, a count; the KPI_* functions read them."""
    document = make_document(
        make_indicator(id="U1", rag_basis="unrounded", dot_tolerance=0.5),
        make_indicator(id="H1", decimals=0),
        make_indicator(id="L1", polarity="L"),
        make_indicator(id="T1", polarity="T"),
        make_indicator(id="C1", name="Referrals", polarity=None, measure="count", decimals=0,
                       thresholds=None),
        dot_tolerance=1.25)
    path = write_json(document)
    monkeypatch.setenv(sf.RULES_ENV, str(path))
    monkeypatch.delenv(sf.MONTH_ENV, raising=False)
    return path


FIGURE = st.floats(min_value=0, max_value=120, allow_nan=False).map(lambda x: round(x, 3))


@settings(max_examples=60, deadline=None,  # the fixture only writes a file and sets a variable
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(now=st.lists(FIGURE, min_size=5, max_size=5), then=st.lists(FIGURE, min_size=5, max_size=5))
def test_kpi_functions_give_the_engines_answers(odd_rules, now, then):
    from xl_scorecard.inputs.rules_file import load_rules

    rules = load_rules(odd_rules)
    ids = list(rules.ids)
    rows = [(i, month, None, None, value) for month, values in (("2012-04", then), ("2012-05", now))
            for i, value in zip(ids, values)]
    data = check_table(pd.DataFrame(rows, columns=["indicator", "period", "numerator",
                                                   "denominator", "value"]), rules, "t.csv")
    res = compute_month(rules, data, "2012-05")
    column = [[i] for i in ids]
    assert [r[0] for r in sf.kpi_rag([[v] for v in now], column, "2012-05")] == list(res["rag"])
    assert [r[0] for r in sf.kpi_dot([[v] for v in now], [[v] for v in then], column, "2012-05")] \
        == list(res["dot_previous"])
    assert sf.kpi_value(now[-1], None, "C1") == res["value"].iat[-1]


def test_the_tolerance_is_the_engines(odd_rules):
    # U1's own 0.5 beats the scorecard's 1.25; H1 falls back to the scorecard's
    assert sf.kpi_dot(80.6, 80, "U1") == "↑" and sf.kpi_dot(80.4, 80, "U1") == "→"
    assert sf.kpi_dot(81.2, 80, "H1") == "→" and sf.kpi_dot(81.3, 80, "H1") == "↑"
    # U1 is judged unrounded: 84.96 is below its target 85 (Amber); H1 shows 0 decimals: 84.5 is 85
    assert sf.kpi_rag(84.96, "U1") == "Amber" and sf.kpi_rag(84.5, "H1") == "Green"


def test_one_registry_of_worksheet_functions():
    registry = sf.WORKSHEET_FUNCTIONS
    names = [f.__name__ for f in registry]
    assert formula_engine.FUNCTIONS == {name.upper(): f for name, f in zip(names, registry)}
    assert set(udfs.__all__) - {"CATEGORY"} == set(names)
    for pure in registry:  # each xlwings wrapper exists and passes its cells to its own function
        wrapper = getattr(udfs, pure.__name__)
        assert wrapper is not pure and wrapper.__doc__ == " ".join(pure.__doc__.split())
    # nothing else in udfs.py is a worksheet function without being registered
    tree = ast.parse((PACKAGE / "excel" / "udfs.py").read_text("utf-8"))
    decorated = {n.name for n in tree.body if isinstance(n, ast.FunctionDef) and n.decorator_list
                 and any(isinstance(d, ast.Call) and getattr(d.func, "id", "") == "_func"
                         for d in n.decorator_list)}
    assert decorated == set(names)


def _package_sources():
    return {p.relative_to(PACKAGE).as_posix(): p.read_text("utf-8") for p in PACKAGE.rglob("*.py")}


@pytest.mark.parametrize("pattern, home", [
    (r'"ReportMonth"', "layout/scorecard.py"),
    (r"^FORMULA_STARTS\s*=", "core/text.py"),
    (r'"Scorecard",\s*"Summary"', None),            # sheet lists are built from each sheet's SHEET
    (r"pd\.factorize\(", "excel/arguments.py"),
])
def test_each_shared_name_has_one_home(pattern, home):
    found = sorted(path for path, text in _package_sources().items()
                   if re.search(pattern, text, flags=re.MULTILINE))
    assert found == ([home] if home else []), found


def test_no_face_rounds_for_itself():
    """A rating is judged on the value as displayed by the core (rag.rag_judged), and figures are
    displayed by the core (display): no module outside core/ calls the rounding."""
    for path, text in _package_sources().items():
        if not path.startswith("core/"):
            assert "round_half_away(" not in text, path


def test_the_shared_names_are_the_ones_each_face_uses():
    from xl_scorecard.excel import macros
    from xl_scorecard.headless import pdf
    from xl_scorecard.layout import COMMITTEE_SHEETS, OWNED_SHEETS
    from xl_scorecard.outputs.results_text import csv_text
    from xl_scorecard.writers.xlwings_writer import _excel_value
    from xl_scorecard.layout.model import Cell

    assert OWNED_SHEETS == ("Scorecard", "Summary", "Exceptions", "Trend", "Data", "Rules")
    assert pdf.workbook_to_pdf.__defaults__[-1] == COMMITTEE_SHEETS == OWNED_SHEETS[:3]
    assert macros.MONTH_NAME == "ReportMonth" and macros.DATA_SHEET == "Data"
    for text in ("=1+1", "+x", "-x", "@SUM(A1)", "\tx", "\rx"):  # both writers escape the same set
        assert csv_text(text) == "'" + text
        assert _excel_value(Cell(1, 1, text)) == "'" + text

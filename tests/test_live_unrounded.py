"""`build --live` and ``"rag_basis": "unrounded"``: the workbook's =RAG() is judged unrounded.

An unrounded-basis indicator's =RAG() gets decimals "none", so Excel rates the value as it
is, as the engine does; an indicator judged as displayed keeps its decimals. Checked at
boundaries where rounding changes the rating (84.96 against a target of 85 is Green rounded
to one decimal and Amber unrounded), through xlwings Server's own custom-functions call with
the formula's arguments as Excel would pass them, and through the `formulas` engine
recalculating the whole workbook.
"""

from __future__ import annotations

import json
import re

import openpyxl
import pytest

pytest.importorskip("xlwings")

from xl_scorecard.core.engine import compute_month  # noqa: E402
from xl_scorecard.inputs.data import load_data  # noqa: E402
from xl_scorecard.inputs.rules_file import load_rules  # noqa: E402

from conftest import indicator, rules_document  # noqa: E402
from test_udfs_xlwings import PROBE, _run  # noqa: E402

# the one message for a wrong decimals argument: it names "none", which RAG also takes
BAD_DECIMALS = ('RAG: decimals must be a whole number from 0 to 6, or "none" to rate the value '
                'unrounded')

T_BAND = {"from": "2012-04", "target": 20, "green": [18, 23], "amber": [15, 27]}
# (id, indicator fields, May's figures (numerator, denominator, value), rating rounded first)
ROWS = [
    ("U1", {"rag_basis": "unrounded"}, (8496, 10000, None), "Green"),      # 84.96: Amber
    ("D1", {}, (8496, 10000, None), "Green"),                              # as displayed: Green
    ("U2", {"rag_basis": "unrounded", "polarity": "L", "measure": "count", "decimals": 0},
     (None, None, 10.4), "Green"),                                        # 10.4 > 10: Amber
    ("U3", {"rag_basis": "unrounded", "polarity": "T", "decimals": 0, "thresholds": [T_BAND]},
     (None, None, 23.4), "Green"),                                        # above 23: Amber
    ("U4", {"rag_basis": "unrounded", "thresholds": [{"from": "2012-04", "target": 85,
                                                      "floor": 76.5}]},
     (7649, 10000, None), "Amber"),                                       # 76.49: Red
]


@pytest.fixture(scope="module")
def live(tmp_path_factory):
    """The rules, the month's results and the live workbook built from them."""
    from xl_scorecard import cli
    import io

    folder = tmp_path_factory.mktemp("live")
    rules_path, data_path, book = folder / "rules.json", folder / "data.csv", folder / "live.xlsx"
    rules_path.write_text(json.dumps(rules_document(
        *[indicator(id=ident, **fields) for ident, fields, _, _ in ROWS])), "utf-8")
    lines = ["indicator,period,numerator,denominator,value"]
    for ident, _, figures, _ in ROWS:
        lines.append(f"{ident},2012-04,,,20")
        lines.append(",".join([ident, "2012-05", *("" if f is None else str(f) for f in figures)]))
    data_path.write_text("\n".join(lines) + "\n", "utf-8")
    err = io.StringIO()
    assert cli.run(["build", "--rules", str(rules_path), "--data", str(data_path), "--live",
                    "--out", str(book)], stdout=io.StringIO(), stderr=err) == 0, err.getvalue()
    rules = load_rules(rules_path)
    results = compute_month(rules, load_data(data_path, rules), "2012-05").set_index("id")
    return rules, results, book


def _rag_formulas(book) -> dict[str, str]:
    """Indicator id -> the =RAG() formula of its row (the id is in the sheet's id column)."""
    sheet = openpyxl.load_workbook(book)["Scorecard"]
    found = {}
    for row in sheet.iter_rows():
        formula = next((c.value for c in row if isinstance(c.value, str)
                        and c.value.startswith("=RAG(")), None)
        ids = [c.value for c in row if c.value in {r[0] for r in ROWS}]
        if formula and ids:
            found[ids[0]] = formula
    return found


def _excel_arguments(formula: str, book) -> list:
    """The formula's arguments as Excel passes them to a custom function: each a 2-D array
    (a cell's or a range's cached values, a literal as a 1 x 1 array)."""
    values = openpyxl.load_workbook(book, data_only=True)
    args = []
    for text in formula[len("=RAG("):-1].split(","):
        sheet, _, ref = text.rpartition("!")
        if re.fullmatch(r"[A-Z]+\d+(:[A-Z]+\d+)?", ref):
            cells = values[sheet or "Scorecard"][ref]
            rows = cells if isinstance(cells, tuple) else ((cells,),)
            args.append([[c.value for c in r] for r in rows])
        elif text.startswith('"'):
            args.append([[text.strip('"')]])
        elif text in ("TRUE", "FALSE"):
            args.append([[text == "TRUE"]])
        else:
            args.append([[float(text)]])
    return args


def test_unrounded_indicators_get_decimals_none(live):
    rules, _, book = live
    formulas = _rag_formulas(book)
    assert set(formulas) == {r[0] for r in ROWS}
    for ident, formula in formulas.items():
        decimals = formula.split(",")[-2]
        if rules[ident].rag_basis == "unrounded":
            assert decimals == '"none"', formula
        else:
            assert decimals == str(rules[ident].decimals), formula


def test_the_live_formula_through_xlwings_equals_the_engine(live):
    """Each row's =RAG() called as xlwings Server calls it, with the cells' values."""
    _, results, book = live
    formulas = _rag_formulas(book)
    calls = {ident: ["rag", _excel_arguments(formula, book)] for ident, formula in formulas.items()}
    rounded = {ident: ["rag", _excel_arguments(formula.replace('"none"', "1" if ident in ("U1", "U4")
                                                               else "0"), book)]
               for ident, formula in formulas.items()}
    calls.update({f"{ident} rounded": call for ident, call in rounded.items()})
    done = _run(PROBE, json.dumps(calls), XLWINGS_LICENSE_KEY="noncommercial",
                XLWINGS_ON_SERVER="true")
    assert done.returncode == 0, done.stderr
    got = json.loads(done.stdout.strip().splitlines()[-1])["results"]
    for ident, _, _, rounded_rating in ROWS:
        assert got[ident] == {"value": [[results.loc[ident, "rag"]]]}, ident
        # the boundary matters: rounded first, the unrounded indicators would be rated otherwise
        assert got[f"{ident} rounded"] == {"value": [[rounded_rating]]}, ident
    assert [results.loc[i, "rag"] for i in ("U1", "D1", "U2", "U3", "U4")] == [
        "Amber", "Green", "Amber", "Amber", "Red"]


def test_the_formulas_engine_recalculates_the_engines_ratings(live):
    pytest.importorskip("formulas")
    from xl_scorecard.excel import formula_engine

    _, results, book = live
    computed = formula_engine.evaluate(book)
    sheet = openpyxl.load_workbook(book)["Scorecard"]
    for row in sheet.iter_rows():
        for cell in row:
            if isinstance(cell.value, str) and cell.value.startswith("=RAG("):
                ident = next(c.value for c in row if c.value in results.index)
                assert computed[("Scorecard", cell.coordinate)] == results.loc[ident, "rag"]


@pytest.mark.parametrize("value,target,floor,polarity,decimals,expected", [
    (84.96, 85, 76.5, "H", 1, "Green"),           # rounded to 85.0 first
    (84.96, 85, 76.5, "H", "none", "Amber"),      # as it is
    (84.96, 85, 76.5, "H", " NONE ", "Amber"),    # any case, spaces trimmed
    (85.0, 85, 76.5, "H", "none", "Green"),       # on target is still Green
    (76.5, 85, 76.5, "H", "none", "Amber"),       # on the floor still Amber
    (10.04, 10, 11, "L", "none", "Amber"),
    (10.04, 10, 11, "L", 1, "Green"),
    (0.8496, 0.85, 0.765, "H", "none", "Amber"),  # fractions: no "more decimals" message
    (84.96, 85, 76.5, "H", "nine", BAD_DECIMALS),
])
def test_rag_decimals_none_rates_the_value_unrounded(value, target, floor, polarity, decimals,
                                                     expected):
    from xl_scorecard.excel import functions as sf

    assert sf.rag(value, target, floor, polarity, decimals) == expected


def test_rag_decimals_none_per_row_and_for_bands():
    from xl_scorecard.excel import functions as sf

    assert sf.rag([[84.96], [84.96]], 85, 76.5, "H", [["none"], [1]]) == [["Amber"], ["Green"]]
    assert sf.rag(23.4, [18, 23], [15, 27], "T", "none") == "Amber"
    assert sf.rag(23.4, [18, 23], [15, 27], "T", 0) == "Green"

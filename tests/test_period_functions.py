"""=KPI_RANGE() and =KPI_PERIOD(): through xlwings' own Office.js machinery, and equal to the engine."""

from __future__ import annotations

import io
import json

import pandas as pd
import pytest

pytest.importorskip("xlwings")

from conftest import REPO_ROOT  # noqa: E402
from test_udfs_xlwings import PROBE, _run  # noqa: E402

from xl_scorecard import cli  # noqa: E402
from xl_scorecard.excel import functions as sheetfuncs  # noqa: E402

EXAMPLE = REPO_ROOT / "workbooks" / "examples"
DATA = pd.read_csv(EXAMPLE / "anyshire_monthly_2016-2018.csv", dtype=str, keep_default_na=False)


def _column(ident, column):
    rows = DATA[DATA["indicator"] == ident]
    return [[float(v) if v else None] for v in rows[column]], [[m] for m in rows["period"]]


EX01_NUM, MONTHS = _column("EX01", "numerator")
EX01_DEN, _ = _column("EX01", "denominator")
EX03_VAL, EX03_MONTHS = _column("EX03", "value")

CALLS = {
    "range column": ("kpi_range", [[[4.9], [5], [10.04], [10.05], [None]], [["EX07"]]],
                     [["Below"], ["Within"], ["Within"], ["Above"], [""]]),
    "range one-sided": ("kpi_range", [[[4200], [4201]], [["EX03"]]], [["Within"], ["Above"]]),
    "range without a range": ("kpi_range", [[[50]], [["EX04"]]], [[""]]),
    "range unknown id": ("kpi_range", [[[50]], [["NOPE"]]], [["KPI_RANGE: no indicator 'NOPE' in rules.json"]]),
    "rag of a target shown but not rated": ("kpi_rag", [[[99], [50]], [["EX10"], ["EX04"]]], [[""], ["Red"]]),
    "dot of a band without a target": ("kpi_dot", [[[19]], [[25]], [["EX06"]]], [["↑"]]),
    "period R12M": ("kpi_period", [EX01_NUM, EX01_DEN, MONTHS, [["EX01"]]], None),
    "period R12M at a month": ("kpi_period", [EX01_NUM, EX01_DEN, MONTHS, [["EX01"]], [["2017-06"]]], None),
    "period incomplete window": ("kpi_period", [EX01_NUM[:11], EX01_DEN[:11], MONTHS[:11], [["EX01"]]], [[""]]),
    "period quarter of counts": ("kpi_period", [EX03_VAL, [[None]] * len(EX03_VAL), EX03_MONTHS, [["EX03"]]], None),
    "period sizes differ": ("kpi_period", [EX01_NUM, EX01_DEN[:3], MONTHS, [["EX01"]]],
                            [["KPI_PERIOD: numerators, denominators and months must be the same size "
                              "(24, 3 and 24 cells)"]]),
    "period month twice": ("kpi_period", [[[1], [2]], [[3], [4]], [["2017-01"], ["2017-01"]], [["EX01"]]],
                           [["KPI_PERIOD: month 2017-01 is given twice"]]),
}


def _engine(ident, month):
    out, err = io.StringIO(), io.StringIO()
    code = cli.run(["results", "--format", "json", "--rules", str(EXAMPLE / "rules.json"), "--data",
                    str(EXAMPLE / "anyshire_monthly_2016-2018.csv"), "--month", month], out, err)
    assert code == 0, err.getvalue()
    return next(r for r in json.loads(out.getvalue())["indicators"] if r["id"] == ident)["value"]


@pytest.fixture(scope="module")
def office_js():
    calls = {key: [name, args] for key, (name, args, _) in CALLS.items()}
    done = _run(PROBE, json.dumps(calls), XLWINGS_LICENSE_KEY="noncommercial", XLWINGS_ON_SERVER="true",
                XL_SCORECARD_RULES=str(EXAMPLE / "rules.json"))
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])


@pytest.mark.parametrize("key", [k for k, v in CALLS.items() if v[2] is not None])
def test_calls_through_office_js(office_js, key):
    got = office_js["results"][key]
    assert "error" not in got, got
    assert got["value"] == CALLS[key][2]


@pytest.mark.parametrize("key, ident, month", [("period R12M", "EX01", "2018-03"),
                                                ("period R12M at a month", "EX01", "2017-06"),
                                                ("period quarter of counts", "EX03", "2018-03")])
def test_kpi_period_gives_the_engines_value(office_js, key, ident, month):
    [[value]] = office_js["results"][key]["value"]
    assert value == _engine(ident, month)


def test_both_are_registered_with_their_wizard_text(office_js):
    functions = {f["id"]: f for f in office_js["meta"]["functions"]}
    for name in ("KPI_RANGE", "KPI_PERIOD"):
        assert functions[name]["description"] == " ".join(getattr(sheetfuncs, name.lower()).__doc__.split())
        assert len(functions[name]["description"]) <= 255
    assert [p["name"] for p in functions["KPI_PERIOD"]["parameters"] if p.get("optional")] == ["month",
                                                                                          "rules"]

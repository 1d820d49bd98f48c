"""The worksheet functions through xlwings' own Office.js custom-functions machinery.

xlwings picks its decorators when it is first imported (Office.js ones only with
XLWINGS_ON_SERVER=true), so the server-side calls run in a fresh interpreter
that prints JSON; nothing leaks into the other tests' xlwings.
"""

from __future__ import annotations

import inspect
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

pytest.importorskip("xlwings")

from xl_scorecard.excel import functions as sheetfuncs, udfs  # noqa: E402

REPO_ROOT = Path(__file__).resolve().parent.parent
EXCEL_NAMES = {"RAG", "DOT", "KPIRATE", "KPI_RAG", "KPI_DOT", "KPI_VALUE", "KPI_TARGET",
               "KPI_FLOOR", "KPI_SUMMARY", "KPI_RANGE", "KPI_PERIOD"}

# As xlwings Server runs a custom function: the body Office.js posts, through custom_functions_call.
PROBE = r"""
import asyncio, json, sys
import xlwings as xw
import xlwings.server as xs
from xl_scorecard.excel import udfs

calls = json.load(sys.stdin)
base = {"client": "Office.js", "version": xw.__version__, "runtime": "1.4",
        "caller_address": "[Scorecard.xlsx]Scorecard!F5"}
results = {}
for key, (name, args) in calls.items():
    try:
        value = asyncio.run(xs.custom_functions_call(dict(base, func_name=name, args=args), udfs))
        results[key] = {"value": value}
    except Exception as exc:  # reported, so a test can say what went wrong
        results[key] = {"error": f"{type(exc).__name__}: {exc}"}
print(json.dumps({
    "meta": xs.custom_functions_meta(udfs),
    "results": results,
    "office_js_decorators": xw.func is xs.func,
    "classic_udfs_imported": "xlwings.udfs" in sys.modules,
}))
"""

ASK = "give percent_cells TRUE for Excel percentage cells (84.4% = 0.844), FALSE for figures as written"
ERROR = {"type": "Error", "errorType": "NotAvailable"}  # how Office.js sends #N/A
PARAGRAPH = ("There are 3 measures with a RAG rating. Of these 1 is rated Green, 1 Amber and "
             "1 Red. Compared with last month, 1 measure has improved, 1 is unchanged and 0 have "
             "worsened.")

# key: (python name, args as Office.js sends them, expected result)
CALLS = {
    "rag cell": ("rag", [[[84.95]], [[85]], [[76.5]]], [["Green"]]),
    "rag optional null": ("rag", [[[84.94]], [[85]], [[76.5]], None, None], [["Amber"]]),
    "rag optional [[null]]": ("rag", [[[84.94]], [[85]], [[76.5]], [[None]], [[None]]],
                              [["Amber"]]),
    "rag optional empty text": ("rag", [[[84.94]], [[85]], [[76.5]], [[""]], [[""]]], [["Amber"]]),
    "rag floor left out": ("rag", [[[84.94]], [[85]], None, [["H"]]], [["Red"]]),
    "rag decimals 0": ("rag", [[[84.5]], [[85]], [[76.5]], [["H"]], [[0]]], [["Green"]]),
    "rag L": ("rag", [[[10.05]], [[10]], [[11]], [["L"]]], [["Amber"]]),
    "rag blank value": ("rag", [[[None]], [[85]], [[76.5]]], [[""]]),
    "rag error value": ("rag", [[[ERROR]], [[85]], [[76.5]]], [[""]]),
    "rag column": ("rag", [[[90], [None], [ERROR], ["abc"], [80], [70]], [[85]], [[76.5]]],
                   [["Green"], [""], [""], ["RAG: value 'abc' is not a number"], ["Amber"],
                    ["Red"]]),
    "rag 2x2 with target range": ("rag", [[[90, 80], [70, None]], [[85, 85], [85, 80]], [[76.5]]],
                                  [["Green", "Amber"], ["Red", ""]]),
    "rag T band": ("rag", [[[50]], [[40, 60]], [[30, 70]], [["T"]]], [["Green"]]),
    "rag T no amber": ("rag", [[[65]], [[40, 60]], None, [["T"]]], [["Red"]]),
    "rag T bands per row": ("rag", [[[50], [65], [75]], [[40, 60], [40, 60], [40, 60]],
                                    [[30, 70], [30, 70], [30, 80]], [["T"]], [[1]]],
                            [["Green"], ["Amber"], ["Amber"]]),
    "rag polarity column": ("rag", [[[90], [80], [90]], [[85]], [[76.5], [95], [None]],
                                    [["H"], ["L"], [None]]], [["Green"], ["Green"], [""]]),
    "rag bad polarity": ("rag", [[[90]], [[85]], None, [["X"]]],
                         [["RAG: polarity must be H, L or T"]]),
    "rag bad band": ("rag", [[[50]], [[60]], None, [["T"]]],
                     [["RAG: for polarity T, target must be the green band: two cells (low, high), "
                       "or one pair per row"]]),
    "rag mismatched ranges": ("rag", [[[1], [2]], [[1], [2], [3]]],
                              [["RAG: ranges must be the same size: value is 2x1 but target "
                                "is 3x1"]]),
    "dot column": ("dot", [[[28.6], [28.7], [28.7], [None]], [[28.7], [28.6], [28.7], [1]],
                           [["L"]]],
                   [["↑"], ["↓"], ["→"], [""]]),
    "dot T": ("dot", [[[21]], [[25]], [["T"]], [[20]]], [["↑"]]),
    "dot T without target": ("dot", [[[21]], [[25]], [["T"]], None],
                             [["DOT: polarity T needs the target (one number)"]]),
    "dot tolerance": ("dot", [[[5.05]], [[5]], None, None, [[0.1]]], [["→"]]),
    # Excel habits: percentage cells hold fractions (84.4% is 0.844) ...
    "rag fractions as percent cells": ("rag", [[[0.8495], [0.844], [0.7]], [[0.85]], [[0.765]],
                                               [["H"]], [[1]], [[True]]],
                                       [["Green"], ["Amber"], ["Red"]]),
    "rag fractions undeclared": ("rag", [[[0.844]], [[0.85]], [[0.765]], [["H"]], [[1]]],
                                 [["RAG: target or floor 0.85 has more decimals than the 1 shown: "
                                   "for Excel percentage cells give percent_cells TRUE"]]),
    "rag fraction against a percent target": (
        "rag", [[[0.844]], [[85]], [[76.5]]],
        [[f"RAG: value 0.844 and target 85 are on two scales: {ASK}"]]),
    "rag small figure declared as written": ("rag", [[[0.844]], [[85]], [[76.5]], None, None,
                                                    [[False]]], [["Red"]]),
    "rag T band as percent cells": ("rag", [[[0.5]], [[0.4, 0.6]], [[0.3, 0.7]], [["T"]], [[1]],
                                            [[True]]], [["Green"]]),
    "dot fractions as percent cells": ("dot", [[[0.2861]], [[0.2869]], [["L"]], None, [[0.001]],
                                               [[True]]], [["→"]]),
    "dot fraction against a percent": ("dot", [[[0.286]], [[28.7]], [["L"]]],
                                       [[f"DOT: latest 0.286 and previous 28.7 are on two "
                                         f"scales: {ASK}"]]),
    "kpi_rag percent cell": ("kpi_rag", [[[0.844]], [["SCS14"]], None, [[True]]], [["Green"]]),
    "kpi_rag percent cells leave counts alone": (
        "kpi_rag", [[[0.844], [22]], [["SCS14"], ["SCS12"]], None, [[True]]],
        [["Green"], ["Green"]]),
    "kpi_rag fraction undeclared": (
        "kpi_rag", [[[0.844]], [["SCS14"]]],
        [[f"KPI_RAG: value 0.844 and target 78.8 are on two scales: {ASK}"]]),
    "kpi_dot percent cells": ("kpi_dot", [[[0.286]], [[0.287]], [["SCS29"]], [["2012-05"]],
                                          [[True]]], [["↑"]]),
    "percent_cells not a boolean": ("rag", [[[0.844]], [[0.85]], None, None, None, [["maybe"]]],
                                    [["RAG: percent_cells must be TRUE (Excel percentage cells), "
                                      "FALSE (figures as written) or left out"]]),
    # ... and one spilled RAG over a scorecard column mixing H, L and T rows.
    "rag mixed H L T column": (
        "rag", [[[90], [10.5], [50], [65], [None], [7]],
                [[85, None], [10, None], [40, 60], [40, 60], [40, 60], [5, None]],
                [[76.5, None], [11, None], [30, 70], [30, 70], [30, 70], [None, None]],
                [["H"], ["L"], ["T"], ["T"], ["T"], [None]], [[1], [1], [1], [0], [1], [1]]],
        [["Green"], ["Amber"], ["Green"], ["Amber"], [""], [""]]),
    "rag mixed column with one-column floors": (
        "rag", [[[80], [65]], [[85, None], [40, 60]], [[76.5], [None]], [["H"], ["T"]]],
        [["Amber"], ["Red"]]),
    "rag mixed column, second target on an H row": (
        "rag", [[[90], [50]], [[85, 95], [40, 60]], None, [["H"], ["T"]]],
        [["RAG: polarity H takes one target and one floor: leave the second column blank on "
          "this row (it is for T bands)"], ["Green"]]),
    "rag mixed column, T band reversed": (
        "rag", [[[90], [50]], [[85, None], [60, 40]], None, [["H"], ["T"]]],
        [["Green"], ["RAG: target band low 60 is above high 40"]]),
    "kpirate cell": ("kpirate", [[[1]], [[4]]], [[25.0]]),
    "kpirate column": ("kpirate", [[[2064], [5], [None]], [[312597], [0], [10]], [[10000]]],
                       [[66.02750506242862], [""], [""]]),
    "kpi_rag ids column": ("kpi_rag", [[[84.4], [70.4], [0]], [["SCS14"], ["SCS20"], ["SCS13"]]],
                           [["Green"], ["Red"], ["Green"]]),
    "kpi_rag month serial": ("kpi_rag", [[[84.4]], [["SCS14"]], [[41060]]], [["Green"]]),
    "kpi_rag unknown id": ("kpi_rag", [[[84.4]], [["NOPE"]]],
                           [["KPI_RAG: no indicator 'NOPE' in rules.json"]]),
    "kpi_dot": ("kpi_dot", [[[28.6]], [[28.7]], [["SCS29"]], [["2012-05"]]], [["↑"]]),
    "kpi_value": ("kpi_value", [[[1420], [22]], [[1683], [None]], [["SCS14"], ["SCS12"]]],
                  [[84.3731431966726], [22.0]]),
    "kpi_target H": ("kpi_target", [[["SCS14"]]], [[78.8]]),
    "kpi_target T": ("kpi_target", [[["SCS02"]], None], [[489.33, 598.07]]),
    "kpi_floor H": ("kpi_floor", [[["SCS14"]], [["2012-05"]]], [[70.92]]),
    "kpi_floor T": ("kpi_floor", [[["SCS02"]]], [[462.15, 625.25]]),
    "kpi_summary": ("kpi_summary", [[["Green"], ["Amber"], ["Red"], [None]],
                                    [["↑"], ["→"], [None], [None]]], [[PARAGRAPH]]),
    "kpi_summary without arrows": ("kpi_summary", [[["Green"]], None, None],
                                   [["There is 1 measure with a RAG rating. Of these 1 is rated "
                                     "Green, 0 Amber and 0 Red."]]),
}


def _run(code: str, stdin: str = "", **env_overrides) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items()
           if k not in ("XLWINGS_ON_SERVER", sheetfuncs.RULES_ENV, sheetfuncs.MONTH_ENV)}
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO_ROOT), env.get("PYTHONPATH")]))
    env.update(env_overrides)
    return subprocess.run([sys.executable, "-c", code], input=stdin, capture_output=True,
                          text=True, env=env, cwd=REPO_ROOT, timeout=300)


@pytest.fixture(scope="module")
def office_js():
    """Meta and every call in CALLS, as an xlwings Server would run them."""
    calls = {key: [name, args] for key, (name, args, _) in CALLS.items()}
    done = _run(PROBE, json.dumps(calls), XLWINGS_LICENSE_KEY="noncommercial",
                XLWINGS_ON_SERVER="true")
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_office_js_decorators_are_in_use(office_js):
    assert office_js["office_js_decorators"] is True
    assert office_js["classic_udfs_imported"] is False  # xlwings.udfs is Windows-only


def test_meta_registers_every_function_with_its_description(office_js):
    functions = {f["id"]: f for f in office_js["meta"]["functions"]}
    assert set(functions) == EXCEL_NAMES
    for excel_name, meta in functions.items():
        pure = getattr(sheetfuncs, excel_name.lower())
        assert meta["name"] == excel_name
        assert meta["description"] == " ".join(pure.__doc__.split())
        assert len(meta["description"]) <= 255  # what Excel's wizard can show
        assert meta["result"]["dimensionality"] == "matrix"


def test_meta_parameters_have_docs_and_optional_flags(office_js):
    functions = {f["id"]: f for f in office_js["meta"]["functions"]}
    for excel_name, meta in functions.items():
        signature = inspect.signature(getattr(udfs, excel_name.lower()))
        assert [p["name"] for p in meta["parameters"]] == list(signature.parameters)
        for param in meta["parameters"]:
            has_default = signature.parameters[param["name"]].default is not inspect.Parameter.empty
            assert param.get("optional", False) is has_default, (excel_name, param["name"])
            assert param["dimensionality"] == "matrix"
            assert param["description"]
            assert not param["description"].startswith("Positional argument")
            assert len(param["description"]) <= 255
    rag = {p["name"]: p for p in functions["RAG"]["parameters"]}
    assert rag["floor"]["description"].startswith("The floor (minimum standard); leave out for "
                                                  "no Amber")
    assert [p["name"] for p in functions["RAG"]["parameters"] if p.get("optional")] == [
        "floor", "polarity", "decimals", "percent_cells"]


@pytest.mark.parametrize("key", list(CALLS))
def test_custom_functions_call(office_js, key):
    _, _, expected = CALLS[key]
    got = office_js["results"][key]
    assert "error" not in got, got
    assert got["value"] == expected


def test_no_result_reads_as_an_excel_error(office_js):
    """A string starting with '#' would turn into an error value in Excel: messages never do."""
    for key, got in office_js["results"].items():
        for row in got["value"]:
            for cell in row:
                assert not (isinstance(cell, str) and cell.startswith("#")), key
                assert not isinstance(cell, dict), key  # NaN would come back as a #NUM! error


def test_import_without_xlwings_gives_plain_functions():
    code = ("import sys, json; sys.modules['xlwings'] = None\n"
            "from xl_scorecard import udfs\n"
            "print(json.dumps([udfs.rag(84.95, 85, 76.5), udfs.kpirate([[1]], [[4]]), "
            "udfs.rag.__doc__, 'xlwings.udfs' in sys.modules]))")
    done = _run(code)
    assert done.returncode == 0, done.stderr
    rag, rate, doc, classic = json.loads(done.stdout)
    assert (rag, rate, classic) == ("Green", [[25.0]], False)
    assert doc == " ".join(sheetfuncs.rag.__doc__.split())


def test_import_with_xlwings_outside_server_mode_gives_plain_functions():
    code = ("import sys, json\nfrom xl_scorecard import udfs\n"
            "print(json.dumps([udfs.dot(5, 4, 'L'), hasattr(udfs.dot, '__xlfunc__'), "
            "'xlwings.udfs' in sys.modules]))")
    done = _run(code)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout) == ["↓", False, False]


def test_wrappers_pass_everything_through():
    assert udfs.rag([[84.95]], [[85]], [[76.5]], [["H"]], [[1]]) == [["Green"]]
    assert udfs.kpi_summary([["Red"]]) == sheetfuncs.kpi_summary([["Red"]])
    assert set(udfs.__all__) >= {name.lower() for name in EXCEL_NAMES}

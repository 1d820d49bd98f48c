"""xlwings Lite: excel/lite/main.py through xlwings' own server machinery, and Pyodide's limits.

xlwings Lite runs main.py under Pyodide with xlwings in server mode (XLWINGS_ON_SERVER). Here the
same machinery (xlwings.server's custom_functions_call and custom_scripts_call, and a remote
Book made from the JSON an Office.js client sends) runs main.py's functions and scripts in a
fresh interpreter, against a workbook whose rules live in its rules.json sheet and with no rules
file anywhere to be found. Pyodide itself is not run: its package list is checked instead.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from importlib import metadata
from pathlib import Path

import pytest

try:
    import tomllib
except ImportError:  # Python 3.10
    tomllib = pytest.importorskip("tomli")
from packaging.markers import Marker
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name
from packaging.version import Version

from conftest import BUNDLED_DATA, REPO_ROOT

LITE = REPO_ROOT / "excel" / "lite"
PYODIDE = json.loads((Path(__file__).parent / "data" / "pyodide-314.0.8-packages.json")
                     .read_text(encoding="utf-8"))
# What xlwings Lite installs itself (its own xlwings build); everything else must come from
# Pyodide's release or be a pure-Python wheel.
PROVIDED_BY_LITE = {"xlwings"}
PYODIDE_ENV = {"python_version": ".".join(PYODIDE["info"]["python"].split(".")[:2]),
               "python_full_version": PYODIDE["info"]["python"], "sys_platform": "emscripten",
               "platform_system": "Emscripten", "os_name": "posix", "extra": "",
               "platform_machine": "wasm32", "implementation_name": "cpython"}


def _runtime_requirements() -> list[Requirement]:
    project = tomllib.loads((REPO_ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    return [Requirement(r) for r in project["dependencies"]]


def _closure(requirements: list[Requirement]) -> dict[str, Requirement]:
    """Every distribution the runtime needs under Pyodide, by name (from installed metadata)."""
    found: dict[str, Requirement] = {}
    todo = list(requirements)
    while todo:
        req = todo.pop()
        name = canonicalize_name(req.name)
        if name in found or (req.marker and not req.marker.evaluate(PYODIDE_ENV)):
            continue
        found[name] = req
        try:
            requires = metadata.requires(req.name) or []
        except metadata.PackageNotFoundError:  # not installed here: Pyodide's list must have it
            requires = []
        for text in requires:
            sub = Requirement(text)
            if sub.marker is None or Marker(str(sub.marker)).evaluate(PYODIDE_ENV):
                todo.append(sub)
    return found


def test_every_runtime_dependency_is_in_pyodide_or_pure_python():
    packages = {canonicalize_name(k): v for k, v in PYODIDE["packages"].items()}
    needed = _closure(_runtime_requirements() + [Requirement("xlwings")])
    assert {"pandas", "numpy", "openpyxl", "jsonschema", "defusedxml"} <= set(needed)
    problems = []
    for name, req in sorted(needed.items()):
        if name in PROVIDED_BY_LITE:
            continue
        if name in packages:  # Pyodide's own build: its version must meet our lower bound
            if not req.specifier.contains(Version(packages[name]["version"]), prereleases=True):
                problems.append(f"{name}: Pyodide has {packages[name]['version']}, we need "
                                f"{req.specifier}")
            continue
        wheel = metadata.distribution(name).read_text("WHEEL") or ""
        if "Root-Is-Purelib: true" not in wheel:
            problems.append(f"{name}: neither in Pyodide {PYODIDE['release']} nor pure Python")
    assert problems == []


def test_lite_requirements_name_every_direct_dependency():
    listed = {canonicalize_name(re.split(r"[<>=!~ ;]", line.strip())[0])
              for line in (LITE / "requirements.txt").read_text(encoding="utf-8").splitlines()
              if line.strip() and not line.startswith(("#", "http"))}
    assert {canonicalize_name(r.name) for r in _runtime_requirements()} | {"xlwings"} <= listed


IMPORTS = r"""
import importlib.util, json, sys, threading
before = {t.ident for t in threading.enumerate()}
import xl_scorecard.udfs
spec = importlib.util.spec_from_file_location("main", sys.argv[1])
main = importlib.util.module_from_spec(spec)
spec.loader.exec_module(main)
started = [t.name for t in threading.enumerate() if t.ident not in before]
print(json.dumps({"started": started,
                  "process_modules": sorted(m for m in sys.modules if m.startswith(
                      ("multiprocessing", "concurrent.futures.process", "_multiprocessing")))}))
"""


def _run(program: str, *argv, stdin: str | None = None) -> dict:
    env = {"XLWINGS_LICENSE_KEY": "noncommercial", "XLWINGS_ON_SERVER": "true",
           "PYTHONPATH": str(REPO_ROOT), "PATH": "/usr/bin:/bin",
           "XL_SCORECARD_RULES": str(REPO_ROOT / "no-such-folder" / "rules.json")}
    done = subprocess.run([sys.executable, "-c", program, *map(str, argv)], input=stdin,
                          capture_output=True, text=True, timeout=180, cwd=REPO_ROOT, env=env)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_importing_the_functions_and_main_starts_no_thread_and_no_process_pool():
    """Pyodide has no threads or processes. pandas imports the threading module itself (so its
    mere presence proves nothing): what matters is that no thread is started and that neither
    multiprocessing nor a process pool is imported."""
    result = _run(IMPORTS, LITE / "main.py")
    assert result == {"started": [], "process_modules": []}


SERVER = r"""
import asyncio, importlib.util, json, sys
import xlwings as xw, xlwings.server as server
spec = importlib.util.spec_from_file_location("main", sys.argv[1])
main = importlib.util.module_from_spec(spec)
spec.loader.exec_module(main)
payload = json.load(open(sys.argv[2], encoding="utf-8"))
base = {"client": "Office.js", "version": xw.__version__, "runtime": "1.4",
        "caller_address": "[Scorecard.xlsx]Scorecard!F5"}
functions = {name: asyncio.run(server.custom_functions_call(
                 dict(base, func_name=name, args=args), main))
             for name, args in json.loads(sys.argv[3]).items()}
books = {}
for name in ("check_rules", "refresh_scorecard"):
    book = xw.Book(json=payload)
    asyncio.run(server.custom_scripts_call(main, name, typehint_to_value={xw.Book: book}))
    books[name] = {"sheets": [s.name for s in book.sheets], "actions": book.json()["actions"]}
print(json.dumps({
    "functions_meta": sorted(f["name"] for f in server.custom_functions_meta(main)["functions"]),
    "scripts_meta": sorted(m["function_name"] for m in server.custom_scripts_meta(main)),
    "functions": functions, "books": books,
}))
"""

CALLS = {"rag": [[[84.95]], [[85]], [[76.5]]], "kpirate": [[[170]], [[200]]],
         "dot": [[[28.6]], [[28.7]], [["L"]]]}


def _written(book: dict) -> dict[str, dict[tuple[int, int], object]]:
    """Replay a remote Book's setValues actions: {sheet: {(row, col): value}} (1-based)."""
    names, out = list(book["sheets"]), {}
    for action in book["actions"]:
        if action["func"] == "addSheet":
            names.insert(action["args"][0], action["args"][1])
        if action["func"] == "setValues":
            cells = out.setdefault(names[action["sheet_position"]], {})
            for i, row in enumerate(action["values"]):
                for j, value in enumerate(row):
                    cells[(action["start_row"] + i + 1, action["start_column"] + j + 1)] = value
    return out


def test_main_py_through_xlwings_server_machinery(run_cli, tmp_path):
    """The functions answer as the engine does; the refresh reads the rules.json sheet alone."""
    pytest.importorskip("xlwings")
    from xl_scorecard import compute_month, load_data
    from xl_scorecard.inputs.rules_workbook import rules_from_workbook
    from xl_scorecard.layout.scorecard import HEADER_ROW, ID_COL, RAG

    from test_macros import payload_from
    from test_rules_workbook import _edit

    workbook = tmp_path / "carrying.xlsx"
    assert run_cli("build", "--out", workbook)[0] == 0
    assert run_cli("rules", "export", "--to", workbook)[0] == 0
    _edit(workbook, {"$.indicators[13].thresholds[0].target": 90})
    payload = tmp_path / "payload.json"
    payload.write_text(json.dumps(payload_from(workbook)), encoding="utf-8")

    result = _run(SERVER, LITE / "main.py", payload, json.dumps(CALLS))
    from xl_scorecard.excel.functions import EXCEL_NAMES

    # every worksheet function excel/udfs.py registers, and nothing else
    assert result["functions_meta"] == sorted(EXCEL_NAMES)
    assert {"KPI_RANGE", "KPI_PERIOD"} <= set(result["functions_meta"])
    assert result["scripts_meta"] == ["check_rules", "refresh_scorecard", "roll_forward"]
    assert result["functions"] == {"rag": [["Green"]], "kpirate": [[85.0]], "dot": [["↑"]]}

    check = _written(result["books"]["check_rules"])["Rules check"]
    assert check[(2, 2)] == "Scorecard.xlsx: valid, 44 indicators"

    rules = rules_from_workbook(workbook)
    results = compute_month(rules, load_data(BUNDLED_DATA, rules), "2012-05")
    scorecard = _written(result["books"]["refresh_scorecard"])["Scorecard"]
    rows = {scorecard[(r, ID_COL)]: r for (r, c) in scorecard if c == ID_COL and r > HEADER_ROW}
    got = {ident: scorecard[(row, RAG)] or "" for ident, row in rows.items() if ident}
    assert got == dict(zip(results["id"], results["rag"]))
    assert got["SCS14"] == "Amber"  # the target edited in the sheet, not the bundled 78.8


def test_main_py_is_thin():
    """main.py holds no rule of its own: imports (the package's behind a try that only explains
    a missing install), and scripts that each make one call to the package's macros."""
    import ast

    tree = ast.parse((LITE / "main.py").read_text(encoding="utf-8"))
    for node in tree.body:
        if isinstance(node, ast.FunctionDef):
            body = [n for n in node.body if not (isinstance(n, ast.Expr)
                                                 and isinstance(n.value, ast.Constant))]
            assert len(body) == 1 and "macros." in ast.unparse(body[0]), node.name
        elif isinstance(node, ast.Try):
            assert all(isinstance(n, ast.ImportFrom) for n in node.body)
            assert [h.type.id for h in node.handlers] == ["ImportError"]
            assert all(isinstance(n, ast.Raise) for h in node.handlers for n in h.body)
        else:
            assert isinstance(node, (ast.Import, ast.ImportFrom)) or (
                isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant))

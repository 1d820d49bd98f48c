"""Workbooks already set up name the old module paths: they keep working after the regroup.

The template's xlwings.conf says ``UDF Modules = xl_scorecard.udfs``; VBA buttons call
``import xl_scorecard.scripts as s; s.refresh_caller()``; xlwings Server registers both.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest

pytest.importorskip("xlwings")

REPO_ROOT = Path(__file__).resolve().parent.parent

PROBE = r"""
import json, sys
import xlwings.server as xs
import xl_scorecard.udfs as old_udfs, xl_scorecard.scripts as old_scripts
from xl_scorecard.excel import udfs, scripts
meta_old = xs.custom_functions_meta(old_udfs)
meta_new = xs.custom_functions_meta(udfs)
print(json.dumps({
    "same_meta": meta_old == meta_new,
    "names": sorted(f["name"] for f in meta_old["functions"]),
    "scripts": sorted(n for n in old_scripts.__all__ if getattr(old_scripts, n) is getattr(scripts, n)),
}))
"""


def test_old_udf_and_script_paths_give_xlwings_the_same_functions():
    env = dict(os.environ, XLWINGS_ON_SERVER="true", XLWINGS_LICENSE_KEY="noncommercial",
               PYTHONPATH=os.pathsep.join(filter(None, [str(REPO_ROOT), os.environ.get("PYTHONPATH")])))
    done = subprocess.run([sys.executable, "-c", PROBE], capture_output=True, text=True, env=env,
                          timeout=120)
    assert done.returncode == 0, done.stderr
    found = json.loads(done.stdout)
    assert found["same_meta"] is True
    assert {"RAG", "DOT", "KPIRATE", "KPI_RAG", "KPI_SUMMARY"} <= set(found["names"])
    assert found["scripts"] == sorted(["refresh_scorecard", "roll_forward", "check_rules",
                                       "refresh_caller", "roll_forward_caller", "check_rules_caller"])


def test_the_template_names_a_module_that_exists():
    book = openpyxl.load_workbook(REPO_ROOT / "workbooks" / "scorecard-template.xlsx")
    conf = {r[0]: r[1] for r in book["xlwings.conf"].iter_rows(values_only=True)}
    module = conf["UDF Modules"]
    done = subprocess.run([sys.executable, "-c", f"import {module}"], capture_output=True, text=True,
                          cwd=REPO_ROOT, timeout=120)
    assert done.returncode == 0, done.stderr

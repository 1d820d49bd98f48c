"""The wheel xlwings Lite installs: built as docs/excel-routes.md says, pure Python, complete.

xlwings Lite installs packages with Pyodide's micropip: a pure-Python wheel (``py3-none-any``)
from PyPI, from a private index, or from the wheel's own web address (served with CORS). Here
the documented command builds it, its contents are checked, and it is installed into a fresh
virtual environment (no editable checkout on its path) where every module imports and
`xl-scorecard validate` runs on the bundled sample from inside the wheel.
"""

from __future__ import annotations

import pkgutil
import re
import subprocess
import sys
import zipfile

import pytest

from conftest import REPO_ROOT

LITE = REPO_ROOT / "excel" / "lite"
BUILD = [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "."]


@pytest.fixture(scope="module")
def wheel(tmp_path_factory):
    pytest.importorskip("hatchling")  # the build backend (pyproject.toml); CI installs it
    out = tmp_path_factory.mktemp("wheel")
    done = subprocess.run([*BUILD, "--wheel-dir", str(out)], cwd=REPO_ROOT, capture_output=True,
                          text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    [built] = list(out.glob("*.whl"))
    return built


def _subpackages() -> set[str]:
    """Every package of the source tree, as wheel paths of their __init__.py."""
    return {f"{p.relative_to(REPO_ROOT).as_posix()}/__init__.py"
            for p in (REPO_ROOT / "xl_scorecard").rglob("*")
            if p.is_dir() and (p / "__init__.py").exists()} | {"xl_scorecard/__init__.py"}


def test_the_wheel_is_pure_python_and_carries_everything(wheel):
    assert wheel.name.endswith("-py3-none-any.whl")
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
        wheel_meta = archive.read(next(n for n in names if n.endswith("/WHEEL")))
    assert _subpackages() <= names
    modules = {f"{p.relative_to(REPO_ROOT).as_posix()}"
               for p in (REPO_ROOT / "xl_scorecard").rglob("*.py")}
    assert modules <= names
    assert {"xl_scorecard/inputs/rules.schema.json", "xl_scorecard/_sample/rules.json",
            "xl_scorecard/_sample/kent_scs_2012.csv"} <= names
    assert not [n for n in names if n.endswith((".so", ".pyd", ".dll", ".pyc"))]
    assert b"Root-Is-Purelib: true" in wheel_meta


def test_requirements_name_the_wheel_this_version_builds(wheel):
    """The one line an analyst or IT must change ends with the file name the build makes."""
    lines = [line.strip() for line in (LITE / "requirements.txt").read_text(encoding="utf-8")
             .splitlines() if line.strip() and not line.lstrip().startswith("#")]
    ours = [line for line in lines if "xl_scorecard" in line]
    assert len(ours) == 1 and ours[0].endswith("/" + wheel.name)
    assert "REPLACE-ME" in ours[0] and re.match(r"https://REPLACE-ME\.invalid/", ours[0])


IMPORT_ALL = r"""
import importlib, io, json, pkgutil, sys
import xl_scorecard
from xl_scorecard import cli
names = [m.name for m in pkgutil.walk_packages(xl_scorecard.__path__, "xl_scorecard.")]
for name in names:
    importlib.import_module(name)
out, err = io.StringIO(), io.StringIO()
code = cli.run(["validate"], out, err)
print(json.dumps({"file": xl_scorecard.__file__, "modules": len(names), "code": code,
                  "out": out.getvalue(), "err": err.getvalue()}))
"""


def test_the_wheel_installs_and_imports_in_a_fresh_environment(wheel, tmp_path):
    import json

    venv = tmp_path / "venv"
    # the site packages give pandas, numpy, ... as Pyodide does; xl_scorecard comes only
    # from the wheel (the venv's own site-packages come first)
    subprocess.run([sys.executable, "-m", "venv", "--system-site-packages", "--without-pip",
                    str(venv)], check=True, timeout=120)
    python = venv / "bin" / "python"
    done = subprocess.run([sys.executable, "-m", "pip", "--python", str(python), "install",
                           "--no-deps", "--no-index", "--quiet", str(wheel)],
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    ran = subprocess.run([str(python), "-c", IMPORT_ALL], capture_output=True, text=True,
                         timeout=300, cwd=tmp_path, env={"PATH": "/usr/bin:/bin",
                                                         "XLWINGS_LICENSE_KEY": "noncommercial"})
    assert ran.returncode == 0, ran.stderr
    result = json.loads(ran.stdout.strip().splitlines()[-1])
    assert result["file"].startswith(str(venv))
    assert result["modules"] == len([m for m in pkgutil.walk_packages(
        [str(REPO_ROOT / "xl_scorecard")], "xl_scorecard.")])
    assert result["code"] == 0, result["err"]
    assert "44 indicators" in result["out"]

"""The folder tree is the architecture: each folder imports only the folders below it.

Every module of every folder is walked (no hand-kept list), and every import in it,
top-level or inside a function, is resolved and checked against the allowed direction.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "xl_scorecard"

# folder -> the xl_scorecard folders it may import (besides itself)
ALLOWED = {
    "core": set(),
    "inputs": {"core"},
    "outputs": {"core"},
    "layout": {"core"},
    "writers": {"core", "layout"},
    "headless": {"core", "inputs", "outputs", "layout", "writers"},
    "excel": {"core", "inputs", "outputs", "layout", "writers"},
    "paper": {"core", "inputs", "outputs", "layout"},
}
# third-party packages each folder may import; the core must stay light enough for Pyodide
CORE_THIRD_PARTY = {"numpy", "pandas"}
STDLIB = set(sys.stdlib_module_names)


def _modules(folder: str) -> list[Path]:
    return sorted((PACKAGE / folder).rglob("*.py"))


def _imports(path: Path) -> list[tuple[int, str]]:
    """Every imported module, as an absolute dotted name."""
    tree = ast.parse(path.read_text("utf-8"))
    package = ".".join(("xl_scorecard", *path.relative_to(PACKAGE).parent.parts))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - node.level + 1]
                module = ".".join([*base, *([node.module] if node.module else [])])
            else:
                module = node.module or ""
            # "from . import rag" imports a module: count each name as one
            found += [(node.lineno, f"{module}.{alias.name}") for alias in node.names
                      if (PACKAGE.parent / f"{module}.{alias.name}".replace(".", "/")).with_suffix(".py").exists()]
            found.append((node.lineno, module))
    return found


def _folder_of(module: str) -> str | None:
    parts = module.split(".")
    if parts[0] != "xl_scorecard" or len(parts) < 2:
        return None
    return parts[1] if parts[1] in ALLOWED else "<top>"


CASES = [(folder, path) for folder in ALLOWED for path in _modules(folder)]


def test_every_folder_has_modules_and_a_statement_of_what_it_may_import():
    for folder in ALLOWED:
        init = PACKAGE / folder / "__init__.py"
        assert init.exists(), folder
        assert "May import" in init.read_text("utf-8"), f"{folder}/__init__.py states no import rule"
    assert len(CASES) > 30


@pytest.mark.parametrize("folder,path", CASES, ids=[str(p.relative_to(PACKAGE)) for _, p in CASES])
def test_imports_follow_the_direction_of_the_tree(folder, path):
    wrong = []
    for line, module in _imports(path):
        target = _folder_of(module)
        if module.split(".")[0] == "xl_scorecard":
            if target == folder:
                continue
            if target == "<top>" or target not in ALLOWED[folder]:
                wrong.append(f"line {line}: {module}")
        elif folder == "core":
            top = module.split(".")[0]
            if top not in STDLIB and top not in CORE_THIRD_PARTY and top != "__future__":
                wrong.append(f"line {line}: {module} (the core imports only numpy and pandas)")
    assert not wrong, f"{path.relative_to(PACKAGE)} imports against the tree: {wrong}"


def test_no_module_outgrows_one_job():
    long = {str(p.relative_to(PACKAGE)): n for p in PACKAGE.rglob("*.py")
            if (n := len(p.read_text("utf-8").splitlines())) > 420}
    assert not long, long


def test_importing_the_core_loads_neither_xlwings_nor_openpyxl():
    names = [".".join(("xl_scorecard", *p.relative_to(PACKAGE).with_suffix("").parts))
             for p in _modules("core") if p.name != "__init__.py"]
    code = ("import sys\n" + "".join(f"import {n}\n" for n in names)
            + "print(','.join(sorted(m for m in ('xlwings', 'openpyxl', 'jsonschema', "
              "'multiprocessing') if m in sys.modules)) or 'none')\n")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "none"

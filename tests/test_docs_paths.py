"""What README.md and docs/*.md name exists: every file path, every module, and the Python
API example runs as printed."""

from __future__ import annotations

import contextlib
import importlib
import io
import os
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PAGES = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
PATH = re.compile(r"`((?:xl_scorecard|docs|tests|workbooks|bench)/[\w./-]+\.(?:py|json|md|png|csv|xlsx))`")
INSIDE = re.compile(r"`((?:core|inputs|outputs|layout|writers|headless|excel)/\w+\.(?:py|json))`")
MODULE = re.compile(r"`(xl_scorecard(?:\.\w+)+)`")


def _named(pattern) -> list[tuple[str, str]]:
    return sorted({(page.name, m) for page in PAGES for m in pattern.findall(page.read_text("utf-8"))})


@pytest.mark.parametrize("page, path", _named(PATH))
def test_every_path_named_exists(page, path):
    if path.startswith("workbooks/out/"):
        pytest.skip("an output the commands write")
    if path == "bench/RESULTS-quick.md":  # written by bench/run.py --quick; ignored, not tracked
        pytest.skip("an output the bench writes")
    assert (ROOT / path).exists(), f"{page} names {path}, which does not exist"


@pytest.mark.parametrize("page, path", _named(INSIDE))
def test_every_path_inside_the_package_named_exists(page, path):
    assert (ROOT / "xl_scorecard" / path).exists(), f"{page} names {path}, not in xl_scorecard/"


@pytest.mark.parametrize("page, dotted", _named(MODULE))
def test_every_module_named_imports(page, dotted):
    parts = dotted.split(".")
    for cut in range(len(parts), 1, -1):  # a module, or a name inside one
        try:
            module = importlib.import_module(".".join(parts[:cut]))
        except ModuleNotFoundError:
            continue
        for name in parts[cut:]:
            module = getattr(module, name)
        return
    pytest.fail(f"{page} names {dotted}, which does not import")


def test_the_readme_python_api_example_runs(monkeypatch):
    text = (ROOT / "README.md").read_text("utf-8")
    section = text[text.index("## Python API"):]
    code = section[section.index("```python") + len("```python"):section.index("```\n", 10)]
    monkeypatch.chdir(ROOT)
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        exec(compile(code, "README.md", "exec"), {})
    assert printed.getvalue().startswith("There are 44 measures with a RAG rating.")
    assert os.getcwd() == str(ROOT)

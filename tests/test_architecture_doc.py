"""docs/architecture.md tells the tree as tests/test_architecture.py enforces it."""

from __future__ import annotations

import re
from pathlib import Path

from test_architecture import ALLOWED, PACKAGE, _imports

DOC = Path(__file__).resolve().parent.parent / "docs" / "architecture.md"


def _table() -> dict[str, set[str]]:
    rows = {}
    for line in DOC.read_text("utf-8").splitlines():
        match = re.match(r"^\| `(\w+)/` \|.*\| (.+) \|$", line)
        if match:
            allowed = match.group(2)
            rows[match.group(1)] = set() if allowed.startswith("nothing") else set(
                re.findall(r"`(\w+)`", allowed))
    return rows


def test_the_folder_table_is_the_enforced_rule():
    assert _table() == ALLOWED


def test_the_cli_never_imports_the_excel_face():
    imported = [module for name in ("cli.py", "commands.py") for _, module in _imports(PACKAGE / name)]
    assert [m for m in imported if m.startswith("xl_scorecard.excel")] == []
    assert any(m.startswith("xl_scorecard.headless") for m in imported)


def test_the_picture_exists_and_is_small():
    picture = DOC.parent / "architecture.png"
    assert picture.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and picture.stat().st_size < 60_000

"""Round two (issue 15) in Excel's faces: the macros' rules setting, commentary formulas through
Refresh, and worksheet functions given hostile cells. The macros run against xlwings' real
remote-engine Book, as tests/test_macros.py does."""

from __future__ import annotations

import json
import os
from pathlib import Path

import numpy as np
import pytest

xw = pytest.importorskip("xlwings")

from xl_scorecard.excel import functions as sf  # noqa: E402
from xl_scorecard.excel import macros  # noqa: E402
from xl_scorecard.layout.scorecard import COMMENTARY_COL, ID_COL  # noqa: E402

from conftest import REPO_ROOT  # noqa: E402

TEMPLATE = REPO_ROOT / "workbooks" / "scorecard-template.xlsx"
needs_remote = pytest.mark.skipif(not getattr(xw, "__pro__", False),
                                  reason="xlwings' remote engine needs XLWINGS_LICENSE_KEY at import")


def _macro_helpers():
    import test_macros

    return test_macros


# --------------------------------------------------------------------------- commentary formulas


@needs_remote
def test_refresh_keeps_a_commentary_formula_where_the_engine_can_read_formulas(monkeypatch):
    """Desktop Excel hands formulas over; the Office.js engine cannot, and keeps the value."""
    helpers = _macro_helpers()
    payload = helpers.payload_from(TEMPLATE)
    scorecard = next(s for s in payload["sheets"] if s["name"] == "Scorecard")
    row = next(i for i, r in enumerate(scorecard["values"]) if len(r) >= ID_COL and r[ID_COL - 1] == "SCS20")
    scorecard["values"][row][COMMENTARY_COL - 1] = "Up 3.0"  # what the formula shows
    formula = '="Up "&TEXT(3,"0.0")'

    def formulas(self):
        grid = [["" if v is None else v for v in r] for r in self.options(ndim=2).value]
        if self.sheet.name == "Scorecard":
            grid[row][COMMENTARY_COL - 1] = formula
        return grid

    monkeypatch.setattr(xw.main.Range, "formula", property(formulas))
    book = xw.Book(json=payload)
    macros.refresh(book)
    written = helpers.written_sheets(book)["Scorecard"]
    assert written[(row + 1, COMMENTARY_COL)] == formula


@needs_remote
def test_refresh_on_office_js_keeps_the_value_it_sees():
    helpers = _macro_helpers()
    payload = helpers.payload_from(TEMPLATE)
    scorecard = next(s for s in payload["sheets"] if s["name"] == "Scorecard")
    row = next(i for i, r in enumerate(scorecard["values"]) if len(r) >= ID_COL and r[ID_COL - 1] == "SCS20")
    scorecard["values"][row][COMMENTARY_COL - 1] = "Up 3.0"
    book = xw.Book(json=payload)
    macros.refresh(book)
    assert helpers.written_sheets(book)["Scorecard"][(row + 1, COMMENTARY_COL)] == "Up 3.0"


# --------------------------------------------------------------------------- the rules setting

from xl_scorecard.excel.rules_location import DIRS_ENV, RULES_ENV, confined_rules_path  # noqa: E402
from xl_scorecard.core.errors import UsageError  # noqa: E402


@pytest.fixture
def folders(tmp_path, monkeypatch):
    """A workbook's folder with its rules, and a secret elsewhere on the machine."""
    monkeypatch.delenv(DIRS_ENV, raising=False)
    monkeypatch.delenv(RULES_ENV, raising=False)
    book_folder, elsewhere = tmp_path / "team", tmp_path / "private"
    book_folder.mkdir()
    elsewhere.mkdir()
    (book_folder / "rules.json").write_text((REPO_ROOT / "rules.json").read_text("utf-8"), "utf-8")
    (elsewhere / "secret.json").write_text(json.dumps(["NI number QQ123456C", "salary 41,000"]))
    (elsewhere / "notes.txt").write_text("password hunter2")
    return book_folder, elsewhere


@pytest.mark.parametrize("setting, message", [
    ("../private/secret.json", "is outside the folders rules may be read from"),
    ("{elsewhere}/secret.json", "is outside the folders"),
    ("sub/../../private/secret.json", "is outside the folders"),
    ("{elsewhere}/notes.txt", "is not a .json file"),
    ("/etc/passwd", "is not a .json file"),
    ("link.json", "is outside the folders"),  # a symlink in the folder pointing out of it
])
def test_a_workbook_setting_cannot_leave_its_folder(folders, setting, message):
    book_folder, elsewhere = folders
    (book_folder / "link.json").symlink_to(elsewhere / "secret.json")
    with pytest.raises(UsageError) as caught:
        confined_rules_path(setting.format(elsewhere=elsewhere), book_folder, "xlwings.conf: SCORECARD_RULES")
    text = str(caught.value)
    assert message in text and "hunter2" not in text and "QQ123456C" not in text


def test_the_workbooks_own_folder_and_the_servers_folders_are_allowed(folders, monkeypatch):
    book_folder, elsewhere = folders
    assert confined_rules_path("rules.json", book_folder, "w") == (book_folder / "rules.json").resolve()
    with pytest.raises(UsageError, match="has no folder on this machine"):
        confined_rules_path("rules.json", None, "w")  # Office.js: no folder, no allowed list
    monkeypatch.setenv(DIRS_ENV, str(elsewhere))
    assert confined_rules_path(str(elsewhere / "secret.json"), None, "w").name == "secret.json"
    assert confined_rules_path("secret.json", None, "w").parent == elsewhere.resolve()


@needs_remote
@pytest.mark.parametrize("via", ["conf", "env"])
def test_check_rules_never_echoes_another_files_contents(folders, monkeypatch, via):
    """Under xlwings Server a client's workbook names a file on the server: refused, in a line."""
    helpers = _macro_helpers()
    _, elsewhere = folders
    target = str(elsewhere / "secret.json")
    if via == "env":
        monkeypatch.setenv(RULES_ENV, target)
        book = xw.Book(json=helpers.payload_from(TEMPLATE))
    else:
        book = xw.Book(json=helpers.payload_from(TEMPLATE, conf={"SCORECARD_RULES": target}))
    assert macros.validate_rules(book) == "1 problem(s)"
    sheet = helpers.written_sheets(book)["Rules check"]
    shown = " ".join(str(v) for v in sheet.values())
    assert "outside the folders" in shown and "QQ123456C" not in shown and "41,000" not in shown
    refreshed = xw.Book(json=helpers.payload_from(TEMPLATE, conf={"SCORECARD_RULES": target}))
    assert "outside the folders" in macros.refresh(refreshed)


def test_kpi_functions_keep_to_the_servers_folders_when_it_lists_them(folders, monkeypatch):
    _, elsewhere = folders
    monkeypatch.setenv(RULES_ENV, str(elsewhere / "secret.json"))
    monkeypatch.setenv(DIRS_ENV, str(folders[0]))
    result = sf.kpi_target("SCS01")
    assert isinstance(result, str) and "outside the folders" in result and "QQ123456C" not in result

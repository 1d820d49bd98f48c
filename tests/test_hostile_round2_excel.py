"""Round two (issue 15) in Excel's faces: the macros' rules setting, commentary formulas through
Refresh, and worksheet functions given hostile cells. The macros run against xlwings' real
remote-engine Book, as tests/test_macros.py does."""

from __future__ import annotations

import json

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
        payload = helpers.payload_from(TEMPLATE)  # without its rules.json sheet, which comes first
        payload["sheets"] = [s for s in payload["sheets"] if s["name"] != "rules.json"]
        book = xw.Book(json=payload)
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


# --------------------------------------------------------------------------- worksheet functions

import datetime as dt  # noqa: E402

import pandas as pd  # noqa: E402

MESSAGE_LIMIT = 160

# cells that are not numbers, whatever Python's float() says
NOT_NUMBERS = ["inf", "Infinity", "-inf", "nan", "NaN", " infinity ", "1_000", True, False,
               np.bool_(True), float("inf"), np.inf, -np.inf, 10 ** 400]
HOSTILE_CELLS = NOT_NUMBERS + [
    "x" * 100_000, "\u0000", "\ud800", "=cmd|' /C calc'!A0", {"type": "Error"}, {"a": 1}, set(),
    object(), b"bytes", 10 ** 30, -(10 ** 30), 1e308, -1e308, 5e-324, dt.date(1, 1, 1),
    dt.datetime(9999, 12, 31, 23, 59), pd.NaT, np.datetime64("NaT"), complex(1, 2), (), [],
    [[]], [[1, 2], [3]], [[[1]]], np.zeros((2, 2, 2)), pd.DataFrame({"a": [1, 2]}),
    pd.Series([1.0, "inf"]), range(3), (x for x in [1]), np.array(["inf", 1.0], dtype=object),
]

CALLS = {
    "RAG value": lambda x: sf.rag(x, 85, 76.5),
    "RAG target": lambda x: sf.rag(80, x, 76.5),
    "RAG floor": lambda x: sf.rag(80, 85, x),
    "RAG polarity": lambda x: sf.rag(80, 85, 76.5, x),
    "RAG decimals": lambda x: sf.rag(80, 85, 76.5, "H", x),
    "RAG T band": lambda x: sf.rag(20, [x, 23], [15, 27], "T"),
    "DOT latest": lambda x: sf.dot(x, 80),
    "DOT tolerance": lambda x: sf.dot(81, 80, "H", None, x),
    "DOT T target": lambda x: sf.dot(21, 20, "T", x),
    "KPIRATE numerator": lambda x: sf.kpirate(x, 20),
    "KPIRATE multiplier": lambda x: sf.kpirate(1, 20, x),
    "KPI_RAG id": lambda x: sf.kpi_rag(80, x),
    "KPI_RAG month": lambda x: sf.kpi_rag(80, "SCS20", x),
    "KPI_DOT latest": lambda x: sf.kpi_dot(x, 80, "SCS20"),
    "KPI_VALUE denominator": lambda x: sf.kpi_value(1, x, "SCS03"),
    "KPI_TARGET month": lambda x: sf.kpi_target("SCS20", x),
    "KPI_FLOOR id": lambda x: sf.kpi_floor(x),
    "KPI_SUMMARY rags": lambda x: sf.kpi_summary(x),
    "KPI_SUMMARY arrows": lambda x: sf.kpi_summary(["Green"], x),
}


def _cells(result):
    if isinstance(result, np.ndarray):
        return [c for c in result.reshape(-1)]
    if isinstance(result, list):
        return [c for item in result for c in _cells(item)]
    return [result]


@pytest.fixture
def no_rules_env(monkeypatch):
    monkeypatch.delenv(RULES_ENV, raising=False)
    monkeypatch.delenv(DIRS_ENV, raising=False)
    monkeypatch.delenv(sf.MONTH_ENV, raising=False)


@pytest.mark.parametrize("where", list(CALLS))
def test_no_hostile_cell_makes_a_function_raise_or_write_a_long_message(no_rules_env, where):
    for cell in HOSTILE_CELLS:
        result = CALLS[where](cell)  # must not raise
        for out in _cells(result):
            if isinstance(out, str):
                assert len(out) <= MESSAGE_LIMIT and "\n" not in out, (where, repr(cell)[:40], out[:80])
                assert "\ud800" not in out and "\u0000" not in out, (where, repr(cell)[:40])
            else:
                assert out is None or isinstance(out, (int, float, np.floating, np.integer)), \
                    (where, repr(cell)[:40], out)
                assert not (isinstance(out, float) and np.isinf(out)), (where, repr(cell)[:40])


@pytest.mark.parametrize("cell", NOT_NUMBERS, ids=lambda c: repr(c)[:20])
@pytest.mark.parametrize("where", ["RAG value", "RAG target", "DOT latest", "KPIRATE numerator",
                                   "KPI_DOT latest", "KPI_VALUE denominator"])
def test_text_and_booleans_are_never_read_as_numbers(no_rules_env, where, cell):
    for arg in (cell, [[cell], [80]]):  # one cell, and inside a range
        out = _cells(CALLS[where](arg))[0]
        assert isinstance(out, str) and out.startswith(where.split()[0] + ":"), (where, cell, out)
        assert "number" in out


def test_a_huge_integer_month_is_a_message(no_rules_env):
    for month in (10 ** 400, 10 ** 20, -(10 ** 400), 2958466, 0):
        out = sf.kpi_rag(80, "SCS20", month)
        assert isinstance(out, str) and out.startswith("KPI_RAG: month") and len(out) <= MESSAGE_LIMIT


@needs_remote
@pytest.mark.parametrize("month", [10 ** 400, "x" * 5000, -1, 2958466, "0000-05"])
def test_a_report_month_no_calendar_holds_is_a_short_alert(month):
    helpers = _macro_helpers()
    book = xw.Book(json=helpers.payload_from(TEMPLATE, month=month))
    message = macros.refresh(book)
    assert "ReportMonth" in message and len(message) <= 200, message[:300]
    assert [a["func"] for a in book.json()["actions"]] == ["alert"]

"""The Refresh macro on the monthly example's workbook (issue 9): each month's own figures in
its trimmed Data sheet, quarterly and annual indicators, lead indicators, flags and the
Comparators sheet. What the macro writes equals what the headless build wrote."""

from __future__ import annotations

import shutil

import openpyxl
import pytest

xw = pytest.importorskip("xlwings")

from xl_scorecard import cli  # noqa: E402
from xl_scorecard.excel import macros  # noqa: E402

from conftest import REPO_ROOT  # noqa: E402
from test_macros import payload_from, written_sheets  # noqa: E402

EXAMPLE = REPO_ROOT / "workbooks" / "examples"


@pytest.mark.parametrize("month", ["2017-12", "2018-03"])
def test_refresh_of_the_example_writes_what_the_build_wrote(tmp_path, monkeypatch, month):
    rules = tmp_path / "rules.json"
    shutil.copy(EXAMPLE / "rules.json", rules)
    out = tmp_path / "example.xlsx"
    assert cli.run(["build", "--rules", str(rules), "--data",
                    str(EXAMPLE / "anyshire_monthly_2016-2018.csv"), "--comparators",
                    str(EXAMPLE / "anyshire_comparators.csv"), "--month", month,
                    "--out", str(out)]) == 0
    monkeypatch.setenv("XL_SCORECARD_RULES_DIRS", str(tmp_path))
    payload = payload_from(out, month=month)
    payload["sheets"].append({"name": "xlwings.conf", "values": [["SCORECARD_RULES", str(rules)]],
                              "pictures": [], "tables": []})
    book = xw.Book(json=payload)
    message = macros.refresh(book)
    assert message.startswith(("December 2017", "March 2018")), message
    written = written_sheets(book)
    built = openpyxl.load_workbook(out)
    for name in ("Scorecard", "Summary", "Exceptions"):
        expected = {(c.row, c.column): c.value for row in built[name].iter_rows() for c in row
                    if c.value is not None}
        got = {k: v for k, v in written[name].items() if v not in (None, "")}
        assert got.keys() == expected.keys(), name
        for key, value in expected.items():
            if isinstance(value, float):
                assert got[key] == pytest.approx(value, rel=1e-12), (name, key)
            else:
                assert got[key] == value, (name, key)


def test_refresh_hides_the_columns_the_build_hid(tmp_path, monkeypatch):
    """With comparators, the build hides the Scorecard's ID column (the printed page runs Ref
    to Commentary, then the comparators); the refresh hides the same columns, showing all
    the others first."""
    from xl_scorecard.layout.scorecard import ID_COL

    rules = tmp_path / "rules.json"
    shutil.copy(EXAMPLE / "rules.json", rules)
    out = tmp_path / "example.xlsx"
    assert cli.run(["build", "--rules", str(rules), "--data",
                    str(EXAMPLE / "anyshire_monthly_2016-2018.csv"), "--comparators",
                    str(EXAMPLE / "anyshire_comparators.csv"), "--month", "2018-03",
                    "--out", str(out)]) == 0
    built = openpyxl.load_workbook(out)["Scorecard"]
    hidden = [openpyxl.utils.column_index_from_string(k)
              for k, d in built.column_dimensions.items() if d.hidden]
    assert hidden == [ID_COL]
    monkeypatch.setenv("XL_SCORECARD_RULES_DIRS", str(tmp_path))
    payload = payload_from(out, month="2018-03")
    payload["sheets"].append({"name": "xlwings.conf", "values": [["SCORECARD_RULES", str(rules)]],
                              "pictures": [], "tables": []})
    book = xw.Book(json=payload)
    macros.refresh(book)
    scorecard = [s.name for s in book.sheets].index("Scorecard")
    calls = [(a["args"], a["start_column"] + 1, a["start_column"] + a["column_count"])
             for a in book.json()["actions"]
             if a["func"] == "setColumnHidden" and a["sheet_position"] == scorecard]
    assert calls[0][0] == [False] and calls[0][1] == 1 and calls[0][2] >= ID_COL
    assert [(args, c1, c2) for args, c1, c2 in calls[1:]] == [([True], ID_COL, ID_COL)]

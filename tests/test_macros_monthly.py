"""The refresh macro on the SYNTHETIC monthly example: it reads the Comparators sheet and
writes what the headless build writes (aggregated figures, ranges, comparator columns)."""

from __future__ import annotations

import openpyxl
import pytest

xw = pytest.importorskip("xlwings")

from conftest import REPO_ROOT  # noqa: E402
from test_macros import payload_from, written_sheets  # noqa: E402

from xl_scorecard.excel import macros  # noqa: E402

EXAMPLE = REPO_ROOT / "workbooks" / "examples"


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    from xl_scorecard import cli
    import io

    out = tmp_path_factory.mktemp("example") / "anyshire.xlsx"
    code = cli.run(["build", "--rules", str(EXAMPLE / "rules.json"), "--data",
                    str(EXAMPLE / "anyshire_monthly_2016-2018.csv"), "--comparators",
                    str(EXAMPLE / "anyshire_comparators.csv"), "--out", str(out)], io.StringIO(), io.StringIO())
    assert code == 0
    return out


def _sheet(path, name):
    ws = openpyxl.load_workbook(path)[name]
    return {(c.row, c.column): c.value for row in ws.iter_rows() for c in row if c.value is not None}


def test_refresh_of_the_monthly_example_equals_the_headless_build(built, monkeypatch):
    monkeypatch.setenv("XL_SCORECARD_RULES", str(EXAMPLE / "rules.json"))
    book = xw.Book(json=payload_from(built, month="2018-03"))
    assert macros.refresh(book) == "March 2018: 4 Green, 1 Amber, 1 Red"
    written = written_sheets(book)
    for name in ("Scorecard", "Exceptions"):
        expected = _sheet(built, name)
        got = {k: v for k, v in written[name].items() if v not in (None, "")}
        assert got.keys() == expected.keys(), name
        for key, value in expected.items():
            assert got[key] == (pytest.approx(value, rel=1e-15) if isinstance(value, float) else value)
    assert "England" in written["Scorecard"].values() and "Above" in written["Scorecard"].values()


def test_a_bad_comparators_sheet_is_an_alert_and_nothing_is_written(built, monkeypatch):
    monkeypatch.setenv("XL_SCORECARD_RULES", str(EXAMPLE / "rules.json"))
    payload = payload_from(built, month="2018-03")
    sheet = next(s for s in payload["sheets"] if s["name"] == "Comparators")
    sheet["values"][1][3] = "n/a"
    book = xw.Book(json=payload)
    message = macros.refresh(book)
    assert message == "sheet 'Comparators': row 2, column 'value': 'n/a' is not a number; leave the row out when there is no figure"
    assert not [a for a in book.json()["actions"] if a["func"] == "setValues"]

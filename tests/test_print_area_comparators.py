"""The Scorecard prints the same columns with and without comparators: Ref to Commentary, then
the comparators when there are any, never the ID column (a key for formulas and the macros).

Read two ways: the print area and hidden columns as openpyxl reads them, and the page as
LibreOffice prints it, read back with pdftotext.
"""

from __future__ import annotations

import re
import shutil
import subprocess

import openpyxl
import pytest
from openpyxl.utils import column_index_from_string, get_column_letter

from xl_scorecard.layout import scorecard as card

from conftest import REPO_ROOT

EXAMPLE = REPO_ROOT / "workbooks" / "examples"
ARGS = ("--rules", EXAMPLE / "rules.json", "--data", EXAMPLE / "anyshire_monthly_2016-2018.csv")
COMPARATORS = ("--comparators", EXAMPLE / "anyshire_comparators.csv")
NAMES = ["England", "Statistical neighbours", "South East"]


def _build(run_cli, out, *extra, pdf=False):
    code, _, err = run_cli("build", *ARGS, *extra, "--out", out, *(["--pdf"] if pdf else []))
    assert code == 0, err
    return out


def _printed_columns(path) -> list[int]:
    """The columns inside the Scorecard's print area that are not hidden."""
    ws = openpyxl.load_workbook(path)["Scorecard"]
    last = re.search(r"\$([A-Z]+)\$\d+$", ws.print_area).group(1)
    return [c for c in range(1, column_index_from_string(last) + 1)
            if not ws.column_dimensions[get_column_letter(c)].hidden]


@pytest.mark.parametrize("live", [None, "xlwings", "native"])
def test_the_print_area_is_the_same_columns_plus_the_comparators(run_cli, tmp_path, live):
    extra = () if live is None else ("--live", live)
    without = _printed_columns(_build(run_cli, tmp_path / "without.xlsx", *extra))
    with_cmp = _printed_columns(_build(run_cli, tmp_path / "with.xlsx", *COMPARATORS, *extra))
    assert without == list(range(1, card.COMMENTARY_COL + 1))
    assert card.ID_COL not in with_cmp
    assert with_cmp[:len(without)] == without and len(with_cmp) == len(without) + len(NAMES)
    ws = openpyxl.load_workbook(tmp_path / "with.xlsx")["Scorecard"]
    assert [ws.cell(card.HEADER_ROW, c).value for c in with_cmp[len(without):]] == NAMES
    # the ID is still there for =KPI_RAG() and the macros, one click away in the outline group
    assert ws.cell(card.HEADER_ROW, card.ID_COL).value == "ID"
    assert ws.column_dimensions[get_column_letter(card.ID_COL)].outline_level == 1


@pytest.mark.libreoffice
def test_the_printed_page_shows_no_ids_with_or_without_comparators(run_cli, tmp_path):
    if shutil.which("soffice") is None or shutil.which("pdftotext") is None:
        pytest.skip("LibreOffice and pdftotext are needed")
    pages = {}
    for name, extra in (("without", ()), ("with", COMPARATORS)):
        out = _build(run_cli, tmp_path / f"{name}.xlsx", *extra, pdf=True)
        pages[name] = subprocess.run(["pdftotext", "-layout", "-f", "1", "-l", "1",
                                      str(out.with_suffix(".pdf")), "-"],
                                     capture_output=True, text=True, check=True).stdout
    for name, text in pages.items():
        assert "Commentary" in text and "Children in care reaching" in text, name
        assert not re.search(r"\bEX\d\d\b", text), name      # no indicator key printed
        assert not re.search(r"\bID\b", text), name
    assert "England" in pages["with"] and "South East" in pages["with"]
    assert "548.2" in pages["with"] and "England" not in pages["without"]

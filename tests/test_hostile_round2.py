"""Careless and hostile inputs, round two (issue 15): each class of the adversarial pass as tests.

The CLI cases with a message and "nothing changed" are rows of tests/test_catalogue.py;
this module holds the cases that need more than one command line: the output guard other
commands call, regular-file and bounded reads, text XML cannot hold, the calendar's edges,
worksheet functions given hostile cells, the macros' rules setting, templates carrying
DDE or web formulas, batch processes, and workbooks that used to mislead the data reader.
"""

from __future__ import annotations

import io
import json
import os
import zipfile
from pathlib import Path

import pytest

from xl_scorecard import cli
from xl_scorecard.core.errors import UsageError
from xl_scorecard.outputs.guard import file_kind, refuse_overwriting_inputs, same_file

REPO_ROOT = Path(__file__).resolve().parent.parent


def run(*argv, cwd=None):
    out, err = io.StringIO(), io.StringIO()
    code = cli.run([str(a) for a in argv], out, err)
    return code, out.getvalue(), err.getvalue()


# --------------------------------------------------------------------------- the output guard


def _docx(path: Path) -> Path:
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("word/document.xml", "<w:document/>")
    return path


def _xlsx(path: Path) -> Path:
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("xl/workbook.xml", "<workbook/>")
    return path


def test_file_kind_reads_the_first_bytes_not_the_name(tmp_path):
    (tmp_path / "a.csv").write_text("indicator,period\n")
    (tmp_path / "a.pdf.csv").write_bytes(b"%PDF-1.4 ...")
    assert file_kind(tmp_path / "a.csv") == "text"
    assert file_kind(tmp_path / "a.pdf.csv") == "pdf"
    assert file_kind(_xlsx(tmp_path / "book.txt")) == "workbook"
    assert file_kind(_docx(tmp_path / "paper.bin")) == "document"
    assert file_kind(tmp_path / "missing") is None
    (tmp_path / "empty").write_bytes(b"")
    assert file_kind(tmp_path / "empty") is None


@pytest.mark.parametrize("spell", ["same", "relative", "dotted", "symlink", "hardlink",
                                   "symlinked-folder"])
def test_every_spelling_of_an_input_is_refused(tmp_path, monkeypatch, spell):
    data = tmp_path / "data.csv"
    data.write_text("indicator,period,value\nK1,2012-05,1\n")
    monkeypatch.chdir(tmp_path)
    if spell == "same":
        out = data
    elif spell == "relative":
        out = Path("data.csv")
    elif spell == "dotted":
        (tmp_path / "sub").mkdir()
        out = Path("sub") / ".." / "data.csv"
    elif spell == "symlink":
        out = tmp_path / "link.csv"
        out.symlink_to(data)
    elif spell == "hardlink":
        out = tmp_path / "hard.csv"
        os.link(data, out)
    else:
        (tmp_path / "alias").symlink_to(tmp_path)
        out = tmp_path / "alias" / "data.csv"
    with pytest.raises(UsageError) as caught:
        refuse_overwriting_inputs(out, {"--data": data}, "text")
    assert "is the --data input" in str(caught.value)
    assert data.read_text().startswith("indicator")


def test_letter_case_counts_where_the_disk_ignores_it(tmp_path):
    data = tmp_path / "Data.csv"
    data.write_text("x\n")
    other = tmp_path / "DATA.CSV"
    # on a case-insensitive disk (Windows, macOS) both names open one file: samefile says so
    assert same_file(data, other) == other.exists()


@pytest.mark.parametrize("existing, kind, refused", [
    ("workbook", "text", True), ("pdf", "text", True), ("document", "text", True),
    ("workbook", "pdf", True), ("document", "workbook", True), ("pdf", "workbook", True),
    ("text", "text", False), ("workbook", "workbook", False), ("pdf", "pdf", False),
    ("document", "document", False),
])
def test_a_file_of_another_kind_is_never_replaced(tmp_path, existing, kind, refused):
    out = tmp_path / "out.bin"
    if existing == "workbook":
        _xlsx(out)
    elif existing == "document":
        _docx(out)
    elif existing == "pdf":
        out.write_bytes(b"%PDF-1.7\n")
    else:
        out.write_text("last month\n")
    before = out.read_bytes()
    if refused:
        with pytest.raises(UsageError, match="already exists and is"):
            refuse_overwriting_inputs(out, [], kind)
    else:
        refuse_overwriting_inputs(out, [], kind)
    assert out.read_bytes() == before


@pytest.mark.parametrize("name, kind", [("x.xlsx", "text"), ("x.pdf", "text"), ("x.docx", "pdf"),
                                        ("x.xlsm", "pdf"), ("x.pdf", "document")])
def test_an_output_named_as_another_kind_is_refused(tmp_path, name, kind):
    with pytest.raises(UsageError, match="is named as"):
        refuse_overwriting_inputs(tmp_path / name, [], kind)


def test_inputs_may_be_a_plain_list_with_blanks(tmp_path):
    data = tmp_path / "d.csv"
    data.write_text("x\n")
    refuse_overwriting_inputs(tmp_path / "new.csv", [None, data], "text")
    with pytest.raises(UsageError, match="is an input"):
        refuse_overwriting_inputs(data, [None, data], "text")

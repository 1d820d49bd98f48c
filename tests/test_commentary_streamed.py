"""The Scorecard's commentary streamed from last month's workbook (headless/base_workbook.py)
is what a full openpyxl load of the same sheet finds, whatever the sheet looks like: the
header row anywhere or nowhere, rows out of order, cells without references, merged cells,
formulas, and labels and ids scattered around."""

from __future__ import annotations

import zipfile
from pathlib import Path
from xml.sax.saxutils import escape

import openpyxl
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from xl_scorecard.headless.base_workbook import read_base
from xl_scorecard.inputs.xlsx_hollow import hollow_package
from xl_scorecard.layout.commentary import read_commentary

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
WORDS = st.sampled_from(["ID", "Commentary", " ID ", "K1", "K2", "K3", "note a", "note b", "", "=1"])
COLUMNS = "ABCDEF"


@st.composite
def sheets(draw):
    """(rows of (row number, cells of (column letter or None, text)), merged ranges): a header
    row somewhere (or none), perhaps a second one, ids and notes under them in their columns,
    noise above; then disorder (rows out of order, cells without references, merges)."""
    pairs = [draw(st.lists(st.sampled_from(COLUMNS), min_size=2, max_size=2, unique=True))
             for _ in range(draw(st.integers(1, 2)))]
    header = draw(st.one_of(st.none(), st.integers(1, 60)))
    top = header or draw(st.integers(1, 60))
    rows: dict[int, dict[str, str]] = {}
    for number in draw(st.lists(st.integers(1, top), max_size=6, unique=True)):
        rows[number] = {draw(st.sampled_from(COLUMNS)): draw(WORDS)}  # noise, perhaps a label
    if header:
        rows[header] = dict(zip(pairs[0], ("ID", "Commentary")))
    if len(pairs) == 2:  # a second row labelled ID and Commentary, anywhere
        rows[draw(st.integers(1, 70))] = dict(zip(pairs[1], ("ID", "Commentary")))
    for number in draw(st.lists(st.integers(top + 1, top + 8), max_size=5, unique=True)):
        cells = {}
        for id_col, note_col in pairs:
            cells[id_col] = draw(st.sampled_from(["K1", "K2", "K3", " K2 "]))
            cells[note_col] = draw(WORDS)
        rows[number] = cells
    order = sorted(rows)
    if draw(st.integers(0, 2)) == 0:
        order = draw(st.permutations(order))
    refless = draw(st.sets(st.sampled_from(order))) if order and draw(st.integers(0, 2)) == 0 else set()
    written = [(n, [(None if n in refless else c, t) for c, t in sorted(rows[n].items())])
               for n in order]
    left, right = sorted(pairs[0])
    merged = draw(st.lists(st.sampled_from([f"{left}{top + 1}:{right}{top + 1}", "A1:F1",
                                            f"A{top}:B{top + 2}"]), max_size=2, unique=True))
    return written, merged


def _cell(number: int, column: "str | None", text: str) -> str:
    ref = f' r="{column}{number}"' if column else ""
    if text.startswith("="):
        return f"<c{ref}><f>{escape(text[1:])}</f><v>1</v></c>"
    return f'<c{ref} t="inlineStr"><is><t xml:space="preserve">{escape(text)}</t></is></c>'


def _workbook(path: Path, rows, merged) -> None:
    book = openpyxl.Workbook()
    book.active.title = "Scorecard"
    book.save(path)
    body = "".join(f'<row r="{n}">' + "".join(_cell(n, c, t) for c, t in cells) + "</row>"
                   for n, cells in rows)
    merges = (f'<mergeCells count="{len(merged)}">' + "".join(f'<mergeCell ref="{m}"/>' for m in merged)
              + "</mergeCells>") if merged else ""
    xml = f'<worksheet xmlns="{MAIN}"><sheetData>{body}</sheetData>{merges}</worksheet>'.encode()
    with zipfile.ZipFile(path) as archive:
        items = [(info, archive.read(info)) for info in archive.infolist()]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for info, data in items:
            archive.writestr(info, xml if info.filename == "xl/worksheets/sheet1.xml" else data)


# Two rows labelled ID and Commentary, the true header (the first by row number) written after
# the rows under the other (rows out of order), or its cells carrying no reference: the
# streamed read must notice and read the sheet again in full.
_DATA = (21, [("A", "K1"), ("B", "note"), ("C", "K2"), ("E", "note2")])
OUT_OF_ORDER = ([(20, [("A", "ID"), ("B", "Commentary")]), _DATA, (2, [("C", "ID"), ("E", "Commentary")])], [])
WITHOUT_REFERENCES = ([(2, [(None, "x"), (None, "y"), (None, "ID"), (None, "z"), (None, "Commentary")]),
                       (20, [("A", "ID"), ("B", "Commentary")]), _DATA], [])


@example(sheet=OUT_OF_ORDER)
@example(sheet=WITHOUT_REFERENCES)
@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(sheet=sheets())
def test_streamed_commentary_is_what_a_full_load_finds(tmp_path, sheet):
    rows, merged = sheet
    path = tmp_path / "last.xlsx"
    _workbook(path, rows, merged)
    package = hollow_package(path, ["Scorecard"])
    assert "Scorecard" in package.xml  # the streaming path, not the full load
    streamed = read_base(openpyxl.load_workbook(package.source, keep_links=False), package)
    assert streamed.commentary["Scorecard"] == read_commentary(openpyxl.load_workbook(path))["Scorecard"]

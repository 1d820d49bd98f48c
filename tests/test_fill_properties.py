"""Properties of the package-level writer: what is written reads back exactly, in order."""

from __future__ import annotations

import math

from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import etree

from xl_scorecard.core.workbook_map import column_index, column_letter, normalise, split_cell
from xl_scorecard.fill.package import parse, serialise
from xl_scorecard.fill.sheet_xml import SheetXml

NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
SHEET = (f'<worksheet xmlns="{NS}"><dimension ref="B2:C3"/><sheetData>'
         '<row r="2" spans="2:3"><c r="B2" s="4" t="s"><v>0</v></c><c r="C2" s="5"><v>1.5</v></c></row>'
         '<row r="3"><c r="C3"><f>B2*2</f><v>3</v></c></row>'
         '</sheetData><mergeCells count="1"><mergeCell ref="E5:F6"/></mergeCells></worksheet>')

cells = st.tuples(st.integers(1, 12), st.integers(1, 8))
values = st.one_of(
    st.none(),
    st.floats(allow_nan=False, allow_infinity=False),
    st.integers(-10**15, 10**15).map(float),
    st.text(st.characters(blacklist_categories=("Cs", "Cc")), max_size=40),
)


@given(st.integers(1, 16384))
def test_column_letters_round_trip(index):
    assert column_index(column_letter(index)) == index
    assert split_cell(f"{column_letter(index)}7") == (7, index)


@given(st.text(max_size=60))
def test_normalising_twice_changes_nothing(text):
    assert normalise(normalise(text)) == normalise(text)


@settings(max_examples=60, deadline=None)
@given(st.dictionaries(cells, values, min_size=1, max_size=25))
def test_written_values_read_back_exactly_and_rows_and_cells_stay_in_order(writes):
    sheet = SheetXml(parse(SHEET.encode(), "test"), ["kept text"], "test")
    for cell, value in writes.items():
        sheet.write(cell, value)
    again = SheetXml(parse(serialise(sheet.root), "test"), ["kept text"], "test")
    for cell, value in writes.items():
        got = again.value(cell)
        if value is None or value == "":
            assert got in (None, ""), (cell, got)
        elif isinstance(value, float):
            assert got == value or (math.isclose(got, value) and value == 0)
        else:
            assert got == value
    untouched = {(2, 2): "kept text", (2, 3): 1.5, (3, 3): 3.0}
    for cell, value in untouched.items():
        if cell not in writes:
            assert again.value(cell) == value
    styles = {(2, 2): "4", (2, 3): "5"}
    for cell, style in styles.items():
        assert again.style(cell) == style  # a written cell keeps its style
    rows = [int(r.get("r")) for r in again.root.iter(f"{{{NS}}}row")]
    assert rows == sorted(rows) and len(rows) == len(set(rows))
    for row in again.root.iter(f"{{{NS}}}row"):
        columns = [split_cell(c.get("r"))[1] for c in row]
        assert columns == sorted(columns) and len(columns) == len(set(columns))
        low, high = (int(x) for x in row.get("spans", "1:16384").split(":"))
        assert all(low <= col <= high for col in columns)
    dimension = again.root.find(f"{{{NS}}}dimension").get("ref")
    first, last = (split_cell(x) for x in dimension.split(":"))
    assert all(first[0] <= r <= last[0] and first[1] <= c <= last[1] for r, c in again.cells)
    assert etree.tostring(again.root.find(f"{{{NS}}}mergeCells")) == \
        etree.tostring(parse(SHEET.encode(), "t").find(f"{{{NS}}}mergeCells"))

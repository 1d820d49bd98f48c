"""openpyxl_save writes the XML openpyxl writes: cell data and charts' anchors as text.

Each workbook is rendered twice from the same layouts: one copy saved by openpyxl's own
``Workbook.save``, the other by ``openpyxl_save.save_workbook``. Every worksheet part, every
drawing part with its relationships, and the styles part must be byte for byte the same.
Cells of every kind an analyst's own sheet can hold, and drawings of other kinds, are checked
the same way, including those the text writers hand back to openpyxl.
"""

from __future__ import annotations

import datetime
import zipfile
from decimal import Decimal

import numpy as np
import openpyxl
import pytest
from openpyxl.cell.rich_text import CellRichText, TextBlock
from openpyxl.cell.text import InlineFont
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.worksheet.formula import ArrayFormula

from xl_scorecard.core.month_report import compute_report
from xl_scorecard.inputs.comparators import load_comparators
from xl_scorecard.inputs.data import load_data
from xl_scorecard.inputs.rules_file import load_rules
from xl_scorecard.layout import workbook_layout
from xl_scorecard.writers import openpyxl_drawing, openpyxl_sheet_data, openpyxl_writer
from xl_scorecard.writers.openpyxl_save import save_workbook

from conftest import BUNDLED_DATA, BUNDLED_RULES, REPO_ROOT

EXAMPLES = REPO_ROOT / "workbooks" / "examples"
SYNTHETIC = REPO_ROOT / "workbooks" / "synthetic_kent_scs_2012-2014.csv"


def _parts(path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as archive:
        return {name: archive.read(name) for name in archive.namelist()
                if name.startswith(("xl/worksheets/sheet", "xl/drawings/"))
                or name == "xl/styles.xml"}


def _both_ways(make_workbook, tmp_path) -> tuple[dict, dict]:
    make_workbook().save(tmp_path / "openpyxl.xlsx")
    save_workbook(make_workbook(), tmp_path / "text.xlsx")
    return _parts(tmp_path / "openpyxl.xlsx"), _parts(tmp_path / "text.xlsx")


def _rendered(layouts):
    def make():
        workbook = openpyxl.Workbook()
        workbook.remove(workbook.active)
        for layout in layouts:
            openpyxl_writer.render_sheet(workbook.create_sheet(layout.name), layout)
        return workbook
    return make


def _report(rules_path, data_path, month, comparators=None):
    rules = load_rules(rules_path)
    data = load_data(data_path, rules)
    if comparators:
        data.comparators = load_comparators(comparators, rules)
    return compute_report(rules, data, month)


CASES = {
    "sample, values": (BUNDLED_RULES, BUNDLED_DATA, "2012-05", None, None),
    "sample, native formulas": (BUNDLED_RULES, BUNDLED_DATA, "2012-05", None, "native"),
    "sample, xlwings formulas": (BUNDLED_RULES, BUNDLED_DATA, "2012-05", None, "xlwings"),
    "synthetic March": (BUNDLED_RULES, SYNTHETIC, "2014-03", None, None),
    "example with comparators, native": (EXAMPLES / "rules.json",
                                         EXAMPLES / "anyshire_monthly_2016-2018.csv", "2018-03",
                                         EXAMPLES / "anyshire_comparators.csv", "native"),
}


def test_openpyxl_writes_on_elementtree_as_under_xl_scorecard():
    assert openpyxl.LXML is False  # what these bytes are compared with: users' openpyxl


@pytest.mark.parametrize("case", CASES)
def test_every_sheet_we_build_is_written_as_openpyxl_writes_it(case, tmp_path):
    rules_path, data_path, month, comparators, live = CASES[case]
    layouts = workbook_layout(_report(rules_path, data_path, month, comparators), live=live)
    for ws in _rendered(layouts)().worksheets:  # every sheet we build takes the text path
        assert openpyxl_sheet_data.sheet_data(ws) is not None, ws.title
    theirs, ours = _both_ways(_rendered(layouts), tmp_path)
    assert len([name for name in theirs if name.startswith("xl/worksheets/")]) == len(layouts)
    assert len([name for name in theirs if name.startswith("xl/drawings/")]) == 4  # 2 + rels
    assert theirs.keys() == ours.keys()
    for name in theirs:
        assert ours[name] == theirs[name], name


def _every_kind_of_cell(workbook):
    ws = workbook.create_sheet("Analyst")
    bold, thin = Font(bold=True), Side(style="thin")
    values = [
        0, -0.0, 1, -17, 2 ** 53 + 1, 0.1, 1 / 3, 1e-7, 1.5e20, float("nan"), float("inf"),
        True, False, np.float64(84.95), np.int64(312), Decimal("12.50"),
        "plain", "", " leading", "trailing ", "   ", "a\nb", "tab\there", "&<>\"'",
        "non-ASCII: é ↑ → ↓ £", "astral: \U0001F600", "#N/A", "#DIV/0!", "=SUM(A1:A3)",
        '=IF(A1>0,"a&b","<none>")', "=", None,
    ]
    for row, value in enumerate(values, start=1):
        ws.cell(row=row, column=1, value=value)
        styled = ws.cell(row=row, column=2, value=value)
        styled.font, styled.border = bold, Border(top=thin)
        styled.alignment = Alignment(wrap_text=True)
    ws.cell(row=1, column=3).fill = PatternFill("solid", fgColor="FFC7CE")  # styled, no value
    looks_like_formula = ws.cell(row=2, column=3, value="=not a formula")
    looks_like_formula.data_type = "s"
    ws.merge_cells("D1:F2")
    ws.row_dimensions[3].height = 41.5
    ws.row_dimensions[4].hidden = True
    ws.row_dimensions[5].outline_level = 1
    ws.row_dimensions[40].height = 12  # a sized row without cells
    ws.row_dimensions[41].font = bold  # a styled row without cells
    ws.row_dimensions[6].font = Font(italic=True)  # a styled row holding cells
    ws.row_dimensions[7].collapsed = True
    ws.row_dimensions[8].thickBot = ws.row_dimensions[9].thickTop = True
    ws.cell(row=12, column=4).border = Border(bottom=thin)   # a styled merge
    ws.merge_cells("D12:F14")
    empty_formula = ws.cell(row=15, column=4)
    empty_formula._value, empty_formula.data_type = "=", "f"   # how openpyxl reads <f/>
    ws.cell(row=16, column=4).data_type = "inlineStr"          # how it reads an empty <is>
    return ws


def test_cells_of_every_kind_are_written_as_openpyxl_writes_them(tmp_path):
    def make():
        workbook = openpyxl.Workbook()
        _every_kind_of_cell(workbook)
        return workbook

    assert openpyxl_sheet_data.sheet_data(make()["Analyst"]) is not None  # the text path
    theirs, ours = _both_ways(make, tmp_path)
    assert ours == theirs


def test_text_only_python_can_hold_is_written_as_openpyxl_writes_it(tmp_path):
    """A lone surrogate (no file gives one, the Python API can): openpyxl writes a character
    reference (which no reader accepts), and so does the text writer, rather than failing."""
    def make():
        workbook = openpyxl.Workbook()
        workbook.active["A1"] = "lone surrogate \ud800"
        return workbook

    theirs, ours = _both_ways(make, tmp_path)
    assert b"&#55296;" in ours["xl/worksheets/sheet1.xml"] and ours == theirs


def _typed_by_hand(ws):
    cell = ws.cell(row=50, column=1, value="text")
    cell.data_type = "n"


UNUSUAL = {
    "text typed as a number by hand": _typed_by_hand,
    "a date": lambda ws: ws.cell(row=50, column=1, value=datetime.date(2012, 5, 31)),
    "rich text": lambda ws: ws.cell(row=50, column=1, value=CellRichText(
        ["plain ", TextBlock(InlineFont(b=True), "bold")])),
    "an array formula": lambda ws: ws.cell(row=50, column=1,
                                           value=ArrayFormula("A50", "=SUM(A1:A3*B1:B3)")),
    "a comment": lambda ws: setattr(ws.cell(row=50, column=1, value=1), "comment",
                                    Comment("checked", "analyst")),
    "a hyperlink": lambda ws: setattr(ws.cell(row=50, column=1, value="site"), "hyperlink",
                                      "https://example.org/"),
}


@pytest.mark.parametrize("kind", UNUSUAL)
def test_a_sheet_with_a_cell_only_openpyxl_writes_is_left_to_openpyxl(kind, tmp_path):
    def make():
        workbook = openpyxl.Workbook()
        UNUSUAL[kind](_every_kind_of_cell(workbook))
        return workbook

    assert openpyxl_sheet_data.sheet_data(make()["Analyst"]) is None
    theirs, ours = _both_ways(make, tmp_path)
    assert ours == theirs


def test_render_sheet_makes_the_cells_the_public_api_makes(tmp_path):
    """Cells are made directly with their style ids; openpyxl's own calls (``ws.cell``, a
    value, then font, fill, alignment and border objects, then ``merge_cells``) give the
    same cells; row heights set through ``row_dimensions`` give the same rows."""
    layouts = workbook_layout(_report(BUNDLED_RULES, BUNDLED_DATA, "2012-05"), live="native")
    direct = _rendered(layouts)()
    public = openpyxl.Workbook()
    public.remove(public.active)
    for layout in layouts:
        ws = public.create_sheet(layout.name)
        for spec in layout.cells:
            cell = ws.cell(row=spec.row, column=spec.col)
            cell.value = "=" + spec.formula if spec.formula is not None else spec.value
            if spec.formula is None and cell.data_type == "f":
                cell.data_type = "s"
            cell.font, cell.fill, cell.alignment, cell.border = openpyxl_writer.openpyxl_style(
                spec.style)
            if spec.number_format:
                cell.number_format = spec.number_format
        for r1, c1, r2, c2 in layout.merges:
            ws.merge_cells(start_row=r1, start_column=c1, end_row=r2, end_column=c2)
        for row, height in layout.heights.items():
            ws.row_dimensions[row].height = height
    assert sum(len(layout.heights) for layout in layouts) > 50
    for layout in layouts:
        assert _rows(direct[layout.name]) == _rows(public[layout.name]), layout.name
        ours, theirs = direct[layout.name], public[layout.name]
        owned = {(spec.row, spec.col) for spec in layout.cells}
        assert len(owned) > 10
        for rc in owned:
            assert _cell_facts(ours._cells[rc]) == _cell_facts(theirs._cells[rc]), (layout.name, rc)
        assert ours._current_row == max(row for row, _ in owned)  # where ws.append would go


def _rows(ws) -> dict:
    """Each row dimension's attributes as openpyxl writes them, and its index."""
    return {row: (dimension.index, dict(dimension)) for row, dimension in ws.row_dimensions.items()}


def _cell_facts(cell) -> tuple:
    """A cell's value, type and the style objects its ids stand for (openpyxl's proxies do
    not compare reliably, so the workbook's own objects)."""
    wb, ids = cell.parent.parent, cell._style
    return (cell.value, cell.data_type, wb._fonts[ids.fontId], wb._fills[ids.fillId],
            wb._alignments[ids.alignmentId], wb._borders[ids.borderId], cell.number_format)


def _charts_sheet(workbook, anchor_kind: str, picture_path):
    from openpyxl.chart import LineChart, Reference
    from openpyxl.drawing.image import Image
    from openpyxl.drawing.spreadsheet_drawing import AnchorMarker, TwoCellAnchor
    from PIL import Image as Picture

    ws = workbook.create_sheet("Charts")
    for row in range(1, 6):
        ws.append([row, row * row])
    for k in range(3):
        chart = LineChart()
        chart.add_data(Reference(ws, min_col=2, min_row=1, max_row=5))
        chart.width, chart.height = 12.5 + k, 7.25
        ws.add_chart(chart, f"D{1 + 15 * k}")
    if anchor_kind == "two-cell":
        ws._charts[1].anchor = TwoCellAnchor(_from=AnchorMarker(col=3, row=20),
                                             to=AnchorMarker(col=9, row=30))
    elif anchor_kind == "picture":
        Picture.new("RGB", (20, 10), "red").save(picture_path)
        ws.add_image(Image(picture_path), "K2")
    return ws


@pytest.mark.parametrize("anchor_kind", ["cell", "two-cell", "picture"])
def test_drawings_of_every_kind_are_written_as_openpyxl_writes_them(anchor_kind, tmp_path):
    def make():
        workbook = openpyxl.Workbook()
        _charts_sheet(workbook, anchor_kind, tmp_path / "picture.png")
        return workbook

    drawing = make()["Charts"]
    from openpyxl.drawing.spreadsheet_drawing import SpreadsheetDrawing
    probe = SpreadsheetDrawing()
    probe.charts, probe.images = drawing._charts, drawing._images
    for number, chart in enumerate(probe.charts, 1):
        chart._id = number
    assert (openpyxl_drawing.drawing_xml(probe) is None) == (anchor_kind != "cell")
    theirs, ours = _both_ways(make, tmp_path)
    assert any(name.startswith("xl/drawings/_rels/") for name in theirs)
    assert ours == theirs


def test_a_workbook_read_from_disk_is_written_as_openpyxl_writes_it(tmp_path):
    """The build's base: the template (or last month's output) read by openpyxl, with an
    analyst's own sheet."""
    template = REPO_ROOT / "workbooks" / "scorecard-template.xlsx"
    first = openpyxl.Workbook()
    _every_kind_of_cell(first)
    first.save(tmp_path / "analyst.xlsx")

    def make():
        workbook = openpyxl.load_workbook(template)
        analyst = openpyxl.load_workbook(tmp_path / "analyst.xlsx")["Analyst"]
        copy = workbook.create_sheet("Analyst")
        for row in analyst.iter_rows():
            for cell in row:
                copy.cell(row=cell.row, column=cell.column, value=cell.value)._style = \
                    cell._style
        return workbook

    reloaded = openpyxl.load_workbook(template)
    assert all(openpyxl_sheet_data.sheet_data(ws) is not None for ws in reloaded.worksheets)
    theirs, ours = _both_ways(make, tmp_path)
    assert ours == theirs


def test_the_published_trend_style_is_written_as_openpyxl_writes_it(tmp_path):
    import json

    document = json.loads(BUNDLED_RULES.read_text(encoding="utf-8"))
    document["scorecard"].update(trend_style="published", trend_months=13)
    rules_path = tmp_path / "rules.json"
    rules_path.write_text(json.dumps(document), encoding="utf-8")
    layouts = workbook_layout(_report(rules_path, SYNTHETIC, "2014-03"))
    theirs, ours = _both_ways(_rendered(layouts), tmp_path)
    assert ours == theirs


def test_a_row_the_sheet_already_has_keeps_its_settings_and_lends_them_to_no_other():
    ws = openpyxl.Workbook().active
    ws.row_dimensions[1].hidden = True
    ws.row_dimensions[1].outline_level = 1
    openpyxl_writer._set_row_heights(ws, {1: 20, 2: 20, 3: 20, 4: 30})
    rows = {row: dict(dim) for row, dim in ws.row_dimensions.items()}
    assert rows == {1: {"hidden": "1", "outlineLevel": "1", "ht": "20", "customHeight": "1"},
                    2: {"ht": "20", "customHeight": "1"}, 3: {"ht": "20", "customHeight": "1"},
                    4: {"ht": "30", "customHeight": "1"}}
    assert [ws.row_dimensions[r].index for r in (2, 3, 4)] == [2, 3, 4]


# ------------------------------------------------------------------ cells made without Cell()

from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402
from openpyxl.cell.cell import Cell  # noqa: E402
from openpyxl.styles.cell_style import StyleArray  # noqa: E402

from xl_scorecard.writers.openpyxl_cells import make_cell  # noqa: E402

_SLOTS = ("row", "column", "_value", "data_type", "parent", "_hyperlink", "_comment")


def _state(cell):
    return (type(cell), *(getattr(cell, s) for s in _SLOTS), type(cell._value), cell._style,
            type(cell._style))


_VALUES = st.one_of(
    st.none(), st.floats(allow_nan=True, allow_infinity=True), st.integers(-2**70, 2**70),
    st.booleans(), st.text(max_size=40), st.text(alphabet="=#\x00\x01\x0b\t\n AN/!0", max_size=8),
    st.sampled_from(["=", "==", "=SUM(A1)", "#N/A", "#DIV/0!", "#NULL!", "x" * 32767,
                     "y" * 32768, "a\x1fb", "\ufffe", np.float64(2.5), np.int64(3),
                     np.float32(1.5), np.bool_(True)]))


@settings(max_examples=600, deadline=None)
@given(_VALUES)
def test_a_cell_made_directly_is_the_cell_openpyxl_makes(value):
    ws = openpyxl.Workbook().active
    ids = StyleArray([3, 1, 2, 4, 0, 0, 5, 0, 0])
    try:
        expected = _state(Cell(ws, row=7, column=3, value=value, style_array=ids))
    except Exception as exc:        # openpyxl refuses it: so must we, the same way
        with pytest.raises(type(exc)):
            make_cell(ws, 7, 3, value, ids)
        return
    made = make_cell(ws, 7, 3, value, ids)
    assert _state(made) == expected
    assert made._style is not ids   # its own copy: a later restyle changes this cell only

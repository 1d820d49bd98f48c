"""Render sheet layouts into an openpyxl workbook."""

from __future__ import annotations

from copy import copy

from openpyxl.cell.cell import Cell
from openpyxl.chart import LineChart, Series
from openpyxl.chart.text import RichText, Text
from openpyxl.chart.title import Title
from openpyxl.drawing.text import CharacterProperties, Paragraph, ParagraphProperties, RegularTextRun
from openpyxl.chart.data_source import AxDataSource, NumRef
from openpyxl.formatting.rule import CellIsRule
from openpyxl.styles.cell_style import StyleArray
from openpyxl.utils.cell import get_column_letter, quote_sheetname
from openpyxl.workbook.defined_name import DefinedName
from openpyxl.worksheet.pagebreak import Break, RowBreak
from openpyxl.worksheet.dimensions import RowDimension
from openpyxl.worksheet.table import Table, TableStyleInfo
from openpyxl.worksheet.worksheet import Worksheet

from ..layout.model import (ARROW_FONTS, RAG_FILLS, RANGE_STATUSES, Chart, SheetLayout, cell_ref,
                            column_letter)
from .openpyxl_cells import make_cell
from .openpyxl_charts import LineCharts
from .openpyxl_merges import Merger
from .openpyxl_styles import arrow_differential, openpyxl_style, rag_differential, range_differential


def render_sheet(ws: Worksheet, layout: SheetLayout) -> None:
    """Write every cell, merge, width, rule, table, chart and print setting of a layout."""
    # Assigning a Font, Fill, Alignment or Border makes openpyxl hash the object to find its
    # style id, which costs more than everything else a cell needs. So only the first cell of
    # each (style, number format) is styled that way; the others get a copy of its style ids.
    # Cells are made directly (what ``ws.cell`` does after checking the row number, which
    # the layout's rows cannot break), each with its look's style ids from the start
    # (``openpyxl_cells.make_cell``).
    style_ids: dict[tuple[str, str | None], StyleArray] = {}
    cells = ws._cells
    for spec in layout.cells:
        key = (spec.style, spec.number_format)
        ids = style_ids.get(key)
        formula = spec.formula is not None
        value = "=" + spec.formula if formula else spec.value
        cell = (Cell(ws, row=spec.row, column=spec.col, value=value) if ids is None
                else make_cell(ws, spec.row, spec.col, value, ids))
        if not formula and cell.data_type == "f":  # text that looks like a formula stays text
            cell.data_type = "s"
        cells[spec.row, spec.col] = cell
        if ids is None:
            cell.font, cell.fill, cell.alignment, cell.border = openpyxl_style(spec.style)
            if spec.number_format:
                cell.number_format = spec.number_format
            style_ids[key] = copy(cell._style)
    if layout.cells:
        ws._current_row = max(ws._current_row, max(spec.row for spec in layout.cells))
    merger = Merger(ws)
    for r1, c1, r2, c2 in layout.merges:
        merger.merge(r1, c1, r2, c2)
    for col, width in layout.widths.items():
        ws.column_dimensions[column_letter(col)].width = width
    for col in layout.hidden_cols:
        dimension = ws.column_dimensions[column_letter(col)]
        dimension.hidden, dimension.outline_level = True, 1
    if layout.hidden_cols:  # the group's button, on the column after it, shows it collapsed
        ws.column_dimensions[column_letter(max(layout.hidden_cols) + 1)].collapsed = True
        ws.column_dimensions.max_outline = 1  # openpyxl writes it as outlineLevelCol (the bar)
    _set_row_heights(ws, layout.heights)
    if layout.freeze:
        ws.freeze_panes = cell_ref(*layout.freeze)
    _colour_rules(ws, layout)
    if layout.table:
        name, r1, c1, r2, c2 = layout.table
        table = Table(displayName=name, ref=f"{cell_ref(r1, c1)}:{cell_ref(r2, c2)}")
        table.tableStyleInfo = TableStyleInfo(name="TableStyleMedium2", showRowStripes=True)
        ws.add_table(table)
    charts = LineCharts()
    for chart in layout.charts:
        _add_line_chart(charts, ws, chart)
    _print_setup(ws, layout)


def _colour_rules(ws: Worksheet, layout: SheetLayout) -> None:
    """RAG, range status and arrow colours as conditional formats, one rule per value and
    range. The rules of one value share one differential style object, so the save looks
    its index up once (``openpyxl_save``: openpyxl compares every rule's style with every
    one kept, field by field: a second at 5,000 indicators)."""
    shared: dict[tuple[str, str], object] = {}
    kinds = (("rag", layout.rag_ranges, RAG_FILLS, rag_differential),
             ("range", layout.range_ranges, RANGE_STATUSES, range_differential),
             ("arrow", layout.arrow_ranges, ARROW_FONTS, None))
    for kind, ranges, values, differential in kinds:
        for r1, c1, r2, c2 in ranges:
            area = f"{cell_ref(r1, c1)}:{cell_ref(r2, c2)}"
            for value in values:
                if differential is None:   # an arrow: its colour only
                    rule = CellIsRule(operator="equal", formula=[f'"{value}"'],
                                      font=arrow_differential(value))
                else:
                    fill, font = differential(value)
                    rule = CellIsRule(operator="equal", formula=[f'"{value}"'], fill=fill, font=font)
                rule.dxf = shared.setdefault((kind, value), rule.dxf)
                ws.conditional_formatting.add(area, rule)


def _set_row_heights(ws: Worksheet, heights: dict[int, float]) -> None:
    """``ws.row_dimensions[row].height = height`` for each row. openpyxl validates every field
    of every new row's dimension (a 10,000-row Trend sheet: about 0.1 s); a new row here is
    a copy of the first row made at its height, with its own index, as openpyxl makes it."""
    dimensions = ws.row_dimensions
    made: dict[float, RowDimension] = {}
    for row, height in heights.items():
        if row in dimensions:  # a row the sheet already has keeps its other settings
            dimensions[row].height = height
            continue
        model = made.get(height)
        if model is None:  # only a row made here, at this height alone, is copied
            dimensions[row].height = height
            made[height] = dimensions[row]
            continue
        dimension = RowDimension.__new__(RowDimension)
        dimension.__dict__.update(model.__dict__)
        dimension.__dict__["index"] = row
        dimension.parent, dimension._style = ws, copy(model._style)
        dict.__setitem__(dimensions, row, dimension)


def _add_line_chart(charts: LineCharts, ws: Worksheet, spec: Chart) -> None:
    """Add the chart ``spec`` describes; charts of one look (everything but the title's lines,
    the cell references and the axis numbers) are serialised once
    (``openpyxl_charts.LineCharts``)."""
    series_titles = tuple(ws.cell(row=row, column=spec.title_col).value for row in spec.series_rows)
    title_lines = spec.title.split("\n") if spec.title else []
    texts = {f"title{i}": line for i, line in enumerate(title_lines)}
    texts["categories"] = _row_ref(ws, spec, spec.category_row)
    for i, row in enumerate(spec.series_rows):
        texts[f"values{i}"] = _row_ref(ws, spec, row)
    axis = {"min": spec.y_min, "max": spec.y_max, "major": spec.y_major or None}
    numbers = {name: float(value) for name, value in axis.items() if value is not None}

    def build(texts: dict[str, str], numbers: dict[str, float]) -> LineChart:
        chart = LineChart()
        if title_lines:
            chart.title = _small_title("\n".join(texts[f"title{i}"] for i in range(len(title_lines))))
        chart.height, chart.width = spec.height, spec.width
        chart.y_axis.title = spec.y_title or None
        chart.x_axis.delete = chart.y_axis.delete = False  # openpyxl 3.1 hides axes unless told
        scaling = chart.y_axis.scaling
        scaling.min, scaling.max = numbers.get("min"), numbers.get("max")
        if "major" in numbers:
            chart.y_axis.majorUnit = numbers["major"]
        if spec.y_format:
            chart.y_axis.number_format = spec.y_format
            chart.y_axis.numFmt.sourceLinked = False
        chart.legend.position = "b"
        for i, title in enumerate(series_titles):
            series = Series(_row_ref(ws, spec, spec.series_rows[i]), title=title)
            series.val.numRef.f = texts[f"values{i}"]  # the same reference, or a template's slot
            series.cat = AxDataSource(numRef=NumRef(f=texts["categories"]))
            chart.series.append(series)
        if len(chart.series) > 1:
            chart.series[1].graphicalProperties.line.dashStyle = "dash"
        return chart

    look = (spec.y_title, series_titles, len(title_lines), spec.width, spec.height,
            tuple(numbers), spec.y_format)
    charts.add(ws, spec.anchor, look, texts, build, numbers)


def _row_ref(ws: Worksheet, spec: Chart, row: int) -> str:
    """``str(Reference(ws, min_col=spec.first_col, max_col=spec.last_col, min_row=row,
    max_row=row))``, without building the Reference (its fields are validated one by one)."""
    first = f"{quote_sheetname(ws.title)}!${get_column_letter(spec.first_col)}${row}"
    if spec.last_col == spec.first_col:
        return first
    return f"{first}:${get_column_letter(spec.last_col)}${row}"


MARGIN_INCHES = (0.4, 0.4, 0.7, 0.7)   # left, right, top, bottom
HEADER_INCHES = 0.3


def _small_title(text: str, size: int = 10) -> Title:
    """A bold chart title at ``size`` points, one paragraph per line of ``text``."""
    props = CharacterProperties(sz=size * 100, b=True)
    paragraphs = [Paragraph(pPr=ParagraphProperties(defRPr=props), r=[RegularTextRun(rPr=props, t=line)])
                  for line in text.split("\n")]
    return Title(tx=Text(rich=RichText(p=paragraphs)), overlay=False)


def _print_setup(ws: Worksheet, layout: SheetLayout) -> None:
    ws.page_setup.orientation = "landscape" if layout.landscape else "portrait"
    ws.page_setup.paperSize = ws.PAPERSIZE_A3 if layout.paper == "A3" else ws.PAPERSIZE_A4
    if layout.fit_width:
        ws.sheet_properties.pageSetUpPr.fitToPage = True
        ws.page_setup.fitToWidth = 1
        ws.page_setup.fitToHeight = layout.fit_height
    ws.print_options.horizontalCentered = layout.center_horizontally or None
    for part, (left, centre, right) in (("oddHeader", layout.header), ("oddFooter", layout.footer)):
        item = getattr(ws, part)
        item.left.text, item.center.text, item.right.text = left or None, centre or None, right or None
        if left or centre or right:
            item.left.size = item.center.size = item.right.size = 8
    if layout.row_breaks:  # in one go: RowBreak.append checks every break again (quadratic)
        ws.row_breaks = RowBreak(brk=[Break(id=row) for row in layout.row_breaks])
    if layout.repeat_rows:
        ws.print_title_rows = f"{layout.repeat_rows[0]}:{layout.repeat_rows[1]}"
    if layout.print_cols:
        ws.print_area = f"A1:{cell_ref(max(layout.last_row, 1), layout.print_cols)}"
    ws.print_options.gridLines = False
    margins = ws.page_margins
    margins.left, margins.right, margins.top, margins.bottom = MARGIN_INCHES
    margins.header = margins.footer = HEADER_INCHES


def add_defined_names(workbook, layout: SheetLayout) -> None:
    """Workbook-scoped names (e.g. ReportMonth) pointing into this sheet."""
    for name, (row, col) in layout.names.items():
        if name in workbook.defined_names:
            del workbook.defined_names[name]
        ref = f"'{layout.name}'!{cell_ref(row, col, absolute=True)}"
        workbook.defined_names[name] = DefinedName(name, attr_text=ref)

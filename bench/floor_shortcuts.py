"""The fast floor's shortcuts, written by hand (no xl_scorecard code), as our writer takes them.

Merges: ``ws.merge_cells`` checks each new range against every merged one (quadratic) and
re-borders the edge cells through style hashing; only the first merge of each shape and looks
is done that way, the others copy the style ids it left. Charts: openpyxl spends about 2.5 ms
on each line chart; it serialises the first chart of each look with marks where the title,
references and axis numbers go, and every other chart is that XML with its own put in; the save writes
those bytes as they are. Cell data: the save writes each sheet's ``<sheetData>`` as text
(openpyxl's bytes: ``compare`` checks the workbooks match) rather than an ElementTree element
per cell; each drawing's chart anchors are written as text too. Cells: a number, a blank
or plain text is made with the slots ``Cell`` would give it, without ``Cell.__init__``.
"""

from __future__ import annotations

import datetime
import re
from copy import copy
from xml.sax.saxutils import escape
from zipfile import ZIP_DEFLATED, ZipFile


from io import BytesIO

from array import array

from openpyxl.cell.cell import ERROR_CODES, ILLEGAL_CHARACTERS_RE, Cell, MergedCell
from openpyxl.styles.cell_style import StyleArray
from openpyxl.styles.differential import DifferentialStyle
from openpyxl.drawing.spreadsheet_drawing import SpreadsheetDrawing
from openpyxl.packaging.relationship import Relationship, get_rels_path
from openpyxl.utils.cell import coordinate_to_tuple
from openpyxl.chart import Reference
from openpyxl.utils import get_column_letter
from openpyxl.utils.cell import quote_sheetname
from openpyxl.worksheet._writer import WorksheetWriter
from openpyxl.chart._chart import ChartBase
from openpyxl.utils.exceptions import InvalidFileException
from openpyxl.worksheet.merge import MergedCellRange
from openpyxl.writer.excel import ExcelWriter
from openpyxl.xml.functions import tostring

_MARK = re.compile("\ue000(\\w+)\ue001".encode("utf-8"))


def cell(ws, row, col, value, ids) -> Cell:
    """``Cell(ws, row=row, column=col, value=value, style_array=ids)``, made directly for a
    number, a blank or plain text, as our writer does."""
    kind = type(value)
    plain_text = kind is str and not (len(value) > 32767 or value.startswith("=")
                                      or value in ERROR_CODES or ILLEGAL_CHARACTERS_RE.search(value))
    if not (plain_text or value is None or kind is float or kind is int):
        return Cell(ws, row=row, column=col, value=value, style_array=ids)
    made = Cell.__new__(Cell)
    made.parent, made._style = ws, array.__new__(StyleArray, "i", ids)
    made.row, made.column, made._value = row, col, value
    made.data_type = "s" if plain_text else "n"
    made._hyperlink = made._comment = None
    return made


def row_ref(ws, first_col: int, last_col: int, row: int, fast: bool) -> str:
    """``str(Reference(...))`` of one row's cells; in fast mode formatted directly, as our
    writer does (Reference validates its fields one by one)."""
    if not fast:
        return str(Reference(ws, min_col=first_col, max_col=last_col, min_row=row, max_row=row))
    first = f"{quote_sheetname(ws.title)}!${get_column_letter(first_col)}${row}"
    return first if first_col == last_col else f"{first}:${get_column_letter(last_col)}${row}"


def mark(name: str) -> str:
    return f"\ue000{name}\ue001"


def plain(text: str) -> bool:
    """Text openpyxl writes unchanged but for escaping."""
    return bool(text) and text == text.strip() and min(text) >= " "


class ChartXml(ChartBase):
    def __init__(self, xml: bytes, width: float, height: float):
        self.xml, self.width, self.height = xml, width, height


_NUMBERS = (8765432.5, 7654321.25, 6543210.125)   # exact in binary: "%.16g" prints them so


def number_marks(numbers: dict) -> dict:
    """The numbers a template chart is built with, one per axis number it shows."""
    return dict(zip(numbers, _NUMBERS))


def template(chart, numbers: dict) -> list:
    """[piece, name, piece, name, ..., piece] of a chart made with ``mark(name)`` texts and
    ``number_marks`` numbers (a number's name is ``n_`` and its key)."""
    xml = tostring(chart._write())
    for key, value in numbers.items():
        xml = xml.replace(b'"%.16g"' % value, b'"' + mark("n_" + key).encode("utf-8") + b'"')
    return _MARK.split(xml)


def fill(pieces: list, texts: dict[str, str], numbers: dict) -> bytes:
    out = []
    for i, piece in enumerate(pieces):
        if i % 2 == 0:
            out.append(piece)
        elif piece.startswith(b"n_"):
            out.append(b"%.16g" % numbers[piece[2:].decode()])
        else:
            out.append(escape(texts[piece.decode()]).encode("utf-8"))
    return b"".join(out)


def _text(value) -> str:
    if isinstance(value, str):
        return escape(value)
    return "" if value != value or value in (float("inf"), float("-inf")) else "%.16g" % value


def cells_xml(ws) -> str:
    """``<sheetData>`` of a sheet holding numbers, text, formulas and empty styled cells."""
    by_row: dict[int, list] = {}
    for (r, _), cell in sorted(ws._cells.items()):
        by_row.setdefault(r, []).append(cell)
    for r in ws.row_dimensions.keys() - by_row.keys():
        by_row[r] = []
    styles, out = ws.parent._cell_styles, ["<sheetData>"]
    for r in sorted(by_row):
        dim = dict.get(ws.row_dimensions, r)
        attrs = "".join(f' {k}="{v}"' for k, v in dim) if dim is not None else ""
        out.append(f'<row r="{r}"{attrs}>')
        for cell in by_row[r]:
            value, styled = cell._value, cell._style is not None and any(cell._style)
            if value is None and not styled:
                continue
            tag = f'<c r="{get_column_letter(cell.column)}{r}"'
            if styled:
                tag += f' s="{styles.add(cell._style)}"'
            kind = cell.data_type
            if kind == "f":
                out.append(f"{tag}><f>{escape(value[1:])}</f><v /></c>")
            elif kind == "s":
                tag += ' t="inlineStr"'
                keep = ' xml:space="preserve"' if value and value.strip() and value.strip() != value else ""
                out.append(f"{tag}><is><t{keep}>{escape(value)}</t></is></c>" if value else f"{tag} />")
            else:
                text = _text(value) if value is not None else None
                out.append(f'{tag} t="{kind}" />' if text is None else
                           f'{tag} t="{kind}"><v>{text}</v></c>' if text else f'{tag} t="{kind}"><v /></c>')
        out.append("</row>")
    out.append("</sheetData>")
    return "".join(out)


class _Rows(WorksheetWriter):
    def write_formatting(self):
        """openpyxl's, each differential style object's index found once."""
        plain, index = DifferentialStyle(), {}
        for cf in self.ws.conditional_formatting:
            for rule in cf.rules:
                if id(rule.dxf) not in index:
                    keep = rule.dxf and rule.dxf != plain
                    index[id(rule.dxf)] = self.ws.parent._differential_styles.add(rule.dxf) if keep else None
                if index[id(rule.dxf)] is not None:
                    rule.dxfId = index[id(rule.dxf)]
            self.xf.send(cf.to_tree())

    def write_rows(self):
        self.cells = cells_xml(self.ws).encode("utf-8")
        with self.xf.send(True).element("sheetData"):
            pass
        self.xf.send(None)


class _Writer(ExcelWriter):
    def write_worksheet(self, ws):
        ws._drawing = SpreadsheetDrawing()
        ws._drawing.charts, ws._drawing.images = ws._charts, ws._images
        writer = _Rows(ws, out=BytesIO())
        writer.write()
        ws._rels = writer._rels
        self._archive.writestr(ws.path[1:], writer.read().replace(
            b"<sheetData></sheetData>", writer.cells, 1))
        self.manifest.append(ws)

    def _write_drawing(self, drawing):
        """Anchors as text: the drawing of the first chart alone, by openpyxl, gives the
        head; each chart's anchor is written by hand (a test checks the bytes)."""
        self._drawings.append(drawing)
        drawing._id = len(self._drawings)
        for chart in drawing.charts:
            self._charts.append(chart)
            chart._id = len(self._charts)
        probe = SpreadsheetDrawing()
        probe.charts = drawing.charts[:1]
        head = tostring(probe._write()).split(b"<oneCellAnchor>")[0]
        parts = [head]
        for n, chart in enumerate(drawing.charts, 1):
            r, c = coordinate_to_tuple(chart.anchor)
            parts.append(
                f'<oneCellAnchor><from><col>{c - 1}</col><colOff>0</colOff><row>{r - 1}</row>'
                f'<rowOff>0</rowOff></from><ext cx="{int(chart.width * 360000)}" '
                f'cy="{int(chart.height * 360000)}" /><graphicFrame><nvGraphicFramePr><cNvPr '
                f'id="{n}" name="Chart {n}" /><cNvGraphicFramePr /></nvGraphicFramePr><xfrm />'
                '<a:graphic><a:graphicData uri="http://schemas.openxmlformats.org/drawingml/'
                f'2006/chart"><c:chart r:id="rId{n}" /></a:graphicData></a:graphic>'
                '</graphicFrame><clientData /></oneCellAnchor>'.encode())
            drawing._rels.append(Relationship(type="chart", Target=chart.path))
        self._archive.writestr(drawing.path[1:], b"".join(parts) + b"</wsDr>")
        self._archive.writestr(get_rels_path(drawing.path)[1:], tostring(drawing._write_rels()))
        self.manifest.append(drawing)

    def _write_charts(self):
        if len(self._charts) != len(set(self._charts)):
            raise InvalidFileException("a chart is in two worksheets")
        for chart in self._charts:
            xml = chart.xml if isinstance(chart, ChartXml) else tostring(chart._write())
            self._archive.writestr(chart.path[1:], xml)
            self.manifest.append(chart)


def save(wb, path) -> None:
    archive = ZipFile(path, "w", ZIP_DEFLATED, allowZip64=True)
    wb.properties.modified = datetime.datetime.now(tz=datetime.timezone.utc).replace(tzinfo=None)
    _Writer(wb, archive).save()


def merge(ws, memo: dict, r1: int, c1: int, r2: int, c2: int) -> None:
    """``ws.merge_cells`` for the first merge of each shape and looks (``memo`` keeps what it
    left); the others copy those style ids and add their range directly."""
    coords = [(r, c) for r in range(r1, r2 + 1) for c in range(c1, c2 + 1)]
    key = ("merge", r2 - r1, c2 - c1,
           tuple(tuple(ws._cells[rc]._style) if rc in ws._cells else None for rc in coords))
    done = memo.get(key)
    if done is None:
        ws.merge_cells(start_row=r1, start_column=c1, end_row=r2, end_column=c2)
        memo[key] = [copy(ws._cells[rc]._style) for rc in coords]
        return
    top = ws.cell(row=r1, column=c1)
    top._style = array.__new__(StyleArray, "i", done[0])
    for (r, c), style in zip(coords[1:], done[1:]):
        merged = ws._cells[r, c] = MergedCell.__new__(MergedCell)
        merged.parent, merged.row, merged.column = ws, r, c
        merged._style = array.__new__(StyleArray, "i", style)
    rng = MergedCellRange.__new__(MergedCellRange)
    rng.__dict__.update(min_col=c1, min_row=r1, max_col=c2, max_row=r2, title=None)
    rng.ws, rng.start_cell = ws, top
    ws.merged_cells.ranges.add(rng)

"""openpyxl's save with four shortcuts: serialised charts written as they are
(``openpyxl_charts``), cell data written as text (``openpyxl_sheet_data``), charts'
anchors written as text (``openpyxl_drawing``) and each conditional-format style looked up
once per sheet, however many rules share it.

Everything else (styles, drawings, relationships, the workbook part) is openpyxl's own
writer; a sheet the text writer cannot take is written by openpyxl as before.
"""

from __future__ import annotations

import datetime
from io import BytesIO
from zipfile import ZIP_DEFLATED, ZipFile

from openpyxl.drawing.spreadsheet_drawing import SpreadsheetDrawing
from openpyxl.packaging.relationship import get_rels_path
from openpyxl.styles.differential import DifferentialStyle
from openpyxl.utils.exceptions import InvalidFileException
from openpyxl.worksheet._writer import WorksheetWriter
from openpyxl.writer.excel import ExcelWriter
from openpyxl.xml.functions import tostring

from .openpyxl_charts import SerialisedChart
from .openpyxl_drawing import drawing_xml
from .openpyxl_sheet_data import sheet_data

_EMPTY = b"<sheetData></sheetData>"


class _SheetWriter(WorksheetWriter):
    """openpyxl's worksheet writer, its cell data put in afterwards as text when it can be."""

    cells: bytes | None = None

    def write_rows(self):
        self.cells = sheet_data(self.ws)
        if self.cells is None:
            super().write_rows()
            return
        xf = self.xf.send(True)
        with xf.element("sheetData"):
            pass
        self.xf.send(None)

    def write_formatting(self):
        """openpyxl's, each differential style object's index found once: openpyxl compares
        each rule's style with every one kept, field by field (``_colour_rules`` shares one
        object among the rules of one colour)."""
        plain, found = DifferentialStyle(), {}
        styles = self.ws.parent._differential_styles
        for cf in self.ws.conditional_formatting:
            for rule in cf.rules:
                dxf = rule.dxf
                if id(dxf) not in found:
                    found[id(dxf)] = styles.add(dxf) if dxf and dxf != plain else None
                if found[id(dxf)] is not None:
                    rule.dxfId = found[id(dxf)]
            self.xf.send(cf.to_tree())

    def xml(self) -> bytes:
        xml = self.read()
        if self.cells is None:
            return xml
        at = xml.index(_EMPTY)  # the first: nothing before sheetData can hold that text
        return xml[:at] + self.cells + xml[at + len(_EMPTY):]


class _Writer(ExcelWriter):
    def write_worksheet(self, ws):
        if self.workbook.write_only:
            return super().write_worksheet(ws)
        ws._drawing = SpreadsheetDrawing()
        ws._drawing.charts = ws._charts
        ws._drawing.images = ws._images
        writer = _SheetWriter(ws, out=BytesIO())
        writer.write()
        ws._rels = writer._rels
        self._archive.writestr(ws.path[1:], writer.xml())
        self.manifest.append(ws)

    def _write_drawing(self, drawing):
        self._drawings.append(drawing)
        drawing._id = len(self._drawings)
        for chart in drawing.charts:
            self._charts.append(chart)
            chart._id = len(self._charts)  # each chart's part name, which the anchors name
        for image in drawing.images:
            self._images.append(image)
            image._id = len(self._images)
        xml = drawing_xml(drawing)
        self._archive.writestr(drawing.path[1:], xml if xml is not None else tostring(drawing._write()))
        self._archive.writestr(get_rels_path(drawing.path)[1:], tostring(drawing._write_rels()))
        self.manifest.append(drawing)

    def _write_charts(self):
        if len(self._charts) != len(set(self._charts)):
            raise InvalidFileException("The same chart cannot be used in more than one worksheet")
        for chart in self._charts:
            xml = chart.xml if isinstance(chart, SerialisedChart) else tostring(chart._write())
            self._archive.writestr(chart.path[1:], xml)
            self.manifest.append(chart)


def save_workbook(workbook, path) -> None:
    """``workbook.save(path)``, faster: the same parts, the same XML."""
    archive = ZipFile(path, "w", ZIP_DEFLATED, allowZip64=True)
    workbook.properties.modified = datetime.datetime.now(
        tz=datetime.timezone.utc).replace(tzinfo=None)
    _Writer(workbook, archive).save()

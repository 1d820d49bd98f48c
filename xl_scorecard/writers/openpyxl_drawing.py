"""A sheet's drawing (where each chart sits) written as text: openpyxl's bytes, quickly.

openpyxl builds each chart's anchor as a small tree of descriptor objects and serialises
them all through ElementTree: about a second for the 5,000 charts of a 5,000-indicator Trend
sheet. Every anchor of a chart placed at a cell is the same XML but for its cell, its size
and its number, so ``drawing_xml`` lets openpyxl serialise a drawing of the first chart
alone, checks that its anchor is exactly the text this module writes for it, and writes the
others the same way. Any other drawing (pictures, charts with anchors of their own, or an
openpyxl whose XML differs) is left to openpyxl.
"""

from __future__ import annotations

from openpyxl.chart._chart import ChartBase
from openpyxl.drawing.spreadsheet_drawing import SpreadsheetDrawing
from openpyxl.packaging.relationship import Relationship
from openpyxl.utils.cell import coordinate_to_tuple
from openpyxl.utils.units import cm_to_EMU
from openpyxl.xml.functions import tostring

_CHART_DATA = "http://schemas.openxmlformats.org/drawingml/2006/chart"


def _anchor(number: int, chart: ChartBase) -> str:
    row, col = coordinate_to_tuple(chart.anchor.upper())
    return (f"<oneCellAnchor><from><col>{col - 1}</col><colOff>0</colOff><row>{row - 1}</row>"
            f"<rowOff>0</rowOff></from><ext cx=\"{cm_to_EMU(chart.width)}\" "
            f"cy=\"{cm_to_EMU(chart.height)}\" /><graphicFrame><nvGraphicFramePr>"
            f"<cNvPr id=\"{number}\" name=\"Chart {number}\" /><cNvGraphicFramePr />"
            f"</nvGraphicFramePr><xfrm /><a:graphic><a:graphicData uri=\"{_CHART_DATA}\">"
            f"<c:chart r:id=\"rId{number}\" /></a:graphicData></a:graphic></graphicFrame>"
            f"<clientData /></oneCellAnchor>")


def drawing_xml(drawing: SpreadsheetDrawing) -> bytes | None:
    """``tostring(drawing._write())`` for a drawing of charts placed at cells, with the same
    relationships recorded on ``drawing``; None when openpyxl must write it itself."""
    charts = drawing.charts
    if drawing.images or not charts or not all(isinstance(c.anchor, str) for c in charts):
        return None
    probe = SpreadsheetDrawing()
    probe.charts = charts[:1]
    first = tostring(probe._write()).decode("utf-8")
    start = first.find("<oneCellAnchor>")
    if start < 0 or not first.endswith("</oneCellAnchor></wsDr>"):
        return None
    if first[start:-len("</wsDr>")] != _anchor(1, charts[0]):
        return None  # an openpyxl that writes anchors differently: its own XML it is
    drawing._rels.extend(Relationship(type="chart", Target=chart.path) for chart in charts)
    anchors = "".join(_anchor(number, chart) for number, chart in enumerate(charts, 1))
    return (first[:start] + anchors + "</wsDr>").encode("utf-8")

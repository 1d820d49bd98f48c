"""Line charts serialised once per look, and a save that writes them as they are.

openpyxl builds a chart as a tree of descriptor objects and serialises it through
ElementTree: about 2.5 ms a chart, 12 s for the 5,000 charts of a 5,000-indicator Trend
sheet, and most of a one-month build. The Trend charts of one look (axis title, series
names, which axis bounds are set) differ only in their title, cell references and axis
numbers, so for each look one chart is built and serialised by openpyxl itself
(``LineCharts.add``) with marks in place of those texts and numbers, its XML is cut at the
marks, and every chart of that look is that XML with its own texts and numbers put in,
escaped and formatted as openpyxl writes them. ``openpyxl_save.save_workbook`` writes those bytes
unchanged; a workbook saved any other way (``Workbook.save``) still gets a correct chart,
parsed back from them.
"""

from __future__ import annotations

import math
from typing import Callable
from xml.etree.ElementTree import fromstring
from xml.sax.saxutils import escape

from openpyxl.chart._chart import ChartBase
from openpyxl.chart.line_chart import LineChart
from openpyxl.xml.functions import tostring


def _text(value: str) -> bytes:
    """A text node as openpyxl's ``tostring`` writes it: &, < and > escaped, in UTF-8."""
    return escape(value).encode("utf-8")


class SerialisedChart(ChartBase):
    """A chart that is already XML: all the drawing and the writer need (anchor and size)."""

    def __init__(self, xml: bytes, width: float, height: float):  # no ChartBase.__init__
        self.xml, self.width, self.height = xml, width, height

    def _write(self):
        return fromstring(self.xml)


def _plain(text: str) -> bool:
    """Text openpyxl writes as it is: not empty, no line breaks or other control characters
    (two lines make two paragraphs), no space at either end (marked xml:space="preserve")."""
    return bool(text) and text == text.strip() and min(text) >= " "


def _sentinel(name: str) -> str:
    return "\ue000" + name + "\ue001"  # private-use characters: in no text openpyxl writes


# Numbers a template is built with where a chart's own go: exact in binary, so openpyxl's
# "%.16g" prints them as written, and quoted, as every number of a chart's XML is an attribute.
NUMBER_MARKS = (1234567.125, 2345678.25, 3456789.375, 4567891.5)


def _number(value: float) -> bytes:
    """A number as openpyxl writes an attribute (``safe_string``: ``"%.16g"``)."""
    return b"%.16g" % value


class _Template:
    """A chart's XML cut where its texts and numbers go: literal pieces and, between them,
    slot names."""

    def __init__(self, chart: LineChart, names: list[str], numbers: dict[str, float]):
        self.width, self.height = chart.width, chart.height
        xml = tostring(chart._write())
        marks = {_text(_sentinel(name)): name for name in names}
        marks.update({b'"' + _number(mark) + b'"': name for name, mark in numbers.items()})
        self.numbers = frozenset(numbers)
        self.pieces: list[bytes] = []
        self.slots: list[str] = []
        at = 0
        while True:
            found = [(xml.find(m, at), m) for m in marks if xml.find(m, at) >= 0]
            if not found:
                break
            where, mark = min(found)
            quoted = mark.startswith(b'"')      # a number's mark keeps its quotes in the pieces
            self.pieces.append(xml[at:where + quoted])
            self.slots.append(marks[mark])
            at = where + len(mark) - quoted
        self.pieces.append(xml[at:])
        if set(self.slots) != {*names, *numbers}:   # the categories are each series' too
            raise ValueError(f"the chart does not show each of {[*names, *numbers]}")

    def fill(self, texts: dict[str, str], numbers: dict[str, float]) -> bytes:
        parts = [self.pieces[0]]
        for slot, piece in zip(self.slots, self.pieces[1:]):
            parts.append(_number(numbers[slot]) if slot in self.numbers else _text(texts[slot]))
            parts.append(piece)
        return b"".join(parts)


class LineCharts:
    """Adds line charts to worksheets, serialising only the first of each look with openpyxl."""

    def __init__(self):
        self._templates: dict[tuple, _Template] = {}

    def add(self, ws, anchor: str, look: tuple, texts: dict[str, str],
            build: Callable[[dict[str, str], dict[str, float]], LineChart],
            numbers: "dict[str, float] | None" = None) -> None:
        """``build(texts, numbers)`` makes the chart with openpyxl, its title and references
        given by ``texts`` and its axis numbers by ``numbers`` (at most four); ``look`` is
        everything else that shapes it (equal looks, equal XML)."""
        numbers = numbers or {}
        if not (all(_plain(v) for v in texts.values())
                and all(isinstance(v, float) and math.isfinite(v) for v in numbers.values())):
            ws.add_chart(build(texts, numbers), anchor)
            return
        template = self._templates.get(look)
        if template is None:
            marks = dict(zip(numbers, NUMBER_MARKS))
            template = self._templates[look] = _Template(
                build({name: _sentinel(name) for name in texts}, marks), list(texts), marks)
        ws.add_chart(SerialisedChart(template.fill(texts, numbers), template.width,
                                     template.height), anchor)

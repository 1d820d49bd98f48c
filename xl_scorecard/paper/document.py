"""Render the paper's content to a Word document with python-docx, in the committee-paper
house style: the header block as a two-column table, numbered sections and paragraphs, the
trend charts, and the scorecard appendix on landscape pages with RAG cells shaded as in the
workbook.
"""

from __future__ import annotations

import re
import tempfile
from pathlib import Path

from ..layout.model import RAG_FILLS, RAG_FONTS, STYLES
from . import wording as w
from .charts import SIZE_INCHES, draw_chart
from .content import Block, Paper

FONT = "Arial"
HEADER_FILL = STYLES["header"].fill
SECTION_FILL = STYLES["section"].fill
COMMENTARY_FILL = STYLES["commentary"].fill


# characters XML 1.0 cannot hold (a control character pasted into rules.json or a cell)
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _run(paragraph, text: str):
    """Add a run of text, dropping characters a Word document cannot hold."""
    return paragraph.add_run(_NOT_XML.sub("", str(text)))


def _shade(cell, fill: str) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    shading = OxmlElement("w:shd")
    shading.set(qn("w:val"), "clear")
    shading.set(qn("w:color"), "auto")
    shading.set(qn("w:fill"), fill)
    cell._tc.get_or_add_tcPr().append(shading)


def _cell_text(cell, text: str, bold: bool = False, size: float = 9, color: str | None = None,
               italic: bool = False) -> None:
    from docx.shared import Pt, RGBColor

    paragraph = cell.paragraphs[0]
    paragraph.paragraph_format.space_after = Pt(0)
    run = _run(paragraph, text)
    run.bold, run.italic = bold, italic
    run.font.size = Pt(size)
    if color:
        run.font.color.rgb = RGBColor.from_string(color)


def build_document(paper: Paper):
    """``paper`` as a python-docx Document (not yet saved) and the number of charts drawn.

    The charts are drawn into a temporary folder and embedded as they are added, so nothing
    is left on disk; the caller saves the document (atomically)."""
    import docx
    from docx.enum.section import WD_ORIENT
    from docx.shared import Cm, Inches, Pt

    document = docx.Document()
    normal = document.styles["Normal"]
    normal.font.name, normal.font.size = FONT, Pt(11)
    section = document.sections[0]
    section.page_width, section.page_height = Cm(21.0), Cm(29.7)
    for side in ("left_margin", "right_margin"):
        setattr(section, side, Cm(2.0))
    section.top_margin = section.bottom_margin = Cm(2.0)

    _heading_styles(document)
    header = {label: text for label, text, _ in paper.header}
    document.core_properties.title = _NOT_XML.sub("", header.get("Subject", paper.title))
    document.core_properties.subject = _NOT_XML.sub("", paper.title)
    document.core_properties.author = _NOT_XML.sub("", paper.author or "xl_scorecard")
    title = document.add_paragraph()
    run = _run(title, paper.title)
    run.bold, run.font.size = True, Pt(14)
    _header_table(document, paper.header)
    figure = 0
    with tempfile.TemporaryDirectory(prefix="xl-scorecard-charts-") as tmp:
        for block in paper.blocks:
            if block.kind == "chart":
                figure += 1
                png = draw_chart(block.chart, Path(tmp) / f"{block.indicator}.png")
                shape = document.add_picture(str(png), width=Inches(SIZE_INCHES[0]))
                document.paragraphs[-1].paragraph_format.keep_with_next = True
                caption = document.add_paragraph()
                chart = block.chart
                first, last = _label(chart.months[0]), _label(chart.months[-1])
                template = w.CHART_CAPTION if chart.ref else w.CHART_CAPTION_NO_REF
                text = template.format(number=figure, ref=chart.ref, name=chart.name,
                                       first=first, last=last)
                shape._inline.docPr.set("descr", _NOT_XML.sub("", w.CHART_ALT_TEXT.format(
                    name=chart.name, series=w.CHART_ALT_SERIES[chart.range_kind],
                    first=first, last=last, unit=chart.y_label)))
                cap = _run(caption, text)
                cap.italic, cap.font.size = True, Pt(9)
            elif block.kind == "table":
                appendix = document.add_section()
                appendix.orientation = WD_ORIENT.LANDSCAPE
                appendix.page_width, appendix.page_height = Cm(29.7), Cm(21.0)
                _heading(document, block.text, "")
                _appendix_table(document, block.rows)
            else:
                _block(document, block)
    return document, figure


def _label(month: str) -> str:
    from ..core.periods import Month

    return Month.parse(month).label


def _header_table(document, rows) -> None:
    from docx.shared import Cm, Pt

    table = document.add_table(rows=0, cols=2)
    table.style = "Table Grid"
    table.autofit = False
    table.columns[0].width, table.columns[1].width = Cm(4.6), Cm(12.4)
    for label, text, placeholder in rows:
        cells = table.add_row().cells
        cells[0].width, cells[1].width = Cm(4.6), Cm(12.4)
        _cell_text(cells[0], label + ":", bold=True, size=11)
        _cell_text(cells[1], text, size=11, italic=placeholder)
    document.add_paragraph().paragraph_format.space_after = Pt(0)


def _heading_styles(document) -> None:
    """Word's Heading 1 and 2 (so the navigation pane and screen readers see the structure),
    in the paper's plain look rather than the template's theme fonts and colours."""
    from docx.oxml.ns import qn
    from docx.shared import Pt, RGBColor

    for name, size, colour in (("Heading 1", 12, "000000"), ("Heading 2", 11, HEADER_FILL)):
        style = document.styles[name]
        style.font.name, style.font.size, style.font.bold = FONT, Pt(size), True
        style.font.italic = False
        style.font.color.rgb = RGBColor.from_string(colour)
        fonts = style.element.rPr.find(qn("w:rFonts"))
        for attribute in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
            fonts.attrib.pop(qn(attribute), None)
        style.paragraph_format.space_before = Pt(12 if name == "Heading 1" else 8)
        style.paragraph_format.space_after = Pt(6)
        style.paragraph_format.keep_with_next = True


def _heading(document, text: str, number: str, level: int = 1) -> None:
    paragraph = document.add_paragraph(style=f"Heading {level}")
    _run(paragraph, f"{number}.\t{text}" if number else text)


def _block(document, block: Block) -> None:
    from docx.shared import Cm, Pt, RGBColor

    if block.kind in ("heading", "subheading"):
        _heading(document, block.text, block.number, level=1 if block.kind == "heading" else 2)
        return
    paragraph = document.add_paragraph()
    fmt = paragraph.paragraph_format
    fmt.space_after = Pt(6)
    fmt.left_indent = Cm(1.25)
    if block.kind == "commentary":
        run = _run(paragraph, block.text)
        run.italic = True
        if block.placeholder:
            run.font.color.rgb = RGBColor.from_string("7F7F7F")
        return
    fmt.keep_with_next = block.keep_with_next
    if block.number:
        fmt.first_line_indent = Cm(-1.25)
        fmt.tab_stops.add_tab_stop(Cm(1.25))
        _run(paragraph, f"{block.number}\t")
    run = _run(paragraph, block.text)
    run.italic = block.placeholder


def _appendix_table(document, rows) -> None:
    from docx.shared import Cm

    widths = (1.0, 9.0, 1.6, 2.0, 1.7, 3.2, 2.0, 1.2, 2.0, 1.2)
    table = document.add_table(rows=1, cols=len(w.APPENDIX_COLUMNS))
    table.style = "Table Grid"
    table.autofit = False
    for column, width in zip(table.columns, widths):
        column.width = Cm(width)
    for cell, label, width in zip(table.rows[0].cells, w.APPENDIX_COLUMNS, widths):
        cell.width = Cm(width)
        _shade(cell, HEADER_FILL)
        _cell_text(cell, label, bold=True, color=STYLES["header"].font_color)
    _repeat_header(table.rows[0])
    for row in rows:
        cells = _new_row_cells(table)
        if row[0] == "section":
            merged = cells[0].merge(cells[-1])
            _shade(merged, SECTION_FILL)
            _cell_text(merged, row[1], bold=True)
            continue
        for k, (cell, text, width) in enumerate(zip(cells, row[1:], widths)):
            cell.width = Cm(width)
            rag = k == 4 and text in RAG_FILLS
            if rag:
                _shade(cell, RAG_FILLS[text])
            _cell_text(cell, str(text), bold=rag, color=RAG_FONTS[text] if rag else None)


def _new_row_cells(table) -> list:
    """The cells of a new last row. python-docx's ``row.cells`` lays out the whole table's
    grid on every call (quadratic over a long appendix); a new row's cells are its own."""
    from docx.table import _Cell

    row = table.add_row()
    return [_Cell(tc, table) for tc in row._tr.tc_lst]


def _repeat_header(row) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    marker = OxmlElement("w:tblHeader")
    marker.set(qn("w:val"), "true")
    row._tr.get_or_add_trPr().append(marker)

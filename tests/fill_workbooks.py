"""Analysts' own scorecard workbooks, laid out unlike ours, for the fill tests.

Built with openpyxl, then a zip post-step adds what openpyxl does not write:
a calcChain (with entries that inherit their sheet, as Excel writes them) and,
for .xlsm, a VBA project part with its relationship and content types.
"""

from __future__ import annotations

import csv
import io
import zipfile
from pathlib import Path

import openpyxl
from openpyxl.chart import BarChart, Reference
from openpyxl.comments import Comment
from openpyxl.drawing.image import Image
from openpyxl.formatting.rule import CellIsRule
from openpyxl.styles import Font, PatternFill
from openpyxl.workbook.defined_name import DefinedName
from openpyxl.worksheet.datavalidation import DataValidation

from conftest import PUBLISHED

HEADERS = ["Ref", "Indicator", "Polarity", "Data Period", "Latest Result", "RAG", "Num", "Denom",
           "Target (for the year)", "Previous Result", "DoT (previous to latest)",
           "Outturn (March) Result", "DoT (outturn to latest)", "Notes", "Commentary"]
HEADER_ROW = 5
FORMULA_REF = "1"  # the indicator whose Latest Result holds the analyst's own formula
VBA_BYTES = b"\xd0\xcf\x11\xe0VBA project: opaque bytes, never run\x00" * 8


def published_rows() -> list[dict]:
    with open(PUBLISHED, encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def sheet_rows(headers=HEADERS, skip_refs=(), extra=(), rag="Amber") -> list[list]:
    """Section rows and indicator rows as the published Kent scorecard prints them (April's
    figures still in place), columns in the order of ``headers``."""
    rows, section = [], None
    for i, pub in enumerate(published_rows(), start=1):
        if str(i) in skip_refs:
            continue
        if pub["section"] != section:
            section = pub["section"]
            rows.append([section] + [None] * (len(headers) - 1))
        by_header = {"Ref": i, "Indicator": pub["indicator"], "Polarity": pub["polarity"],
                     "Data Period": pub["data_period"], "Latest Result": pub["previous_result"],
                     "RAG": rag, "Num": None, "Denom": None, "Target (for the year)": pub["target"],
                     "Notes": f"note {i}", "Commentary": f"analyst's commentary {i}"}
        rows.append([by_header.get(h) for h in headers])
    rows += [list(r) + [None] * (len(headers) - len(r)) for r in extra]
    return rows


def analyst_workbook(path: Path, headers=HEADERS, skip_refs=(), extra=(), conditional=True,
                     formula=True, vba=False, pivot_formulas=True,
                     merges=(), percent_cells=False, rag="Amber") -> Path:
    """The analyst's own scorecard: every feature a fill must leave alone."""
    book = openpyxl.Workbook()
    ws = book.active
    ws.title = "Scorecard"
    last = openpyxl.utils.get_column_letter(len(headers))
    ws["A1"] = "Kent County Council"
    ws.merge_cells(f"A1:{last}1")
    ws["A1"].font = Font(bold=True, size=16)
    ws["A2"] = "Specialist Children's Services Scorecard"
    ws.merge_cells(f"A2:{last}2")
    ws["A3"], ws["B3"] = "Month:", "April 2012"
    ws.merge_cells("B3:C3")
    ws.append([])
    ws.append(headers)
    for row in sheet_rows(headers, skip_refs, extra, rag):
        ws.append(row)
    col = {h: openpyxl.utils.get_column_letter(i) for i, h in enumerate(headers, start=1)}
    last_row = ws.max_row
    for r in range(HEADER_ROW + 1, last_row + 1):
        if ws.cell(r, 2).value is None and ws.cell(r, 1).value:  # a section heading
            ws.merge_cells(f"A{r}:{last}{r}")
            ws.cell(r, 1).font = Font(bold=True)
    for merge in merges:
        ws.merge_cells(merge)
    if "Latest Result" in col:
        percent_names = {p["indicator"] for p in published_rows() if p["published_result"].endswith("%")}
        for r in range(HEADER_ROW + 1, last_row + 1):
            percent = percent_cells and ws[f"{col['Indicator']}{r}"].value in percent_names
            for header in ("Latest Result", "Target (for the year)", "Previous Result",
                           "Outturn (March) Result"):
                if header in col:
                    ws[f"{col[header]}{r}"].number_format = "0.0%" if percent else "0.0"
        if formula and "Ref" in col:
            row = next(r for r in range(HEADER_ROW + 1, last_row + 1)
                       if str(ws[f"{col['Ref']}{r}"].value) == FORMULA_REF)
            ws[f"{col['Latest Result']}{row}"] = f"={col['Num']}{row}/{col['Denom']}{row}*10000"
    if "RAG" in col:
        rag = f"{col['RAG']}{HEADER_ROW + 1}:{col['RAG']}{last_row}"
        if conditional:
            for word, colour in (("Green", "FF00B050"), ("Amber", "FFFFC000"), ("Red", "FFFF0000")):
                ws.conditional_formatting.add(rag, CellIsRule(operator="equal", formula=[f'"{word}"'],
                                                              fill=PatternFill("solid", bgColor=colour)))
        check = DataValidation(type="list", formula1='"Green,Amber,Red"', allow_blank=True)
        ws.add_data_validation(check)
        check.add(rag)
    ws["A6"].comment = Comment("Sections as in the published scorecard", "Analyst")
    if "Notes" in col:
        ws.column_dimensions[col["Notes"]].hidden = True
    ws.freeze_panes = f"C{HEADER_ROW + 1}"
    logo = io.BytesIO()
    from PIL import Image as Picture

    Picture.new("RGB", (40, 20), (0, 80, 160)).save(logo, format="PNG")
    ws.add_image(Image(logo), f"{last}1")
    chart = BarChart()
    chart.title = "Latest results"
    if "Latest Result" in col:
        index = headers.index("Latest Result") + 1
        chart.add_data(Reference(ws, min_col=index, min_row=HEADER_ROW, max_row=last_row),
                       titles_from_data=True)
    ws.add_chart(chart, f"B{last_row + 3}")
    book.defined_names["ReportMonth"] = DefinedName("ReportMonth", attr_text="Scorecard!$B$3")

    pivot = book.create_sheet("RAG by section")
    pivot.append(["Rating", "Indicators"])
    for i, word in enumerate(("Green", "Amber", "Red"), start=2):
        formula_text = f'=COUNTIF(Scorecard!{col.get("RAG", "F")}:{col.get("RAG", "F")},A{i})'
        pivot.append([word, formula_text if pivot_formulas else 0])
    pivot.append(["Total", "=SUM(B2:B4)" if pivot_formulas else 0])
    book.save(path)
    return _post_step(path, vba)


def _post_step(path: Path, vba: bool) -> Path:
    """Add a calcChain (and a VBA part for .xlsm) as Excel would have them."""
    with zipfile.ZipFile(path) as archive:
        parts = {i.filename: archive.read(i) for i in archive.infolist()}
    book = openpyxl.load_workbook(path)
    entries = []
    for sheet_id, ws in enumerate(book.worksheets, start=1):
        first = True
        for row in ws.iter_rows():
            for cell in row:
                if isinstance(cell.value, str) and cell.value.startswith("="):
                    entries.append(f'<c r="{cell.coordinate}"' + (f' i="{sheet_id}"' if first else "") + "/>")
                    first = False
    chain = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<calcChain xmlns='
             '"http://schemas.openxmlformats.org/spreadsheetml/2006/main">' + "".join(entries)
             + "</calcChain>")
    parts["xl/calcChain.xml"] = chain.encode()
    rels = parts["xl/_rels/workbook.xml.rels"].decode()
    extra = ('<Relationship Id="rIdChain" Type="http://schemas.openxmlformats.org/officeDocument/'
             '2006/relationships/calcChain" Target="calcChain.xml"/>')
    types = parts["[Content_Types].xml"].decode()
    more = ('<Override PartName="/xl/calcChain.xml" ContentType="application/vnd.openxmlformats-'
            'officedocument.spreadsheetml.calcChain+xml"/>')
    if vba:
        parts["xl/vbaProject.bin"] = VBA_BYTES
        extra += ('<Relationship Id="rIdVba" Type="http://schemas.microsoft.com/office/2006/'
                  'relationships/vbaProject" Target="vbaProject.bin"/>')
        more += '<Default Extension="bin" ContentType="application/vnd.ms-office.vbaProject"/>'
        types = types.replace("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
                              "application/vnd.ms-excel.sheet.macroEnabled.main+xml")
    parts["xl/_rels/workbook.xml.rels"] = rels.replace("</Relationships>", extra + "</Relationships>").encode()
    parts["[Content_Types].xml"] = types.replace("</Types>", more + "</Types>").encode()
    _shared_strings(parts)
    parts["customXml/item1.xml"] = b'<?xml version="1.0"?><council xmlns="urn:x-analyst">Kent</council>'
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as out:
        for name, data in parts.items():
            out.writestr(name, data)
    return path


def _shared_strings(parts: dict[str, bytes]) -> None:
    """Turn openpyxl's inline strings into a shared string table, as Excel writes text."""
    from lxml import etree

    ns = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    table: dict[str, int] = {}
    count = 0
    for name in [n for n in parts if n.startswith("xl/worksheets/sheet")]:
        root = etree.fromstring(parts[name])
        for c in root.iter(f"{{{ns}}}c"):
            if c.get("t") == "inlineStr":
                text = "".join(t.text or "" for t in c.iter(f"{{{ns}}}t"))
                c.remove(c.find(f"{{{ns}}}is"))
                c.set("t", "s")
                etree.SubElement(c, f"{{{ns}}}v").text = str(table.setdefault(text, len(table)))
                count += 1
        parts[name] = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
    sst = etree.Element(f"{{{ns}}}sst", nsmap={None: ns}, count=str(count), uniqueCount=str(len(table)))
    for text in table:
        etree.SubElement(etree.SubElement(sst, f"{{{ns}}}si"), f"{{{ns}}}t").text = text
    parts["xl/sharedStrings.xml"] = etree.tostring(sst, xml_declaration=True, encoding="UTF-8",
                                                   standalone=True)
    rels = parts["xl/_rels/workbook.xml.rels"].decode()
    parts["xl/_rels/workbook.xml.rels"] = rels.replace("</Relationships>", (
        '<Relationship Id="rIdStrings" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
        'relationships/sharedStrings" Target="sharedStrings.xml"/></Relationships>')).encode()
    types = parts["[Content_Types].xml"].decode()
    parts["[Content_Types].xml"] = types.replace("</Types>", (
        '<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-'
        'officedocument.spreadsheetml.sharedStrings+xml"/></Types>')).encode()

"""The parts that must change with the filled sheet, and nothing more.

* calcChain.xml loses the entries of formula cells that now hold values (and
  the part, its content type and its relationship go when it is emptied);
* workbook.xml gets ``fullCalcOnLoad`` so Excel recalculates on opening;
* sharedStrings.xml's reference count drops by the shared-string cells replaced;
* styles.xml gains three RAG fills (dxfs), and the sheet one conditional format,
  only where the RAG cells have no conditional formatting of the analyst's.
"""

from __future__ import annotations

import re

from lxml import etree

from ..core.workbook_map import column_letter
from .package import CALC_CHAIN_TYPE, CONTENT_TYPES, PKG_REL, Package, q, rels_path

# Excel's own "Good / Neutral / Bad" look: (font colour, fill)
RAG_LOOK = {"Green": ("FF006100", "FFC6EFCE"), "Amber": ("FF9C5700", "FFFFEB9C"),
            "Red": ("FF9C0006", "FFFFC7CE")}

# CT_Worksheet child order up to conditionalFormatting (it goes after the last of these)
_BEFORE_CF = ("sheetPr", "dimension", "sheetViews", "sheetFormatPr", "cols", "sheetData",
              "sheetCalcPr", "sheetProtection", "protectedRanges", "scenarios", "autoFilter",
              "sortState", "dataConsolidate", "customSheetViews", "mergeCells", "phoneticPr",
              "conditionalFormatting")
# CT_Workbook child order up to calcPr
_BEFORE_CALC = ("fileVersion", "fileSharing", "workbookPr", "workbookProtection", "bookViews",
                "sheets", "functionGroups", "externalReferences", "definedNames")


def drop_calc_chain_entries(package: Package, workbook: str, sheet_id: str,
                            cells: list[tuple[int, int]]) -> None:
    """Remove the calcChain entries of ``cells`` on sheet ``sheet_id``."""
    chain_part = package.target_of(workbook, CALC_CHAIN_TYPE)
    if not cells or chain_part is None or not package.has(chain_part):
        return
    chain = package.xml(chain_part)
    gone = {f"{column_letter(c)}{r}" for r, c in cells}
    current = None  # an entry without i belongs to the sheet of the entry before it
    kept_any = False
    carry = None
    for entry in list(chain):
        current = entry.get("i", current)
        if entry.get("r") in gone and current == sheet_id:
            if entry.get("i") is not None:
                carry = entry.get("i")
            chain.remove(entry)
            continue
        if carry is not None and entry.get("i") is None:
            entry.set("i", carry)
        carry = None
        kept_any = True
    if kept_any:
        package.replace(chain_part, chain)
    else:
        _remove_calc_chain(package, workbook, chain_part)


def _remove_calc_chain(package: Package, workbook: str, chain_part: str) -> None:
    package.remove(chain_part)
    rels_name = rels_path(workbook)
    rels = package.xml(rels_name)
    for rel in list(rels.iter(q("Relationship", PKG_REL))):
        if rel.get("Type") == CALC_CHAIN_TYPE:
            rels.remove(rel)
    package.replace(rels_name, rels)
    types = package.xml("[Content_Types].xml")
    for override in list(types.iter(q("Override", CONTENT_TYPES))):
        if override.get("PartName", "").lstrip("/") == chain_part:
            types.remove(override)
    package.replace("[Content_Types].xml", types)


def set_full_calc_on_load(package: Package, workbook: str) -> None:
    root = package.xml(workbook)
    calc = root.find(q("calcPr"))
    if calc is None:
        calc = etree.Element(q("calcPr"))
        _insert_after(root, calc, _BEFORE_CALC)
    if calc.get("fullCalcOnLoad") in ("1", "true"):
        return
    calc.set("fullCalcOnLoad", "1")
    package.replace(workbook, root)


def drop_shared_string_references(package: Package, strings_part: str | None, count: int) -> None:
    if not count or strings_part is None or not package.has(strings_part):
        return
    root = package.xml(strings_part)
    if root.get("count") is not None:
        root.set("count", str(max(0, int(root.get("count")) - count)))
        package.replace(strings_part, root)


PERCENT_FORMATS = {9, 10}  # Excel's built-in 0% and 0.00%


def percent_styles(package: Package, styles_part: str | None) -> set[str]:
    """The style indices (``s``) whose number format shows a percentage (a bare % sign)."""
    if styles_part is None or not package.has(styles_part):
        return set()
    styles = package.xml(styles_part)
    custom = {}
    for fmt in styles.iter(q("numFmt")):
        code = re.sub(r'"[^"]*"|\\.|\[[^]]*\]', "", fmt.get("formatCode", ""))
        custom[int(fmt.get("numFmtId", -1))] = "%" in code
    xfs = styles.find(q("cellXfs"))
    found = set()
    for index, xf in enumerate([] if xfs is None else xfs.findall(q("xf"))):
        number = int(xf.get("numFmtId", 0))
        if number in PERCENT_FORMATS or custom.get(number, False):
            found.add(str(index))
    return found


def add_rag_colours(package: Package, styles_part: str, sheet_root: etree._Element,
                    cells: list[tuple[int, int]], letters: bool = False) -> str:
    """Colour ``cells`` by their text with one conditional format and three dxfs; its sqref."""
    styles = package.xml(styles_part)
    dxfs = styles.find(q("dxfs"))
    if dxfs is None:
        dxfs = etree.Element(q("dxfs"), count="0")
        _insert_after(styles, dxfs, ("numFmts", "fonts", "fills", "borders", "cellStyleXfs",
                                     "cellXfs", "cellStyles"))
    first = len(dxfs.findall(q("dxf")))
    for font_colour, fill_colour in RAG_LOOK.values():
        dxf = etree.SubElement(dxfs, q("dxf"))
        etree.SubElement(etree.SubElement(dxf, q("font")), q("color"), rgb=font_colour)
        pattern = etree.SubElement(etree.SubElement(dxf, q("fill")), q("patternFill"))
        etree.SubElement(pattern, q("bgColor"), rgb=fill_colour)
    dxfs.set("count", str(first + len(RAG_LOOK)))
    package.replace(styles_part, styles)

    sqref = " ".join(_runs(cells))
    block = etree.Element(q("conditionalFormatting"), sqref=sqref)
    priorities = [int(r.get("priority", 0)) for r in sheet_root.iter(q("cfRule"))]
    priority = max(priorities, default=0)
    for i, word in enumerate(RAG_LOOK):
        rule = etree.SubElement(block, q("cfRule"), type="cellIs", dxfId=str(first + i),
                                priority=str(priority + i + 1), operator="equal")
        etree.SubElement(rule, q("formula")).text = f'"{word[0] if letters else word}"'
    _insert_after(sheet_root, block, _BEFORE_CF)
    return sqref


def _runs(cells: list[tuple[int, int]]) -> list[str]:
    """Cells as ranges of consecutive rows per column: ['F7:F12', 'F14']."""
    out = []
    for col in sorted({c for _, c in cells}):
        rows = sorted(r for r, c in cells if c == col)
        start = prev = rows[0]
        for row in rows[1:] + [None]:
            if row is not None and row == prev + 1:
                prev = row
                continue
            letter = column_letter(col)
            out.append(f"{letter}{start}" if start == prev else f"{letter}{start}:{letter}{prev}")
            if row is not None:
                start = prev = row
    return out


def _insert_after(root: etree._Element, element: etree._Element, before: tuple[str, ...]) -> None:
    """Put ``element`` after the last child named in ``before`` (schema order), else first."""
    names = {q(name) for name in before}
    index = 0
    for i, child in enumerate(root):
        if child.tag in names:
            index = i + 1
    root.insert(index, element)


__all__ = ["drop_calc_chain_entries", "set_full_calc_on_load", "drop_shared_string_references",
           "add_rag_colours"]

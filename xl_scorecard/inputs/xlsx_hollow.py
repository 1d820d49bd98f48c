"""Open a workbook whose named worksheets will be replaced, without parsing them.

A rebuild over last month's workbook throws its own sheets away, so building their cells,
merged ranges and charts was most of its cost. openpyxl is handed a copy of the package
in memory in which each such worksheet is an empty sheet with no relationships, and the
drawings and charts that only those sheets used are left out; every other part is the
file's own bytes, so what openpyxl keeps of the rest is what a full load keeps. Cells
still wanted from a hollowed sheet (the analyst's commentary) are streamed with
openpyxl's own row and cell parser, so they read exactly as a full load reads them.
Call ``check_xlsx`` on the file first.
"""

from __future__ import annotations

import io
import posixpath
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

EMPTY_SHEET = (b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
               b'<sheetData/></worksheet>')
# the parts openpyxl's writer copies from a macro workbook's original package (ExcelWriter._merge_vba)
KEPT_FOR_VBA = re.compile(r"xl/vba|xl/drawings/.*vmlDrawing\d\.vml|xl/ctrlProps|customUI|xl/activeX|"
                          r"xl/media/.*\.emf")
# a formula element that is not <f .../>, any namespace prefix, its text up to the next tag
_FORMULA_OPEN = rb"<(?:[^\s<>/:]+:)?f(?:\s[^<>]*)?(?<!/)>"
_FORMULA = re.compile(_FORMULA_OPEN + rb"([^<]*)</(?:[^\s<>/:]+:)?f\s*>")
_FORMULA_OPENING = re.compile(_FORMULA_OPEN)
_XML_ENCODING = re.compile(rb"""^<\?xml[^>]*\bencoding\s*=\s*["']([^"']*)["']""")
SUFFIXES = (".xlsx", ".xlsm", ".xltx", ".xltm")   # what openpyxl opens (others: its own refusal)
_RELS_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
Cells = dict  # {(row, column): (value, data_type)} as openpyxl's sheet parser gives them


@dataclass
class HollowBook:
    """An openpyxl workbook whose ``hollowed`` worksheets are empty; their XML is in ``xml``."""

    workbook: object
    xml: dict[str, bytes] = field(default_factory=dict)
    strings: list = field(default_factory=list)

    @property
    def hollowed(self) -> list[str]:
        """The hollowed sheets' titles, in workbook order."""
        return list(self.xml)

    def formula_texts(self, title: str) -> list[str] | None:
        """The texts of a hollowed sheet's formula elements, read from its raw XML; None when the
        XML holds formula markup too unusual to read that way (character references, CDATA)."""
        from xml.sax.saxutils import unescape

        xml = self.xml[title]
        found = _FORMULA.findall(xml)
        if len(found) != len(_FORMULA_OPENING.findall(xml)):
            return None  # an element holding more than text (CDATA, a comment): read it in full
        texts = []
        for raw in found:
            if b"&#" in raw:
                return None
            texts.append(unescape(raw.decode("utf-8", "replace"), {"&quot;": '"', "&apos;": "'"}))
        return texts

    def cells(self, title: str, wanted: Callable[[int, int, Cells], bool] | None = None) -> Cells:
        """A hollowed sheet's cells as a full openpyxl load holds them (merged-away cells
        dropped): only those ``wanted(row, column, cells_so_far)``, besides every formula cell
        (a shared formula's master may be anywhere) and any cell without a reference."""
        from openpyxl.utils.cell import coordinate_to_tuple
        from openpyxl.worksheet._reader import FORMULA_TAG, ROW_TAG, WorkSheetParser
        from openpyxl.xml.constants import SHEET_MAIN_NS

        merges_tag = f"{{{SHEET_MAIN_NS}}}mergeCells"
        book = self.workbook

        class Parser(WorkSheetParser):
            def parse_cell(self, element):
                ref = element.get("r")
                if wanted is not None and ref and element.find(FORMULA_TAG) is None:
                    row, column = coordinate_to_tuple(ref)
                    if not wanted(row, column, found):
                        self.col_counter = column
                        return None
                return super().parse_cell(element)

        parser = Parser(None, self.strings, False, book.epoch, book._date_formats,
                        book._timedelta_formats)
        found: Cells = {}
        merged = []
        for element in _rows_and_merges(self.xml[title], ROW_TAG, merges_tag):
            if element.tag == merges_tag:  # openpyxl keeps the last such element's ranges
                merged = [child.get("ref") for child in element]
                continue
            for cell in parser.parse_row(element)[1]:
                if cell is not None:
                    found[cell["row"], cell["column"]] = (cell["value"], cell["data_type"])
        for ref in merged:
            _clean_merged(found, ref)
        return dict(sorted(found.items()))


@dataclass
class HollowPackage:
    """What to hand ``openpyxl.load_workbook`` (``source``), and what was taken out of it:
    the hollowed sheets' XML by title, in workbook order, and the shared strings they use."""

    source: object
    xml: dict[str, bytes]
    strings: list

    def book(self, workbook) -> HollowBook:
        """The workbook openpyxl loaded from ``source``, with the hollowed sheets' XML."""
        return HollowBook(workbook, self.xml, self.strings)


def hollow_package(path: Path, names) -> HollowPackage:
    """The workbook at ``path`` with its worksheets titled in ``names`` hollowed. Chart sheets
    are kept, and nothing is hollowed when two sheets' titles differ only in case (openpyxl
    renames the second, so a title would not say which sheet it is)."""
    path = Path(path)
    if path.suffix.lower() not in SUFFIXES:
        return HollowPackage(path, {}, [])  # openpyxl refuses it by name, as before
    with zipfile.ZipFile(path) as archive:
        hollowed, strings_part = _sheets_to_hollow(archive, set(names))
        if any(not _utf8(archive.read(part)) for part in hollowed.values()):
            hollowed = {}  # the raw scans read UTF-8; another encoding is left to openpyxl
        if not hollowed:
            return HollowPackage(path, {}, [])
        package = _hollow_copy(archive, hollowed)
        xml = {title: archive.read(part) for title, part in hollowed.items()}
        strings = []
        if strings_part:
            from openpyxl.reader.strings import read_string_table

            with archive.open(strings_part) as source:
                strings = read_string_table(source)
    return HollowPackage(io.BytesIO(package), xml, strings)


def _sheets_to_hollow(archive: zipfile.ZipFile, names: set[str]) -> tuple[dict[str, str], str | None]:
    """({title: part} of the worksheets to hollow, the shared strings part), both found as
    openpyxl finds them."""
    from openpyxl.packaging.manifest import Manifest
    from openpyxl.reader.excel import _find_workbook_part
    from openpyxl.reader.workbook import WorkbookParser
    from openpyxl.xml.constants import SHARED_STRINGS
    from openpyxl.xml.functions import fromstring

    manifest = Manifest.from_tree(fromstring(archive.read("[Content_Types].xml")))
    parser = WorkbookParser(archive, _find_workbook_part(manifest).PartName[1:], keep_links=False)
    parser.parse()
    parts = set(archive.namelist())
    hollowed, kept, seen = {}, set(), set()
    for sheet, rel in parser.find_sheets():
        if rel.target not in parts:
            continue  # openpyxl skips a sheet whose part is missing
        if sheet.name.lower() in seen:
            return {}, None
        seen.add(sheet.name.lower())
        if sheet.name in names and "chartsheet" not in rel.Type:
            hollowed[sheet.name] = rel.target
        else:
            kept.add(rel.target)
    if kept & set(hollowed.values()):
        return {}, None  # a part another sheet also shows: hollowing it would empty that one
    strings = manifest.find(SHARED_STRINGS)
    return hollowed, strings.PartName[1:] if strings is not None else None


def _hollow_copy(archive: zipfile.ZipFile, hollowed: dict[str, str]) -> bytes:
    """The package with the hollowed sheets empty, their relationships gone, and the parts
    only they reached (drawings, charts) left out."""
    sheets = set(hollowed.values())
    dropped = _reached_only_from(archive, sheets) | {_rels_of(part) for part in sheets}
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_STORED) as copy:
        for info in archive.infolist():
            if info.filename in sheets:
                copy.writestr(info.filename, EMPTY_SHEET)
            elif info.filename not in dropped:
                copy.writestr(info.filename, archive.read(info))
    return buffer.getvalue()


def _reached_only_from(archive: zipfile.ZipFile, sources: set[str]) -> set[str]:
    """Parts reached through relationships from ``sources`` and from no other part (the
    parts openpyxl's writer copies back into a macro workbook are never left out)."""
    links = _relationships(archive)
    reached, todo = set(), list(sources)
    while todo:
        for target in links.get(todo.pop(), ()):
            if target not in reached and target not in sources:
                reached.add(target)
                todo.append(target)
    while True:  # a part any kept part reaches is kept, and so on
        freed = {target for source, targets in links.items()
                 if source not in sources and source not in reached for target in targets} & reached
        if not freed:
            break
        reached -= freed
    return {part for part in reached if not KEPT_FOR_VBA.match(part)}


def _relationships(archive: zipfile.ZipFile) -> dict[str, list[str]]:
    """{part: [parts its relationships target]} for every .rels part, resolved as openpyxl
    resolves them; one that cannot be parsed reaches nothing (openpyxl fails on it if it reads it)."""
    from openpyxl.xml.functions import fromstring

    links = {}
    for name in archive.namelist():
        if not name.endswith(".rels"):
            continue
        folder, file = posixpath.split(name)
        parent = posixpath.dirname(folder)
        try:
            rels = fromstring(archive.read(name)).findall(f"{{{_RELS_NS}}}Relationship")
        except Exception:  # any parse failure: the part is left to openpyxl
            rels = []
        targets = []
        for rel in rels:
            target = rel.get("Target") or ""
            if rel.get("TargetMode") == "External":
                continue
            targets.append(target[1:] if target.startswith("/")
                           else posixpath.normpath(posixpath.join(parent, target)))
        links[posixpath.join(parent, file[:-len(".rels")])] = targets
    return links


def _utf8(xml: bytes) -> bool:
    """A part in UTF-8: no UTF-16 or UTF-32 byte-order mark, no other declared encoding."""
    if xml.startswith((b"\xff\xfe", b"\xfe\xff", b"\x00", b"\x3c\x00")):
        return False
    declared = _XML_ENCODING.match(xml.removeprefix(b"\xef\xbb\xbf"))
    return declared is None or declared.group(1).lower().replace(b"_", b"-") in (b"utf-8", b"utf8")


def _rels_of(part: str) -> str:
    folder, file = posixpath.split(part)
    return posixpath.join(folder, "_rels", f"{file}.rels")


def _clean_merged(cells: Cells, ref: str) -> None:
    """A merged range's cells other than its top-left one hold nothing (openpyxl's MergedCell).
    A range larger than the cells read is matched against those cells instead of walked."""
    from openpyxl.worksheet.cell_range import CellRange

    span = CellRange(ref)
    top_left = (span.min_row, span.min_col)
    if span.size["rows"] * span.size["columns"] <= len(cells):
        inside = ((row, column) for row in range(span.min_row, span.max_row + 1)
                  for column in range(span.min_col, span.max_col + 1))
    else:
        inside = [key for key in cells if span.min_row <= key[0] <= span.max_row
                  and span.min_col <= key[1] <= span.max_col]
    for key in inside:
        if key != top_left:
            cells.pop(key, None)


def _rows_and_merges(xml: bytes, row_tag: str, merges_tag: str):
    """The sheet's row and mergeCells elements, streamed through openpyxl's own defused parser
    (as a full load parses it: no DTD, no entities); each is freed once used."""
    from openpyxl.xml.functions import iterparse

    for _, element in iterparse(io.BytesIO(xml)):
        if element.tag in (row_tag, merges_tag):
            yield element
            element.clear()

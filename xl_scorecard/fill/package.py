"""An .xlsx/.xlsm package as its zip parts: find the parts, parse XML safely, write it back.

Parts not replaced are copied with their original bytes and zip entry
settings, in their original order.
"""

from __future__ import annotations

import posixpath
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree

from ..core.errors import Problem, WorkbookError
from ..inputs.xlsx_input import check_xlsx

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
STRICT = "http://purl.oclc.org/ooxml/spreadsheetml/main"
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
CONTENT_TYPES = "http://schemas.openxmlformats.org/package/2006/content-types"
OFFICE_DOCUMENT = REL + "/officeDocument"
CALC_CHAIN_TYPE = REL + "/calcChain"


def q(tag: str, ns: str = MAIN) -> str:
    """Clark notation: ``q('c')`` is ``{main namespace}c``."""
    return f"{{{ns}}}{tag}"


def parse(data: bytes, file: str = "", part: str = "") -> etree._Element:
    """Parse one part (``part`` of the workbook ``file``) with entities, DTDs and the network
    off."""
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False,
                             huge_tree=False, remove_blank_text=False)
    try:
        return etree.fromstring(data, parser)
    except etree.XMLSyntaxError as exc:
        raise WorkbookError(Problem(file=file, message=f"part {part or '?'} is damaged XML ({exc}): "
                                    "open the workbook in Excel, save it and try again")) from None


def serialise(root: etree._Element) -> bytes:
    """A part's XML as Excel writes it: UTF-8, standalone declaration."""
    return (b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\r\n'
            + etree.tostring(root, encoding="UTF-8"))


@dataclass
class Package:
    """The parts of a workbook package, by name, with their zip entries."""

    path: Path
    infos: list[zipfile.ZipInfo]
    parts: dict[str, bytes]
    replaced: dict[str, bytes] = field(default_factory=dict)
    removed: set[str] = field(default_factory=set)
    cache: dict = field(default_factory=dict)  # what is read once (the shared strings)

    @classmethod
    def open(cls, path: "str | Path") -> "Package":
        path = Path(path)
        check_xlsx(path)
        with zipfile.ZipFile(path) as archive:
            infos = archive.infolist()
            parts = {info.filename: archive.read(info) for info in infos}
        return cls(path, infos, parts)

    def xml(self, name: str) -> etree._Element:
        return parse(self.replaced.get(name, self.parts[name]), str(self.path), name)

    def has(self, name: str) -> bool:
        return (name in self.parts or name in self.replaced) and name not in self.removed

    def replace(self, name: str, root: etree._Element) -> None:
        self.replaced[name] = serialise(root)

    def remove(self, name: str) -> None:
        self.removed.add(name)

    def changed(self) -> list[str]:
        new = sorted(n for n in self.replaced if self.replaced[n] != self.parts.get(n))
        return new + sorted(self.removed)

    def save(self, target: Path) -> None:
        """Write the package to ``target``: replaced parts new, the others byte for byte."""
        with zipfile.ZipFile(target, "w") as out:
            for info in self.infos:
                if info.filename in self.removed:
                    continue
                data = self.replaced.get(info.filename, self.parts[info.filename])
                out.writestr(info, data, compress_type=info.compress_type)

    # ----------------------------------------------------------------- finding parts

    def relationships(self, part: str) -> list[etree._Element]:
        """The relationships of a part (from its _rels file), as elements."""
        rels = rels_path(part)
        if not self.has(rels):
            return []
        return list(self.xml(rels).iter(q("Relationship", PKG_REL)))

    def workbook_part(self) -> str:
        for rel in self.relationships(""):
            if rel.get("Type") == OFFICE_DOCUMENT:
                return resolve("", rel.get("Target"))
        raise WorkbookError(Problem(file=str(self.path), message="has no workbook part: save it from Excel as "
                                    ".xlsx or .xlsm and try again"))

    def target_of(self, part: str, rel_type: str) -> str | None:
        for rel in self.relationships(part):
            if rel.get("Type") == rel_type and rel.get("TargetMode") != "External":
                return resolve(part, rel.get("Target"))
        return None

    def sheets(self) -> list[tuple[str, str, str]]:
        """(name, sheetId, part name) of every worksheet, in workbook order."""
        workbook = self.workbook_part()
        targets = {rel.get("Id"): resolve(workbook, rel.get("Target"))
                   for rel in self.relationships(workbook)}
        root = self.xml(workbook)
        if root.tag == f"{{{STRICT}}}workbook":
            raise WorkbookError(Problem(file=str(self.path), message="is saved as Strict Open XML, which "
                                        "xl_scorecard does not edit: save it from Excel as "
                                        "'Excel Workbook (.xlsx)' or '(.xlsm)' and try again"))
        found = []
        for sheet in root.iter(q("sheet")):
            part = targets.get(sheet.get(q("id", REL)))
            if part and self.has(part):
                found.append((sheet.get("name"), sheet.get("sheetId"), part))
        return found


def rels_path(part: str) -> str:
    """``xl/workbook.xml`` -> ``xl/_rels/workbook.xml.rels``; the package's own for ''."""
    folder, name = posixpath.split(part)
    return posixpath.join(folder, "_rels", f"{name}.rels")


def resolve(source: str, target: str) -> str:
    """A relationship target as a part name in the package."""
    if target.startswith("/"):
        return target.lstrip("/")
    return posixpath.normpath(posixpath.join(posixpath.dirname(source), target))

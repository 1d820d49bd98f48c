"""Cached values for formula cells: what a viewer that does not recalculate shows.

openpyxl writes a formula cell as ``<c r="F9"><f>...</f><v></v></c>``, with nothing in ``<v>``,
and has no way to set it. So after openpyxl has saved the package, each owned sheet's XML is
rewritten with the engine's figure in ``<v>`` (``t="str"`` for text, ``t="b"`` for a boolean),
exactly as Excel stores a calculated cell. Excel and LibreOffice still recalculate on load
(openpyxl sets ``fullCalcOnLoad``); file previews, phone viewers, openpyxl's ``data_only`` and
pandas read these values.
"""

from __future__ import annotations

import io
import math
import numbers
import posixpath
import re
import zipfile
from typing import Any, Iterable
from xml.sax.saxutils import escape

import numpy as np
from defusedxml import ElementTree

from ..layout.model import SheetLayout, cell_ref

_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_PKG = "{http://schemas.openxmlformats.org/package/2006/relationships}"
_FORMULA_CELL = re.compile(r'<c r="(?P<ref>[A-Z]+[0-9]+)"(?P<attrs>[^>]*?)>'
                           r"(?P<f><f>[^<]*</f>|<f [^>]*>[^<]*</f>)(?:<v\s*/>|<v>[^<]*</v>)?</c>")
_TYPE = re.compile(r'\s+t="[^"]*"')


def formula_values(layouts: Iterable[SheetLayout]) -> dict[str, dict[str, Any]]:
    """{sheet: {"F9": value}} for every formula cell of the layouts (its ``value`` is the cache)."""
    return {layout.name: {cell_ref(c.row, c.col): c.value for c in layout.cells
                          if c.formula is not None} for layout in layouts}


def sheet_parts(package: zipfile.ZipFile) -> dict[str, str]:
    """Sheet name -> its XML part inside the package (from workbook.xml and its relationships)."""
    book = ElementTree.fromstring(package.read("xl/workbook.xml"))
    rels = ElementTree.fromstring(package.read("xl/_rels/workbook.xml.rels"))
    targets = {rel.get("Id"): rel.get("Target") for rel in rels.iter(f"{_PKG}Relationship")}
    parts = {}
    for sheet in book.iter(f"{_MAIN}sheet"):
        target = targets.get(sheet.get(f"{_REL}id"), "")
        part = target.lstrip("/") if target.startswith("/") else posixpath.normpath(
            posixpath.join("xl", target))
        parts[sheet.get("name")] = part
    return parts


def _cached(value: Any) -> tuple[str, str]:
    """(t attribute, <v> text) for a cached value; a blank is an empty text result."""
    if isinstance(value, (bool, np.bool_)):
        return ' t="b"', "1" if value else "0"
    if isinstance(value, numbers.Integral):
        return "", str(int(value))
    if isinstance(value, numbers.Real):
        return ("", repr(float(value))) if math.isfinite(value) else (' t="str"', "")
    return ' t="str"', "" if value is None else escape(str(value))


def fill_sheet_xml(xml: str, values: dict[str, Any]) -> str:
    """A sheet's XML with ``values`` cached in its formula cells (other cells untouched)."""
    def fill(match: re.Match) -> str:
        ref = match["ref"]
        if ref not in values:
            return match[0]
        kind, text = _cached(values[ref])
        attrs = _TYPE.sub("", match["attrs"]) + kind
        return f'<c r="{ref}"{attrs}>{match["f"]}<v>{text}</v></c>'
    return _FORMULA_CELL.sub(fill, xml)


def add_cached_values(package_bytes: bytes, values: dict[str, dict[str, Any]]) -> bytes:
    """The package with each named sheet's formula cells given their cached values."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(package_bytes)) as source, \
            zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        parts = {part: values[name] for name, part in sheet_parts(source).items() if values.get(name)}
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename in parts:
                data = fill_sheet_xml(data.decode("utf-8"), parts[item.filename]).encode("utf-8")
            target.writestr(item, data)
    return out.getvalue()

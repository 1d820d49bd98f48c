"""One worksheet part: read its cells as a grid, and write values into chosen cells.

A written cell keeps its element, its style index (``s``) and any attributes
it had; only its value (and, when allowed, its formula) changes. Numbers are
written as numbers, text as inline strings.
"""

from __future__ import annotations

from dataclasses import dataclass

from lxml import etree

from ..core.errors import Problem, WorkbookError
from ..core.workbook_map import column_letter, split_cell
from .package import q

XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"


@dataclass(frozen=True)
class Formula:
    """A cell's formula: its text, and the other cells a shared or array formula spans."""

    text: str
    kind: str  # 'normal', 'shared', 'array', 'dataTable'
    spans: tuple[tuple[int, int], ...] = ()  # cells (row, col) beyond this one that depend on it


def shared_strings(root: "etree._Element | None") -> list[str]:
    """The shared string table's texts (phonetic runs left out)."""
    if root is None:
        return []
    texts = []
    for si in root.iter(q("si")):
        texts.append("".join(t.text or "" for t in si.iter(q("t"))
                             if t.getparent().tag != q("rPh")))
    return texts


def cell_ranges(text: str) -> list[tuple[int, int, int, int]]:
    """'A1:B2 D4' -> [(1, 1, 2, 2), (4, 4, 4, 4)] as (row1, col1, row2, col2)."""
    out = []
    for part in (text or "").split():
        first, _, last = part.partition(":")
        r1, c1 = split_cell(first)
        r2, c2 = split_cell(last) if last else (r1, c1)
        out.append((min(r1, r2), min(c1, c2), max(r1, r2), max(c1, c2)))
    return out


def _inside(cell: tuple[int, int], box: tuple[int, int, int, int]) -> bool:
    return box[0] <= cell[0] <= box[2] and box[1] <= cell[1] <= box[3]


def head_grid(data: bytes, strings: list[str], rows: int) -> list[list]:
    """The first ``rows`` rows of a worksheet part as a grid, without parsing the rest."""
    import io

    found: dict[tuple[int, int], object] = {}
    events = etree.iterparse(io.BytesIO(data), events=("end",), tag=q("row"),
                             resolve_entities=False, no_network=True, load_dtd=False)
    try:
        for _, row in events:
            number = int(row.get("r", 0) or 0)
            if number > rows:
                break
            probe = SheetXml.__new__(SheetXml)
            probe.strings = strings
            probe.cells = {split_cell(c.get("r")): c for c in row.iter(q("c")) if c.get("r")}
            found.update({where: probe.value(where) for where in probe.cells})
    except etree.XMLSyntaxError:
        pass  # the full parse reports a damaged part
    if not found:
        return []
    width = max(c for _, c in found)
    grid = [[None] * width for _ in range(max(r for r, _ in found))]
    for (r, c), value in found.items():
        grid[r - 1][c - 1] = value
    return grid


class SheetXml:
    """A worksheet's XML with its cells indexed by (row, column)."""

    def __init__(self, root: etree._Element, strings: list[str], file: str = "", sheet: str = ""):
        """``file`` and ``sheet`` name the sheet in problems."""
        self.root, self.strings = root, strings
        where = {"file": file, "sheet": sheet}
        self.data = root.find(q("sheetData"))
        if self.data is None:
            raise WorkbookError(Problem(**where, message="has no cell data (sheetData): is it a "
                                        "chart sheet? Map a worksheet"))
        self.rows: dict[int, etree._Element] = {}
        self.cells: dict[tuple[int, int], etree._Element] = {}
        for row in self.data.iter(q("row")):
            if row.get("r") is None:
                raise WorkbookError(Problem(**where, message="has rows without addresses, which "
                                            "Excel never writes: open and save it in Excel first"))
            self.rows[int(row.get("r"))] = row
            for c in row.iter(q("c")):
                if c.get("r") is None:
                    raise WorkbookError(Problem(**where, row=int(row.get("r")), message="has "
                                                "cells without addresses: open and save it in "
                                                "Excel first"))
                self.cells[split_cell(c.get("r"))] = c
        self.shared_replaced = 0  # shared-string cells given another value

    # ----------------------------------------------------------------- reading

    def value(self, cell: tuple[int, int]):
        """A cell's value as Excel shows it: a number, a text, a bool, or None."""
        c = self.cells.get(cell)
        if c is None:
            return None
        kind, v = c.get("t", "n"), c.find(q("v"))
        if kind == "inlineStr":
            return "".join(t.text or "" for t in c.iter(q("t")))
        if v is None or v.text is None:
            return None
        if kind == "s":
            index = int(v.text)
            return self.strings[index] if 0 <= index < len(self.strings) else None
        if kind in ("str", "e"):
            return v.text
        if kind == "b":
            return v.text.strip() == "1"
        try:
            return float(v.text)
        except ValueError:
            return v.text

    def style(self, cell: tuple[int, int]) -> str:
        """A cell's style index as written ('0' when it has none)."""
        c = self.cells.get(cell)
        return "0" if c is None else c.get("s", "0")

    def grid(self) -> list[list]:
        """Every cell from A1 to the last one holding anything, as rows of values."""
        if not self.cells:
            return []
        last_row = max(r for r, _ in self.cells)
        last_col = max(c for _, c in self.cells)
        grid = [[None] * last_col for _ in range(last_row)]
        for (row, col) in self.cells:
            grid[row - 1][col - 1] = self.value((row, col))
        return grid

    def formula(self, cell: tuple[int, int]) -> Formula | None:
        c = self.cells.get(cell)
        f = None if c is None else c.find(q("f"))
        if f is None:
            return None
        kind = f.get("t", "normal")
        spans: list[tuple[int, int]] = []
        if kind == "shared" and f.get("ref"):
            spans = [where for where in self._shared().get(f.get("si"), ()) if where != cell]
        elif kind in ("array", "dataTable") and f.get("ref"):
            r1, c1, r2, c2 = cell_ranges(f.get("ref"))[0]
            spans = [(r, k) for r in range(r1, r2 + 1) for k in range(c1, c2 + 1) if (r, k) != cell]
        return Formula(f.text or "", kind, tuple(sorted(spans)))

    def _shared(self) -> dict[str, list[tuple[int, int]]]:
        """Shared formula index -> the cells using it (read once)."""
        if not hasattr(self, "_shared_index"):
            self._shared_index: dict[str, list[tuple[int, int]]] = {}
            for where, c in self.cells.items():
                f = c.find(q("f"))
                if f is not None and f.get("t") == "shared":
                    self._shared_index.setdefault(f.get("si"), []).append(where)
        return self._shared_index

    def merged(self) -> list[tuple[int, int, int, int]]:
        found = []
        for merge in self.root.iter(q("mergeCell")):
            found += cell_ranges(merge.get("ref"))
        return found

    def merged_range_holding(self, cell: tuple[int, int]) -> str | None:
        """The merged range a cell lies inside (not as its top-left cell), as 'A1:D2'."""
        for box in self.merged():
            if _inside(cell, box) and cell != (box[0], box[1]) and box[:2] != box[2:]:
                return f"{column_letter(box[1])}{box[0]}:{column_letter(box[3])}{box[2]}"
        return None

    def has_conditional_format(self, cell: tuple[int, int]) -> bool:
        for block in self.root.iter(q("conditionalFormatting")):
            if any(_inside(cell, box) for box in cell_ranges(block.get("sqref"))):
                return True
        return False

    # ----------------------------------------------------------------- writing

    def write(self, cell: tuple[int, int], value: "float | str | None") -> None:
        """Give a cell a number, an inline string or nothing, keeping its style and address."""
        c = self.cells.get(cell)
        c = self._new_cell(cell) if c is None else c
        if c.get("t") == "s" and c.find(q("v")) is not None:
            self.shared_replaced += 1
        for child in list(c):
            if child.tag in (q("f"), q("v"), q("is")):
                c.remove(child)
        for attribute in ("t", "cm", "vm"):  # type, formula and value metadata go with them
            c.attrib.pop(attribute, None)
        if value is None:
            return
        position = _before_ext(c)
        if isinstance(value, str):
            c.set("t", "inlineStr")
            holder = etree.Element(q("is"))
            text = etree.SubElement(holder, q("t"))
            text.text = value
            if value != value.strip():
                text.set(XML_SPACE, "preserve")
            c.insert(position, holder)
        else:
            v = etree.Element(q("v"))
            v.text = _number_text(value)
            c.insert(position, v)

    def _new_cell(self, cell: tuple[int, int]) -> etree._Element:
        row_number, col = cell
        row = self.rows.get(row_number)
        if row is None:
            row = etree.Element(q("row"), r=str(row_number))
            later = [r for r in self.rows if r > row_number]
            if later:
                self.rows[min(later)].addprevious(row)
            else:
                self.data.append(row)
            self.rows[row_number] = row
        c = etree.Element(q("c"), r=f"{column_letter(col)}{row_number}")
        custom_row = row.get("customFormat") in ("1", "true")
        style = row.get("s") if custom_row else self._column_style(col)
        if style and style != "0":
            c.set("s", style)
        later = [k for (r, k) in self.cells if r == row_number and k > col]
        if later:
            self.cells[(row_number, min(later))].addprevious(c)
        else:
            ext = row.find(q("extLst"))
            ext.addprevious(c) if ext is not None else row.append(c)
        self.cells[cell] = c
        self._widen(row, cell)
        return c

    def _column_style(self, col: int) -> str | None:
        for spec in self.root.iter(q("col")):
            if int(spec.get("min", 0)) <= col <= int(spec.get("max", 0)):
                return spec.get("style")
        return None

    def _widen(self, row: etree._Element, cell: tuple[int, int]) -> None:
        """Keep the row's spans and the sheet's dimension covering a new cell."""
        spans = row.get("spans")
        if spans and ":" in spans and " " not in spans:
            low, high = (int(x) for x in spans.split(":"))
            if not low <= cell[1] <= high:
                row.set("spans", f"{min(low, cell[1])}:{max(high, cell[1])}")
        dimension = self.root.find(q("dimension"))
        if dimension is not None and dimension.get("ref"):
            r1, c1, r2, c2 = cell_ranges(dimension.get("ref"))[0]
            if not _inside(cell, (r1, c1, r2, c2)):
                r1, c1 = min(r1, cell[0]), min(c1, cell[1])
                r2, c2 = max(r2, cell[0]), max(c2, cell[1])
                dimension.set("ref", f"{column_letter(c1)}{r1}:{column_letter(c2)}{r2}")


def _before_ext(c: etree._Element) -> int:
    for i, child in enumerate(c):
        if child.tag == q("extLst"):
            return i
    return len(c)


def _number_text(value: float) -> str:
    """The shortest text that reads back as the same float ('26', not '26.0')."""
    number = float(value)
    return str(int(number)) if number.is_integer() and abs(number) < 1e15 else repr(number)

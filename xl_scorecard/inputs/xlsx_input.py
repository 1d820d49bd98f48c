"""Open an .xlsx safely and read its first table of cells.

Every workbook a user hands us (a data table, a --template, an existing --out
being regenerated, a workbook to print) goes through ``check_xlsx`` before
openpyxl parses anything: the file must be a zip (a password-protected
workbook is an OLE container instead), must not unpack to more than
``MAX_UNZIPPED`` bytes or hold more than ``MAX_PARTS`` parts (zip bombs), its
parts must pass their CRC checks, and no XML part may declare a DOCTYPE or an
entity (Excel never writes one; "billion laughs" attacks need one). openpyxl
itself parses XML through defusedxml (``openpyxl.DEFUSEDXML``); a workbook is
refused if that protection has been switched off.
"""

from __future__ import annotations

import re
import zipfile
import zlib
from pathlib import Path

import pandas as pd

from ..core.errors import DataError, Problem, WorkbookError, one_line
from .files import regular_file

MAX_UNZIPPED = 512 * 1024 * 1024
MAX_RATIO = 200  # an ordinary xlsx compresses 5-20x
RATIO_FLOOR = 50 * 1024 * 1024  # below this many unpacked bytes the ratio is not checked
MAX_PARTS = 10_000
ROWS_ATTR = "xl_scorecard_rows"  # the same key as inputs.data.ROWS_ATTR: rows' numbers on the sheet
PROLOG_BYTES = 64 * 1024  # a DOCTYPE can only come before the root element
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_DTD = re.compile(rb"<!\s*(DOCTYPE|ENTITY)", re.IGNORECASE)
_XML_PARTS = (".xml", ".rels", ".vml")


def xml_is_defused() -> bool:
    """True when openpyxl parses workbook XML safely: sheets (``iterparse``) through defusedxml,
    and the other parts through defusedxml or, where lxml is installed, lxml without entities."""
    import openpyxl

    if not getattr(openpyxl, "DEFUSEDXML", False):
        return False
    if getattr(openpyxl, "LXML", False):
        from openpyxl.xml import functions

        # openpyxl binds lxml's fromstring to its own parser with resolve_entities=False
        return "parser" in getattr(functions.fromstring, "keywords", {})
    return True


def unreadable_workbook(path, exc: Exception, error=DataError, verb: str = "read"):
    """The one message for a workbook openpyxl cannot parse: what failed, and what to do."""
    return error(Problem(file=str(path), message=f"cannot be {verb} as a workbook ({one_line(exc)}): "
                         "open it in Excel, save a copy as .xlsx and try again"))


def check_xlsx(path: Path, error=WorkbookError) -> None:
    """Raise ``error`` unless ``path`` looks like a safe, unencrypted xlsx package."""
    path = Path(path)

    def refuse(message: str):
        return error(Problem(file=str(path), message=message))

    regular_file(path, error, "workbook")
    try:
        with open(path, "rb") as handle:
            head = handle.read(8)
    except OSError as exc:
        raise refuse(f"cannot be read: {exc.strerror or exc}") from None
    if head == _OLE_MAGIC:
        raise refuse("is password-protected or an old .xls file: open it in Excel, remove the "
                     "password (File > Info > Protect Workbook) or save it as .xlsx, then try again")
    if not zipfile.is_zipfile(path):
        raise refuse("is not an .xlsx workbook (not a zip package; it may be truncated or "
                     "another file renamed): save it from Excel as .xlsx and try again")
    try:
        with zipfile.ZipFile(path) as archive:
            infos = archive.infolist()
            if "[Content_Types].xml" not in {i.filename for i in infos}:
                raise refuse("is a zip file but not an Office workbook: save it from Excel as "
                             ".xlsx and try again")
            if len(infos) > MAX_PARTS:
                raise refuse(f"holds {len(infos):,} parts, more than the {MAX_PARTS:,} allowed: "
                             "refused as a possible zip bomb; re-save it from Excel")
            unpacked = sum(i.file_size for i in infos)
            packed = max(1, sum(i.compress_size for i in infos))
            if unpacked > MAX_UNZIPPED or (unpacked > RATIO_FLOOR and unpacked / packed > MAX_RATIO):
                raise refuse(f"unpacks to {unpacked / 2**20:,.0f} MB from {packed / 2**20:,.1f} MB: "
                             "refused as a possible zip bomb (the limit is "
                             f"{MAX_UNZIPPED / 2**20:,.0f} MB); re-save it from Excel or split it")
            bad = archive.testzip()
            if bad is not None:
                raise refuse(f"is a damaged workbook (part {bad!r} is corrupt): open it in Excel "
                             "to repair it, save a copy and try again")
            for info in infos:
                if info.filename.lower().endswith(_XML_PARTS):
                    with archive.open(info) as part:
                        prolog = part.read(PROLOG_BYTES)
                    if _DTD.search(prolog):
                        raise refuse(f"part {info.filename!r} declares an XML DOCTYPE or entity, "
                                     "which Excel never writes: refused as a possible XML attack "
                                     "(entity expansion); re-save the workbook from Excel")
    except (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError, RuntimeError,
            ValueError, OSError) as exc:
        # RuntimeError: an encrypted zip entry; NotImplementedError: an unknown compression
        raise refuse(f"is a damaged workbook ({one_line(exc)}): open it in Excel to repair it, "
                     "save a copy and try again") from None
    if not xml_is_defused():
        raise refuse("cannot be opened safely: openpyxl is not parsing XML through defusedxml "
                     "(is OPENPYXL_DEFUSEDXML set to False?); install defusedxml and unset it")


def read_table(path: Path, max_rows: int, sheet: str | None = None,
               preferred: str = "Data") -> pd.DataFrame:
    """``sheet``, else the sheet named ``preferred`` (``Data``), else the first, as raw cells
    under its header row."""
    check_xlsx(path, error=DataError)
    import openpyxl

    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True, keep_links=False)
    except Exception as exc:  # openpyxl raises many kinds for a malformed package
        raise unreadable_workbook(path, exc) from None
    try:
        table = _first_table(book, path, max_rows, sheet, preferred)
        chosen = _data_sheet(book, path, sheet, preferred).title
    except DataError:
        raise
    except Exception as exc:  # read-only mode parses each sheet while its rows are read
        raise unreadable_workbook(path, exc) from None
    finally:
        book.close()
    try:
        problems = unsaved_formulas(path, table, chosen)
    except Exception as exc:  # the same workbook read again: a library failure is still ours to word
        raise unreadable_workbook(path, exc) from None
    if problems:
        raise DataError(problems[:25] + ([Problem(message=f"... and {len(problems) - 25} more "
                                                  "formula cell(s)")] if len(problems) > 25 else []))
    return table


def _first_table(book, path: Path, max_rows: int, sheet: str | None,
                 preferred: str = "Data") -> pd.DataFrame:
    """The sheet's header row and the rows under it, trailing blank rows dropped."""
    ws = _data_sheet(book, path, sheet, preferred)
    chosen = ws.title
    rows = ws.iter_rows(values_only=True)
    header = next(rows, None)
    if header is None:
        raise DataError(Problem(file=str(path), sheet=chosen, message="the sheet is empty: it needs a header "
                                "row (indicator, period, numerator, denominator, value)"))
    width = len(header)
    body, numbers = [], []
    for number, row in enumerate(rows, start=2):
        cells = tuple(row[:width]) + (None,) * (width - len(row))
        if all(c is None or (isinstance(c, str) and not c.strip()) for c in cells):
            continue  # an empty (perhaps formatted) row: skipped, and never counted
        if len(body) >= max_rows:
            raise DataError(Problem(file=str(path), sheet=chosen, message=f"has more than {max_rows:,} rows with "
                                    "data, the limit for one data table; split it by year"))
        body.append(cells)
        numbers.append(number)
    columns = ["" if h is None else str(h) for h in header]
    frame = pd.DataFrame(body, columns=columns, dtype=object)
    frame.attrs[ROWS_ATTR] = numbers  # each row's number on the sheet
    return frame


def _data_sheet(book, path: Path, sheet: str | None, preferred: str = "Data"):
    """The worksheet named ``sheet``, else ``preferred`` ('Data'), else the first visible worksheet."""
    worksheets = {ws.title: ws for ws in book.worksheets}
    charts = [cs.title for cs in getattr(book, "chartsheets", [])]
    wanted = sheet or (preferred if preferred in worksheets or preferred in charts else None)
    if wanted in charts:
        raise DataError(Problem(file=str(path), sheet=wanted, message="is a chart sheet, not a table of figures: "
                                "put the data table (indicator, period, numerator, denominator, "
                                f"value) in a worksheet named {wanted!r}, or rename the chart"))
    if wanted is not None:
        if wanted not in worksheets:
            raise DataError(Problem(file=str(path), message=f"has no sheet {wanted!r}; sheets: "
                                    f"{', '.join(book.sheetnames)}"))
        return worksheets[wanted]
    visible = [ws for ws in book.worksheets if getattr(ws, "sheet_state", "visible") == "visible"]
    if not visible:
        raise DataError(Problem(file=str(path), message="has no visible worksheet holding the data table: "
                                f"name the sheet with the table {preferred!r}"))
    return visible[0]


def unsaved_formulas(path: Path, table: pd.DataFrame, sheet: str) -> list[Problem]:
    """Formula cells with no saved result (read as blank otherwise), naming each cell."""
    if not _has_formulas(path):
        return []
    import openpyxl
    from openpyxl.utils import get_column_letter

    book = openpyxl.load_workbook(path, read_only=True, data_only=False, keep_links=False)
    try:
        rows = book[sheet].iter_rows(values_only=True)
        header = next(rows, ())
        found, width, values = [], len(table.columns), table.to_numpy()
        numbers = table.attrs.get(ROWS_ATTR) or list(range(2, len(values) + 2))
        index_of = {number: i for i, number in enumerate(numbers)}
        last = numbers[-1] if numbers else 1
        for number, row in enumerate(rows, start=2):
            if number > last:
                break
            index = index_of.get(number)
            if index is None:
                continue
            for col, cell in enumerate(row[:width]):
                if isinstance(cell, str) and cell.startswith("=") and values[index][col] is None:
                    name = "" if header[col] is None else str(header[col])
                    formula = cell if len(cell) <= 30 else cell[:27] + "..."
                    found.append(Problem(
                        file=str(path), sheet=sheet, cell=f"{get_column_letter(col + 1)}{number}",
                        column=name, message=f"holds the formula {formula} but no saved result (the file "
                        "was written by a program that does not calculate): open it in Excel or "
                        "LibreOffice and save it, or paste the figures as values"))
    finally:
        book.close()
    return found


def _has_formulas(path: Path) -> bool:
    """Whether any worksheet part holds a formula element (searched in the packed file's parts)."""
    with zipfile.ZipFile(path) as archive:
        for info in archive.infolist():
            if info.filename.startswith("xl/worksheets/") and info.filename.endswith(".xml"):
                with archive.open(info) as part:
                    tail = b""
                    while chunk := part.read(1 << 20):
                        if b"<f>" in tail + chunk or b"<f " in tail + chunk or b":f>" in tail + chunk:
                            return True
                        tail = chunk[-8:]
    return False

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

MAX_UNZIPPED = 512 * 1024 * 1024
MAX_RATIO = 200  # an ordinary xlsx compresses 5-20x
RATIO_FLOOR = 50 * 1024 * 1024  # below this many unpacked bytes the ratio is not checked
MAX_PARTS = 10_000
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


def check_xlsx(path: Path, error=WorkbookError) -> None:
    """Raise ``error`` unless ``path`` looks like a safe, unencrypted xlsx package."""
    path = Path(path)

    def refuse(message: str):
        return error(Problem(str(path), message))

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
        raise DataError(Problem(str(path), f"cannot be read as a workbook ({one_line(exc)}): "
                                "open it in Excel, save a copy as .xlsx and try again")) from None
    try:
        return _first_table(book, path, max_rows, sheet, preferred)
    except DataError:
        raise
    except Exception as exc:  # read-only mode parses each sheet while its rows are read
        raise DataError(Problem(str(path), f"cannot be read as a workbook ({one_line(exc)}): "
                                "open it in Excel, save a copy as .xlsx and try again")) from None
    finally:
        book.close()


def _first_table(book, path: Path, max_rows: int, sheet: str | None,
                 preferred: str = "Data") -> pd.DataFrame:
    """The sheet's header row and the rows under it, trailing blank rows dropped."""
    names = book.sheetnames
    chosen = sheet or (preferred if preferred in names else names[0])
    if chosen not in names:
        raise DataError(Problem(str(path), f"has no sheet {chosen!r}; sheets: {', '.join(names)}"))
    rows = book[chosen].iter_rows(values_only=True)
    header = next(rows, None)
    if header is None:
        raise DataError(Problem(f"{path} [{chosen}]", "the sheet is empty: it needs a header "
                                "row (indicator, period, numerator, denominator, value)"))
    width = len(header)
    body = []
    for row in rows:
        if len(body) >= max_rows:
            raise DataError(Problem(f"{path} [{chosen}]", f"has more than {max_rows:,} rows, "
                                    "the limit for one data table; split it by year"))
        body.append(tuple(row[:width]) + (None,) * (width - len(row)))
    columns = ["" if h is None else str(h) for h in header]
    while body and all(c is None for c in body[-1]):
        body.pop()
    return pd.DataFrame(body, columns=columns, dtype=object)

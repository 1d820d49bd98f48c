"""Open an .xlsx safely and read its first table of cells.

Checks happen before openpyxl parses anything: the file must be a zip (a
password-protected workbook is an OLE container instead), must not unpack
to more than ``MAX_UNZIPPED`` bytes (zip bombs), and openpyxl parses XML
through defusedxml when it is installed (entity-expansion attacks).
"""

from __future__ import annotations

import zipfile
from pathlib import Path

import pandas as pd

from .errors import DataError, Problem, WorkbookError

MAX_UNZIPPED = 512 * 1024 * 1024
MAX_RATIO = 200  # an ordinary xlsx compresses 5-20x
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def check_xlsx(path: Path, error=WorkbookError) -> None:
    """Raise ``error`` unless ``path`` looks like a safe, unencrypted xlsx package."""
    try:
        with open(path, "rb") as handle:
            head = handle.read(8)
    except OSError as exc:
        raise error(Problem(str(path), f"cannot be read: {exc.strerror or exc}")) from None
    if head == _OLE_MAGIC:
        raise error(Problem(str(path), "is password-protected or an old .xls file; remove the "
                            "password or save it as .xlsx in Excel, then try again"))
    if not zipfile.is_zipfile(path):
        raise error(Problem(str(path), "is not an .xlsx workbook (not a zip package); it may be "
                            "truncated or another file renamed"))
    try:
        with zipfile.ZipFile(path) as archive:
            infos = archive.infolist()
            if "[Content_Types].xml" not in {i.filename for i in infos}:
                raise error(Problem(str(path), "is a zip file but not an Office workbook"))
            unpacked = sum(i.file_size for i in infos)
            packed = max(1, sum(i.compress_size for i in infos))
            if unpacked > MAX_UNZIPPED or (unpacked > 50 * 2**20 and unpacked / packed > MAX_RATIO):
                raise error(Problem(str(path), f"unpacks to {unpacked / 2**20:,.0f} MB from "
                                    f"{packed / 2**20:,.1f} MB: refused as a possible zip bomb"))
            bad = archive.testzip()
    except zipfile.BadZipFile as exc:
        raise error(Problem(str(path), f"is a damaged workbook: {exc}")) from None
    if bad is not None:
        raise error(Problem(str(path), f"is a damaged workbook: part {bad!r} is corrupt"))


def read_table(path: Path, max_rows: int, sheet: str | None = None) -> pd.DataFrame:
    """The first sheet (or ``sheet``, or one named 'Data') as raw cells under its header row."""
    check_xlsx(path, error=DataError)
    import openpyxl

    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True, keep_links=False)
    except Exception as exc:  # openpyxl raises many kinds for a malformed package
        raise DataError(Problem(str(path), f"cannot be read as a workbook: {exc}")) from None
    try:
        names = book.sheetnames
        chosen = sheet or ("Data" if "Data" in names else names[0])
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
    finally:
        book.close()
    columns = ["" if h is None else str(h) for h in header]
    while body and all(c is None for c in body[-1]):
        body.pop()
    return pd.DataFrame(body, columns=columns, dtype=object)

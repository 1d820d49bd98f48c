"""Builders of bad and hostile files for the robustness tests: each makes a real file on disk.

Nothing here mocks our code: the files are what an analyst (or an attacker) could hand
the tool. The billion-laughs payload is the classic one; the zip bomb is a real
deflate bomb; the password-protected workbook is a real OLE compound file.
"""

from __future__ import annotations

import hashlib
import struct
import zipfile
from pathlib import Path

import openpyxl

DATA_HEADER = ("indicator", "period", "numerator", "denominator", "value")

# Nine levels of ten: expands to 10**9 'lol's (about 3 GB) if an XML parser resolves entities.
BILLION_LAUGHS = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    b'<!DOCTYPE lolz [<!ENTITY lol "lol">'
    + b"".join(b'<!ENTITY lol%d "%s">' % (i, (b"&lol%s;" % (b"" if i == 2 else b"%d" % (i - 1))) * 10)
               for i in range(2, 10))
    + b"]>\n"
)


def sha256(path: Path) -> str | None:
    """The file's hash, or None when it does not exist."""
    path = Path(path)
    return hashlib.sha256(path.read_bytes()).hexdigest() if path.exists() else None


def data_workbook(path: Path, rows, header=DATA_HEADER) -> Path:
    """A real .xlsx data table: a header row and the given rows on the first sheet."""
    book = openpyxl.Workbook()
    sheet = book.active
    if header:
        sheet.append(list(header))
    for row in rows:
        sheet.append(list(row))
    book.save(path)
    return Path(path)


def rewrite_parts(source: Path, target: Path, change) -> Path:
    """Copy a zip package, passing each part through ``change(name, bytes) -> bytes``."""
    with zipfile.ZipFile(source) as src, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            dst.writestr(item, change(item.filename, src.read(item.filename)))
    return Path(target)


def billion_laughs(source: Path, target: Path, part: str = "xl/workbook.xml") -> Path:
    """``source`` with an entity-expansion bomb declared in ``part`` and used in its root element."""
    def change(name, data):
        if name != part:
            return data
        if data.startswith(b"<?xml"):
            data = data.split(b"?>", 1)[1].lstrip()
        root_end = data.index(b">") + 1
        return BILLION_LAUGHS + data[:root_end] + b"&lol9;" + data[root_end:]
    return rewrite_parts(source, target, change)


def truncated(source: Path, target: Path, keep: float = 0.6) -> Path:
    """The first ``keep`` of a real workbook's bytes, as a failed copy or download leaves it."""
    data = Path(source).read_bytes()
    Path(target).write_bytes(data[: int(len(data) * keep)])
    return Path(target)


def zip_bomb(source: Path, target: Path, megabytes: int = 64) -> Path:
    """A real workbook plus a part of ``megabytes`` MB of zeros, deflated to a few dozen KB."""
    rewrite_parts(source, target, lambda name, data: data)
    with zipfile.ZipFile(target, "a", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("xl/media/padding.bin", b"\0" * (megabytes * 2**20))
    return Path(target)


def ole_compound_file(target: Path) -> Path:
    """An OLE2 compound file, the container Excel writes for a password-protected workbook.

    Crafted by hand (header sector of the Compound File Binary format, version 3, 512-byte
    sectors, with an empty directory): it is not a real encrypted workbook (that needs
    msoffcrypto-tool), but it starts with the same signature and structure Excel's does.
    """
    header = bytearray(512)
    header[0:8] = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
    struct.pack_into("<HHHHH", header, 24, 0x003E, 0x0003, 0xFFFE, 9, 6)
    struct.pack_into("<I", header, 44, 1)          # one FAT sector
    struct.pack_into("<I", header, 48, 1)          # directory starts at sector 1
    struct.pack_into("<I", header, 56, 4096)       # mini stream cutoff
    struct.pack_into("<I", header, 60, 0xFFFFFFFE)  # no mini FAT
    struct.pack_into("<I", header, 68, 0xFFFFFFFE)  # no DIFAT sectors
    struct.pack_into("<I", header, 76, 0)          # FAT is sector 0
    for i in range(1, 109):
        struct.pack_into("<I", header, 76 + 4 * i, 0xFFFFFFFF)
    fat = bytearray(b"\xff" * 512)
    struct.pack_into("<II", fat, 0, 0xFFFFFFFD, 0xFFFFFFFE)  # sector 0: FAT, sector 1: end of chain
    directory = bytearray(512)
    name = "Root Entry".encode("utf-16-le") + b"\0\0"
    directory[: len(name)] = name
    struct.pack_into("<HBB", directory, 64, len(name), 5, 1)
    Path(target).write_bytes(bytes(header) + bytes(fat) + bytes(directory))
    return Path(target)

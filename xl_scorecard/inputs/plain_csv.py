"""Read a plain CSV, the usual data table, without pandas' reader.

``pd.read_csv`` costs about a millisecond before it reads a byte, several times what
the sample table takes to check. A plain file is split by hand instead: UTF-8, no
double quotes, no cell starting with a space or a tab, every row as wide as a header
of distinct, non-empty names, no blank row and no lone carriage return. On such a file
pandas' reader (as ``data._read_csv`` calls it) gives these very cells; any other
file returns None and goes to pandas' reader, which decides every case.
"""

from __future__ import annotations

from pathlib import Path


def read_plain_csv(path: Path, max_rows: int) -> "tuple[list[str], list[tuple[str, ...]]] | None":
    """(header names, cells column by column) of a plain CSV, or None for any other file."""
    try:
        with open(path, "rb") as handle:
            data = handle.read()
        text = data.decode("utf-8-sig")
    except (OSError, UnicodeDecodeError):
        return None
    if '"' in text or "\x00" in text or "\ufeff" in text:
        return None
    if "\r" in text:
        if text.count("\r") != text.count("\r\n"):
            return None
        text = text.replace("\r\n", "\n")
    if text[:1] in (" ", "\t") or any(mark in text for mark in (", ", ",\t", "\n ", "\n\t")):
        return None  # pandas reads with skipinitialspace: leave such files to it
    lines = text.split("\n")
    if lines[-1] == "":
        lines.pop()   # the last line's end
    if not 2 <= len(lines) <= max_rows + 1:
        return None
    header = lines[0].split(",")
    width = len(header)
    if "" in header or len(set(header)) != width:
        return None   # pandas names and renames such columns itself
    rows = [line.split(",") for line in lines[1:]]
    if set(map(len, rows)) != {width}:
        return None
    columns = list(zip(*rows))
    first = columns[0]
    if "" in first or any(map(str.isspace, first)):  # maybe a blank row, which _read_csv
        if any(not "".join(row).strip() for row in rows):   # skips, numbering the rest
            return None
    return header, columns

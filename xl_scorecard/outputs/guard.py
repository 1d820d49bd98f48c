"""Never lose an input: refuse an output that is one of the command's inputs, or another kind of file.

Every command that writes a file calls ``refuse_overwriting_inputs(out, inputs, kind)``
before computing anything, e.g.::

    refuse_overwriting_inputs(args.out, {"--rules": rules, "--data": data}, "text")

The output is refused when it is, or resolves to, the same file as an input (the same
path, a relative spelling, a symlink, a hard link, another letter case on a
case-insensitive disk), and when an existing file of another kind would be replaced
(a workbook or a PDF by text, a workbook by a PDF, ...). ``kind`` is what the command
writes: ``"text"``, ``"workbook"``, ``"pdf"`` or ``"document"`` (a .docx).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Iterable, Mapping

from ..core.errors import Problem, UsageError

KINDS = ("text", "workbook", "pdf", "document")
# names that say a file is of a kind: text written under them would mislead Excel or a reader
SUFFIXES = {
    "workbook": (".xlsx", ".xlsm", ".xls", ".xlsb", ".ods"),
    "pdf": (".pdf",),
    "document": (".docx", ".doc", ".odt"),
}
_NAMES = {"text": "a text file", "workbook": "a workbook", "pdf": "a PDF",
          "document": "a Word document", "binary": "a binary file"}


def refuse_overwriting_inputs(out: "str | Path | None",
                              inputs: "Mapping[str, str | Path | None] | Iterable[str | Path | None]",
                              kind: str) -> None:
    """Raise UsageError if writing ``kind`` to ``out`` would replace an input or another kind of file.

    ``inputs`` maps each input's option name (``"--data"``) to its path, or is a plain
    list of paths; None entries are skipped. A missing ``out`` is fine.
    """
    if out is None:
        return
    if kind not in KINDS:
        raise ValueError(f"kind must be one of {KINDS}, not {kind!r}")
    out = Path(out)
    labelled = inputs.items() if isinstance(inputs, Mapping) else (("an input", p) for p in inputs)
    for label, path in labelled:
        if path is not None and same_file(out, Path(path)):
            shown = f"the {label} input" if label.startswith("-") else label
            raise UsageError(Problem(file=str(out), message=f"is {shown} ({path}) itself: writing there would "
                                     "destroy it; choose another output name"))
    _refuse_wrong_suffix(out, kind)
    found = file_kind(out)
    if kind == "workbook" and found in ("text", "binary"):
        return  # a damaged or renamed workbook: the workbook check that follows says which
    if found is not None and found != kind:
        raise UsageError(Problem(file=str(out), message=f"already exists and is {_NAMES[found]}: it would be "
                                 f"replaced by {_NAMES[kind]}; choose another output name, or "
                                 "move the file away first"))


def same_file(a: Path, b: Path) -> bool:
    """True when two paths name one file (symlinks, hard links, relative paths, letter case)."""
    try:
        return os.path.samefile(a, b)
    except (OSError, ValueError):  # one of them does not exist (or cannot be looked at)
        pass
    try:
        return os.path.normcase(os.path.realpath(a)) == os.path.normcase(os.path.realpath(b))
    except (OSError, ValueError):
        return False


def file_kind(path: Path) -> "str | None":
    """What an existing file holds, judged by its first bytes: None if absent or empty."""
    try:
        if not os.path.isfile(path):
            return None
        with open(path, "rb") as handle:
            head = handle.read(4096)
    except OSError:
        return None
    if not head:
        return None
    if head.startswith(b"%PDF"):
        return "pdf"
    if head.startswith(b"PK"):
        return _zip_kind(path)
    if head.startswith(b"\xd0\xcf\x11\xe0"):  # an OLE file: an old .xls/.doc or an encrypted one
        suffix = path.suffix.lower()
        return "document" if suffix in SUFFIXES["document"] else "workbook"
    if b"\x00" in head:
        return "binary"
    return "text"


def _zip_kind(path: Path) -> str:
    import zipfile

    try:
        with zipfile.ZipFile(path) as archive:
            names = archive.namelist()
    except (zipfile.BadZipFile, OSError, ValueError):
        return "binary"
    if any(n.startswith("word/") for n in names):
        return "document"
    if any(n.startswith(("xl/", "content.xml")) for n in names):
        return "workbook"
    return "binary"


def _refuse_wrong_suffix(out: Path, kind: str) -> None:
    suffix = out.suffix.lower()
    for other, suffixes in SUFFIXES.items():
        if other != kind and suffix in suffixes:
            raise UsageError(Problem(file=str(out), message=f"is named as {_NAMES[other]} ({suffix}) but this "
                                     f"command writes {_NAMES[kind]}: choose an output name that "
                                     "says what it holds"))

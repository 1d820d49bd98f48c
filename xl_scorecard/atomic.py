"""Write files atomically: a temporary file beside the target, then a rename.

A failure or an interrupt leaves the previous file as it was and no partial
file behind.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path
from typing import Callable, Iterator

from .errors import Problem, WorkbookError


@contextlib.contextmanager
def atomic_path(target: "str | Path") -> Iterator[Path]:
    """Yield a temporary path in the target's folder; on success rename it over the target."""
    target = Path(target)
    folder = target.parent if str(target.parent) else Path(".")
    try:
        folder.mkdir(parents=True, exist_ok=True)
        handle, temp_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=folder)
    except OSError as exc:
        raise WorkbookError(Problem(str(target), f"cannot write in {folder}: "
                                    f"{exc.strerror or exc}")) from None
    os.close(handle)
    temp = Path(temp_name)
    try:
        yield temp
        _replace(temp, target)
    except BaseException:
        with contextlib.suppress(OSError):
            temp.unlink()
        raise


def _replace(temp: Path, target: Path) -> None:
    if target.exists():
        with contextlib.suppress(OSError):
            os.chmod(temp, target.stat().st_mode & 0o777)
    else:
        with contextlib.suppress(OSError):
            umask = os.umask(0)
            os.umask(umask)
            os.chmod(temp, 0o666 & ~umask)
    try:
        os.replace(temp, target)
    except PermissionError:
        raise WorkbookError(Problem(str(target), "cannot be replaced: it is open in another program "
                                    "(close it in Excel) or the folder is read-only")) from None
    except OSError as exc:
        raise WorkbookError(Problem(str(target), f"cannot be written: {exc.strerror or exc}")) from None


def write_atomic(target: "str | Path", write: Callable[[Path], None]) -> None:
    """Call ``write(temp_path)`` and move the result over ``target``."""
    with atomic_path(target) as temp:
        write(temp)


def write_text_atomic(target: "str | Path", text: str) -> None:
    """Write UTF-8 text atomically."""
    write_atomic(target, lambda temp: temp.write_text(text, encoding="utf-8", newline=""))

"""Write files atomically: a temporary file beside the target, then a rename.

A failure or an interrupt leaves the previous file as it was and no partial
file behind. The temporary file is ``.NAME.<pid>-<host>-<random>.tmp`` in the
target's folder: hidden, and never named like a workbook. A process killed
outright (SIGKILL, a power cut) cannot remove its own temporary file; the next
successful write of the same target removes it, once the process that made it
is gone (same host, process not running) or the file is a day old. A live
writer's temporary file, e.g. another batch writing the same folder, is never
touched.
"""

from __future__ import annotations

import contextlib
import gc
import os
import re
import socket
import sys
import tempfile
import time
import traceback
from pathlib import Path
from typing import Callable, Iterator

from ..core.errors import Problem, WorkbookError

STALE_AFTER_SECONDS = 24 * 3600
_RANDOM = r"[a-z0-9_]{8}"  # what tempfile.mkstemp puts between prefix and suffix


def _host() -> str:
    return re.sub(r"[^A-Za-z0-9-]", "", socket.gethostname())[:40] or "host"


def temp_prefix(target: Path) -> str:
    """The start of this process's temporary file names for ``target``."""
    return f".{target.name}.{os.getpid()}-{_host()}-"


@contextlib.contextmanager
def atomic_path(target: "str | Path") -> Iterator[Path]:
    """Yield a temporary path in the target's folder; on success rename it over the target."""
    target = Path(target)
    refuse_folder(target)
    folder = target.parent if str(target.parent) else Path(".")
    try:
        folder.mkdir(parents=True, exist_ok=True)
        handle, temp_name = tempfile.mkstemp(prefix=temp_prefix(target), suffix=".tmp", dir=folder)
    except (FileExistsError, NotADirectoryError):
        raise WorkbookError(Problem(file=str(target), message=f"cannot be written: {folder} is, or lies under, a "
                                    "file rather than a folder; choose another output path")) from None
    except OSError as exc:
        raise WorkbookError(Problem(file=str(target), message=f"cannot write in {folder}: "
                                    f"{exc.strerror or exc}; choose another folder or make this "
                                    "one writable")) from None
    os.close(handle)
    temp = Path(temp_name)
    try:
        try:
            yield temp
        except OSError as exc:  # the disk is full, the share went away, ...
            raise WorkbookError(Problem(file=str(target), message=f"cannot be written: {exc.strerror or exc}; "
                                        "the previous file was left as it was")) from None
        _fsync(temp)
        _replace(temp, target)
    except BaseException as exc:
        release_quietly(exc)
        with contextlib.suppress(OSError):
            temp.unlink()
        raise
    _fsync_folder(folder)
    remove_stale_temps(target)


def release_quietly(exc: BaseException) -> None:
    """Close what a failed writer left open, now and silently.

    openpyxl's ``save`` leaves its ZipFile open when the disk fills; the file would be
    closed when the exception is forgotten, and that close fails too (the disk is still
    full), which Python reports as a stray "Exception ignored ... Traceback" after our
    one-line message. Clearing the failed frames closes it here, with that report muted.
    """
    previous = sys.unraisablehook
    sys.unraisablehook = lambda unraisable: None
    try:
        seen = set()
        while exc is not None and id(exc) not in seen:
            seen.add(id(exc))
            if exc.__traceback__ is not None:
                traceback.clear_frames(exc.__traceback__)
            exc = exc.__context__
        gc.collect()
    finally:
        sys.unraisablehook = previous


def refuse_folder(target: Path) -> None:
    """An output that is an existing folder cannot be replaced by a file."""
    if Path(target).is_dir():
        raise WorkbookError(Problem(file=str(target), message="is a folder, not a file: give the output a "
                                    "file name"))


def stale_temps(target: "str | Path", now: float | None = None) -> list[Path]:
    """Temporary files of ``target`` left by writers that can no longer finish."""
    target = Path(target)
    folder = target.parent if str(target.parent) else Path(".")
    pattern = re.compile(re.escape(f".{target.name}.") + r"(?:(\d+)-([A-Za-z0-9-]*)-)?"
                         + _RANDOM + r"\.tmp$")
    now = time.time() if now is None else now
    found = []
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return found
    for entry in entries:
        match = pattern.match(entry.name)
        if not match:
            continue
        pid, host = match.group(1), match.group(2)
        try:
            age = now - entry.stat(follow_symlinks=False).st_mtime
        except OSError:
            continue
        if age > STALE_AFTER_SECONDS or (pid and host == _host() and not _running(int(pid))):
            found.append(Path(entry.path))
    return found


def remove_stale_temps(target: "str | Path") -> None:
    for path in stale_temps(target):
        with contextlib.suppress(OSError):
            path.unlink()


def _running(pid: int) -> bool:
    if pid == os.getpid():
        return True
    if os.name != "posix":  # os.kill would end the process on Windows: trust the age only
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # EPERM: running, as another user
        return True
    return True


def _fsync(path: Path, flags: int = os.O_RDWR) -> None:
    """Flush a file (the temporary file before it replaces the target) to disk."""
    with contextlib.suppress(OSError):
        fd = os.open(path, flags)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def _fsync_folder(folder: Path) -> None:
    """Flush a folder's entries, so the rename itself survives a power cut (POSIX only)."""
    if os.name == "posix":
        _fsync(folder, os.O_RDONLY)


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
        raise WorkbookError(Problem(file=str(target), message="cannot be replaced: it is open in another program "
                                    "(close it in Excel) or the folder is read-only")) from None
    except OSError as exc:
        raise WorkbookError(Problem(file=str(target), message=f"cannot be written: {exc.strerror or exc}")) from None


def write_atomic(target: "str | Path", write: Callable[[Path], None]) -> None:
    """Call ``write(temp_path)`` and move the result over ``target``."""
    with atomic_path(target) as temp:
        write(temp)


def write_text_atomic(target: "str | Path", text: str) -> None:
    """Write UTF-8 text atomically."""
    write_atomic(target, lambda temp: temp.write_text(text, encoding="utf-8", newline=""))

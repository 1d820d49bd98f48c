"""Open only what can be read to its end: regular files, read with a size limit.

A device (``/dev/zero``), a FIFO or a socket given as rules or data would be read
forever or block; a folder is not a file; a path the system cannot look at (a name
over 255 characters, a missing permission) is one clean line, not a traceback.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from ..core.errors import Problem, ScorecardError


def not_found(path: "str | Path") -> str:
    """'file not found' and what to check; a relative path names the folder it was looked for in."""
    where = "" if Path(path).is_absolute() else f" (a relative path is read from {Path.cwd()})"
    return f"file not found: check the name and the folder{where}"


def regular_file(path: "str | Path", error: type[ScorecardError], what: str = "file") -> os.stat_result:
    """The stat of ``path`` if it is an existing regular file (symlinks followed), else ``error``."""
    try:
        info = os.stat(path)
    except FileNotFoundError:
        raise error(Problem(file=str(path), message=not_found(path))) from None
    except OSError as exc:
        raise error(Problem(file=str(path), message=f"cannot be read: {exc.strerror or exc}")) from None
    except ValueError:  # a NUL character in the path
        raise error(Problem(file=str(path), message="is not a usable file name (it holds a NUL character)")) from None
    if stat.S_ISDIR(info.st_mode):
        raise error(Problem(file=str(path), message=f"is a folder, not a {what}"))
    if not stat.S_ISREG(info.st_mode):
        raise error(Problem(file=str(path), message=f"is not a regular file (a device, pipe or socket): give "
                            f"the path of a saved {what}"))
    return info


def read_bounded(path: "str | Path", limit: int, error: type[ScorecardError], what: str = "file") -> bytes:
    """A regular file's bytes, refused beyond ``limit`` bytes (checked while reading, too)."""
    info = regular_file(path, error, what)
    too_big = Problem(file=str(path), message=f"is larger than the {limit / 2**20:,.0f} MB limit for a {what}")
    if info.st_size > limit:
        raise error(too_big)
    try:
        with open(path, "rb") as handle:
            data = handle.read(limit + 1)
    except OSError as exc:
        raise error(Problem(file=str(path), message=f"cannot be read: {exc.strerror or exc}")) from None
    if len(data) > limit:  # the file grew, or the system reported no size
        raise error(too_big)
    return data

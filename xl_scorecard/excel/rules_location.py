"""Where a workbook may take its rules.json from: its own folder, or folders the server allows.

A workbook names its rules in the ``SCORECARD_RULES`` setting of its ``xlwings.conf``
sheet. Under xlwings Server that workbook is a client's, and the file is read on the
server, so the setting is confined: the path (``..`` and symlinks resolved) must lie in
the workbook's own folder (desktop Excel), in a folder listed in
``XL_SCORECARD_RULES_DIRS`` (set by whoever runs the server; several separated by
``os.pathsep``), or be the bundled sample; and it must name a ``.json`` file. The
``XL_SCORECARD_RULES`` fallback of the macros is held to the same rule; the KPI_*
functions, which have no workbook folder, confine it to ``XL_SCORECARD_RULES_DIRS``
when that is set.
"""

from __future__ import annotations

import os
from pathlib import Path

from ..core.errors import Problem, UsageError
from ..inputs import sample

RULES_ENV = "XL_SCORECARD_RULES"
DIRS_ENV = "XL_SCORECARD_RULES_DIRS"


def allowed_folders(workbook_folder: "Path | None" = None) -> list[Path]:
    """The workbook's folder (when it has one here), the server's allowed folders, the sample's."""
    folders = [workbook_folder] if workbook_folder is not None else []
    folders += [Path(p) for p in os.environ.get(DIRS_ENV, "").split(os.pathsep) if p.strip()]
    folders.append(sample.rules_path().parent)
    return [_resolved(f) for f in folders]


def confined_rules_path(setting: str, workbook_folder: "Path | None", where: "dict | str") -> Path:
    """The rules file ``setting`` names, if it is a .json file inside an allowed folder."""
    text = str(setting).strip()

    def refused(message: str) -> UsageError:
        # where: the cell holding the setting (sheet, cell), or the name of an environment variable
        if isinstance(where, dict):
            return UsageError(Problem(**where, message=message))
        return UsageError(Problem(message=f"{where}: {message}"))

    path = Path(text).expanduser()
    if not path.is_absolute():
        base = workbook_folder if workbook_folder is not None else _first_server_folder()
        if base is None:
            raise refused(f"{_short(text)} is a relative path but this workbook "
                                     "has no folder on this machine (Excel on the web, xlwings "
                                     f"Server): the server must list its rules folders in {DIRS_ENV}")
        path = base / path
    resolved = _resolved(path)
    if resolved.suffix.lower() != ".json":
        raise refused(f"{_short(text)} is not a .json file: name the rules.json "
                                 "to use")
    folders = allowed_folders(workbook_folder)
    if not any(resolved == f / resolved.name or f in resolved.parents for f in folders):
        raise refused(f"{_short(text)} is outside the folders rules may be read "
                                 "from (the workbook's own folder, or those listed in "
                                 f"{DIRS_ENV}): copy the rules.json beside the workbook")
    return resolved


def env_rules_path(configured: str) -> Path:
    """$XL_SCORECARD_RULES for the KPI_* functions: confined when the server lists folders."""
    path = Path(configured).expanduser()
    if os.environ.get(DIRS_ENV, "").strip():
        return confined_rules_path(configured, None, RULES_ENV)
    return path


def _first_server_folder() -> "Path | None":
    listed = [p for p in os.environ.get(DIRS_ENV, "").split(os.pathsep) if p.strip()]
    return Path(listed[0]) if listed else None


def _resolved(path: Path) -> Path:
    try:
        return Path(os.path.realpath(path))
    except (OSError, ValueError):
        return Path(os.path.abspath(path))


def _short(text: str) -> str:
    return repr(text if len(text) <= 60 else text[:57] + "...")

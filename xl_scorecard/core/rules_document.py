"""rules.json as rows of (JSON path, value, type), and back: how a workbook carries its rules.

Every leaf of the document becomes one row, in document order: ``$.indicators[0].thresholds[0]
.target``, ``77.2``, ``number``. Empty lists and objects are leaves too, so nothing is lost, and
reading the rows back builds an equal document (same keys, order, numbers and types). Types:
``text``, ``integer``, ``number``, ``boolean``, ``null``, ``list`` (empty) and ``object`` (empty).
"""

from __future__ import annotations

import json
import re
from typing import Any, Iterable, Iterator

TYPES = ("text", "integer", "number", "boolean", "null", "list", "object")
_SIMPLE_KEY = re.compile(r"^[A-Za-z_$][A-Za-z0-9_$-]*$")
_TOKEN = re.compile(r'\.(?P<key>[A-Za-z_$][A-Za-z0-9_$-]*)|\[(?P<index>[0-9]+)\]'
                    r'|\[(?P<quoted>"(?:[^"\\]|\\.)*")\]')


def path_text(parts: Iterable) -> str:
    """['indicators', 0, 'from'] -> '$.indicators[0].from' (odd keys as ["..."])."""
    text = "$"
    for part in parts:
        if isinstance(part, int):
            text += f"[{part}]"
        elif _SIMPLE_KEY.match(part):
            text += f".{part}"
        else:
            text += f"[{json.dumps(part, ensure_ascii=False)}]"
    return text


def parse_path(text: str) -> list:
    """'$.indicators[0].from' -> ['indicators', 0, 'from']; ValueError if it is not a path."""
    text = str(text).strip()
    if not text.startswith("$"):
        raise ValueError("a JSON path starts with $")
    parts, at = [], 1
    while at < len(text):
        match = _TOKEN.match(text, at)
        if not match:
            raise ValueError(f"cannot read the path from {text[at:at + 20]!r} on")
        if match["key"] is not None:
            parts.append(match["key"])
        elif match["index"] is not None:
            parts.append(int(match["index"]))
        else:
            parts.append(json.loads(match["quoted"]))
        at = match.end()
    return parts


def type_of(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, float):
        return "number"
    if isinstance(value, str):
        return "text"
    return "list" if isinstance(value, list) else "object"


def flatten(document: Any, parts: tuple = ()) -> Iterator[tuple[list, Any]]:
    """(path parts, leaf value) for every leaf, in document order; empty containers are leaves."""
    if isinstance(document, dict) and document:
        for key, value in document.items():
            yield from flatten(value, parts + (key,))
    elif isinstance(document, list) and document:
        for index, value in enumerate(document):
            yield from flatten(value, parts + (index,))
    else:
        yield list(parts), document


class PathClash(ValueError):
    """Two rows disagree about the shape of the document (e.g. a list and an object at one path)."""


def unflatten(rows: Iterable[tuple[list, Any]]) -> Any:
    """The document from (path parts, value) rows; list items must come in order 0, 1, 2 ..."""
    root: list = [None]
    for parts, value in rows:
        node, key = root, 0
        for depth, part in enumerate(parts):
            container = node[key]
            want = list if isinstance(part, int) else dict
            if container is None:
                container = node[key] = want()
            if not isinstance(container, want):
                raise PathClash(f"{path_text(parts[:depth])} is both a list and an object, or "
                                "already has a value")
            if want is list and part > len(container):
                raise PathClash(f"{path_text(parts[:depth + 1])}: item [{len(container)}] must "
                                "come first (list items are numbered 0, 1, 2 ... in order)")
            if want is list and part == len(container):
                container.append(None)
            elif want is dict and part not in container:
                container[part] = None
            node, key = container, part
        if node[key] is not None and not (isinstance(node[key], (list, dict)) and not node[key]):
            raise PathClash(f"{path_text(parts)} is given twice")
        node[key] = value
    return root[0]


# The sheet that carries rules.json inside a workbook (written by layout, read by inputs).
SHEET_NAME = "rules.json"
HEADER = ("Indicator", "Field", "Value", "Type")
HEADER_ROW = 3
INDICATOR_COL, FIELD_COL, VALUE_COL, TYPE_COL = 1, 2, 3, 4
# The defined name over the sheet's cells (A1 to the last row's Type): the rules argument of
# the KPI_* functions, which is how they reach the workbook's rules under xlwings Lite.
RANGE_NAME = "ScorecardRules"


def cell_value(value: Any) -> Any:
    """What a leaf looks like in its Value cell (an empty list or object as '[]' or '{}')."""
    if isinstance(value, (list, dict)):
        return json.dumps(value)
    return value


def indicator_of(document: Any, parts: list) -> str:
    """The id of the indicator a path is inside, or ''."""
    if len(parts) >= 2 and parts[0] == "indicators" and isinstance(parts[1], int):
        try:
            ident = document["indicators"][parts[1]].get("id")
        except (AttributeError, IndexError, KeyError, TypeError):
            return ""
        return ident if isinstance(ident, str) else ""
    return ""

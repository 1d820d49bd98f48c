"""Save a map as the ``workbook`` section of rules.json, leaving the rest of the text as it was.

Only the text of the ``workbook`` member changes (or is added after the last
member); the new document is validated before it is written, atomically.
"""

from __future__ import annotations

import json
from pathlib import Path

from ..core.errors import Problem, RulesError
from ..core.workbook_map import WorkbookMap
from ..inputs.rules_file import rules_from_dict
from ..outputs.atomic import write_text_atomic

_WS = " \t\r\n"


def _skip(text: str, i: int) -> int:
    while i < len(text) and text[i] in _WS:
        i += 1
    return i


def top_level_spans(text: str) -> tuple[dict[str, tuple[int, int]], int]:
    """Each top-level member's value span (start, end), and the index of the closing brace."""
    decoder = json.JSONDecoder()
    i = _skip(text, 0)
    if text.startswith("\ufeff", i):
        i = _skip(text, i + 1)
    if i >= len(text) or text[i] != "{":
        raise ValueError("not a JSON object")
    spans, i = {}, _skip(text, i + 1)
    while text[i] != "}":
        key, i = json.decoder.scanstring(text, i + 1)
        i = _skip(text, i)
        if text[i] != ":":
            raise ValueError("expected ':'")
        start = _skip(text, i + 1)
        _, end = decoder.raw_decode(text, start)
        spans[key] = (start, end)
        i = _skip(text, end)
        if text[i] == ",":
            i = _skip(text, i + 1)
    return spans, i


def with_workbook(text: str, mapping: WorkbookMap) -> str:
    """rules.json text with its ``workbook`` member set to ``mapping``."""
    spans, close = top_level_spans(text)
    newline = "\r\n" if "\r\n" in text else "\n"  # the file's own line endings
    body = json.dumps(mapping.as_json(), indent=2, ensure_ascii=False).replace("\n", newline + "  ")
    if "workbook" in spans:
        start, end = spans["workbook"]
        return text[:start] + body + text[end:]
    last_end = max(end for _, end in spans.values()) if spans else None
    if last_end is None:
        return text[:close] + f'{newline}  "workbook": {body}{newline}' + text[close:]
    return text[:last_end] + f',{newline}  "workbook": {body}' + text[last_end:]


def write_map(rules_path: "str | Path", mapping: WorkbookMap) -> None:
    """Put ``mapping`` into the rules file, checked as rules before anything is written."""
    path = Path(rules_path)
    text = path.read_text(encoding="utf-8-sig")
    try:
        new = with_workbook(text, mapping)
    except (ValueError, IndexError) as exc:
        raise RulesError(Problem(file=str(path), message=f"cannot be edited as JSON ({exc}): run "
                                 "xl-scorecard validate first")) from None
    rules_from_dict(json.loads(new, parse_constant=str), source=str(path))
    write_text_atomic(path, new)

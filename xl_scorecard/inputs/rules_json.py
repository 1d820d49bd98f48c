"""Parse rules.json text, and tell from the text which checks of every leaf can find nothing.

After parsing, three checks look at every key, number and text of the document: a key
written twice, a number arithmetic cannot use, text a workbook cannot hold. Walking the
document for them took 40% of loading the bundled rules. The parser already sees every
object, and the text shows at C speed when no number or text can be refused, so on a
clean file the walks are skipped; whenever anything might be found, they run as before.
"""

from __future__ import annotations

import json
import re
from typing import Any

CELL_LIMIT = 32_767  # characters in one Excel cell


class KeyedObject(dict):
    """A JSON object that remembers the keys written more than once (json keeps the last)."""

    duplicates: tuple = ()


def parse(text: str) -> tuple[Any, bool]:
    """(document, whether some object writes a key twice: then it is a ``KeyedObject``).

    NaN and Infinity are not JSON: kept as text, the schema reports them where they are.
    Raises what ``json.loads`` raises.
    """
    duplicated: list = []

    def keyed(pairs):
        obj = dict(pairs)
        if len(obj) == len(pairs):
            return obj
        duplicated.append(True)
        obj = KeyedObject(pairs)
        seen: set = set()
        obj.duplicates = tuple(dict.fromkeys(k for k, _ in pairs if k in seen or seen.add(k)))
        return obj

    return json.loads(text, parse_constant=str, object_pairs_hook=keyed), bool(duplicated)


def longest_number_at(text: str) -> tuple[int, int]:
    """(line, column), 1-based, of the longest run of digits in the text."""
    best = max(re.finditer(r"\d+", text), key=lambda m: m.end() - m.start(), default=None)
    start = best.start() if best else 0
    line = text.count("\n", 0, start) + 1
    return line, start - (text.rfind("\n", 0, start) + 1) + 1


# What decodes to a character a workbook cannot hold: \b, \f, \u0000 to \u001F (tab, LF and
# CR, which are allowed, among them), a surrogate (a pair, which is allowed, among them), U+FFFE
# or U+FFFF. Raw, JSON refuses control characters and UTF-8 cannot hold a lone surrogate.
_UNWRITABLE_ESCAPE = re.compile(r"\\[bfBF]|\\u(?:00[01]|[dD][89a-fA-F]|[fF]{3}[eEfF])")
# Bytes as the shape of a number: every digit a 0, E an e.
_NUMBER_SHAPES = bytes.maketrans(b"123456789E", b"000000000e")


def leaves_need_a_look(data: bytes, text: str) -> bool:
    """False when the JSON file's bytes ``data`` (decoded: ``text``, parsed without error) can
    hold no number that is not finite and no text too long or unwritable for a workbook.

    A number passes 1.8e308 only with 200 digits in a row or a three-digit exponent. A text
    is no longer than its stretch between double quotes once each two-character escape of a
    backslash or a quote counts as one character (other escapes only shrink when decoded).
    Everything here may also be seen in texts, where it only costs the full walk.
    """
    shapes = data.translate(_NUMBER_SHAPES)
    if b"e000" in shapes or b"e+000" in shapes or b"0" * 200 in shapes:
        return True
    if "\ufffe" in text or "\uffff" in text or ("\\" in text and _UNWRITABLE_ESCAPE.search(text)):
        return True
    if len(text) <= CELL_LIMIT:
        return False
    stretches = text.replace("\\\\", "x").replace('\\"', "x").split('"')
    return max(map(len, stretches)) > CELL_LIMIT

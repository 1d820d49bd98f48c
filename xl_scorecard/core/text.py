"""Text that a spreadsheet would not keep as text."""

from __future__ import annotations

# A cell or CSV field starting with one of these is read as a formula by Excel, LibreOffice
# or Google Sheets (tab and carriage return: some of them strip those first): CSV and
# formula injection. Every writer escapes such text with a leading apostrophe.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def reads_as_formula(value) -> bool:
    """True for text that a spreadsheet would take as the start of a formula."""
    return isinstance(value, str) and value.startswith(FORMULA_STARTS)

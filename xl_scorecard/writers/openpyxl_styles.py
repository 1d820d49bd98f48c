"""Layout styles as openpyxl objects, made once and shared by every cell."""

from __future__ import annotations

from functools import lru_cache

from openpyxl.styles import Alignment, Border, Font, PatternFill, Side

from ..layout.model import ARROW_FONTS, RAG_FILLS, RAG_FONTS, STYLES, Style, range_style

_THIN = Side(style="thin", color="BFBFBF")
BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)


@lru_cache(maxsize=None)
def openpyxl_style(name: str) -> tuple:
    """(font, fill, alignment, border) for a layout style name."""
    style: Style = STYLES[name]
    font = Font(name="Arial", bold=style.bold, italic=style.italic, size=style.size,
                color=style.font_color)
    fill = PatternFill("solid", fgColor=style.fill) if style.fill else PatternFill()
    alignment = Alignment(horizontal=style.align, vertical=style.valign, wrap_text=style.wrap)
    return font, fill, alignment, BORDER if style.border else Border()


@lru_cache(maxsize=None)
def rag_differential(label: str) -> tuple:
    """(fill, font) a conditional-formatting rule applies to a cell reading ``label``."""
    return (PatternFill("solid", fgColor=RAG_FILLS[label], bgColor=RAG_FILLS[label]),
            Font(bold=True, color=RAG_FONTS[label]))


def range_differential(status: str) -> tuple:
    """(fill, font) a conditional-formatting rule gives a cell reading a range status."""
    style = STYLES[range_style(status)]
    return (PatternFill("solid", fgColor=style.fill, bgColor=style.fill),
            Font(bold=style.bold, italic=style.italic, color=style.font_color))


@lru_cache(maxsize=None)
def arrow_differential(arrow: str) -> Font:
    """The font a conditional-formatting rule gives a direction-of-travel arrow."""
    return Font(bold=True, color=ARROW_FONTS[arrow])

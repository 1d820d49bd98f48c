"""The Rules sheet: the thresholds in force for the report month, one row per indicator.

Live workbooks' formulas read the target, floor, bands and expected range from here (found by
``rules_column``), so an analyst edits a threshold in one place.
"""

from __future__ import annotations

from pathlib import Path

from ..core.month_report import MonthReport
from ..core.notes import data_notes
from .model import SheetLayout

RULES_SHEET = "Rules"
RULES_HEADER_ROW = 3
RULES_FIRST_ROW = RULES_HEADER_ROW + 1
_COLUMNS = (
    ("id", "ID", 8), ("ref", "Ref", 6), ("name", "Indicator", 50), ("polarity", "Polarity", 8),
    ("period", "Data Period", 8), ("measure", "Measure", 9), ("decimals", "Decimals", 8),
    ("target", "Target", 9), ("floor", "Floor", 9), ("green_low", "Green low", 9),
    ("green_high", "Green high", 9), ("amber_low", "Amber low", 9), ("amber_high", "Amber high", 9),
    ("expected_low", "Expected low", 9), ("expected_high", "Expected high", 9),
    ("from", "In force from", 10), ("inferred", "Inferred", 12), ("source", "Data Source", 12),
    ("notes", "Data notes", 80),
)


def rules_column(key: str) -> int:
    """1-based column of a field on the Rules sheet (live formulas point here)."""
    return [k for k, _, _ in _COLUMNS].index(key) + 1


def rules_sheet(report: MonthReport) -> SheetLayout:
    sheet = SheetLayout(RULES_SHEET, widths={i: w for i, (_, _, w) in enumerate(_COLUMNS, 1)},
                        freeze=(RULES_FIRST_ROW, 4), repeat_rows=(RULES_HEADER_ROW, RULES_HEADER_ROW))
    source = Path(report.rules.source).name  # a file name, not a path from the machine that built it
    sheet.put(1, 1, f"Thresholds in force for {report.month.label} ({source})", "subtitle")
    sheet.put_row(RULES_HEADER_ROW, 1, [title for _, title, _ in _COLUMNS], "header")
    for i, ind in enumerate(report.rules.indicators):
        th = ind.threshold_for(report.month)
        values = {
            "id": ind.id, "ref": ind.ref, "name": ind.name, "polarity": ind.polarity or "",
            "period": ind.period, "measure": ind.measure, "decimals": ind.decimals,
            "target": th.target if th else None, "floor": th.floor if th else None,
            "green_low": th.green[0] if th and th.green else None,
            "green_high": th.green[1] if th and th.green else None,
            "amber_low": th.amber[0] if th and th.amber else None,
            "amber_high": th.amber[1] if th and th.amber else None,
            "expected_low": th.expected[0] if th and th.expected else None,
            "expected_high": th.expected[1] if th and th.expected else None,
            "from": str(th.start) if th else "", "inferred": ", ".join(th.inferred) if th else "",
            "source": ind.source, "notes": data_notes(ind, th),
        }
        for col, (key, _, _) in enumerate(_COLUMNS, 1):
            style = "number" if isinstance(values[key], (int, float)) else "cell"
            sheet.put(RULES_FIRST_ROW + i, col, values[key], style)
    return sheet

"""The key printed under the Scorecard: the codes and arrows in words."""

from __future__ import annotations

from ..core.month_report import MonthReport
from .model import SheetLayout

POLARITY_KEY = "H = higher is better, L = lower is better, T = close to target is better (inside its band)"
PERIOD_KEY = {
    "SS": "SS = Snapshot", "YTD": "YTD = Year to date", "R12M": "R12M = Rolling 12 Months",
    "Q": "Q = Quarter", "annual": "annual = Annual result",
}


def scorecard_key(sheet: SheetLayout, row: int, report: MonthReport, last_col: int) -> int:
    """Write the key from ``row`` down (each line merged across the table); the last row used."""
    periods = [p for p in PERIOD_KEY if p in set(report.results["period"].tolist())]
    outturn = report.summary.outturn_month.label
    lines = (
        ("Polarity", POLARITY_KEY),
        ("Data Period", ", ".join(PERIOD_KEY[p] for p in periods)),
        ("RAG", "Green on or better than target; Amber between target and floor; Red beyond the "
                "floor; blank: not rated. Ratings are judged on the result as displayed."),
        ("DoT", f"↑ improved, → unchanged, ↓ worsened: against the previous result (DoT Previous) "
                f"and against the outturn, {outturn} (DoT Outturn)."),
    )
    sheet.put(row, 1, "Key", "key_label")
    for label, text in lines:
        row += 1
        sheet.put(row, 1, f"{label}: {text}", "key")
        sheet.merges.append((row, 1, row, last_col))
    return row

"""The Summary sheet: counts, the committee paragraph and the RAG changes."""

from __future__ import annotations

from ..core.month_report import MonthReport
from . import native_formulas as nf
from .model import SheetLayout, wrapped_height
from .scorecard import ARROW_OF, DOT_OUTTURN, DOT_PREVIOUS, RAG, column_range, live_mode

SHEET = "Summary"
CHANGE_HEADERS = ("Ref", "Indicator", "Previous RAG", "Latest RAG", "Previous Result",
                  "Latest Result", "Change", "Target")


def summary_sheet(report: MonthReport, live=None) -> SheetLayout:
    """Counts, paragraph and changes; in a ``live`` workbook the counts are COUNTIF formulas."""
    summary, card = report.summary, report.rules.scorecard
    live = live_mode(live)
    sheet = SheetLayout(SHEET, widths={1: 24, 2: 50, 3: 12, 4: 12, 5: 14, 6: 14, 7: 22, 8: 18})
    sheet.put(1, 1, f"{card.title}: summary", "title")
    sheet.put(2, 1, report.month.label, "subtitle")

    sheet.put_row(4, 1, ("RAG ratings", "Green", "Amber", "Red", "Rated"), "header")
    if live:
        for col, (label, n) in enumerate((("Green", summary.green), ("Amber", summary.amber),
                                          ("Red", summary.red)), start=2):
            sheet.put(5, col, n, "count", formula=nf.count_formula(
                column_range(report, RAG, "Scorecard"), label))
        sheet.put(5, 5, summary.rated, "count", formula="B5+C5+D5")
    else:
        sheet.put_row(5, 2, (summary.green, summary.amber, summary.red, summary.rated), "count")
    sheet.put(5, 1, "Measures", "label")

    outturn = summary.outturn_month.label
    sheet.put_row(7, 1, ("Direction of travel", "Improved ↑", "Unchanged →", "Worsened ↓"), "header")
    for row, label, counts, col in (
            (8, "Against previous result", summary.against_previous, DOT_PREVIOUS),
            (9, f"Against outturn ({outturn})", summary.against_outturn, DOT_OUTTURN)):
        sheet.put(row, 1, label, "label")
        if counts.total and live:
            arrows = column_range(report, col, "Scorecard")
            for offset, (word, n) in enumerate((("Improved", counts.improved),
                                                ("Unchanged", counts.unchanged),
                                                ("Worsened", counts.worsened))):
                sheet.put(row, 2 + offset, n, "count",
                          formula=nf.count_formula(arrows, ARROW_OF[word]))
        elif counts.total:
            sheet.put_row(row, 2, (counts.improved, counts.unchanged, counts.worsened), "count")
        else:
            sheet.put(row, 2, "no comparable figures", "muted")

    sheet.put(11, 1, "Summary", "subtitle")
    sheet.put(12, 1, summary.paragraph, "wrap")
    sheet.merges.append((12, 1, 12, len(CHANGE_HEADERS)))
    sheet.heights[12] = 15 * max(3, len(summary.paragraph) // 120 + 2)

    sheet.put(14, 1, "RAG changes since the previous report", "subtitle")
    sheet.put_row(15, 1, CHANGE_HEADERS, "header")
    row = 15
    for change in summary.changes:
        row += 1
        sheet.put_row(row, 1, (change.ref, change.name, change.before, change.after,
                               change.previous_display, change.latest_display, change.change,
                               change.target_display), "cell")
        height = wrapped_height(change.name, 60)
        if height:
            sheet.heights[row] = height
    if not summary.changes:
        sheet.put(16, 1, "No ratings changed since the previous report.", "muted")
    else:
        sheet.rag_ranges.append((16, 3, row, 4))
    sheet.repeat_rows = (15, 15)
    return sheet

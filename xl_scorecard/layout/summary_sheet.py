"""The Summary sheet, laid out as a page: counts, the committee paragraph and the RAG changes.

Columns are shared by the three tables: Ref | Indicator | four equal count or
rating columns | Change | Target. Labels of the count tables span Ref and
Indicator, so no label runs into its figures.
"""

from __future__ import annotations

from ..core.month_report import MonthReport
from . import native_formulas as nf
from .model import SheetLayout, cell_ref, wrapped_height
from .scorecard import (ARROW_OF, DOT_OUTTURN, DOT_PREVIOUS, RAG, column_range,
                        has_lead_indicators, live_mode, range_column)

SHEET = "Summary"
CHANGE_HEADERS = ("Ref", "Indicator", "Previous RAG", "Latest RAG", "Previous Result",
                  "Latest Result", "Change", "Target")
WIDTHS = {1: 7, 2: 52, 3: 13, 4: 13, 5: 13, 6: 13, 7: 22, 8: 16}
ROW_POINTS = 16
NAME_CHARS_PER_LINE = 70
PARAGRAPH_CHARS_PER_LINE = 165


def summary_sheet(report: MonthReport, live=None) -> SheetLayout:
    """Counts, paragraph and changes; in a ``live`` workbook the counts are COUNTIF formulas."""
    summary, card = report.summary, report.rules.scorecard
    live = live_mode(live)
    sheet = SheetLayout(SHEET, widths=dict(WIDTHS), fit_height=1, center_horizontally=True)
    sheet.put(1, 1, f"{card.title}: summary", "title")
    sheet.put(2, 1, report.month.label, "subtitle")

    _label(sheet, 4, "RAG ratings", "header")
    sheet.put_row(4, 3, ("Green", "Amber", "Red", "Rated"), "header")
    _label(sheet, 5, "Measures", "cell")
    if live:  # the counts follow an edit of the Scorecard's ratings
        rags = column_range(report, RAG, "Scorecard")
        for col, (label, n) in enumerate((("Green", summary.green), ("Amber", summary.amber),
                                          ("Red", summary.red)), start=3):
            sheet.put(5, col, n, "count", formula=nf.count_formula(rags, label))
        sheet.put(5, 6, summary.rated, "count", formula="C5+D5+E5")
    else:
        sheet.put_row(5, 3, (summary.green, summary.amber, summary.red, summary.rated), "count")
    sheet.rag_ranges.append((4, 3, 4, 5))

    outturn = summary.outturn_month.label
    _label(sheet, 7, "Direction of travel", "header")
    sheet.put_row(7, 3, ("Improved ↑", "Unchanged →", "Worsened ↓"), "header")
    for row, label, counts, col in (
            (8, "Against the previous result", summary.against_previous, DOT_PREVIOUS),
            (9, f"Against the outturn ({outturn})", summary.against_outturn, DOT_OUTTURN)):
        _label(sheet, row, label, "cell")
        if counts.total and live:
            arrows = column_range(report, col, "Scorecard")
            for offset, (word, n) in enumerate((("Improved", counts.improved),
                                                ("Unchanged", counts.unchanged),
                                                ("Worsened", counts.worsened))):
                sheet.put(row, 3 + offset, n, "count",
                          formula=nf.count_formula(arrows, ARROW_OF[word]))
        elif counts.total:
            sheet.put_row(row, 3, (counts.improved, counts.unchanged, counts.worsened), "count")
        else:
            sheet.put(row, 3, f"no comparable figures: the data has no {outturn} results"
                      if row == 9 else "no comparable figures", "note")
            sheet.put_row(row, 4, (None, None), "note")
            sheet.merges.append((row, 3, row, 5))
    for row in (4, 5, 7, 8, 9):
        sheet.heights[row] = ROW_POINTS + 4
    top = 11
    if has_lead_indicators(report):
        _range_counts(sheet, report, live, 11)
        top = 14

    sheet.put(top, 1, "Summary", "subtitle")
    sheet.put(top + 1, 1, summary.paragraph, "wrap")
    sheet.merges.append((top + 1, 1, top + 1, len(CHANGE_HEADERS)))
    sheet.heights[top + 1] = wrapped_height(summary.paragraph + " " * PARAGRAPH_CHARS_PER_LINE,
                                            PARAGRAPH_CHARS_PER_LINE, 14)

    header = top + 4
    sheet.put(header - 1, 1, "RAG changes since the previous report", "subtitle")
    sheet.put_row(header, 1, CHANGE_HEADERS, "header")
    sheet.heights[header] = 28
    row = header
    for change in summary.changes:
        row += 1
        sheet.put(row, 1, change.ref, "centre")
        sheet.put(row, 2, change.name, "cell")
        sheet.put_row(row, 3, (change.before, change.after), "rag")
        sheet.put_row(row, 5, (change.previous_display, change.latest_display, change.change,
                               change.target_display), "number")
        sheet.heights[row] = wrapped_height(change.name, NAME_CHARS_PER_LINE) or ROW_POINTS
    if not summary.changes:
        sheet.put(header + 1, 1, "No ratings changed since the previous report.", "muted")
    else:
        sheet.rag_ranges.append((header + 1, 3, row, 4))
    sheet.repeat_rows = (header, header)
    return sheet


def _range_counts(sheet: SheetLayout, report: MonthReport, live, row: int) -> None:
    """Lead indicators Below, Within and Above their expected range, counted apart from RAG;
    in a live workbook COUNTIF over the Scorecard's range-status column."""
    ranges = report.summary.ranges
    _label(sheet, row, "Expected range", "header")
    sheet.put_row(row, 3, ("Below", "Within", "Above", "Lead indicators"), "header")
    _label(sheet, row + 1, "Lead indicators", "cell")
    counts = (("Below", ranges.below), ("Within", ranges.within), ("Above", ranges.above))
    if live:
        statuses = column_range(report, range_column(report, live), "Scorecard")
        for col, (label, n) in enumerate(counts, start=3):
            sheet.put(row + 1, col, n, "count", formula=nf.count_formula(statuses, label))
        total = "+".join(cell_ref(row + 1, col) for col in (3, 4, 5))
        sheet.put(row + 1, 6, ranges.total, "count", formula=total)
    else:
        sheet.put_row(row + 1, 3, [n for _, n in counts] + [ranges.total], "count")
    for r in (row, row + 1):
        sheet.heights[r] = ROW_POINTS + 4


def _label(sheet: SheetLayout, row: int, text: str, style: str) -> None:
    """A row label spanning the Ref and Indicator columns."""
    sheet.put(row, 1, text, style)
    sheet.put(row, 2, None, style)
    sheet.merges.append((row, 1, row, 2))

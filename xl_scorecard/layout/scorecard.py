"""The Scorecard sheet: title block, summary counts and one row per indicator."""

from __future__ import annotations

import math

from ..core.month_report import MonthReport
from .model import SheetLayout, cell_ref, number_format, plain_number, rows_of, wrapped_height
from .rules_sheet import RULES_FIRST_ROW, RULES_SHEET, rules_column

SHEET = "Scorecard"
HEADERS = ("Ref", "Indicator", "Polarity", "Data Period", "Latest Result", "RAG", "Num", "Denom",
           "Target", "Previous Result", "DoT Previous", "Outturn Result", "DoT Outturn")
COMMENTARY_COL = len(HEADERS) + 1
ID_COL = len(HEADERS) + 2
HEADER_ROW = 7
MONTH_CELL = (3, 2)
(REF, NAME, POLARITY, PERIOD, LATEST, RAG, NUM, DENOM, TARGET, PREVIOUS, DOT_PREVIOUS,
 OUTTURN, DOT_OUTTURN) = range(1, len(HEADERS) + 1)
NAME_CHARS_PER_LINE = 78
WIDTHS = {REF: 6, NAME: 58, POLARITY: 8, PERIOD: 8, LATEST: 10, RAG: 8, NUM: 10, DENOM: 10,
          TARGET: 10, PREVIOUS: 10, DOT_PREVIOUS: 9, OUTTURN: 10, DOT_OUTTURN: 9,
          COMMENTARY_COL: 40, ID_COL: 8}


def scorecard_sheet(report: MonthReport, live: bool = False) -> SheetLayout:
    """The one-page table committees read."""
    rules, summary, month = report.rules, report.summary, report.month
    sheet = SheetLayout(SHEET, widths=dict(WIDTHS), freeze=(HEADER_ROW + 1, LATEST),
                        repeat_rows=(HEADER_ROW, HEADER_ROW), paper="A3", print_cols=COMMENTARY_COL)
    card = rules.scorecard
    sheet.put(1, 1, card.title, "title")
    sheet.put(2, 1, " - ".join(p for p in (card.organisation, card.service, month.label) if p), "subtitle")
    sheet.put(3, 1, "Month", "label")
    sheet.put(*MONTH_CELL, str(month), "label")
    sheet.names["ReportMonth"] = MONTH_CELL
    sheet.put(4, 1, "RAG", "label")
    sheet.put(5, 1, "Direction (vs previous)", "label")
    counts = ((summary.green, "Green"), (summary.amber, "Amber"), (summary.red, "Red"))
    moves = summary.against_previous
    for i, ((n, label), (m, word)) in enumerate(zip(counts, ((moves.improved, "Improved"),
                                                             (moves.unchanged, "Unchanged"),
                                                             (moves.worsened, "Worsened")))):
        col = POLARITY + 2 * i
        sheet.put(4, col, label, "rag")
        sheet.put(4, col + 1, n, "count")
        sheet.put(5, col, word, "cell")
        sheet.put(5, col + 1, m, "count")
    sheet.rag_ranges.append((4, POLARITY, 4, POLARITY + 5))
    sheet.put_row(HEADER_ROW, 1, HEADERS, "header")
    sheet.put(HEADER_ROW, COMMENTARY_COL, "Commentary", "header")
    sheet.put(HEADER_ROW, ID_COL, "ID", "header")
    sheet.heights[HEADER_ROW] = 30

    row = HEADER_ROW
    section = None
    rules_row = {ind.id: RULES_FIRST_ROW + i for i, ind in enumerate(rules.indicators)}
    for result in rows_of(report.results):
        if result.section != section:
            section = result.section
            row += 1
            sheet.put(row, 1, section, "section")
            for col in range(2, len(HEADERS) + 1):
                sheet.put(row, col, None, "section")
            sheet.merges.append((row, 1, row, len(HEADERS)))
        row += 1
        _indicator_row(sheet, row, result, rules[result.id].multiplier,
                       rules_row[result.id], live, report.tolerance_for(result.id))
    sheet.rag_ranges.append((HEADER_ROW + 1, RAG, row, RAG))
    return sheet


def _indicator_row(sheet: SheetLayout, row: int, r, multiplier: float, rules_row: int,
                   live: bool, tolerance: float) -> None:
    fmt = number_format(r.measure, r.decimals)
    sheet.put(row, REF, r.ref, "cell")
    sheet.put(row, NAME, r.name, "cell")
    height = wrapped_height(r.name, NAME_CHARS_PER_LINE)
    if height:
        sheet.heights[row] = height
    sheet.put(row, POLARITY, r.polarity or "", "cell")
    sheet.put(row, PERIOD, r.period, "cell")
    sheet.put(row, NUM, plain_number(r.numerator), "number", "#,##0.##")
    sheet.put(row, DENOM, plain_number(r.denominator), "number", "#,##0.##")
    sheet.put(row, TARGET, plain_number(r.target), "number", fmt)
    sheet.put(row, PREVIOUS, plain_number(r.previous), "number", fmt)
    sheet.put(row, OUTTURN, plain_number(r.outturn), "number", fmt)
    sheet.put(row, COMMENTARY_COL, None, "commentary")
    sheet.put(row, ID_COL, r.id, "id")
    sheet.commentary[r.id] = (row, COMMENTARY_COL)
    latest, rag_cell = cell_ref(row, LATEST), cell_ref(row, RAG)
    if not live:
        sheet.put(row, LATEST, plain_number(r.value), "number", fmt)
        sheet.put(row, RAG, r.rag, "rag")
        sheet.put(row, DOT_PREVIOUS, r.dot_previous, "arrow")
        sheet.put(row, DOT_OUTTURN, r.dot_outturn, "arrow")
        return
    has_pair = not (math.isnan(r.numerator) or math.isnan(r.denominator)) and r.measure != "count"
    if has_pair:
        formula = f"KPIRATE({cell_ref(row, NUM)},{cell_ref(row, DENOM)},{multiplier:g})"
        sheet.put(row, LATEST, None, "number", fmt, formula=formula)
    else:
        sheet.put(row, LATEST, plain_number(r.value), "number", fmt)
    if not r.polarity:
        sheet.put(row, RAG, "", "rag")
        sheet.put(row, DOT_PREVIOUS, "", "arrow")
        sheet.put(row, DOT_OUTTURN, "", "arrow")
        return
    pol = f'"{r.polarity}"'
    if r.polarity == "T":
        green = _rules_range(rules_row, "green_low", "green_high")
        amber = _rules_range(rules_row, "amber_low", "amber_high")
        rag_formula = f"RAG({latest},{green},{amber},{pol},{r.decimals})"
    else:
        floor = f"{RULES_SHEET}!{cell_ref(rules_row, rules_column('floor'))}"
        rag_formula = f"RAG({latest},{cell_ref(row, TARGET)},{floor},{pol},{r.decimals})"
    sheet.put(row, RAG, None, "rag", formula=rag_formula)
    extra = f",{tolerance:g}" if tolerance else ""
    target = cell_ref(row, TARGET)
    sheet.put(row, DOT_PREVIOUS, None, "arrow",
              formula=f"DOT({latest},{cell_ref(row, PREVIOUS)},{pol},{target}{extra})")
    sheet.put(row, DOT_OUTTURN, None, "arrow",
              formula=f"DOT({latest},{cell_ref(row, OUTTURN)},{pol},{target}{extra})")


def _rules_range(row: int, first: str, last: str) -> str:
    return (f"{RULES_SHEET}!{cell_ref(row, rules_column(first))}:"
            f"{cell_ref(row, rules_column(last))}")


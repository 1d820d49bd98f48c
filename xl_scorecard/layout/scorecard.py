"""The Scorecard sheet: title block, summary counts and one row per indicator."""

from __future__ import annotations

import math

import pandas as pd

from ..core.comparators import comparator_names
from ..core.month_report import MonthReport
from .key import scorecard_key
from . import native_formulas as nf
from .model import (SheetLayout, cell_ref, number_format, plain_number, range_style, rows_of,
                    wrapped_height)
from .native_rows import WORKING_HEADERS, put_native_row
from .rules_sheet import RULES_FIRST_ROW, RULES_SHEET, rules_column

SHEET = "Scorecard"
HEADERS = ("Ref", "Indicator", "Polarity", "Data Period", "Latest Result", "RAG", "Num", "Denom",
           "Target", "Previous Result", "DoT Previous", "Outturn Result", "DoT Outturn")
COMMENTARY_COL = len(HEADERS) + 1
ID_COL = len(HEADERS) + 2
RATED, GAIN_PREVIOUS, GAIN_OUTTURN = ID_COL + 1, ID_COL + 2, ID_COL + 3  # native working columns
RANGE_HEADER = "Range status"  # a live workbook's (hidden) range-status column, with lead indicators
LIVE_MODES = ("xlwings", "native")
HEADER_ROW = 7
MONTH_CELL = (3, 2)
MONTH_NAME = "ReportMonth"  # the defined name of MONTH_CELL, which the macros read
(REF, NAME, POLARITY, PERIOD, LATEST, RAG, NUM, DENOM, TARGET, PREVIOUS, DOT_PREVIOUS,
 OUTTURN, DOT_OUTTURN) = range(1, len(HEADERS) + 1)
NAME_CHARS_PER_LINE = 78
PERIOD_CHARS_PER_LINE = 8
ARROW_OF = {"Improved": nf.ARROW_IMPROVED, "Unchanged": nf.ARROW_UNCHANGED,
            "Worsened": nf.ARROW_WORSENED}
WIDTHS = {REF: 6, NAME: 58, POLARITY: 8, PERIOD: 8, LATEST: 10, RAG: 8, NUM: 10, DENOM: 10,
          TARGET: 10, PREVIOUS: 10, DOT_PREVIOUS: 9, OUTTURN: 10, DOT_OUTTURN: 9,
          COMMENTARY_COL: 40, ID_COL: 8}
ONE_PAGE_INDICATORS = 60   # up to this many rows the Scorecard is fitted to one page tall
NATIVE_COLUMNS = {"latest": LATEST, "rag": RAG, "num": NUM, "denom": DENOM, "target": TARGET,
                  "previous": PREVIOUS, "dot_previous": DOT_PREVIOUS, "outturn": OUTTURN,
                  "dot_outturn": DOT_OUTTURN, "rated": RATED, "gain_previous": GAIN_PREVIOUS,
                  "gain_outturn": GAIN_OUTTURN}


def live_mode(live) -> str | None:
    """None for a workbook of values, else 'xlwings' or 'native' (True means 'xlwings')."""
    if not live:
        return None
    mode = "xlwings" if live is True else str(live)
    if mode not in LIVE_MODES:
        raise ValueError(f"live must be one of {', '.join(LIVE_MODES)}, not {live!r}")
    return mode


def has_lead_indicators(report: MonthReport) -> bool:
    """Whether any indicator has an expected range in force for the report month."""
    results = report.results
    return bool(len(results)) and bool(
        results[["expected_low", "expected_high"]].notna().any(axis=None))


def range_column(report: MonthReport, live) -> int | None:
    """The Scorecard column of every row's range status in a live workbook with lead
    indicators (after the ID, or after a native workbook's working columns), else None."""
    live = live_mode(live)
    if not live or not has_lead_indicators(report):
        return None
    return GAIN_OUTTURN + 1 if live == "native" else ID_COL + 1


def last_indicator_row(report: MonthReport) -> int:
    """The Scorecard row of the last indicator (section headings take a row each, the annual
    measures' own headings too when rows are grouped by frequency)."""
    sections = _ordered(report.results, report.rules.scorecard.group_by_frequency)["section"]
    return HEADER_ROW + len(sections) + int((sections != sections.shift()).sum())


def column_range(report: MonthReport, col: int, sheet: str | None = None) -> str:
    """The indicator rows of one Scorecard column, absolute (e.g. for COUNTIF)."""
    area = f"{cell_ref(HEADER_ROW + 1, col, True)}:{cell_ref(last_indicator_row(report), col, True)}"
    return nf.reference(sheet, area) if sheet else area


def scorecard_sheet(report: MonthReport, live=None) -> SheetLayout:
    """The one-page table committees read (``live``: None, 'xlwings' or 'native'); a live
    workbook's working and range-status columns are hidden, outside the print area."""
    rules, summary, month = report.rules, report.summary, report.month
    # One page wide and, up to ONE_PAGE_INDICATORS rows, one page tall; a longer card runs on
    # with the title block and the column headers repeated on every page.
    live = live_mode(live)
    sheet = SheetLayout(SHEET, widths=dict(WIDTHS), freeze=(HEADER_ROW + 1, LATEST),
                        repeat_rows=(1, HEADER_ROW), paper="A3", print_cols=COMMENTARY_COL,
                        fit_height=1 if len(report.results) <= ONE_PAGE_INDICATORS else 0,
                        center_horizontally=True)
    card = rules.scorecard
    sheet.put(1, 1, card.title, "title")
    sheet.put(2, 1, " - ".join(p for p in (card.organisation, card.service, month.label) if p), "subtitle")
    sheet.put(3, 1, "Month", "label")
    sheet.put(*MONTH_CELL, str(month), "label")
    sheet.names[MONTH_NAME] = MONTH_CELL
    sheet.put(4, 1, "RAG", "label")
    sheet.put(5, 1, "Direction (vs previous)", "label")
    counts = ((summary.green, "Green"), (summary.amber, "Amber"), (summary.red, "Red"))
    moves = summary.against_previous
    for i, ((n, label), (m, word)) in enumerate(zip(counts, ((moves.improved, "Improved"),
                                                             (moves.unchanged, "Unchanged"),
                                                             (moves.worsened, "Worsened")))):
        col = POLARITY + 2 * i
        sheet.put(4, col, label, "rag")
        sheet.put(5, col, word, "cell")
        if live:  # the counts follow an edit of a rating or an arrow
            sheet.put(4, col + 1, n, "count",
                      formula=nf.count_formula(column_range(report, RAG), label))
            sheet.put(5, col + 1, m, "count", formula=nf.count_formula(
                column_range(report, DOT_PREVIOUS), ARROW_OF[word]))
        else:
            sheet.put(4, col + 1, n, "count")
            sheet.put(5, col + 1, m, "count")
    sheet.rag_ranges.append((4, POLARITY, 4, POLARITY + 5))
    sheet.put_row(HEADER_ROW, 1, HEADERS, "header")
    sheet.put(HEADER_ROW, COMMENTARY_COL, "Commentary", "header")
    sheet.put(HEADER_ROW, ID_COL, "ID", "header")
    if live == "native":
        for col, title in zip((RATED, GAIN_PREVIOUS, GAIN_OUTTURN), WORKING_HEADERS):
            sheet.put(HEADER_ROW, col, title, "header")
            sheet.widths[col] = 11
            sheet.hidden_cols.append(col)
    range_col = range_column(report, live)
    if range_col:
        sheet.put(HEADER_ROW, range_col, RANGE_HEADER, "header")
        sheet.widths[range_col] = 11
        sheet.hidden_cols.append(range_col)
    sheet.heights[HEADER_ROW] = 30

    row = HEADER_ROW
    section = None
    rules_row = {ind.id: RULES_FIRST_ROW + i for i, ind in enumerate(rules.indicators)}
    shown_not_rated = {ind.id for ind in rules.indicators
                       if (th := ind.threshold_for(month)) is not None and not th.rated}
    for result in rows_of(_ordered(report.results, rules.scorecard.group_by_frequency)):
        if result.section != section:
            section = result.section
            row += 1
            sheet.put(row, 1, section, "section")
            for col in range(2, len(HEADERS) + 1):
                sheet.put(row, col, None, "section")
            sheet.merges.append((row, 1, row, len(HEADERS)))
        row += 1
        _indicator_row(sheet, row, result, rules[result.id], rules_row[result.id], live,
                       report.tolerance_for(result.id), range_col,
                       result.id not in shown_not_rated)
    sheet.rag_ranges.append((HEADER_ROW + 1, RAG, row, RAG))
    if range_col:   # an edit may move a lead indicator Below, Within or Above its range
        sheet.range_ranges.append((HEADER_ROW + 1, RAG, row, RAG))
    sheet.arrow_ranges.append((HEADER_ROW + 1, DOT_PREVIOUS, row, DOT_PREVIOUS))
    sheet.arrow_ranges.append((HEADER_ROW + 1, DOT_OUTTURN, row, DOT_OUTTURN))
    _outturn_note(sheet, report)
    if rules.scorecard.show_comparators:
        last = range_col or (GAIN_OUTTURN if live == "native" else ID_COL)
        _comparator_columns(sheet, report, last + 1)
    scorecard_key(sheet, row + 2, report, last_col=len(HEADERS))
    return sheet


def _outturn_note(sheet: SheetLayout, report: MonthReport) -> None:
    """Say why the Outturn columns are empty when the data has no outturn month at all."""
    results = report.results
    if len(results) and results["outturn"].isna().all():
        label = report.summary.outturn_month.label
        sheet.put(HEADER_ROW - 1, OUTTURN, f"No outturn: the data has no {label} figures", "note")
        sheet.put(HEADER_ROW - 1, DOT_OUTTURN, None, "note")
        sheet.merges.append((HEADER_ROW - 1, OUTTURN, HEADER_ROW - 1, DOT_OUTTURN))
        sheet.heights[HEADER_ROW - 1] = 26


def _ordered(results, group_by_frequency: bool):
    """Rules order; grouped, the monthly and quarterly indicators first, then the annual measures."""
    if not group_by_frequency or "frequency" not in results.columns:
        return results
    annual = results["frequency"] == "annual"
    later = results[annual].assign(section=[f"ANNUAL MEASURES: {s}" if s else "ANNUAL MEASURES"
                                            for s in results.loc[annual, "section"]])
    return pd.concat([results[~annual], later])


def _comparator_columns(sheet: SheetLayout, report: MonthReport, first_col: int) -> None:
    """One column per comparator (England, statistical neighbours, ...) from ``first_col``: after
    the ID column (then hidden), or after a native workbook's working columns."""
    results = report.results
    names = comparator_names(results)
    rows = {ident: row for ident, (row, _) in sheet.commentary.items()}
    for k, name in enumerate(names):
        col = first_col + k
        sheet.widths[col] = 12
        sheet.put(HEADER_ROW, col, name, "header")
        for ident, value, measure, decimals in zip(results["id"], results[f"cmp:{name}"],
                                                   results["measure"], results["decimals"]):
            sheet.put(rows[ident], col, plain_number(value), "number", number_format(measure, decimals))
    if names:
        # A print area is one block, so it takes in the ID column before the comparators; the
        # ID is a key for formulas and the macros, not something a council prints (the card
        # without comparators stops at the Commentary), so it joins the hidden outline group.
        sheet.hidden_cols.append(ID_COL)
        sheet.print_cols = first_col + len(names) - 1


def _indicator_row(sheet: SheetLayout, row: int, r, indicator, rules_row: int,
                   live: str | None, tolerance: float, range_col: int | None = None,
                   rated: bool = True) -> None:
    fmt = number_format(r.measure, r.decimals)
    multiplier = indicator.multiplier
    sheet.put(row, REF, r.ref, "cell")
    sheet.put(row, NAME, r.name, "cell")
    height = max(wrapped_height(r.name, NAME_CHARS_PER_LINE) or 0,
                 wrapped_height(_period_text(r), PERIOD_CHARS_PER_LINE) or 0)
    if height:
        sheet.heights[row] = height
    sheet.put(row, POLARITY, r.polarity or "", "centre")
    sheet.put(row, PERIOD, _period_text(r), "period")
    sheet.put(row, NUM, plain_number(r.numerator), "number", "#,##0.##")
    sheet.put(row, DENOM, plain_number(r.denominator), "number", "#,##0.##")
    if live != "native":
        sheet.put(row, TARGET, plain_number(r.target), "number", fmt)
    sheet.put(row, PREVIOUS, plain_number(r.previous), "number", fmt)
    sheet.put(row, OUTTURN, plain_number(r.outturn), "number", fmt)
    sheet.put(row, COMMENTARY_COL, None, "commentary")
    sheet.put(row, ID_COL, r.id, "id")
    sheet.commentary[r.id] = (row, COMMENTARY_COL)
    latest = cell_ref(row, LATEST)
    if not live:
        _latest(sheet, row, r, fmt)
        _rag_or_range(sheet, row, r)
        sheet.put(row, DOT_PREVIOUS, r.dot_previous, "arrow")
        sheet.put(row, DOT_OUTTURN, r.dot_outturn, "arrow")
        return
    if live == "native":
        cols = dict(NATIVE_COLUMNS, **({"range": range_col} if range_col else {}))
        put_native_row(sheet, row, r, cols, multiplier, rules_row, tolerance,
                       indicator.rag_basis, fmt, rated)
        return
    has_pair = not (math.isnan(r.numerator) or math.isnan(r.denominator)) and r.measure != "count"
    flag = getattr(r, "flag", "")
    is_count = r.measure == "count" and not math.isnan(r.numerator) and r.value == r.numerator
    if (has_pair or is_count) and flag != "unavailable":   # provisional: the asterisk stays
        formula = (f"KPIRATE({cell_ref(row, NUM)},{cell_ref(row, DENOM)},{nf.literal(multiplier)})"
                   if has_pair else nf.count_value_formula(cell_ref(row, NUM)))  # a count: its Num
        sheet.put(row, LATEST, plain_number(r.value), "number",
                  fmt + '"*"' if flag == "provisional" else fmt, formula=formula)
    else:
        _latest(sheet, row, r, fmt)
    status = getattr(r, "range_status", "")
    in_range = f"KPI_RANGE({latest},{cell_ref(row, ID_COL)},{MONTH_NAME})"
    if range_col:  # =KPI_RANGE() judges the value against rules.json's expected range
        if flag == "unavailable":   # "-" is no figure: no formula, a blank status
            sheet.put(row, range_col, status, "centre")
        else:
            sheet.put(row, range_col, status, "centre", formula=in_range)
    if not r.polarity or flag == "unavailable":    # RAG("-") would be an error: no formulas
        if range_col and not r.polarity and flag != "unavailable":
            sheet.put(row, RAG, status, range_style(status) if status else "rag", formula=in_range)
        else:
            _rag_or_range(sheet, row, r)
        sheet.put(row, DOT_PREVIOUS, "", "arrow")
        sheet.put(row, DOT_OUTTURN, "", "arrow")
        return
    pol = f'"{r.polarity}"'
    # RAG rounds to the decimals shown first, as the engine does, unless the indicator is
    # judged unrounded: decimals "none"
    decimals = '"none"' if indicator.rag_basis == "unrounded" else r.decimals
    if r.polarity == "T":
        green = _rules_range(rules_row, "green_low", "green_high")
        amber = _rules_range(rules_row, "amber_low", "amber_high")
        rag_formula = f"RAG({latest},{green},{amber},{pol},{decimals},FALSE)"
    else:
        floor = f"{RULES_SHEET}!{cell_ref(rules_row, rules_column('floor'))}"
        rag_formula = f"RAG({latest},{cell_ref(row, TARGET)},{floor},{pol},{decimals},FALSE)"
    if getattr(r, "target_rated", True) is False:   # "rated": false: shown, never rated
        _rag_or_range(sheet, row, r)
    else:
        sheet.put(row, RAG, r.rag, "rag", formula=rag_formula)  # the value is the cached result
    if r.polarity == "T" and math.isnan(r.target):    # a band without a target: DOT() needs one
        sheet.put(row, DOT_PREVIOUS, r.dot_previous, "arrow")
        sheet.put(row, DOT_OUTTURN, r.dot_outturn, "arrow")
        return
    # FALSE (percent_cells): the cells hold figures as written (28.6 is 28.6%), as we write them.
    extra = f",{nf.literal(tolerance)},FALSE"
    target = cell_ref(row, TARGET)
    sheet.put(row, DOT_PREVIOUS, r.dot_previous, "arrow",
              formula=f"DOT({latest},{cell_ref(row, PREVIOUS)},{pol},{target}{extra})")
    sheet.put(row, DOT_OUTTURN, r.dot_outturn, "arrow",
              formula=f"DOT({latest},{cell_ref(row, OUTTURN)},{pol},{target}{extra})")


def _latest(sheet: SheetLayout, row: int, r, fmt: str) -> None:
    """The latest result; provisional figures carry an asterisk, unavailable ones print "-"."""
    flag = getattr(r, "flag", "")
    if flag == "unavailable":
        sheet.put(row, LATEST, "-", "number")
    else:
        sheet.put(row, LATEST, plain_number(r.value), "number", fmt + '"*"' if flag == "provisional" else fmt)


def _period_text(r) -> str:
    """The data period; a quarterly or annual figure's own period (``Q2 2017/18``) instead."""
    as_at = getattr(r, "as_at", "")
    return as_at if as_at and getattr(r, "frequency", "monthly") != "monthly" else r.period


def _rag_or_range(sheet: SheetLayout, row: int, r) -> None:
    """The RAG rating; for a lead indicator without one, its range status in its own look."""
    status = getattr(r, "range_status", "")
    if not r.rag and status:
        sheet.put(row, RAG, status, range_style(status))
    else:
        sheet.put(row, RAG, r.rag, "rag")


def _rules_range(row: int, first: str, last: str) -> str:
    return (f"{RULES_SHEET}!{cell_ref(row, rules_column(first))}:"
            f"{cell_ref(row, rules_column(last))}")


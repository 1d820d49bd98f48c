"""The Exceptions sheet: one block per Red indicator (then per lead indicator outside its
expected range) with its trend, notes and commentary."""

from __future__ import annotations

from ..core.comparators import comparison_sentence
from ..core.month_report import TREND_PERIODS, MonthReport
from ..core.notes import data_notes
from ..core.periods import Month
from .model import SheetLayout, number_format, plain_number, range_style, wrapped_height

SHEET = "Exceptions"
ID_COL = 6
COMMENTARY_LABEL = "Commentary"
COMPARATOR_CHARS_PER_LINE = 95


def exceptions_sheet(report: MonthReport) -> SheetLayout:
    sheet = SheetLayout(SHEET, widths={1: 16, 2: 14, 3: 14, 4: 10, 5: 40, 6: 10}, landscape=False,
                        print_cols=ID_COL - 1)
    sheet.put(1, 1, f"Exception report: {report.month.label}", "title")
    results = report.results
    outside = _outside_range(results)
    red = results[results["rag"] == "Red"]
    if red.empty and not outside.any():
        sheet.put(3, 1, "No indicators are rated Red this month.", "muted")
        return sheet
    lead = f" and {int(outside.sum())} lead indicator(s) outside their expected range" if outside.any() else ""
    sheet.put(2, 1, f"{len(red)} indicator(s) rated Red{lead}. Officers' commentary is kept when the "
                    "workbook is regenerated.", "muted")
    red = results[(results["rag"] == "Red") | outside]
    sheet.merges.append((2, 1, 2, ID_COL - 1))
    months = report.months_up_to_report()[-TREND_PERIODS:]
    history = {month: _by_id(report.results_for(month)) for month in months}
    row = 3
    records = {record["id"]: record for record in red.to_dict("records")}   # with cmp: columns
    for r in red.itertuples(index=False):
        row += 1
        indicator = report.rules[r.id]
        sheet.put(row, 1, f"{r.ref}. {r.name}" if r.ref else r.name, "section")
        for col in range(2, ID_COL):
            sheet.put(row, col, None, "section")
        sheet.merges.append((row, 1, row, ID_COL - 1))
        sheet.put(row, ID_COL, r.id, "id")
        row += 1
        sheet.put_row(row, 1, ("Period", "Result", "Target", "RAG"), "header")
        first_trend_row = row + 1
        fmt = number_format(indicator.measure, indicator.decimals)
        for month in months:
            value, target, rag = history[month][r.id]
            row += 1
            sheet.put(row, 1, Month.parse(month).label, "cell")
            sheet.put(row, 2, plain_number(value), "number", fmt)
            sheet.put(row, 3, plain_number(target), "number", fmt)
            sheet.put(row, 4, rag, "rag" if rag in ("Green", "Amber", "Red", "") else range_style(rag))
        sheet.rag_ranges.append((first_trend_row, 4, row, 4))
        row += 1
        sheet.put(row, 1, "Data notes", "label")
        status = getattr(r, "range_status", "")
        sheet.put(row, 2, data_notes(indicator, indicator.threshold_for(report.month), status), "wrap")
        sheet.merges.append((row, 2, row, ID_COL - 1))
        sheet.heights[row] = 54
        compared = comparison_sentence(records[r.id], indicator.measure, indicator.decimals)
        if compared:
            row += 1
            sheet.put(row, 1, "Comparators", "label")
            text = f"The latest result, {r.display}, {compared}."
            sheet.put(row, 2, text, "wrap")
            sheet.merges.append((row, 2, row, ID_COL - 1))
            height = wrapped_height(text, COMPARATOR_CHARS_PER_LINE)
            if height:
                sheet.heights[row] = height
        row += 1
        sheet.put(row, 1, COMMENTARY_LABEL, "label")
        sheet.put(row, 2, None, "commentary")
        for col in range(3, ID_COL):
            sheet.put(row, col, None, "commentary")
        sheet.merges.append((row, 2, row, ID_COL - 1))
        sheet.heights[row] = 80
        sheet.commentary[r.id] = (row, 2)
        row += 1
    return sheet


def _outside_range(results):
    """Unrated lead indicators above or below their expected range (False for every row without)."""
    status = results["range_status"] if "range_status" in results.columns else results["rag"].map(lambda _: "")
    return (results["rag"] == "") & status.isin(["Above", "Below"])


def _by_id(results) -> dict[str, tuple]:
    """id -> (value, target, rag) of one month's results, looked up without pandas per row."""
    rated = results["rag"]
    if "range_status" in results.columns:   # a lead indicator shows its range status instead
        rated = rated.where(rated != "", results["range_status"])
    return dict(zip(results["id"], zip(results["value"].tolist(), results["target"].tolist(),
                                       rated.tolist())))

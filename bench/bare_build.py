"""The floor for benchmark item 1: a bare, hand-written openpyxl script.

It writes the same workbook ``xl-scorecard build`` writes (six sheets, the same
values, fonts, fills, borders, alignments, number formats, merges, column
widths and row heights, frozen panes, conditional formatting, the Data table,
the Trend line charts, print set-up and the ReportMonth name) but knows
nothing of xl_scorecard's layout model: every sheet is written cell by cell,
as an analyst's own script would be.

Everything it writes is precomputed first, outside the timed region, by
``facts_from_report``: plain Python lists of numbers and strings (results,
history, notes, summary text). ``write_bare(facts, path)`` is what is timed.

Two ways of applying styles (``fast_styles``):

* ``False``: the openpyxl documentation's way. Font, fill, border and alignment
  objects are made once and assigned to each cell (``cell.font = BOLD``);
  openpyxl then hashes the object on every assignment to find its style id.
* ``True``: the first cell of each look is styled that way, and its style ids
  (``cell._style``, a small array) are copied to every other cell of the same
  look. The xl_scorecard writer does the same, so this is the strict floor.

``compare_workbooks(a, b)`` checks that two saved workbooks hold the same
things, so the floor is known to be faithful.
"""

from __future__ import annotations

import os

from copy import copy

from openpyxl import Workbook
from openpyxl.chart import LineChart, Reference, Series
from openpyxl.formatting.rule import CellIsRule
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.workbook.defined_name import DefinedName
from openpyxl.worksheet.table import Table, TableStyleInfo

# --------------------------------------------------------------------------- precomputed values


def facts_from_report(report) -> dict:
    """Everything the bare script writes, as plain values (run outside the timed region)."""
    import math

    import datetime as dt

    from xl_scorecard.layout.key import scorecard_key
    from xl_scorecard.layout.model import SheetLayout
    from xl_scorecard.layout.rules_sheet import rules_sheet
    from xl_scorecard.core.notes import data_notes
    from xl_scorecard.core.periods import Month

    def num(v):
        if v is None:
            return None
        v = float(v)
        return None if math.isnan(v) else v

    rules, month, summary = report.rules, report.month, report.summary
    card = rules.scorecard
    rows = []
    section = None
    for r in report.results.itertuples(index=False):
        if r.section != section:
            section = r.section
            rows.append(("section", section))
        rows.append(("indicator", r.ref, r.name, r.polarity or "", r.period, num(r.value), r.rag,
                     num(r.numerator), num(r.denominator), num(r.target), num(r.previous),
                     r.dot_previous, num(r.outturn), r.dot_outturn, r.id, r.measure, int(r.decimals)))
    months = report.months_up_to_report()
    red = []
    for r in report.results[report.results["rag"] == "Red"].itertuples(index=False):
        ind = rules[r.id]
        trend = []
        for m in months[-4:]:
            past = report.results_for(m)
            p = past[past["id"] == r.id].iloc[0]
            trend.append((Month.parse(m).label, num(p["value"]), num(p["target"]), p["rag"]))
        history = [num(report.figures.values.at[r.id, m]) for m in months]
        history_targets = [(lambda th: th.target if th else None)(ind.threshold_for(Month.parse(m)))
                           for m in months]
        red.append((f"{r.ref}. {r.name}" if r.ref else r.name, r.id, ind.measure, ind.decimals,
                    trend, data_notes(ind, ind.threshold_for(month)), history, history_targets))
    trend_rows = []
    for ind in rules.indicators:
        values = [num(report.figures.values.at[ind.id, m]) for m in months]
        targets = []
        for m in months:
            th = ind.threshold_for(Month.parse(m))
            targets.append(th.target if th else None)
        trend_rows.append((ind.id, ind.ref, ind.name, ind.measure, ind.decimals, values, targets))
    frame = report.data.frame.sort_values(["period", "indicator"], kind="stable")
    data_rows = [(i, p, num(n), num(d), num(v)) for i, p, n, d, v in zip(
        *(frame[c].tolist() for c in ("indicator", "period", "numerator", "denominator", "value")))]
    # The Rules sheet's values: the thresholds in force, one row of 17 fields per indicator.
    rules_layout = rules_sheet(report)
    grid: dict[int, dict[int, object]] = {}
    for cell in rules_layout.cells:
        if cell.row >= 4:
            grid.setdefault(cell.row, {})[cell.col] = cell.value
    rules_rows = [[grid[r][c] for c in range(1, 18)] for r in sorted(grid)]
    p, o = summary.against_previous, summary.against_outturn
    # The key's sentences (text only) as the layout words them.
    key = SheetLayout("key")
    scorecard_key(key, 1, report, last_col=13)
    key_lines = [c.value for c in key.cells]
    produced = dt.date.today()
    no_outturn = bool(len(report.results)) and bool(report.results["outturn"].isna().all())
    return {
        "council": card.organisation or card.service,
        "page_title": f"{card.title}: {month.label}",
        "produced": f"Produced {produced.day} {produced:%B %Y}",
        "key": key_lines,
        "no_outturn": no_outturn,
        "title": card.title,
        "subtitle": " - ".join(x for x in (card.organisation, card.service, month.label) if x),
        "month": str(month), "month_label": month.label,
        "counts": (summary.green, summary.amber, summary.red, summary.rated),
        "previous": (p.improved, p.unchanged, p.worsened),
        "outturn": (o.improved, o.unchanged, o.worsened),
        "outturn_label": Month.parse(summary.outturn_month).label,
        "paragraph": summary.paragraph,
        "changes": [(c.ref, c.name, c.before, c.after, c.previous_display, c.latest_display,
                     c.change, c.target_display) for c in summary.changes],
        "rows": rows, "red": red,
        "months": [Month.parse(m).label[:3] + str(m)[2:4] for m in months],
        "chart_months": [Month.parse(m).label[:3] + " " + str(m)[2:4] for m in months],
        "trend": trend_rows, "data": data_rows, "rules": rules_rows, "rules_file": os.path.basename(rules.source),
    }


# --------------------------------------------------------------------------- looks

GREY = Side(style="thin", color="BFBFBF")
BOX = Border(left=GREY, right=GREY, top=GREY, bottom=GREY)


def _look(size=10, bold=False, italic=False, color=None, fill=None, wrap=False, align=None,
          valign="top", border=False):
    font = Font(name="Arial", bold=bold, italic=italic, size=size, color=color)
    return (font, PatternFill("solid", fgColor=fill) if fill else None,
            Alignment(horizontal=align, vertical=valign, wrap_text=wrap), BOX if border else None)


LOOKS = {
    "title": _look(14, bold=True),
    "subtitle": _look(11, bold=True),
    "label": _look(bold=True),
    "text": _look(),
    "wrap": _look(wrap=True),
    "muted": _look(italic=True, color="595959", wrap=True),
    "header": _look(bold=True, fill="1F3864", color="FFFFFF", wrap=True, align="center",
                    valign="center", border=True),
    "section": _look(bold=True, fill="D9E1F2", border=True),
    "cell": _look(border=True, wrap=True),
    "number": _look(border=True, align="right"),
    "rag": _look(bold=True, border=True, align="center"),
    "arrow": _look(border=True, align="center", size=12),
    "commentary": _look(border=True, wrap=True, fill="FFF9E5"),
    "id": _look(color="808080", size=8),
    "count": _look(12, bold=True, align="center", border=True),
    "note": _look(8, italic=True, color="595959", wrap=True, align="center"),
    "key": _look(9, color="404040", wrap=True),
    "key_label": _look(9, bold=True, color="404040"),
    "centre": _look(border=True, align="center"),
}
ARROW_RULES = (("↑", "00B050"), ("↓", "C00000"), ("→", "7F7F7F"))
RAG_RULES = (("Green", "00B050", "FFFFFF"), ("Amber", "FFC000", "000000"), ("Red", "FF0000", "FFFFFF"))


def fmt_for(measure: str, decimals: int) -> str:
    digits = "0" if decimals == 0 else "0." + "0" * decimals
    return "#,##" + digits + ('"%"' if measure == "percent" else "")


def name_height(text: str, per_line: int, line: float = 13.0):
    import textwrap

    lines = len(textwrap.wrap(text or "", per_line, break_on_hyphens=False))
    return line * lines + 2 if lines > 1 else None


class Writer:
    """``put(ws, row, col, value, look, number_format)``, styling each cell."""

    def __init__(self, fast_styles: bool):
        self.fast = fast_styles
        self.ids: dict[tuple, object] = {}

    def put(self, ws, row, col, value, look="text", fmt=None):
        cell = ws.cell(row=row, column=col)
        if value is not None:
            cell.value = value
        if self.fast:
            ids = self.ids.get((look, fmt))
            if ids is not None:
                cell._style = copy(ids)
                return cell
        font, fill, align, border = LOOKS[look]
        cell.font = font
        cell.alignment = align
        if fill is not None:
            cell.fill = fill
        if border is not None:
            cell.border = border
        if fmt:
            cell.number_format = fmt
        if self.fast:
            self.ids[(look, fmt)] = copy(cell._style)
        return cell

    def row(self, ws, row, col, values, look="text"):
        for i, value in enumerate(values):
            self.put(ws, row, col + i, value, look)


def rag_colours(ws, ref: str) -> None:
    for label, fill, font in RAG_RULES:
        ws.conditional_formatting.add(ref, CellIsRule(
            operator="equal", formula=[f'"{label}"'],
            fill=PatternFill("solid", fgColor=fill, bgColor=fill), font=Font(bold=True, color=font)))


def arrow_colours(ws, ref: str) -> None:
    for arrow, colour in ARROW_RULES:
        ws.conditional_formatting.add(ref, CellIsRule(operator="equal", formula=[f'"{arrow}"'],
                                                      font=Font(bold=True, color=colour)))


def page(ws, f, landscape=True, a3=False, title_rows=None, area_cols=None, last_row=1,
         tall=0, centre=False, breaks=()):
    from openpyxl.worksheet.pagebreak import Break, RowBreak

    ws.page_setup.orientation = "landscape" if landscape else "portrait"
    ws.page_setup.paperSize = ws.PAPERSIZE_A3 if a3 else ws.PAPERSIZE_A4
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = tall
    ws.print_options.horizontalCentered = centre or None
    for item, texts in ((ws.oddHeader, (f["council"], f["page_title"], "Page &P of &N")),
                        (ws.oddFooter, (f["produced"], None, ws.title))):
        for part, text in zip((item.left, item.center, item.right), texts):
            part.text = text.replace("&", "&&") if text and not text.startswith("Page &") else text
            part.size = 8
    if breaks:
        ws.row_breaks = RowBreak()
        for row in breaks:
            ws.row_breaks.append(Break(id=row))
    if title_rows:
        ws.print_title_rows = title_rows
    if area_cols:
        ws.print_area = f"A1:{get_column_letter(area_cols)}{max(last_row, 1)}"
    ws.print_options.gridLines = False
    m = ws.page_margins
    m.left, m.right, m.top, m.bottom, m.header, m.footer = 0.4, 0.4, 0.7, 0.7, 0.3, 0.3


def widths(ws, cols: dict) -> None:
    for col, width in cols.items():
        ws.column_dimensions[get_column_letter(col)].width = width


# --------------------------------------------------------------------------- the sheets

HEADERS = ("Ref", "Indicator", "Polarity", "Data Period", "Latest Result", "RAG", "Num", "Denom",
           "Target", "Previous Result", "DoT Previous", "Outturn Result", "DoT Outturn")


def scorecard(wb, w: Writer, f: dict) -> None:
    ws = wb.create_sheet("Scorecard")
    widths(ws, {1: 6, 2: 58, 3: 8, 4: 8, 5: 10, 6: 8, 7: 10, 8: 10, 9: 10, 10: 10, 11: 9,
                12: 10, 13: 9, 14: 40, 15: 8})
    w.put(ws, 1, 1, f["title"], "title")
    w.put(ws, 2, 1, f["subtitle"], "subtitle")
    w.put(ws, 3, 1, "Month", "label")
    w.put(ws, 3, 2, f["month"], "label")
    w.put(ws, 4, 1, "RAG", "label")
    w.put(ws, 5, 1, "Direction (vs previous)", "label")
    for i, (label, n, word, m) in enumerate(zip(("Green", "Amber", "Red"), f["counts"],
                                                ("Improved", "Unchanged", "Worsened"), f["previous"])):
        w.put(ws, 4, 3 + 2 * i, label, "rag")
        w.put(ws, 4, 4 + 2 * i, n, "count")
        w.put(ws, 5, 3 + 2 * i, word, "cell")
        w.put(ws, 5, 4 + 2 * i, m, "count")
    rag_colours(ws, "C4:H4")
    w.row(ws, 7, 1, HEADERS + ("Commentary", "ID"), "header")
    ws.row_dimensions[7].height = 30
    row = 7
    for entry in f["rows"]:
        row += 1
        if entry[0] == "section":
            w.put(ws, row, 1, entry[1], "section")
            for col in range(2, 14):
                w.put(ws, row, col, None, "section")
            ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=13)
            continue
        (_, ref, name, polarity, period, value, rag, num, den, target, previous, dot_previous,
         outturn, dot_outturn, ident, measure, decimals) = entry
        fmt = fmt_for(measure, decimals)
        w.put(ws, row, 1, ref, "cell")
        w.put(ws, row, 2, name, "cell")
        height = name_height(name, 78)
        if height:
            ws.row_dimensions[row].height = height
        w.put(ws, row, 3, polarity, "centre")
        w.put(ws, row, 4, period, "centre")
        w.put(ws, row, 5, value, "number", fmt)
        w.put(ws, row, 6, rag, "rag")
        w.put(ws, row, 7, num, "number", "#,##0.##")
        w.put(ws, row, 8, den, "number", "#,##0.##")
        w.put(ws, row, 9, target, "number", fmt)
        w.put(ws, row, 10, previous, "number", fmt)
        w.put(ws, row, 11, dot_previous, "arrow")
        w.put(ws, row, 12, outturn, "number", fmt)
        w.put(ws, row, 13, dot_outturn, "arrow")
        w.put(ws, row, 14, None, "commentary")
        w.put(ws, row, 15, ident, "id")
    rag_colours(ws, f"F8:F{row}")
    arrow_colours(ws, f"K8:K{row}")
    arrow_colours(ws, f"M8:M{row}")
    if f["no_outturn"]:
        w.put(ws, 6, 12, f"No outturn: the data has no {f['outturn_label']} figures", "note")
        w.put(ws, 6, 13, None, "note")
        ws.merge_cells("L6:M6")
        ws.row_dimensions[6].height = 26
    key_row = row + 2
    w.put(ws, key_row, 1, f["key"][0], "key_label")
    for i, line in enumerate(f["key"][1:], start=1):
        w.put(ws, key_row + i, 1, line, "key")
        ws.merge_cells(start_row=key_row + i, start_column=1, end_row=key_row + i, end_column=13)
    last = key_row + len(f["key"]) - 1
    ws.freeze_panes = "E8"
    page(ws, f, a3=True, title_rows="1:7", area_cols=14, last_row=last,
         tall=1 if sum(e[0] == "indicator" for e in f["rows"]) <= 60 else 0, centre=True)
    wb.defined_names["ReportMonth"] = DefinedName("ReportMonth", attr_text="'Scorecard'!$B$3")


def summary(wb, w: Writer, f: dict) -> None:
    ws = wb.create_sheet("Summary")
    widths(ws, {1: 7, 2: 52, 3: 13, 4: 13, 5: 13, 6: 13, 7: 22, 8: 16})
    w.put(ws, 1, 1, f"{f['title']}: summary", "title")
    w.put(ws, 2, 1, f["month_label"], "subtitle")

    def label(row, text, look):
        w.put(ws, row, 1, text, look)
        w.put(ws, row, 2, None, look)
        ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=2)

    label(4, "RAG ratings", "header")
    w.row(ws, 4, 3, ("Green", "Amber", "Red", "Rated"), "header")
    label(5, "Measures", "cell")
    w.row(ws, 5, 3, f["counts"], "count")
    rag_colours(ws, "C4:E4")
    label(7, "Direction of travel", "header")
    w.row(ws, 7, 3, ("Improved ↑", "Unchanged →", "Worsened ↓"), "header")
    for row, text, counts in ((8, "Against the previous result", f["previous"]),
                              (9, f"Against the outturn ({f['outturn_label']})", f["outturn"])):
        label(row, text, "cell")
        if sum(counts):
            w.row(ws, row, 3, counts, "count")
        else:
            w.put(ws, row, 3, f"no comparable figures: the data has no {f['outturn_label']} "
                              "results" if row == 9 else "no comparable figures", "note")
            w.row(ws, row, 4, (None, None), "note")
            ws.merge_cells(start_row=row, start_column=3, end_row=row, end_column=5)
    for row in (4, 5, 7, 8, 9):
        ws.row_dimensions[row].height = 20
    w.put(ws, 11, 1, "Summary", "subtitle")
    w.put(ws, 12, 1, f["paragraph"], "wrap")
    ws.merge_cells("A12:H12")
    ws.row_dimensions[12].height = name_height(f["paragraph"] + " " * 165, 165, 14)
    w.put(ws, 14, 1, "RAG changes since the previous report", "subtitle")
    w.row(ws, 15, 1, ("Ref", "Indicator", "Previous RAG", "Latest RAG", "Previous Result",
                      "Latest Result", "Change", "Target"), "header")
    ws.row_dimensions[15].height = 28
    row = 15
    for change in f["changes"]:
        row += 1
        w.put(ws, row, 1, change[0], "centre")
        w.put(ws, row, 2, change[1], "cell")
        w.row(ws, row, 3, change[2:4], "rag")
        w.row(ws, row, 5, change[4:], "number")
        ws.row_dimensions[row].height = name_height(change[1], 70) or 16
    if f["changes"]:
        rag_colours(ws, f"C16:D{row}")
    else:
        w.put(ws, 16, 1, "No ratings changed since the previous report.", "muted")
    page(ws, f, title_rows="15:15", tall=1, centre=True)


def line_chart(ws, title, rows, first_col, last_col, category_row, anchor, size, axis):
    chart = LineChart()
    if title:
        from openpyxl.chart.text import RichText, Text
        from openpyxl.chart.title import Title
        from openpyxl.drawing.text import (CharacterProperties, Paragraph, ParagraphProperties,
                                           RegularTextRun)

        props = CharacterProperties(sz=1000, b=True)
        chart.title = Title(tx=Text(rich=RichText(p=[
            Paragraph(pPr=ParagraphProperties(defRPr=props), r=[RegularTextRun(rPr=props, t=t)])
            for t in title.split("\n")])), overlay=False)
    chart.width, chart.height = size
    chart.x_axis.delete = chart.y_axis.delete = False
    chart.y_axis.scaling.min, chart.y_axis.scaling.max, major, chart.y_axis.number_format = axis
    if major:
        chart.y_axis.majorUnit = major
    chart.legend.position = "b"
    for series_row, series_title in rows:
        values = Reference(ws, min_col=first_col, max_col=last_col, min_row=series_row,
                           max_row=series_row)
        chart.series.append(Series(values, title=series_title))
    chart.set_categories(Reference(ws, min_col=first_col, max_col=last_col, min_row=category_row,
                                   max_row=category_row))
    chart.series[1].graphicalProperties.line.dashStyle = "dash"
    ws.add_chart(chart, anchor)


def axis(values, measure, decimals):
    """Zero-based axis in the indicator's format; 0 to 1 for a series of zeros."""
    import math

    seen = [v for v in values if v is not None and math.isfinite(v)]
    fmt = fmt_for(measure, decimals)
    top, bottom = max(seen, default=0.0), min(seen, default=0.0)
    if bottom < 0 or top <= 0:
        if not seen or top == bottom == 0:
            return 0.0, 1.0, max(1.0, 10.0 ** -decimals), fmt
        return None, None, None, fmt
    raw = top * 1.1 / 5
    power = 10 ** math.floor(math.log10(raw))
    step = max(next(m * power for m in (1, 2, 2.5, 5, 10) if m * power >= raw), 10.0 ** -decimals)
    return 0.0, math.ceil(top * 1.1 / step) * step, step, fmt


def exceptions(wb, w: Writer, f: dict) -> None:
    ws = wb.create_sheet("Exceptions")
    widths(ws, {1: 16, 2: 12, 3: 12, 4: 9, 5: 64, 6: 10, 8: 8})
    w.put(ws, 1, 1, f"Exception report: {f['month_label']}", "title")
    if not f["red"]:
        w.put(ws, 3, 1, "No indicators are rated Red this month.", "muted")
        page(ws, f, landscape=False, area_cols=5, last_row=3, centre=True)
        return
    n = len(f["red"])
    count = f"{n} indicator is rated Red." if n == 1 else f"{n} indicators are rated Red."
    w.put(ws, 2, 1, f"{count} Officers' commentary is kept when the workbook is regenerated.",
          "muted")
    ws.merge_cells("A2:E2")
    row, breaks = 3, []
    for title, ident, measure, decimals, trend, notes, history, targets in f["red"]:
        if row > 3:
            breaks.append(row)
        row += 1
        heading = row
        w.put(ws, row, 1, title, "section")
        for col in range(2, 6):
            w.put(ws, row, col, None, "section")
        ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=5)
        w.put(ws, row, 6, ident, "id")
        row += 1
        w.row(ws, row, 1, ("Period", "Result", "Target", "RAG"), "header")
        ws.row_dimensions[row].height = 20
        first = row + 1
        fmt = fmt_for(measure, decimals)
        for label, value, target, rag in trend:
            row += 1
            w.put(ws, row, 1, label, "cell")
            w.put(ws, row, 2, value, "number", fmt)
            w.put(ws, row, 3, target, "number", fmt)
            w.put(ws, row, 4, rag, "rag")
            ws.row_dimensions[row].height = 18
        rag_colours(ws, f"D{first}:D{row}")
        row += 1
        ws.row_dimensions[row].height = max(4, 7.0 / 2.54 * 72 + 8 - 20 - 18 * len(trend))
        w.put(ws, heading + 1, 8, "Result")
        w.put(ws, heading + 2, 8, "Target")
        for j, (month, value, target) in enumerate(zip(f["chart_months"], history, targets)):
            w.put(ws, heading, 9 + j, month)
            w.put(ws, heading + 1, 9 + j, value, "text", fmt)
            w.put(ws, heading + 2, 9 + j, target, "text", fmt)
        line_chart(ws, "", ((heading + 1, "Result"), (heading + 2, "Target")), 9,
                   8 + len(history), heading, f"E{heading + 1}", (12.5, 7.0),
                   axis(history + targets, measure, decimals))
        row += 1
        w.put(ws, row, 1, "Data notes", "label")
        w.put(ws, row, 2, notes, "wrap")
        ws.merge_cells(start_row=row, start_column=2, end_row=row, end_column=5)
        ws.row_dimensions[row].height = name_height(notes, 105) or 16
        row += 1
        w.put(ws, row, 1, "Commentary", "label")
        for col in range(2, 6):
            w.put(ws, row, col, None, "commentary")
        ws.merge_cells(start_row=row, start_column=2, end_row=row, end_column=5)
        ws.row_dimensions[row].height = 200
        row += 1
    page(ws, f, landscape=False, area_cols=5, last_row=row - 1, centre=True, breaks=breaks)


def trend(wb, w: Writer, f: dict) -> None:
    import math

    ws = wb.create_sheet("Trend")
    months = f["months"]
    widths(ws, {1: 8, 2: 6, 3: 44, 4: 8, **{5 + j: 9 for j in range(len(months))}})
    w.put(ws, 1, 1, f"Trend to {f['month_label']}", "title")
    scale = min(1.0, 26.5 / ((66 + 9 * len(months)) * 0.19))
    size = (18.0 / scale, 4.0 / scale)
    chart_rows = math.ceil(size[1] / 2.54 * 72 / 15) + 1
    per_page = max(1, int(440 // (((4 + chart_rows) * 15 + 15) * scale)))
    last_col = 4 + len(months)
    row, breaks = 3, []
    for k, (ident, ref, name, measure, decimals, values, targets) in enumerate(f["trend"]):
        if k and k % per_page == 0:
            breaks.append(row - 1)
        fmt = fmt_for(measure, decimals)
        w.row(ws, row, 1, ("ID", "Ref", "Indicator", "Series") + tuple(months), "header")
        w.row(ws, row + 1, 1, (ident, ref, name, "Result"), "cell")
        w.row(ws, row + 2, 1, (ident, ref, "", "Target"), "cell")
        ws.row_dimensions[row + 1].height = name_height(name, 48) or 15
        for j, (value, target) in enumerate(zip(values, targets)):
            w.put(ws, row + 1, 5 + j, value, "number", fmt)
            w.put(ws, row + 2, 5 + j, target, "number", fmt)
        for r in range(row + 3, row + 3 + chart_rows):
            ws.row_dimensions[r].height = 15
        words, lines, line = f"{ref}. {name}" if ref else name, [], ""
        for word in words.split():
            if line and len(line) + 1 + len(word) > 55:
                lines.append(line)
                line = word
            else:
                line = f"{line} {word}" if line else word
        lines.append(line)
        line_chart(ws, "\n".join(lines), ((row + 1, "Result"), (row + 2, "Target")), 5, last_col,
                   row, f"B{row + 4}", size, axis(values + targets, measure, decimals))
        ws._charts[-1].y_axis.title = "%" if measure == "percent" else None
        row += 3 + chart_rows + 1
    ws.freeze_panes = "E1"
    page(ws, f, centre=True, breaks=breaks)


def data(wb, w: Writer, f: dict) -> None:
    ws = wb.create_sheet("Data")
    widths(ws, {1: 12, 2: 10, 3: 12, 4: 12, 5: 12})
    w.row(ws, 1, 1, ("indicator", "period", "numerator", "denominator", "value"), "header")
    for row, values in enumerate(f["data"], start=2):
        w.row(ws, row, 1, values)
    table = Table(displayName="ScorecardData", ref=f"A1:E{max(2, len(f['data']) + 1)}")
    table.tableStyleInfo = TableStyleInfo(name="TableStyleMedium2", showRowStripes=True)
    ws.add_table(table)
    ws.freeze_panes = "A2"
    page(ws, f, landscape=False, title_rows="1:1")


RULES_COLUMNS = (("ID", 8), ("Ref", 6), ("Indicator", 50), ("Polarity", 8), ("Data Period", 8),
                 ("Measure", 9), ("Decimals", 8), ("Target", 9), ("Floor", 9), ("Green low", 9),
                 ("Green high", 9), ("Amber low", 9), ("Amber high", 9), ("In force from", 10),
                 ("Inferred", 12), ("Data Source", 12), ("Data notes", 80))


def rules(wb, w: Writer, f: dict) -> None:
    ws = wb.create_sheet("Rules")
    widths(ws, {i: width for i, (_, width) in enumerate(RULES_COLUMNS, 1)})
    w.put(ws, 1, 1, f"Thresholds in force for {f['month_label']} ({f['rules_file']})", "subtitle")
    w.row(ws, 3, 1, [title for title, _ in RULES_COLUMNS], "header")
    for row, values in enumerate(f["rules"], start=4):
        for col, value in enumerate(values, start=1):
            w.put(ws, row, col, value, "number" if isinstance(value, (int, float)) else "cell")
    ws.freeze_panes = "D4"
    page(ws, f, title_rows="3:3")


def write_bare(facts: dict, path, fast_styles: bool = True) -> None:
    """Write the month's workbook with plain openpyxl calls (the timed part)."""
    wb = Workbook()
    wb.remove(wb.active)
    w = Writer(fast_styles)
    for sheet in (scorecard, summary, exceptions, trend, data, rules):
        sheet(wb, w, facts)
    wb.active = 0
    for ws in wb.worksheets:
        ws.sheet_view.tabSelected = ws.title == "Scorecard"
    wb.save(path)


# --------------------------------------------------------------------------- faithfulness


def _chart_facts(chart) -> tuple:
    anchor = chart.anchor._from
    refs = tuple(s.val.numRef.f for s in chart.series)
    scaling = chart.y_axis.scaling
    return (anchor.col, anchor.row, len(chart.series), refs, round(chart.height, 6),
            round(chart.width, 6), scaling.min, scaling.max, chart.y_axis.majorUnit)


def _colour(c):
    return None if c is None else c.rgb


def _side(s):
    return None if s is None or s.style is None else (s.style, _colour(s.color))


def _look_of(cell) -> tuple:
    """What a cell looks like: font, fill, border sides, alignment, number format."""
    f, fill, b, a = cell.font, cell.fill, cell.border, cell.alignment
    return ((f.name, bool(f.b), bool(f.i), f.sz, _colour(f.color)),
            (fill.patternType, _colour(fill.fgColor) if fill.patternType else None),
            tuple(_side(s) for s in (b.left, b.right, b.top, b.bottom)),
            (a.horizontal, a.vertical, bool(a.wrapText)), cell.number_format)


def _dxf(dxf) -> tuple:
    return ((dxf.fill.patternType, _colour(dxf.fill.fgColor), _colour(dxf.fill.bgColor))
            if dxf.fill else None, (bool(dxf.font.b), _colour(dxf.font.color)) if dxf.font else None)


def describe(path) -> dict:
    """What a saved workbook holds, in comparable form."""
    import warnings

    from openpyxl import load_workbook

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        wb = load_workbook(path)
    out = {"sheets": wb.sheetnames, "active": wb.active.title,
           "names": {n: d.attr_text for n, d in wb.defined_names.items()}}
    for ws in wb.worksheets:
        cells = {}
        for (r, c), cell in ws._cells.items():
            cells[(r, c)] = (cell.value,) + _look_of(cell)
        cf = sorted((str(rng.sqref), tuple((rule.type, rule.operator, tuple(rule.formula),
                                            _dxf(rule.dxf)) for rule in rules))
                    for rng, rules in ws.conditional_formatting._cf_rules.items())
        out[ws.title] = {
            "cells": cells,
            "merges": sorted(str(m) for m in ws.merged_cells.ranges),
            "widths": {k: d.width for k, d in ws.column_dimensions.items() if d.customWidth},
            "heights": {k: d.height for k, d in ws.row_dimensions.items() if d.height},
            "freeze": ws.freeze_panes,
            "cf": cf,
            "tables": {t.displayName: (t.ref, t.tableStyleInfo.name) for t in ws.tables.values()},
            "charts": [_chart_facts(ch) for ch in ws._charts],
            "print": (ws.page_setup.orientation, ws.page_setup.paperSize, ws.page_setup.fitToWidth,
                      ws.page_setup.fitToHeight, ws.sheet_properties.pageSetUpPr.fitToPage,
                      ws.print_title_rows, ws.print_area, ws.print_options.gridLines,
                      ws.print_options.horizontalCentered,
                      tuple(getattr(ws.page_margins, side) for side in
                            ("left", "right", "top", "bottom", "header", "footer")),
                      tuple((p.text, p.size) for item in (ws.oddHeader, ws.oddFooter)
                            for p in (item.left, item.center, item.right)),
                      tuple(b.id for b in ws.row_breaks.brk)),
            "selected": ws.sheet_view.tabSelected,
        }
    return out


def compare_workbooks(a, b, limit: int = 8) -> list[str]:
    """Differences between two saved workbooks (empty when they hold the same things)."""
    da, db = describe(a), describe(b)
    problems = []
    for key in ("sheets", "active", "names"):
        if da[key] != db[key]:
            problems.append(f"{key}: {da[key]!r} != {db[key]!r}")
    for sheet in da["sheets"]:
        if sheet not in db:
            continue
        sa, sb = da[sheet], db[sheet]
        for key in sa:
            if key == "cells":
                for coord in sorted(set(sa["cells"]) | set(sb["cells"])):
                    ca, cb = sa["cells"].get(coord), sb["cells"].get(coord)
                    if ca != cb:
                        problems.append(f"{sheet}!{get_column_letter(coord[1])}{coord[0]}: {ca} != {cb}")
            elif sa[key] != sb[key]:
                problems.append(f"{sheet} {key}: {sa[key]!r} != {sb[key]!r}")
    return problems[:limit] + ([f"... {len(problems) - limit} more"] if len(problems) > limit else [])

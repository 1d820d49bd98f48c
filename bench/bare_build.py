"""The floor for benchmark item 1: a bare, hand-written openpyxl script.

It writes the same workbook ``xl-scorecard build`` writes (six sheets, the same
values, fonts, fills, borders, alignments, number formats, merges, column
widths and row heights, frozen panes, conditional formatting, the Data table,
the Trend line charts, print set-up and the ReportMonth name) but knows
nothing of xl_scorecard's layout model: every sheet is written cell by cell,
as an analyst's own script would be.

Everything it writes is precomputed first, outside the timed region, by
``floor_facts.facts_from_report``: plain Python lists of numbers and strings (results,
history, notes, summary text). ``write_bare(facts, path)`` is what is timed.

Two ways of applying styles (``fast_styles``):

* ``False``: the openpyxl documentation's way. Font, fill, border and alignment
  objects are made once and assigned to each cell (``cell.font = BOLD``);
  openpyxl then hashes the object on every assignment to find its style id.
* ``True``: the first cell of each look is styled that way, and its style ids
  (``cell._style``, a small array) are copied to every other cell of the same
  look; merges and line charts take the shortcuts in floor_shortcuts.py. The
  xl_scorecard writer does the same, so this is the strict floor.

``compare.compare_workbooks(a, b)`` checks that two saved workbooks hold the same
things, so the floor is known to be faithful.
"""

from __future__ import annotations


from copy import copy

from openpyxl import Workbook
from openpyxl.chart import LineChart, Reference, Series
from openpyxl.chart.data_source import AxDataSource, NumRef
from openpyxl.formatting.rule import CellIsRule
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.workbook.defined_name import DefinedName
from openpyxl.worksheet.table import Table, TableStyleInfo

import floor_shortcuts

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
}
RAG_RULES = (("Green", "00B050", "FFFFFF"), ("Amber", "FFC000", "000000"), ("Red", "FF0000", "FFFFFF"))


def fmt_for(measure: str, decimals: int) -> str:
    digits = "0" if decimals == 0 else "0." + "0" * decimals
    return "#,##" + digits + ('"%"' if measure == "percent" else "")


def name_height(text: str, per_line: int):
    lines = -(-len(text or "") // per_line)
    return 13.0 * lines + 2 if lines > 1 else None


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

    def merge(self, ws, r1, c1, r2, c2):
        """``ws.merge_cells``; in fast mode only the first merge of each shape and looks, the
        others copying the style ids it left and adding their range directly (no overlap
        check), as our writer does."""
        if not self.fast:
            ws.merge_cells(start_row=r1, start_column=c1, end_row=r2, end_column=c2)
            return
        floor_shortcuts.merge(ws, self.ids, r1, c1, r2, c2)


def rag_colours(ws, ref: str) -> None:
    for label, fill, font in RAG_RULES:
        ws.conditional_formatting.add(ref, CellIsRule(
            operator="equal", formula=[f'"{label}"'],
            fill=PatternFill("solid", fgColor=fill, bgColor=fill), font=Font(bold=True, color=font)))


def page(ws, landscape=True, a3=False, title_rows=None, area_cols=None, last_row=1):
    ws.page_setup.orientation = "landscape" if landscape else "portrait"
    ws.page_setup.paperSize = ws.PAPERSIZE_A3 if a3 else ws.PAPERSIZE_A4
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    if title_rows:
        ws.print_title_rows = title_rows
    if area_cols:
        ws.print_area = f"A1:{get_column_letter(area_cols)}{max(last_row, 1)}"
    ws.print_options.gridLines = False
    ws.page_margins.left = ws.page_margins.right = 0.4


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
            w.merge(ws, row, 1, row, 13)
            continue
        (_, ref, name, polarity, period, value, rag, num, den, target, previous, dot_previous,
         outturn, dot_outturn, ident, measure, decimals) = entry
        fmt = fmt_for(measure, decimals)
        w.put(ws, row, 1, ref, "cell")
        w.put(ws, row, 2, name, "cell")
        height = name_height(name, 78)
        if height:
            ws.row_dimensions[row].height = height
        w.put(ws, row, 3, polarity, "cell")
        w.put(ws, row, 4, period, "cell")
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
    ws.freeze_panes = "E8"
    page(ws, a3=True, title_rows="7:7", area_cols=14, last_row=row)
    wb.defined_names["ReportMonth"] = DefinedName("ReportMonth", attr_text="'Scorecard'!$B$3")


def summary(wb, w: Writer, f: dict) -> None:
    ws = wb.create_sheet("Summary")
    widths(ws, {1: 24, 2: 50, 3: 12, 4: 12, 5: 14, 6: 14, 7: 22, 8: 18})
    w.put(ws, 1, 1, f"{f['title']}: summary", "title")
    w.put(ws, 2, 1, f["month_label"], "subtitle")
    w.row(ws, 4, 1, ("RAG ratings", "Green", "Amber", "Red", "Rated"), "header")
    w.put(ws, 5, 1, "Measures", "label")
    w.row(ws, 5, 2, f["counts"], "count")
    w.row(ws, 7, 1, ("Direction of travel", "Improved ↑", "Unchanged →", "Worsened ↓"), "header")
    for row, label, counts in ((8, "Against previous result", f["previous"]),
                               (9, f"Against outturn ({f['outturn_label']})", f["outturn"])):
        w.put(ws, row, 1, label, "label")
        if sum(counts):
            w.row(ws, row, 2, counts, "count")
        else:
            w.put(ws, row, 2, "no comparable figures", "muted")
    w.put(ws, 11, 1, "Summary", "subtitle")
    w.put(ws, 12, 1, f["paragraph"], "wrap")
    w.merge(ws, 12, 1, 12, 8)
    ws.row_dimensions[12].height = 15 * max(3, len(f["paragraph"]) // 120 + 2)
    w.put(ws, 14, 1, "RAG changes since the previous report", "subtitle")
    w.row(ws, 15, 1, ("Ref", "Indicator", "Previous RAG", "Latest RAG", "Previous Result",
                      "Latest Result", "Change", "Target"), "header")
    row = 15
    for change in f["changes"]:
        row += 1
        w.row(ws, row, 1, change, "cell")
        height = name_height(change[1], 60)
        if height:
            ws.row_dimensions[row].height = height
    if f["changes"]:
        rag_colours(ws, f"C16:D{row}")
    else:
        w.put(ws, 16, 1, "No ratings changed since the previous report.", "muted")
    page(ws, title_rows="15:15")


def exceptions(wb, w: Writer, f: dict) -> None:
    ws = wb.create_sheet("Exceptions")
    widths(ws, {1: 16, 2: 14, 3: 14, 4: 10, 5: 40, 6: 10})
    w.put(ws, 1, 1, f"Exception report: {f['month_label']}", "title")
    if not f["red"]:
        w.put(ws, 3, 1, "No indicators are rated Red this month.", "muted")
        page(ws, landscape=False, area_cols=5, last_row=3)
        return
    w.put(ws, 2, 1, f"{len(f['red'])} indicator(s) rated Red. Officers' commentary is kept when "
                    "the workbook is regenerated.", "muted")
    w.merge(ws, 2, 1, 2, 5)
    row = 3
    for title, ident, measure, decimals, trend, notes in f["red"]:
        row += 1
        w.put(ws, row, 1, title, "section")
        for col in range(2, 6):
            w.put(ws, row, col, None, "section")
        w.merge(ws, row, 1, row, 5)
        w.put(ws, row, 6, ident, "id")
        row += 1
        w.row(ws, row, 1, ("Period", "Result", "Target", "RAG"), "header")
        first = row + 1
        fmt = fmt_for(measure, decimals)
        for label, value, target, rag in trend:
            row += 1
            w.put(ws, row, 1, label, "cell")
            w.put(ws, row, 2, value, "number", fmt)
            w.put(ws, row, 3, target, "number", fmt)
            w.put(ws, row, 4, rag, "rag")
        rag_colours(ws, f"D{first}:D{row}")
        row += 1
        w.put(ws, row, 1, "Data notes", "label")
        w.put(ws, row, 2, notes, "wrap")
        w.merge(ws, row, 2, row, 5)
        ws.row_dimensions[row].height = 54
        row += 1
        w.put(ws, row, 1, "Commentary", "label")
        for col in range(2, 6):
            w.put(ws, row, col, None, "commentary")
        w.merge(ws, row, 2, row, 5)
        ws.row_dimensions[row].height = 80
        row += 1
    page(ws, landscape=False, area_cols=5, last_row=row - 1)


def trend(wb, w: Writer, f: dict) -> None:
    ws = wb.create_sheet("Trend")
    months = f["months"]
    widths(ws, {1: 8, 2: 6, 3: 44, 4: 8, **{5 + j: 9 for j in range(len(months))}})
    w.put(ws, 1, 1, f"Trend to {f['month_label']}", "title")
    w.row(ws, 3, 1, ("ID", "Ref", "Indicator", "Series") + tuple(months), "header")
    last_col = 4 + len(months)
    row = 3
    for ident, ref, name, measure, decimals, values, targets in f["trend"]:
        fmt = fmt_for(measure, decimals)
        w.row(ws, row + 1, 1, (ident, ref, name, "Result"), "cell")
        w.row(ws, row + 2, 1, (ident, ref, name, "Target"), "cell")
        for j, (value, target) in enumerate(zip(values, targets)):
            w.put(ws, row + 1, 5 + j, value, "number", fmt)
            w.put(ws, row + 2, 5 + j, target, "number", fmt)
        row += 2
    top = row + 3
    categories = Reference(ws, min_col=5, max_col=last_col, min_row=3, max_row=3)

    def line_chart(texts, y_title, value_refs):
        chart = LineChart()
        chart.title = texts["title"]
        chart.height, chart.width = 7, 15
        chart.y_axis.title = y_title
        chart.legend.position = "b"
        for i, series_title in enumerate(("Result", "Target")):
            series = Series(value_refs[i], title=series_title)
            series.val.numRef.f = texts[f"v{i}"]
            series.cat = AxDataSource(numRef=NumRef(f=texts["cat"]))
            chart.series.append(series)
        chart.series[1].graphicalProperties.line.dashStyle = "dash"
        return chart

    for k, (ident, ref, name, measure, *_rest) in enumerate(f["trend"]):
        y_title = "%" if measure == "percent" else None
        value_refs = [Reference(ws, min_col=5, max_col=last_col, min_row=r, max_row=r)
                      for r in (4 + 2 * k, 5 + 2 * k)]
        texts = {"title": f"{ref}. {name}"[:80], "v0": str(value_refs[0]),
                 "v1": str(value_refs[1]), "cat": str(categories)}
        anchor = f"{'A' if k % 2 == 0 else 'D'}{top + (k // 2) * 15}"
        if not (w.fast and all(floor_shortcuts.plain(t) for t in texts.values())):
            ws.add_chart(line_chart(texts, y_title, value_refs), anchor)
            continue
        pieces = w.ids.get(("chart", y_title))
        if pieces is None:
            marked = {key: floor_shortcuts.mark(key) for key in texts}
            pieces = w.ids["chart", y_title] = floor_shortcuts.template(
                line_chart(marked, y_title, value_refs))
        ws.add_chart(floor_shortcuts.ChartXml(floor_shortcuts.fill(pieces, texts), 15, 7), anchor)
    ws.freeze_panes = "E4"
    page(ws, title_rows="3:3")


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
    page(ws, landscape=False, title_rows="1:1")


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
    page(ws, title_rows="3:3")


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
    if fast_styles:
        floor_shortcuts.save(wb, path)
    else:
        wb.save(path)

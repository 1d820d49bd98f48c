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

from openpyxl import Workbook
from openpyxl.chart import LineChart, Reference, Series
from openpyxl.chart.data_source import AxDataSource, NumRef
from openpyxl.workbook.defined_name import DefinedName
from openpyxl.worksheet.table import Table, TableStyleInfo

import floor_shortcuts
from floor_looks import (  # the looks and helpers
    Writer, arrow_colours, fmt_for, name_height, page, rag_colours, widths,
)

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
    rag_colours(ws, "C4:H4", w)
    w.row(ws, 7, 1, HEADERS + ("Commentary", "ID"), "header")
    w.height(ws, 7, 30)
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
            w.height(ws, row, height)
        w.put(ws, row, 3, polarity, "centre")
        w.put(ws, row, 4, period, "period")
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
    rag_colours(ws, f"F8:F{row}", w)
    arrow_colours(ws, f"K8:K{row}", w)
    arrow_colours(ws, f"M8:M{row}", w)
    if f["no_outturn"]:
        w.put(ws, 6, 12, f"No outturn: the data has no {f['outturn_label']} figures", "note")
        w.put(ws, 6, 13, None, "note")
        ws.merge_cells("L6:M6")
        w.height(ws, 6, 26)
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
    rag_colours(ws, "C4:E4", w)
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
        w.height(ws, row, 20)
    w.put(ws, 11, 1, "Summary", "subtitle")
    w.put(ws, 12, 1, f["paragraph"], "wrap")
    w.merge(ws, 12, 1, 12, 8)
    w.height(ws, 12, name_height(f["paragraph"] + " " * 165, 165, 14))
    w.put(ws, 14, 1, "RAG changes since the previous report", "subtitle")
    w.row(ws, 15, 1, ("Ref", "Indicator", "Previous RAG", "Latest RAG", "Previous Result",
                      "Latest Result", "Change", "Target"), "header")
    w.height(ws, 15, 28)
    row = 15
    for change in f["changes"]:
        row += 1
        w.put(ws, row, 1, change[0], "centre")
        w.put(ws, row, 2, change[1], "cell")
        w.row(ws, row, 3, change[2:4], "rag")
        w.row(ws, row, 5, change[4:], "number")
        w.height(ws, row, name_height(change[1], 70) or 16)
    if f["changes"]:
        rag_colours(ws, f"C16:D{row}", w)
    else:
        w.put(ws, 16, 1, "No ratings changed since the previous report.", "muted")
    page(ws, f, title_rows="15:15", tall=1, centre=True)


def line_chart(ws, w: Writer, title, rows, first_col, last_col, category_row, anchor, size, axis,
               y_title=None):
    """A line chart of two series; in fast mode the first chart of each look (everything but
    the title's lines, the references and the axis numbers) is serialised with marks and the
    others fill it in, as our writer does (floor_shortcuts.template)."""
    lines = title.split("\n") if title else []
    texts = {f"t{i}": line for i, line in enumerate(lines)}
    texts["cat"] = floor_shortcuts.row_ref(ws, first_col, last_col, category_row, w.fast)
    for i, (series_row, _) in enumerate(rows):
        texts[f"v{i}"] = floor_shortcuts.row_ref(ws, first_col, last_col, series_row, w.fast)

    low, high, major, fmt = axis
    numbers = {k: float(v) for k, v in (("min", low), ("max", high), ("major", major or None))
               if v is not None}

    def build(texts, numbers):
        chart = LineChart()
        if lines:
            from openpyxl.chart.text import RichText, Text
            from openpyxl.chart.title import Title
            from openpyxl.drawing.text import (CharacterProperties, Paragraph,
                                               ParagraphProperties, RegularTextRun)

            props = CharacterProperties(sz=1000, b=True)
            chart.title = Title(tx=Text(rich=RichText(p=[
                Paragraph(pPr=ParagraphProperties(defRPr=props),
                          r=[RegularTextRun(rPr=props, t=texts[f"t{i}"])])
                for i in range(len(lines))])), overlay=False)
        chart.width, chart.height = size
        chart.y_axis.title = y_title
        chart.x_axis.delete = chart.y_axis.delete = False
        chart.y_axis.scaling.min, chart.y_axis.scaling.max = numbers.get("min"), numbers.get("max")
        chart.y_axis.number_format = fmt
        if "major" in numbers:
            chart.y_axis.majorUnit = numbers["major"]
        chart.legend.position = "b"
        for i, (series_row, series_title) in enumerate(rows):
            values = Reference(ws, min_col=first_col, max_col=last_col, min_row=series_row,
                               max_row=series_row)
            series = Series(values, title=series_title)
            series.val.numRef.f = texts[f"v{i}"]
            series.cat = AxDataSource(numRef=NumRef(f=texts["cat"]))
            chart.series.append(series)
        chart.series[1].graphicalProperties.line.dashStyle = "dash"
        return chart

    if not (w.fast and all(floor_shortcuts.plain(t) for t in texts.values())):
        ws.add_chart(build(texts, numbers), anchor)
        return
    look = ("chart", len(lines), size, tuple(numbers), fmt, y_title, tuple(t for _, t in rows))
    pieces = w.ids.get(look)
    if pieces is None:
        marks = floor_shortcuts.number_marks(numbers)
        pieces = w.ids[look] = floor_shortcuts.template(
            build({key: floor_shortcuts.mark(key) for key in texts}, marks), marks)
    ws.add_chart(floor_shortcuts.ChartXml(floor_shortcuts.fill(pieces, texts, numbers), *size),
                 anchor)


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
    w.merge(ws, 2, 1, 2, 5)
    row, breaks = 3, []
    for title, ident, measure, decimals, trend, notes, history, targets in f["red"]:
        if row > 3:
            breaks.append(row)
        row += 1
        heading = row
        w.put(ws, row, 1, title, "section")
        for col in range(2, 6):
            w.put(ws, row, col, None, "section")
        w.merge(ws, row, 1, row, 5)
        w.put(ws, row, 6, ident, "id")
        row += 1
        w.row(ws, row, 1, ("Period", "Result", "Target", "RAG"), "header")
        w.height(ws, row, 20)
        first = row + 1
        fmt = fmt_for(measure, decimals)
        for label, value, target, rag in trend:
            row += 1
            w.put(ws, row, 1, label, "cell")
            w.put(ws, row, 2, value, "number", fmt)
            w.put(ws, row, 3, target, "number", fmt)
            w.put(ws, row, 4, rag, "rag")
            w.height(ws, row, 18)
        rag_colours(ws, f"D{first}:D{row}", w)
        row += 1
        w.height(ws, row, max(4, 7.0 / 2.54 * 72 + 8 - 20 - 18 * len(trend)))
        w.put(ws, heading + 1, 8, "Result")
        w.put(ws, heading + 2, 8, "Target")
        for j, (month, value, target) in enumerate(zip(f["chart_months"], history, targets)):
            w.put(ws, heading, 9 + j, month)
            w.put(ws, heading + 1, 9 + j, value, "text", fmt)
            w.put(ws, heading + 2, 9 + j, target, "text", fmt)
        line_chart(ws, w, "", ((heading + 1, "Result"), (heading + 2, "Target")), 9,
                   8 + len(history), heading, f"E{heading + 1}", (12.5, 7.0),
                   axis(history + targets, measure, decimals))
        row += 1
        w.put(ws, row, 1, "Data notes", "label")
        w.put(ws, row, 2, notes, "wrap")
        w.merge(ws, row, 2, row, 5)
        w.height(ws, row, name_height(notes, 105) or 16)
        row += 1
        w.put(ws, row, 1, "Commentary", "label")
        for col in range(2, 6):
            w.put(ws, row, col, None, "commentary")
        w.merge(ws, row, 2, row, 5)
        w.height(ws, row, 200)
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
        w.height(ws, row + 1, name_height(name, 48) or 15)
        for j, (value, target) in enumerate(zip(values, targets)):
            w.put(ws, row + 1, 5 + j, value, "number", fmt)
            w.put(ws, row + 2, 5 + j, target, "number", fmt)
        for r in range(row + 3, row + 3 + chart_rows):
            w.height(ws, r, 15)
        words, lines, line = f"{ref}. {name}" if ref else name, [], ""
        for word in words.split():
            if line and len(line) + 1 + len(word) > 55:
                lines.append(line)
                line = word
            else:
                line = f"{line} {word}" if line else word
        lines.append(line)
        line_chart(ws, w, "\n".join(lines), ((row + 1, "Result"), (row + 2, "Target")), 5,
                   last_col, row, f"B{row + 4}", size, axis(values + targets, measure, decimals),
                   y_title="%" if measure == "percent" else None)
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
                 ("Green high", 9), ("Amber low", 9), ("Amber high", 9), ("Expected low", 9),
                 ("Expected high", 9), ("In force from", 10),
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
    if fast_styles:
        floor_shortcuts.save(wb, path)
    else:
        wb.save(path)

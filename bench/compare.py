"""Do two saved workbooks hold the same things? Values, looks, merges, widths, heights,
panes, conditional formats, tables, charts, print set-up and names, compared sheet by sheet,
so that the bare floor is known to write what ``xl-scorecard build`` writes."""

from __future__ import annotations

from openpyxl.utils import get_column_letter


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

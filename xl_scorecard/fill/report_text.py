"""What `map` and `fill` print: the map found, the cells written, the formulas kept."""

from __future__ import annotations

import json

from .filling import FillReport, MapFound

LIMIT = 20  # unmatched rows and missing indicators listed before "... and N more"


def _shown(value) -> str:
    if value is None:
        return "(empty)"
    if isinstance(value, float):
        return f"{value:.15g}"
    return repr(value) if isinstance(value, str) else str(value)


def _what(cell) -> str:
    return f"{cell.indicator} {cell.field}" if cell.indicator else cell.field


def map_text(found: MapFound) -> str:
    m = found.mapping
    origin = "found automatically" if found.automatic else "from rules.json"
    lines = [f"map ({origin}): sheet {m.sheet!r}, header row {m.header_row}"]
    for key, letter in m.match.items():
        lines.append(f"  match {key:<13} column {letter}  {_shown(found.headers.get(letter))}")
    for name, letter in m.columns.items():
        lines.append(f"  write {name:<13} column {letter}  {_shown(found.headers.get(letter))}")
    if m.month_cell:
        lines.append(f"  month cell          {m.month_cell}")
    if m.rag_letters:
        lines.append("  ratings are written as G, A and R, as the sheet shows them")
    if m.percent_as_fraction:
        lines.append("  percentages are written as fractions (0.286 for 28.6%): the result cells "
                     "are formatted as Excel percentages")
    match = found.match
    lines.append(f"{len(match.rows)} indicator(s) matched to rows")
    if match.unmatched:
        lines.append(f"{len(match.unmatched)} row(s) name no indicator (left alone):")
        lines += [f"  row {row}: {text}" for row, text in match.unmatched[:LIMIT]]
        if len(match.unmatched) > LIMIT:
            lines.append(f"  ... and {len(match.unmatched) - LIMIT} more")
    if match.missing:
        more = len(match.missing) - LIMIT
        lines.append(f"{len(match.missing)} indicator(s) found on no row (not filled): "
                     + ", ".join(match.missing[:LIMIT])
                     + (f" ... and {more} more" if more > 0 else ""))
    for row, ids in match.doubled:
        lines.append(f"row {row} is claimed by {', '.join(ids)}")
    return "\n".join(lines) + "\n"


def map_json(found: MapFound) -> str:
    return json.dumps({"workbook": found.mapping.as_json()}, indent=2, ensure_ascii=False) + "\n"


def fill_text(report: FillReport) -> str:
    sheet = report.found.mapping.sheet
    lines = []
    if report.found.automatic:
        lines.append(f"no 'workbook' section in rules.json: used the map found automatically "
                     f"(sheet {sheet!r}, header row {report.found.mapping.header_row}); save it "
                     "with xl-scorecard map --write-rules")
    verb = "would write" if report.dry_run else "wrote"
    if report.dry_run:
        for cell, old in report.written:
            lines.append(f"  {sheet}!{cell.ref} ({_what(cell)}): {_shown(old)} -> "
                         f"{_shown(cell.value)}")
    for cell, formula in report.overwritten_formulas:
        lines.append(f"  {sheet}!{cell.ref}: formula {formula} replaced by {_shown(cell.value)}")
    if report.kept_formulas:
        lines.append(f"kept {len(report.kept_formulas)} cell(s) holding your formulas "
                     "(--overwrite-formulas replaces those that are not shared with other cells):")
        for cell, _, formula in report.kept_formulas:
            lines.append(f"  {sheet}!{cell.ref} ({_what(cell)}): {formula}")
    if report.rag_colours:
        lines.append(f"RAG cells {report.rag_colours} have no conditional formatting: "
                     f"{'would add' if report.dry_run else 'added'} xl_scorecard's Green/Amber/Red "
                     "colours")
    if report.absent:
        lines.append(f"mapped but not in these results, left alone: {', '.join(report.absent)}")
    missing = report.found.match.missing
    if missing:
        lines.append(f"{len(missing)} indicator(s) found on no row, not filled: "
                     + ", ".join(missing[:LIMIT]) + (" ..." if len(missing) > LIMIT else ""))
    lines.append(f"{verb} {len(report.written)} cell(s) of sheet {sheet!r} for {report.month.label}"
                 + ("" if report.dry_run else f" in {report.path}"))
    return "\n".join(lines) + "\n"

"""A Scorecard row of `build --live native`: plain formulas, each with the engine's figure cached.

The rate reads the row's Num and Denom cells; the target, floor and bands are read from the Rules
sheet (the thresholds in force), so editing a figure or a threshold recalculates the value, the
rating, the arrows and the counts in any spreadsheet application. Three working columns beside
the ID (hidden, outside the print area) hold the value as rated and the change in performance
against the previous result and the outturn; the arrows read them. When the report has lead
indicators a fourth holds every row's range status (rated value against the Rules sheet's
expected bounds), which the Summary counts; an unrated lead indicator shows it as its RAG.
A count indicator's value is its Num cell.
"""

from __future__ import annotations

import math

from ..core.direction import gains
from ..core.rag import judged_values
from . import native_formulas as nf
from .model import SheetLayout, cell_ref, plain_number, range_style
from .rules_sheet import RULES_SHEET, rules_column

WORKING_HEADERS = ("Rated value", "Change vs previous", "Change vs outturn")


RULES_KEYS = ("target", "floor", "green_low", "green_high", "amber_low", "amber_high",
              "expected_low", "expected_high")


def put_native_row(sheet: SheetLayout, row: int, r, cols, multiplier: float, rules_row: int,
                   tolerance: float, basis: str, fmt: str, is_rated: bool = True) -> None:
    """Value, target, RAG, arrows and range status of one indicator as native formulas (``cols``:
    column map; a "range" entry when the workbook has a range-status column; ``is_rated`` False
    for a threshold with "rated": false)."""
    ref = {name: cell_ref(row, col) for name, col in cols.items()}
    rules = {key: nf.reference(RULES_SHEET, cell_ref(rules_row, rules_column(key), absolute=True))
             for key in RULES_KEYS}

    target = rules["target"]
    sheet.put(row, cols["target"], plain_number(r.target), "number", fmt,
              formula=f'IF({target}="","",{target})')
    flag = getattr(r, "flag", "")
    if flag == "unavailable":   # printed "-", treated as blank: no rating, arrows or status
        _put_unavailable(sheet, row, cols)
        return
    latest_fmt = fmt + '"*"' if flag == "provisional" else fmt   # a provisional figure: 84.4%*
    has_pair = not (math.isnan(r.numerator) or math.isnan(r.denominator)) and r.measure != "count"
    is_count = r.measure == "count" and not math.isnan(r.numerator) and r.value == r.numerator
    if has_pair:
        sheet.put(row, cols["latest"], plain_number(r.value), "number", latest_fmt,
                  formula=nf.value_formula(ref["num"], ref["denom"], multiplier))
    elif is_count:
        sheet.put(row, cols["latest"], plain_number(r.value), "number", latest_fmt,
                  formula=nf.count_value_formula(ref["num"]))
    else:
        sheet.put(row, cols["latest"], plain_number(r.value), "number", latest_fmt)

    rated = judged_values(r.value, r.decimals, basis == "displayed")
    sheet.put(row, cols["rated"], plain_number(rated), "number",
              formula=nf.rated_value_formula(ref["latest"], r.decimals, basis))
    polarity = r.polarity or ""
    status = getattr(r, "range_status", "")
    in_range = nf.range_formula(ref["rated"], rules["expected_low"], rules["expected_high"])
    if "range" in cols:
        sheet.put(row, cols["range"], status, "centre", formula=in_range)
    if polarity in ("H", "L", "T") and is_rated:
        sheet.put(row, cols["rag"], r.rag, "rag", formula=nf.rag_formula(
            polarity, ref["rated"], ref["target"], rules["floor"],
            (rules["green_low"], rules["green_high"]), (rules["amber_low"], rules["amber_high"])))
    else:  # not rated (no polarity, "rated": false): a lead indicator's range status, else blank
        sheet.put(row, cols["rag"], status, range_style(status) if status else "rag",
                  formula=in_range)
    for earlier, gain_col, arrow_col, cached in (
            ("previous", "gain_previous", "dot_previous", r.dot_previous),
            ("outturn", "gain_outturn", "dot_outturn", r.dot_outturn)):
        change = gains(r.value, getattr(r, earlier), polarity, r.target, r.green_low, r.green_high)
        sheet.put(row, cols[gain_col], plain_number(change), "number", formula=nf.gain_formula(
            polarity, ref["latest"], ref[earlier], ref["target"],
            (rules["green_low"], rules["green_high"])))
        sheet.put(row, cols[arrow_col], cached, "arrow",
                  formula=nf.dot_formula(ref[gain_col], tolerance))


def _put_unavailable(sheet: SheetLayout, row: int, cols) -> None:
    """An "unavailable" figure: "-" as the result and blank working cells, rating and arrows
    (static: "-" is no number for a formula to rate)."""
    sheet.put(row, cols["latest"], "-", "number")
    for key in ("rated", "gain_previous", "gain_outturn"):
        sheet.put(row, cols[key], None, "number")
    if "range" in cols:
        sheet.put(row, cols["range"], "", "centre")
    sheet.put(row, cols["rag"], "", "rag")
    sheet.put(row, cols["dot_previous"], "", "arrow")
    sheet.put(row, cols["dot_outturn"], "", "arrow")

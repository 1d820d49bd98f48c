"""Helpers for the native-formula workbook tests: the boundary-case scorecard, LibreOffice
recalculating many workbooks in one call, and the engine's figure expected in every cell.

Expected figures are worked out here from the engine's results with pandas and the decimal
module (rounding half away from zero at 15 significant digits), not read back from the layout.
"""

from __future__ import annotations

import functools
import math
import shutil
import subprocess
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import openpyxl
from openpyxl.utils import get_column_letter

from xl_scorecard.layout import scorecard as card
from xl_scorecard.writers.cached_values import add_cached_values

from test_rag_boundaries import H_CASES, L_CASES, T_CASES
from test_ranges import CASES as RANGE_CASES

# LibreOffice's setting "Recalculation on file load" for Excel 2007 and newer: 0 = always.
# Without it LibreOffice keeps many cached values as they are in the file.
FORCE_RECALC_XCU = """<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry"
  xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Office.Calc/Formula/Load"><prop oor:name="OOXMLRecalcMode"
  oor:op="fuse"><value>0</value></prop></item>
</oor:items>
"""
WRONG = "WRONG"  # the cached value planted in every formula cell before LibreOffice opens it

H_RULE = {"from": "2012-04", "target": 85, "floor": 76.5}
L_RULE = {"from": "2012-04", "target": 10, "floor": 11}
T_RULE = {"from": "2012-04", "target": 20, "green": [18, 23], "amber": [15, 27]}
NO_AMBER = {"H": {"from": "2012-04", "target": 90, "floor": None},
            "L": {"from": "2012-04", "target": 10, "floor": None},
            "T": {"from": "2012-04", "target": 20, "green": [18, 23], "amber": None}}
LATER = {"from": "2015-04", "target": 85, "floor": 76.5}

# (polarity, latest, previous, target, tolerance) for direction of travel, incl. its boundaries
DOT_CASES = [
    ("H", 85, 80, None, 0), ("H", 80, 85, None, 0), ("H", 85, 85, None, 0),
    ("L", 28.6, 28.7, None, 0), ("L", 28.7, 28.6, None, 0), ("L", 5, 5, None, 0),
    ("T", 21, 25, 20, 0), ("T", 19, 15, 20, 0), ("T", 16, 22, 20, 0), ("T", 18, 22, 20, 0),
    ("T", 30, 25, 20, 0), ("T", 20, 20, 20, 0), ("H", 98.94, 98.86, None, 0),
    ("H", 0.1 + 0.2, 0.3, None, 0), ("H", 85.4, 85.0, None, 0.5), ("H", 85.5, 85.0, None, 0.5),
    ("H", 85.6, 85.0, None, 0.5), ("H", 84.5, 85.0, None, 0.5), ("H", 84.4, 85.0, None, 0.5),
    ("L", 85.3, 85.2, None, 0.1), ("L", 85.2, 85.3, None, 0.1), ("T", 20.5, 21, 20, 0.5),
    ("T", 19.4, 20.5, 20, 0.5),
]


def _values(params):
    return [p.values for p in params]


def boundary_document() -> tuple[dict, list[tuple]]:
    """(rules document, data rows) with one indicator per boundary case, reported for 2012-05.

    Every RAG case of tests/test_rag_boundaries.py is here, as a given value (the rating formula
    rounds it) and, for percentages, as numerator and denominator (the value formula divides);
    then no Amber, rag_basis unrounded, no thresholds in force, zero and missing denominators,
    no polarity, and direction-of-travel cases with their tolerance boundaries.
    """
    indicators, rows = [], []

    def add(polarity, thresholds, latest, previous=None, outturn=None, pair=None, **extra):
        ident = f"B{len(indicators) + 1:03d}"
        ind = {"id": ident, "ref": str(len(indicators) + 1), "name": f"Boundary case {ident}",
               "section": f"{polarity or 'none'} cases", "polarity": polarity, "period": "SS",
               "measure": "percent", "decimals": 1, "thresholds": thresholds, **extra}
        indicators.append(ind)
        if pair:
            rows.append((ident, "2012-05", pair[0], pair[1], None))
        else:
            rows.append((ident, "2012-05", None, None, latest))
        for month, value in (("2012-04", previous), ("2012-03", outturn)):
            if value is not None:
                rows.append((ident, month, None, None, value))

    for polarity, rule, cases in (("H", H_RULE, H_CASES), ("L", L_RULE, L_CASES),
                                  ("T", T_RULE, T_CASES)):
        for value, _expected in _values(cases):
            add(polarity, [rule], value, previous=value - 0.05, outturn=value + 0.05)
            add(polarity, [rule], None, pair=(value, 100))
            add(polarity, [rule], None, pair=(value * 3, 300))
    for polarity, rule in NO_AMBER.items():
        for value in (89.9, 89.95, 90, 10, 10.1, 17.9, 23, 0):
            add(polarity, [rule], value)
    for value in (84.95, 84.9999, 85, 76.45, 76.5):
        add("H", [H_RULE], value, previous=84.9, rag_basis="unrounded")
    add("H", [LATER], 95, previous=10)                       # no thresholds in force: no RAG
    add("H", [], 95, previous=10)                            # empty thresholds
    add("H", [{"from": "2012-04", "target": None, "floor": None}], 95)
    add(None, [H_RULE], 95, previous=10)                     # no polarity: no RAG, no arrow
    add("H", [H_RULE], None, pair=(5, 0))                    # zero denominator: blank
    add("H", [H_RULE], None, previous=80)                    # no figure this month
    add("H", [{"from": "2012-04", "target": 29, "floor": 26}], None, pair=(0.285, 1), decimals=0)
    add("H", [{"from": "2012-04", "target": 1.01, "floor": 1}], 1.005, decimals=2)
    add("T", [{**T_RULE, "from": "2015-04"}], 21, previous=25)  # T without a target: no arrow
    for polarity, latest, previous, target, tolerance in DOT_CASES:
        rule = {"H": H_RULE, "L": L_RULE, "T": {**T_RULE, "target": target or 20}}[polarity]
        add(polarity, [rule], latest, previous=previous, outturn=previous,
            **({"dot_tolerance": tolerance} if tolerance else {}))
    for measure, extra, pair in (("rate", {"per": 10000}, (2064, 312597)),
                                 ("average", {}, (1995, 100)), ("count", {}, (26, None))):
        add("H", [{"from": "2012-04", "target": 60, "floor": 50}], None, pair=pair,
            measure=measure, **extra)
    return {"scorecard": {"title": "Boundary cases"}, "indicators": indicators}, rows


def range_document() -> tuple[dict, list[tuple]]:
    """(rules document, data rows) with one lead indicator per case of tests/test_ranges.py
    (exactly on low, on high, either side, one-sided, blank, no range), each as a given value and,
    when there is one, as a percentage's numerator and denominator and as a count; then a rated
    indicator that also has a range (its status is counted, not shown) and a range not yet in
    force. Reported for 2012-05."""
    indicators, rows = [], []

    def add(value, low, high, decimals, status, measure="percent", pair=None, polarity=None,
            later=False):
        ident = f"R{len(indicators) + 1:03d}"
        bounds = [None if math.isnan(low) else low, None if math.isnan(high) else high]
        entry = ({"from": "2012-04", "expected": bounds} if bounds != [None, None]
                 else {"from": "2012-04", "target": None, "floor": None})
        if polarity:
            entry.update(target=85, floor=76.5)
        thresholds = [entry] + ([{"from": "2015-04", "expected": [0, 1]}] if later else [])
        indicators.append({"id": ident, "ref": str(len(indicators) + 1),
                           "name": f"Range case {ident}: {status or 'blank'}",
                           "section": "Lead indicators", "polarity": polarity, "period": "SS",
                           "measure": measure, "decimals": decimals, "thresholds": thresholds})
        given = None if pair or math.isnan(value) else value
        rows.append((ident, "2012-05", *(pair or (None, None)), given))

    for value, low, high, decimals, status in RANGE_CASES:   # the name says the status due
        add(value, low, high, decimals, status)
        if not math.isnan(value):
            add(value, low, high, decimals, status, pair=(value * 3, 300))
            if float(value).is_integer():
                add(value, low, high, decimals, status, measure="count", pair=(value, None))
    add(90, 70, 88, 1, "Green and Above", polarity="H")
    add(80, 70, 88, 1, "Amber and Within", polarity="H", pair=(240, 300))
    add(95, 80, 100, 1, "Within", later=True)          # the later range is not in force yet
    return {"scorecard": {"title": "Range cases"}, "indicators": indicators}, rows


# --------------------------------------------------------------------------- LibreOffice


CHECKED_SHEETS = ("Scorecard", "Summary")  # where the native formulas are


@functools.lru_cache(maxsize=None)
def sheet_cells(path: Path, data_only: bool = False) -> dict[tuple[str, str], object]:
    """{(sheet, "F9"): value} for the Scorecard and Summary sheets (read-only, so quick)."""
    book = openpyxl.load_workbook(path, read_only=True, data_only=data_only)
    try:
        return {(name, f"{get_column_letter(c.column)}{c.row}"): c.value
                for name in CHECKED_SHEETS for row in book[name].iter_rows()
                for c in row if getattr(c, "column", None) is not None}
    finally:
        book.close()


def formula_cells(path: Path) -> dict[tuple[str, str], str]:
    """{(sheet, "F9"): formula text} for every formula cell of the Scorecard and Summary."""
    return {key: v for key, v in sheet_cells(path).items()
            if isinstance(v, str) and v.startswith("=")}


def poisoned_copy(path: Path, target: Path) -> Path:
    """A copy of the workbook whose every formula cell caches the text WRONG."""
    wrong: dict[str, dict[str, str]] = {}
    for sheet, ref in formula_cells(path):
        wrong.setdefault(sheet, {})[ref] = WRONG
    target.write_bytes(add_cached_values(path.read_bytes(), wrong))
    return target


def recalculate(paths: list[Path], out_dir: Path, profile: Path) -> list[Path]:
    """LibreOffice opens every workbook (one soffice call), recalculating every formula on load
    as the profile forces, and saves it again as .xlsx in ``out_dir`` with its computed values."""
    (profile / "user").mkdir(parents=True, exist_ok=True)
    (profile / "user" / "registrymodifications.xcu").write_text(FORCE_RECALC_XCU, encoding="utf-8")
    out_dir.mkdir(parents=True, exist_ok=True)
    command = [shutil.which("soffice"), f"-env:UserInstallation={profile.as_uri()}", "--headless",
               "--norestore", "--convert-to", "xlsx", "--outdir", str(out_dir),
               *(str(p) for p in paths)]
    done = subprocess.run(command, capture_output=True, text=True, timeout=600)
    outputs = [out_dir / p.name for p in paths]
    missing = [p.name for p in outputs if not p.exists()]
    assert not missing, (missing, done.stdout, done.stderr)
    return outputs


def computed_values(path: Path, cells) -> dict[tuple[str, str], object]:
    """The values a workbook stores for ``cells`` ("" for a blank), as saved, not recalculated."""
    stored = sheet_cells(path, data_only=True)
    return {key: _blank(stored.get(key)) for key in cells}


def _blank(value):
    return "" if value is None else value


# --------------------------------------------------------------------------- the engine's figures


def snap15(x: float) -> float:
    """x at 15 significant digits, through decimal text (independent of core.rounding)."""
    return float(f"{x:.15g}")


def displayed(x: float, decimals: int) -> float:
    scaled = Decimal(repr(snap15(x * 10 ** decimals)))
    return float(scaled.quantize(Decimal(1), rounding=ROUND_HALF_UP)) / 10 ** decimals


def change(polarity: str, latest: float, earlier: float, target: float,
           band=(math.nan, math.nan)) -> float:
    """The change in performance; T without a target: how much closer to the green band."""
    new, old = snap15(latest), snap15(earlier)
    gain = {"H": new - old, "L": old - new}.get(polarity)
    if polarity == "T" and math.isnan(target):
        outside = lambda x: max(band[0] - x, x - band[1], 0)  # noqa: E731
        gain = outside(old) - outside(new)
    elif polarity == "T":
        gain = abs(old - target) - abs(new - target)
    return snap15(gain)


def range_status(judged: float, low: float, high: float) -> str:
    """Below/Within/Above, bounds inclusive, either may be open (NaN); '' for no value or range."""
    if math.isnan(judged) or (math.isnan(low) and math.isnan(high)):
        return ""
    if not math.isnan(low) and judged < low:
        return "Below"
    return "Above" if not math.isnan(high) and judged > high else "Within"


def expected_cells(path: Path, results, rules) -> dict[tuple[str, str], object]:
    """What every formula cell of a native Scorecard and Summary must hold, by indicator ID.

    Range statuses are worked out here from the displayed value and the bounds in force, and
    must also equal the engine's ``range_status``."""
    id_col = get_column_letter(card.ID_COL)
    row_of = {value: int(ref[len(id_col):]) for (sheet, ref), value in sheet_cells(path).items()
              if sheet == "Scorecard" and ref.startswith(id_col) and ref[len(id_col):].isdigit()
              and int(ref[len(id_col):]) > card.HEADER_ROW}
    want: dict[tuple[str, str], object] = {}
    header = {value: ref for (sheet, ref), value in sheet_cells(path).items()
              if sheet == "Scorecard" and ref.endswith(str(card.HEADER_ROW))
              and ref[:-len(str(card.HEADER_ROW))].isalpha()}
    leads = bool(results[["expected_low", "expected_high"]].notna().any(axis=None))
    assert (card.RANGE_HEADER in header) == leads, "a range-status column iff lead indicators"
    range_col = card.GAIN_OUTTURN + 1
    if leads:
        assert header[card.RANGE_HEADER] == f"{get_column_letter(range_col)}{card.HEADER_ROW}"

    def put(row, col, value):
        if isinstance(value, float) and math.isnan(value):
            value = ""
        want[("Scorecard", f"{get_column_letter(col)}{row}")] = value

    for r in results.itertuples(index=False):
        row, pol, value = row_of[r.id], r.polarity, r.value
        # an unavailable figure prints "-" (static), as the values workbook does
        put(row, card.LATEST, "-" if getattr(r, "flag", "") == "unavailable" else value)
        put(row, card.TARGET, r.target)
        basis = rules[r.id].rag_basis
        rated = value if basis == "unrounded" or math.isnan(value) else displayed(value, r.decimals)
        status = range_status(rated, r.expected_low, r.expected_high)
        assert status == r.range_status, (r.id, status, r.range_status)
        put(row, card.RAG, r.rag if pol in ("H", "L", "T") and r.target_rated else status)
        put(row, card.RATED, rated)
        if leads:
            put(row, range_col, status)
        for earlier, gain_col, arrow_col, arrow in (
                (r.previous, card.GAIN_PREVIOUS, card.DOT_PREVIOUS, r.dot_previous),
                (r.outturn, card.GAIN_OUTTURN, card.DOT_OUTTURN, r.dot_outturn)):
            band = (r.green_low, r.green_high)
            blank = not pol or math.isnan(value) or math.isnan(earlier) or (
                pol == "T" and math.isnan(r.target) and math.isnan(sum(band)))
            put(row, gain_col, "" if blank else change(pol, value, earlier, r.target, band))
            put(row, arrow_col, arrow)
    rags, previous, outturn = (results[c].value_counts() for c in ("rag", "dot_previous",
                                                                    "dot_outturn"))
    for i, (label, arrow) in enumerate((("Green", "↑"), ("Amber", "→"), ("Red", "↓"))):
        col = get_column_letter(card.POLARITY + 2 * i + 1)
        want[("Scorecard", f"{col}4")] = int(rags.get(label, 0))
        want[("Scorecard", f"{col}5")] = int(previous.get(arrow, 0))
        want[("Summary", f"{'CDE'[i]}5")] = int(rags.get(label, 0))
        if previous.drop("", errors="ignore").sum():
            want[("Summary", f"{'CDE'[i]}8")] = int(previous.get(arrow, 0))
        if outturn.drop("", errors="ignore").sum():
            want[("Summary", f"{'CDE'[i]}9")] = int(outturn.get(arrow, 0))
    want[("Summary", "F5")] = int(rags.drop("", errors="ignore").sum())
    if leads:  # the Expected range table, under the direction counts
        statuses = results["range_status"].value_counts()
        for col, label in zip("CDE", ("Below", "Within", "Above")):
            want[("Summary", f"{col}12")] = int(statuses.get(label, 0))
        want[("Summary", "F12")] = int(statuses.drop("", errors="ignore").sum())
    return want


def committee_copy(path: Path, target: Path) -> Path:
    """The workbook with only the sheets the native formulas use (quicker to evaluate)."""
    book = openpyxl.load_workbook(path)
    for ws in list(book.worksheets):
        if ws.title not in CHECKED_SHEETS + ("Rules",):
            book.remove(ws)
    book.save(target)
    return target


# --------------------------------------------------------------------------- an analyst's edits

# (indicator, what the analyst changes, new value): a numerator on the Scorecard, a target, a
# floor (cleared: no Amber) and a T band edge on the Rules sheet
EDITS = [("SCS01", "numerator", 2600), ("SCS14", "target", 90), ("SCS16", "floor", None),
         ("SCS04", "green_high", 430)]


def edit_workbook(path: Path, target: Path, rules_order: list[str]) -> Path:
    """The native workbook as an analyst leaves it after making EDITS (openpyxl, no values)."""
    from xl_scorecard.layout.rules_sheet import RULES_FIRST_ROW, rules_column

    book = openpyxl.load_workbook(path)
    scorecard = book["Scorecard"]
    row_of = {scorecard.cell(row=r, column=card.ID_COL).value: r
              for r in range(card.HEADER_ROW + 1, scorecard.max_row + 1)}
    for ident, field, value in EDITS:
        if field == "numerator":
            scorecard.cell(row=row_of[ident], column=card.NUM).value = value
        else:
            row = RULES_FIRST_ROW + rules_order.index(ident)
            book["Rules"].cell(row=row, column=rules_column(field)).value = value
    book.save(target)
    return target


def edited_inputs(document: dict, data_frame):
    """The same EDITS made to a rules document and a data table (for the engine)."""
    import copy

    document, frame = copy.deepcopy(document), data_frame.copy()
    for ident, field, value in EDITS:
        if field == "numerator":
            at = (frame["indicator"] == ident) & (frame["period"] == "2012-05")
            frame.loc[at, "numerator"] = value
            continue
        entry = next(i for i in document["indicators"] if i["id"] == ident)["thresholds"][-1]
        if field == "green_high":
            entry["green"][1] = value
        else:
            entry[field] = value
    return document, frame

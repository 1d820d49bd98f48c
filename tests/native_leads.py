"""Native workbooks of the synthetic example in workbooks/examples/ (lead indicators with an
expected range, a count, aggregated, quarterly and annual indicators), for every month of its
history, and the example after an analyst's edits with what the engine says of the same edits.
"""

from __future__ import annotations

import copy
import json
from pathlib import Path

import openpyxl

from xl_scorecard.core.engine import prepare
from xl_scorecard.core.month_report import compute_report
from xl_scorecard.headless.build import write_report
from xl_scorecard.inputs.comparators import load_comparators
from xl_scorecard.inputs.data import check_table, load_data
from xl_scorecard.inputs.rules_file import load_rules, rules_from_dict
from xl_scorecard.layout import scorecard as card
from xl_scorecard.layout.rules_sheet import RULES_FIRST_ROW, rules_column

from conftest import REPO_ROOT

import pandas as pd

EXAMPLE = REPO_ROOT / "workbooks" / "examples"
RULES, DATA, COMPARATORS = (EXAMPLE / "rules.json", EXAMPLE / "anyshire_monthly_2016-2018.csv",
                            EXAMPLE / "anyshire_comparators.csv")
EXAMPLE_MONTHS = [f"{y}-{m:02d}" for y, m in [(2016, m) for m in range(4, 13)]
                  + [(2017, m) for m in range(1, 13)] + [(2018, m) for m in range(1, 4)]]

# (indicator, what the analyst changes, new value) in the 2018-03 workbook: the Num cell of a
# count (lead: Within 4136 -> Above its upper threshold of 4200) and of an aggregated rate (L:
# Red -> Green), and an expected bound of two lead indicators on the Rules sheet
EDITS = [("EX03", "numerator", 4300), ("EX02", "numerator", 3100),
         ("EX07", "expected_high", 13), ("EX01", "expected_low", 500)]


def _inputs(rules):
    data = load_data(DATA, rules)
    data.comparators = load_comparators(COMPARATORS, rules)
    return data


def example_books(folder: Path) -> dict:
    """{"example-YYYY-MM": (native workbook, engine results, rules)} for every month."""
    rules = load_rules(RULES)
    data = _inputs(rules)
    figures = prepare(rules, data)
    books = {}
    for month in EXAMPLE_MONTHS:
        report = compute_report(rules, data, month, figures=figures)
        path = folder / f"example-{month}.xlsx"
        write_report(report, path, live="native")
        books[f"example-{month}"] = (path, report.results, rules)
    return books


def edited_example(path: Path, folder: Path) -> tuple[Path, pd.DataFrame, object]:
    """The 2018-03 workbook after EDITS (openpyxl saves it, so no values are cached) and the
    engine's results for the same edits made to the rules document and the monthly data: a
    Scorecard Num is the period figure, so its change goes to the report month's numerator."""
    rules = load_rules(RULES)
    book = openpyxl.load_workbook(path)
    scorecard = book["Scorecard"]
    row_of = {scorecard.cell(row=r, column=card.ID_COL).value: r
              for r in range(card.HEADER_ROW + 1, scorecard.max_row + 1)}
    document = json.loads(RULES.read_text(encoding="utf-8"))
    frame = pd.read_csv(DATA, dtype=object)
    for ident, field, value in EDITS:
        if field == "numerator":
            cell = scorecard.cell(row=row_of[ident], column=card.NUM)
            at = (frame["indicator"] == ident) & (frame["period"] == "2018-03")
            column = "numerator" if frame.loc[at, "numerator"].notna().all() else "value"  # a count
            frame.loc[at, column] = str(int(frame.loc[at, column].iloc[0]) + value - int(cell.value))
            cell.value = value
            continue
        row = RULES_FIRST_ROW + list(rules.ids).index(ident)
        book["Rules"].cell(row=row, column=rules_column(field)).value = value
        entry = next(i for i in document["indicators"] if i["id"] == ident)["thresholds"][-1]
        entry["expected"][0 if field == "expected_low" else 1] = value
    target = folder / "example-edited.xlsx"
    book.save(target)
    edited_rules = rules_from_dict(copy.deepcopy(document), source=str(RULES))
    data = check_table(frame.where(frame.notna(), None), edited_rules, source="edited.csv")
    data.comparators = load_comparators(COMPARATORS, edited_rules)
    return target, compute_report(edited_rules, data, "2018-03").results, edited_rules

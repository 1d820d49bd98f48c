"""The Data sheet: the input figures the workbook shows, as an Excel table.

By default (``rows="shown"``) it holds the rows of the months the workbook shows: the
Exceptions trend window (the last four months up to the report month), the outturn month,
each indicator's previous result, and every row up to the report month of the indicators
rated Red (their Exceptions chart shows every month available up to it) or shown at their
latest quarterly or annual figure. An indicator built from windows of each month's own
figures keeps the months its shown figures' windows need (from twelve months before the
earliest month shown), not its whole history. That is everything the Refresh macro needs to
recompute the Scorecard, Summary and Exceptions sheets, also after Roll forward once the next
month's rows are pasted in (there, an indicator newly rated Red charts only the months the
sheet holds), and it keeps a batch of many months from writing the whole history into every
workbook. ``rows="all"`` (``--data-sheet all``) keeps every row of the data table.
"""

from __future__ import annotations

from ..core.month_report import MonthReport
from .model import SheetLayout, plain_number

SHEET = "Data"
COLUMNS = ("indicator", "period", "numerator", "denominator", "value")
ROWS = ("shown", "all")


def shown_rows(report: MonthReport) -> list[bool]:
    """True for each data row of a month the workbook shows (see the module docstring), every
    row of the indicators shown at their latest quarterly or annual figure, and for the
    indicators built from windows of monthly figures the months their shown figures' windows
    reach back to (twelve months before the earliest month shown) up to the report month."""
    frame = report.data.frame
    outturn = str(report.month.outturn_month(report.rules.scorecard.year_start_month))
    months = {str(m) for m in report.trend_window()} | {outturn}
    results = report.results
    previous = dict(zip(results["id"].tolist(), results["previous_period"].tolist()))
    blocks = results["rag"] == "Red"
    if "range_status" in results.columns:  # lead indicators outside their range get a block too
        blocks |= results["range_status"].isin(("Below", "Above"))
    charted = set(results.loc[blocks, "id"].tolist())
    # a quarterly or annual figure is the latest one at or before the month: keep them all
    charted |= {ind.id for ind in report.rules.indicators
                if not getattr(ind, "aggregate", None)
                and getattr(ind, "frequency", "monthly") != "monthly"}
    windows = _window_starts(report, previous, charted)
    last = str(report.month)
    return [period in months or previous.get(ident) == period
            or (ident in charted and period <= last)
            or (ident in windows and windows[ident] <= period <= last)
            for ident, period in zip(frame["indicator"].tolist(), frame["period"].tolist())]


def _window_starts(report: MonthReport, previous: dict, charted: set) -> dict:
    """Per indicator built from windows of each month's own figures (issue 9): the first month
    its shown figures need. Every window is at most twelve months long and ends at or before a
    month shown (the trend window, the indicator's previous and outturn results' months, the
    shown figure's own window, which may end before the trend window for a quarterly or
    annual one), so twelve months before the earliest of them is enough; the next month's
    window (Roll forward) starts after it too."""
    results = report.results
    outturns = dict(zip(results["id"].tolist(), results["outturn_period"].tolist()))
    window_from = dict(zip(results["id"].tolist(), results["window_from"].tolist()))
    month_of = {str(m): m for m in report.figures.months}   # results carry months as text
    earliest = report.trend_window()[0]
    starts = {}
    for ind in report.rules.indicators:
        if not getattr(ind, "aggregate", None) or ind.id in charted:
            continue
        shown = [earliest] + [month_of[p] for p in (previous.get(ind.id), outturns.get(ind.id))
                              if p in month_of]
        start = window_from.get(ind.id)           # the shown figure's own window, exactly
        shown += [month_of[start] + 11] if start in month_of else []
        starts[ind.id] = str(min(shown) - 11)
    return starts


def data_sheet(report: MonthReport, rows: str = "shown") -> SheetLayout:
    if rows not in ROWS:
        raise ValueError(f"rows must be one of {ROWS}, not {rows!r}")
    columns = [report.data.frame[c].tolist() for c in COLUMNS]
    keep = shown_rows(report) if rows == "shown" else [True] * len(columns[0])
    order = sorted((i for i, kept in enumerate(keep) if kept),
                   key=lambda i: (columns[1][i], columns[0][i]))  # by month, then indicator
    sheet = SheetLayout(SHEET, widths={1: 12, 2: 10, 3: 12, 4: 12, 5: 12}, freeze=(2, 1),
                        landscape=False, repeat_rows=(1, 1))
    frame = report.data.frame
    flagged = "flag" in frame.columns and bool((frame["flag"] != "").any())
    headers = COLUMNS + ("flag",) if flagged else COLUMNS   # provisional / unavailable, when used
    flags = frame["flag"].tolist() if flagged else None
    sheet.put_row(1, 1, headers, "header")
    body = ([column[i] for column in columns] for i in order)
    for i, (indicator, period, num, den, value) in enumerate(body, start=2):
        sheet.put(i, 1, indicator)
        sheet.put(i, 2, period)
        sheet.put(i, 3, plain_number(num))
        sheet.put(i, 4, plain_number(den))
        sheet.put(i, 5, plain_number(value))
    if flagged:
        for i, index in enumerate(order, start=2):
            sheet.put(i, 6, flags[index] or None)
    sheet.table = ("ScorecardData", 1, 1, max(2, len(order) + 1), len(headers))
    return sheet

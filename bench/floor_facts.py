"""The values the bare floor (bench/bare_build.py) writes, computed from a month's report
before timing: plain Python lists of numbers and strings."""

from __future__ import annotations

import os


def facts_from_report(report) -> dict:
    """Everything the bare script writes, as plain values (run outside the timed region)."""
    import math

    import datetime as dt

    from xl_scorecard.layout.data_sheet import shown_rows
    from xl_scorecard.layout.key import scorecard_key
    from xl_scorecard.layout.model import SheetLayout
    from xl_scorecard.layout.rules_sheet import rules_column, rules_sheet
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
    # The Data sheet holds the rows of the months the workbook shows (build's default).
    frame = report.data.frame[shown_rows(report)].sort_values(["period", "indicator"], kind="stable")
    data_rows = [(i, p, num(n), num(d), num(v)) for i, p, n, d, v in zip(
        *(frame[c].tolist() for c in ("indicator", "period", "numerator", "denominator", "value")))]
    # The Rules sheet's values: the thresholds in force, one row of fields per indicator.
    rules_layout = rules_sheet(report)
    grid: dict[int, dict[int, object]] = {}
    for cell in rules_layout.cells:
        if cell.row >= 4:
            grid.setdefault(cell.row, {})[cell.col] = cell.value
    rules_rows = [[grid[r][c] for c in range(1, rules_column("notes") + 1)] for r in sorted(grid)]
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

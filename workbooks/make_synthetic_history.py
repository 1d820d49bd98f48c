"""Generate workbooks/synthetic_kent_scs_2012-2014.csv: 24 months of SYNTHETIC figures.

The figures are invented (seeded, reproducible) so that trend charts, outturn
arrows and ``xl-scorecard batch`` have a history to show. Only April and May
2012 are real: those rows are copied unchanged from the published sample
(``kent_scs_2012.csv``). Every other month, June 2012 to March 2014, is made up:

* each indicator's result takes a small random walk from its May 2012 value,
  drifting slowly towards its target, so ratings change now and then;
* YTD indicators accumulate: the numerator and denominator grow month by month
  from April and restart each April, as a real year-to-date extract does;
* rates per 10,000 keep the published population (312,597) as denominator;
* counts stay whole and non-negative; percentages stay within 0-100.

Run it from the repository root: ``python workbooks/make_synthetic_history.py``.
The output is committed; a test checks that re-running reproduces it exactly.
"""

from __future__ import annotations

import csv
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from xl_scorecard import Month, load_data, load_rules  # noqa: E402
from xl_scorecard.outputs.atomic import atomic_path  # noqa: E402
from xl_scorecard.core.engine import prepare  # noqa: E402
from xl_scorecard.core.periods import month_range  # noqa: E402

SEED = 20120531
FIRST_SYNTHETIC, LAST = Month(2012, 6), Month(2014, 3)
OUTPUT = ROOT / "workbooks" / "synthetic_kent_scs_2012-2014.csv"


def main(output: Path = OUTPUT) -> None:
    rules = load_rules(ROOT / "rules.json")
    real = load_data(ROOT / "workbooks" / "kent_scs_2012.csv", rules)
    values = prepare(rules, real).values
    rng = np.random.default_rng(SEED)
    rows = [[r.indicator, r.period, _cell(r.numerator), _cell(r.denominator), _cell(r.value)]
            for r in real.frame.itertuples()]
    for ind in rules.indicators:
        may = real.frame[(real.frame.indicator == ind.id) & (real.frame.period == "2012-05")].iloc[0]
        level = float(values.at[ind.id, Month(2012, 5)])
        target = ind.threshold_for(Month(2012, 5)).target
        spread = max(abs(level), abs(target or 0), 1.0) * 0.03
        monthly_den = may.denominator / 2 if ind.period == "YTD" else may.denominator
        for month in month_range(FIRST_SYNTHETIC, LAST):
            pull = 0.08 * ((target if target is not None else level) - level)
            level = level + pull + rng.normal(0, spread)
            if ind.measure == "percent":
                level = min(max(level, 0.0 if may.value != may.value or may.value >= 0 else -5.0), 100.0)
            rows.append(_row(ind, month, level, monthly_den, may, rng))
    rows.sort(key=lambda r: (r[1], int(r[0][3:])))
    with atomic_path(output) as temp, open(temp, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(["indicator", "period", "numerator", "denominator", "value"])
        writer.writerows(rows)
    print(f"wrote {output}: {len(rows)} rows")


def _row(ind, month: Month, level: float, monthly_den: float, may, rng) -> list:
    if may.numerator != may.numerator:  # published as a value only (counts, one percentage)
        value = max(0, round(level)) if ind.measure == "count" else round(level, 1)
        return [ind.id, str(month), "", "", _cell(value)]
    if ind.measure == "rate":  # per 10,000 of a fixed population
        return [ind.id, str(month), _cell(round(level * may.denominator / ind.per)),
                _cell(may.denominator), ""]
    if ind.measure == "average":  # cases per FTE: FTE drifts, cases follow
        fte = round(may.denominator * (1 + rng.normal(0, 0.02)), 1)
        return [ind.id, str(month), _cell(round(level * fte)), _cell(fte), ""]
    months_in = (month.index - month.year_start().index + 1) if ind.period == "YTD" else 1
    den = max(1.0, monthly_den * months_in * (1 + rng.normal(0, 0.05)))
    den = round(den, 1) if may.denominator % 1 else round(den)
    num = round(den * level / 100, 1) if may.numerator % 1 else round(den * level / 100)
    return [ind.id, str(month), _cell(num), _cell(den), ""]


def _cell(value) -> str:
    if value is None or (isinstance(value, float) and value != value):
        return ""
    return f"{value:g}" if isinstance(value, float) else str(value)


if __name__ == "__main__":
    main()

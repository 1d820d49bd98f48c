"""Generate the SYNTHETIC example's monthly data and comparators (seeded, reproducible).

Anyshire is not a real council: every figure is invented. The data table holds each
month's own figures (April 2016 to March 2018) for the aggregated indicators, monthly
figures as given for the workforce ones, quarter-end figures for EX08 and academic-year
results (at August) for EX09; March 2018 is provisional for EX04 and EX05, and EX07's
November 2017 figure is unavailable. Run from the repository root:
``python workbooks/examples/make_example.py``; a test checks it reproduces the files.
"""

from __future__ import annotations

import csv
import sys
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
SEED = 20180331
MONTHS = [f"{y}-{m:02d}" for y, m in [(2016 + (i + 3) // 12, (i + 3) % 12 + 1) for i in range(24)]]


def data_rows(rng) -> list[list]:
    rows = []
    population = 310_000
    for i, month in enumerate(MONTHS):
        population += int(rng.integers(50, 250))
        referrals = int(rng.normal(1300, 90))
        rows.append(["EX01", month, referrals, population, ""])
        rows.append(["EX02", month, int(referrals * rng.uniform(0.19, 0.26)), referrals, ""])
        rows.append(["EX03", month, "", "", int(rng.normal(1350, 80))])
        done = int(rng.normal(600, 40))
        rows.append(["EX04", month, int(done * rng.uniform(0.80 + i * 0.003, 0.92)), done, ""])
        seen = int(rng.normal(500, 30))
        rows.append(["EX05", month, int(seen * rng.uniform(0.68, 0.86)), seen, ""])
        workers = int(rng.normal(420, 10))
        rows.append(["EX06", month, int(workers * rng.uniform(16, 21.5)), workers, ""])
        rows.append(["EX07", month, int(workers * rng.uniform(0.08, 0.17)), workers, ""])
        in_care = int(rng.normal(1500, 40))
        rows.append(["EX10", month, int(in_care * rng.uniform(0.86, 0.95)), in_care, ""])
        if month[5:] in ("06", "09", "12", "03") and month != "2018-03":   # Q4 2017/18 not yet in
            leavers = int(rng.normal(200, 10))
            rows.append(["EX08", month, int(leavers * rng.uniform(0.82, 0.94)), leavers, ""])
        if month[5:] == "08":
            rows.append(["EX09", month, "", "", int(rng.integers(28, 40))])
    flags = {("EX05", "2018-03"): "provisional", ("EX04", "2018-03"): "provisional",
             ("EX07", "2017-11"): "unavailable"}
    return [row + [flags.get((row[0], row[1]), "")] for row in rows]


COMPARATORS = [
    ["EX01", "England", "2016/17", 548.2], ["EX01", "Statistical neighbours", "2016/17", 521.0],
    ["EX02", "England", "2016/17", 21.9], ["EX02", "Statistical neighbours", "2016/17", 23.4],
    ["EX02", "South East", "2017-12", 22.8],
    ["EX04", "England", "2016/17", 82.9], ["EX04", "Statistical neighbours", "2016/17", 84.1],
    ["EX06", "England", "2017", 17.8],
    ["EX08", "England", "2016/17", 84.0], ["EX08", "Statistical neighbours", "2016/17", 86.0],
    ["EX09", "England", "2016", 25.0], ["EX09", "England", "2017", 32.0],
    ["EX09", "Statistical neighbours", "2017", 30.0],
]


def write(path: Path, header: list[str], rows: list[list]) -> None:
    with open(path, "w", newline="", encoding="utf-8") as handle:
        out = csv.writer(handle, lineterminator="\n")
        out.writerow(header)
        out.writerows(rows)


def main(folder: Path = HERE) -> None:
    rng = np.random.default_rng(SEED)
    write(folder / "anyshire_monthly_2016-2018.csv",
          ["indicator", "period", "numerator", "denominator", "value", "flag"], data_rows(rng))
    write(folder / "anyshire_comparators.csv", ["indicator", "comparator", "period", "value"], COMPARATORS)


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else HERE)

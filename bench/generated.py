"""Generated inputs for the items: a long monthly history and scorecards of n indicators."""

from __future__ import annotations

import csv
import json
from pathlib import Path

from harness import SYNTHETIC


def make_history(folder: Path, months: int = 120) -> Path:
    """A synthetic data table of ``months`` months from 2012-04: the 24-month synthetic history
    repeated with its months shifted by 24, 48, ... (whole financial years, so YTD figures
    still restart each April)."""
    from xl_scorecard.core.periods import Month

    with open(SYNTHETIC, newline="", encoding="utf-8") as handle:
        rows = list(csv.reader(handle))
    header, body = rows[0], rows[1:]
    out = folder / f"synthetic_{months}_months.csv"
    first = Month(2012, 4)
    with open(out, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(header)
        for shift in range(0, months, 24):
            for row in body:
                month = Month.parse(row[1]) + shift
                if month.index - first.index < months:
                    writer.writerow([row[0], str(month), *row[2:]])
    return out


def make_scaled(folder: Path, n: int) -> tuple[Path, Path]:
    """rules.json and a data table of n indicators: the sample's 44 replicated with new ids
    (SCS01 -> SCS01_0001 for the second copy), each copy under its own section headings."""
    from xl_scorecard.inputs import sample

    document = json.loads(sample.rules_path().read_text(encoding="utf-8"))
    base = document["indicators"]
    indicators, id_of = [], {}
    for i in range(n):
        copy_no, original = divmod(i, len(base))
        ind = dict(base[original])
        new_id = ind["id"] if copy_no == 0 else f"{ind['id']}_{copy_no:04d}"
        id_of.setdefault(ind["id"], []).append(new_id)
        ind["id"] = new_id
        if copy_no:
            ind["section"] = f"{ind.get('section', '')} ({copy_no + 1})"
        indicators.append(ind)
    document["indicators"] = indicators
    document.pop("$schema", None)
    rules_path = folder / f"rules_{n}.json"
    rules_path.write_text(json.dumps(document), encoding="utf-8")
    data_path = folder / f"data_{n}.csv"
    with open(sample.data_path(), newline="", encoding="utf-8") as source, \
            open(data_path, "w", newline="", encoding="utf-8") as target:
        reader, writer = csv.reader(source), csv.writer(target, lineterminator="\n")
        writer.writerow(next(reader))
        for row in reader:
            for new_id in id_of.get(row[0], []):
                writer.writerow([new_id, *row[1:]])
    return rules_path, data_path

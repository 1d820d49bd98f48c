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


# ----------------------------------------------------------------- an aggregated history

AGGREGATED_PERIODS = ("SS", "YTD", "R12M", "Q", "annual")
AGGREGATED_YEAR_STARTS = (4, 9, 1)        # financial, academic, calendar year


def aggregated_rules() -> dict:
    """rules.json of 44 indicators over each month's OWN figures: every period (SS, YTD, R12M,
    Q, annual) x both aggregate kinds x three year starts (30 indicators), plus quarterly and
    annual indicators (figures at the period's end only), lead indicators judged against an
    expected range (some aggregated) and a few given as already aggregated."""
    indicators = []

    def add(**fields):
        number = len(indicators) + 1
        fields.setdefault("thresholds", [{"from": "2012-04", "target": 80, "floor": 70}])
        indicators.append({"id": f"AG{number:02d}", "ref": str(number),
                           "section": fields.pop("section"), "decimals": 1, **fields})

    for start in AGGREGATED_YEAR_STARTS:
        for period in AGGREGATED_PERIODS:
            add(name=f"Assessments on time ({period}, year from month {start})", polarity="H",
                period=period, measure="percent", aggregate="sum", year_start_month=start,
                section=f"SUMMED (year from month {start})")
            add(name=f"Referrals per 10,000 children ({period}, year from month {start})",
                polarity="L", period=period, measure="rate", per=10000,
                aggregate="sum_over_latest", year_start_month=start,
                section=f"OVER THE LATEST POPULATION (year from month {start})",
                thresholds=[{"from": "2012-04", "target": 4 * _WINDOW[period],
                                         "floor": 4.4 * _WINDOW[period]}])
    for start in (4, 9):
        add(name=f"Care leavers in suitable accommodation (quarterly, year from month {start})",
            polarity="H", period="Q", measure="percent", frequency="quarterly",
            year_start_month=start, section="QUARTERLY AND ANNUAL")
        add(name=f"Pupils reaching the expected standard (annual, year from month {start})",
            polarity="H", period="annual", measure="percent", frequency="annual",
            year_start_month=start, max_age_months=15, section="QUARTERLY AND ANNUAL")
    add(name="Contacts in the quarter (lead indicator, quarterly figures)", polarity=None,
        period="Q", measure="count", decimals=0, frequency="quarterly", section="QUARTERLY AND ANNUAL",
        thresholds=[{"from": "2012-04", "expected": [3000, 4200]}])
    for period in ("SS", "R12M", "Q"):
        add(name=f"Contacts ({period}, lead indicator)", polarity=None, period=period,
            measure="count", decimals=0, aggregate="sum", section="LEAD INDICATORS",
            thresholds=[{"from": "2012-04", "expected": [1200 * _WINDOW[period] * 0.9,
                                                         1200 * _WINDOW[period] * 1.1]}])
    add(name="Staff seen in supervision (lead indicator)", polarity=None, period="SS",
        measure="percent", section="LEAD INDICATORS",
        thresholds=[{"from": "2012-04", "expected": [70, 90]}])
    add(name="Staff seen in supervision, rolling year (lead indicator)", polarity=None,
        period="R12M", measure="percent", aggregate="sum", section="LEAD INDICATORS",
        thresholds=[{"from": "2012-04", "expected": [None, 85]}])
    while len(indicators) < 44:
        add(name=f"Children seen alone (already aggregated, {len(indicators) + 1})", polarity="H",
            period="YTD", measure="percent", section="AS GIVEN")
    return {"scorecard": {"title": "Scorecard over each month's own figures (SYNTHETIC, bench)",
                          "organisation": "Benchshire (synthetic)",
                          "service": "Children's Services", "year_start_month": 4},
            "indicators": indicators}


_WINDOW = {"SS": 1, "YTD": 12, "R12M": 12, "Q": 3, "annual": 12}


def _figure(seed: int, step: int, low: int, high: int) -> int:
    """A deterministic pseudo-random whole number in [low, high] (a multiplicative hash)."""
    return low + (seed * 2654435761 + step * 40503 + 12345) % 4294967291 % (high - low + 1)


def make_aggregated(folder: Path, months: int = 120) -> tuple[Path, Path]:
    """rules.json (``aggregated_rules``) and a data table of ``months`` months from 2012-04 of
    each month's own figures: numerators and denominators for the aggregated indicators, the
    population for the rates, figures at quarter or year ends only for the quarterly and annual
    ones. Deterministic: the same files every time (no random generator, no clock)."""
    from xl_scorecard.core.periods import Month

    document = aggregated_rules()
    rules_path = folder / "rules_aggregated.json"
    rules_path.write_text(json.dumps(document, indent=1), encoding="utf-8")
    data_path = folder / f"aggregated_{months}_months.csv"
    first = Month(2012, 4)
    with open(data_path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(["indicator", "period", "numerator", "denominator", "value"])
        for step in range(months):
            month = first + step
            for seed, ind in enumerate(document["indicators"], start=1):
                row = _row(ind, seed, step, month)
                if row is not None:
                    writer.writerow([ind["id"], str(month), *row])
    return rules_path, data_path


def _row(ind: dict, seed: int, step: int, month) -> list | None:
    start = ind.get("year_start_month", 4)
    into_year = (month.month - start) % 12
    frequency = ind.get("frequency", "monthly")
    if frequency == "quarterly" and into_year % 3 != 2 or frequency == "annual" and into_year != 11:
        return None
    if ind["measure"] == "count":                   # a quarter's total when given per quarter
        return ["", "", _figure(seed, step, 1050, 1350) * (1 if ind.get("aggregate") else 3)]
    if ind["measure"] == "rate":
        return [_figure(seed, step, 110, 150), 300_000 + 120 * step]
    denominator = _figure(seed, step, 400, 650)
    if not ind.get("aggregate"):                     # already aggregated: the value as given
        return ["", "", _figure(seed, step, 650, 950) / 10]
    share = _figure(seed + 1000, step, 70, 95)
    return [denominator * share // 100, denominator, ""]

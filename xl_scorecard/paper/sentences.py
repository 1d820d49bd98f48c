"""One indicator's paragraph and its rating, from one function, so the two cannot disagree.

``statement(row, indicator)`` takes a row of ``compute_month``'s results (today's columns,
and issue 9's ``range_status``, ``expected_low/high``, ``as_at``, ``flag``, ``target_rated``
and ``cmp:<name>`` columns when present) and returns the rating it judged and the words.
The rating is judged by the core's ``rag_codes`` on the same value the relation words are
judged on (the figure as displayed, unless the indicator says ``rag_basis: unrounded``);
tests check that it equals the engine's ``rag`` for every row.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Mapping

from ..core import rag
from ..core.display import displayed, format_threshold, format_value
from ..core.periods import Month
from ..core.rules import Indicator
from . import wording as w

GROUPS = ("Green", "Amber", "Red", "lead", "unrated")


@dataclass(frozen=True)
class Statement:
    """What the paper says about one indicator."""

    id: str
    ref: str
    name: str
    group: str          # one of GROUPS
    rating: str         # "Green", "Amber", "Red" or ""
    relation: str       # above, equals, below, within, above_range, below_range, or ""
    text: str


def _num(value) -> float:
    try:
        number = float(value)
    except (TypeError, ValueError):
        return math.nan
    return number


def _text(row: Mapping, key: str) -> str:
    value = row.get(key, "")
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    return str(value)


class Units:
    """Numbers of one indicator as the scorecard displays them, with the unit for sentences."""

    def __init__(self, measure: str, decimals: int, per: float | None):
        self.measure, self.decimals = measure, int(decimals)
        self.suffix = (" " + w.RATE_UNIT.format(per=f"{per:,.0f}")) if measure == "rate" and per else ""

    def shown(self, value) -> str:
        return format_value(_num(value), self.measure, self.decimals) + self.suffix

    def threshold(self, value) -> str:
        return format_threshold(_num(value), self.measure) + self.suffix

    def range_start(self, value) -> str:
        """The low end of a range: '17.5%' but '489.33' (the rate's unit follows the high end)."""
        return format_threshold(_num(value), self.measure)

    def displayed(self, value) -> float:
        return displayed(_num(value), self.decimals)

    def amount(self, delta: float) -> str:
        """A difference of displayed values: '0.2 percentage points', '12.3 per 10,000', '5'."""
        size = abs(displayed(delta, self.decimals))
        number = f"{size:,.{self.decimals}f}"
        if self.measure == "percent":
            return f"{number} {w.PERCENTAGE_POINT if size == 1 else w.PERCENTAGE_POINTS}"
        return number + self.suffix


    def gap(self, delta: float) -> str:
        """``amount`` followed by a space, or nothing when it rounds to zero."""
        if displayed(abs(delta), self.decimals) == 0:
            return ""
        return self.amount(delta) + " "


def subject(name: str) -> str:
    """The indicator's name as the subject of a sentence: 'The percentage of ...'."""
    name = name.strip().rstrip(".").strip()
    first = name.split(" ", 1)[0]
    if first in w.ARTICLE_WORDS:
        return "The " + name[0].lower() + name[1:]
    return name


def when(period: str, month: str, as_at: str = "") -> str:
    """'at the end of May 2012', 'in the year to May 2012', 'for Q1 2018/19'."""
    if as_at:
        return w.AS_AT_WHEN.format(as_at=as_at)
    label = Month.parse(month).label if month else ""
    return w.PERIOD_WHEN.get(period, "in {month}").format(month=label)


def judge(row: Mapping, indicator: Indicator | None = None) -> tuple[str, str]:
    """(rating, relation) of a result row, judged on one value with the core's RAG rules."""
    basis = indicator.rag_basis if indicator is not None else "displayed"
    decimals = int(row["decimals"])
    value = _num(row["value"])
    judged = value if basis == "unrounded" else displayed(value, decimals)
    if math.isnan(judged):
        return "", ""
    polarity = row["polarity"] or ""
    thresholds = [_num(row[k]) for k in ("target", "floor", "green_low", "green_high",
                                        "amber_low", "amber_high")]
    rated = row.get("target_rated", True)
    rated = True if rated is None or (isinstance(rated, float) and math.isnan(rated)) else bool(rated)
    rating = rag.labels(rag.rag_codes(judged, polarity, *thresholds)) if rated else ""
    target, _, low, high, _, _ = thresholds
    if polarity == "T" and not (math.isnan(low) or math.isnan(high)):
        relation = "within" if low <= judged <= high else "above_range" if judged > high else "below_range"
    elif not math.isnan(target) and polarity in ("H", "L", "T", ""):
        relation = "above" if judged > target else "below" if judged < target else "equals"
    else:
        relation = ""
    return str(rating), relation


def statement(row: Mapping, indicator: Indicator | None = None) -> Statement:
    """The paragraph for one result row, and the rating it states."""
    per = indicator.per if indicator is not None else None
    units = Units(row["measure"], row["decimals"], per)
    rating, relation = judge(row, indicator)
    status = _text(row, "range_status")
    group = rating or ("lead" if status in w.RANGE else "unrated")
    parts = [_result_sentence(row, units)]
    if not math.isnan(_num(row["value"])):
        if group == "lead":
            parts.append(_range_sentence(row, units, status))
        else:
            parts.append(_target_sentence(row, units, rating, relation))
        parts.append(_direction_sentence(row, units))
        parts.append(_rating_change_sentence(row, rating))
        parts.append(_comparator_sentence(row, units))
    flag = _text(row, "flag")
    if flag in w.FLAGS:
        parts.append(w.FLAGS[flag])
    text = " ".join(p for p in parts if p)
    return Statement(id=str(row["id"]), ref=_text(row, "ref"), name=str(row["name"]), group=group,
                     rating=rating, relation=relation, text=text)


def _result_sentence(row: Mapping, units: Units) -> str:
    period, as_at = _text(row, "period"), _text(row, "as_at")
    fields = {"subject": subject(str(row["name"])), "latest": units.shown(row["value"]),
              "when": when(period, str(row["month"]), as_at)}
    if math.isnan(_num(row["value"])):
        return w.RESULT_BLANK.format(**fields)
    previous_month = _text(row, "previous_period")
    if math.isnan(_num(row["previous"])) or not previous_month:
        return w.RESULT_ONLY.format(**fields)
    fields["previous"] = units.shown(row["previous"])
    fields["previous_when"] = when(period, previous_month)
    delta = units.displayed(row["value"]) - units.displayed(row["previous"])
    delta = displayed(delta, units.decimals)
    fields["change"] = units.amount(delta)
    template = w.RESULT_ROSE if delta > 0 else w.RESULT_FELL if delta < 0 else w.RESULT_SAME
    return template.format(**fields)


def _target_sentence(row: Mapping, units: Units, rating: str, relation: str) -> str:
    polarity = row["polarity"] or ""
    target = _num(row["target"])
    if not relation:
        return w.NOT_RATED if not polarity else w.NO_TARGET
    shown = units.displayed(row["value"])
    low, high = _num(row["green_low"]), _num(row["green_high"])
    fields = {"target": units.threshold(target), "floor": units.threshold(row["floor"]),
              "low": units.range_start(low), "high": units.threshold(high),
              "amber_low": units.range_start(row["amber_low"]),
              "amber_high": units.threshold(row["amber_high"])}
    if relation in ("within", "above_range", "below_range"):
        edge = high if relation == "above_range" else low
        fields["gap"] = units.gap(shown - edge)
        template = {"within": w.WITHIN_RANGE, "above_range": w.ABOVE_RANGE,
                    "below_range": w.BELOW_RANGE}[relation]
        has_amber = not math.isnan(_num(row["amber_low"]))
        extra = {"Amber": w.AMBER_BAND, "Red": w.RED_BAND if has_amber else w.RED_NO_AMBER}
    else:
        fields["gap"] = units.gap(shown - target)
        template = {"above": w.ABOVE_TARGET, "equals": w.EQUALS_TARGET, "below": w.BELOW_TARGET}[relation]
        has_floor = not math.isnan(_num(row["floor"]))
        extra = {"Amber": w.AMBER_FLOOR, "Red": w.RED_FLOOR if has_floor else w.RED_NO_AMBER}
    if not rating:
        return w.TARGET_NOT_RATED.format(**fields) if polarity else w.NOT_RATED
    return (template + extra.get(rating, "")).format(**fields) + "."


def _range_sentence(row: Mapping, units: Units, status: str) -> str:
    low, high = _num(row.get("expected_low")), _num(row.get("expected_high"))
    fields = {"low": units.threshold(low), "high": units.threshold(high)}
    if status == "Within" and not (math.isnan(low) or math.isnan(high)):
        fields["low"] = units.range_start(low)
    if status == "Within" and math.isnan(low):
        return w.RANGE_WITHIN_UPPER_ONLY.format(**fields)
    if status == "Within" and math.isnan(high):
        return w.RANGE_WITHIN_LOWER_ONLY.format(**fields)
    return w.RANGE[status].format(**fields)


def _direction_sentence(row: Mapping, units: Units) -> str:
    arrow = _text(row, "dot_previous")
    previous_month = _text(row, "previous_period")
    if arrow not in w.DIRECTION or not previous_month:
        return ""
    fields = {"previous_label": Month.parse(previous_month).label}
    same_shown = units.displayed(row["value"]) == units.displayed(row["previous"])
    if same_shown and arrow in w.DIRECTION_HIDDEN:
        return w.DIRECTION_HIDDEN[arrow].format(**fields)
    if not same_shown and arrow == "→":
        return w.DIRECTION_IMMATERIAL.format(**fields)
    return w.DIRECTION[arrow].format(**fields)


def _rating_change_sentence(row: Mapping, rating: str) -> str:
    before, previous_month = _text(row, "rag_previous"), _text(row, "previous_period")
    if not (rating and before and previous_month) or before == rating:
        return ""
    return w.RATING_CHANGE.format(before=before, after=rating,
                                  previous_label=Month.parse(previous_month).label)


def comparators(row: Mapping) -> list[tuple[str, float, str]]:
    """(name, value, period) of every ``cmp:<name>`` column with a figure, in column order."""
    found = []
    for key in row.keys():
        if isinstance(key, str) and key.startswith("cmp:") and not key.endswith(":period"):
            value = _num(row[key])
            if not math.isnan(value):
                found.append((key[4:], value, _text(row, f"{key}:period")))
    return found


def _comparator_sentence(row: Mapping, units: Units) -> str:
    found = comparators(row)
    if not found:
        return ""
    periods = {period for _, _, period in found}
    one_period = len(periods) == 1 and "" not in periods
    items = [(w.COMPARATOR_ITEM if one_period or not period else w.COMPARATOR_ITEM_WITH_PERIOD)
             .format(name=name, value=units.shown(value), period=period)
             for name, value, period in found]
    joined = items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]
    if one_period:
        both = "" if len(items) == 1 else w.BOTH if len(items) == 2 else w.ALL
        return w.COMPARATORS_ONE_PERIOD.format(items=joined, both=both, period=periods.pop())
    return w.COMPARATORS_MANY_PERIODS.format(items=joined)

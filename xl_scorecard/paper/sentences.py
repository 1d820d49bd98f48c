"""One indicator's paragraph and its rating, from one function, so the two cannot disagree.

``statement(row, indicator)`` takes a row of ``compute_month``'s results (with issue 9's
``range_status``, ``expected_low/high``, ``as_at``, ``flag``, ``target_rated`` and, with
comparators, ``cmp:<name>`` columns; a row without them is read as before) and returns the rating it judged and the words.
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
MINUS = "\u2212"  # MINUS SIGN: line breaking keeps it with its number, as a hyphen is not kept


def unbroken(figure: str) -> str:
    """A printed figure whose minus sign cannot be left at the end of a line: '\u22121.0%'."""
    return MINUS + figure[1:] if isinstance(figure, str) and figure.startswith("-") else figure


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
        return unbroken(format_value(_num(value), self.measure, self.decimals)) + self.suffix

    def threshold(self, value) -> str:
        return unbroken(format_threshold(_num(value), self.measure, self.decimals)) + self.suffix

    def range_start(self, value) -> str:
        """The low end of a range: '17.5%' but '489.4' (the rate's unit follows the high end)."""
        return unbroken(format_threshold(_num(value), self.measure, self.decimals, side="low"))

    def range_end(self, value) -> str:
        """The high end of a range, as the last displayed figure inside it (22.6 as 22% at no
        decimals), as the data notes print it."""
        return unbroken(format_threshold(_num(value), self.measure, self.decimals,
                                         side="high")) + self.suffix

    def last_inside(self, high) -> float:
        """A band's high edge as printed: the last displayed figure inside the band."""
        return self._inside(high, "high")

    def _inside(self, edge, side: str) -> float:
        text = format_threshold(_num(edge), "count", self.decimals, side=side)
        return float(text.replace(",", "")) if text else math.nan

    def displayed(self, value) -> float:
        return displayed(_num(value), self.decimals)

    def first_inside(self, low) -> float:
        """A band's low edge as printed: the first displayed figure inside the band."""
        return self._inside(low, "low")

    def fine(self, value, places: int | None = None, unit: bool = True) -> str:
        """The figure at ``places`` decimals (default: as given, up to six more than displayed),
        no fewer than displayed and no trailing zeros beyond them: a target of 85.4 beside a
        result shown as 85%. ``unit=False``: a range's low end, whose unit follows the high end."""
        places = self.decimals + 6 if places is None else places
        number = displayed(_num(value), places)
        while places > self.decimals and displayed(number, places - 1) == number:
            places -= 1
        return unbroken(format_value(number, self.measure, places)) + (self.suffix if unit else "")

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


def _judged(row: Mapping, indicator: Indicator | None) -> float:
    """The value the rating is judged on: as displayed, unless ``rag_basis: unrounded``."""
    basis = indicator.rag_basis if indicator is not None else "displayed"
    value = _num(row["value"])
    return value if basis == "unrounded" else displayed(value, int(row["decimals"]))


def judge(row: Mapping, indicator: Indicator | None = None) -> tuple[str, str]:
    """(rating, relation) of a result row, judged on one value with the core's RAG rules.

    The relation to a target is what the reader sees: the figure and the target as printed
    (a target of 84.6 printed as 85% is met by a result shown as 85%); only where the two
    print alike and the rating puts the result short of the target is it judged exactly
    (the sentence then prints the target finely enough to show it)."""
    decimals = int(row["decimals"])
    judged = _judged(row, indicator)
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
        relation = _relation(judged, displayed(_num(row["value"]), decimals), target, decimals,
                             polarity)
    else:
        relation = ""
    return str(rating), relation


def _relation(judged: float, shown: float, target: float, decimals: int, polarity: str) -> str:
    """above, equals (meets) or below the target, as the figures print, unless they print
    alike and the result is short of the target (H below it, L above it)."""
    printed = displayed(target, decimals)
    if shown != printed:
        return "above" if shown > printed else "below"
    met = {"H": judged >= target, "L": judged <= target}.get(polarity, judged == target)
    return "equals" if met else "above" if judged > target else "below"


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
            parts.append(_target_sentence(row, units, rating, relation, _judged(row, indicator)))
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
    if _text(row, "frequency") in ("", "monthly"):  # a monthly figure: its period says when
        as_at = ""
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


def _target_sentence(row: Mapping, units: Units, rating: str, relation: str,
                     judged: float) -> str:
    polarity = row["polarity"] or ""
    target = _num(row["target"])
    if not relation:
        return w.NOT_RATED if not polarity else w.NO_TARGET
    shown = units.displayed(row["value"])
    low, high = _num(row["green_low"]), _num(row["green_high"])
    fields = {"target": units.threshold(target), "floor": units.threshold(row["floor"]),
              "low": units.range_start(low), "high": units.range_end(high),
              "amber_low": units.range_start(row["amber_low"]),
              "amber_high": units.range_end(row["amber_high"])}
    notes = {}  # where a note goes -> the result before rounding, beside an edge printed finely

    def beyond(name: str, edge: float, printed: float, at: str = "relation") -> float:
        """The gap to an edge the result is beyond; where both print alike, the edge (and the
        unrounded result) printed finely enough to tell them apart, and no gap."""
        if shown != printed:
            return shown - printed
        places = _apart(judged, edge, units.decimals)
        fields[name] = units.fine(edge, unit=name not in ("low", "amber_low"))
        if displayed(judged, places) != shown:
            notes.setdefault(at, w.BEFORE_ROUNDING.format(value=units.fine(judged, places)))
        return 0.0

    if relation in ("within", "above_range", "below_range"):
        if relation == "within" and not units.first_inside(low) <= shown <= units.last_inside(high):
            # judged unrounded, inside the band, but shown outside its printed edges
            fields["low"], fields["high"] = units.fine(low, unit=False), units.fine(high)
            notes["relation"] = w.BEFORE_ROUNDING.format(value=units.fine(judged))
        if relation == "above_range":
            fields["gap"] = units.gap(beyond("high", high, units.last_inside(high)))
        elif relation == "below_range":
            fields["gap"] = units.gap(beyond("low", low, units.first_inside(low)))
        template = {"within": w.WITHIN_RANGE, "above_range": w.ABOVE_RANGE,
                    "below_range": w.BELOW_RANGE}[relation]
        amber_low, amber_high = _num(row["amber_low"]), _num(row["amber_high"])
        has_amber = not math.isnan(amber_low)
        if rating == "Red" and has_amber and judged > amber_high:
            beyond("amber_high", amber_high, units.last_inside(amber_high), "extra")
        elif rating == "Red" and has_amber:
            beyond("amber_low", amber_low, units.first_inside(amber_low), "extra")
        extra = {"Amber": w.AMBER_BAND, "Red": w.RED_BAND if has_amber else w.RED_NO_AMBER}
    else:
        gap = 0.0 if relation == "equals" else beyond("target", target, units.displayed(target))
        fields["gap"] = units.gap(gap)
        template = {"above": w.ABOVE_TARGET, "equals": w.EQUALS_TARGET, "below": w.BELOW_TARGET}[relation]
        floor = _num(row["floor"])
        has_floor = not math.isnan(floor)
        if rating == "Red" and has_floor:
            beyond("floor", floor, units.displayed(floor), "extra")
        extra = {"Amber": w.AMBER_FLOOR, "Red": w.RED_FLOOR if has_floor else w.RED_NO_AMBER}
    if not rating:
        return w.TARGET_NOT_RATED.format(**fields) if polarity else w.NOT_RATED
    said = template.format(**fields) + notes.get("relation", "")
    return said + extra.get(rating, "").format(**fields) + ("" if notes.get("relation") else
                                                            notes.get("extra", "")) + "."


def _apart(judged: float, edge: float, decimals: int) -> int:
    """The fewest decimals (beyond those displayed) at which the result and an edge differ."""
    for places in range(decimals + 1, decimals + 7):
        if displayed(judged, places) != displayed(edge, places):
            return places
    return decimals + 6


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

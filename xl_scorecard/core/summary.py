"""The committee's view of a month: counts, RAG changes, exceptions and a paragraph.

House style of committee papers: "There are 44 measures with a RAG rating.
Of these 16 are rated Green, 16 Amber and 12 Red. Compared with last month,
28 measures have improved, 3 are unchanged and 13 have worsened." Figures
are quoted as displayed; changes of percentages are in percentage points.
"""

from __future__ import annotations

from collections import Counter

from dataclasses import asdict, dataclass

import pandas as pd

from .display import format_changes, format_threshold
from .periods import Month

_RANK = {"Red": 0, "Amber": 1, "Green": 2}


@dataclass(frozen=True)
class DirectionCounts:
    """How many indicators improved, stayed the same and worsened against a comparator."""

    improved: int
    unchanged: int
    worsened: int

    @property
    def total(self) -> int:
        return self.improved + self.unchanged + self.worsened


@dataclass(frozen=True)
class RangeCounts:
    """Lead indicators against their expected range: counted apart from RAG ratings."""

    below: int
    within: int
    above: int

    @property
    def total(self) -> int:
        return self.below + self.within + self.above


@dataclass(frozen=True)
class RagChange:
    """An indicator whose rating moved since the previous report."""

    id: str
    ref: str
    name: str
    before: str
    after: str
    previous_display: str
    latest_display: str
    target_display: str
    change: str


@dataclass(frozen=True)
class Summary:
    """Everything the summary block, the Summary sheet and the paragraph need."""

    month: Month
    rated: int
    green: int
    amber: int
    red: int
    against_previous: DirectionCounts
    against_outturn: DirectionCounts
    outturn_month: Month
    changes: tuple[RagChange, ...]
    exceptions: tuple[str, ...]
    paragraph: str
    ranges: "RangeCounts | None" = None

    def to_dict(self) -> dict:
        """Plain values for JSON: months as ``YYYY-MM``."""
        return {**asdict(self), "month": str(self.month), "outturn_month": str(self.outturn_month)}


def summarise(results: pd.DataFrame, year_start_month: int = 4) -> Summary:
    """Summarise one month's results (the frame ``engine.compute_month`` returns).

    The columns are read once as plain lists: a few dozen rows make pandas' per-call cost
    (masks, ``.loc``, a filtered frame) many times the counting itself.
    """
    month = Month.parse(results["month"].iat[0])
    columns = _Columns(results)
    rag, dot_previous = columns["rag"], columns["dot_previous"]
    counts = Counter(rag)
    green, amber, red = (counts[k] for k in ("Green", "Amber", "Red"))
    against_previous = _directions(dot_previous)
    against_outturn = _directions(columns["dot_outturn"])
    changes = tuple(_changes(columns))
    exceptions = tuple(i for i, r in zip(columns["id"], rag) if r == "Red")
    outturn_month = month.outturn_month(year_start_month)
    compared = {p for p, d in zip(columns["previous_period"], dot_previous) if d != ""}
    all_last_month = compared <= {str(month - 1)}
    one_report = len(compared) == 1 and not all_last_month   # e.g. --previous: the last paper
    moved_up = sum(_RANK[c.after] > _RANK[c.before] for c in changes)
    ranges = _ranges(results)
    paragraph = compose_paragraph(
        green, amber, red, against_previous, against_outturn,
        month_label=month.label, outturn_label=outturn_month.label,
        previous_lead=("Compared with last month" if all_last_month else
                       f"Compared with {Month.parse(next(iter(compared))).label}" if one_report else
                       "Compared with the previous result"),
        moved_up=moved_up, moved_down=len(changes) - moved_up)
    if ranges.total:
        paragraph += " " + range_sentence(ranges)
    return Summary(
        month=month, rated=green + amber + red, green=green, amber=amber, red=red,
        against_previous=against_previous, against_outturn=against_outturn,
        outturn_month=outturn_month, changes=changes, exceptions=exceptions, paragraph=paragraph,
        ranges=ranges,
    )


def _ranges(results: pd.DataFrame) -> RangeCounts:
    if "range_status" not in results.columns:
        return RangeCounts(0, 0, 0)
    counts = Counter(results["range_status"].tolist())
    return RangeCounts(*(counts[k] for k in ("Below", "Within", "Above")))


def range_sentence(ranges: RangeCounts) -> str:
    """``Of the 4 lead indicators, 3 are within their expected range and 1 is above it.``"""
    parts = []
    for n, word in ((ranges.within, "within"), (ranges.above, "above"), (ranges.below, "below")):
        if n:
            where = "it" if parts else "their expected range"
            parts.append(f"{n} {'is' if n == 1 else 'are'} {word} {where}")
    if ranges.total == 1:
        return f"The one lead indicator {parts[0].split(' ', 1)[1].replace('their', 'its')}."
    text = parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]
    return f"Of the {ranges.total} lead indicators, {text}."


def _directions(arrows: list) -> DirectionCounts:
    counts = Counter(arrows)
    return DirectionCounts(counts["↑"], counts["→"], counts["↓"])


_CHANGE_COLUMNS = ("id", "ref", "name", "rag_previous", "rag", "previous_display", "display",
                   "polarity", "measure", "decimals", "target", "green_low", "green_high")


class _Columns(dict):
    """A results frame's columns as plain lists, each read out of pandas once, when first asked."""

    def __init__(self, results: pd.DataFrame):
        super().__init__()
        self.results = results

    def __missing__(self, name: str) -> list:
        column = self[name] = self.results[name].tolist()
        return column


def _changes(columns: _Columns):
    """The rows whose rating moved, picked from plain lists (no filtered frame, no pandas
    per row)."""
    moved = [i for i, (now, then) in enumerate(zip(columns["rag"], columns["rag_previous"]))
             if now != "" and then != "" and now != then]
    if not moved:
        return
    rows = {c: [columns[c][i] for i in moved] for c in (*_CHANGE_COLUMNS, "value", "previous")}
    texts = format_changes(rows["value"], rows["previous"], rows["measure"], rows["decimals"])
    for row, change in zip(zip(*(rows[c] for c in _CHANGE_COLUMNS)), texts):
        row = dict(zip(_CHANGE_COLUMNS, row))
        yield RagChange(
            id=row["id"], ref=row["ref"], name=row["name"], before=row["rag_previous"],
            after=row["rag"], previous_display=row["previous_display"],
            latest_display=row["display"], target_display=_target_text(row), change=change,
        )


def _target_text(row: dict) -> str:
    if row["polarity"] == "T" and pd.notna(row["green_low"]):
        low = format_threshold(row["green_low"], row["measure"], row["decimals"], "low")
        high = format_threshold(row["green_high"], row["measure"], row["decimals"], "high")
        return f"{low} to {high}"
    return format_threshold(row["target"], row["measure"], row["decimals"])


def _plural(n: int, one: str, many: str) -> str:
    return f"{n} {one if n == 1 else many}"


def _direction_sentence(lead: str, counts: DirectionCounts) -> str:
    verb = "has" if counts.improved == 1 else "have"
    return (f"{lead}, {_plural(counts.improved, 'measure', 'measures')} {verb} improved, "
            f"{counts.unchanged} {'is' if counts.unchanged == 1 else 'are'} unchanged and "
            f"{counts.worsened} {'has' if counts.worsened == 1 else 'have'} worsened.")


def compose_paragraph(green: int, amber: int, red: int,
                      against_previous: DirectionCounts | None = None,
                      against_outturn: DirectionCounts | None = None,
                      month_label: str = "", outturn_label: str = "",
                      previous_lead: str = "Compared with last month",
                      moved_up: int = 0, moved_down: int = 0) -> str:
    """The committee paragraph from counts: shared by ``summarise`` and ``=KPI_SUMMARY()``."""
    rated = green + amber + red
    if rated == 0:
        sentences = ["No measures have a RAG rating" + (f" for {month_label}." if month_label else ".")]
    else:
        verb = "is" if rated == 1 else "are"
        sentences = [f"There {verb} {_plural(rated, 'measure', 'measures')} with a RAG rating. "
                     f"Of these {green} {'is' if green == 1 else 'are'} rated Green, {amber} Amber "
                     f"and {red} Red."]
    if against_previous is not None and against_previous.total:
        sentences.append(_direction_sentence(previous_lead, against_previous))
    if against_outturn is not None and against_outturn.total:
        lead = f"Compared with the {outturn_label} outturn" if outturn_label else "Compared with the outturn"
        sentences.append(_direction_sentence(lead, against_outturn))
    if moved_up + moved_down:
        sentences.append(f"Since the previous report {_plural(moved_up + moved_down, 'measure has', 'measures have')} "
                         f"changed rating: {moved_up} moved up and {moved_down} moved down.")
    return " ".join(sentences)

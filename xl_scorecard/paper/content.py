"""The committee paper as plain content: header block, numbered sections and paragraphs,
commentary, chart requests and the appendix table. No Word here: ``document`` renders it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..core.month_report import MonthReport
from ..core.rules import ReportInfo
from . import wording as w
from .charts import ChartData, chart_data, history
from .sentences import Statement, Units, statement, unbroken


@dataclass
class Block:
    """One thing on the page, in order."""

    kind: str                   # heading, subheading, para, commentary, chart, table
    text: str = ""
    number: str = ""            # "3", "3.2"
    indicator: str = ""         # the indicator a para, commentary or chart is about
    rating: str = ""
    placeholder: bool = False   # commentary not yet written
    keep_with_next: bool = False  # a paragraph followed by its chart
    chart: ChartData | None = None
    rows: list[tuple[str, ...]] = field(default_factory=list)


@dataclass
class Paper:
    """Everything the .docx shows."""

    title: str
    author: str                             # the organisation, for the document's properties
    header: list[tuple[str, str, bool]]     # (label, text, is a placeholder)
    blocks: list[Block]
    statements: list[Statement]


def _plural(n: int, one: str, many: str) -> str:
    return one if n == 1 else many


def counts_text(summary) -> str:
    if not summary.rated:
        return w.COUNTS_NONE.format(month=summary.month)
    return w.COUNTS.format(rated=summary.rated, green=summary.green, amber=summary.amber,
                           red=summary.red, green_verb=_plural(summary.green, "is", "are"))


def _direction_text(summary) -> str:
    d = summary.against_previous
    if not d.total:
        return ""
    return w.DIRECTION_COUNTS.format(
        improved=d.improved, improved_verb=_plural(d.improved, "has", "have"),
        unchanged=d.unchanged, unchanged_verb=_plural(d.unchanged, "is", "are"),
        worsened=d.worsened, worsened_verb=_plural(d.worsened, "has", "have"))


def _lead_text(statements: list[Statement], results) -> str:
    leads = [s for s in statements if s.group == "lead"]
    if not leads:
        return ""
    status = dict(zip(results["id"], results.get("range_status", [""] * len(results))))
    n = {k: sum(status.get(s.id) == k for s in leads) for k in ("Within", "Above", "Below")}
    return w.LEAD_COUNTS.format(leads=len(leads), indicators=_plural(len(leads), "indicator", "indicators"),
                                within=n["Within"], within_verb=_plural(n["Within"], "is", "are"),
                                their=_plural(len(leads), "its", "their"),
                                above=n["Above"], below=n["Below"])


def header_block(report: MonthReport, info: ReportInfo) -> list[tuple[str, str, bool]]:
    card = report.rules.scorecard
    month = report.month.label
    counts = counts_text(report.summary)
    committee = info.to or w.COMMITTEE_DEFAULT
    rows = [
        ("From", info.sender or w.PLACEHOLDERS["from"], not info.sender),
        ("To", info.to or w.PLACEHOLDERS["to"], not info.to),
        ("Date", info.meeting_date or w.PLACEHOLDERS["meeting_date"], not info.meeting_date),
        ("Subject", info.subject or w.SUBJECT.format(title=card.title, month=month), False),
        ("Classification", info.classification or w.PLACEHOLDERS["classification"],
         not info.classification),
        ("Summary", info.summary or w.SUMMARY.format(service=card.service or card.organisation or "the service",
                                                     month=month, title=card.title, counts=counts), False),
        ("Recommendation", info.recommendation or w.RECOMMENDATION.format(committee=committee), False),
    ]
    return rows


def compose(report: MonthReport, commentary: dict[str, list[str]] | None = None,
            with_charts: bool = True) -> Paper:
    """The paper for the report's month; ``commentary`` maps indicator id -> officers' texts."""
    commentary = commentary or {}
    rules, results = report.rules, report.results
    info = rules.report
    card = rules.scorecard
    month = report.month.label
    statements = [statement(row, rules[row["id"]]) for _, row in results.iterrows()]
    blocks: list[Block] = []

    def section(number: int, key: str, *texts: str) -> None:
        blocks.append(Block("heading", w.HEADINGS[key], number=str(number)))
        for k, text in enumerate(t for t in texts if t):
            blocks.append(Block("para", text, number=f"{number}.{k + 1}"))

    section(1, "introduction", info.introduction or w.INTRODUCTION.format(
        title=card.title, month=month, year=report.month.financial_year_label(card.year_start_month)))
    sections = len({ind.section for ind in rules.indicators})
    section(2, "context", w.CONTEXT.format(count=len(rules.indicators), sections=sections),
            info.context)
    blocks.append(Block("heading", w.HEADINGS["performance"], number="3"))
    opening = " ".join(t for t in (counts_text(report.summary), _direction_text(report.summary),
                                   _lead_text(statements, results)) if t)
    blocks.append(Block("para", opening, number="3.1"))
    number = 1
    months_results = None  # every month's results, computed once for the charts
    for group in ("Green", "Amber", "Red", "lead", "unrated"):
        members = [s for s in statements if s.group == group]
        if not members:
            continue
        blocks.append(Block("subheading", w.GROUP_HEADINGS[group]))
        for s in members:
            number += 1
            blocks.append(Block("para", s.text, number=f"3.{number}", indicator=s.id, rating=s.rating))
            if with_charts and group in ("Red", "lead"):
                months_results = months_results if months_results is not None else history(report)
                blocks[-1].keep_with_next = True
                blocks.append(Block("chart", indicator=s.id,
                                    chart=chart_data(report, s.id, months_results)))
            texts = commentary.get(s.id, [])
            for text in texts:
                blocks.append(Block("commentary", w.COMMENTARY_LABEL + text, indicator=s.id))
            if not texts and group in ("Amber", "Red"):
                blocks.append(Block("commentary", w.COMMENTARY_PLACEHOLDER, indicator=s.id,
                                    placeholder=True))
    recommendation = info.recommendation or w.RECOMMENDATION.format(committee=info.to or w.COMMITTEE_DEFAULT)
    section(4, "recommendations", recommendation)
    blocks.append(Block("heading", w.HEADINGS["background"]))
    for doc in info.background_documents or (w.NO_BACKGROUND,):
        blocks.append(Block("para", doc))
    blocks.append(Block("heading", w.HEADINGS["contacts"]))
    contacts = [", ".join(p for p in (c.name, c.role, c.phone, c.email) if p) for c in info.contacts]
    for text in contacts or [w.PLACEHOLDERS["contacts"]]:
        blocks.append(Block("para", text, placeholder=not contacts))
    blocks.append(Block("table", w.HEADINGS["appendix"].format(title=card.title, month=month),
                        rows=appendix_rows(results)))
    return Paper(title=card.title, author=card.organisation, header=header_block(report, info), blocks=blocks,
                 statements=statements)


def appendix_rows(results) -> list[tuple[str, ...]]:
    """One row per indicator, figures as the scorecard displays them; section rows between."""
    rows, section = [], None
    for _, r in results.iterrows():
        if r["section"] and r["section"] != section:
            section = r["section"]
            rows.append(("section", section))
        units = Units(r["measure"], r["decimals"], None)
        if r["polarity"] == "T" and str(r["green_low"]) != "nan":
            target = f"{units.range_start(r['green_low'])} to {units.range_end(r['green_high'])}"
        else:
            target = units.threshold(r["target"])
        rows.append(("row", r["ref"], r["name"], r["period"], unbroken(r["display"]), r["rag"],
                     target, unbroken(r["previous_display"]), r["dot_previous"],
                     unbroken(r["outturn_display"]), r["dot_outturn"]))
    return rows

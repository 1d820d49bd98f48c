"""Text outputs of the CLI: results as CSV or JSON, and the summary as prose."""

from __future__ import annotations

import json
import math

import pandas as pd

from ..core.comparators import comparison_sentence
from ..core.rules import Rules
from ..core.summary import Summary
from ..core.text import reads_as_formula
TEXT_COLUMNS = ("id", "ref", "name", "section")


def results_csv(results: pd.DataFrame) -> str:
    """One row per indicator; numbers at full precision, blanks empty.

    Text from the rules (id, ref, name, section) that a spreadsheet would run as a
    formula when the CSV is opened (``=``, ``+``, ``-``, ``@``, tab or carriage return
    first, and not a plain number) gets a leading apostrophe: CSV injection.
    """
    safe = results.copy()
    for column in TEXT_COLUMNS:
        if column in safe.columns:
            safe[column] = safe[column].map(csv_text)
    return safe.to_csv(index=False, lineterminator="\n")


def csv_text(value):
    """``value``, or ``'value`` when a spreadsheet would read the text as a formula."""
    if not reads_as_formula(value):
        return value
    try:
        float(value.replace(",", "").rstrip("%"))
        return value  # -1.5 or +2% is a number, not a formula
    except ValueError:
        return "'" + value


def results_json(rules: Rules, results: pd.DataFrame, summary: Summary) -> str:
    """Indicators and summary as one JSON document (NaN becomes null)."""
    records = [_grouped({k: _plain(v) for k, v in row.items()}) for row in results.to_dict("records")]
    document = {
        "scorecard": {"title": rules.scorecard.title, "organisation": rules.scorecard.organisation,
                      "service": rules.scorecard.service},
        "month": str(summary.month),
        "indicators": records,
        "summary": summary.to_dict(),
    }
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def summary_text(rules: Rules, summary: Summary, results: pd.DataFrame | None = None) -> str:
    """The paragraph, then the RAG changes one per line; the exceptions beside their comparators."""
    lines = [f"{rules.scorecard.title}: {summary.month}", "", summary.paragraph, ""]
    if summary.changes:
        lines.append("RAG changes since the previous report:")
        for change in summary.changes:
            lines.append(f"  {change.ref or change.id:>4}  {change.before} -> {change.after}  "
                         f"{change.previous_display} -> {change.latest_display}  "
                         f"(target {change.target_display})  {change.name}")
    else:
        lines.append("No RAG changes since the previous report.")
    if summary.exceptions:
        lines.append("")
        lines.append(f"Red exceptions: {', '.join(summary.exceptions)}")
        if results is not None:
            lines += _compared(rules, results, summary.exceptions)
    return "\n".join(lines) + "\n"


def _compared(rules: Rules, results: pd.DataFrame, ids) -> list[str]:
    """``  SCS01 66.0 compares with England 62.5 (2011/12)`` for each id with comparators."""
    lines = []
    for record in results[results["id"].isin(list(ids))].to_dict("records"):
        ind = rules[record["id"]]
        compared = comparison_sentence(record, ind.measure, ind.decimals)
        if compared:
            lines.append(f"  {record['id']}: {record['display']} {compared}")
    return lines


def _grouped(record: dict) -> dict:
    """``cmp:<name>`` and ``cmp:<name>:period`` as ``comparators: {name: {value, period}}``."""
    names = [k[4:] for k in record if k.startswith("cmp:") and not k.endswith(":period")]
    if not names:
        return record
    out = {k: v for k, v in record.items() if not k.startswith("cmp:")}
    out["comparators"] = {n: {"value": record[f"cmp:{n}"], "period": record.get(f"cmp:{n}:period") or None}
                          for n in names}
    return out


def _plain(value):
    if isinstance(value, float) and math.isnan(value):
        return None
    if hasattr(value, "item"):
        return _plain(value.item())
    return value

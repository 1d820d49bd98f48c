"""Text outputs of the CLI: results as CSV or JSON, and the summary as prose."""

from __future__ import annotations

import json
import math

import pandas as pd

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
    records = [{k: _plain(v) for k, v in row.items()} for row in results.to_dict("records")]
    document = {
        "scorecard": {"title": rules.scorecard.title, "organisation": rules.scorecard.organisation,
                      "service": rules.scorecard.service},
        "month": str(summary.month),
        "indicators": records,
        "summary": summary.to_dict(),
    }
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def summary_text(rules: Rules, summary: Summary) -> str:
    """The paragraph, then the RAG changes one per line."""
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
    return "\n".join(lines) + "\n"


def _plain(value):
    if isinstance(value, float) and math.isnan(value):
        return None
    if hasattr(value, "item"):
        return _plain(value.item())
    return value

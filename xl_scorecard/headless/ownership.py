"""The refusal before a build replaces sheets in a workbook it did not start: what it would
replace must be its own (that the commentary in it can be found is checked by
``layout.commentary.refuse_unmatched_commentary``, which the macros share).

A workbook xl_scorecard wrote carries the defined name ``ReportMonth`` (the macros read the
month from it; Excel keeps it through every save). A workbook without it is someone's own:
a sheet of theirs that happens to be called ``Data`` or ``Summary`` is not ours to replace.
"""

from __future__ import annotations

from ..core.errors import Problem, WorkbookError
from ..layout import MONTH_NAME


def refuse_foreign_sheets(workbook, path: str, replaced: list[str]) -> None:
    """Refuse what a build would replace that is not its own: a chart sheet called like one of
    its sheets (in any workbook), or any such sheet of a workbook xl_scorecard did not write."""
    charts = [sheet.title for sheet in workbook.chartsheets if sheet.title in replaced]
    if charts:
        raise WorkbookError(Problem(file=path, message=(
            f"has chart sheets called {_listed(charts)}, which a build replaces with its own "
            "sheets: to keep them, rename them in Excel")))
    if MONTH_NAME in workbook.defined_names:
        return
    theirs = [name for name in workbook.sheetnames if name in replaced]
    if not theirs:
        return
    raise WorkbookError(Problem(file=path, message=(
        f"was not written by xl-scorecard (it has no ReportMonth name), but has sheets called "
        f"{_listed(theirs)}, which a build replaces: to keep them, rename them in Excel, or "
        "choose another --out (to write results into your own layout, use xl-scorecard fill)")))


def _listed(names: list[str]) -> str:
    return ", ".join(f"'{name}'" for name in names)

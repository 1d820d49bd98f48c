"""xl_scorecard in xlwings Lite: paste this file into xlwings Lite's main.py tab.

Python runs inside Excel (Pyodide): nothing to install on the PC. requirements.txt (beside this
file) installs xl_scorecard and what it needs. The workbook carries everything else: the Data
sheet, the report month in the cell named ReportMonth, and the rules in the rules.json sheet
(``xl-scorecard rules export --to WORKBOOK`` writes it; edit targets there).

Worksheet functions: =RAG(), =DOT(), =KPIRATE(), =KPI_RAG(), ... as in desktop Excel; the KPI_*
ones take the rules range as their last argument, e.g. =KPI_RAG(D5, A5, , , ScorecardRules).
Scripts (the Run button, or a sheet button): refresh_scorecard, roll_forward, check_rules.
Everything is computed by xl_scorecard's engine, so the figures equal `xl-scorecard results`.
"""

import xlwings as xw
from xlwings import script

try:
    # No rules files here: the KPI_* functions take the rules.json sheet's range as their last
    # argument (ScorecardRules) and the scripts read that sheet; neither falls back to a sample.
    from xl_scorecard.excel import lite_mode  # noqa: F401
    from xl_scorecard.excel import macros
except ImportError as missing:
    raise ImportError(
        "xl_scorecard is not installed in xlwings Lite: in the requirements.txt tab, replace the "
        "REPLACE-ME line with the address of the xl_scorecard wheel your IT team published "
        "(docs/excel-routes.md, 'xlwings Lite'), then Restart xlwings Lite") from missing

# The worksheet functions, each already decorated with xlwings' @func (and @arg for its help
# text): importing them here is what makes xlwings Lite register them. Every one of
# xl_scorecard.excel.udfs (tests/test_lite.py keeps the two lists in step).
from xl_scorecard.excel.udfs import (  # noqa: E402, F401
    dot, kpi_dot, kpi_floor, kpi_period, kpi_rag, kpi_range, kpi_summary, kpi_target, kpi_value,
    kpirate, rag,
)


@script
def refresh_scorecard(book: xw.Book):
    """Recompute the month in ReportMonth from the Data and rules.json sheets."""
    print(macros.refresh(book))


@script
def roll_forward(book: xw.Book):
    """Move ReportMonth on by one month and refresh."""
    print(macros.roll_forward(book))


@script
def check_rules(book: xw.Book):
    """Check the rules.json sheet; every problem is listed in the 'Rules check' sheet."""
    print(macros.validate_rules(book))

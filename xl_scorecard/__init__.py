"""xl_scorecard: Red/Amber/Green performance scorecards, in Excel and headless.

The pure core, usable from any Python::

    from xl_scorecard import load_rules, load_data, compute_month, summarise
    rules = load_rules("rules.json")
    data = load_data("workbooks/kent_scs_2012.csv", rules)
    results = compute_month(rules, data, "2012-05")
    print(summarise(results).paragraph)
"""

from .core.engine import compute_month, prepare
from .core.errors import DataError, Problem, RulesError, ScorecardError, UsageError, WorkbookError
from .core.periods import Month
from .core.rules import Indicator, Rules, Threshold
from .core.summary import Summary, summarise
import os as _os

# openpyxl parses workbooks through defusedxml only on its pure-Python path; python-docx
# brings lxml, which openpyxl would otherwise prefer. Set before openpyxl is first imported.
_os.environ.setdefault("OPENPYXL_LXML", "False")

from .core.table import DataTable
from .inputs.data import load_data
from .inputs.rules_file import load_rules, rules_from_dict

__version__ = "0.1.0"

__all__ = [
    "DataError", "DataTable", "Indicator", "Month", "Problem", "Rules", "RulesError",
    "ScorecardError", "Summary", "Threshold", "UsageError", "WorkbookError",
    "compute_month", "load_data", "load_rules", "prepare", "rules_from_dict", "summarise",
]

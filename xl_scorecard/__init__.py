"""xl_scorecard: Red/Amber/Green performance scorecards, in Excel and headless.

The pure core, usable from any Python::

    from xl_scorecard import load_rules, load_data, compute_month, summarise
    rules = load_rules("rules.json")
    data = load_data("workbooks/kent_scs_2012.csv", rules)
    results = compute_month(rules, data, "2012-05")
    print(summarise(results).paragraph)
"""

from .data import DataTable, load_data
from .engine import compute_month, prepare
from .errors import DataError, Problem, RulesError, ScorecardError, UsageError, WorkbookError
from .periods import Month
from .rules import Indicator, Rules, Threshold, load_rules, rules_from_dict
from .summary import Summary, summarise

__version__ = "0.1.0"

__all__ = [
    "DataError", "DataTable", "Indicator", "Month", "Problem", "Rules", "RulesError",
    "ScorecardError", "Summary", "Threshold", "UsageError", "WorkbookError",
    "compute_month", "load_data", "load_rules", "prepare", "rules_from_dict", "summarise",
]

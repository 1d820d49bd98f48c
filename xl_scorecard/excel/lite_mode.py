"""Imported by xlwings Lite's main.py: this Python has no rules files, only the workbook.

From the import on, the KPI_* functions take their rules from their last argument (the
rules.json sheet's range, ``ScorecardRules``) and the macros from the rules.json sheet; with
neither, they say so instead of quietly using the bundled sample's rules. Under Pyodide this
holds even without the import.
"""

from .rules_argument import use_workbook_rules_only

use_workbook_rules_only()

"""Generate workbooks/scorecard-template.xlsx: the workbook analysts start from in Excel.

It is the bundled sample's May 2012 scorecard (all six sheets, ReportMonth
named on Scorecard!B3) plus:

* ``xlwings.conf``: the xlwings add-in settings, so a new user only has to
  click Import Functions: ``UDF Modules`` is ``xl_scorecard.udfs``;
  ``SCORECARD_RULES`` is a rules.json file for the macros to read instead of the
  rules.json sheet (blank: the sheet; a relative path is relative to the workbook's folder).
* ``rules.json``: the bundled rules, one field per row, with the cells named
  ``ScorecardRules`` (as ``xl-scorecard rules export`` writes them), so the workbook
  carries its own rules: what xlwings Lite, which reads no files, needs.
* ``ReadMe``: what to do first, on the desktop and in xlwings Lite.

Run from the repository root: ``python workbooks/make_template.py``.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import openpyxl  # noqa: E402
from openpyxl.styles import Font  # noqa: E402

from xl_scorecard import load_data, load_rules  # noqa: E402
from xl_scorecard.outputs.atomic import atomic_path  # noqa: E402
from xl_scorecard.headless.build import write_report  # noqa: E402
from xl_scorecard.headless.rules_sheet import rules_document, write_rules_sheet  # noqa: E402
from xl_scorecard.core.month_report import compute_report  # noqa: E402

OUTPUT = ROOT / "workbooks" / "scorecard-template.xlsx"
CONF = [
    ("UDF Modules", "xl_scorecard.udfs"),
    ("SCORECARD_RULES", ""),
]
README = [
    "xl_scorecard template",
    "",
    "Windows Excel with Python: pip install \"xl_scorecard[excel]\" and xlwings addin install",
    "(see the README), then xlwings ribbon: Import Functions. Then =RAG(), =DOT(), =KPIRATE()",
    "and =KPI_...() work in any cell.",
    "xlwings Lite (nothing to install; Windows, Mac, the web): Home > Add-ins > xlwings. Paste",
    "excel/lite/requirements.txt (its REPLACE-ME line: the xl_scorecard wheel's address) and",
    "excel/lite/main.py into its two tabs (docs/excel-routes.md says how).",
    "",
    "1. Paste the month's figures into the Data sheet (indicator, period, numerator, denominator,",
    "   value).",
    "2. Type the report month (YYYY-MM) in Scorecard!B3, the cell named ReportMonth.",
    "3. Run the Refresh macro (in Lite: refresh_scorecard): Scorecard, Summary and Exceptions are",
    "   rewritten; your commentary is kept.",
    "",
    "Rules: the rules.json sheet holds them (the bundled sample's to start with). Edit a target",
    "or a floor there and refresh. The KPI_* functions take those cells, named ScorecardRules,",
    "as their last argument: =KPI_RAG(D5, A5, , , ScorecardRules) (needed in xlwings Lite; left",
    "out on the desktop, they read rules.json).",
    "xlwings.conf: SCORECARD_RULES, when filled in, is a rules.json file the macros read instead",
    "of the rules.json sheet.",
]


def main(output: Path = OUTPUT) -> None:
    rules = load_rules(ROOT / "rules.json")
    report = compute_report(rules, load_data(ROOT / "workbooks" / "kent_scs_2012.csv", rules), "2012-05")
    write_report(report, output)
    book = openpyxl.load_workbook(output)
    for name in ("xlwings.conf", "ReadMe", "rules.json"):  # regenerating: write_report kept them
        if name in book.sheetnames:
            book.remove(book[name])
    conf = book.create_sheet("xlwings.conf")
    for row in CONF:
        conf.append(row)
    conf.column_dimensions["A"].width = 20
    conf.column_dimensions["B"].width = 40
    write_rules_sheet(book, rules_document(ROOT / "rules.json"), "rules.json")
    readme = book.create_sheet("ReadMe", 0)
    for line in README:
        readme.append([line])
    readme["A1"].font = Font(bold=True, size=14)
    readme.column_dimensions["A"].width = 110
    book.active = 1
    with atomic_path(output) as temp:  # the template is never seen half-written
        book.save(temp)
    print(f"wrote {output}")


if __name__ == "__main__":
    main()

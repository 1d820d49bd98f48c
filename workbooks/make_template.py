"""Generate workbooks/scorecard-template.xlsx: the workbook analysts start from in Excel.

It is the bundled sample's May 2012 scorecard (all six sheets, ReportMonth
named on Scorecard!B3) plus:

* ``xlwings.conf``: the xlwings add-in settings, so a new user only has to
  click Import Functions: ``UDF Modules`` is ``xl_scorecard.udfs``;
  ``SCORECARD_RULES`` is the rules.json the macros read (blank: the bundled
  sample's; a relative path is relative to the workbook's folder).
* ``ReadMe``: what to do first.

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
from xl_scorecard.core.month_report import compute_report  # noqa: E402

OUTPUT = ROOT / "workbooks" / "scorecard-template.xlsx"
CONF = [
    ("UDF Modules", "xl_scorecard.udfs"),
    ("SCORECARD_RULES", ""),
]
README = [
    "xl_scorecard template",
    "",
    "1. pip install \"xl_scorecard[excel]\" and xlwings addin install (see the README).",
    "2. xlwings ribbon: Import Functions. =RAG(), =DOT(), =KPIRATE() and =KPI_...() then work in any cell.",
    "3. Paste the month's figures into the Data sheet (indicator, period, numerator, denominator, value).",
    "4. Type the report month (YYYY-MM) in Scorecard!B3, the cell named ReportMonth.",
    "5. Run the Refresh macro: Scorecard, Summary and Exceptions are rewritten; your commentary is kept.",
    "",
    "xlwings.conf: SCORECARD_RULES is the rules.json to use (blank: the bundled sample's).",
]


def main(output: Path = OUTPUT) -> None:
    rules = load_rules(ROOT / "rules.json")
    report = compute_report(rules, load_data(ROOT / "workbooks" / "kent_scs_2012.csv", rules), "2012-05")
    write_report(report, output)
    book = openpyxl.load_workbook(output)
    for name in ("xlwings.conf", "ReadMe"):  # regenerating: write_report kept the old ones
        if name in book.sheetnames:
            book.remove(book[name])
    conf = book.create_sheet("xlwings.conf")
    for row in CONF:
        conf.append(row)
    conf.column_dimensions["A"].width = 20
    conf.column_dimensions["B"].width = 40
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

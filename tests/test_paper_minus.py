"""Negative figures in the committee paper never break after their minus sign.

A hyphen-minus lets LibreOffice (and Word) end a line with "is -" and start the next with
"1.0%"; the paper prints figures with U+2212 MINUS SIGN, which line breaking keeps with its
number. Checked on the real thing: a paper whose negative figures fall at every position of a
line, converted to PDF by LibreOffice and read back with pdftotext.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess

import pytest

from xl_scorecard.core.display import (format_change, format_changes, format_threshold,
                                       format_value, format_values)
from xl_scorecard.paper.sentences import MINUS, Units, unbroken

from conftest import indicator, rules_document

# the published name whose figure, -1.0%, wrapped after its sign in the bundled paper; then
# names one word longer each, so that the figure moves along the line
KENT = "Percentage of caseholding posts unfilled (100% - QSW inc Agency Posts)"
NAMES = [KENT] * 5 + ["Percentage of caseholding posts unfilled" + " i" * k for k in range(25)]


@pytest.mark.parametrize("figure,expected", [
    ("-1.0%", "\u22121.0%"), ("-1,234", "\u22121,234"), ("1.0%", "1.0%"), ("", ""), ("-", "\u2212"),
])
def test_a_negative_figure_is_printed_with_a_minus_sign(figure, expected):
    assert unbroken(figure) == expected


def test_every_figure_of_a_sentence_uses_the_minus_sign():
    units = Units("percent", 1, None)
    assert units.shown(-1.04) == MINUS + "1.0%" and units.threshold(-0.5) == MINUS + "0.5%"
    assert units.range_start(-2.55) == MINUS + "2.5%" and units.range_end(-0.04) == MINUS + "0.1%"
    assert units.fine(-85.4) == MINUS + "85.4%" and units.shown(0.0) == "0.0%"
    assert Units("rate", 1, 10000).shown(-3) == MINUS + "3.0 per 10,000"


@pytest.mark.libreoffice
def test_no_line_of_the_pdf_ends_with_a_minus_sign(tmp_path, run_cli):
    if shutil.which("soffice") is None or shutil.which("pdftotext") is None:
        pytest.skip("LibreOffice and pdftotext are needed")
    inds = [indicator(id=f"N{k}", ref=str(k), name=name, polarity="L", allow_negative=True)
            for k, name in enumerate(NAMES)]
    rules = tmp_path / "rules.json"
    rules.write_text(json.dumps(rules_document(*inds)), "utf-8")
    data = tmp_path / "data.csv"
    data.write_text("indicator,period,numerator,denominator,value\n" + "".join(
        f"N{k},2012-04,,,-0.6\nN{k},2012-05,,,-1.0\n" for k in range(len(NAMES))), "utf-8")
    out = tmp_path / "paper.docx"
    code, _, err = run_cli("report", "--rules", rules, "--data", data, "--out", out, "--pdf")
    assert code == 0, err
    pdf = out.with_suffix(".pdf")
    # -layout: plain pdftotext joins a line ending in "-" to the next, as if hyphenated
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True,
                          text=True, check=True).stdout
    lines = [line.rstrip() for line in text.splitlines()]
    broken = [(a, b) for a, b in zip(lines, lines[1:])
              if re.search(r"\s[-\u2212]$", a) and re.match(r"\s*\d", b)]
    assert broken == []
    assert text.count(MINUS + "1.0%") >= len(NAMES) and "-1.0%" not in text
    # the test reaches the boundary: some line starts with a whole negative figure
    assert any(re.match(rf"\s*{MINUS}\d", line) for line in lines)


# --------------------------------------------------------------- a figure that rounds to zero
# A negative value that rounds to zero at the decimals shown prints "0.0", never "-0.0" or
# "\u22120.0": every formatter that prints a result, a threshold, a band edge or a change.

PERCENT_1 = Units("percent", 1, None)
ROUNDS_TO_ZERO = [
    ("format_value", lambda: format_value(-0.04, "percent", 1), "0.0%"),
    ("format_value no decimals", lambda: format_value(-0.4, "count", 0), "0"),
    ("format_value three decimals", lambda: format_value(-0.0004, "average", 3), "0.000"),
    ("format_value negative zero", lambda: format_value(-0.0, "count", 1), "0.0"),
    ("format_values", lambda: format_values([-0.04, -0.4, -0.05], ["percent", "count", "count"],
                                            [1, 0, 1]), ["0.0%", "0", "-0.1"]),
    ("format_threshold nearest", lambda: format_threshold(-0.04, "percent", 1), "0.0%"),
    ("format_threshold low edge", lambda: format_threshold(-0.04, "percent", 1, side="low"), "0.0%"),
    ("format_threshold high edge", lambda: format_threshold(0.04, "count", 1, side="high"), "0.0"),
    ("format_change", lambda: format_change(0.96, 1.0, "percent", 1),
     "0.0 percentage points"),
    ("format_changes", lambda: format_changes([-0.04], [0.0], ["count"], [1]), ["0.0"]),
    ("paper shown", lambda: PERCENT_1.shown(-0.04), "0.0%"),
    ("paper threshold", lambda: PERCENT_1.threshold(-0.04), "0.0%"),
    ("paper range start", lambda: PERCENT_1.range_start(-0.04), "0.0%"),
    ("paper range end", lambda: PERCENT_1.range_end(0.04), "0.0%"),
    ("paper fine at its decimals", lambda: PERCENT_1.fine(-0.04, 1), "0.0%"),
    ("paper fine beyond them", lambda: PERCENT_1.fine(-0.04), MINUS + "0.04%"),
    ("paper amount", lambda: PERCENT_1.amount(-0.04), "0.0 percentage points"),
    ("paper rate", lambda: Units("rate", 1, 10000).shown(-0.04), "0.0 per 10,000"),
]


@pytest.mark.parametrize("call,expected", [c[1:] for c in ROUNDS_TO_ZERO],
                         ids=[c[0] for c in ROUNDS_TO_ZERO])
def test_a_figure_that_rounds_to_zero_has_no_sign(call, expected):
    assert call() == expected


def test_the_paper_read_back_prints_zero_without_a_sign(tmp_path, run_cli):
    """-0.04 judged unrounded against a target of 0: the paper says it is 0.0, below the target
    of 0.0, and gives -0.04 (with its minus sign) only in the before-rounding note."""
    import docx

    ind = indicator(id="Z1", name="Change in average caseload", polarity="H", measure="average",
                    allow_negative=True, rag_basis="unrounded",
                    thresholds=[{"from": "2012-04", "target": 0, "floor": -1}])
    rules = tmp_path / "rules.json"
    rules.write_text(json.dumps(rules_document(ind)), "utf-8")
    data = tmp_path / "data.csv"
    data.write_text("indicator,period,numerator,denominator,value\n"
                    "Z1,2012-04,,,-0.03\nZ1,2012-05,,,-0.04\n", "utf-8")
    out = tmp_path / "paper.docx"
    code, _, err = run_cli("report", "--rules", rules, "--data", data, "--out", out)
    assert code == 0, err
    document = docx.Document(str(out))
    texts = [p.text for p in document.paragraphs]
    texts += [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    said = next(t for t in texts if "Change in average caseload is" in t or "is 0.0 at" in t)
    assert "is 0.0 at the end of May 2012" in said, said
    assert f"(the result is {MINUS}0.04 before rounding)" in said, said
    signed_zero = [t for t in texts if re.search(r"[-\u2212]0\.0(?!\d)", t)]
    assert signed_zero == []
    cells = [cell.text for row in document.tables[-1].rows for cell in row.cells]
    assert "0.0" in cells  # the appendix prints the result, unsigned

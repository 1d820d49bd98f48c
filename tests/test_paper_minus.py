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

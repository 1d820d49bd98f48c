"""Properties of the paper: for any value, thresholds and polarity the paragraph states the
engine's rating and a relation that rating allows; lead indicators (issue 9's columns) get
their own group, count and chart; text a Word document cannot hold never breaks it."""

from __future__ import annotations

import math

import docx
import pandas as pd
from conftest import BUNDLED_DATA, BUNDLED_RULES
from hypothesis import given, settings
from hypothesis import strategies as st

from xl_scorecard.core.engine import compute_month
from xl_scorecard.core.month_report import compute_report
from xl_scorecard.inputs.data import COLUMNS, check_table, load_data
from xl_scorecard.inputs.rules_file import load_rules, rules_from_dict
from xl_scorecard.paper.content import compose
from xl_scorecard.paper.document import build_document
from xl_scorecard.paper.sentences import statement

ALLOWED = {("H", "Green"): {"above", "equals"}, ("H", "Amber"): {"below"}, ("H", "Red"): {"below"},
           ("L", "Green"): {"below", "equals"}, ("L", "Amber"): {"above"}, ("L", "Red"): {"above"},
           ("T", "Green"): {"within"}, ("T", "Amber"): {"above_range", "below_range"},
           ("T", "Red"): {"above_range", "below_range"}}
numbers = st.floats(min_value=-1000, max_value=1000, allow_nan=False).map(lambda x: round(x, 3))


@st.composite
def indicators(draw):
    polarity = draw(st.sampled_from(["H", "L", "T"]))
    measure = draw(st.sampled_from(["percent", "rate", "average", "count"]))
    decimals = draw(st.integers(0, 3))
    target = draw(numbers)
    if polarity == "T":
        a, b, c, d = sorted(draw(st.lists(numbers, min_size=4, max_size=4)))
        target = round((b + c) / 2, 3)
        amber = draw(st.sampled_from([[a, d], None]))
        threshold = {"from": "2012-04", "target": target, "green": [b, c], "amber": amber}
    else:
        gap = draw(st.floats(min_value=0, max_value=100).map(lambda x: round(x, 2)))
        floor = target - gap if polarity == "H" else target + gap
        threshold = {"from": "2012-04", "target": target,
                     "floor": draw(st.sampled_from([round(floor, 3), None]))}
    ind = {"id": "P1", "name": "Percentage of something", "polarity": polarity, "period": "SS",
           "measure": measure, "decimals": decimals, "thresholds": [threshold],
           "rag_basis": draw(st.sampled_from(["displayed", "unrounded"]))}
    if measure == "rate":
        ind["per"] = 10000
    return ind


@settings(max_examples=300, deadline=None)
@given(ind=indicators(), april=numbers, may=numbers)
def test_the_paragraph_states_the_engines_rating(ind, april, may):
    rules = rules_from_dict({"scorecard": {"title": "P"}, "indicators": [ind]})
    rows = [["P1", "2012-04", None, None, april], ["P1", "2012-05", None, None, may]]
    data = check_table(pd.DataFrame(rows, columns=list(COLUMNS), dtype=object), rules, "p.csv")
    row = compute_month(rules, data, "2012-05").iloc[0]
    said = statement(row, rules["P1"])
    assert said.rating == row["rag"]
    if row["rag"]:
        assert said.relation in ALLOWED[(ind["polarity"], row["rag"])]
        assert row["display"].replace("-", "\u2212") in said.text  # a minus sign, unbroken
    arrow_words = {"↑": "improved", "↓": "worsened", "→": "unchanged"}
    assert arrow_words[row["dot_previous"]] in said.text
    if row["rag"]:
        _the_words_agree_with_the_figures_printed(said, row["display"])


def _figure(text: str) -> float:
    return float(text.replace("\u2212", "-").replace(",", "").rstrip("%"))


def _the_words_agree_with_the_figures_printed(said, display: str) -> None:
    """Read as a committee member reads it: the result shown (or, judged unrounded, the result
    before rounding the sentence gives) against the target or band edges printed beside it."""
    import re

    number = r"([\u2212-]?[\d,]+(?:\.\d+)?%?)"
    before = re.search(rf"\(the result is {number}(?: per [\d,]+)? before rounding\)", said.text)
    value = _figure(before.group(1) if before else display)
    if said.relation in ("above", "below", "equals"):
        found = re.search(rf"(meets|above|below) the target of {number}", said.text)
        word, target = found.group(1), _figure(found.group(2))
        assert word == {"above": "above", "below": "below", "equals": "meets"}[said.relation]
        assert {"above": value > target, "below": value < target,
                "meets": value == target}[word], said.text
    else:
        low, high = (_figure(x) for x in re.search(rf"target range of {number} to {number}",
                                                   said.text).groups())
        assert {"within": low <= value <= high, "above_range": value > high,
                "below_range": value < low}[said.relation], said.text


def test_lead_indicators_get_their_group_count_and_chart(tmp_path):
    rules = load_rules(BUNDLED_RULES)
    report = compute_report(rules, load_data(BUNDLED_DATA, rules), "2012-05")
    lead = {"SCS12": ("Above", 10.0, 20.0), "SCS13": ("Within", 0.0, 5.0)}

    def with_lead(frame):
        frame = frame.copy()
        frame["range_status"] = [lead.get(i, ("",))[0] for i in frame["id"]]
        frame["expected_low"] = [lead[i][1] if i in lead else math.nan for i in frame["id"]]
        frame["expected_high"] = [lead[i][2] if i in lead else math.nan for i in frame["id"]]
        frame.loc[frame["id"].isin(lead), ["rag", "target", "floor", "polarity"]] = ["", math.nan, math.nan, None]
        return frame

    plain = report.results_for
    report.results = with_lead(report.results)
    report.results_for = lambda month: with_lead(plain(month))
    paper = compose(report)
    blocks = paper.blocks
    heading = next(i for i, b in enumerate(blocks) if b.text == "Lead indicators against their expected range")
    after = [b for b in blocks[heading:] if b.indicator]
    assert [b.indicator for b in after if b.kind == "para"][:2] == ["SCS12", "SCS13"]
    assert [b.indicator for b in after if b.kind == "chart"][:2] == ["SCS12", "SCS13"]
    assert next(b.chart for b in after if b.kind == "chart").range_kind == "expected"
    opening = next(b.text for b in blocks if b.number == "3.1")
    assert "Of the 2 lead indicators, 1 is within their expected range, 1 above it and 0 below it." in opening
    para = next(b.text for b in after if b.indicator == "SCS12")
    assert "This is above the upper threshold of 20." in para
    document, charts = build_document(paper)
    assert charts == len(document.inline_shapes) == 12 + 2  # the 12 Red and the 2 lead


def test_text_a_word_document_cannot_hold_is_dropped(tmp_path, make_rules, make_data):
    """validate refuses such text (issue 15); the paper still drops it if rules built in code hold it."""
    from dataclasses import replace as _replace

    rules = make_rules()
    rules = _replace(rules, indicators=tuple(
        _replace(ind, name="Percentage\x01 of children\x0b seen", section="CP\x07")
        for ind in rules.indicators))
    data = make_data(rules, [("K1", "2012-05", None, None, 70.0)])
    paper = compose(compute_report(rules, data, "2012-05"))
    document, _ = build_document(paper)
    out = tmp_path / "p.docx"
    document.save(str(out))  # and it reads back
    text = "\n".join(p.text for p in docx.Document(str(out)).paragraphs)
    assert "Percentage of children seen is 70.0%" in text and "\x01" not in text

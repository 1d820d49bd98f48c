"""Every paragraph of the paper, for the bundled sample and every month of the synthetic
history, checked against the results it was drafted from: the same rating, the figures as
displayed, the change recomputed here from the displayed figures, the arrow's direction."""

from __future__ import annotations

from conftest import BUNDLED_DATA, BUNDLED_RULES, REPO_ROOT

from xl_scorecard.core.engine import prepare
from xl_scorecard.core.month_report import compute_report
from xl_scorecard.inputs.data import load_data
from xl_scorecard.inputs.rules_file import load_rules
from xl_scorecard.paper.content import compose

SYNTHETIC = REPO_ROOT / "workbooks" / "synthetic_kent_scs_2012-2014.csv"
ABOVE_WORDS = {"above": " above the target of ", "equals": "This meets the target of ",
               "below": " below the target of ", "within": "This is within the target range of ",
               "above_range": " above the target range of ", "below_range": " below the target range of "}
# the relations a rating allows, by polarity
ALLOWED = {("H", "Green"): {"above", "equals"}, ("H", "Amber"): {"below"}, ("H", "Red"): {"below"},
           ("L", "Green"): {"below", "equals"}, ("L", "Amber"): {"above"}, ("L", "Red"): {"above"},
           ("T", "Green"): {"within"}, ("T", "Amber"): {"above_range", "below_range"},
           ("T", "Red"): {"above_range", "below_range"}}
ARROW_WORDS = {"↑": "improved", "↓": "worsened", "→": "unchanged"}


def _number(display: str) -> float:
    return float(display.replace("%", "").replace(",", ""))


def _unit(row) -> str:
    return {"percent": " percentage points", "rate": " per 10,000"}.get(row["measure"], "")


def _check_month(rules, figures, data, month) -> int:
    report = compute_report(rules, data, month, figures=figures)
    paper = compose(report, with_charts=False)
    results = report.results.set_index("id")
    paras = {b.indicator: b for b in paper.blocks if b.kind == "para" and b.indicator}
    assert set(paras) == set(results.index), month
    group_of, current = {}, None
    for block in paper.blocks:
        if block.kind == "subheading":
            current = block.text.split(" ")[0]
        elif block.kind == "para" and block.indicator:
            group_of[block.indicator] = current
    for ident, row in results.iterrows():
        text, said = paras[ident].text, next(s for s in paper.statements if s.id == ident)
        assert said.rating == row["rag"], (month, ident)
        if row["rag"]:
            assert group_of[ident] == row["rag"], (month, ident)
            assert said.relation in ALLOWED[(row["polarity"], row["rag"])], (month, ident, said.relation)
            assert ABOVE_WORDS[said.relation] in text, (month, ident)
        moved = f"The rating has moved from {row['rag_previous']} to {row['rag']}"
        assert (moved in text) == bool(row["rag"] and row["rag_previous"] and row["rag"] != row["rag_previous"]), (month, ident)
        if not row["display"]:
            assert "has no result" in text
            continue
        shown = row["display"].replace("-", "\u2212") + (" per 10,000" if row["measure"] == "rate" else "")
        assert f" is {shown} " in text, (month, ident, text)
        if row["previous_display"]:
            change = round(abs(_number(row["display"]) - _number(row["previous_display"])), int(row["decimals"]))
            if change == 0:
                assert "the same as" in text, (month, ident)
            else:
                unit = _unit(row)
                if unit == " percentage points" and change == 1:
                    unit = " percentage point"
                words = "up" if _number(row["display"]) > _number(row["previous_display"]) else "down"
                previous = row['previous_display'].replace('-', '\u2212')
                assert f"{words} {change:,.{int(row['decimals'])}f}{unit} from {previous}" in text, (month, ident, text)
        if row["dot_previous"]:
            assert f"performance {'is' if row['dot_previous'] == '→' else 'has'} " \
                   f"{ARROW_WORDS[row['dot_previous']]}" in text, (month, ident, text)
            opposite = {"↑": "worsened", "↓": "improved"}.get(row["dot_previous"])
            if opposite:
                assert opposite not in text, (month, ident)
    return len(paras)


def test_every_paragraph_of_the_bundled_sample():
    rules = load_rules(BUNDLED_RULES)
    data = load_data(BUNDLED_DATA, rules)
    assert _check_month(rules, prepare(rules, data), data, "2012-05") == 44


def test_every_paragraph_of_every_month_of_the_synthetic_history():
    rules = load_rules(BUNDLED_RULES)
    data = load_data(SYNTHETIC, rules)
    figures = prepare(rules, data)
    assert len(data.months) == 24
    checked = sum(_check_month(rules, figures, data, month) for month in data.months)
    assert checked == 24 * 44


def test_the_opening_counts_are_the_summary_counts():
    rules = load_rules(BUNDLED_RULES)
    report = compute_report(rules, load_data(BUNDLED_DATA, rules), "2012-05")
    opening = next(b.text for b in compose(report, with_charts=False).blocks if b.number == "3.1")
    assert opening.startswith("Of the 44 indicators with a RAG rating, 16 are rated Green (target "
                              "achieved), 16 Amber (below target but within the floor standard) and "
                              "12 Red (beyond the floor standard).")
    d = report.summary.against_previous
    assert f"{d.improved} have improved, {d.unchanged} are unchanged and {d.worsened} have worsened" in opening
    numbers = [b.number for b in compose(report, with_charts=False).blocks if b.number.startswith("3.")]
    assert numbers == [f"3.{k}" for k in range(1, 46)]

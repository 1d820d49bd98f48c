"""A target shown but not rated, and a T band without a single target."""

from __future__ import annotations

import pytest

from xl_scorecard.core.notes import data_notes


def test_a_target_shown_but_not_rated(month_row, make_rules):
    th = [{"from": "2012-04", "target": 85, "floor": 76.5, "rated": False}]
    row = month_row("2012-05", [("2012-04", 80), ("2012-05", 90)], thresholds=th)
    assert (row["target"], row["rag"], row["rag_previous"], row["target_rated"]) == (85, "", "", False)
    assert row["dot_previous"] == "↑"
    rules = make_rules(thresholds=th)
    ind = rules["K1"]
    assert data_notes(ind, ind.thresholds[0]).startswith("Target: 85.0% (shown for information, not RAG rated).")


def test_rated_targets_say_so(month_row, kent_results):
    assert month_row("2012-05", [("2012-05", 90)])["target_rated"]
    assert set(kent_results["target_rated"]) == {"True"}


BAND = [{"from": "2012-04", "target": None, "green": [15, 20], "amber": [12, 23]}]


@pytest.mark.parametrize("previous, latest, arrow", [
    (25, 22, "↑"),      # closer to the band from above
    (10, 13, "↑"),      # closer from below
    (16, 19, "→"),      # both inside: zero distance either way
    (19, 21, "↓"),      # left the band
    (14, 21, "→"),      # one below, one above, both 1 away
])
def test_a_band_without_a_target_judges_arrows_by_distance_to_the_band(month_row, previous, latest, arrow):
    row = month_row("2012-05", [("2012-04", previous), ("2012-05", latest)], polarity="T",
                    measure="count", decimals=0, thresholds=BAND)
    assert row["dot_previous"] == arrow
    assert row["rag"] in ("Green", "Amber", "Red")


def test_a_default_floor_rule_fills_floors_not_given(make_rules, make_data, run_cli, write_json,
                                                     make_document, make_indicator):
    from xl_scorecard.core.engine import compute_month

    h = make_indicator(thresholds=[{"from": "2012-04", "target": 80}])
    l_ind = make_indicator(id="L1", polarity="L", thresholds=[{"from": "2012-04", "target": 10}])
    given = make_indicator(id="G1", thresholds=[{"from": "2012-04", "target": 80, "floor": None}])
    rules = make_rules(indicators=[h, l_ind, given], scorecard={"default_floor": {"H": 0.9, "L": 1.1}})
    rows = [("K1", "2012-05", None, None, 72), ("L1", "2012-05", None, None, 11),
            ("G1", "2012-05", None, None, 79)]
    result = compute_month(rules, make_data(rules, rows), "2012-05").set_index("id")
    assert result.loc["K1", "floor"] == pytest.approx(72) and result.loc["K1", "rag"] == "Amber"
    assert result.loc["L1", "floor"] == pytest.approx(11) and result.loc["L1", "rag"] == "Amber"
    assert list(result["floor_derived"]) == [True, True, False]
    assert result.loc["G1", "rag"] == "Red"                    # an explicit null floor stays no Amber
    notes = data_notes(rules["K1"], rules["K1"].thresholds[0])
    assert "(Floor 72.0% derived from the scorecard's default floor rule.)" in notes
    # without the rule a missing floor is still refused
    code, _, err = run_cli("validate", "--rules", write_json(make_document(h)))
    assert code == 2 and "$.indicators[0].thresholds[0] (K1): missing 'floor'" in err
    # the factor must keep the floor on the right side of the target
    bad = make_document(h, default_floor={"H": 1.2})
    code, _, err = run_cli("validate", "--rules", write_json(bad))
    assert code == 2 and "default_floor.H" in err


def test_a_live_workbook_keeps_unrated_targets_unrated_and_band_arrows_static(make_rules, make_data):
    from xl_scorecard.core.month_report import compute_report
    from xl_scorecard.layout.scorecard import DOT_PREVIOUS, RAG, scorecard_sheet

    rules = make_rules(indicators=[
        {"id": "N1", "name": "not rated", "polarity": "H", "period": "SS", "measure": "percent",
         "decimals": 1, "thresholds": [{"from": "2012-04", "target": 85, "floor": 80, "rated": False}]},
        {"id": "B1", "name": "band", "polarity": "T", "period": "SS", "measure": "count",
         "decimals": 0, "thresholds": BAND}])
    rows = [("N1", "2012-04", None, None, 70), ("N1", "2012-05", None, None, 90),
            ("B1", "2012-04", None, None, 25), ("B1", "2012-05", None, None, 22)]
    layout = scorecard_sheet(compute_report(rules, make_data(rules, rows), "2012-05"), live=True)
    cells = {(c.row, c.col): c for c in layout.cells}
    n1, b1 = layout.commentary["N1"][0], layout.commentary["B1"][0]
    assert cells[(n1, RAG)].formula is None and cells[(n1, RAG)].value == ""
    assert cells[(n1, DOT_PREVIOUS)].formula.startswith("DOT(")
    assert cells[(b1, RAG)].formula.startswith("RAG(")
    assert cells[(b1, DOT_PREVIOUS)].formula is None and cells[(b1, DOT_PREVIOUS)].value == "↑"

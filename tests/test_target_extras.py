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
    assert data_notes(ind, ind.thresholds[0]).startswith("Target: 85% (shown for information, not RAG rated).")


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

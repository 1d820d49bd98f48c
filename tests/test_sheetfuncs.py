"""The worksheet functions as plain Python: rules, blanks, errors, ranges, the engine's answers."""

from __future__ import annotations

import datetime as dt
import json
import math
import os

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from xl_scorecard import compute_month, load_data, load_rules, summarise
from xl_scorecard.inputs import sample
from xl_scorecard.excel import functions as sf
from xl_scorecard.core.summary import DirectionCounts, compose_paragraph

# the one message for a wrong decimals argument: it names "none", which RAG also takes
BAD_DECIMALS = ('RAG: decimals must be a whole number from 0 to 6, or "none" to rate the value '
                'unrounded')


@pytest.fixture(autouse=True)
def _default_settings(monkeypatch):
    """Every test starts from the bundled rules and no report month."""
    monkeypatch.delenv(sf.RULES_ENV, raising=False)
    monkeypatch.delenv(sf.MONTH_ENV, raising=False)


def column(values) -> list[list]:
    """A list as an Excel column (N x 1), NaN as a blank cell."""
    return [[None if isinstance(v, float) and math.isnan(v) else v] for v in values]


def flat(cells) -> list:
    return [row[0] for row in cells]


# =========================================================================== RAG

RAG_CASES = [
    # value, target, floor, polarity, decimals, expected
    (85, 85, 76.5, "H", 1, "Green"),            # on target is Green
    (84.95, 85, 76.5, "H", 1, "Green"),         # shown as 85.0: Green, never a contradiction
    (84.94, 85, 76.5, "H", 1, "Amber"),
    (76.5, 85, 76.5, "H", 1, "Amber"),          # on the floor is Amber
    (76.45, 85, 76.5, "H", 1, "Amber"),         # shown as 76.5
    (76.44, 85, 76.5, "H", 1, "Red"),
    (99, 85, 76.5, "H", 1, "Green"),
    (84.5, 85, 76.5, "H", 0, "Green"),          # decimals 0: shown as 85
    (84.49, 85, 76.5, "H", 0, "Amber"),
    (84, 85, None, "H", 1, "Red"),              # no floor: no Amber
    (85, 85, None, "H", 1, "Green"),
    (10, 10, 11, "L", 1, "Green"),
    (10.04, 10, 11, "L", 1, "Green"),           # shown as 10.0
    (10.05, 10, 11, "L", 1, "Amber"),           # shown as 10.1 (half away from zero)
    (11, 10, 11, "L", 1, "Amber"),
    (11.05, 10, 11, "L", 1, "Red"),
    (10.1, 10, None, "L", 1, "Red"),
    (-1.04, -1, 0, "L", 1, "Green"),            # negative values round half away from zero
    (-0.95, -1, 0, "L", 1, "Green"),            # shown as -1.0
    (-0.94, -1, 0, "L", 1, "Amber"),
    (0.28499999999999998 * 100, 29, 20, "H", 0, "Green"),  # 28.5 to Excel, rounds to 29
    (85, 85, 76.5, "h", 1, "Green"),            # polarity in any case
    (9, 10, 11, " l ", 1, "Green"),
    ("85", 85, 76.5, "H", 1, "Green"),          # a number written as text still counts
    (True, 1, None, "H", 0, "RAG: value TRUE is not a number"),  # a tick box is not a figure
]

BAND = ([40, 60], [30, 70])
T_CASES = [
    (40, "Green"), (60, "Green"), (50, "Green"),
    (39.95, "Green"), (60.04, "Green"),         # shown as 40.0 / 60.0
    (39.94, "Amber"), (60.05, "Amber"),
    (30, "Amber"), (70, "Amber"), (29.95, "Amber"),
    (29.94, "Red"), (70.05, "Red"), (0, "Red"), (100, "Red"),
]


@pytest.mark.parametrize("value,target,floor,polarity,decimals,expected", RAG_CASES)
def test_rag_boundaries(value, target, floor, polarity, decimals, expected):
    assert sf.rag(value, target, floor, polarity, decimals) == expected


@pytest.mark.parametrize("value,expected", T_CASES)
def test_rag_polarity_t_bands_inclusive(value, expected):
    green, amber = BAND
    assert sf.rag(value, green, amber, "T") == expected
    assert sf.rag(value, [green], [[amber[0]], [amber[1]]], "T") == expected  # row or column pair


@pytest.mark.parametrize("value,expected", [(50, "Green"), (39.94, "Red"), (75, "Red")])
def test_rag_polarity_t_without_amber_band(value, expected):
    assert sf.rag(value, [40, 60], None, "T") == expected
    assert sf.rag(value, [40, 60], [None, None], "T") == expected


def test_rag_defaults_are_h_and_one_decimal():
    assert sf.rag(84.95, 85, 76.5) == "Green"
    assert sf.rag(84.94, 85, 76.5) == "Amber"
    assert sf.rag(84.94, 85, 76.5, None, None) == "Amber"  # None is the same as left out
    assert sf.rag(84.94, 85, 76.5, "", [[None]]) == "Amber"


@pytest.mark.parametrize("blank", [None, "", "  ", math.nan, np.nan, "#N/A", "#DIV/0!", "#VALUE!",
                                   "#REF!", "#NAME?", "#NUM!", "#NULL!", "#n/a",
                                   {"type": "Error", "errorType": "NotAvailable"}])
def test_blank_or_error_values_give_blank_results(blank):
    assert sf.rag(blank, 85, 76.5) == ""
    assert sf.rag(80, blank, 76.5) == ""          # no target: no rating
    assert sf.rag(80, 85, blank) == "Red"         # no floor: no Amber
    assert sf.dot(blank, 1) == ""
    assert sf.dot(1, blank) == ""
    assert sf.kpirate(blank, 10) == ""
    assert sf.kpirate(1, blank) == ""
    assert sf.kpi_rag(blank, "SCS14") == ""
    assert sf.kpi_value(blank, 10, "SCS14") == ""
    assert sf.rag([[blank], [90]], 85, 76.5) == [[""], ["Green"]]


@pytest.mark.parametrize("call,message", [
    (lambda: sf.rag("abc", 85), "RAG: value 'abc' is not a number"),
    (lambda: sf.rag(80, "eighty"), "RAG: target 'eighty' is not a number"),
    (lambda: sf.rag(80, 85, "x"), "RAG: floor 'x' is not a number"),
    (lambda: sf.rag(80, 85, 76.5, "X"), "RAG: polarity must be H, L or T"),
    (lambda: sf.rag(80, 85, 76.5, 1), "RAG: polarity must be H, L or T"),
    (lambda: sf.rag(80, 85, 76.5, "H", -1), BAD_DECIMALS),
    (lambda: sf.rag(80, 85, 76.5, "H", 1.5), BAD_DECIMALS),
    (lambda: sf.rag(80, 85, 76.5, "H", "one"), BAD_DECIMALS),
    (lambda: sf.dot(1, 2, "Up"), "DOT: polarity must be H, L or T"),
    (lambda: sf.dot("x", 2), "DOT: latest 'x' is not a number"),
    (lambda: sf.dot(1, 2, "T"), "DOT: polarity T needs the target (one number)"),
    (lambda: sf.dot(1, 2, "H", None, -0.1), "DOT: tolerance must be zero or more"),
    (lambda: sf.kpirate("ten", 2), "KPIRATE: numerator 'ten' is not a number"),
    (lambda: sf.kpirate(1, 2, "per cent"), "KPIRATE: multiplier 'per cent' is not a number"),
])
def test_wrong_arguments_give_a_message_saying_what_to_fix(call, message):
    assert call() == message


@pytest.mark.parametrize("target,floor,fragment", [
    (60, [30, 70], "for polarity T, target must be the green band: two cells (low, high)"),
    ([40, 60], 30, "for polarity T, floor must be the amber band"),
    ([40, 50, 60], None, "target must be the green band"),
    ([[40, 50, 60], [1, 2, 3]], None, "target must be the green band"),
    (["low", 60], None, "target band must be two numbers (low, high)"),
    ([40, None], None, "target band needs both low and high"),
    ([60, 40], None, "target band low 60 is above high 40"),
    ([40, 60], [70, 30], "floor band low 70 is above high 30"),
])
def test_bad_bands_give_a_message(target, floor, fragment):
    result = sf.rag(50, target, floor, "T")
    assert result.startswith("RAG: ") and fragment in result


@pytest.mark.parametrize("call", [
    lambda: sf.rag(50, [40, 60], None, "H"), lambda: sf.rag(50, [40, 60]),
    lambda: sf.rag(50, [[40], [60]], None, None, 0),
    lambda: sf.rag([[50]], [[40, 60]], [[30]], "L"),
])
def test_a_band_for_an_h_or_l_indicator_is_a_mistake(call):
    assert call() == "RAG: target must be one number for polarity H or L; a two-cell band is for T"


def test_mismatched_ranges_give_one_message():
    assert sf.rag([[1], [2]], [[1], [2], [3]]) == (
        "RAG: ranges must be the same size: value is 2x1 but target is 3x1")
    assert sf.dot([[1, 2]], [[1], [2]]).startswith("DOT: ranges must be the same size")
    assert sf.kpirate([1, 2, 3], [[1, 2, 3]]).startswith("KPIRATE: ranges must be the same size")
    assert sf.kpi_rag([[1], [2]], [["SCS14"], ["SCS14"], ["SCS14"]]).startswith(
        "KPI_RAG: ranges must be the same size")


def test_not_a_rectangular_range():
    assert sf.rag([[1], [2, 3]], 1) == "RAG: value is not a rectangular range"


def test_dates_count_as_their_serial_numbers():
    assert sf.rag(dt.date(2020, 1, 1), 43831) == "Green"
    assert sf.rag(dt.datetime(2019, 12, 31), 43831, 43000) == "Amber"


# --------------------------------------------------------------------------- ranges


def test_range_in_gives_same_shaped_range_out_and_scalars_broadcast():
    values = [[90, 80], [70, None]]
    assert sf.rag(values, 85, 76.5) == [["Green", "Amber"], ["Red", ""]]
    assert sf.rag(values, [[85, 85], [85, 85]], [[76.5, 76.5], [76.5, 76.5]]) == [
        ["Green", "Amber"], ["Red", ""]]
    assert sf.rag(85, [[85], [90], [99]], 76.5) == [["Green"], ["Amber"], ["Amber"]]  # any can be


def test_output_container_follows_the_input():
    assert sf.rag([[90]], 85) == [["Green"]]                 # a 1x1 range stays a range
    assert sf.rag([90, 80], 85) == ["Green", "Red"]           # 1-D in, 1-D out (read as a column)
    out = sf.rag(np.array([[90.0], [80.0]]), 85)
    assert isinstance(out, np.ndarray) and out.shape == (2, 1)
    assert out.tolist() == [["Green"], ["Red"]]
    out = sf.kpirate(np.array([1.0, 2.0]), np.array([4.0, 0.0]))
    assert isinstance(out, np.ndarray) and out.tolist() == [25.0, ""]
    assert sf.rag(pd.Series([90, 80]), 85) == ["Green", "Red"]


def test_a_wrong_cell_in_a_range_gets_the_message_the_rest_compute():
    got = sf.rag([[90], ["abc"], [80], ["#N/A"]], [[85], [85], ["x"], [85]])
    assert got == [["Green"], ["RAG: value 'abc' is not a number"],
                   ["RAG: target 'x' is not a number"], [""]]


def test_polarity_range_mixes_h_l_and_none():
    got = sf.rag([[90], [80], [90], [90]], 85, [[80], [95], [80], [80]],
                 [["H"], ["L"], [None], ["Q"]])
    assert got == [["Green"], ["Green"], [""], ["RAG: polarity must be H, L or T"]]
    got = sf.rag([[90], [90]], 85, None, [["H"], ["T"]])
    assert got[0] == ["Green"] and got[1][0].startswith("RAG: polarity T needs bands")


def test_polarity_t_bands_one_pair_per_row():
    values = [[50], [65], [75], [None]]
    green = [[40, 60], [40, 66], [40, 60], [40, 60]]
    amber = [[30, 70], [30, 70], [30, 80], [30, 70]]
    assert sf.rag(values, green, amber, "T") == [["Green"], ["Green"], ["Amber"], [""]]
    assert sf.rag(values, green, [30, 70], "T") == [["Green"], ["Green"], ["Red"], [""]]
    assert sf.rag(50, green, None, "T") == [["Green"], ["Green"], ["Green"], ["Green"]]
    got = sf.rag(values, [[40, 60], [60, 40], ["x", 60], [40, 60]], None, "T")
    assert got[0] == ["Green"] and got[3] == [""]
    assert got[1] == ["RAG: target band low 60 is above high 40"]
    assert got[2] == ["RAG: target 'x' is not a number"]
    assert sf.rag([[1], [2]], green, None, "T").startswith("RAG: ranges must be the same size")


def test_decimals_can_be_a_range():
    assert sf.rag([[84.5], [84.5]], 85, 76.5, "H", [[0], [1]]) == [["Green"], ["Amber"]]
    got = sf.rag([[84.5], [84.5]], 85, 76.5, "H", [[0], [9]])
    assert got == [["Green"], [BAD_DECIMALS]]


# =========================================================================== DOT

DOT_CASES = [
    # latest, previous, polarity, target, tolerance, expected
    (5, 4, "H", None, 0, "↑"), (4, 5, "H", None, 0, "↓"), (5, 5, "H", None, 0, "→"),
    (28.6, 28.7, "L", None, 0, "↑"),           # a fall is an improvement for L
    (28.7, 28.6, "L", None, 0, "↓"),
    (98.94, 98.91, "H", None, 0, "↑"),         # both shown as 98.9: compared unrounded
    (21, 25, "T", 20, 0, "↑"), (25, 21, "T", 20, 0, "↓"),
    (19, 21, "T", 20, 0, "→"),                 # equally far from target
    (5.05, 5, "H", None, 0.1, "→"), (5.2, 5, "H", None, 0.1, "↑"),
    (0.1 + 0.2, 0.3, "H", None, 0, "→"),       # 15 significant digits, as Excel
]


@pytest.mark.parametrize("latest,previous,polarity,target,tolerance,expected", DOT_CASES)
def test_dot(latest, previous, polarity, target, tolerance, expected):
    assert sf.dot(latest, previous, polarity, target, tolerance) == expected


def test_dot_ranges_with_mixed_polarity_and_targets():
    got = sf.dot([[5], [5], [21], [5], [5]], [[4], [4], [25], [None], [4]],
                 [["H"], ["L"], ["T"], ["H"], [None]], [[None], [None], [20], [None], [None]])
    assert got == [["↑"], ["↓"], ["↑"], [""], [""]]
    # T without a target: no arrow; a blank tolerance is 0
    assert sf.dot([[5], [5]], 4, "T", [[None], [4.2]]) == [[""], ["↓"]]
    assert sf.dot([[5.05], [5.2]], 5, "H", None, [[None], [0.1]]) == [["↑"], ["↑"]]


# =========================================================================== KPIRATE


def test_kpirate():
    assert sf.kpirate(1420, 1683) == pytest.approx(84.37314319667261)
    assert sf.kpirate(2064, 312597, 10000) == pytest.approx(66.02750506242862)
    assert sf.kpirate(8674, 434.8, 1) == pytest.approx(19.94940202391904)
    assert sf.kpirate(5, 0) == ""
    assert sf.kpirate(5, None) == ""
    assert sf.kpirate(0, 5) == 0.0
    got = sf.kpirate([[1], [2], [3]], [[4], [0], [None]], [[100], [100], [None]])
    assert got == [[25.0], [""], [""]]
    assert sf.kpirate([[1], [1]], [[4], [4]], [[None], [10]]) == [[25.0], [2.5]]  # blank: 100


# ======================================================================== the sample vs the engine


@pytest.fixture(scope="module")
def engine():
    """(rules, results) for the bundled sample in May 2012."""
    rules = load_rules(sample.rules_path())
    data = load_data(sample.data_path(), rules)
    return rules, compute_month(rules, data, "2012-05")


def test_sample_has_all_44_indicators(engine):
    _, results = engine
    assert len(results) == 44 and set(results["polarity"]) == {"H", "L", "T"}


def test_rag_range_agrees_with_engine_on_sample(engine):
    _, res = engine
    hl = res[res["polarity"] != "T"]
    got = sf.rag(column(hl["value"]), column(hl["target"]), column(hl["floor"]),
                 column(hl["polarity"]), column(hl["decimals"]))
    assert flat(got) == list(hl["rag"])
    t = res[res["polarity"] == "T"]
    got = sf.rag(column(t["value"]), t[["green_low", "green_high"]].to_numpy().tolist(),
                 t[["amber_low", "amber_high"]].to_numpy().tolist(), "T", column(t["decimals"]))
    assert flat(got) == list(t["rag"])


def test_rag_cell_by_cell_agrees_with_engine_on_sample(engine):
    _, res = engine
    for row in res.itertuples():
        if row.polarity == "T":
            got = sf.rag(row.value, [row.green_low, row.green_high],
                         [row.amber_low, row.amber_high], "T", row.decimals)
        else:
            floor = None if math.isnan(row.floor) else row.floor
            got = sf.rag(row.value, row.target, floor, row.polarity, row.decimals)
        assert got == row.rag, row.id


def test_numpy_columns_agree_with_engine_on_sample(engine):
    _, res = engine
    hl = res[res["polarity"] != "T"]
    got = sf.rag(hl["value"].to_numpy(), hl["target"].to_numpy(), hl["floor"].to_numpy(),
                 hl["polarity"].to_numpy(), hl["decimals"].to_numpy())
    assert list(got) == list(hl["rag"])


def test_dot_agrees_with_engine_on_sample(engine):
    _, res = engine
    got = sf.dot(column(res["value"]), column(res["previous"]), column(res["polarity"]),
                 column(res["target"]))
    assert flat(got) == list(res["dot_previous"])
    for row in res.itertuples():
        assert sf.dot(row.value, row.previous, row.polarity, row.target) == row.dot_previous, row.id


def test_kpirate_agrees_with_engine_on_sample(engine):
    rules, res = engine
    rated = res[res["numerator"].notna() & res["denominator"].notna()]
    assert len(rated) >= 30
    multipliers = [rules[i].multiplier for i in rated["id"]]
    got = sf.kpirate(column(rated["numerator"]), column(rated["denominator"]), column(multipliers))
    assert flat(got) == list(rated["value"])


def test_kpi_functions_agree_with_engine_on_sample(engine):
    _, res = engine
    ids, values, previous = column(res["id"]), column(res["value"]), column(res["previous"])
    for month in ("2012-05", None, dt.date(2012, 5, 31), 41060):  # 41060 is 31 May 2012
        assert flat(sf.kpi_rag(values, ids, month)) == list(res["rag"])
        assert flat(sf.kpi_dot(values, previous, ids, month)) == list(res["dot_previous"])
    for row in res.itertuples():
        assert sf.kpi_rag(row.value, row.id, "2012-05") == row.rag, row.id
        assert sf.kpi_dot(row.value, row.previous, row.id) == row.dot_previous, row.id


def test_kpi_value_agrees_with_engine_on_sample(engine):
    rules, res = engine
    has_pair = res["numerator"].notna() & res["denominator"].notna()
    pairs = res[has_pair]
    got = sf.kpi_value(column(pairs["numerator"]), column(pairs["denominator"]),
                       column(pairs["id"]))
    assert flat(got) == list(pairs["value"])
    counts = res[res["measure"] == "count"]
    assert len(counts) == 6
    got = sf.kpi_value(column(counts["value"]), None, column(counts["id"]))  # count = numerator
    assert flat(got) == list(counts["value"])


def test_kpi_target_and_floor_agree_with_engine_on_sample(engine):
    _, res = engine
    for row in res.itertuples():
        if row.polarity == "T":
            assert sf.kpi_target(row.id) == [[row.green_low, row.green_high]]
            assert sf.kpi_floor(row.id, "2012-05") == [[row.amber_low, row.amber_high]]
        else:
            assert sf.kpi_target(row.id) == row.target
            assert sf.kpi_floor(row.id, "2012-05") == row.floor
    hl = res[res["polarity"] != "T"]
    assert flat(sf.kpi_target(column(hl["id"]))) == list(hl["target"])
    both = sf.kpi_target(column(res["id"]))  # a T id among them: two cells per id
    for row, cells in zip(res.itertuples(), both):
        expected = [row.green_low, row.green_high] if row.polarity == "T" else [row.target, ""]
        assert cells == expected, row.id


def test_kpi_summary_agrees_with_engine_on_sample(engine):
    _, res = engine
    paragraph = sf.kpi_summary(column(res["rag"]), column(res["dot_previous"]),
                               column(res["dot_outturn"]))
    counts = res["rag"].value_counts()
    arrows = res["dot_previous"].value_counts()
    expected = compose_paragraph(counts["Green"], counts["Amber"], counts["Red"],
                                 DirectionCounts(arrows.get("↑", 0), arrows.get("→", 0),
                                                 arrows.get("↓", 0)))
    assert paragraph == expected
    assert summarise(res).paragraph.startswith(paragraph)  # the engine adds the RAG changes
    assert paragraph.startswith("There are 44 measures with a RAG rating. Of these 16 are rated "
                                "Green, 16 Amber and 12 Red.")


# =========================================================================== KPI_* settings


def test_kpi_ids_ignore_case_and_unknown_ids_say_so():
    assert sf.kpi_rag(84.4, "scs14") == "Green"
    assert sf.kpi_rag(84.4, "NOPE") == "KPI_RAG: no indicator 'NOPE' in rules.json"
    assert sf.kpi_rag([[84.4], [70]], [["SCS14"], ["NOPE"]]) == [
        ["Green"], ["KPI_RAG: no indicator 'NOPE' in rules.json"]]
    assert sf.kpi_rag(84.4, None) == ""          # a blank id: a blank result
    assert sf.kpi_target([["SCS14"], [None]]) == [[78.8], [""]]
    assert sf.kpi_value(1, 2, "NOPE") == "KPI_VALUE: no indicator 'NOPE' in rules.json"


def test_kpi_month_forms_and_bad_months():
    assert sf.kpi_rag(84.4, "SCS14", "May 2012") == "Green"
    assert sf.kpi_rag(84.4, "SCS14", dt.datetime(2012, 5, 1)) == "Green"
    assert sf.kpi_rag(84.4, "SCS14", "soon") == (
        "KPI_RAG: month 'soon' is not a month; write it as YYYY-MM or give a date")
    assert sf.kpi_rag(84.4, "SCS14", -5).startswith("KPI_RAG: month -5 is not a date")
    assert sf.kpi_rag(84.4, "SCS14", "2011-05") == ""  # before any thresholds: no rating
    got = sf.kpi_rag([[84.4], [84.4]], "SCS14", [["2012-05"], ["never"]])
    assert got[0] == ["Green"] and got[1][0].startswith("KPI_RAG: month 'never'")


@pytest.fixture
def dated_rules(tmp_path, monkeypatch):
    """A rules.json (in use) whose target changes in April 2013, when its Amber goes."""
    document = {
        "scorecard": {"title": "Test", "dot_tolerance": 0.5},
        "indicators": [
            {"id": "P1", "name": "Percent seen", "polarity": "H", "period": "SS",
             "measure": "percent", "decimals": 1,
             "thresholds": [{"from": "2012-04", "target": 80, "floor": 70},
                            {"from": "2013-04", "target": 90, "floor": None}]},
            {"id": "R1", "name": "Rate", "polarity": "T", "period": "SS", "measure": "rate",
             "per": 10000, "decimals": 0,
             "thresholds": [{"from": "2012-04", "target": 50, "green": [45, 56], "amber": None}]},
            {"id": "C1", "name": "Count", "polarity": None, "period": "SS", "measure": "count",
             "decimals": 0, "rag_basis": "unrounded"},
        ],
    }
    path = tmp_path / "rules.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    monkeypatch.setenv(sf.RULES_ENV, str(path))
    return path


def test_thresholds_in_force_for_the_month(dated_rules, monkeypatch):
    assert sf.kpi_rag(85, "P1", "2013-03") == "Green"
    assert sf.kpi_rag(85, "P1", "2013-04") == "Red"       # new target, no Amber
    assert sf.kpi_rag(75, "P1", "2012-06") == "Amber"
    assert sf.kpi_rag(85, "P1") == "Red"                  # no month: the latest thresholds
    monkeypatch.setenv(sf.MONTH_ENV, "2012-09")
    assert sf.kpi_rag(85, "P1") == "Green"                # the report month
    assert sf.kpi_target("P1") == 80.0 and sf.kpi_floor("P1") == 70.0
    assert sf.kpi_floor("P1", "2013-04") == ""            # no Amber
    assert sf.kpi_rag([[85], [85]], "P1", [["2013-03"], [None]]) == [["Green"], ["Green"]]
    monkeypatch.setenv(sf.MONTH_ENV, "next month")
    assert sf.kpi_rag(85, "P1").startswith(
        "KPI_RAG: XL_SCORECARD_MONTH 'next month' is not a month")


def test_indicator_settings_come_from_rules(dated_rules):
    assert sf.kpi_value(5, 1000, "R1") == 50.0            # rate per 10,000
    assert sf.kpi_value(7, None, "C1") == 7.0             # a count is its numerator
    assert sf.kpi_rag(44.6, "R1") == "Green"              # decimals 0: shown as 45
    assert sf.kpi_rag(44.4, "R1") == "Red"                # no amber band
    assert sf.kpi_target("R1") == [[45.0, 56.0]] and sf.kpi_floor("R1") == [["", ""]]
    assert sf.kpi_rag(7, "C1") == "" and sf.kpi_dot(7, 5, "C1") == ""  # no polarity
    assert sf.kpi_dot(85.4, 85, "P1") == "→"              # scorecard dot_tolerance 0.5
    assert sf.kpi_dot(85.6, 85, "P1") == "↑"
    assert sf.kpi_dot(52, 58, "R1") == "↑"                # T: nearer the target of 50


def test_rules_edits_are_picked_up_and_bad_rules_are_named(dated_rules):
    assert sf.kpi_target("P1", "2012-05") == 80.0
    document = json.loads(dated_rules.read_text())
    document["indicators"][0]["thresholds"][0]["target"] = 82
    dated_rules.write_text(json.dumps(document))
    stamp = dated_rules.stat().st_mtime_ns + 10**9
    os.utime(dated_rules, ns=(stamp, stamp))
    assert sf.kpi_target("P1", "2012-05") == 82.0
    document["indicators"][0]["thresholds"][0]["floor"] = 95
    dated_rules.write_text(json.dumps(document))
    os.utime(dated_rules, ns=(stamp + 10**9, stamp + 10**9))
    message = sf.kpi_rag(85, "P1")
    assert message.startswith(
        "KPI_RAG: rules.json: $.indicators[0].thresholds[0].floor (P1): floor 95")
    assert str(dated_rules.parent) not in message         # short: the file name only
    dated_rules.write_text("{not json")
    os.utime(dated_rules, ns=(stamp + 2 * 10**9, stamp + 2 * 10**9))
    assert "not valid JSON" in sf.kpi_target("P1")


def test_missing_rules_file(monkeypatch, tmp_path):
    monkeypatch.setenv(sf.RULES_ENV, str(tmp_path / "nowhere.json"))
    assert sf.kpi_rag(1, "SCS14") == ("KPI_RAG: rules file 'nowhere.json' not found "
                                      "(set XL_SCORECARD_RULES to its path)")


def test_kpi_target_shapes():
    assert sf.kpi_target("SCS14") == 78.8
    assert sf.kpi_target([["SCS14"]]) == [[78.8]]
    assert sf.kpi_target([["SCS02"]]) == [[489.33, 598.07]]
    assert sf.kpi_target(["SCS14", "SCS02"]) == [[78.8, ""], [489.33, 598.07]]
    assert sf.kpi_target([["SCS14", "SCS02"]]).startswith(
        "KPI_TARGET: polarity T indicators give two")
    assert sf.kpi_target([["SCS14"], ["NOPE"], ["SCS02"]]) == [
        [78.8, ""], ["KPI_TARGET: no indicator 'NOPE' in rules.json", ""], [489.33, 598.07]]


def test_kpi_target_and_floor_feed_rag():
    """=RAG(E5, KPI_TARGET(A5), KPI_FLOOR(A5), "T") works: T thresholds come back as bands."""
    bands = sf.kpi_target("SCS02"), sf.kpi_floor("SCS02")
    assert [sf.rag(v, *bands, "T") for v in (500, 470, 450)] == ["Green", "Amber", "Red"]
    assert sf.rag(84.4, sf.kpi_target("SCS14"), sf.kpi_floor("SCS14")) == sf.kpi_rag(84.4, "SCS14")
    assert sf.kpi_rag(84.4, "SCS14", "05/2012") == "Green"


# =========================================================================== KPI_SUMMARY


def test_kpi_summary_counts_and_ignores_blanks():
    text = sf.kpi_summary([["Green"], ["G"], ["amber"], ["R"], [None], ["#N/A"], [""]],
                          [["↑"], ["↓"], [None], ["→"], ["↑"], [None], [None]])
    assert text == ("There are 4 measures with a RAG rating. Of these 2 are rated Green, 1 Amber "
                    "and 1 Red. Compared with last month, 2 measures have improved, 1 is unchanged "
                    "and 1 has worsened.")
    assert sf.kpi_summary([[None]], None) == "No measures have a RAG rating."
    assert sf.kpi_summary("Green") .startswith("There is 1 measure")
    assert sf.kpi_summary([["Green"], ["Purple"]]) == (
        "KPI_SUMMARY: rating 'Purple' is not Green, Amber or Red")
    assert sf.kpi_summary([["Green"]], [["up"]]) == (
        "KPI_SUMMARY: direction 'up' is not one of ↑ → ↓")
    with_outturn = sf.kpi_summary(["Green"], ["↑"], ["↓"])
    assert with_outturn.endswith("Compared with the outturn, 0 measures have improved, 0 are "
                                 "unchanged and 1 has worsened.")


# =========================================================================== properties

cells = st.one_of(
    st.none(), st.just(""), st.sampled_from(["#N/A", "#DIV/0!", "abc", "12.5", "H"]),
    st.just(math.nan), st.floats(allow_nan=False, min_value=-1e6, max_value=1e6),
    st.integers(-1000, 1000), st.booleans(), st.dates(dt.date(1990, 1, 1), dt.date(2030, 1, 1)),
)
numbers = st.one_of(
    st.none(), st.just("#N/A"),
    st.floats(min_value=-1e4, max_value=1e4, allow_nan=False).map(lambda x: round(x, 3)))


@settings(max_examples=150, deadline=None)
@given(st.lists(st.tuples(numbers, numbers, numbers, st.sampled_from(["H", "L", None])),
                min_size=2, max_size=12),
       st.integers(0, 3))
def test_rag_range_equals_cell_by_cell(rows, decimals):
    """A blank polarity in a range means no polarity (one blank cell alone means 'left out': H)."""
    values, targets, floors, polarities = (column(c) for c in zip(*rows))
    got = sf.rag(values, targets, floors, polarities, decimals)
    expected = [[sf.rag(v[0], t[0], f[0], p[0] or "", decimals) if p[0] else ""]
                for v, t, f, p in zip(values, targets, floors, polarities)]
    assert got == expected


@settings(max_examples=150, deadline=None)
@given(st.lists(st.tuples(numbers, numbers, numbers, st.sampled_from(["H", "L", "T", None])),
                min_size=2, max_size=12))
def test_dot_range_equals_cell_by_cell(rows):
    latest, previous, targets, polarities = (column(c) for c in zip(*rows))
    got = sf.dot(latest, previous, polarities, targets)
    for (cell,), l, p, t, pol in zip(got, latest, previous, targets, polarities):
        if pol[0] is None:
            assert cell == ""
        elif pol[0] == "T" and t[0] in (None, "#N/A"):
            assert cell == ""
        else:
            assert cell == sf.dot(l[0], p[0], pol[0], t[0])


@settings(max_examples=150, deadline=None)
@given(st.lists(st.tuples(numbers, numbers), min_size=1, max_size=12),
       st.sampled_from([1, 100, 10000]))
def test_kpirate_range_equals_cell_by_cell(rows, multiplier):
    nums, dens = (column(c) for c in zip(*rows))
    got = sf.kpirate(nums, dens, multiplier)
    assert got == [[sf.kpirate(n[0], d[0], multiplier)] for n, d in zip(nums, dens)]


@settings(max_examples=200, deadline=None)
@given(st.lists(st.lists(cells, min_size=2, max_size=2), min_size=1, max_size=6), cells, cells)
def test_no_input_raises(grid, scalar, other):
    """Whatever lands in the cells, a result or a message comes back, never an exception."""
    for fn, args in [
        (sf.rag, (grid, scalar, other)), (sf.rag, (scalar, grid, None, "T")),
        (sf.rag, (grid, scalar, other, grid)), (sf.dot, (grid, scalar, other)),
        (sf.dot, (grid, grid, "T", other, scalar)), (sf.kpirate, (grid, other, scalar)),
        (sf.kpi_rag, (grid, "SCS14", scalar)), (sf.kpi_dot, (scalar, other, grid)),
        (sf.kpi_value, (scalar, grid, "SCS02")), (sf.kpi_target, (grid, scalar)),
        (sf.kpi_floor, (scalar,)), (sf.kpi_summary, (grid, grid, scalar)),
    ]:
        out = fn(*args)
        assert isinstance(out, (str, float, list)), (fn, args, out)
        if isinstance(out, float):
            assert not math.isnan(out)
        if isinstance(out, list):
            for row in out:
                for cell in (row if isinstance(row, list) else [row]):
                    assert isinstance(cell, (str, float)) and cell == cell  # no NaN to Excel


def test_one_call_over_100k_rows_is_fast():
    """Not a benchmark: a guard that the range path stays vectorised (milliseconds, not seconds)."""
    import time
    rng = np.random.default_rng(7)
    values = (rng.random((100_000, 1)) * 100).round(2)
    as_lists = values.tolist()
    as_lists[5] = ["#N/A"]
    start = time.perf_counter()
    out = sf.rag(as_lists, 80, 72, "H", 1)
    assert len(out) == 100_000 and out[5] == [""]
    assert time.perf_counter() - start < 2.0


def test_a_python_int_beyond_a_float_is_a_message_not_an_overflow():
    """Excel never sends one, but a Python caller can: found by fuzzing."""
    assert sf.rag(10**400, 85) == "RAG: value is too large a number (401 digits)"
    assert sf.kpirate(1, 10**400).startswith("KPIRATE: denominator is too large a number")

"""Bad rules.json files: each mistake is named with the indicator id and its JSON path, exit 2."""

from __future__ import annotations

import copy

import pytest

from xl_scorecard.core.errors import RulesError
from xl_scorecard.inputs.rules_file import rules_from_dict

# A1: H percent (target 85, floor 76.5); B2: T rate per 10,000 (target 20, green 18..23,
# amber 15..27). Each case below breaks one thing.
H_INDICATOR = {"id": "A1", "polarity": "H"}
T_INDICATOR = {"id": "B2", "polarity": "T", "measure": "rate", "per": 10000}


@pytest.fixture
def good_document(make_document, make_indicator):
    return make_document(make_indicator(**H_INDICATOR), make_indicator(**T_INDICATOR))


def _set(*path_and_value):
    *path, key, value = path_and_value

    def mutate(doc):
        node = doc
        for part in path:
            node = node[part]
        node[key] = value

    return mutate


def _drop(*path):
    *path, key = path

    def mutate(doc):
        node = doc
        for part in path:
            node = node[part]
        del node[key]

    return mutate


def _append_threshold(i, threshold):
    return lambda doc: doc["indicators"][i]["thresholds"].append(threshold)


def _make_l(doc):
    doc["indicators"][0]["polarity"] = "L"
    doc["indicators"][0]["thresholds"][0].update(target=10, floor=9)


A1, B2 = ("indicators", 0), ("indicators", 1)
A1_TH, B2_TH = A1 + ("thresholds", 0), B2 + ("thresholds", 0)

BAD_RULES = [
    pytest.param(_drop(*B2, "id"), "$.indicators[1]", None, "missing required field 'id'",
                 id="missing-id"),
    pytest.param(_set(*A1, "polarity", "X"), "$.indicators[0].polarity", "A1",
                 "'X' is not allowed; use one of 'H', 'L', 'T', null", id="unknown-polarity"),
    pytest.param(_set(*A1_TH, "target", "85"), "$.indicators[0].thresholds[0].target", "A1",
                 "'85' is not a number", id="text-target"),
    pytest.param(_set(*B2_TH, "green", [17, 20, 23]), "$.indicators[1].thresholds[0].green", "B2",
                 "a band must be two numbers [low, high], not [17, 20, 23]", id="band-of-three"),
    pytest.param(_set(*B2_TH, "green", [18]), "$.indicators[1].thresholds[0].green", "B2",
                 "a band must be two numbers [low, high], not [18]", id="band-of-one"),
    pytest.param(_set(*B2_TH, "amber", [15, 20, 27]), "$.indicators[1].thresholds[0].amber", "B2",
                 "must be two numbers [low, high] or null", id="amber-band-of-three"),
    pytest.param(_set(*A1, "polarty", "H"), "$.indicators[0]", "A1", "unknown field 'polarty'",
                 id="unknown-field-typo"),
    pytest.param(_set(*B2, "id", "A1"), "$.indicators[1].id", "A1",
                 "duplicate id 'A1': already used by $.indicators[0]", id="duplicate-id"),
    pytest.param(_set(*A1_TH, "floor", 90), "$.indicators[0].thresholds[0].floor", "A1",
                 "floor 90 is above target 85", id="H-floor-above-target"),
    pytest.param(_make_l, "$.indicators[0].thresholds[0].floor", "A1",
                 "floor 9 is below target 10", id="L-floor-below-target"),
    pytest.param(_set(*B2_TH, "target", 30), "$.indicators[1].thresholds[0].target", "B2",
                 "target 30 is outside its green band [18, 23]", id="T-target-outside-green"),
    pytest.param(_set(*B2_TH, "amber", [19, 27]), "$.indicators[1].thresholds[0].amber", "B2",
                 "green band [18, 23] is not inside amber band [19, 27]", id="green-not-inside-amber"),
    pytest.param(_append_threshold(0, {"from": "2011-04", "target": 80, "floor": 70}),
                 "$.indicators[0].thresholds[1].from", "A1",
                 "thresholds must be in date order: 2011-04 does not come after 2012-04",
                 id="thresholds-out-of-order"),
    pytest.param(_append_threshold(0, {"from": "2012-04", "target": 80, "floor": 70}),
                 "$.indicators[0].thresholds[1].from", "A1", "2012-04 does not come after 2012-04",
                 id="thresholds-same-month-twice"),
    pytest.param(_set(*A1_TH, "from", "2012-4"), "$.indicators[0].thresholds[0].from", "A1",
                 "'2012-4' is not a month in the form YYYY-MM", id="malformed-from"),
    pytest.param(_drop(*B2, "per"), "$.indicators[1]", "B2", "measure 'rate' needs 'per'",
                 id="rate-without-per"),
    pytest.param(_set(*A1, "per", 100), "$.indicators[0]", "A1",
                 "'per' applies only to measure 'rate'", id="per-on-percent"),
    pytest.param(_set(*A1_TH, "green", [80, 90]), "$.indicators[0].thresholds[0]", "A1",
                 "green and amber bands are for polarity T only", id="green-band-on-H"),
    pytest.param(_set(*B2_TH, "floor", 10), "$.indicators[1].thresholds[0]", "B2",
                 "a polarity T threshold takes green and amber bands, not a floor", id="floor-on-T"),
    pytest.param(_drop(*A1_TH, "floor"), "$.indicators[0].thresholds[0]", "A1",
                 "missing 'floor'", id="H-without-floor"),
    pytest.param(_set(*A1, "decimals", 1.5), "$.indicators[0].decimals", "A1",
                 "1.5 is not a whole number from 0 to 6", id="fractional-decimals"),
    # "none" is what =RAG() takes for an unrounded rating; rules.json says it with rag_basis
    pytest.param(_set(*A1, "decimals", "none"), "$.indicators[0].decimals", "A1",
                 "'none' is not a whole number from 0 to 6; to rate the value unrounded, set "
                 '"rag_basis": "unrounded"', id="decimals-none"),
    pytest.param(_set(*A1, "decimals", 7), "$.indicators[0].decimals", "A1",
                 "7 is not a whole number from 0 to 6", id="decimals-seven"),
    pytest.param(_set(*A1, "decimals", -1), "$.indicators[0].decimals", "A1",
                 "-1 is not a whole number from 0 to 6", id="decimals-negative"),
    pytest.param(_set(*B2, "per", 0), "$.indicators[1].per", "B2",
                 "0 is not allowed: it must be greater than 0 (the multiplier, e.g. 10000 for per "
                 "10,000)", id="per-zero"),
    pytest.param(_set(*A1, "name", ""), "$.indicators[0].name", "A1", "is empty: give the name",
                 id="empty-name"),
    pytest.param(_set(*A1, "year_start_month", 13), "$.indicators[0].year_start_month", "A1",
                 "13 is not a month number: give 1 (January) to 12 (December)",
                 id="year-start-thirteen"),
    pytest.param(_set(*A1, "year_start_month", 4.5), "$.indicators[0].year_start_month", "A1",
                 "4.5 is not an integer", id="fractional-year-start"),
    pytest.param(_set("indicators", []), "$.indicators", None, "there must be at least one indicator",
                 id="no-indicators"),
]


@pytest.mark.parametrize("mutate, path, ident, message", BAD_RULES)
def test_validate_reports_bad_rules(run_cli, write_json, good_document, mutate, path, ident, message):
    document = copy.deepcopy(good_document)
    mutate(document)
    rules = write_json(document)
    code, out, err = run_cli("validate", "--rules", rules)
    assert code == 2
    assert out == ""
    assert "Traceback" not in err
    where = f"{rules}: {path} ({ident}): " if ident else f"{rules}: {path}: "
    lines = err.splitlines()
    assert all(line.startswith("error: ") for line in lines), err
    assert any(line.startswith(f"error: {where}") and message in line for line in lines), err


def test_rules_from_dict_raises_the_same_problem(good_document):
    document = copy.deepcopy(good_document)
    document["indicators"][0]["thresholds"][0]["floor"] = 90
    with pytest.raises(RulesError) as caught:
        rules_from_dict(document, source="mine.json")
    [problem] = caught.value.problems
    assert problem.where == "mine.json: $.indicators[0].thresholds[0].floor (A1)"
    assert "floor 90 is above target 85" in problem.message


def test_every_problem_is_reported_at_once(run_cli, write_json, good_document):
    document = copy.deepcopy(good_document)
    document["indicators"][0]["thresholds"][0]["floor"] = 90
    document["indicators"][1]["thresholds"][0]["target"] = 30
    code, _, err = run_cli("validate", "--rules", write_json(document))
    assert code == 2
    assert "(A1): floor 90 is above target 85" in err
    assert "(B2): target 30 is outside its green band" in err


def test_not_json_names_line_and_column(run_cli, tmp_path):
    rules = tmp_path / "rules.json"
    rules.write_text('{"scorecard": {"title": "x"},\n  "indicators": [,]}\n', encoding="utf-8")
    code, out, err = run_cli("validate", "--rules", rules)
    assert code == 2
    assert out == ""
    assert f"error: {rules}: line 2 column 18: not valid JSON" in err
    assert "Traceback" not in err


def test_missing_rules_file(run_cli, tmp_path):
    code, _, err = run_cli("validate", "--rules", tmp_path / "nowhere.json")
    assert code == 2
    assert "nowhere.json: file not found" in err


@pytest.mark.parametrize("schema_field", [
    pytest.param(None, id="schema-absent"),
    pytest.param("./xl_scorecard/inputs/rules.schema.json", id="schema-present"),
])
def test_schema_reference_is_optional(run_cli, write_json, good_document, schema_field):
    document = copy.deepcopy(good_document)
    if schema_field:
        document["$schema"] = schema_field
    assert ("$schema" in document) == bool(schema_field)
    rules = write_json(document)
    code, out, err = run_cli("validate", "--rules", rules)
    assert (code, err) == (0, "")
    assert out == f"{rules}: valid, 2 indicators\n"


def test_own_fields_with_x_prefix_are_allowed(run_cli, write_json, good_document):
    document = copy.deepcopy(good_document)
    document["indicators"][0]["x-owner"] = "MI team"
    code, _, err = run_cli("validate", "--rules", write_json(document))
    assert (code, err) == (0, "")


def test_bundled_rules_are_valid(run_cli):
    code, out, err = run_cli("validate")
    assert (code, err) == (0, "")
    assert out.endswith("rules.json: valid, 44 indicators\n")


@pytest.mark.parametrize("command", ["results", "summary"])
def test_commands_refuse_invalid_rules(run_cli, write_json, good_document, command, tmp_path):
    document = copy.deepcopy(good_document)
    document["indicators"][0]["thresholds"][0]["floor"] = 90
    rules = write_json(document)
    data = tmp_path / "data.csv"
    data.write_text("indicator,period,numerator,denominator,value\nA1,2012-05,,,80\n",
                    encoding="utf-8")
    out_file = tmp_path / "out.csv"
    code, out, err = run_cli(command, "--rules", rules, "--data", data, "--out", out_file)
    assert code == 2
    assert out == ""
    assert f"error: {rules}: $.indicators[0].thresholds[0].floor (A1): floor 90 is above" in err
    assert "Traceback" not in err
    assert not out_file.exists()


@pytest.mark.parametrize("command", ["results", "summary"])
def test_commands_accept_the_same_rules_when_valid(run_cli, write_json, good_document, command,
                                                   tmp_path):
    """The control for the test above: only the bad floor made it fail."""
    rules = write_json(good_document)
    data = tmp_path / "data.csv"
    data.write_text("indicator,period,numerator,denominator,value\nA1,2012-05,,,80\n",
                    encoding="utf-8")
    code, out, err = run_cli(command, "--rules", rules, "--data", data)
    assert (code, err) == (0, "")
    assert out

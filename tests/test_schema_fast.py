"""The compiled schema check (jsonschema-rs) and jsonschema agree on what is valid.

``rules_file.schema_valid_fast`` lets a valid document skip jsonschema (1.2 s for 5,000
indicators, 7 ms compiled); a document it does not find valid goes through jsonschema as
before. So whatever it finds valid, jsonschema must find valid (the other way round they may
differ: its regular expressions do not let ``$`` match before a final newline, so it sends
"2012-05\n" to jsonschema, which decides as it always did). These tests throw the fuzzers'
documents at both.
"""

from __future__ import annotations

import copy
import json

import jsonschema
import pytest
from hypothesis import given
from hypothesis import strategies as st

from xl_scorecard.inputs import rules_file

from conftest import BUNDLED_RULES
from test_fuzz import BUNDLED, BUNDLED_PATHS, FAST, json_like, near_documents

pytest.importorskip("jsonschema_rs")


def _jsonschema_valid(document) -> bool:
    return not any(True for _ in jsonschema.Draft202012Validator(rules_file.schema())
                   .iter_errors(document))


def _agree(document) -> None:
    if rules_file.schema_valid_fast(document):
        assert _jsonschema_valid(document), document


@FAST
@given(json_like)
def test_arbitrary_documents(document):
    _agree(document)


@FAST
@given(near_documents())
def test_documents_of_the_right_shape(document):
    _agree(document)


@FAST
@given(st.lists(st.tuples(st.sampled_from(BUNDLED_PATHS), json_like), min_size=1, max_size=3))
def test_bundled_rules_with_values_replaced(mutations):
    document = copy.deepcopy(BUNDLED)
    for path, value in mutations:
        try:
            parent = document
            for part in path[:-1]:
                parent = parent[part]
            parent[path[-1]] = value
        except (KeyError, IndexError, TypeError):
            continue  # an earlier replacement removed the path
    _agree(document)


@pytest.mark.parametrize("value", ["2012-05\n", "2012-5", "NaN", 10**30, True, 1.0, "2012-05"])
def test_edge_values_of_a_threshold_date_and_number(value):
    for path in (("indicators", 0, "thresholds", 0, "from"), ("indicators", 0, "decimals")):
        document = copy.deepcopy(BUNDLED)
        node = document
        for part in path[:-1]:
            node = node[part]
        node[path[-1]] = value
        _agree(document)


def test_where_they_differ_jsonschema_decides(monkeypatch):
    # A month with a trailing newline once split them (Python's "$" matches before it); the
    # schema's month pattern now refuses it both ways (issue 14's merge), so the difference is
    # made here: a compiled check that refuses everything.
    document = copy.deepcopy(BUNDLED)
    document["indicators"][0]["thresholds"][0]["from"] = "2012-05\n"
    assert not rules_file.schema_valid_fast(document) and not _jsonschema_valid(document)

    class Refuses:
        def is_valid(self, document):
            return False

    monkeypatch.setattr(rules_file, "_fast_validator", lambda: Refuses())
    assert not rules_file.schema_valid_fast(BUNDLED) and _jsonschema_valid(BUNDLED)
    assert list(rules_file.schema_problems(BUNDLED)) == []


def test_the_bundled_rules_are_valid_both_ways():
    document = json.loads(BUNDLED_RULES.read_text(encoding="utf-8"))
    assert rules_file.schema_valid_fast(document) and _jsonschema_valid(document)

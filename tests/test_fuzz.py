"""Fuzzing: arbitrary rules documents and data tables either work or raise our own input error.

Hypothesis throws random JSON-like documents and mutated copies of the bundled
rules.json at ``rules.rules_from_dict``, and random tables of cells (text,
numbers, None, dates, huge/NaN/infinite floats, odd months, odd headers) at
``data.check_table`` and then ``engine.compute_month`` and the summary. Each
call must return a result or raise a ``ScorecardError`` subclass: never a
KeyError, TypeError, OverflowError, ... Example counts are kept modest so the
file runs in well under 30 seconds.
"""

from __future__ import annotations

import copy
import datetime as dt
import json
import math
import warnings

import pandas as pd
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from xl_scorecard.inputs.data import COLUMNS, check_table
from xl_scorecard.core.table import DataTable
from xl_scorecard.core.engine import compute_month
from xl_scorecard.core.errors import ScorecardError
from xl_scorecard.core.rules import Rules
from xl_scorecard.inputs.rules_file import load_rules, rules_from_dict
from xl_scorecard.core.summary import summarise

from conftest import BUNDLED_RULES

FAST = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow],
                derandomize=False)
BUNDLED = json.loads(BUNDLED_RULES.read_text(encoding="utf-8"))
RULES = load_rules(BUNDLED_RULES)
FIELD_NAMES = ["scorecard", "indicators", "title", "organisation", "service", "year_start_month",
               "dot_tolerance", "id", "ref", "name", "section", "polarity", "period", "measure",
               "per", "decimals", "rag_basis", "source", "notes", "thresholds", "from", "target",
               "floor", "green", "amber", "inferred", "x-own", "$schema"]

# ----- values

numbers = st.one_of(
    st.integers(min_value=-10, max_value=10),
    st.integers(),  # arbitrarily large
    st.integers(min_value=10**300, max_value=10**400),
    st.floats(allow_nan=True, allow_infinity=True),
    st.sampled_from([0, 0.0, -0.0, 1e308, -1e308, 5e-324, 85, 76.5, 10000]),
)
texts = st.one_of(
    st.text(max_size=12),
    st.sampled_from(["H", "L", "T", "SS", "YTD", "R12M", "Q", "annual", "percent", "rate",
                     "average", "count", "displayed", "unrounded", "2012-04", "2012-13", "0000-01",
                     "9999-12", "SCS01", "", " ", "=1+1", "N/A", "NaN", "85%"]),
)
scalars = st.one_of(st.none(), st.booleans(), numbers, texts)
json_like = st.recursive(
    scalars,
    lambda children: st.one_of(
        st.lists(children, max_size=4),
        st.dictionaries(st.one_of(st.sampled_from(FIELD_NAMES), st.text(max_size=6)), children,
                        max_size=5),
    ),
    max_leaves=25,
)


def _assert_ours(call):
    """Run ``call``: a result, or one of our own input errors with at least one problem."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", RuntimeWarning)  # no silent overflow or NaN warnings
            return call()
    except ScorecardError as exc:
        assert exc.problems and all(str(p) for p in exc.problems)
        for problem in exc.problems:
            assert "\n" not in problem.message, problem
        return None


# --------------------------------------------------------------------------- rules


def _bundled_with(path, value):
    document = copy.deepcopy(BUNDLED)
    node = document
    for part in path[:-1]:
        node = node[part]
    node[path[-1]] = value
    return document


@FAST
@given(json_like)
@example(_bundled_with(("indicators", 0, "per"), 10**400))           # float() overflows
@example(_bundled_with(("indicators", 0, "thresholds", 0, "target"), math.nan))
@example(_bundled_with(("scorecard", "dot_tolerance"), math.inf))
@example(_bundled_with(("indicators", 1, "id"), "SCS01"))             # a duplicate id
def test_arbitrary_documents(document):
    result = _assert_ours(lambda: rules_from_dict(document, source="fuzz.json"))
    assert result is None or isinstance(result, Rules)


@st.composite
def near_documents(draw):
    """A rules document of the right shape with random values in random places."""
    def indicator():
        ind = {key: draw(scalars) for key in draw(st.lists(st.sampled_from(FIELD_NAMES[7:19]),
                                                            max_size=12, unique=True))}
        for key in ("id", "name", "polarity", "period", "measure", "decimals"):
            if draw(st.booleans()) or key not in ind:
                ind[key] = {"id": draw(st.sampled_from(["A1", "B2", "A1 "])), "name": "x",
                            "polarity": draw(st.sampled_from(["H", "L", "T", None, "X"])),
                            "period": "SS",
                            "measure": draw(st.sampled_from(["percent", "rate", "count", "average"])),
                            "decimals": draw(st.integers(-1, 7))}[key]
        ind["thresholds"] = draw(st.lists(st.dictionaries(
            st.sampled_from(["from", "target", "floor", "green", "amber", "inferred"]),
            st.one_of(scalars, st.lists(numbers, max_size=3)), max_size=6), max_size=3))
        return ind

    return {"scorecard": {"title": draw(st.sampled_from(["t", ""]))},
            "indicators": [indicator() for _ in range(draw(st.integers(0, 3)))]}


@FAST
@given(near_documents())
def test_documents_of_the_right_shape(document):
    result = _assert_ours(lambda: rules_from_dict(document, source="fuzz.json"))
    assert result is None or isinstance(result, Rules)


def _paths(node, path=()):
    yield path
    if isinstance(node, dict):
        for key, value in node.items():
            yield from _paths(value, path + (key,))
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from _paths(value, path + (i,))


BUNDLED_PATHS = [p for p in _paths(BUNDLED) if p]


@FAST
@given(st.lists(st.tuples(st.sampled_from(BUNDLED_PATHS), st.sampled_from(["set", "drop", "copy"]),
                          json_like), min_size=1, max_size=4))
def test_mutated_bundled_rules(mutations):
    document = copy.deepcopy(BUNDLED)
    for path, how, value in mutations:
        parent = document
        try:
            for part in path[:-1]:
                parent = parent[part]
            key = path[-1]
            if how == "set":
                parent[key] = value
            elif how == "drop":
                del parent[key]
            elif isinstance(parent, list):  # copy: a duplicated entry (e.g. a duplicate id)
                parent.insert(key, copy.deepcopy(parent[key]))
            else:
                parent[key] = copy.deepcopy(parent[key])
        except (KeyError, IndexError, TypeError):
            continue  # an earlier mutation removed the path
    result = _assert_ours(lambda: rules_from_dict(document, source="fuzz.json"))
    assert result is None or isinstance(result, Rules)


# --------------------------------------------------------------------------- data tables

ids = st.one_of(st.sampled_from(list(RULES.ids[:6])), st.sampled_from(["SCS99", "", " SCS01 ", "scs01"]),
                st.none(), numbers)
months = st.one_of(
    st.sampled_from(["2012-04", "2012-05", "2012-03", "2013-03", "Feb-15", "2015/02", "02/2015",
                     "15/02/2015", "02/03/2015", "2012-02-30", "2012-13", "May", "", "0001-01",
                     "9999-12", "2012-05-01 00:00:00"]),
    st.dates(min_value=dt.date(1, 1, 1)),
    st.datetimes(),
    st.just(pd.NaT), st.none(), numbers, st.text(max_size=8),
)
cells = st.one_of(st.none(), numbers, st.booleans(), st.dates(), st.text(max_size=8),
                  st.sampled_from(["N/A", "1,234", "12%", " 7 ", "-5", "0", "1e400", "nan", "inf",
                                   "#DIV/0!", "14,65"]))


@st.composite
def tables(draw):
    header = list(COLUMNS)
    if draw(st.integers(0, 9)) == 0:  # now and then an odd header
        header = draw(st.lists(st.sampled_from(list(COLUMNS) + ["Value", " Period ", "extra", ""]),
                               min_size=1, max_size=7))
    rows = draw(st.lists(st.tuples(ids, months, cells, cells, cells), max_size=12))
    body = [list(r[:len(header)]) + [None] * (len(header) - 5) for r in rows]
    return pd.DataFrame(body, columns=header, dtype=object)


def _month_report(table: DataTable, month):
    results = compute_month(RULES, table, month)
    summary = summarise(results, RULES.scorecard.year_start_month)
    assert len(results) == len(RULES.indicators)
    for value in results["value"]:
        assert not (isinstance(value, float) and math.isinf(value))
    return summary


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(tables(), st.one_of(st.none(), st.sampled_from(["2012-05", "2013-01", "garbage", "2012-5"])))
def test_arbitrary_tables_then_the_engine(frame, asked):
    table = _assert_ours(lambda: check_table(frame, RULES, source="fuzz.csv"))
    if table is None:
        return
    assert isinstance(table, DataTable)
    assert table.frame["period"].map(lambda p: len(p) == 7 and p[4] == "-").all()
    for warning in table.warnings:
        assert str(warning).startswith("fuzz.csv")
    for month in table.months[-2:] + ([asked] if asked else []):
        _assert_ours(lambda: _month_report(table, month))


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(st.sampled_from(["SCS01", "SCS03", "SCS12", "SCS44"]),
                          st.sampled_from(["2012-03", "2012-04", "2012-05"]),
                          st.floats(allow_nan=False, allow_infinity=False),
                          st.floats(allow_nan=False, allow_infinity=False, min_value=0),
                          st.floats(allow_nan=False, allow_infinity=False)),
                min_size=1, max_size=10, unique_by=lambda r: (r[0], r[1])))
@example([("SCS01", "2012-03", 1.797693134862316e303, 1.0, 0.0)])  # x 10,000, then x 10: overflow
def test_valid_tables_with_extreme_numbers_always_compute(rows):
    """Well-formed tables are never refused by the engine, whatever the magnitudes."""
    frame = pd.DataFrame([list(r) for r in rows], columns=list(COLUMNS), dtype=object)
    table = check_table(frame, RULES, source="fuzz.csv")
    for month in table.months:
        summary = _assert_ours(lambda: _month_report(table, month))
        assert summary is not None
        assert summary.green + summary.amber + summary.red == summary.rated


def test_the_fuzzers_can_fail():
    """The property is not vacuous: something that raises a foreign exception is caught."""
    with pytest.raises(KeyError):
        _assert_ours(lambda: {}["missing"])


@pytest.mark.parametrize("path, value", [
    (("indicators", 0, "per"), 10**400),
    (("indicators", 0, "thresholds", 0, "target"), math.nan),
    (("indicators", 0, "thresholds", 0, "floor"), -math.inf),
    (("scorecard", "dot_tolerance"), math.inf),
])
def test_numbers_arithmetic_cannot_use_are_refused_at_their_path(path, value):
    with pytest.raises(ScorecardError) as caught:
        rules_from_dict(_bundled_with(path, value), source="fuzz.json")
    [problem] = caught.value.problems
    assert problem.where.startswith("fuzz.json: $." + ".".join(
        f"{p}" if isinstance(p, str) else f"[{p}]" for p in path).replace(".[", "["))
    assert "is not a finite number" in problem.message

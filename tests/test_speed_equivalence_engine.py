"""The engine's cached and vectorised paths give what the plain ones give.

``indicator_arrays.thresholds_at`` finds every indicator's thresholds in force by comparing
month indices instead of calling ``Indicator.threshold_for`` per indicator; ``text_column``
takes a text column from labels pandas inferred once instead of letting pandas infer the
whole column; ``compute_month`` keeps both per ``Figures``, so a month computed after
others must equal the same month computed from fresh figures.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from xl_scorecard.core.engine import compute_month, prepare
from xl_scorecard.core.indicator_arrays import THRESHOLD_NAMES, IndicatorArrays, text_column
from xl_scorecard.core.periods import Month
from xl_scorecard.core.rules import Indicator, Rules, Scorecard, Threshold
from xl_scorecard.inputs.data import load_data
from xl_scorecard.inputs.rules_file import load_rules

from conftest import REPO_ROOT

EXAMPLES = REPO_ROOT / "workbooks" / "examples"


def _plain_thresholds(rules: Rules, months) -> np.ndarray:
    """The table the engine once built: ``threshold_for`` per indicator and month."""
    table = np.full((len(rules.indicators), len(THRESHOLD_NAMES)), np.nan)
    for i, (ind, month) in enumerate(zip(rules.indicators, months)):
        th = ind.threshold_for(month) if month is not None else None
        if th is not None:
            table[i] = (*th.numbers(), *th.extras())
    return table


def _vectorised(rules: Rules, months) -> np.ndarray:
    index = np.array([-1 if m is None else m.index for m in months], dtype=np.int64)
    has_month = np.array([m is not None for m in months])
    found = IndicatorArrays.of(rules).thresholds_at(index, has_month)
    return np.column_stack([found[name] for name in THRESHOLD_NAMES])


def test_thresholds_in_force_equal_threshold_for_on_the_bundled_and_example_rules():
    for path in (REPO_ROOT / "rules.json", EXAMPLES / "rules.json"):
        rules = load_rules(path)
        for first in (Month(2011, 1), Month(2012, 4), Month(2016, 9), Month(2018, 3)):
            n = len(rules.indicators)
            for months in ([first] * n, [None if i % 3 == 0 else first - i for i in range(n)]):
                np.testing.assert_array_equal(_vectorised(rules, months),
                                              _plain_thresholds(rules, months))


month_strategy = st.builds(Month, st.integers(2010, 2013), st.integers(1, 12))
threshold_strategy = st.builds(
    Threshold, start=month_strategy, target=st.one_of(st.none(), st.floats(0, 100)),
    floor=st.one_of(st.none(), st.floats(0, 100)),
    green=st.one_of(st.none(), st.tuples(st.floats(0, 50), st.floats(50, 100))),
    expected=st.one_of(st.none(), st.tuples(st.none(), st.floats(0, 9))),
    rated=st.booleans(), floor_derived=st.booleans())


@settings(max_examples=80, deadline=None)
@given(st.lists(st.lists(threshold_strategy, max_size=4), min_size=1, max_size=6),
       st.lists(st.one_of(st.none(), month_strategy), min_size=6, max_size=6))
def test_thresholds_in_force_equal_threshold_for_in_any_order(entries, months):
    """Entries in any order (the last one starting at or before the month wins), none at all,
    months before every entry or no month."""
    indicators = tuple(Indicator(id=f"I{i}", name="x", polarity="H", period="SS", measure="count",
                                 decimals=0, thresholds=tuple(th)) for i, th in enumerate(entries))
    rules = Rules(Scorecard(title="t"), indicators)
    months = months[:len(indicators)]
    np.testing.assert_array_equal(_vectorised(rules, months), _plain_thresholds(rules, months))


@given(st.lists(st.sampled_from(["", "Green", "Amber", "Red", "2012-05", "↑"]), min_size=1,
                max_size=30), st.data())
def test_a_text_column_is_what_pandas_infers_from_the_whole_column(texts, data):
    vocabulary = sorted(set(texts))
    positions = np.array([vocabulary.index(t) for t in texts])
    if data.draw(st.booleans()):   # some positions -1: the fill
        positions = np.where(np.arange(len(texts)) % 3 == 0, -1, positions)
    expected = np.where(positions < 0, "", np.array(vocabulary, dtype=object)[positions])
    cache: dict = {}
    for _ in range(2):   # inferred, then taken from the cache
        frame = pd.DataFrame({"a": text_column(cache, "a", vocabulary, positions)})
        plain = pd.DataFrame({"a": expected.astype(object)})
        pd.testing.assert_frame_equal(frame, plain)
        assert frame["a"].dtype == plain["a"].dtype


def test_months_computed_on_shared_figures_equal_months_computed_afresh():
    """The Figures' cache (rules' arrays, inferred labels, window texts) changes no result,
    whatever month was computed first, and a caller editing a results frame changes no later one."""
    rules = load_rules(EXAMPLES / "rules.json")
    data = load_data(EXAMPLES / "anyshire_monthly_2016-2018.csv", rules)
    shared = prepare(rules, data)
    for month in data.months[::-5] + data.months[:3]:
        got = compute_month(rules, shared, month)
        got.loc[0, "id"] = "edited"
        got["name"].array[0] = "edited"      # in place, in the array pandas holds
        got["window_from"].array[0] = "edited"
        got["rag"] = "edited"
        again = compute_month(rules, shared, month)
        expected = compute_month(rules, prepare(rules, data), month)
        pd.testing.assert_frame_equal(again, expected)
        assert [str(p) for p in again.attrs["warnings"]] == [
            str(p) for p in expected.attrs["warnings"]]

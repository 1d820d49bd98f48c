"""The faster core paths give what the plain ones give.

``engine.prepare`` places each row straight into an indicators x months grid instead of a
pandas pivot; ``display.format_changes`` rounds columns at once instead of one change at a
time. Each is checked here against the plain way, written in the test.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from xl_scorecard.core.display import format_change, format_changes
from xl_scorecard.core.engine import prepare
from xl_scorecard.core.periods import Month
from xl_scorecard.core.rates import kpi_rate
from xl_scorecard.inputs.data import load_data
from xl_scorecard.inputs.rules_file import load_rules

from conftest import REPO_ROOT

RULES = load_rules(REPO_ROOT / "rules.json")


def _pivot(rules, data):
    """The wide tables written with pandas' pivot, as the engine once did."""
    frame = data.frame
    by_id = {ind.id: ind for ind in rules.indicators}
    num, den, given = (frame[c].to_numpy(dtype=float) for c in ("numerator", "denominator", "value"))
    measure = frame["indicator"].map(lambda i: by_id[i].measure).to_numpy()
    multiplier = frame["indicator"].map(lambda i: by_id[i].multiplier).to_numpy()
    value = np.where(measure == "count", np.where(np.isnan(given), num, given),
                     np.where(~np.isnan(num) & ~np.isnan(den), kpi_rate(num, den, multiplier), given))
    long = frame.assign(result=value)
    months = sorted(long["period"].unique())
    tables = {name: long.pivot(index="indicator", columns="period", values=column)
              .reindex(index=list(rules.ids), columns=months).astype(float)
              for name, column in (("values", "result"), ("numerators", "numerator"),
                                   ("denominators", "denominator"))}
    for table in tables.values():  # inside, months are Month objects (parsed once, here)
        table.columns = pd.Index([Month.parse(m) for m in months], dtype=object,
                                 name=table.columns.name)
    return tables


def _check(rules, data):
    figures, expected = prepare(rules, data), _pivot(rules, data)
    for name, table in expected.items():
        pd.testing.assert_frame_equal(getattr(figures, name), table)
        assert (table.index.name, table.columns.name) == ("indicator", "period")  # as pivot names them


def test_prepare_equals_a_pivot_on_the_published_and_synthetic_data():
    for name in ("kent_scs_2012.csv", "synthetic_kent_scs_2012-2014.csv"):
        _check(RULES, load_data(REPO_ROOT / "workbooks" / name, RULES))


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(list(RULES.ids)),
                          st.sampled_from(["2012-04", "2012-05", "2013-03", "2014-01"]),
                          st.one_of(st.none(), st.floats(0, 1e6)),
                          st.one_of(st.none(), st.floats(0, 1e6)),
                          st.one_of(st.none(), st.floats(-1e6, 1e6))),
                min_size=1, max_size=60, unique_by=lambda r: r[:2]))
def test_prepare_equals_a_pivot_on_random_tables(rows):
    from xl_scorecard.core.table import DataTable

    frame = pd.DataFrame(rows, columns=["indicator", "period", "numerator", "denominator", "value"])
    frame[["numerator", "denominator", "value"]] = frame[
        ["numerator", "denominator", "value"]].astype(float)
    frame["indicator"] = frame["indicator"].astype("str")
    frame["period"] = frame["period"].astype("str")
    _check(RULES, DataTable(frame, "random"))


finite = st.one_of(st.floats(-1e9, 1e9), st.just(float("nan")), st.sampled_from([84.95, 85.05, 0.5, -0.5, 2.675]))


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(finite, finite, st.sampled_from(["percent", "rate", "count", "average"]),
                          st.integers(0, 4)), min_size=1, max_size=20))
def test_format_changes_equals_format_change_one_by_one(rows):
    new, old, measures, decimals = (list(c) for c in zip(*rows))
    assert format_changes(new, old, measures, decimals) == [
        format_change(n, o, m, d) for n, o, m, d in rows]

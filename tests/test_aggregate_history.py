"""A 120-month history of each month's own figures (the bench's, bench/generated.py), aggregated
by the engine in one ``prepare``, against pandas written here: every window type, both
aggregate kinds, years from April, September and January, with months knocked out.

The pandas side takes a different road from the engine's shifted sums: a window of L months
ending at month t sums to cumsum(t) - cumsum(t - L), and is blank when the same difference
of the cumulative count of missing months is not zero.
"""

from __future__ import annotations

import json
import sys

import numpy as np
import pandas as pd
import pytest

from xl_scorecard.core.engine import prepare
from xl_scorecard.inputs.data import load_data
from xl_scorecard.inputs.rules_file import load_rules

from conftest import REPO_ROOT

sys.path.insert(0, str(REPO_ROOT / "bench"))
from generated import AGGREGATED_PERIODS, make_aggregated  # noqa: E402

MONTHS = 120
KNOCKED_OUT = {"AG05": ["2015-07"], "AG06": ["2013-02", "2019-11"], "AG13": ["2016-09"],
               "AG19": ["2020-01"], "AG24": ["2018-12"], "AG27": ["2021-05"], "AG37": ["2014-04"]}


@pytest.fixture(scope="module")
def history(tmp_path_factory):
    folder = tmp_path_factory.mktemp("aggregated")
    rules_path, data_path = make_aggregated(folder, MONTHS)
    frame = pd.read_csv(data_path, dtype={"period": str})
    gone = pd.Series(False, index=frame.index)
    for ident, months in KNOCKED_OUT.items():
        gone |= (frame["indicator"] == ident) & frame["period"].isin(months)
    frame = frame[~gone]
    frame.to_csv(data_path, index=False)
    rules = load_rules(rules_path)
    figures = prepare(rules, load_data(data_path, rules))
    return rules, frame, figures


def _lengths(index: pd.PeriodIndex, period: str, start: int) -> np.ndarray:
    """Months in the window ending at each month (0: no figure ends there)."""
    into_year = (index.month - start) % 12
    return {"SS": np.ones(len(index), int), "R12M": np.full(len(index), 12),
            "YTD": into_year + 1,
            "Q": np.where(into_year % 3 == 2, 3, 0),
            "annual": np.where(into_year == 11, 12, 0)}[period]


def _window_sum(values: pd.Series, lengths: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Window sums by differences of cumulative sums, and whether each window is complete."""
    total = np.concatenate([[0.0], values.fillna(0).cumsum().to_numpy()])
    gaps = np.concatenate([[0], values.isna().cumsum().to_numpy()])
    t = np.arange(1, len(values) + 1)
    begin = t - lengths
    inside = (lengths > 0) & (begin >= 0)
    begin = np.maximum(begin, 0)
    sums = total[t] - total[begin]
    complete = inside & (gaps[t] - gaps[begin] == 0)
    return sums, complete


def _expected(frame: pd.DataFrame, ind) -> pd.DataFrame:
    index = pd.period_range("2012-04", periods=MONTHS, freq="M")
    rows = frame[frame["indicator"] == ind.id].set_index("period")
    months = [str(m) for m in index]
    num = rows["value" if ind.measure == "count" else "numerator"].reindex(months).astype(float)
    den = rows["denominator"].reindex(months).astype(float)
    lengths = _lengths(index, ind.period, ind.year_start_month or 4)
    num_sum, ok = _window_sum(num, lengths)
    if ind.measure == "count":
        den_sum = np.full(MONTHS, np.nan)
    elif ind.aggregate == "sum":
        den_sum, den_ok = _window_sum(den, lengths)
        ok &= den_ok
    else:                                       # sum_over_latest: the window's last month
        den_sum = den.to_numpy()
        ok &= ~np.isnan(den_sum)
    multiplier = 1 if ind.measure == "count" else (ind.per or 100)
    with np.errstate(invalid="ignore", divide="ignore"):   # 0 / 0 in incomplete windows
        value = num_sum if ind.measure == "count" else num_sum / den_sum * multiplier
    out = pd.DataFrame({"numerator": num_sum, "denominator": den_sum, "value": value},
                       index=months)
    out[~ok] = np.nan
    return out


def _aggregated(rules):
    return [ind for ind in rules.indicators if ind.aggregate]


def test_the_history_has_every_window_type_both_kinds_and_three_year_starts(history):
    rules, _, _ = history
    kinds = {(ind.period, ind.aggregate, ind.year_start_month) for ind in _aggregated(rules)}
    assert kinds >= {(p, k, s) for p in AGGREGATED_PERIODS for k in ("sum", "sum_over_latest")
                     for s in (4, 9, 1)}
    assert {ind.frequency for ind in rules.indicators} >= {"quarterly", "annual"}


@pytest.mark.parametrize("ident", [f"AG{i:02d}" for i in range(1, 31)] + ["AG36", "AG37", "AG38",
                                                                          "AG40"])
def test_every_month_of_the_history_matches_pandas(history, ident):
    rules, frame, figures = history
    ind = rules[ident]
    want = _expected(frame, ind)
    for column, got in (("numerator", figures.numerators), ("denominator", figures.denominators),
                        ("value", figures.values)):
        row = got.loc[ident]
        got_row = pd.Series(row.to_numpy(dtype=float), index=[str(c) for c in row.index])
        got_row = got_row.reindex(want.index).to_numpy()
        wanted = want[column].to_numpy()
        if column == "denominator" and ind.measure == "count":
            assert np.isnan(got_row).all()
            continue
        assert np.isnan(got_row).tolist() == np.isnan(wanted).tolist(), column
        np.testing.assert_allclose(got_row, wanted, rtol=1e-12, atol=0, err_msg=column)
    assert want["value"].notna().sum() >= (8 if ind.period == "annual" else 30)


def test_a_knocked_out_month_blanks_exactly_the_windows_that_hold_it(history):
    rules, _, figures = history
    r12 = figures.values.loc["AG05"]
    blank = [str(m) for m, v in r12.items() if np.isnan(v)]
    # the first eleven months (no full year yet) and the twelve windows holding 2015-07
    first_year = [str(pd.Period("2012-04", "M") + k) for k in range(11)]
    holding = [str(pd.Period("2015-07", "M") + k) for k in range(12)]
    assert blank == first_year + holding


def test_the_generator_is_deterministic(tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    one, two = make_aggregated(tmp_path / "a", MONTHS), make_aggregated(tmp_path / "b", MONTHS)
    for first, second in zip(one, two):
        assert first.read_bytes() == second.read_bytes()
    assert len(json.loads(one[0].read_text())["indicators"]) == 44

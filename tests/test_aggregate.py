"""Monthly figures in, period figures out: the engine's windows against pandas written here.

A seeded monthly history (January 2018 to December 2020, so financial and academic years
start part-way through it) is aggregated by the engine for every month, and independently
in this file with pandas group-bys and rolling sums, for every period type, both aggregate
kinds, counts, and years starting in January, April and September.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from xl_scorecard.core.engine import compute_month, prepare
from xl_scorecard.inputs.data import COLUMNS, check_table
from xl_scorecard.inputs.rules_file import rules_from_dict

FIRST, MONTHS = "2018-01", 36
PERIODS = ("SS", "YTD", "R12M", "Q", "annual")
YEAR_STARTS = (1, 4, 9)


def _indicators():
    out = []
    for period in PERIODS:
        for kind in ("sum", "sum_over_latest"):
            for start in YEAR_STARTS:
                out.append({"id": f"{period}_{kind}_{start}", "name": "x", "polarity": "H",
                            "period": period, "measure": "rate" if kind == "sum_over_latest" else "percent",
                            "decimals": 1, "aggregate": kind, "year_start_month": start,
                            "frequency": "monthly",
                            **({"per": 10000} if kind == "sum_over_latest" else {})})
        out.append({"id": f"{period}_count", "name": "x", "polarity": None, "period": period,
                    "measure": "count", "decimals": 0, "aggregate": "sum", "frequency": "monthly"})
    return out


@pytest.fixture(scope="module")
def history():
    rng = np.random.default_rng(2024)
    rules = rules_from_dict({"scorecard": {"title": "t", "year_start_month": 4},
                             "indicators": _indicators()})
    months = pd.period_range(FIRST, periods=MONTHS, freq="M")
    rows = []
    for ind in rules.indicators:
        den = rng.integers(50, 400, MONTHS)
        num = rng.integers(0, 50, MONTHS)
        for m, n, d in zip(months, num, den):
            if ind.measure == "count":
                rows.append((ind.id, str(m), None, None, int(n)))
            else:
                rows.append((ind.id, str(m), int(n), int(d), None))
    frame = pd.DataFrame(rows, columns=list(COLUMNS), dtype=object)
    data = check_table(frame, rules, source="history.csv")
    figures = prepare(rules, data)
    results = {str(m): compute_month(rules, figures, str(m)).set_index("id") for m in months}
    return rules, frame, results


def _expected(series_num, series_den, period, kind, start):
    """Period numerator and denominator by pandas, NaN where the window is incomplete."""
    index = series_num.index
    shifted = index - (start - 1)                  # the year's first month becomes January
    year, position = shifted.year, shifted.month   # position 1..12 within the indicator's year
    group_count = pd.Series(1, index=index)
    if period == "SS":
        num, den, ok = series_num, series_den, pd.Series(True, index=index)
    elif period == "R12M":
        num = series_num.rolling(12, min_periods=12).sum()
        den = series_den.rolling(12, min_periods=12).sum()
        ok = num.notna()
    elif period == "YTD":
        num = series_num.groupby(year).cumsum()
        den = series_den.groupby(year).cumsum()
        ok = pd.Series(group_count.groupby(year).cumsum().to_numpy() == position, index=index)
    else:
        size = 3 if period == "Q" else 12
        key = year * 12 + (position - 1) // size
        num = series_num.groupby(key).transform("sum")
        den = series_den.groupby(key).transform("sum")
        counts = group_count.groupby(key).transform("sum")
        ok = pd.Series((counts.to_numpy() == size) & (position % size == 0), index=index)
    if kind == "sum_over_latest":
        den = series_den
    return num.where(ok), den.where(ok)


@pytest.mark.parametrize("period", PERIODS)
@pytest.mark.parametrize("kind", ("sum", "sum_over_latest"))
@pytest.mark.parametrize("start", YEAR_STARTS)
def test_period_figures_match_an_independent_pandas_computation(history, period, kind, start):
    rules, frame, results = history
    ident = f"{period}_{kind}_{start}"
    rows = frame[frame["indicator"] == ident]
    index = pd.PeriodIndex(rows["period"], freq="M")
    num = pd.Series(rows["numerator"].astype(float).to_numpy(), index=index)
    den = pd.Series(rows["denominator"].astype(float).to_numpy(), index=index)
    want_num, want_den = _expected(num, den, period, kind, start)
    multiplier = 10000 if kind == "sum_over_latest" else 100
    want_value = want_num / want_den * multiplier
    got = pd.DataFrame([results[str(m)].loc[ident] for m in index])
    assert got["numerator"].isna().tolist() == want_num.isna().tolist()
    np.testing.assert_allclose(got["numerator"].astype(float), want_num, rtol=0, atol=0)
    np.testing.assert_allclose(got["denominator"].astype(float), want_den, rtol=0, atol=0)
    np.testing.assert_allclose(got["value"].astype(float), want_value, rtol=1e-12)
    assert want_value.notna().sum() > 0


@pytest.mark.parametrize("period", PERIODS)
def test_counts_are_summed_over_the_window(history, period):
    rules, frame, results = history
    ident = f"{period}_count"
    rows = frame[frame["indicator"] == ident]
    index = pd.PeriodIndex(rows["period"], freq="M")
    values = pd.Series(rows["value"].astype(float).to_numpy(), index=index)
    want, _ = _expected(values, values, period, "sum", 4)
    got = [results[str(m)].loc[ident, "value"] for m in index]
    np.testing.assert_allclose(got, want, rtol=0, atol=0)


@pytest.mark.parametrize("period, month, window", [
    ("SS", "2019-07", ("2019-07", "2019-07")),
    ("R12M", "2019-07", ("2018-08", "2019-07")),
    ("YTD", "2019-07", ("2019-04", "2019-07")),
    ("YTD", "2019-04", ("2019-04", "2019-04")),
    ("YTD", "2019-03", ("2018-04", "2019-03")),
    ("Q", "2019-06", ("2019-04", "2019-06")),
    ("Q", "2019-07", ("", "")),
    ("annual", "2019-03", ("2018-04", "2019-03")),
])
def test_each_figure_names_its_window(history, period, month, window):
    _, _, results = history
    row = results[month].loc[f"{period}_sum_4"]
    assert (row["window_from"], row["window_to"]) == window


def test_an_academic_year_runs_september_to_august(history):
    _, _, results = history
    assert tuple(results["2019-11"].loc["YTD_sum_9", ["window_from", "window_to"]]) == ("2019-09", "2019-11")
    assert tuple(results["2019-08"].loc["annual_sum_9", ["window_from", "window_to"]]) == ("2018-09", "2019-08")
    # a financial-year indicator beside it keeps April
    assert tuple(results["2019-11"].loc["YTD_sum_4", ["window_from", "window_to"]]) == ("2019-04", "2019-11")


def test_the_first_months_of_a_history_have_no_rolling_year(history):
    _, _, results = history
    assert all(np.isnan(results[f"2018-{m:02d}"].loc["R12M_sum_4", "value"]) for m in range(1, 12))
    assert not np.isnan(results["2018-12"].loc["R12M_sum_4", "value"])


def _one(kind="sum", period="R12M", measure="percent"):
    ind = {"id": "SCS02", "name": "Referrals", "polarity": "L", "period": period,
           "measure": measure, "decimals": 1, "aggregate": kind,
           "thresholds": [{"from": "2012-04", "target": 30, "floor": 35}]}
    if measure == "rate":
        ind["per"] = 10000
    return rules_from_dict({"scorecard": {"title": "t"}, "indicators": [ind]})


def _table(rules, rows):
    frame = pd.DataFrame(rows, columns=list(COLUMNS), dtype=object)
    return check_table(frame, rules, source="d.csv")


def test_a_missing_month_blanks_every_window_that_needs_it_and_is_named(run_cli, tmp_path):
    rules = _one()
    months = pd.period_range("2012-04", "2013-09", freq="M")
    rows = [("SCS02", str(m), 10, 40, None) for m in months if str(m) != "2012-07"]
    data = _table(rules, rows)
    figures = prepare(rules, data)
    blank = {str(m): np.isnan(compute_month(rules, figures, str(m))["value"].iat[0])
             for m in months if str(m) != "2012-07"}
    assert [m for m, b in blank.items() if not b] == ["2013-07", "2013-08", "2013-09"]
    result = compute_month(rules, figures, "2013-03")
    assert [str(w) for w in result.attrs["warnings"]] == [
        "indicator SCS02, month 2013-03: its R12M figure needs 2012-04..2013-03; missing "
        "2012-07: the result is blank until those months' figures are in the data table"]
    # through the CLI: the same warning on stderr, exit 0, the result blank
    path = tmp_path / "d.csv"
    path.write_text("indicator,period,numerator,denominator,value\n" + "".join(
        f"{r[0]},{r[1]},{r[2]},{r[3]},\n" for r in rows), encoding="utf-8")
    rules_path = tmp_path / "rules.json"
    import json
    rules_path.write_text(json.dumps({"scorecard": {"title": "t"}, "indicators": [
        {"id": "SCS02", "name": "Referrals", "polarity": "L", "period": "R12M", "measure": "percent",
         "decimals": 1, "aggregate": "sum",
         "thresholds": [{"from": "2012-04", "target": 30, "floor": 35}]}]}), encoding="utf-8")
    code, out, err = run_cli("results", "--rules", rules_path, "--data", path, "--month", "2013-03")
    assert code == 0
    assert ("warning: indicator SCS02, month 2013-03: its R12M figure needs 2012-04..2013-03; "
            "missing 2012-07") in err


def test_a_missing_denominator_counts_as_a_missing_month_for_sum_but_only_the_last_for_latest():
    months = [str(m) for m in pd.period_range("2012-04", "2013-03", freq="M")]
    rows = [("SCS02", m, 10, None if m == "2012-06" else 1000, None) for m in months]
    summed = compute_month(_one("sum"), _table(_one("sum"), rows), "2013-03")
    assert np.isnan(summed["value"].iat[0])
    rate = _one("sum_over_latest", measure="rate")
    latest = compute_month(rate, _table(rate, rows), "2013-03").iloc[0]
    assert latest["numerator"] == 120 and latest["denominator"] == 1000
    assert latest["value"] == pytest.approx(120 / 1000 * 10000)


def test_rates_are_divided_after_summing_not_averaged():
    rules = _one("sum", period="Q")
    rows = [("SCS02", "2012-04", 1, 10, None), ("SCS02", "2012-05", 9, 90, None),
            ("SCS02", "2012-06", 50, 100, None)]
    result = compute_month(rules, _table(rules, rows), "2012-06").iloc[0]
    assert result["value"] == pytest.approx(60 / 200 * 100)          # 30%, not the mean 23.3%
    assert (result["numerator"], result["denominator"]) == (60, 200)


def test_previous_and_outturn_use_the_aggregated_figures():
    rules = _one("sum", period="YTD")
    months = [str(m) for m in pd.period_range("2012-04", "2013-05", freq="M")]
    rows = [("SCS02", m, i + 1, 10, None) for i, m in enumerate(months)]
    result = compute_month(rules, _table(rules, rows), "2013-05").iloc[0]
    # May 2013 YTD = (13 + 14) / 20; April 2013 = 13 / 10; March 2013 outturn = sum(1..12) / 120
    assert result["value"] == pytest.approx(27 / 20 * 100)
    assert result["previous"] == pytest.approx(13 / 10 * 100)
    assert result["outturn"] == pytest.approx(78 / 120 * 100)
    assert result["outturn_period"] == "2013-03"


def test_figures_given_already_aggregated_are_unchanged(kent_results):
    assert set(kent_results["window_from"]) == {""}
    assert set(kent_results["frequency"]) == {"monthly"}


from hypothesis import given, settings, strategies as st  # noqa: E402


@settings(max_examples=40, deadline=None)
@given(period=st.sampled_from(PERIODS), kind=st.sampled_from(("sum", "sum_over_latest")),
       start=st.integers(1, 12), length=st.integers(1, 30),
       cells=st.lists(st.tuples(st.integers(0, 99), st.integers(1, 500), st.booleans()),
                      min_size=30, max_size=30))
def test_any_history_with_gaps_matches_a_plain_loop(period, kind, start, length, cells):
    """Property: each window is the plain sum over its months, blank iff one is missing."""
    from xl_scorecard.core.periods import Month

    rules = rules_from_dict({"scorecard": {"title": "t"}, "indicators": [
        {"id": "A", "name": "a", "polarity": "H", "period": period, "measure": "percent",
         "decimals": 1, "aggregate": kind, "year_start_month": start, "frequency": "monthly"}]})
    months = [Month(2015, 1) + i for i in range(length)]
    present = {m: c for m, c in zip(months, cells) if c[2] or m == months[-1]}
    rows = [("A", str(m), n, d, None) for m, (n, d, _) in present.items()]
    figures = prepare(rules, check_table(pd.DataFrame(rows, columns=list(COLUMNS), dtype=object), rules, "p"))
    last = months[-1]
    into = (last.month - start) % 12
    size = {"SS": 1, "R12M": 12, "YTD": into + 1, "Q": 3 if into % 3 == 2 else 0,
            "annual": 12 if into == 11 else 0}[period]
    window = [last - k for k in range(size)]
    got = figures.values.at["A", last]  # Figures are keyed by Month (the text stays at the edges)
    if not window or any(m not in present for m in window):
        assert np.isnan(got)
        return
    num = sum(present[m][0] for m in window)
    den = present[last][1] if kind == "sum_over_latest" else sum(present[m][1] for m in window)
    assert got == pytest.approx(num / den * 100, rel=1e-12)


def test_runs_of_missing_months_are_written_as_ranges():
    from xl_scorecard.core.aggregate import missing_months_text
    from xl_scorecard.core.periods import Month

    back = np.zeros(12, dtype=bool)
    back[[3, 4, 5, 8]] = True
    assert missing_months_text(Month(2013, 3), back) == "2012-07, 2012-10..2012-12"


def test_value_only_rows_of_an_aggregated_rate_are_a_warning():
    rules = _one()
    data = _table(rules, [("SCS02", "2012-04", None, None, 25.0), ("SCS02", "2012-05", 10, 40, None)])
    assert [str(w) for w in data.warnings] == [
        "d.csv: indicator SCS02: has aggregate 'sum', so each month needs its numerator and "
        "denominator; 1 row(s) give only a value (rows 2): those months count as missing"]


def test_data_notes_say_how_the_figure_is_built():
    from xl_scorecard.core.notes import data_notes

    ind = _one().indicators[0]
    assert "Data: rolling 12 months, summed from each month's figures." in data_notes(ind, ind.thresholds[0])

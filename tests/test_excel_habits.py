"""Excel habits, through xlwings' own Office.js machinery: one spilled formula over a whole
scorecard column, percentages held as fractions, and what the engine says of the same rows.

The scorecard column mixes H, L, T and unrated rows, percentages and rates: ``=RAG()`` gets
per-row polarity, decimals and ``percent_cells``, and two-column target and floor ranges
(an H or L row's second column blank, a T row's bands in both).
"""

from __future__ import annotations

import json
import math

import pytest

pytest.importorskip("xlwings")

from xl_scorecard import load_data, load_rules  # noqa: E402
from xl_scorecard.core.engine import compute_month  # noqa: E402

from conftest import BUNDLED_DATA, BUNDLED_RULES  # noqa: E402
from test_udfs_xlwings import PROBE, _run  # noqa: E402


def _cell(x):
    return None if x is None or (isinstance(x, float) and math.isnan(x)) else float(x)


def _scorecard_columns(fractions: bool):
    """The May 2012 scorecard as the cells of one spilled RAG and one spilled DOT."""
    rules = load_rules(BUNDLED_RULES)
    results = compute_month(rules, load_data(BUNDLED_DATA, rules), "2012-05")
    cols = {k: [] for k in ("value", "previous", "target", "floor", "polarity", "decimals",
                            "percent", "dot_target")}
    for r in results.itertuples():
        as_fraction = fractions and r.measure == "percent"
        scale = 100.0 if as_fraction else 1.0

        def cell(x, scale=scale):
            x = _cell(x)
            return None if x is None else x / scale

        cols["value"].append([cell(r.value)])
        cols["previous"].append([cell(r.previous)])
        if r.polarity == "T":
            cols["target"].append([cell(r.green_low), cell(r.green_high)])
            cols["floor"].append([cell(r.amber_low), cell(r.amber_high)])
        else:
            cols["target"].append([cell(r.target), None])
            cols["floor"].append([cell(r.floor), None])
        cols["dot_target"].append([cell(r.target)])
        cols["polarity"].append([r.polarity or None])
        cols["decimals"].append([int(r.decimals)])
        cols["percent"].append([as_fraction if fractions else None])
    return results, cols


@pytest.fixture(scope="module")
def spilled():
    calls, expected = {}, {}
    for fractions in (False, True):
        results, cols = _scorecard_columns(fractions)
        key = "fractions" if fractions else "display units"
        calls[f"rag {key}"] = ["rag", [cols["value"], cols["target"], cols["floor"],
                                       cols["polarity"], cols["decimals"], cols["percent"]]]
        calls[f"dot {key}"] = ["dot", [cols["value"], cols["previous"], cols["polarity"],
                                       cols["dot_target"], None, cols["percent"]]]
        expected[f"rag {key}"] = [[x] for x in results["rag"]]
        expected[f"dot {key}"] = [[x] for x in results["dot_previous"]]
    done = _run(PROBE, json.dumps(calls), XLWINGS_LICENSE_KEY="noncommercial",
                XLWINGS_ON_SERVER="true")
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])["results"], expected


@pytest.mark.parametrize("key", ["rag display units", "rag fractions", "dot display units",
                                 "dot fractions"])
def test_one_spilled_formula_over_the_scorecard_equals_the_engine(spilled, key):
    got, expected = spilled
    assert "error" not in got[key], got[key]
    assert got[key]["value"] == expected[key]


def test_the_published_ratings_come_back_from_fractions(spilled):
    got, _ = spilled
    ratings = [row[0] for row in got["rag fractions"]["value"]]
    assert (ratings.count("Green"), ratings.count("Amber"), ratings.count("Red")) == (16, 16, 12)

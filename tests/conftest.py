"""Shared fixtures: small rules and data tables built in memory, and the CLI as a function.

Rules are built through ``rules_from_dict`` and data through ``data.check_table``,
so every test goes through the same validation a user's files do.
"""

from __future__ import annotations

import os

# xlwings decides at import time whether its remote engine is available; the
# tests use it under the noncommercial licence (see the README on licences).
os.environ.setdefault("XLWINGS_LICENSE_KEY", "noncommercial")

import copy
import io
import json
from pathlib import Path

import pandas as pd
import pytest

from xl_scorecard import cli
from xl_scorecard.inputs.data import COLUMNS, check_table
from xl_scorecard.core.engine import compute_month
from xl_scorecard.inputs.rules_file import rules_from_dict

REPO_ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
BUNDLED_RULES = REPO_ROOT / "rules.json"
BUNDLED_DATA = REPO_ROOT / "workbooks" / "kent_scs_2012.csv"
PUBLISHED = FIXTURES / "kent_scs_scorecard_2012-05.csv"

# H indicator, target 85, floor 76.5, one decimal: the domain page's Liberi example.
BASE_INDICATOR = {
    "id": "K1",
    "name": "Percentage of Children seen at Section 47 enquiry",
    "section": "CHILD PROTECTION",
    "polarity": "H",
    "period": "SS",
    "measure": "percent",
    "decimals": 1,
    "thresholds": [{"from": "2012-04", "target": 85, "floor": 76.5}],
}

# Default thresholds by polarity when an indicator's are not given: L mirrors H, and a
# T indicator's bands are asymmetric around its target of 20.
DEFAULT_THRESHOLDS = {
    "L": {"from": "2012-04", "target": 10, "floor": 11},
    "T": {"from": "2012-04", "target": 20, "green": [18, 23], "amber": [15, 27]},
}


def indicator(**overrides) -> dict:
    """A rules.json indicator: BASE_INDICATOR with fields replaced (a None value removes one)."""
    ind = copy.deepcopy(BASE_INDICATOR)
    for key, value in overrides.items():
        if value is None and key not in ("polarity",):
            ind.pop(key, None)
        else:
            ind[key] = value
    if ind.get("polarity") in DEFAULT_THRESHOLDS and "thresholds" not in overrides:
        ind["thresholds"] = [dict(DEFAULT_THRESHOLDS[ind["polarity"]])]
    return ind


def rules_document(*indicators: dict, **scorecard) -> dict:
    """A whole rules.json document around the given indicators (default: one BASE_INDICATOR)."""
    return {
        "scorecard": {"title": "Test scorecard", **scorecard},
        "indicators": list(indicators) or [indicator()],
    }


@pytest.fixture
def make_indicator():
    """``make_indicator(polarity="L", ...)``: an indicator dict for rules.json."""
    return indicator


@pytest.fixture
def make_document():
    """``make_document(ind1, ind2, dot_tolerance=0.5)``: a rules.json document (a dict)."""
    return rules_document


@pytest.fixture
def make_rules():
    """``make_rules(**indicator_overrides)`` for one indicator ``K1``, or
    ``make_rules(indicators=[...], **scorecard_fields)`` for several: validated Rules."""

    def build(indicators=None, scorecard=None, **overrides):
        inds = indicators if indicators is not None else [indicator(**overrides)]
        return rules_from_dict(rules_document(*inds, **(scorecard or {})))

    return build


@pytest.fixture
def make_data():
    """``make_data(rules, rows)``: rows are tuples (indicator, period, numerator,
    denominator, value) with None for an empty cell; checked by ``data.check_table``."""

    def build(rules, rows, source="test.csv"):
        frame = pd.DataFrame([list(r) for r in rows], columns=list(COLUMNS), dtype=object)
        return check_table(frame, rules, source=source)

    return build


@pytest.fixture
def month_row(make_rules, make_data):
    """``month_row(month, rows, **indicator_overrides)``: the engine's result row for ``K1``.

    ``rows`` may be (period, value) pairs or full 5-tuples; ``rules=`` and
    ``tolerance=`` may be passed through.
    """

    def build(month, rows, rules=None, tolerance=None, **overrides):
        rules = rules or make_rules(**overrides)
        full = [r if len(r) == 5 else ("K1", r[0], None, None, r[1]) for r in rows]
        results = compute_month(rules, make_data(rules, full), month, tolerance=tolerance)
        return results.set_index("id").loc["K1"]

    return build


@pytest.fixture
def run_cli():
    """``run_cli(*argv)`` -> (exit code, stdout, stderr), through ``cli.run``."""

    def run(*argv):
        out, err = io.StringIO(), io.StringIO()
        code = cli.run([str(a) for a in argv], out, err)
        return code, out.getvalue(), err.getvalue()

    return run


@pytest.fixture
def write_json(tmp_path):
    """``write_json(document, name="rules.json")`` -> the path of the written file."""

    def write(document, name="rules.json"):
        path = tmp_path / name
        path.write_text(json.dumps(document, indent=2), encoding="utf-8")
        return path

    return write


@pytest.fixture(scope="session")
def published() -> pd.DataFrame:
    """The published Kent May 2012 scorecard, cells as printed (text)."""
    return pd.read_csv(PUBLISHED, dtype=str, keep_default_na=False)


@pytest.fixture(scope="session")
def kent_results() -> pd.DataFrame:
    """``xl-scorecard results --month 2012-05`` on the bundled sample, parsed (text cells)."""
    out, err = io.StringIO(), io.StringIO()
    code = cli.run(["results", "--month", "2012-05"], out, err)
    assert code == 0, err.getvalue()
    return pd.read_csv(io.StringIO(out.getvalue()), dtype=str, keep_default_na=False)

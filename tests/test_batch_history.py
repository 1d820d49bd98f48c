"""A batch's worker keeps the earlier months' results it has computed (month t's Exceptions
trend tables reuse month t - 1's): every workbook must still be the one `build` writes."""

from __future__ import annotations

import openpyxl
import pytest

from xl_scorecard import cli
from xl_scorecard.core.month_report import compute_report
from xl_scorecard.headless import batch as batch_module
from xl_scorecard.inputs.data import load_data
from xl_scorecard.inputs.rules_file import load_rules

from conftest import REPO_ROOT

SYNTHETIC = REPO_ROOT / "workbooks" / "synthetic_kent_scs_2012-2014.csv"
EXAMPLE = REPO_ROOT / "workbooks" / "examples"


def _cells(path):
    book = openpyxl.load_workbook(path)
    return {ws.title: {(c.row, c.column): c.value for row in ws.iter_rows() for c in row
                       if c.value is not None} for ws in book}


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_every_batch_workbook_is_the_one_build_writes(tmp_path, jobs):
    argv = ["--data", str(SYNTHETIC)]
    assert cli.run(["batch", *argv, "--from", "2013-01", "--to", "2013-06",
                    "--out-dir", str(tmp_path / "batch"), "--jobs", jobs]) == 0
    for month in ("2013-01", "2013-04", "2013-06"):
        single = tmp_path / f"single-{month}.xlsx"
        assert cli.run(["build", *argv, "--month", month, "--out", str(single)]) == 0
        assert _cells(tmp_path / "batch" / f"scorecard-{month}.xlsx") == _cells(single), month


def test_the_kept_results_are_the_engines_for_those_months(tmp_path, monkeypatch):
    rules_path = EXAMPLE / "rules.json"
    data_path = EXAMPLE / "anyshire_monthly_2016-2018.csv"
    rules = load_rules(rules_path)
    data = load_data(data_path, rules)
    kept = {}
    real = batch_module.compute_report

    def watched(*args, history=None, **kwargs):
        report = real(*args, history=history, **kwargs)
        kept.update(history)
        return report

    monkeypatch.setattr(batch_module, "compute_report", watched)
    monkeypatch.setattr(batch_module, "_WORKER", {})
    job = batch_module.BatchJob(rules_path, data_path, tmp_path)
    months = data.months                         # Month objects, in order
    batch_module.run_batch(job, months[-8], months[-1], 1, rules=rules, data=data)
    assert set(months[-8:]) <= set(kept)         # each month's own results, kept
    for month, results in kept.items():
        alone = compute_report(rules, data, month).results
        assert results.equals(alone), month


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_batch_previous_months_compares_each_month_with_the_report_n_months_before(
        tmp_path, jobs):
    """--previous-months 2 (a committee every two months): each batch workbook is the one
    `build --previous` (two months back) writes, and differs from the default comparison."""
    argv = ["--data", str(SYNTHETIC)]
    assert cli.run(["batch", *argv, "--from", "2013-05", "--to", "2013-07", "--previous-months",
                    "2", "--out-dir", str(tmp_path / "batch"), "--jobs", jobs]) == 0
    for month, previous in (("2013-05", "2013-03"), ("2013-07", "2013-05")):
        single = tmp_path / f"single-{month}.xlsx"
        assert cli.run(["build", *argv, "--month", month, "--previous", previous,
                        "--out", str(single)]) == 0
        default = tmp_path / f"default-{month}.xlsx"
        assert cli.run(["build", *argv, "--month", month, "--out", str(default)]) == 0
        got = _cells(tmp_path / "batch" / f"scorecard-{month}.xlsx")
        assert got == _cells(single), month
        assert got["Scorecard"] != _cells(default)["Scorecard"], month


def test_batch_previous_months_must_be_positive(run_cli, tmp_path):
    code, _, err = run_cli("batch", "--data", SYNTHETIC, "--from", "2013-05", "--to", "2013-05",
                           "--previous-months", "0", "--out-dir", tmp_path)
    assert code == 2 and "--previous-months must be 1 or more" in err
    assert not list(tmp_path.glob("*.xlsx"))

"""The second bundled example (workbooks/examples/, SYNTHETIC): every issue-9 feature at once.

Built by the CLI into a workbook that LibreOffice opens and prints; its figures are checked
against pandas written here, and the generator reproduces the committed files.
"""

from __future__ import annotations

import json
import shutil
import subprocess

import pandas as pd
import pytest

from conftest import REPO_ROOT

EXAMPLE = REPO_ROOT / "workbooks" / "examples"
RULES, DATA, COMPARATORS = (EXAMPLE / "rules.json", EXAMPLE / "anyshire_monthly_2016-2018.csv",
                            EXAMPLE / "anyshire_comparators.csv")
ARGS = ("--rules", RULES, "--data", DATA, "--comparators", COMPARATORS)


@pytest.fixture(scope="module")
def results():
    import io as _io

    from xl_scorecard import cli

    out, err = _io.StringIO(), _io.StringIO()
    code = cli.run(["results", "--format", "json", *map(str, ARGS)], out, err)
    assert code == 0, err.getvalue()
    document = json.loads(out.getvalue())
    return {row["id"]: row for row in document["indicators"]}, document["summary"]


def test_the_example_is_labelled_synthetic():
    rules = json.loads(RULES.read_text("utf-8"))
    assert "SYNTHETIC" in rules["scorecard"]["title"] and "invented" in rules["x-synthetic"]


def test_the_generator_reproduces_the_committed_files(tmp_path):
    done = subprocess.run(["python3", str(EXAMPLE / "make_example.py"), str(tmp_path)],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    for name in (DATA.name, COMPARATORS.name):
        assert (tmp_path / name).read_bytes() == (EXAMPLE / name).read_bytes(), name


def test_rolling_and_year_to_date_figures_against_pandas(results):
    rows, _ = results
    data = pd.read_csv(DATA)
    referrals = data[data["indicator"] == "EX01"].set_index("period")
    last12 = referrals.loc["2017-04":"2018-03"]
    assert rows["EX01"]["numerator"] == last12["numerator"].sum()
    assert rows["EX01"]["denominator"] == referrals.loc["2018-03", "denominator"]  # sum_over_latest
    assert rows["EX01"]["value"] == pytest.approx(last12["numerator"].sum() / referrals.loc["2018-03", "denominator"] * 1e4)
    ytd = data[(data["indicator"] == "EX04") & (data["period"] >= "2017-04")]
    assert rows["EX04"]["value"] == pytest.approx(ytd["numerator"].sum() / ytd["denominator"].sum() * 100)
    assert (rows["EX04"]["window_from"], rows["EX04"]["window_to"]) == ("2017-04", "2018-03")
    q4 = data[(data["indicator"] == "EX03") & data["period"].isin(["2018-01", "2018-02", "2018-03"])]
    assert rows["EX03"]["value"] == q4["value"].sum() and rows["EX03"]["as_at"] == "Q4 2017/18"


def test_every_kind_of_row(results):
    rows, summary = results
    assert rows["EX08"]["as_at"] == "Q3 2017/18" and rows["EX08"]["previous_period"] == "2017-09"
    assert rows["EX09"]["as_at"] == "2016/17 (academic year)" and rows["EX09"]["dot_outturn"] == ""
    assert [rows[i]["range_status"] for i in ("EX01", "EX03", "EX07")] == ["Within", "Within", "Above"]
    assert (rows["EX10"]["target"], rows["EX10"]["rag"], rows["EX10"]["target_rated"]) == (95, "", False)
    assert rows["EX05"]["floor_derived"] and rows["EX05"]["floor"] == pytest.approx(72)
    assert rows["EX06"]["target"] is None and rows["EX06"]["dot_previous"] in ("↑", "→", "↓")
    assert rows["EX04"]["flag"] == "provisional" and rows["EX04"]["display"].endswith("%*")
    assert rows["EX02"]["comparators"]["South East"] == {"value": 22.8, "period": "2017-12"}
    assert rows["EX09"]["comparators"]["England"] == {"value": 32.0, "period": "2017"}
    assert summary["paragraph"].endswith("Of the 3 lead indicators, 2 are within their expected "
                                         "range and 1 is above it.")


@pytest.mark.libreoffice
def test_the_example_builds_into_a_workbook_libreoffice_opens(run_cli, tmp_path):
    import openpyxl

    out = tmp_path / "anyshire.xlsx"
    code, stdout, err = run_cli("build", *ARGS, "--out", out)
    assert code == 0, err
    book = openpyxl.load_workbook(out)
    assert book.sheetnames == ["Scorecard", "Summary", "Exceptions", "Trend", "Data", "Comparators", "Rules"]
    soffice = shutil.which("soffice")
    if soffice is None:
        pytest.skip("LibreOffice is not installed")
    profile = (tmp_path / "profile").as_uri()
    subprocess.run([soffice, f"-env:UserInstallation={profile}", "--headless", "--convert-to", "pdf",
                    "--outdir", str(tmp_path), str(out)], check=True, capture_output=True, timeout=180)
    text = subprocess.run(["pdftotext", "-layout", str(tmp_path / "anyshire.pdf"), "-"],
                          capture_output=True, text=True, check=True).stdout
    for expected in ("SYNTHETIC EXAMPLE", "Q4", "2017/18", "Within", "Above", "England",
                     "Statistical", "compares with England"):
        assert expected in text, expected


def test_batch_carries_the_comparators_and_the_monthly_figures(run_cli, tmp_path):
    import openpyxl

    code, out, err = run_cli("batch", *ARGS, "--from", "2018-02", "--to", "2018-03", "--out-dir", tmp_path)
    assert code == 0, err
    for month in ("2018-02", "2018-03"):
        book = openpyxl.load_workbook(tmp_path / f"scorecard-{month}.xlsx")
        assert "Comparators" in book.sheetnames
        header = [c.value for c in book["Scorecard"][7]]
        assert header[-3:] == ["England", "Statistical neighbours", "South East"]


def test_rows_grouped_by_frequency_put_the_annual_measures_last(results):
    from xl_scorecard.core.month_report import compute_report
    from xl_scorecard.inputs.data import load_data
    from xl_scorecard.inputs.rules_file import load_rules
    from xl_scorecard.layout.scorecard import ID_COL, scorecard_sheet

    rules = load_rules(RULES)
    layout = scorecard_sheet(compute_report(rules, load_data(DATA, rules), "2018-03"))
    last = max(c.row for c in layout.cells if c.col == ID_COL)   # the key follows the rows
    column_a = [c.value for c in sorted(layout.cells, key=lambda c: c.row)
                if c.col == 1 and 7 < c.row <= last]
    assert column_a[-2:] == ["ANNUAL MEASURES: CHILDREN IN CARE", "9"]
    assert column_a.index("CHILDREN IN CARE") < column_a.index("ANNUAL MEASURES: CHILDREN IN CARE")


def test_the_trend_sheet_puts_comparators_beneath_the_results(run_cli, tmp_path):
    import openpyxl

    out = tmp_path / "t.xlsx"
    code, _, err = run_cli("build", *ARGS, "--out", out)
    assert code == 0, err
    rows = list(openpyxl.load_workbook(out)["Trend"].iter_rows(min_row=3, values_only=True))
    header = rows[0]
    ex02 = [r for r in rows if r[0] == "EX02"]
    assert [r[3] for r in ex02] == ["Result", "Target", "England", "Statistical neighbours", "South East"]
    # the published style: last year's outturn, this year's months, the year's target
    assert header[4:6] == ("2016/17 outturn", "Apr17") and header[-1] == "Target 2017/18"
    assert ex02[2][header.index("2016/17 outturn")] == 21.9 and ex02[4][header.index("Dec17")] == 22.8
    assert ex02[0][header.index("Target 2017/18")] == 20
    data = pd.read_csv(DATA)
    march = data[(data["indicator"] == "EX02") & data["period"].between("2016-04", "2017-03")]
    assert ex02[0][header.index("2016/17 outturn")] == pytest.approx(
        march["numerator"].sum() / march["denominator"].sum() * 100)

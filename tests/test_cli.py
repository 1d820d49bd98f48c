"""The ``xl-scorecard`` command line on the bundled sample, and its usage errors."""

from __future__ import annotations

import argparse
import csv
import io
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parent.parent
ISSUE_COLUMNS = ["id", "ref", "name", "section", "polarity", "period", "measure", "numerator",
                 "denominator", "value", "display", "rag", "target", "floor", "previous",
                 "rag_previous", "dot_previous", "outturn", "dot_outturn"]
SUMMARY_START = ("There are 44 measures with a RAG rating. Of these 16 are rated Green, 16 Amber "
                 "and 12 Red.")


def _rows(text: str) -> list[dict]:
    return list(csv.DictReader(io.StringIO(text)))


def test_results_alone_works_on_the_bundled_sample(run_cli):
    code, out, err = run_cli("results")
    assert (code, err) == (0, "")
    rows = _rows(out)
    assert len(rows) == 44
    assert set(ISSUE_COLUMNS) <= set(rows[0])
    assert [r["id"] for r in rows] == [f"SCS{i:02d}" for i in range(1, 45)]
    assert {r["month"] for r in rows} == {"2012-05"}  # the latest month in the data
    assert {r["rag"] for r in rows} == {"Green", "Amber", "Red"}
    assert {r["dot_previous"] for r in rows} == {"↑", "→", "↓"}
    assert {r["dot_outturn"] for r in rows} == {""}  # no March 2012 figures in the sample


def test_results_csv_keeps_full_precision(run_cli):
    _, out, _ = run_cli("results", "--month", "2012-05")
    scs01 = _rows(out)[0]
    assert float(scs01["value"]) == pytest.approx(2064 / 312597 * 10000, rel=1e-15)
    assert scs01["display"] == "66.0"


def test_results_json_includes_the_summary(run_cli):
    code, out, err = run_cli("results", "--format", "json")
    assert (code, err) == (0, "")
    document = json.loads(out)
    assert document["month"] == "2012-05"
    assert len(document["indicators"]) == 44
    assert set(ISSUE_COLUMNS) <= set(document["indicators"][0])
    summary = document["summary"]
    assert (summary["rated"], summary["green"], summary["amber"], summary["red"]) == (44, 16, 16, 12)
    assert summary["against_previous"] == {"improved": 29, "unchanged": 3, "worsened": 12}
    assert summary["paragraph"].startswith(SUMMARY_START)
    assert len(summary["exceptions"]) == 12
    # Blanks are JSON null, not NaN (which is not JSON).
    assert "NaN" not in out
    assert document["indicators"][0]["outturn"] is None


def test_summary_prints_the_paragraph_and_the_rag_changes(run_cli):
    code, out, err = run_cli("summary")
    assert (code, err) == (0, "")
    assert SUMMARY_START in out
    assert "RAG changes since the previous report:" in out
    assert "Green -> Amber  504.1 -> 468.8" in out  # SCS02 referrals
    assert "Amber -> Green  97.9% -> 99.0%  (target 98.0%)" in out  # SCS21 ethnicity
    assert "Since the previous report 10 measures have changed rating: 7 moved up and 3 moved down." \
        in out
    assert out.count(" -> ") >= 10


@pytest.mark.parametrize("argv, check", [
    pytest.param(["results"], lambda text: len(_rows(text)) == 44, id="results-csv"),
    pytest.param(["results", "--format", "json"], lambda text: "summary" in json.loads(text),
                 id="results-json"),
    pytest.param(["summary"], lambda text: SUMMARY_START in text, id="summary"),
])
def test_out_writes_the_file_instead_of_stdout(run_cli, tmp_path, argv, check):
    target = tmp_path / "reports" / "may.txt"
    code, out, err = run_cli(*argv, "--out", target)
    assert code == 0
    assert out == ""
    assert err == f"wrote {target}\n"
    text = target.read_text(encoding="utf-8-sig")
    assert check(text)
    _, direct, _ = run_cli(*argv)
    assert text == direct


@pytest.mark.parametrize("argv, bom", [
    pytest.param(["results"], True, id="csv-file-has-a-bom"),
    pytest.param(["results", "--format", "json"], False, id="json-file-has-none"),
    pytest.param(["summary"], False, id="summary-text-has-none"),
])
def test_a_csv_file_starts_with_the_bom_excel_needs_and_stdout_never_does(run_cli, tmp_path,
                                                                          argv, bom):
    """Excel on Windows reads a CSV as UTF-8 (so ↑ ↓ → ÷ survive) only when it starts with a BOM."""
    target = tmp_path / "may.csv"
    assert run_cli(*argv, "--out", target)[0] == 0
    raw = target.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf") == bom
    assert raw.count(b"\xef\xbb\xbf") == int(bom)
    _, direct, _ = run_cli(*argv)
    assert not direct.startswith("\ufeff")
    if argv == ["results"]:
        assert "↑" in raw.decode("utf-8-sig") and "÷" in raw.decode("utf-8-sig")


def test_out_replaces_an_existing_file(run_cli, tmp_path):
    target = tmp_path / "results.csv"
    target.write_text("old\n", encoding="utf-8")
    assert run_cli("results", "--out", target)[0] == 0
    assert len(_rows(target.read_text(encoding="utf-8-sig"))) == 44
    assert [p.name for p in tmp_path.iterdir()] == ["results.csv"]  # no temporary file left


@pytest.mark.parametrize("argv", [
    pytest.param(["--help"], id="top"),
    pytest.param(["results", "--help"], id="results"),
    pytest.param(["summary", "--help"], id="summary"),
    pytest.param(["validate", "--help"], id="validate"),
])
def test_help_exits_0(run_cli, argv):
    code, out, err = run_cli(*argv)
    assert code == 0
    assert out.startswith("usage: xl-scorecard")
    assert err == ""


@pytest.mark.parametrize("argv, message", [
    pytest.param(["publish"], "invalid choice: 'publish'", id="unknown-command"),
    pytest.param([], "the following arguments are required: COMMAND", id="no-command"),
    pytest.param(["results", "--month", "2012-13"], "'2012-13' has no month 13", id="month-13"),
    pytest.param(["results", "--month", "May 2012"], "'May 2012' is not a month in the form YYYY-MM",
                 id="month-words"),
    pytest.param(["summary", "--month", "2012"], "is not a month in the form YYYY-MM", id="year-only"),
    pytest.param(["results", "--format", "xml"], "invalid choice: 'xml'", id="bad-format"),
    pytest.param(["results", "--tolerance", "some"], "argument --tolerance: 'some' is not a number", id="bad-tolerance"),
    pytest.param(["results", "--colour"], "unrecognized arguments: --colour", id="unknown-option"),
    pytest.param(["results", "--month", "2013-01"],
                 "month 2013-01: has no data; months in the data: 2012-04 to 2012-05",
                 id="month-without-data"),
])
def test_usage_errors_exit_2_with_a_message(run_cli, argv, message):
    code, out, err = run_cli(*argv)
    assert code == 2
    assert out == ""
    assert err.startswith("error: ")
    assert message in err
    assert "Traceback" not in err


# --------------------------------------------------------------------------- as a process

def _env():
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO_ROOT), env.get("PYTHONPATH")]))
    return env


def test_module_entry_point_runs_results(tmp_path):
    done = subprocess.run([sys.executable, "-m", "xl_scorecard.cli", "results"], cwd=tmp_path,
                          env=_env(), capture_output=True, timeout=120)
    assert done.returncode == 0, done.stderr.decode("utf-8", "replace")
    rows = _rows(done.stdout.decode("utf-8"))
    assert len(rows) == 44
    assert any(r["dot_previous"] == "↑" for r in rows)


def test_module_entry_point_usage_error_has_no_traceback(tmp_path):
    done = subprocess.run([sys.executable, "-m", "xl_scorecard.cli", "results", "--month", "May"],
                          cwd=tmp_path, env=_env(), capture_output=True, timeout=120)
    stderr = done.stderr.decode("utf-8", "replace")
    assert done.returncode == 2
    assert "is not a month in the form YYYY-MM" in stderr
    assert "Traceback" not in stderr
    assert done.stdout == b""


@pytest.mark.skipif(shutil.which("xl-scorecard") is None, reason="xl-scorecard is not installed on PATH")
def test_installed_console_script(tmp_path):
    done = subprocess.run(["xl-scorecard", "results"], cwd=tmp_path, capture_output=True, timeout=120)
    assert done.returncode == 0, done.stderr.decode("utf-8", "replace")
    assert len(_rows(done.stdout.decode("utf-8"))) == 44


def _options(parser) -> dict:
    """{command: sorted option strings} of a parser's subcommands (and the rules actions)."""
    sub = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    out = {}
    for name, command in sub.choices.items():
        out[name] = sorted(o for a in command._actions for o in a.option_strings or [a.dest])
        inner = [a for a in command._actions if isinstance(a, argparse._SubParsersAction)]
        for action in inner:
            for inner_name, inner_parser in action.choices.items():
                out[f"{name} {inner_name}"] = sorted(
                    o for a in inner_parser._actions for o in a.option_strings or [a.dest])
    return out


def test_a_command_named_gets_every_option_the_full_parser_gives_it():
    from xl_scorecard import cli

    full = _options(cli.build_parser())
    assert set(full) >= set(cli.COMMANDS) and len(full["build"]) > 10
    for name in cli.COMMANDS:
        only = _options(cli.build_parser([name, "--month", "2012-05"]))
        assert set(cli.COMMANDS) <= only.keys()
        for command, options in full.items():
            if command.split()[0] == name:
                assert only[command] == options, command
            elif command in cli.COMMANDS:  # listed for --help and errors, its options not made
                assert only[command] == ["--errors", "--help", "-h"], command

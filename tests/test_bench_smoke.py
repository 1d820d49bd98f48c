"""bench/run.py works: its items (bench/items/) run on tiny sizes and it reports goals as documented.

Timing is never asserted here: these tests prove the benchmark script runs, that
its bare openpyxl floor writes the same workbook as `xl-scorecard build`, and that
`--check` and the closing `goals met: N/M` line behave.
"""

from __future__ import annotations

import csv
import importlib.util
import re
import subprocess
import sys

import pytest

from conftest import REPO_ROOT

RUN_PY = REPO_ROOT / "bench" / "run.py"


@pytest.fixture(scope="module")
def bench():
    spec = importlib.util.spec_from_file_location("bench_run", RUN_PY)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look their module up by name
    spec.loader.exec_module(module)  # puts bench/ on sys.path for harness, items, bare_build
    return module


@pytest.fixture(scope="module")
def harness(bench):
    import harness

    return harness


def test_quick_run_of_a_cheap_item_prints_the_table_and_the_goals_line(tmp_path):
    results = tmp_path / "RESULTS.md"
    done = subprocess.run(
        [sys.executable, str(RUN_PY), "--quick", "--only", "functions", "--rows", "2000",
         "--repeats", "1", "--results", str(results)],
        capture_output=True, text=True, timeout=600, cwd=REPO_ROOT)
    assert done.returncode == 0, done.stderr
    lines = done.stdout.strip().splitlines()
    assert lines[0].startswith("| # | measurement |")
    assert any("RAG, polarity one cell (H)" in line for line in lines)
    assert re.fullmatch(r"goals met: [0-5]/5", lines[-1])
    text = results.read_text(encoding="utf-8")
    assert "cores" in text and "Python" in text and "python bench/run.py --quick" in text


def test_check_exits_non_zero_and_ends_with_the_count_when_a_goal_is_missed(bench, harness,
                                                                           monkeypatch, capsys):
    def missed(settings, tmp):
        item = harness.Item(3, "functions", "fake")
        item.row("met", "", "1.00x", "≤ 3x", True)
        item.row("missed", "", "9.00x", "≤ 3x", False)
        return item

    monkeypatch.setitem(bench.BENCHES, "functions", missed)
    assert bench.main(["--only", "functions", "--check"]) == 1
    assert capsys.readouterr().out.strip().splitlines()[-1] == "goals met: 1/2"
    assert bench.main(["--only", "functions"]) == 0  # without --check a miss is only reported


def test_the_bare_floor_writes_what_build_writes(bench, harness, tmp_path):
    from items import build

    item = build.bench(harness.Settings(quick=True, repeats=1), tmp_path)  # raises if not
    assert [r.goal for r in item.rows if r.goal] == ["≤ 1.3x"]
    assert item.figures["ratio"] > 0


def test_the_floors_cell_text_is_what_openpyxl_writes(harness, tmp_path, monkeypatch):
    """The fast floor writes each sheet's cells and chart anchors as text (as our writer does);
    with openpyxl's own row and drawing writers instead, every worksheet and drawing part is
    byte for byte the same."""
    import zipfile

    import bare_build
    import floor_shortcuts
    from floor_facts import facts_from_report
    from openpyxl.worksheet._writer import WorksheetWriter

    facts = facts_from_report(harness.sample_report())
    bare_build.write_bare(facts, tmp_path / "text.xlsx")

    class OpenpyxlRows(WorksheetWriter):
        cells = b"<sheetData></sheetData>"  # openpyxl wrote it: nothing to put in

    monkeypatch.setattr(floor_shortcuts, "_Rows", OpenpyxlRows)
    monkeypatch.delattr(floor_shortcuts._Writer, "_write_drawing")
    bare_build.write_bare(facts, tmp_path / "openpyxl.xlsx")
    parts = {}
    for name in ("text", "openpyxl"):
        with zipfile.ZipFile(tmp_path / f"{name}.xlsx") as archive:
            parts[name] = {n: archive.read(n) for n in archive.namelist()
                           if n.startswith(("xl/worksheets/sheet", "xl/drawings/"))
                           or n == "xl/styles.xml"}
    assert len(parts["text"]) == 11
    assert parts["text"] == parts["openpyxl"]


def test_the_bench_writes_workbooks_as_the_console_script_does():
    """openpyxl picks its XML writer once, when first imported; xl-scorecard keeps it on
    ElementTree, so the bench must too (its floor scripts import openpyxl themselves)."""
    import subprocess
    import sys

    probe = ("import sys; sys.path.insert(0, 'bench'); import run, bare_build, openpyxl; "
             "print(openpyxl.LXML)")
    done = subprocess.run([sys.executable, "-c", probe], cwd=REPO_ROOT, capture_output=True,
                          text=True, timeout=120, check=True)
    assert done.stdout.strip() == "False"


def test_the_comparison_notices_a_different_workbook(harness, tmp_path):
    import bare_build
    from compare import compare_workbooks
    from floor_facts import facts_from_report

    facts = facts_from_report(harness.sample_report())
    bare_build.write_bare(facts, tmp_path / "a.xlsx")
    facts["rows"][1] = facts["rows"][1][:5] + (12.3,) + facts["rows"][1][6:]  # one value
    bare_build.write_bare(facts, tmp_path / "b.xlsx", fast_styles=False)
    differences = compare_workbooks(tmp_path / "a.xlsx", tmp_path / "b.xlsx")
    assert len(differences) == 1 and differences[0].startswith("Scorecard!E9")


def test_generated_inputs_are_valid_scorecards(bench, tmp_path):
    from generated import make_history, make_scaled

    from xl_scorecard.inputs.data import load_data
    from xl_scorecard.inputs.rules_file import load_rules

    history = make_history(tmp_path, 120)
    with open(history, newline="", encoding="utf-8") as handle:
        months = sorted({row["period"] for row in csv.DictReader(handle)})
    assert (months[0], months[-1], len(months)) == ("2012-04", "2022-03", 120)
    rules_path, data_path = make_scaled(tmp_path, 100)
    rules = load_rules(rules_path)
    assert len(rules.indicators) == 100 and len(set(rules.ids)) == 100
    assert [str(m) for m in load_data(data_path, rules).months] == ["2012-04", "2012-05"]
    assert len(load_data(history, load_rules(REPO_ROOT / "rules.json")).months) == 120


def test_numpy_baselines_agree_with_the_worksheet_functions(bench):
    from items import functions as item

    from xl_scorecard.excel import functions as sf

    x = item.function_inputs(3000)
    # The bench's figures are as written (percent_cells FALSE): 0.5 against 50 is 0.5%.
    assert sf.rag(x["value"], x["target"], x["floor"], x["polarity"], 1, False) == item.numpy_rag(
        x["value"], x["target"], x["floor"], x["polarity"], 1)
    assert sf.dot(x["value"], x["previous"], "H", None, 0, False) == item.numpy_dot(
        x["value"], x["previous"], "H")
    assert sf.kpirate(x["num"], x["den"], 100) == item.numpy_kpirate(x["num"], x["den"], 100.0)


def test_a_full_run_keeps_the_build_ratio_of_the_last_three_runs(bench, harness, tmp_path):
    import datetime as dt

    previous = tmp_path / "RESULTS.md"
    previous.write_text("## Build / floor across full runs (newest first)\n\n"
                        "- 2026-12-01 10:00 UTC: build / floor 1.21x\n"
                        "- 2026-11-30 10:00 UTC: build / floor 1.35x\n"
                        "- 2026-11-29 10:00 UTC: build / floor 1.10x\n", encoding="utf-8")
    item = harness.Item(1, "build", "fake", figures={"ratio": 1.25})
    lines = bench.build_history(previous, [item], dt.datetime(2026, 12, 2, 9, 0))
    assert lines[2:] == ["- 2026-12-02 09:00 UTC: build / floor 1.25x",
                         "- 2026-12-01 10:00 UTC: build / floor 1.21x",
                         "- 2026-11-30 10:00 UTC: build / floor 1.35x"]
    assert item.rows[-1].ratio == "1.25x / 1.21x / 1.35x" and item.rows[-1].met is False
    previous.write_text("- 2026-12-01 10:00 UTC: build / floor 1.21x\n", encoding="utf-8")
    item.rows.clear()
    bench.build_history(previous, [item], dt.datetime(2026, 12, 2, 9, 0))
    assert item.rows[-1].met is False  # two runs are not three


def test_quick_writes_its_own_results_file_and_never_the_full_one(bench, harness, monkeypatch,
                                                                 tmp_path, capsys):
    def fake(number, key):
        def run(settings, tmp):
            item = harness.Item(number, key, "fake", figures={"ratio": 1.0})
            item.row("met", "", "1.00x", "≤ 2x", True)
            return item
        return run

    for number, key in enumerate(bench.NAMES, start=1):
        monkeypatch.setitem(bench.BENCHES, key, fake(number, key))
    full, quick = tmp_path / "RESULTS.md", tmp_path / "RESULTS-quick.md"
    full.write_text("the full results", encoding="utf-8")
    monkeypatch.setattr(bench, "RESULTS", full)
    monkeypatch.setattr(bench, "RESULTS_QUICK", quick)
    assert bench.main(["--quick", "--check"]) == 0
    assert full.read_text(encoding="utf-8") == "the full results"
    assert "goals met: 6/6" in capsys.readouterr().out
    assert "**Goals met: 6/6**" in quick.read_text(encoding="utf-8")
    assert bench.main([]) == 0  # a full run writes RESULTS.md, with the build history
    assert "build / floor 1.00x" in full.read_text(encoding="utf-8")


def test_no_bench_module_is_over_400_lines(bench):
    for path in [*bench.BENCH.glob("*.py"), *bench.BENCH.glob("items/*.py")]:
        assert len(path.read_text(encoding="utf-8").splitlines()) <= 400, path

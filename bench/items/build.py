"""Item 1: one sample month's `xl-scorecard build` against a bare openpyxl script (the floor)."""

from __future__ import annotations

from pathlib import Path

import bare_build
from compare import compare_workbooks
from floor_facts import facts_from_report
from harness import (
    SAMPLE_MONTH,
    Case,
    FreshPaths,
    Item,
    Settings,
    build_case,
    measure,
    median,
    run_cli,
    sample_report,
    seconds,
    times_x,
)

GOAL = 1.3


def bench(s: Settings, tmp: Path) -> Item:
    item = Item(1, "build", "Build one sample month vs a bare openpyxl script (the floor)")
    facts = facts_from_report(sample_report())  # precomputed: not timed

    # The floor must write what we write: compare the saved workbooks first.
    ours, bare = tmp / "faithful-ours.xlsx", tmp / "faithful-bare.xlsx"
    run_cli("build", "--month", SAMPLE_MONTH, "--out", ours)
    for fast in (True, False):
        bare_build.write_bare(facts, bare, fast_styles=fast)
        differences = compare_workbooks(ours, bare)
        if differences:
            raise RuntimeError("the bare script does not write what xl-scorecard build writes:\n  "
                               + "\n  ".join(differences))

    def bare_case(name: str, fast: bool) -> Case:
        paths = FreshPaths(tmp, name)
        return Case(name, lambda: bare_build.write_bare(facts, paths.current, fast_styles=fast),
                    before=paths.next, after=paths.remove)

    cases = [build_case("build", tmp, "--month", SAMPLE_MONTH),
             bare_case("floor", True), bare_case("public", False)]
    cpu: dict[str, list[float]] = {}
    t = measure(cases, s.repeats, s.warmup, cpu)
    build, floor, public = (median(t[k]) for k in ("build", "floor", "public"))
    ratio = build / floor
    item.row("`xl-scorecard build`, May 2012 (load rules + data, compute, lay out, write)",
             seconds(build))
    item.row("bare openpyxl script, same workbook (floor: style ids reused, as our writer does)",
             seconds(floor))
    item.row("bare openpyxl script, same workbook, styles assigned per cell (public API only)",
             seconds(public), times_x(public / floor) + " of floor")
    item.figures["ratio"] = ratio
    item.row("**build / floor**", "", times_x(ratio), f"≤ {GOAL}x", ratio <= GOAL)
    item.row("build / public-API script (for information)", "", times_x(build / public))
    item.row("build / floor in CPU time (for information: the wall-time ratio also holds "
             "waiting, e.g. for the disk to confirm the atomic write)", "",
             times_x(median(cpu["build"]) / median(cpu["floor"])))
    item.notes.append(
        "The bare script (bench/bare_build.py) is hand-written openpyxl with no xl_scorecard "
        "code in the timed part: it writes the six sheets (Scorecard, Summary, Exceptions, Trend, "
        "Data, Rules) cell by cell with the same values, fonts, fills, borders, alignments, number "
        "formats, merged ranges, column widths and row heights, frozen panes, the RAG conditional "
        "formatting rules, the Data table, the 44 Trend line charts, print set-up (paper, "
        "orientation, fit to width, print titles and areas, margins) and the ReportMonth name. "
        "Its values (results, history, notes, summary text) are computed before timing. Before "
        "timing, both of its variants are saved and compared with our build, cell by cell and "
        "feature by feature; the run stops if anything differs.")
    item.notes.append(
        "Two floors: openpyxl's documented way (style objects assigned to every cell, which "
        "openpyxl hashes on each assignment) and the same script reusing the style ids of the "
        "first cell of each look, as our writer does. The goal is judged against the second, "
        "faster one, so that the ratio is what our engine, layout and writer add to the least "
        "openpyxl must do, not a saving in how styles are applied.")
    item.notes.append(
        "`build` is timed through `xl_scorecard.cli.run(['build', ...])`, the function behind "
        "the command: it includes loading and checking rules.json and the data table. Each run "
        "writes a new file (an existing one would be read back to keep commentary).")
    return item

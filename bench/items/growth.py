"""Item 6: how build time grows with the number of indicators."""

from __future__ import annotations

import shutil
from pathlib import Path

from generated import make_scaled
from harness import SAMPLE_MONTH, Case, Item, Settings, build_case, measure, median, run_cli, seconds, times_x

GOAL_SECONDS, GOAL_SIZE, GOAL_GROWTH = 8.0, 5000, 1.2


def bench(s: Settings, tmp: Path) -> Item:
    sizes = s.growth_sizes
    item = Item(6, "growth", f"Cost growth: build for {', '.join(f'{n:,}' for n in sizes)} indicators")
    cases = []
    for n in sizes:
        rules_path, data_path = make_scaled(tmp, n)
        argv = ("--rules", rules_path, "--data", data_path, "--month", SAMPLE_MONTH)
        cases.append(build_case(f"n{n}", tmp, *argv))
    cases.append(_over_last_month(f"over{sizes[-1]}", tmp, argv))
    cpu: dict[str, list[float]] = {}
    t = measure(cases, s.slow_repeats, s.warmup, cpu)
    per = {n: median(t[f"n{n}"]) / n for n in sizes}
    for n in sizes:
        item.row(f"build, {n:,} indicators", seconds(median(t[f"n{n}"])),
                 f"{per[n] * 1e3:.2f} ms per indicator")
    mid, big = sizes[-2], sizes[-1]
    growth = per[big] / per[mid]
    if big == GOAL_SIZE:
        item.row(f"**build of {big:,} indicators in at most {GOAL_SECONDS:.0f} s**",
                 seconds(median(t[f"n{big}"])), "", f"≤ {GOAL_SECONDS:.0f} s",
                 median(t[f"n{big}"]) <= GOAL_SECONDS)
    else:  # --quick
        item.row(f"build of {big:,} indicators (the {GOAL_SECONDS:.0f} s goal is for "
                 f"{GOAL_SIZE:,}: judged on a full run)", seconds(median(t[f"n{big}"])))
    item.row(f"build of {big:,} indicators: CPU time (for information: what other work on the "
             "machine does not add)", seconds(median(cpu[f"n{big}"])))
    item.row(f"**time per indicator at {big:,} / at {mid:,}**", "", times_x(growth),
             f"≤ {GOAL_GROWTH}x", growth <= GOAL_GROWTH)
    over = median(t[f"over{big}"])
    item.row(f"build of {big:,} indicators over last month's output (the monthly rebuild, which "
             "keeps commentary and the analyst's sheets; for information: its ratio to the fresh "
             "build, wall and CPU time)", seconds(over),
             f"{times_x(over / median(t[f'n{big}']))} (CPU "
             f"{times_x(median(cpu[f'over{big}']) / median(cpu[f'n{big}']))})")
    item.notes.append(
        f"Rules and data are the sample's 44 indicators replicated with new ids (two months each; "
        f"each copy under its own section headings), built for May 2012 through `xl-scorecard "
        f"build` including loading and checking them. Criterion for 'no worse than linear': the "
        f"time per indicator at {big:,} indicators is at most {GOAL_GROWTH}x the time per indicator at "
        f"{mid:,} (a fixed start-up cost makes small scorecards dearer per indicator, so "
        f"{sizes[0]} is shown for information only).")
    return item


def _over_last_month(name: str, tmp: Path, argv) -> Case:
    """The build over its own previous output: a copy of that output is put in place before
    each timed run (outside the timing)."""
    previous, target = tmp / f"{name}-previous.xlsx", tmp / f"{name}.xlsx"
    run_cli("build", *argv, "--out", previous)
    return Case(name, lambda: run_cli("build", *argv, "--out", target),
                before=lambda: shutil.copyfile(previous, target),
                after=lambda: target.unlink(missing_ok=True))

"""Item 2: `xl-scorecard batch` of many months, as the user types it: the synthetic history as
given, and a history of each month's own figures that the engine aggregates."""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from generated import make_aggregated, make_history
from harness import (ROOT, Case, Item, Settings, build_case, measure, median, seconds, spin,
                     times_x)

GOAL_SECONDS, GOAL_MONTHS = 25.0, 120


def batch_command(data: Path, first, last, out_dir: Path, jobs: int,
                  rules: Path | None = None) -> list[str]:
    command = [sys.executable, "-m", "xl_scorecard.cli", "batch", "--data", str(data),
               "--from", str(first), "--to", str(last), "--out-dir", str(out_dir),
               "--jobs", str(jobs)]
    return command + (["--rules", str(rules)] if rules else [])


def bench(s: Settings, tmp: Path) -> Item:
    import resource

    from xl_scorecard.core.periods import Month

    n = s.batch_months
    item = Item(2, "batch", f"`xl-scorecard batch` of {n} months, --jobs 1 vs --jobs 2")
    data = make_history(tmp, n)
    agg_rules, agg_data = make_aggregated(tmp, n)
    first, last = Month(2012, 4), Month(2012, 4) + (n - 1)
    rows = sum(1 for _ in open(data, encoding="utf-8")) - 1
    agg_rows = sum(1 for _ in open(agg_data, encoding="utf-8")) - 1
    cpu: dict[str, list[float]] = {}
    folders: dict[str, Path] = {}

    def case(jobs: int, to: Month, name: str, aggregated: bool = False) -> Case:
        inputs = (agg_data, agg_rules) if aggregated else (data, None)

        def before():
            folders[name] = Path(tempfile.mkdtemp(prefix=f"batch-{jobs}-", dir=tmp))

        def run():
            used = resource.getrusage(resource.RUSAGE_CHILDREN)
            done = subprocess.run(batch_command(inputs[0], first, to, folders[name], jobs,
                                                inputs[1]),
                                  capture_output=True, text=True, cwd=ROOT)
            after = resource.getrusage(resource.RUSAGE_CHILDREN)
            if done.returncode != 0:
                raise RuntimeError(f"xl-scorecard batch failed: {done.stderr.strip()[-500:]}")
            cpu.setdefault(name, []).append(after.ru_utime + after.ru_stime
                                            - used.ru_utime - used.ru_stime)

        def after():
            written = len(list(folders[name].glob("scorecard-*.xlsx")))
            shutil.rmtree(folders[name])
            if written != to.index - first.index + 1:
                raise RuntimeError(f"batch wrote {written} workbooks, not {to.index - first.index + 1}")

        return Case(name, run, before, after)

    # Warm-up: a short batch each way (disk caches, .pyc files), then the real thing, with a
    # control measured in the same rounds: how much faster two CPU-bound processes finish
    # than one doing the same work, i.e. how many cores the machine had free.
    warm = [case(2, first + 3, "warm 2"), case(2, first + 3, "warm agg 2", True)]
    if not s.quick:
        warm.insert(0, case(1, first + 2, "warm 1"))
    measure(warm, 1, 0)
    cases = [case(1, last, "jobs 1"), case(2, last, "jobs 2"),
             case(1, last, "agg 1", True), case(2, last, "agg 2", True),
             Case("spin 1", lambda: spin(1)), Case("spin 2", lambda: spin(2))]
    t = measure(cases, s.slow_repeats, 0)
    one, two = median(t["jobs 1"]), median(t["jobs 2"])
    speedup = one / two
    cores = median([c / w for c, w in zip(cpu["jobs 2"], t["jobs 2"])])
    control = median(t["spin 1"]) / median(t["spin 2"])
    item.row(f"--jobs 1: {n} workbooks", seconds(one), f"{n / one:.2f} workbooks/s")
    item.row(f"--jobs 2: {n} workbooks", seconds(two),
             f"{n / two:.2f} workbooks/s; {cores:.2f} cores busy on average")
    _goal_row(item, n, two, "")
    cpu_two = median(cpu["jobs 2"])
    item.row("--jobs 2: CPU time of all its processes (half of it is the wall time two free "
             "cores would give)", seconds(cpu_two), f"{seconds(cpu_two / 2)} on two free cores")
    item.row("speed-up, 2 jobs over 1 (for information)", "", times_x(speedup))
    agg_one, agg_two = median(t["agg 1"]), median(t["agg 2"])
    agg_cores = median([c / w for c, w in zip(cpu["agg 2"], t["agg 2"])])
    item.row(f"aggregated history, --jobs 1: {n} workbooks", seconds(agg_one),
             f"{n / agg_one:.2f} workbooks/s")
    item.row(f"aggregated history, --jobs 2: {n} workbooks", seconds(agg_two),
             f"{n / agg_two:.2f} workbooks/s; {agg_cores:.2f} cores busy on average")
    _goal_row(item, n, agg_two, "aggregated history, ")
    item.row("control: 2 CPU-bound processes over 1 (2.00x on two free cores)", "",
             times_x(control))
    _one_month(item, s, tmp, data, agg_rules, agg_data, last)
    item.notes.append(
        f"Each run is the command a user types, `python -m xl_scorecard.cli batch --data ... "
        f"--from {first} --to {last} --out-dir NEW_FOLDER --jobs N`, in a new process (start-up "
        f"and imports included), into an empty folder. Data: the 24-month synthetic history "
        f"(repeated with its months shifted by whole financial years when more months are "
        f"needed): {n} months, {first} to {last}, {rows:,} rows; every workbook's Data sheet "
        f"holds the months it shows (its Exceptions trend window and its outturn month, and "
        f"each indicator's previous result) and its Trend sheet every month up to its own, so "
        f"later months cost a little more. 'cores busy' is the CPU time "
        f"of the --jobs 2 run (all its processes) over its wall time: below about 1.9 the run did "
        f"not get two whole cores. The control, timed in the same rounds, runs the same "
        f"pure-Python loop twice in one process and once each in two processes at the same "
        f"time: on a machine whose two cores are free it reads 2.00x, and it shows how much "
        f"parallelism other work on the machine left for the batch. The goal is the --jobs 2 "
        f"wall time; the speed-up over --jobs 1 (once a goal of at least 1.7x) is shown for "
        f"information, since on a shared machine it measures the free cores as much as us.")
    item.notes.append(
        f"The aggregated history (bench/generated.py `make_aggregated`, deterministic: no random "
        f"generator, no clock) holds each month's OWN figures, {agg_rows:,} rows over the same "
        f"{n} months, for 44 indicators the engine aggregates itself (`--rules` its own "
        f"rules.json): every period (SS, YTD, R12M, Q, annual) with both `aggregate` kinds "
        f"(`sum`, `sum_over_latest` over a population) for year starts in April, September and "
        f"January (30 indicators); quarterly and annual indicators whose figures arrive at the "
        f"period's end only (financial and academic years); lead indicators judged against an "
        f"expected range, three of them aggregated counts; and four given as already "
        f"aggregated. It has the same goal as the history as given. The one-month builds "
        f"compare `xl-scorecard build` of the last month of each history (the aggregated one "
        f"computes every window of all {n} months before it picks its month), for information.")
    return item


def _goal_row(item: Item, n: int, two: float, what: str) -> None:
    if n == GOAL_MONTHS:
        item.row(f"**{what}--jobs 2: {n} workbooks in at most {GOAL_SECONDS:.0f} s**",
                 seconds(two), "", f"≤ {GOAL_SECONDS:.0f} s", two <= GOAL_SECONDS)
    else:  # --quick: the goal is for 120 months; judged on a full run only
        item.row(f"{what}--jobs 2: {n} workbooks (the {GOAL_SECONDS:.0f} s goal is for "
                 f"{GOAL_MONTHS} months: judged on a full run)", seconds(two))


def _one_month(item: Item, s: Settings, tmp: Path, data: Path, agg_rules: Path,
               agg_data: Path, last) -> None:
    """One build of the last month from each history, interleaved (for information)."""
    given = build_case("given", tmp, "--data", data, "--month", last)
    summed = build_case("aggregated", tmp, "--rules", agg_rules, "--data", agg_data,
                        "--month", last)
    t = measure([given, summed], s.repeats, s.warmup)
    plain, agg = median(t["given"]), median(t["aggregated"])
    item.row(f"`xl-scorecard build` of {last}: history as given", seconds(plain))
    item.row(f"`xl-scorecard build` of {last}: aggregated history (for information)",
             seconds(agg), f"{times_x(agg / plain)} of the history as given")

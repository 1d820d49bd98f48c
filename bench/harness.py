"""The timing harness: interleaved runs and their medians, the CPU control, the report.

Every figure is the median of several timed runs after warm-up runs; when two things are
compared their runs are interleaved (A B B A ...) so a busy machine slows both alike, and the
ratio of the medians is what counts. The items (bench/items/) use only what is here, so a new
item is a module with one ``bench(settings, tmp) -> Item`` function.
"""

from __future__ import annotations

import datetime as dt
import gc
import io
import os
import platform
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
SAMPLE_MONTH = "2012-05"
SYNTHETIC = ROOT / "workbooks" / "synthetic_kent_scs_2012-2014.csv"


# =========================================================================== timing


@dataclass
class Case:
    """One thing to time: ``run`` is timed; ``before``/``after`` run outside the timed region."""

    name: str
    run: Callable[[], object]
    before: Callable[[], None] | None = None
    after: Callable[[], None] | None = None


def measure(cases: list[Case], repeats: int, warmup: int = 1,
            cpu: dict[str, list[float]] | None = None) -> dict[str, list[float]]:
    """Seconds per run of each case: warm-up runs first, then interleaved timed runs.

    The order alternates every round (A B C, C B A, ...) so that neither side always runs
    first after the other has warmed or cooled the caches. Objects that exist before timing
    (inputs of 100,000 rows) are frozen out of the garbage collector, garbage is collected
    before each run, so that one side does not pay for a full collection the other provoked,
    and each run's own garbage is collected inside its timing: an openpyxl workbook is a web of
    reference cycles that only the collector frees, and ``xl-scorecard build``, which pauses
    the collector while it builds, frees its workbook before it returns, so a side whose
    garbage were left for the next run's collection would be timed without that work.
    ``cpu``, when given, receives this process's CPU seconds of each timed run (what a busy
    machine's other work does not add, unlike the wall time).
    """
    times: dict[str, list[float]] = {c.name: [] for c in cases}
    gc.collect()
    gc.freeze()
    try:
        for round_ in range(warmup + repeats):
            order = cases if round_ % 2 == 0 else cases[::-1]
            for case in order:
                if case.before:
                    case.before()
                gc.collect()
                start, start_cpu = time.perf_counter(), time.process_time()
                case.run()
                gc.collect()
                elapsed, used = time.perf_counter() - start, time.process_time() - start_cpu
                if case.after:
                    case.after()
                if round_ >= warmup:
                    times[case.name].append(elapsed)
                    if cpu is not None:
                        cpu.setdefault(case.name, []).append(used)
    finally:
        gc.unfreeze()
    return times


def median(values: list[float]) -> float:
    return statistics.median(values)


def per_call(fn: Callable[[], object], calls: int, repeats: int) -> float:
    """Median seconds per call of a fast function, timed in loops of ``calls``."""
    fn()
    loops = []
    for _ in range(repeats):
        start = time.perf_counter()
        for _ in range(calls):
            fn()
        loops.append((time.perf_counter() - start) / calls)
    return median(loops)


SPIN = "x = 0\nfor i in range(4_000_000):\n    x += i * i\n"


def spin(processes: int) -> None:
    """The CPU control: two units of pure-Python work, in one process after the other or in
    two at once (on two free cores the second takes half as long)."""
    if processes == 1:
        for _ in range(2):
            subprocess.run([sys.executable, "-c", SPIN], check=True)
        return
    running = [subprocess.Popen([sys.executable, "-c", SPIN]) for _ in range(2)]
    for process in running:
        if process.wait() != 0:
            raise RuntimeError("the CPU control process failed")


# =========================================================================== results


@dataclass
class Row:
    item: int
    what: str
    median: str = ""
    ratio: str = ""
    goal: str = ""
    met: bool | None = None   # None: no goal


@dataclass
class Item:
    number: int
    key: str
    title: str
    rows: list[Row] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    skipped: str = ""
    figures: dict[str, float] = field(default_factory=dict)   # kept across runs (history)

    def row(self, *args, **kwargs) -> Row:
        row = Row(self.number, *args, **kwargs)
        self.rows.append(row)
        return row


def seconds(t: float) -> str:
    if t >= 1:
        return f"{t:.2f} s"
    if t >= 1e-3:
        return f"{t * 1e3:.1f} ms"
    return f"{t * 1e6:.1f} µs"


def times_x(ratio: float) -> str:
    return f"{ratio:.2f}x"


class Settings:
    """How long to run: the full run, or --quick (smaller sizes, goals scaled to them)."""

    def __init__(self, quick: bool, repeats: int | None = None, rows: int | None = None):
        self.quick = quick
        self.repeats = repeats or (3 if quick else 7)
        self.slow_repeats = repeats or (1 if quick else 3)  # items whose one run takes seconds
        self.warmup = 1
        self.rows = rows or 100_000
        self.batch_months = 12 if quick else 120
        self.growth_sizes = (50, 100, 500) if quick else (50, 500, 5000)


# =========================================================================== shared helpers


def run_cli(*argv) -> str:
    """``xl-scorecard ARGV`` in this process, exactly as the console script runs it."""
    from xl_scorecard import cli

    out, err = io.StringIO(), io.StringIO()
    code = cli.run([str(a) for a in argv], out, err)
    if code != 0:
        raise RuntimeError(f"xl-scorecard {' '.join(map(str, argv))} failed ({code}): {err.getvalue()}")
    return out.getvalue()


class FreshPaths:
    """A new output path for every run (``build`` keeps commentary from an existing file, so
    each timed build must write a file that does not exist yet)."""

    def __init__(self, folder: Path, stem: str, suffix: str = ".xlsx"):
        self.folder, self.stem, self.suffix, self.count = folder, stem, suffix, 0
        self.current = self.folder / f"{self.stem}-0{self.suffix}"

    def next(self) -> None:
        self.count += 1
        self.current = self.folder / f"{self.stem}-{self.count}{self.suffix}"

    def remove(self) -> None:
        if self.current.exists():
            self.current.unlink()


def build_case(name: str, folder: Path, *argv) -> Case:
    """``xl-scorecard build ARGV --out <fresh file>`` as a timed case."""
    paths = FreshPaths(folder, name.replace(" ", "_"))
    return Case(name, lambda: run_cli("build", *argv, "--out", paths.current),
                before=paths.next, after=paths.remove)


def sample_report(month: str = SAMPLE_MONTH, rules_path=None, data_path=None):
    from xl_scorecard.core.month_report import compute_report
    from xl_scorecard.inputs import sample
    from xl_scorecard.inputs.data import load_data
    from xl_scorecard.inputs.rules_file import load_rules

    rules = load_rules(rules_path or sample.rules_path())
    data = load_data(data_path or sample.data_path(), rules)
    return compute_report(rules, data, month)


# =========================================================================== the report


def table(items: list[Item]) -> str:
    lines = ["| # | measurement | median | ratio / figure | goal | met |",
             "|---|---|---|---|---|---|"]
    for item in items:
        if item.skipped:
            lines.append(f"| {item.number} | {item.title}: skipped ({item.skipped}) | | | | |")
            continue
        for r in item.rows:
            met = "" if r.met is None else ("yes" if r.met else "**NO**")
            lines.append(f"| {r.item} | {r.what} | {r.median} | {r.ratio} | {r.goal} | {met} |")
    return "\n".join(lines)


def goals(items: list[Item]) -> tuple[int, int]:
    rows = [r for item in items for r in item.rows if r.met is not None]
    return sum(r.met for r in rows), len(rows)


def machine() -> dict:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    from importlib import metadata

    versions = {}
    for name in ("numpy", "pandas", "openpyxl", "jsonschema", "formulas"):
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            versions[name] = "not installed"
    return {"cores": os.cpu_count(), "cpu": cpu, "python": platform.python_version(),
            "platform": platform.platform(), "versions": versions}


def load() -> str:
    try:
        return " ".join(f"{x:.2f}" for x in os.getloadavg())
    except OSError:
        return "n/a"


def write_results(path: Path, items: list[Item], command: str, started: dt.datetime,
                  load_before: str, load_after: str, elapsed: float,
                  history: list[str] | None = None) -> None:
    """RESULTS.md: the machine, the table, the goals count, what each item measures, and
    (``history``) lines about earlier full runs."""
    m = machine()
    met, total = goals(items)
    versions = ", ".join(f"{k} {v}" for k, v in m["versions"].items())
    parts = [
        "# Benchmark results",
        "",
        f"Produced by `{command}` on {started:%Y-%m-%d %H:%M} UTC in {elapsed / 60:.1f} min.",
        "",
        f"- Machine: {m['cores']} cores ({m['cpu']}), {m['platform']}",
        f"- Python {m['python']}; {versions}",
        f"- Load average (1, 5, 15 min) before: {load_before}; after: {load_after}. The machine "
        "is shared with other work, so absolute times drift: compare ratios of medians measured "
        "in the same run, not absolute times across runs.",
        "",
        "Each figure is the median of several timed runs after a warm-up; compared runs are "
        "interleaved. Goals come from issues 3, 4, 5 and 13.",
        "",
        table(items),
        "",
        f"**Goals met: {met}/{total}**",
        "",
    ]
    if history:
        parts += history + [""]
    parts += ["## What each item measures", ""]
    for item in items:
        parts.append(f"### {item.number}. {item.title}")
        parts.append("")
        if item.skipped:
            parts.append(f"Skipped: {item.skipped}.")
            parts.append("")
        for note in item.notes:
            parts.append(note)
            parts.append("")
    path.write_text("\n".join(parts), encoding="utf-8")

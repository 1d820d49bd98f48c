#!/usr/bin/env python3
"""Benchmarks: xl_scorecard against the alternatives, measured in one run on this machine.

    python bench/run.py            # everything; prints a table, writes bench/RESULTS.md
    python bench/run.py --quick    # shorter (CI): fewer repeats, a 24-month batch
    python bench/run.py --check    # exit 1 when a goal is missed; last line "goals met: N/M"
    python bench/run.py --only build,functions   # some items (1-6 or their names); no RESULTS.md

Items (issues 3, 4 and 5):
  1 build      one sample month (``xl-scorecard build``) vs a bare openpyxl script writing the
               same cells and styles (bench/bare_build.py)             goal: at most 1.5x
  2 batch      120 months with --jobs 1 and --jobs 2                    goal: speed-up at least 1.7x
  3 functions  RAG, DOT, KPIRATE over 100,000 rows vs bare NumPy       goal: at most 3x each
  4 libreoffice  LibreOffice recalculating nested-IF formulas vs our build      (report only)
  5 formulas   the --live workbook evaluated by the `formulas` engine          (report only)
  6 growth     build time for 50, 500 and 5,000 indicators  goal: per-indicator time at 5,000
               at most 1.5x that at 500 (no worse than linear)

Every figure is the median of several timed runs after warm-up runs; when two things are
compared their runs are interleaved (A B B A ...) so a busy machine slows both alike, and the
ratio of the medians is what counts. Only the standard library, NumPy, pandas and openpyxl are
needed; items 4 and 5 are skipped, with the reason printed, without LibreOffice or `formulas`.
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import datetime as dt
import gc
import io
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
for _path in (str(ROOT), str(BENCH)):
    if _path not in sys.path:
        sys.path.insert(0, _path)

import numpy as np  # noqa: E402

SAMPLE_MONTH = "2012-05"
SYNTHETIC = ROOT / "workbooks" / "synthetic_kent_scs_2012-2014.csv"
RESULTS = BENCH / "RESULTS.md"
ITEMS = ("build", "batch", "functions", "libreoffice", "formulas", "growth")


# =========================================================================== timing


@dataclass
class Case:
    """One thing to time: ``run`` is timed; ``before``/``after`` run outside the timed region."""

    name: str
    run: Callable[[], object]
    before: Callable[[], None] | None = None
    after: Callable[[], None] | None = None


def measure(cases: list[Case], repeats: int, warmup: int = 1) -> dict[str, list[float]]:
    """Seconds per run of each case: warm-up runs first, then interleaved timed runs.

    The order alternates every round (A B C, C B A, ...) so that neither side always runs
    first after the other has warmed or cooled the caches. Objects that exist before timing
    (inputs of 100,000 rows) are frozen out of the garbage collector, and garbage is collected
    before each run, so that one side does not pay for a full collection the other provoked.
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
                start = time.perf_counter()
                case.run()
                elapsed = time.perf_counter() - start
                if case.after:
                    case.after()
                if round_ >= warmup:
                    times[case.name].append(elapsed)
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


# =========================================================================== shared helpers


class Settings:
    """How long to run: the full run, or --quick."""

    def __init__(self, quick: bool, repeats: int | None = None, rows: int | None = None):
        self.quick = quick
        self.repeats = repeats or (3 if quick else 7)
        self.slow_repeats = repeats or (1 if quick else 3)  # items whose one run takes seconds
        self.warmup = 1
        self.rows = rows or 100_000
        self.batch_months = 24 if quick else 120
        self.growth_sizes = (50, 200, 1000) if quick else (50, 500, 5000)


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
    from xl_scorecard.inputs import sample
    from xl_scorecard.inputs.data import load_data
    from xl_scorecard.core.month_report import compute_report
    from xl_scorecard.inputs.rules_file import load_rules

    rules = load_rules(rules_path or sample.rules_path())
    data = load_data(data_path or sample.data_path(), rules)
    return compute_report(rules, data, month)


# =========================================================================== 1. build vs bare openpyxl


def bench_build(s: Settings, tmp: Path) -> Item:
    import bare_build

    item = Item(1, "build", "Build one sample month vs a bare openpyxl script (the floor)")
    facts = bare_build.facts_from_report(sample_report())  # precomputed: not timed

    # The floor must write what we write: compare the saved workbooks first.
    ours, bare = tmp / "faithful-ours.xlsx", tmp / "faithful-bare.xlsx"
    run_cli("build", "--month", SAMPLE_MONTH, "--out", ours)
    for fast in (True, False):
        bare_build.write_bare(facts, bare, fast_styles=fast)
        differences = bare_build.compare_workbooks(ours, bare)
        if differences:
            raise RuntimeError("the bare script does not write what xl-scorecard build writes:\n  "
                               + "\n  ".join(differences))

    def bare_case(name: str, fast: bool) -> Case:
        paths = FreshPaths(tmp, name)
        return Case(name, lambda: bare_build.write_bare(facts, paths.current, fast_styles=fast),
                    before=paths.next, after=paths.remove)

    cases = [build_case("build", tmp, "--month", SAMPLE_MONTH),
             bare_case("floor", True), bare_case("public", False)]
    t = measure(cases, s.repeats, s.warmup)
    build, floor, public = (median(t[k]) for k in ("build", "floor", "public"))
    ratio = build / floor
    item.row("`xl-scorecard build`, May 2012 (load rules + data, compute, lay out, write)",
             seconds(build))
    item.row("bare openpyxl script, same workbook (floor: style ids reused, as our writer does)",
             seconds(floor))
    item.row("bare openpyxl script, same workbook, styles assigned per cell (public API only)",
             seconds(public), times_x(public / floor) + " of floor")
    item.row("**build / floor**", "", times_x(ratio), "≤ 1.5x", ratio <= 1.5)
    item.row("build / public-API script (for information)", "", times_x(build / public))
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


# =========================================================================== 2. batch


def make_history(folder: Path, months: int = 120) -> Path:
    """A synthetic data table of ``months`` months from 2012-04: the 24-month synthetic history
    repeated with its months shifted by 24, 48, ... (whole financial years, so YTD figures
    still restart each April)."""
    from xl_scorecard.core.periods import Month

    with open(SYNTHETIC, newline="", encoding="utf-8") as handle:
        rows = list(csv.reader(handle))
    header, body = rows[0], rows[1:]
    out = folder / f"synthetic_{months}_months.csv"
    first = Month(2012, 4)
    with open(out, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(header)
        for shift in range(0, months, 24):
            for row in body:
                month = Month.parse(row[1]) + shift
                if month.index - first.index < months:
                    writer.writerow([row[0], str(month), *row[2:]])
    return out


SPIN = "x = 0\nfor i in range(4_000_000):\n    x += i * i\n"


def spin(processes: int) -> None:
    """Two units of pure-Python CPU work, in one process after the other or in two at once."""
    if processes == 1:
        for _ in range(2):
            subprocess.run([sys.executable, "-c", SPIN], check=True)
        return
    running = [subprocess.Popen([sys.executable, "-c", SPIN]) for _ in range(2)]
    for process in running:
        if process.wait() != 0:
            raise RuntimeError("the CPU control process failed")


def batch_command(data: Path, first, last, out_dir: Path, jobs: int) -> list[str]:
    return [sys.executable, "-m", "xl_scorecard.cli", "batch", "--data", str(data),
            "--from", str(first), "--to", str(last), "--out-dir", str(out_dir), "--jobs", str(jobs)]


def bench_batch(s: Settings, tmp: Path) -> Item:
    import resource

    from xl_scorecard.core.periods import Month

    n = s.batch_months
    item = Item(2, "batch", f"`xl-scorecard batch` of {n} months, --jobs 1 vs --jobs 2")
    data = make_history(tmp, n)
    first, last = Month(2012, 4), Month(2012, 4) + (n - 1)
    rows = sum(1 for _ in open(data, encoding="utf-8")) - 1
    cpu: dict[str, list[float]] = {}
    folders: dict[str, Path] = {}

    def case(jobs: int, to: Month, name: str) -> Case:
        def before():
            folders[name] = Path(tempfile.mkdtemp(prefix=f"batch-{jobs}-", dir=tmp))

        def run():
            used = resource.getrusage(resource.RUSAGE_CHILDREN)
            done = subprocess.run(batch_command(data, first, to, folders[name], jobs),
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
    measure([case(1, first + 2, "warm 1"), case(2, first + 3, "warm 2")], 1, 0)
    cases = [case(1, last, "jobs 1"), case(2, last, "jobs 2"),
             Case("spin 1", lambda: spin(1)), Case("spin 2", lambda: spin(2))]
    t = measure(cases, s.slow_repeats, 0)
    one, two = median(t["jobs 1"]), median(t["jobs 2"])
    speedup = one / two
    cores = median([c / w for c, w in zip(cpu["jobs 2"], t["jobs 2"])])
    control = median(t["spin 1"]) / median(t["spin 2"])
    item.row(f"--jobs 1: {n} workbooks", seconds(one), f"{n / one:.2f} workbooks/s")
    item.row(f"--jobs 2: {n} workbooks", seconds(two),
             f"{n / two:.2f} workbooks/s; {cores:.2f} cores busy on average")
    item.row("**speed-up, 2 jobs over 1**", "", times_x(speedup), "≥ 1.7x", speedup >= 1.7)
    item.row("control: 2 CPU-bound processes over 1 (2.00x on two free cores)", "",
             times_x(control))
    item.notes.append(
        f"Each run is the command a user types, `python -m xl_scorecard.cli batch --data ... "
        f"--from {first} --to {last} --out-dir NEW_FOLDER --jobs N`, in a new process (start-up "
        f"and imports included), into an empty folder. Data: the 24-month synthetic history "
        f"(repeated with its months shifted by whole financial years when more months are "
        f"needed): {n} months, {first} to {last}, {rows:,} rows; every workbook carries all of "
        f"them on its Data sheet and a trend of every month up to its own, so later months cost "
        f"more. 'cores busy' is the CPU time "
        f"of the --jobs 2 run (all its processes) over its wall time: below about 1.9 the run did "
        f"not get two whole cores. The control, timed in the same rounds, runs the same "
        f"pure-Python loop twice in one process and once each in two processes at the same "
        f"time: on a machine whose two cores are free it reads 2.00x, and it shows how much "
        f"parallelism other work on the machine left for the batch.")
    return item


# =========================================================================== 3. worksheet functions


def column(values: np.ndarray) -> list[list]:
    """What ``@xw.arg(ndim=2)`` hands a function for one column: a list of one-item rows,
    numbers as float and blank cells as None."""
    return [[None if x != x else float(x)] for x in values.tolist()]


def text_column(values) -> list[list]:
    return [[v] for v in values]


_LABELS = np.array(["", "Green", "Amber", "Red"], dtype=object)
_ARROWS = np.array(["↓", "→", "↑", ""], dtype=object)


def excel15(x: np.ndarray) -> np.ndarray:
    """x snapped to Excel's 15 significant digits (the same rule, written out bare)."""
    with np.errstate(divide="ignore", invalid="ignore"):
        scale = 10.0 ** (14 - np.floor(np.log10(np.abs(x))))
        snapped = np.round(x * scale) / scale
    return np.where(np.isfinite(scale) & (x != 0), snapped, x)


def floats(col: list[list]) -> np.ndarray:
    """A column of one-item rows as floats (None -> NaN), the fastest plain way."""
    return np.fromiter((row[0] for row in col), dtype=float, count=len(col))


def is_lower(polarity) -> "bool | np.ndarray":
    if isinstance(polarity, str):
        return polarity == "L"
    return np.fromiter((row[0] == "L" for row in polarity), dtype=bool, count=len(polarity))


def as_column(labels: np.ndarray) -> list[list]:
    """Results back as the one-item rows xlwings writes to the sheet."""
    return labels.reshape(-1, 1).tolist()


def numpy_rag(value, target, floor, polarity, decimals=1):
    """Bare NumPy RAG for H/L: Excel ROUND (half away from zero at 15 digits), then np.where."""
    v, t, f = floats(value), floats(target), floats(floor)
    factor = 10.0 ** decimals
    x = excel15(v * factor)
    r = np.sign(x) * np.floor(np.abs(x) + 0.5) / factor
    lower = is_lower(polarity)
    sign = np.where(lower, -1.0, 1.0)
    r, t, f = r * sign, t * sign, f * sign
    codes = np.where(np.isnan(r) | np.isnan(t), 0, np.where(r >= t, 1, np.where(r >= f, 2, 3)))
    return as_column(_LABELS[codes])


def numpy_dot(latest, previous, polarity):
    """Bare NumPy direction of travel: sign of the change at 15 digits, flipped for L."""
    new, old = excel15(floats(latest)), excel15(floats(previous))
    gain = excel15(np.where(is_lower(polarity), old - new, new - old))
    codes = np.where(np.isnan(gain), -2, np.sign(gain)).astype(int)
    return as_column(_ARROWS[codes + 1])


def numpy_kpirate(numerator, denominator, multiplier=100.0):
    """Bare NumPy rate: num / den x multiplier, blank where the denominator is zero or missing."""
    num, den = floats(numerator), floats(denominator)
    with np.errstate(divide="ignore", invalid="ignore"):
        rate = np.where(den != 0, num / den * multiplier, np.nan)
    out = rate.astype(object)
    out[~np.isfinite(rate)] = ""
    return as_column(out)


def function_inputs(n: int, seed: int = 20120531) -> dict:
    """A scorecard-like column of n rows: results with 3 decimals, targets, floors, blanks,
    ties with the target and previous results; H and L mixed for the polarity column."""
    rng = np.random.default_rng(seed)
    value = rng.uniform(0, 100, n).round(3)
    target = rng.choice([50.0, 60.0, 75.0, 85.0, 90.0], n)
    lower = rng.random(n) < 0.4
    floor = np.where(lower, target * 1.1, target * 0.9).round(1)
    floor[rng.random(n) < 0.1] = np.nan           # no Amber
    value[rng.random(n) < 0.05] = np.nan          # blank results
    near = rng.random(n) < 0.1                    # on the boundary, once rounded
    value[near] = target[near] - 0.04
    previous = np.where(rng.random(n) < 0.1, value, rng.uniform(0, 100, n).round(3))
    previous[rng.random(n) < 0.05] = np.nan
    num = rng.integers(0, 2000, n).astype(float)
    den = rng.integers(0, 2000, n).astype(float)
    den[rng.random(n) < 0.03] = 0.0
    num[rng.random(n) < 0.02] = np.nan
    return {
        "value": column(value), "target": column(target), "floor": column(floor),
        "polarity": text_column(np.where(lower, "L", "H").tolist()),
        "previous": column(previous), "num": column(num), "den": column(den),
    }


def bench_functions(s: Settings, tmp: Path | None = None) -> Item:
    from xl_scorecard.excel import functions as sf

    n = s.rows
    item = Item(3, "functions", f"RAG, DOT, KPIRATE over {n:,} rows in one call vs bare NumPy")
    x = function_inputs(n)
    # The figures are as written (0.5 is 0.5%, against targets of 50 to 90): percent_cells
    # FALSE says so; left out, a figure at most 1 against a target 40 times it is a message.
    pairs = {
        "RAG, polarity one cell (H)": (
            lambda: sf.rag(x["value"], x["target"], x["floor"], "H", 1, False),
            lambda: numpy_rag(x["value"], x["target"], x["floor"], "H", 1)),
        "RAG, polarity column (H/L mixed)": (
            lambda: sf.rag(x["value"], x["target"], x["floor"], x["polarity"], 1, False),
            lambda: numpy_rag(x["value"], x["target"], x["floor"], x["polarity"], 1)),
        "DOT, polarity one cell (H)": (
            lambda: sf.dot(x["value"], x["previous"], "H", None, 0, False),
            lambda: numpy_dot(x["value"], x["previous"], "H")),
        "DOT, polarity column (H/L mixed)": (
            lambda: sf.dot(x["value"], x["previous"], x["polarity"], None, 0, False),
            lambda: numpy_dot(x["value"], x["previous"], x["polarity"])),
        "KPIRATE, multiplier one cell (100)": (
            lambda: sf.kpirate(x["num"], x["den"], 100),
            lambda: numpy_kpirate(x["num"], x["den"], 100.0)),
    }
    for what, (ours, bare) in pairs.items():
        got, expected = ours(), bare()
        if got != expected:
            wrong = sum(g != e for g, e in zip(got, expected))
            raise RuntimeError(f"{what}: the NumPy baseline disagrees on {wrong} of {n} rows")
        t = measure([Case("ours", ours), Case("numpy", bare)], s.repeats, s.warmup)
        ratio = median(t["ours"]) / median(t["numpy"])
        item.row(f"{what}: sheetfuncs / NumPy", f"{seconds(median(t['ours']))} / "
                 f"{seconds(median(t['numpy']))}", times_x(ratio), "≤ 3x", ratio <= 3)
    scalar_calls = {
        "RAG(84.95, 85, 76.5, \"H\", 1)": lambda: sf.rag(84.95, 85, 76.5, "H", 1),
        "DOT(28.6, 27.1, \"H\")": lambda: sf.dot(28.6, 27.1, "H"),
        "KPIRATE(93, 312, 100)": lambda: sf.kpirate(93, 312, 100),
    }
    for what, fn in scalar_calls.items():
        t = per_call(fn, 2000 if not s.quick else 500, s.repeats)
        item.row(f"one scalar call `{what}`", seconds(t))
    item.notes.append(
        "Input: what `@xw.arg(ndim=2)` delivers for a column range, a list of one-item lists "
        "(`[[84.95], [None], ...]`), numbers as float and blank cells as None; ranges of 100,000 "
        "rows with 5% blanks, 10% of results on a rounding boundary, 10% without a floor, 3% zero "
        "denominators. Both sides take the same lists and return the same list of lists, so "
        "conversion in and out is timed on both sides, and their answers are checked equal before "
        "timing. The NumPy baseline implements the same rule bare: Excel's ROUND (half away from "
        "zero after snapping to 15 significant digits, without which 84.95 shown as 85.0 would "
        "rate Amber), `np.where` chains for H/L, `np.sign` of the change for DOT, and "
        "num / den x 100 with zero denominators masked for KPIRATE.")
    return item


# =========================================================================== 4. LibreOffice


def find_soffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def _if_rag(row: int, polarity: str, decimals: int) -> str:
    v = f"ROUND(H{row},{decimals})"
    if polarity == "H":
        rule = (f'IF({v}>=I{row},"Green",IF(AND(ISNUMBER(J{row}),{v}>=J{row}),"Amber","Red"))')
        need = f"ISNUMBER(I{row})"
    elif polarity == "L":
        rule = (f'IF({v}<=I{row},"Green",IF(AND(ISNUMBER(J{row}),{v}<=J{row}),"Amber","Red"))')
        need = f"ISNUMBER(I{row})"
    else:  # T: green band K:L, amber band M:N
        rule = (f'IF(AND({v}>=K{row},{v}<=L{row}),"Green",IF(AND(ISNUMBER(M{row}),{v}>=M{row},'
                f'{v}<=N{row}),"Amber","Red"))')
        need = f"ISNUMBER(K{row})"
    return f'=IF(AND(ISNUMBER(H{row}),{need}),{rule},"")'


def _if_dot(row: int, polarity: str, other: str) -> str:
    new, old = f"H{row}", f"{other}{row}"
    if polarity == "H":
        better, worse = f"{new}>{old}", f"{new}<{old}"
    elif polarity == "L":
        better, worse = f"{new}<{old}", f"{new}>{old}"
    else:
        near_new, near_old = f"ABS({new}-I{row})", f"ABS({old}-I{row})"
        better, worse = f"{near_new}<{near_old}", f"{near_new}>{near_old}"
    return (f'=IF(AND(ISNUMBER({new}),ISNUMBER({old})),'
            f'IF({better},"↑",IF({worse},"↓","→")),"")')


IF_HEADERS = ("ID", "Polarity", "Decimals", "Numerator", "Denominator", "Multiplier", "Given",
              "Value", "Target", "Floor", "Green low", "Green high", "Amber low", "Amber high",
              "Previous", "Outturn", "RAG", "DoT Previous", "DoT Outturn")


def write_if_workbook(report, path: Path) -> int:
    """The analyst's workbook: one row per indicator, value, RAG and arrows as native formulas
    (nested IF with ROUND, ABS). Returns the number of formula cells."""
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Scorecard"
    ws.append(IF_HEADERS)
    formulas = 0

    def number(v):
        return None if v is None or v != v else float(v)

    for i, r in enumerate(report.results.itertuples(index=False), start=2):
        ind = report.rules[r.id]
        pair = number(r.numerator) is not None and number(r.denominator) is not None
        value = (f'=IF(E{i}=0,"",D{i}/E{i}*F{i})' if pair and r.measure != "count"
                 else number(r.value))
        ws.append([r.id, r.polarity or "", int(r.decimals), number(r.numerator),
                   number(r.denominator), ind.multiplier, None, value, number(r.target),
                   number(r.floor), number(r.green_low), number(r.green_high), number(r.amber_low),
                   number(r.amber_high), number(r.previous), number(r.outturn)])
        formulas += isinstance(value, str)
        if r.polarity:
            ws.cell(row=i, column=17, value=_if_rag(i, r.polarity, int(r.decimals)))
            ws.cell(row=i, column=18, value=_if_dot(i, r.polarity, "O"))
            ws.cell(row=i, column=19, value=_if_dot(i, r.polarity, "P"))
            formulas += 3
    wb.save(path)
    return formulas


def soffice_convert(soffice: str, source: Path, outdir: Path, profile: Path) -> Path:
    """LibreOffice opens the workbook, calculates its formulas and saves the first sheet as
    UTF-8 CSV (the values it computed)."""
    command = [soffice, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--norestore",
               "--convert-to", "csv:Text - txt - csv (StarCalc):44,34,76,1", "--outdir",
               str(outdir), str(source)]
    done = subprocess.run(command, capture_output=True, text=True, timeout=300)
    produced = outdir / (source.stem + ".csv")
    if done.returncode != 0 or not produced.exists():
        raise RuntimeError(f"LibreOffice failed: {(done.stderr or done.stdout).strip()[-300:]}")
    return produced


def bench_libreoffice(s: Settings, tmp: Path) -> Item:
    item = Item(4, "libreoffice", "LibreOffice recalculating nested-IF formulas vs our build")
    soffice = find_soffice()
    if soffice is None:
        item.skipped = "LibreOffice (soffice) is not installed"
        return item
    report = sample_report()
    source = tmp / "analyst_if_formulas.xlsx"
    n_formulas = write_if_workbook(report, source)
    profile, outdir = tmp / "lo-profile", tmp / "lo-out"
    outdir.mkdir(exist_ok=True)

    # What LibreOffice computed must be what our engine computed.
    produced = soffice_convert(soffice, source, outdir, profile)
    with open(produced, encoding="utf-8", newline="") as handle:
        got = list(csv.reader(handle))[1:]
    results = report.results
    agree = sum(row[16] == rag and row[17] == p and row[18] == o
                for row, rag, p, o in zip(got, results["rag"], results["dot_previous"],
                                          results["dot_outturn"]))
    if agree != len(results):
        raise RuntimeError(f"LibreOffice's IF formulas agree with the engine on only {agree} of "
                           f"{len(results)} rows")

    import openpyxl

    tiny = tmp / "one_cell.xlsx"
    book = openpyxl.Workbook()
    book.active["A1"] = 1
    book.save(tiny)
    cases = [Case("libreoffice", lambda: soffice_convert(soffice, source, outdir, profile)),
             build_case("build", tmp, "--month", SAMPLE_MONTH),
             Case("start-up", lambda: soffice_convert(soffice, tiny, outdir, profile))]
    t = measure(cases, s.slow_repeats + (0 if s.quick else 2), s.warmup)
    lo_t, ours = median(t["libreoffice"]), median(t["build"])
    item.row(f"LibreOffice headless: open, calculate {n_formulas} formula cells, save CSV",
             seconds(lo_t))
    item.row("LibreOffice headless, the same on a one-cell workbook (start-up alone)",
             seconds(median(t["start-up"])))
    item.row("`xl-scorecard build`, May 2012 (full six-sheet workbook)", seconds(ours))
    item.row("**LibreOffice / build**", "", times_x(lo_t / ours))
    version = subprocess.run([soffice, "--version"], capture_output=True, text=True).stdout.strip()
    item.notes.append(
        f"The analyst's alternative: a workbook (written with openpyxl before timing) with one row "
        f"per indicator of the May 2012 sample whose value (`=IF(E2=0,\"\",D2/E2*F2)`), RAG (nested "
        f"`IF` over `ROUND(value, decimals)` against target and floor, or the green and amber "
        f"bands for T) and both arrows (`IF` comparisons, `ABS` distance to target for T) are "
        f"native formulas, {n_formulas} in all. Timed: `soffice --headless --convert-to csv` with "
        f"a private profile (`-env:UserInstallation`, warmed up first), which starts LibreOffice, "
        f"calculates every formula and writes the values; before timing, its RAG and arrows are "
        f"checked equal to the engine's for all {len(results)} indicators. The same conversion of a "
        f"one-cell workbook, timed in the same rounds, shows how much of it is LibreOffice "
        f"starting up, which a headless run pays every time. ({version})")
    return item


# =========================================================================== 5. formulas engine


def bench_formulas(s: Settings, tmp: Path) -> Item:
    item = Item(5, "formulas", "The --live workbook evaluated by `formulas` with our functions")
    try:
        import formulas  # noqa: F401

        from xl_scorecard.excel import formula_engine
    except ImportError as exc:
        item.skipped = f"the `formulas` engine is not available ({exc})"
        return item
    workbooks = {"May 2012 sample": (None, None)}
    if not s.quick:
        workbooks["500 indicators"] = make_scaled(tmp, 500)
    for label, (rules_path, data_path) in workbooks.items():
        live = tmp / f"live-{len(label)}.xlsx"
        extra = ("--rules", rules_path, "--data", data_path) if rules_path else ()
        run_cli("build", "--live", *extra, "--month", SAMPLE_MONTH, "--out", live)
        cells: dict = {}

        def evaluate(live=live, cells=cells):
            with contextlib.redirect_stderr(io.StringIO()):  # formulas draws progress bars
                cells["values"] = formula_engine.evaluate(live)

        t = measure([Case("evaluate", evaluate)], s.slow_repeats, s.warmup)
        n, total = len(cells["values"]), median(t["evaluate"])
        item.row(f"`formula_engine.evaluate`, live workbook of the {label} ({n:,} formula cells)",
                 seconds(total), f"{seconds(total / n * 1000)} per 1,000 formula cells")
    item.notes.append(
        "The workbook is `xl-scorecard build --live`: KPIRATE, RAG and DOT formulas in the "
        "Scorecard sheet, the other five sheets as values. The time covers what "
        "`xl_scorecard.excel.formula_engine.evaluate` does: the `formulas` package reads every cell of "
        "all six sheets, compiles every formula and calculates the workbook. A profile of the "
        "500-indicator workbook puts about 3% of the time in our functions (1,920 calls through "
        "the bridge); the rest is the package reading the workbook (openpyxl), compiling cells "
        "and its dispatcher, so the cost per formula cell is the engine's, roughly constant "
        "with size.")
    return item


# =========================================================================== 6. growth


def make_scaled(folder: Path, n: int) -> tuple[Path, Path]:
    """rules.json and a data table of n indicators: the sample's 44 replicated with new ids
    (SCS01 -> SCS01_0001 for the second copy), each copy under its own section headings."""
    from xl_scorecard.inputs import sample

    document = json.loads(sample.rules_path().read_text(encoding="utf-8"))
    base = document["indicators"]
    indicators, id_of = [], {}
    for i in range(n):
        copy_no, original = divmod(i, len(base))
        ind = dict(base[original])
        new_id = ind["id"] if copy_no == 0 else f"{ind['id']}_{copy_no:04d}"
        id_of.setdefault(ind["id"], []).append(new_id)
        ind["id"] = new_id
        if copy_no:
            ind["section"] = f"{ind.get('section', '')} ({copy_no + 1})"
        indicators.append(ind)
    document["indicators"] = indicators
    document.pop("$schema", None)
    rules_path = folder / f"rules_{n}.json"
    rules_path.write_text(json.dumps(document), encoding="utf-8")
    data_path = folder / f"data_{n}.csv"
    with open(sample.data_path(), newline="", encoding="utf-8") as source, \
            open(data_path, "w", newline="", encoding="utf-8") as target:
        reader, writer = csv.reader(source), csv.writer(target, lineterminator="\n")
        writer.writerow(next(reader))
        for row in reader:
            for new_id in id_of.get(row[0], []):
                writer.writerow([new_id, *row[1:]])
    return rules_path, data_path


def bench_growth(s: Settings, tmp: Path) -> Item:
    sizes = s.growth_sizes
    item = Item(6, "growth", f"Cost growth: build for {', '.join(f'{n:,}' for n in sizes)} indicators")
    cases = []
    for n in sizes:
        rules_path, data_path = make_scaled(tmp, n)
        cases.append(build_case(f"n{n}", tmp, "--rules", rules_path, "--data", data_path,
                                "--month", SAMPLE_MONTH))
    t = measure(cases, s.slow_repeats, s.warmup)
    per = {n: median(t[f"n{n}"]) / n for n in sizes}
    for n in sizes:
        item.row(f"build, {n:,} indicators", seconds(median(t[f"n{n}"])),
                 f"{per[n] * 1e3:.2f} ms per indicator")
    mid, big = sizes[-2], sizes[-1]
    growth = per[big] / per[mid]
    item.row(f"**time per indicator at {big:,} / at {mid:,}**", "", times_x(growth), "≤ 1.5x",
             growth <= 1.5)
    item.notes.append(
        f"Rules and data are the sample's 44 indicators replicated with new ids (two months each; "
        f"each copy under its own section headings), built for May 2012 through `xl-scorecard "
        f"build` including loading and checking them. Criterion for 'no worse than linear': the "
        f"time per indicator at {big:,} indicators is at most 1.5x the time per indicator at "
        f"{mid:,} (a fixed start-up cost makes small scorecards dearer per indicator, so "
        f"{sizes[0]} is shown for information only).")
    return item


# =========================================================================== report


BENCHES = {"build": bench_build, "batch": bench_batch, "functions": bench_functions,
           "libreoffice": bench_libreoffice, "formulas": bench_formulas, "growth": bench_growth}


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
    versions = {}
    for name in ("numpy", "pandas", "openpyxl", "formulas"):
        try:
            versions[name] = __import__(name).__version__
        except ImportError:
            versions[name] = "not installed"
    return {"cores": os.cpu_count(), "cpu": cpu, "python": platform.python_version(),
            "platform": platform.platform(), "versions": versions}


def load() -> str:
    try:
        return " ".join(f"{x:.2f}" for x in os.getloadavg())
    except OSError:
        return "n/a"


def write_results(path: Path, items: list[Item], command: str, started: dt.datetime,
                  load_before: str, load_after: str, elapsed: float) -> None:
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
        f"- Load average (1, 5, 15 min) before: {load_before}; after: {load_after} "
        "(the machine is shared: compare ratios measured in the same run, not absolute times)",
        "",
        "Each figure is the median of several timed runs after a warm-up; compared runs are "
        "interleaved. Goals come from issues 3, 4 and 5.",
        "",
        table(items),
        "",
        f"**Goals met: {met}/{total}**",
        "",
        "## What each item measures",
        "",
    ]
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


def select(only: str | None) -> list[str]:
    if not only:
        return list(ITEMS)
    chosen = []
    for word in only.split(","):
        word = word.strip().lower()
        if word.isdigit() and 1 <= int(word) <= len(ITEMS):
            word = ITEMS[int(word) - 1]
        if word not in ITEMS:
            raise SystemExit(f"run.py: unknown item {word!r}; choose from 1-6 or {', '.join(ITEMS)}")
        if word not in chosen:
            chosen.append(word)
    return sorted(chosen, key=ITEMS.index)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="short run (< 2 minutes)")
    parser.add_argument("--check", action="store_true", help="exit 1 when any goal is missed")
    parser.add_argument("--only", help="comma-separated items: 1-6 or " + ", ".join(ITEMS))
    parser.add_argument("--repeats", type=int, help="timed runs per figure (default 7, quick 3)")
    parser.add_argument("--rows", type=int, help="rows for item 3 (default 100,000)")
    parser.add_argument("--results", type=Path, default=None,
                        help=f"write the results here (default {RESULTS.relative_to(ROOT)} for a "
                             "run of every item; nothing for --only)")
    args = parser.parse_args(argv)
    settings = Settings(args.quick, args.repeats, args.rows)
    chosen = select(args.only)
    results_path = args.results or (None if args.only else RESULTS)
    command = "python bench/run.py" + ("" if argv is None and len(sys.argv) == 1 else
                                       " " + " ".join(argv if argv is not None else sys.argv[1:]))
    started = dt.datetime.now(dt.timezone.utc)
    load_before = load()
    clock = time.perf_counter()
    items = []
    with tempfile.TemporaryDirectory(prefix="xl-scorecard-bench-") as folder:
        for key in chosen:
            tmp = Path(folder) / key
            tmp.mkdir()
            print(f"[{ITEMS.index(key) + 1}] {key} ...", file=sys.stderr, flush=True)
            begun = time.perf_counter()
            item = BENCHES[key](settings, tmp)
            items.append(item)
            status = f"skipped: {item.skipped}" if item.skipped else f"{time.perf_counter() - begun:.0f} s"
            print(f"[{ITEMS.index(key) + 1}] {key}: {status}", file=sys.stderr, flush=True)
    elapsed = time.perf_counter() - clock
    print(table(items))
    for item in items:
        if item.skipped:
            print(f"item {item.number} skipped: {item.skipped}")
    if results_path is not None:
        write_results(results_path, items, command, started, load_before, load(), elapsed)
        print(f"wrote {results_path}")
    met, total = goals(items)
    print(f"goals met: {met}/{total}")
    return 1 if args.check and met < total else 0


if __name__ == "__main__":
    sys.exit(main())

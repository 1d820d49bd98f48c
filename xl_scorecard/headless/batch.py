"""Regenerate a range of months, one workbook each, in worker processes."""

from __future__ import annotations

import sys
import time
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, TextIO

from ..data import load_data
from ..engine import prepare
from ..errors import ScorecardError
from ..layout import make_report
from ..periods import Month, month_range
from ..rules import load_rules
from .build import Built, write_report


@dataclass(frozen=True)
class BatchJob:
    """What every month of a batch shares."""

    rules: Path
    data: Path
    out_dir: Path
    live: bool = False
    template: Path | None = None
    tolerance: float | None = None


@dataclass(frozen=True)
class MonthOutcome:
    month: str
    built: Built | None = None
    error: str = ""


_WORKER: dict = {}


def _start_worker(job: BatchJob) -> None:
    rules = load_rules(job.rules)
    data = load_data(job.data, rules)
    _WORKER.update(job=job, rules=rules, data=data, figures=prepare(rules, data))


def _build_month(month: str) -> MonthOutcome:
    job = _WORKER["job"]
    try:
        report = make_report(_WORKER["rules"], _WORKER["data"], month, job.tolerance, _WORKER["figures"])
        out = job.out_dir / f"scorecard-{month}.xlsx"
        return MonthOutcome(month, write_report(report, out, job.template, job.live))
    except ScorecardError as exc:
        return MonthOutcome(month, error=str(exc).replace("\n", "; "))


def run_batch(job: BatchJob, first: Month, last: Month, jobs: int = 1,
              progress: Callable[[int, int, MonthOutcome], None] | None = None) -> list[MonthOutcome]:
    """Build every month from first to last; a bad month is reported, not fatal.

    Rules and data are loaded (and checked) once per worker process.
    """
    months = [str(m) for m in month_range(first, last)]
    _start_worker(job)  # checks rules and data once, up front, in this process
    outcomes: list[MonthOutcome] = []
    if jobs <= 1 or len(months) == 1:
        for month in months:
            outcomes.append(_build_month(month))
            if progress:
                progress(len(outcomes), len(months), outcomes[-1])
        return outcomes
    with ProcessPoolExecutor(max_workers=jobs, initializer=_start_worker, initargs=(job,)) as pool:
        futures = [pool.submit(_build_month, month) for month in months]
        for future in as_completed(futures):
            outcomes.append(future.result())
            if progress:
                progress(len(outcomes), len(months), outcomes[-1])
    return sorted(outcomes, key=lambda o: o.month)


class ProgressBar:
    """A one-line progress bar on a stream (redrawn in place on a terminal)."""

    def __init__(self, stream: TextIO = sys.stderr, width: int = 30):
        self.stream, self.width, self.started = stream, width, time.perf_counter()
        self.tty = getattr(stream, "isatty", lambda: False)()

    def __call__(self, done: int, total: int, outcome: MonthOutcome) -> None:
        filled = int(self.width * done / total)
        bar = "#" * filled + "-" * (self.width - filled)
        status = "ok" if outcome.built else "FAILED"
        line = (f"[{bar}] {done}/{total} {outcome.month} {status} "
                f"({time.perf_counter() - self.started:.1f} s)")
        if self.tty:
            self.stream.write("\r" + line + ("\n" if done == total else ""))
        else:
            self.stream.write(line + "\n")
        self.stream.flush()


def outcome_table(outcomes: list[MonthOutcome]) -> str:
    """The closing table: file written and its Green/Amber/Red counts, or the error."""
    lines = [f"{'Month':<8}  {'Green':>5}  {'Amber':>5}  {'Red':>5}  File"]
    for o in outcomes:
        if o.built:
            b = o.built
            lines.append(f"{o.month:<8}  {b.green:>5}  {b.amber:>5}  {b.red:>5}  {b.path}")
        else:
            lines.append(f"{o.month:<8}  {'-':>5}  {'-':>5}  {'-':>5}  FAILED: {o.error}")
    ok = sum(1 for o in outcomes if o.built)
    lines.append(f"{ok} of {len(outcomes)} month(s) written")
    return "\n".join(lines) + "\n"

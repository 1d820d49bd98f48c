"""Regenerate a range of months, one workbook each, in worker processes."""

from __future__ import annotations

import contextlib
import os
import signal
import sys
import threading
import time
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, TextIO

from ..core.engine import Figures, prepare
from ..core.errors import BatchInterrupted, ScorecardError
from ..core.month_report import compute_report
from ..core.periods import Month, month_range
from ..inputs.comparators import load_comparators
from ..core.rules import Rules
from ..core.table import DataTable
from ..inputs.data import load_data
from ..inputs.rules_file import load_rules
from .build import Built, write_report


@dataclass(frozen=True)
class BatchJob:
    """What every month of a batch shares."""

    rules: Path
    data: Path
    out_dir: Path
    live: str | None = None   # None, 'xlwings' or 'native'
    template: Path | None = None
    tolerance: float | None = None
    comparators: Path | None = None
    data_sheet: str = "shown"


@dataclass(frozen=True)
class MonthOutcome:
    month: str
    built: Built | None = None
    error: str = ""
    problems: tuple = ()  # the error's Problems, for --errors json


_WORKER: dict = {}
HISTORY_KEPT = 12    # earlier months' results a worker keeps for the trend tables


def _start_pool_worker(job: BatchJob, rules: Rules, data: DataTable, figures: Figures) -> None:
    """A worker process: Ctrl+C and SIGTERM are the main process's to handle (it ends the
    workers); the worker finishes its month. It is handed the inputs the main process checked
    (inherited, or pickled where processes are spawned), so nothing is read or checked again."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if hasattr(signal, "SIGTERM"):
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
    _WORKER.update(job=job, rules=rules, data=data, figures=figures)


class Terminated(KeyboardInterrupt):
    """SIGTERM (a service stopping, ``kill``): handled exactly as Ctrl+C is."""


@contextlib.contextmanager
def _sigterm_as_interrupt():
    """In the main thread, turn SIGTERM into an interrupt for the duration of a batch."""
    if not hasattr(signal, "SIGTERM") or threading.current_thread() is not threading.main_thread():
        yield
        return

    def interrupt(signum, frame):
        raise Terminated()

    previous = signal.signal(signal.SIGTERM, interrupt)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def worker_count(jobs: int, months: int) -> int:
    """Workers worth starting: no more than the months to build or the cores to build them on."""
    return max(1, min(jobs, months, os.cpu_count() or 1))




def _build_month(month: str) -> MonthOutcome:
    job = _WORKER["job"]
    try:
        history = _WORKER.setdefault("history", {})
        while len(history) > HISTORY_KEPT:     # a worker's months come in order: the oldest go
            del history[next(iter(history))]
        report = compute_report(_WORKER["rules"], _WORKER["data"], month, job.tolerance,
                                _WORKER["figures"], history=history)
        out = job.out_dir / f"scorecard-{month}.xlsx"
        return MonthOutcome(month, write_report(report, out, job.template, job.live,
                                                job.data_sheet))
    except ScorecardError as exc:
        return MonthOutcome(month, error=str(exc).replace("\n", "; "), problems=tuple(exc.problems))


def run_batch(job: BatchJob, first: Month, last: Month, jobs: int = 1,
              progress: Callable[[int, int, MonthOutcome], None] | None = None,
              rules: Rules | None = None, data: DataTable | None = None) -> list[MonthOutcome]:
    """Build every month from first to last; a bad month is reported, not fatal.

    Rules and data are read and checked once, here (or given, already checked, by the
    caller), and handed to the worker processes: never read again per worker or per month.
    """
    months = [str(m) for m in month_range(first, last)]
    if rules is None:
        rules = load_rules(job.rules)
    if data is None:
        data = load_data(job.data, rules)
    if job.comparators is not None and getattr(data, "comparators", None) is None:
        data.comparators = load_comparators(job.comparators, rules)
    figures = prepare(rules, data)
    _WORKER.update(job=job, rules=rules, data=data, figures=figures)
    jobs = worker_count(jobs, len(months))
    with _sigterm_as_interrupt():
        return _run(job, months, jobs, progress, (job, rules, data, figures))


def _run(job: BatchJob, months: list[str], jobs: int, progress, inputs) -> list[MonthOutcome]:
    outcomes: list[MonthOutcome] = []
    if jobs <= 1 or len(months) == 1:
        # As the workers do: Ctrl+C or SIGTERM lets the month being written finish, so the
        # closing line names every month on disk (a rename cannot be half done, but an
        # interrupt just after it would leave a month written and unreported).
        with _deferred_interrupts() as stopped:
            for month in months:
                outcomes.append(_build_month(month))
                if progress:
                    progress(len(outcomes), len(months), outcomes[-1])
                if stopped:
                    raise _interrupted(outcomes, len(months), stopped[0]) from None
        return outcomes
    pool = ProcessPoolExecutor(max_workers=jobs, initializer=_start_pool_worker,
                               initargs=inputs)
    try:
        futures = [pool.submit(_build_month, month) for month in months]
        for future in as_completed(futures):
            outcomes.append(future.result())
            if progress:
                progress(len(outcomes), len(months), outcomes[-1])
    except KeyboardInterrupt as stop:
        # Months being written are finished (each write is atomic); the rest are not started.
        with _sigterm_ignored():
            pool.shutdown(wait=True, cancel_futures=True)
        done = {o.month for o in outcomes}
        outcomes += [f.result() for f in futures if f.done() and not f.cancelled()
                     and f.exception() is None and f.result().month not in done]
        raise _interrupted(outcomes, len(months), stop) from None
    finally:
        pool.shutdown(wait=True)
    return sorted(outcomes, key=lambda o: o.month)


@contextlib.contextmanager
def _deferred_interrupts():
    """Record Ctrl+C and SIGTERM (as Terminated / KeyboardInterrupt) instead of raising them."""
    stopped: list = []
    if threading.current_thread() is not threading.main_thread():
        yield stopped
        return

    def record(signum, frame):
        if not stopped:
            stopped.append(Terminated() if signum != signal.SIGINT else KeyboardInterrupt())

    names = [signal.SIGINT] + ([signal.SIGTERM] if hasattr(signal, "SIGTERM") else [])
    previous = {name: signal.signal(name, record) for name in names}
    try:
        yield stopped
    finally:
        for name, handler in previous.items():
            signal.signal(name, handler)


@contextlib.contextmanager
def _sigterm_ignored():
    """While the workers finish their months, a second SIGTERM does not cut the shutdown short."""
    if not hasattr(signal, "SIGTERM") or threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.signal(signal.SIGTERM, signal.SIG_IGN)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def _interrupted(outcomes: list[MonthOutcome], total: int, stop=None) -> BatchInterrupted:
    written = sorted(o.month for o in outcomes if o.built)
    which = f" ({', '.join(written)})" if written else ""
    interrupted = BatchInterrupted(f"{len(written)} of {total} month(s) were written{which}, each "
                                   "one whole; the others were not written and no partial file "
                                   "was left: run the batch again to finish")
    interrupted.signal_number = signal.SIGTERM if isinstance(stop, Terminated) else signal.SIGINT
    return interrupted


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

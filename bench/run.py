#!/usr/bin/env python3
"""Benchmarks: xl_scorecard against the alternatives, measured in one run on this machine.

    python bench/run.py            # everything; prints a table, writes bench/RESULTS.md
    python bench/run.py --quick    # under 40 s (CI): smaller sizes; writes bench/RESULTS-quick.md
    python bench/run.py --check    # exit 1 when a goal is missed; last line "goals met: N/M"
    python bench/run.py --only build,functions   # some items (1-6 or their names); no results file

Items (issues 3, 4, 5 and 13), one module each in bench/items/:
  1 build      one sample month (``xl-scorecard build``) vs a bare openpyxl script writing the
               same cells and styles (bench/bare_build.py)     goal: at most 1.3x, three runs
  2 batch      120 months with --jobs 2 (and --jobs 1)           goal: --jobs 2 in at most 25 s
  3 functions  RAG, DOT, KPIRATE over 100,000 rows vs bare NumPy       goal: at most 2x each
  4 libreoffice  LibreOffice recalculating nested-IF formulas vs our build      (report only)
  5 formulas   the --live workbook evaluated by the `formulas` engine          (report only)
  6 growth     build for 50, 500 and 5,000 indicators   goals: 5,000 in at most 8 s, and the
               per-indicator time at 5,000 at most 1.2x that at 500 (linear)

--quick runs smaller sizes (a 12-month batch, 500 indicators) and scales the size-bound goals
to them, so its verdicts are indications; only a full run writes bench/RESULTS.md.
The timing machinery and the report writer are in bench/harness.py. Only the standard library,
NumPy, pandas and openpyxl are needed; items 4 and 5 are skipped, with the reason printed,
without LibreOffice or `formulas`.
"""

from __future__ import annotations

import argparse
import datetime as dt
import re
import sys
import tempfile
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
for _path in (str(BENCH.parent), str(BENCH)):
    if _path not in sys.path:
        sys.path.insert(0, _path)

# xl_scorecard first, as the console script imports it: it keeps openpyxl on its ElementTree
# writer (OPENPYXL_LXML=False), which openpyxl chooses once, when it is first imported; the
# floor's scripts importing openpyxl first would otherwise time every build on lxml's.
import xl_scorecard  # noqa: E402, F401

from harness import Item, Settings, goals, load, table, write_results  # noqa: E402
from items import ITEMS  # noqa: E402

RESULTS = BENCH / "RESULTS.md"
RESULTS_QUICK = BENCH / "RESULTS-quick.md"
NAMES = tuple(ITEMS)
BENCHES = {name: module.bench for name, module in ITEMS.items()}
HISTORY_RUNS = 3
_HISTORY_LINE = re.compile(r"^- (\S+ \S+ UTC): build / floor (\d+\.\d+)x", re.MULTILINE)


def select(only: str | None) -> list[str]:
    if not only:
        return list(NAMES)
    chosen = []
    for word in only.split(","):
        word = word.strip().lower()
        if word.isdigit() and 1 <= int(word) <= len(NAMES):
            word = NAMES[int(word) - 1]
        if word not in NAMES:
            raise SystemExit(f"run.py: unknown item {word!r}; choose from 1-6 or {', '.join(NAMES)}")
        if word not in chosen:
            chosen.append(word)
    return sorted(chosen, key=NAMES.index)


def build_history(previous: Path, items: list[Item], started: dt.datetime,
                  goal: float = 1.3) -> list[str]:
    """The build/floor ratio of this full run and the two before it (read back from the
    previous RESULTS.md), with a goal row: stable means every one of the three is met."""
    build = next((i for i in items if i.key == "build" and "ratio" in i.figures), None)
    if build is None:
        return []
    earlier = []
    if previous.exists():
        earlier = _HISTORY_LINE.findall(previous.read_text(encoding="utf-8"))
    runs = [(f"{started:%Y-%m-%d %H:%M} UTC", build.figures["ratio"])]
    runs += [(when, float(ratio)) for when, ratio in earlier][:HISTORY_RUNS - 1]
    stable = len(runs) == HISTORY_RUNS and all(r <= goal for _, r in runs)
    build.row(f"**build / floor in each of the last {HISTORY_RUNS} full runs**", "",
              " / ".join(f"{r:.2f}x" for _, r in runs), f"all ≤ {goal}x ({HISTORY_RUNS} runs)",
              stable)
    return (["## Build / floor across full runs (newest first)", ""]
            + [f"- {when}: build / floor {ratio:.2f}x" for when, ratio in runs])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="short run (under 40 s)")
    parser.add_argument("--check", action="store_true", help="exit 1 when any goal is missed")
    parser.add_argument("--only", help="comma-separated items: 1-6 or " + ", ".join(NAMES))
    parser.add_argument("--repeats", type=int, help="timed runs per figure (default 7, quick 3)")
    parser.add_argument("--rows", type=int, help="rows for item 3 (default 100,000)")
    parser.add_argument("--results", type=Path, default=None,
                        help="write the results here (default bench/RESULTS.md for a full run "
                             "of every item, bench/RESULTS-quick.md for --quick; nothing for "
                             "--only)")
    args = parser.parse_args(argv)
    settings = Settings(args.quick, args.repeats, args.rows)
    chosen = select(args.only)
    default = RESULTS_QUICK if args.quick else RESULTS
    results_path = args.results or (None if args.only else default)
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
            print(f"[{NAMES.index(key) + 1}] {key} ...", file=sys.stderr, flush=True)
            begun = time.perf_counter()
            item = BENCHES[key](settings, tmp)
            items.append(item)
            status = f"skipped: {item.skipped}" if item.skipped else f"{time.perf_counter() - begun:.0f} s"
            print(f"[{NAMES.index(key) + 1}] {key}: {status}", file=sys.stderr, flush=True)
    elapsed = time.perf_counter() - clock
    full_run = not args.quick and not args.only and results_path == RESULTS
    history = build_history(RESULTS, items, started) if full_run else None
    print(table(items))
    for item in items:
        if item.skipped:
            print(f"item {item.number} skipped: {item.skipped}")
    if results_path is not None:
        write_results(results_path, items, command, started, load_before, load(), elapsed, history)
        print(f"wrote {results_path}")
    met, total = goals(items)
    print(f"goals met: {met}/{total}")
    return 1 if args.check and met < total else 0


if __name__ == "__main__":
    sys.exit(main())

"""Item 5: the --live workbook evaluated by the `formulas` engine with our functions."""

from __future__ import annotations

import contextlib
import io
from pathlib import Path

from generated import make_scaled
from harness import SAMPLE_MONTH, Case, Item, Settings, measure, median, run_cli, seconds


def bench(s: Settings, tmp: Path) -> Item:
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

        t = measure([Case("evaluate", evaluate)], s.slow_repeats, 0 if s.quick else s.warmup)
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

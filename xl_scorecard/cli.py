"""The ``xl-scorecard`` command line.

``run(argv, stdout, stderr)`` returns an exit code and never raises for an
input mistake, so tests call it directly; ``main()`` wraps it for the
console script. Exit codes: 0 success, 2 input or usage error, 1 a bug.
"""

from __future__ import annotations

import argparse
import contextlib
import sys
from pathlib import Path
from typing import Callable, TextIO

from .core.errors import BatchInterrupted, ScorecardError, UsageError
from .core.periods import Month
from .inputs import sample

DATA_SHEET_ROWS = ("shown", "all")  # layout.data_sheet.ROWS, without importing pandas here

EXIT_OK, EXIT_BUG, EXIT_INPUT, EXIT_INTERRUPTED = 0, 1, 2, 130
DEFAULT_OUT_DIR = Path("workbooks") / "out"


class _Parser(argparse.ArgumentParser):
    def error(self, message: str):  # argparse would print and sys.exit
        raise UsageError(f"{self.prog}: {message} (see '{self.prog} --help')")


def _month(text: str) -> str:
    try:
        return str(Month.parse(text))
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="xl-scorecard", description="Monthly Red/Amber/Green performance "
                     "scorecards from rules.json and a data table.")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    commands.required = True

    def command(name: str, help_text: str, handler: Callable) -> argparse.ArgumentParser:
        sub = commands.add_parser(name, help=help_text, description=help_text)
        sub.set_defaults(handler=handler)
        return sub

    def month_options(sub, with_format: bool):
        sub.add_argument("--rules", type=Path, default=None,
                         help="rules.json (default: the bundled sample's)")
        sub.add_argument("--data", type=Path, default=None,
                         help="data table, CSV or XLSX (default: the bundled sample)")
        sub.add_argument("--month", type=_month, default=None,
                         help="report month YYYY-MM (default: the latest month in the data)")
        sub.add_argument("--tolerance", type=float, default=None,
                         help="materiality threshold for direction of travel (default: from rules, else 0)")
        sub.add_argument("--out", type=Path, default=None, help="write to this file instead of stdout")
        if with_format:
            sub.add_argument("--format", choices=("csv", "json"), default="csv")

    sub = command("validate", "Check rules.json against the schema and for meaning.", _validate)
    sub.add_argument("--rules", type=Path, default=None, help="rules.json (default: the bundled sample's)")
    month_options(command("results", "One row per indicator: value, RAG, direction of travel.",
                          _results), with_format=True)
    month_options(command("summary", "The committee summary paragraph and the RAG changes.",
                          _summary), with_format=False)

    sub = command("build", "Write one month's scorecard workbook (no Excel needed).", _build)
    month_options(sub, with_format=False)
    sub.set_defaults(out=None)
    _workbook_options(sub)
    sub.add_argument("--pdf", action="store_true", help="also render the committee PDF (LibreOffice)")

    sub = command("batch", "Write one workbook per month for a range of months.", _batch)
    sub.add_argument("--rules", type=Path, default=None, help="rules.json (default: the bundled sample's)")
    sub.add_argument("--data", type=Path, default=None, help="data table (default: the bundled sample)")
    sub.add_argument("--from", dest="first", type=_month, default=None,
                     help="first month YYYY-MM (default: the first month in the data)")
    sub.add_argument("--to", dest="last", type=_month, default=None,
                     help="last month YYYY-MM (default: the last month in the data)")
    sub.add_argument("--out-dir", type=Path, default=DEFAULT_OUT_DIR,
                     help=f"folder for scorecard-YYYY-MM.xlsx files (default: {DEFAULT_OUT_DIR})")
    sub.add_argument("--jobs", type=int, default=1, help="worker processes (default 1)")
    sub.add_argument("--tolerance", type=float, default=None, help="materiality threshold for arrows")
    _workbook_options(sub)

    sub = command("pdf", "Render a scorecard workbook's committee sheets to PDF (LibreOffice).", _pdf)
    sub.add_argument("workbook", type=Path, nargs="?", default=None,
                     help="the .xlsx (default: the bundled sample's latest built workbook)")
    sub.add_argument("--out", type=Path, default=None, help="the PDF (default: beside the workbook)")
    return parser


def _workbook_options(sub) -> None:
    sub.add_argument("--template", type=Path, default=None,
                     help="start from this workbook (its other sheets and VBA are kept)")
    sub.add_argument("--live", action="store_true",
                     help="write =RAG() / =DOT() / =KPIRATE() formulas instead of values")
    sub.add_argument("--data-sheet", choices=DATA_SHEET_ROWS, default="shown",
                     help="the Data sheet holds the rows of the months the workbook shows "
                          "(shown: trend window, outturn month, previous results; the default) "
                          "or every row of the data table (all)")


def run(argv: list[str] | None = None, stdout: TextIO | None = None,
        stderr: TextIO | None = None) -> int:
    """Run the command line; return its exit code."""
    stdout = stdout or sys.stdout
    stderr = stderr or sys.stderr
    parser = build_parser()
    try:
        with contextlib.redirect_stdout(stdout), contextlib.redirect_stderr(stderr):
            try:
                args = parser.parse_args(argv)
            except SystemExit as done:  # --help and --version
                return int(done.code or 0)
        return args.handler(args, stdout, stderr)
    except ScorecardError as exc:
        for problem in exc.problems:
            print(f"error: {problem}", file=stderr)
        return EXIT_INPUT
    except BatchInterrupted as exc:
        print(f"interrupted: {exc}", file=stderr)
        return EXIT_INTERRUPTED
    except KeyboardInterrupt:
        print("interrupted: nothing was written (any file being written was left as it was)",
              file=stderr)
        return EXIT_INTERRUPTED


def main() -> None:
    """Console-script entry point."""
    if hasattr(sys.stdout, "reconfigure"):
        sys.stdout.reconfigure(encoding="utf-8")  # arrows on a Windows console
    sys.exit(run(sys.argv[1:]))


# --------------------------------------------------------------------------- commands


def _validate(args, stdout, stderr) -> int:
    from .inputs.rules_file import load_rules

    rules = load_rules(args.rules or sample.rules_path())
    print(f"{rules.source}: valid, {len(rules.indicators)} indicators", file=stdout)
    return EXIT_OK


def _inputs(args):
    """Rules, data and the report month (default: the latest month in the data)."""
    from .inputs.data import load_data
    from .inputs.rules_file import load_rules

    rules = load_rules(args.rules or sample.rules_path())
    data = load_data(args.data or sample.data_path(), rules)
    return rules, data, args.month or data.months[-1]


def _load(args):
    from .core.engine import compute_month

    rules, data, month = _inputs(args)
    results = compute_month(rules, data, month, tolerance=args.tolerance)
    return rules, data, results


def _warn(data, stderr) -> None:
    for warning in data.warnings:
        print(f"warning: {warning}", file=stderr)


def _results(args, stdout, stderr) -> int:
    from .core.summary import summarise
    from .outputs.results_text import results_csv, results_json

    rules, data, results = _load(args)
    _warn(data, stderr)
    if args.format == "csv":
        text = results_csv(results)
    else:
        text = results_json(rules, results, summarise(results, rules.scorecard.year_start_month))
    return _emit(text, args.out, stdout, stderr)


def _summary(args, stdout, stderr) -> int:
    from .core.summary import summarise
    from .outputs.results_text import summary_text

    rules, data, results = _load(args)
    _warn(data, stderr)
    summary = summarise(results, rules.scorecard.year_start_month)
    return _emit(summary_text(rules, summary), args.out, stdout, stderr)


def _build(args, stdout, stderr) -> int:
    from .core.month_report import compute_report
    from .headless.build import write_report

    rules, data, month = _inputs(args)
    report = compute_report(rules, data, month, args.tolerance)  # computes the month once
    _warn(data, stderr)
    month = str(report.month)
    out = args.out or DEFAULT_OUT_DIR / f"scorecard-{month}.xlsx"
    built = write_report(report, out, args.template, args.live, args.data_sheet)
    print(f"wrote {built.path}: {built.month}, {built.green} Green, {built.amber} Amber, "
          f"{built.red} Red", file=stdout)
    if args.pdf:
        from .headless.pdf import workbook_to_pdf

        print(f"wrote {workbook_to_pdf(built.path)}", file=stdout)
    return EXIT_OK


def _batch(args, stdout, stderr) -> int:
    from .headless.batch import BatchJob, ProgressBar, outcome_table, run_batch
    from .inputs.data import load_data
    from .inputs.rules_file import load_rules

    if args.jobs < 1:
        raise UsageError("xl-scorecard batch: --jobs must be 1 or more")
    job = BatchJob(rules=args.rules or sample.rules_path(), data=args.data or sample.data_path(),
                   out_dir=args.out_dir, live=args.live, template=args.template,
                   tolerance=args.tolerance, data_sheet=args.data_sheet)
    rules = load_rules(job.rules)
    data = load_data(job.data, rules)
    _warn(data, stderr)
    first = Month.parse(args.first or data.months[0])
    last = Month.parse(args.last or data.months[-1])
    if last < first:
        raise UsageError(f"xl-scorecard batch: --to {last} is before --from {first}")
    outcomes = run_batch(job, first, last, args.jobs, progress=ProgressBar(stderr),
                         rules=rules, data=data)  # read and checked once, above
    stdout.write(outcome_table(outcomes))
    return EXIT_OK if all(o.built for o in outcomes) else EXIT_INPUT


def _pdf(args, stdout, stderr) -> int:
    from .headless.pdf import workbook_to_pdf

    workbook = args.workbook or DEFAULT_OUT_DIR / f"scorecard-{sample.SAMPLE_MONTH}.xlsx"
    if not workbook.exists():
        raise UsageError(f"{workbook}: no such workbook (build it first: xl-scorecard build)")
    print(f"wrote {workbook_to_pdf(workbook, args.out)}", file=stdout)
    return EXIT_OK


def _emit(text: str, out: Path | None, stdout, stderr) -> int:
    if out is None:
        stdout.write(text)
        return EXIT_OK
    from .outputs.atomic import write_text_atomic

    write_text_atomic(out, text)
    print(f"wrote {out}", file=stderr)
    return EXIT_OK


if __name__ == "__main__":
    main()

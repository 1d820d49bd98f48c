"""The ``xl-scorecard`` command line.

``run(argv, stdout, stderr)`` returns an exit code and never raises for an
input mistake, so tests call it directly; ``main()`` wraps it for the
console script. Exit codes: 0 success, 2 input or usage error, 1 a bug.
Problems go to stderr through ``outputs.problems.ProblemReport``: one line
each, or one JSON list with ``--errors json``.
"""

from __future__ import annotations

import argparse
import contextlib
import errno
import math
import os
import sys
from pathlib import Path
from typing import Callable, TextIO

from .core.errors import BatchInterrupted, Problem, ScorecardError, UsageError
from .core.periods import Month
from . import commands
from .commands import DEFAULT_OUT_DIR, EXIT_INPUT, EXIT_INTERRUPTED
from .outputs.problems import FORMATS, ProblemReport

DATA_SHEET_ROWS = ("shown", "all")  # layout.data_sheet.ROWS, without importing pandas here

EXIT_BUG = 1


class _Parser(argparse.ArgumentParser):
    def error(self, message: str):  # argparse would print and sys.exit
        raise UsageError(f"{self.prog}: {message} (see '{self.prog} --help')")


def _month(text: str) -> Month:
    from .inputs.months_text import in_calendar

    try:
        return in_calendar(Month.parse(text), text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


ERRORS_HELP = ("how problems are reported on stderr: 'text', one line each (default), or "
               "'json', one list of objects with file, row, column, json_path, indicator, month, "
               "message and severity")
def _tolerance(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number") from None
    if not math.isfinite(value) or value < 0:
        raise argparse.ArgumentTypeError(f"{text!r} must be a finite number, zero or more "
                                         "(0 turns the threshold off)")
    return value


def build_parser(argv: "list[str] | None" = None) -> argparse.ArgumentParser:
    """The command line. Given ``argv``, only the commands named in it get their options (the
    others are listed, as in ``--help``, but cost nothing): every command's parser holds a
    dozen options, and making them all took a few milliseconds of each run."""
    named = set(argv or ()) & set(COMMANDS)
    parser = _Parser(prog="xl-scorecard", description="Monthly Red/Amber/Green performance "
                     "scorecards from rules.json and a data table.")
    parser.add_argument("--errors", choices=FORMATS, default="text", help=ERRORS_HELP)
    subcommands = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    subcommands.required = True
    for name, (help_text, handler, add_options) in COMMANDS.items():
        sub = subcommands.add_parser(name, help=help_text, description=help_text)
        sub.set_defaults(handler=getattr(commands, handler))
        # accepted after the command too; SUPPRESS keeps a value given before it
        sub.add_argument("--errors", choices=FORMATS, default=argparse.SUPPRESS, help=ERRORS_HELP)
        if not named or name in named:
            add_options(sub)
    return parser


def _month_options(sub, with_format: bool = False, out_help: str = "write to this file instead "
                   "of standard output (CSV written to a file starts with a UTF-8 byte-order mark, "
                   "for Excel)") -> None:
    sub.add_argument("--rules", type=Path, default=None,
                     help="rules.json (default: the bundled sample's)")
    sub.add_argument("--data", type=Path, default=None,
                     help="data table, CSV or XLSX (default: the bundled sample)")
    _comparators_option(sub)
    sub.add_argument("--month", type=_month, default=None,
                     help="report month YYYY-MM (default: the latest month in the data)")
    sub.add_argument("--tolerance", type=_tolerance, default=None,
                     help="materiality threshold for direction of travel (default: from rules, else 0)")
    sub.add_argument("--out", type=Path, default=None, help=out_help)
    sub.add_argument("--previous", type=_month, default=None,
                     help="compare with the figures at or before this month YYYY-MM, e.g. the "
                     "last committee paper (default: the latest earlier figure)")
    if with_format:
        sub.add_argument("--format", choices=("csv", "json"), default="csv",
                         help="csv: one row per indicator (default); json: the rows plus "
                              "the summary counts and paragraph")


def _validate_options(sub) -> None:
    sub.add_argument("--rules", type=Path, default=None, help="rules.json (default: the bundled sample's)")


def _pdf_options(sub) -> None:
    sub.add_argument("workbook", type=Path, nargs="?", default=None,
                     help="the .xlsx (default: the bundled sample's latest built workbook)")
    sub.add_argument("--out", type=Path, default=None, help="the PDF (default: beside the workbook)")


def _build_options(sub) -> None:
    _month_options(sub, with_format=False,
                  out_help="the workbook to write, .xlsx or .xlsm (default: "
                           f"{DEFAULT_OUT_DIR}/scorecard-YYYY-MM.xlsx); an existing one keeps "
                           "its commentary and other sheets")
    sub.set_defaults(out=None)
    _workbook_options(sub)
    sub.add_argument("--pdf", action="store_true", help="also render the committee PDF (LibreOffice)")


def _batch_options(sub) -> None:
    sub.add_argument("--rules", type=Path, default=None, help="rules.json (default: the bundled sample's)")
    sub.add_argument("--data", type=Path, default=None, help="data table (default: the bundled sample)")
    _comparators_option(sub)
    sub.add_argument("--from", dest="first", type=_month, default=None,
                     help="first month YYYY-MM (default: the first month in the data)")
    sub.add_argument("--to", dest="last", type=_month, default=None,
                     help="last month YYYY-MM (default: the last month in the data)")
    sub.add_argument("--out-dir", type=Path, default=DEFAULT_OUT_DIR,
                     help=f"folder for scorecard-YYYY-MM.xlsx files (default: {DEFAULT_OUT_DIR})")
    sub.add_argument("--jobs", type=int, default=1, help="worker processes (default 1)")
    sub.add_argument("--tolerance", type=_tolerance, default=None, help="materiality threshold for arrows")
    sub.add_argument("--previous-months", type=int, default=None, metavar="N",
                     help="compare each month with the report N months before it, e.g. 2 for a "
                          "committee every two months (default: scorecard.previous_report_months, "
                          "else the latest earlier figure)")
    _workbook_options(sub)


def _rules_actions(rules) -> None:
    actions = rules.add_subparsers(dest="action", metavar="ACTION", parser_class=_Parser)
    actions.required = True
    export = actions.add_parser("export", help="write rules.json into the workbook's rules.json "
                                "sheet (the workbook is created if need be; other sheets are kept)")
    export.add_argument("--rules", type=Path, default=None,
                        help="rules.json or a workbook (default: the bundled sample's)")
    export.add_argument("--to", dest="workbook", type=Path, required=True, help="the .xlsx or .xlsm")
    imported = actions.add_parser("import", help="read the workbook's rules.json sheet back as "
                                  "rules.json (checked as rules.json is)")
    imported.add_argument("--from", dest="workbook", type=Path, required=True,
                          help="the .xlsx or .xlsm")
    imported.add_argument("--out", type=Path, default=None, help="write here instead of stdout")


def _report_options(sub) -> None:
    _month_options(sub, with_format=False,
                  out_help="the .docx (default: workbooks/out/paper-YYYY-MM.docx)")
    sub.add_argument("--workbook", type=Path, default=None,
                     help="the month's scorecard workbook: its officers' commentary goes into the paper")
    sub.add_argument("--pdf", action="store_true", help="also render the paper as PDF (LibreOffice)")
    sub.set_defaults(out=None)


def _map_options(sub) -> None:
    sub.add_argument("--rules", type=Path, default=None, help="rules.json (default: the bundled sample's)")
    sub.add_argument("--workbook", type=Path, required=True, help="your scorecard .xlsx or .xlsm")
    sub.add_argument("--sheet", default=None, help="the sheet to map (default: the one that fits best)")
    sub.add_argument("--write-rules", action="store_true",
                     help="save the map as the 'workbook' section of rules.json")
    sub.add_argument("--format", choices=("text", "json"), default="text")


def _fill_options(sub) -> None:
    _month_options(sub, with_format=False)
    sub._option_string_actions["--out"].help = "write the filled copy here (default: in place)"
    sub.add_argument("--workbook", type=Path, required=True, help="your scorecard .xlsx or .xlsm")
    sub.add_argument("--sheet", default=None, help="the sheet to fill when rules.json maps none")
    sub.add_argument("--dry-run", action="store_true",
                     help="list every cell it would write, old and new value; write nothing")
    sub.add_argument("--overwrite-formulas", action="store_true",
                     help="replace your formulas in mapped cells (default: keep them)")


# command -> (help, handler in commands.py, the function adding its options), in --help order
COMMANDS: dict[str, tuple[str, str, Callable]] = {
    "validate": ("Check rules.json against the schema and for meaning.", "run_validate",
                 _validate_options),
    "results": ("One row per indicator: value, RAG, direction of travel.", "run_results",
                lambda sub: _month_options(sub, with_format=True)),
    "summary": ("The committee summary paragraph and the RAG changes.", "run_summary",
                lambda sub: _month_options(sub, out_help="write the text to this file instead "
                                           "of standard output")),
    "build": ("Write one month's scorecard workbook (no Excel needed).", "run_build", _build_options),
    "batch": ("Write one workbook per month for a range of months.", "run_batch", _batch_options),
    "rules": ("Carry rules.json inside a workbook: export it to a sheet, import it back.",
              "run_rules", _rules_actions),
    "report": ("Draft the committee paper (.docx, optionally PDF) for a month.", "run_report",
               _report_options),
    "map": ("Find where each result goes in your own scorecard workbook.", "run_map", _map_options),
    "fill": ("Write a month's results into the mapped cells of your own workbook.", "run_fill",
             _fill_options),
    "pdf": ("Render a scorecard workbook's committee sheets to PDF (LibreOffice).", "run_pdf",
            _pdf_options),
}


def _comparators_option(sub) -> None:
    sub.add_argument("--comparators", type=Path, default=None,
                     help="comparator table, CSV or XLSX: indicator, comparator, period, value "
                     "(England, statistical neighbours, ...)")


def _workbook_options(sub) -> None:
    sub.add_argument("--template", type=Path, default=None,
                     help="start from this workbook (its other sheets and VBA are kept)")
    sub.add_argument("--live", nargs="?", const="xlwings", default=None,
                     choices=("xlwings", "native"),
                     help="write formulas instead of values: 'xlwings' (the default for a bare "
                          "--live) =RAG() / =DOT() / =KPIRATE() through the xlwings add-in; "
                          "'native' plain Excel formulas (IF, ROUND, COUNTIF) that recalculate "
                          "anywhere with nothing installed")
    sub.add_argument("--data-sheet", choices=DATA_SHEET_ROWS, default="shown",
                     help="the Data sheet holds the rows of the months the workbook shows "
                          "(shown: trend window, outturn month, previous results; the default) "
                          "or every row of the data table (all)")


def run(argv: list[str] | None = None, stdout: TextIO | None = None,
        stderr: TextIO | None = None) -> int:
    """Run the command line; return its exit code."""
    stdout = stdout or sys.stdout
    stderr = stderr or sys.stderr
    argv = sys.argv[1:] if argv is None else list(argv)
    report = ProblemReport(stderr, _errors_format(argv))
    try:
        return _run(argv, stdout, stderr, report)
    finally:
        report.close()


def _run(argv: list[str], stdout: TextIO, stderr: TextIO, report: ProblemReport) -> int:
    parser = build_parser(argv)
    try:
        with contextlib.redirect_stdout(stdout), contextlib.redirect_stderr(stderr):
            try:
                args = parser.parse_args(argv)
            except SystemExit as done:  # --help and --version
                return int(done.code or 0)
        return args.handler(args, stdout, report)
    except ScorecardError as exc:
        report.add(exc.problems)
        return EXIT_INPUT
    except BatchInterrupted as exc:
        _interrupted(report, str(exc))
        return 128 + int(getattr(exc, "signal_number", 2))  # 130 Ctrl+C, 143 SIGTERM
    except OSError as exc:  # a path the system refuses (too long, no permission) as one line
        report.add([_os_problem(exc)])
        return EXIT_INPUT
    except KeyboardInterrupt:
        _interrupted(report, "nothing was written (any file being written was left as it was)")
        return EXIT_INTERRUPTED


def _errors_format(argv: list[str]) -> str:
    """The --errors choice, read before parsing so that argument mistakes follow it too."""
    chosen = "text"
    for i, arg in enumerate(argv):
        if arg == "--":
            break
        if arg == "--errors" and i + 1 < len(argv):
            chosen = argv[i + 1]
        elif arg.startswith("--errors="):
            chosen = arg.split("=", 1)[1]
    return chosen if chosen in FORMATS else "text"


def _interrupted(report: ProblemReport, text: str) -> None:
    if report.json:
        report.add([Problem(message=f"interrupted: {text}")])
    else:
        report.note(f"interrupted: {text}")


def _os_problem(exc: OSError) -> Problem:
    """One problem for an OSError: the file the system refused and what to do."""
    if exc.filename is None:  # the output stream: a full disk, a closed pipe
        return Problem(message=f"cannot write the output: {exc.strerror or exc} (is the disk "
                       "full, or was the pipe closed?)")
    hint = ("use a shorter file or folder name" if exc.errno == errno.ENAMETOOLONG else
            "check the path and its permissions")
    return Problem(file=str(exc.filename),
                   message=f"{exc.strerror or exc}: {hint}; nothing was written")


def main() -> None:
    """Console-script entry point."""
    if hasattr(sys.stdout, "reconfigure"):
        sys.stdout.reconfigure(encoding="utf-8")  # arrows on a Windows console
    code = run(sys.argv[1:])
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):  # a full disk or a closed pipe behind the stream
            _silence(stream)
            code = code or EXIT_INPUT
    sys.exit(code)


def _silence(stream) -> None:
    """Point a failed stream at the null device, so Python's exit flush has nothing to report."""
    with contextlib.suppress(OSError, ValueError, AttributeError):
        null = os.open(os.devnull, os.O_WRONLY)
        os.dup2(null, stream.fileno())
        os.close(null)


# --------------------------------------------------------------------------- commands


if __name__ == "__main__":
    main()

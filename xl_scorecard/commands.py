"""What each xl-scorecard command does: read and check its inputs, guard its output, hand the
work to a face (headless, paper, fill) and say what was written. The argument parsing, the
problem report and the exit codes are ``cli.py``'s.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from .core.errors import Problem, UsageError
from .inputs import sample
from .outputs.problems import ProblemReport

EXIT_OK, EXIT_INPUT, EXIT_INTERRUPTED = 0, 2, 130
DEFAULT_OUT_DIR = Path("workbooks") / "out"
MAX_BATCH_MONTHS = 1200


def run_validate(args, stdout, report) -> int:
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
    if args.comparators is not None:
        from .inputs.comparators import load_comparators

        data.comparators = load_comparators(args.comparators, rules)
    month = args.month or data.months[-1]
    previous = getattr(args, "previous", None)
    if previous is not None and previous >= month:  # else it is silently the month before
        raise UsageError(f"xl-scorecard {args.command}: --previous {previous} is not before the "
                         f"report month {month}: give the month of the last report (e.g. "
                         f"{month - 1}), or leave it out to compare with the latest earlier figure")
    return rules, data, month


def _guard(args, kind: str, out=None, **extra) -> None:
    """Refuse an output that is one of this command's inputs, or a file of another kind."""
    from .outputs.guard import refuse_overwriting_inputs

    inputs = {"--rules": args.rules or sample.rules_path(), "--data": args.data or sample.data_path(),
              "--comparators": getattr(args, "comparators", None), **extra}
    refuse_overwriting_inputs(out if out is not None else getattr(args, "out", None), inputs, kind)


def _load(args):
    from .core.engine import compute_month

    rules, data, month = _inputs(args)
    results = compute_month(rules, data, month, tolerance=args.tolerance,
                            previous_month=args.previous)
    return rules, data, results


def _warn(data, report: ProblemReport, results=None) -> None:
    """The data table's warnings, then the month's (missing months of a window, stale figures)."""
    extra = results.attrs.get("warnings", []) if results is not None else []
    report.add([*data.warnings, *extra], severity="warning")


def run_results(args, stdout, report) -> int:
    from .core.summary import summarise
    from .outputs.results_text import results_csv, results_json

    _guard(args, "text")
    rules, data, results = _load(args)
    _warn(data, report, results)
    if args.format == "csv":
        text = results_csv(results)
    else:
        text = results_json(rules, results, summarise(results, rules.scorecard.year_start_month))
    # Excel on Windows reads a CSV file as UTF-8 (and so shows ↑ ↓ → ÷) only after a BOM.
    return _emit(text, args.out, stdout, report, bom=args.format == "csv")


def run_summary(args, stdout, report) -> int:
    from .core.summary import summarise
    from .outputs.results_text import summary_text

    _guard(args, "text")
    rules, data, results = _load(args)
    _warn(data, report, results)
    summary = summarise(results, rules.scorecard.year_start_month)
    return _emit(summary_text(rules, summary, results), args.out, stdout, report)


def run_build(args, stdout, report) -> int:
    from .core.month_report import compute_report
    from .headless.build import write_report

    if args.out is not None:
        _guard(args, "workbook", **{"--template": args.template})
    rules, data, month = _inputs(args)
    computed = compute_report(rules, data, month, args.tolerance,  # computes the month once
                              previous_month=args.previous)
    _warn(data, report, computed.results)
    out = args.out or DEFAULT_OUT_DIR / f"scorecard-{computed.month}.xlsx"
    _guard(args, "workbook", out, **{"--template": args.template})
    built = write_report(computed, out, args.template, args.live, args.data_sheet)
    print(f"wrote {built.path}: {built.month}, {built.green} Green, {built.amber} Amber, "
          f"{built.red} Red", file=stdout)
    if args.pdf:
        from .headless.pdf import workbook_to_pdf

        print(f"wrote {workbook_to_pdf(built.path)}", file=stdout)
    return EXIT_OK


def run_batch(args, stdout, report) -> int:
    from .core.periods import month_range
    from .headless.batch import BatchJob, ProgressBar, outcome_table, run_batch
    from .inputs.data import load_data
    from .inputs.rules_file import load_rules

    if args.jobs < 1:
        raise UsageError("xl-scorecard batch: --jobs must be 1 or more")
    if args.out_dir.exists() and not args.out_dir.is_dir():
        raise UsageError(f"{args.out_dir}: --out-dir is a file, not a folder: give a folder "
                         "for the workbooks (it is made if missing)")
    job = BatchJob(rules=args.rules or sample.rules_path(), data=args.data or sample.data_path(),
                   out_dir=args.out_dir, live=args.live, template=args.template,
                   tolerance=args.tolerance, comparators=args.comparators,
                   data_sheet=args.data_sheet)
    rules = load_rules(job.rules)
    if args.previous_months is not None:      # the option wins over the scorecard setting
        if args.previous_months < 1:
            raise UsageError("xl-scorecard batch: --previous-months must be 1 or more")
        rules = replace(rules, scorecard=replace(rules.scorecard,
                                                 previous_report_months=args.previous_months))
    data = load_data(job.data, rules)
    _warn(data, report)
    first = args.first or data.months[0]
    last = args.last or data.months[-1]
    if last < first:
        raise UsageError(f"xl-scorecard batch: --to {last} is before --from {first}")
    if last.index - first.index >= MAX_BATCH_MONTHS:
        raise UsageError(f"xl-scorecard batch: --from {first} --to {last} spans "
                         f"{last.index - first.index + 1:,} months, more than {MAX_BATCH_MONTHS:,} "
                         "(a century): narrow the range")
    for month in month_range(first, last):
        _guard(args, "workbook", job.out_dir / f"scorecard-{month}.xlsx",
               **{"--template": args.template})
    stream = report.progress_stream
    outcomes = run_batch(job, first, last, args.jobs, progress=ProgressBar(stream) if stream else None,
                         rules=rules, data=data)  # read and checked once, here
    stdout.write(outcome_table(outcomes))
    if report.json:  # the table names failed months for a person; JSON names them for a program
        report.add(replace(p, month=p.month or o.month) for o in outcomes if not o.built
                   for p in o.problems)
    return EXIT_OK if all(o.built for o in outcomes) else EXIT_INPUT


def run_rules(args, stdout, report) -> int:
    from .headless.rules_export import export_rules, import_rules

    if args.action == "export":
        rows = export_rules(args.rules or sample.rules_path(), args.workbook)
        print(f"wrote {args.workbook}: sheet 'rules.json', {rows} fields", file=stdout)
        return EXIT_OK
    return _emit(import_rules(args.workbook), args.out, stdout, report)


def run_report(args, stdout, report) -> int:
    from .paper.command import run_report

    if args.out is not None:
        _guard(args, "document", **{"--workbook": args.workbook})
    return run_report(args, stdout, report, _inputs, _warn)


def run_map(args, stdout, report) -> int:
    from .fill.filling import map_workbook
    from .fill.package import Package
    from .fill.report_text import map_json, map_text
    from .inputs.rules_file import load_rules

    if args.write_rules and args.rules is None:
        raise UsageError("xl-scorecard map: --write-rules needs --rules FILE, your own rules.json "
                         "(the bundled sample's is not changed)")
    rules_path = args.rules or sample.rules_path()
    rules = load_rules(rules_path)
    found, _ = map_workbook(Package.open(args.workbook), rules, args.sheet)
    stdout.write(map_text(found) if args.format == "text" else map_json(found))
    if args.write_rules:
        from .fill.rules_writer import write_map

        write_map(rules_path, found.mapping)
        report.note(f"wrote the map into {rules_path} ($.workbook)")
    return EXIT_OK


def run_fill(args, stdout, report) -> int:
    from .fill.filling import fill_workbook
    from .fill.report_text import fill_text

    if args.out is not None:
        _guard(args, "workbook")
    rules, data, results = _load(args)
    _warn(data, report, results)
    filled = fill_workbook(args.workbook, rules, results, results["month"].iloc[0], out=args.out,
                           dry_run=args.dry_run, overwrite_formulas=args.overwrite_formulas,
                           sheet=args.sheet)
    stdout.write(fill_text(filled))
    return EXIT_OK


def run_pdf(args, stdout, report) -> int:
    from .headless.pdf import workbook_to_pdf

    workbook = args.workbook or DEFAULT_OUT_DIR / f"scorecard-{sample.SAMPLE_MONTH}.xlsx"
    if not workbook.exists():
        raise UsageError(Problem(file=str(workbook), message="no such workbook (build it first: "
                                 "xl-scorecard build)"))
    print(f"wrote {workbook_to_pdf(workbook, args.out)}", file=stdout)
    return EXIT_OK


def _emit(text: str, out: Path | None, stdout, report: ProblemReport, bom: bool = False) -> int:
    if out is None:
        stdout.write(text)  # plain UTF-8: a pipe or a program reads it, not Excel
        return EXIT_OK
    from .outputs.atomic import write_text_atomic

    write_text_atomic(out, text, bom=bom)
    report.note(f"wrote {out}")
    return EXIT_OK

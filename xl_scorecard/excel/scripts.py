"""Entry points for the macros, for each way Excel runs Python.

* xlwings Server / Office.js (Excel on the web, Windows, Mac): the ``@script``
  functions below, each bound to a button in the add-in's task pane.
* Desktop Excel on Windows through the xlwings add-in: a VBA button calling
  ``RunPython "import xl_scorecard.scripts as s; s.refresh_caller()"``.

Each is a thin wrapper over a plain function in ``macros`` taking an ``xw.Book``.
"""

from __future__ import annotations

from . import macros

try:  # pragma: no cover - which branch runs depends on the installation
    import xlwings as xw
except ImportError:  # pragma: no cover
    xw = None

if xw is not None:
    script, Book = xw.script, xw.Book
else:  # pragma: no cover - exercised only where xlwings is missing
    def script(f=None, **_options):
        return f if callable(f) else (lambda g: g)

    Book = object


@script
def refresh_scorecard(book: Book):
    """Recompute the report month and rewrite Scorecard, Summary and Exceptions."""
    macros.refresh(book)


@script
def roll_forward(book: Book):
    """Move ReportMonth on by one month and refresh."""
    macros.roll_forward(book)


@script
def check_rules(book: Book):
    """Validate the rules and list any problems in the 'Rules check' sheet."""
    macros.validate_rules(book)


@script
def fill_scorecard(book: Book):
    """Write the month's results into the mapped cells of your own scorecard sheet."""
    macros.fill(book)


def _caller():
    return xw.Book.caller()


def refresh_caller() -> None:
    """RunPython entry point (desktop Excel): refresh the calling workbook."""
    macros.refresh(_caller())


def roll_forward_caller() -> None:
    """RunPython entry point: roll the calling workbook forward a month."""
    macros.roll_forward(_caller())


def fill_caller() -> None:
    """RunPython entry point: fill the calling workbook's own scorecard sheet."""
    macros.fill(_caller())


def check_rules_caller() -> None:
    """RunPython entry point: check the calling workbook's rules."""
    macros.validate_rules(_caller())


__all__ = ["refresh_scorecard", "roll_forward", "check_rules", "fill_scorecard",
           "refresh_caller", "roll_forward_caller", "check_rules_caller", "fill_caller"]

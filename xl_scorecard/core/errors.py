"""The project's exceptions: one root, one class per kind of input.

Every input mistake raises a ``ScorecardError`` carrying ``Problem``s; the CLI prints
each as one line (or as JSON with ``--errors json``) and exits 2. Anything else reaching
the user is a bug in xl_scorecard.
"""

from __future__ import annotations

import re
from dataclasses import KW_ONLY, dataclass
from typing import Union

Column = Union[str, int, tuple, None]  # a header name, a text column number, or several names

_ISO_MONTH = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")
LOCATION_FIELDS = ("place", "file", "sheet", "workbook", "cell", "line", "row", "column",
                   "json_path", "indicator", "month")


@dataclass(frozen=True)
class Problem:
    """One thing wrong with an input: where it is (as data) and what is wrong.

    The location fields are all optional: ``file`` (a path or a source's name),
    ``sheet`` (a worksheet, of that file if there is one), ``workbook`` (an open
    workbook's name; beside ``file``, the workbook a file such as rules.json describes,
    which the sheet and cell then belong to), ``cell`` (a cell or defined name), ``line`` and ``row`` (as an
    editor or a spreadsheet numbers them), ``column`` (a header name, several names, or
    a text column number after ``line``), ``json_path`` (``$.indicators[3].floor``),
    ``indicator`` (its id) and ``month`` (``YYYY-MM``, or the text that is not one).
    A row already locates its indicator and month, so those two are then data only.

    ``Problem(place, message)``, the older form with the location as one phrase, still
    works (``place`` is shown first); code in this package gives the fields instead.
    """

    place: str = ""
    message: str = ""
    _: KW_ONLY
    severity: str = "error"
    file: str = ""
    sheet: str = ""
    workbook: str = ""
    cell: str = ""
    line: int | None = None
    row: int | None = None
    column: Column = None
    json_path: str = ""
    indicator: str = ""
    month: str = ""

    def __post_init__(self) -> None:
        if not isinstance(self.month, str):  # a Month: its text is what a location shows
            object.__setattr__(self, "month", str(self.month))

    @property
    def where(self) -> str:
        """The location as one phrase, e.g. ``data.csv: row 4, column 'period'``."""
        head = ": ".join(p for p in (self.place, self.file) if p)
        book = f"workbook {self.workbook}" if self.workbook else ""
        tail = ""
        if head and book:  # a file about another workbook (rules.json's map): the file first
            tail = self._in_sheet(book)
        else:
            head = self._in_sheet(head or book)
        inside = []
        column = self.column
        if self.line is not None:  # a text file: "line 3 column 5"
            numbered = isinstance(column, int) and not isinstance(column, bool)
            inside.append(f"line {self.line}" + (f" column {column}" if numbered else ""))
            column = None if numbered else column
        if self.row is not None:
            inside.append(f"row {self.row}")
        if isinstance(column, tuple) and column:
            names = [f"'{c}'" for c in column]
            inside.append("columns " + ", ".join(names[:-1]) + " and " + names[-1])
        elif isinstance(column, str) and column:
            inside.append(f"column '{column}'")
        if self.json_path:
            inside.append(self.json_path + (f" ({self.indicator})" if self.indicator else ""))
        elif self.indicator and self.row is None:  # a row already says which indicator and month
            inside.append(f"indicator {self.indicator}")
        if self.month and self.row is None:
            inside.append(f"month {self.month if _ISO_MONTH.match(self.month) else repr(self.month)}")
        return ": ".join(p for p in (head, ", ".join(inside), tail) if p)

    def _in_sheet(self, head: str) -> str:
        """``head`` (a file or a workbook) narrowed to the sheet and cell, if given."""
        if self.sheet:
            head = f"{head} [{self.sheet}]" if head else f"sheet '{self.sheet}'"
        if self.cell:
            head = f"{head} cell {self.cell}" if head else f"cell {self.cell}"
        return head

    def __str__(self) -> str:
        """One line, always: a library's multi-line text is joined up."""
        where = self.where
        text = f"{where}: {self.message}" if where else self.message
        text = " ".join(part.strip() for part in text.splitlines() if part.strip())
        # a control character in a file name (an ANSI escape, a lone surrogate) is shown
        # escaped: it must neither drive the analyst's terminal nor break a strict stream
        return "".join(c if c.isprintable() else ascii(c)[1:-1] for c in text)

    def to_dict(self) -> dict:
        """Every field (blanks as None), the message and the one-line text, for JSON."""
        out: dict = {"severity": self.severity, "message": " ".join(self.message.split())}
        for name in LOCATION_FIELDS:
            value = getattr(self, name)
            if isinstance(value, tuple):
                value = list(value)
            out[name] = value if value not in ("", None, []) else None
        out["text"] = str(self)
        return out


class ScorecardError(Exception):
    """An input mistake; carries one or more problems, each naming where it is."""

    def __init__(self, problems: "list[Problem] | Problem | str"):
        if isinstance(problems, str):
            problems = [Problem(message=problems)]
        elif isinstance(problems, Problem):
            problems = [problems]
        self.problems: list[Problem] = list(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


class RulesError(ScorecardError):
    """rules.json is not valid: not JSON, against the schema, or meaningless."""


class DataError(ScorecardError):
    """The data table cannot be used: a bad file, row, column or month."""


class WorkbookError(ScorecardError):
    """A workbook cannot be read, written or kept safe."""


class UsageError(ScorecardError):
    """A command or worksheet-function argument is wrong."""


class BatchInterrupted(KeyboardInterrupt):
    """Ctrl+C during a batch: the months already written are whole, the rest were not started."""


def one_line(exc: BaseException, limit: int = 200) -> str:
    """A library exception's text as one short line (its first line, whitespace collapsed)."""
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 3] + "..."

"""How the CLI reports problems on stderr: one line each (``--errors text``, the default) or
one JSON list of objects (``--errors json``), each with the location fields, the message and
the severity. Errors and warnings only; the exit code says whether the command succeeded.
"""

from __future__ import annotations

import contextlib
import json
from dataclasses import replace
from typing import Iterable, TextIO

from ..core.errors import Problem

FORMATS = ("text", "json")


def problems_json(problems: Iterable[Problem]) -> str:
    """A JSON list, one object per problem (see ``Problem.to_dict``), ending in a newline."""
    return json.dumps([p.to_dict() for p in problems], ensure_ascii=False, indent=1) + "\n"


class ProblemReport:
    """Collects what a command has to say on stderr and says it in the chosen format.

    In text mode every problem and note is printed at once, as before; in JSON mode
    problems are gathered and ``close()`` prints the list (``[]`` when there are none),
    and notes meant for a person (``wrote FILE``, a progress bar) are not printed, so
    stderr is one JSON document.
    """

    def __init__(self, stream: TextIO, errors: str = "text"):
        self.stream, self.json = stream, errors == "json"
        self.problems: list[Problem] = []

    def add(self, problems: Iterable[Problem], severity: str | None = None) -> None:
        """Report problems; ``severity`` overrides theirs (e.g. "warning")."""
        for problem in problems:
            if severity and problem.severity != severity:
                problem = replace(problem, severity=severity)
            self.problems.append(problem)
            if not self.json:
                self._say(f"{problem.severity}: {problem}")

    def note(self, text: str) -> None:
        """A line for the person at the terminal; left out of JSON output."""
        if not self.json:
            self._say(text)

    # A handler may also treat the report as its stderr (print(..., file=report)): text goes
    # through in text mode and, like a note, is left out of JSON.
    def write(self, text: str) -> int:
        if not self.json:
            self.stream.write(text)
        return len(text)

    def flush(self) -> None:
        self.stream.flush()

    def isatty(self) -> bool:
        return not self.json and getattr(self.stream, "isatty", lambda: False)()

    @property
    def progress_stream(self) -> TextIO | None:
        """Where a progress bar may draw: stderr, or nowhere in JSON mode."""
        return None if self.json else self.stream

    def close(self) -> None:
        if self.json:
            with contextlib.suppress(OSError, ValueError):
                self.stream.write(problems_json(self.problems))
                self.stream.flush()

    def _say(self, line: str) -> None:
        """Print a line; if stderr itself cannot be written (a full disk), the exit code still says."""
        with contextlib.suppress(OSError, ValueError):
            print(line, file=self.stream)
            self.stream.flush()

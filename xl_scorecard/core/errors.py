"""The project's exceptions: one root, one class per kind of input.

Every input mistake raises a ``ScorecardError``; the CLI prints its message
and exits 2. Anything else reaching the user is a bug in xl_scorecard.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    """One thing wrong with an input: where it is and what is wrong."""

    where: str
    message: str

    def __str__(self) -> str:
        """One line, always: a library's multi-line text is joined up."""
        text = f"{self.where}: {self.message}" if self.where else self.message
        text = " ".join(part.strip() for part in text.splitlines() if part.strip())
        # a control character in a file name (an ANSI escape, a lone surrogate) is shown
        # escaped: it must neither drive the analyst's terminal nor break a strict stream
        return "".join(c if c.isprintable() else ascii(c)[1:-1] for c in text)


class ScorecardError(Exception):
    """An input mistake; carries one or more problems, each naming where it is."""

    def __init__(self, problems: "list[Problem] | Problem | str"):
        if isinstance(problems, str):
            problems = [Problem("", problems)]
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

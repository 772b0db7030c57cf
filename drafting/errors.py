"""The one error tree of `drafting`.

Library code raises only these; it never prints and never exits. The command line
(`drafting.cli`) is the one place that shows an error and maps it to an exit status.

    DraftingError                 exit 1: something in the input or the library is wrong
     +-- AnswersError             an answers file is unreadable or breaks the rules (all problems at once)
     +-- LibraryError             the clause library or a template is inconsistent (file and line)
     +-- AssemblyError            a document could not be drafted from valid answers
     +-- OutputError              a file would be overwritten, or could not be written
     +-- CompareError             two documents could not be compared
     +-- DraftError               a returned draft cannot be read back or updated
     +-- ConversionError          LibreOffice is missing or failed to convert a document

Each message is written for the person who can fix it: a company secretary for answers,
a lawyer or developer for the library. It names the file, the line and the field.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Literal

__all__ = [
    "Problem",
    "DraftingError",
    "AnswersError",
    "LibraryError",
    "AssemblyError",
    "OutputError",
    "CompareError",
    "ConversionError",
    "DraftError",
]


@dataclass(frozen=True)
class Problem:
    """One finding about an input file.

    `rule` is the rule id from the answers spec (``"R5"``) or a kind of problem
    (``"syntax"``, ``"type"``, ``"unknown-key"``, ``"reference"``). `path` is the dotted
    path of the field (``"governance.deadlock"``, ``"members[2].kind"``), empty for the
    whole file. `line` is 1-based, or None when the field is not in the file (a default).
    """

    rule: str
    path: str
    message: str
    line: int | None = None
    file: str | None = None
    severity: Literal["error", "warning"] = "error"

    def format(self) -> str:
        """Render as ``file:line: error [R5] governance.weights: message``."""
        where = self.file or "<answers>"
        if self.line is not None:
            where = f"{where}:{self.line}"
        field_part = f" {self.path}:" if self.path else ""
        return f"{where}: {self.severity} [{self.rule}]{field_part} {self.message}"


class DraftingError(Exception):
    """Base of every error `drafting` raises on purpose; exit status 1."""

    exit_code = 1

    def __init__(self, message: str, *, file: str | Path | None = None, line: int | None = None):
        super().__init__(message)
        self.message = message
        self.file = str(file) if file is not None else None
        self.line = line

    def format_message(self) -> str:
        """The message with its location, as the command line shows it."""
        if self.file and self.line is not None:
            return f"{self.file}:{self.line}: {self.message}"
        if self.file:
            return f"{self.file}: {self.message}"
        return self.message

    def __str__(self) -> str:
        return self.format_message()


class AnswersError(DraftingError):
    """An answers file cannot be used. Carries every problem found, not only the first."""

    def __init__(self, problems: list[Problem], *, file: str | Path | None = None):
        errors = [p for p in problems if p.severity == "error"]
        count = len(errors)
        noun = "problem" if count == 1 else "problems"
        super().__init__(f"{count} {noun} in the answers", file=file)
        self.problems = problems

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]

    def format_message(self) -> str:
        head = f"{self.file}: {self.message}" if self.file else self.message
        return "\n".join([head, *("  " + p.format() for p in self.problems)])


class LibraryError(DraftingError):
    """The clause library or a document template is inconsistent."""


class AssemblyError(DraftingError):
    """A document could not be drafted although the answers were valid."""


class OutputError(DraftingError):
    """Writing a result would lose something (overwrite) or failed."""


class CompareError(DraftingError):
    """Two documents could not be compared (not a .docx, unreadable)."""


class DraftError(DraftingError):
    """A returned draft cannot be inspected or updated: it was not made by `drafting`, it
    does not carry its answers, or it holds tracked changes still to accept or reject."""


class ConversionError(DraftingError):
    """Converting with LibreOffice failed or LibreOffice is not installed."""

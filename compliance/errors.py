"""The errors aicomply raises and the exit codes it returns.

User mistakes in a declaration are not exceptions that reach the user: the loader turns them
into findings (see load.py, validate.py). Exceptions here cross layers: a SourceError carries a
location so the caller can make one clear line of it; a ToolError means aicomply itself cannot
do its job (bad usage, unreadable rule pack) and ends the run with exit code 2.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import IntEnum


class ExitCode(IntEnum):
    OK = 0  # nothing at or above --fail-on
    GATE_FAILED = 1  # findings at or above --fail-on, or an invalid declaration
    TOOL_ERROR = 2  # bad usage, unreadable config or rule pack


class AicomplyError(Exception):
    """Base of every error aicomply raises on purpose."""


@dataclass(frozen=True)
class Location:
    """Where in a file something is; line and column are 1-based, None when unknown."""

    path: str
    line: int | None = None
    column: int | None = None

    def __str__(self) -> str:
        if self.line is None:
            return self.path
        if self.column is None:
            return f"{self.path}:{self.line}"
        return f"{self.path}:{self.line}:{self.column}"


class SourceError(AicomplyError):
    """A file cannot be read as a declaration (or rule pack): one message, one location."""

    def __init__(self, message: str, location: Location, code: str = "DECL-LOAD") -> None:
        super().__init__(message)
        self.message = message
        self.location = location
        self.code = code

    def __str__(self) -> str:
        return f"{self.location}: {self.message}"


class ToolError(AicomplyError):
    """aicomply cannot do its job: a broken rule pack, bad usage. Exit code 2."""


class ChecklistError(ToolError):
    """A rule pack is unreadable or does not satisfy the checklist schema."""

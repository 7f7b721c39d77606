"""The rackval error tree.

Errors are data: they carry where the problem is and what was expected. Only
``cli.py`` and the TUI turn them into text on a terminal and into exit codes.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = [
    "RackvalError",
    "UnitError",
    "DesignError",
    "DesignErrors",
    "CatalogError",
    "SolverError",
    "ScenarioError",
    "SaveConflictError",
]


class RackvalError(Exception):
    """Base of every error rackval raises on purpose."""


class UnitError(RackvalError, ValueError):
    """A value's text could not be read as a quantity of the expected dimension.

    Raised by :mod:`rackval.units` without a location; the loader re-raises it as a
    :class:`DesignError` that names file, line, column and field.
    """

    def __init__(self, message: str, *, expected: str = "", example: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.expected = expected
        self.example = example


@dataclass(frozen=True)
class Location:
    """Where a field sits in a file (1-based line and column; 0 = unknown)."""

    file: str
    line: int = 0
    column: int = 0

    def __str__(self) -> str:
        if self.line:
            return f"{self.file}:{self.line}:{self.column}"
        return self.file


class DesignError(RackvalError):
    """One problem in a design file: where it is, which field, and what was expected."""

    def __init__(self, message: str, *, location: Location | None = None, path: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.location = location
        self.path = path

    def __str__(self) -> str:
        where = f"{self.location}: " if self.location else ""
        field = f"{self.path}: " if self.path else ""
        return f"{where}{field}{self.message}"


class DesignErrors(RackvalError):
    """Several design problems found in one pass (reported together, exit code 2)."""

    def __init__(self, errors: list[DesignError]) -> None:
        super().__init__("\n".join(str(e) for e in errors))
        self.errors = errors


class CatalogError(RackvalError):
    """A catalog part file is unreadable or invalid."""


class SolverError(RackvalError):
    """A solver could not produce a result (singular network, no convergence)."""


class ScenarioError(RackvalError, ValueError):
    """A scenario name that rackval does not know (a usage error)."""


class SaveConflictError(RackvalError):
    """The file changed on disk since it was loaded; saving would overwrite it."""

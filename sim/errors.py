"""The engine's error hierarchy: every error a user can cause says where and what to do."""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["DeskTrainerError", "Problem", "InputError", "ScenarioError", "TraceError"]


class DeskTrainerError(Exception):
    """Base of every error the trainer raises on purpose."""


@dataclass(frozen=True)
class Problem:
    """One located problem in an input file."""

    file: str
    line: int | None
    message: str

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        return f"{where}: {self.message}"


class InputError(DeskTrainerError):
    """Bad input (a file the user gave us); carries every problem found, each located."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


class ScenarioError(InputError):
    """A scenario, procedure or vocabulary file that does not load or validate."""


class TraceError(InputError):
    """A trace file that cannot be read (a malformed line, time running backwards)."""

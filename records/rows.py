"""What the store hands out: one frozen dataclass per kind of row, built from the stored columns.

Nothing here reads the database; :mod:`records.store` fills these in.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from scoring.result import Report

__all__ = ["SessionRow", "ResultRow"]


@dataclass(frozen=True)
class SessionRow:
    id: int
    uuid: str
    trainee_id: str
    scenario_id: str
    scenario_sha256: str
    procedure: str
    procedure_sha256: str
    seed: int
    variant: str
    mode: str
    agent: str | None
    lang: str
    drill: str | None
    started_at: str
    ended_at: str | None
    status: str  # running | complete | incomplete
    sim_end: float | None
    time_limit: float | None = None  # a drill's own limit (None: the scenario's)

    @classmethod
    def of(cls, row: dict[str, Any]) -> SessionRow:
        return cls(**{k: row[k] for k in cls.__dataclass_fields__ if k in row})


@dataclass(frozen=True)
class ResultRow:
    id: int
    session_id: int
    procedure: str
    procedure_sha256: str
    score: float
    passed: bool
    critical_failures: tuple[str, ...]
    hints_used: int
    report_json: bytes
    created_at: str
    reason: str  # session | rescore
    current: bool

    @classmethod
    def of(cls, row: dict[str, Any]) -> ResultRow:
        return cls(
            id=row["id"],
            session_id=row["session_id"],
            procedure=row["procedure"],
            procedure_sha256=row["procedure_sha256"],
            score=row["score"],
            passed=bool(row["passed"]),
            critical_failures=tuple(json.loads(row["critical_failures"] or "[]")),
            hints_used=row["hints_used"] or 0,
            report_json=_blob(row["report_json"]),
            created_at=row["created_at"],
            reason=row["reason"],
            current=bool(row["current"]),
        )

    @property
    def report(self) -> Report:
        """The stored result, of whichever format it was stored in."""
        return Report.from_bytes(self.report_json)

    @property
    def data(self) -> dict[str, Any]:
        """The stored result exactly as stored (what an xAPI statement's id is a digest of)."""
        return dict(json.loads(self.report_json))


def _blob(value: Any) -> bytes:
    """A stored blob as bytes (a hand edit in SQL can leave text where bytes were)."""
    return value.encode("utf-8") if isinstance(value, str) else bytes(value or b"")

"""What the store hands out: one frozen dataclass per kind of row, built from the stored columns.

Nothing here reads the database; :mod:`records.store` fills these in.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from scoring.result import Report
from sim.trace import TimedAction

__all__ = [
    "SessionRow",
    "SessionHeader",
    "ChainedAction",
    "ResultRow",
    "SessionResult",
    "BrokenClause",
    "ScenarioSource",
    "AttemptRow",
    "StaffRow",
    "AuditEntry",
    "PersonRow",
    "ScoreRow",
    "BrokenRow",
]


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
    seal: str | None = None  # how its header and chain are sealed (None: before seals)
    branch_of: str | None = None  # practice from a moment of this session (its uuid)
    branch_at: float | None = None  # the sim time it branched at

    @classmethod
    def of(cls, row: dict[str, Any]) -> SessionRow:
        return cls(**{k: row[k] for k in cls.__dataclass_fields__ if k in row})


@dataclass(frozen=True)
class SessionHeader:
    """A session's signed header: the hash stored when it was recorded (where its chain starts)
    and the header's fields as the row holds them now (``records.integrity.HEADER_FIELDS``)."""

    stored_hash: str | None
    fields: dict[str, Any]


@dataclass(frozen=True)
class ChainedAction:
    """One recorded action with its place in the session and its link of the chain."""

    seq: int
    action: TimedAction
    chain: str | None


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
    # the seal: what the signature covers besides the report (None in an unsigned result)
    chain_head: str | None = None  # the session's chain when it was scored
    n_actions: int | None = None  # how many actions it held then
    signature: str | None = None  # HMAC-SHA256 with the centre's key
    key_id: str | None = None  # which key signed
    scenario_sha256: str | None = None  # the scenario it was scored with

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
            report_json=blob(row["report_json"]),
            created_at=row["created_at"],
            reason=row["reason"],
            current=bool(row["current"]),
            chain_head=row.get("chain_head"),
            n_actions=row.get("n_actions"),
            signature=row.get("signature"),
            key_id=row.get("key_id"),
            scenario_sha256=row.get("scenario_sha256"),
        )

    @property
    def report(self) -> Report:
        """The stored result, of whichever format it was stored in."""
        return Report.from_bytes(self.report_json)

    @property
    def data(self) -> dict[str, Any]:
        """The stored result exactly as stored (what an xAPI statement's id is a digest of)."""
        return dict(json.loads(self.report_json))


@dataclass(frozen=True)
class SessionResult:
    """A session with its current result (None: it has none, e.g. it never finished)."""

    session: SessionRow
    result: ResultRow | None


@dataclass(frozen=True)
class BrokenClause:
    """A clause broken in current results: in how many, how many of them critically, and in
    which scenarios (sorted)."""

    clause: str
    times: int
    critical: int
    scenarios: tuple[str, ...]


@dataclass(frozen=True)
class ScenarioSource:
    """A scenario file's bytes as a session recorded them, and the file's name."""

    file: str
    source: bytes


@dataclass(frozen=True)
class AttemptRow:
    """One attempt at a certification drill; its sessions carry its uuid in ``drill``."""

    id: int
    uuid: str
    drill_id: str
    drill_sha256: str
    drill_source: bytes  # the drill file as it was when the attempt started
    trainee_id: str
    attempt: int  # the trainee's attempt number at this drill, from 1
    started_at: str
    ended_at: str | None
    status: str  # running | complete
    average: float | None
    passed: bool | None
    summary_json: bytes | None  # the signed verdict (None until the attempt ends)
    signature: str | None
    key_id: str | None
    code: str | None  # the certificate code (passed and signed only)
    agent: str | None = None  # a scripted trainee took it (a check of the drill; no certificate)

    @classmethod
    def of(cls, row: dict[str, Any]) -> AttemptRow:
        return cls(
            id=row["id"],
            uuid=row["uuid"],
            drill_id=row["drill_id"],
            drill_sha256=row["drill_sha256"],
            drill_source=blob(row["drill_source"]),
            trainee_id=row["trainee_id"],
            attempt=row["attempt"],
            started_at=row["started_at"],
            ended_at=row["ended_at"],
            status=row["status"],
            average=row["average"],
            passed=None if row["passed"] is None else bool(row["passed"]),
            summary_json=None if row["summary_json"] is None else blob(row["summary_json"]),
            signature=row["signature"],
            key_id=row["key_id"],
            code=row["code"],
            agent=row.get("agent"),
        )

    @property
    def summary(self) -> dict[str, Any] | None:
        """The stored verdict (None: the attempt has not ended)."""
        return dict(json.loads(self.summary_json)) if self.summary_json else None


@dataclass(frozen=True)
class StaffRow:
    """An instructor's entry, signed with the centre's key."""

    id: str
    name: str
    role: str
    salt: bytes
    password_hash: bytes
    created_at: str
    signature: str | None

    @classmethod
    def of(cls, row: dict[str, Any]) -> StaffRow:
        return cls(
            id=row["id"],
            name=row["name"],
            role=row["role"],
            salt=blob(row["salt"]),
            password_hash=blob(row["password_hash"]),
            created_at=row["created_at"],
            signature=row["signature"],
        )


@dataclass(frozen=True)
class PersonRow:
    """A trainee in the register: the staff id sessions link to, and where they work."""

    id: str
    name: str
    unit: str | None = None  # 营业厅 or 供电所, e.g. 鼓楼营业厅
    team: str | None = None  # 班组
    job: str | None = None  # 岗位
    hire_date: str | None = None  # ISO date
    active: bool = True

    @classmethod
    def of(cls, row: dict[str, Any]) -> PersonRow:
        return cls(
            id=str(row["id"]),
            name=str(row["name"] or row["id"]),
            unit=row.get("unit"),
            team=row.get("team"),
            job=row.get("job"),
            hire_date=row.get("hire_date"),
            active=row.get("active") is None or bool(row.get("active")),
        )

    @property
    def registered(self) -> bool:
        """Entered in the roster (not only seen at the desk under this id)."""
        return self.unit is not None


@dataclass(frozen=True)
class ScoreRow:
    """A session and its current result, in brief, for the cohort and path views."""

    session_id: int
    trainee_id: str
    scenario_id: str
    mode: str
    agent: str | None
    drill: str | None
    started_at: str
    status: str
    score: float | None
    passed: bool | None
    critical: bool  # a critical failure in its current result


@dataclass(frozen=True)
class BrokenRow:
    """A clause broken in a session's current result (once per result and clause)."""

    trainee_id: str
    scenario_id: str
    clause: str
    started_at: str
    critical: bool
    mode: str


def blob(value: Any) -> bytes:
    """A stored blob as bytes (a hand edit in SQL can leave text where bytes were; a number
    there is damage, said as a ValueError, never read as a length)."""
    if isinstance(value, str):
        return value.encode("utf-8", "surrogatepass")
    if value is None:
        return b""
    if isinstance(value, bytes | bytearray | memoryview):
        return bytes(value)
    raise ValueError(f"a {type(value).__name__} where bytes were stored")


@dataclass(frozen=True)
class AuditEntry:
    """One entry of the audit log, as stored."""

    seq: int
    at: str
    # genesis | session | result | attempt | attempt_end | delete | staff | roster | path
    kind: str
    subject: str  # a session's or attempt's uuid, a staff id
    body: str  # canonical JSON
    key_id: str | None  # the key that linked it (None: written without a key)
    mac: str

    @property
    def data(self) -> dict[str, Any]:
        try:
            found = json.loads(self.body)
        except (ValueError, TypeError, RecursionError):
            return {}
        return found if isinstance(found, dict) else {}


_blob = blob

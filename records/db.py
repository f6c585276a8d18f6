"""The records database: trainees, sessions, their input and trace, and every result.

One SQLite file (WAL, ``synchronous=NORMAL``) through sqlite-utils, with numbered migrations.
A session is written as it happens: each action (and the events the engine derived since the
last one) is committed on its own, so a trainer killed mid-session leaves everything up to its
last action, and the session is found ``incomplete`` the next time the database is opened.

A session keeps what it needs to be replayed exactly, whatever happens to the files later: the
scenario file's bytes (by content hash) and the procedure edition it was scored under.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import socket
import sqlite3
import tempfile
import uuid as uuidlib
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Literal

import platformdirs
from sqlite_utils import Database

from records.integrity import (
    HEADER_FIELDS,
    header_hash,
    key_id,
    link,
    load_key,
    sign,
    signature_payload,
)
from scoring.procedure import Procedure, procedure_from_source, procedure_source
from scoring.result import Report, report_bytes
from sim.errors import DeskTrainerError
from sim.i18n import tr
from sim.scenario import LoadedScenario, load_scenario_bytes
from sim.trace import TimedAction, TraceEntry

__all__ = [
    "Records",
    "Recording",
    "RecordsError",
    "SessionRow",
    "ResultRow",
    "default_db_path",
    "report_bytes",
    "now_iso",
]

APP = "desk-trainer"
SCHEMA_VERSION = 1


class RecordsError(DeskTrainerError):
    """The database cannot be used as asked; the message names the file and what to do."""


def default_db_path() -> Path:
    """Where records live unless ``--db`` says otherwise (the user's data directory)."""
    override = os.environ.get("DESK_TRAINER_DB")
    if override:
        return Path(override)
    return Path(platformdirs.user_data_dir(APP, appauthor=False)) / "records.sqlite3"


def now_iso() -> str:
    return datetime.now(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


# -- migrations -------------------------------------------------------------------------------


def _m1_initial(db: Database) -> None:
    db.table("trainees").create(
        {"id": str, "name": str, "role": str, "created_at": str}, pk="id", not_null={"name"}
    )
    db.table("scenario_sources").create(
        {"sha256": str, "scenario_id": str, "file": str, "source": bytes}, pk="sha256"
    )
    db.table("procedure_sources").create(
        {"sha256": str, "edition": str, "source": bytes}, pk="sha256"
    )
    db.table("sessions").create(
        {
            "id": int,
            "uuid": str,
            "trainee_id": str,
            "scenario_id": str,
            "scenario_sha256": str,
            "procedure": str,
            "procedure_sha256": str,
            "seed": int,
            "variant": str,
            "mode": str,
            "agent": str,
            "lang": str,
            "drill": str,
            "started_at": str,
            "ended_at": str,
            "status": str,
            "sim_end": float,
            "pid": int,
            "host": str,
        },
        pk="id",
        not_null={"uuid", "trainee_id", "scenario_id", "seed", "mode", "status", "started_at"},
        foreign_keys=[
            ("trainee_id", "trainees", "id"),
            ("scenario_sha256", "scenario_sources", "sha256"),
            ("procedure_sha256", "procedure_sources", "sha256"),
        ],
    )
    db.table("sessions").create_index(["uuid"], unique=True)
    db.table("sessions").create_index(["trainee_id", "started_at"])
    db.table("sessions").create_index(["scenario_id"])
    db.table("sessions").create_index(["status"])
    db.table("actions").create(
        {"session_id": int, "seq": int, "t": float, "action": str, "args": str},
        pk=("session_id", "seq"),
        foreign_keys=[("session_id", "sessions", "id")],
    )
    db.table("events").create(
        {
            "session_id": int,
            "seq": int,
            "t": float,
            "kind": str,
            "name": str,
            "args": str,
            "valid": int,
            "reason": str,
            "tags": str,
        },
        pk=("session_id", "seq"),
        foreign_keys=[("session_id", "sessions", "id")],
    )
    db.table("results").create(
        {
            "id": int,
            "session_id": int,
            "procedure": str,
            "procedure_sha256": str,
            "score": float,
            "passed": int,
            "critical_failures": str,
            "hints_used": int,
            "report_json": bytes,
            "created_at": str,
            "reason": str,
            "current": int,
        },
        pk="id",
        foreign_keys=[
            ("session_id", "sessions", "id"),
            ("procedure_sha256", "procedure_sources", "sha256"),
        ],
    )
    db.table("results").create_index(["session_id", "current"])
    db.table("findings").create(
        {
            "result_id": int,
            "seq": int,
            "rule": str,
            "clause": str,
            "verdict": str,
            "critical": int,
            "points_lost": float,
            "at": float,
        },
        pk=("result_id", "seq"),
        foreign_keys=[("result_id", "results", "id")],
    )
    # what cohort and history queries read: the broken findings only
    db.execute(
        "CREATE INDEX findings_broken ON findings (clause, result_id) WHERE verdict != 'met'"
    )


def _m2_integrity(db: Database) -> None:
    """Exam integrity: a hash chain over each session's actions, signed results."""
    db.table("sessions").add_column("header_hash", str)
    db.table("actions").add_column("chain", str)
    db.table("results").add_column("chain_head", str)
    db.table("results").add_column("n_actions", int)
    db.table("results").add_column("signature", str)
    db.table("results").add_column("key_id", str)
    # the scenario a result was scored with (a corrected rule may differ from the recorded one)
    db.table("results").add_column("scenario_sha256", str)


def _m3_drills(db: Database) -> None:
    """Certification drills: one row per attempt; its sessions carry the attempt's uuid."""
    db.table("drill_attempts").create(
        {
            "id": int,
            "uuid": str,
            "drill_id": str,
            "drill_sha256": str,
            "drill_source": bytes,
            "trainee_id": str,
            "attempt": int,
            "started_at": str,
            "ended_at": str,
            "status": str,
            "average": float,
            "passed": int,
            "summary_json": bytes,
            "signature": str,
            "key_id": str,
            "code": str,
        },
        pk="id",
        foreign_keys=[("trainee_id", "trainees", "id")],
    )
    db.table("drill_attempts").create_index(["uuid"], unique=True)
    db.table("drill_attempts").create_index(["trainee_id", "drill_id"])
    db.table("drill_attempts").create_index(["code"])


def _m4_staff(db: Database) -> None:
    """Instructors: who may re-score, delete or export exam results."""
    db.table("staff").create(
        {
            "id": str,
            "name": str,
            "role": str,
            "salt": bytes,
            "password_hash": bytes,
            "created_at": str,
            "signature": str,
        },
        pk="id",
    )


def _m5_time_limit(db: Database) -> None:
    """A drill's own time limit for a scenario, kept with the session (NULL: the scenario's)."""
    db.table("sessions").add_column("time_limit", float)


MIGRATIONS: tuple[Callable[[Database], None], ...] = (
    _m1_initial,
    _m2_integrity,
    _m3_drills,
    _m4_staff,
    _m5_time_limit,
)


# -- rows -------------------------------------------------------------------------------------


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


# -- the database -----------------------------------------------------------------------------


def _pid_alive(pid: int | None) -> bool:
    if not pid:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


class Records:
    """The records file. Open it once per process; it is safe to open from several processes
    (WAL), and a busy database is waited for up to ``timeout`` seconds before giving up."""

    def __init__(
        self,
        path: str | Path | None = None,
        *,
        timeout: float = 5.0,
        key: bytes | None | Literal["env"] = "env",
    ) -> None:
        self.path = Path(path) if path is not None else default_db_path()
        # the training centre's signing key: from the environment unless given (None: unsigned)
        self.key: bytes | None = load_key() if key == "env" else key
        with self._errors():
            if self.path.exists() and self.path.is_dir():
                raise sqlite3.OperationalError("unable to open database file")
            self.path.parent.mkdir(parents=True, exist_ok=True)
            conn = sqlite3.connect(str(self.path), timeout=timeout, isolation_level=None)
            self.conn = conn
            self.db = Database(conn)
            conn.execute("PRAGMA foreign_keys = ON")
            mode = conn.execute("PRAGMA journal_mode = WAL").fetchone()[0]
            if str(mode).lower() != "wal" and not self._read_only():
                raise sqlite3.OperationalError("journal mode")
            conn.execute("PRAGMA synchronous = NORMAL")
            self._migrate()
            self._mark_abandoned()

    # -- errors: one message naming the file and what to do

    @contextlib.contextmanager
    def _errors(self) -> Iterator[None]:
        try:
            yield
        except sqlite3.DatabaseError as exc:
            raise RecordsError(self._explain(exc)) from None
        except OSError as exc:
            raise RecordsError(
                tr("records.unwritable", file=str(self.path), error=exc.strerror or str(exc))
            ) from None

    def _explain(self, exc: sqlite3.DatabaseError) -> str:
        text = str(exc).lower()
        file = str(self.path)
        if "locked" in text or "busy" in text:
            key = "records.locked"
        elif "readonly" in text or "read-only" in text:
            key = "records.read_only"
        elif "not a database" in text or "malformed" in text or "corrupt" in text:
            key = "records.corrupt"
        elif "unable to open" in text:
            key = "records.cannot_open"
        elif "newer" in text:
            key = "records.too_new"
        else:
            return tr("records.failed", file=file, error=str(exc))
        return tr(key, file=file)

    def _read_only(self) -> bool:
        return not os.access(self.path, os.W_OK)

    def _migrate(self) -> None:
        self.conn.execute(
            "CREATE TABLE IF NOT EXISTS schema_migrations "
            "(version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL)"
        )
        done = {r[0] for r in self.conn.execute("SELECT version FROM schema_migrations")}
        if done and max(done) > len(MIGRATIONS):
            raise sqlite3.DatabaseError("records file is newer than this program")
        for number, migration in enumerate(MIGRATIONS, start=1):
            if number in done:
                continue
            self.conn.execute("BEGIN IMMEDIATE")
            try:
                migration(self.db)
                self.conn.execute(
                    "INSERT INTO schema_migrations VALUES (?, ?)", (number, now_iso())
                )
                self.conn.execute("COMMIT")
            except BaseException:
                self.conn.execute("ROLLBACK")
                raise

    def _mark_abandoned(self) -> None:
        """Sessions left ``running`` by a process of this machine that is gone: incomplete."""
        host = socket.gethostname()
        rows = self.conn.execute(
            "SELECT id, pid, host FROM sessions WHERE status = 'running'"
        ).fetchall()
        dead = [r[0] for r in rows if r[2] == host and not _pid_alive(r[1])]
        if dead:
            with self._tx():
                self.conn.executemany(
                    "UPDATE sessions SET status = 'incomplete' WHERE id = ?", [(i,) for i in dead]
                )

    @contextlib.contextmanager
    def _tx(self) -> Iterator[sqlite3.Connection]:
        self.conn.execute("BEGIN IMMEDIATE")
        try:
            yield self.conn
        except BaseException:
            self.conn.execute("ROLLBACK")
            raise
        self.conn.execute("COMMIT")

    def close(self) -> None:
        with contextlib.suppress(sqlite3.Error):
            self.conn.close()

    def __enter__(self) -> Records:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- trainees

    def ensure_trainee(
        self, trainee_id: str, name: str | None = None, role: str = "trainee"
    ) -> None:
        with self._errors(), self._tx() as c:
            c.execute(
                "INSERT OR IGNORE INTO trainees (id, name, role, created_at) VALUES (?, ?, ?, ?)",
                (trainee_id, name or trainee_id, role, now_iso()),
            )

    # -- recording

    def start(
        self,
        loaded: LoadedScenario,
        procedure: Procedure,
        *,
        seed: int,
        variant: str,
        trainee: str,
        mode: str = "training",
        agent: str | None = None,
        lang: str = "zh",
        drill: str | None = None,
        session_uuid: str | None = None,
        time_limit: float | None = None,
    ) -> Recording:
        """Open a new session record (status ``running``) and return its recorder."""
        source = loaded.source or Path(loaded.path).read_bytes()
        proc_source = procedure_source(procedure)
        proc_sha = hashlib.sha256(proc_source).hexdigest()
        sid_uuid = session_uuid or str(uuidlib.uuid4())
        with self._errors(), self._tx() as c:
            c.execute(
                "INSERT OR IGNORE INTO trainees (id, name, role, created_at) VALUES (?, ?, ?, ?)",
                (trainee, trainee, "trainee", now_iso()),
            )
            c.execute(
                "INSERT OR IGNORE INTO scenario_sources VALUES (?, ?, ?, ?)",
                (loaded.sha256, loaded.id, Path(loaded.path).name, source),
            )
            c.execute(
                "INSERT OR IGNORE INTO procedure_sources VALUES (?, ?, ?)",
                (proc_sha, procedure.edition, proc_source),
            )
            cur = c.execute(
                "INSERT INTO sessions (uuid, trainee_id, scenario_id, scenario_sha256, procedure,"
                " procedure_sha256, seed, variant, mode, agent, lang, drill, started_at, status,"
                " pid, host, time_limit)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'running', ?, ?, ?)",
                (
                    sid_uuid,
                    trainee,
                    loaded.id,
                    loaded.sha256,
                    procedure.edition,
                    proc_sha,
                    seed,
                    variant,
                    mode,
                    agent,
                    lang,
                    drill,
                    now_iso(),
                    os.getpid(),
                    socket.gethostname(),
                    float(time_limit) if time_limit else None,
                ),
            )
            session_id = int(cur.lastrowid or 0)
            row = c.execute(
                f"SELECT {', '.join(HEADER_FIELDS)} FROM sessions WHERE id = ?",
                (session_id,),
            ).fetchone()
            head = header_hash(dict(zip(HEADER_FIELDS, row, strict=True)))
            c.execute("UPDATE sessions SET header_hash = ? WHERE id = ?", (head, session_id))
        return Recording(self, session_id, sid_uuid, chain=head)

    def reopen(self, session_id: int) -> Recording:
        """Carry on recording an incomplete session (resume): new actions follow the old."""
        row = self.session(session_id)
        with self._errors(), self._tx() as c:
            c.execute(
                "UPDATE sessions SET status = 'running', pid = ?, host = ?, ended_at = NULL "
                "WHERE id = ?",
                (os.getpid(), socket.gethostname(), session_id),
            )
            n_actions = c.execute(
                "SELECT COUNT(*) FROM actions WHERE session_id = ?", (session_id,)
            ).fetchone()[0]
            n_events = c.execute(
                "SELECT COUNT(*) FROM events WHERE session_id = ?", (session_id,)
            ).fetchone()[0]
            chain = self._chain_head(session_id)
        return Recording(self, session_id, row.uuid, n_actions, n_events, chain=chain)

    def _chain_head(self, session_id: int) -> str:
        """The last link of a session's chain (its header hash when it has no actions)."""
        last = self.conn.execute(
            "SELECT chain FROM actions WHERE session_id = ? ORDER BY seq DESC LIMIT 1",
            (session_id,),
        ).fetchone()
        if last is not None and last[0]:
            return str(last[0])
        head = self.conn.execute(
            "SELECT header_hash FROM sessions WHERE id = ?", (session_id,)
        ).fetchone()
        return str(head[0] or "")

    def _write(
        self,
        session_id: int,
        first_action: int,
        actions: Sequence[TimedAction],
        first_event: int,
        events: Sequence[TraceEntry],
        chain: str = "",
    ) -> str:
        """Commit actions and events together; returns the new head of the action chain."""
        rows = []
        for i, a in enumerate(actions):
            chain = link(chain, first_action + i, a)
            args = json.dumps(a.args, ensure_ascii=False, sort_keys=True) if a.args else None
            rows.append((session_id, first_action + i, a.t, a.action, args, chain))
        with self._errors(), self._tx() as c:
            c.executemany(
                "INSERT INTO actions (session_id, seq, t, action, args, chain)"
                " VALUES (?, ?, ?, ?, ?, ?)",
                rows,
            )
            c.executemany(
                "INSERT INTO events VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [
                    (
                        session_id,
                        first_event + i,
                        e.t,
                        e.kind,
                        e.name,
                        json.dumps(dict(e.args), ensure_ascii=False) if e.args else None,
                        int(e.valid),
                        e.reason,
                        json.dumps(list(e.tags)) if e.tags else None,
                    )
                    for i, e in enumerate(events)
                ],
            )
        return chain

    def add_result(
        self,
        session_id: int,
        report: Report,
        procedure: Procedure,
        reason: str = "session",
        scenario: LoadedScenario | None = None,
    ) -> int:
        """Store a result for a session; it becomes the current one, the earlier ones stay."""
        return self.add_result_bytes(session_id, report_bytes(report), procedure, reason, scenario)

    def add_result_bytes(
        self,
        session_id: int,
        raw: bytes,
        procedure: Procedure,
        reason: str = "session",
        scenario: LoadedScenario | None = None,
    ) -> int:
        """``add_result`` from a report's canonical bytes (as a re-scoring worker returns it).

        ``scenario``: the scenario it was scored with, when not the one recorded (a corrected
        rule); its bytes are kept so the result can be verified later.
        """
        report = json.loads(raw)
        proc_source = procedure_source(procedure)
        proc_sha = hashlib.sha256(proc_source).hexdigest()
        with self._errors(), self._tx() as c:
            c.execute(
                "INSERT OR IGNORE INTO procedure_sources VALUES (?, ?, ?)",
                (proc_sha, procedure.edition, proc_source),
            )
            if scenario is not None:
                c.execute(
                    "INSERT OR IGNORE INTO scenario_sources VALUES (?, ?, ?, ?)",
                    (
                        scenario.sha256,
                        scenario.id,
                        Path(scenario.path).name,
                        scenario.source or Path(scenario.path).read_bytes(),
                    ),
                )
            scored_with = (
                scenario.sha256
                if scenario is not None
                else c.execute(
                    "SELECT scenario_sha256 FROM sessions WHERE id = ?", (session_id,)
                ).fetchone()[0]
            )
            c.execute("UPDATE results SET current = 0 WHERE session_id = ?", (session_id,))
            header = c.execute(
                "SELECT header_hash FROM sessions WHERE id = ?", (session_id,)
            ).fetchone()[0]
            n_actions = c.execute(
                "SELECT COUNT(*) FROM actions WHERE session_id = ?", (session_id,)
            ).fetchone()[0]
            head = self._chain_head(session_id)
            signature = signer = None
            if self.key is not None:
                payload = signature_payload(header or "", head, n_actions, raw, proc_sha)
                signature, signer = sign(self.key, payload), key_id(self.key)
            cur = c.execute(
                "INSERT INTO results (session_id, procedure, procedure_sha256, score, passed,"
                " critical_failures, hints_used, report_json, created_at, reason, current,"
                " chain_head, n_actions, signature, key_id, scenario_sha256)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?, ?, ?, ?, ?)",
                (
                    session_id,
                    report["procedure"],
                    proc_sha,
                    report["score"],
                    int(report["passed"]),
                    json.dumps(report["critical_failures"], ensure_ascii=False),
                    report.get("hints", {}).get("used", 0),
                    raw,
                    now_iso(),
                    reason,
                    head,
                    n_actions,
                    signature,
                    signer,
                    scored_with,
                ),
            )
            result_id = int(cur.lastrowid or 0)
            c.executemany(
                "INSERT INTO findings VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                [
                    (
                        result_id,
                        i,
                        f["rule"],
                        f["clause"],
                        f["verdict"],
                        int(f["critical"]),
                        f["points_lost"],
                        f["at"],
                    )
                    for i, f in enumerate(report["findings"])
                ],
            )
        return result_id

    def _end(self, session_id: int, status: str, sim_end: float | None) -> None:
        with self._errors(), self._tx() as c:
            c.execute(
                "UPDATE sessions SET status = ?, ended_at = ?, sim_end = ? WHERE id = ?",
                (status, now_iso(), sim_end, session_id),
            )

    def delete_session(self, session_id: int) -> None:
        """Remove a session and everything recorded for it (an instructor's decision)."""
        with self._errors(), self._tx() as c:
            ids = [
                r[0]
                for r in c.execute("SELECT id FROM results WHERE session_id = ?", (session_id,))
            ]
            c.executemany("DELETE FROM findings WHERE result_id = ?", [(i,) for i in ids])
            for table in ("results", "actions", "events"):
                c.execute(f"DELETE FROM {table} WHERE session_id = ?", (session_id,))
            c.execute("DELETE FROM sessions WHERE id = ?", (session_id,))

    # -- reading

    def session(self, ref: int | str) -> SessionRow:
        """A session by number or uuid; an unknown one is a clear error."""
        with self._errors():
            if isinstance(ref, int) or str(ref).isdigit():
                rows = list(self.db.query("SELECT * FROM sessions WHERE id = ?", [int(ref)]))
            else:
                rows = list(self.db.query("SELECT * FROM sessions WHERE uuid = ?", [str(ref)]))
        if not rows:
            raise RecordsError(tr("records.no_session", file=str(self.path), session=str(ref)))
        return SessionRow.of(rows[0])

    def sessions(
        self,
        *,
        trainee: str | None = None,
        since: str | None = None,
        status: str | None = None,
    ) -> list[SessionRow]:
        where, params = [], []
        if trainee is not None:
            where.append("trainee_id = ?")
            params.append(trainee)
        if since is not None:
            where.append("started_at >= ?")
            params.append(since)
        if status is not None:
            where.append("status = ?")
            params.append(status)
        sql = "SELECT * FROM sessions"
        if where:
            sql += " WHERE " + " AND ".join(where)
        sql += " ORDER BY id"
        with self._errors():
            return [SessionRow.of(r) for r in self.db.query(sql, params)]

    def session_ids(self) -> list[int]:
        with self._errors():
            return [r[0] for r in self.conn.execute("SELECT id FROM sessions ORDER BY id")]

    def actions(self, session_id: int) -> list[TimedAction]:
        with self._errors():
            rows = self.conn.execute(
                "SELECT t, action, args FROM actions WHERE session_id = ? ORDER BY seq",
                (session_id,),
            ).fetchall()
        return [
            TimedAction(t=r[0], action=r[1], args=json.loads(r[2]) if r[2] else {}) for r in rows
        ]

    def events(self, session_id: int) -> list[TraceEntry]:
        with self._errors():
            rows = self.conn.execute(
                "SELECT t, kind, name, args, valid, reason, tags FROM events"
                " WHERE session_id = ? ORDER BY seq",
                (session_id,),
            ).fetchall()
        return [
            TraceEntry(
                t=r[0],
                kind=r[1],
                name=r[2],
                args=tuple(json.loads(r[3]).items()) if r[3] else (),
                valid=bool(r[4]),
                reason=r[5],
                tags=tuple(json.loads(r[6])) if r[6] else (),
            )
            for r in rows
        ]

    def result_scenario(self, result_id: int) -> str | None:
        """The scenario a result was scored with, when it is not the recorded one (a corrected
        rule); None for the recorded one."""
        with self._errors():
            found = self.conn.execute(
                "SELECT r.scenario_sha256, s.scenario_sha256 FROM results r"
                " JOIN sessions s ON s.id = r.session_id WHERE r.id = ?",
                (result_id,),
            ).fetchone()
        if found is None or not found[0] or found[0] == found[1]:
            return None
        return str(found[0])

    def extent(self, session_id: int) -> tuple[float, int] | None:
        """Where a session's record stops: the sim time of its last entry and how many entries
        it holds (None: nothing recorded)."""
        with self._errors():
            found = self.conn.execute(
                "SELECT t, (SELECT COUNT(*) FROM events WHERE session_id = ?) FROM events"
                " WHERE session_id = ? ORDER BY seq DESC LIMIT 1",
                (session_id, session_id),
            ).fetchone()
        return None if found is None else (float(found[0]), int(found[1]))

    def results(self, session_id: int) -> list[ResultRow]:
        with self._errors():
            rows = self.db.query(
                "SELECT * FROM results WHERE session_id = ? ORDER BY id", [session_id]
            )
            return [ResultRow.of(r) for r in rows]

    def current_result(self, session_id: int) -> ResultRow | None:
        with self._errors():
            rows = list(
                self.db.query(
                    "SELECT * FROM results WHERE session_id = ? AND current = 1", [session_id]
                )
            )
        return ResultRow.of(rows[0]) if rows else None

    def scenario(
        self, row: SessionRow, clauses: set[str] | None = None, sha256: str | None = None
    ) -> LoadedScenario:
        """The scenario exactly as it was when the session was recorded (or, given ``sha256``,
        the corrected one a result was scored with)."""
        with self._errors():
            found = self.conn.execute(
                "SELECT file, source FROM scenario_sources WHERE sha256 = ?",
                (sha256 or row.scenario_sha256,),
            ).fetchone()
        if found is None:
            raise RecordsError(tr("records.no_source", file=str(self.path), session=str(row.id)))
        name = f"{self.path.name}#session-{row.id}/{found[0]}"
        return load_scenario_bytes(bytes(found[1]), name, clauses)

    def procedure(self, sha256: str) -> Procedure:
        """A procedure edition exactly as a result was scored under it."""
        with self._errors():
            found = self.conn.execute(
                "SELECT source FROM procedure_sources WHERE sha256 = ?", (sha256,)
            ).fetchone()
        if found is None:
            raise RecordsError(tr("records.no_source", file=str(self.path), session=sha256))
        return procedure_from_source(bytes(found[0]))


@dataclass
class Recording:
    """Writes one session as it happens. ``sync(engine)`` after each action commits the action
    and the trace entries derived since the last call; ``finish`` stores the result."""

    records: Records
    session_id: int
    uuid: str
    _actions: int = 0
    _events: int = 0
    chain: str = ""
    rescued: Path | None = field(default=None)

    def sync(self, actions: Sequence[TimedAction], trace: Sequence[TraceEntry]) -> None:
        """Commit what is new in ``actions`` and ``trace`` (the engine's lists, whole).

        If the database refuses (locked too long, gone read-only, full), the whole input so far
        is written to a rescue trace file and the error names it: nothing the trainee did is
        lost, and ``score`` can still score it.
        """
        new_a = actions[self._actions :]
        new_e = trace[self._events :]
        if not new_a and not new_e:
            return
        try:
            head = self.records._write(
                self.session_id, self._actions, new_a, self._events, new_e, self.chain
            )
        except RecordsError as err:
            raise self._rescue(actions, err) from None
        self.chain = head
        self._actions += len(new_a)
        self._events += len(new_e)

    def _rescue(self, actions: Sequence[TimedAction], err: RecordsError) -> RecordsError:
        body = "".join(a.to_json() + "\n" for a in actions)
        places = (
            self.records.path.parent / "rescue",
            Path(platformdirs.user_data_dir(APP, appauthor=False)) / "rescue",
            Path(tempfile.gettempdir()) / APP / "rescue",
        )
        for folder in places:
            try:
                folder.mkdir(parents=True, exist_ok=True)
                path = folder / f"session-{self.uuid}.jsonl"
                path.write_text(body, encoding="utf-8")
            except OSError:
                continue
            self.rescued = path
            return RecordsError(f"{err} {tr('records.rescued', file=str(path))}")
        return err

    def finish(
        self,
        actions: Sequence[TimedAction],
        trace: Sequence[TraceEntry],
        report: Report,
        procedure: Procedure,
    ) -> int:
        self.sync(actions, trace)
        result_id = self.records.add_result(self.session_id, report, procedure)
        self.records._end(self.session_id, "complete", trace[-1].t if trace else 0.0)
        return result_id

    def abandon(self, actions: Sequence[TimedAction], trace: Sequence[TraceEntry]) -> None:
        """The trainee left before the end: keep what was done, mark it incomplete."""
        self.sync(actions, trace)
        self.records._end(self.session_id, "incomplete", trace[-1].t if trace else None)

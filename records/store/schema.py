"""The records database's schema: numbered migrations, each applied once, in order, in its own
transaction; ``schema_migrations`` says which have been. A file written by a newer program (a
migration this one does not know) is refused rather than misread.

Never edit a migration that has shipped: add the next one.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable

from sqlite_utils import Database

from records.common import now_iso
from records.store.dialect import PgConnection, PgDatabase

# the migrations are written once, against sqlite-utils' table API; on PostgreSQL the same calls
# are given as its DDL (``records.store.dialect``): one list, the same numbers and meaning
Schema = Database | PgDatabase
Conn = sqlite3.Connection | PgConnection

__all__ = ["MIGRATIONS", "migrate", "is_foreign", "pending"]


def _m1_initial(db: Schema) -> None:
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


def _m2_integrity(db: Schema) -> None:
    """Exam integrity: a hash chain over each session's actions, signed results."""
    db.table("sessions").add_column("header_hash", str)
    db.table("actions").add_column("chain", str)
    db.table("results").add_column("chain_head", str)
    db.table("results").add_column("n_actions", int)
    db.table("results").add_column("signature", str)
    db.table("results").add_column("key_id", str)
    # the scenario a result was scored with (a corrected rule may differ from the recorded one)
    db.table("results").add_column("scenario_sha256", str)


def _m3_drills(db: Schema) -> None:
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


def _m4_staff(db: Schema) -> None:
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


def _m5_time_limit(db: Schema) -> None:
    """A drill's own time limit for a scenario, kept with the session (NULL: the scenario's)."""
    db.table("sessions").add_column("time_limit", float)


def _m6_evidence(db: Schema) -> None:
    """The whole record is evidence (``records.integrity``): each session's seal (its header
    and chain keyed with the centre's key), the agent that took an attempt, and the audit log
    (its first entry, what was there before it, is written by ``migrate``)."""
    db.table("sessions").add_column("seal", str)
    db.table("drill_attempts").add_column("agent", str)
    db.table("audit").create(
        {
            "seq": int,
            "at": str,
            "kind": str,
            "subject": str,
            "body": str,
            "key_id": str,
            "mac": str,
        },
        pk="seq",
        not_null={"at", "kind", "subject", "body", "mac"},
    )
    db.table("audit").create_index(["kind", "subject"])
    db.table("results").create_index(["session_id", "id"])


def _m7_register(db: Schema) -> None:
    """The trainee register: each trainee's unit, team, job and hire date (the id is the staff
    id sessions and attempts already link to), and the learning paths assigned to a unit or a
    trainee. A roster edit decides no outcome; the audit log still records who made it."""
    for column in ("unit", "team", "job", "hire_date", "updated_at", "updated_by"):
        db.table("trainees").add_column(column, str)
    db.table("trainees").add_column("active", int)
    db.table("trainees").create_index(["unit"])
    db.table("path_assignments").create(
        {"scope": str, "subject": str, "path_id": str, "assigned_at": str, "assigned_by": str},
        pk=("scope", "subject"),
        not_null={"path_id", "assigned_at"},
    )


def _m8_branches(db: Schema) -> None:
    """A practice session played again from a moment of another: the original's uuid and the
    sim time it branched at (both in the signed header; NULL for every other session)."""
    db.table("sessions").add_column("branch_of", str)
    db.table("sessions").add_column("branch_at", float)
    db.table("sessions").create_index(["branch_of"])


def _m9_room(db: Schema) -> None:
    """The training room: incidents an instructor asked to inject into a desk's session, until
    the desk takes them (the injection itself is recorded in the session's input, chained like
    an action: this table only carries the request there and says what became of it)."""
    db.table("injections").create(
        {
            "id": int,
            "session_uuid": str,
            "event": str,
            "requested_by": str,
            "requested_at": str,
            "status": str,  # pending | taken | refused
            "sim_t": float,  # when the desk took it, in the session's sim time
            "reason": str,  # why the desk refused it
            "settled_at": str,
        },
        pk="id",
        not_null={"session_uuid", "event", "requested_at", "status"},
    )
    db.table("injections").create_index(["session_uuid", "status"])


MIGRATIONS: tuple[Callable[[Schema], None], ...] = (
    _m1_initial,
    _m2_integrity,
    _m3_drills,
    _m4_staff,
    _m5_time_limit,
    _m6_evidence,
    _m7_register,
    _m8_branches,
    _m9_room,
)


def _genesis(conn: Conn, key: bytes | None) -> None:
    """The audit log's first entry: how much was recorded before there was a log."""
    from records.store.audit import append

    def top(table: str) -> int:
        return int(conn.execute(f"SELECT COALESCE(MAX(id), 0) FROM {table}").fetchone()[0])

    append(
        conn,
        key,
        "genesis",
        "records",
        {"sessions": top("sessions"), "results": top("results"), "attempts": top("drill_attempts")},
    )


def table_names(conn: Conn) -> set[str]:
    """The tables the database holds (on a server: in the schema the connection uses)."""
    if isinstance(conn, PgConnection):
        return set(PgDatabase(conn).table_names())
    return {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}


def is_foreign(conn: Conn) -> bool:
    """A database that holds tables but is not a records database (never written to)."""
    names = table_names(conn)
    return bool(names) and "schema_migrations" not in names


def pending(conn: Conn) -> bool:
    """Whether the file needs a migration this program knows (read without writing)."""
    if "schema_migrations" not in table_names(conn):
        return True
    done = {r[0] for r in conn.execute("SELECT version FROM schema_migrations")}
    return any(n not in done for n in range(1, len(MIGRATIONS) + 1))


def migrate(
    conn: Conn, db: Schema, key: bytes | None = None, begin: Callable[[], None] | None = None
) -> None:
    """Apply the migrations this database has not had yet, each in its own transaction
    (``begin``: how the store starts a writing one; several desks may open a new server
    database at once, so which ones are done is read again inside it)."""

    def start() -> None:
        if begin is None:
            conn.execute("BEGIN IMMEDIATE")
        else:
            begin()

    def applied() -> set[int]:
        done = {int(r[0]) for r in conn.execute("SELECT version FROM schema_migrations")}
        if done and max(done) > len(MIGRATIONS):
            raise sqlite3.DatabaseError("records file is newer than this program")
        return done

    if "schema_migrations" not in table_names(conn):
        start()
        try:
            conn.execute(
                "CREATE TABLE IF NOT EXISTS schema_migrations "
                "(version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL)"
            )
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise
    done = applied()
    if all(n in done for n in range(1, len(MIGRATIONS) + 1)):
        return
    for number, migration in enumerate(MIGRATIONS, start=1):
        start()
        try:
            if number not in applied():
                migration(db)
                if migration is _m6_evidence:
                    _genesis(conn, key)
                conn.execute("INSERT INTO schema_migrations VALUES (?, ?)", (number, now_iso()))
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise

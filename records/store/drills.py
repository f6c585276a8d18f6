"""Certification drill attempts: one row per attempt, opened when it starts and closed with its
signed verdict; the attempt's sessions carry its uuid in ``sessions.drill``."""

from __future__ import annotations

import hashlib

from records.common import now_iso
from records.rows import AttemptRow, SessionRow
from records.store.audit import append
from records.store.base import StoreBase

__all__ = ["DrillsStore"]


class DrillsStore(StoreBase):
    """Drill attempts and the sessions taken in them."""

    def attempt_count(self, drill_id: str, trainee: str) -> int:
        """How many attempts at a drill a trainee has started."""
        with self._errors():
            found = self.conn.execute(
                "SELECT COUNT(*) FROM drill_attempts WHERE drill_id = ? AND trainee_id = ?",
                (drill_id, trainee),
            ).fetchone()
        return int(found[0])

    def add_attempt(
        self,
        *,
        uuid: str,
        drill_id: str,
        drill_sha256: str,
        drill_source: bytes,
        trainee: str,
        number: int,
        agent: str | None = None,
    ) -> int:
        """Open an attempt (status ``running``); returns its number in the records.
        ``agent``: the scripted trainee taking it (a check of the drill, never certified)."""
        with self._errors(), self._tx() as c:
            cur = c.execute(
                "INSERT INTO drill_attempts (uuid, drill_id, drill_sha256, drill_source,"
                " trainee_id, attempt, started_at, status, agent)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, 'running', ?) RETURNING id",
                (uuid, drill_id, drill_sha256, drill_source, trainee, number, now_iso(), agent),
            )
            attempt_id = int(cur.fetchone()[0])
            append(c, self.key, "attempt", uuid, {
                "id": attempt_id, "drill": drill_id, "drill_sha256": drill_sha256,
                "trainee": trainee, "number": number, "agent": agent,
            })  # fmt: skip
            return attempt_id

    def end_attempt(
        self,
        attempt_id: int,
        *,
        average: float,
        passed: bool,
        summary_json: bytes,
        signature: str | None,
        key_id: str | None,
        code: str | None,
    ) -> None:
        """Close an attempt with its verdict, signature and certificate code."""
        ended = now_iso()
        with self._errors(), self._tx() as c:
            c.execute(
                "UPDATE drill_attempts SET ended_at = ?, status = 'complete', average = ?,"
                " passed = ?, summary_json = ?, signature = ?, key_id = ?, code = ? WHERE id = ?",
                (ended, average, int(passed), summary_json, signature, key_id, code,
                 attempt_id),
            )  # fmt: skip
            uuid = c.execute(
                "SELECT uuid FROM drill_attempts WHERE id = ?", (attempt_id,)
            ).fetchone()[0]
            append(c, self.key, "attempt_end", uuid, {
                "id": attempt_id, "ended_at": ended, "average": average, "passed": bool(passed),
                "summary": hashlib.sha256(summary_json).hexdigest(), "signature": signature,
                "code": code,
            })  # fmt: skip

    def attempt(self, attempt_id: int) -> AttemptRow | None:
        return self._one_attempt("id = ?", attempt_id)

    def attempt_by_uuid(self, attempt_uuid: str) -> AttemptRow | None:
        return self._one_attempt("uuid = ?", attempt_uuid)

    def attempt_by_code(self, code: str) -> AttemptRow | None:
        """The attempt a certificate code was issued for (the code as printed, normalised)."""
        return self._one_attempt("code = ?", code)

    def attempt_ids(self) -> list[int]:
        """Every attempt's number in the records, oldest first."""
        with self._errors():
            return [r[0] for r in self.conn.execute("SELECT id FROM drill_attempts ORDER BY id")]

    def attempts_with_code(self, code: str) -> int:
        """How many attempts carry this certificate code (a code names one attempt)."""
        with self._errors():
            found = self.conn.execute(
                "SELECT COUNT(*) FROM drill_attempts WHERE code = ?", (code,)
            ).fetchone()
        return int(found[0])

    def _one_attempt(self, where: str, value: object) -> AttemptRow | None:
        with self._errors():
            rows = list(self.db.query(f"SELECT * FROM drill_attempts WHERE {where}", [value]))
        return AttemptRow.of(rows[0]) if rows else None

    def attempts(self, drill_id: str, *, since: str | None = None) -> list[AttemptRow]:
        """Every attempt at a drill (started ``since`` a date), oldest first."""
        sql, params = "SELECT * FROM drill_attempts WHERE drill_id = ?", [drill_id]
        if since:
            sql += " AND started_at >= ?"
            params.append(since)
        with self._errors():
            return [
                AttemptRow.of(r) for r in self.db.query(sql + " ORDER BY started_at, id", params)
            ]

    def certified_attempts(self, drill_id: str | None = None) -> list[AttemptRow]:
        """Every complete, passed attempt that carries a certificate code and that no scripted
        trainee played any part of (at one drill), oldest first. Whether each is what was
        signed is for the caller to check (``records.drills.attempt_sealed``)."""
        sql = (
            "SELECT * FROM drill_attempts a WHERE a.status = 'complete' AND a.passed = 1"
            " AND a.code IS NOT NULL AND a.agent IS NULL AND NOT EXISTS"
            " (SELECT 1 FROM sessions s WHERE s.drill = a.uuid AND s.agent IS NOT NULL)"
        )
        params: list[str] = []
        if drill_id is not None:
            sql += " AND a.drill_id = ?"
            params.append(drill_id)
        with self._errors():
            rows = self.db.query(sql + " ORDER BY a.ended_at, a.id", params)
            return [AttemptRow.of(r) for r in rows]

    def trainee_attempts(self, trainee: str) -> list[AttemptRow]:
        """Every attempt a trainee has made at any drill, in the order they were made."""
        with self._errors():
            rows = self.db.query(
                "SELECT * FROM drill_attempts WHERE trainee_id = ? ORDER BY id", [trainee]
            )
            return [AttemptRow.of(r) for r in rows]

    def attempt_sessions(self, attempt_uuid: str) -> list[SessionRow]:
        """The sessions taken in an attempt, in the order they were taken."""
        with self._errors():
            rows = self.db.query(
                "SELECT * FROM sessions WHERE drill = ? ORDER BY id", [attempt_uuid]
            )
            return [SessionRow.of(r) for r in rows]

    def variants_had(self, drill_id: str, trainee: str, scenario_id: str) -> set[str]:
        """The variants of a scenario a trainee has had in their attempts at a drill."""
        with self._errors():
            rows = self.conn.execute(
                "SELECT s.variant FROM sessions s JOIN drill_attempts a ON a.uuid = s.drill"
                " WHERE a.drill_id = ? AND a.trainee_id = ? AND s.scenario_id = ?",
                (drill_id, trainee, scenario_id),
            ).fetchall()
        return {r[0] for r in rows}

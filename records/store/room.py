"""The training room: which desks are recording into this store now, what each did last, and
the incidents an instructor asked to inject into them (``records.room`` is the console's view of
it; the desk takes a request at its next frame and records the injection in its own input)."""

from __future__ import annotations

from typing import NamedTuple

from records.common import now_iso
from records.rows import SessionRow
from records.store.base import StoreBase

__all__ = ["RoomStore", "Injection"]


class Injection(NamedTuple):
    """A request: its number, the session it is for, the incident's id, its status."""

    id: int
    session_uuid: str
    event: str
    status: str


class RoomStore(StoreBase):
    """Live sessions and injection requests."""

    def live_sessions(self, since: str | None = None) -> list[SessionRow]:
        """Sessions being recorded now (``running``), and those that ended after ``since``
        (an ISO time), oldest first."""
        sql = "SELECT * FROM sessions WHERE status = 'running'"
        params: list[str] = []
        if since is not None:
            sql += " OR (ended_at IS NOT NULL AND ended_at >= ?)"
            params.append(since)
        with self._errors():
            rows = self.conn.execute(sql + " ORDER BY id", params)
            names = [d[0] for d in rows.description]
            return [SessionRow.of(dict(zip(names, r, strict=True))) for r in rows.fetchall()]

    def sim_now(self, session_id: int) -> float:
        """The session's sim time as recorded so far (its last entry's)."""
        with self._errors():
            row = self.conn.execute(
                "SELECT MAX(t) FROM events WHERE session_id = ?", (session_id,)
            ).fetchone()
        return float(row[0]) if row and row[0] is not None else 0.0

    def request_injection(self, session_uuid: str, event: str, by: str | None) -> int:
        """Ask the desk recording ``session_uuid`` to inject ``event``; the request's number."""
        with self._errors(), self._tx() as conn:
            row = conn.execute(
                "INSERT INTO injections (session_uuid, event, requested_by, requested_at, status)"
                " VALUES (?, ?, ?, ?, 'pending') RETURNING id",
                (session_uuid, event, by, now_iso()),
            ).fetchone()
            return int(row[0])

    def pending_injections(self, session_uuid: str) -> list[Injection]:
        """What the instructor asked of this session's desk and it has not taken yet."""
        with self._errors():
            rows = self.conn.execute(
                "SELECT id, session_uuid, event, status FROM injections"
                " WHERE session_uuid = ? AND status = 'pending' ORDER BY id",
                (session_uuid,),
            ).fetchall()
        return [Injection(int(r[0]), str(r[1]), str(r[2]), str(r[3])) for r in rows]

    def settle_injection(
        self, request: int, status: str, sim_t: float | None = None, reason: str | None = None
    ) -> None:
        """The desk took the request (``taken`` at sim time ``sim_t``) or refused it."""
        with self._errors(), self._tx() as conn:
            conn.execute(
                "UPDATE injections SET status = ?, sim_t = ?, reason = ?, settled_at = ?"
                " WHERE id = ? AND status = 'pending'",
                (status, sim_t, reason, now_iso(), request),
            )

    def injections(self, session_uuid: str | None = None) -> list[dict[str, object]]:
        """Every request (for one session, or all), oldest first: what became of each."""
        sql = (
            "SELECT id, session_uuid, event, requested_by, requested_at, status, sim_t, reason,"
            " settled_at FROM injections"
        )
        params: tuple[str, ...] = ()
        if session_uuid is not None:
            sql += " WHERE session_uuid = ?"
            params = (session_uuid,)
        with self._errors():
            cur = self.conn.execute(sql + " ORDER BY id", params)
            names = [d[0] for d in cur.description]
            return [dict(zip(names, r, strict=True)) for r in cur.fetchall()]

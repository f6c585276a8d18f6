"""Sessions and their trace: opening a session record, appending its actions (each extending
the hash chain) and the events derived from them, ending and deleting it, and reading it back
with the scenario and procedure exactly as they were recorded.

A session keeps what it needs to be replayed exactly, whatever happens to the files later: the
scenario file's bytes (by content hash) and the procedure edition it was scored under.
"""

from __future__ import annotations

import hashlib
import json
import os
import socket
import uuid as uuidlib
from collections import defaultdict
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any, Literal

from records.common import RecordsError, now_iso
from records.integrity import HEADER_FIELDS, header_hash, key_id, link, seal_for, sealed_key_id
from records.rows import ChainedAction, ScenarioSource, SessionHeader, SessionRow, blob
from records.store.audit import append
from records.store.base import StoreBase
from records.words import tr
from scoring.procedure import Procedure, procedure_from_source, procedure_source
from sim.scenario import LoadedScenario, load_scenario_bytes
from sim.trace import TimedAction, TraceEntry

__all__ = ["SessionsStore", "trace_entry"]


class SessionsStore(StoreBase):
    """Sessions, their actions (with the chain) and their events."""

    # -- recording

    def _open(
        self,
        loaded: LoadedScenario,
        procedure: Procedure,
        *,
        seed: int,
        variant: str,
        trainee: str,
        mode: str,
        agent: str | None,
        lang: str,
        drill: str | None,
        session_uuid: str | None,
        time_limit: float | None,
        branch_of: str | None = None,
        branch_at: float | None = None,
        started_at: str | None = None,
    ) -> tuple[int, str, str]:
        """Open a new session record (status ``running``): its number, uuid and header hash
        (where its chain starts). :meth:`records.store.Records.start` hands out its recorder.
        ``started_at``: when the session began, if that was before its record could open."""
        source = loaded.source or Path(loaded.path).read_bytes()
        proc_source = procedure_source(procedure)
        proc_sha = hashlib.sha256(proc_source).hexdigest()
        sid_uuid = session_uuid or str(uuidlib.uuid4())
        with self._errors(), self._tx() as c:
            c.execute(
                "INSERT INTO trainees (id, name, role, created_at) VALUES (?, ?, ?, ?)"
                " ON CONFLICT DO NOTHING",
                (trainee, trainee, "trainee", now_iso()),
            )
            c.execute(
                "INSERT INTO scenario_sources VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING",
                (loaded.sha256, loaded.id, Path(loaded.path).name, source),
            )
            c.execute(
                "INSERT INTO procedure_sources VALUES (?, ?, ?) ON CONFLICT DO NOTHING",
                (proc_sha, procedure.edition, proc_source),
            )
            cur = c.execute(
                "INSERT INTO sessions (uuid, trainee_id, scenario_id, scenario_sha256, procedure,"
                " procedure_sha256, seed, variant, mode, agent, lang, drill, started_at, status,"
                " pid, host, time_limit, seal, branch_of, branch_at)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'running', ?, ?, ?, ?, ?, ?)"
                " RETURNING id",
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
                    started_at or now_iso(),
                    os.getpid(),
                    socket.gethostname(),
                    float(time_limit) if time_limit else None,
                    seal_for(self.key),
                    branch_of,
                    branch_at,
                ),
            )
            session_id = int(cur.fetchone()[0])
            head = header_hash(self._header_fields(session_id), self.key)
            c.execute("UPDATE sessions SET header_hash = ? WHERE id = ?", (head, session_id))
            append(c, self.key, "session", sid_uuid, {
                "id": session_id, "header": head, "seal": seal_for(self.key), "mode": mode,
                "agent": agent, "trainee": trainee, "drill": drill,
                **({"branch_of": branch_of, "branch_at": branch_at} if branch_of else {}),
            })  # fmt: skip
        return session_id, sid_uuid, head

    def _carry_on(self, session_id: int) -> tuple[str, int, int, str]:
        """Mark an incomplete session running again (resume): its uuid, how many actions and
        events it holds, and the head of its chain, where new actions follow the old."""
        row = self.session(session_id)
        sealed = sealed_key_id(self.seal(session_id))
        if sealed is not None and (self.key is None or key_id(self.key) != sealed):
            raise RecordsError(tr("records.resume_needs_key", file=self.where,
                                  session=str(session_id), key=sealed))  # fmt: skip
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
        return row.uuid, int(n_actions), int(n_events), chain

    def _held(self, session_id: int) -> tuple[int, int, str]:
        """How many actions and events a session's record holds, and the head of its chain."""
        with self._errors():
            n_actions, n_events = self.conn.execute(
                "SELECT (SELECT COUNT(*) FROM actions WHERE session_id = ?),"
                " (SELECT COUNT(*) FROM events WHERE session_id = ?)",
                (session_id, session_id),
            ).fetchone()
            return int(n_actions), int(n_events), self._chain_head(session_id)

    def seal(self, session_id: int) -> str | None:
        """A session's seal (``records.integrity``): None for one recorded before seals."""
        with self._errors():
            found = self.conn.execute(
                "SELECT seal FROM sessions WHERE id = ?", (session_id,)
            ).fetchone()
        return None if found is None or found[0] is None else str(found[0])

    def chain_key(self, session_id: int) -> bytes | None:
        """The key a session's chain is extended with (None: a plain chain)."""
        return self.key if sealed_key_id(self.seal(session_id)) else None

    def _header_fields(self, session_id: int) -> dict[str, Any]:
        """The signed header of a session as its row holds it now (``HEADER_FIELDS``)."""
        row = self.conn.execute(
            f"SELECT {', '.join(HEADER_FIELDS)} FROM sessions WHERE id = ?", (session_id,)
        ).fetchone()
        return dict(zip(HEADER_FIELDS, row, strict=True))

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
        key: bytes | None = None,
    ) -> str:
        """Commit actions and events together; returns the new head of the action chain
        (``key``: the key a sealed session's chain is extended with)."""
        rows = []
        for i, a in enumerate(actions):
            chain = link(chain, first_action + i, a, key)
            args = json.dumps(a.args, ensure_ascii=False, sort_keys=True) if a.args else None
            rows.append((session_id, first_action + i, a.t, a.action, args, chain))
        with self._errors(), self._tx(session=session_id) as c:
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

    def _end(self, session_id: int, status: str, sim_end: float | None) -> None:
        with self._errors(), self._tx(session=session_id) as c:
            c.execute(
                "UPDATE sessions SET status = ?, ended_at = ?, sim_end = ? WHERE id = ?",
                (status, now_iso(), sim_end, session_id),
            )

    def delete_session(self, session_id: int, by: str | None = None) -> None:
        """Remove a session and everything recorded for it (an instructor's decision, ``by``
        whom: the audit log keeps that it was deleted, by whom, and what it was)."""
        row = self.session(session_id)
        with self._errors(), self._tx() as c:
            append(c, self.key, "delete", row.uuid, {
                "id": row.id, "by": by, "trainee": row.trainee_id, "scenario": row.scenario_id,
                "mode": row.mode, "drill": row.drill,
            })  # fmt: skip
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
            raise RecordsError(tr("records.no_session", file=self.where, session=str(ref)))
        return SessionRow.of(rows[0])

    def branches(self, uuid: str) -> list[SessionRow]:
        """The practice branches taken from the session ``uuid``, oldest first."""
        with self._errors():
            rows = self.db.query("SELECT * FROM sessions WHERE branch_of = ? ORDER BY id", [uuid])
            return [SessionRow.of(r) for r in rows]

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
        return [trace_entry(*r) for r in rows]

    def events_named(
        self, session_ids: Sequence[int], names: Iterable[str]
    ) -> dict[int, list[TraceEntry]]:
        """Each session's events with one of these names, in order (sessions with none are
        left out)."""
        wanted = sorted(set(names))
        marks = ",".join("?" * len(wanted))
        out: dict[int, list[TraceEntry]] = defaultdict(list)
        ids = list(session_ids)
        with self._errors():
            for k in range(0, len(ids), 500):  # SQLite caps the parameters of one statement
                chunk = ids[k : k + 500]
                rows = self.conn.execute(
                    "SELECT session_id, t, kind, name, args, valid, reason, tags FROM events"
                    f" WHERE session_id IN ({','.join('?' * len(chunk))}) AND name IN ({marks})"
                    " ORDER BY session_id, seq",
                    (*chunk, *wanted),
                ).fetchall()
                for r in rows:
                    out[r[0]].append(trace_entry(*r[1:]))
        return dict(out)

    def session_header(self, session_id: int) -> SessionHeader:
        """The header hash stored when the session was recorded, and the header's fields as
        the row holds them now (what ``verify`` hashes again)."""
        with self._errors():
            stored = self.conn.execute(
                "SELECT header_hash FROM sessions WHERE id = ?", (session_id,)
            ).fetchone()
            if stored is None:
                raise RecordsError(
                    tr("records.no_session", file=self.where, session=str(session_id))
                )
            return SessionHeader(stored[0], self._header_fields(session_id))

    def chained_actions(self, session_id: int) -> list[ChainedAction]:
        """A session's actions as stored, each with its number and its link of the chain."""
        with self._errors():
            rows = self.conn.execute(
                "SELECT seq, t, action, args, chain FROM actions WHERE session_id = ? ORDER BY seq",
                (session_id,),
            ).fetchall()
        return [
            ChainedAction(seq, TimedAction(t=t, action=name, args=json.loads(args) if args else {}),
                          chain)
            for seq, t, name, args, chain in rows
        ]  # fmt: skip

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

    def scenario(
        self, row: SessionRow, clauses: set[str] | None = None, sha256: str | None = None
    ) -> LoadedScenario:
        """The scenario exactly as it was when the session was recorded (or, given ``sha256``,
        the corrected one a result was scored with)."""
        found = self.scenario_source(sha256 or row.scenario_sha256)
        if found is None:
            raise RecordsError(tr("records.no_source", file=self.where, session=str(row.id)))
        name = f"{self.name}#session-{row.id}/{found.file}"
        return load_scenario_bytes(found.source, name, clauses)

    def scenario_source(self, sha256: str) -> ScenarioSource | None:
        """A scenario file's bytes as recorded, by content hash (None: no session has it)."""
        with self._errors():
            found = self.conn.execute(
                "SELECT file, source FROM scenario_sources WHERE sha256 = ?", (sha256,)
            ).fetchone()
        return None if found is None else ScenarioSource(str(found[0]), blob(found[1]))

    def latest_scenario_sha256(self, scenario_id: str) -> str | None:
        """The scenario bytes (by content hash) the newest session of this scenario recorded."""
        with self._errors():
            found = self.conn.execute(
                "SELECT scenario_sha256 FROM sessions WHERE scenario_id = ?"
                " ORDER BY id DESC LIMIT 1",
                (scenario_id,),
            ).fetchone()
        return None if found is None else found[0]

    def procedure_bytes(self, sha256: str) -> bytes | None:
        """A procedure edition's bytes as recorded, by content hash (None: not recorded)."""
        with self._errors():
            found = self.conn.execute(
                "SELECT source FROM procedure_sources WHERE sha256 = ?", (sha256,)
            ).fetchone()
        return None if found is None else blob(found[0])

    def procedure(self, sha256: str) -> Procedure:
        """A procedure edition exactly as a result was scored under it."""
        with self._errors():
            found = self.conn.execute(
                "SELECT source FROM procedure_sources WHERE sha256 = ?", (sha256,)
            ).fetchone()
        if found is None:
            raise RecordsError(tr("records.no_source", file=self.where, session=sha256))
        return procedure_from_source(blob(found[0]))


def trace_entry(
    t: float,
    kind: Literal["event", "action"],
    name: str,
    args: str | None,
    valid: int,
    reason: str | None,
    tags: str | None,
) -> TraceEntry:
    """A trace entry from its stored columns."""
    return TraceEntry(
        t=t,
        kind=kind,
        name=name,
        args=tuple(json.loads(args).items()) if args else (),
        valid=bool(valid),
        reason=reason,
        tags=tuple(json.loads(tags)) if tags else (),
    )

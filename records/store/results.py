"""Results: each scoring of a session, signed when the centre's key is present; the newest is
the current one and the earlier ones stay (a re-score never overwrites)."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from records.common import now_iso
from records.integrity import key_id, sign, signature_payload
from records.rows import ResultRow
from records.store.audit import append
from records.store.sessions import SessionsStore
from scoring.procedure import Procedure, procedure_source
from scoring.result import Report, report_bytes
from sim.scenario import LoadedScenario

__all__ = ["ResultsStore"]


class ResultsStore(SessionsStore):
    """Results and their findings (what the cohort and history queries count)."""

    def add_result(
        self,
        session_id: int,
        report: Report,
        procedure: Procedure,
        reason: str = "session",
        scenario: LoadedScenario | None = None,
        by: str | None = None,
    ) -> int:
        """Store a result for a session; it becomes the current one, the earlier ones stay.
        ``by``: the instructor who re-scored (the audit log keeps it)."""
        raw = report_bytes(report)
        return self._add_result(session_id, raw, report, procedure, reason, scenario, by)

    def add_result_bytes(
        self,
        session_id: int,
        raw: bytes,
        procedure: Procedure,
        reason: str = "session",
        scenario: LoadedScenario | None = None,
        by: str | None = None,
    ) -> int:
        """``add_result`` from a report's canonical bytes (as a re-scoring worker returns it).

        ``scenario``: the scenario it was scored with, when not the one recorded (a corrected
        rule); its bytes are kept so the result can be verified later.
        """
        report = Report.from_bytes(raw)
        return self._add_result(session_id, raw, report, procedure, reason, scenario, by)

    def add_result_report(
        self,
        session_id: int,
        raw: bytes,
        report: Report,
        procedure: Procedure,
        reason: str = "session",
        scenario: LoadedScenario | None = None,
        by: str | None = None,
    ) -> int:
        """``add_result_bytes`` for a caller that has the report ``raw`` is the bytes of (a
        re-scoring worker): stored as ``raw``, its columns taken from ``report``, which is not
        parsed again. Its findings' evidence is not read."""
        return self._add_result(session_id, raw, report, procedure, reason, scenario, by)

    def _add_result(
        self,
        session_id: int,
        raw: bytes,
        report: Report,
        procedure: Procedure,
        reason: str,
        scenario: LoadedScenario | None,
        by: str | None = None,
    ) -> int:
        """Store ``raw`` (the report's bytes, what is signed), its columns taken from
        ``report``."""
        proc_source = procedure_source(procedure)
        proc_sha = hashlib.sha256(proc_source).hexdigest()
        with self._errors(), self._tx() as c:
            c.execute(
                "INSERT INTO procedure_sources VALUES (?, ?, ?) ON CONFLICT DO NOTHING",
                (proc_sha, procedure.edition, proc_source),
            )
            if scenario is not None:
                c.execute(
                    "INSERT INTO scenario_sources VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING",
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
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?, ?, ?, ?, ?) RETURNING id",
                (
                    session_id,
                    report.procedure,
                    proc_sha,
                    report.score,
                    int(report.passed),
                    json.dumps(list(report.critical_failures), ensure_ascii=False),
                    report.hints_used,
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
            result_id = int(cur.fetchone()[0])
            session_uuid = c.execute(
                "SELECT uuid FROM sessions WHERE id = ?", (session_id,)
            ).fetchone()[0]
            append(c, self.key, "result", session_uuid, {
                "id": result_id, "session": session_id, "report": hashlib.sha256(raw).hexdigest(),
                "signature": signature, "reason": reason, "by": by, "scenario": scored_with,
            })  # fmt: skip
            c.executemany(
                "INSERT INTO findings VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                [
                    (
                        result_id,
                        i,
                        f.rule,
                        f.clause,
                        f.verdict,
                        int(f.critical),
                        f.points_lost,
                        f.at,
                    )
                    for i, f in enumerate(report.findings)
                    if f.verdict != "not_applicable"  # nothing was judged: nothing to count
                ],
            )
        return result_id

    def results(self, session_id: int) -> list[ResultRow]:
        with self._errors():
            rows = self.db.query(
                "SELECT * FROM results WHERE session_id = ? ORDER BY id", [session_id]
            )
            return [ResultRow.of(r) for r in rows]

    def findings_rows(
        self, result_id: int
    ) -> list[tuple[str, str, str, bool, float, float | None]]:
        """A result's indexed findings as stored: (rule, clause, verdict, critical, points
        lost, at), in order (what history and cohort queries count)."""
        with self._errors():
            rows = self.conn.execute(
                "SELECT rule, clause, verdict, critical, points_lost, at FROM findings"
                " WHERE result_id = ? ORDER BY seq",
                (result_id,),
            ).fetchall()
        return [(r[0], r[1], r[2], bool(r[3]), r[4], r[5]) for r in rows]

    def current_result(self, session_id: int) -> ResultRow | None:
        with self._errors():
            rows = list(
                self.db.query(
                    "SELECT * FROM results WHERE session_id = ? AND current = 1", [session_id]
                )
            )
        return ResultRow.of(rows[0]) if rows else None

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

"""Read-only questions across tables, for history, the desk's menu and the reports: a trainee's
sessions with their current results, a drill's cohort, the clauses broken most."""

from __future__ import annotations

from typing import Any

from records.rows import BrokenClause, BrokenRow, ResultRow, ScoreRow, SessionResult, SessionRow
from records.store.base import StoreBase

__all__ = ["QueriesStore"]

# a drill's sessions: those whose attempt is at the drill (and started since a date)
_IN_DRILL = "JOIN drill_attempts a ON a.uuid = s.drill WHERE a.drill_id = ?"


class QueriesStore(StoreBase):
    """Sessions with their current results, and what their findings add up to."""

    def session_history(self, trainee: str) -> list[SessionResult]:
        """Each session of a trainee with its current result, in the order they were started."""
        return self._with_current(
            "WHERE s.trainee_id = ?", [trainee], "ORDER BY s.started_at, s.id"
        )

    def drill_sessions(self, drill_id: str, *, since: str | None = None) -> list[SessionResult]:
        """Each session taken in an attempt at a drill (an attempt started ``since`` a date),
        with its current result, in the order they were taken."""
        where, params = self._drill_where(drill_id, since)
        return self._with_current(where, params, "ORDER BY s.id")

    def _with_current(self, where: str, params: list[Any], order: str) -> list[SessionResult]:
        """Sessions (``where`` over ``s``) and, for each, its current result."""
        with self._errors():
            sessions = [
                SessionRow.of(r)
                for r in self.db.query(f"SELECT s.* FROM sessions s {where} {order}", params)
            ]
            results = {
                row.session_id: row
                for row in (
                    ResultRow.of(r)
                    for r in self.db.query(
                        "SELECT r.* FROM results r JOIN sessions s ON s.id = r.session_id"
                        f" {where} AND r.current = 1",
                        params,
                    )
                )
            }
        return [SessionResult(s, results.get(s.id)) for s in sessions]

    @staticmethod
    def _drill_where(drill_id: str, since: str | None) -> tuple[str, list[Any]]:
        where, params = _IN_DRILL, [drill_id]
        if since:
            where += " AND a.started_at >= ?"
            params.append(since)
        return where, params

    def broken_clauses(
        self,
        *,
        trainee: str | None = None,
        since: str | None = None,
        top: int = 10,
        training_only: bool = False,
    ) -> list[tuple[str, int]]:
        """The clauses broken most in current results (of one trainee's sessions, of sessions
        started ``since`` a date): each with the number of results it was broken in, most
        first, then by clause."""
        sql = (
            "SELECT f.clause, COUNT(DISTINCT r.id) AS n FROM findings f"
            " JOIN results r ON r.id = f.result_id AND r.current = 1"
            " JOIN sessions s ON s.id = r.session_id WHERE f.verdict != 'met'"
        )
        params: list[Any] = []
        if trainee is not None:
            sql += " AND s.trainee_id = ?"
            params.append(trainee)
        if since:
            sql += " AND s.started_at >= ?"
            params.append(since)
        if training_only:
            sql += " AND s.mode != 'exam'"
        sql += " GROUP BY f.clause ORDER BY n DESC, f.clause LIMIT ?"
        params.append(top)
        with self._errors():
            return [(str(c), int(n)) for c, n in self.conn.execute(sql, params).fetchall()]

    def drill_broken_clauses(
        self, drill_id: str, *, since: str | None = None, top: int = 10
    ) -> list[BrokenClause]:
        """The clauses broken most in the current results of a drill's sessions (attempts
        started ``since`` a date), most first, then by clause."""
        where, params = self._drill_where(drill_id, since)
        with self._errors():
            rows = self.conn.execute(
                "SELECT f.clause, COUNT(DISTINCT r.id),"
                " COUNT(DISTINCT CASE WHEN f.critical = 1 THEN r.id END),"
                " GROUP_CONCAT(DISTINCT s.scenario_id) FROM findings f"
                " JOIN results r ON r.id = f.result_id AND r.current = 1"
                " JOIN sessions s ON s.id = r.session_id"
                f" {where} AND f.verdict != 'met'"
                " GROUP BY f.clause ORDER BY 2 DESC, f.clause LIMIT ?",
                (*params, top),
            ).fetchall()
        return [
            BrokenClause(str(c), int(n), int(n_critical), tuple(sorted((ids or "").split(","))))
            for c, n, n_critical, ids in rows
        ]

    @staticmethod
    def _cohort_where(
        unit: str | None,
        since: str | None,
        modes: tuple[str, ...] | None,
        trainee: str | None = None,
    ) -> tuple[str, list[Any]]:
        where, params = " WHERE 1 = 1", []
        if trainee is not None:
            where += " AND s.trainee_id = ?"
            params.append(trainee)
        if unit is not None:
            where += " AND t.unit = ?"
            params.append(unit)
        if since:
            where += " AND s.started_at >= ?"
            params.append(since)
        if modes is not None:
            where += f" AND s.mode IN ({', '.join('?' for _ in modes)})"
            params.extend(modes)
        return where, params

    def cohort_scores(
        self,
        *,
        unit: str | None = None,
        since: str | None = None,
        modes: tuple[str, ...] | None = None,
        trainee: str | None = None,
    ) -> list[ScoreRow]:
        """Every session (of a unit's trainees, started ``since``, in ``modes``; of one
        trainee) with its current result in brief, oldest first: one query for the cohort."""
        where, params = self._cohort_where(unit, since, modes, trainee)
        sql = (
            "SELECT s.id, s.trainee_id, s.scenario_id, s.mode, s.agent, s.drill, s.started_at,"
            " s.status, r.score, r.passed, r.critical_failures FROM sessions s"
            " JOIN trainees t ON t.id = s.trainee_id"
            " LEFT JOIN results r ON r.session_id = s.id AND r.current = 1"
            f"{where} ORDER BY s.started_at, s.id"
        )
        with self._errors():
            rows = self.conn.execute(sql, params).fetchall()
        return [
            ScoreRow(
                session_id=int(r[0]), trainee_id=str(r[1]), scenario_id=str(r[2]),
                mode=str(r[3]), agent=r[4], drill=r[5], started_at=str(r[6]), status=str(r[7]),
                score=None if r[8] is None else float(r[8]),
                passed=None if r[9] is None else bool(r[9]),
                critical=bool(r[10]) and r[10] not in ("[]", ""),
            )
            for r in rows
        ]  # fmt: skip

    def cohort_broken(
        self,
        *,
        unit: str | None = None,
        since: str | None = None,
        modes: tuple[str, ...] | None = None,
    ) -> list[BrokenRow]:
        """Each clause broken in a current result (once per result and clause) of the
        sessions ``cohort_scores`` reads."""
        where, params = self._cohort_where(unit, since, modes)
        sql = (
            "SELECT s.trainee_id, s.scenario_id, f.clause, s.started_at, MAX(f.critical), s.mode"
            " FROM findings f JOIN results r ON r.id = f.result_id AND r.current = 1"
            " JOIN sessions s ON s.id = r.session_id JOIN trainees t ON t.id = s.trainee_id"
            f"{where} AND f.verdict != 'met' AND f.verdict != 'not_applicable'"
            " GROUP BY r.id, f.clause, s.id ORDER BY s.started_at, s.id"
        )
        with self._errors():
            rows = self.conn.execute(sql, params).fetchall()
        return [
            BrokenRow(str(a), str(b), str(c), str(d), bool(e), str(m)) for a, b, c, d, e, m in rows
        ]

    def procedure_shas_in_use(self) -> list[str]:
        """The procedure editions current results were scored under, newest use first."""
        with self._errors():
            rows = self.conn.execute(
                "SELECT procedure_sha256 FROM results WHERE current = 1"
                " GROUP BY procedure_sha256 ORDER BY MAX(id) DESC"
            ).fetchall()
        return [str(r[0]) for r in rows if r[0]]

    def attempt_editions(self, attempt_uuid: str) -> list[str]:
        """The procedure editions the current results of an attempt's sessions were scored
        under, in order."""
        with self._errors():
            rows = self.conn.execute(
                "SELECT DISTINCT r.procedure FROM results r JOIN sessions s ON s.id = r.session_id"
                " WHERE s.drill = ? AND r.current = 1 ORDER BY 1",
                (attempt_uuid,),
            ).fetchall()
        return [r[0] for r in rows]

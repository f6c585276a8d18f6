"""What the training centre does with its records: record a run, replay it exactly, re-score it
under another edition, and read a trainee's history. No pygame; the CLI and the desk use these.
"""

from __future__ import annotations

import json
import os
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, replace
from typing import Any

from records.db import Records, ResultRow, SessionRow
from scoring.procedure import Procedure
from scoring.result import FORMAT, Evidence, Report, agrees, report_bytes
from scoring.scorer import SEMANTICS
from scoring.session import build, judge, play_agent, replay
from sim.engine import Engine
from sim.errors import DeskTrainerError
from sim.scenario import LoadedScenario
from sim.trace import TimedAction

__all__ = [
    "record_agent_run",
    "rederive",
    "readable_result",
    "semantics_of",
    "ReplayCheck",
    "replay_session",
    "Change",
    "rescore",
    "History",
    "history",
    "last_results",
    "resumable",
]


def record_agent_run(
    records: Records,
    loaded: LoadedScenario,
    procedure: Procedure,
    seed: int,
    agent: str,
    trainee: str,
    *,
    lang: str = "zh",
    mode: str = "training",
    drill: str | None = None,
    time_limit: float | None = None,
    injections: Sequence[tuple[float, str]] = (),
) -> tuple[int, Engine, Report]:
    """A scripted trainee plays, recorded action by action like a trainee at the desk (with a
    drill's incidents thrown in at their moments)."""
    variant = build(loaded, seed, time_limit=time_limit).variant.id
    rec = records.start(
        loaded,
        procedure,
        seed=seed,
        variant=variant,
        trainee=trainee,
        mode=mode,
        agent=agent,
        lang=lang,
        drill=drill,
        time_limit=time_limit,
    )
    played = play_agent(
        loaded,
        procedure,
        seed,
        agent,
        time_limit=time_limit,
        on_action=lambda e: rec.sync(e.actions, e.trace),
        injections=injections,
    )
    engine = played.engine
    rec.finish(engine.actions, engine.trace, played.report, procedure)
    return rec.session_id, engine, played.report


def rederive(
    records: Records,
    row: SessionRow,
    loaded: LoadedScenario,
    actions: Sequence[TimedAction] | None = None,
) -> Engine:
    """A recorded session's trace derived again from its input (``actions``: as already read),
    through the one path: a finished session to where it ended, an unfinished one to the last
    moment recorded."""
    complete = row.status == "complete"
    extent = None if complete else records.extent(row.id)
    return replay(
        loaded,
        row.seed,
        records.actions(row.id) if actions is None else actions,
        time_limit=row.time_limit,
        end=row.sim_end if complete else (extent[0] if extent else None),
        complete=complete,
        entries=extent[1] if extent else None,
    )


@dataclass(frozen=True)
class ReplayCheck:
    """A session re-derived from its recorded input."""

    session: SessionRow
    engine: Engine
    report: Report | None  # None: the session never finished, so it has no result
    stored: ResultRow | None  # the original result (the first, scored when it was played)
    report_matches: bool | None  # byte for byte; None when there is nothing to compare
    trace_matches: bool
    procedure: Procedure | None = None  # the edition the report was re-derived under

    def to_dict(self) -> dict[str, Any]:
        return {
            "session": self.session.id,
            "uuid": self.session.uuid,
            "status": self.session.status,
            "report_matches": self.report_matches,
            "trace_matches": self.trace_matches,
            "report": self.report.to_dict() if self.report else None,
        }


def replay_session(records: Records, ref: int | str) -> ReplayCheck:
    """Re-run the recorded input through the engine with the recorded scenario bytes and seed,
    score it under the procedure edition of the original result, and compare."""
    row = records.session(ref)
    first = next(iter(records.results(row.id)), None)
    procedure = records.procedure(first.procedure_sha256 if first else row.procedure_sha256)
    loaded = records.scenario(row, procedure.ids)
    engine = rederive(records, row, loaded)
    recorded = records.events(row.id)
    trace_matches = engine.trace[: len(recorded)] == recorded and len(engine.trace) == len(recorded)
    report = None
    matches = None
    if row.status == "complete":
        report = judge(engine, procedure, semantics_of(first))
        if first is not None:
            matches = agrees(first.report_json, report)
    return ReplayCheck(row, engine, report, first, matches, trace_matches, procedure)


def readable_result(records: Records, row: SessionRow, res: ResultRow) -> Report:
    """A stored result to be put into words. A result stored in an earlier format kept its
    evidence as sentences in the language it was played in; when the session's input derives
    the same facts again, the evidence derived now is read instead, in any language."""
    report = res.report
    if report.format == FORMAT or row.status != "complete":
        return report
    try:
        procedure = records.procedure(res.procedure_sha256)
        loaded = records.scenario(row, procedure.ids, _scored_with(records, res))
        derived = judge(rederive(records, row, loaded), procedure, report.semantics)
    except DeskTrainerError:
        return report
    return derived if derived.facts() == report.facts() else report


def semantics_of(res: ResultRow | None) -> int:
    """What the rules meant when ``res`` was scored (now, for a result still to be made)."""
    if res is None:
        return SEMANTICS
    try:
        return res.report.semantics
    except (ValueError, KeyError, TypeError):
        return SEMANTICS


def _scored_with(records: Records, res: ResultRow) -> str | None:
    return records.result_scenario(res.id)


@dataclass(frozen=True)
class Change:
    """What re-scoring did to one session."""

    session: int
    trainee: str
    scenario: str
    before: float | None
    after: float
    passed_before: bool | None
    passed_after: bool
    changed: tuple[tuple[str, str, str, str], ...]  # (rule, clause, verdict before, after)

    def to_dict(self) -> dict[str, Any]:
        return {
            "session": self.session,
            "trainee": self.trainee,
            "scenario": self.scenario,
            "score_before": self.before,
            "score_after": self.after,
            "passed_before": self.passed_before,
            "passed_after": self.passed_after,
            "findings_changed": [
                {"rule": r, "clause": c, "before": b, "after": a} for r, c, b, a in self.changed
            ],
        }


# -- re-scoring: workers derive and judge, the parent writes in batches ---------------------

# how many sessions a worker is handed at a time, and how many results one transaction stores
CHUNK = 64
BATCH = 500

_Out = tuple[int, bytes, Report, "Change"]


class _Rescorer:
    """Derives and judges recorded sessions again, keeping each scenario it read (by content
    hash: a year of sessions has a handful of distinct scenario files)."""

    def __init__(
        self, records: Records, procedure: Procedure, fixed: dict[str, LoadedScenario]
    ) -> None:
        self.records = records
        self.procedure = procedure
        self.fixed = fixed
        self.scenarios: dict[str, LoadedScenario] = {}

    def scenario(self, row: SessionRow) -> LoadedScenario:
        loaded = self.fixed.get(row.scenario_id)
        if loaded is not None:
            return loaded
        loaded = self.scenarios.get(row.scenario_sha256)
        if loaded is None:
            loaded = self.records.scenario(row, self.procedure.ids)
            self.scenarios[row.scenario_sha256] = loaded
        return loaded

    def one(self, session_id: int) -> _Out | None:
        """The new report's bytes for one session and what it changes (None: the session is
        not complete, there is nothing to score)."""
        row = self.records.session(session_id)
        if row.status != "complete":
            return None
        report = judge(rederive(self.records, row, self.scenario(row)), self.procedure)
        before = self.records.current_result(session_id)
        # what the parent stores besides the bytes: the report without its evidence (the
        # columns are taken from it; sending the evidence over would cost more than parsing)
        columns = replace(
            report, findings=tuple(replace(f, evidence=_UNREAD) for f in report.findings)
        )
        return session_id, report_bytes(report), columns, _change(row, before, report)

    def chunk(self, session_ids: list[int]) -> list[_Out | None]:
        return [self.one(sid) for sid in session_ids]


_IN_WORKER: list[_Rescorer] = []
_UNREAD = Evidence("unread")  # stands for the evidence in what a worker sends back


def _start_worker(db_path: str, procedure: Procedure, fixed: dict[str, LoadedScenario]) -> None:
    """A worker process opens the records once, and is handed the procedure once."""
    _IN_WORKER.append(_Rescorer(Records(db_path), procedure, fixed))


def _worker_chunk(session_ids: list[int]) -> list[_Out | None]:
    return _IN_WORKER[0].chunk(session_ids)


def rescore(
    records: Records,
    session_ids: list[int],
    procedure: Procedure,
    *,
    scenarios: dict[str, LoadedScenario] | None = None,
    workers: int | None = None,
    progress: Callable[[int], object] | None = None,
    by: str | None = None,
) -> list[Change]:
    """Score recorded sessions again under ``procedure``; the new result becomes current and
    the earlier ones stay. ``scenarios`` replaces the recorded scenario of that id (a corrected
    rule); otherwise each session is scored with the scenario exactly as it was recorded.
    Large batches fan out over every core; the results are stored in the order asked for, a
    batch of them per transaction. ``progress`` is called once for each session done. ``by``:
    the instructor re-scoring (the audit log keeps who did)."""
    fixed = dict(scenarios or {})
    n_workers = workers if workers is not None else (os.cpu_count() or 1)
    chunks = [session_ids[i : i + CHUNK] for i in range(0, len(session_ids), CHUNK)]
    outputs: Iterable[list[_Out | None]]
    if len(session_ids) >= 50 and n_workers > 1:
        pool = ProcessPoolExecutor(
            max_workers=n_workers,
            initializer=_start_worker,
            initargs=(records.target, procedure, fixed),
        )
        outputs = pool.map(_worker_chunk, chunks)
    else:
        pool = None
        here = _Rescorer(records, procedure, fixed)
        outputs = (here.chunk(c) for c in chunks)
    changes: list[Change] = []
    pending: list[_Out] = []
    try:
        for outs in outputs:
            pending.extend(out for out in outs if out is not None)
            if len(pending) >= BATCH:
                changes.extend(_store(records, pending, procedure, fixed, by))
                pending = []
            if progress is not None:
                for _ in outs:
                    progress(1)
        changes.extend(_store(records, pending, procedure, fixed, by))
    finally:
        if pool is not None:
            pool.shutdown()
    return changes


def _store(
    records: Records,
    outs: list[_Out],
    procedure: Procedure,
    fixed: dict[str, LoadedScenario],
    by: str | None = None,
) -> list[Change]:
    """Store a batch of new results in one transaction."""
    if not outs:
        return []
    with records.batch():
        for sid, raw, columns, change in outs:
            records.add_result_report(
                sid,
                raw,
                columns,
                procedure,
                reason="rescore",
                scenario=fixed.get(change.scenario),
                by=by,
            )
    return [change for *_, change in outs]


def _change(row: SessionRow, before: ResultRow | None, new: Report) -> Change:
    # the earlier result's findings as Report.from_bytes reads them (rule, clause, verdict),
    # from its JSON alone: making the whole report again was a quarter of a worker's time
    old_findings: dict[str, tuple[str, str]] = {}
    if before is not None:
        for f in json.loads(before.report_json).get("findings") or ():
            old_findings[str(f["rule"])] = (str(f["clause"]), f["verdict"])
    changed: list[tuple[str, str, str, str]] = []
    for f in new.findings:
        prev = old_findings.get(f.rule)
        if prev is None or prev[1] != f.verdict or prev[0] != f.clause:
            changed.append((f.rule, f.clause, prev[1] if prev else "—", f.verdict))
    new_rules = {f.rule for f in new.findings}
    for rule, (clause, verdict) in old_findings.items():
        if rule not in new_rules:
            changed.append((rule, clause, verdict, "—"))
    return Change(
        row.id,
        row.trainee_id,
        row.scenario_id,
        before.score if before else None,
        new.score,
        before.passed if before else None,
        new.passed,
        tuple(changed),
    )


@dataclass(frozen=True)
class History:
    trainee: str
    sessions: tuple[dict[str, Any], ...]
    weak_clauses: tuple[tuple[str, int], ...]  # clause, sessions it was broken in (most first)
    # clause, practice branches taken from a point lost under it (most first)
    practised: tuple[tuple[str, int], ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {
            "trainee": self.trainee,
            "sessions": list(self.sessions),
            "weak_clauses": [{"clause": c, "times": n} for c, n in self.weak_clauses],
            "practised": [{"clause": c, "branches": n} for c, n in self.practised],
        }


def history(records: Records, trainee: str, *, top: int = 5, exams: bool = True) -> History:
    """Each session of a trainee with its current result, and the clauses they break most
    (``exams``: False when the one asking may not see exam results: those are left out, and
    marked ``hidden``)."""
    sessions = tuple(
        {
            "session": s.id,
            "uuid": s.uuid,
            "scenario": s.scenario_id,
            "mode": s.mode,
            "status": s.status,
            "started_at": s.started_at,
            "agent": s.agent,
            "drill": s.drill,
            "score": r.score if r else None,
            "passed": r.passed if r else None,
            **({"branch_of": s.branch_of, "branch_at": s.branch_at} if s.branch_of else {}),
            **({"hidden": True} if s.mode == "exam" and not exams else {}),
        }
        for s, r in (
            (h.session, h.result if exams or h.session.mode != "exam" else None)
            for h in records.session_history(trainee)
        )
    )
    broken = records.broken_clauses(trainee=trainee, top=top, training_only=not exams)
    rows = [h.session for h in records.session_history(trainee)]
    return History(trainee, sessions, tuple(broken), tuple(practised(records, rows).most_common()))


def practised(records: Records, rows: Iterable[SessionRow]) -> Counter[str]:
    """For the practice branches among ``rows``: the clauses of the points their originals
    lost at the moment each branched from (what the trainee went back to practise)."""
    from scoring.branch import lost_points

    out: Counter[str] = Counter()
    for row in rows:
        if not row.branch_of:
            continue
        try:
            original = records.session(row.branch_of)
            res = records.current_result(original.id)
        except DeskTrainerError:
            continue
        if res is None:
            continue
        at = float(row.branch_at or 0.0)
        lost = lost_points(res.report, float(original.sim_end or 0.0), records.events(original.id))
        there = {p.clause for p in lost if abs(p.t - at) < 1e-6}
        if not there:  # a moment chosen on the timeline: the next point lost after it
            later = [p for p in lost if p.t >= at]
            there = {later[0].clause} if later else set()
        out.update(there)
    return out


def cohort_broken_clauses(
    records: Records, *, since: str | None = None, top: int = 10
) -> Counter[str]:
    """Across every trainee: how often each clause is broken in current results."""
    return Counter(dict(records.broken_clauses(since=since, top=top)))


def last_results(records: Records, trainee: str) -> dict[str, tuple[float, bool, str]]:
    """The trainee's latest scored session on each scenario: (score, passed, mode)."""
    out: dict[str, tuple[float, bool, str]] = {}
    for h in sorted(records.session_history(trainee), key=lambda h: h.session.id):
        if h.result is not None:
            out[h.session.scenario_id] = (float(h.result.score), h.result.passed, h.session.mode)
    return out


def resumable(records: Records, ref: int | str) -> SessionRow:
    """An incomplete session that can be carried on; anything else is a clear error."""
    from records.db import RecordsError
    from records.words import tr

    row = records.session(ref)
    if row.status != "incomplete":
        raise RecordsError(
            tr("records.not_resumable", file=records.where, session=str(row.id),
               status=tr(f"status.{row.status}"))
        )  # fmt: skip
    return row

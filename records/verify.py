"""``verify``: re-derive every result from the recorded input, check chain, signatures and the
audit log, and compare every column an outcome is read from with what it is derived from.

The model (what is signed, chained, logged and re-derived): :mod:`records.integrity`.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Sequence

from records.audit import AuditIndex, read_audit
from records.db import Records, RecordsError, SessionRow
from records.integrity import (
    Finding,
    header_hash,
    key_id,
    link,
    sealed_key_id,
    sign,
    signature_payload,
)
from records.rows import ResultRow
from records.service import rederive
from records.words import tr
from scoring.result import Report, agrees
from scoring.scorer import SEMANTICS
from scoring.session import judge
from sim.engine import INJECT, Engine
from sim.errors import DeskTrainerError
from sim.trace import TimedAction

__all__ = ["verify_session", "verify_all", "pauses_allowed"]


def _f(row: SessionRow, code: str, **kw: object) -> Finding:
    return Finding(row.id, code, tr(f"verify.{code}", session=row.id, **kw))


def pauses_allowed(records: Records, row: SessionRow) -> int:
    """How many pauses an exam session may hold: what its drill allows (none by default)."""
    if not row.drill:
        return 0
    from records.drills import recorded_model

    attempt = records.attempt_by_uuid(row.drill)
    model = recorded_model(attempt.drill_source) if attempt is not None else None
    return model.drill.pauses if model is not None else 0


def _branch(records: Records, row: SessionRow, actions: Sequence[TimedAction]) -> list[Finding]:
    """A practice branch is a training session whose head is its original's actions before the
    branch time, exactly: never an exam or part of a drill, never a head of its own making."""
    out: list[Finding] = []
    if row.mode != "training" or row.drill is not None:
        out.append(_f(row, "branch_not_practice"))
    try:
        original = records.session(str(row.branch_of))
    except RecordsError:
        return [*out, _f(row, "branch_original_missing", original=row.branch_of)]
    at = float(row.branch_at or 0.0)
    theirs = [s.action for s in records.chained_actions(original.id) if s.action.t < at]
    ours = [a for a in actions if a.t < at]
    if ours != theirs:
        out.append(_f(row, "branch_head", original=original.id, at=f"{at:g}"))
    return out


def verify_session(
    records: Records, ref: int | str, key: bytes | None, audit: AuditIndex | None = None
) -> list[Finding]:
    """Everything wrong with one session; an empty list means it is intact (and, with a key,
    that its header, chain and results were sealed and signed by that key)."""
    row = records.session(ref)
    if audit is None:
        audit = read_audit(records, key)
    out: list[Finding] = []
    header = records.session_header(row.id)
    stored_header = header.stored_hash
    seal = header.fields.get("seal")
    sealed = sealed_key_id(seal)
    chain_key: bytes | None = None
    checkable = True
    if sealed is not None:
        if key is None:
            checkable = False
        elif sealed != key_id(key):
            checkable = False
            if not records.results(row.id):  # a result names the other key itself
                out.append(_f(row, "sealed_other_key", key=sealed))
        else:
            chain_key = key
    elif seal and row.mode == "exam" and not records.results(row.id):
        out.append(_f(row, "unsealed_exam"))  # a result says it is unsigned itself
    if checkable and stored_header != header_hash(header.fields, chain_key):
        out.append(_f(row, "header"))

    # the chain, link by link: each link is checked against the stored previous one, so the
    # finding points at the action that was altered, not at everything after it
    rows = records.chained_actions(row.id)
    prev = stored_header or ""
    expected = 0
    actions: list[TimedAction] = []
    for stored in rows:
        seq, a, chain = stored.seq, stored.action, stored.chain
        if seq != expected:
            out.append(_f(row, "action_missing", first=expected + 1, last=seq))
        actions.append(a)
        if checkable and link(prev, seq, a, chain_key) != chain:
            out.append(_f(row, "action_changed", n=seq + 1, t=f"{a.t:g}", action=a.action))
        prev = chain or ""
        expected = seq + 1
    head = prev

    results = records.results(row.id)
    if row.branch_of is not None:
        out.extend(_branch(records, row, actions))
    if row.mode == "exam" and any(a.action == "ask_hint" for a in actions):
        out.append(_f(row, "hint_in_exam"))
    if row.mode == "exam" and any(a.action == INJECT for a in actions):
        # an exam takes only its drill's incidents, each at its moment
        from records.drills import scheduled_for

        thrown = [(a.t, a.args.get("event", "")) for a in actions if a.action == INJECT]
        planned = scheduled_for(records, row) or []
        if thrown != planned[: len(thrown)]:
            out.append(_f(row, "injected_in_exam"))
    if row.mode == "exam":
        paused = sum(1 for a in actions if a.action == "pause")
        allowed = pauses_allowed(records, row)
        if paused > allowed:
            out.append(_f(row, "pauses_in_exam", n=paused, allowed=allowed))
    if row.status == "complete" and not results:
        out.append(_f(row, "result_missing"))
    out.extend(_sources(records, row, results))
    out.extend(_logged(audit, row, results, stored_header))

    # re-derive: the trace and each result, from the recorded input, through the one path
    try:
        first_proc = records.procedure(results[0].procedure_sha256 if results else "")
    except DeskTrainerError:
        first_proc = None
    loaded = records.scenario(row, first_proc.ids if first_proc else None)
    engine = rederive(records, row, loaded, actions)
    if engine.variant.id != row.variant:
        out.append(_f(row, "header"))
    if records.events(row.id) != engine.trace:
        out.append(_f(row, "trace_changed"))

    newest = results[-1].id if results else None
    if sum(1 for r in results if r.current) != (1 if results else 0) or any(
        r.current != (r.id == newest) for r in results
    ):
        out.append(_f(row, "current_moved", result=newest))
    for res in results:
        out.extend(_result(records, row, res, key, engine, actions, head, len(rows)))
    return out


def _result(
    records: Records,
    row: SessionRow,
    res: ResultRow,
    key: bytes | None,
    engine: Engine,
    actions: list[TimedAction],
    head: str,
    n_rows: int,
) -> list[Finding]:
    out: list[Finding] = []
    stored_header = records.session_header(row.id).stored_hash
    chain_head, n_actions = res.chain_head, res.n_actions
    signature, signer, scenario_sha = res.signature, res.key_id, res.scenario_sha256
    try:
        report: Report | None = res.report
    except (ValueError, KeyError, TypeError, RecursionError):
        report = None
    if (
        report is None
        or report.score != res.score
        or report.passed != res.passed
        or report.critical_failures != res.critical_failures
        or report.hints_used != res.hints_used
    ):
        out.append(_f(row, "score_changed", result=res.id))
    if report is not None:
        indexed = [
            (f.rule, f.clause, f.verdict, bool(f.critical), f.points_lost, f.at)
            for f in report.findings
            if f.verdict != "not_applicable"
        ]
        if records.findings_rows(res.id) != indexed:
            out.append(_f(row, "findings_changed", result=res.id))
    if n_actions is not None and n_actions != n_rows:
        out.append(_f(row, "action_count", result=res.id, then=n_actions, now=n_rows))
    elif chain_head is not None and chain_head != head and res.current:
        out.append(_f(row, "chain_moved", result=res.id))
    procedure = records.procedure(res.procedure_sha256)
    loaded_r = records.scenario(row, procedure.ids, scenario_sha)
    if scenario_sha and scenario_sha != row.scenario_sha256:
        engine_r = rederive(records, row, loaded_r, actions)
    else:
        engine_r = engine
    derived = judge(engine_r, procedure, report.semantics if report else SEMANTICS)
    if not agrees(res.report_json, derived):
        out.append(_f(row, "report_changed", result=res.id, score=f"{derived.score:g}"))
    if signature is None:
        if row.mode == "exam":
            out.append(_f(row, "unsigned", result=res.id))
        return out
    if key is None:
        return out
    if signer != key_id(key):
        out.append(_f(row, "other_key", result=res.id, key=signer or "?"))
        return out
    payload = signature_payload(
        stored_header or "",
        chain_head or "",
        n_actions or 0,
        res.report_json,
        res.procedure_sha256,
    )
    if not hmac.compare_digest(sign(key, payload), signature):
        out.append(_f(row, "signature_invalid", result=res.id))
    return out


def _sources(records: Records, row: SessionRow, results: list[ResultRow]) -> list[Finding]:
    """The recorded scenario and procedure bytes still hash to what the session names."""
    out: list[Finding] = []
    for sha in {row.scenario_sha256, *(r.scenario_sha256 for r in results if r.scenario_sha256)}:
        found = records.scenario_source(sha)
        if found is not None and hashlib.sha256(found.source).hexdigest() != sha:
            out.append(_f(row, "source_changed", what=found.file))
    for sha in {row.procedure_sha256, *(r.procedure_sha256 for r in results)}:
        raw = records.procedure_bytes(sha)
        if raw is not None and hashlib.sha256(raw).hexdigest() != sha:
            out.append(_f(row, "source_changed", what=sha[:12]))
    return out


def _logged(
    audit: AuditIndex, row: SessionRow, results: list[ResultRow], stored_header: str | None
) -> list[Finding]:
    """The session and its results against what the audit log recorded of them."""
    out: list[Finding] = []
    must = audit.logged_session(row.id) or row.seal is not None
    entry = audit.sessions.get(row.uuid)
    if must:
        if entry is None:
            out.append(_f(row, "not_logged"))
        elif (
            entry.get("id") != row.id
            or entry.get("mode") != row.mode
            or entry.get("agent") != row.agent
            or entry.get("trainee") != row.trainee_id
            or entry.get("drill") != row.drill
            or entry.get("seal") != row.seal
            or entry.get("header") != stored_header
        ):
            out.append(_f(row, "header"))
    logged = audit.results.get(row.uuid, [])
    by_id = {int(e.get("id", 0)): e for e in logged}
    present = {r.id for r in results}
    for res in results:
        if not (must or audit.logged_result(res.id)):
            continue
        e = by_id.get(res.id)
        if e is None:
            out.append(_f(row, "result_not_logged", result=res.id))
        elif (
            e.get("report") != hashlib.sha256(res.report_json).hexdigest()
            or e.get("signature") != res.signature
        ):
            out.append(_f(row, "result_differs_from_log", result=res.id))
    for rid in sorted(set(by_id) - present):
        out.append(_f(row, "result_deleted", result=rid))
    current = audit.current(row.uuid)
    if current is not None and results and current in present and results[-1].id != current:
        out.append(_f(row, "current_moved", result=current))
    return out


def verify_all(records: Records, key: bytes | None) -> list[Finding]:
    """Every session, every drill attempt and the audit log itself."""
    from records.drills import check_attempt

    audit = read_audit(records, key)
    out: list[Finding] = list(audit.findings)
    present: set[str] = set()
    for sid in records.session_ids():
        row = records.session(sid)
        present.add(row.uuid)
        out.extend(verify_session(records, sid, key, audit))
    for session_uuid, entry in audit.sessions.items():
        if session_uuid in present or session_uuid in audit.deleted:
            continue
        sid = entry.get("id", 0)
        out.append(
            Finding(int(sid) if isinstance(sid, int) else 0, "session_deleted",
                    tr("verify.session_deleted", session=sid, uuid=session_uuid))
        )  # fmt: skip
    seen: set[str] = set()
    for attempt_id in records.attempt_ids():
        attempt = records.attempt(attempt_id)
        if attempt is not None:
            seen.add(attempt.uuid)
        out.extend(check_attempt(records, attempt_id, key, audit))
    for attempt_uuid, entry in audit.attempts.items():
        if attempt_uuid not in seen:
            aid = entry.get("id", 0)
            out.append(
                Finding(0, "attempt_deleted", tr("verify.attempt_deleted", attempt=aid,
                        trainee=entry.get("trainee"), drill=entry.get("drill")),
                        attempt=int(aid) if isinstance(aid, int) else 0)
            )  # fmt: skip
    return out

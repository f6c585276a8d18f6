"""``verify``: re-derive every result from the recorded input and check chain and signature."""

from __future__ import annotations

import hmac

from records.db import Records, SessionRow
from records.integrity import Finding, header_hash, key_id, link, sign, signature_payload
from records.service import rederive
from records.words import tr
from scoring.result import Report, agrees
from scoring.scorer import SEMANTICS
from scoring.session import judge
from sim.errors import DeskTrainerError
from sim.trace import TimedAction

__all__ = ["verify_session", "verify_all"]


def _f(row: SessionRow, code: str, **kw: object) -> Finding:
    return Finding(row.id, code, tr(f"verify.{code}", session=row.id, **kw))


def verify_session(records: Records, ref: int | str, key: bytes | None) -> list[Finding]:
    """Everything wrong with one session; an empty list means it is intact (and, with a key,
    that its results were signed by that key)."""
    row = records.session(ref)
    out: list[Finding] = []
    header = records.session_header(row.id)
    stored_header = header.stored_hash
    if stored_header != header_hash(header.fields):
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
        if link(prev, seq, a) != chain:
            out.append(_f(row, "action_changed", n=seq + 1, t=f"{a.t:g}", action=a.action))
        prev = chain or ""
        expected = seq + 1
    head = prev

    results = records.results(row.id)
    if row.mode == "exam" and any(a.action == "ask_hint" for a in actions):
        out.append(_f(row, "hint_in_exam"))
    if row.status == "complete" and not results:
        out.append(_f(row, "result_missing"))

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

    for res in results:
        chain_head, n_actions = res.chain_head, res.n_actions
        signature, signer, scenario_sha = res.signature, res.key_id, res.scenario_sha256
        try:
            report: Report | None = res.report
        except (ValueError, KeyError, TypeError):
            report = None
        if (
            report is None
            or report.score != res.score
            or report.passed != res.passed
            or report.critical_failures != res.critical_failures
        ):
            out.append(_f(row, "score_changed", result=res.id))
        if n_actions is not None and n_actions != len(rows):
            out.append(_f(row, "action_count", result=res.id, then=n_actions, now=len(rows)))
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
            continue
        if key is None:
            continue
        if signer != key_id(key):
            out.append(_f(row, "other_key", result=res.id, key=signer or "?"))
            continue
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


def verify_all(records: Records, key: bytes | None) -> list[Finding]:
    out: list[Finding] = []
    for sid in records.session_ids():
        out.extend(verify_session(records, sid, key))
    return out

"""Certification drills: attempts, fresh variants per attempt, the overall verdict, a signed
summary and a certificate code that ``verify`` accepts."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import secrets
import uuid as uuidlib
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from records.audit import AuditIndex, read_audit
from records.db import Records, RecordsError
from records.integrity import Finding, key_id, sign
from records.rows import AttemptRow, SessionRow
from records.service import record_agent_run
from records.verify import verify_session
from records.words import tr
from scoring.procedure import Procedure
from sim.drill import Drill, LoadedDrill
from sim.engine import Engine
from sim.errors import DeskTrainerError
from sim.library import find_scenario
from sim.scenario import LoadedScenario

__all__ = [
    "Attempt",
    "attempts_used",
    "start_attempt",
    "draw_seed",
    "finish_attempt",
    "run_drill_headless",
    "verify_attempt",
    "check_attempt",
    "attempt_sealed",
    "recorded_model",
    "find_by_code",
    "certificate_code",
]


@dataclass(frozen=True)
class Attempt:
    id: int
    uuid: str
    drill: LoadedDrill
    trainee: str
    number: int


def attempts_used(records: Records, drill_id: str, trainee: str) -> int:
    """Attempts a trainee has started at a drill: those the audit log recorded count even
    when their row is gone (deleting an attempt does not give it back)."""
    return max(
        records.attempt_count(drill_id, trainee), records.audited_attempts(drill_id, trainee)
    )


def start_attempt(
    records: Records, drill: LoadedDrill, trainee: str, agent: str | None = None
) -> Attempt:
    """Open an attempt; ``agent``: a scripted trainee takes it (a check of the drill file:
    marked as such, and never given a certificate)."""
    trainee = records.resolve_trainee(trainee)  # a registered trainee's name: their staff id
    used = attempts_used(records, drill.id, trainee)
    allowed = drill.drill.drill.attempts
    if used >= allowed:
        raise RecordsError(
            tr(
                "drill.no_attempts_left",
                trainee=trainee,
                drill=drill.id,
                used=used,
                allowed=allowed,
            )
        )
    records.ensure_trainee(trainee)
    attempt_uuid = str(uuidlib.uuid4())
    attempt_id = records.add_attempt(
        uuid=attempt_uuid, drill_id=drill.id, drill_sha256=drill.sha256,
        drill_source=drill.source, trainee=trainee, number=used + 1, agent=agent,
    )  # fmt: skip
    return Attempt(attempt_id, attempt_uuid, drill, trainee, used + 1)


def draw_seed(records: Records, loaded: LoadedScenario, trainee: str, drill: LoadedDrill) -> int:
    """A fresh, unpredictable seed; with ``draw: fresh``, one whose variant this trainee has not
    had in an earlier attempt of this drill, while the scenario has such a variant left."""
    rng = secrets.SystemRandom()
    if drill.drill.drill.draw == "random":
        return rng.randrange(2**31)
    had = records.variants_had(drill.id, records.resolve_trainee(trainee), loaded.id)
    left = {v.id for v in loaded.scenario.variants} - had
    seed = rng.randrange(2**31)
    for _ in range(256):
        if not left or Engine(loaded, seed).variant.id in left:
            return seed
        seed = rng.randrange(2**31)
    return seed


def _summary(
    records: Records,
    attempt_uuid: str,
    drill: LoadedDrill,
    scored: dict[str, str] | None = None,
) -> dict[str, Any]:
    """The verdict of an attempt, from the current results of its sessions (``scored``: for a
    session uuid, the report hash of the result the verdict was made from, when that result is
    still there: a later re-score does not change a verdict already given)."""
    rows = records.attempt_sessions(attempt_uuid)
    by_scenario = {r.scenario_id: r for r in rows}
    items: list[dict[str, Any]] = []
    scores = []
    critical_any = False
    each_ok = True
    specs = drill.drill.drawn(attempt_uuid)
    for spec in specs:
        r = by_scenario.get(spec.id)
        res = records.current_result(r.id) if r else None
        wanted = (scored or {}).get(r.uuid) if r else None
        if r is not None and wanted is not None:
            res = next(
                (x for x in records.results(r.id)
                 if hashlib.sha256(x.report_json).hexdigest() == wanted),
                res,
            )  # fmt: skip
        if r is None or res is None:
            items.append({"scenario": spec.id, "session": r.id if r else None, "score": None})
            scores.append(0.0)
            each_ok = False
            continue
        # the session was ended before one of the drill's incidents came: it was not faced
        escaped = [
            event for at, event in spec.schedule() if r.sim_end is not None and r.sim_end < at
        ]
        ok = res.score >= spec.pass_mark and not res.critical_failures and not escaped
        each_ok = each_ok and ok
        critical_any = critical_any or bool(res.critical_failures)
        scores.append(res.score)
        items.append(
            {
                "scenario": spec.id,
                "session": r.id,
                "session_uuid": r.uuid,
                "variant": r.variant,
                "seed": r.seed,
                "score": res.score,
                "pass_mark": spec.pass_mark,
                "passed": ok,
                "critical_failures": list(res.critical_failures),
                "report_sha256": hashlib.sha256(res.report_json).hexdigest(),
                **({"ended_before": escaped} if escaped else {}),
            }
        )
    rule = drill.drill.drill.overall
    average = round(sum(scores) / len(scores), 1)
    passed = (
        len(rows) == len(specs)
        and all(i["score"] is not None for i in items)
        and average >= rule.average_at_least
        and not (rule.no_critical and critical_any)
        and (each_ok or not rule.each_must_pass)
    )
    return {"attempt": attempt_uuid, "drill_sha256": drill.sha256, "items": items,
            "average": average, "passed": passed}  # fmt: skip


def _canon(value: Any) -> bytes:
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode()


def certificate_code(key: bytes, summary: dict[str, Any], trainee: str) -> str:
    mac = hmac.new(key, b"certificate\0" + _canon([trainee, summary]), hashlib.sha256).digest()
    text = base64.b32encode(mac[:10]).decode()  # 16 characters, no padding
    return "-".join(text[i : i + 4] for i in range(0, 16, 4))


def finish_attempt(records: Records, attempt: Attempt) -> dict[str, Any]:
    """Evaluate, sign (when the centre's key is present) and store; returns the summary with
    ``code`` (the certificate code when passed and signed)."""
    summary = _summary(records, attempt.uuid, attempt.drill)
    raw = _canon(summary)
    signature = signer = code = None
    scripted = _scripted(records, attempt.uuid)
    if records.key is not None:
        signature = sign(records.key, b"attempt\0" + _canon([attempt.trainee, summary]))
        signer = key_id(records.key)
        if summary["passed"] and scripted is None:
            code = certificate_code(records.key, summary, attempt.trainee)
    records.end_attempt(
        attempt.id, average=summary["average"], passed=bool(summary["passed"]),
        summary_json=raw, signature=signature, key_id=signer, code=code,
    )  # fmt: skip
    return {**summary, "code": code, "signed": signature is not None, "agent": scripted}


def _scripted(records: Records, attempt_uuid: str) -> str | None:
    """The scripted trainee that played any part of an attempt (None: a person did)."""
    row = records.attempt_by_uuid(attempt_uuid)
    if row is not None and row.agent:
        return row.agent
    return next((s.agent for s in records.attempt_sessions(attempt_uuid) if s.agent), None)


def run_drill_headless(
    records: Records,
    drill: LoadedDrill,
    procedure: Procedure,
    trainee: str,
    agent: str,
    lang: str = "zh",
) -> dict[str, Any]:
    """A scripted trainee takes the whole drill in exam mode (a quality check of the drill:
    the attempt is marked as the agent's, and never earns a certificate)."""
    attempt = start_attempt(records, drill, trainee, agent=agent)
    for spec in drill.drill.drawn(attempt.uuid):
        loaded = find_scenario(spec.id, procedure.ids)
        seed = draw_seed(records, loaded, trainee, drill)
        record_agent_run(
            records, loaded, procedure, seed, agent, trainee, lang=lang, mode="exam",
            drill=attempt.uuid, time_limit=spec.time_limit, injections=spec.schedule(),
        )  # fmt: skip
    return {**finish_attempt(records, attempt), "number": attempt.number}


def scheduled_for(records: Records, row: SessionRow) -> list[tuple[float, str]] | None:
    """The incidents the drill of the session's attempt throws into its scenario, (sim time,
    id) in order; None when the session is no drill attempt's (or its drill cannot be read)."""
    if row.drill is None:
        return None
    attempt = records.attempt_by_uuid(row.drill)
    model = recorded_model(attempt.drill_source) if attempt is not None else None
    if attempt is None or model is None:
        return None
    spec = next((s for s in model.drawn(attempt.uuid) if s.id == row.scenario_id), None)
    return spec.schedule() if spec is not None else None


def find_by_code(records: Records, code: str) -> int | None:
    found = records.attempt_by_code(code.strip().upper().replace(" ", ""))
    return found.id if found else None


def recorded_model(source: bytes | None) -> Drill | None:
    """The drill file as an attempt recorded it, read again (None: it is no valid drill)."""
    from sim.validation import validate_located
    from sim.yamlio import load_yaml_text

    if not source:
        return None
    try:
        doc = load_yaml_text(bytes(source), "attempt.yaml")
        model, problems = validate_located(Drill, doc)
    except (DeskTrainerError, ValueError, RecursionError):
        return None
    return model if model is not None and not problems else None


def verify_attempt(records: Records, attempt_id: int, key: bytes) -> list[Finding]:
    """Every session of the attempt verified, the verdict re-derived, the signature checked."""
    row = records.attempt(attempt_id)
    if row is None:
        raise RecordsError(tr("records.no_session", file=records.where, session=attempt_id))
    audit = read_audit(records, key)
    out: list[Finding] = []
    for s in records.attempt_sessions(row.uuid):
        out.extend(verify_session(records, s.id, key, audit))
    out.extend(check_attempt(records, attempt_id, key, audit))
    return out


def _af(attempt_id: int, code: str, msg: str, **kw: object) -> Finding:
    return Finding(0, code, tr(f"verify.{msg}", attempt=attempt_id, **kw), attempt=attempt_id)


def check_attempt(
    records: Records, attempt_id: int, key: bytes | None, audit: AuditIndex | None = None
) -> list[Finding]:
    """One attempt's own record (not its sessions'): the drill file against its hash, the
    verdict re-derived from the results it was given from, every column against the signed
    summary and the audit log, the signature, the certificate code (one attempt's, and never
    a scripted trainee's)."""
    row = records.attempt(attempt_id)
    if row is None:
        raise RecordsError(tr("records.no_session", file=records.where, session=attempt_id))
    if audit is None:
        audit = read_audit(records, key)
    out: list[Finding] = []

    def bad(code: str, msg: str, **kw: object) -> None:
        out.append(_af(attempt_id, code, msg, **kw))

    source = row.drill_source
    if hashlib.sha256(source).hexdigest() != row.drill_sha256:
        bad("attempt_changed", "attempt_source")
    model = recorded_model(source)
    raw = row.summary_json
    try:
        stored = json.loads(raw) if raw else None
    except (ValueError, RecursionError):
        stored = None
    if raw is not None and not isinstance(stored, dict):
        bad("attempt_changed", "attempt_changed")
        stored = None
    sessions = records.attempt_sessions(row.uuid)
    if any(s.trainee_id != row.trainee_id for s in sessions):
        bad("attempt_changed", "attempt_trainee")
    scripted = row.agent or next((s.agent for s in sessions if s.agent), None)
    logged = audit.logged_attempt(row.id) or any(s.seal is not None for s in sessions)

    if row.status == "complete" or raw is not None:
        if model is None:
            bad("attempt_changed", "attempt_source")
        elif stored is not None:
            scored = {
                str(i.get("session_uuid")): str(i.get("report_sha256"))
                for i in stored.get("items") or []
                if isinstance(i, dict) and i.get("session_uuid")
            }
            drill = LoadedDrill(drill=model, path=f"attempt-{attempt_id}.yaml",
                                sha256=row.drill_sha256, source=source)  # fmt: skip
            if _canon(_summary(records, row.uuid, drill, scored)) != raw:
                bad("attempt_changed", "attempt_changed")
        if stored is None:
            bad("attempt_changed", "attempt_changed")
        else:
            if stored.get("attempt") != row.uuid or stored.get("drill_sha256") != row.drill_sha256:
                bad("attempt_changed", "attempt_changed")
            if row.average != stored.get("average") or row.passed != bool(stored.get("passed")):
                bad("attempt_changed", "attempt_columns")
            if row.code is not None and not stored.get("passed"):
                bad("code", "attempt_code")

    if row.signature is None:
        if raw is not None:
            bad("unsigned", "attempt_unsigned")
        if row.code is not None:
            bad("code", "attempt_code")
    elif key is not None:
        if row.key_id != key_id(key):
            bad("other_key", "attempt_other_key", key=row.key_id)
        else:
            good = sign(key, b"attempt\0" + _canon([row.trainee_id, stored]))
            if not hmac.compare_digest(good, row.signature):
                bad("signature_invalid", "attempt_signature")
            if (
                row.code is not None
                and stored is not None
                and not hmac.compare_digest(row.code, certificate_code(key, stored, row.trainee_id))
            ):
                bad("code", "attempt_code")
    if row.code is not None and records.attempts_with_code(row.code) > 1:
        bad("code", "attempt_code_twice")

    if logged:
        out.extend(_attempt_logged(row, audit, scripted))
    return out


def _attempt_logged(row: AttemptRow, audit: AuditIndex, scripted: str | None) -> list[Finding]:
    """An attempt against what the audit log recorded: who, which drill, which number, which
    agent, and how it ended."""
    out: list[Finding] = []

    def bad(code: str, msg: str, **kw: object) -> None:
        out.append(_af(row.id, code, msg, **kw))

    begun = audit.attempts.get(row.uuid)
    if begun is None:
        bad("attempt_changed", "attempt_not_logged")
        return out
    order = audit.attempt_order.get((row.drill_id, row.trainee_id), [])
    number = order.index(row.uuid) + 1 if row.uuid in order else None
    if (
        begun.get("id") != row.id
        or begun.get("trainee") != row.trainee_id
        or begun.get("drill") != row.drill_id
        or begun.get("drill_sha256") != row.drill_sha256
        or begun.get("number") != row.attempt
        or number != row.attempt
    ):
        bad("attempt_changed", "attempt_number")
    if begun.get("agent") != row.agent or (scripted and not row.agent):
        bad("attempt_changed", "attempt_agent", agent=scripted or begun.get("agent") or "?")
    if scripted and row.code is not None:
        bad("code", "attempt_scripted_code", agent=scripted)
    ended = audit.attempt_ends.get(row.uuid)
    if ended is None:
        if row.status == "complete" or row.summary_json is not None:
            bad("attempt_changed", "attempt_columns")
        return out
    summary_sha = hashlib.sha256(row.summary_json).hexdigest() if row.summary_json else None
    if (
        ended.get("ended_at") != row.ended_at
        or ended.get("average") != row.average
        or ended.get("passed") != row.passed
        or ended.get("summary") != summary_sha
        or ended.get("signature") != row.signature
        or ended.get("code") != row.code
        or row.status != "complete"
    ):
        bad("attempt_changed", "attempt_columns")
    return out


def attempt_sealed(row: AttemptRow, key: bytes) -> bool:
    """A cheap check that an attempt's verdict columns are the ones its signed summary gives
    (what a report that counts passes relies on; ``verify`` does the full check)."""
    if row.summary_json is None or row.signature is None or row.key_id != key_id(key):
        return False
    try:
        stored = json.loads(row.summary_json)
    except (ValueError, RecursionError):
        return False
    if not isinstance(stored, dict):
        return False
    if not hmac.compare_digest(
        sign(key, b"attempt\0" + _canon([row.trainee_id, stored])), row.signature
    ):
        return False
    if stored.get("attempt") != row.uuid or row.passed != bool(stored.get("passed")):
        return False
    if row.average != stored.get("average"):
        return False
    if row.code is None:
        return True
    return row.agent is None and hmac.compare_digest(
        row.code, certificate_code(key, stored, row.trainee_id)
    )


def summaries_of(records: Records, ids: Sequence[int]) -> list[dict[str, Any]]:
    out = []
    for attempt_id in ids:
        row = records.attempt(attempt_id)
        summary = row.summary if row else None
        if summary is not None:
            out.append(summary)
    return out

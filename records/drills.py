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

from records.db import Records, RecordsError
from records.integrity import Finding, key_id, sign
from records.service import record_agent_run
from records.verify import verify_session
from records.words import tr
from scoring.procedure import Procedure
from sim.drill import LoadedDrill
from sim.engine import Engine
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
    return records.attempt_count(drill_id, trainee)


def start_attempt(records: Records, drill: LoadedDrill, trainee: str) -> Attempt:
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
        drill_source=drill.source, trainee=trainee, number=used + 1,
    )  # fmt: skip
    return Attempt(attempt_id, attempt_uuid, drill, trainee, used + 1)


def draw_seed(records: Records, loaded: LoadedScenario, trainee: str, drill: LoadedDrill) -> int:
    """A fresh, unpredictable seed; with ``draw: fresh``, one whose variant this trainee has not
    had in an earlier attempt of this drill, while the scenario has such a variant left."""
    rng = secrets.SystemRandom()
    if drill.drill.drill.draw == "random":
        return rng.randrange(2**31)
    had = records.variants_had(drill.id, trainee, loaded.id)
    left = {v.id for v in loaded.scenario.variants} - had
    seed = rng.randrange(2**31)
    for _ in range(256):
        if not left or Engine(loaded, seed).variant.id in left:
            return seed
        seed = rng.randrange(2**31)
    return seed


def _summary(records: Records, attempt_uuid: str, drill: LoadedDrill) -> dict[str, Any]:
    """The verdict of an attempt, from the current results of its sessions."""
    rows = records.attempt_sessions(attempt_uuid)
    by_scenario = {r.scenario_id: r for r in rows}
    items: list[dict[str, Any]] = []
    scores = []
    critical_any = False
    each_ok = True
    for spec in drill.drill.scenarios:
        r = by_scenario.get(spec.id)
        res = records.current_result(r.id) if r else None
        if r is None or res is None:
            items.append({"scenario": spec.id, "session": r.id if r else None, "score": None})
            scores.append(0.0)
            each_ok = False
            continue
        ok = res.score >= spec.pass_mark and not res.critical_failures
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
            }
        )
    rule = drill.drill.drill.overall
    average = round(sum(scores) / len(scores), 1)
    passed = (
        len(rows) == len(drill.drill.scenarios)
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
    if records.key is not None:
        signature = sign(records.key, b"attempt\0" + _canon([attempt.trainee, summary]))
        signer = key_id(records.key)
        if summary["passed"]:
            code = certificate_code(records.key, summary, attempt.trainee)
    records.end_attempt(
        attempt.id, average=summary["average"], passed=bool(summary["passed"]),
        summary_json=raw, signature=signature, key_id=signer, code=code,
    )  # fmt: skip
    return {**summary, "code": code, "signed": signature is not None}


def run_drill_headless(
    records: Records,
    drill: LoadedDrill,
    procedure: Procedure,
    trainee: str,
    agent: str,
    lang: str = "zh",
) -> dict[str, Any]:
    """A scripted trainee takes the whole drill in exam mode (a quality check of the drill)."""
    attempt = start_attempt(records, drill, trainee)
    for spec in drill.drill.scenarios:
        loaded = find_scenario(spec.id, procedure.ids)
        seed = draw_seed(records, loaded, trainee, drill)
        record_agent_run(
            records, loaded, procedure, seed, agent, trainee, lang=lang, mode="exam",
            drill=attempt.uuid, time_limit=spec.time_limit,
        )  # fmt: skip
    return {**finish_attempt(records, attempt), "number": attempt.number}


def find_by_code(records: Records, code: str) -> int | None:
    found = records.attempt_by_code(code.strip().upper().replace(" ", ""))
    return found.id if found else None


def verify_attempt(records: Records, attempt_id: int, key: bytes) -> list[Finding]:
    """Every session of the attempt verified, the verdict re-derived, the signature checked."""
    row = records.attempt(attempt_id)
    if row is None:
        raise RecordsError(tr("records.no_session", file=str(records.path), session=attempt_id))
    attempt_uuid, trainee, source = row.uuid, row.trainee_id, row.drill_source
    raw, signature, signer, code = row.summary_json, row.signature, row.key_id, row.code
    from sim.drill import Drill  # the recorded drill file, not today's
    from sim.validation import validate_located
    from sim.yamlio import load_yaml_text

    doc = load_yaml_text(source, f"attempt-{attempt_id}.yaml")
    model, _ = validate_located(Drill, doc)
    out: list[Finding] = []
    ids = [s.id for s in records.attempt_sessions(attempt_uuid)]
    for sid in ids:
        out.extend(verify_session(records, sid, key))
    if model is None:
        return out
    drill = LoadedDrill(
        drill=model, path=doc.file, sha256=hashlib.sha256(source).hexdigest(), source=source,
    )  # fmt: skip
    summary = _summary(records, attempt_uuid, drill)
    if raw is None or _canon(summary) != raw:
        out.append(Finding(ids[0] if ids else 0, "attempt_changed",
                           tr("verify.attempt_changed", attempt=attempt_id)))  # fmt: skip
    if signature is None:
        out.append(Finding(0, "unsigned", tr("verify.attempt_unsigned", attempt=attempt_id)))
    elif signer != key_id(key):
        out.append(
            Finding(0, "other_key", tr("verify.attempt_other_key", attempt=attempt_id, key=signer))
        )
    else:
        stored = json.loads(raw) if raw else {}
        good = sign(key, b"attempt\0" + _canon([trainee, stored]))
        if not hmac.compare_digest(good, signature):
            out.append(
                Finding(0, "signature_invalid", tr("verify.attempt_signature", attempt=attempt_id))
            )
        if code is not None and code != certificate_code(key, stored, trainee):
            out.append(Finding(0, "code", tr("verify.attempt_code", attempt=attempt_id)))
    return out


def summaries_of(records: Records, ids: Sequence[int]) -> list[dict[str, Any]]:
    out = []
    for attempt_id in ids:
        row = records.attempt(attempt_id)
        summary = row.summary if row else None
        if summary is not None:
            out.append(summary)
    return out

"""The pass certificate of a drill attempt: printable, with the verification code and how to
check it. Only a complete, passed and signed attempt gets one; with the centre's key at hand the
attempt is verified first (chain, signatures, re-derivation) and a record that fails is refused.
"""

from __future__ import annotations

import json
from typing import Any

from records.db import Records
from records.drills import find_by_code, verify_attempt
from reports.drill import recorded_drill
from reports.page import ReportError, Scenarios, day, num, render, who
from reports.words import tr

__all__ = ["certificate", "certificate_data"]


def _attempt_id(records: Records, ref: str, lang: str) -> int:
    text = ref.strip()
    if text.isdigit():
        return int(text)
    found = find_by_code(records, text)
    if found is None:
        raise ReportError(tr("reports.certificate.no_code", lang, code=text))
    return found


def certificate_data(records: Records, ref: str, lang: str) -> dict[str, Any]:
    attempt_id = _attempt_id(records, ref, lang)
    row = records.conn.execute(
        "SELECT id, uuid, drill_id, trainee_id, attempt, started_at, ended_at, status, average,"
        " passed, summary_json, signature, key_id, code, drill_source"
        " FROM drill_attempts WHERE id = ?",
        (attempt_id,),
    ).fetchone()
    if row is None:
        raise ReportError(
            tr("reports.certificate.no_attempt", lang, attempt=attempt_id, file=str(records.path))
        )
    (aid, _uuid, drill_id, trainee, number, _started, ended, status, average, passed,
     raw, signature, key_id, code, source) = row  # fmt: skip
    said = {"attempt": aid, "trainee": trainee, "drill": drill_id, "average": num(average)}
    if status != "complete" or raw is None:
        raise ReportError(tr("reports.certificate.unfinished", lang, **said))
    if not passed:
        raise ReportError(tr("reports.certificate.failed", lang, **said))
    if signature is None or code is None:
        raise ReportError(tr("reports.certificate.unsigned", lang, **said))
    if records.key is not None:
        problems = verify_attempt(records, aid, records.key)
        if problems:
            detail = " ".join(p.detail for p in problems[:3])
            raise ReportError(tr("reports.certificate.tampered", lang, **said, detail=detail))
    drill = recorded_drill(source, drill_id)
    summary = json.loads(raw)
    scenarios = Scenarios(records)
    items = [
        {
            "title": scenarios.title(i["scenario"], lang),
            "scenario": i["scenario"],
            "score": i.get("score"),
            "pass_mark": i.get("pass_mark"),
            "passed": i.get("passed"),
        }
        for i in summary["items"]
    ]
    editions = [
        r[0]
        for r in records.conn.execute(
            "SELECT DISTINCT r.procedure FROM results r JOIN sessions s ON s.id = r.session_id"
            " WHERE s.drill = ? AND r.current = 1 ORDER BY 1",
            (_uuid,),
        )
    ]
    return {
        "attempt": aid,
        "number": number,
        "trainee": trainee,
        "who": who(records, trainee, lang),
        "title": drill.drill.drill.title.get(lang),
        "drill_id": drill_id,
        "date": day(ended),
        "average": average,
        "items": items,
        "code": code,
        "key_id": key_id,
        "editions": editions,
        "verified": records.key is not None,
        "overall": drill.drill.drill.overall,
    }


def certificate(records: Records, ref: str, lang: str = "zh") -> str:
    """The certificate of drill attempt ``ref`` (its number or its verification code)."""
    return render("certificate.html.j2", lang, **certificate_data(records, ref, lang))

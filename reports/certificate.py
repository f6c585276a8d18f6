"""The pass certificate of a drill attempt: printable, with the verification code and how to
check it. Only a complete, passed and signed attempt gets one; with the centre's key at hand the
attempt is verified first (chain, signatures, re-derivation) and a record that fails is refused.
"""

from __future__ import annotations

from typing import Any

from records.db import Records
from records.drills import find_by_code, verify_attempt
from records.paths import add_months, validity_months
from reports.drill import recorded_drill
from reports.page import ReportError, Scenarios, day, num, person, render, who
from reports.words import tr
from sim.centre import centre
from sim.localtime import local_date

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
    row = records.attempt(attempt_id)
    if row is None:
        raise ReportError(
            tr("reports.certificate.no_attempt", lang, attempt=attempt_id, file=records.where)
        )
    aid, drill_id, trainee = row.id, row.drill_id, row.trainee_id
    said = {"attempt": aid, "trainee": trainee, "drill": drill_id, "average": num(row.average)}
    summary = row.summary
    if row.status != "complete" or summary is None:
        raise ReportError(tr("reports.certificate.unfinished", lang, **said))
    if not row.passed:
        raise ReportError(tr("reports.certificate.failed", lang, **said))
    if row.signature is None or row.code is None:
        raise ReportError(tr("reports.certificate.unsigned", lang, **said))
    scripted = row.agent or next(
        (s.agent for s in records.attempt_sessions(row.uuid) if s.agent), None
    )
    if scripted:
        raise ReportError(tr("reports.certificate.scripted", lang, **said, agent=scripted))
    if records.key is not None:
        problems = verify_attempt(records, aid, records.key)
        if problems:
            detail = " ".join(p.detail for p in problems[:3])
            raise ReportError(tr("reports.certificate.tampered", lang, **said, detail=detail))
    drill = recorded_drill(row.drill_source, drill_id)
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
    editions = records.attempt_editions(row.uuid)
    holder = person(records, trainee)
    earned = local_date(row.ended_at)
    months = validity_months(row)
    valid_until = add_months(earned, months) if earned is not None and months else None
    the_centre = centre()
    return {
        "name": holder.name,
        "unit": holder.unit,
        "team": holder.team,
        "valid_until": valid_until.isoformat() if valid_until else None,
        "centre": the_centre.name.get(lang),
        "check": the_centre.check.get(lang) if the_centre.check else None,
        "attempt": aid,
        "number": row.attempt,
        "trainee": trainee,
        "who": who(records, trainee, lang),
        "title": drill.drill.drill.title.get(lang),
        "drill_id": drill_id,
        "date": day(row.ended_at),
        "average": row.average,
        "items": items,
        "code": row.code,
        "key_id": row.key_id,
        "editions": editions,
        "verified": records.key is not None,
        "overall": drill.drill.drill.overall,
    }


def certificate(records: Records, ref: str, lang: str = "zh") -> str:
    """The certificate of drill attempt ``ref`` (its number or its verification code)."""
    return render("certificate.html.j2", lang, **certificate_data(records, ref, lang))

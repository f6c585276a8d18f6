"""The debrief of one recorded session: its result clause by clause, critical failures first,
and a timeline of what happened, what the clerk did and what the scorer found, in sim time."""

from __future__ import annotations

from typing import Any

from records.db import Records, RecordsError, SessionRow
from records.service import readable_result
from reports.charts import Mark, clock, timeline
from reports.page import render, who
from reports.words import tr
from scoring.narrate import Narrator
from scoring.result import Report, ordered
from sim.trace import TraceEntry
from sim.vocabulary import vocabulary

__all__ = ["session_report", "finding_rows"]

# replies the scenarios tag as wrong whatever the moment
_BAD_TAGS = vocabulary().bad_tags
_QUIET = {"session_start", "session_end", "customer_mood"}


def _marks(events: list[TraceEntry], findings: list[dict[str, Any]], words: Narrator) -> list[Mark]:
    marks: list[Mark] = []
    for e in events:
        if e.name in _QUIET:
            continue
        tip = f"{clock(e.t)} {words.describe(e, 60)}"
        if e.kind == "event":
            if e.name == "customer_says":
                marks.append(Mark(e.t, 0, "tick", "said", None, tip))
                continue
            cls = "hazard" if e.name == "hazard_reported" else (
                "bad" if e.name in vocabulary().mistakes else "event")  # fmt: skip
            prio = 0 if cls != "event" else 1
            marks.append(Mark(e.t, 0, "tri", cls, words.mark_label(e), tip, prio))
            continue
        if not e.valid:
            marks.append(Mark(e.t, 1, "cross", "bad", words.mark_label(e), tip, 1))
        elif e.name == "say":
            cls = "safety" if "safety" in e.tags else (
                "bad" if _BAD_TAGS & set(e.tags) else "say")  # fmt: skip
            marks.append(Mark(e.t, 1, "dot", cls, words.mark_label(e), tip, 0 if cls else 2))
        else:
            marks.append(Mark(e.t, 1, "dot", "act", words.mark_label(e), tip, 2))
    for f in findings:
        if f["at_s"] is None:
            continue
        tip = f"{f['at']} {f['clause']} {f['verdict_text']}{words.w('words.colon')}{f['evidence']}"
        if f["verdict"] == "met":
            marks.append(Mark(f["at_s"], 2, "dot", "ok", f["clause"], tip, 3))
        else:
            cls = "bad" if f["critical"] else "warn"
            marks.append(
                Mark(f["at_s"], 2, "diamond", cls, f["clause"], tip, 0 if f["critical"] else 1)
            )
    return marks


def finding_rows(report: Report, words: Narrator) -> list[dict[str, Any]]:
    """The report's findings for a table: critical failures first, then the other breaches,
    then what was met; each with the clause text it was judged by."""
    rows = []
    for f in ordered(report.findings):
        rows.append(
            {
                "clause": words.citation(f.clause),
                "rule": f.rule,
                "verdict": f.verdict,
                "verdict_text": words.verdict(f.verdict),
                "critical": f.critical,
                "lost": f.lost,
                "points_lost": f.points_lost,
                "at_s": f.at,
                "at": "—" if f.at is None else clock(f.at),
                "evidence": words.evidence(f),
                "clause_text": words.clause_texts(f, "zh"),
                "clause_text_en": words.clause_texts(f, "en") if words.lang == "en" else None,
            }
        )
    return rows


def session_data(records: Records, row: SessionRow, lang: str) -> dict[str, Any]:
    res = records.current_result(row.id)
    report = readable_result(records, row, res) if res else None
    loaded = records.scenario(row)
    procedure = records.procedure(res.procedure_sha256 if res else row.procedure_sha256)
    events = records.events(row.id)
    words = Narrator(loaded.scenario, row.variant, lang, procedure, trace=events)
    meta = loaded.scenario.scenario
    findings = finding_rows(report, words) if report else []
    limit = row.time_limit or meta.time_limit  # a drill may set its own
    duration = row.sim_end or (events[-1].t if events else 0.0) or float(limit)
    lanes = [tr(f"reports.session.lane_{k}", lang) for k in ("events", "actions", "findings")]
    chart = timeline(
        duration,
        _marks(events, findings, words),
        lanes,
        label=tr("reports.session.timeline", lang),
    )
    log = [
        {
            "at": clock(e.t),
            "kind": e.kind,
            "valid": e.valid,
            "bad": bool(_BAD_TAGS & set(e.tags)) or e.name in vocabulary().mistakes or not e.valid,
            "safety": "safety" in e.tags,
            "text": words.describe(e, at=i),
        }
        for i, e in enumerate(events)
        if e.name not in _QUIET
    ]
    signed = res.key_id if res is not None and res.signature else None
    branches = _branches(records, row, report, lang)
    origin = None
    if row.branch_of:
        try:
            first = records.session(row.branch_of)
            origin = {"id": first.id, "at": clock(float(row.branch_at or 0.0))}
        except RecordsError:
            origin = None
    attempt = records.attempt_by_uuid(row.drill) if row.drill else None
    return {
        "row": row,
        "who": who(records, row.trainee_id, lang),
        "title": meta.title.get(lang),
        "variant": words.variant.name(lang),
        "kind": tr(f"kind.{meta.kind}", lang),
        "report": report,
        "result": res,
        "signed_by": signed,
        "attempt": attempt,
        "findings": findings,
        "branches": branches,
        "origin": origin,
        "critical": [f for f in findings if f["critical"] and f["lost"]],
        "broken": [f for f in findings if f["lost"]],
        "chart": chart,
        "log": log,
        "invalid": [
            {
                "at": clock(a.t),
                "action": words.label(a.action),
                "reason": tr(f"precondition.{a.reason}", lang),
            }
            for a in (report.invalid_attempts if report else ())
        ],
    }


def _branches(
    records: Records, row: SessionRow, report: Report | None, lang: str
) -> list[dict[str, Any]]:
    """The practice branches taken from this session: when each went back to, its score, and
    the clauses whose points it won back or lost."""
    if report is None:
        return []
    was = {f.rule: f for f in report.findings}
    out = []
    for b in records.branches(row.uuid):
        res = records.current_result(b.id)
        if res is None:
            continue
        won: list[str] = []
        lost: list[str] = []
        for f in res.report.findings:
            g = was.get(f.rule)
            if g is None or g.points_lost == f.points_lost:
                continue
            (won if f.points_lost < g.points_lost else lost).append(f.clause)
        out.append(
            {
                "id": b.id,
                "at": clock(float(b.branch_at or 0.0)),
                "score": res.score,
                "passed": res.passed,
                "won": sorted(set(won)),
                "lost": sorted(set(lost)),
            }
        )
    return out


def session_report(records: Records, ref: int | str, lang: str = "zh") -> str:
    """The debrief of session ``ref`` (number or uuid) as one HTML page."""
    row = records.session(ref)
    return render("session.html.j2", lang, **session_data(records, row, lang))

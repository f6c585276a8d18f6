"""A drill's cohort: every attempt at one drill (since a date): pass rate, the spread of
averages, each scenario's results, the clauses broken most with their words, and for the
emergency scenarios how long the clerks took to give safety advice after a hazard report."""

from __future__ import annotations

import hashlib
import math
import statistics
from typing import Any

from records.db import Records
from records.drills import attempt_sealed
from reports.charts import Line, histogram, nice_step
from reports.page import ClauseBook, ReportError, Scenarios, day, num, render, who
from reports.safety import HAZARD, SafetyRule, advice_delay, safety_rule
from reports.words import tr
from sim.drill import Drill, LoadedDrill, load_drill
from sim.errors import DeskTrainerError
from sim.validation import validate_located
from sim.yamlio import load_yaml_text

__all__ = ["drill_report", "drill_data", "since_iso"]

EMERGENCY_KINDS = ("emergency", "combined")


def since_iso(text: str | None, lang: str = "zh") -> str | None:
    """``--since 2026-11-01`` as the stored time it starts at (midnight in the centre's zone)."""
    from sim.localtime import since_utc

    if text is None:
        return None
    try:
        return since_utc(text)
    except ValueError:
        raise ReportError(tr("export.bad_date", lang, value=text)) from None


def recorded_drill(source: bytes | None, drill_id: str) -> LoadedDrill:
    """The drill file as the newest attempt recorded it (today's file when that fails)."""
    if source:
        try:
            doc = load_yaml_text(bytes(source), f"{drill_id}.yaml")
            model, problems = validate_located(Drill, doc)
        except DeskTrainerError:
            model, problems = None, []
        if model is not None and not problems:
            sha = hashlib.sha256(bytes(source)).hexdigest()
            return LoadedDrill(drill=model, path=doc.file, sha256=sha, source=bytes(source))
    return load_drill(drill_id)


def _safety(
    records: Records,
    scenarios: Scenarios,
    sessions: list[dict[str, Any]],
    scenario_id: str,
    lang: str,
) -> dict[str, Any] | None:
    """The hazard → first safety advice times of one emergency scenario's sessions."""
    mine = [s for s in sessions if s["scenario"] == scenario_id and s["status"] == "complete"]
    rules: dict[int, SafetyRule] = {}
    for s in mine:
        loaded = scenarios.by_sha(s["scenario_sha256"])
        rule = safety_rule(loaded) if loaded else None
        if rule is not None:
            rules[s["id"]] = rule
    if not rules:
        return None
    names = {HAZARD} | {p.name for r in rules.values() for p in r.patterns}
    ids = sorted(rules)
    by_session = records.events_named(ids, names)
    delays: list[float] = []
    never = 0
    for sid in ids:
        t0, delay = advice_delay(by_session.get(sid, []), rules[sid])
        if t0 is None:
            continue
        if delay is None:
            never += 1
        else:
            delays.append(delay)
    n = len(delays) + never
    if n == 0:
        return None
    ordered = sorted(delays) + [math.inf] * never
    median = statistics.median(ordered)
    limit = next((r.within for r in rules.values() if r.within is not None), None)
    hi = max([*delays, limit or 0.0, 1.0])
    width = nice_step(hi, 12, (1, 2, 5, 10, 15, 20, 30, 60, 120, 300))
    top = width * (math.floor(hi / width) + 1)
    lines = []
    if limit is not None:
        lines.append(Line(limit, tr("reports.cohort.limit", lang, s=num(limit)), "limit"))
    if math.isfinite(median):
        lines.append(Line(median, tr("reports.cohort.median", lang, s=num(median)), "median"))
    chart = histogram(
        delays,
        lo=0.0,
        hi=top,
        width=width,
        label=tr("reports.cohort.safety_chart", lang, title=scenarios.title(scenario_id, lang)),
        fmt=lambda v: f"{v:g}",
        y_label=tr("reports.cohort.sessions_axis", lang),
        lines=lines,
        extra=(tr("reports.cohort.never", lang), never, "never"),
    )
    return {
        "scenario": scenario_id,
        "title": scenarios.title(scenario_id, lang),
        "chart": chart,
        "n": n,
        "never": never,
        "median": median if math.isfinite(median) else None,
        "fastest": min(delays) if delays else None,
        "slowest": max(delays) if delays else None,
        "limit": limit,
        "in_time": sum(1 for d in delays if limit is not None and d <= limit),
        "bin": width,
    }


def drill_data(records: Records, drill_id: str, since: str | None, lang: str) -> dict[str, Any]:
    start = since_iso(since, lang)
    rows = records.attempts(drill_id, since=start)
    if not rows:
        key = "reports.no_attempts_since" if start else "reports.no_attempts"
        raise ReportError(tr(key, lang, drill=drill_id, since=since, file=records.where))
    drill = recorded_drill(rows[-1].drill_source, drill_id)
    meta = drill.drill.drill
    names: dict[str, str] = {}
    attempts: list[dict[str, Any]] = []
    centre_key = records.key
    for r in rows:
        # with the key, a signed attempt whose verdict columns are not the signed ones is shown
        # as altered and not counted; without it, nothing can be checked and the page says so
        altered = (
            centre_key is not None and r.signature is not None and not attempt_sealed(r, centre_key)
        )
        scripted = r.agent or next(
            (s.agent for s in records.attempt_sessions(r.uuid) if s.agent), None
        )
        summary = r.summary
        items = summary["items"] if summary else []
        critical = sorted({c for i in items for c in i.get("critical_failures") or []})
        if r.trainee_id not in names:
            names[r.trainee_id] = who(records, r.trainee_id, lang)
        attempts.append(
            {
                "id": r.id,
                "uuid": r.uuid,
                "trainee": r.trainee_id,
                "who": names[r.trainee_id],
                "attempt": r.attempt,
                "started_at": r.started_at,
                "status": r.status,
                "average": r.average,
                "passed": r.passed,
                "code": r.code,
                "signed": r.signature is not None,
                "critical": critical,
                "items": items,
                "altered": altered,
                "scripted": scripted,
            }
        )
    done = [
        a
        for a in attempts
        if a["status"] == "complete"
        and a["passed"] is not None
        and not a["altered"]
        and not a["scripted"]
    ]
    passed = [a for a in done if a["passed"]]
    trainees = sorted({a["trainee"] for a in attempts})
    trainees_passed = {a["trainee"] for a in passed}
    pass_line = meta.overall.average_at_least
    scored_done = [a for a in done if a["average"] is not None]
    averages = [float(a["average"]) for a in scored_done]
    chart = histogram(
        averages,
        lo=0.0,
        hi=100.0,
        width=10.0,
        label=tr("reports.cohort.spread", lang),
        fmt=lambda v: f"{v:g}",
        y_label=tr("reports.cohort.attempts_axis", lang),
        lines=[Line(pass_line, tr("reports.cohort.pass_line", lang, mark=num(pass_line)), "pass")],
        passed=[bool(a["passed"]) for a in scored_done],
        split_words=(tr("report.passed", lang), tr("report.failed", lang)),
    )

    sessions: list[dict[str, Any]] = [
        {
            "id": s.id,
            "trainee": s.trainee_id,
            "scenario": s.scenario_id,
            "scenario_sha256": s.scenario_sha256,
            "status": s.status,
            "score": r.score if r else None,
            "procedure_sha256": r.procedure_sha256 if r else None,
            "result": r.id if r else None,
        }
        for s, r in ((h.session, h.result) for h in records.drill_sessions(drill_id, since=start))
    ]
    scenarios = Scenarios(records)
    per_scenario = []
    for spec in drill.drill.every():
        items = [i for a in done for i in a["items"] if i["scenario"] == spec.id]
        scored = [i for i in items if i.get("score") is not None]
        per_scenario.append(
            {
                "id": spec.id,
                "title": scenarios.title(spec.id, lang),
                "pass_mark": spec.pass_mark,
                "n": len(items),
                "mean": sum(i["score"] for i in scored) / len(scored) if scored else None,
                "passed": sum(1 for i in scored if i.get("passed")),
                "critical": sum(1 for i in scored if i.get("critical_failures")),
            }
        )

    with_result = [s for s in sessions if s["result"] is not None]
    broken = records.drill_broken_clauses(drill_id, since=start, top=10)
    newest = sorted(with_result, key=lambda s: -int(s["result"]))
    book = ClauseBook(records, [s["procedure_sha256"] for s in newest])
    clauses = []
    for b in broken:
        zh, en = book.text(b.clause, lang)
        clauses.append(
            {
                "clause": b.clause,
                "times": b.times,
                "critical": b.critical,
                "share": b.times / len(with_result) if with_result else 0.0,
                "scenarios": list(b.scenarios),
                "text": zh,
                "text_en": en,
            }
        )

    safety = []
    for spec in drill.drill.every():
        loaded = scenarios.newest(spec.id)
        if loaded is None or loaded.scenario.scenario.kind not in EMERGENCY_KINDS:
            continue
        found = _safety(records, scenarios, sessions, spec.id, lang)
        if found is not None:
            safety.append(found)

    first, last = day(rows[0].started_at), day(rows[-1].started_at)
    return {
        "drill": drill,
        "title": meta.title.get(lang),
        "drill_id": drill_id,
        "since": since.strip() if since else None,
        "period": first if first == last else f"{first} – {last}",
        "attempts": attempts,
        "n_done": len(done),
        "n_passed": len(passed),
        "rate": len(passed) / len(done) if done else None,
        "n_trainees": len(trainees),
        "n_trainees_passed": len(trainees_passed),
        "mean": sum(averages) / len(averages) if averages else None,
        "n_sessions": len(with_result),
        "chart": chart,
        "n_bars": 10,
        "per_scenario": per_scenario,
        "clauses": clauses,
        "safety": safety,
        "overall": meta.overall,
        "verified": centre_key is not None,
        "n_altered": sum(1 for a in attempts if a["altered"]),
        "n_scripted": sum(1 for a in attempts if a["scripted"]),
        "titles": {sid: scenarios.title(sid, lang) for sid in drill.drill.every_id()},
    }


def drill_report(
    records: Records, drill_id: str, since: str | None = None, lang: str = "zh"
) -> str:
    """The cohort report of a drill (its attempts since ``since``) as one HTML page."""
    return render("drill.html.j2", lang, **drill_data(records, drill_id, since, lang))

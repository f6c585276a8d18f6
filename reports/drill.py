"""A drill's cohort: every attempt at one drill (since a date): pass rate, the spread of
averages, each scenario's results, the clauses broken most with their words, and for the
emergency scenarios how long the clerks took to give safety advice after a hazard report."""

from __future__ import annotations

import hashlib
import json
import math
import statistics
from collections import defaultdict
from typing import Any

from records.db import Records
from reports.charts import Line, histogram, nice_step
from reports.page import ClauseBook, ReportError, Scenarios, day, name_and_id, num, render
from reports.safety import HAZARD, SafetyRule, advice_delay, safety_rule
from reports.words import tr
from sim.drill import Drill, LoadedDrill, load_drill
from sim.errors import DeskTrainerError
from sim.trace import TraceEntry
from sim.validation import validate_located
from sim.yamlio import load_yaml_text

__all__ = ["drill_report", "drill_data", "since_iso"]

EMERGENCY_KINDS = ("emergency", "combined")


def since_iso(text: str | None, lang: str = "zh") -> str | None:
    """``--since 2026-11-01`` as the prefix stored times compare against."""
    from datetime import date

    if text is None:
        return None
    try:
        return date.fromisoformat(text).isoformat()
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


def _entries(rows: list[tuple[Any, ...]]) -> list[TraceEntry]:
    return [
        TraceEntry(
            t=r[1],
            kind=r[2],
            name=r[3],
            args=tuple(json.loads(r[4]).items()) if r[4] else (),
            valid=bool(r[5]),
            reason=r[6],
            tags=tuple(json.loads(r[7])) if r[7] else (),
        )
        for r in rows
    ]


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
    names = sorted({HAZARD} | {p.name for r in rules.values() for p in r.patterns})
    marks = ",".join("?" * len(names))
    by_session: dict[int, list[tuple[Any, ...]]] = defaultdict(list)
    ids = sorted(rules)
    for k in range(0, len(ids), 500):  # SQLite caps the parameters of one statement
        chunk = ids[k : k + 500]
        rows = records.conn.execute(
            "SELECT session_id, t, kind, name, args, valid, reason, tags FROM events"
            f" WHERE session_id IN ({','.join('?' * len(chunk))}) AND name IN ({marks})"
            " ORDER BY session_id, seq",
            (*chunk, *names),
        ).fetchall()
        for r in rows:
            by_session[r[0]].append(r)
    delays: list[float] = []
    never = 0
    for sid in ids:
        t0, delay = advice_delay(_entries(by_session.get(sid, [])), rules[sid])
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
    conn = records.conn
    start = since_iso(since, lang)
    where, params = "a.drill_id = ?", [drill_id]
    if start:
        where += " AND a.started_at >= ?"
        params.append(start)
    rows = conn.execute(
        "SELECT a.id, a.uuid, a.trainee_id, a.attempt, a.started_at, a.status, a.average,"
        " a.passed, a.code, a.signature, a.summary_json, a.drill_source, t.name"
        f" FROM drill_attempts a LEFT JOIN trainees t ON t.id = a.trainee_id WHERE {where}"
        " ORDER BY a.started_at, a.id",
        params,
    ).fetchall()
    if not rows:
        key = "reports.no_attempts_since" if start else "reports.no_attempts"
        raise ReportError(tr(key, lang, drill=drill_id, since=start, file=str(records.path)))
    drill = recorded_drill(rows[-1][11], drill_id)
    meta = drill.drill.drill
    attempts = []
    for r in rows:
        summary = json.loads(r[10]) if r[10] else None
        items = summary["items"] if summary else []
        critical = sorted({c for i in items for c in i.get("critical_failures") or []})
        name = r[12] or r[2]
        attempts.append(
            {
                "id": r[0],
                "uuid": r[1],
                "trainee": r[2],
                "who": name_and_id(name, r[2], lang),
                "attempt": r[3],
                "started_at": r[4],
                "status": r[5],
                "average": r[6],
                "passed": None if r[7] is None else bool(r[7]),
                "code": r[8],
                "signed": r[9] is not None,
                "critical": critical,
                "items": items,
            }
        )
    done = [a for a in attempts if a["status"] == "complete" and a["passed"] is not None]
    passed = [a for a in done if a["passed"]]
    trainees = sorted({a["trainee"] for a in attempts})
    trainees_passed = {a["trainee"] for a in passed}
    pass_line = meta.overall.average_at_least
    averages = [float(a["average"]) for a in done if a["average"] is not None]
    chart = histogram(
        averages,
        lo=0.0,
        hi=100.0,
        width=10.0,
        label=tr("reports.cohort.spread", lang),
        fmt=lambda v: f"{v:g}",
        y_label=tr("reports.cohort.attempts_axis", lang),
        lines=[Line(pass_line, tr("reports.cohort.pass_line", lang, mark=num(pass_line)), "pass")],
        bar_cls=lambda a, b: "pass" if a >= pass_line else "",
    )

    sessions = [
        {
            "id": s[0],
            "trainee": s[1],
            "scenario": s[2],
            "scenario_sha256": s[3],
            "status": s[4],
            "score": s[5],
            "procedure_sha256": s[6],
            "result": s[7],
        }
        for s in conn.execute(
            "SELECT s.id, s.trainee_id, s.scenario_id, s.scenario_sha256, s.status, r.score,"
            " r.procedure_sha256, r.id FROM sessions s"
            " JOIN drill_attempts a ON a.uuid = s.drill"
            " LEFT JOIN results r ON r.session_id = s.id AND r.current = 1"
            f" WHERE {where} ORDER BY s.id",
            params,
        )
    ]
    scenarios = Scenarios(records)
    per_scenario = []
    for spec in drill.drill.scenarios:
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
    broken = conn.execute(
        "SELECT f.clause, COUNT(DISTINCT r.id),"
        " COUNT(DISTINCT CASE WHEN f.critical THEN r.id END),"
        " GROUP_CONCAT(DISTINCT s.scenario_id) FROM findings f"
        " JOIN results r ON r.id = f.result_id AND r.current = 1"
        " JOIN sessions s ON s.id = r.session_id"
        " JOIN drill_attempts a ON a.uuid = s.drill"
        f" WHERE {where} AND f.verdict != 'met'"
        " GROUP BY f.clause ORDER BY 2 DESC, f.clause LIMIT 10",
        params,
    ).fetchall()
    newest = sorted(with_result, key=lambda s: -int(s["result"]))
    book = ClauseBook(records, [s["procedure_sha256"] for s in newest])
    clauses = []
    for clause, n, n_critical, where_ids in broken:
        zh, en = book.text(clause, lang)
        clauses.append(
            {
                "clause": clause,
                "times": n,
                "critical": n_critical,
                "share": n / len(with_result) if with_result else 0.0,
                "scenarios": sorted((where_ids or "").split(",")),
                "text": zh,
                "text_en": en,
            }
        )

    safety = []
    for spec in drill.drill.scenarios:
        loaded = scenarios.newest(spec.id)
        if loaded is None or loaded.scenario.scenario.kind not in EMERGENCY_KINDS:
            continue
        found = _safety(records, scenarios, sessions, spec.id, lang)
        if found is not None:
            safety.append(found)

    first, last = day(rows[0][4]), day(rows[-1][4])
    return {
        "drill": drill,
        "title": meta.title.get(lang),
        "drill_id": drill_id,
        "since": start,
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
        "titles": {spec.id: scenarios.title(spec.id, lang) for spec in drill.drill.scenarios},
    }


def drill_report(
    records: Records, drill_id: str, since: str | None = None, lang: str = "zh"
) -> str:
    """The cohort report of a drill (its attempts since ``since``) as one HTML page."""
    return render("drill.html.j2", lang, **drill_data(records, drill_id, since, lang))

"""A cohort: every trainee of a unit (or of the whole centre) at once — each trainee against
each scenario (best and last score, passed, how often), each trainee against the clauses they
break, each clause's trend by month, the unit's hardest clauses, and who is due or overdue for
recertification. Read with a handful of queries whatever the cohort's size."""

from __future__ import annotations

from collections import Counter, defaultdict
from typing import Any

from records.db import Records
from records.paths import standings
from records.rows import PersonRow, ScoreRow
from reports.charts import Bar, Series, hbars, trend
from reports.drill import since_iso
from reports.page import ClauseBook, ReportError, Scenarios, day, render
from reports.words import tr
from sim.localtime import show
from sim.path import all_paths

__all__ = ["cohort_report", "cohort_data", "scenario_order"]

TOP_CLAUSES = 10
TREND_CLAUSES = 5
DUE_STATES = ("overdue", "due_soon", "due")


def scenario_order(seen: set[str], path_steps: list[str]) -> list[str]:
    """The scenarios in the order of the learning path, then the others by id."""
    first = [s for s in path_steps if s in seen]
    return first + sorted(seen - set(first))


def _short(text: str, n: int) -> str:
    return text if len(text) <= n else text[: n - 1] + "…"


def _cells(rows: list[ScoreRow]) -> dict[str, Any]:
    scored = [r for r in rows if r.score is not None]
    return {
        "n": len(rows),
        "best": max((r.score for r in scored if r.score is not None), default=None),
        "last": scored[-1].score if scored else None,
        "passed": any(r.passed for r in scored),
        "critical": any(r.critical for r in scored),
        "exam": any(r.mode == "exam" for r in rows),
    }


def cohort_data(records: Records, unit: str | None, since: str | None, lang: str) -> dict[str, Any]:
    start = since_iso(since, lang)
    units = records.units()
    if unit is not None and unit not in units:
        raise ReportError(tr("reports.office.no_unit", lang, unit=unit,
                             units="、".join(units) or "—", file=records.where))  # fmt: skip
    scores = records.cohort_scores(unit=unit, since=start)
    broken = records.cohort_broken(unit=unit, since=start)
    everyone = {p.id: p for p in records.people(unit=unit)}
    # a trainee nobody entered in the register shows when they have sessions (never in a unit)
    ids = [p.id for p in everyone.values() if p.registered or unit is None]
    active = {s.trainee_id for s in scores}
    people: list[PersonRow] = [everyone[i] for i in ids if everyone[i].registered or i in active]
    if not people:
        raise ReportError(tr("reports.office.nobody", lang, file=records.where))
    scenarios = Scenarios(records)
    paths = all_paths()
    assignments = records.path_assignments()
    path_id = (assignments.get(("unit", unit)) if unit else None) or next(iter(paths), None)
    steps = (
        [str(s.scenario) for s in paths[path_id].path.steps if s.scenario]
        if path_id in paths
        else []
    )
    order = scenario_order({s.scenario_id for s in scores}, steps)
    titles = {sid: scenarios.title(sid, lang) for sid in order}

    by_pair: dict[tuple[str, str], list[ScoreRow]] = defaultdict(list)
    for s in scores:
        by_pair[(s.trainee_id, s.scenario_id)].append(s)
    matrix = []
    for p in people:
        cells = [_cells(by_pair.get((p.id, sid), [])) for sid in order]
        matrix.append({"id": p.id, "name": p.name, "unit": p.unit, "team": p.team,
                       "cells": cells, "done": sum(1 for c in cells if c["passed"])})  # fmt: skip

    # clauses: how often, in how many of the sessions that could break them
    scored = [s for s in scores if s.score is not None]
    scenarios_of: dict[str, set[str]] = defaultdict(set)
    for b in broken:
        scenarios_of[b.clause].add(b.scenario_id)
    times = Counter(b.clause for b in broken)
    critical = Counter(b.clause for b in broken if b.critical)
    judged = {c: sum(1 for s in scored if s.scenario_id in scenarios_of[c]) for c in scenarios_of}
    share = {c: times[c] / judged[c] if judged[c] else 0.0 for c in times}
    hardest = sorted(times, key=lambda c: (-share[c], -times[c], c))[:TOP_CLAUSES]
    book = ClauseBook(records, records.procedure_shas_in_use())
    clauses: list[dict[str, Any]] = []
    for c in hardest:
        zh, en = book.text(c, lang)
        clauses.append({
            "clause": c, "times": times[c], "judged": judged[c], "share": share[c],
            "critical": critical[c], "text": zh, "text_en": en,
            "scenarios": [titles.get(s, scenarios.title(s, lang)) for s in sorted(scenarios_of[c])],
        })  # fmt: skip
    chart_hardest = hbars(
        [
            Bar(
                text=f"{c['clause']} {_short(c['text'], 14)}",
                value=c["share"],
                shown=f"{c['share'] * 100:.0f}% ({c['times']}/{c['judged']})",
                cls="critical" if c["critical"] else "",
                title=f"{c['clause']} {c['text']}",
            )
            for c in clauses
        ],
        label=tr("reports.office.hardest_chart", lang),
        top=1.0,
    )

    # trainee × clause
    columns = list(hardest)
    per_trainee: dict[str, Counter[str]] = defaultdict(Counter)
    for b in broken:
        per_trainee[b.trainee_id][b.clause] += 1
    clause_rows: list[dict[str, Any]] = []
    for p in people:
        counts = per_trainee.get(p.id)
        if not counts:
            continue
        clause_rows.append({"name": p.name, "id": p.id,
                            "counts": [counts.get(c, 0) for c in columns],
                            "total": sum(counts.values())})  # fmt: skip
    clause_rows.sort(key=lambda r: (-r["total"], r["id"]))
    most = max([n for r in clause_rows for n in r["counts"]] + [1])

    # each clause's trend by month (in the centre's zone): the share of the month's sessions of
    # the scenarios that can break it that did
    month_of = {s.session_id: show(s.started_at, "month") for s in scored}
    months = sorted(set(month_of.values()))
    per_month: dict[str, Counter[str]] = defaultdict(Counter)
    for b in broken:
        per_month[show(b.started_at, "month")][b.clause] += 1
    series = []
    trend_rows = []
    for k, c in enumerate(hardest[:TREND_CLAUSES]):
        values: list[float | None] = []
        for m in months:
            n = sum(1 for s in scored if month_of[s.session_id] == m
                    and s.scenario_id in scenarios_of[c])  # fmt: skip
            values.append(per_month[m][c] / n if n else None)
        series.append(Series(f"{c} {_short(book.text(c, lang)[0], 18)}", values, f"s{k}"))
        trend_rows.append({"clause": c, "values": values})
    chart_trend = (
        trend(
            months,
            series,
            label=tr("reports.office.trend_chart", lang),
            y_label=tr("reports.office.trend_axis", lang),
        )  # fmt: skip
        if months
        else None
    )

    # who is due
    stand = standings(records, people, paths=paths, unit=unit)
    due = sorted(
        (s for s in stand if s.state in DUE_STATES),
        key=lambda s: (DUE_STATES.index(s.state), s.due or s.person.hire_date or "", s.person.id),
    )
    states = Counter(s.state for s in stand)

    per_unit = []
    if unit is None:
        unit_people: dict[str, list[str]] = defaultdict(list)
        for p in people:
            unit_people[p.unit or "—"].append(p.id)
        by_trainee: dict[str, list[ScoreRow]] = defaultdict(list)
        for s in scored:
            by_trainee[s.trainee_id].append(s)
        st_by = {s.person.id: s for s in stand}
        for u, members in sorted(unit_people.items()):
            mine = [s for m in members for s in by_trainee.get(m, [])]
            per_unit.append({
                "unit": u, "trainees": len(members), "sessions": len(mine),
                "mean": sum(s.score or 0 for s in mine) / len(mine) if mine else None,
                "rate": sum(1 for s in mine if s.passed) / len(mine) if mine else None,
                "overdue": sum(1 for m in members if st_by[m].state == "overdue"),
                "valid": sum(1 for m in members if st_by[m].state in ("valid", "due_soon")
                             and st_by[m].certificate is not None),
            })  # fmt: skip

    first = min((s.started_at for s in scores), default=None)
    last = max((s.started_at for s in scores), default=None)
    return {
        "unit": unit,
        "since": since.strip() if since else None,
        "period": "—"
        if first is None
        else (day(first) if day(first) == day(last) else f"{day(first)} – {day(last)}"),
        "n_people": len(people),
        "n_sessions": len(scores),
        "n_scored": len(scored),
        "n_scripted": sum(1 for s in scores if s.agent),
        "mean": sum(s.score or 0 for s in scored) / len(scored) if scored else None,
        "rate": sum(1 for s in scored if s.passed) / len(scored) if scored else None,
        "order": order,
        "titles": titles,
        "matrix": matrix,
        "clauses": clauses,
        "chart_hardest": chart_hardest,
        "columns": columns,
        "clause_rows": clause_rows,
        "most": most,
        "months": months,
        "trend_rows": trend_rows,
        "chart_trend": chart_trend,
        "due": [
            {
                "id": s.person.id,
                "name": s.person.name,
                "unit": s.person.unit,
                "hired": s.person.hire_date,
                "state": s.state,
                "due": s.due.isoformat() if s.due else None,
                "held": s.certificate.valid_until.isoformat()
                if s.certificate and s.certificate.valid_until
                else None,
                "progress": f"{s.done}/{len(s.steps)}" if s.steps else "—",
            }
            for s in due
        ],  # fmt: skip
        "states": dict(states),
        "per_unit": per_unit,
        "verified": records.key is not None,
    }


def cohort_report(
    records: Records, unit: str | None = None, since: str | None = None, lang: str = "zh"
) -> str:
    """The cohort report (one unit, or the whole centre; sessions since ``since``) as HTML."""
    return render("cohort.html.j2", lang, **cohort_data(records, unit, since, lang))

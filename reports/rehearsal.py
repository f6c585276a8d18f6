"""A room's rehearsal: every session that took an injected incident in a time span, side by
side — who got it, when (wall time asked, sim time taken), and how long each desk took from the
incident's arrival to the first steps the scenario's own rules ask in answer to it; the critical
failures and verdict of each session's result; the requests refused (exams) listed apart.

What the steps are is read from the recorded scenario, as ``scoring.safety`` reads safety advice:
the incident's events are what it brings and what the scenario's triggers set off from those
(the caller it brings reporting a hazard); a step is an action a ``response`` or ``first_after``
rule asks after one of those events. The safety advice is ``scoring.safety``'s. The steps the
issue names for every rehearsal (the dispatch call and the report to the supervisor after a
hazard; stop, report up and log after a fault) are timed even where no rule of that scenario
asks them, and marked so. Times come from the recorded trace; results from the stored result.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from records.common import RecordsError
from records.db import Records, SessionRow
from records.service import readable_result, rederive
from reports.page import ReportError, Scenarios, person, render
from reports.safety import HAZARD, advice_delay, safety_rule
from reports.words import tr
from scoring.narrate import Narrator
from scoring.session import judge
from sim.errors import DeskTrainerError
from sim.i18n import clock
from sim.localtime import day_start, next_day_start, now_local, to_utc_iso, zone
from sim.scenario import FirstAfter, Injectable, LoadedScenario, Pattern, Response, Scenario
from sim.trace import TraceEntry
from sim.vocabulary import vocabulary

__all__ = ["rehearsal_report", "rehearsal_data", "incident_steps", "Step", "span"]

SAFETY = "safety_advice"
# the first steps the issue asks of every rehearsal, timed even where a scenario scores none
ASKED_AFTER_HAZARD = ("call_dispatch", "report_supervisor")
ASKED_AFTER_FAULT = ("stop_operation", "report_supervisor", "log_fault")


@dataclass(frozen=True)
class Step:
    """One first step timed after an incident: its action pattern, and whether a rule of the
    scenario asks it (False: timed because the rehearsal asks it of every desk)."""

    name: str
    pattern: Pattern
    scored: bool


def _moment(text: str, end: bool, lang: str) -> str:
    """``2026-12-02`` (the day's start, or for ``end`` the next day's) or ``2026-12-02T14:30``
    (that minute in the centre's zone) as a stored UTC time."""
    raw = text.strip()
    try:
        d = date.fromisoformat(raw)
        return to_utc_iso(next_day_start(d) if end else day_start(d))
    except ValueError:
        pass
    try:
        moment = datetime.fromisoformat(raw.replace(" ", "T"))
    except ValueError:
        raise ReportError(tr("export.bad_date", lang, value=text)) from None
    if moment.tzinfo is None:
        tz = zone()
        moment = moment.replace(tzinfo=tz) if tz is not None else moment.astimezone()
    return to_utc_iso(moment)


def span(since: str | None, until: str | None, lang: str) -> tuple[str, str | None]:
    """The stored times the span runs over: ``since`` (default: today's start in the centre's
    zone) to ``until`` (a day: its end; default: open)."""
    start = _moment(since, False, lang) if since else to_utc_iso(day_start(now_local().date()))
    end = _moment(until, True, lang) if until else None
    return start, end


def _incident_events(s: Scenario, inj: Injectable) -> tuple[set[str], set[str]]:
    """The events an incident brings and what the scenario's triggers set off from them (by
    name or from a customer it brings), and the customers it brings."""
    names = {b.event for b in inj.brings}
    customers = {b.args["customer"] for b in inj.brings if "customer" in b.args}
    grown = True
    while grown:
        grown = False
        for t in s.triggers:
            if t.event in names:
                continue
            by_customer = (t.on.args or {}).get("customer") in customers or t.serving in customers
            if by_customer or (t.on.name in names and not (t.on.args or {}).get("customer")):
                names.add(t.event)
                grown = True
    return names, customers


def _after(trigger: Pattern, names: set[str], customers: set[str]) -> bool:
    if trigger.name not in names:
        return False
    who = (trigger.args or {}).get("customer")
    return who is None or who in customers


def incident_steps(s: Scenario, inj: Injectable) -> tuple[bool, list[Step]]:
    """(whether the incident brings a hazard to answer with safety advice, the first steps to
    time after it): the actions the scenario's rules ask in answer to its events, in the rules'
    order, then those the rehearsal asks of every desk that no rule here asks."""
    names, customers = _incident_events(s, inj)
    actions = vocabulary().actions
    steps: list[Step] = []
    for rule in s.rules:
        if not isinstance(rule, Response | FirstAfter):
            continue
        if not _after(rule.trigger, names, customers):
            continue
        what = rule.what
        if what.name == "say" or what.name not in actions:
            continue  # the safety advice is timed on its own; an event is not a step
        if any(x.name == what.name for x in steps):
            continue
        steps.append(Step(what.name, Pattern(name=what.name, args=what.args), True))
    hazard = HAZARD in names
    for name in ASKED_AFTER_HAZARD if hazard else ASKED_AFTER_FAULT:
        if not any(x.name == name for x in steps):
            steps.append(Step(name, Pattern(name=name), False))
    return hazard, steps


def _arrival(
    after: list[TraceEntry], inj: Injectable, variant: str
) -> tuple[TraceEntry | None, int]:
    """The first event the incident brought (after its ``injected`` entry) and its index."""
    for i, e in enumerate(after):
        if e.kind != "event":
            continue
        for b in inj.brings:
            if b.variants and variant not in b.variants:
                continue
            if e.name == b.event and all(e.arg(k) == v for k, v in b.args.items()):
                return e, i
    return None, 0


def _median_row(times: list[float | None]) -> int | None:
    """The index of the median desk in ``times`` (sorted, None = never = slowest): the lower
    middle one of an even count."""
    return (len(times) - 1) // 2 if times else None


class _Room:
    """What one report reads, each thing once."""

    def __init__(self, records: Records, lang: str) -> None:
        self.records = records
        self.lang = lang
        self.scenarios = Scenarios(records)
        self.vocab = vocabulary()

    def label(self, name: str) -> str:
        if name == SAFETY:
            return tr("reports.rehearsal.safety", self.lang)
        action = self.vocab.actions.get(name)
        if action is not None:
            return action.label(self.lang, None)
        event = self.vocab.events.get(name)
        return event.label(self.lang) if event else name


def _critical(
    records: Records, row: SessionRow, loaded: LoadedScenario, entries: list[TraceEntry], lang: str
) -> tuple[float | None, bool | None, list[str]]:
    """The session's current result: (score, passed, critical failures in words) or Nones.
    A training session with no result yet (still at the desk, or left) is judged as its
    record stands, for the red lines it has crossed so far."""
    res = records.current_result(row.id)
    if res is None:
        return None, None, _so_far(records, row, loaded, entries, lang)
    try:
        report = readable_result(records, row, res)
        procedure = records.procedure(res.procedure_sha256)
    except DeskTrainerError:
        return res.score, res.passed, list(res.critical_failures)
    words = Narrator(loaded.scenario, row.variant, lang, procedure, trace=entries)
    lines = [
        f"{words.citation(f.clause)} {words.evidence(f)}"
        for f in report.findings
        if f.critical and f.lost
    ]
    return res.score, res.passed, lines


def _so_far(
    records: Records, row: SessionRow, loaded: LoadedScenario, entries: list[TraceEntry], lang: str
) -> list[str]:
    """The red lines a training session without a result has crossed so far, in words."""
    if row.mode == "exam":
        return []
    try:
        procedure = records.procedure(row.procedure_sha256)
        report = judge(rederive(records, row, loaded), procedure)
    except DeskTrainerError:
        return []
    words = Narrator(loaded.scenario, row.variant, lang, procedure, trace=entries)
    mark = tr("reports.rehearsal.so_far", lang)
    return [
        f"{words.citation(f.clause)} {words.evidence(f)}{mark}"
        for f in report.findings
        if f.critical and f.verdict == "violated"
    ]


def rehearsal_data(
    records: Records,
    since: str | None = None,
    until: str | None = None,
    incident: str | None = None,
    unit: str | None = None,
    lang: str = "zh",
) -> dict[str, Any]:
    start, end = span(since, until, lang)
    if unit is not None:
        units = records.units()
        if unit not in units:
            raise ReportError(tr("reports.office.no_unit", lang, unit=unit,
                                 units="、".join(units) or "—", file=records.where))  # fmt: skip
    asked = [
        r
        for r in records.injections()
        if str(r["requested_at"]) >= start
        and (end is None or str(r["requested_at"]) < end)
        and (incident is None or r["event"] == incident)
    ]
    room = _Room(records, lang)
    by_session: dict[str, list[dict[str, Any]]] = {}
    for r in asked:
        by_session.setdefault(str(r["session_uuid"]), []).append(r)

    groups: dict[str, dict[str, Any]] = {}  # by incident id
    refused: list[dict[str, Any]] = []
    for uuid, requests in by_session.items():
        try:
            row = records.session(uuid)
        except RecordsError:
            continue  # a session deleted since
        p = person(records, row.trainee_id)
        if unit is not None and p.unit != unit:
            continue
        loaded = room.scenarios.by_sha(row.scenario_sha256)
        desk = {
            "session": row.id,
            "trainee": p.name or row.trainee_id,
            "trainee_id": row.trainee_id,
            "unit": p.unit,
            "scenario": loaded.scenario.scenario.title.get(lang) if loaded else row.scenario_id,
            "scenario_id": row.scenario_id,
            "mode": row.mode,
            "running": row.status == "running",
            "status": row.status,
        }
        for r in requests:
            if r["status"] != "taken":
                refused.append(
                    {
                        **desk,
                        "incident": r["event"],
                        "requested_at": r["requested_at"],
                        "requested_by": r["requested_by"],
                        "status": r["status"],
                        "reason": tr(
                            f"reports.rehearsal.reason_{r['reason'] or r['status']}", lang
                        ),  # fmt: skip
                    }
                )
        taken = [r for r in requests if r["status"] == "taken"]
        if not taken or loaded is None:
            continue
        entries = records.events(row.id)
        score, passed, critical = _critical(records, row, loaded, entries, lang)
        rule = safety_rule(loaded)
        for r in taken:
            inj = loaded.scenario.injection(str(r["event"]))
            if inj is None:
                continue
            at = float(str(r["sim_t"])) if r["sim_t"] is not None else None
            start_i = next(
                (
                    i
                    for i, e in enumerate(entries)
                    if e.kind == "event"
                    and e.name == "injected"
                    and e.arg("event") == inj.id
                    and (at is None or abs(e.t - at) < 0.05)
                ),
                None,
            )
            if start_i is None:
                continue
            after = entries[start_i:]
            hazard, steps = incident_steps(loaded.scenario, inj)
            came, k = _arrival(after, inj, row.variant)
            times: dict[str, float | None] = {}
            scored: dict[str, bool] = {}
            if came is not None:
                rest = after[k:]
                if hazard and rule is not None:
                    t0, delay = advice_delay(after, rule)
                    times[SAFETY] = (
                        None if t0 is None or delay is None else round(t0 + delay - came.t, 3)
                    )
                    scored[SAFETY] = True
                for st in steps:
                    hit = next((e for e in rest if e.kind == "action" and st.pattern.matches(e)),
                               None)  # fmt: skip
                    times[st.name] = None if hit is None else round(hit.t - came.t, 3)
                    scored[st.name] = st.scored
            group = groups.setdefault(
                inj.id,
                {
                    "id": inj.id,
                    "title": inj.title.get(lang),
                    "hazard": False,
                    "columns": [],
                    "arrivals": [],
                    "rows": [],
                },
            )
            group["hazard"] = group["hazard"] or (hazard and rule is not None)
            names = ([SAFETY] if hazard and rule is not None else []) + [s.name for s in steps]
            for n in names:
                if n not in group["columns"]:
                    group["columns"].append(n)
            if came is not None and came.name not in group["arrivals"]:
                group["arrivals"].append(came.name)
            group["rows"].append(
                {
                    **desk,
                    "requested_at": r["requested_at"],
                    "requested_by": r["requested_by"],
                    "taken_t": at,
                    "taken": clock(at) if at is not None else "—",
                    "arrived": came.name if came is not None else None,
                    "arrived_t": came.t if came is not None else None,
                    "times": times,
                    "scored": scored,
                    "score": score,
                    "passed": passed,
                    "critical": critical,
                }
            )

    tables = [_table(room, g) for g in groups.values()]
    tables.sort(key=lambda g: (not g["hazard"], g["id"]))
    if not tables and not refused:
        raise ReportError(tr("reports.rehearsal.nothing", lang, file=records.where))
    return {
        "since": start,
        "until": end,
        "incident": incident,
        "unit": unit,
        "tables": tables,
        "refused": refused,
        "n_desks": len({r["session"] for g in tables for r in g["rows"]}),
    }


def _table(room: _Room, g: dict[str, Any]) -> dict[str, Any]:
    """One incident's rows side by side: sorted by the time to its first column (the safety
    advice when it brings a hazard), never last; the median desk and the slowest marked."""
    columns: list[str] = g["columns"]
    key = columns[0] if columns else None

    def by(r: dict[str, Any]) -> tuple[float, float]:
        t = r["times"].get(key) if key else None
        return (math.inf if t is None else t, r["session"])

    rows = sorted(g["rows"], key=by)
    times = [r["times"].get(key) if key else None for r in rows]
    finite = [t for t in times if t is not None]
    mid = _median_row(times)
    for i, r in enumerate(rows):
        r["median"] = i == mid
        # the last in the order: a desk that never did it is slower than any that did
        r["slowest"] = i == len(rows) - 1 and len(rows) > 1
        r["never"] = key is not None and r["times"].get(key) is None and r["arrived"] is not None
    return {
        **g,
        "rows": rows,
        "key": key,
        "key_label": room.label(key) if key else "",
        "labels": {c: room.label(c) for c in columns},
        "arrival_words": [room.label(a) for a in g["arrivals"]],
        # the median desk's own time (the page marks that desk), never when it never did it
        "median": times[mid] if mid is not None else None,
        "median_never": mid is not None and times[mid] is None,
        "slowest": times[-1] if times else None,
        "never": len(times) - len(finite),
        "unscored": [
            c for c in columns if any(c in r["scored"] and not r["scored"][c] for r in rows)
        ],
    }


def rehearsal_report(
    records: Records,
    since: str | None = None,
    until: str | None = None,
    incident: str | None = None,
    unit: str | None = None,
    lang: str = "zh",
) -> str:
    """The room's rehearsal report (the injected incidents in a time span) as one HTML page."""
    data = rehearsal_data(records, since, until, incident, unit, lang)
    return render("rehearsal.html.j2", lang, **data)

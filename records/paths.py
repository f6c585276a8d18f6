"""Where each trainee stands: the learning path assigned to them (their own, else their unit's),
each step done or not, the next step, and their certification — held, due, overdue — derived
from the drill attempts whose signed verdict checks out, never from a column nobody signed.

A scenario step is done by any session of that scenario (training or exam) whose current result
passed with at least the step's mark (a critical failure never passes). A drill step is done by a
certificate from that drill. A certificate is valid from the day it was earned (in the centre's
time zone) for the ``valid_months`` of the drill file the attempt recorded; the next one falls
due when it lapses, the first ``first_due_days`` after the hire date (or, with no hire date,
when the trainee was entered).
"""

from __future__ import annotations

import calendar
import hashlib
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import lru_cache

from records.db import Records
from records.drills import attempt_sealed, recorded_model
from records.rows import AttemptRow, PersonRow, ScoreRow
from sim.localtime import local_date, now_local
from sim.path import LearningPath, LoadedPath, PathStep, all_paths

__all__ = [
    "Certificate",
    "StepState",
    "Standing",
    "add_months",
    "validity_months",
    "certificates",
    "path_for",
    "standing",
    "standings",
    "menu_status",
]


def add_months(day: date, months: int) -> date:
    """The same day ``months`` later (the month's last day when it has fewer days)."""
    y, m = divmod(day.month - 1 + months, 12)
    year, month = day.year + y, m + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


@dataclass(frozen=True)
class Certificate:
    """A certificate as the records prove it: one passed, signed attempt."""

    attempt_id: int
    drill_id: str
    trainee_id: str
    earned: date  # the day the attempt ended, in the centre's zone
    valid_until: date | None  # None: it does not lapse
    code: str
    average: float | None
    checked: bool  # its signature was checked with the centre's key

    def valid_on(self, day: date) -> bool:
        return self.valid_until is None or day <= self.valid_until


def validity_months(row: AttemptRow) -> int | None:
    """The months a certificate is valid for, from the drill file the attempt recorded (its
    bytes must be the ones its hash says)."""
    return _months(row.drill_sha256, row.drill_source)


@lru_cache(maxsize=64)
def _months(sha256: str, source: bytes) -> int | None:
    if hashlib.sha256(source).hexdigest() != sha256:
        return None
    model = recorded_model(source)
    return model.drill.valid_months if model is not None else None


def certificates(records: Records, drill_id: str | None = None) -> dict[str, list[Certificate]]:
    """Every trainee's certificates (oldest first): attempts that passed and were signed, that
    no scripted trainee played, and — with the centre's key at hand — whose verdict columns are
    the ones the signature covers (an altered attempt earns nothing)."""
    key = records.key
    out: dict[str, list[Certificate]] = defaultdict(list)
    for row in records.certified_attempts(drill_id):
        if key is not None and not attempt_sealed(row, key):
            continue
        earned = local_date(row.ended_at)
        if earned is None or row.code is None:
            continue
        months = validity_months(row)
        out[row.trainee_id].append(
            Certificate(
                attempt_id=row.id,
                drill_id=row.drill_id,
                trainee_id=row.trainee_id,
                earned=earned,
                valid_until=add_months(earned, months) if months else None,
                code=row.code,
                average=row.average,
                checked=key is not None,
            )
        )
    return dict(out)


@dataclass(frozen=True)
class StepState:
    step: PathStep
    done: bool
    best: float | None  # the best score on the step's scenario (None: none, or a drill step)
    tries: int  # sessions of the step's scenario (attempts at its drill)


@dataclass(frozen=True)
class Standing:
    """A trainee on their path: each step, the next one, and their certification."""

    person: PersonRow
    path: LearningPath | None
    steps: tuple[StepState, ...] = ()
    certificate: Certificate | None = None  # the newest valid one (else the newest)
    due: date | None = None  # when the next certificate falls due (None: nothing due)
    state: str = "none"  # certification: none | valid | due_soon | due | overdue
    sessions: int = 0
    last_active: str | None = None
    extra: dict[str, float] = field(default_factory=dict)

    @property
    def done(self) -> int:
        return sum(1 for s in self.steps if s.done)

    @property
    def next_step(self) -> StepState | None:
        return next((s for s in self.steps if not s.done), None)

    @property
    def share(self) -> float:
        return self.done / len(self.steps) if self.steps else 0.0


def path_for(person: PersonRow, assignments: Mapping[tuple[str, str], str]) -> str | None:
    """The path assigned to the trainee, else to their unit (None: neither)."""
    mine = assignments.get(("trainee", person.id))
    if mine is not None:
        return mine
    return assignments.get(("unit", person.unit)) if person.unit else None


def _mark(step: PathStep, default: float = 80.0) -> float:
    return step.pass_mark if step.pass_mark is not None else default


def standing(
    person: PersonRow,
    path: LearningPath | None,
    scores: Sequence[ScoreRow],
    certs: Sequence[Certificate],
    today: date,
    attempts: Mapping[str, int] | None = None,
) -> Standing:
    """One trainee's standing from their sessions and certificates (already read)."""
    states: list[StepState] = []
    by_scenario: dict[str, list[ScoreRow]] = defaultdict(list)
    for s in scores:
        by_scenario[s.scenario_id].append(s)
    if path is not None:
        for step in path.steps:
            if step.drill is not None:
                held = [c for c in certs if c.drill_id == step.drill]
                tries = (attempts or {}).get(step.drill, len(held))
                states.append(StepState(step, bool(held), None, tries))
                continue
            mine = by_scenario.get(str(step.scenario), [])
            scored = [s.score for s in mine if s.score is not None]
            done = any(s.passed and s.score is not None and s.score >= _mark(step) for s in mine)
            states.append(StepState(step, done, max(scored) if scored else None, len(mine)))
    cert_drill = path.certification.drill if path and path.certification else None
    relevant = [c for c in certs if cert_drill is None or c.drill_id == cert_drill]
    valid = [c for c in relevant if c.valid_on(today)]
    newest = (valid or relevant)[-1] if (valid or relevant) else None
    due: date | None = None
    state = "none"
    if path is not None and path.certification is not None:
        cert = path.certification
        if valid:
            lapses = [c.valid_until for c in valid]
            due = None if any(d is None for d in lapses) else max(d for d in lapses if d)
            state = "valid"
            if due is not None and today >= due - timedelta(days=cert.warn_days):
                state = "due_soon"
        elif relevant:  # held one, and it lapsed
            due = max(c.valid_until for c in relevant if c.valid_until is not None)
            state = "overdue"
        else:
            start = date.fromisoformat(person.hire_date) if person.hire_date else None
            if start is not None:
                due = start + timedelta(days=cert.first_due_days)
                state = (
                    "overdue"
                    if today > due
                    else "due_soon"
                    if today >= due - timedelta(days=cert.warn_days)
                    else "due"
                )
    return Standing(
        person=person,
        path=path,
        steps=tuple(states),
        certificate=newest,
        due=due,
        state=state,
        sessions=len(scores),
        last_active=scores[-1].started_at if scores else None,
    )


def standings(
    records: Records,
    people: Iterable[PersonRow],
    *,
    paths: Mapping[str, LoadedPath] | None = None,
    only_path: str | None = None,
    today: date | None = None,
    unit: str | None = None,
    trainee: str | None = None,
) -> list[Standing]:
    """Each trainee's standing, read with a handful of queries for the whole cohort (of one
    unit, of one trainee)."""
    found = dict(paths) if paths is not None else all_paths()
    assignments = records.path_assignments()
    today = today or now_local().date()
    scores: dict[str, list[ScoreRow]] = defaultdict(list)
    for s in records.cohort_scores(unit=unit, trainee=trainee):
        scores[s.trainee_id].append(s)
    certs = certificates(records)
    out = []
    for person in people:
        pid = path_for(person, assignments)
        if only_path is not None and pid != only_path:
            continue
        loaded = found.get(pid) if pid else None
        out.append(
            standing(
                person,
                loaded.path if loaded else None,
                scores.get(person.id, []),
                certs.get(person.id, []),
                today,
            )
        )
    return out


def menu_status(records: Records, trainee: str) -> Standing | None:
    """The desk menu's line: the signed-in trainee's standing on their path (None: no path)."""
    from records.roster import resolve_trainee

    person = records.person(resolve_trainee(records, trainee))
    if person is None:
        return None
    found = standings(records, [person], trainee=person.id)
    return found[0] if found and found[0].path is not None else None

"""A training office's year, for the samples and the tests: a roster entered, the onboarding
path assigned to every unit, new clerks working through it at the desk (doing what a scripted
trainee with a given habit would, recorded as a person's sessions, as the desk records them)
and the longer-serving clerks taking the annual drill over the past year — some certificates
lapsing, some about to.

The records are written as they would have been on those days: ``at(moment)`` sets the clock
the records read for as long as it is held. Nothing here is for use outside samples and tests.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, date, datetime, timedelta
from typing import Any

from records import common as _common
from records import db as _db
from records.db import Records
from records.drills import draw_seed, finish_attempt, start_attempt
from records.rows import PersonRow
from records.store import audit as _audit
from records.store import drills as _drills
from records.store import people as _people
from records.store import results as _results
from records.store import schema as _schema
from records.store import sessions as _sessions
from scoring.procedure import Procedure
from scoring.session import play_agent
from sim.drill import LoadedDrill
from sim.library import find_scenario
from sim.path import LoadedPath

__all__ = ["at", "take_scenario", "take_drill", "office_year"]

# the modules that read the clock through ``now_iso`` (imported by name)
_CLOCK_USERS = (_common, _db, _sessions, _drills, _results, _people, _audit, _schema)


@contextmanager
def at(moment: datetime) -> Iterator[None]:
    """The records' clock reads ``moment`` (and a millisecond more each time it is read)."""
    tick = [moment.astimezone(UTC)]

    def now_iso() -> str:
        tick[0] += timedelta(milliseconds=1)
        return tick[0].isoformat(timespec="milliseconds").replace("+00:00", "Z")

    saved: list[tuple[Any, Callable[[], str]]] = []
    for module in _CLOCK_USERS:
        if hasattr(module, "now_iso"):
            saved.append((module, module.now_iso))
            setattr(module, "now_iso", now_iso)  # noqa: B010
    try:
        yield
    finally:
        for module, fn in saved:
            setattr(module, "now_iso", fn)  # noqa: B010


def take_scenario(
    records: Records, procedure: Procedure, scenario: str, trainee: str, agent: str, seed: int
) -> float:
    """A trainee plays a scenario at the desk as ``agent`` would; the score."""
    loaded = find_scenario(scenario, procedure.ids)
    played = play_agent(loaded, procedure, seed, agent)
    rec = records.start(
        loaded, procedure, seed=seed, variant=played.engine.variant.id, trainee=trainee
    )
    rec.finish(played.engine.actions, played.engine.trace, played.report, procedure)
    return float(played.report.score)


def take_drill(
    records: Records,
    procedure: Procedure,
    drill: LoadedDrill,
    trainee: str,
    agent: str,
    lang: str = "zh",
) -> dict[str, Any]:
    """A trainee takes a drill at the desk as ``agent`` would: the actions the scripted trainee
    would take, entered as a person's (recorded with no agent, in exam mode, signed)."""
    attempt = start_attempt(records, drill, trainee)
    for spec in drill.drill.drawn(attempt.uuid):
        loaded = find_scenario(spec.id, procedure.ids)
        seed = draw_seed(records, loaded, trainee, drill)
        played = play_agent(
            loaded, procedure, seed, agent, time_limit=spec.time_limit,
            injections=spec.schedule(),
        )  # fmt: skip
        rec = records.start(
            loaded, procedure, seed=seed, variant=played.engine.variant.id, trainee=trainee,
            mode="exam", lang=lang, drill=attempt.uuid, time_limit=spec.time_limit,
        )  # fmt: skip
        rec.finish(played.engine.actions, played.engine.trace, played.report, procedure)
    return {**finish_attempt(records, attempt), "number": attempt.number}


_FLAWED = ("careless", "panicky", "brusque", "solo", "paperwork_first")


def _afternoon(day: date, rng: random.Random) -> datetime:
    """A time in the hall's working day (Beijing time), as an aware datetime."""
    from sim.localtime import day_start

    return day_start(day) + timedelta(hours=rng.choice((9, 10, 14, 15, 16)),
                                      minutes=rng.randrange(60))  # fmt: skip


def office_year(
    records: Records,
    procedure: Procedure,
    people: Sequence[PersonRow],
    path: LoadedPath,
    drill: LoadedDrill,
    *,
    today: date,
    seed: int = 7,
    veterans: int | None = None,
    newcomers: int | None = None,
) -> dict[str, int]:
    """New clerks (hired in the last four months) walk the path from their hire date; the
    others took the annual drill some time in the past thirteen months. ``veterans`` and
    ``newcomers`` cap how many of each play (None: all). What was played, counted."""
    rng = random.Random(seed)
    counts = {"sessions": 0, "attempts": 0, "newcomers": 0, "veterans": 0}
    new = [p for p in people if p.hire_date and date.fromisoformat(p.hire_date)
           > today - timedelta(days=125)]  # fmt: skip
    old = [p for p in people if p not in new]
    steps = [s for s in path.path.steps if s.scenario is not None]
    for p in new[:newcomers] if newcomers is not None else new:
        counts["newcomers"] += 1
        hired = date.fromisoformat(str(p.hire_date))
        days_in = (today - hired).days
        # how far they get: about one step a week, some faster, some stalled
        pace = rng.choice((4, 6, 7, 7, 9, 12))
        day = hired + timedelta(days=rng.randrange(1, 4))
        habit = rng.choice(_FLAWED)
        for step in steps:
            if (day - hired).days >= days_in:
                break
            tries = rng.choice((1, 1, 2, 2, 3))
            for k in range(tries):
                agent = "expert" if k == tries - 1 and rng.random() < 0.85 else habit
                when = _afternoon(min(day, today), rng)
                with at(when):
                    take_scenario(records, procedure, str(step.scenario), p.id, agent,
                                  rng.randrange(10_000))  # fmt: skip
                counts["sessions"] += 1
            day += timedelta(days=pace)
        else:
            if day < today:  # every step done: the drill
                with at(_afternoon(day, rng)):
                    take_drill(records, procedure, drill, p.id,
                               "expert" if rng.random() < 0.7 else habit)  # fmt: skip
                counts["attempts"] += 1
                counts["sessions"] += drill.drill.size
    for p in old[:veterans] if veterans is not None else old:
        counts["veterans"] += 1
        took = today - timedelta(days=rng.randrange(20, 400))
        agent = "expert" if rng.random() < 0.8 else rng.choice(_FLAWED)
        with at(_afternoon(took, rng)):
            take_drill(records, procedure, drill, p.id, agent)
        counts["attempts"] += 1
        counts["sessions"] += drill.drill.size
        if agent != "expert" and rng.random() < 0.7:  # a second go, a month later
            with at(_afternoon(min(today, took + timedelta(days=30)), rng)):
                take_drill(records, procedure, drill, p.id, "expert")
            counts["attempts"] += 1
            counts["sessions"] += drill.drill.size
        for _ in range(rng.choice((0, 1, 2))):  # some practice besides
            practised = today - timedelta(days=rng.randrange(1, 300))
            scenario = str(rng.choice(steps).scenario)
            habit = rng.choice(("expert", *_FLAWED))
            with at(_afternoon(practised, rng)):
                take_scenario(records, procedure, scenario, p.id, habit, rng.randrange(10_000))
            counts["sessions"] += 1
    return counts

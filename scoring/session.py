"""The one path from a session's input to its verdict, where the engine and the scorer meet.

A session is a scenario, a seed (which draws the variant), an optional time limit of a drill's
own, and the trainee's timed actions. Every caller that turns such an input into a trace or a
result comes through here: the command line, the desk (as it plays, and when it resumes or
replays a recorded session), the records (replay, verify, re-score), and the linter's probes.

``end`` is the sim time a session's record stops at: for a finished session, when it ended
(its time limit when unknown); for one that was never finished, the last moment the record
holds, so the world's events up to then (a queue growing after the last action) are derived
again exactly as they were recorded, and no further than the record's length (the desk may
have been killed after an action and before the events it set off at that same moment).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Protocol

from scoring.narrate import Narrator
from scoring.procedure import Procedure
from scoring.result import Report
from scoring.scorer import SEMANTICS, score_trace
from sim.agents import Trainee, make_agent, run_agent
from sim.engine import Engine
from sim.observation import Observation
from sim.oracle import AnswerKey
from sim.scenario import LoadedScenario
from sim.trace import TimedAction

__all__ = ["Session", "Shadow", "build", "feed", "replay", "judge", "score_actions", "play_agent"]


@dataclass(frozen=True)
class Session:
    """A session run to its end, its result, and the procedure edition it was judged by."""

    engine: Engine
    report: Report
    procedure: Procedure

    @property
    def actions(self) -> list[TimedAction]:
        return self.engine.actions

    def words(self, lang: str = "zh") -> Narrator:
        """The words for this session's result in ``lang``."""
        return Narrator(
            self.engine.scenario, self.engine.variant, lang, self.procedure, trace=self.engine.trace
        )


def build(loaded: LoadedScenario, seed: int, *, time_limit: float | None = None) -> Engine:
    """A new session at sim time 0."""
    return Engine(loaded, seed, time_limit=time_limit)


class Shadow(Protocol):
    """A scripted trainee kept in step with recorded actions (the desk's hints, a demo): it
    sees the desk at each moment the clerk acted and is told what they did."""

    def watch(self, obs: Observation) -> None: ...

    def took(
        self, action: str, args: Mapping[str, str], obs: Observation, key: AnswerKey
    ) -> None: ...


def feed(
    engine: Engine,
    actions: Iterable[TimedAction],
    *,
    until: float | None = None,
    entries: int | None = None,
    shadow: Shadow | None = None,
) -> Engine:
    """Apply recorded ``actions`` in order; with ``until``, only those up to that sim time, and
    the world is then let run to it (with ``entries``, no further than a trace that long).
    ``shadow`` is kept in step: shown the desk before each action, told each one accepted."""
    for a in actions:
        if until is not None and a.t > until:
            break
        if shadow is None:
            engine.apply(a.t, a.action, a.args)
            continue
        engine.advance(a.t)
        obs = engine.observe()
        shadow.watch(obs)
        key = engine.answer_key()
        if engine.apply(a.t, a.action, a.args).valid:
            shadow.took(a.action, dict(a.args), obs, key)
    if until is not None and not engine.done:
        engine.advance(until, entries=entries)
    return engine


def replay(
    loaded: LoadedScenario,
    seed: int,
    actions: Iterable[TimedAction],
    *,
    time_limit: float | None = None,
    end: float | None = None,
    complete: bool = True,
    entries: int | None = None,
) -> Engine:
    """Re-derive a session from its input: ended at ``end`` (its time limit when None) if it
    was complete; otherwise let run to ``end`` and left open, with ``entries`` the length of
    the trace the record holds (a desk killed between two things happening at one moment)."""
    engine = feed(build(loaded, seed, time_limit=time_limit), actions)
    if complete:
        if not engine.done:
            engine.finish(end if end is not None else engine.time_limit)
    elif end is not None and not engine.done:
        engine.advance(end, entries=entries)
    return engine


def judge(engine: Engine, procedure: Procedure, semantics: int = SEMANTICS) -> Report:
    """The verdict on what the engine has derived (an open session is judged as it stands),
    by what the rules mean now, or by what they meant when a stored result was scored."""
    return score_trace(
        engine.loaded, procedure, engine.trace, engine.seed, engine.variant.id, semantics
    )


def score_actions(
    loaded: LoadedScenario,
    procedure: Procedure,
    seed: int,
    actions: Iterable[TimedAction],
    *,
    time_limit: float | None = None,
    end: float | None = None,
) -> Session:
    """A finished session's input, replayed and scored."""
    engine = replay(loaded, seed, actions, time_limit=time_limit, end=end)
    return Session(engine, judge(engine, procedure), procedure)


def play_agent(
    loaded: LoadedScenario,
    procedure: Procedure,
    seed: int,
    agent: str | Trainee,
    *,
    time_limit: float | None = None,
    on_action: Callable[[Engine], None] | None = None,
    injections: Sequence[tuple[float, str]] = (),
) -> Session:
    """A scripted trainee plays the session to its end; ``on_action`` sees each step (a
    recorder commits it there); ``injections``: a drill's incidents at their moments."""
    trainee = make_agent(agent, seed) if isinstance(agent, str) else agent
    engine = build(loaded, seed, time_limit=time_limit)
    run_agent(loaded, seed, trainee, engine=engine, on_action=on_action, injections=injections)
    return Session(engine, judge(engine, procedure), procedure)

"""Whole sessions: replay an input (or let a scripted trainee play) and score the result."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from scoring.procedure import Procedure
from scoring.scorer import Report, score_trace
from sim.agents import make_agent, run_agent
from sim.engine import Engine, replay
from sim.scenario import LoadedScenario
from sim.trace import TimedAction

__all__ = ["Session", "score_actions", "play_agent", "score_engine"]


@dataclass(frozen=True)
class Session:
    engine: Engine
    report: Report

    @property
    def actions(self) -> list[TimedAction]:
        return self.engine.actions


def score_engine(engine: Engine, procedure: Procedure, lang: str = "zh") -> Report:
    return score_trace(engine.loaded, procedure, engine.trace, engine.seed, engine.variant.id, lang)


def score_actions(
    loaded: LoadedScenario,
    procedure: Procedure,
    seed: int,
    actions: Sequence[TimedAction],
    lang: str = "zh",
) -> Session:
    engine = replay(loaded, seed, actions)
    return Session(engine, score_engine(engine, procedure, lang))


def play_agent(
    loaded: LoadedScenario, procedure: Procedure, seed: int, agent: str, lang: str = "zh"
) -> Session:
    engine = run_agent(loaded, seed, make_agent(agent, seed))
    return Session(engine, score_engine(engine, procedure, lang))

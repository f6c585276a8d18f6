"""Hints in training mode: the step the expert trainee would take next, from the same engine.

The scenario model has no hint fields yet, so the source is ``sim.agents``' expert, shadowing
the session: it watches each observation, is told which actions the trainee took (so its
one-off bookkeeping matches what was really done), and is asked on a clone, so asking never
changes what it would say next. Like every expert, it reads the engine's answer key; the hint
it gives is only ever an action and its arguments.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from sim.agents import Decision, Trainee, make_agent
from sim.observation import Observation
from sim.oracle import AnswerKey

__all__ = ["Hint", "HintSource"]


@dataclass(frozen=True)
class Hint:
    """A suggestion: ``action`` (None: nothing needs doing now) and its arguments."""

    action: str | None
    args: tuple[tuple[str, str], ...] = ()

    def arg(self, name: str) -> str | None:
        return dict(self.args).get(name)


class HintSource:
    def __init__(self, seed: int = 0) -> None:
        self._expert: Trainee = make_agent("expert", seed)

    def watch(self, obs: Observation) -> None:
        """Let the shadow see what the desk shows now (it tracks fault episodes this way)."""
        self._expert.watch(obs)

    def took(self, action: str, args: Mapping[str, str], obs: Observation, key: AnswerKey) -> None:
        """The trainee did ``action`` (seeing ``obs``; ``key`` from the same moment)."""
        self._expert.took(action, args, obs, key)

    def suggest(self, obs: Observation, key: AnswerKey) -> Hint:
        decision: Decision | None = self._expert.clone().decide(obs, key)
        if decision is None or decision.action == "finish" and key.world_pending:
            return Hint(None)
        return Hint(decision.action, decision.args)

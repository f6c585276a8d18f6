"""Hints in training mode: the step the expert trainee would take next, from the same engine.

The scenario model has no hint fields yet, so the source is ``sim.agents``' expert, shadowing
the session: it watches each observation, is told which actions the trainee took (so its
one-off bookkeeping matches what was really done), and is asked on a copy, so asking never
changes what it would say next.
"""

from __future__ import annotations

import copy
import random
from dataclasses import dataclass

from sim.agents import Decision, Trainee, make_agent
from sim.observation import Observation

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
        self._expert._watch(obs)

    def took(self, action: str, args: dict[str, str], obs: Observation) -> None:
        """The trainee did ``action``: mark the expert's matching one-off steps as done."""
        e = self._expert
        if action in e.vocab.actions and (
            e.vocab.actions[action].checks or e.vocab.actions[action].routine
        ):
            e._done.add(action)
        if action == "check_queue":
            e._done.add("check_queue")
        elif action == "wear_protection":
            e._done.add("protection")
        elif action == "test_print":
            e._needs_test = False
        elif action == "report_supervisor":
            e._reported_faults = e._faults_of_kind
            if obs.current is not None:
                e._escalated.add(obs.current)
        elif action == "ask_supervisor_help":
            e._owe_help = False
        elif action == "say":
            found = next(
                (r for c in obs.customers for r in c.replies if r.id == args.get("reply")), None
            )
            if found is not None and "escalate" in found.tags:
                e._owe_help = True

    def suggest(self, obs: Observation, world_pending: bool) -> Hint:
        shadow = _shadow(self._expert)
        shadow._world_pending = world_pending
        decision: Decision | None = shadow.decide(obs)
        if decision is None or decision.action == "finish" and world_pending:
            return Hint(None)
        return Hint(decision.action, decision.args)


def _shadow(agent: Trainee) -> Trainee:
    """A copy whose bookkeeping can change without touching the original's (the vocabulary,
    large and read-only, is shared rather than deep-copied)."""
    twin = copy.copy(agent)
    for name, value in vars(agent).items():
        if isinstance(value, set | list | dict):
            setattr(twin, name, copy.copy(value))
        elif isinstance(value, random.Random):
            rng = random.Random()
            rng.setstate(value.getstate())
            setattr(twin, name, rng)
    return twin

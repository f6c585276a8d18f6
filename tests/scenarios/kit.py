"""What the scenario tests share: the rules a report broke (with clause and verdict), the score
a report should have without some rules, an input with one reply swapped for another, a clerk
who answers some lines otherwise, and whether the right reply is given away by its length."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import replace

from scoring.result import Report
from scoring.session import Session
from sim.agents import Decision, Trainee
from sim.observation import CustomerView, Observation, ReplyView
from sim.oracle import AnswerKey
from sim.scenario import LoadedScenario, Reply
from sim.trace import TimedAction

__all__ = [
    "broken_rules", "broken", "score_without", "swap_reply", "Clerk", "choices", "right_by_length"
]  # fmt: skip


def broken_rules(report: Report) -> dict[str, tuple[str, str]]:
    """Each rule that lost: its clause and verdict (violated or missed)."""
    return {
        f.rule: (f.clause, f.verdict)
        for f in report.findings
        if f.verdict in ("violated", "missed")
    }


def broken(session: Session) -> dict[str, tuple[str, str]]:
    """The same, for a played session."""
    return broken_rules(session.report)


def score_without(loaded: LoadedScenario, report: Report, lost: Iterable[str]) -> float:
    """The score a report should have: 100 less the share of the broken rules' weights among
    the rules that applied."""
    weight = {r.id: r.weight for r in loaded.scenario.rules}
    applied = sum(weight[f.rule] for f in report.findings if f.verdict != "not_applicable")
    return round(100 - 100 * sum(weight[r] for r in lost) / applied, 1)


def swap_reply(actions: Sequence[TimedAction], old: str, new: str) -> list[TimedAction]:
    """The same input with the reply ``old`` given as ``new`` wherever it was chosen."""
    return [
        TimedAction(a.t, a.action, {"reply": new}) if a.args.get("reply") == old else a
        for a in actions
    ]


class Clerk(Trainee):
    """The expert, who answers some lines otherwise (``answers``: node -> reply), never takes
    the actions in ``skip`` (a look-up left out is one it does not know to make), and does
    ``extra`` (in order) at the first chance once ``arrived`` is at the counter."""

    def __init__(
        self,
        seed: int,
        arrived: str,
        answers: dict[str, str] | None = None,
        skip: tuple[str, ...] = (),
        extra: tuple[str, ...] = (),
    ) -> None:
        super().__init__(seed)
        self.arrived = arrived
        self.answers = answers or {}
        self.skip = skip
        self.extra = list(extra)

    def decide(self, obs: Observation, key: AnswerKey) -> Decision | None:
        if self.extra and obs.customer(self.arrived) is not None:
            return Decision(self.extra.pop(0))
        lookups = {c: tuple(a for a in do if a not in self.skip) for c, do in key.lookups.items()}
        d = super().decide(obs, replace(key, lookups=lookups))
        return None if d is not None and d.action in self.skip else d

    def choose_reply(self, c: CustomerView, key: AnswerKey) -> ReplyView:
        wanted = self.answers.get(c.node or "")
        offered = {r.id: r for r in c.replies}
        return offered[wanted] if wanted in offered else super().choose_reply(c, key)


def choices(loaded: LoadedScenario) -> list[tuple[Reply, ...]]:
    """The replies of every line that offers a choice, in the scenario's order."""
    return [
        n.replies
        for c in loaded.scenario.customers
        for n in c.dialogue.values()
        if len(n.replies) > 1
    ]


def right_by_length(
    decisions: Sequence[tuple[Reply, ...]], pick: Callable[..., Reply]
) -> list[bool]:
    """For each decision, whether the reply ``pick`` (``max`` or ``min``) chooses by length of
    its Chinese is the accurate one."""
    return ["accurate" in pick(replies, key=lambda r: len(r.zh)).tags for replies in decisions]

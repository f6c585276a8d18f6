"""The answer key: what the engine knows at a moment that a clerk at the counter cannot see.

The observation (``sim.observation``) is the clerk's view. The key is kept apart from it, by
name, so that whoever reads it says so: the scripted trainees that model a clerk who knows the
answers (the expert, everything built on it, the linter's probes) are given it explicitly; the
desk UI never shows it, and the random clerk never uses it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from sim.observation import Snapshot

__all__ = ["AnswerKey", "ReplyKey"]


@dataclass(frozen=True)
class ReplyKey:
    """How a reply on offer is graded, and what it does to the customer's mood."""

    tags: tuple[str, ...]
    mood: int
    order: int = 0  # where the scenario's author put it (the desk shows replies shuffled)


@dataclass(frozen=True)
class AnswerKey(Snapshot):
    # every reply on offer now (each present customer's open question), by reply id
    replies: Mapping[str, ReplyKey]
    # whether the world still has something of its own to come (not just a mood check)
    world_pending: bool
    # how many events the engine has recorded so far, those the clerk never sees included
    events: int
    # for each customer present, what a careful clerk looks up in the system for their matter
    lookups: Mapping[str, tuple[str, ...]] = field(default_factory=dict)

    def tags(self, reply: str) -> tuple[str, ...]:
        """The tags of a reply on offer (none for one that is not)."""
        k = self.replies.get(reply)
        return k.tags if k is not None else ()

    def order(self, reply: str) -> int:
        """Where the author wrote a reply on offer among its node's replies."""
        k = self.replies.get(reply)
        return k.order if k is not None else 0

    def mood(self, reply: str) -> int:
        """What a reply on offer does to the customer's mood (0 for one that is not)."""
        k = self.replies.get(reply)
        return k.mood if k is not None else 0

"""How long after a hazard is reported the clerk gives the first safety advice.

What counts as safety advice is not decided here: it is what the recorded scenario's own rules
score as such. In ``emergency_outage`` and ``combined_incident`` the rules on clause 3.3.c
triggered by the event ``hazard_reported`` (``safety_first``, a ``first_after``; and in
``emergency_outage`` also ``safety_in_time``, a ``response`` within 30 s) ask for
``{name: say, tags: [safety]}``: a valid ``say`` whose chosen reply carries the tag ``safety``.
So the advice is the first valid entry after the (first) hazard report that matches one of those
patterns the way the scorer matches them (same name, the pattern's args, any one of its tags).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sim.scenario import FirstAfter, LoadedScenario, Response
from sim.trace import TraceEntry

__all__ = ["HAZARD", "SafetyRule", "safety_rule", "advice_delay"]

HAZARD = "hazard_reported"


@dataclass(frozen=True)
class SafetyRule:
    """The patterns a scenario scores as the answer to a hazard, and the time limit if any."""

    patterns: tuple[tuple[str, tuple[tuple[str, str], ...], tuple[str, ...]], ...]
    within: float | None

    def matches(self, e: TraceEntry) -> bool:
        if e.kind == "action" and not e.valid:
            return False
        for name, args, tags in self.patterns:
            if e.name != name:
                continue
            if any(e.arg(k) != v for k, v in args):
                continue
            if tags and not set(tags) & set(e.tags):
                continue
            return True
        return False


def safety_rule(loaded: LoadedScenario) -> SafetyRule | None:
    """The scenario's rules that answer ``hazard_reported`` with something the clerk says, or
    None when the scenario has none (then it has no safety advice to time)."""
    patterns = []
    limits = []
    for rule in loaded.scenario.rules:
        if not isinstance(rule, FirstAfter | Response) or rule.trigger.name != HAZARD:
            continue
        if rule.what.name != "say":
            continue
        pattern = (
            rule.what.name,
            tuple(sorted((rule.what.args or {}).items())),
            tuple(rule.what.tags or ()),
        )
        if pattern not in patterns:
            patterns.append(pattern)
        if isinstance(rule, Response) and rule.within is not None:
            limits.append(float(rule.within))
    if not patterns:
        return None
    return SafetyRule(tuple(patterns), min(limits) if limits else None)


def advice_delay(
    entries: Sequence[TraceEntry], rule: SafetyRule
) -> tuple[float | None, float | None]:
    """(when the hazard was first reported, seconds until the first safety advice after it);
    (None, None) when no hazard was reported, (t, None) when no advice followed."""
    start = next((i for i, e in enumerate(entries) if e.kind == "event" and e.name == HAZARD), None)
    if start is None:
        return None, None
    t0 = entries[start].t
    for e in entries[start + 1 :]:
        if rule.matches(e):
            return t0, round(e.t - t0, 3)
    return t0, None

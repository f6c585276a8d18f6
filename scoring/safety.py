"""How long after a hazard is reported the clerk gives the first safety advice.

What counts as safety advice is not decided here: it is what the recorded scenario's own rules
score as such. In ``emergency_outage`` and ``combined_incident`` the rules on clause 3.3.c
triggered by the event ``hazard_reported`` (``safety_first``, a ``first_after``; and in
``emergency_outage`` also ``safety_in_time``, a ``response`` within 30 s) ask for
``{name: say, tags: [safety]}``: a valid ``say`` whose chosen reply carries the tag ``safety``.
So the advice is the first valid entry after the (first) hazard report that matches one of those
patterns the way the scorer matches them (same name, the pattern's args, any one of its tags);
the clock starts when the danger reached the desk: the report, or the ring of the call it came
in on.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sim.scenario import FirstAfter, LoadedScenario, Pattern, Response
from sim.trace import TraceEntry

__all__ = ["HAZARD", "SafetyRule", "safety_rule", "advice_delay"]

HAZARD = "hazard_reported"


@dataclass(frozen=True)
class SafetyRule:
    """The patterns a scenario scores as the answer to a hazard, and the time limit if any."""

    patterns: tuple[Pattern, ...]
    within: float | None

    def matches(self, e: TraceEntry) -> bool:
        return any(p.matches(e) for p in self.patterns)


def safety_rule(loaded: LoadedScenario) -> SafetyRule | None:
    """The scenario's rules that answer ``hazard_reported`` with something the clerk says, or
    None when the scenario has none (then it has no safety advice to time)."""
    patterns: list[Pattern] = []
    limits: list[float] = []
    for rule in loaded.scenario.rules:
        if not isinstance(rule, FirstAfter | Response) or rule.trigger.name != HAZARD:
            continue
        if rule.what.name != "say":
            continue
        if rule.what not in patterns:
            patterns.append(rule.what)
        if isinstance(rule, Response) and rule.within is not None:
            limits.append(float(rule.within))
    if not patterns:
        return None
    return SafetyRule(tuple(patterns), min(limits) if limits else None)


def advice_delay(
    entries: Sequence[TraceEntry], rule: SafetyRule
) -> tuple[float | None, float | None]:
    """(when the danger reached the desk, seconds until the first safety advice after the
    report); (None, None) when no hazard was reported, (t, None) when no advice followed.

    The danger reaches the desk when the hazard is reported, or, for a report made by phone,
    when that caller's call first rang: a caller left ringing waited in danger all along.
    """
    start = next((i for i, e in enumerate(entries) if e.kind == "event" and e.name == HAZARD), None)
    if start is None:
        return None, None
    reporter = entries[start].arg("customer")
    rang = next(
        (
            e.t
            for e in entries[:start]
            if e.kind == "event" and e.name == "phone_rings" and e.arg("customer") == reporter
        ),
        None,
    )
    t0 = rang if rang is not None else entries[start].t
    for e in entries[start + 1 :]:
        if rule.matches(e):
            return t0, round(e.t - t0, 3)
    return t0, None

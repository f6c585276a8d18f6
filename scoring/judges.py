"""What each rule template means now (scoring semantics 2): one verdict per rule.

- A rule whose situation never arose (its trigger, its window, the step it guards) is *not
  applicable*: it neither earns nor loses points, and the score is worked out over the rules
  that did apply. A step the procedure requires anyway is a ``required`` rule of its own, so
  avoiding the situation costs that step's points.
- Times are compared on the engine's grid (milliseconds): exactly at the limit is within it.
- ``first_after``: after the trigger, ``what`` must come before anything the rule names as
  acting ``instead``; what it does not name is neutral (logging in, reporting up, looking).
- A reply answers one customer's one question: after a customer's line, only a reply offered
  at that line counts as the answer to it.
"""

from __future__ import annotations

from scoring.result import Ref, Window
from scoring.trace_index import IndexedTrace, Judged, ev
from sim.scenario import (
    Before,
    FirstAfter,
    Forbidden,
    Pattern,
    Required,
    Response,
    Rule,
    Scenario,
)
from sim.trace import TraceEntry

__all__ = ["judge", "GRID"]

GRID = 3  # decimal places of sim time the engine's clock has


def _late(elapsed: float, within: float | None) -> bool:
    return within is not None and round(elapsed, GRID) > within


class _Answers:
    """Whether a ``say`` answers the question a trigger entry asked."""

    def __init__(self, scenario: Scenario) -> None:
        self.scenario = scenario

    def fits(self, trigger: TraceEntry, e: TraceEntry) -> bool:
        if trigger.name != "customer_says" or e.name != "say":
            return True
        found = self.scenario.locate_reply(e.arg("reply") or "")
        return (
            found is not None
            and found.customer.id == trigger.arg("customer")
            and found.node == trigger.arg("node")
        )


def judge(rule: Rule, trace: IndexedTrace, scenario: Scenario) -> Judged:
    answers = _Answers(scenario)
    if isinstance(rule, Required):
        return _required(rule, trace)
    if isinstance(rule, Forbidden):
        return _forbidden(rule, trace)
    if isinstance(rule, Before):
        return _before(rule, trace)
    if isinstance(rule, Response):
        return _response(rule, trace, answers)
    return _first_after(rule, trace, answers)


def _required(r: Required, trace: IndexedTrace) -> Judged:
    start, t0 = 0, 0.0
    refs: dict[str, Ref] = {}
    if r.after is not None:
        i = trace.first(r.after)
        if i is None:
            return "not_applicable", None, ev("no_trigger", patterns={"trigger": r.after})
        start, t0 = i + 1, trace[i].t
        refs["trigger"] = trace.ref(i)
    window = Window(t0, None, r.within)
    i = trace.first(r.what, start)
    if i is None:
        case = "missed_after" if r.after is not None else "missed"
        return "missed", None, ev(case, entries=refs, patterns={"what": r.what}, window=window)
    e = trace[i]
    refs["what"] = trace.ref(i)
    if _late(e.t - t0, r.within):
        return (
            "violated",
            e.t,
            ev("late", entries=refs, patterns={"what": r.what}, window=window, elapsed=e.t - t0),
        )
    return "met", e.t, ev("done", entries=refs, patterns={"what": r.what}, window=window)


def _forbidden(r: Forbidden, trace: IndexedTrace) -> Judged:
    open_ = r.after is None
    opened: int | None = None
    ever_open = open_
    windowed = r.after is not None or r.until is not None
    patterns = {"what": r.what, "trigger": r.after, "until": r.until}
    for i in trace.where(r.what, r.after, r.until):
        e = trace[i]
        if r.after is not None and not open_ and r.after.matches(e):
            open_, opened, ever_open = True, i, True
            continue
        if r.until is not None and open_ and r.until.matches(e):
            open_ = False
            continue
        if open_ and r.what.matches(e, attempts=True):
            refs = {"what": trace.ref(i)}
            start = 0.0
            if opened is not None:
                refs["trigger"] = trace.ref(opened)
                start = trace[opened].t
            return (
                "violated",
                e.t,
                ev(
                    "forbidden_after" if opened is not None else "forbidden",
                    entries=refs,
                    patterns=patterns,
                    window=Window(start, None, None),
                ),
            )
    if not ever_open:
        return "not_applicable", None, ev("no_trigger", patterns={"trigger": r.after})
    return "met", None, ev("never_in_window" if windowed else "never", patterns=patterns)


def _before(r: Before, trace: IndexedTrace) -> Judged:
    j = trace.first(r.then)
    if j is None:
        return "not_applicable", None, ev("no_trigger", patterns={"trigger": r.then})
    i = trace.first(r.first)
    then = trace[j]
    if i is None or i > j:
        return (
            "violated",
            then.t,
            ev("not_before", entries={"then": trace.ref(j)}, patterns={"first": r.first}),
        )
    return (
        "met",
        then.t,
        ev(
            "before",
            entries={"first": trace.ref(i), "then": trace.ref(j)},
            patterns={"first": r.first},
        ),
    )


def _answer(what: Pattern, trace: IndexedTrace, after: int, answers: _Answers) -> int | None:
    """The first entry after ``after`` matching ``what`` that answers the trigger there."""
    trig = trace[after]
    start = after + 1
    while True:
        j = trace.first(what, start)
        if j is None or answers.fits(trig, trace[j]):
            return j
        start = j + 1


def _response(r: Response, trace: IndexedTrace, answers: _Answers) -> Judged:
    last: Judged | None = None
    for i in trace.where(r.trigger):
        trig = trace[i]
        if not r.trigger.matches(trig):
            continue
        window = Window(trig.t, None, r.within)
        j = _answer(r.what, trace, i, answers)
        if j is None:
            return (
                "missed",
                trig.t,
                ev(
                    "no_response",
                    entries={"trigger": trace.ref(i)},
                    patterns={"what": r.what},
                    window=window,
                ),
            )
        e = trace[j]
        dt = e.t - trig.t
        refs = {"trigger": trace.ref(i), "what": trace.ref(j)}
        if _late(dt, r.within):
            return (
                "violated",
                e.t,
                ev(
                    "slow_response",
                    entries=refs,
                    patterns={"what": r.what},
                    window=window,
                    elapsed=dt,
                ),
            )
        last = (
            "met",
            e.t,
            ev("response", entries=refs, patterns={"what": r.what}, window=window, elapsed=dt),
        )
    if last is None:
        return "not_applicable", None, ev("no_trigger", patterns={"trigger": r.trigger})
    return last


def _first_after(r: FirstAfter, trace: IndexedTrace, answers: _Answers) -> Judged:
    i = trace.first(r.trigger)
    if i is None:
        return "not_applicable", None, ev("no_trigger", patterns={"trigger": r.trigger})
    trig = trace[i]
    window = Window(trig.t, None, r.within)
    for k in range(i + 1, len(trace.entries)):
        e = trace[k]
        refs = {"trigger": trace.ref(i), "what": trace.ref(k)}
        if r.what.matches(e) and answers.fits(trig, e):
            if _late(e.t - trig.t, r.within):
                return (
                    "violated",
                    e.t,
                    ev(
                        "late_first",
                        entries=refs,
                        patterns={"what": r.what},
                        window=window,
                        elapsed=e.t - trig.t,
                    ),
                )
            return (
                "met",
                e.t,
                ev("first_ok", entries=refs, patterns={"what": r.what}, window=window),
            )
        if _instead(r, e):
            return (
                "violated",
                e.t,
                ev("first_wrong", entries=refs, patterns={"what": r.what}, window=window),
            )
    return (
        "missed",
        trig.t,
        ev(
            "no_response",
            entries={"trigger": trace.ref(i)},
            patterns={"what": r.what},
            window=window,
        ),
    )


def _instead(r: FirstAfter, e: TraceEntry) -> bool:
    """Whether ``e`` is acting instead of ``r.what``. A rule that names nothing keeps the
    strict meaning: any action the clerk manages to do comes first."""
    if e.kind != "action":
        return False
    if r.instead is None:
        return e.valid
    return any(m.matches(e, attempts=True) for m in r.instead)

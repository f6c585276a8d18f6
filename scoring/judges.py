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

from bisect import bisect_left, bisect_right
from collections.abc import Callable

from scoring.result import Ref, Verdict
from scoring.result import make_evidence as _evidence
from scoring.result import make_ref as _ref
from scoring.result import make_window as _window
from scoring.trace_index import IndexedTrace, Judged, matcher
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

__all__ = ["judge", "compile_rule", "Compiled", "GRID"]

GRID = 3  # decimal places of sim time the engine's clock has

# A rule compiled for its scenario: the trace in, the verdict out. Each rule is answered in one
# pass over the entries it names, or by bisection in the positions its patterns match.
Compiled = Callable[[IndexedTrace], Judged]

_NA: Verdict = "not_applicable"


def _late(elapsed: float, within: float | None) -> bool:
    return within is not None and round(elapsed, GRID) > within


def _roles(**patterns: Pattern | None) -> tuple[tuple[str, Pattern], ...]:
    """The patterns evidence names, by role (those a rule leaves out are not named)."""
    return tuple((k, p) for k, p in patterns.items() if p is not None)


Finder = Callable[[IndexedTrace, int], "int | None"]


def _hits_of(p: Pattern, attempts: bool = False) -> Callable[[IndexedTrace], list[int]]:
    """``trace.hits(p, attempts)``, made for ``p`` once: a pattern that names only a name is
    answered from the index's own list (when no refused attempt could be among it)."""
    made = matcher(p)
    name = p.name
    if not made[1]:
        return lambda trace: trace.hits(p, attempts, made)
    if attempts:
        return lambda trace: trace.by_name.get(name, _NONE)

    def hits(trace: IndexedTrace) -> list[int]:
        if name in trace.refused:  # an attempt of that name was refused: it does not count
            return trace.hits(p, False, made)
        return trace.by_name.get(name, _NONE)

    return hits


def _first_of(p: Pattern, attempts: bool = False) -> Finder:
    """``trace.first(p, start, attempts)``, made for ``p`` once (see ``_hits_of``)."""
    hits_of = _hits_of(p, attempts)

    def first(trace: IndexedTrace, start: int = 0) -> int | None:
        found = hits_of(trace)
        if not start:
            return found[0] if found else None
        k = bisect_left(found, start)
        return found[k] if k < len(found) else None

    return first


_NONE: list[int] = []


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

    def by_question(self, what: Pattern, trace: IndexedTrace) -> dict[tuple[str, str], list[int]]:
        """The entries ``what`` matches grouped by the question (customer, line) their reply
        answers, each group in order; a reply the scenario does not offer answers none."""
        key = ("answers", id(what), id(self.scenario))
        groups: dict[tuple[str, str], list[int]] | None = trace.memo.get(key)
        if groups is None:
            groups = {}
            locate = self.scenario.locate_reply
            entries = trace.entries
            for j in trace.hits(what):
                found = locate(entries[j].arg("reply") or "")
                if found is not None:
                    groups.setdefault((found.customer.id, found.node), []).append(j)
            trace.memo[key] = groups
        return groups

    def answer(
        self, what: Pattern, trace: IndexedTrace, after: int, first: Finder | None = None
    ) -> int | None:
        """The first entry after ``after`` matching ``what`` that answers the trigger there:
        found by bisection among the entries that could answer it, never by walking past the
        others."""
        trig = trace.entries[after]
        if trig.name == "customer_says" and what.name == "say":
            question = (trig.arg("customer"), trig.arg("node"))
            candidates = self.by_question(what, trace).get(question)  # type: ignore[arg-type]
            if not candidates:
                return None
            k = bisect_right(candidates, after)
            return candidates[k] if k < len(candidates) else None
        if first is not None:
            return first(trace, after + 1)
        return trace.first(what, after + 1)


_COMPILED: dict[tuple[int, int], tuple[Rule, Scenario, Compiled]] = {}


def compile_rule(rule: Rule, scenario: Scenario) -> Compiled:
    """``rule`` made ready to judge traces of ``scenario`` (made once per pairing; the cache
    keeps what it is keyed on alive, so an id is never reused while cached)."""
    key = (id(rule), id(scenario))
    hit = _COMPILED.get(key)
    if hit is not None and hit[0] is rule and hit[1] is scenario:
        return hit[2]
    answers = _Answers(scenario)
    compiled: Compiled
    if isinstance(rule, Required):
        compiled = _required(rule)
    elif isinstance(rule, Forbidden):
        compiled = _forbidden(rule)
    elif isinstance(rule, Before):
        compiled = _before(rule)
    elif isinstance(rule, Response):
        compiled = _response(rule, answers)
    else:
        compiled = _first_after(rule, answers)
    if len(_COMPILED) > 4096:
        _COMPILED.clear()
    _COMPILED[key] = (rule, scenario, compiled)
    return compiled


def judge(rule: Rule, trace: IndexedTrace, scenario: Scenario) -> Judged:
    return compile_rule(rule, scenario)(trace)


def _required(r: Required) -> Compiled:
    what, after, within = r.what, r.after, r.within
    no_trigger = _roles(trigger=after)
    looked_for = _roles(what=what)
    missed = "missed_after" if after is not None else "missed"
    first_what = _first_of(what)
    first_after = _first_of(after) if after is not None else None
    # what does not depend on the trace is made once (the objects are immutable)
    not_applicable: Judged = (_NA, None, _evidence("no_trigger", (), no_trigger))
    from_start = _window(0.0, None, within)

    def run(trace: IndexedTrace) -> Judged:
        entries = trace.entries
        start, t0 = 0, 0.0
        refs: tuple[tuple[str, Ref], ...] = ()
        window = from_start
        if first_after is not None:
            i = first_after(trace, 0)
            if i is None:
                return not_applicable
            start, t0 = i + 1, entries[i].t
            refs = (("trigger", _ref(i, entries[i])),)
            window = _window(t0, None, within)
        i = first_what(trace, start)
        if i is None:
            return "missed", None, _evidence(missed, refs, looked_for, window)
        e = entries[i]
        refs = (*refs, ("what", _ref(i, e)))
        if _late(e.t - t0, within):
            return "violated", e.t, _evidence("late", refs, looked_for, window, round(e.t - t0, 3))
        return "met", e.t, _evidence("done", refs, looked_for, window)

    return run


def _forbidden(r: Forbidden) -> Compiled:
    what, after, until = r.what, r.after, r.until
    windowed = after is not None or until is not None
    looked_for = _roles(what=what, trigger=after, until=until)
    no_trigger = _roles(trigger=after)
    never = "never_in_window" if windowed else "never"
    not_applicable: Judged = (_NA, None, _evidence("no_trigger", (), no_trigger))
    kept: Judged = ("met", None, _evidence(never, (), looked_for))
    first_tried = _first_of(what, attempts=True)

    def violated(trace: IndexedTrace, i: int, opened: int | None) -> Judged:
        entries = trace.entries
        e = entries[i]
        refs: tuple[tuple[str, Ref], ...] = (("what", _ref(i, e)),)
        start = 0.0
        if opened is not None:
            refs = (*refs, ("trigger", _ref(opened, entries[opened])))
            start = entries[opened].t
        case = "forbidden_after" if opened is not None else "forbidden"
        return "violated", e.t, _evidence(case, refs, looked_for, _window(start, None, None))

    def run(trace: IndexedTrace) -> Judged:
        if not windowed:  # open throughout: the first attempt breaks it
            i = first_tried(trace, 0)
            if i is not None:
                return violated(trace, i, None)
            return kept
        entries = trace.entries
        open_ = after is None
        opened: int | None = None
        ever_open = open_
        for i in trace.where(what, after, until):
            e = entries[i]
            if after is not None and not open_ and after.matches(e):
                open_, opened, ever_open = True, i, True
                continue
            if until is not None and open_ and until.matches(e):
                open_ = False
                continue
            if open_ and what.matches(e, attempts=True):
                return violated(trace, i, opened)
        if not ever_open:
            return not_applicable
        return kept

    return run


def _before(r: Before) -> Compiled:
    first, then = r.first, r.then
    no_trigger = _roles(trigger=then)
    looked_for = _roles(first=first)

    not_applicable: Judged = (_NA, None, _evidence("no_trigger", (), no_trigger))

    first_then, first_first = _first_of(then), _first_of(first)

    def run(trace: IndexedTrace) -> Judged:
        j = first_then(trace, 0)
        if j is None:
            return not_applicable
        entries = trace.entries
        i = first_first(trace, 0)
        e = entries[j]
        if i is None or i > j:
            return "violated", e.t, _evidence("not_before", (("then", _ref(j, e)),), looked_for)
        refs = (("first", _ref(i, entries[i])), ("then", _ref(j, e)))
        return "met", e.t, _evidence("before", refs, looked_for)

    return run


def _response(r: Response, answers: _Answers) -> Compiled:
    trigger, what, within = r.trigger, r.what, r.within
    no_trigger = _roles(trigger=trigger)
    looked_for = _roles(what=what)

    not_applicable: Judged = (_NA, None, _evidence("no_trigger", (), no_trigger))

    trigger_hits = _hits_of(trigger)
    first_what = _first_of(what)

    def run(trace: IndexedTrace) -> Judged:
        entries = trace.entries
        last: tuple[int, int] | None = None  # the last question answered in time
        for i in trigger_hits(trace):
            trig = entries[i]
            j = answers.answer(what, trace, i, first_what)
            if j is None:
                window = _window(trig.t, None, within)
                refs: tuple[tuple[str, Ref], ...] = (("trigger", _ref(i, trig)),)
                return "missed", trig.t, _evidence("no_response", refs, looked_for, window)
            e = entries[j]
            dt = e.t - trig.t
            if within is not None and _late(dt, within):
                window = _window(trig.t, None, within)
                refs = (("trigger", _ref(i, trig)), ("what", _ref(j, e)))
                evidence = _evidence("slow_response", refs, looked_for, window, round(dt, 3))
                return "violated", e.t, evidence
            last = i, j
        if last is None:
            return not_applicable
        i, j = last
        trig, e = entries[i], entries[j]
        dt = e.t - trig.t
        refs = (("trigger", _ref(i, trig)), ("what", _ref(j, e)))
        window = _window(trig.t, None, within)
        return "met", e.t, _evidence("response", refs, looked_for, window, round(dt, 3))

    return run


def _first_after(r: FirstAfter, answers: _Answers) -> Compiled:
    trigger, what, within, instead = r.trigger, r.what, r.within, r.instead
    no_trigger = _roles(trigger=trigger)
    looked_for = _roles(what=what)
    name = what.name

    def acts_instead(e: TraceEntry) -> bool:
        """Whether action ``e`` is acting instead of ``what``. A rule that names nothing keeps
        the strict meaning: any action the clerk manages to do comes first."""
        if instead is None:
            return e.valid
        return any(m.matches(e, attempts=True) for m in instead)

    not_applicable: Judged = (_NA, None, _evidence("no_trigger", (), no_trigger))

    first_trigger = _first_of(trigger)

    def run(trace: IndexedTrace) -> Judged:
        i = first_trigger(trace, 0)
        if i is None:
            return not_applicable
        entries = trace.entries
        trig = entries[i]
        window = _window(trig.t, None, within)
        for k in range(i + 1, len(entries)):
            e = entries[k]
            action = e.kind == "action"
            if not action and e.name != name:
                continue  # an event is neither the answer nor acting instead
            if what.matches(e) and answers.fits(trig, e):
                refs = (("trigger", _ref(i, trig)), ("what", _ref(k, e)))
                if _late(e.t - trig.t, within):
                    elapsed = round(e.t - trig.t, 3)
                    return (
                        "violated",
                        e.t,
                        _evidence("late_first", refs, looked_for, window, elapsed),
                    )
                return "met", e.t, _evidence("first_ok", refs, looked_for, window)
            if action and acts_instead(e):
                refs = (("trigger", _ref(i, trig)), ("what", _ref(k, e)))
                return "violated", e.t, _evidence("first_wrong", refs, looked_for, window)
        missed = (("trigger", _ref(i, trig)),)
        return "missed", trig.t, _evidence("no_response", missed, looked_for, window)

    return run

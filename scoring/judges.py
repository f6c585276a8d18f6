"""What each rule template means now (scoring semantics 3; 2 as it was, for the results
scored by it): one verdict per rule.

- A rule whose situation never arose (its trigger, its window, the step it guards) is *not
  applicable*: it neither earns nor loses points, and the score is worked out over the rules
  that did apply. A step the procedure requires anyway is a ``required`` rule of its own, so
  avoiding the situation costs that step's points.
- Times are compared on the engine's grid (milliseconds): exactly at the limit is within it.
- ``first_after``: after the trigger, ``what`` must come before anything the rule names as
  acting ``instead``; what it does not name is neutral (logging in, reporting up, looking).
- A reply answers one customer's one question: after a customer's line, only a reply offered
  at that line counts as the answer to it.
- Semantics 3, safety first (3.3.c):
  - while a live hazard another customer reported is being dealt with (from that customer's
    ring or arrival until the clerk's last reply or action for them) the others wait: a rule
    about one customer, or about the whole desk, does not count that time toward its limit;
    the hazard's own rules never wait;
    so does a customer while the clerk stops for a failure of the desk and reports it (3.3.a);
    a rule set off by a danger (a hazard, an emergency in the hall, a device running hot) never
    waits;
  - what the clerk says or does for that other customer while their hazard is dealt with is
    not acting instead of answering a waiting customer, and breaks no prohibition opened by the
    waiting customer's case (a mismatch found); whose case an action was for is read from the
    trace (a reply: whose line it answers; anything else: who was being served);
  (the desk's alarms and the phone take the clerk off the action in hand at once, so a limit
  never waits for an action to finish).
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
from sim.vocabulary import vocabulary

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
    """``trace.first(p, start, attempts)``, made for ``p`` once: a plain name answered from the
    index's own list (``_hits_of``'s test, written out here since every rule asks this, most
    more than once per trace); from the start, by walking that name's entries to the first
    match; from later on, by bisecting the matches."""
    made = matcher(p)
    matches, plain = made
    name = p.name

    def first(trace: IndexedTrace, start: int = 0) -> int | None:
        if plain and (attempts or name not in trace.refused):
            found = trace.by_name.get(name, _NONE)
        elif not start:  # the first match from the start: no need to list every match
            entries = trace.entries
            for i in trace.by_name.get(name, _NONE):
                if matches(entries[i], attempts):
                    return i
            return None
        else:
            found = trace.hits(p, attempts, made)
        if not start:
            return found[0] if found else None
        k = bisect_left(found, start)
        return found[k] if k < len(found) else None

    return first


def _is_of(p: Pattern, attempts: bool = False) -> Callable[[TraceEntry], bool]:
    """``p.matches(e, attempts)``, made for ``p`` once."""
    matches = matcher(p)[0]
    name = p.name
    return lambda e: e.name == name and matches(e, attempts)


_NONE: list[int] = []


# -- safety first (semantics 3) ---------------------------------------------------------------

Span = tuple[str, float, float]  # a customer whose hazard was being dealt with: from, until


def _hazard_spans(trace: IndexedTrace, answers: _Answers) -> tuple[Span, ...]:
    """For each customer who reported a hazard: from when they reached the clerk (their ring,
    or their arrival, the last before the report) until the clerk was done acting for them
    (the last reply to them or action in their case, and its time), or they left if sooner.
    Time with the reporter idle on the line is nobody's excuse. Worked out once per trace."""
    found: tuple[Span, ...] | None = trace.memo.get("hazard_spans")
    if found is not None:
        return found
    entries = trace.entries
    takes = vocabulary().actions
    spans: list[Span] = []
    seen: set[str] = set()
    for i in trace.by_name.get("hazard_reported", _NONE):
        who = entries[i].arg("customer")
        if who is None or who in seen:
            continue
        seen.add(who)
        reached = [
            entries[j].t
            for name in ("phone_rings", "customer_arrives")
            for j in trace.by_name.get(name, _NONE)
            if j < i and entries[j].arg("customer") == who
        ]
        start = max(reached) if reached else entries[i].t
        left = float("inf")
        for j in trace.by_name.get("customer_leaves", _NONE):
            if j > i and entries[j].arg("customer") == who:
                left = entries[j].t
                break
        until = entries[i].t
        for k in trace.actions:
            e = entries[k]
            if k > i and e.t < left and e.valid and answers.acted_for(trace, k) == who:
                spec = takes.get(e.name)
                until = max(until, e.t + (spec.duration if spec is not None else 0.0))
        spans.append((who, start, min(until, left)))
    out = tuple(spans)
    trace.memo["hazard_spans"] = out
    return out


def _fault_spans(trace: IndexedTrace) -> tuple[Span, ...]:
    """For each failure of the whole desk the procedure has the clerk stop and report at once
    (the network, the business system: 3.3.a): from the failure until the report was made (no
    span when it never was). Worked out once per trace."""
    found: tuple[Span, ...] | None = trace.memo.get("fault_spans")
    if found is not None:
        return found
    entries = trace.entries
    reports = [j for j in trace.by_name.get("report_supervisor", _NONE) if entries[j].valid]
    takes = vocabulary().actions["report_supervisor"].duration  # the call itself
    spans: list[Span] = []
    for name in _STOP_AND_REPORT:
        for i in trace.by_name.get(name, _NONE):
            k = bisect_left(reports, i)
            if k < len(reports):
                spans.append(("", entries[i].t, entries[reports[k]].t + takes))
    out = tuple(spans)
    trace.memo["fault_spans"] = out
    return out


_STOP_AND_REPORT = ("network_down", "system_fault")


def _excused(trace: IndexedTrace, i: int, answers: _Answers) -> tuple[Span, ...]:
    """What a rule set off by entry ``i`` waits for: if it is about one customer, another
    customer's hazard being dealt with, and a failure of the desk being stopped for and
    reported; if it is about the whole desk, the hazards only. A rule set off by a danger (a
    hazard, an emergency in the hall, a device running hot) never waits."""
    if trace.entries[i].name in _DANGERS:
        return ()
    if trace.by_name.keys().isdisjoint(_WAITED_FOR):
        return ()  # nothing anyone waits for (most sessions): nothing to work out
    about = _about(trace, i)
    spans = tuple(sp for sp in _hazard_spans(trace, answers) if sp[0] != about)
    if about is not None:
        spans += _fault_spans(trace)
    return spans


_DANGERS = frozenset({"hazard_reported", "hall_emergency", "device_overheating"})
_WAITED_FOR = frozenset({"hazard_reported", *_STOP_AND_REPORT})  # what anyone may wait for


def _waited(spans: tuple[Span, ...], t0: float, t1: float) -> float:
    """How much of ``[t0, t1]`` fell in the spans (overlaps counted once)."""
    if not spans:
        return 0.0
    cuts = sorted((max(a, t0), min(b, t1)) for _, a, b in spans if a < t1 and b > t0)
    total, end = 0.0, t0
    for a, b in cuts:
        a = max(a, end)
        if b > a:
            total += b - a
            end = b
    return total


def _for_hazard(
    trace: IndexedTrace, answers: _Answers, who: str | None, about: str | None, t: float
) -> bool:
    """Whether something done at ``t`` for customer ``who`` was dealing with their live hazard
    while ``about`` (another customer, or the whole desk) waited."""
    if who is None or who == about:
        return False
    return any(c == who and a <= t < b for c, a, b in _hazard_spans(trace, answers))


def _served(trace: IndexedTrace) -> tuple[list[int], list[str | None]]:
    """Who the clerk was serving, as the trace shows it: the positions where that changed and
    who it changed to (in effect after that entry). Read as the engine sets it: the first
    customer to arrive while nobody present is being served, the one called (``customer_called``)
    or served (``serve``), the caller whose ring was answered (``answer_phone``)."""
    found = trace.memo.get("served")
    if found is not None:
        return found  # type: ignore[no-any-return]
    at: list[int] = []
    who: list[str | None] = []
    current: str | None = None
    present: set[str] = set()
    ringing: str | None = None
    for i, e in enumerate(trace.entries):
        name, now = e.name, current
        if e.kind == "event":
            c = e.arg("customer")
            if name == "customer_arrives" and c is not None:
                if current is None or current not in present:
                    now = c
                present.add(c)
            elif name == "customer_leaves" and c is not None:
                present.discard(c)
            elif name == "customer_called" and c is not None:
                now = c
            elif name == "phone_rings" and c is not None:
                ringing = c
        elif e.valid:
            if name == "serve":
                now = e.arg("customer")
            elif name == "answer_phone" and ringing is not None:
                now, ringing = ringing, None
                present.add(now)
        if now != current:
            at.append(i)
            who.append(now)
            current = now
    out = (at, who)
    trace.memo["served"] = out
    return out


def _serving(trace: IndexedTrace, i: int) -> str | None:
    """Who was being served when entry ``i`` happened (a change at ``i`` takes effect after)."""
    at, who = _served(trace)
    k = bisect_left(at, i)
    return who[k - 1] if k else None


def _about(trace: IndexedTrace, i: int) -> str | None:
    """The customer entry ``i`` is about: the one it names; else, for the clerk's action or what
    followed from the case in hand (a mismatch found), the one being served; None for what
    happens to the whole desk (the network, a printer, the hall)."""
    e = trace.entries[i]
    named = e.arg("customer")
    if named is not None:
        return named
    if e.kind == "event" and e.name in _DESK_WIDE:
        return None
    return _serving(trace, i)


# what the world does to the whole desk (no customer's case): its rules bind every case
_DESK_WIDE = frozenset(
    name
    for name, spec in vocabulary().events.items()
    if spec.origin == "world" and "customer" not in spec.args
) | {"session_start", "session_end"}


class _Answers:
    """Whether a ``say`` answers the question a trigger entry asked."""

    def __init__(self, scenario: Scenario) -> None:
        self.scenario = scenario
        self.reply = scenario.reply_index.get  # ``scenario.locate_reply``, looked up once
        # the question (customer, line) each reply the scenario offers answers
        self.question = {
            rid: (at.customer.id, at.node) for rid, at in scenario.reply_index.items()
        }.get

    def fits(self, trigger: TraceEntry, e: TraceEntry) -> bool:
        if trigger.name != "customer_says" or e.name != "say":
            return True
        found = self.reply(e.arg("reply") or "")
        return (
            found is not None
            and found.customer.id == trigger.arg("customer")
            and found.node == trigger.arg("node")
        )

    def acted_for(self, trace: IndexedTrace, i: int) -> str | None:
        """Whose case action ``i`` was for: a reply, the customer whose line it answers (a
        reply the scenario does not offer: nobody's in particular, None); anything else, the
        customer being served."""
        e = trace.entries[i]
        if e.name == "say":
            found = self.reply(e.arg("reply") or "")
            return found.customer.id if found is not None else None
        return _serving(trace, i)

    def by_question(self, what: Pattern, trace: IndexedTrace) -> dict[tuple[str, str], list[int]]:
        """The entries ``what`` matches grouped by the question (customer, line) their reply
        answers, each group in order; a reply the scenario does not offer answers none."""
        key = ("answers", id(what), id(self.scenario))
        groups: dict[tuple[str, str], list[int]] | None = trace.memo.get(key)
        if groups is None:
            groups = {}
            question = self.question
            entries = trace.entries
            for j in trace.hits(what):
                asked = question(entries[j].arg("reply") or "")
                if asked is not None:
                    groups.setdefault(asked, []).append(j)
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


_COMPILED: dict[tuple[int, int, int], tuple[Rule, Scenario, Compiled]] = {}


def compile_rule(rule: Rule, scenario: Scenario, semantics: int = 3) -> Compiled:
    """``rule`` made ready to judge traces of ``scenario`` by what the rules meant in
    ``semantics`` (2 or 3; made once per pairing; the cache keeps what it is keyed on alive, so
    an id is never reused while cached)."""
    key = (id(rule), id(scenario), semantics)
    hit = _COMPILED.get(key)
    if hit is not None and hit[0] is rule and hit[1] is scenario:
        return hit[2]
    answers = _Answers(scenario)
    fair = semantics >= 3  # safety first: the others wait while a hazard is dealt with
    compiled: Compiled
    if isinstance(rule, Required):
        compiled = _required(rule, answers, fair)
    elif isinstance(rule, Forbidden):
        compiled = _forbidden(rule, answers, fair)
    elif isinstance(rule, Before):
        compiled = _before(rule)
    elif isinstance(rule, Response):
        compiled = _response(rule, answers, fair)
    else:
        compiled = _first_after(rule, answers, fair)
    if len(_COMPILED) > 4096:
        _COMPILED.clear()
    _COMPILED[key] = (rule, scenario, compiled)
    return compiled


def judge(rule: Rule, trace: IndexedTrace, scenario: Scenario, semantics: int = 3) -> Judged:
    return compile_rule(rule, scenario, semantics)(trace)


def _required(r: Required, answers: _Answers, fair: bool = False) -> Compiled:
    what, after, within = r.what, r.after, r.within
    no_trigger = _roles(trigger=after)
    looked_for = _roles(what=what)
    missed = "missed_after" if after is not None else "missed"
    first_what = _first_of(what)
    first_after = _first_of(after) if after is not None else None
    # what does not depend on the trace is made once (the objects are immutable)
    not_applicable: Judged = (_NA, None, _evidence("no_trigger", (), no_trigger))
    from_start = _window(0.0, None, within)

    if after is None and within is None:  # most required steps: done at all, at any time
        never_done: Judged = ("missed", None, _evidence(missed, (), looked_for, from_start))

        def done(trace: IndexedTrace) -> Judged:
            i = first_what(trace, 0)
            if i is None:
                return never_done
            e = trace.entries[i]
            return "met", e.t, _evidence("done", (("what", _ref(i, e)),), looked_for, from_start)

        return done

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
        elapsed = e.t - t0
        if within is not None:
            if fair and first_after is not None:
                elapsed -= _waited(_excused(trace, start - 1, answers), t0, e.t)
            if _late(elapsed, within):
                evidence = _evidence("late", refs, looked_for, window, round(elapsed, 3))
                return "violated", e.t, evidence
        return "met", e.t, _evidence("done", refs, looked_for, window)

    return run


def _forbidden(r: Forbidden, answers: _Answers, fair: bool = False) -> Compiled:
    what, after, until = r.what, r.after, r.until
    windowed = after is not None or until is not None
    looked_for = _roles(what=what, trigger=after, until=until)
    no_trigger = _roles(trigger=after)
    never = "never_in_window" if windowed else "never"
    not_applicable: Judged = (_NA, None, _evidence("no_trigger", (), no_trigger))
    kept: Judged = ("met", None, _evidence(never, (), looked_for))
    first_tried = _first_of(what, attempts=True)
    # the names the window's walk looks at, and each pattern's test made once
    names = tuple(dict.fromkeys(p.name for p in (what, after, until) if p is not None))
    is_what = _is_of(what, attempts=True)
    is_after = _is_of(after) if after is not None else None
    is_until = _is_of(until) if until is not None else None

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
        for i in trace.named(names):
            e = entries[i]
            if is_after is not None and not open_ and is_after(e):
                open_, opened, ever_open = True, i, True
                continue
            if is_until is not None and open_ and is_until(e):
                open_ = False
                continue
            if open_ and is_what(e):
                case = None
                if (
                    fair
                    and opened is not None
                    and "hazard_reported" in trace.by_name
                    and trace.entries[opened].name not in _DANGERS
                ):
                    case = _about(trace, opened)
                if (
                    case is not None  # a window over one case (a prohibition of the whole desk
                    and e.kind == "action"  # binds every case)
                    and _for_hazard(trace, answers, answers.acted_for(trace, i), case, e.t)
                ):
                    continue  # dealing with another's live hazard: not this window's case
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


def _response(r: Response, answers: _Answers, fair: bool = False) -> Compiled:
    trigger, what, within = r.trigger, r.what, r.within
    no_trigger = _roles(trigger=trigger)
    looked_for = _roles(what=what)

    not_applicable: Judged = (_NA, None, _evidence("no_trigger", (), no_trigger))

    trigger_hits = _hits_of(trigger)
    first_what = _first_of(what)
    # a customer's question is answered only by a reply offered at that line; anything else by
    # the first entry that matches
    questions = trigger.name == "customer_says" and what.name == "say"

    def run(trace: IndexedTrace) -> Judged:
        entries = trace.entries
        last: tuple[int, int, float] | None = None  # the last question answered in time
        for i in trigger_hits(trace):
            trig = entries[i]
            if questions:
                j = answers.answer(what, trace, i, first_what)
            else:
                j = first_what(trace, i + 1)
            if j is None:
                window = _window(trig.t, None, within)
                refs: tuple[tuple[str, Ref], ...] = (("trigger", _ref(i, trig)),)
                return "missed", trig.t, _evidence("no_response", refs, looked_for, window)
            e = entries[j]
            dt = e.t - trig.t
            if fair and within is not None:
                dt -= _waited(_excused(trace, i, answers), trig.t, e.t)
            if within is not None and _late(dt, within):
                window = _window(trig.t, None, within)
                refs = (("trigger", _ref(i, trig)), ("what", _ref(j, e)))
                evidence = _evidence("slow_response", refs, looked_for, window, round(dt, 3))
                return "violated", e.t, evidence
            last = i, j, dt
        if last is None:
            return not_applicable
        i, j, dt = last
        trig, e = entries[i], entries[j]
        refs = (("trigger", _ref(i, trig)), ("what", _ref(j, e)))
        window = _window(trig.t, None, within)
        return "met", e.t, _evidence("response", refs, looked_for, window, round(dt, 3))

    return run


def _first_after(r: FirstAfter, answers: _Answers, fair: bool = False) -> Compiled:
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
        hazards = fair and "hazard_reported" in trace.by_name  # most sessions have none
        about = _about(trace, i) if hazards else None
        spans = _excused(trace, i, answers) if fair else ()
        for k in range(i + 1, len(entries)):
            e = entries[k]
            action = e.kind == "action"
            if not action and e.name != name:
                continue  # an event is neither the answer nor acting instead
            if what.matches(e) and answers.fits(trig, e):
                refs = (("trigger", _ref(i, trig)), ("what", _ref(k, e)))
                waited = _waited(spans, trig.t, e.t) if spans and within is not None else 0.0
                if _late(e.t - trig.t - waited, within):
                    elapsed = round(e.t - trig.t - waited, 3)
                    return (
                        "violated",
                        e.t,
                        _evidence("late_first", refs, looked_for, window, elapsed),
                    )
                return "met", e.t, _evidence("first_ok", refs, looked_for, window)
            if action and acts_instead(e):
                if (
                    hazards
                    and trig.name not in _DANGERS
                    and _for_hazard(trace, answers, answers.acted_for(trace, k), about, e.t)
                ):
                    continue  # dealing with another's live hazard: this customer waits
                refs = (("trigger", _ref(i, trig)), ("what", _ref(k, e)))
                return "violated", e.t, _evidence("first_wrong", refs, looked_for, window)
        missed = (("trigger", _ref(i, trig)),)
        return "missed", trig.t, _evidence("no_response", missed, looked_for, window)

    return run

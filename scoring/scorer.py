"""The scorer: scenario rules + procedure + trace -> report. A pure function.

No points are handed out anywhere else, so any recorded session can be scored again under a
corrected rule or a new procedure edition, and every point lost is explained by a finding that
names its clause and its evidence. The report is data (``scoring.result``); its words are made
by ``scoring.narrate`` when someone reads it.

Callers outside this package go through ``scoring.session``, the one path from a session's
input to its verdict.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Sequence

from scoring.procedure import Procedure
from scoring.result import (
    Evidence,
    Finding,
    InvalidAttempt,
    Ref,
    Report,
    Verdict,
    Window,
)
from sim.scenario import (
    Before,
    FirstAfter,
    Forbidden,
    LoadedScenario,
    Pattern,
    Required,
    Response,
    Rule,
    Scenario,
)
from sim.trace import TraceEntry

__all__ = ["score_trace"]

_Judged = tuple[Verdict, float | None, Evidence]


def score_trace(
    loaded: LoadedScenario,
    procedure: Procedure,
    trace: Sequence[TraceEntry],
    seed: int,
    variant: str,
) -> Report:
    s = loaded.scenario
    var = next((v for v in s.variants if v.id == variant), s.variants[0])
    indexed = _Trace(trace)
    findings: list[Finding] = []
    lost = 0.0
    critical: list[str] = []
    for rule, points in _rule_table(loaded, procedure):
        verdict, at, evidence = _judge(rule, indexed)
        loses = verdict in ("violated", "missed")
        if loses:
            lost += points
            if rule.critical and rule.clause not in critical:
                critical.append(rule.clause)
        findings.append(
            Finding(
                rule=rule.id,
                clause=rule.clause,
                template=rule.template,
                verdict=verdict,
                critical=rule.critical,
                points_lost=round(points, 2) if loses else 0.0,
                at=at,
                evidence=evidence,
            )
        )
    hints = sum(1 for e in trace if e.kind == "action" and e.valid and e.name == "ask_hint")
    hint_points = round(hints * s.scenario.hint_cost, 2)
    score = max(0.0, round(100.0 - lost - hint_points, 1))
    pass_mark = s.scenario.pass_mark
    invalid = tuple(
        InvalidAttempt(t=e.t, action=e.name, reason=e.reason or "")
        for e in trace
        if e.kind == "action" and not e.valid
    )
    return Report(
        scenario=s.id,
        scenario_sha256=loaded.sha256,
        variant=var.id,
        seed=seed,
        procedure=procedure.edition,
        score=score,
        pass_mark=pass_mark,
        passed=score >= pass_mark and not critical,
        critical_failures=tuple(critical),
        findings=tuple(findings),
        invalid_attempts=invalid,
        hints_used=hints,
        hint_points=hint_points,
    )


_RuleRow = tuple[Rule, float]
_TABLES: dict[tuple[int, int], tuple[Scenario, Procedure, tuple[_RuleRow, ...]]] = {}


def _rule_table(loaded: LoadedScenario, procedure: Procedure) -> tuple[_RuleRow, ...]:
    """Each rule with the points it is worth, worked out once per pairing (the procedure must
    have every clause cited: asking for one it lacks is the loader's located error).

    The cache keeps the objects it is keyed on alive, so an id is never reused while cached.
    """
    key = (id(loaded.scenario), id(procedure))
    hit = _TABLES.get(key)
    if hit is not None and hit[0] is loaded.scenario and hit[1] is procedure:
        return hit[2]
    rules = loaded.scenario.rules
    total = sum(r.weight for r in rules)
    for r in rules:
        procedure.clause(r.clause)
    table = tuple((r, r.weight * 100.0 / total) for r in rules)
    if len(_TABLES) > 256:
        _TABLES.clear()
    _TABLES[key] = (loaded.scenario, procedure, table)
    return table


# -- the trace, indexed --------------------------------------------------------------------


class _Trace:
    """The trace with an index by name, so each rule looks only at the entries it names."""

    def __init__(self, entries: Sequence[TraceEntry]) -> None:
        self.entries = entries
        self.by_name: dict[str, list[int]] = {}
        self.actions: list[int] = []
        for i, e in enumerate(entries):
            self.by_name.setdefault(e.name, []).append(i)
            if e.kind == "action":
                self.actions.append(i)

    def __getitem__(self, i: int) -> TraceEntry:
        return self.entries[i]

    def ref(self, i: int) -> Ref:
        return Ref(i, self.entries[i])

    def where(self, *ms: Pattern | None) -> list[int]:
        """Indices of entries named by any of ``ms``, in order."""
        names = {m.name for m in ms if m is not None}
        if len(names) == 1:
            return self.by_name.get(names.pop(), [])
        return sorted(i for n in names for i in self.by_name.get(n, []))

    def first(self, m: Pattern, start: int = 0, attempts: bool = False) -> int | None:
        candidates = self.by_name.get(m.name, [])
        for k in range(bisect_left(candidates, start), len(candidates)):
            i = candidates[k]
            if m.matches(self.entries[i], attempts):
                return i
        return None


def _ev(
    case: str,
    *,
    entries: dict[str, Ref] | None = None,
    patterns: dict[str, Pattern | None] | None = None,
    window: Window | None = None,
    elapsed: float | None = None,
) -> Evidence:
    return Evidence(
        case,
        tuple((entries or {}).items()),
        tuple((k, p) for k, p in (patterns or {}).items() if p is not None),
        window,
        None if elapsed is None else round(elapsed, 3),
    )


# -- judging each template ------------------------------------------------------------------


def _judge(rule: Rule, trace: _Trace) -> _Judged:
    if isinstance(rule, Required):
        return _required(rule, trace)
    if isinstance(rule, Forbidden):
        return _forbidden(rule, trace)
    if isinstance(rule, Before):
        return _before(rule, trace)
    if isinstance(rule, Response):
        return _response(rule, trace)
    return _first_after(rule, trace)


def _required(r: Required, trace: _Trace) -> _Judged:
    start, t0 = 0, 0.0
    refs: dict[str, Ref] = {}
    if r.after is not None:
        i = trace.first(r.after)
        if i is None:
            return "met", None, _ev("no_trigger", patterns={"trigger": r.after})
        start, t0 = i + 1, trace[i].t
        refs["trigger"] = trace.ref(i)
    window = Window(t0, None, r.within)
    i = trace.first(r.what, start)
    if i is None:
        case = "missed_after" if r.after is not None else "missed"
        return "missed", None, _ev(case, entries=refs, patterns={"what": r.what}, window=window)
    e = trace[i]
    refs["what"] = trace.ref(i)
    if r.within is not None and e.t - t0 > r.within:
        return (
            "violated",
            e.t,
            _ev("late", entries=refs, patterns={"what": r.what}, window=window, elapsed=e.t - t0),
        )
    return "met", e.t, _ev("done", entries=refs, patterns={"what": r.what}, window=window)


def _forbidden(r: Forbidden, trace: _Trace) -> _Judged:
    open_ = r.after is None
    opened: int | None = None
    windowed = r.after is not None or r.until is not None
    for i in trace.where(r.what, r.after, r.until):
        e = trace[i]
        if r.after is not None and not open_ and r.after.matches(e):
            open_, opened = True, i
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
                _ev(
                    "forbidden_after" if opened is not None else "forbidden",
                    entries=refs,
                    patterns={"what": r.what, "trigger": r.after, "until": r.until},
                    window=Window(start, None, None),
                ),
            )
    return (
        "met",
        None,
        _ev(
            "never_in_window" if windowed else "never",
            patterns={"what": r.what, "trigger": r.after, "until": r.until},
        ),
    )


def _before(r: Before, trace: _Trace) -> _Judged:
    j = trace.first(r.then)
    if j is None:
        return "met", None, _ev("no_trigger", patterns={"trigger": r.then})
    i = trace.first(r.first)
    then = trace[j]
    if i is None or i > j:
        return (
            "violated",
            then.t,
            _ev("not_before", entries={"then": trace.ref(j)}, patterns={"first": r.first}),
        )
    return (
        "met",
        then.t,
        _ev(
            "before",
            entries={"first": trace.ref(i), "then": trace.ref(j)},
            patterns={"first": r.first},
        ),
    )


def _response(r: Response, trace: _Trace) -> _Judged:
    last: _Judged | None = None
    for i in trace.where(r.trigger):
        trig = trace[i]
        if not r.trigger.matches(trig):
            continue
        window = Window(trig.t, None, r.within)
        j = trace.first(r.what, i + 1)
        if j is None:
            return (
                "missed",
                trig.t,
                _ev(
                    "no_response",
                    entries={"trigger": trace.ref(i)},
                    patterns={"what": r.what},
                    window=window,
                ),
            )
        e = trace[j]
        dt = e.t - trig.t
        refs = {"trigger": trace.ref(i), "what": trace.ref(j)}
        if r.within is not None and dt > r.within:
            return (
                "violated",
                e.t,
                _ev(
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
            _ev("response", entries=refs, patterns={"what": r.what}, window=window, elapsed=dt),
        )
    if last is None:
        return "met", None, _ev("no_trigger", patterns={"trigger": r.trigger})
    return last


def _first_after(r: FirstAfter, trace: _Trace) -> _Judged:
    i = trace.first(r.trigger)
    if i is None:
        return "met", None, _ev("no_trigger", patterns={"trigger": r.trigger})
    trig = trace[i]
    window = Window(trig.t, None, None)
    k = bisect_right(trace.actions, i)
    if k < len(trace.actions):
        j = trace.actions[k]
        e = trace[j]
        refs = {"trigger": trace.ref(i), "what": trace.ref(j)}
        if r.what.matches(e):
            return (
                "met",
                e.t,
                _ev("first_ok", entries=refs, patterns={"what": r.what}, window=window),
            )
        return (
            "violated",
            e.t,
            _ev("first_wrong", entries=refs, patterns={"what": r.what}, window=window),
        )
    return (
        "missed",
        trig.t,
        _ev(
            "no_response",
            entries={"trigger": trace.ref(i)},
            patterns={"what": r.what},
            window=window,
        ),
    )

"""What the rules meant in scoring semantics 1 (release 0.1): kept unchanged so that a result
scored then is re-derived exactly by ``verify`` and ``replay``.

A rule whose situation never arose was "met" and its points counted as earned; ``first_after``
judged only the very next action; times were compared as floats. ``scoring.judges`` is what the
rules mean now; re-score a session to judge it by today's meaning (the old result is kept).
"""

from __future__ import annotations

from bisect import bisect_right

from scoring.result import Ref, Window
from scoring.trace_index import IndexedTrace as _Trace
from scoring.trace_index import Judged as _Judged
from scoring.trace_index import ev as _ev
from sim.scenario import Before, FirstAfter, Forbidden, Required, Response, Rule

__all__ = ["judge"]


def judge(rule: Rule, trace: _Trace) -> _Judged:
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

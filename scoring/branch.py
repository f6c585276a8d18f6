"""Practice from a moment: a recorded session as it stood at a sim time, played on from there
and set beside the original; and what a good clerk does from the same state.

A session is its scenario, seed and timed actions, and the engine is deterministic, so the state
at sim time ``at`` is the session's *head* — its actions before ``at`` — fed again and the world
let run to ``at``. Nothing is copied from a running desk: the branch is an input like any other
(head + the trainee's new actions), replayed and judged through ``scoring.session``.

An action at exactly ``at`` is not in the head: branching at the moment of a mistake stands the
trainee just before it, with everything the world did up to that moment already done.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from scoring.procedure import Procedure
from scoring.result import Report
from scoring.safety import advice_delay, safety_rule
from scoring.session import Session, build, feed, judge
from sim.agents import make_agent, run_agent
from sim.engine import Engine
from sim.errors import InputError, Problem
from sim.i18n import tr
from sim.scenario import LoadedScenario
from sim.trace import TimedAction, TraceEntry

__all__ = [
    "LostPoint",
    "Change",
    "Comparison",
    "DemoStep",
    "lost_points",
    "head",
    "restore",
    "branch",
    "compare",
    "demo",
]


@dataclass(frozen=True)
class LostPoint:
    """A rule that lost points (or failed critically), and the moment to go back to: when the
    finding says it went wrong, or, for something never done, the session's end."""

    t: float
    rule: str
    clause: str
    points: float
    critical: bool


def lost_points(
    report: Report, end: float, trace: Sequence[TraceEntry] | None = None
) -> list[LostPoint]:
    """The session's lost points in the order they happened. The moment of each is where a
    second try can still change it: what set the rule off (the hazard report a late answer
    was owed to), else the entry that broke it, else (never done at all) the clerk's last
    step before ending (with ``trace``; the session's end without it), where they moved on."""
    if trace is not None:
        end = max(
            (e.t for e in trace if e.kind == "action" and e.valid and e.name != "finish"),
            default=end,
        )
    out = []
    for f in report.findings:
        if f.verdict not in ("violated", "missed") or not (f.points_lost > 0 or f.critical):
            continue
        roles = dict(f.evidence.entries)
        t = roles["trigger"].t if "trigger" in roles else f.at if f.at is not None else end
        out.append(LostPoint(t, f.rule, f.clause, f.points_lost, f.critical))
    return sorted(out, key=lambda p: p.t)


def head(actions: Iterable[TimedAction], at: float) -> list[TimedAction]:
    """The actions taken before sim time ``at``."""
    return [a for a in actions if a.t < at]


def restore(
    loaded: LoadedScenario,
    seed: int,
    actions: Sequence[TimedAction],
    at: float,
    *,
    time_limit: float | None = None,
) -> Engine:
    """The session exactly as it stood at sim time ``at`` (customers, devices, queue, clock,
    what was said): its head fed again, the world let run to ``at``."""
    return feed(build(loaded, seed, time_limit=time_limit), head(actions, at), until=at)


def branch(
    loaded: LoadedScenario,
    procedure: Procedure,
    seed: int,
    actions: Sequence[TimedAction],
    at: float,
    continuation: Sequence[TimedAction],
    *,
    time_limit: float | None = None,
    file: str = "trace",
) -> Session:
    """The session played again from ``at`` with ``continuation`` (actions at ``at`` or later)
    instead of what was done then, ended as a session ends (its own finish, or the limit)."""
    early = next((i for i, a in enumerate(continuation) if a.t < at), None)
    if early is not None:
        a = continuation[early]
        msg = tr("branch.before_branch", t=f"{a.t:g}", action=a.action, at=f"{at:g}")
        raise InputError([Problem(file, early + 1, msg)])
    engine = restore(loaded, seed, actions, at, time_limit=time_limit)
    feed(engine, continuation)
    if not engine.done:
        engine.finish(engine.time_limit)
    return Session(engine, judge(engine, procedure), procedure)


@dataclass(frozen=True)
class Change:
    """One rule whose verdict or points differ between the original and the branch."""

    rule: str
    clause: str
    before: str
    after: str
    points_before: float
    points_after: float

    def to_dict(self) -> dict[str, Any]:
        return {
            "rule": self.rule,
            "clause": self.clause,
            "before": self.before,
            "after": self.after,
            "points_before": self.points_before,
            "points_after": self.points_after,
        }


@dataclass(frozen=True)
class Comparison:
    """The original and the branch side by side: the findings that changed, the scores, and
    (where the scenario times safety advice) the seconds from the hazard to the first advice."""

    at: float
    before: Report
    after: Report
    changes: tuple[Change, ...]
    advice_before: float | None
    advice_after: float | None

    @property
    def recovered(self) -> tuple[Change, ...]:
        """The rules that lost points before and none now."""
        return tuple(c for c in self.changes if c.points_after < c.points_before)

    def to_dict(self) -> dict[str, Any]:
        return {
            "at": self.at,
            "score_before": self.before.score,
            "score_after": self.after.score,
            "passed_before": self.before.passed,
            "passed_after": self.after.passed,
            "critical_before": list(self.before.critical_failures),
            "critical_after": list(self.after.critical_failures),
            "advice_before": self.advice_before,
            "advice_after": self.advice_after,
            "changes": [c.to_dict() for c in self.changes],
        }


def compare(original: Session, branched: Session, at: float) -> Comparison:
    before, after = original.report, branched.report
    theirs = {f.rule: f for f in after.findings}
    changes = []
    for f in before.findings:
        g = theirs.get(f.rule)
        if g is None:
            continue
        if f.verdict != g.verdict or f.points_lost != g.points_lost:
            changes.append(
                Change(f.rule, f.clause, f.verdict, g.verdict, f.points_lost, g.points_lost)
            )
    rule = safety_rule(original.engine.loaded)
    delays: list[float | None] = [None, None]
    if rule is not None:
        delays = [advice_delay(s.engine.trace, rule)[1] for s in (original, branched)]
    return Comparison(at, before, after, tuple(changes), delays[0], delays[1])


@dataclass(frozen=True)
class DemoStep:
    """One thing a good clerk does from the moment: when, what, and the clauses it meets (the
    rules its entry is the evidence of, once the expert's session is judged)."""

    t: float
    action: str
    args: tuple[tuple[str, str], ...]
    clauses: tuple[str, ...]
    entry: TraceEntry  # as the expert's session recorded it (a reply's tags included)
    i: int  # its place in that session's trace


def demo(
    loaded: LoadedScenario,
    procedure: Procedure,
    seed: int,
    actions: Sequence[TimedAction],
    at: float,
    *,
    steps: int | None = 5,
    time_limit: float | None = None,
) -> tuple[list[DemoStep], Session]:
    """What the expert trainee does from the state at ``at`` (its next ``steps`` actions; None:
    to the end), having shadowed the head as the desk's hints do: it saw every moment the clerk
    acted and was told what they did, so its bookkeeping is the clerk's, not its own. Also the
    expert's whole session from there, judged (its actions are a continuation for ``branch``)."""
    expert = make_agent("expert", seed)
    engine = feed(
        build(loaded, seed, time_limit=time_limit), head(actions, at), until=at, shadow=expert
    )
    start = len(engine.trace)
    first = len(engine.actions)
    run_agent(loaded, seed, expert, engine=engine)
    session = Session(engine, judge(engine, procedure), procedure)
    met: dict[int, list[str]] = {}
    for f in session.report.findings:
        if f.verdict != "met":
            continue
        for _, ref in f.evidence.entries:
            if ref.i >= start and f.clause not in met.setdefault(ref.i, []):
                met[ref.i].append(f.clause)
    out: list[DemoStep] = []
    taken = engine.actions[first:]
    positions = [i for i in range(start, len(engine.trace)) if engine.trace[i].kind == "action"]
    for a, i in zip(taken, positions, strict=False):
        if a.action == "finish":
            break
        args = tuple(sorted(a.args.items()))
        out.append(DemoStep(a.t, a.action, args, tuple(met.get(i, ())), engine.trace[i], i))
        if steps is not None and len(out) >= steps:
            break
    return out, session

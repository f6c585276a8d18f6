"""The scorer: scenario rules + procedure + trace -> report. A pure function.

No points are handed out anywhere else, so any recorded session can be scored again under a
corrected rule or a new procedure edition, and every point lost is explained by a finding that
names its clause and its evidence.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Literal, NamedTuple

from scoring.procedure import Clause, Procedure
from sim.i18n import clock, tr
from sim.scenario import (
    Before,
    FirstAfter,
    Forbidden,
    LoadedScenario,
    Required,
    Response,
    Rule,
    Scenario,
    Variant,
    _MatchBody,
)
from sim.trace import TraceEntry
from sim.vocabulary import Vocabulary, vocabulary

__all__ = ["Finding", "Report", "score_trace"]

Verdict = Literal["met", "violated", "missed"]


@dataclass(frozen=True)
class _Said:
    """A trace entry, to be named in the report's words (quoting the reply chosen)."""

    entry: TraceEntry


@dataclass(frozen=True)
class _Pattern:
    """A rule's pattern, to be named in the report's words."""

    match: _MatchBody


@dataclass(frozen=True)
class _Clock:
    t: float


@dataclass(frozen=True)
class _Secs:
    s: float


class Evidence(NamedTuple):
    """What a finding rests on: a message and its parts, put into words only when read.

    Judging stays cheap (a batch re-score need not build every sentence), and two reports are
    equal when they rest on the same evidence.
    """

    key: str
    parts: dict[str, _Said | _Pattern | _Clock | _Secs]
    words: _Words

    def text(self) -> str:
        w = self.words
        params: dict[str, str] = {}
        for name, part in self.parts.items():
            if isinstance(part, _Said):
                params[name] = w.done(part.entry)
            elif isinstance(part, _Pattern):
                params[name] = w.name(part.match)
            elif isinstance(part, _Clock):
                params[name] = clock(part.t)
            else:
                params[name] = f"{part.s:g}"
        return tr(self.key, w.lang, **params)


class Finding(NamedTuple):
    """One rule judged: its clause, verdict, the points lost and what it rests on."""

    rule: str
    clause: str
    verdict: Verdict
    critical: bool
    points_lost: float
    at: float | None
    proof: Evidence
    clause_text: str
    clause_text_en: str

    @property
    def evidence(self) -> str:
        return self.proof.text()

    def to_dict(self, lang: str) -> dict[str, Any]:
        body: dict[str, Any] = {
            "clause": self.clause,
            "rule": self.rule,
            "verdict": self.verdict,
            "critical": self.critical,
            "points_lost": self.points_lost,
            "at": self.at,
            "evidence": self.evidence,
            "clause_text": self.clause_text,
        }
        if lang == "en":
            body["clause_text_en"] = self.clause_text_en
        return body


@dataclass(frozen=True)
class InvalidAttempt:
    t: float
    action: str
    reason: str


@dataclass(frozen=True)
class Report:
    scenario: str
    scenario_sha256: str
    variant: str
    seed: int
    procedure: str
    score: float
    pass_mark: float
    passed: bool
    critical_failures: tuple[str, ...]
    findings: tuple[Finding, ...]
    invalid_attempts: tuple[InvalidAttempt, ...]
    lang: str
    hints_used: int = 0
    hint_points: float = 0.0

    def to_dict(self) -> dict[str, Any]:
        return {
            "scenario": self.scenario,
            "scenario_sha256": self.scenario_sha256,
            "variant": self.variant,
            "seed": self.seed,
            "procedure": self.procedure,
            "score": self.score,
            "pass_mark": self.pass_mark,
            "passed": self.passed,
            "critical_failures": list(self.critical_failures),
            "findings": [f.to_dict(self.lang) for f in self.findings],
            "invalid_attempts": [
                {"t": a.t, "action": a.action, "reason": a.reason} for a in self.invalid_attempts
            ],
            "hints": {"used": self.hints_used, "points_lost": self.hint_points},
        }


def score_trace(
    loaded: LoadedScenario,
    procedure: Procedure,
    trace: Sequence[TraceEntry],
    seed: int,
    variant: str,
    lang: str = "zh",
) -> Report:
    s = loaded.scenario
    vocab = vocabulary()
    var = next((v for v in s.variants if v.id == variant), s.variants[0])
    words = _Words(vocab, s, var, lang)
    indexed = _Trace(trace)
    findings: list[Finding] = []
    lost = 0.0
    critical: list[str] = []
    for rule, points, clause in _rule_table(loaded, procedure):
        verdict, at, evidence = _judge(rule, indexed, words)
        if verdict == "met":
            findings.append(
                Finding(
                    rule.id,
                    rule.clause,
                    verdict,
                    rule.critical,
                    0.0,
                    at,
                    evidence,
                    clause.zh,
                    clause.en,
                )
            )
            continue
        lost += points
        if rule.critical and rule.clause not in critical:
            critical.append(rule.clause)
        findings.append(
            Finding(
                rule.id,
                rule.clause,
                verdict,
                rule.critical,
                round(points, 2),
                at,
                evidence,
                clause.zh,
                clause.en,
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
        lang=lang,
        hints_used=hints,
        hint_points=hint_points,
    )


_RuleRow = tuple[Rule, float, Clause]
_TABLES: dict[tuple[int, int], tuple[Scenario, Procedure, tuple[_RuleRow, ...]]] = {}


def _rule_table(loaded: LoadedScenario, procedure: Procedure) -> tuple[_RuleRow, ...]:
    """Each rule with the points it is worth and its clause, worked out once per pairing.

    The cache keeps the objects it is keyed on alive, so an id is never reused while cached.
    """
    key = (id(loaded.scenario), id(procedure))
    hit = _TABLES.get(key)
    if hit is not None and hit[0] is loaded.scenario and hit[1] is procedure:
        return hit[2]
    rules = loaded.scenario.rules
    total = sum(r.weight for r in rules)
    table = tuple((r, r.weight * 100.0 / total, procedure.clause(r.clause)) for r in rules)
    if len(_TABLES) > 256:
        _TABLES.clear()
    _TABLES[key] = (loaded.scenario, procedure, table)
    return table


# -- matching ------------------------------------------------------------------------------


def _match(m: _MatchBody, e: TraceEntry, attempts: bool = False) -> bool:
    """Does entry ``e`` match ``m``? Invalid attempts count only when ``attempts``."""
    if m.name != e.name:
        return False
    if e.kind == "action" and not e.valid and not attempts:
        return False
    if m.args and any(e.arg(k) != v for k, v in m.args.items()):
        return False
    return not m.tags or bool(set(m.tags) & set(e.tags))


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

    def where(self, *ms: _MatchBody | None) -> list[int]:
        """Indices of entries named by any of ``ms``, in order."""
        names = {m.name for m in ms if m is not None}
        if len(names) == 1:
            return self.by_name.get(names.pop(), [])
        return sorted(i for n in names for i in self.by_name.get(n, []))


def _first(m: _MatchBody, trace: _Trace, start: int = 0, attempts: bool = False) -> int | None:
    candidates = trace.by_name.get(m.name, [])
    for k in range(bisect_left(candidates, start), len(candidates)):
        i = candidates[k]
        if _match(m, trace[i], attempts):
            return i
    return None


# -- judging each template ------------------------------------------------------------------


def _judge(rule: Rule, trace: _Trace, w: _Words) -> tuple[Verdict, float | None, Evidence]:
    if isinstance(rule, Required):
        return _required(rule, trace, w)
    if isinstance(rule, Forbidden):
        return _forbidden(rule, trace, w)
    if isinstance(rule, Before):
        return _before(rule, trace, w)
    if isinstance(rule, Response):
        return _response(rule, trace, w)
    return _first_after(rule, trace, w)


def _required(r: Required, trace: _Trace, w: _Words) -> tuple[Verdict, Any, Evidence]:
    start, t0 = 0, 0.0
    if r.after is not None:
        i = _first(r.after, trace)
        if i is None:
            return "met", None, w.ev("evidence.no_trigger", trigger=_Pattern(r.after))
        start, t0 = i + 1, trace[i].t
    i = _first(r.what, trace, start)
    if i is None:
        if r.after is not None:
            return (
                "missed",
                None,
                w.ev(
                    "evidence.missed_after",
                    what=_Pattern(r.what),
                    trigger=_Pattern(r.after),
                    t0=_Clock(t0),
                ),
            )
        return "missed", None, w.ev("evidence.missed", what=_Pattern(r.what))
    e = trace[i]
    if r.within is not None and e.t - t0 > r.within:
        return (
            "violated",
            e.t,
            w.ev(
                "evidence.late",
                what=_Said(e),
                t=_Clock(e.t),
                dt=_Secs(e.t - t0),
                within=_Secs(r.within),
            ),
        )
    return "met", e.t, w.ev("evidence.done", what=_Said(e), t=_Clock(e.t))


def _forbidden(r: Forbidden, trace: _Trace, w: _Words) -> tuple[Verdict, Any, Evidence]:
    open_ = r.after is None
    opened_at: float | None = None
    for i in trace.where(r.what, r.after, r.until):
        e = trace[i]
        if r.after is not None and not open_ and _match(r.after, e):
            open_, opened_at = True, e.t
            continue
        if r.until is not None and open_ and _match(r.until, e):
            open_ = False
            continue
        if open_ and _match(r.what, e, attempts=True):
            key = "evidence.forbidden_after" if opened_at is not None else "evidence.forbidden"
            return (
                "violated",
                e.t,
                w.ev(
                    key,
                    what=_Said(e),
                    t=_Clock(e.t),
                    trigger=_Pattern(r.after or r.what),
                    t0=_Clock(opened_at or 0.0),
                ),
            )
    return "met", None, w.ev("evidence.never", what=_Pattern(r.what))


def _before(r: Before, trace: _Trace, w: _Words) -> tuple[Verdict, Any, Evidence]:
    j = _first(r.then, trace)
    if j is None:
        return "met", None, w.ev("evidence.no_trigger", trigger=_Pattern(r.then))
    i = _first(r.first, trace)
    then = trace[j]
    if i is None or i > j:
        return (
            "violated",
            then.t,
            w.ev(
                "evidence.not_before",
                then=_Said(then),
                t=_Clock(then.t),
                first=_Pattern(r.first),
            ),
        )
    return (
        "met",
        then.t,
        w.ev(
            "evidence.before",
            first=_Said(trace[i]),
            t1=_Clock(trace[i].t),
            then=_Said(then),
            t2=_Clock(then.t),
        ),
    )


def _response(r: Response, trace: _Trace, w: _Words) -> tuple[Verdict, Any, Evidence]:
    checked = 0
    last: tuple[Verdict, Any, Evidence] | None = None
    for i in trace.where(r.trigger):
        trig = trace[i]
        if not _match(r.trigger, trig):
            continue
        checked += 1
        j = _first(r.what, trace, i + 1)
        if j is None:
            return (
                "missed",
                trig.t,
                w.ev(
                    "evidence.no_response",
                    trigger=_Said(trig),
                    t0=_Clock(trig.t),
                    what=_Pattern(r.what),
                ),
            )
        e = trace[j]
        dt = e.t - trig.t
        if r.within is not None and dt > r.within:
            return (
                "violated",
                e.t,
                w.ev(
                    "evidence.slow_response",
                    trigger=_Said(trig),
                    t0=_Clock(trig.t),
                    what=_Said(e),
                    dt=_Secs(dt),
                    within=_Secs(r.within),
                ),
            )
        last = (
            "met",
            e.t,
            w.ev(
                "evidence.response",
                trigger=_Said(trig),
                t0=_Clock(trig.t),
                what=_Said(e),
                dt=_Secs(dt),
            ),
        )
    if last is None:
        return "met", None, w.ev("evidence.no_trigger", trigger=_Pattern(r.trigger))
    return last


def _first_after(r: FirstAfter, trace: _Trace, w: _Words) -> tuple[Verdict, Any, Evidence]:
    i = _first(r.trigger, trace)
    if i is None:
        return "met", None, w.ev("evidence.no_trigger", trigger=_Pattern(r.trigger))
    trig = trace[i]
    k = bisect_right(trace.actions, i)
    if k < len(trace.actions):
        e = trace[trace.actions[k]]
        if _match(r.what, e):
            return (
                "met",
                e.t,
                w.ev(
                    "evidence.first_ok",
                    trigger=_Said(trig),
                    t0=_Clock(trig.t),
                    what=_Said(e),
                    t=_Clock(e.t),
                ),
            )
        return (
            "violated",
            e.t,
            w.ev(
                "evidence.first_wrong",
                trigger=_Said(trig),
                t0=_Clock(trig.t),
                what=_Said(e),
                t=_Clock(e.t),
                expected=_Pattern(r.what),
            ),
        )
    return (
        "missed",
        trig.t,
        w.ev(
            "evidence.no_response",
            trigger=_Said(trig),
            t0=_Clock(trig.t),
            what=_Pattern(r.what),
        ),
    )


# -- words ----------------------------------------------------------------------------------


class _Words:
    """Names of actions, events and replies in the report's language."""

    def __init__(self, vocab: Vocabulary, scenario: Scenario, variant: Variant, lang: str):
        self.vocab = vocab
        self.scenario = scenario
        self.variant = variant
        self.lang = lang

    def ev(self, key: str, **parts: _Said | _Pattern | _Clock | _Secs) -> Evidence:
        return Evidence(key, parts, self)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, _Words) and (self.scenario, self.variant, self.lang) == (
            other.scenario,
            other.variant,
            other.lang,
        )

    def __hash__(self) -> int:
        return hash((self.scenario.id, self.variant.id, self.lang))

    def label(self, name: str) -> str:
        spec = self.vocab.actions.get(name) or self.vocab.events.get(name)
        return spec.label(self.lang) if spec else name

    def name(self, m: _MatchBody) -> str:
        """How a pattern reads: «选择业务模块：故障报修», «答复客户（误导）»."""
        text = self.label(m.name)
        if m.name == "customer_says" and m.args and "node" in m.args:
            line = self._line(m.args.get("customer"), m.args["node"])
            if line:
                return "「" + tr("words.customer_asks", self.lang, line=line) + "」"
        if m.args and "module" in m.args and m.args["module"] in self.vocab.modules:
            text += tr("words.colon", self.lang) + self.vocab.modules[m.args["module"]].get(
                self.lang
            )
        elif m.args:
            text += "（" + ", ".join(f"{v}" for v in m.args.values()) + "）"
        if m.tags:
            sep = tr("words.or", self.lang)
            text += "（" + sep.join(tr(f"tag.{t}", self.lang) for t in m.tags) + "）"
        return "「" + text + "」"

    def done(self, e: TraceEntry) -> str:
        """How an entry of the trace reads, quoting the reply the clerk chose."""
        if e.name == "customer_says":
            line = self._line(e.arg("customer"), e.arg("node") or "")
            if line:
                return "「" + tr("words.customer_asks", self.lang, line=line) + "」"
        text = self.label(e.name)
        module = e.arg("module")
        if module and module in self.vocab.modules:
            text += tr("words.colon", self.lang) + self.vocab.modules[module].get(self.lang)
        reply = e.arg("reply")
        if reply is not None:
            quoted = self._reply_text(reply)
            if quoted:
                text += tr("words.colon", self.lang) + "“" + quoted + "”"
            if e.tags:
                text += "（" + "、".join(tr(f"tag.{t}", self.lang) for t in e.tags) + "）"
        kind = e.arg("kind")
        if kind and e.kind == "event":
            text += "（" + tr(f"fault.{kind}", self.lang) + "）"
        if e.kind == "action" and not e.valid:
            text += tr("words.invalid", self.lang, reason=tr(f"precondition.{e.reason}", self.lang))
        return "「" + text + "」"

    def _line(self, customer: str | None, node: str) -> str | None:
        """What the customer said at ``node``, shortened for a one-line finding."""
        for c in self.scenario.customers:
            if customer not in (None, c.id) or node not in c.dialogue:
                continue
            text = self.variant.fill(c.dialogue[node].says.get(self.lang), self.lang)
            return text if len(text) <= 30 else text[:29] + "…"
        return None

    def _reply_text(self, reply: str) -> str | None:
        for c in self.scenario.customers:
            for node in c.dialogue.values():
                for r in node.replies:
                    if r.id == reply:
                        raw = r.en if self.lang == "en" and r.en else r.zh
                        return self.variant.fill(raw, self.lang)
        return None

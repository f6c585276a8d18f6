"""A session's result as data: what each rule found, on what evidence, never in words.

This is what is stored, compared byte for byte on replay and signed: the rule, the clause it
cites, the verdict, the points lost and the evidence as trace indices, sim times, the patterns
that matched or were missing, and the window looked in. Sentences are made from it when it is
read (``scoring.narrate``), in the reader's language, so the wording can change without
touching a signed record.

``FORMAT`` counts the shapes a stored result has had. Format 1 (release 0.1) kept a finding's
evidence as a sentence in the language the session was played in; ``Report.from_dict`` still
reads it, and ``Report.facts`` is what two results of either format must agree on.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any, Literal

from sim.scenario import Pattern
from sim.trace import TraceEntry

__all__ = [
    "FORMAT",
    "Verdict",
    "Ref",
    "Evidence",
    "Finding",
    "InvalidAttempt",
    "Report",
    "report_bytes",
    "ordered",
    "agrees",
]

FORMAT = 2

Verdict = Literal["met", "violated", "missed", "not_applicable"]
Source = Literal["procedure", "local"]


@dataclass(frozen=True)
class Ref:
    """A trace entry a finding rests on: its index in the session's trace, and the entry."""

    i: int
    entry: TraceEntry

    @property
    def t(self) -> float:
        return self.entry.t

    def to_dict(self) -> dict[str, Any]:
        return {"i": self.i, **self.entry.to_dict()}

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Ref:
        return cls(int(d["i"]), TraceEntry.from_dict(d))


@dataclass(frozen=True)
class Window:
    """Where a rule looked: from a sim time, until another (None: the end), within a limit."""

    start: float = 0.0
    until: float | None = None
    within: float | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"from": self.start, "until": self.until, "within": self.within}

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Window:
        return cls(float(d.get("from") or 0.0), d.get("until"), d.get("within"))


@dataclass(frozen=True)
class Evidence:
    """What a finding rests on.

    ``case`` says what the scorer saw (``done``, ``late``, ``missed``, ``slow_response``, ...;
    the narration has a sentence for each); ``entries`` names the trace entries involved by
    their role (``what``, ``trigger``, ``first``, ``then``); ``patterns`` the rule's patterns
    that were looked for; ``window`` where they were looked for; ``elapsed`` the seconds
    between trigger and answer where a time was judged. ``text`` is only ever set on a result
    read from format 1, whose evidence was a sentence.
    """

    case: str
    entries: tuple[tuple[str, Ref], ...] = ()
    patterns: tuple[tuple[str, Pattern], ...] = ()
    window: Window | None = None
    elapsed: float | None = None
    text: str | None = None

    def entry(self, role: str) -> Ref | None:
        return next((r for k, r in self.entries if k == role), None)

    def pattern(self, role: str) -> Pattern | None:
        return next((p for k, p in self.patterns if k == role), None)

    def to_dict(self) -> dict[str, Any] | str:
        if self.text is not None:  # read from format 1: written back as it was
            return self.text
        body: dict[str, Any] = {
            "case": self.case,
            "entries": {k: r.to_dict() for k, r in self.entries},
            "patterns": {k: p.to_dict() for k, p in self.patterns},
            "window": self.window.to_dict() if self.window else None,
        }
        if self.elapsed is not None:
            body["elapsed"] = self.elapsed
        return body

    @classmethod
    def from_dict(cls, d: dict[str, Any] | str) -> Evidence:
        if isinstance(d, str):  # format 1: the words themselves
            return cls("legacy", text=d)
        return cls(
            case=str(d["case"]),
            entries=tuple((k, Ref.from_dict(v)) for k, v in (d.get("entries") or {}).items()),
            patterns=tuple(
                (k, Pattern.model_validate(v)) for k, v in (d.get("patterns") or {}).items()
            ),
            window=Window.from_dict(d["window"]) if d.get("window") else None,
            elapsed=d.get("elapsed"),
        )


@dataclass(frozen=True)
class Finding:
    """One rule judged: the clause it cites, the verdict, the points lost and the evidence."""

    rule: str
    clause: str
    template: str
    verdict: Verdict
    critical: bool
    points_lost: float
    at: float | None
    evidence: Evidence
    source: Source = "procedure"
    also: tuple[str, ...] = ()  # further clauses the rule also rests on

    @property
    def lost(self) -> bool:
        """Whether the rule cost anything (violated or missed)."""
        return self.verdict in ("violated", "missed")

    def to_dict(self) -> dict[str, Any]:
        return {
            "rule": self.rule,
            "clause": self.clause,
            "source": self.source,
            "template": self.template,
            "verdict": self.verdict,
            "critical": self.critical,
            "points_lost": self.points_lost,
            "at": self.at,
            "evidence": self.evidence.to_dict(),
            "also": list(self.also),
        }

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Finding:
        return cls(
            rule=str(d["rule"]),
            clause=str(d["clause"]),
            template=str(d.get("template") or ""),
            verdict=d["verdict"],
            critical=bool(d["critical"]),
            points_lost=float(d["points_lost"]),
            at=d.get("at"),
            evidence=Evidence.from_dict(d.get("evidence") or {"case": "legacy"}),
            source=d.get("source") or "procedure",
            also=tuple(d.get("also") or ()),
        )

    def facts(self) -> tuple[Any, ...]:
        """What any two results of the same session must agree on, whatever their format."""
        return (self.rule, self.clause, self.verdict, self.critical, self.points_lost, self.at)


@dataclass(frozen=True)
class InvalidAttempt:
    """An action refused by its preconditions (or unknown): when, what, and why."""

    t: float
    action: str
    reason: str

    def to_dict(self) -> dict[str, Any]:
        return {"t": self.t, "action": self.action, "reason": self.reason}


@dataclass(frozen=True)
class Report:
    """A session's result: the score, the verdict and every finding. Language-free."""

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
    hints_used: int = 0
    hint_points: float = 0.0
    format: int = FORMAT
    semantics: int = 2  # what the rules meant when it was scored (format 1: always 1)
    pauses: int = 0  # times the trainee paused the session
    paused_s: float = 0.0  # wall seconds the pauses lasted

    def to_dict(self) -> dict[str, Any]:
        return {
            "format": self.format,
            "semantics": self.semantics,
            "scenario": self.scenario,
            "scenario_sha256": self.scenario_sha256,
            "variant": self.variant,
            "seed": self.seed,
            "procedure": self.procedure,
            "score": self.score,
            "pass_mark": self.pass_mark,
            "passed": self.passed,
            "critical_failures": list(self.critical_failures),
            "findings": [f.to_dict() for f in self.findings],
            "invalid_attempts": [a.to_dict() for a in self.invalid_attempts],
            "hints": {"used": self.hints_used, "points_lost": self.hint_points},
            "pauses": {"count": self.pauses, "wall_s": self.paused_s},
        }

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Report:
        """A stored result, of this format or an earlier one."""
        hints = d.get("hints") or {}
        return cls(
            scenario=str(d["scenario"]),
            scenario_sha256=str(d.get("scenario_sha256") or ""),
            variant=str(d.get("variant") or ""),
            seed=int(d["seed"]),
            procedure=str(d["procedure"]),
            score=float(d["score"]),
            pass_mark=float(d.get("pass_mark") or 0.0),
            passed=bool(d["passed"]),
            critical_failures=tuple(d.get("critical_failures") or ()),
            findings=tuple(Finding.from_dict(f) for f in d.get("findings") or ()),
            invalid_attempts=tuple(
                InvalidAttempt(float(a["t"]), str(a["action"]), str(a.get("reason") or ""))
                for a in d.get("invalid_attempts") or ()
            ),
            hints_used=int(hints.get("used") or 0),
            hint_points=float(hints.get("points_lost") or 0.0),
            format=int(d.get("format") or 1),
            semantics=int(d.get("semantics") or 1),
            pauses=int((d.get("pauses") or {}).get("count") or 0),
            paused_s=float((d.get("pauses") or {}).get("wall_s") or 0.0),
        )

    @classmethod
    def from_bytes(cls, raw: bytes) -> Report:
        return cls.from_dict(json.loads(raw))

    def facts(self) -> tuple[Any, ...]:
        """What two results of the same session must agree on, whatever their format: every
        number and verdict, not the evidence's shape (format 1 kept it as words)."""
        return (
            self.scenario,
            self.variant,
            self.seed,
            self.procedure,
            self.score,
            self.pass_mark,
            self.passed,
            self.critical_failures,
            tuple(f.facts() for f in self.findings),
            self.invalid_attempts,
            self.hints_used,
            self.hint_points,
            self.pauses,
        )

    def ordered(self) -> list[Finding]:
        return ordered(self.findings)


# -- made fast -------------------------------------------------------------------------------
# The scorer makes a few dozen of these per session, hundreds of thousands a second when a
# year is re-scored. A frozen dataclass's __init__ sets each field through object.__setattr__;
# these make the very same objects (equal, hashed and shown alike, no hook skipped: none of
# these classes has __post_init__) by filling the instance's __dict__ directly.

_new = object.__new__


def make_ref(i: int, entry: TraceEntry) -> Ref:
    """``Ref(i, entry)``."""
    obj = _new(Ref)
    d = obj.__dict__
    d["i"] = i
    d["entry"] = entry
    return obj


def make_window(start: float, until: float | None, within: float | None) -> Window:
    """``Window(start, until, within)``."""
    obj = _new(Window)
    d = obj.__dict__
    d["start"] = start
    d["until"] = until
    d["within"] = within
    return obj


def make_evidence(
    case: str,
    entries: tuple[tuple[str, Ref], ...],
    patterns: tuple[tuple[str, Pattern], ...],
    window: Window | None = None,
    elapsed: float | None = None,
) -> Evidence:
    """``Evidence(case, entries, patterns, window, elapsed)`` (never read from format 1)."""
    obj = _new(Evidence)
    d = obj.__dict__
    d["case"] = case
    d["entries"] = entries
    d["patterns"] = patterns
    d["window"] = window
    d["elapsed"] = elapsed
    d["text"] = None
    return obj


def make_finding(
    rule: str,
    clause: str,
    template: str,
    verdict: Verdict,
    critical: bool,
    points_lost: float,
    at: float | None,
    evidence: Evidence,
    source: Source,
    also: tuple[str, ...],
) -> Finding:
    """``Finding(...)`` with every field given, in the order the class declares them."""
    obj = _new(Finding)
    d = obj.__dict__
    d["rule"] = rule
    d["clause"] = clause
    d["template"] = template
    d["verdict"] = verdict
    d["critical"] = critical
    d["points_lost"] = points_lost
    d["at"] = at
    d["evidence"] = evidence
    d["source"] = source
    d["also"] = also
    return obj


def make_invalid(t: float, action: str, reason: str) -> InvalidAttempt:
    """``InvalidAttempt(t, action, reason)``."""
    obj = _new(InvalidAttempt)
    d = obj.__dict__
    d["t"] = t
    d["action"] = action
    d["reason"] = reason
    return obj


def make_report(
    scenario: str,
    scenario_sha256: str,
    variant: str,
    seed: int,
    procedure: str,
    score: float,
    pass_mark: float,
    passed: bool,
    critical_failures: tuple[str, ...],
    findings: tuple[Finding, ...],
    invalid_attempts: tuple[InvalidAttempt, ...],
    hints_used: int,
    hint_points: float,
    semantics: int,
    pauses: int,
    paused_s: float,
) -> Report:
    """``Report(...)`` with every field given (``format``: this one)."""
    obj = _new(Report)
    d = obj.__dict__
    d["scenario"] = scenario
    d["scenario_sha256"] = scenario_sha256
    d["variant"] = variant
    d["seed"] = seed
    d["procedure"] = procedure
    d["score"] = score
    d["pass_mark"] = pass_mark
    d["passed"] = passed
    d["critical_failures"] = critical_failures
    d["findings"] = findings
    d["invalid_attempts"] = invalid_attempts
    d["hints_used"] = hints_used
    d["hint_points"] = hint_points
    d["format"] = FORMAT
    d["semantics"] = semantics
    d["pauses"] = pauses
    d["paused_s"] = paused_s
    return obj


def report_bytes(report: Report) -> bytes:
    """The canonical bytes of a report: what is stored, signed, and what a replay must
    reproduce."""
    return json.dumps(report.to_dict(), ensure_ascii=False, sort_keys=True).encode("utf-8")


def _rank(f: Finding) -> int:
    if f.lost and f.critical:
        return 0
    if f.lost:
        return 1
    return 2 if f.verdict == "met" else 3


def ordered(findings: tuple[Finding, ...] | list[Finding]) -> list[Finding]:
    """How findings are read everywhere: critical failures first, then the other points
    lost, then what was met, then what did not apply; otherwise in the scenario's order."""
    return sorted(findings, key=_rank)


def agrees(stored: bytes, derived: Report) -> bool:
    """Whether a stored result is the one derived again from the session's input: byte for
    byte in this format; for a result stored in an earlier format, on every fact it holds
    (its evidence was words, which may since have been reworded)."""
    if report_bytes(derived) == stored:
        return True
    try:
        old = Report.from_bytes(stored)
    except (ValueError, KeyError, TypeError):
        return False
    return old.format < FORMAT and old.facts() == derived.facts()

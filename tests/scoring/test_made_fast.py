"""The scorer's and the engine's fast constructors make exactly what the classes' own do."""

from __future__ import annotations

from dataclasses import fields

from scoring.result import (
    Evidence,
    Finding,
    InvalidAttempt,
    Ref,
    Report,
    Window,
    make_evidence,
    make_finding,
    make_invalid,
    make_ref,
    make_report,
    make_window,
)
from sim.engine import Engine
from sim.observation import CustomerView, Observation
from sim.scenario import Pattern
from sim.trace import TraceEntry


def same(a: object, b: object) -> None:
    assert a == b and hash(a) == hash(b) and repr(a) == repr(b)
    assert list(vars(a)) == [f.name for f in fields(a)]  # type: ignore[arg-type]
    assert list(vars(a)) == list(vars(b))


def test_the_results_pieces_are_the_constructors_own() -> None:
    e = TraceEntry(1.5, "action", "say", (("reply", "r1"),), tags=("accurate",))
    ref, window = make_ref(3, e), make_window(1.0, None, 30.0)
    same(ref, Ref(3, e))
    same(window, Window(1.0, None, 30.0))
    patterns = (("what", Pattern(name="say")),)
    evidence = make_evidence("done", (("what", ref),), patterns, window, 0.5)
    same(evidence, Evidence("done", (("what", ref),), patterns, window, 0.5))
    finding = make_finding("r", "3.1", "required", "met", False, 0.0, 1.5, evidence, "local", ())
    same(finding, Finding("r", "3.1", "required", "met", False, 0.0, 1.5, evidence, "local", ()))
    same(make_invalid(1.0, "x", "y"), InvalidAttempt(1.0, "x", "y"))
    args = ("s", "h", "v", 7, "p", 90.0, 60.0, True, (), (finding,),
            (InvalidAttempt(1.0, "x", "y"),), 1, 2.0, 2, 1, 3.5)  # fmt: skip
    report = make_report(*args)  # type: ignore[arg-type]
    made = Report(*args[:13], semantics=args[13], pauses=args[14], paused_s=args[15])  # type: ignore[arg-type]
    assert report == made and repr(report) == repr(made)
    assert list(vars(report)) == [f.name for f in fields(Report)]


def test_the_observation_is_the_constructors_own(printer_jam) -> None:
    engine = Engine(printer_jam, 3)
    engine.advance(120.0)
    obs = engine.observe()
    same(obs, Observation(**vars(obs)))
    for c in obs.customers:
        same(c, CustomerView(**vars(c)))

"""Steps for the customer who collapses at the counter (hall_collapse): what the clerk did once
they fell, and how the hall's first-aid plan (a local instruction, never critical) was judged."""

from __future__ import annotations

from typing import Any

from pytest_bdd import parsers, then

from scoring.words import tr
from sim.trace import TraceEntry


def _after_fall(desk: dict[str, Any]) -> list[TraceEntry]:
    trace: list[TraceEntry] = desk["session"].engine.trace
    start = next(i for i, e in enumerate(trace) if e.name == "hall_emergency")
    return [e for e in trace[start:] if e.kind == "action" and e.valid]


@then("客户倒地后受理员第一件事是拨打120")
def then_120_first(desk: dict[str, Any]) -> None:
    assert _after_fall(desk)[0].name == "call_ambulance"


@then("医护人员接走病人之前，受理员守着病人，没有叫下一位")
def then_stayed(desk: dict[str, Any]) -> None:
    trace: list[TraceEntry] = desk["session"].engine.trace
    gone = next(
        e.t for e in trace if e.name == "customer_leaves" and e.arg("customer") == "patient"
    )
    done = _after_fall(desk)
    assert any(e.name == "stay_with_customer" and e.t < gone for e in done)
    assert not any(e.name == "call_next_customer" and e.t < gone for e in done)


@then("受理员没有疏散大厅，也没有拨打119、110")
def then_nothing_needless(desk: dict[str, Any]) -> None:
    names = {e.name for e in _after_fall(desk)}
    assert not names & {"evacuate_hall", "call_fire_service", "call_police"}, names


@then(parsers.parse('急救预案的规定判为"{verdict}"'))
def then_first_aid_plan(desk: dict[str, Any], verdict: str) -> None:
    """The hall's first-aid plan (shown as 本厅规定): some rule citing it has the verdict (or,
    for 符合, every rule citing it), and none of them is critical."""
    findings = [f for f in desk["session"].report.findings if f.clause == "local:first_aid_plan"]
    assert findings
    wanted = next(v for v in ("met", "violated", "missed") if tr(f"verdict.{v}", "zh") == verdict)
    if wanted == "met":
        assert all(f.verdict == "met" for f in findings), findings
    else:
        assert any(f.verdict == wanted for f in findings), findings
    assert not any(f.critical for f in findings)
    desk.setdefault("named", set()).add("local:first_aid_plan")

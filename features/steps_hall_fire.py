"""Steps for the fire in the hall (hall_fire): what the clerk did once the alarm went, and how
the hall's fire plan (a local instruction, never critical) was judged."""

from __future__ import annotations

from typing import Any

from pytest_bdd import parsers, then

from scoring.words import tr
from sim.trace import TraceEntry

UNSAFE = {"lift_ok", "lift_ok_again", "lift_wait", "bl_fetch", "bl_for_you", "bl_self"}


def _after_alarm(desk: dict[str, Any]) -> list[TraceEntry]:
    trace: list[TraceEntry] = desk["session"].engine.trace
    start = next(i for i, e in enumerate(trace) if e.name == "hall_emergency")
    return [e for e in trace[start:] if e.kind == "action" and e.valid]


@then("报警后受理员先停下业务，答复完每位客户再组织疏散")
def then_stopped_answered_then_out(desk: dict[str, Any]) -> None:
    done = _after_alarm(desk)
    names = [e.name for e in done]
    assert names[0] == "stop_operation", names
    out = names.index("evacuate_hall")
    said = [e for e in done[:out] if e.name == "say"]
    assert len(said) == 4 and all("safety" in e.tags for e in said), said


@then("疏散时没有人坐电梯，也没有人回去拿东西")
def then_nobody_sent_into_danger(desk: dict[str, Any]) -> None:
    said = {e.arg("reply") for e in _after_alarm(desk) if e.name == "say"}
    assert not said & UNSAFE, said


@then("疏散之后拨打了119，报告了值班长，在集合点清点了人数")
def then_plan_done(desk: dict[str, Any]) -> None:
    names = [e.name for e in _after_alarm(desk)]
    out = names.index("evacuate_hall")
    for step in ("call_fire_service", "report_supervisor", "count_people"):
        assert step in names[out:], step


@then(parsers.parse('消防预案的规定判为"{verdict}"'))
def then_fire_plan(desk: dict[str, Any], verdict: str) -> None:
    """The hall's fire plan (shown as 本厅规定): some rule citing it has the verdict (or, for
    符合, every rule citing it), and none of them is critical."""
    findings = [f for f in desk["session"].report.findings if f.clause == "local:fire_plan"]
    assert findings
    wanted = next(v for v in ("met", "violated", "missed") if tr(f"verdict.{v}", "zh") == verdict)
    if wanted == "met":
        assert all(f.verdict == "met" for f in findings), findings
    else:
        assert any(f.verdict == wanted for f in findings), findings
    assert not any(f.critical for f in findings)
    desk.setdefault("named", set()).add("local:fire_plan")

"""Steps for the outage features (network_outage, system_fault): what was done while it was down."""

from __future__ import annotations

from typing import Any

from pytest_bdd import parsers, then

from sim.trace import TraceEntry

DOWN = ("network_down", "system_fault")
BACK = ("network_restored", "system_restored")


def _trace(desk: dict[str, Any]) -> list[TraceEntry]:
    trace: list[TraceEntry] = desk["session"].engine.trace
    return trace


def _outage(desk: dict[str, Any]) -> tuple[float, float]:
    """When the network or the system went down, and when it came back."""
    trace = _trace(desk)
    down = next(e.t for e in trace if e.kind == "event" and e.name in DOWN)
    back = next(e.t for e in trace if e.kind == "event" and e.name in BACK)
    return down, back


def _done(desk: dict[str, Any], action: str) -> list[TraceEntry]:
    return [e for e in _trace(desk) if e.kind == "action" and e.name == action and e.valid]


@then(parsers.parse("第 {t:d} 秒的提交操作被记为无效操作"))
def then_submit_invalid(desk: dict[str, Any], t: int) -> None:
    assert any(
        a.t == t and a.action == "submit_application"
        for a in desk["session"].report.invalid_attempts
    )


@then(parsers.parse('一票否决的条款只有"{clause}"'))
def then_only_critical(desk: dict[str, Any], clause: str) -> None:
    assert desk["session"].report.critical_failures == (clause,)


@then(parsers.parse('一票否决的条款是"{first}"和"{second}"'))
def then_two_critical(desk: dict[str, Any], first: str, second: str) -> None:
    assert desk["session"].report.critical_failures == (first, second)


@then(parsers.parse("故障期间受理员点了 {n:d} 次提交，一次也没有成功"))
def then_presses_during_outage(desk: dict[str, Any], n: int) -> None:
    down, back = _outage(desk)
    presses = [
        e
        for e in _trace(desk)
        if e.kind == "action" and e.name == "submit_application" and down <= e.t < back
    ]
    assert len(presses) == n and not any(e.valid for e in presses), presses


@then("故障期间已启用纸质登记，恢复后才提交业务工单")
def then_paper_then_system(desk: dict[str, Any]) -> None:
    down, back = _outage(desk)
    assert any(down <= e.t < back for e in _done(desk, "register_on_paper"))
    submits = _done(desk, "submit_application")
    assert submits and all(e.t >= back for e in submits)

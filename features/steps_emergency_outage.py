"""Steps for the hazard features (emergency_outage, combined_incident): what the clerk did once a
hazard was reported, and which clauses vetoed the session."""

from __future__ import annotations

from typing import Any

from pytest_bdd import parsers, then

from sim.scenario import facts
from sim.trace import TraceEntry


def _trace(desk: dict[str, Any]) -> list[TraceEntry]:
    trace: list[TraceEntry] = desk["session"].engine.trace
    return trace


def _after_hazard(desk: dict[str, Any]) -> list[TraceEntry]:
    trace = _trace(desk)
    start = next(i for i, e in enumerate(trace) if e.name == "hazard_reported")
    return [e for e in trace[start:] if e.kind == "action" and e.valid]


@then("客户报告险情后，受理员的第一步是安全提示")
def then_safety_came_first(desk: dict[str, Any]) -> None:
    first = _after_hazard(desk)[0]
    assert first.name == "say" and "safety" in first.tags, first


@then("安全提示讲明了公司规定的室外、室内安全距离")
def then_distances_told(desk: dict[str, Any]) -> None:
    engine = desk["session"].engine
    said = next(e for e in _after_hazard(desk) if e.name == "say" and "safety" in e.tags)
    reply = next(
        r
        for c in engine.scenario.customers
        for node in c.dialogue.values()
        for r in node.replies
        if r.id == said.arg("reply")
    )
    text = engine.render(reply.zh, "zh")
    outdoor, indoor = facts()["hazard_distance_outdoor"], facts()["hazard_distance_indoor"]
    assert f"至少离开{outdoor}米" in text and f"离开{indoor}米以上" in text, text


@then("受理员派出抢修工单之前，先向值班长报告并逐项核对了地点")
def then_reported_and_read_back(desk: dict[str, Any]) -> None:
    done = [e.name for e in _after_hazard(desk)]
    submit = done.index("submit_application")
    assert done.index("report_supervisor") < submit and done.index("verify_data") < submit


@then(parsers.parse('本次受理因条款"{clauses}"被一票否决'))
def then_vetoed_by(desk: dict[str, Any], clauses: str) -> None:
    report = desk["session"].report
    assert report.critical_failures == tuple(clauses.split("、")), report.critical_failures
    assert not report.passed


@then("本次受理没有一票否决的条款")
def then_no_veto(desk: dict[str, Any]) -> None:
    assert desk["session"].report.critical_failures == ()

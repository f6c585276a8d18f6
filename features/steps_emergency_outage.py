"""Steps for the hazard features (emergency_outage, combined_incident): what the clerk did once a
hazard was reported, how the hall's own plan was judged, and which clauses vetoed the session."""

from __future__ import annotations

from typing import Any

from pytest_bdd import parsers, then

from scoring.words import tr
from sim.scenario import facts
from sim.trace import TraceEntry

# the hall's own rules, as a training manager names them, and their ids in the scenarios
HALL_RULES = {"应急预案": "hazard_plan", "值班电话": "duty_phone"}


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


@then(parsers.parse('本厅{name}的规定判为"{verdict}"'))
def then_hall_rule(desk: dict[str, Any], name: str, verdict: str) -> None:
    """A local instruction (shown as 本厅规定), judged like a clause: some rule citing it has
    the verdict (or, for 符合, every rule citing it)."""
    cites = "local:" + HALL_RULES[name]
    findings = [f for f in desk["session"].report.findings if f.clause == cites]
    assert findings, f"no rule of this scenario cites {cites}"
    wanted = next(v for v in ("met", "violated", "missed") if tr(f"verdict.{v}", "zh") == verdict)
    if wanted == "met":
        assert all(f.verdict == "met" for f in findings), findings
    else:
        assert any(f.verdict == wanted for f in findings), findings
        assert not any(f.critical for f in findings)
    desk.setdefault("named", set()).add(cites)


@then("受理员派单后致电了抢修指挥中心")
def then_dispatch_rung(desk: dict[str, Any]) -> None:
    trace = desk["session"].engine.trace
    submitted = next(e.t for e in trace if e.name == "submit_application" and e.valid)
    assert any(e.name == "call_dispatch" and e.valid and e.t >= submitted for e in trace)

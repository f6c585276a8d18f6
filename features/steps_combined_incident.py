"""Steps for the combined-incident feature: both customers' business, and in what order."""

from __future__ import annotations

from typing import Any

from pytest_bdd import parsers, then

from scoring.words import tr
from sim.trace import TraceEntry


def _done(desk: dict[str, Any]) -> list[str]:
    trace: list[TraceEntry] = desk["session"].engine.trace
    return [e.name for e in trace if e.kind == "action" and e.valid]


@then("报险情的来电客户和柜台前投诉的客户，两边的事都办完了")
def then_both_done(desk: dict[str, Any]) -> None:
    customers = desk["session"].engine.desk.customers
    caller, complainant = customers["caller"].case, customers["complainant"].case
    # the caller's case is on record as its work order, and they are told it is out
    assert caller.module == "fault_repair" and caller.verified and caller.submitted
    assert caller.informed
    assert complainant.module == "complaint" and complainant.complaint_recorded
    assert complainant.informed and complainant.recorded


@then("抢修工单派出之后，受理员才回头写投诉记录")
def then_work_order_before_complaint(desk: dict[str, Any]) -> None:
    done = _done(desk)
    assert done.index("submit_application") < done.index("record_complaint"), done


@then("抢修工单派出之后，受理员才去处理卡纸")
def then_work_order_before_jam(desk: dict[str, Any]) -> None:
    done = _done(desk)
    assert done.index("submit_application") < done.index("clear_paper_jam"), done


@then("投诉的客户被激得更加气愤")
def then_complainant_inflamed(desk: dict[str, Any]) -> None:
    trace: list[TraceEntry] = desk["session"].engine.trace
    levels = [
        e.arg("level")
        for e in trace
        if e.name == "customer_mood" and e.arg("customer") == "complainant"
    ]
    assert "angry" in levels, levels


@then(parsers.parse('其余条款凡是遇到的都判为"{verdict}"'))
def then_rest_that_applied(desk: dict[str, Any], verdict: str) -> None:
    """Every other rule whose situation arose has the verdict; a rule whose situation never
    arose (no quarrel to judge when the customer never threatened to complain) does not apply."""
    named = desk.get("named", set())
    wanted = next(v for v in ("met", "violated", "missed") if tr(f"verdict.{v}", "zh") == verdict)
    findings = [f for f in desk["session"].report.findings if f.clause not in named]
    applied = [f for f in findings if f.verdict != "not_applicable"]
    assert applied and all(f.verdict == wanted for f in applied), applied

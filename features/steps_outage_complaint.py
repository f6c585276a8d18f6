"""Steps for the outage complaint feature: the plan looked up before the question about the
notice, the answer agreeing with what the system showed, and how the customers answered back."""

from __future__ import annotations

from typing import Any

from pytest_bdd import then

from sim.trace import TraceEntry

# what the system shows in each variant, and the words of the truthful answer that say it
_TRUTH = {
    "posted_next_door": "贴在了6栋的公告栏",
    "never_posted": "没有张贴记录",
    "fault_not_plan": "今天没有计划停电",
}


def _trace(desk: dict[str, Any]) -> list[TraceEntry]:
    trace: list[TraceEntry] = desk["session"].engine.trace
    return trace


def _said(desk: dict[str, Any], node: str) -> int:
    return next(
        i for i, e in enumerate(_trace(desk)) if e.name == "customer_says" and e.arg("node") == node
    )


@then("受理员先查了停电计划与公告记录，客户才问到底通知了没有")
def then_looked_first(desk: dict[str, Any]) -> None:
    names = [e.name for e in _trace(desk)]
    assert names.index("check_outage_plan") < names.index("system_shows") < _said(desk, "cause")


@then("受理员对通知的答复与系统显示的公告记录一致")
def then_answer_matches(desk: dict[str, Any]) -> None:
    engine = desk["session"].engine
    shown = [e.arg("note") for e in engine.trace if e.name == "system_shows"]
    assert shown == [engine.variant.id]
    said = next(e.arg("reply") for e in engine.trace[_said(desk, "cause") :] if e.name == "say")
    reply = next(
        r for r in engine.scenario.customer("spokesman").dialogue["cause"].replies if r.id == said
    )
    assert _TRUTH[engine.variant.id] in engine.render(reply.zh, "zh")


@then("扬言投诉的邻居被顶撞后生气离开了营业厅")
def then_neighbour_left(desk: dict[str, Any]) -> None:
    trace = _trace(desk)
    threatened = next(i for i, e in enumerate(trace) if e.name == "complaint_threatened")
    left = [
        e
        for e in trace[threatened:]
        if e.name == "customer_leaves" and e.arg("customer") == "neighbour"
    ]
    assert [e.arg("reason") for e in left] == ["angry"]


@then("客户当场反驳受理员没查就下结论")
def then_objection(desk: dict[str, Any]) -> None:
    assert _said(desk, "objection") < _said(desk, "cause")

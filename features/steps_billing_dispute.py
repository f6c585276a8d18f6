"""Steps for the billing dispute feature: the readings looked up before the question about the
cause, the explanation agreeing with what the system showed, and the customer's objection."""

from __future__ import annotations

from typing import Any

from pytest_bdd import then

from sim.trace import TraceEntry

# what the readings show in each variant, and the words of the explanation that say it
_TRUTH = {
    "estimated": "估少了",
    "swapped": "两位数录反了",
    "tiered": "超过了第一档一年的额度",
}


def _trace(desk: dict[str, Any]) -> list[TraceEntry]:
    trace: list[TraceEntry] = desk["session"].engine.trace
    return trace


def _said(desk: dict[str, Any], node: str) -> int:
    return next(
        i
        for i, e in enumerate(_trace(desk))
        if e.name == "customer_says" and e.arg("customer") == "payer" and e.arg("node") == node
    )


@then("受理员先查了抄表示数与换表记录，客户才问到底为什么这么多")
def then_looked_first(desk: dict[str, Any]) -> None:
    names = [e.name for e in _trace(desk)]
    assert names.index("check_readings") < names.index("system_shows") < _said(desk, "cause")


@then("受理员对原因的解释与系统显示的抄表记录一致")
def then_explained_from_the_record(desk: dict[str, Any]) -> None:
    engine = desk["session"].engine
    assert [e.arg("note") for e in engine.trace if e.name == "system_shows"] == [engine.variant.id]
    said = next(e.arg("reply") for e in engine.trace[_said(desk, "cause") :] if e.name == "say")
    node = engine.scenario.customer("payer").dialogue["cause"]
    reply = next(r for r in node.replies if r.id == said)
    assert _TRUTH[engine.variant.id] in engine.render(reply.zh, "zh")


@then("客户拿自己的证据当场反驳了受理员的猜测")
def then_objected(desk: dict[str, Any]) -> None:
    assert _said(desk, "complaint") < _said(desk, "objection") < _said(desk, "cause")

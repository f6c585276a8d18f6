"""Steps for the personal-information feature: whose account was looked up and when, what the
customer asked next, and findings that cite the office's own rule."""

from __future__ import annotations

from typing import Any

from pytest_bdd import parsers, then

from scoring.words import tr


def _trace(desk: dict[str, Any]) -> list[Any]:
    return list(desk["session"].engine.trace)


def _nodes(desk: dict[str, Any], customer: str) -> list[str]:
    return [
        e.arg("node")
        for e in _trace(desk)
        if e.name == "customer_says" and e.arg("customer") == customer
    ]


@then("打听信息的人问的账户，受理员一次也没有查")
def then_nothing_looked_up_for_the_asker(desk: dict[str, Any]) -> None:
    trace = _trace(desk)
    holder_came = next(
        e.t for e in trace if e.name == "customer_arrives" and e.arg("customer") == "holder"
    )
    assert not [e for e in trace if e.name == "query_account" and e.t < holder_came]


@then("户主的身份证核对之后，受理员才查询档案")
def then_id_before_lookup(desk: dict[str, Any]) -> None:
    trace = _trace(desk)
    shown = next(e.t for e in trace if e.name == "customer_says" and e.arg("node") == "own_wait")
    looked = [e.t for e in trace if e.name == "query_account"]
    assert looked and all(t > shown for t in looked)


@then(parsers.parse('本厅规定"{local}"判为"{verdict}"'))
def then_local(desk: dict[str, Any], local: str, verdict: str) -> None:
    wanted = {tr(f"verdict.{v}", "zh"): v for v in ("met", "violated", "missed")}[verdict]
    findings = [f for f in desk["session"].report.findings if f.clause == f"local:{local}"]
    assert findings and any(f.verdict == wanted for f in findings), findings


@then("客户接着又要户主的电话")
def then_asks_for_more(desk: dict[str, Any]) -> None:
    assert "more" in _nodes(desk, "asker")


@then("客户追问了同一个问题")
def then_asked_again(desk: dict[str, Any]) -> None:
    assert _nodes(desk, "asker")[:2] == ["ask", "again"]

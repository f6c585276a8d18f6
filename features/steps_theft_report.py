"""Steps for the theft-report feature: where the report went and who left angry."""

from __future__ import annotations

from typing import Any

from pytest_bdd import then


def _actions(desk: dict[str, Any]) -> list[str]:
    return [e.name for e in desk["session"].engine.trace if e.kind == "action" and e.valid]


@then("举报先在投诉举报模块里记录，再告知办理结果")
def then_recorded_in_module_first(desk: dict[str, Any]) -> None:
    trace = desk["session"].engine.trace
    module = next(
        e.t for e in trace if e.name == "select_module" and e.arg("module") == "complaint"
    )
    recorded = next(e.t for e in trace if e.name == "record_complaint")
    told = next(e.t for e in trace if e.name == "inform_customer")
    assert module < recorded < told


@then("受理员没有查询任何客户档案")
def then_no_lookup(desk: dict[str, Any]) -> None:
    assert "query_account" not in _actions(desk)


@then("饭店老板气得走了")
def then_owner_left_angry(desk: dict[str, Any]) -> None:
    trace = desk["session"].engine.trace
    assert any(
        e.name == "customer_leaves"
        and e.arg("customer") == "accused"
        and e.arg("reason") == "angry"
        for e in trace
    )

"""Steps for the peak-queue feature: every followed customer served; which case went unchecked."""

from __future__ import annotations

from typing import Any

from pytest_bdd import parsers, then


@then("高峰时段跟踪的客户都已办结离开")
def then_all_served(desk: dict[str, Any]) -> None:
    engine = desk["session"].engine
    left = {e.arg("customer"): e.arg("reason") for e in engine.trace if e.name == "customer_leaves"}
    assert left == dict.fromkeys(engine.desk.customers, "served"), left
    assert all(c.case.finished for c in engine.desk.customers.values())


@then(parsers.parse("高峰时段未经核对就提交的申请共 {n:d} 份"))
def then_unchecked_count(desk: dict[str, Any], n: int) -> None:
    trace = desk["session"].engine.trace
    assert sum(e.name == "unverified_submission" for e in trace) == n


@then(parsers.parse("第 {t:d} 秒提交的申请被判为未经核对"))
def then_unchecked_at(desk: dict[str, Any], t: int) -> None:
    report = desk["session"].report
    said = desk["session"].words().evidence
    assert any(
        f.verdict == "violated" and f.at == t and "未经核对" in said(f) for f in report.findings
    ), [f for f in report.findings if f.verdict != "met"]

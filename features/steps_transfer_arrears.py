"""Steps for the transfer-with-arrears feature: the look-up before the answer, and the transfer
only once the payment shows."""

from __future__ import annotations

from typing import Any

from pytest_bdd import parsers, then

ARREARS_LINES = ("ask_arrears", "ask_account")


def _trace(desk: dict[str, Any]) -> list[Any]:
    return [e for e in desk["session"].engine.trace if e.valid]


@then("受理员先查询了缴费记录，才答复客户有关欠费的问题")
def then_looked_up_first(desk: dict[str, Any]) -> None:
    trace = _trace(desk)
    looked = next(e.t for e in trace if e.name == "query_account")
    asked = [e.t for e in trace if e.name == "customer_says" and e.arg("node") in ARREARS_LINES]
    assert all(t > looked for t in asked)


@then(parsers.parse("过户申请{done}提交进系统"))
def then_transfer_submitted(desk: dict[str, Any], done: str) -> None:
    assert ("submit_application" in [e.name for e in _trace(desk)]) is (done == "已经")


@then("系统显示欠费已结清之后，受理员才提交过户")
def then_submitted_after_payment(desk: dict[str, Any]) -> None:
    trace = _trace(desk)
    paid = next(e.t for e in trace if e.name == "system_shows" and e.arg("note") == "paid_now")
    submitted = next(e.t for e in trace if e.name == "submit_application")
    assert paid < submitted

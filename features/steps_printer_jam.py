"""Steps for the printer-jam feature: the fault nobody dodges, and the reaction time."""

from __future__ import annotations

from typing import Any

from pytest_bdd import parsers, then

from sim.trace import TraceEntry

INK_ONLY = {"protection_for_ink", "ink_adjusted_on_inspection"}  # the dry-cartridge variant's


def _trace(desk: dict[str, Any]) -> list[TraceEntry]:
    trace: list[TraceEntry] = desk["session"].engine.trace
    return trace


@then("受理员一次也没打印，打印机照样出了故障")
def then_jam_without_printing(desk: dict[str, Any]) -> None:
    trace = _trace(desk)
    assert not [e for e in trace if e.kind == "action" and e.name == "print_form"]
    assert any(e.kind == "event" and e.name == "printer_fault" for e in trace)


# the lines where the customer answers back apply only to a clerk whose wrong answer brought
# them on (issue 15)
ANSWER_BACK = {"plain_words", "asked_again_answered"}


@then('除了只在换墨盒时适用的两条和客户追问时才适用的两条，没有一条判为"不适用"')
def then_nothing_else_unjudged(desk: dict[str, Any]) -> None:
    findings = desk["session"].report.findings
    assert {f.rule for f in findings if f.verdict == "not_applicable"} <= INK_ONLY | ANSWER_BACK


@then("客户被气走了，申请没办成")
def then_customer_walked_out(desk: dict[str, Any]) -> None:
    trace = _trace(desk)
    assert any(e.name == "customer_leaves" and e.arg("reason") == "angry" for e in trace)
    assert not any(e.name == "submit_application" and e.valid for e in trace)


@then(parsers.parse("受理员在打印机故障后恰好 {seconds:d} 秒停止操作"))
def then_stopped_exactly_at(desk: dict[str, Any], seconds: int) -> None:
    trace = _trace(desk)
    fault = next(e.t for e in trace if e.name == "printer_fault")
    stop = next(e.t for e in trace if e.name == "stop_operation")
    assert round(stop - fault, 3) == seconds

"""Steps for the new-connection feature: what checking found and what went into the system."""

from __future__ import annotations

from typing import Any

from pytest_bdd import parsers, then

from sim.scenario import FirstAfter

# the application form's fields, as a training manager names them
FIELDS = {"身份证号": "id_number", "地址": "address", "户号": "account", "姓名": "name"}


def _events(desk: dict[str, Any], name: str) -> list[str]:
    trace = desk["session"].engine.trace
    return [e.arg("field") or "" for e in trace if e.name == name]


@then(parsers.parse('核对时发现申请表上的"{label}"与证件不符'))
def then_mismatch_found(desk: dict[str, Any], label: str) -> None:
    assert FIELDS[label] in _events(desk, "discrepancy_found")


@then("提交进系统的信息与证件一致")
def then_nothing_wrong_submitted(desk: dict[str, Any]) -> None:
    assert not _events(desk, "erroneous_submission")
    assert not _events(desk, "unverified_submission")


@then(parsers.parse('本次一票否决的条款为"{clause}"'))
def then_critical_is(desk: dict[str, Any], clause: str) -> None:
    assert desk["session"].report.critical_failures == (clause,)


@then(parsers.parse("客户问的 {n:d} 句话都先得到了如实答复"))
def then_every_question_answered(desk: dict[str, Any], n: int) -> None:
    s = desk["scenario"].scenario
    # the customer's own questions (a line that answers back comes only after a wrong reply)
    asked = [
        r.id
        for r in s.rules
        if isinstance(r, FirstAfter)
        and r.trigger.name == "customer_says"
        and (r.trigger.args or {}).get("customer", "applicant") == "applicant"
        and r.id != "asked_again_answered"
    ]
    verdicts = {f.rule: f.verdict for f in desk["session"].report.findings}
    assert len(asked) == n and all(verdicts[r] == "met" for r in asked), verdicts

"""Steps for the beyond-authority feature: whether and how soon the superior was asked, and what
the customer was told before the superior's answer came back."""

from __future__ import annotations

from typing import Any

from pytest_bdd import parsers, then


def _first(desk: dict[str, Any], name: str, **args: str) -> Any:
    for e in desk["session"].engine.trace:
        if e.name == name and e.valid and all(e.arg(k) == v for k, v in args.items()):
            return e
    return None


@then(parsers.parse("客户提出诉求后 {seconds:d} 秒内受理员请示了上级"))
def then_asked_in_time(desk: dict[str, Any], seconds: int) -> None:
    asked = _first(desk, "customer_says", node="ask_waive")
    helped = _first(desk, "ask_supervisor_help")
    assert asked is not None and helped is not None
    assert 0 <= helped.t - asked.t <= seconds, (asked.t, helped.t)


@then("受理员始终没有请示上级")
def then_never_asked(desk: dict[str, Any]) -> None:
    assert _first(desk, "ask_supervisor_help") is None


@then("客户问要不要再跑一趟，受理员在上级答复前就回答了")
def then_worry_answered_first(desk: dict[str, Any]) -> None:
    engine = desk["session"].engine
    worry = engine.loaded.scenario.customer("payer").dialogue["waiting"]
    answers = {r.id for r in worry.replies}
    answered = next(e for e in engine.trace if e.name == "say" and e.arg("reply") in answers)
    ruling = _first(desk, "customer_says", node="ruling")
    assert answered.arg("reply") == "wait_honest" and answered.t <= ruling.t


@then("上级的答复先转告了客户，再告知办理结果")
def then_relayed_first(desk: dict[str, Any]) -> None:
    relayed = _first(desk, "say", reply="relay_as_is")
    told = _first(desk, "inform_customer")
    assert relayed is not None and told is not None and relayed.t < told.t


@then(parsers.parse('严重违规（一票否决）为条款"{clause}"'))
def then_critical(desk: dict[str, Any], clause: str) -> None:
    report = desk["session"].report
    assert report.critical_failures == (clause,) and not report.passed, report.critical_failures


@then("不是一票否决")
def then_not_vetoed(desk: dict[str, Any]) -> None:
    assert desk["session"].report.critical_failures == ()


@then(parsers.parse('扣分证据中引用了客户的原话"{words}"'))
def then_customer_quoted(desk: dict[str, Any], words: str) -> None:
    session = desk["session"]
    said = session.words().evidence
    assert any(words in said(f) for f in session.report.findings if f.points_lost)

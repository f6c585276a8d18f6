"""Steps for the one-document-acceptance and agents feature: the pledge, what went into the
system, what the agent was told to bring and whether the customer threatened to complain."""

from __future__ import annotations

from typing import Any

from pytest_bdd import parsers, then

# what the agent must hear, as a training manager would list it
TO_BRING = ("委托书", "他的身份证", "您的身份证", "房产证")


def _names(desk: dict[str, Any]) -> list[str]:
    return [e.name for e in desk["session"].engine.trace if e.valid]


@then(parsers.parse("受理员{done}请客户签署承诺书"))
def then_pledge(desk: dict[str, Any], done: str) -> None:
    assert ("take_pledge" in _names(desk)) is (done == "已经")


@then(parsers.parse("申请{done}提交进系统"))
def then_submitted(desk: dict[str, Any], done: str) -> None:
    assert ("submit_application" in _names(desk)) is (done == "已经")


@then("客户听到了要带的全部材料：委托书、双方身份证和房产证")
def then_told_everything(desk: dict[str, Any]) -> None:
    engine = desk["session"].engine
    son = engine.loaded.scenario.customer("son")
    replies = {r.id: r for n in son.dialogue.values() for r in n.replies}
    said = [replies[e.arg("reply")] for e in engine.trace if e.name == "say"]
    told = next(r for r in said if "accurate" in r.tags and "委托书" in r.zh)
    assert all(item in told.zh for item in TO_BRING), told.zh


@then("客户没有扬言投诉")
def then_no_complaint(desk: dict[str, Any]) -> None:
    assert "complaint_threatened" not in _names(desk)


@then("客户扬言要投诉")
def then_complaint(desk: dict[str, Any]) -> None:
    assert "complaint_threatened" in _names(desk)


@then("系统记下了缺少授权委托书")
def then_authority_missing(desk: dict[str, Any]) -> None:
    trace = desk["session"].engine.trace
    assert [e.arg("paper") for e in trace if e.name == "paper_missing"] == ["authorisation"]

"""Steps for the angry-customer feature: how the customer's mood went, whether they left, and
what was vetoed."""

from __future__ import annotations

from typing import Any

from pytest_bdd import parsers, then

from scoring.words import tr

# 气愤 / 不满 / 平静 as the debrief would say them, from the engine's mood levels
_LEVELS = {"平静": "calm", "不满": "uneasy", "气愤": "angry"}
_VERDICTS = {tr(f"verdict.{v}", "zh"): v for v in ("met", "violated", "missed")}


def _trace(desk: dict[str, Any]) -> list[Any]:
    return list(desk["session"].engine.trace)


@then(parsers.parse('客户的情绪依次变为"{levels}"'))
def then_mood_path(desk: dict[str, Any], levels: str) -> None:
    wanted = [_LEVELS[word] for word in levels.split("、")]
    seen = [e.arg("level") for e in _trace(desk) if e.name == "customer_mood"]
    assert seen == wanted, seen


@then("客户最后气冲冲地离开了柜台")
def then_stormed_off(desk: dict[str, Any]) -> None:
    left = [e.arg("reason") for e in _trace(desk) if e.name == "customer_leaves"]
    assert left == ["angry"], left


@then("客户没有被气走")
def then_not_driven_away(desk: dict[str, Any]) -> None:
    assert not any(e.name == "customer_leaves" for e in _trace(desk))


@then(parsers.parse('按条款"{clause}"一票否决'))
def then_vetoed(desk: dict[str, Any], clause: str) -> None:
    report = desk["session"].report
    assert report.critical_failures == (clause,) and not report.passed, report.critical_failures


@then("没有一票否决的条款")
def then_no_veto(desk: dict[str, Any]) -> None:
    assert desk["session"].report.critical_failures == ()


@then(parsers.parse('其余适用的条款全部判为"{verdict}"'))
def then_rest_that_applied(desk: dict[str, Any], verdict: str) -> None:
    """Like 其余条款全部判为, leaving out rules whose situation never arose (the flare-up of a
    customer whose first answer was calm, say): they are neither met nor broken."""
    named = desk.get("named", set())
    rest = [
        f
        for f in desk["session"].report.findings
        if f.clause not in named and f.verdict != "not_applicable"
    ]
    assert rest and all(f.verdict == _VERDICTS[verdict] for f in rest), rest

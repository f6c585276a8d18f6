"""Steps for the rooftop-solar feature: whether the application went in and whether any
installer was named."""

from __future__ import annotations

from typing import Any

from pytest_bdd import parsers, then


@then(parsers.parse("光伏申请{done}提交进系统"))
def then_solar_submitted(desk: dict[str, Any], done: str) -> None:
    names = [e.name for e in desk["session"].engine.trace if e.valid]
    assert ("submit_application" in names) is (done == "已经")


@then("受理员没有向客户推荐任何安装公司")
def then_no_installer_named(desk: dict[str, Any]) -> None:
    engine = desk["session"].engine
    scenario = engine.loaded.scenario
    tags = {
        r.id: r.tags for c in scenario.customers for n in c.dialogue.values() for r in n.replies
    }
    said = [e.arg("reply") for e in engine.trace if e.name == "say"]
    assert said and not any("steers" in tags[r] for r in said)

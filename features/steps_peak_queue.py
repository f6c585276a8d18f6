"""Steps for the peak-queue feature: every followed customer served; which case went unchecked;
the hall's own instructions; one waiting customer's question left unanswered. Two steps are
used by the new-connection and pre-shift features too (every step module is loaded for every
feature): the rest of the rules that applied, and no critical failure."""

from __future__ import annotations

from typing import Any

from pytest_bdd import parsers, then, when

from scoring.procedure import Procedure
from scoring.session import play_agent, score_actions
from scoring.words import tr

VERDICT_WORDS = {
    tr(f"verdict.{v}", "zh"): v for v in ("met", "violated", "missed", "not_applicable")
}


def _customer_id(desk: dict[str, Any], name: str) -> str:
    """A customer by the name the training manager knows them by (this session's variant)."""
    engine = desk["session"].engine if "session" in desk else None
    for c in desk["scenario"].scenario.customers:
        shown = engine.render(c.name.zh, "zh") if engine is not None else c.name.zh
        if name in (shown, c.name.zh):
            return c.id
    raise AssertionError(f"no customer is called {name}")


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


@then(parsers.parse('本厅规定“{text}”判为"{verdict}"'))
def then_local(desk: dict[str, Any], text: str, verdict: str) -> None:
    instructions = desk["scenario"].scenario.instructions
    ids = [k for k, v in instructions.items() if v.zh == text]
    assert ids, f"the briefing has no instruction {text}"
    cites = f"local:{ids[0]}"
    findings = [f for f in desk["session"].report.findings if f.clause == cites]
    assert findings and all(not f.critical for f in findings)
    wanted = VERDICT_WORDS[verdict]
    if wanted == "met":
        assert all(f.verdict == "met" for f in findings), findings
    else:
        assert any(f.verdict == wanted for f in findings), findings
    desk.setdefault("named", set()).add(cites)


@then(parsers.parse('其余适用的条款全部判为"{verdict}"'))
def then_rest_applying(desk: dict[str, Any], verdict: str) -> None:
    named = desk.get("named", set())
    rest = [
        f
        for f in desk["session"].report.findings
        if f.clause not in named and f.verdict != "not_applicable"
    ]
    assert rest and all(f.verdict == VERDICT_WORDS[verdict] for f in rest), rest


@then("本次没有一票否决的条款")
def then_no_critical(desk: dict[str, Any]) -> None:
    assert desk["session"].report.critical_failures == ()


@when(parsers.parse('受理员按规程操作，唯独没有答复客户"{name}"问“还要等多久”的那句话'))
def when_one_question_ignored(desk: dict[str, Any], procedure: Procedure, name: str) -> None:
    loaded, seed = desk["scenario"], desk["seed"]
    expert = play_agent(loaded, procedure, seed, "expert")
    desk["session"] = expert
    who = _customer_id(desk, name)
    node = loaded.scenario.customer(who).dialogue["ask_wait"]
    ignored = {r.id for r in node.replies}
    actions = [a for a in expert.actions if a.args.get("reply") not in ignored]
    desk["session"] = score_actions(loaded, procedure, seed, actions)
    desk["ignored"] = who


@then(parsers.parse('扣分的只有客户"{name}"等候时的那句问话，判为"{verdict}"'))
def then_only_that_question(desk: dict[str, Any], name: str, verdict: str) -> None:
    who = _customer_id(desk, name)
    lost = [f for f in desk["session"].report.findings if f.points_lost]
    assert len(lost) == 1, lost
    [f] = lost
    trigger = f.evidence.entry("trigger")
    assert trigger is not None
    assert trigger.entry.args == (("customer", who), ("node", "ask_wait"))
    assert f.clause == "3.2.c" and f.verdict == VERDICT_WORDS[verdict]

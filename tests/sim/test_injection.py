"""Incidents an instructor throws into a session: declared by the scenario, recorded in the
session's input with their sim time, replayed exactly and scored like a scheduled event."""

from __future__ import annotations

import pytest

from scoring.procedure import load_procedure
from scoring.session import judge, replay
from sim.agents import make_agent, run_agent
from sim.engine import INJECT, Engine
from sim.errors import ScenarioError
from sim.scenario import load_scenario_bytes

_SCENARIO = """
scenario:
  id: quiet_counter
  title: {zh: 安静的柜台, en: A quiet counter}
  briefing: {zh: 上午，你在一号窗口。, en: "Morning, window 1."}
  kind: routine
  difficulty: 1
  time_limit: 600
  pass_mark: 80
  clock: "09:00"
  window: 1
desk: {computer: "on", logged_in: true}
customers:
  - id: walker
    name: {zh: 客户, en: Customer}
    persona: {zh: 来咨询的客户, en: A customer with a question}
    request: consultation
  - id: caller
    name: {zh: 来电群众, en: Caller}
    persona: {zh: 打电话报险情的群众, en: Someone ringing in a hazard}
    request: fault_repair
    dialogue:
      report:
        says: {zh: 小区门口电线断了掉在地上！, en: "A wire's down at the estate gate!"}
        replies:
          - id: keep_away
            zh: 请您和旁人远离电线，千万别碰，我们马上派人。
            en: "Keep everyone well away and touch nothing; a crew is on its way."
            tags: [safety, accurate]
            mood: 5
          - id: just_wait
            zh: 您先别急，我先登记一下。
            en: "Don't worry, let me register it first."
            tags: [misleading]
            mood: -5
timeline:
  - {at: 5, event: customer_arrives, args: {customer: walker}}
triggers:
  - on: answer_phone
    event: customer_says
    args: {customer: caller, node: report}
  - on: {name: customer_says, args: {customer: caller, node: report}}
    event: hazard_reported
    args: {customer: caller, kind: fallen_wire}
injectable:
  - id: hazard_call
    title: {zh: 来电报告电线落地, en: A call reporting a fallen wire}
    brings:
      - {at: 0, event: phone_rings, args: {customer: caller}}
  - id: printer_breaks
    title: {zh: 打印机卡纸, en: The printer jams}
    brings:
      - {at: [2, 4], event: printer_fault, args: {kind: jam}}
rules:
  - {id: told, template: required, what: inform_customer, clause: "3.1.e", weight: 10}
  - id: safety_first
    template: first_after
    trigger: hazard_reported
    what: {name: say, tags: [safety]}
    instead: [say]
    clause: "3.3.c"
    weight: 20
    critical: true
"""


@pytest.fixture(scope="module")
def loaded():
    return load_scenario_bytes(_SCENARIO.encode(), "quiet_counter.yaml", load_procedure().ids)


def _names(engine: Engine) -> list[str]:
    return [e.name for e in engine.trace]


def test_an_injection_is_input_with_its_time_and_brings_what_the_scenario_declares(loaded):
    engine = Engine(loaded, 3)
    engine.advance(40.0)
    entry = engine.inject(40.0, "hazard_call")
    assert (entry.kind, entry.name, entry.arg("event"), entry.t) == (
        "event", "injected", "hazard_call", 40.0,
    )  # fmt: skip
    # recorded in the input like an action, so a replay brings it at the same moment
    assert engine.actions[-1].action == INJECT
    assert engine.actions[-1].args == {"event": "hazard_call"}
    # what it brings at once is there at the desk's next frame: the phone rings now
    assert engine.trace[-1].name == "phone_rings" and engine.trace[-1].t == 40.0
    assert engine.observe().phone == "ringing"


def test_a_replay_of_the_input_brings_the_injection_at_the_same_moment(loaded):
    engine = Engine(loaded, 7)
    engine.advance(30.0)
    engine.inject(30.0, "printer_breaks")
    engine.apply(31.0, "answer_phone")  # nothing rings: refused, still recorded
    engine.finish(90.0)
    again = replay(loaded, 7, engine.actions, end=90.0)
    assert again.trace == engine.trace
    fault = next(e for e in engine.trace if e.name == "printer_fault")
    assert 32.0 <= fault.t <= 34.0  # drawn from the brought range, from the injection's time


def test_what_the_scenario_does_not_offer_is_refused_and_a_hand_made_line_changes_nothing(
    loaded,
):
    engine = Engine(loaded, 1)
    with pytest.raises(ValueError):
        engine.inject(10.0, "fire_in_the_hall")
    assert not engine.actions
    entry = engine.apply(10.0, INJECT, {"event": "fire_in_the_hall"})
    assert (entry.kind, entry.valid, entry.reason) == ("action", False, "not_injectable")
    assert "phone_rings" not in _names(engine)
    engine.finish()
    late = engine.apply(700.0, INJECT, {"event": "hazard_call"})
    assert (late.valid, late.reason) == (False, "session_over")


def test_an_injected_hazard_is_scored_like_a_scheduled_one(loaded):
    proc = load_procedure()
    quiet = run_agent(loaded, 2, make_agent("expert", 2))
    assert "injected" not in _names(quiet)
    calm = judge(quiet, proc)
    rule = {f.rule: f for f in calm.findings}
    assert rule["safety_first"].verdict == "not_applicable"  # it never came

    hit = run_agent(loaded, 2, make_agent("expert", 2), injections=[(60.0, "hazard_call")])
    names = _names(hit)
    assert names.index("injected") < names.index("phone_rings") < names.index("hazard_reported")
    report = judge(hit, proc)
    rule = {f.rule: f for f in report.findings}
    assert rule["safety_first"].verdict == "met"
    assert report.passed
    # and the replay of what was recorded judges the same
    again = judge(replay(loaded, 2, hit.actions), proc)
    assert again == report


def test_a_clerk_who_gets_the_injected_hazard_wrong_fails_on_it(loaded):
    proc = load_procedure()
    engine = Engine(loaded, 4)
    engine.advance(20.0)
    engine.inject(20.0, "hazard_call")
    engine.apply(22.0, "answer_phone")
    engine.apply(25.0, "say", {"reply": "just_wait"})
    engine.finish(60.0)
    report = judge(engine, proc)
    rule = {f.rule: f for f in report.findings}
    assert rule["safety_first"].verdict == "violated"
    assert "3.3.c" in report.critical_failures and not report.passed


def test_the_answer_key_counts_an_injection_as_an_event(loaded):
    engine = Engine(loaded, 5)
    engine.advance(10.0)
    before = engine.answer_key().events
    engine.inject(10.0, "hazard_call")
    # the injected marker and the ring; no action of the clerk's
    assert engine.answer_key().events == before + 2


def test_the_scenario_declares_what_may_be_injected_and_lint_finds_what_is_wrong():
    bad = _SCENARIO.replace(
        "      - {at: 0, event: phone_rings, args: {customer: caller}}",
        "      - {at: 0, event: phone_ring, args: {customer: callr}}",
    ).replace("  - id: printer_breaks", "  - id: hazard_call")
    with pytest.raises(ScenarioError) as err:
        load_scenario_bytes(bad.encode(), "quiet_counter.yaml")
    text = "\n".join(str(p) for p in err.value.problems)
    assert "phone_ring" in text and "phone_rings" in text  # named, with the likely meaning
    assert "hazard_call" in text  # the id given twice
    assert all(p.line is not None for p in err.value.problems)

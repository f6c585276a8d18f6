"""超出权限的诉求: a customer asks to have a late-payment penalty waived, which is not the clerk's
to decide; each scripted trainee loses exactly what its flaw deserves."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from scoring.session import play_agent, score_actions
from sim.engine import Engine
from sim.library import find_scenario
from sim.trace import TimedAction

# rule -> (clause, verdict) for every rule the flaw breaks; everything else must be met
EXPECTED = {
    "expert": {},
    # asks, relays, tells the customer — and keeps no log of the case
    "careless": {
        "result_recorded": ("3.1.e", "missed"),
    },
    # the customer would be happiest with "I'll let you off": so that is what it says
    "panicky": {
        "help_sought": ("3.3.d", "missed"),
        "no_promises": ("3.2.c", "violated"),
    },
    # refuses flat out, then refuses to fetch the superior: decided alone, and curtly
    "brusque": {
        "help_sought": ("3.3.d", "missed"),
        "stay_patient": ("3.2.c", "violated"),
    },
    # grants the waiver itself and never asks
    "solo": {
        "help_sought": ("3.3.d", "missed"),
        "no_promises": ("3.2.c", "violated"),
    },
    # opens the billing module before answering: here it costs nothing
    "paperwork_first": {},
}
PASSES = {"expert", "careless", "paperwork_first"}
# a critical rule broken fails the session whatever the score
CRITICAL = {"panicky": ("3.3.d",), "brusque": ("3.3.d",), "solo": ("3.3.d",)}


@pytest.fixture(scope="module")
def beyond(procedure):
    return find_scenario("beyond_authority", procedure.ids)


def _broken(report):
    return {f.rule: (f.clause, f.verdict) for f in report.findings if f.verdict != "met"}


def _nodes(engine):
    return [e.arg("node") for e in engine.trace if e.name == "customer_says"]


def _arrival(loaded, seed: int) -> float:
    """When the customer reaches the window under this seed (drawn from the timeline's range)."""
    engine = Engine(loaded, seed)
    engine.advance(60)
    return next(e.t for e in engine.trace if e.name == "customer_arrives")


@settings(max_examples=25, deadline=None)
@given(seed=st.integers(min_value=0, max_value=2**32 - 1))
def test_the_expert_refers_the_waiver_with_full_marks_on_any_seed(beyond, procedure, seed):
    report = play_agent(beyond, procedure, seed, "expert").report
    assert report.score == 100 and report.passed


@pytest.mark.parametrize("seed", [0, 1, 2, 5, 11])
@pytest.mark.parametrize("agent", sorted(EXPECTED))
def test_each_trainee_loses_exactly_its_flaw(beyond, procedure, agent, seed):
    report = play_agent(beyond, procedure, seed, agent).report
    assert _broken(report) == EXPECTED[agent]
    assert report.passed is (agent in PASSES)
    assert report.critical_failures == CRITICAL.get(agent, ())


def test_the_seeds_above_cover_every_variant(beyond):
    drawn = {Engine(beyond, s).variant.id for s in (0, 1, 2, 5, 11)}
    assert drawn == {v.id for v in beyond.scenario.variants}


def test_the_superiors_answer_comes_only_when_asked_and_is_relayed_before_the_result(
    beyond, procedure
):
    expert = play_agent(beyond, procedure, 2, "expert").engine
    assert _nodes(expert) == ["ask_waive", "waiting", "ruling", "farewell"]
    done = [(e.name, e.arg("reply")) for e in expert.trace if e.kind == "action"]
    assert done.index(("ask_supervisor_help", None)) < done.index(("say", "relay_as_is"))
    assert done.index(("say", "relay_as_is")) < done.index(("inform_customer", None))
    solo = play_agent(beyond, procedure, 2, "solo").engine
    assert _nodes(solo) == ["ask_waive", "farewell"]


def test_a_curt_refusal_draws_a_demand_for_the_boss(beyond, procedure):
    engine = play_agent(beyond, procedure, 2, "brusque").engine
    assert _nodes(engine)[:3] == ["ask_waive", "insist", "grudging"]
    levels = [e.arg("level") for e in engine.trace if e.name == "customer_mood"]
    assert levels == ["angry"]  # from uneasy (a penalty on the bill) to angry


def _clerk(loaded, seed: int, ask_after: float, relay: str) -> list[TimedAction]:
    """Says the right thing at once, asks the superior ``ask_after`` s later, relays ``relay``."""
    t = _arrival(loaded, seed) + 2
    ask = t + ask_after
    steps = [
        (0, "log_in", {}),
        (15, "check_system_status", {}),
        (t, "say", {"reply": "waive_escalate"}),
        (ask, "ask_supervisor_help", {}),
        (ask + 12, "say", {"reply": "wait_honest"}),
        (ask + 30, "say", {"reply": relay}),
        (ask + 40, "select_module", {"module": "billing"}),
        (ask + 45, "inform_customer", {}),
        (ask + 60, "record_result", {}),
        (ask + 75, "finish", {}),
    ]
    return [TimedAction(float(at), action, args) for at, action, args in steps]


def test_a_clerk_who_asks_at_once_and_relays_the_answer_scores_full_marks(beyond, procedure):
    report = score_actions(beyond, procedure, 0, _clerk(beyond, 0, 10, "relay_as_is")).report
    assert report.score == 100 and report.passed and not report.invalid_attempts


def test_asking_only_after_minutes_is_not_asking_promptly(beyond, procedure):
    report = score_actions(beyond, procedure, 0, _clerk(beyond, 0, 150, "relay_as_is")).report
    assert _broken(report) == {"help_sought": ("3.3.d", "violated")}
    assert report.critical_failures == ("3.3.d",) and not report.passed


def test_dressing_up_the_superiors_answer_is_misleading(beyond, procedure):
    seed = next(s for s in range(50) if Engine(beyond, s).variant.id == "forgot_on_trip")
    played = score_actions(beyond, procedure, seed, _clerk(beyond, seed, 10, "relay_spin"))
    report = played.report
    said = played.words().evidence
    assert _broken(report) == {
        "ruling_relayed": ("3.2.c", "violated"),
        "never_mislead": ("3.2.c", "violated"),
    }
    finding = next(f for f in report.findings if f.rule == "never_mislead")
    assert "下不为例" in said(finding) and "误导" in said(finding)


def test_scoring_the_recorded_actions_gives_the_same_report(beyond, procedure):
    for agent in EXPECTED:
        played = play_agent(beyond, procedure, 4, agent)
        again = score_actions(beyond, procedure, 4, played.actions)
        assert again.report == played.report

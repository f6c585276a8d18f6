"""网络中断: each scripted trainee loses exactly what its flaw deserves, on every variant."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from scoring.procedure import Procedure
from scoring.session import Session, play_agent, score_actions
from sim.library import find_scenario
from sim.scenario import LoadedScenario
from sim.trace import TimedAction

# rule -> (clause, verdict) for every rule the flaw breaks; everything else must be met
EXPECTED: dict[str, dict[str, tuple[str, str]]] = {
    "expert": {},
    # no field-by-field check, no fault log, no service log
    "careless": {
        "verify_before_submit": ("3.2.a", "violated"),
        "fault_logged": ("4.3.e", "missed"),
        "result_recorded": ("3.1.e", "missed"),
    },
    # works on through the outage: no stop, no report, presses submit into the dead network,
    # no contingency, and tells the customer "the system is updating"
    "panicky": {
        "stop_on_outage": ("3.3.a", "missed"),
        "outage_reported": ("3.3.a", "missed"),
        "no_submitting_while_down": ("3.3.a", "violated"),
        "contingency_started": ("5.3.d", "missed"),
        "taken_on_paper": ("5.3.d", "violated"),
        "honest_about_wait": ("3.2.c", "missed"),
        "never_mislead": ("3.2.c", "violated"),
    },
    # keeps the outage to himself and promises "five minutes, guaranteed"
    "solo": {
        "outage_reported": ("3.3.a", "missed"),
        "honest_about_wait": ("3.2.c", "missed"),
        "never_mislead": ("3.2.c", "violated"),
    },
    # "the network's down, nothing I can do, wait": curt, and no explanation of the wait
    "brusque": {
        "honest_about_wait": ("3.2.c", "missed"),
        "stay_patient": ("3.2.c", "violated"),
    },
}

# Whether the flaw deserves failing the session, and the critical clauses it breaks.
PASSED = {"expert": True, "careless": False, "panicky": False, "solo": False, "brusque": True}
CRITICAL = {"panicky": ("3.3.a",), "solo": ("3.3.a",)}

SEEDS = [0, 1, 2, 5, 11]


@pytest.fixture(scope="module")
def outage(procedure: Procedure) -> LoadedScenario:
    return find_scenario("network_outage", procedure.ids)


def broken(session: Session) -> dict[str, tuple[str, str]]:
    return {f.rule: (f.clause, f.verdict) for f in session.report.findings if f.verdict != "met"}


def broken_text(session: Session) -> str:
    said = session.words().evidence
    return "\n".join(
        f"{f.rule} {f.verdict}: {said(f)}" for f in session.report.findings if f.points_lost
    )


@settings(max_examples=25, deadline=None)
@given(seed=st.integers(min_value=0, max_value=2**31 - 1))
def test_the_expert_scores_full_marks_on_any_seed(outage, procedure, seed):
    session = play_agent(outage, procedure, seed, "expert")
    assert session.report.score == 100 and session.report.passed, broken_text(session)


@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("agent", sorted(EXPECTED))
def test_each_trainee_loses_exactly_its_flaw(outage, procedure, agent, seed):
    session = play_agent(outage, procedure, seed, agent)
    assert broken(session) == EXPECTED[agent]
    assert session.report.passed is PASSED[agent]
    assert session.report.critical_failures == CRITICAL.get(agent, ())


def test_every_variant_is_drawn_and_the_outage_timing_varies(outage, procedure):
    variants, drops, outages = set(), set(), set()
    for seed in range(12):
        engine = play_agent(outage, procedure, seed, "expert").engine
        variants.add(engine.variant.id)
        down = next(e.t for e in engine.trace if e.name == "network_down")
        back = next(e.t for e in engine.trace if e.name == "network_restored")
        drops.add(down)
        outages.add(back - down)
        assert 180 <= back - down <= 330
    assert variants == {v.id for v in outage.scenario.variants}
    assert len(drops) > 5 and len(outages) > 5


def test_the_expert_takes_it_on_paper_while_down_and_submits_once_back(outage, procedure):
    for seed in SEEDS:
        trace = play_agent(outage, procedure, seed, "expert").engine.trace
        names = [e.name for e in trace]
        down, back = names.index("network_down"), names.index("network_restored")
        during = names[down:back]
        for step in ("stop_operation", "report_supervisor", "start_contingency"):
            assert step in during
        assert "register_on_paper" in during and "log_fault" in during
        assert "submit_application" not in during
        after = names[back:]
        assert after.index("verify_data") < after.index("submit_application")
        assert after.index("submit_application") < after.index("inform_customer")


def test_the_panicky_trainees_submit_attempts_count_and_are_quoted(outage, procedure):
    played = play_agent(outage, procedure, 0, "panicky")
    report = played.report
    said = played.words().evidence
    tried = [a for a in report.invalid_attempts if a.action == "submit_application"]
    assert len(tried) == 2 and all(a.reason == "network_up" for a in tried)
    finding = next(f for f in report.findings if f.rule == "no_submitting_while_down")
    assert "网络已中断" in said(finding)
    mislead = next(f for f in report.findings if f.rule == "never_mislead")
    assert "系统在自动升级" in said(mislead)


def test_one_press_of_submit_into_the_outage_fails_an_otherwise_good_session(outage, procedure):
    # seed 0: the network drops during the data entry and is back after some minutes
    actions = expert_actions(outage, procedure, 0)
    down = first_time(outage, procedure, 0, "network_down")
    retry = TimedAction(t=down + 1.0, action="submit_application", args={})
    session = score_actions(outage, procedure, 0, sorted([*actions, retry], key=lambda a: a.t))
    assert broken(session) == {"no_submitting_while_down": ("3.3.a", "violated")}
    assert not session.report.passed and session.report.critical_failures == ("3.3.a",)


def test_scoring_the_recorded_actions_gives_the_same_report(outage, procedure):
    for agent in EXPECTED:
        played = play_agent(outage, procedure, 4, agent)
        again = score_actions(outage, procedure, 4, played.actions)
        assert again.report == played.report


def expert_actions(loaded, procedure, seed) -> list[TimedAction]:
    return list(play_agent(loaded, procedure, seed, "expert").actions)


def first_time(loaded, procedure, seed, event: str) -> float:
    engine = play_agent(loaded, procedure, seed, "expert").engine
    return next(e.t for e in engine.trace if e.name == event)

"""系统故障: each scripted trainee loses exactly what its flaw deserves, on every variant."""

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
    # keeps pressing submit on the broken system, never stops, reports or asks for help, no
    # contingency, and tells the customer it is a routine update
    "panicky": {
        "stop_on_fault": ("3.3.a", "missed"),
        "fault_reported": ("3.3.a", "missed"),
        "no_resubmitting_on_fault": ("3.3.a", "violated"),
        "contingency_started": ("5.3.d", "missed"),
        "taken_on_paper": ("5.3.d", "violated"),
        "help_sought": ("3.3.d", "missed"),
        "honest_about_wait": ("3.2.c", "missed"),
        "never_mislead": ("3.2.c", "violated"),
    },
    # stops and goes to paper, but tells nobody, asks nobody for help, and promises "five
    # minutes at most"
    "solo": {
        "fault_reported": ("3.3.a", "missed"),
        "help_sought": ("3.3.d", "missed"),
        "honest_about_wait": ("3.2.c", "missed"),
        "never_mislead": ("3.2.c", "violated"),
    },
    # "the system's broken, what can I do, wait": curt, and no explanation of the wait
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
def fault(procedure: Procedure) -> LoadedScenario:
    return find_scenario("system_fault", procedure.ids)


def broken(session: Session) -> dict[str, tuple[str, str]]:
    return {f.rule: (f.clause, f.verdict) for f in session.report.findings if f.verdict != "met"}


def broken_text(session: Session) -> str:
    said = session.words().evidence
    return "\n".join(
        f"{f.rule} {f.verdict}: {said(f)}" for f in session.report.findings if f.points_lost
    )


@settings(max_examples=25, deadline=None)
@given(seed=st.integers(min_value=0, max_value=2**31 - 1))
def test_the_expert_scores_full_marks_on_any_seed(fault, procedure, seed):
    session = play_agent(fault, procedure, seed, "expert")
    assert session.report.score == 100 and session.report.passed, broken_text(session)


@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("agent", sorted(EXPECTED))
def test_each_trainee_loses_exactly_its_flaw(fault, procedure, agent, seed):
    session = play_agent(fault, procedure, seed, agent)
    assert broken(session) == EXPECTED[agent]
    assert session.report.passed is PASSED[agent]
    assert session.report.critical_failures == CRITICAL.get(agent, ())


def test_freezes_and_errors_are_both_drawn_and_the_timing_varies(fault, procedure):
    variants, kinds, outages = set(), set(), set()
    for seed in range(12):
        engine = play_agent(fault, procedure, seed, "expert").engine
        variants.add(engine.variant.id)
        hit = next(e for e in engine.trace if e.name == "system_fault")
        back = next(e.t for e in engine.trace if e.name == "system_restored")
        kinds.add(hit.arg("kind"))
        assert hit.arg("kind") == engine.variant.vars["fault"]
        outages.add(back - hit.t)
        assert 200 <= back - hit.t <= 360
    assert variants == {v.id for v in fault.scenario.variants}
    assert kinds == {"freeze", "error"} and len(outages) > 5


def test_the_system_comes_back_logged_out_and_the_expert_logs_in_before_going_on(fault, procedure):
    for seed in SEEDS:
        trace = play_agent(fault, procedure, seed, "expert").engine.trace
        names = [e.name for e in trace]
        hit, back = names.index("system_fault"), names.index("system_restored")
        during = names[hit:back]
        for step in (
            "stop_operation",
            "report_supervisor",
            "start_contingency",
            "ask_supervisor_help",
        ):
            assert step in during
        assert "register_on_paper" in during and "log_fault" in during
        assert "submit_application" not in during and "enter_customer_data" not in during
        after = [e.name for e in trace[back:] if e.kind == "action"]
        business = [a for a in after if a != "say"]
        assert business[0] == "log_in"
        assert (
            after.index("log_in") < after.index("verify_data") < after.index("submit_application")
        )


def test_a_submit_before_logging_in_again_is_refused(fault, procedure):
    actions = list(play_agent(fault, procedure, 0, "expert").actions)
    back = event_time(fault, procedure, 0, "system_restored")
    # straight to submit once the system is back, skipping the login
    early = [a for a in actions if a.t < back]
    session = score_actions(
        fault,
        procedure,
        0,
        [*early, TimedAction(t=back + 1.0, action="submit_application", args={})],
    )
    assert [a.reason for a in session.report.invalid_attempts] == ["logged_in"]
    found = broken(session)
    assert found["logged_in_again"] == ("3.1.a", "missed")
    assert found["submitted_after_restore"] == ("3.1.d", "missed")


def test_the_panicky_trainees_retries_count_and_the_misleading_words_are_quoted(fault, procedure):
    played = play_agent(fault, procedure, 0, "panicky")
    report = played.report
    said = played.words().evidence
    tried = [a for a in report.invalid_attempts if a.action == "submit_application"]
    assert len(tried) == 2
    mislead = next(f for f in report.findings if f.rule == "never_mislead")
    assert "系统正常更新" in said(mislead)


def test_typing_the_details_in_again_on_the_broken_system_fails_the_session(fault, procedure):
    actions = list(play_agent(fault, procedure, 0, "expert").actions)
    hit = event_time(fault, procedure, 0, "system_fault")
    again = TimedAction(t=hit + 1.0, action="enter_customer_data", args={})
    session = score_actions(fault, procedure, 0, sorted([*actions, again], key=lambda a: a.t))
    assert broken(session) == {"no_reentering_on_fault": ("3.3.a", "violated")}
    assert not session.report.passed and session.report.critical_failures == ("3.3.a",)


def test_scoring_the_recorded_actions_gives_the_same_report(fault, procedure):
    for agent in EXPECTED:
        played = play_agent(fault, procedure, 4, agent)
        again = score_actions(fault, procedure, 4, played.actions)
        assert again.report == played.report


def event_time(loaded, procedure, seed, event: str) -> float:
    engine = play_agent(loaded, procedure, seed, "expert").engine
    return next(e.t for e in engine.trace if e.name == event)

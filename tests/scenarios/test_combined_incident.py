"""复合事件: a complaint at the window, a hazard call on the duty phone, a paper jam mid-call.
Safety first, then the equipment, then service; the expert completes both customers' business,
and each scripted trainee loses exactly what its flaw deserves."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from scoring.procedure import Procedure
from scoring.session import Session, play_agent, score_actions
from sim.engine import Engine
from sim.library import find_scenario
from sim.scenario import LoadedScenario
from sim.trace import TimedAction

# rule -> (clause, verdict) for every rule the flaw breaks; everything else must be met
EXPECTED: dict[str, dict[str, tuple[str, str]]] = {
    "expert": {},
    # no read-back of the work order, no fault log, no complaint record, no service log
    "careless": {
        "location_read_back": ("3.2.a", "violated"),
        "fault_logged": ("4.3.e", "missed"),
        "complaint_recorded": ("3.3.b", "missed"),
        "every_case_recorded": ("3.1.e", "missed"),
    },
    # soothes the caller instead of warning them, clears the jam without looking or stopping,
    # and tells both customers what they want to hear
    "panicky": {
        "safety_first": ("3.3.c", "violated"),
        "printer_waits_for_safety": ("3.3.c", "violated"),
        "arrival_told": ("3.2.c", "violated"),
        "stop_on_fault": ("5.3.b", "missed"),
        "cause_before_fix": ("5.3.b", "violated"),
        "test_after_fix": ("5.1.c", "missed"),
        "interruption_explained": ("3.2.c", "missed"),
        "wait_answered": ("3.2.c", "missed"),
        "never_mislead": ("3.2.c", "violated"),
    },
    # snaps at the complainant at every turn, and makes them angrier
    "brusque": {
        "calm_at_outburst": ("3.3.b", "violated"),
        "interruption_explained": ("3.2.c", "missed"),
        "wait_answered": ("3.2.c", "missed"),
        "stay_patient": ("3.2.c", "violated"),
        "dispute_not_inflamed": ("3.3.b", "violated"),
    },
    # tells the supervisor about neither the hazard nor the complaint, and promises
    "solo": {
        "hazard_reported_up": ("3.3.c", "missed"),
        "arrival_told": ("3.2.c", "violated"),
        "wait_answered": ("3.2.c", "missed"),
        "complaint_reported": ("3.3.b", "missed"),
        "never_mislead": ("3.2.c", "violated"),
    },
    # writes the complaint up while the shouting customer waits and the phone rings on, then
    # opens the work order before saying a word about safety
    "paperwork_first": {
        "phone_answered": ("3.3.c", "violated"),
        "safety_first": ("3.3.c", "violated"),
        "calm_at_outburst": ("3.3.b", "violated"),
        "wait_answered": ("3.2.c", "violated"),
        "dispute_not_inflamed": ("3.3.b", "violated"),
    },
}
PASSED = {
    "expert": True,
    "careless": False,
    "panicky": False,
    "brusque": False,
    "solo": False,
    "paperwork_first": False,
}
CRITICAL = {
    "careless": ("3.3.b",),
    "panicky": ("3.3.c",),
    "solo": ("3.3.c", "3.3.b"),
    "paperwork_first": ("3.3.c",),
}

SEEDS = [0, 1, 2, 5, 11]  # between them, every variant


@pytest.fixture(scope="module")
def combined(procedure: Procedure) -> LoadedScenario:
    return find_scenario("combined_incident", procedure.ids)


def broken(session: Session) -> dict[str, tuple[str, str]]:
    return {f.rule: (f.clause, f.verdict) for f in session.report.findings if f.verdict != "met"}


def _names(session: Session) -> list[str]:
    return [e.name for e in session.engine.trace]


def _ring(loaded: LoadedScenario, seed: int) -> float:
    engine = Engine(loaded, seed)
    engine.advance(60)
    return next(e.t for e in engine.trace if e.name == "phone_rings")


def _timed(steps: list[tuple[float, str, dict[str, str]]]) -> list[TimedAction]:
    return [TimedAction(float(at), action, args) for at, action, args in steps]


def _opening(a: float) -> list[tuple[float, str, dict[str, str]]]:
    """The complainant's first two lines answered, the phone picked up a second after it rings
    (``a``), safety advice, the arrival commitment, and the work stopped once the jam comes
    (12-18 s into the call)."""
    return [
        (0, "say", {"reply": "outburst_calm"}),
        (8, "say", {"reply": "demand_truth"}),
        (10, "check_system_status", {}),
        (a, "answer_phone", {}),
        (a + 3, "say", {"reply": "report_safety"}),
        (a + 11, "say", {"reply": "when_commit"}),
        (a + 19, "stop_operation", {}),
    ]


def _printer(t: float) -> list[tuple[float, str, dict[str, str]]]:
    return [
        (t, "inspect_printer", {}),
        (t + 15, "clear_paper_jam", {}),
        (t + 45, "test_print", {}),
        (t + 55, "log_fault", {}),
    ]


def _complaint(t: float) -> list[tuple[float, str, dict[str, str]]]:
    return [
        (t, "serve", {"customer": "complainant"}),
        (t + 3, "select_module", {"module": "complaint"}),
        (t + 8, "record_complaint", {}),
        (t + 48, "report_supervisor", {}),
        (t + 68, "inform_customer", {}),
        (t + 83, "record_result", {}),
        (t + 98, "finish", {}),
    ]


def dispatch_before_the_jam(a: float) -> list[TimedAction]:
    """The stricter order: the emergency work order out before the jam is touched."""
    return _timed(
        [
            *_opening(a),
            (a + 21, "select_module", {"module": "fault_repair"}),
            (a + 26, "report_supervisor", {}),
            (a + 46, "start_contingency", {}),
            (a + 56, "say", {"reply": "jump_explain"}),  # the complainant's objection
            (a + 64, "enter_customer_data", {}),
            (a + 104, "say", {"reply": "wait_honest"}),  # "how much longer?"
            (a + 112, "verify_data", {}),
            (a + 132, "submit_application", {}),
            (a + 137, "inform_customer", {}),  # the caller is still on the line
            (a + 152, "record_result", {}),
            *_printer(a + 167),
            *_complaint(a + 242),  # the caller has rung off by now
        ]
    )


def complaint_before_the_work_order(a: float) -> list[TimedAction]:
    """Back to the angry customer's paperwork while the hazard's work order is still pending."""
    return _timed(
        [
            *_opening(a),
            (a + 21, "select_module", {"module": "fault_repair"}),
            (a + 26, "report_supervisor", {}),
            (a + 46, "start_contingency", {}),
            (a + 56, "say", {"reply": "jump_explain"}),
            (a + 64, "serve", {"customer": "complainant"}),
            (a + 67, "select_module", {"module": "complaint"}),
            (a + 72, "record_complaint", {}),
            (a + 112, "say", {"reply": "wait_honest"}),
            (a + 120, "serve", {"customer": "caller"}),
            (a + 123, "enter_customer_data", {}),
            (a + 163, "verify_data", {}),
            (a + 183, "submit_application", {}),
            (a + 188, "inform_customer", {}),
            (a + 203, "record_result", {}),
            *_printer(a + 218),
            (a + 293, "serve", {"customer": "complainant"}),
            (a + 296, "report_supervisor", {}),
            (a + 316, "inform_customer", {}),
            (a + 331, "record_result", {}),
            (a + 346, "finish", {}),
        ]
    )


@settings(max_examples=25, deadline=None)
@given(seed=st.integers(min_value=0, max_value=2**32 - 1))
def test_the_expert_scores_full_marks_on_any_seed(combined, procedure, seed):
    report = play_agent(combined, procedure, seed, "expert").report
    assert report.score == 100 and report.passed


@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("agent", sorted(EXPECTED))
def test_each_trainee_loses_exactly_its_flaw(combined, procedure, agent, seed):
    session = play_agent(combined, procedure, seed, agent)
    assert broken(session) == EXPECTED[agent]
    assert session.report.passed is PASSED[agent]
    assert session.report.critical_failures == CRITICAL.get(agent, ())


def test_the_seeds_cover_every_variant_and_the_timing_varies(combined, procedure):
    assert {Engine(combined, s).variant.id for s in SEEDS} == {
        v.id for v in combined.scenario.variants
    }
    rings, jams = set(), set()
    for seed in range(12):
        names = play_agent(combined, procedure, seed, "expert").engine.trace
        answered = next(e.t for e in names if e.name == "answer_phone")
        jam = next(e.t for e in names if e.name == "printer_fault")
        rings.add(_ring(combined, seed))
        jams.add(round(jam - answered, 1))
        assert 12 <= jam - answered <= 18
    assert len(rings) > 5 and len(jams) > 5 and all(11 <= r <= 19 for r in rings)


@pytest.mark.parametrize("seed", SEEDS)
def test_the_expert_completes_both_customers_business(combined, procedure, seed):
    session = play_agent(combined, procedure, seed, "expert")
    caller = session.engine.desk.customers["caller"].case
    complainant = session.engine.desk.customers["complainant"].case
    assert caller.module == "fault_repair" and caller.verified and caller.submitted
    assert caller.informed and caller.recorded
    assert complainant.module == "complaint" and complainant.complaint_recorded
    assert complainant.informed and complainant.recorded
    names = _names(session)
    # safety advice is the first thing after the report; the complaint waits for the work order
    hazard = names.index("hazard_reported")
    first = next(e for e in session.engine.trace[hazard:] if e.kind == "action")
    assert first.name == "say" and "safety" in first.tags
    assert names.index("submit_application") < names.index("record_complaint")
    assert names.index("log_fault") < names.index("finish")
    assert [e.arg("reason") for e in session.engine.trace if e.name == "customer_leaves"] == [
        "served"
    ]


@pytest.mark.parametrize("seed", [1, 5])
def test_the_work_order_before_the_jam_scores_full_marks_too(combined, procedure, seed):
    session = score_actions(
        combined, procedure, seed, dispatch_before_the_jam(_ring(combined, seed) + 1)
    )
    assert session.report.score == 100 and session.report.passed
    assert not session.report.invalid_attempts
    names = _names(session)
    assert names.index("submit_application") < names.index("clear_paper_jam")


def test_going_back_to_the_complaint_before_the_work_order_fails(combined, procedure):
    seed = 2
    session = score_actions(
        combined, procedure, seed, complaint_before_the_work_order(_ring(combined, seed) + 1)
    )
    assert not session.report.invalid_attempts
    assert broken(session) == {"emergency_before_complaint": ("3.3.c", "violated")}
    assert session.report.critical_failures == ("3.3.c",)


def test_the_caller_rings_off_after_the_work_order_and_the_complainant_is_then_served(
    combined, procedure
):
    engine = play_agent(combined, procedure, 3, "expert").engine
    trace = engine.trace
    submitted = next(e.t for e in trace if e.name == "submit_application")
    left = next(e for e in trace if e.name == "customer_leaves")
    assert left.arg("customer") == "caller" and 40 <= left.t - submitted <= 60
    called = next(e for e in trace if e.name == "customer_called")
    assert called.arg("customer") == "complainant"


def test_the_panicky_trainees_soothing_is_quoted(combined, procedure):
    played = play_agent(combined, procedure, 0, "panicky")
    report = played.report
    said = played.words().evidence
    evidence = {f.rule: said(f) for f in report.findings}
    assert "这种事常有" in evidence["safety_first"] and "误导" in evidence["safety_first"]
    assert "取出卡纸" in evidence["printer_waits_for_safety"]


def test_the_paperwork_first_trainee_let_the_phone_ring_while_writing(combined, procedure):
    session = play_agent(combined, procedure, 0, "paperwork_first")
    trace = session.engine.trace
    ring = next(e.t for e in trace if e.name == "phone_rings")
    writing = next(e.t for e in trace if e.name == "record_complaint")
    answered = next(e.t for e in trace if e.name == "answer_phone")
    assert writing < ring < answered and answered - ring > 30


def test_scoring_the_recorded_actions_gives_the_same_report(combined, procedure):
    for agent in EXPECTED:
        played = play_agent(combined, procedure, 4, agent)
        again = score_actions(combined, procedure, 4, played.actions)
        assert again.report == played.report

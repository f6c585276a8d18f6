"""复合事件: a complaint at the window, a hazard call on the duty phone, a paper jam a moment into
the call. Safety first, then the equipment, then service: the repair is dispatched before the jam
is cleared or the complaint written up; the expert completes both customers' business, and each
scripted trainee loses exactly what its flaw deserves."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from authoring.probes import PATTERNS, gaming_runs
from reports.safety import advice_delay, safety_rule
from scoring.judges import judge as judge_rule
from scoring.procedure import Procedure
from scoring.session import Session, play_agent, score_actions
from scoring.trace_index import IndexedTrace
from sim.agents import Trainee
from sim.engine import Engine
from sim.library import find_scenario
from sim.scenario import Before, FirstAfter, LoadedScenario, Pattern, load_scenario
from sim.trace import TimedAction
from tests.scenarios.kit import broken

# rule -> (citation, verdict) for every rule the flaw breaks; everything else must be met (or,
# for a situation the flaw never brings about, not apply)
EXPECTED: dict[str, dict[str, tuple[str, str]]] = {
    "expert": {},
    # no read-back of the work order, no fault log, no complaint record, no service log: safe and
    # in the right order, but with nothing on record it does not pass (85)
    "careless": {
        "location_read_back": ("3.2.a", "violated"),
        "fault_logged": ("4.3.e", "missed"),
        "complaint_recorded": ("3.3.b", "missed"),
        "every_case_recorded": ("3.1.e", "missed"),
    },
    # soothes the caller instead of warning them and tells them to wave people past, clears the
    # jam without looking or stopping, and tells both customers what they want to hear, down to
    # "you'll be paid, leave it to me"
    # (the caller objects to "it happens all the time" and then gets the advice, within a minute
    # of the ring)
    "panicky": {
        "safety_first": ("3.3.c", "violated"),
        "guard_answered": ("3.3.c", "violated"),
        "arrival_told": ("3.2.c", "violated"),
        "stop_on_fault": ("5.3.b", "missed"),
        "cause_before_fix": ("5.3.b", "violated"),
        "test_after_fix": ("5.1.c", "missed"),
        "compensation_answered": ("3.2.c", "violated"),
        "no_overstepping": ("3.3.d", "violated"),
        "interruption_explained": ("3.2.c", "violated"),
        "wait_answered": ("3.2.c", "violated"),
        "never_mislead": ("3.2.c", "violated"),
    },
    # snaps at the complainant at every turn, answers back when they threaten to complain (a
    # quarrel), and makes them angrier; with the caller it is curt but safe
    # (the customer threatens to complain, and told "it isn't up to me", asks for a superior)
    "brusque": {
        "calm_at_outburst": ("3.3.b", "violated"),
        "no_quarrel": ("3.3.b", "violated"),
        "no_complaint_provoked": ("3.3.b", "violated"),
        "no_superior_demanded": ("3.2.c", "violated"),
        "compensation_answered": ("3.2.c", "violated"),
        "interruption_explained": ("3.2.c", "violated"),
        "wait_answered": ("3.2.c", "violated"),
        "stay_patient": ("3.2.c", "violated"),
        "dispute_not_inflamed": ("3.3.b", "violated"),
    },
    # tells the supervisor about neither the hazard (the hall's plan) nor the complaint, and
    # promises the crew in ten minutes and the complainant "one minute"
    "solo": {
        "hazard_reported_up": ("local:hazard_plan", "missed"),
        "arrival_told": ("3.2.c", "violated"),
        "complaint_reported": ("3.3.b", "missed"),
        "wait_answered": ("3.2.c", "violated"),
        "never_mislead": ("3.2.c", "violated"),
    },
    # writes the complaint up while the shouting customer's outburst goes unanswered and the
    # phone rings on; by the time it answers the printer has jammed, so it stops, gives the
    # advice (with a fault showing it fills in nothing), and then fixes the printer before
    # dispatching the repair
    # (and rings the repair dispatch only after the printer and the complaint: too late)
    "paperwork_first": {
        "phone_answered": ("local:duty_phone", "violated"),
        "dispatch_rung": ("3.3.c", "missed"),
        "dispatch_before_jam": ("3.3.c", "violated"),
        "calm_at_outburst": ("3.3.b", "missed"),
        # "how much longer?" is answered, late only by the time the caller's hazard took: the
        # complainant waits while a hazard is dealt with (semantics 3), even dealt with badly
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
    "panicky": ("3.3.c", "3.3.d"),
    "brusque": ("3.3.b",),
    "paperwork_first": ("3.3.c",),
}

SEEDS = [0, 1, 2, 5, 11]  # between them, every variant


@pytest.fixture(scope="module")
def combined(procedure: Procedure) -> LoadedScenario:
    return find_scenario("combined_incident", procedure.ids)


def _finding(session: Session, rule: str):
    return next(f for f in session.report.findings if f.rule == rule)


def _names(session: Session) -> list[str]:
    return [e.name for e in session.engine.trace]


def _when(loaded: LoadedScenario, seed: int, event: str) -> float:
    """When the world's ``event`` first comes, whatever the clerk does."""
    engine = Engine(loaded, seed)
    engine.advance(120)
    return next(e.t for e in engine.trace if e.name == event)


def _ring(loaded: LoadedScenario, seed: int) -> float:
    return _when(loaded, seed, "phone_rings")


def _demand(loaded: LoadedScenario, seed: int) -> float:
    """When the complainant asks "will you pay?" (12-16 s after the outburst)."""
    engine = Engine(loaded, seed)
    engine.advance(60)
    return next(e.t for e in engine.trace if e.arg("node") == "demand")


def _timed(steps: list[tuple[float, str, dict[str, str]]]) -> list[TimedAction]:
    return [TimedAction(float(at), action, args) for at, action, args in steps]


def _say(reply: str) -> dict[str, str]:
    return {"reply": reply}


def _call(a: float, report: str = "report_safety", demand: str = "demand_truth") -> list:
    """The complainant's outburst answered at once, the system checked, the phone picked up at
    ``a``; the caller's three questions answered (``report``, then the arrival time and how to
    keep people off), the complainant's "will you pay?" answered with ``demand``, and the work
    stopped (the jam comes 10-16 s after the ring)."""
    return [
        (0, "say", _say("outburst_calm")),
        (5, "check_system_status", {}),
        (a, "answer_phone", {}),
        (a + 3, "say", _say(report)),
        (a + 11, "say", _say("when_commit")),
        (a + 19, "say", _say("guard_how")),
        (a + 27, "say", _say(demand)),
        (a + 35, "stop_operation", {}),
    ]


def _printer(t: float) -> list:
    return [
        (t, "inspect_printer", {}),
        (t + 15, "clear_paper_jam", {}),
        (t + 45, "test_print", {}),
        (t + 55, "log_fault", {}),
    ]


def _complaint(t: float) -> list:
    return [
        (t, "serve", {"customer": "complainant"}),
        (t + 3, "select_module", {"module": "complaint"}),
        (t + 8, "record_complaint", {}),
        (t + 48, "report_supervisor", {}),
        (t + 68, "inform_customer", {}),
        (t + 83, "record_result", {}),
        (t + 98, "finish", {}),
    ]


def _work_order(a: float) -> list:
    """From a call answered at ``a``: the work order out, the complainant's objection and their
    "how much longer?" answered on the way, the caller told and the case logged."""
    return [
        (a + 37, "select_module", {"module": "fault_repair"}),
        (a + 42, "report_supervisor", {}),
        (a + 62, "start_contingency", {}),
        (a + 72, "say", _say("jump_explain")),  # the complainant's objection (a+29..39)
        (a + 80, "enter_customer_data", {}),
        (a + 120, "say", _say("wait_honest")),  # "how much longer?" (a+79..99)
        (a + 128, "verify_data", {}),
        (a + 148, "submit_application", {}),
        (a + 153, "inform_customer", {}),  # the caller is still on the line
        (a + 168, "call_dispatch", {}),
        (a + 208, "record_result", {}),
    ]


def by_the_book(a: float, **call: str) -> list[TimedAction]:
    """The work order out before the jam is touched, then the printer, then the complaint."""
    return _timed([*_call(a, **call), *_work_order(a), *_printer(a + 223), *_complaint(a + 298)])


def complaint_before_the_work_order(a: float) -> list[TimedAction]:
    """Back to the angry customer's paperwork while the hazard's work order is still pending."""
    return _timed(
        [
            *_call(a),
            (a + 37, "select_module", {"module": "fault_repair"}),
            (a + 42, "report_supervisor", {}),
            (a + 62, "start_contingency", {}),
            (a + 72, "say", _say("jump_explain")),
            (a + 80, "serve", {"customer": "complainant"}),
            (a + 83, "select_module", {"module": "complaint"}),
            (a + 88, "record_complaint", {}),
            (a + 128, "say", _say("wait_honest")),
            (a + 136, "serve", {"customer": "caller"}),
            (a + 139, "enter_customer_data", {}),
            (a + 179, "verify_data", {}),
            (a + 199, "submit_application", {}),
            (a + 204, "inform_customer", {}),
            (a + 219, "call_dispatch", {}),
            (a + 259, "record_result", {}),
            *_printer(a + 274),
            (a + 349, "serve", {"customer": "complainant"}),
            (a + 352, "report_supervisor", {}),
            (a + 372, "inform_customer", {}),
            (a + 387, "record_result", {}),
            (a + 402, "finish", {}),
        ]
    )


# -- the expert and each flaw ---------------------------------------------------------------


@settings(max_examples=25, deadline=None)
@given(seed=st.integers(min_value=0, max_value=2**32 - 1))
def test_the_expert_scores_full_marks_on_any_seed(combined, procedure, seed):
    report = play_agent(combined, procedure, seed, "expert").report
    assert report.score == 100 and report.passed


def _expected(session: Session, agent: str) -> dict[str, tuple[str, str]]:
    expected = dict(EXPECTED[agent])
    if agent == "paperwork_first":
        # still writing the complaint when the printer jams: it stops when it has finished,
        # which is late (5.3.b) when the jam came more than 30 s before, not counting the time
        # the caller's hazard took (the printer waits for a hazard: semantics 3)
        trace = session.engine.trace
        jam = next(e.t for e in trace if e.name == "printer_fault")
        stop = next(e.t for e in trace if e.name == "stop_operation")
        rang = next(e.t for e in trace if e.name == "phone_rings")
        gone = next(
            (e.t for e in trace if e.name == "customer_leaves" and e.arg("customer") == "caller"),
            trace[-1].t,
        )
        on_hazard = max(0.0, min(stop, gone) - max(jam, rang))
        if stop - jam - on_hazard > 30:
            expected["stop_on_fault"] = ("5.3.b", "violated")
    if agent == "panicky" and _unanswered(session, "demand"):
        # the soothed caller objects, and the longer call lets the complainant's objection to
        # the phone come before the question about money was answered: it is never answered
        # (the worse for the clerk; nothing is promised either)
        expected["compensation_answered"] = ("3.2.c", "missed")
        del expected["no_overstepping"]
    return expected


def _unanswered(session: Session, node: str) -> bool:
    """Did the complainant's ``node`` go by with no reply to it?"""
    trace = session.engine.trace
    asked = [i for i, e in enumerate(trace) if e.name == "customer_says" and e.arg("node") == node]
    if not asked:
        return False
    after = trace[asked[0] + 1 :]
    nxt = next(
        (e for e in after if e.name == "customer_says" and e.arg("customer") == "complainant"),
        None,
    )
    cut = after.index(nxt) if nxt is not None else len(after)
    offered = {
        r.id for r in session.engine.loaded.scenario.customer("complainant").dialogue[node].replies
    }
    return not any(e.name == "say" and e.arg("reply") in offered for e in after[:cut])


@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("agent", sorted(EXPECTED))
def test_each_trainee_loses_exactly_its_flaw(combined, procedure, agent, seed):
    session = play_agent(combined, procedure, seed, agent)
    assert broken(session) == _expected(session, agent)
    assert session.report.passed is PASSED[agent]
    critical = CRITICAL.get(agent, ())
    if "no_overstepping" not in _expected(session, agent):
        critical = tuple(c for c in critical if c != "3.3.d")
    assert session.report.critical_failures == critical


def test_the_seeds_cover_every_variant_and_the_timing_varies(combined):
    assert {Engine(combined, s).variant.id for s in SEEDS} == {
        v.id for v in combined.scenario.variants
    }
    rings, jams = set(), set()
    for seed in range(12):
        ring, jam = _ring(combined, seed), _when(combined, seed, "printer_fault")
        rings.add(ring)
        jams.add(round(jam - ring, 1))
        assert 10 <= jam - ring <= 16
    assert len(rings) > 5 and len(jams) > 5 and all(11 <= r <= 19 for r in rings)


@pytest.mark.parametrize("seed", SEEDS)
def test_the_expert_completes_both_customers_business(combined, procedure, seed):
    session = play_agent(combined, procedure, seed, "expert")
    caller = session.engine.desk.customers["caller"].case
    complainant = session.engine.desk.customers["complainant"].case
    assert caller.module == "fault_repair" and caller.verified and caller.submitted
    assert caller.informed  # on record as its work order (see the scenario's header)
    assert complainant.module == "complaint" and complainant.complaint_recorded
    assert complainant.informed and complainant.recorded
    names = _names(session)
    # safety advice is the first reply after the report; the work order goes out before the jam
    # is cleared and before the complaint is written up
    hazard = names.index("hazard_reported")
    first = next(e for e in session.engine.trace[hazard:] if e.name == "say")
    assert "safety" in first.tags
    assert names.index("submit_application") < names.index("clear_paper_jam")
    assert names.index("submit_application") < names.index("record_complaint")
    assert names.index("log_fault") < names.index("finish")
    assert [e.arg("reason") for e in session.engine.trace if e.name == "customer_leaves"] == [
        "served"
    ]


@pytest.mark.parametrize("seed", [1, 5])
def test_the_work_order_before_the_jam_by_hand_scores_full_marks(combined, procedure, seed):
    session = score_actions(combined, procedure, seed, by_the_book(_ring(combined, seed) + 1))
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
    assert broken(session) == {"dispatch_before_complaint": ("3.3.c", "violated")}
    assert session.report.critical_failures == ("3.3.c",)


def test_the_caller_rings_off_after_the_work_order_and_the_complainant_is_then_served(
    combined, procedure
):
    trace = play_agent(combined, procedure, 3, "expert").engine.trace
    submitted = next(e.t for e in trace if e.name == "submit_application")
    left = next(e for e in trace if e.name == "customer_leaves")
    assert left.arg("customer") == "caller" and 40 <= left.t - submitted <= 60
    called = next(e for e in trace if e.name == "customer_called")
    assert called.arg("customer") == "complainant"


def test_the_panicky_trainees_soothing_and_promise_are_quoted(combined, procedure):
    played = play_agent(combined, procedure, 0, "panicky")
    said = played.words().evidence
    evidence = {f.rule: said(f) for f in played.report.findings}
    assert "这种事常有" in evidence["safety_first"] and "误导" in evidence["safety_first"]
    assert "这个钱肯定给您赔" in evidence["no_overstepping"]


def test_the_paperwork_first_trainee_let_the_phone_ring_while_writing(combined, procedure):
    trace = play_agent(combined, procedure, 0, "paperwork_first").engine.trace
    ring = next(e.t for e in trace if e.name == "phone_rings")
    writing = next(e.t for e in trace if e.name == "record_complaint")
    answered = next(e.t for e in trace if e.name == "answer_phone")
    assert writing < ring < answered and answered - ring > 30


@pytest.mark.parametrize(
    ("badly", "never"),
    [
        # the work order: raised without the read-back, or never raised
        (("verify_data",), ("verify_data", "submit_application")),
        # the jam: cleared without looking and without a test page, or never cleared
        (("inspect_printer", "test_print"), ("inspect_printer", "clear_paper_jam", "test_print")),
    ],
    ids=["work_order", "jam"],
)
def test_leaving_a_step_out_never_beats_doing_it_badly(combined, procedure, badly, never):
    seed = 5
    book = by_the_book(_ring(combined, seed) + 1)
    done_badly = [a for a in book if a.action not in badly]
    not_done = [a for a in book if a.action not in never]
    scores = [
        score_actions(combined, procedure, seed, a).report.score for a in (done_badly, not_done)
    ]
    assert scores[0] > scores[1]


def test_scoring_the_recorded_actions_gives_the_same_report(combined, procedure):
    for agent in EXPECTED:
        played = play_agent(combined, procedure, 4, agent)
        again = score_actions(combined, procedure, 4, played.actions)
        assert again.report == played.report


# -- the findings of the 班长 and the examiner, as found and as fixed ---------------------------


def test_reporting_up_before_the_advice_is_neutral(combined, procedure):
    # found: any action after the report, telling the supervisor included, counted as acting
    # instead of the advice
    seed = 7  # the complainant asks "will you pay?" well before the phone rings
    asked = _demand(combined, seed) + 0.5
    a = _ring(combined, seed) + 1
    assert asked < a
    steps = [
        (0, "say", _say("outburst_calm")),
        (5, "check_system_status", {}),
        (asked, "say", _say("demand_truth")),
        (a, "answer_phone", {}),
        (a + 3, "report_supervisor", {}),  # told first, 20 s
        (a + 23, "stop_operation", {}),  # the jam came at a+9..15
        (a + 25, "say", _say("report_safety")),
        (a + 33, "say", _say("when_commit")),
        (a + 41, "say", _say("guard_how")),
        (a + 49, "say", _say("jump_explain")),
        (a + 57, "select_module", {"module": "fault_repair"}),
        (a + 62, "start_contingency", {}),
        (a + 72, "enter_customer_data", {}),
        (a + 112, "say", _say("wait_honest")),
        (a + 120, "verify_data", {}),
        (a + 140, "submit_application", {}),
        (a + 145, "inform_customer", {}),
        (a + 160, "call_dispatch", {}),
        (a + 200, "record_result", {}),
        *_printer(a + 215),
        *_complaint(a + 290),
    ]
    session = score_actions(combined, procedure, seed, _timed(steps))
    assert not session.report.invalid_attempts
    rule = next(r for r in combined.scenario.rules if r.id == "safety_first")
    assert isinstance(rule, FirstAfter)
    trace = IndexedTrace(session.engine.trace)
    as_found = rule.model_copy(update={"instead": None})
    assert judge_rule(as_found, trace, combined.scenario)[0] == "violated"
    # fixed: reporting up and stopping work are neutral; the advice came 25 s after the report
    assert judge_rule(rule, trace, combined.scenario)[0] == "met"
    assert session.report.score == 100 and session.report.passed


def test_the_duty_phone_and_the_hazard_plan_are_the_halls_rules_not_critical(combined):
    # found: answering within 30 s and telling the supervisor were critical under 3.3.c (whose
    # text is only "应优先确保客户用电安全"; nobody knows the call is a hazard before answering),
    # and starting the plan cited 5.3.d (about equipment)
    s = combined.scenario
    cites = {r.id: (r.local, r.clause, r.critical) for r in s.rules}
    assert cites["phone_answered"] == ("duty_phone", None, False)
    assert cites["hazard_reported_up"] == ("hazard_plan", None, False)
    assert cites["contingency_started"] == ("hazard_plan", None, False)
    briefing = s.scenario.briefing.zh.replace(" ", "")
    for instruction in s.instructions.values():
        assert instruction.zh in briefing


def test_the_expert_dispatches_the_repair_before_the_jam_and_no_rule_is_loosened(
    combined, procedure
):
    # found: the expert cleared the jam before dispatching the emergency work order (about 73 s)
    # and still scored 100, because the rule had been loosened to "the advice before the jam"
    class AsFound(Trainee):
        """The expert before ``on_emergency``: the jam before the customer's business."""

        def steps(self):
            return tuple(s for s in super().steps() if s.__name__ != "on_emergency")

    seed = 1
    found = play_agent(combined, procedure, seed, AsFound(seed))
    names = _names(found)
    assert names.index("clear_paper_jam") < names.index("submit_application")
    trace = found.engine.trace
    delay = next(e.t for e in trace if e.name == "submit_application") - next(
        e.t for e in trace if e.name == "clear_paper_jam"
    )
    assert delay > 60
    loosened = Before(
        id="printer_waits_for_safety",
        template="before",
        first=Pattern(name="say", tags=("safety",)),
        then=Pattern(name="clear_paper_jam"),
        clause="3.3.c",
        weight=5,
        critical=True,
    )
    assert judge_rule(loosened, IndexedTrace(trace), combined.scenario)[0] == "met"
    # fixed: the repair before anything that can wait is the rule, critical, and the expert does it
    assert broken(found) == {"dispatch_before_jam": ("3.3.c", "violated")}
    assert found.report.critical_failures == ("3.3.c",)
    expert = play_agent(combined, procedure, seed, "expert")
    assert expert.report.score == 100
    assert not any(r.id == "printer_waits_for_safety" for r in combined.scenario.rules)
    assert "policy change" not in combined.source.decode()


def test_a_caller_left_ringing_is_timed_from_the_ring(combined, procedure):
    # found: the clock started when the phone was answered, so a caller left ringing for three
    # minutes showed "safety advice 3 s after the report"
    seed = 5
    ring, jam = _ring(combined, seed), _when(combined, seed, "printer_fault")
    a = ring + 180
    steps = by_the_book(a)
    # while the phone rings: the outburst, the demand, the check, and the printer seen to
    early = [
        (0, "say", _say("outburst_calm")),
        (ring + 2, "say", _say("demand_truth")),
        (ring + 10, "check_system_status", {}),
        (jam + 1, "stop_operation", {}),
        *_printer(jam + 3),
    ]
    late = [s for s in steps if s.t >= a and s.args.get("reply") != "demand_truth"]
    late = [s for s in late if s.action not in ("stop_operation",) and s.t < a + 183]
    actions = _timed(early) + late + _timed(_complaint(a + 183))
    session = score_actions(combined, procedure, seed, actions)
    assert not session.report.invalid_attempts
    hazard = next(e.t for e in session.engine.trace if e.name == "hazard_reported")
    advice = next(e.t for e in session.engine.trace if "safety" in e.tags)
    assert advice - hazard == 3  # as found: "3 s after the report"
    # fixed: the scenario and the reports count from the ring
    in_time = _finding(session, "safety_in_time")
    assert in_time.verdict == "violated" and in_time.evidence.elapsed == pytest.approx(183)
    rule = safety_rule(combined)
    assert rule is not None
    assert advice_delay(session.engine.trace, rule) == (ring, pytest.approx(183))
    assert broken(session) == {
        "phone_answered": ("local:duty_phone", "violated"),
        "safety_in_time": ("3.3.c", "violated"),
    }
    assert session.report.critical_failures == ()  # nobody knew it was a hazard until answered


def test_the_jam_comes_whether_or_not_the_phone_is_answered(combined, procedure):
    # found: the jam was set off by answering the phone, so a clerk who never answered never
    # met it
    assert not any(
        t.event == "printer_fault" and t.on.name == "answer_phone"
        for t in combined.scenario.triggers
    )
    seed = 2
    session = score_actions(combined, procedure, seed, _timed([(0, "say", _say("outburst_calm"))]))
    names = _names(session)
    assert "answer_phone" not in names and "printer_fault" in names
    lost = broken(session)
    assert lost["phone_answered"] == ("local:duty_phone", "missed")
    assert lost["safety_in_time"] == ("3.3.c", "missed")
    assert lost["stop_on_fault"] == ("5.3.b", "missed")


@pytest.mark.parametrize(
    ("demand", "broke", "critical"),
    [
        ("demand_overstep", {"no_overstepping": ("3.3.d", "violated")}, ("3.3.d",)),
        # "not a penny": the customer threatens to complain
        (
            "demand_deny",
            {
                "never_mislead": ("3.2.c", "violated"),
                "no_complaint_provoked": ("3.3.b", "violated"),
            },
            (),
        ),
    ],
)
def test_compensation_promised_on_ones_own_say_is_critical_a_flat_no_is_misleading(
    combined, procedure, demand, broke, critical
):
    seed = 5
    session = score_actions(
        combined, procedure, seed, by_the_book(_ring(combined, seed) + 1, demand=demand)
    )
    assert broken(session) == {"compensation_answered": ("3.2.c", "violated"), **broke}
    assert session.report.critical_failures == critical
    offered = combined.scenario.customer("complainant").dialogue["demand"].replies
    assert [r.id for r in offered if "oversteps" in r.tags] == ["demand_overstep"]


@pytest.mark.parametrize(("flare", "critical"), [("flare_argue", ("3.3.b",)), ("flare_sorry", ())])
def test_answering_back_once_the_customer_threatens_to_complain_is_a_quarrel(
    combined, procedure, flare, critical
):
    seed = 1
    steps = by_the_book(_ring(combined, seed) + 1)
    steps[0] = TimedAction(0, "say", _say("outburst_curt"))
    steps.insert(1, TimedAction(3, "say", _say(flare)))
    session = score_actions(combined, procedure, seed, steps)
    lost = broken(session)
    assert lost["calm_at_outburst"] == ("3.3.b", "violated")
    assert lost["stay_patient"] == ("3.2.c", "violated")
    assert ("no_quarrel" in lost) is bool(critical)
    assert session.report.critical_failures == critical


def test_guessing_fails_and_doing_less_earns_nothing(combined, procedure):
    # found: pressing the first reply scored 100 on every scenario, and the longest reply was
    # always the right one; now each pattern passes at most 2 runs in 20 and never scores 100,
    # and the clerk who avoids whatever could go wrong never passes
    runs = gaming_runs(combined, procedure, 20)
    for pattern in PATTERNS:
        assert sum(r.passed for r in runs[pattern]) <= 2, pattern
        assert all(r.score < 100 for r in runs[pattern]), pattern
    avoided = [r for r in runs["avoider"] if r.avoided]
    assert avoided and not any(r.passed for r in avoided)


def test_the_instead_lists_name_the_questions_own_replies(combined):
    # each question's rule counts as acting instead only another answer to that question
    s = combined.scenario
    for rule in s.rules:
        if not isinstance(rule, FirstAfter) or rule.trigger.name != "customer_says":
            continue
        args = rule.trigger.args or {}
        node = s.customer(args["customer"]).dialogue[args["node"]]
        named = {m.args["reply"] for m in rule.instead or () if m.args}
        assert named and named <= {r.id for r in node.replies}, rule.id
        right = {r.id for r in node.replies} - named
        assert all(set(rule.what.tags or ()) & set(r.tags) for r in node.replies if r.id in right)


# -- issue 15: the findings of the 班长, as found and fixed --------------------------------------

AS_FOUND_15 = Path(__file__).with_name("as_found") / "issue15" / "combined_incident.yaml"


@pytest.fixture(scope="module")
def found15(procedure: Procedure) -> LoadedScenario:
    return load_scenario(AS_FOUND_15, procedure.ids)


def test_finding_the_repair_dispatch_was_never_rung(combined, found15, procedure):
    seed = 5
    no_call = [a for a in by_the_book(_ring(combined, seed) + 1) if a.action != "call_dispatch"]
    assert score_actions(found15, procedure, seed, no_call).report.score == 100
    session = score_actions(combined, procedure, seed, no_call)
    assert broken(session) == {"dispatch_rung": ("3.3.c", "missed")}


def test_finding_the_stairwell_advice_could_not_be_followed(combined, found15):
    def said(loaded: LoadedScenario) -> str:
        v = next(v for v in loaded.scenario.variants if v.id == "koi_pond")
        return v.vars["guard_how"].zh  # type: ignore[union-attr]

    assert "谁也别从表箱跟前过" in said(found15)
    assert "快步走过去" in said(combined) and "别在表箱跟前停" in said(combined)


@pytest.mark.parametrize(
    ("first", "node", "then", "rule"),
    [
        ("report_soothe", "objection", "objection_same", "objection_answered"),
        ("when_vague", "ask_again", "again_vague", "asked_again_answered"),
    ],
)
def test_the_caller_answers_back(combined, found15, procedure, first, node, then, rule):
    """As found: "it happens all the time" and "can't say" were simply accepted."""
    seed = 5
    a = _ring(combined, seed) + 1
    steps = [s for s in by_the_book(a) if s.args.get("reply") not in ("when_commit",)]
    extra = [TimedAction(a + 3, "say", _say(first)), TimedAction(a + 7, "say", _say(then))]
    if first == "when_vague":
        extra = [TimedAction(a + 11, "say", _say(first)), TimedAction(a + 15, "say", _say(then))]
        steps = [*steps, TimedAction(a + 19.5, "say", _say("guard_how"))]
    else:
        steps = [s for s in steps if s.args.get("reply") != "report_safety"]
        steps = [*steps, TimedAction(a + 11, "say", _say("when_commit"))]
    steps = sorted([*steps, *extra], key=lambda s: s.t)
    session = score_actions(combined, procedure, seed, steps)
    nodes = [e.arg("node") for e in session.engine.trace if e.name == "customer_says"]
    assert node in nodes
    assert broken(session)[rule][1] == "violated"
    before = [e.arg("node") for e in score_actions(found15, procedure, seed, steps).engine.trace]
    assert node not in before

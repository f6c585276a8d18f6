"""客户在柜台前晕倒: a customer taken ill at the counter collapses. The customer's safety comes
first (3.3.c, critical): the first answer to "I feel unwell" sees to them, 120 within a minute,
nobody sits them up or gives them anything by mouth; the hall's first-aid plan (space, the
supervisor, staying with them, the AED by the trained first-aider, the next customer handed over
and nobody else served until the crew has them, no evacuating, no 119/110, business resumed) is a
local instruction and costs points only; each scripted trainee loses exactly what its flaw
deserves, and doing everything just in case is not free."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from authoring.probes import PATTERNS, gaming_runs
from scoring.procedure import Procedure
from scoring.session import Session, play_agent, score_actions
from sim.agents import Decision, Trainee
from sim.engine import Engine
from sim.library import find_scenario
from sim.observation import Observation
from sim.oracle import AnswerKey
from sim.scenario import LoadedScenario
from sim.trace import TimedAction
from tests.scenarios.kit import broken

PLAN = "local:first_aid_plan"

# rule -> (citation, verdict) for every rule the flaw breaks; everything else must be met
EXPECTED: dict[str, dict[str, tuple[str, str]]] = {
    "expert": {},
    # keeps no service log: the next customer's enquiry, once business resumes, goes unrecorded
    "careless": {"result_recorded": ("3.1.e", "missed")},
    # says what pleases: "the heat, have some water", "let's sit him up", "I'll have a go with
    # the AED", "go on, ask": the customer's safety gambled twice, and the plan's steps ignored
    "panicky": {
        "greet_answered": ("3.2.c", "violated"),
        "unwell_first": ("3.3.c", "violated"),
        "no_moving": ("3.3.c", "violated"),
        "aed_by_the_trained": (PLAN, "violated"),
        "others_handed_over": (PLAN, "violated"),
        "never_mislead": ("3.2.c", "violated"),
    },
    # "go and sit over there, not at my window" to a customer about to collapse; "can't you see
    # someone's down?" and, asked for a manager, "the manager will tell you to wait too"
    "brusque": {
        "greet_answered": ("3.2.c", "violated"),
        "unwell_first": ("3.3.c", "violated"),
        "stay_patient": ("3.2.c", "violated"),
        "no_quarrel": ("3.3.b", "violated"),
    },
    # promises a refund before looking, and never tells the supervisor: no first-aider, no AED
    "solo": {
        "greet_answered": ("3.2.c", "violated"),
        "supervisor_told": (PLAN, "missed"),
    },
    # finishes the enquiry and calls the next number over the customer on the floor; no 120
    "paperwork_first": {
        "greet_answered": ("3.2.c", "missed"),
        "ambulance_called": ("3.3.c", "missed"),
        "space_kept": (PLAN, "missed"),
        "supervisor_told": (PLAN, "missed"),
        "stayed_with_them": (PLAN, "missed"),
        "nobody_else_served": (PLAN, "violated"),
    },
}
PASSED = {
    "expert": True,
    "careless": True,
    "panicky": False,
    "brusque": False,
    "solo": False,
    "paperwork_first": False,
}
CRITICAL = {
    "panicky": ("3.3.c",),
    "brusque": ("3.3.c", "3.3.b"),
    "paperwork_first": ("3.3.c",),
}

SEEDS = [0, 1, 5]  # between them, every variant


@pytest.fixture(scope="module")
def collapse(procedure: Procedure) -> LoadedScenario:
    return find_scenario("hall_collapse", procedure.ids)


def _finding(session: Session, rule: str):  # type: ignore[no-untyped-def]
    return next(f for f in session.report.findings if f.rule == rule)


def _seed_for(loaded: LoadedScenario, variant: str) -> int:
    return next(s for s in range(500) if Engine(loaded, s).variant.id == variant)


def _when(
    loaded: LoadedScenario, seed: int, steps: list[tuple[float, str, dict[str, str]]], name: str
) -> float:
    """When event ``name`` first happens for a clerk who has done ``steps`` (and waits)."""
    engine = Engine(loaded, seed)
    for t, action, args in steps:
        engine.apply(t, action, args)
    engine.advance(engine.now + 400)
    return next(e.t for e in engine.trace if e.name == name and e.kind == "event")


def _clerk(
    loaded: LoadedScenario,
    seed: int,
    *,
    unwell: str = "unwell_sit",
    relative: tuple[str, str] = ("rel_no", "aed_trained"),
    nxt: tuple[str, ...] = ("nq_handover",),
    plan: tuple[tuple[str, float], ...] = (
        ("clear_space", 15),
        ("report_supervisor", 20),
        ("stay_with_customer", 30),
    ),
    ambulance_after: float = 3,
    resume: bool = True,
) -> list[TimedAction]:
    """Greets, opens the enquiry and looks the account up; answers "I feel unwell" with
    ``unwell``; at the collapse rings 120 (``ambulance_after`` s after it), answers the relative
    with ``relative``, works ``plan``, answers the next customer with ``nxt``; once the crew has
    taken the customer, serves the next one (``resume``)."""
    engine = Engine(loaded, seed)
    engine.advance(30)
    arrival = next(e.t for e in engine.trace if e.name == "customer_arrives")
    steps: list[tuple[float, str, dict[str, str]]] = [
        (arrival + 1, "say", {"reply": "greet_ok"}),
        (arrival + 9, "select_module", {"module": "billing"}),
        (arrival + 14, "query_account", {}),
    ]
    said = _when(loaded, seed, steps, "customer_says")  # the greeting
    unwell_at = next(
        e.t
        for e in _trace(loaded, seed, steps)
        if e.name == "customer_says" and e.arg("node") == "unwell"
    )
    assert said <= unwell_at
    steps.append((unwell_at + 3, "say", {"reply": unwell}))
    fell = _when(loaded, seed, steps, "hall_emergency")
    t = fell + ambulance_after
    steps.append((t, "call_ambulance", {}))
    t += 30
    for reply in relative:
        steps.append((t, "say", {"reply": reply}))
        t += 8
    for action, took in plan:
        steps.append((t, action, {}))
        t += took
    t = max(t, fell + 31)  # the next customer has asked by now
    for reply in nxt:
        steps.append((t, "say", {"reply": reply}))
        t += 8
    gone = _when(loaded, seed, steps, "customer_leaves")  # the crew has taken them
    t = max(t, gone) + 1
    if resume:
        steps += [
            (t, "call_next_customer", {}),
            (t + 1, "select_module", {"module": "billing"}),
            (t + 6, "inform_customer", {}),
            (t + 21, "record_result", {}),
        ]
        t += 36
    steps.append((t, "finish", {}))
    return [TimedAction(float(at), action, args) for at, action, args in steps]


def _trace(loaded: LoadedScenario, seed: int, steps: list[tuple[float, str, dict[str, str]]]):  # type: ignore[no-untyped-def]
    engine = Engine(loaded, seed)
    for t, action, args in steps:
        engine.apply(t, action, args)
    engine.advance(engine.now + 60)
    return engine.trace


def _score(loaded: LoadedScenario, procedure: Procedure, variant: str, **kw) -> Session:  # type: ignore[no-untyped-def]
    seed = _seed_for(loaded, variant)
    return score_actions(loaded, procedure, seed, _clerk(loaded, seed, **kw))


# -- the expert and each flaw ---------------------------------------------------------------


@settings(max_examples=25, deadline=None)
@given(seed=st.integers(min_value=0, max_value=2**32 - 1))
def test_the_expert_scores_full_marks_on_any_seed(collapse, procedure, seed):
    report = play_agent(collapse, procedure, seed, "expert").report
    assert report.score == 100 and report.passed


@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("agent", sorted(EXPECTED))
def test_each_trainee_loses_exactly_its_flaw(collapse, procedure, agent, seed):
    session = play_agent(collapse, procedure, seed, agent)
    assert broken(session) == EXPECTED[agent]
    assert session.report.passed is PASSED[agent]
    assert session.report.critical_failures == CRITICAL.get(agent, ())


def test_the_seeds_cover_every_variant(collapse):
    assert {Engine(collapse, s).variant.id for s in SEEDS} == {
        v.id for v in collapse.scenario.variants
    }


def test_the_expert_calls_120_stays_and_serves_nobody_else_until_the_crew_has_them(
    collapse, procedure
):
    for seed in SEEDS:
        trace = play_agent(collapse, procedure, seed, "expert").engine.trace
        alarm = next(i for i, e in enumerate(trace) if e.name == "hall_emergency")
        done = [e for e in trace[alarm:] if e.kind == "action" and e.valid]
        assert done[0].name == "call_ambulance"
        said = [e.arg("reply") for e in done if e.name == "say"]
        assert said == ["rel_no", "aed_trained", "nq_handover"]
        gone = next(e.t for e in trace if e.name == "customer_leaves")
        called = next(e.t for e in done if e.name == "call_next_customer")
        assert called >= gone
        names = [e.name for e in done]
        assert not {"evacuate_hall", "call_fire_service", "call_police"} & set(names)


# -- by hand: each key decision -------------------------------------------------------------


def test_by_the_book_by_hand_scores_full_marks(collapse, procedure):
    for variant in collapse.scenario.variants:
        session = _score(collapse, procedure, variant.id)
        assert session.report.score == 100 and not session.report.invalid_attempts, variant.id


@pytest.mark.parametrize("answer", ["unwell_wait", "unwell_guess", "unwell_curt"])
def test_the_first_answer_to_feeling_unwell_must_see_to_them(collapse, procedure, answer):
    session = _score(collapse, procedure, "chest_pain", unwell=answer)
    found = broken(session)
    assert found["unwell_first"] == ("3.3.c", "violated")
    assert session.report.critical_failures == ("3.3.c",)
    if answer == "unwell_guess":
        assert "开车累着了" in session.words().evidence(_finding(session, "unwell_first"))


@pytest.mark.parametrize("answer", ["rel_lift", "rel_water"])
def test_sitting_them_up_or_anything_by_mouth_is_critical(collapse, procedure, answer):
    session = _score(collapse, procedure, "faint_woman", relative=(answer, "aed_trained"))
    assert broken(session) == {
        "no_moving": ("3.3.c", "violated"),
        "never_mislead": ("3.2.c", "violated"),
    }
    assert session.report.critical_failures == ("3.3.c",)


def test_a_curt_stand_back_is_safe_but_rude(collapse, procedure):
    session = _score(collapse, procedure, "heat_elder", relative=("rel_curt", "aed_trained"))
    assert broken(session) == {"stay_patient": ("3.2.c", "violated")}
    assert session.report.passed


@pytest.mark.parametrize("answer", ["aed_self", "aed_wait"])
def test_the_aed_is_for_the_trained_first_aider(collapse, procedure, answer):
    session = _score(collapse, procedure, "chest_pain", relative=("rel_no", answer))
    assert broken(session) == {
        "aed_by_the_trained": (PLAN, "violated"),
        "never_mislead": ("3.2.c", "violated"),
    }
    # the hall's plan, not critical; with the misleading answer it does not pass
    assert session.report.critical_failures == () and not session.report.passed


def test_answering_the_next_customer_first_leaves_the_person_on_the_floor(collapse, procedure):
    session = _score(collapse, procedure, "heat_elder", nxt=("nq_serve",))
    assert broken(session) == {
        "others_handed_over": (PLAN, "violated"),
        "never_mislead": ("3.2.c", "violated"),
    }
    said = [e.arg("node") for e in session.engine.trace if e.name == "customer_says"]
    assert "nq_thanks" in said


def test_an_evasive_answer_is_asked_again(collapse, procedure):
    session = _score(collapse, procedure, "faint_woman", nxt=("nq_vague", "nq_handover_again"))
    said = [e.arg("node") for e in session.engine.trace if e.name == "customer_says"]
    assert "one_question_again" in said
    assert broken(session) == {
        "others_handed_over": (PLAN, "violated"),
        "never_mislead": ("3.2.c", "violated"),
    }


def test_snapping_draws_a_demand_for_the_manager_and_answering_it_back_is_a_quarrel(
    collapse, procedure
):
    sorry = _score(collapse, procedure, "chest_pain", nxt=("nq_curt", "nq_sorry"))
    assert "supervisor_demanded" in [e.name for e in sorry.engine.trace]
    assert broken(sorry) == {"stay_patient": ("3.2.c", "violated")}
    assert sorry.report.passed
    back = _score(collapse, procedure, "chest_pain", nxt=("nq_curt", "nq_back"))
    assert broken(back) == {
        "stay_patient": ("3.2.c", "violated"),
        "no_quarrel": ("3.3.b", "violated"),
    }
    assert back.report.critical_failures == ("3.3.b",)


def test_120_after_a_minute_is_critical(collapse, procedure):
    session = _score(collapse, procedure, "heat_elder", ambulance_after=65)
    assert broken(session)["ambulance_called"] == ("3.3.c", "violated")
    assert session.report.critical_failures == ("3.3.c",)


def test_nobody_else_is_served_until_the_crew_has_them_then_business_resumes(collapse, procedure):
    seed = _seed_for(collapse, "faint_woman")
    steps = _clerk(collapse, seed)
    # the next number called while the person is still on the floor
    early = [a for a in steps if a.action != "finish" and a.t < steps[-6].t]
    end = early[-1].t + 8
    early += [
        TimedAction(end, "call_next_customer", {}),
        TimedAction(end + 1, "finish", {}),
    ]
    session = score_actions(collapse, procedure, seed, early)
    found = broken(session)
    assert found["nobody_else_served"] == (PLAN, "violated")
    assert session.report.critical_failures == ()
    # never resuming costs its own points
    idle = _score(collapse, procedure, "faint_woman", resume=False)
    assert broken(idle) == {
        "business_resumed": (PLAN, "missed"),
        "result_recorded": ("3.1.e", "missed"),
    }


def test_the_plans_own_steps_are_local_and_never_critical(collapse, procedure):
    s = collapse.scenario
    local = [r for r in s.rules if r.local is not None]
    assert all(r.local == "first_aid_plan" and not r.critical for r in local)
    assert {r.id for r in s.rules if r.critical} == {
        "unwell_first",
        "ambulance_called",
        "no_moving",
        "no_quarrel",
    }
    plan = s.instructions["first_aid_plan"].zh
    assert plan in s.scenario.briefing.zh.replace(" ", "").replace("\n", "")
    # the supervisor never told: no veto, but no first-aider and no AED either: not a pass
    alone = _score(
        collapse,
        procedure,
        "chest_pain",
        plan=(("clear_space", 15), ("stay_with_customer", 30)),
    )
    assert broken(alone) == {"supervisor_told": (PLAN, "missed")}
    assert alone.report.critical_failures == () and not alone.report.passed
    assert alone.words().citation(PLAN) == "本厅规定"


def test_doing_a_step_badly_never_costs_more_than_leaving_it_out(collapse, procedure):
    late = _score(
        collapse,
        procedure,
        "heat_elder",
        plan=(("report_supervisor", 20), ("stay_with_customer", 60), ("clear_space", 15)),
    )
    never = _score(
        collapse,
        procedure,
        "heat_elder",
        plan=(("report_supervisor", 20), ("stay_with_customer", 60)),
    )
    assert broken(late) == {"space_kept": (PLAN, "violated")}
    assert broken(never) == {"space_kept": (PLAN, "missed")}
    assert late.report.score >= never.report.score


# -- gaming probes: a candidate who wants the certificate without the knowledge -------------


class JustInCase(Trainee):
    """The expert who also does every other emergency step on the desk: 119, 110, locking the
    screen, clearing the hall; at the collapse (``first``), or once the plan is done."""

    name = "just_in_case"

    def __init__(self, seed: int = 0, first: bool = True) -> None:
        super().__init__(seed)
        self.first = first
        self._extra = ["call_fire_service", "call_police", "lock_screen", "evacuate_hall"]

    def decide(self, obs: Observation, key: AnswerKey) -> Decision | None:
        due = self.first or "hall:stay_with_customer" in self._done
        if obs.emergency is not None and self._extra and due:
            return Decision(self._extra.pop(0))
        return super().decide(obs, key)


def test_doing_every_emergency_step_just_in_case_is_not_free(collapse, procedure):
    for seed in SEEDS:
        # at the collapse: 120 comes after two other calls, too late, and the hall is cleared
        first = play_agent(collapse, procedure, seed, JustInCase(seed, first=True))
        found = broken(first)
        assert found["ambulance_called"] == ("3.3.c", "violated")
        for rule in ("no_fire_call", "no_police_call", "hall_not_cleared"):
            assert found[rule] == (PLAN, "violated")
        assert not first.report.passed
        # afterwards: the calls and the clearing still cost, and it does not pass
        after = play_agent(collapse, procedure, seed, JustInCase(seed, first=False))
        found = broken(after)
        for rule in ("no_fire_call", "no_police_call", "hall_not_cleared"):
            assert found[rule] == (PLAN, "violated")
        assert after.report.score < 100 and not after.report.passed


def test_guessing_fails_and_doing_less_earns_nothing(collapse, procedure):
    runs = gaming_runs(collapse, procedure, 20)
    for pattern in PATTERNS:
        assert sum(r.passed for r in runs[pattern]) <= 2, pattern
        assert all(r.score < 100 for r in runs[pattern]), pattern
    avoided = [r for r in runs["avoider"] if r.avoided]
    assert avoided and not any(r.passed for r in avoided)


def test_the_right_reply_is_not_given_away_by_its_length(collapse):
    # sitting them up is the longest answer to the relative, and "hang on, nearly done" the
    # shortest answer to "I feel unwell", in every variant
    patient = collapse.scenario.customer("patient").dialogue
    relative = collapse.scenario.customer("relative").dialogue
    for variant in collapse.scenario.variants:

        def order(replies, v=variant):  # type: ignore[no-untyped-def]
            return [r.id for r in sorted(replies, key=lambda r: len(v.fill(r.zh, "zh")))]

        assert order(relative["lift_up"].replies)[-1] == "rel_lift", variant.id
        assert order(patient["unwell"].replies)[0] == "unwell_wait", variant.id

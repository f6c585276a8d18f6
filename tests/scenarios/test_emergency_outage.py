"""紧急停电: a neighbour reports a live hazard at the counter. Safety advice comes before anything
else (3.3.c, critical), and each scripted trainee loses exactly what its flaw deserves."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from scoring.procedure import Procedure
from scoring.session import Session, play_agent, score_actions
from sim.engine import Engine
from sim.library import find_scenario
from sim.scenario import LoadedScenario, facts
from sim.trace import TimedAction

# rule -> (clause, verdict) for every rule the flaw breaks; everything else must be met
EXPECTED: dict[str, dict[str, tuple[str, str]]] = {
    "expert": {},
    # reads nothing back before submitting the emergency work order, keeps no service log
    "careless": {
        "location_read_back": ("3.2.a", "violated"),
        "result_recorded": ("3.1.e", "missed"),
    },
    # "don't worry, it happens all the time", "ten minutes, guaranteed", "dry bamboo is fine":
    # soothing words instead of safety advice, never any safety advice at all
    "panicky": {
        "safety_first": ("3.3.c", "violated"),
        "safety_in_time": ("3.3.c", "missed"),
        "no_handling_it_yourself": ("3.3.c", "violated"),
        "arrival_told": ("3.2.c", "violated"),
        "never_mislead": ("3.2.c", "violated"),
    },
    # curt with a frightened neighbour, but every word of the safety advice is there
    "brusque": {
        "stay_patient": ("3.2.c", "violated"),
    },
    # keeps the hazard from the supervisor and promises the crew in ten minutes
    "solo": {
        "supervisor_told": ("3.3.c", "missed"),
        "arrival_told": ("3.2.c", "violated"),
        "never_mislead": ("3.2.c", "violated"),
    },
    # logs in, picks the module and fills the work order while the wire is still sparking
    "paperwork_first": {
        "safety_first": ("3.3.c", "violated"),
        "safety_in_time": ("3.3.c", "violated"),
    },
}
PASSED = {
    "expert": True,
    "careless": False,
    "panicky": False,
    "brusque": True,
    "solo": False,
    "paperwork_first": False,
}
CRITICAL = {"panicky": ("3.3.c",), "solo": ("3.3.c",), "paperwork_first": ("3.3.c",)}

SEEDS = [0, 1, 2, 5, 11]  # between them, every variant


@pytest.fixture(scope="module")
def emergency(procedure: Procedure) -> LoadedScenario:
    return find_scenario("emergency_outage", procedure.ids)


def broken(session: Session) -> dict[str, tuple[str, str]]:
    return {f.rule: (f.clause, f.verdict) for f in session.report.findings if f.verdict != "met"}


def _seed_for(loaded: LoadedScenario, variant: str, arriving_after: float = 0.0) -> int:
    return next(
        s
        for s in range(500)
        if Engine(loaded, s).variant.id == variant and _arrival(loaded, s) > arriving_after
    )


def _arrival(loaded: LoadedScenario, seed: int) -> float:
    engine = Engine(loaded, seed)
    engine.advance(60)
    return next(e.t for e in engine.trace if e.name == "customer_arrives")


def _clerk(loaded: LoadedScenario, seed: int, first: list[str], offer: str) -> list[TimedAction]:
    """Logged in by 20 s, before the neighbour arrives; answers the report with the replies
    ``first``, then works by the book, and answers the offer to deal with it with ``offer``."""
    t = _arrival(loaded, seed) + 2
    steps: list[tuple[float, str, dict[str, str]]] = [
        (0, "log_in", {}),
        (15, "check_system_status", {}),
    ]
    for reply in first:
        steps.append((t, "say", {"reply": reply}))
        t += 8
    steps += [
        (t, "say", {"reply": "when_commit"}),
        (t + 8, "select_module", {"module": "fault_repair"}),
        (t + 13, "report_supervisor", {}),
        (t + 33, "start_contingency", {}),
        (t + 43, "enter_customer_data", {}),
        (t + 83, "verify_data", {}),
        (t + 103, "submit_application", {}),
        (t + 108, "inform_customer", {}),
        (t + 140, "say", {"reply": offer}),
        (t + 148, "record_result", {}),
        (t + 163, "finish", {}),
    ]
    return [TimedAction(float(at), action, args) for at, action, args in steps]


@settings(max_examples=25, deadline=None)
@given(seed=st.integers(min_value=0, max_value=2**32 - 1))
def test_the_expert_scores_full_marks_on_any_seed(emergency, procedure, seed):
    report = play_agent(emergency, procedure, seed, "expert").report
    assert report.score == 100 and report.passed


@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("agent", sorted(EXPECTED))
def test_each_trainee_loses_exactly_its_flaw(emergency, procedure, agent, seed):
    session = play_agent(emergency, procedure, seed, agent)
    assert broken(session) == EXPECTED[agent]
    assert session.report.passed is PASSED[agent]
    assert session.report.critical_failures == CRITICAL.get(agent, ())


def test_the_seeds_cover_every_variant_and_the_arrival_varies(emergency):
    assert {Engine(emergency, s).variant.id for s in SEEDS} == {
        v.id for v in emergency.scenario.variants
    }
    arrivals = {_arrival(emergency, s) for s in range(12)}
    assert len(arrivals) > 5 and all(5 <= t <= 40 for t in arrivals)


def test_the_report_raises_a_hazard_of_the_variants_kind(emergency, procedure):
    for variant in emergency.scenario.variants:
        engine = play_agent(emergency, procedure, _seed_for(emergency, variant.id), "expert").engine
        hazards = [e for e in engine.trace if e.name == "hazard_reported"]
        assert [(e.arg("customer"), e.arg("kind")) for e in hazards] == [
            ("reporter", variant.vars["kind"])
        ]


def test_the_safety_advice_gives_the_companys_distances_in_every_variant(emergency):
    node = emergency.scenario.customer("reporter").dialogue["report"]
    advice = next(r for r in node.replies if "safety" in r.tags)
    for variant in emergency.scenario.variants:
        engine = Engine(emergency, _seed_for(emergency, variant.id))
        text = engine.render(advice.zh, "zh")
        assert "{" not in text
        for needle in (
            f"至少离开{facts()['hazard_distance_outdoor']}米",
            f"离开{facts()['hazard_distance_indoor']}米以上",
            "双脚并拢",
            "120",
            "110",
        ):
            assert needle in text, (variant.id, needle)


def test_the_expert_speaks_before_it_touches_the_system(emergency, procedure):
    for seed in SEEDS:
        trace = play_agent(emergency, procedure, seed, "expert").engine.trace
        names = [e.name for e in trace]
        hazard = names.index("hazard_reported")
        after = [e for e in trace[hazard:] if e.kind == "action"]
        assert after[0].name == "say" and "safety" in after[0].tags
        done = [e.name for e in after]
        assert done.index("report_supervisor") < done.index("submit_application")
        assert done.index("verify_data") < done.index("submit_application")


def test_by_the_book_by_hand_scores_full_marks(emergency, procedure):
    seed = _seed_for(emergency, "lane_wire", arriving_after=20)
    actions = _clerk(emergency, seed, ["report_safety"], "offer_no")
    report = score_actions(emergency, procedure, seed, actions).report
    assert report.score == 100 and report.passed and not report.invalid_attempts


def test_registering_first_fails_even_when_the_advice_follows(emergency, procedure):
    # "a repair has to be registered first"; the customer insists, and only then the advice
    seed = _seed_for(emergency, "lane_wire", arriving_after=20)
    actions = _clerk(emergency, seed, ["report_register", "insist_safety"], "offer_no")
    session = score_actions(emergency, procedure, seed, actions)
    said = session.words().evidence
    assert broken(session) == {"safety_first": ("3.3.c", "violated")}
    assert not session.report.passed and session.report.critical_failures == ("3.3.c",)
    finding = next(f for f in session.report.findings if f.rule == "safety_first")
    assert "报修得先登记" in said(finding)


def test_letting_the_customer_deal_with_it_fails_the_session(emergency, procedure):
    seed = _seed_for(emergency, "meter_box_smell", arriving_after=20)
    actions = _clerk(emergency, seed, ["report_safety"], "offer_ok")
    session = score_actions(emergency, procedure, seed, actions)
    said = session.words().evidence
    assert broken(session) == {
        "no_handling_it_yourself": ("3.3.c", "violated"),
        "never_mislead": ("3.2.c", "violated"),
    }
    assert session.report.critical_failures == ("3.3.c",)
    finding = next(f for f in session.report.findings if f.rule == "no_handling_it_yourself")
    assert "总闸一拉就断电了" in said(finding)


def test_the_panicky_trainees_reassurance_is_quoted(emergency, procedure):
    played = play_agent(emergency, procedure, 0, "panicky")
    report = played.report
    said = played.words().evidence
    evidence = {f.rule: said(f) for f in report.findings}
    assert "这种事常有" in evidence["safety_first"] and "误导" in evidence["safety_first"]
    assert "十分钟之内师傅肯定到" in evidence["arrival_told"]


def test_careless_fails_on_points_not_on_a_veto(emergency, procedure):
    report = play_agent(emergency, procedure, 0, "careless").report
    assert report.score < report.pass_mark and not report.critical_failures


def test_scoring_the_recorded_actions_gives_the_same_report(emergency, procedure):
    for agent in EXPECTED:
        played = play_agent(emergency, procedure, 4, agent)
        again = score_actions(emergency, procedure, 4, played.actions)
        assert again.report == played.report

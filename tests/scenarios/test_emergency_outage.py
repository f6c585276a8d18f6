"""紧急停电: a neighbour reports a live hazard at the counter. Safety advice comes before any
business (3.3.c, critical), nothing is promised beyond the clerk's authority (3.3.d, critical),
the hall's own plan is cited as its own, and each scripted trainee loses exactly what its flaw
deserves."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from authoring.probes import PATTERNS, gaming_runs
from scoring.judges import judge as judge_rule
from scoring.procedure import Procedure
from scoring.session import Session, play_agent, score_actions
from scoring.trace_index import IndexedTrace
from sim.engine import Engine
from sim.library import find_scenario
from sim.scenario import FirstAfter, LoadedScenario, facts, load_scenario
from sim.trace import TimedAction
from sim.vocabulary import vocabulary
from tests.scenarios.kit import broken

# rule -> (citation, verdict) for every rule the flaw breaks; everything else must be met
EXPECTED: dict[str, dict[str, tuple[str, str]]] = {
    "expert": {},
    # reads nothing back before submitting the emergency work order, keeps no service log: safe,
    # but a work order that may send the crew to the wrong place does not pass (85)
    "careless": {
        "location_read_back": ("3.2.a", "violated"),
        "result_recorded": ("3.1.e", "missed"),
    },
    # says whatever pleases: "it happens all the time" instead of the advice, "stand by it and
    # wave people past", "ten minutes, guaranteed", "we'll pay, leave it to me", "do as you see
    # fit": every safety answer wrong, and compensation promised on its own say
    # (the customer objects to "it happens all the time", and then the advice comes, in time;
    # held to "ten minutes", it promises again)
    "panicky": {
        "safety_first": ("3.3.c", "violated"),
        "promise_withdrawn": ("3.2.c", "violated"),
        "guard_answered": ("3.3.c", "violated"),
        "no_handling_it_yourself": ("3.3.c", "violated"),
        "arrival_told": ("3.2.c", "violated"),
        "loss_answered": ("3.2.c", "violated"),
        "no_overstepping": ("3.3.d", "violated"),
        "never_mislead": ("3.2.c", "violated"),
    },
    # curt with a frightened neighbour at every turn and brushes off the question about the
    # freezer, but every word of the safety advice is there: passes, with the findings
    "brusque": {
        "loss_answered": ("3.2.c", "violated"),
        "stay_patient": ("3.2.c", "violated"),
    },
    # keeps the hazard from the supervisor (the hall's plan, not critical) and promises the crew
    # in ten minutes
    "solo": {
        "supervisor_told": ("local:hazard_plan", "missed"),
        "promise_withdrawn": ("3.2.c", "violated"),
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
CRITICAL = {"panicky": ("3.3.c", "3.3.d"), "paperwork_first": ("3.3.c",)}

SEEDS = [0, 1, 2, 5, 11]  # between them, every variant


@pytest.fixture(scope="module")
def emergency(procedure: Procedure) -> LoadedScenario:
    return find_scenario("emergency_outage", procedure.ids)


def _finding(session: Session, rule: str):
    return next(f for f in session.report.findings if f.rule == rule)


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


RIGHT = ["report_safety", "guard_how", "when_commit", "loss_truth"]


def _clerk(
    loaded: LoadedScenario,
    seed: int,
    replies: list[str] = RIGHT,
    offer: str = "offer_no",
    *,
    before: tuple[str, ...] = (),
) -> list[TimedAction]:
    """Answers the report with ``replies`` (in order, one line after the other), then works by
    the book, and answers the offer to deal with it with ``offer``. Logged in and checked by
    20 s, before the neighbour arrives, unless ``before`` (what the clerk does, each for as long
    as it takes, between the report and the first reply) holds the logging in."""
    durations = {k: v.duration for k, v in vocabulary().actions.items()}
    t = _arrival(loaded, seed) + 1
    steps: list[tuple[float, str, dict[str, str]]] = []
    if "log_in" not in before:
        steps += [(0, "log_in", {}), (15, "check_system_status", {})]
    for action in before:
        steps.append((t, action, {}))
        t += durations[action]
    for reply in replies:
        steps.append((t, "say", {"reply": reply}))
        t += 8
    if "log_in" in before and "check_system_status" not in before:
        steps.append((t, "check_system_status", {}))
        t += 5
    steps += [
        (t, "select_module", {"module": "fault_repair"}),
        *([] if "report_supervisor" in before else [(t + 5, "report_supervisor", {})]),
        (t + 25, "start_contingency", {}),
        (t + 35, "enter_customer_data", {}),
        (t + 75, "verify_data", {}),
        (t + 95, "submit_application", {}),
        (t + 100, "inform_customer", {}),
        (t + 130, "say", {"reply": offer}),
        (t + 138, "call_dispatch", {}),
        (t + 178, "record_result", {}),
        (t + 193, "finish", {}),
    ]
    return [TimedAction(float(at), action, args) for at, action, args in steps]


# -- the expert and each flaw ---------------------------------------------------------------


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


def test_the_arrival_commitment_is_a_ceiling_and_no_restoration_time_is_promised(emergency):
    # the service commitment is "一般不超过" the arrival time; restoration times after arrival are
    # not in every edition of the commitments, so the clerk does not promise one
    node = emergency.scenario.customer("reporter").dialogue["ask_when"]
    commit = next(r for r in node.replies if r.id == "when_commit")
    assert "一般不超过{facts.repair_arrival_urban}" in commit.zh
    assert "平均" not in commit.zh and "restore_after_arrival" not in commit.zh


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
    report = score_actions(emergency, procedure, seed, _clerk(emergency, seed)).report
    assert report.score == 100 and report.passed and not report.invalid_attempts


def test_registering_first_fails_even_when_the_advice_follows(emergency, procedure):
    # "a repair has to be registered first"; the customer insists, and only then the advice
    seed = _seed_for(emergency, "lane_wire", arriving_after=20)
    replies = ["report_register", "insist_safety", *RIGHT[1:]]
    session = score_actions(emergency, procedure, seed, _clerk(emergency, seed, replies))
    assert broken(session) == {"safety_first": ("3.3.c", "violated")}
    assert not session.report.passed and session.report.critical_failures == ("3.3.c",)
    assert "报修得先登记" in session.words().evidence(_finding(session, "safety_first"))


def test_advice_that_sounds_like_experience_but_gets_the_danger_wrong_fails(emergency, procedure):
    seed = _seed_for(emergency, "lane_wire", arriving_after=20)
    replies = ["report_half_right", *RIGHT[1:]]
    session = score_actions(emergency, procedure, seed, _clerk(emergency, seed, replies))
    # the advice came 8 s later with the answer to "how do I keep people off?", but the first
    # answer was the home-made trick: unsafe advice is acting instead of the safety advice
    assert broken(session) == {
        "safety_first": ("3.3.c", "violated"),
        "never_mislead": ("3.2.c", "violated"),
    }
    assert session.report.critical_failures == ("3.3.c",)
    assert "两三步" in session.words().evidence(_finding(session, "safety_first"))


@pytest.mark.parametrize("answer", ["guard_bad", "guard_giveup"])
def test_an_unsafe_way_to_keep_people_off_fails_the_session(emergency, procedure, answer):
    seed = _seed_for(emergency, "meter_box_smell", arriving_after=20)
    replies = ["report_safety", answer, *RIGHT[2:]]
    session = score_actions(emergency, procedure, seed, _clerk(emergency, seed, replies))
    assert broken(session) == {
        "guard_answered": ("3.3.c", "violated"),
        "never_mislead": ("3.2.c", "violated"),
    }
    assert session.report.critical_failures == ("3.3.c",)


def test_letting_the_customer_deal_with_it_fails_the_session(emergency, procedure):
    seed = _seed_for(emergency, "meter_box_smell", arriving_after=20)
    for offer, words in (("offer_ok", "总闸一拉就断电了"), ("offer_thanks", "您看着办吧")):
        session = score_actions(emergency, procedure, seed, _clerk(emergency, seed, offer=offer))
        assert broken(session) == {
            "no_handling_it_yourself": ("3.3.c", "violated"),
            "never_mislead": ("3.2.c", "violated"),
        }
        assert session.report.critical_failures == ("3.3.c",)
        assert words in session.words().evidence(_finding(session, "never_mislead"))


def test_a_curt_no_is_rude_but_safe(emergency, procedure):
    seed = _seed_for(emergency, "storm_wire", arriving_after=20)
    session = score_actions(emergency, procedure, seed, _clerk(emergency, seed, offer="offer_curt"))
    assert broken(session) == {"stay_patient": ("3.2.c", "violated")}
    assert session.report.passed


def test_the_panicky_trainees_reassurance_is_quoted(emergency, procedure):
    played = play_agent(emergency, procedure, 0, "panicky")
    said = played.words().evidence
    evidence = {f.rule: said(f) for f in played.report.findings}
    assert "这种事常有" in evidence["safety_first"] and "误导" in evidence["safety_first"]
    assert "肯定给您赔" in evidence["no_overstepping"]


def test_careless_fails_on_points_not_on_a_veto(emergency, procedure):
    report = play_agent(emergency, procedure, 0, "careless").report
    assert report.score < report.pass_mark and not report.critical_failures


def test_never_raising_the_work_order_scores_lower_than_raising_it_unchecked(emergency, procedure):
    seed = _seed_for(emergency, "pole_sparking", arriving_after=20)
    by_hand = _clerk(emergency, seed)
    unchecked = [a for a in by_hand if a.action != "verify_data"]
    never = [a for a in by_hand if a.action not in ("verify_data", "submit_application")]
    scores = [score_actions(emergency, procedure, seed, a).report.score for a in (unchecked, never)]
    assert scores[0] > scores[1]


def test_scoring_the_recorded_actions_gives_the_same_report(emergency, procedure):
    for agent in EXPECTED:
        played = play_agent(emergency, procedure, 4, agent)
        again = score_actions(emergency, procedure, 4, played.actions)
        assert again.report == played.report


# -- the findings of the 班长 and the examiner, as found and as fixed ---------------------------


def _as_found(rule: FirstAfter) -> FirstAfter:
    """``safety_first`` as it was: no list of what counts as acting instead, so the very next
    action, whatever it was, had to be the advice."""
    return rule.model_copy(update={"instead": None})


@pytest.mark.parametrize(
    "before",
    [("log_in",), ("report_supervisor",), ("log_in", "check_system_status")],
    ids=["logs_in_first", "tells_the_supervisor_first", "logs_in_and_checks_first"],
)
def test_logging_in_or_reporting_up_before_the_advice_is_neutral(emergency, procedure, before):
    # found: logging in a second after the report, then giving the advice, failed critically
    # (and so did pressing "report to the supervisor" before speaking)
    seed = _seed_for(emergency, "lane_wire", arriving_after=20)
    session = score_actions(emergency, procedure, seed, _clerk(emergency, seed, before=before))
    rule = next(r for r in emergency.scenario.rules if r.id == "safety_first")
    assert isinstance(rule, FirstAfter)
    trace = IndexedTrace(session.engine.trace)
    assert judge_rule(_as_found(rule), trace, emergency.scenario)[0] == "violated"
    # fixed: what the rule names as acting instead is the business and other replies only
    assert judge_rule(rule, trace, emergency.scenario)[0] == "met"
    assert not {"log_in", "report_supervisor", "check_system_status"} & {
        m.name for m in rule.instead or ()
    }
    assert session.report.score == 100 and session.report.passed


def test_the_reaction_time_still_bounds_neutral_steps(emergency, procedure):
    # neutral is not free: logging in, checking the system and reporting up (40 s) before the
    # advice is no business first, but the advice is then late
    seed = _seed_for(emergency, "lane_wire", arriving_after=20)
    before = ("log_in", "check_system_status", "report_supervisor")
    session = score_actions(emergency, procedure, seed, _clerk(emergency, seed, before=before))
    assert broken(session) == {"safety_in_time": ("3.3.c", "violated")}
    assert session.report.critical_failures == ("3.3.c",)


def test_telling_the_supervisor_and_starting_the_plan_are_the_halls_plan_not_critical(
    emergency, procedure
):
    # found: reporting the hazard up was critical under 3.3.c ("应优先确保客户用电安全" says
    # nothing of it), and starting the plan cited 5.3.d (about equipment)
    s = emergency.scenario
    for rid in ("supervisor_told", "contingency_started"):
        rule = next(r for r in s.rules if r.id == rid)
        assert rule.local == "hazard_plan" and rule.clause is None and not rule.critical
        assert "5.3.d" not in rule.also and "3.3.c" not in rule.also
    plan = s.instructions["hazard_plan"].zh
    assert plan.removeprefix("本厅应急预案规定：") in s.scenario.briefing.zh.replace(" ", "")
    seed = _seed_for(emergency, "lane_wire", arriving_after=20)
    skipped = [
        a
        for a in _clerk(emergency, seed)
        if a.action not in ("report_supervisor", "start_contingency")
    ]
    session = score_actions(emergency, procedure, seed, skipped)
    assert broken(session) == {
        "supervisor_told": ("local:hazard_plan", "missed"),
        "contingency_started": ("local:hazard_plan", "missed"),
    }
    assert session.report.critical_failures == ()
    assert session.words().citation("local:hazard_plan") == "本厅规定"


@pytest.mark.parametrize(
    ("answer", "broke", "critical"),
    [
        ("loss_overstep", {"no_overstepping": ("3.3.d", "violated")}, ("3.3.d",)),
        # "never paid for": the neighbour threatens to complain
        (
            "loss_deny",
            {
                "never_mislead": ("3.2.c", "violated"),
                "no_complaint_provoked": ("3.2.c", "violated"),
            },
            (),
        ),
    ],
)
def test_compensation_promised_on_ones_own_say_is_critical_a_flat_no_is_misleading(
    emergency, procedure, answer, broke, critical
):
    seed = _seed_for(emergency, "meter_box_smell", arriving_after=20)
    replies = [*RIGHT[:3], answer]
    session = score_actions(emergency, procedure, seed, _clerk(emergency, seed, replies))
    assert broken(session) == {"loss_answered": ("3.2.c", "violated"), **broke}
    assert session.report.critical_failures == critical
    offered = emergency.scenario.customer("reporter").dialogue["loss"].replies
    assert [r.id for r in offered if "oversteps" in r.tags] == ["loss_overstep"]


def test_guessing_fails_and_doing_less_earns_nothing(emergency, procedure):
    # found: pressing the first reply scored 100 on every scenario, and the longest reply was
    # always the right one; now each pattern passes at most 2 runs in 20 and never scores 100,
    # and the clerk who avoids whatever could go wrong never passes
    runs = gaming_runs(emergency, procedure, 20)
    for pattern in PATTERNS:
        assert sum(r.passed for r in runs[pattern]) <= 2, pattern
        assert all(r.score < 100 for r in runs[pattern]), pattern
    avoided = [r for r in runs["avoider"] if r.avoided]
    assert avoided and not any(r.passed for r in avoided)


def test_the_right_reply_is_not_given_away_by_its_length(emergency):
    # at the report the longest answer is the unsafe one and the shortest the empty comfort, in
    # every variant; elsewhere the right answer is sometimes the longest, sometimes not
    dialogue = emergency.scenario.customer("reporter").dialogue
    right = {
        *("report_safety", "insist_safety", "guard_how", "when_commit", "loss_truth", "offer_no"),
        *("objection_safety", "again_commit", "held_correct"),
    }
    for variant in emergency.scenario.variants:
        longest, shortest = [], []
        for node in dialogue.values():
            if len(node.replies) >= 2:
                by_length = sorted(node.replies, key=lambda r: len(variant.fill(r.zh, "zh")))
                longest.append(by_length[-1].id)
                shortest.append(by_length[0].id)
        assert longest[0] == "report_half_right" and shortest[0] == "report_soothe"
        assert 0 < len(right & set(longest)) < len(longest) - 1, (variant.id, longest)
        assert not right & set(shortest) or len(right & set(shortest)) < 2, variant.id


# -- issue 15: the findings of the 班长, as found and fixed --------------------------------------

AS_FOUND_15 = Path(__file__).with_name("as_found") / "issue15" / "emergency_outage.yaml"


@pytest.fixture(scope="module")
def found15(procedure: Procedure) -> LoadedScenario:
    return load_scenario(AS_FOUND_15, procedure.ids)


def _said(loaded: LoadedScenario, variant: str, reply: str) -> str:
    v = next(v for v in loaded.scenario.variants if v.id == variant)
    r = loaded.scenario.locate_reply(reply)
    assert r is not None
    return Engine(loaded, 0).render(v.fill(r.reply.zh, "zh"), "zh")


def test_finding_the_village_was_given_the_city_arrival_time(emergency, found15):
    before = _said(found15, "storm_wire", "when_commit")
    assert "城区抢修人员一般不超过45分钟" in before and "90分钟" not in before
    after = _said(emergency, "storm_wire", "when_commit")
    assert (
        f"农村一般不超过{facts()['repair_arrival_rural'].zh}" in after and "您那儿算农村" in after
    )
    assert "您那儿算城区" in _said(emergency, "lane_wire", "when_commit")


def test_finding_reporters_with_no_phone_were_left_with_a_call_back(emergency, found15):
    def phone(loaded: LoadedScenario, variant: str) -> str:
        return next(v for v in loaded.scenario.variants if v.id == variant).vars["phone"]

    assert phone(found15, "lane_wire").startswith("139")  # a mobile for a man without one
    assert phone(emergency, "lane_wire").startswith("025-")  # the gatehouse's, which he gives
    for variant in ("lane_wire", "meter_box_smell"):
        told = _said(emergency, variant, "when_commit")
        assert "门卫室" in told or "回到家" in told
        assert f"随时打{facts()['hotline']}或者来窗口问" in told


def test_finding_the_stairwell_advice_could_not_be_followed(emergency, found15):
    """As found: keep 4 m from a box that stands in the only way out, and nobody passes it."""
    assert "谁也别从表箱跟前过" in _said(found15, "meter_box_smell", "guard_how")
    now = _said(emergency, "meter_box_smell", "guard_how")
    assert "快步走过去" in now and "别在表箱跟前停" in now and "把门关好" in now
    assert "楼道是唯一出口" in _said(emergency, "meter_box_smell", "report_safety")
    assert "楼道是唯一出口" not in _said(emergency, "lane_wire", "report_safety")


def test_finding_the_repair_dispatch_was_never_rung(emergency, found15, procedure):
    seed = _seed_for(emergency, "lane_wire", arriving_after=20)
    no_call = [a for a in _clerk(emergency, seed) if a.action != "call_dispatch"]
    assert score_actions(found15, procedure, seed, no_call).report.score == 100
    session = score_actions(emergency, procedure, seed, no_call)
    assert broken(session) == {"dispatch_rung": ("3.3.c", "missed")}
    assert session.report.passed and not session.report.critical_failures


@pytest.mark.parametrize(
    ("wrong", "node", "put_right", "rule"),
    [
        ("report_soothe", "objection", "objection_safety", "objection_answered"),
        ("when_vague", "ask_again", "again_commit", "asked_again_answered"),
        ("when_promise", "held_to_it", "held_correct", "promise_withdrawn"),
    ],
)
def test_the_neighbour_answers_back_and_can_be_put_right(
    emergency, procedure, wrong, node, put_right, rule
):
    seed = _seed_for(emergency, "pole_sparking", arriving_after=20)
    at = RIGHT.index({"objection": "report_safety"}.get(node, "when_commit"))
    replies = [*RIGHT[:at], wrong, put_right, *RIGHT[at + 1 :]]
    if node == "objection":  # the advice came second: the first answer was the comfort
        replies = [wrong, put_right, *RIGHT[1:]]
    session = score_actions(emergency, procedure, seed, _clerk(emergency, seed, replies))
    said = [e.arg("node") for e in session.engine.trace if e.name == "customer_says"]
    assert node in said
    assert rule not in broken(session)  # put right when the customer answered back


def test_there_is_no_saying_twice_brings_a_demand_for_a_superior(emergency, procedure):
    seed = _seed_for(emergency, "pole_sparking", arriving_after=20)
    replies = [*RIGHT[:2], "when_vague", "again_vague", RIGHT[3]]
    session = score_actions(emergency, procedure, seed, _clerk(emergency, seed, replies))
    assert any(e.name == "supervisor_demanded" for e in session.engine.trace)
    assert broken(session) == {
        "arrival_told": ("3.2.c", "violated"),
        "asked_again_answered": ("3.2.c", "violated"),
        "never_mislead": ("3.2.c", "violated"),
        "no_superior_demanded": ("3.2.c", "violated"),
    }

"""群众举报窃电: a customer reports suspected electricity theft (a bypassed meter, wires hooked onto
the street line, a building site on a street-lamp cable); in one variant the accused restaurant
owner comes in later asking who reported him. Each scripted trainee loses exactly what its flaw
deserves; each key decision is caught with the rule and citation it deserves; doing everything
"just in case", saying nothing, or dodging the system does not get through."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from authoring.probes import PATTERNS, gaming_runs
from scoring.session import build, judge, play_agent, score_actions
from sim.agents import Decision, Trainee, run_agent
from sim.engine import Engine
from sim.library import find_scenario
from sim.observation import CustomerView, Observation, ReplyView
from sim.oracle import AnswerKey
from sim.trace import TimedAction
from tests.scenarios.kit import broken_rules as _broken

SECRET = "local:confidential"
PLAN = "local:theft_plan"
# rule -> (citation, verdict) for every rule the flaw breaks, in every variant; OWNER adds what
# the flaw breaks when the accused restaurant owner comes in (shop_hook)
EXPECTED = {
    "expert": {},
    # never enters the report in the module, and keeps no log: nothing reaches the inspectors
    "careless": {
        "report_recorded": ("3.1.d", "missed"),
        "result_logged": ("3.1.e", "missed"),
    },
    # tells the informant what pleases: "that's theft, he'll be fined", a reward amount, "this
    # afternoon, cut off on the spot"
    "panicky": {
        "facts_taken": ("3.2.c", "violated"),
        "reward_answered": ("3.2.c", "violated"),
        "no_overstepping": ("3.3.d", "violated"),
        "when_answered": ("3.2.c", "violated"),
        "never_mislead": ("3.2.c", "violated"),
    },
    # curt throughout (four curt answers fail on points alone)
    "brusque": {
        "facts_taken": ("3.2.c", "violated"),
        "reward_answered": ("3.2.c", "violated"),
        "when_answered": ("3.2.c", "violated"),
        "stay_patient": ("3.2.c", "violated"),
    },
    # never reports up, and promises what it is asked (a reward amount, today's visit)
    "solo": {
        "reported_up": (PLAN, "missed"),
        "reward_answered": ("3.2.c", "violated"),
        "no_overstepping": ("3.3.d", "violated"),
        "when_answered": ("3.2.c", "violated"),
        "never_mislead": ("3.2.c", "violated"),
    },
    # enters the report before answering: the matter in hand, no fault
    "paperwork_first": {},
}
OWNER = {
    # names the informant to the owner to calm him, and tells him it is nothing
    "panicky": {
        "informant_protected": (SECRET, "violated"),
        "owner_answered": ("3.2.c", "violated"),
        "no_verdict_for_owner": ("3.2.c", "violated"),
    },
    # accuses the owner, is threatened with a complaint, answers back: he storms off
    "brusque": {
        "owner_answered": ("3.2.c", "violated"),
        "nobody_walks_off": ("3.2.c", "violated"),
        "complaint_reported": ("3.3.b", "missed"),
        "no_quarrel": ("3.3.b", "violated"),
    },
}
PASSES = {"expert", "paperwork_first"}
CRITICAL = {"panicky": ("3.3.d",), "solo": ("3.3.d",)}
SEEDS = (0, 1, 5)  # shop_hook, meter_bypass, building_site


@pytest.fixture(scope="module")
def theft(procedure):
    return find_scenario("theft_report", procedure.ids)


def _nodes(engine, customer=None):
    return [
        e.arg("node")
        for e in engine.trace
        if e.name == "customer_says" and customer in (None, e.arg("customer"))
    ]


def _seed_for(loaded, variant):
    return next(s for s in range(200) if Engine(loaded, s).variant.id == variant)


class Says(Trainee):
    """The expert, except that it says ``replies`` (by id) wherever one is on offer, says nothing
    to the customers in ``silent_to``, reports up after soothing a complaint threat, and does
    ``extra`` actions once the informant's case is closed (a candidate doing things "just in
    case")."""

    def __init__(self, seed, *replies, extra=(), silent_to=()):
        super().__init__(seed)
        self.replies = replies
        self.extra = list(extra)
        self.silent_to = silent_to

    def choose_reply(self, c: CustomerView, key: AnswerKey) -> ReplyView:
        for r in c.replies:
            if r.id in self.replies:
                self.replies = tuple(x for x in self.replies if x != r.id)  # each said once
                return r
        reply = super().choose_reply(c, key)
        if reply.id in ("complain_calm", "accused_calm"):
            self.extra.insert(0, "report_supervisor")
        return reply

    def on_question(self, obs: Observation, key: AnswerKey) -> Decision | None:
        for c in obs.customers:
            if c.replies and c.id not in self.silent_to:
                return self.say(c, key)
        return None

    def decide(self, obs: Observation, key: AnswerKey) -> Decision | None:
        closed = obs.current == "informant" and obs.informed and obs.recorded
        if self.extra and (closed or self.extra[0] == "report_supervisor"):
            return Decision(self.extra.pop(0))
        return super().decide(obs, key)


def _play(loaded, procedure, seed, agent):
    engine = build(loaded, seed)
    run_agent(loaded, seed, agent, engine=engine)
    return engine, judge(engine, procedure)


# -- the scripted trainees ---------------------------------------------------------------------


@settings(max_examples=25, deadline=None)
@given(seed=st.integers(min_value=0, max_value=2**32 - 1))
def test_the_expert_scores_full_marks_on_any_seed(theft, procedure, seed):
    report = play_agent(theft, procedure, seed, "expert").report
    assert report.score == 100 and report.passed


@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("agent", sorted(EXPECTED))
def test_each_trainee_loses_exactly_its_flaw(theft, procedure, agent, seed):
    report = play_agent(theft, procedure, seed, agent).report
    owner = Engine(theft, seed).variant.id == "shop_hook"
    expected = {**EXPECTED[agent], **(OWNER.get(agent, {}) if owner else {})}
    assert _broken(report) == expected
    assert report.passed is (agent in PASSES)
    critical = CRITICAL.get(agent, ("3.3.b",) if owner and agent == "brusque" else ())
    assert report.critical_failures == critical


def test_the_seeds_cover_every_variant_and_only_the_restaurant_owner_comes_back(theft, procedure):
    assert {Engine(theft, s).variant.id for s in SEEDS} == {v.id for v in theft.scenario.variants}
    for seed in SEEDS:
        engine = play_agent(theft, procedure, seed, "expert").engine
        came = {e.arg("customer") for e in engine.trace if e.name == "customer_arrives"}
        assert ("accused" in came) is (engine.variant.id == "shop_hook")


def test_the_expert_enters_the_report_in_the_module_and_reports_it_up(theft, procedure):
    engine = play_agent(theft, procedure, 1, "expert").engine
    done = [e.name for e in engine.trace if e.kind == "action"]
    assert done.index("select_module") < done.index("record_complaint")
    assert "report_supervisor" in done and "query_account" not in done
    assert _nodes(engine, "informant") == ["report", "details", "secret", "when", "bye"]


# -- each decision, caught with the right citation ---------------------------------------------


@pytest.mark.parametrize("wrong", ["judge_first", "reward_none", "when_promise"])
def test_a_verdict_or_a_wrong_answer_to_the_informant_fails(theft, procedure, wrong):
    seed = _seed_for(theft, "meter_bypass")
    _, report = _play(theft, procedure, seed, Says(seed, wrong))
    broken = _broken(report)
    assert broken["never_mislead"] == ("3.2.c", "violated") and len(broken) == 2
    assert not report.passed and report.critical_failures == ()


def test_a_brush_off_to_the_hotline_draws_an_insistence(theft, procedure):
    seed = _seed_for(theft, "building_site")
    engine, report = _play(theft, procedure, seed, Says(seed, "shirk"))
    assert _nodes(engine, "informant")[:3] == ["report", "insist", "details"]
    assert _broken(report) == {
        "facts_taken": ("3.2.c", "violated"),
        "never_mislead": ("3.2.c", "violated"),
    }
    assert not report.passed


def test_a_curt_answer_to_the_insistence_draws_a_complaint_answering_back_is_a_quarrel(
    theft, procedure
):
    seed = _seed_for(theft, "meter_bypass")
    engine, soothed = _play(theft, procedure, seed, Says(seed, "shirk", "insist_curt"))
    assert "complain" in _nodes(engine, "informant")
    assert "complaint_reported" not in _broken(soothed)  # soothed and reported up
    assert soothed.critical_failures == ()
    _, quarrel = _play(theft, procedure, seed, Says(seed, "shirk", "insist_curt", "complain_back"))
    assert _broken(quarrel)["no_quarrel"] == ("3.3.b", "violated")
    assert _broken(quarrel)["nobody_walks_off"] == ("3.2.c", "violated")
    assert quarrel.critical_failures == ("3.3.b",)


def test_a_reward_amount_promised_is_deciding_beyond_authority(theft, procedure):
    for variant in ("meter_bypass", "building_site"):
        seed = _seed_for(theft, variant)
        _, report = _play(theft, procedure, seed, Says(seed, "reward_amount"))
        assert _broken(report)["no_overstepping"] == ("3.3.d", "violated")
        assert report.critical_failures == ("3.3.d",)


def test_an_evasive_answer_about_secrecy_draws_the_same_question(theft, procedure):
    seed = _seed_for(theft, "building_site")
    engine, report = _play(theft, procedure, seed, Says(seed, "secret_vague"))
    assert _nodes(engine, "informant")[2:4] == ["secret", "secret"]
    assert _broken(report) == {
        "secret_answered": ("3.2.c", "violated"),
        "never_mislead": ("3.2.c", "violated"),
    }


def test_even_a_hint_at_the_informant_is_a_leak_on_the_halls_rule(theft, procedure):
    seed = _seed_for(theft, "meter_bypass")
    _, report = _play(theft, procedure, seed, Says(seed, "secret_hint"))
    assert _broken(report) == {
        "secret_answered": ("3.2.c", "violated"),
        "informant_protected": (SECRET, "violated"),
    }
    assert not report.passed and report.critical_failures == ()


@pytest.mark.parametrize("leak", ["who_name", "who_hint"])
def test_telling_the_owner_who_reported_him_fails(theft, procedure, leak):
    seed = _seed_for(theft, "shop_hook")
    _, report = _play(theft, procedure, seed, Says(seed, leak))
    assert _broken(report)["informant_protected"] == (SECRET, "violated")
    assert not report.passed and report.critical_failures == ()


@pytest.mark.parametrize("verdict", ["push_judge", "push_clear"])
def test_the_owner_gets_no_verdict_either_way(theft, procedure, verdict):
    seed = _seed_for(theft, "shop_hook")
    _, report = _play(theft, procedure, seed, Says(seed, verdict))
    assert _broken(report) == {
        "no_verdict_for_owner": ("3.2.c", "violated"),
        "never_mislead": ("3.2.c", "violated"),
    }
    assert not report.passed


def test_accusing_the_owner_draws_a_complaint_that_is_soothed_and_reported(theft, procedure):
    seed = _seed_for(theft, "shop_hook")
    engine, report = _play(theft, procedure, seed, Says(seed, "who_accuse"))
    assert "accused_complain" in _nodes(engine, "accused")
    assert _broken(report) == {
        "owner_answered": ("3.2.c", "violated"),
        "stay_patient": ("3.2.c", "violated"),
    }
    assert report.critical_failures == ()


# -- gaming probes -----------------------------------------------------------------------------


def test_doing_everything_just_in_case_is_not_free(theft, procedure):
    """Asking the supervisor over or locking the screen once the case is closed: allowed. Ringing
    110 and looking up the reported household "to check" are not the counter's part: each costs,
    and together they fail."""
    seed = _seed_for(theft, "meter_bypass")
    _, calm = _play(
        theft, procedure, seed, Says(seed, extra=["ask_supervisor_help", "lock_screen"])
    )
    assert calm.score == 100
    _, alarm = _play(theft, procedure, seed, Says(seed, extra=["call_police"]))
    assert _broken(alarm) == {"no_police_call": (PLAN, "violated")} and alarm.score < 100
    _, nosy = _play(theft, procedure, seed, Says(seed, extra=["query_account"]))
    assert _broken(nosy) == {"no_peeking": (PLAN, "violated")} and nosy.score < 100
    _, both = _play(theft, procedure, seed, Says(seed, extra=["call_police", "query_account"]))
    assert both.score < min(alarm.score, nosy.score)


def test_recording_the_report_without_the_module_does_not_pass(theft, procedure):
    seed = _seed_for(theft, "meter_bypass")
    expert = play_agent(theft, procedure, seed, "expert").actions
    dodged = [a for a in expert if a.action != "select_module"]
    report = score_actions(theft, procedure, seed, dodged).report
    assert _broken(report) == {
        "in_the_system": ("3.1.b", "missed"),
        "recorded_in_module": ("3.1.d", "violated"),
    }
    assert not report.passed


def test_saying_nothing_is_no_way_round_the_questions(theft, procedure):
    """A clerk who enters the report and closes the case without a word to the informant: the
    result was told before the questions were heard, which costs as much as never telling it."""
    seed = _seed_for(theft, "building_site")
    engine, report = _play(theft, procedure, seed, Says(seed, silent_to=("informant",)))
    assert _nodes(engine, "informant") == ["report"]
    assert _broken(report) == {
        "facts_taken": ("3.2.c", "missed"),
        "result_after_questions": ("3.1.e", "violated"),
    }
    assert not report.passed
    # and one who stays on, saying nothing, is walked out on
    expert = play_agent(theft, procedure, seed, "expert").actions
    mute = [a for a in expert if a.action not in ("say", "finish")]
    mute.append(TimedAction(400.0, "finish", {}))
    played = score_actions(theft, procedure, seed, mute)
    left = [e.arg("reason") for e in played.engine.trace if e.name == "customer_leaves"]
    assert left == ["angry"] and not played.report.passed


@pytest.mark.parametrize("at", [30, 60])
def test_ending_the_session_early_does_not_pass(theft, procedure, at):
    seed = _seed_for(theft, "meter_bypass")
    expert = play_agent(theft, procedure, seed, "expert").actions
    early = [a for a in expert if a.t < at] + [TimedAction(float(at), "finish", {})]
    assert not score_actions(theft, procedure, seed, early).report.passed


def test_guessing_by_position_or_length_and_dodging_do_not_pass(theft, procedure):
    runs = gaming_runs(theft, procedure)
    for pattern in PATTERNS:
        assert sum(r.passed for r in runs[pattern]) <= 2, pattern
        assert not any(r.score >= 100 for r in runs[pattern]), pattern
    avoided = [r for r in runs["avoider"] if r.avoided]
    assert avoided and not any(r.passed for r in avoided)


def test_no_reward_amount_or_visit_time_is_given_in_the_right_answers(theft):
    informant = theft.scenario.customer("informant")
    honest = {r.id: r.zh for node in informant.dialogue.values() for r in node.replies}
    assert "不能打包票" in honest["reward_honest"] and "元" not in honest["reward_honest"]
    assert "不能替他们定" in honest["when_honest"]

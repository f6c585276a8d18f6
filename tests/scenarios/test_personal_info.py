"""打听别人家的用电信息: someone not entitled asks for another household's details (a neighbour, a
landlord, a son, a man who says he is police); then an account holder comes with ID for their
own record. Each scripted trainee loses exactly what its flaw deserves; each key decision is
caught with the rule and citation it deserves; a candidate who does everything "just in case",
or who refuses everyone "to be safe", or who says nothing, does not get through."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from authoring.probes import PATTERNS, gaming_runs
from scoring.session import build, judge, play_agent, score_actions
from sim.agents import Decision, Trainee, run_agent
from sim.engine import Engine
from sim.identity import read
from sim.library import find_scenario
from sim.observation import CustomerView, Observation, ReplyView
from sim.oracle import AnswerKey
from sim.trace import TimedAction
from tests.scenarios.kit import broken_rules as _broken

PRIVACY = "local:privacy"
# rule -> (citation, verdict) for every rule the flaw breaks; everything else is met or (where
# the flaw keeps a situation from arising) does not apply
EXPECTED = {
    "expert": {},
    # keeps no log: the asker's case before the holder's business, nor the holder's
    "careless": {
        "asker_logged": ("3.1.e", "violated"),
        "holder_logged": ("3.1.e", "missed"),
    },
    # says what pleases: tells the asker what they want, looks the holder up by address without
    # the ID card, and guarantees it will never happen again
    "panicky": {
        "declined_politely": ("3.2.c", "violated"),
        "no_disclosure": (PRIVACY, "violated"),
        "holder_id_checked": (PRIVACY, "violated"),
        "history_answered": ("3.2.c", "violated"),
        "never_mislead": ("3.2.c", "violated"),
    },
    # curt throughout: the asker threatens a complaint, is snapped at again and storms off
    # (never reported, never logged); the holder is told to read the screen
    "brusque": {
        "declined_politely": ("3.2.c", "violated"),
        "push_answered": ("3.2.c", "violated"),
        "complaint_reported": ("3.3.b", "missed"),
        "no_quarrel": ("3.3.b", "violated"),
        "nobody_walks_off": ("3.2.c", "violated"),
        "stay_patient": ("3.2.c", "violated"),
        "asker_logged": ("3.1.e", "violated"),
        "history_answered": ("3.2.c", "violated"),
    },
    # nothing here needs the supervisor; but it promises what it is asked: "it'll never happen
    # again" to the holder
    "solo": {
        "history_answered": ("3.2.c", "violated"),
        "never_mislead": ("3.2.c", "violated"),
    },
    # opens the holder's account before checking the ID card
    "paperwork_first": {
        "no_peeking": (PRIVACY, "violated"),
        "holder_id_checked": (PRIVACY, "violated"),
    },
}
PASSES = {"expert", "careless"}
CRITICAL = {"brusque": ("3.3.b",)}
SEEDS = (0, 1, 2, 5)  # police_claim, landlord, neighbour, son


@pytest.fixture(scope="module")
def info(procedure):
    return find_scenario("personal_info", procedure.ids)


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
    at all to the customers in ``silent_to``, and does ``extra`` actions once logged in while the
    first customer's case is closed, while they are still at the counter (a candidate doing
    things "just in case")."""

    def __init__(self, seed, *replies, extra=(), silent_to=()):
        super().__init__(seed)
        self.replies = replies
        self.extra = list(extra)
        self.silent_to = silent_to

    def choose_reply(self, c: CustomerView, key: AnswerKey) -> ReplyView:
        for r in c.replies:
            if r.id in self.replies:
                return r
        reply = super().choose_reply(c, key)
        if reply.id == "complain_calm":  # the threat soothed, then reported up
            self.extra.insert(0, "report_supervisor")
        return reply

    def on_question(self, obs: Observation, key: AnswerKey) -> Decision | None:
        for c in obs.customers:
            if c.replies and c.id not in self.silent_to:
                return self.say(c, key)
        return None

    def decide(self, obs: Observation, key: AnswerKey) -> Decision | None:
        asker_done = obs.current == "asker" and obs.informed and obs.recorded
        if self.extra and (asker_done or self.extra[0] == "report_supervisor"):
            return Decision(self.extra.pop(0))
        return super().decide(obs, key)


def _play(loaded, procedure, seed, agent):
    engine = build(loaded, seed)
    run_agent(loaded, seed, agent, engine=engine)
    return engine, judge(engine, procedure)


# -- the scripted trainees ---------------------------------------------------------------------


@settings(max_examples=25, deadline=None)
@given(seed=st.integers(min_value=0, max_value=2**32 - 1))
def test_the_expert_scores_full_marks_on_any_seed(info, procedure, seed):
    report = play_agent(info, procedure, seed, "expert").report
    assert report.score == 100 and report.passed


@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("agent", sorted(EXPECTED))
def test_each_trainee_loses_exactly_its_flaw(info, procedure, agent, seed):
    report = play_agent(info, procedure, seed, agent).report
    assert _broken(report) == EXPECTED[agent]
    assert report.passed is (agent in PASSES)
    assert report.critical_failures == CRITICAL.get(agent, ())


def test_the_seeds_cover_every_variant(info):
    assert {Engine(info, s).variant.id for s in SEEDS} == {v.id for v in info.scenario.variants}


def test_the_expert_looks_nothing_up_for_the_asker_and_checks_the_holders_id_first(info, procedure):
    for seed in SEEDS:
        engine = play_agent(info, procedure, seed, "expert").engine
        assert _nodes(engine, "asker") == ["ask", "push", "how", "bye"]
        own_wait = next(e.t for e in engine.trace if e.arg("node") == "own_wait")
        looked = [e.t for e in engine.trace if e.name == "query_account"]
        assert len(looked) == 1 and looked[0] > own_wait
        assert "holder_record" in [e.arg("note") for e in engine.trace if e.name == "system_shows"]


# -- each decision, caught with the right citation ---------------------------------------------


@pytest.mark.parametrize("leak", ["ask_leak", "push_leak"])
def test_a_leak_fails_on_the_halls_rule_and_is_no_veto(info, procedure, leak):
    for variant in ("neighbour", "police_claim"):
        seed = _seed_for(info, variant)
        engine, report = _play(info, procedure, seed, Says(seed, leak))
        broken = _broken(report)
        assert broken["no_disclosure"] == (PRIVACY, "violated")
        assert "more" in _nodes(engine, "asker")  # a leak draws a request for more
        assert not report.passed and report.critical_failures == ()


def test_the_white_lie_that_the_system_cannot_show_it_draws_the_same_question_and_fails(
    info, procedure
):
    seed = _seed_for(info, "landlord")
    engine, report = _play(info, procedure, seed, Says(seed, "ask_fib"))
    assert _nodes(engine, "asker")[:3] == ["ask", "again", "push"]
    assert _broken(report) == {
        "declined_politely": ("3.2.c", "violated"),
        "never_mislead": ("3.2.c", "violated"),
    }
    assert not report.passed


def test_an_evasive_answer_to_the_push_draws_the_push_again(info, procedure):
    seed = _seed_for(info, "son")
    engine, report = _play(info, procedure, seed, Says(seed, "push_vague"))
    assert _nodes(engine, "asker")[:3] == ["ask", "push", "push"]
    assert _broken(report)["never_mislead"] == ("3.2.c", "violated")
    assert not report.passed


def test_a_curt_push_back_draws_a_complaint_threat_that_is_reported_and_soothed(info, procedure):
    seed = _seed_for(info, "police_claim")
    engine, report = _play(info, procedure, seed, Says(seed, "push_curt"))
    assert "complain" in _nodes(engine, "asker")
    threat = next(e.t for e in engine.trace if e.name == "complaint_threatened")
    reported = [e.t for e in engine.trace if e.name == "report_supervisor"]
    assert reported and 0 <= reported[0] - threat <= 120
    assert _broken(report) == {
        "push_answered": ("3.2.c", "violated"),
        "stay_patient": ("3.2.c", "violated"),
    }
    assert report.passed and report.critical_failures == ()


def test_answering_back_once_a_complaint_is_threatened_is_a_quarrel(info, procedure):
    seed = _seed_for(info, "neighbour")
    engine, report = _play(info, procedure, seed, Says(seed, "push_curt", "complain_back"))
    assert ("asker", "angry") in [
        (e.arg("customer"), e.arg("reason")) for e in engine.trace if e.name == "customer_leaves"
    ]
    assert _broken(report)["no_quarrel"] == ("3.3.b", "violated")
    assert report.critical_failures == ("3.3.b",)


def test_jargon_draws_a_request_to_say_it_plainly(info, procedure):
    seed = _seed_for(info, "son")
    engine, report = _play(info, procedure, seed, Says(seed, "how_jargon"))
    assert "puzzled" in _nodes(engine, "asker")
    assert _broken(report) == {
        "route_explained": ("3.2.c", "violated"),
        "plain_words": ("3.2.b", "violated"),
    }
    assert report.passed and report.score < 100


def test_a_phone_call_is_not_the_holders_written_authority(info, procedure):
    seed = _seed_for(info, "son")
    _, report = _play(info, procedure, seed, Says(seed, "how_wrong"))
    assert _broken(report) == {
        "route_explained": ("3.2.c", "violated"),
        "never_mislead": ("3.2.c", "violated"),
    }
    assert not report.passed


def test_the_entitled_route_is_told_in_every_variant(info):
    for variant in info.scenario.variants:
        route = variant.fill("{route}", "zh")
        assert any(w in route for w in ("身份证", "警官证", "法院")), variant.id
    police = next(v for v in info.scenario.variants if v.id == "police_claim")
    assert "公函" in police.fill("{hold}", "zh") and "警官证" in police.fill("{route}", "zh")


# -- the account holder: served, not refused -------------------------------------------------


def test_refusing_the_holder_to_be_safe_fails_and_the_holder_insists(info, procedure):
    for seed in SEEDS:
        engine, report = _play(info, procedure, seed, Says(seed, "own_refuse"))
        assert "own_push" in _nodes(engine, "holder")
        assert _broken(report) == {
            "holder_id_checked": (PRIVACY, "violated"),
            "never_mislead": ("3.2.c", "violated"),
        }
        assert not report.passed


def test_guessing_the_cause_before_looking_draws_an_objection_and_fails(info, procedure):
    seed = _seed_for(info, "neighbour")
    engine, report = _play(info, procedure, seed, Says(seed, "own_guess"))
    assert _nodes(engine, "holder")[:2] == ["own_ask", "own_object"]
    assert _broken(report)["never_mislead"] == ("3.2.c", "violated")
    assert not report.passed


def test_the_holders_question_comes_only_once_the_account_is_looked_up(info, procedure):
    seed = _seed_for(info, "landlord")

    class NeverLooks(Trainee):
        def decide(self, obs, key):
            d = super().decide(obs, key)
            return None if d is not None and d.action == "query_account" else d

    engine, report = _play(info, procedure, seed, NeverLooks(seed))
    assert "history" not in _nodes(engine, "holder")
    assert _broken(report)["holder_looked_up"] == ("3.2.c", "missed")
    assert not report.passed  # not looking costs as much as looking and answering wrongly
    _, wrong = _play(info, procedure, seed, Says(seed, "hist_wrong"))
    assert report.score <= wrong.score


# -- gaming probes -----------------------------------------------------------------------------


def test_looking_up_the_record_just_to_see_fails_even_in_silence(info, procedure):
    seed = _seed_for(info, "neighbour")
    _, report = _play(info, procedure, seed, Says(seed, extra=["query_account"]))
    assert _broken(report) == {"no_peeking": (PRIVACY, "violated")}
    assert not report.passed


def test_doing_everything_just_in_case_is_not_free(info, procedure):
    """Reporting up, asking the supervisor over, locking the screen: allowed (the briefing lets a
    suspicious request be reported). Ringing 110 over a question is a false alarm: it costs."""
    seed = _seed_for(info, "police_claim")
    harmless = ["report_supervisor", "ask_supervisor_help", "lock_screen"]
    _, calm = _play(info, procedure, seed, Says(seed, extra=harmless))
    assert calm.score == 100
    _, alarm = _play(info, procedure, seed, Says(seed, extra=["call_police", *harmless]))
    assert _broken(alarm) == {"no_false_alarm": ("local:no_false_alarm", "violated")}
    assert alarm.score < 100 and alarm.critical_failures == ()
    _, nosy = _play(info, procedure, seed, Says(seed, extra=["query_account", "call_police"]))
    assert not nosy.passed


def test_saying_nothing_is_no_way_round_the_questions(info, procedure):
    seed = _seed_for(info, "landlord")
    engine, report = _play(info, procedure, seed, Says(seed, silent_to=("asker",)))
    assert ("asker", "angry") in [
        (e.arg("customer"), e.arg("reason")) for e in engine.trace if e.name == "customer_leaves"
    ]
    assert _broken(report)["nobody_walks_off"] == ("3.2.c", "violated")
    assert not report.passed
    # silent to the holder: looking the account up unasked is peeking, not looking is missing
    _, peeks = _play(info, procedure, seed, Says(seed, silent_to=("holder",)))
    assert _broken(peeks)["no_peeking"] == (PRIVACY, "violated") and not peeks.passed


@pytest.mark.parametrize("at", [30, 120, 200])
def test_ending_the_session_early_does_not_pass(info, procedure, at):
    seed = _seed_for(info, "neighbour")
    expert = play_agent(info, procedure, seed, "expert").actions
    early = [a for a in expert if a.t < at] + [TimedAction(float(at), "finish", {})]
    report = score_actions(info, procedure, seed, early).report
    assert not report.passed


def test_guessing_by_position_or_length_and_dodging_do_not_pass(info, procedure):
    runs = gaming_runs(info, procedure)
    for pattern in PATTERNS:
        assert sum(r.passed for r in runs[pattern]) <= 2, pattern
        assert not any(r.score >= 100 for r in runs[pattern]), pattern
    avoided = [r for r in runs["avoider"] if r.avoided]
    assert avoided and not any(r.passed for r in avoided)


def test_the_numbers_in_the_texts_are_real_shaped(info):
    """ID numbers pass their check character and are a woman's where the person is a woman
    (both leaked numbers belong to women); mobiles are 11 digits starting 13-19."""
    texts = [v.fill(f"{{{k}}}", "zh") for v in info.scenario.variants for k in v.vars]
    ids = [m for t in texts for m in re.findall(r"\d{17}[\dX]", t)]
    assert len(ids) == 2 and all(read(n).sex == "female" for n in ids)
    phones = [m for t in texts for m in re.findall(r"(?<!\d)1\d{10}(?!\d)", t)]
    assert phones and all(re.fullmatch(r"1[3-9]\d{9}", p) for p in phones)

"""欠费停电的困难户: a vulnerable household (a mother living alone, a father on oxygen at home, an
old man cut off yesterday) faces disconnection for arrears. Each scripted trainee loses exactly
what its flaw deserves; each key decision is caught with the rule and clause it deserves;
guessing before looking, deciding alone either way, doing everything "just in case", saying
nothing or ending early does not get through."""

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
from sim.scenario import facts
from sim.trace import TimedAction
from tests.scenarios.kit import broken_rules as _broken

DECIDED_ALONE = {
    "plea_answered": ("3.2.c", "violated"),
    "help_sought": ("3.3.d", "missed"),
    "help_sought_promptly": ("3.3.d", "missed"),
    "result_after_questions": ("3.1.e", "violated"),
}
# rule -> (clause, verdict) for every rule the flaw breaks; everything else is met or (where the
# flaw keeps a situation from arising) does not apply
EXPECTED = {
    "expert": {},
    # does it all, and keeps no log
    "careless": {"result_logged": ("3.1.e", "missed")},
    # "leave it to me, it won't be cut", then "I'll cancel the cut": decided alone, twice
    "panicky": {
        "looked_before_answering": ("3.2.c", "violated"),
        "no_overstepping": ("3.3.d", "violated"),
        **DECIDED_ALONE,
    },
    # "pay first, then we'll talk": the son threatens 12398, is answered back and walks out
    # before anything is looked up
    "brusque": {
        "looked_before_answering": ("3.2.c", "violated"),
        "right_module": ("3.1.b", "missed"),
        "account_looked_up": ("3.2.c", "missed"),
        "stay_patient": ("3.2.c", "violated"),
        "nobody_walks_off": ("3.2.c", "violated"),
        "complaint_reported": ("3.3.b", "missed"),
        "no_quarrel": ("3.3.b", "violated"),
        "result_told": ("3.1.e", "missed"),
        "result_logged": ("3.1.e", "missed"),
    },
    # looks it up and explains, then grants the hold itself and never asks
    "solo": {"no_overstepping": ("3.3.d", "violated"), **DECIDED_ALONE},
    # opens the account without a word to the upset customer first (it does look before it
    # explains, which is the point; the greeting goes unanswered)
    "paperwork_first": {"looked_before_answering": ("3.2.c", "violated")},
}
PASSES = {"expert", "careless", "paperwork_first"}
CRITICAL = {"panicky": ("3.3.d",), "brusque": ("3.3.b",), "solo": ("3.3.d",)}
SEEDS = (16, 18, 19)  # oxygen_at_home, mother_alone, cut_yesterday


@pytest.fixture(scope="module")
def arrears(procedure):
    return find_scenario("arrears_vulnerable", procedure.ids)


def _nodes(engine):
    return [e.arg("node") for e in engine.trace if e.name == "customer_says"]


def _seed_for(loaded, variant):
    return next(s for s in range(200) if Engine(loaded, s).variant.id == variant)


class Says(Trainee):
    """The expert, except that it says each of ``replies`` (by id) once wherever it is on offer,
    reports up after soothing a threat, does ``extra`` actions once the case is closed, and says
    nothing at all when ``mute``."""

    def __init__(self, seed, *replies, extra=(), mute=False):
        super().__init__(seed)
        self.replies = replies
        self.extra = list(extra)
        self.mute = mute

    def choose_reply(self, c: CustomerView, key: AnswerKey) -> ReplyView:
        for r in c.replies:
            if r.id in self.replies:
                self.replies = tuple(x for x in self.replies if x != r.id)
                return r
        reply = super().choose_reply(c, key)
        if reply.id == "threat_calm":
            self.extra.insert(0, "report_supervisor")
        return reply

    def on_question(self, obs: Observation, key: AnswerKey) -> Decision | None:
        return None if self.mute else super().on_question(obs, key)

    def decide(self, obs: Observation, key: AnswerKey) -> Decision | None:
        closed = obs.informed and obs.recorded
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
def test_the_expert_scores_full_marks_on_any_seed(arrears, procedure, seed):
    report = play_agent(arrears, procedure, seed, "expert").report
    assert report.score == 100 and report.passed


@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("agent", sorted(EXPECTED))
def test_each_trainee_loses_exactly_its_flaw(arrears, procedure, agent, seed):
    report = play_agent(arrears, procedure, seed, agent).report
    assert _broken(report) == EXPECTED[agent]
    assert report.passed is (agent in PASSES)
    assert report.critical_failures == CRITICAL.get(agent, ())


def test_the_seeds_cover_every_variant(arrears):
    assert {Engine(arrears, s).variant.id for s in SEEDS} == {
        v.id for v in arrears.scenario.variants
    }


def test_the_expert_looks_first_asks_the_superior_and_relays_before_telling_the_result(
    arrears, procedure
):
    for seed in SEEDS:
        engine = play_agent(arrears, procedure, seed, "expert").engine
        assert _nodes(engine) == ["notice", "account", "plea", "waiting", "ruling", "pay", "bye"]
        done = [(e.name, e.arg("reply")) for e in engine.trace if e.kind == "action"]
        assert done.index(("query_account", None)) < done.index(("say", "explain_true"))
        assert done.index(("ask_supervisor_help", None)) < done.index(("say", "relay_true"))
        assert done.index(("say", "pay_true")) < done.index(("inform_customer", None))
        assert "arrears" in [e.arg("note") for e in engine.trace if e.name == "system_shows"]


def test_the_explanation_gives_the_companys_figures(arrears):
    f = facts()
    node = arrears.scenario.customer("payer").dialogue["account"]
    explain = next(r for r in node.replies if r.id == "explain_true")
    for v in arrears.scenario.variants:
        text = v.fill(explain.zh, "zh")
        assert f"{f['arrears_overdue_days']}天" in text
        assert f"{f['arrears_notice_days']}天" in text
    pay = next(r for r in arrears.scenario.customer("payer").dialogue["pay"].replies)
    assert f"{f['reconnect_hours']}小时" in arrears.scenario.variants[0].fill(pay.zh, "zh")


# -- each decision, caught with the right clause -----------------------------------------------


def test_guessing_before_looking_draws_an_objection_and_fails(arrears, procedure):
    seed = _seed_for(arrears, "oxygen_at_home")
    engine, report = _play(arrears, procedure, seed, Says(seed, "guess_cause"))
    assert _nodes(engine)[:2] == ["notice", "object"]
    assert _broken(report) == {
        "looked_before_answering": ("3.2.c", "violated"),
        "never_mislead": ("3.2.c", "violated"),
    }
    assert not report.passed and report.critical_failures == ()


def test_passing_the_buck_draws_a_threat_to_ring_12398(arrears, procedure):
    seed = _seed_for(arrears, "mother_alone")
    engine, report = _play(arrears, procedure, seed, Says(seed, "not_ours"))
    assert _nodes(engine)[:2] == ["notice", "threat"]
    assert any(e.name == "complaint_threatened" for e in engine.trace)
    assert _broken(report) == {
        "looked_before_answering": ("3.2.c", "violated"),
        "never_mislead": ("3.2.c", "violated"),
    }  # soothed and reported up: no quarrel
    assert not report.passed and report.critical_failures == ()


def test_answering_the_threat_back_is_a_quarrel(arrears, procedure):
    seed = _seed_for(arrears, "mother_alone")
    _, report = _play(arrears, procedure, seed, Says(seed, "not_ours", "threat_back"))
    assert _broken(report)["no_quarrel"] == ("3.3.b", "violated")
    assert report.critical_failures == ("3.3.b",)


def test_jargon_draws_a_request_to_say_it_plainly(arrears, procedure):
    seed = _seed_for(arrears, "cut_yesterday")
    engine, report = _play(arrears, procedure, seed, Says(seed, "explain_jargon"))
    assert "puzzled" in _nodes(engine)
    assert _broken(report) == {
        "arrears_explained": ("3.2.c", "violated"),
        "plain_words": ("3.2.b", "violated"),
    }
    assert report.passed and report.score < 100


@pytest.mark.parametrize("reply", ["plea_refuse", "plea_other"])
def test_refusing_or_sending_them_away_is_deciding_alone(arrears, procedure, reply):
    seed = _seed_for(arrears, "oxygen_at_home")
    _, report = _play(arrears, procedure, seed, Says(seed, reply))
    assert _broken(report)["help_sought"] == ("3.3.d", "missed")
    assert report.critical_failures == ("3.3.d",)


@pytest.mark.parametrize("reply", ["promise_now", "plea_grant", "wait_sure", "relay_spin"])
def test_every_waiver_or_guarantee_is_critical(arrears, procedure, reply):
    seed = _seed_for(arrears, "cut_yesterday")
    _, report = _play(arrears, procedure, seed, Says(seed, reply))
    assert _broken(report)["no_overstepping"] == ("3.3.d", "violated")
    assert "3.3.d" in report.critical_failures and not report.passed


def test_a_reconnection_guaranteed_within_the_hour_misleads(arrears, procedure):
    seed = _seed_for(arrears, "cut_yesterday")
    _, report = _play(arrears, procedure, seed, Says(seed, "pay_promise"))
    assert _broken(report) == {
        "payment_answered": ("3.2.c", "violated"),
        "never_mislead": ("3.2.c", "violated"),
    }
    assert not report.passed and report.critical_failures == ()


def test_the_plea_comes_only_once_the_account_is_looked_up(arrears, procedure):
    seed = _seed_for(arrears, "mother_alone")

    class NeverLooks(Trainee):
        def decide(self, obs, key):
            d = super().decide(obs, key)
            return None if d is not None and d.action == "query_account" else d

    engine, report = _play(arrears, procedure, seed, NeverLooks(seed))
    assert "plea" not in _nodes(engine)
    assert _broken(report)["account_looked_up"] == ("3.2.c", "missed")
    assert not report.passed


# -- gaming probes -----------------------------------------------------------------------------


def test_doing_everything_just_in_case_is_not_free(arrears, procedure):
    """Reporting up or locking the screen once the case is closed is allowed; ringing 120 for a
    household that is not in danger now is a false alarm and costs."""
    seed = _seed_for(arrears, "oxygen_at_home")
    _, calm = _play(
        arrears, procedure, seed, Says(seed, extra=["report_supervisor", "lock_screen"])
    )
    assert calm.score == 100
    _, alarm = _play(arrears, procedure, seed, Says(seed, extra=["call_ambulance"]))
    assert _broken(alarm) == {"no_false_alarm": ("local:no_false_alarm", "violated")}
    assert alarm.score < 100 and alarm.critical_failures == ()


def test_saying_nothing_is_no_way_round_the_questions(arrears, procedure):
    seed = _seed_for(arrears, "cut_yesterday")
    engine, report = _play(arrears, procedure, seed, Says(seed, mute=True))
    assert not report.passed
    assert "bye" not in _nodes(engine)


@pytest.mark.parametrize("at", [30, 90])
def test_ending_the_session_early_does_not_pass(arrears, procedure, at):
    seed = _seed_for(arrears, "mother_alone")
    expert = play_agent(arrears, procedure, seed, "expert").actions
    early = [a for a in expert if a.t < at] + [TimedAction(float(at), "finish", {})]
    assert not score_actions(arrears, procedure, seed, early).report.passed


def test_guessing_by_position_or_length_and_dodging_do_not_pass(arrears, procedure):
    runs = gaming_runs(arrears, procedure)
    for pattern in PATTERNS:
        assert sum(r.passed for r in runs[pattern]) <= 2, pattern
        assert not any(r.score >= 100 for r in runs[pattern]), pattern
    avoided = [r for r in runs["avoider"] if r.avoided]
    assert avoided and not any(r.passed for r in avoided)


def test_asking_while_saying_it_is_hardly_ever_granted_misleads(arrears, procedure):
    seed = _seed_for(arrears, "mother_alone")
    engine, report = _play(arrears, procedure, seed, Says(seed, "plea_gloomy"))
    assert any(e.name == "ask_supervisor_help" for e in engine.trace)  # asked all the same
    assert _broken(report) == {
        "plea_answered": ("3.2.c", "violated"),
        "never_mislead": ("3.2.c", "violated"),
    }
    assert not report.passed and report.critical_failures == ()

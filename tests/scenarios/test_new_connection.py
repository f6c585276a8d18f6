"""居民新装用电申请: the form hides one mismatch with the documents that only checking finds, and
the customer asks five things on the way, each a decision with tempting wrong answers; each
scripted trainee loses exactly what its flaw deserves, and the findings of the 班长 and the
examiner are reproduced as found and shown fixed."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from authoring.probes import PATTERNS, Omit, _play, gaming_runs
from scoring.session import play_agent, score_actions
from sim.agents import Trainee
from sim.engine import Engine
from sim.library import find_scenario
from sim.scenario import facts
from sim.trace import TimedAction
from tests.scenarios.kit import broken_rules as _broken
from tests.scenarios.kit import right_by_length
from tests.scenarios.kit import score_without as _score_without

# rule -> (clause, verdict) for every rule the flaw breaks; everything else must be met (or not
# apply)
EXPECTED = {
    "expert": {},
    # submits the form as the customer wrote it: unchecked and wrong; keeps no record (the
    # question about the form never comes up: nobody stopped at it)
    "careless": {
        "entry_checked": ("3.2.a", "missed"),
        "checked_before_submitting": ("3.2.a", "violated"),
        "no_wrong_details": ("3.1.c", "violated"),
        "result_recorded": ("3.1.e", "missed"),
    },
    # says what pleases: power this afternoon, a wrong explanation of 一证受理, "nothing's wrong"
    # about the form, power tomorrow; each of those questions is answered wrongly
    "panicky": {
        "greeted": ("3.2.c", "violated"),
        "term_explained": ("3.2.b", "violated"),
        "mismatch_explained": ("3.2.c", "violated"),
        "commitment_told": ("3.2.c", "violated"),
        "terms_accurate": ("3.2.b", "violated"),
        "never_mislead": ("3.2.c", "violated"),
        "no_overpromising": ("3.2.c", "violated"),
    },
    # curt with every line, so no question is answered properly
    "brusque": {
        "greeted": ("3.2.c", "violated"),
        "term_explained": ("3.2.b", "violated"),
        "mismatch_explained": ("3.2.c", "violated"),
        "commitment_told": ("3.2.c", "violated"),
        "payment_explained": ("3.2.c", "violated"),
        "stay_patient": ("3.2.c", "violated"),
    },
    # promises power this afternoon, then tomorrow: over-promising, not deciding alone
    "solo": {
        "greeted": ("3.2.c", "violated"),
        "commitment_told": ("3.2.c", "violated"),
        "no_overpromising": ("3.2.c", "violated"),
    },
    # types on while the customer's greeting and questions wait: answered, but only after
    # getting on with the application
    "paperwork_first": {
        "greeted": ("3.2.c", "violated"),
        "term_explained": ("3.2.b", "violated"),
        "mismatch_explained": ("3.2.c", "violated"),
    },
}
PASSES = {"expert", "solo", "paperwork_first"}
# the variants where the customer knocks a drink over the counter (2.3.e): the clerk who types on
# regardless leaves it, and that costs the pass it scraped through with
SPILT = {"wrong_room_number", "estate_name_address"}


def _expected(agent: str, variant: str) -> tuple[dict[str, tuple[str, str]], bool]:
    expected = dict(EXPECTED[agent])
    passes = agent in PASSES
    if agent == "paperwork_first" and variant in SPILT:
        expected["spill_cleaned"] = ("2.3.e", "missed")
        passes = False
    return expected, passes


# the field each variant's form gets wrong
WRONG_FIELD = {
    "id_digits_swapped": "id_number",
    "wrong_room_number": "address",
    "estate_name_address": "address",
    "purchase_contract": "id_number",
}
QUESTIONS = ("greet", "ask_term", "form_wrong", "ask_when", "pay_how")


@pytest.fixture(scope="module")
def new_connection(procedure):
    return find_scenario("new_connection", procedure.ids)


def _seed_for(loaded, variant):
    return next(s for s in range(200) if Engine(loaded, s).variant.id == variant)


class Unchecked(Trainee):
    """The expert, who submits the form without checking it."""

    def verify(self):
        return None


@settings(max_examples=25, deadline=None)
@given(seed=st.integers(min_value=0, max_value=2**32 - 1))
def test_the_expert_takes_the_application_with_full_marks_on_any_seed(
    new_connection, procedure, seed
):
    report = play_agent(new_connection, procedure, seed, "expert").report
    assert report.score == 100 and report.passed


@pytest.mark.parametrize("seed", [0, 1, 2, 5, 11])
@pytest.mark.parametrize("agent", sorted(EXPECTED))
def test_each_trainee_loses_exactly_its_flaw(new_connection, procedure, agent, seed):
    played = play_agent(new_connection, procedure, seed, agent)
    report = played.report
    expected, passes = _expected(agent, played.engine.variant.id)
    assert _broken(report) == expected
    assert report.passed is passes
    assert report.critical_failures == ()
    assert report.score == _score_without(new_connection, report, expected)


@pytest.mark.parametrize("variant", sorted(WRONG_FIELD))
def test_only_checking_finds_the_variants_mismatch(new_connection, procedure, variant):
    seed = _seed_for(new_connection, variant)
    expert = play_agent(new_connection, procedure, seed, "expert").engine
    found = [e.arg("field") for e in expert.trace if e.name == "discrepancy_found"]
    assert found == [WRONG_FIELD[variant]]
    assert not [e for e in expert.trace if e.name == "erroneous_submission"]
    asked = [e.arg("node") for e in expert.trace if e.name == "customer_says"]
    assert [n for n in asked if n in QUESTIONS] == list(QUESTIONS)
    careless = play_agent(new_connection, procedure, seed, "careless").engine
    wrong = [e.arg("field") for e in careless.trace if e.name == "erroneous_submission"]
    assert wrong == [WRONG_FIELD[variant]]


def test_the_commitment_quotes_the_companys_figure(new_connection, procedure):
    engine = play_agent(new_connection, procedure, 0, "expert").engine
    said = new_connection.scenario.reply("applicant", "ask_when", "when_ok")
    assert said is not None
    days, app = facts()["residential_connection_days"], facts()["online_app"]
    assert isinstance(days, str) and not isinstance(app, str)
    assert f"{days}个工作日" in engine.render(said.zh, "zh")
    assert app.zh in engine.render(said.zh, "zh")


def test_the_wrong_term_is_quoted_in_the_debrief(new_connection, procedure):
    played = play_agent(new_connection, procedure, 2, "panicky")
    report = played.report
    said = played.words().evidence
    finding = next(f for f in report.findings if f.rule == "terms_accurate")
    assert "供用电合同" in said(finding) and "术语不当" in said(finding)


def test_checking_but_submitting_the_mismatch_anyway_is_still_wrong(new_connection, procedure):
    played = play_agent(new_connection, procedure, 1, "expert")
    actions = [a for a in played.actions if a.action != "correct_data"]
    report = score_actions(new_connection, procedure, 1, actions).report
    broken = {
        "mismatch_corrected_first": ("3.1.c", "violated"),
        "no_wrong_details": ("3.1.c", "violated"),
    }
    assert _broken(report) == broken
    assert report.score == _score_without(new_connection, report, broken)
    # worse than the expert, but no worse than never having checked (which fails)
    unchecked = _play(new_connection, procedure, 1, Unchecked(1), "", "zh")
    assert unchecked.score < report.score < 100 and not unchecked.passed


def test_a_mismatch_waved_through_on_the_clerks_own_say_so_is_critical(new_connection, procedure):
    played = play_agent(new_connection, procedure, 1, "expert")
    actions = [
        TimedAction(a.t, a.action, {"reply": "fix_mysay"} if a.args.get("reply") else a.args)
        if a.args.get("reply") == "fix_explain"
        else a
        for a in played.actions
        if a.action != "correct_data"
    ]
    report = score_actions(new_connection, procedure, 1, actions).report
    assert report.critical_failures == ("3.3.d",) and not report.passed
    assert _broken(report)["nothing_decided_alone"] == ("3.3.d", "violated")


# -- the findings, as found and as fixed -------------------------------------------------------


def test_found_the_commitment_under_3_1_e_and_checking_without_3_1_d(new_connection, procedure):
    """Found: answering "how long until the power is on?" was scored under 3.1.e (telling the
    result) where 3.2.c (answering questions truthfully) fits, and the check before submitting
    cited 3.2.a but not 3.1.d, whose text has 审核."""
    rules = {r.id: r for r in new_connection.scenario.rules}
    assert rules["commitment_told"].clause == "3.2.c"
    assert rules["checked_before_submitting"].also == ("3.1.d",)
    assert "审核" in procedure.clause("3.1.d").zh
    played = play_agent(new_connection, procedure, 2, "solo")  # promises power tomorrow
    f = next(f for f in played.report.findings if f.rule == "commitment_told")
    assert f.clause == "3.2.c" and f.verdict == "violated"
    assert not any(x.clause == "3.1.e" and x.points_lost for x in played.report.findings)
    # the debrief quotes both texts the check before submitting rests on
    careless = play_agent(new_connection, procedure, 2, "careless")
    g = next(f for f in careless.report.findings if f.rule == "checked_before_submitting")
    assert "审核" in careless.words().clause_texts(g)


def test_found_guessing_replies_passed_and_now_the_probes_fail(new_connection, procedure):
    """Found: pressing the first reply scored 100 on every scenario and the longest reply was
    always right. Now no reply picker passes more than 2 runs of 20 or ever scores 100, and the
    avoider fails every run."""
    runs = gaming_runs(new_connection, procedure)
    for pattern in PATTERNS:
        assert sum(r.passed for r in runs[pattern]) <= 2, pattern
        assert not any(r.score >= 100 for r in runs[pattern]), pattern
    avoided = [r for r in runs["avoider"] if r.avoided]
    assert len(avoided) == 20 and not any(r.passed for r in avoided)


def test_the_right_reply_is_not_always_the_longest_or_the_shortest(new_connection):
    dialogue = new_connection.scenario.customers[0].dialogue
    decisions = [n.replies for nid, n in dialogue.items() if nid in QUESTIONS]
    assert len(decisions) == len(QUESTIONS)
    assert {nid for nid, n in dialogue.items() if len(n.replies) > 1} == {*QUESTIONS, "asked_again"}

    longest = right_by_length(decisions, max)
    shortest = right_by_length(decisions, min)
    assert any(longest) and not all(longest)
    assert any(shortest) and not all(shortest)


def test_a_question_is_answered_first_only_what_counts_as_acting_instead_breaks_it(
    new_connection, procedure
):
    """first_after with instead: logging in and checking the system before replying to the
    greeting is neutral; opening the module first is acting instead."""
    played = play_agent(new_connection, procedure, 0, "expert")
    greeting = next(a for a in played.actions if a.args.get("reply") == "greet_ok")
    rest = [a for a in played.actions if a is not greeting]

    def reply_after(name):
        at = next(a.t for a in rest if a.action == name) + 1
        moved = [TimedAction(a.t + 8 if a.t >= at else a.t, a.action, a.args) for a in rest]
        return sorted([*moved, TimedAction(at, "say", {"reply": "greet_ok"})], key=lambda a: a.t)

    for after, verdict in (
        ("check_system_status", "met"),
        ("select_module", "violated"),
    ):
        report = score_actions(new_connection, procedure, 0, reply_after(after)).report
        assert {f.rule: f.verdict for f in report.findings}["greeted"] == verdict, after


def test_doing_less_never_pays(new_connection, procedure):
    """Never submitting scores no better than submitting unchecked, and both fail; telling the
    customer a result before anything was submitted is its own finding."""
    for seed in (0, 1, 2, 5):
        no_submit = _play(
            new_connection, procedure, seed, Omit(seed, "submit_application"), "", "zh"
        )
        unchecked = _play(new_connection, procedure, seed, Unchecked(seed), "", "zh")
        assert no_submit.score <= unchecked.score
        assert not no_submit.passed and not unchecked.passed
    played = play_agent(new_connection, procedure, 0, "expert")
    submit = next(a for a in played.actions if a.action == "submit_application")
    early = [a for a in played.actions if a.t < submit.t]
    actions = [*early, TimedAction(submit.t, "inform_customer", {})]
    report = score_actions(new_connection, procedure, 0, actions).report
    verdicts = {f.rule: f.verdict for f in report.findings}
    assert verdicts["told_once_done"] == "violated"
    assert verdicts["application_submitted"] == "missed"


def test_scoring_the_recorded_actions_gives_the_same_report(new_connection, procedure):
    for agent in EXPECTED:
        played = play_agent(new_connection, procedure, 4, agent)
        again = score_actions(new_connection, procedure, 4, played.actions)
        assert again.report == played.report


# -- issue 15: a drink spilt on the counter (2.3.e) ----------------------------------------------


@pytest.mark.parametrize("variant", sorted(SPILT))
def test_a_spilt_drink_is_wiped_up_within_a_minute(new_connection, procedure, variant):
    seed = _seed_for(new_connection, variant)
    expert = play_agent(new_connection, procedure, seed, "expert")
    spilt = [e for e in expert.engine.trace if e.name == "counter_soiled"]
    assert [e.arg("kind") for e in spilt] == ["drink"]
    wiped = next(a for a in expert.actions if a.action == "clean_spill")
    assert 0 <= wiped.t - spilt[0].t <= 60 and expert.report.score == 100
    left = [a for a in expert.actions if a.action != "clean_spill"]
    report = score_actions(new_connection, procedure, seed, left).report
    assert _broken(report) == {"spill_cleaned": ("2.3.e", "missed")}


def test_no_spill_in_the_other_variants(new_connection, procedure):
    for variant in set(WRONG_FIELD) - SPILT:
        engine = play_agent(new_connection, procedure, _seed_for(new_connection, variant), "expert")
        assert not any(e.name == "counter_soiled" for e in engine.engine.trace)


def test_finding_can_t_say_a_month_or_two_was_simply_accepted(new_connection, procedure):
    """Issue 15: as found, "can't say, three days or a month or two" went by and the customer
    asked how to pay. Now they ask again; the commitment the second time puts it right, the
    same evasion brings a demand for a superior."""
    from pathlib import Path

    from sim.scenario import load_scenario

    found = load_scenario(
        Path(__file__).with_name("as_found") / "issue15" / "new_connection.yaml", procedure.ids
    )

    class Vague(Trainee):
        def __init__(self, seed, *ids):
            super().__init__(seed)
            self.ids = ids

        def choose_reply(self, c, key):
            return next((r for r in c.replies if r.id in self.ids), None) or super().choose_reply(
                c, key
            )

    before = _play(found, procedure, 0, Vague(0, "when_vague"), "", "zh")
    assert "asked_again_answered" not in {f.rule for f in before.findings}  # nothing came of it
    played = play_agent(new_connection, procedure, 0, "expert")
    assert played.report.score == 100
    again = _play(new_connection, procedure, 0, Vague(0, "when_vague", "when_again_ok"), "", "zh")
    worse = _play(
        new_connection, procedure, 0, Vague(0, "when_vague", "when_again_vague"), "", "zh"
    )
    verdict = {f.rule: f.verdict for f in again.findings}
    assert verdict["asked_again_answered"] == "met" and verdict["commitment_told"] == "violated"
    verdict = {f.rule: f.verdict for f in worse.findings}
    assert verdict["asked_again_answered"] == "violated"
    assert worse.score < again.score < 100

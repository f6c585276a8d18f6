"""周一早高峰排队: the queue reaches the alert level, the clerk asks for an extra window (the
hall's own plan), serves everyone in ticket order, checks every application, and answers each
waiting customer's own question truthfully; each scripted trainee loses exactly what its flaw
deserves, and the findings of the 班长 and the examiner are reproduced as found and shown fixed."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import TypeAdapter

from authoring.probes import PATTERNS, Omit, _play, gaming_runs
from scoring.narrate import Narrator
from scoring.scorer import score_trace
from scoring.session import play_agent, score_actions
from sim.agents import Trainee
from sim.engine import Engine
from sim.library import find_scenario
from sim.scenario import LoadedScenario, Rule
from tests.scenarios.kit import broken_rules as _broken
from tests.scenarios.kit import choices, right_by_length
from tests.scenarios.kit import score_without as _score_without

CUSTOMERS = ("landlord", "new_owner", "upgrader")

# whose form is wrong in each variant, and in which field
WRONG_FORMS = {
    "after_holiday_id_typo": [("new_owner", "id_number")],
    "month_start_account": [("new_owner", "account")],
    "rainy_monday_address": [("upgrader", "address")],
    "two_forms_wrong": [("landlord", "name"), ("upgrader", "address")],
}
# the question a customer asks when the check stops at their form
MISMATCH_RULE = {
    "landlord": "landlord_mismatch_explained",
    "new_owner": "owner_mismatch_explained",
    "upgrader": "upgrader_mismatch_explained",
}
# every question the expert is asked in every variant, one rule each
QUESTIONS = (
    "landlord_greeted",
    "commitment_told",
    "owner_wait_answered",
    "upgrader_wait_answered",
    "upgrader_greeted",
)

MISSED = ("3.2.c", "missed")

# rule -> (clause, verdict) for every rule the flaw breaks, whatever the variant; the questions
# about a wrong form (asked only where the check finds one) are added by `expected`
EXPECTED = {
    "expert": {},
    # submits every case unchecked, so the wrong form goes in; records none of them (the
    # questions about the form never come up: nobody stopped at it)
    "careless": {
        "every_entry_checked": ("3.2.a", "missed"),
        "checked_before_submitting": ("3.2.a", "violated"),
        "no_wrong_details": ("3.1.c", "violated"),
        "every_case_recorded": ("3.1.e", "missed"),
    },
    # tells everyone what they want to hear: five minutes, power tomorrow, "one or two ahead",
    # the third customer moved up the queue on the clerk's own say-so (3.3.d), capacity
    # "today", and hides what was wrong on the form
    "panicky": {
        **dict.fromkeys(QUESTIONS, MISSED),
        "never_mislead": ("3.2.c", "violated"),
        "no_overpromising": ("3.2.c", "violated"),
        "nothing_decided_alone": ("3.3.d", "violated"),
    },
    # short with everyone who asks
    "brusque": {**dict.fromkeys(QUESTIONS, MISSED), "stay_patient": ("3.2.c", "violated")},
    # promises whatever is asked: five minutes, power tomorrow, the third customer next
    # (which is also deciding alone), capacity today
    "solo": {
        "landlord_greeted": MISSED,
        "commitment_told": MISSED,
        "upgrader_wait_answered": MISSED,
        "upgrader_greeted": MISSED,
        "no_overpromising": ("3.2.c", "violated"),
        "nothing_decided_alone": ("3.3.d", "violated"),
    },
    # finishes the form in hand before looking at the queue or at who is talking: the window is
    # asked for late, the greetings and the third customer's question wait
    "paperwork_first": {
        "extra_window_in_time": ("local:extra_window", "violated"),
        "landlord_greeted": ("3.2.c", "violated"),
        "upgrader_wait_answered": ("3.2.c", "violated"),
        "upgrader_greeted": ("3.2.c", "violated"),
    },
}
PASSES = {"expert"}


def expected(agent: str, variant: str) -> dict[str, tuple[str, str]]:
    out = dict(EXPECTED[agent])
    wrong = [who for who, _ in WRONG_FORMS[variant]]
    if agent in ("panicky", "brusque"):  # hides the mistake / snaps at the customer
        out.update({MISMATCH_RULE[who]: MISSED for who in wrong})
    if agent == "paperwork_first":
        # a greeting still unanswered when the check stops at that customer's form is never
        # answered at all: the customer's next line is the question about the form
        for who, rule in (("landlord", "landlord_greeted"), ("upgrader", "upgrader_greeted")):
            if who in wrong:
                out[rule] = MISSED
    return out


@pytest.fixture(scope="module")
def peak_queue(procedure):
    return find_scenario("peak_queue", procedure.ids)


def _seed_for(loaded, variant):
    return next(s for s in range(200) if Engine(loaded, s).variant.id == variant)


def _served_at(engine, name):
    """Who was at the window each time ``name`` was done, in order."""
    current, out = "landlord", []
    for e in engine.trace:
        if e.name == "customer_called":
            current = e.arg("customer")
        elif e.kind == "action" and e.valid and e.name == name:
            out.append((current, e.t))
    return out


def _without_reply(actions, reply):
    return [a for a in actions if not (a.action == "say" and a.args.get("reply") == reply)]


def _with_rules(loaded: LoadedScenario, *rules: dict) -> LoadedScenario:
    """The scenario with other rules: how it was scored before (a finding as found)."""
    adapter = TypeAdapter(Rule)
    s = loaded.scenario.model_copy(
        update={"rules": tuple(adapter.validate_python(r) for r in rules)}
    )
    return LoadedScenario(scenario=s, path=loaded.path, sha256=loaded.sha256)


@settings(max_examples=25, deadline=None)
@given(seed=st.integers(min_value=0, max_value=2**32 - 1))
def test_the_expert_handles_the_rush_with_full_marks_on_any_seed(peak_queue, procedure, seed):
    session = play_agent(peak_queue, procedure, seed, "expert")
    assert session.report.score == 100 and session.report.passed
    assert all(session.engine.desk.customers[c].case.finished for c in CUSTOMERS)


@pytest.mark.parametrize("seed", [0, 1, 2, 5, 11])
@pytest.mark.parametrize("agent", sorted(EXPECTED))
def test_each_trainee_loses_exactly_its_flaw(peak_queue, procedure, agent, seed):
    report = play_agent(peak_queue, procedure, seed, agent).report
    assert _broken(report) == expected(agent, report.variant)
    assert report.passed is (agent in PASSES)
    critical = ("3.3.d",) if "nothing_decided_alone" in EXPECTED[agent] else ()
    assert report.critical_failures == critical


def test_the_queue_reaches_the_alert_and_the_expert_opens_a_window(peak_queue, procedure):
    engine = play_agent(peak_queue, procedure, 3, "expert").engine
    names = [e.name for e in engine.trace]
    assert names.count("queue_long") == 1
    assert names.index("queue_long") < names.index("check_queue")
    assert names.index("check_queue") < names.index("extra_window_opened")
    called = [e.arg("customer") for e in engine.trace if e.name == "customer_called"]
    assert called == ["new_owner", "upgrader"]
    left = {e.arg("customer"): e.arg("reason") for e in engine.trace if e.name == "customer_leaves"}
    assert left == dict.fromkeys(CUSTOMERS, "served")


@pytest.mark.parametrize("variant", sorted(WRONG_FORMS))
def test_every_wrong_form_is_caught_by_checking_and_slips_through_without(
    peak_queue, procedure, variant
):
    seed = _seed_for(peak_queue, variant)
    expert = play_agent(peak_queue, procedure, seed, "expert").engine
    found = _served_at(expert, "correct_data")
    assert [who for who, _ in found] == [who for who, _ in WRONG_FORMS[variant]]
    # the customer whose form it is asks what was wrong, and is told
    asked = [
        e.arg("customer")
        for e in expert.trace
        if e.name == "customer_says" and e.arg("node") == "form_wrong"
    ]
    assert asked == [who for who, _ in WRONG_FORMS[variant]]
    careless = play_agent(peak_queue, procedure, seed, "careless").engine
    wrong = [e.arg("field") for e in careless.trace if e.name == "erroneous_submission"]
    assert wrong == [field for _, field in WRONG_FORMS[variant]]
    # every case is submitted unchecked, not just the first
    assert sum(e.name == "unverified_submission" for e in careless.trace) == 3


def test_skipping_the_check_for_a_later_customer_counts_even_if_the_form_was_right(
    peak_queue, procedure
):
    seed = _seed_for(peak_queue, "rainy_monday_address")  # only the third form is wrong
    played = play_agent(peak_queue, procedure, seed, "expert")
    skipped_at = _served_at(played.engine, "verify_data")[1]
    assert skipped_at[0] == "new_owner"
    actions = [
        a for a in played.actions if not (a.action == "verify_data" and a.t == skipped_at[1])
    ]
    report = score_actions(peak_queue, procedure, seed, actions).report
    # the next customer's check, minutes later, does not make up for this one
    assert _broken(report) == {
        "every_entry_checked": ("3.2.a", "violated"),
        "checked_before_submitting": ("3.2.a", "violated"),
    }
    finding = next(f for f in report.findings if f.rule == "checked_before_submitting")
    submitted = dict(_served_at(played.engine, "submit_application"))
    assert finding.at == submitted["new_owner"]
    # no harm done this time: a clear deduction of exactly those two rules' share, not a failure
    assert report.passed and report.score == _score_without(peak_queue, report, _broken(report))


def test_skipping_the_check_for_the_last_customer_lets_the_wrong_address_in(peak_queue, procedure):
    seed = _seed_for(peak_queue, "rainy_monday_address")
    played = play_agent(peak_queue, procedure, seed, "expert")
    last_check = _served_at(played.engine, "verify_data")[2][1]
    actions = [
        a
        for a in played.actions
        if not (a.action == "verify_data" and a.t == last_check)
        and a.action != "correct_data"
        and a.args.get("reply") != "upgrader_fix_ok"
    ]
    report = score_actions(peak_queue, procedure, seed, actions).report
    assert _broken(report) == {
        "every_entry_checked": ("3.2.a", "missed"),
        "checked_before_submitting": ("3.2.a", "violated"),
        "no_wrong_details": ("3.1.c", "violated"),
    }
    # a wrong address in the system is a heavy deduction, but not one of the procedure's red
    # lines (3.3.a/c/d): nothing is critical
    assert report.critical_failures == ()
    assert report.score < 90


# -- the findings, as found and as fixed -------------------------------------------------------


def test_found_a_reply_to_someone_else_counted_as_the_answer_and_now_each_question_is_its_own(
    peak_queue, procedure
):
    """Found: one rule for every "how much longer?" took any reply after it as the answer, so a
    reply to the landlord counted for the new owner, and the third customer's question left
    unanswered was taken as answered late by a reply to somebody else. Now each customer's
    question is its own rule, answered only by a reply offered at that line."""
    seed = _seed_for(peak_queue, "month_start_account")
    expert = play_agent(peak_queue, procedure, seed, "expert").actions
    old = _with_rules(
        peak_queue,
        {
            "id": "waiting_answered",
            "template": "response",
            "trigger": {"name": "customer_says", "args": {"node": "ask_wait"}},
            "what": "say",
            "within": 60,
            "clause": "3.2.c",
            "weight": 10,
        },
    )
    for ignored, who, rule, as_found in (
        ("owner_wait_ok", "new_owner", "owner_wait_answered", "met"),
        ("upgrader_wait_ok", "upgrader", "upgrader_wait_answered", "violated"),
    ):
        played = score_actions(peak_queue, procedure, seed, _without_reply(expert, ignored))
        engine = played.engine
        found = score_trace(old, procedure, engine.trace, seed, engine.variant.id, 1).findings[0]
        assert found.verdict == as_found
        # what it took for the answer was a reply to another customer's question
        taken = found.evidence.entry("what")
        assert taken is not None
        taken = taken.entry
        at = peak_queue.scenario.locate_reply(taken.arg("reply"))
        assert at is not None and at.customer.id != who
        now = {f.rule: f.verdict for f in played.report.findings}
        assert now[rule] == "missed"
        assert {r for r in QUESTIONS if now[r] != "met"} == {rule}


def test_found_the_extra_window_cited_equipment_monitoring_and_now_it_is_the_halls_plan(
    peak_queue, procedure
):
    """Found: asking for an extra window cited 5.3.c (monitoring equipment). The duty comes from
    the hall's plan: a local instruction quoted from the briefing, never critical; 5.3.c's
    "必要时增加设备或优化工作流程" stays as a further citation. Watching the display too."""
    s = peak_queue.scenario
    rules = {r.id: r for r in s.rules}
    for rid in ("extra_window_in_time", "queue_watched"):
        assert rules[rid].clause is None and rules[rid].local == "extra_window"
        assert not rules[rid].critical
    assert rules["extra_window_in_time"].also == ("5.3.c",)
    assert rules["queue_watched"].also == ()
    assert not any(r.clause == "5.3.c" for r in s.rules)
    quoted = s.instructions["extra_window"].zh
    briefing = s.scenario.briefing.zh.replace(" ", "")
    assert quoted in briefing and s.instructions["take_turns"].zh in briefing
    # a clerk who never asks for a window loses it as a local instruction, not critically
    seed = 1
    played = play_agent(peak_queue, procedure, seed, Omit(seed, "request_extra_window"))
    report = played.report
    f = next(f for f in report.findings if f.rule == "extra_window_in_time")
    assert f.verdict == "missed" and f.source == "local" and f.points_lost > 0
    assert report.critical_failures == ()
    words = Narrator(s, played.engine.variant, "zh", procedure)
    assert words.citation(f.clause) == "本厅规定"
    assert words.clause_texts(f).startswith(quoted)


def test_found_the_commitment_under_3_1_e_and_checking_without_3_1_d(peak_queue, procedure):
    """Found: answering "how long until the power is on?" was scored under 3.1.e (telling the
    result) where 3.2.c (answering questions truthfully) fits, and the check before submitting
    cited 3.2.a but not 3.1.d, whose text has 审核."""
    rules = {r.id: r for r in peak_queue.scenario.rules}
    assert rules["commitment_told"].clause == "3.2.c"
    assert rules["checked_before_submitting"].also == ("3.1.d",)
    assert "审核" in procedure.clause("3.1.d").zh
    report = play_agent(peak_queue, procedure, 2, "solo").report  # promises power tomorrow
    f = next(f for f in report.findings if f.rule == "commitment_told")
    assert f.clause == "3.2.c" and f.verdict == "missed"
    assert not any(x.clause == "3.1.e" and x.points_lost for x in report.findings)


def test_found_guessing_replies_passed_and_the_avoider_passed_every_run(peak_queue, procedure):
    """Found: pressing the first reply scored 100, the longest reply was always right, and a
    clerk who avoided whatever could go wrong passed 20 runs of 20. Now no reply picker passes
    more than 2 runs of 20 or ever scores 100, and the avoider fails every run."""
    runs = gaming_runs(peak_queue, procedure)
    for pattern in PATTERNS:
        assert sum(r.passed for r in runs[pattern]) <= 2, pattern
        assert not any(r.score >= 100 for r in runs[pattern]), pattern
    avoided = [r for r in runs["avoider"] if r.avoided]
    assert len(avoided) == 20 and not any(r.passed for r in avoided)


def test_the_right_reply_is_not_always_the_longest_or_the_shortest(peak_queue):
    decisions = choices(peak_queue)
    assert len(decisions) >= 5

    longest = right_by_length(decisions, max)
    shortest = right_by_length(decisions, min)
    assert any(longest) and not all(longest)
    assert any(shortest) and not all(shortest)


class Unchecked(Trainee):
    """The expert, who submits every application without checking it."""

    def verify(self):
        return None


def test_doing_less_never_pays(peak_queue, procedure):
    """Never submitting scores no better than submitting unchecked, and submitting unchecked
    fails; serving only the first customer and calling nobody else fails; so does the avoider
    (see the gaming test)."""
    for seed in (0, 1, 2, 5):
        no_submit = _play(peak_queue, procedure, seed, Omit(seed, "submit_application"), "", "zh")
        unchecked = _play(peak_queue, procedure, seed, Unchecked(seed), "", "zh")
        assert no_submit.score <= unchecked.score and not unchecked.passed
        only_first = _play(peak_queue, procedure, seed, Omit(seed, "call_next_customer"), "", "zh")
        assert not only_first.passed
        lost = {f.rule for f in only_first.findings if f.points_lost}
        assert {"owner_called", "upgrader_called"} <= lost


def test_scoring_the_recorded_actions_gives_the_same_report(peak_queue, procedure):
    for agent in EXPECTED:
        played = play_agent(peak_queue, procedure, 4, agent)
        again = score_actions(peak_queue, procedure, 4, played.actions)
        assert again.report == played.report


class _Picks(Trainee):
    """The expert, except that it gives the replies named whenever one is on offer."""

    def __init__(self, seed: int, *ids: str) -> None:
        super().__init__(seed)
        self.ids = ids

    def choose_reply(self, c, key):  # type: ignore[no-untyped-def]
        return next((r for r in c.replies if r.id in self.ids), None) or super().choose_reply(
            c, key
        )


def test_finding_can_t_say_a_month_or_so_was_simply_accepted(peak_queue, procedure):
    """Issue 15: as found, "can't say, two days or a month" and the landlord said goodbye. Now he
    asks again; the commitment the second time puts it right, the same evasion does not."""
    from pathlib import Path

    from sim.scenario import load_scenario

    found = load_scenario(
        Path(__file__).with_name("as_found") / "issue15" / "peak_queue.yaml", procedure.ids
    )
    before = _play(found, procedure, 0, _Picks(0, "landlord_when_vague"), "", "zh")
    assert "asked_again_answered" not in {f.rule for f in before.findings}
    fixed = _play(
        peak_queue, procedure, 0, _Picks(0, "landlord_when_vague", "landlord_again_ok"), "", "zh"
    )
    worse = _play(
        peak_queue, procedure, 0, _Picks(0, "landlord_when_vague", "landlord_again_vague"), "", "zh"
    )
    assert {f.rule: f.verdict for f in fixed.findings}["asked_again_answered"] == "met"
    assert {f.rule: f.verdict for f in worse.findings}["asked_again_answered"] == "missed"
    assert worse.score < fixed.score < 100

"""电费争议: a customer disputes a high bill. The clerk looks up the readings before saying a word
about the cause (3.2.c), explains it in plain words with terms used correctly (3.2.b), offers
the meter test with the bill still due (3.2.c), grants no refund or waiver on the spot (3.3.d,
critical) and takes the request to the supervisor (3.3.d), never answers back a threat to
complain (3.3.b, critical); each scripted trainee loses exactly what its flaw deserves, and
handing the question to the supervisor "just in case" is not free."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from authoring.probes import PATTERNS, gaming_runs
from scoring.procedure import Procedure
from scoring.session import Session, play_agent
from sim.engine import Engine
from sim.library import find_scenario
from sim.scenario import LoadedScenario, facts
from tests.scenarios.kit import Clerk, broken

# rule -> (citation, verdict) for every rule the flaw breaks; everything else must be met
EXPECTED: dict[str, dict[str, tuple[str, str]]] = {
    "expert": {},
    # every answer right, the case never logged: a lapse that costs its weight and passes
    "careless": {"result_recorded": ("3.1.e", "missed")},
    # "leave the bill unpaid while it's tested" (a late-payment charge waiting to happen) and
    # "I'll write off the difference, say I agreed": a refund granted on its own say
    "panicky": {
        "test_answered": ("3.2.c", "violated"),
        "refund_answered": ("3.2.c", "violated"),
        "refund_taken_up": ("3.3.d", "missed"),
        "no_overstepping": ("3.3.d", "violated"),
        "never_mislead": ("3.2.c", "violated"),
    },
    # "the system doesn't get it wrong" before looking (curt and a guess), then "nothing to do
    # with me, ask someone else" to the refund: the request never reaches the supervisor
    "brusque": {
        "no_guessing": ("3.2.c", "violated"),
        "refund_answered": ("3.2.c", "violated"),
        "refund_taken_up": ("3.3.d", "missed"),
        "never_mislead": ("3.2.c", "violated"),
        "stay_patient": ("3.2.c", "violated"),
    },
    # decides alone: the write-off granted at the window, the supervisor never asked
    "solo": {
        "refund_answered": ("3.2.c", "violated"),
        "refund_taken_up": ("3.3.d", "missed"),
        "no_overstepping": ("3.3.d", "violated"),
    },
    # opens the module and looks the readings up without a word to the customer: looking first
    # is right, leaving the customer's question hanging costs its points and passes
    "paperwork_first": {"no_guessing": ("3.2.c", "missed")},
}
PASSED = {
    "expert": True,
    "careless": True,
    "panicky": False,
    "brusque": False,
    "solo": False,
    "paperwork_first": True,
}
CRITICAL = {"panicky": ("3.3.d",), "solo": ("3.3.d",)}

SEEDS = [0, 1, 5, 7]


@pytest.fixture(scope="module")
def billing(procedure: Procedure) -> LoadedScenario:
    return find_scenario("billing_dispute", procedure.ids)


def _finding(session: Session, rule: str):
    return next(f for f in session.report.findings if f.rule == rule)


def _seed_for(loaded: LoadedScenario, variant: str) -> int:
    return next(s for s in range(500) if Engine(loaded, s).variant.id == variant)


def _play(loaded, procedure, seed, **kw) -> Session:
    return play_agent(loaded, procedure, seed, Clerk(seed, "payer", **kw))


# -- the expert and each flaw ---------------------------------------------------------------


@settings(max_examples=25, deadline=None)
@given(seed=st.integers(min_value=0, max_value=2**32 - 1))
def test_the_expert_scores_full_marks_on_any_seed(billing, procedure, seed):
    report = play_agent(billing, procedure, seed, "expert").report
    assert report.score == 100 and report.passed


@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("agent", sorted(EXPECTED))
def test_each_trainee_loses_exactly_its_flaw(billing, procedure, agent, seed):
    session = play_agent(billing, procedure, seed, agent)
    assert broken(session) == EXPECTED[agent]
    assert session.report.passed is PASSED[agent]
    assert session.report.critical_failures == CRITICAL.get(agent, ())


def test_the_seeds_cover_every_variant(billing):
    assert {Engine(billing, s).variant.id for s in SEEDS} == {
        v.id for v in billing.scenario.variants
    }


def test_the_expert_looks_before_it_says_anything_about_the_cause(billing, procedure):
    for seed in SEEDS:
        trace = play_agent(billing, procedure, seed, "expert").engine.trace
        names = [e.name for e in trace]
        asked = next(
            i for i, e in enumerate(trace) if e.name == "customer_says" and e.arg("node") == "cause"
        )
        assert names.index("check_readings") < names.index("system_shows") < asked
        said = [e.arg("reply") for e in trace if e.name == "say"]
        assert said[0] == "complaint_look" and said[1] == "cause_truth"


def test_each_variant_shows_its_readings_and_the_answer_matches_them(billing, procedure):
    f = facts()
    truths = {
        "estimated": ("估抄", "估少了", None),
        "swapped": ("8436", "两位数录反了", None),
        "tiered": (f"第一档年度额度{f['tier1_annual_kwh']}千瓦时", "第一档一年的额度", "2,905"),
    }
    for variant, (in_note, in_answer, total) in truths.items():
        engine = play_agent(billing, procedure, _seed_for(billing, variant), "expert").engine
        assert [e.arg("note") for e in engine.trace if e.name == "system_shows"] == [variant]
        note = engine.render(billing.scenario.notes[variant].zh, "zh")
        assert in_note in note and "{" not in note
        if total is not None:  # past the first tier, inside the second
            kwh = int(total.replace(",", ""))
            assert int(f["tier1_annual_kwh"]) < kwh < int(f["tier2_annual_kwh"]) and total in note
        assert in_answer in engine.variant.fill("{cause_truth}", "zh")


def test_the_meter_test_answer_gives_the_time_limit_and_keeps_the_bill_due(billing):
    node = billing.scenario.customer("payer").dialogue["test_ask"]
    right = next(r for r in node.replies if r.id == "test_yes")
    assert "{facts.meter_test_days}个工作日" in right.zh and "还是要按时交" in right.zh


# -- one test per key decision --------------------------------------------------------------


@pytest.mark.parametrize(
    ("variant", "guess", "evidence"),
    [
        ("estimated", "guess_use", "一个人都没有"),
        ("swapped", "guess_meter", "检定过的"),
        ("tiered", "guess_use", "少用了十几度"),
    ],
)
def test_a_guessed_cause_meets_the_customers_own_evidence(
    billing, procedure, variant, guess, evidence
):
    seed = _seed_for(billing, variant)
    session = _play(billing, procedure, seed, answers={"complaint": guess})
    assert broken(session) == {
        "no_guessing": ("3.2.c", "violated"),
        "never_mislead": ("3.2.c", "violated"),
    }
    assert not session.report.passed and session.report.critical_failures == ()
    objection = next(
        e
        for e in session.engine.trace
        if e.name == "customer_says" and e.arg("node") == "objection"
    )
    line = billing.scenario.customer("payer").dialogue["objection"].says.zh
    assert evidence in session.engine.render(line, "zh") and objection.t > 0


def test_insisting_on_the_guess_brings_a_threat_and_answering_it_back_is_a_quarrel(
    billing, procedure
):
    seed = _seed_for(billing, "swapped")
    answers = {"complaint": "guess_meter", "objection": "objection_insist", "threat": "threat_back"}
    session = _play(billing, procedure, seed, answers=answers)
    # the customer is gone before anything is opened: nothing is looked up, told or logged
    assert broken(session) == {
        "right_module": ("3.1.b", "missed"),
        "no_guessing": ("3.2.c", "violated"),
        "readings_checked": ("3.2.c", "missed"),
        "no_quarrel": ("3.3.b", "violated"),
        "not_driven_away": ("3.3.b", "violated"),
        "never_mislead": ("3.2.c", "violated"),
        "stay_patient": ("3.2.c", "violated"),
        "result_told": ("3.1.e", "missed"),
        "result_recorded": ("3.1.e", "missed"),
    }
    assert session.report.critical_failures == ("3.3.b",)
    names = [e.name for e in session.engine.trace]
    assert "complaint_threatened" in names
    assert "账单又不是我出的" in session.words().evidence(_finding(session, "no_quarrel"))


def test_a_threat_taken_calmly_costs_only_the_guess(billing, procedure):
    seed = _seed_for(billing, "estimated")
    answers = {"complaint": "guess_use", "objection": "objection_insist", "threat": "threat_calm"}
    session = _play(billing, procedure, seed, answers=answers)
    assert broken(session) == {
        "no_guessing": ("3.2.c", "violated"),
        "never_mislead": ("3.2.c", "violated"),
    }
    assert session.report.critical_failures == ()


def test_jargon_gets_i_dont_follow_and_costs_the_terms(billing, procedure):
    seed = _seed_for(billing, "tiered")
    session = _play(billing, procedure, seed, answers={"cause": "cause_jargon"})
    assert broken(session) == {
        "cause_explained": ("3.2.c", "violated"),
        "terms_accurate": ("3.2.b", "violated"),
    }
    nodes = [e.arg("node") for e in session.engine.trace if e.name == "customer_says"]
    assert nodes.index("huh") < nodes.index("test_ask")
    assert "功率因数" in session.words().evidence(_finding(session, "terms_accurate"))


def test_an_evasive_answer_gets_the_question_again_and_twice_a_demand_for_the_boss(
    billing, procedure
):
    seed = _seed_for(billing, "estimated")
    once = _play(billing, procedure, seed, answers={"cause": "cause_vague"})
    assert broken(once) == {
        "cause_explained": ("3.2.c", "violated"),
        "never_mislead": ("3.2.c", "violated"),
    }
    nodes = [e.arg("node") for e in once.engine.trace if e.name == "customer_says"]
    assert "cause_again" in nodes and not once.report.passed
    twice = _play(
        billing, procedure, seed, answers={"cause": "cause_vague", "cause_again": "again_vague"}
    )
    assert broken(twice)["not_pushed_to_demand_a_superior"] == ("3.2.c", "violated")
    assert [e.arg("customer") for e in twice.engine.trace if e.name == "supervisor_demanded"] == [
        "payer"
    ]


@pytest.mark.parametrize("answer", ["test_hold", "test_refuse"])
def test_the_meter_test_answered_wrongly_is_caught(billing, procedure, answer):
    seed = _seed_for(billing, "swapped")
    session = _play(billing, procedure, seed, answers={"test_ask": answer})
    assert broken(session) == {
        "test_answered": ("3.2.c", "violated"),
        "never_mislead": ("3.2.c", "violated"),
    }
    assert not session.report.passed


@pytest.mark.parametrize("variant", ["estimated", "swapped", "tiered"])
def test_a_refund_granted_at_the_window_is_critical_even_when_it_is_due(
    billing, procedure, variant
):
    seed = _seed_for(billing, variant)
    session = _play(billing, procedure, seed, answers={"refund_ask": "refund_overstep"})
    assert broken(session) == {
        "refund_answered": ("3.2.c", "violated"),
        "refund_taken_up": ("3.3.d", "missed"),
        "no_overstepping": ("3.3.d", "violated"),
    }
    assert session.report.critical_failures == ("3.3.d",)


def test_a_flat_no_to_the_refund_misleads_but_is_not_critical(billing, procedure):
    seed = _seed_for(billing, "swapped")
    session = _play(billing, procedure, seed, answers={"refund_ask": "refund_deny"})
    assert broken(session) == {
        "refund_answered": ("3.2.c", "violated"),
        "refund_taken_up": ("3.3.d", "missed"),
        "never_mislead": ("3.2.c", "violated"),
    }
    assert session.report.critical_failures == () and not session.report.passed


def test_never_looking_costs_more_than_looking_and_answering_badly(billing, procedure):
    # without the look-up the question about the cause never comes, nor what follows it
    seed = _seed_for(billing, "tiered")
    never = _play(billing, procedure, seed, skip=("check_readings",))
    assert broken(never) == {"readings_checked": ("3.2.c", "missed")}
    assert not never.report.passed
    badly = _play(billing, procedure, seed, answers={"cause": "cause_vague"})
    assert never.report.score < badly.report.score


# -- gaming probes ---------------------------------------------------------------------------


def test_guessing_fails_and_doing_less_earns_nothing(billing, procedure):
    runs = gaming_runs(billing, procedure, 20)
    for pattern in PATTERNS:
        assert sum(r.passed for r in runs[pattern]) <= 2, pattern
        assert all(r.score < 100 for r in runs[pattern]), pattern
    avoided = [r for r in runs["avoider"] if r.avoided]
    assert avoided and not any(r.passed for r in avoided)


def test_handing_the_bill_to_the_supervisor_just_in_case_is_not_free(billing, procedure):
    # the candidate who escalates everything: the supervisor asked for help as soon as the
    # customer comes in, reported to, and the complaint written up, though nobody complained
    seed = _seed_for(billing, "estimated")
    extra = ("ask_supervisor_help", "report_supervisor", "record_complaint")
    session = _play(billing, procedure, seed, extra=extra)
    assert broken(session) == {"no_passing_the_buck": ("3.2.c", "violated")}
    assert session.report.score < 100
    # asking once the customer wants a refund is what the procedure asks, not passing the buck
    assert _finding(play_agent(billing, procedure, seed, "expert"), "refund_taken_up").verdict == (
        "met"
    )


def test_the_right_reply_is_not_given_away_by_its_length(billing):
    right = {
        "complaint_look",
        "objection_look",
        "threat_calm",
        "cause_truth",
        "huh_plain",
        "again_truth",
        "test_yes",
        "refund_refer",
    }
    for variant in billing.scenario.variants:
        longest, shortest = set(), set()
        for node in billing.scenario.customer("payer").dialogue.values():
            if len(node.replies) >= 2:
                by_length = sorted(node.replies, key=lambda r: len(variant.fill(r.zh, "zh")))
                longest.add(by_length[-1].id)
                shortest.add(by_length[0].id)
        assert 0 < len(longest & right) < len(longest) - 2, (variant.id, longest)
        assert len(shortest & right) <= 1, (variant.id, shortest)

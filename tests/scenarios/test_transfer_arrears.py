"""更名过户遇上欠费: the account looked up before anything is said about it; arrears explained
truthfully and settled before the transfer, never waived or split on the spot; the names on the
form checked against the new owner's papers; nothing accepted for a husband whose wife owns the
flat without her letter. Each scripted trainee loses exactly what its flaw deserves, each key
decision is caught with its clause, and the candidate who submits before the payment shows, or
never looks, does not pass."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from authoring.probes import PATTERNS, Omit, _play, gaming_runs
from scoring.session import play_agent, score_actions
from sim.engine import Engine
from sim.identity import age_on, read
from sim.library import find_scenario
from sim.trace import TimedAction
from tests.scenarios.kit import broken_rules as _broken
from tests.scenarios.kit import choices, right_by_length
from tests.scenarios.kit import score_without as _score_without
from tests.scenarios.kit import swap_reply as _swap

SEEDS = {"buyer_pays_now": 0, "paid_by_seller": 1, "husband_wifes_deed": 5}

_UNCHECKED = {
    "entry_checked": ("3.2.a", "missed"),
    "checked_before_submitting": ("3.2.a", "violated"),
    "no_wrong_details": ("3.1.c", "violated"),
    "result_recorded": ("3.1.e", "missed"),
}
EXPECTED = {
    # submits unchecked: the seller's name, the wrong building number go into the system
    ("careless", "buyer_pays_now"): _UNCHECKED,
    ("careless", "paid_by_seller"): _UNCHECKED,
    ("careless", "husband_wifes_deed"): {"result_recorded": ("3.1.e", "missed")},
    # says what pleases: "I'll transfer it on my say", hides the mismatch, gives the seller's
    # number, puts it in the husband's name (all critical under 3.3.d)
    ("panicky", "buyer_pays_now"): {
        "settled_before_transfer": ("3.1.d", "violated"),
        "greeted": ("3.2.c", "violated"),
        "arrears_explained": ("3.2.c", "violated"),
        "never_mislead": ("3.2.c", "violated"),
        "nothing_decided_alone": ("3.3.d", "violated"),
    },
    ("panicky", "paid_by_seller"): {
        "greeted": ("3.2.c", "violated"),
        "mismatch_explained": ("3.2.c", "violated"),
        "seller_number_declined": ("3.2.c", "violated"),
        "never_mislead": ("3.2.c", "violated"),
        "no_disclosure": ("1", "violated"),
        "nothing_decided_alone": ("3.3.d", "violated"),
    },
    ("panicky", "husband_wifes_deed"): {
        "husband_greeted": ("3.2.c", "violated"),
        "what_to_bring_told": ("local:one_go", "violated"),
        "never_mislead": ("3.2.c", "violated"),
        "nothing_decided_alone": ("3.3.d", "violated"),
    },
    # curt: "why? those are the rules" draws a complaint, answering it back is a quarrel and
    # the buyer walks out with nothing done
    # the buyer's threat to complain takes the clerk off the reply in hand (the desk's alarm), so
    # the papers are taken before he storms out; nothing submitted
    ("brusque", "buyer_pays_now"): {
        "application_submitted": ("3.1.d", "missed"),
        "result_told": ("3.1.e", "missed"),
        "result_recorded": ("3.1.e", "missed"),
        "greeted": ("3.2.c", "violated"),
        "objection_answered": ("3.2.c", "violated"),
        "stay_patient": ("3.2.c", "violated"),
        "complaint_reported": ("3.3.b", "missed"),
        "no_quarrel": ("3.3.b", "violated"),
    },
    ("brusque", "paid_by_seller"): {
        "greeted": ("3.2.c", "violated"),
        "account_answered": ("3.2.c", "violated"),
        "seller_number_declined": ("3.2.c", "violated"),
        "stay_patient": ("3.2.c", "violated"),
    },
    ("brusque", "husband_wifes_deed"): {
        "husband_greeted": ("3.2.c", "violated"),
        "husband_objection_answered": ("3.2.c", "violated"),
        "stay_patient": ("3.2.c", "violated"),
    },
    # promises "done today" at the greeting
    ("solo", "buyer_pays_now"): {
        "greeted": ("3.2.c", "violated"),
        "never_mislead": ("3.2.c", "violated"),
    },
    ("solo", "paid_by_seller"): {},
    ("solo", "husband_wifes_deed"): {
        "husband_greeted": ("3.2.c", "violated"),
        "never_mislead": ("3.2.c", "violated"),
    },
    # the form before the customer: the transfer goes in while the arrears still show
    ("paperwork_first", "buyer_pays_now"): {
        "settled_before_transfer": ("3.1.d", "violated"),
        "greeted": ("3.2.c", "violated"),
        "arrears_explained": ("3.2.c", "violated"),
    },
    ("paperwork_first", "paid_by_seller"): {
        "greeted": ("3.2.c", "violated"),
        "account_answered": ("3.2.c", "violated"),
        "mismatch_explained": ("3.2.c", "violated"),
    },
    ("paperwork_first", "husband_wifes_deed"): {"husband_greeted": ("3.2.c", "violated")},
}
for _v in SEEDS:
    EXPECTED[("expert", _v)] = {}
PASSES = {
    *(("expert", v) for v in SEEDS),
    ("careless", "husband_wifes_deed"),
    *(("solo", v) for v in SEEDS),
    ("paperwork_first", "paid_by_seller"),
    ("paperwork_first", "husband_wifes_deed"),
}
CRITICAL = {
    **{("panicky", v): ("3.3.d",) for v in SEEDS},
    ("brusque", "buyer_pays_now"): ("3.3.b",),
}
WRONG_FIELD = {"buyer_pays_now": ["address"], "paid_by_seller": ["name"]}
DAY = date(2026, 5, 19)


@pytest.fixture(scope="module")
def transfer(procedure):
    return find_scenario("transfer_arrears", procedure.ids)


def _expert(loaded, procedure, variant):
    return play_agent(loaded, procedure, SEEDS[variant], "expert")


def test_the_seeds_draw_the_variants(transfer):
    assert {v: Engine(transfer, s).variant.id for v, s in SEEDS.items()} == {v: v for v in SEEDS}


@settings(max_examples=25, deadline=None)
@given(seed=st.integers(min_value=0, max_value=2**32 - 1))
def test_the_expert_scores_full_marks_on_any_seed(transfer, procedure, seed):
    report = play_agent(transfer, procedure, seed, "expert").report
    assert report.score == 100 and report.passed


@pytest.mark.parametrize("agent_variant", sorted(EXPECTED), ids="-".join)
def test_each_trainee_loses_exactly_its_flaw(transfer, procedure, agent_variant):
    agent, variant = agent_variant
    report = play_agent(transfer, procedure, SEEDS[variant], agent).report
    assert _broken(report) == EXPECTED[agent_variant]
    assert report.passed is (agent_variant in PASSES)
    assert report.critical_failures == CRITICAL.get(agent_variant, ())
    assert report.score == _score_without(transfer, report, EXPECTED[agent_variant])


def test_every_id_number_is_valid_and_fits_the_person(transfer):
    people = {
        "320105198809090919": ("male", 37),  # Zhang Lei, Jianye
        "320114199102140629": ("female", 35),  # He Jing, Yuhuatai
        "320106198311300372": ("male", 42),  # Zhu Yongqiang, Gulou
    }
    seen = set()
    for c in transfer.scenario.customers:
        values = [*c.application.values()]
        values += [v for d in c.documents for v in d.fields.values()]
        for v in values:
            if len(v) == 18 and v[:17].isdigit():
                seen.add(v)
                who = read(v)
                assert (who.sex, age_on(who.born, DAY)) == people[v]
        phone = c.application["phone"]
        assert len(phone) == 11 and phone[0] == "1" and phone[1] in "3456789"
    assert seen == set(people)


@pytest.mark.parametrize("variant", sorted(WRONG_FIELD))
def test_only_checking_finds_the_variants_mismatch(transfer, procedure, variant):
    expert = _expert(transfer, procedure, variant).engine
    found = [e.arg("field") for e in expert.trace if e.name == "discrepancy_found"]
    assert found == WRONG_FIELD[variant]


# -- the key decisions -------------------------------------------------------------------------


def test_the_arrears_question_comes_only_after_the_look_up(transfer, procedure):
    """Not looking the account up: the system never shows the arrears, the buyer never asks,
    and the look-up itself is missed (3.2.c) — heavy enough, with what follows, to fail."""
    seed = SEEDS["buyer_pays_now"]
    report = _play(transfer, procedure, seed, Omit(seed, "query_account"), "", "zh")
    broken = {f.rule for f in report.findings if f.verdict in ("violated", "missed")}
    assert "account_looked_up" in broken and not report.passed
    played = _expert(transfer, procedure, "buyer_pays_now")
    events = [(e.name, e.arg("note") or e.arg("node")) for e in played.engine.trace]
    looked = next(a.t for a in played.actions if a.action == "query_account")
    asked = next(e.t for e in played.engine.trace if e.arg("node") == "ask_arrears")
    assert ("system_shows", "arrears") in events and asked > looked


def test_transferring_before_the_payment_shows_is_caught(transfer, procedure):
    """Never telling the buyer how to pay: the payment never comes, and the transfer goes in
    with the arrears still showing (3.1.d) — the form-first clerk's mistake too."""
    played = _expert(transfer, procedure, "buyer_pays_now")
    actions = [a for a in played.actions if a.args.get("reply") != "b_pay_ok"]
    result = score_actions(transfer, procedure, SEEDS["buyer_pays_now"], actions)
    assert not [e for e in result.engine.trace if e.arg("note") == "paid_now"]
    broken = _broken(result.report)
    assert broken["settled_before_transfer"] == ("3.1.d", "violated")
    assert not result.report.passed and result.report.critical_failures == ()


@pytest.mark.parametrize(
    ("old", "new"), [("b_arr_ok", "b_arr_waive"), ("b_obj_explain", "b_obj_split")]
)
def test_waiving_or_splitting_the_debt_on_the_spot_is_critical(transfer, procedure, old, new):
    played = _expert(transfer, procedure, "buyer_pays_now")
    actions = _swap(played.actions, old, new)
    report = score_actions(transfer, procedure, SEEDS["buyer_pays_now"], actions).report
    assert report.critical_failures == ("3.3.d",)


def test_blaming_the_law_draws_the_objection(transfer, procedure):
    played = _expert(transfer, procedure, "buyer_pays_now")
    actions = _swap(played.actions, "b_arr_ok", "b_arr_law")
    actions = _swap(actions, "b_obj_explain", "b_law_correct")
    result = score_actions(transfer, procedure, SEEDS["buyer_pays_now"], actions)
    said = [e.arg("node") for e in result.engine.trace if e.name == "customer_says"]
    assert "objects_law" in said and "objects" not in said
    assert _broken(result.report) == {
        "arrears_explained": ("3.2.c", "violated"),
        "never_mislead": ("3.2.c", "violated"),
    }


def test_a_curt_answer_draws_a_complaint_and_answering_back_is_a_quarrel(transfer, procedure):
    played = _expert(transfer, procedure, "buyer_pays_now")
    seed = SEEDS["buyer_pays_now"]
    actions = _swap(played.actions, "b_obj_explain", "b_obj_curt")
    at = next(a.t for a in actions if a.args.get("reply") == "b_obj_curt")
    rest = [a for a in actions if a.t <= at]
    argued = [*rest, TimedAction(at + 5, "say", {"reply": "b_complain_argue"})]
    result = score_actions(transfer, procedure, seed, argued)
    assert "complaint_threatened" in [e.name for e in result.engine.trace]
    assert result.report.critical_failures == ("3.3.b",)


def test_the_sellers_number_is_not_given(transfer, procedure):
    played = _expert(transfer, procedure, "paid_by_seller")
    actions = _swap(played.actions, "a_seller_ok", "a_seller_give")
    report = score_actions(transfer, procedure, SEEDS["paid_by_seller"], actions).report
    assert _broken(report) == {
        "seller_number_declined": ("3.2.c", "violated"),
        "no_disclosure": ("1", "violated"),
    }
    assert not report.passed


def test_the_husband_is_not_accepted_without_his_wifes_letter(transfer, procedure):
    played = _expert(transfer, procedure, "husband_wifes_deed")
    told = next(a.t for a in played.actions if a.action == "inform_customer")
    actions = sorted(
        [
            *played.actions,
            TimedAction(told - 0.5, "enter_customer_data", {}),
            TimedAction(told - 0.4, "verify_data", {}),
            TimedAction(told - 0.3, "submit_application", {}),
        ],
        key=lambda a: a.t,
    )
    result = score_actions(transfer, procedure, SEEDS["husband_wifes_deed"], actions)
    assert [e.arg("paper") for e in result.engine.trace if e.name == "paper_missing"] == [
        "authorisation"
    ]
    assert _broken(result.report)["not_accepted_without_authority"] == ("3.1.d", "violated")
    assert not result.report.passed and result.report.critical_failures == ()


# -- gaming probes -------------------------------------------------------------------------------


def test_guessing_replies_or_avoiding_work_does_not_pass(transfer, procedure):
    for lang in ("zh", "en"):
        runs = gaming_runs(transfer, procedure, lang=lang)
        for pattern in PATTERNS:
            assert sum(r.passed for r in runs[pattern]) <= 2, (lang, pattern)
            assert not any(r.score >= 100 for r in runs[pattern]), (lang, pattern)
        assert not any(r.passed for r in runs["avoider"] if r.avoided)


def test_the_right_reply_is_not_always_the_longest_or_the_shortest(transfer):
    decisions = choices(transfer)

    longest = right_by_length(decisions, max)
    shortest = right_by_length(decisions, min)
    assert any(longest) and not all(longest)
    assert not all(shortest)


def test_doing_less_never_pays(transfer, procedure):
    for variant, seed in SEEDS.items():
        no_papers = _play(transfer, procedure, seed, Omit(seed, "receive_documents"), "", "zh")
        assert not no_papers.passed, variant
        if variant != "husband_wifes_deed":
            no_submit = _play(transfer, procedure, seed, Omit(seed, "submit_application"), "", "zh")
            assert not no_submit.passed, variant


def test_scoring_the_recorded_actions_gives_the_same_report(transfer, procedure):
    for agent in ("expert", "careless", "panicky", "brusque"):
        played = play_agent(transfer, procedure, 4, agent)
        again = score_actions(transfer, procedure, 4, played.actions)
        assert again.report == played.report

"""一证受理与代办新装: a missing property paper is covered by the pledge, missing authority is not.
The owner with only an ID card is accepted once the pledge is signed; the son without his father's
letter of authority is told in one go what to bring and nothing is accepted; the neighbour with
the letter is accepted without a pledge. Each scripted trainee loses exactly what its flaw
deserves, each key decision is caught with its clause, and a candidate who signs every pledge and
looks everything up "just in case" does not get it for free."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from authoring.probes import PATTERNS, Omit, _play, gaming_runs
from scoring.session import play_agent, score_actions
from sim.agents import Trainee, _do
from sim.engine import Engine
from sim.identity import age_on, read
from sim.library import find_scenario
from sim.trace import TimedAction
from tests.scenarios.kit import broken_rules as _broken
from tests.scenarios.kit import choices, right_by_length
from tests.scenarios.kit import score_without as _score_without
from tests.scenarios.kit import swap_reply as _swap

# the seed of each variant (the first seed that draws it)
SEEDS = {"neighbour_authority": 0, "new_flat": 1, "mortgage_deed": 2, "son_no_authority": 5}

_CARELESS = {
    "entry_checked": ("3.2.a", "missed"),
    "checked_before_submitting": ("3.2.a", "violated"),
    "result_recorded": ("3.1.e", "missed"),
}
_WRONG_IN = {"no_wrong_details": ("3.1.c", "violated")}
# (agent, variant) -> rule -> (clause, verdict) for every rule the flaw breaks; all else is met
# or does not apply
EXPECTED = {
    # submits the form unchecked (the swapped ID digits and the neighbour's own room number go
    # into the system); nothing to check or submit for the son, only the log is missing
    ("careless", "mortgage_deed"): {**_CARELESS, **_WRONG_IN},
    ("careless", "new_flat"): _CARELESS,
    ("careless", "neighbour_authority"): {**_CARELESS, **_WRONG_IN},
    ("careless", "son_no_authority"): {"result_recorded": ("3.1.e", "missed")},
    # says what pleases: waives the pledge / accepts the son on its own say (critical), calls the
    # pledge a formality, hides the mismatch, tells the neighbour the old lady's bills
    ("panicky", "mortgage_deed"): {
        "owner_greeted": ("3.2.c", "violated"),
        "pledge_explained": ("3.2.b", "violated"),
        "mismatch_explained": ("3.2.c", "violated"),
        "commitment_told": ("3.2.c", "violated"),
        "never_mislead": ("3.2.c", "violated"),
        "nothing_decided_alone": ("3.3.d", "violated"),
    },
    ("panicky", "new_flat"): {
        "owner_greeted": ("3.2.c", "violated"),
        "pledge_explained": ("3.2.b", "violated"),
        "commitment_told": ("3.2.c", "violated"),
        "never_mislead": ("3.2.c", "violated"),
        "nothing_decided_alone": ("3.3.d", "violated"),
    },
    ("panicky", "neighbour_authority"): {
        "neighbour_greeted": ("3.2.c", "violated"),
        "mismatch_explained": ("3.2.c", "violated"),
        "other_account_declined": ("3.2.c", "violated"),
        "commitment_told": ("3.2.c", "violated"),
        "never_mislead": ("3.2.c", "violated"),
        "no_disclosure": ("1", "violated"),
        "nothing_decided_alone": ("3.3.d", "violated"),
    },
    ("panicky", "son_no_authority"): {
        "son_greeted": ("3.2.c", "violated"),
        "what_to_bring_told": ("local:one_go", "violated"),
        "never_mislead": ("3.2.c", "violated"),
        "nothing_decided_alone": ("3.3.d", "violated"),
    },
    # curt at every line; with the son, "rules are rules" draws a complaint threat, answering
    # that back is a quarrel (critical) and he walks out untold and unrecorded
    ("brusque", "mortgage_deed"): {
        "pledge_explained": ("3.2.b", "violated"),
        "mismatch_explained": ("3.2.c", "violated"),
        "commitment_told": ("3.2.c", "violated"),
        "payment_explained": ("3.2.c", "violated"),
        "stay_patient": ("3.2.c", "violated"),
    },
    ("brusque", "new_flat"): {
        "pledge_explained": ("3.2.b", "violated"),
        "commitment_told": ("3.2.c", "violated"),
        "payment_explained": ("3.2.c", "violated"),
        "stay_patient": ("3.2.c", "violated"),
    },
    ("brusque", "neighbour_authority"): {
        "neighbour_greeted": ("3.2.c", "violated"),
        "mismatch_explained": ("3.2.c", "violated"),
        "other_account_declined": ("3.2.c", "violated"),
        "commitment_told": ("3.2.c", "violated"),
        "payment_explained": ("3.2.c", "violated"),
        "stay_patient": ("3.2.c", "violated"),
    },
    # the son's threat to complain takes the clerk off the reply in hand (the desk's alarm), so
    # the result is told before he storms out; never recorded
    ("brusque", "son_no_authority"): {
        "result_recorded": ("3.1.e", "missed"),
        "son_greeted": ("3.2.c", "violated"),
        "son_objection_answered": ("3.2.c", "violated"),
        "stay_patient": ("3.2.c", "violated"),
        "complaint_reported": ("3.3.b", "missed"),
        "no_quarrel": ("3.3.b", "violated"),
    },
    # promises a date (and, to the son, "done today"): over-promising, not deciding alone
    ("solo", "mortgage_deed"): {
        "commitment_told": ("3.2.c", "violated"),
        "never_mislead": ("3.2.c", "violated"),
    },
    ("solo", "new_flat"): {
        "commitment_told": ("3.2.c", "violated"),
        "never_mislead": ("3.2.c", "violated"),
    },
    ("solo", "neighbour_authority"): {
        "commitment_told": ("3.2.c", "violated"),
        "never_mislead": ("3.2.c", "violated"),
    },
    ("solo", "son_no_authority"): {
        "son_greeted": ("3.2.c", "violated"),
        "never_mislead": ("3.2.c", "violated"),
    },
    # types on while the customer's lines wait
    ("paperwork_first", "mortgage_deed"): {
        "owner_greeted": ("3.2.c", "violated"),
        "pledge_explained": ("3.2.b", "violated"),
        "mismatch_explained": ("3.2.c", "violated"),
    },
    ("paperwork_first", "new_flat"): {
        "owner_greeted": ("3.2.c", "violated"),
        "pledge_explained": ("3.2.b", "violated"),
    },
    ("paperwork_first", "neighbour_authority"): {
        "neighbour_greeted": ("3.2.c", "violated"),
        "mismatch_explained": ("3.2.c", "violated"),
    },
    ("paperwork_first", "son_no_authority"): {"son_greeted": ("3.2.c", "violated")},
}
for _v in SEEDS:
    EXPECTED[("expert", _v)] = {}
PASSES = {
    ("careless", "son_no_authority"),
    *((a, v) for a in ("expert", "paperwork_first") for v in SEEDS),
    *(("solo", v) for v in SEEDS),
}
CRITICAL = {
    **{("panicky", v): ("3.3.d",) for v in SEEDS},
    ("brusque", "son_no_authority"): ("3.3.b",),
}
# the field each variant's form gets wrong (none: the form is right)
WRONG_FIELD = {"mortgage_deed": ["id_number"], "neighbour_authority": ["address"], "new_flat": []}
DAY = date(2026, 3, 17)  # the scenario's date (header comment)


@pytest.fixture(scope="module")
def one_id(procedure):
    return find_scenario("one_id_agent", procedure.ids)


def _expert(loaded, procedure, variant):
    return play_agent(loaded, procedure, SEEDS[variant], "expert")


def _verdicts(report):
    return {f.rule: f.verdict for f in report.findings}


def test_the_seeds_draw_the_variants(one_id):
    assert {v: Engine(one_id, s).variant.id for v, s in SEEDS.items()} == {v: v for v in SEEDS}


@settings(max_examples=25, deadline=None)
@given(seed=st.integers(min_value=0, max_value=2**32 - 1))
def test_the_expert_scores_full_marks_on_any_seed(one_id, procedure, seed):
    report = play_agent(one_id, procedure, seed, "expert").report
    assert report.score == 100 and report.passed


@pytest.mark.parametrize("agent_variant", sorted(EXPECTED), ids="-".join)
def test_each_trainee_loses_exactly_its_flaw(one_id, procedure, agent_variant):
    agent, variant = agent_variant
    report = play_agent(one_id, procedure, SEEDS[variant], agent).report
    assert _broken(report) == EXPECTED[agent_variant]
    assert report.passed is (agent_variant in PASSES)
    assert report.critical_failures == CRITICAL.get(agent_variant, ())
    assert report.score == _score_without(one_id, report, EXPECTED[agent_variant])


def test_every_id_number_is_valid_nanjing_or_birthplace_and_fits_the_person(one_id):
    """Check digit, sex and age as of the scenario's date; mobile numbers 11 digits."""
    nanjing = {"320102", "320104", "320105", "320106", "320111", "320113", "320114", "320115"}
    nanjing |= {"320116", "320117", "320118"}
    people = {
        "320106198405191437": ("male", 41),  # Wu Haitao
        "320104198405191637": ("male", 41),  # his number with two digits swapped, on the form
        "320115199511020261": ("female", 30),  # Chen Siyu
        "320104195108120310": ("male", 74),  # Zhou Deming
        "320104198002270576": ("male", 46),  # Zhou Kai
        "320102194301090224": ("female", 83),  # Qian Xiuying
        "341122196809140463": ("female", 57),  # Sun Lihua, born in Lai'an, Anhui
    }
    seen = set()
    for c in one_id.scenario.customers:
        values = [*c.application.values()]
        values += [v for d in c.documents for v in d.fields.values()]
        for v in values:
            if len(v) == 18 and v[:17].isdigit():
                seen.add(v)
                who = read(v)
                assert (who.sex, age_on(who.born, DAY)) == people[v]
                assert who.region in nanjing or v.startswith("341122")
        phone = c.application["phone"]
        assert len(phone) == 11 and phone[0] == "1" and phone[1] in "3456789"
    assert seen == set(people)


@pytest.mark.parametrize("variant", sorted(WRONG_FIELD))
def test_only_checking_finds_the_variants_mismatch(one_id, procedure, variant):
    expert = _expert(one_id, procedure, variant).engine
    found = [e.arg("field") for e in expert.trace if e.name == "discrepancy_found"]
    assert found == WRONG_FIELD[variant]
    careless = play_agent(one_id, procedure, SEEDS[variant], "careless").engine
    wrong = [e.arg("field") for e in careless.trace if e.name == "erroneous_submission"]
    assert wrong == WRONG_FIELD[variant]


# -- the key decisions -------------------------------------------------------------------------


def test_the_owner_is_accepted_only_with_the_pledge_signed(one_id, procedure):
    """一证受理: submitting the owner's application without the pledge records the address as
    unproven, and the pledge is missed (3.1.d)."""
    played = _expert(one_id, procedure, "new_flat")
    assert any(a.action == "take_pledge" for a in played.actions)
    actions = [a for a in played.actions if a.action != "take_pledge"]
    result = score_actions(one_id, procedure, SEEDS["new_flat"], actions)
    unproven = [e.arg("field") for e in result.engine.trace if e.name == "unproven_submission"]
    assert unproven == ["address"]
    assert _broken(result.report) == {"pledge_signed": ("3.1.d", "missed")}
    assert result.report.critical_failures == ()


def test_turning_the_owner_away_draws_the_objection(one_id, procedure):
    """Told there is nothing to be done without the deed, the owner answers back ("那我这两个月
    不用电了？"); putting it right then is met, but the wrong refusal still costs its points."""
    played = _expert(one_id, procedure, "new_flat")
    actions = _swap(played.actions, "new_owner_ok", "new_owner_refuse")
    first = next(a for a in actions if a.args.get("reply") == "new_owner_refuse")
    actions = sorted(
        [*actions, TimedAction(first.t + 1, "say", {"reply": "new_objects_correct"})],
        key=lambda a: a.t,
    )
    result = score_actions(one_id, procedure, SEEDS["new_flat"], actions)
    said = [e.arg("node") for e in result.engine.trace if e.name == "customer_says"]
    assert "owner_objects" in said
    objection = one_id.scenario.customer("owner_new").dialogue["owner_objects"].says.zh
    assert "那我这两个月不用电了" in objection
    verdicts = _verdicts(result.report)
    assert verdicts["owner_greeted"] == "violated" and verdicts["never_mislead"] == "violated"
    assert verdicts["owner_objection_answered"] == "met"
    broken = {"owner_greeted": ("3.2.c", "violated"), "never_mislead": ("3.2.c", "violated")}
    assert _broken(result.report) == broken
    assert result.report.score == _score_without(one_id, result.report, broken)


def test_the_son_without_authority_is_not_accepted(one_id, procedure):
    """Pressing submit for the son fails the review (3.1.d, also 3.1.c) and the engine records
    the missing letter; it is heavy enough to fail on its own."""
    played = _expert(one_id, procedure, "son_no_authority")
    record = next(a for a in played.actions if a.action == "inform_customer")
    extra = [
        TimedAction(record.t - 0.5, "enter_customer_data", {}),
        TimedAction(record.t - 0.4, "verify_data", {}),
        TimedAction(record.t - 0.3, "submit_application", {}),
    ]
    actions = sorted([*played.actions, *extra], key=lambda a: a.t)
    result = score_actions(one_id, procedure, SEEDS["son_no_authority"], actions)
    missing = [e.arg("paper") for e in result.engine.trace if e.name == "paper_missing"]
    assert missing == ["authorisation"]
    broken = _broken(result.report)
    assert broken == {
        "not_accepted_without_authority": ("3.1.d", "violated"),
        "receipt_printed": ("3.1.d", "missed"),
    }
    assert not result.report.passed and result.report.critical_failures == ()


def test_the_pledge_cannot_stand_in_for_the_letter(one_id, procedure):
    """Offering the son a pledge instead of the letter misleads (3.2.c) and signing one is its
    own finding (3.1.d)."""
    played = _expert(one_id, procedure, "son_no_authority")
    actions = _swap(played.actions, "bring_all", "bring_pledge")
    at = next(a.t for a in actions if a.args.get("reply") == "bring_pledge")
    actions = sorted([*actions, TimedAction(at + 1, "take_pledge", {})], key=lambda a: a.t)
    report = score_actions(one_id, procedure, SEEDS["son_no_authority"], actions).report
    broken = _broken(report)
    assert broken["no_pledge_for_authority"] == ("3.1.d", "violated")
    assert broken["what_to_bring_told"] == ("local:one_go", "violated")
    assert broken["never_mislead"] == ("3.2.c", "violated")
    assert not report.passed


def test_accepting_the_son_on_the_clerks_own_say_is_critical(one_id, procedure):
    played = _expert(one_id, procedure, "son_no_authority")
    for old, new in (("bring_all", "bring_mysay"), ("objects_explain", "objects_cave")):
        actions = _swap(played.actions, old, new)
        report = score_actions(one_id, procedure, SEEDS["son_no_authority"], actions).report
        assert report.critical_failures == ("3.3.d",), new
        assert _broken(report)["nothing_decided_alone"] == ("3.3.d", "violated")


def test_an_evasive_answer_brings_the_same_question_back(one_id, procedure):
    """ "回去问清楚再来" is not 一次性告知: the son asks again, sharper (the local instruction
    and 3.2.c are broken), and answering it fully then is met."""
    played = _expert(one_id, procedure, "son_no_authority")
    actions = _swap(played.actions, "bring_all", "bring_vague")
    at = next(a.t for a in actions if a.args.get("reply") == "bring_vague")
    again = TimedAction(at + 1, "say", {"reply": "again_all"})
    actions = sorted([*actions, again], key=lambda a: a.t)
    result = score_actions(one_id, procedure, SEEDS["son_no_authority"], actions)
    said = [e.arg("node") for e in result.engine.trace if e.name == "customer_says"]
    assert said.count("ask_again") == 1
    broken = {
        "what_to_bring_told": ("local:one_go", "violated"),
        "never_mislead": ("3.2.c", "violated"),
    }
    assert _broken(result.report) == broken
    rule = next(r for r in one_id.scenario.rules if r.id == "what_to_bring_told")
    assert rule.local == "one_go" and not rule.critical


def test_a_curt_rule_draws_a_complaint_and_answering_it_back_is_a_quarrel(one_id, procedure):
    played = _expert(one_id, procedure, "son_no_authority")
    actions = _swap(played.actions, "objects_explain", "objects_argue")
    at = next(a.t for a in actions if a.args.get("reply") == "objects_argue")
    rest = [a for a in actions if a.t <= at]
    calm = [
        *rest,
        TimedAction(at + 5, "say", {"reply": "complain_calm"}),
        TimedAction(at + 13, "report_supervisor", {}),
        TimedAction(at + 33, "say", {"reply": "format_ok"}),
        TimedAction(at + 41, "inform_customer", {}),
        TimedAction(at + 56, "record_result", {}),
    ]
    result = score_actions(one_id, procedure, SEEDS["son_no_authority"], calm)
    events = [e.name for e in result.engine.trace]
    assert "complaint_threatened" in events
    assert result.report.critical_failures == ()
    assert _verdicts(result.report)["complaint_reported"] == "met"
    argued = [*rest, TimedAction(at + 5, "say", {"reply": "complain_argue"})]
    report = score_actions(one_id, procedure, SEEDS["son_no_authority"], argued).report
    assert report.critical_failures == ("3.3.b",)


def test_the_neighbours_authority_does_not_reach_the_old_ladys_other_account(one_id, procedure):
    """Telling the neighbour about the other account is disclosure (clause 1: national law,
    《个人信息保护法》) and fails alone; looking it up without a word is still a finding."""
    played = _expert(one_id, procedure, "neighbour_authority")
    seed = SEEDS["neighbour_authority"]
    told = score_actions(
        one_id, procedure, seed, _swap(played.actions, "other_decline", "other_disclose")
    ).report
    assert _broken(told)["no_disclosure"] == ("1", "violated") and not told.passed
    at = next(a.t for a in played.actions if a.args.get("reply") == "other_decline")
    looked = sorted([*played.actions, TimedAction(at + 1, "query_account", {})], key=lambda a: a.t)
    report = score_actions(one_id, procedure, seed, looked).report
    assert _broken(report) == {"no_looking_up_for_others": ("1", "violated")}


def test_a_field_by_field_entry_is_checked_too(one_id, procedure):
    """Entered field by field at the desk (the neighbour's address from her own form), the
    check is still required and finds the wrong room number."""
    played = _expert(one_id, procedure, "neighbour_authority")
    seed = SEEDS["neighbour_authority"]
    by_field = []
    for a in played.actions:
        if a.action != "enter_customer_data":
            by_field.append(a)
            continue
        sources = (
            ("name", "id_card"),
            ("id_number", "id_card"),
            ("address", "form"),
            ("phone", "form"),
        )
        for i, (field, source) in enumerate(sources):
            by_field.append(
                TimedAction(a.t + i * 0.01, "enter_field", {"field": field, "source": source})
            )
    result = score_actions(one_id, procedure, seed, by_field)
    found = [e.arg("field") for e in result.engine.trace if e.name == "discrepancy_found"]
    assert found == ["address"] and result.report.score == 100
    unchecked = [a for a in by_field if a.action not in ("verify_data", "correct_data")]
    report = score_actions(one_id, procedure, seed, unchecked).report
    broken = _broken(report)
    assert broken["checked_before_submitting"] == ("3.2.a", "violated")
    assert broken["no_wrong_details"] == ("3.1.c", "violated")


# -- gaming probes -------------------------------------------------------------------------------


class JustInCase(Trainee):
    """A candidate who has the customer sign a pledge every time and looks up the account as
    soon as the module is open, "just in case"."""

    def business(self, obs, key):
        if (
            obs.module is not None
            and "query_account" not in obs.looked_up
            and obs.system == "logged_in"
        ):
            return _do("query_account")
        if obs.documents_received and not obs.pledged and obs.module is not None:
            return _do("take_pledge")
        return super().business(obs, key)


@pytest.mark.parametrize("variant", ["neighbour_authority", "son_no_authority"])
def test_signing_a_pledge_just_in_case_is_not_free(one_id, procedure, variant):
    report = _play(one_id, procedure, SEEDS[variant], JustInCase(SEEDS[variant]), "", "zh")
    broken = _broken(report)
    rule = "no_needless_pledge" if variant == "neighbour_authority" else "no_pledge_for_authority"
    assert broken[rule] == ("3.1.d", "violated")
    assert report.score < 100


def test_guessing_replies_or_avoiding_work_does_not_pass(one_id, procedure):
    runs = gaming_runs(one_id, procedure)
    for pattern in PATTERNS:
        assert sum(r.passed for r in runs[pattern]) <= 2, pattern
        assert not any(r.score >= 100 for r in runs[pattern]), pattern
    assert not any(r.passed for r in runs["avoider"] if r.avoided)


def test_the_right_reply_is_not_always_the_longest_or_the_shortest(one_id):
    decisions = choices(one_id)

    longest = right_by_length(decisions, max)
    shortest = right_by_length(decisions, min)
    assert any(longest) and not all(longest)
    assert any(shortest) and not all(shortest)


class NoPledge(Trainee):
    """The expert, who submits without the customer's pledge."""

    def unproven(self, obs):
        return False


def test_doing_less_never_pays(one_id, procedure):
    """Never submitting an application that can be accepted scores no better than submitting it
    without the pledge, and fails; never taking the papers fails."""
    for variant in ("mortgage_deed", "new_flat", "neighbour_authority"):
        seed = SEEDS[variant]
        no_submit = _play(one_id, procedure, seed, Omit(seed, "submit_application"), "", "zh")
        no_pledge = _play(one_id, procedure, seed, NoPledge(seed), "", "zh")
        assert no_submit.score <= no_pledge.score and not no_submit.passed
    for variant, seed in SEEDS.items():
        no_papers = _play(one_id, procedure, seed, Omit(seed, "receive_documents"), "", "zh")
        assert not no_papers.passed, variant


def test_scoring_the_recorded_actions_gives_the_same_report(one_id, procedure):
    for agent in ("expert", "careless", "panicky", "brusque"):
        played = play_agent(one_id, procedure, 4, agent)
        again = score_actions(one_id, procedure, 4, played.actions)
        assert again.report == played.report

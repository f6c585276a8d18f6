"""居民分布式光伏并网申请: the ways of using and selling the power explained and left to the
customer, the application taken with the right papers and checked, no installer recommended (the
hall's 十个不准), no income figure or date promised; the owner's roof needs the owner's letter
when someone else applies. Each scripted trainee loses exactly what its flaw deserves, each key
decision is caught with its clause, and a candidate who signs a pledge "just in case" or sends
customers to an installer does not get it for free."""

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
SEEDS = {"salesman": 0, "villa": 1, "flat_roof": 2, "tenant": 5}

_UNCHECKED = {
    "entry_checked": ("3.2.a", "missed"),
    "checked_before_submitting": ("3.2.a", "violated"),
    "result_recorded": ("3.1.e", "missed"),
}
_WRONG_IN = {"no_wrong_details": ("3.1.c", "violated")}
_STEERS = {
    "installer_question_answered": ("local:no_steering", "violated"),
    "no_steering": ("local:no_steering", "violated"),
}
_PROMISES = {
    "income_not_promised": ("3.2.c", "violated"),
    "date_not_promised": ("3.2.c", "violated"),
    "never_mislead": ("3.2.c", "violated"),
}
# (agent, variant) -> rule -> (clause, verdict) for every rule the flaw breaks
EXPECTED = {
    # submits unchecked: the swapped house number and the tenant's own name go into the system
    ("careless", "flat_roof"): {**_UNCHECKED, **_WRONG_IN},
    ("careless", "villa"): _UNCHECKED,
    ("careless", "tenant"): {**_UNCHECKED, **_WRONG_IN},
    ("careless", "salesman"): {"result_recorded": ("3.1.e", "missed")},
    # says what pleases: net metering, a firm to go to, four thousand a year, a date
    ("panicky", "flat_roof"): {
        "modes_explained": ("3.2.b", "violated"),
        "mismatch_explained": ("3.2.c", "violated"),
        **_STEERS,
        **_PROMISES,
        "terms_accurate": ("3.2.b", "violated"),
        "nothing_decided_alone": ("3.3.d", "violated"),
    },
    ("panicky", "villa"): {**_STEERS, **_PROMISES, "nothing_decided_alone": ("3.3.d", "violated")},
    ("panicky", "tenant"): {
        "mismatch_explained": ("3.2.c", "violated"),
        **_STEERS,
        **_PROMISES,
        "nothing_decided_alone": ("3.3.d", "violated"),
    },
    ("panicky", "salesman"): {
        "sales_greeted": ("3.2.c", "violated"),
        "what_to_bring_told": ("local:one_go", "violated"),
        "never_mislead": ("3.2.c", "violated"),
    },
    # curt throughout; the salesman threatens a complaint, is answered back and walks out
    ("brusque", "flat_roof"): {
        "greeted": ("3.2.c", "violated"),
        "modes_explained": ("3.2.b", "violated"),
        "date_not_promised": ("3.2.c", "violated"),
        "stay_patient": ("3.2.c", "violated"),
    },
    ("brusque", "villa"): {
        "greeted": ("3.2.c", "violated"),
        "modes_explained": ("3.2.b", "violated"),
        "income_not_promised": ("3.2.c", "violated"),
        "date_not_promised": ("3.2.c", "violated"),
        "stay_patient": ("3.2.c", "violated"),
    },
    ("brusque", "tenant"): {
        "greeted": ("3.2.c", "violated"),
        "modes_explained": ("3.2.b", "violated"),
        "mismatch_explained": ("3.2.c", "violated"),
        "income_not_promised": ("3.2.c", "violated"),
        "date_not_promised": ("3.2.c", "violated"),
        "stay_patient": ("3.2.c", "violated"),
    },
    # the salesman's threat to complain takes the clerk off the reply in hand (the desk's alarm),
    # so the result is told before he storms out; never recorded
    ("brusque", "salesman"): {
        "result_recorded": ("3.1.e", "missed"),
        "sales_greeted": ("3.2.c", "violated"),
        "sales_objection_answered": ("3.2.c", "violated"),
        "stay_patient": ("3.2.c", "violated"),
        "complaint_reported": ("3.3.b", "missed"),
        "no_quarrel": ("3.3.b", "violated"),
    },
    # promises the income and the date (and, to the salesman, "in the system today")
    ("solo", "flat_roof"): _PROMISES,
    ("solo", "villa"): _PROMISES,
    ("solo", "tenant"): _PROMISES,
    ("solo", "salesman"): {
        "sales_greeted": ("3.2.c", "violated"),
        "never_mislead": ("3.2.c", "violated"),
    },
    # types on while the customer's first lines wait
    ("paperwork_first", "flat_roof"): {
        "greeted": ("3.2.c", "violated"),
        "modes_explained": ("3.2.b", "violated"),
        "mismatch_explained": ("3.2.c", "violated"),
    },
    ("paperwork_first", "villa"): {
        "greeted": ("3.2.c", "violated"),
        "modes_explained": ("3.2.b", "violated"),
    },
    ("paperwork_first", "tenant"): {
        "greeted": ("3.2.c", "violated"),
        "modes_explained": ("3.2.b", "violated"),
        "mismatch_explained": ("3.2.c", "violated"),
    },
    ("paperwork_first", "salesman"): {"sales_greeted": ("3.2.c", "violated")},
}
for _v in SEEDS:
    EXPECTED[("expert", _v)] = {}
PASSES = {
    *(("expert", v) for v in SEEDS),
    *(("paperwork_first", v) for v in SEEDS),
    ("careless", "salesman"),
    ("solo", "salesman"),
}
CRITICAL = {
    ("panicky", "flat_roof"): ("3.3.d",),
    ("panicky", "villa"): ("3.3.d",),
    ("panicky", "tenant"): ("3.3.d",),
    ("brusque", "salesman"): ("3.3.b",),
}
WRONG_FIELD = {"flat_roof": ["address"], "tenant": ["name"], "villa": []}
DAY = date(2026, 4, 14)  # the scenario's date (header comment)


@pytest.fixture(scope="module")
def solar(procedure):
    return find_scenario("rooftop_solar", procedure.ids)


def _expert(loaded, procedure, variant):
    return play_agent(loaded, procedure, SEEDS[variant], "expert")


def _with(actions, *extra):
    return sorted([*actions, *extra], key=lambda a: a.t)


def test_the_seeds_draw_the_variants(solar):
    assert {v: Engine(solar, s).variant.id for v, s in SEEDS.items()} == {v: v for v in SEEDS}


@settings(max_examples=25, deadline=None)
@given(seed=st.integers(min_value=0, max_value=2**32 - 1))
def test_the_expert_scores_full_marks_on_any_seed(solar, procedure, seed):
    report = play_agent(solar, procedure, seed, "expert").report
    assert report.score == 100 and report.passed


@pytest.mark.parametrize("agent_variant", sorted(EXPECTED), ids="-".join)
def test_each_trainee_loses_exactly_its_flaw(solar, procedure, agent_variant):
    agent, variant = agent_variant
    report = play_agent(solar, procedure, SEEDS[variant], agent).report
    assert _broken(report) == EXPECTED[agent_variant]
    assert report.passed is (agent_variant in PASSES)
    assert report.critical_failures == CRITICAL.get(agent_variant, ())
    assert report.score == _score_without(solar, report, EXPECTED[agent_variant])


def test_every_id_number_is_valid_and_fits_the_person(solar):
    people = {
        "320115196910030113": ("male", 56),  # Tao Jianjun, Jiangning
        "320113197806210845": ("female", 47),  # Lin Wanqing, Qixia
        "320111199004080731": ("male", 36),  # Ma Xiaojun, Pukou
        "320111196212150358": ("male", 63),  # Huang Guoping, Pukou
        "321283199307300154": ("male", 32),  # Liu Feng, born in Taixing
        "320116195602110463": ("female", 70),  # Xu Guilan, Luhe
    }
    seen = set()
    for c in solar.scenario.customers:
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
def test_only_checking_finds_the_variants_mismatch(solar, procedure, variant):
    expert = _expert(solar, procedure, variant).engine
    found = [e.arg("field") for e in expert.trace if e.name == "discrepancy_found"]
    assert found == WRONG_FIELD[variant]
    careless = play_agent(solar, procedure, SEEDS[variant], "careless").engine
    wrong = [e.arg("field") for e in careless.trace if e.name == "erroneous_submission"]
    assert wrong == WRONG_FIELD[variant]


# -- the key decisions -------------------------------------------------------------------------


def test_recommending_an_installer_fails_on_the_local_instruction(solar, procedure):
    """十个不准: naming a firm is the hall's own rule (local, never critical) and fails alone."""
    played = _expert(solar, procedure, "flat_roof")
    actions = _swap(played.actions, "f_inst_ok", "f_inst_steer")
    report = score_actions(solar, procedure, SEEDS["flat_roof"], actions).report
    assert _broken(report) == _STEERS
    assert report.critical_failures == () and not report.passed
    assert all(not r.critical for r in solar.scenario.rules if r.local == "no_steering")


def test_an_evasive_answer_about_installers_brings_the_question_back(solar, procedure):
    played = _expert(solar, procedure, "villa")
    seed = SEEDS["villa"]
    actions = _swap(played.actions, "v_inst_ok", "v_inst_vague")
    at = next(a.t for a in actions if a.args.get("reply") == "v_inst_vague")
    for answer, steered in (("v_again_ok", False), ("v_again_steer", True)):
        result = score_actions(
            solar, procedure, seed, _with(actions, TimedAction(at + 1, "say", {"reply": answer}))
        )
        said = [e.arg("node") for e in result.engine.trace if e.name == "customer_says"]
        assert "ask_installer_again" in said
        broken = _broken(result.report)
        assert broken["never_mislead"] == ("3.2.c", "violated")
        assert ("no_steering" in broken) is steered


def test_a_promised_income_is_held_up_and_writing_it_down_is_critical(solar, procedure):
    played = _expert(solar, procedure, "villa")
    seed = SEEDS["villa"]
    actions = _swap(played.actions, "v_income_ok", "v_income_promise")
    at = next(a.t for a in actions if a.args.get("reply") == "v_income_promise")
    corrected = score_actions(
        solar,
        procedure,
        seed,
        _with(actions, TimedAction(at + 1, "say", {"reply": "v_hold_correct"})),
    )
    said = [e.arg("node") for e in corrected.engine.trace if e.name == "customer_says"]
    assert "hold_to_it" in said
    assert _broken(corrected.report) == {
        "income_not_promised": ("3.2.c", "violated"),
        "never_mislead": ("3.2.c", "violated"),
    }
    written = score_actions(
        solar,
        procedure,
        seed,
        _with(actions, TimedAction(at + 1, "say", {"reply": "v_hold_write"})),
    ).report
    assert written.critical_failures == ("3.3.d",)


def test_choosing_the_mode_for_the_customer_is_caught(solar, procedure):
    played = _expert(solar, procedure, "flat_roof")
    actions = _swap(played.actions, "f_modes_ok", "f_modes_decide")
    report = score_actions(solar, procedure, SEEDS["flat_roof"], actions).report
    assert _broken(report) == {
        "modes_explained": ("3.2.b", "violated"),
        "never_mislead": ("3.2.c", "violated"),
    }


def test_the_salesman_without_the_owners_letter_is_not_accepted(solar, procedure):
    played = _expert(solar, procedure, "salesman")
    seed = SEEDS["salesman"]
    told = next(a.t for a in played.actions if a.action == "inform_customer")
    submitted = _with(
        played.actions,
        TimedAction(told - 0.5, "enter_customer_data", {}),
        TimedAction(told - 0.4, "verify_data", {}),
        TimedAction(told - 0.3, "submit_application", {}),
    )
    result = score_actions(solar, procedure, seed, submitted)
    missing = [e.arg("paper") for e in result.engine.trace if e.name == "paper_missing"]
    assert missing == ["authorisation"]
    broken = _broken(result.report)
    assert broken["not_accepted_without_authority"] == ("3.1.d", "violated")
    assert not result.report.passed and result.report.critical_failures == ()
    # offering a pledge instead of the letter: misleading, and the pledge is its own finding
    at = next(a.t for a in played.actions if a.args.get("reply") == "s_bring_all")
    pledged = _with(
        _swap(played.actions, "s_bring_all", "s_bring_pledge"),
        TimedAction(at + 1, "take_pledge", {}),
    )
    report = score_actions(solar, procedure, seed, pledged).report
    assert _broken(report)["no_needless_pledge"] == ("3.1.d", "violated")
    assert _broken(report)["what_to_bring_told"] == ("local:one_go", "violated")


def test_agreeing_to_send_customers_to_the_salesman_is_steering(solar, procedure):
    played = _expert(solar, procedure, "salesman")
    actions = _swap(played.actions, "s_inst_ok", "s_inst_steer")
    report = score_actions(solar, procedure, SEEDS["salesman"], actions).report
    assert _broken(report) == _STEERS and not report.passed


def test_a_curt_rule_draws_a_complaint_and_answering_back_is_a_quarrel(solar, procedure):
    played = _expert(solar, procedure, "salesman")
    seed = SEEDS["salesman"]
    actions = _swap(played.actions, "s_objects_explain", "s_objects_argue")
    at = next(a.t for a in actions if a.args.get("reply") == "s_objects_argue")
    rest = [a for a in actions if a.t <= at]
    calm = [
        *rest,
        TimedAction(at + 5, "say", {"reply": "s_complain_calm"}),
        TimedAction(at + 13, "say", {"reply": "s_inst_ok"}),
        TimedAction(at + 21, "report_supervisor", {}),
        TimedAction(at + 41, "inform_customer", {}),
        TimedAction(at + 56, "record_result", {}),
    ]
    result = score_actions(solar, procedure, seed, calm)
    assert "complaint_threatened" in [e.name for e in result.engine.trace]
    assert result.report.critical_failures == ()
    argued = [*rest, TimedAction(at + 5, "say", {"reply": "s_complain_argue"})]
    assert score_actions(solar, procedure, seed, argued).report.critical_failures == ("3.3.b",)


# -- gaming probes -------------------------------------------------------------------------------


class JustInCase(Trainee):
    """A candidate who has every customer sign a pledge "just in case"."""

    def business(self, obs, key):
        if obs.documents_received and not obs.pledged and obs.module is not None:
            return _do("take_pledge")
        return super().business(obs, key)


@pytest.mark.parametrize("variant", sorted(SEEDS))
def test_a_pledge_just_in_case_is_not_free(solar, procedure, variant):
    report = _play(solar, procedure, SEEDS[variant], JustInCase(SEEDS[variant]), "", "zh")
    assert _broken(report)["no_needless_pledge"] == ("3.1.d", "violated")
    assert report.score < 100


def test_guessing_replies_or_avoiding_work_does_not_pass(solar, procedure):
    runs = gaming_runs(solar, procedure)
    for pattern in PATTERNS:
        assert sum(r.passed for r in runs[pattern]) <= 2, pattern
        assert not any(r.score >= 100 for r in runs[pattern]), pattern
    assert not any(r.passed for r in runs["avoider"] if r.avoided)


def test_the_right_reply_is_not_always_the_longest_or_the_shortest(solar):
    decisions = choices(solar)

    longest = right_by_length(decisions, max)
    shortest = right_by_length(decisions, min)
    assert any(longest) and not all(longest)
    assert any(shortest) and not all(shortest)


def test_doing_less_never_pays(solar, procedure):
    for variant, seed in SEEDS.items():
        no_papers = _play(solar, procedure, seed, Omit(seed, "receive_documents"), "", "zh")
        assert not no_papers.passed, variant
        if variant != "salesman":
            no_submit = _play(solar, procedure, seed, Omit(seed, "submit_application"), "", "zh")
            assert not no_submit.passed, variant


def test_scoring_the_recorded_actions_gives_the_same_report(solar, procedure):
    for agent in ("expert", "careless", "panicky", "brusque"):
        played = play_agent(solar, procedure, 4, agent)
        again = score_actions(solar, procedure, 4, played.actions)
        assert again.report == played.report

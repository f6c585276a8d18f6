"""客户情绪激动: an angry customer with a high summer bill; the mood follows the clerk's replies,
and each scripted trainee loses exactly what its flaw deserves.

The scenario as it was when the findings were made is kept in ``as_found/`` beside this file,
so that each finding is shown as it was found and then as it is now."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from authoring.probes import PATTERNS, gaming_runs
from scoring.session import build, judge, play_agent, score_actions
from sim.agents import Trainee, make_agent, run_agent
from sim.engine import Engine
from sim.library import find_scenario, scenario_files
from sim.observation import CustomerView, ReplyView
from sim.oracle import AnswerKey
from sim.scenario import facts, load_scenario
from sim.trace import TimedAction
from sim.vocabulary import vocabulary
from tests.scenarios.kit import broken_rules as _broken

BAD = vocabulary().bad_tags
AS_FOUND = Path(__file__).with_name("as_found") / "irate_customer.yaml"

# rule -> (clause, verdict) for every rule the flaw breaks; everything else must be met (or,
# for the quarrel at the flare-up, never arise)
EXPECTED = {
    "expert": {},
    # keeps no records: neither the complaint's details nor the service log
    "careless": {
        "complaint_recorded": ("3.3.b", "missed"),
        "result_recorded": ("3.1.e", "missed"),
    },
    # says whatever calms: "the price never changed" (asked again, it explains: that pleases
    # more), "it's almost certainly the meter", and held to it, "I'll register the refund",
    # "I'll waive the penalty", "I'll see you get the overcharge back"
    "panicky": {
        "tiers_explained": ("3.2.c", "violated"),
        "meter_test_told": ("3.2.c", "violated"),
        "meter_claim_withdrawn": ("3.2.c", "violated"),
        "bill_answered": ("3.2.c", "violated"),
        "complaint_answered": ("3.2.c", "violated"),
        "never_mislead": ("3.2.c", "violated"),
        "no_overstepping": ("3.3.d", "violated"),
    },
    # snaps at the outburst (the customer threatens to complain), answers back, and is curt
    # about paying and about the complaint (the customer asks for a superior)
    "brusque": {
        "calm_at_outburst": ("3.3.b", "violated"),
        "no_complaint_provoked": ("3.3.b", "violated"),
        "no_superior_demanded": ("3.3.b", "violated"),
        "no_quarrel": ("3.3.b", "violated"),
        "stay_patient": ("3.2.c", "violated"),
        "bill_answered": ("3.2.c", "violated"),
        "complaint_answered": ("3.2.c", "violated"),
    },
    # never tells the superior, and promises the refund on its own say-so
    "solo": {
        "supervisor_told": ("3.3.b", "missed"),
        "complaint_answered": ("3.2.c", "violated"),
        "never_mislead": ("3.2.c", "violated"),
        "no_overstepping": ("3.3.d", "violated"),
    },
    # opens the complaint form and writes it up before saying a word to the shouting customer
    "paperwork_first": {
        "calm_at_outburst": ("3.3.b", "violated"),
        "complaint_heard_out": ("3.3.b", "violated"),
    },
}
PASSES = {"expert"}
# a critical rule broken fails the session whatever the score
CRITICAL = {"panicky": ("3.3.d",), "brusque": ("3.3.b",), "solo": ("3.3.d",)}


@pytest.fixture(scope="module")
def irate(procedure):
    return find_scenario("irate_customer", procedure.ids)


@pytest.fixture(scope="module")
def as_found(procedure):
    return load_scenario(AS_FOUND, procedure.ids)


def _moods(engine):
    return [e.arg("level") for e in engine.trace if e.name == "customer_mood"]


def _seed_for(loaded, variant):
    return next(s for s in range(200) if Engine(loaded, s).variant.id == variant)


class Says(Trainee):
    """The expert, except that wherever a reply with ``words`` in it is on offer, it says that
    one (found by what it says, so the same clerk plays the scenario as found and as it is)."""

    def __init__(self, seed: int, *words: str) -> None:
        super().__init__(seed)
        self.words = words

    def choose_reply(self, c: CustomerView, key: AnswerKey) -> ReplyView:
        for r in c.replies:
            if any(w in r.text.get("zh") for w in self.words):
                return r
        return super().choose_reply(c, key)


def _play(loaded, procedure, seed, agent, semantics=None):
    engine = build(loaded, seed)
    run_agent(loaded, seed, agent, engine=engine)
    report = judge(engine, procedure) if semantics is None else judge(engine, procedure, semantics)
    return engine, report


@settings(max_examples=25, deadline=None)
@given(seed=st.integers(min_value=0, max_value=2**32 - 1))
def test_the_expert_settles_the_complaint_with_full_marks_on_any_seed(irate, procedure, seed):
    report = play_agent(irate, procedure, seed, "expert").report
    assert report.score == 100 and report.passed


@pytest.mark.parametrize("seed", [0, 1, 2, 5, 11])
@pytest.mark.parametrize("agent", sorted(EXPECTED))
def test_each_trainee_loses_exactly_its_flaw(irate, procedure, agent, seed):
    report = play_agent(irate, procedure, seed, agent).report
    assert _broken(report) == EXPECTED[agent]
    assert report.passed is (agent in PASSES)
    assert report.critical_failures == CRITICAL.get(agent, ())


def test_the_seeds_above_cover_every_variant(irate):
    drawn = {Engine(irate, s).variant.id for s in (0, 1, 2, 5, 11)}
    assert drawn == {v.id for v in irate.scenario.variants}


def test_careless_fails_on_the_unrecorded_complaint_by_points_not_by_a_veto(irate, procedure):
    # recording a complaint is 3.3.b's duty but not a red line: it costs enough to fail
    report = play_agent(irate, procedure, 0, "careless").report
    assert report.score < report.pass_mark and not report.critical_failures


def test_calm_accurate_replies_bring_the_customer_round(irate, procedure):
    engine = play_agent(irate, procedure, 3, "expert").engine
    assert _moods(engine) == ["uneasy", "calm"]  # from angry at the window to calm
    assert not any(e.name == "customer_leaves" for e in engine.trace)


def test_curt_replies_draw_a_sharper_line_and_leave_the_customer_angry(irate, procedure):
    engine = play_agent(irate, procedure, 3, "brusque").engine
    nodes = [e.arg("node") for e in engine.trace if e.name == "customer_says"]
    assert nodes == ["outburst", "flare", "cause", "worry", "pay_now", "demand"]
    assert "calm" not in _moods(engine) and _moods(engine)[-1] == "angry"


def test_a_customer_nobody_answers_walks_off_angry(irate, procedure):
    t = _arrival(irate, 3)
    actions = [TimedAction(0.0, "log_in"), TimedAction(15.0, "check_system_status")]
    report = score_actions(irate, procedure, 3, actions, end=t + 300).report
    assert _broken(report)["not_driven_away"] == ("3.2.c", "violated")
    assert not report.passed


def test_the_panicky_trainees_soothing_untruths_are_quoted(irate, procedure):
    played = play_agent(irate, procedure, 0, "panicky")
    report = played.report
    said = played.words().evidence
    evidence = {f.rule: said(f) for f in report.findings}
    assert "电价一直没变" in evidence["tiers_explained"] and "隐瞒" in evidence["tiers_explained"]
    assert "八成就是电表的毛病" in evidence["meter_test_told"]
    assert "我先给您登记退掉" in evidence["meter_claim_withdrawn"]
    assert "违约金到时候我给您免掉" in evidence["bill_answered"]
    assert "多收的钱我做主给您退了" in evidence["complaint_answered"]
    # a prohibition quotes the first time it was broken: the refund, held to the meter
    assert "我先给您登记退掉" in evidence["no_overstepping"]


def test_the_tier_explanation_uses_the_companys_figures(irate):
    engine = Engine(irate, _seed_for(irate, "home_office"))
    node = irate.scenario.customer("complainant").dialogue["cause"]
    text = engine.render(next(r.zh for r in node.replies if r.id == "cause_explain"), "zh")
    for name in ("tier1_annual_kwh", "tier2_annual_kwh", "tier2_extra", "tier3_extra"):
        assert str(facts()[name]) in text
    assert "{" not in text and "610度" in text and "按年度累计" in text


def _arrival(loaded, seed: int) -> float:
    """When the customer reaches the window under this seed (drawn from the timeline's range)."""
    engine = Engine(loaded, seed)
    engine.advance(60)
    return next(e.t for e in engine.trace if e.name == "customer_arrives")


def _clerk(
    loaded, seed: int, cause_reply: str = "cause_explain", then: str | None = None
) -> list[TimedAction]:
    """A clerk who does everything by the book except, perhaps, the answer about the bill (and
    ``then`` what it says when the customer answers back)."""
    t = _arrival(loaded, seed) + 2
    steps = [
        (0, "log_in", {}),
        (15, "check_system_status", {}),
        (t, "say", {"reply": "outburst_calm"}),
        (t + 10, "say", {"reply": cause_reply}),
        *([(t + 15, "say", {"reply": then})] if then else []),
        (t + 20, "say", {"reply": "worry_test"}),
        (t + 30, "say", {"reply": "pay_on_time"}),
        (t + 40, "say", {"reply": "demand_record"}),
        (t + 50, "select_module", {"module": "complaint"}),
        (t + 55, "record_complaint", {}),
        (t + 95, "report_supervisor", {}),
        (t + 115, "inform_customer", {}),
        (t + 130, "record_result", {}),
        (t + 145, "finish", {}),
    ]
    return [TimedAction(float(at), action, args) for at, action, args in steps]


def test_a_clerk_who_explains_by_the_book_scores_full_marks(irate, procedure):
    report = score_actions(irate, procedure, 4, _clerk(irate, 4)).report
    assert report.score == 100 and report.passed and not report.invalid_attempts


def test_power_factor_charges_explained_to_a_household_misuse_the_term_and_mislead(
    irate, procedure
):
    # the customer does not understand; the clerk puts it plainly
    played = score_actions(irate, procedure, 4, _clerk(irate, 4, "cause_jargon", "jargon_plain"))
    report = played.report
    said = played.words().evidence
    assert _broken(report) == {
        "terms_accurate": ("3.2.b", "violated"),
        "tiers_explained": ("3.2.c", "violated"),
        "never_mislead": ("3.2.c", "violated"),
    }
    finding = next(f for f in report.findings if f.rule == "terms_accurate")
    assert "功率因数" in said(finding) and "术语不当" in said(finding)
    assert not report.passed  # a false reason for the bill sends the customer home wrong


def test_scoring_the_recorded_actions_gives_the_same_report(irate, procedure):
    for agent in EXPECTED:
        played = play_agent(irate, procedure, 4, agent)
        again = score_actions(irate, procedure, 4, played.actions)
        assert again.report == played.report


# -- the findings, as found and as they are now -----------------------------------------------


def test_finding_no_3_3_d_rule_a_refund_promised_on_ones_own_say_so_passed(
    irate, as_found, procedure
):
    """As found: no rule cited 3.3.d, and a clerk who promised the angry customer the overcharge
    back on their own say-so lost only a 3.2.c point and passed. Now that reply oversteps, and
    a forbidden rule makes it critical under 3.3.d."""
    clerk = "多收的钱我做主给您退了"
    assert "3.3.d" not in {r.clause for r in as_found.scenario.rules}
    _, then = _play(as_found, procedure, 0, Says(0, clerk))
    assert then.passed and _broken(then) == {"never_mislead": ("3.2.c", "violated")}

    rule = next(r for r in irate.scenario.rules if r.id == "no_overstepping")
    assert (rule.template, rule.clause, rule.critical) == ("forbidden", "3.3.d", True)
    _, now = _play(irate, procedure, 0, Says(0, clerk))
    assert _broken(now)["no_overstepping"] == ("3.3.d", "violated")
    assert now.critical_failures == ("3.3.d",) and not now.passed


@pytest.mark.parametrize(
    "words",
    [
        # to stop the 12398 call at the flare-up (which only a curt first answer brings on)
        ("有事说事", "多出来的电费我做主给您减掉一半"),
        ("违约金到时候我给您免掉",),  # when asked whether to pay now
        ("多收的钱我做主给您退了",),  # when the complaint comes with a demand for money back
    ],
)
def test_every_line_where_money_is_at_stake_tempts_a_decision_beyond_authority(
    irate, procedure, words
):
    _, report = _play(irate, procedure, 2, Says(2, *words))
    assert _broken(report)["no_overstepping"] == ("3.3.d", "violated")
    assert report.critical_failures == ("3.3.d",) and not report.passed


def test_finding_the_brusque_trainee_now_fails_clearly_on_the_quarrel(irate, as_found, procedure):
    """As found: the brusque trainee failed here on points alone (75), with no red line crossed.
    Now answering back at the flare-up is a quarrel (3.3.b), critical."""
    _, then = _play(as_found, procedure, 1, make_agent("brusque", 1))
    assert not then.passed and not then.critical_failures and then.score == 75.0
    _, now = _play(irate, procedure, 1, make_agent("brusque", 1))
    assert now.critical_failures == ("3.3.b",) and now.score < now.pass_mark
    quarrel = next(f for f in now.findings if f.rule == "no_quarrel")
    assert quarrel.verdict == "violated" and quarrel.critical


def test_a_curt_remark_made_good_is_a_lapse_not_a_quarrel(irate, procedure):
    # the line is drawn at the flare-up: "just say what you want" then an apology passes
    _, report = _play(irate, procedure, 2, Says(2, "有事说事", "是我刚才说话不妥当"))
    assert _broken(report) == {
        "calm_at_outburst": ("3.3.b", "violated"),
        "stay_patient": ("3.2.c", "violated"),
        "no_complaint_provoked": ("3.3.b", "violated"),  # "信不信我打12398投诉你"
    }
    assert report.passed and not report.critical_failures
    assert next(f for f in report.findings if f.rule == "no_quarrel").verdict == "met"


def test_finding_guessing_by_position_or_length_and_dodging_no_longer_pass(
    irate, as_found, procedure
):
    """As found, the first reply (in the order the desk then showed them) and the longest were
    always the right ones: picking the longest blind passed every run with full marks. Now no
    pattern passes more than 2 runs in 20 or ever scores 100, and the avoider fails every run in
    which it left something out."""
    for c in as_found.scenario.customers:
        for node in c.dialogue.values():
            if node.replies:  # as the desk then showed them, and by length, the right one
                assert not set(node.replies[0].tags) & BAD
                assert not set(max(node.replies, key=lambda r: len(r.zh)).tags) & BAD
    then = gaming_runs(as_found, procedure)
    assert all(r.passed and r.score == 100 for r in then["longest"])
    ranks = set()  # where the right reply stands by length now: first, last or in between
    shown = Engine(irate, 0)  # lengths as the desk shows them, figures and names filled in
    for c in irate.scenario.customers:
        for node in c.dialogue.values():
            if any(set(r.tags) & BAD for r in node.replies):
                by_length = sorted(node.replies, key=lambda r: len(shown.render(r.zh, "zh")))
                good = next(i for i, r in enumerate(by_length) if not set(r.tags) & BAD)
                last = len(by_length) - 1
                ranks.add("shortest" if good == 0 else "longest" if good == last else "between")
    assert ranks == {"shortest", "between", "longest"}
    now = gaming_runs(irate, procedure)
    for pattern in PATTERNS:
        assert sum(r.passed for r in now[pattern]) <= 2, pattern
        assert not any(r.score >= 100 for r in now[pattern]), pattern
    avoided = [r for r in now["avoider"] if r.avoided]
    assert avoided and not any(r.passed for r in avoided)


# -- no credit for doing less --------------------------------------------------------------------


def _without(actions: list[TimedAction], drop) -> list[TimedAction]:
    return [a for a in actions if not drop(a)]


def test_a_clerk_who_never_says_a_word_to_the_customer_fails(irate, procedure):
    expert = play_agent(irate, procedure, 0, "expert").actions
    silent = score_actions(irate, procedure, 0, _without(expert, lambda a: a.action == "say"))
    report = silent.report
    assert not report.passed
    assert _broken(report) == {
        "calm_at_outburst": ("3.3.b", "violated"),
        "complaint_heard_out": ("3.3.b", "violated"),
    }


def test_going_quiet_to_dodge_the_questions_still_to_come_fails(irate, procedure):
    # answers the outburst and why the bill rose, then says nothing more and writes it up
    clerk = _without(
        _clerk(irate, 4),
        lambda a: a.args.get("reply") in ("worry_test", "pay_on_time", "demand_record"),
    )
    report = score_actions(irate, procedure, 4, clerk).report
    assert _broken(report) == {
        "meter_test_told": ("3.2.c", "violated"),
        "complaint_heard_out": ("3.3.b", "violated"),
    }
    assert not report.passed
    # and it does no better than answering the meter question wrongly and the rest right
    wrong = score_actions(irate, procedure, 4, _clerk_with(irate, 4, "worry_brushoff")).report
    assert report.score <= wrong.score


def _clerk_with(loaded, seed: int, worry_reply: str) -> list[TimedAction]:
    return [
        TimedAction(a.t, a.action, {"reply": worry_reply})
        if a.args.get("reply") == "worry_test"
        else a
        for a in _clerk(loaded, seed)
    ]


def test_never_writing_the_complaint_down_is_no_better_than_writing_it_down_too_early(
    irate, procedure
):
    clerk = _clerk(irate, 4)
    unrecorded = _without(clerk, lambda a: a.action == "record_complaint")
    never = score_actions(irate, procedure, 4, unrecorded)
    early = [
        TimedAction(float(_arrival(irate, 4) + 3), "record_complaint", {})
        if a.action == "record_complaint"
        else a
        for a in clerk
    ]
    early_report = score_actions(irate, procedure, 4, sorted(early, key=lambda a: a.t)).report
    assert _broken(never.report)["complaint_recorded"] == ("3.3.b", "missed")
    assert _broken(early_report)["complaint_heard_out"] == ("3.3.b", "violated")
    assert never.report.score <= early_report.score


# -- issue 15: customers who answer back (as found, nonsense was simply accepted) ---------------

AS_FOUND_15 = Path(__file__).with_name("as_found") / "issue15" / "irate_customer.yaml"


@pytest.fixture(scope="module")
def found15(procedure):
    return load_scenario(AS_FOUND_15, procedure.ids)


def _nodes(engine) -> list[str]:
    return [e.arg("node") for e in engine.trace if e.name == "customer_says"]


def test_finding_a_power_factor_charge_was_accepted_by_a_household(irate, found15, procedure):
    """As found: told of a power-factor charge, the household asked nothing and moved on to
    the meter. Now the customer says they do not understand; more jargon draws a complaint."""
    before = score_actions(found15, procedure, 4, _clerk(found15, 4, "cause_jargon"))
    assert _nodes(before.engine)[:3] == ["outburst", "cause", "worry"]
    played = score_actions(irate, procedure, 4, _clerk(irate, 4, "cause_jargon", "jargon_more"))
    assert _nodes(played.engine)[:3] == ["outburst", "cause", "jargon_back"]
    assert "听不懂" in irate.scenario.customer("complainant").dialogue["jargon_back"].says.zh
    broken = _broken(played.report)
    assert broken["plain_words"] == ("3.2.b", "violated")
    assert broken["no_complaint_provoked"] == ("3.3.b", "violated")


def test_finding_it_must_be_the_meter_was_met_with_all_right_i_follow(irate, found15, procedure):
    """As found: "almost certainly the meter" and the customer went on "all right, I more or
    less follow". Now the customer holds the clerk to it and wants the refund today."""
    assert (
        "道理我大概听明白了" in found15.scenario.customer("complainant").dialogue["demand"].says.zh
    )
    demand = irate.scenario.customer("complainant").dialogue["demand"].says.zh
    assert "听明白" not in demand
    _, report = _play(irate, procedure, 0, Says(0, "八成就是电表的毛病", "是我刚才话说早了"))
    assert _broken(report) == {
        "meter_test_told": ("3.2.c", "violated"),
        "never_mislead": ("3.2.c", "violated"),
    }  # put right when held to it: only the wrong answer itself costs
    _, report = _play(irate, procedure, 0, Says(0, "八成就是电表的毛病", "我先给您登记退掉"))
    assert _broken(report)["meter_claim_withdrawn"] == ("3.2.c", "violated")
    assert "3.3.d" in report.critical_failures


def test_an_evasive_answer_brings_the_question_again(irate, procedure):
    _, report = _play(irate, procedure, 1, Says(1, "没别的原因", "对不起，刚才没跟您说清楚"))
    broken = _broken(report)
    assert "asked_again_answered" not in broken and broken["tiers_explained"][1] == "violated"
    engine, report = _play(irate, procedure, 1, Says(1, "没别的原因", "您再问，我也还是这句话"))
    assert "cause_again" in _nodes(engine)
    assert any(e.name == "supervisor_demanded" for e in engine.trace)
    assert _broken(report)["asked_again_answered"] == ("3.2.c", "violated")


def test_talking_a_customer_out_of_complaining_draws_a_threat_to_go_higher(irate, procedure):
    engine, report = _play(irate, procedure, 2, Says(2, "投诉一般也就是走个流程"))
    assert any(e.name == "complaint_threatened" for e in engine.trace)
    assert _broken(report)["no_complaint_provoked"] == ("3.3.b", "violated")


def test_finding_the_tiers_were_monthly_in_a_city_that_counts_the_year(irate, found15):
    """As found: 210/400 kWh a month; Nanjing counts the tiers over the year."""
    said = lambda loaded: next(  # noqa: E731
        r.zh
        for r in loaded.scenario.customer("complainant").dialogue["cause"].replies
        if r.id == "cause_explain"
    )
    assert "每月{facts.tier1_monthly_kwh}度" in said(found15)
    assert "tier1_annual_kwh" in said(irate) and "tier_cycle" in said(irate)
    # the monthly facts stay only for sessions recorded before: no scenario may use them
    for path in scenario_files():
        text = Path(path).read_text(encoding="utf-8")
        assert "_monthly_kwh" not in text and "restore_after_arrival" not in text, path

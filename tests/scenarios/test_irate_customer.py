"""客户情绪激动: an angry customer with a high summer bill; the mood follows the clerk's replies,
and each scripted trainee loses exactly what its flaw deserves."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from scoring.session import play_agent, score_actions
from sim.engine import Engine
from sim.library import find_scenario
from sim.scenario import facts
from sim.trace import TimedAction

# rule -> (clause, verdict) for every rule the flaw breaks; everything else must be met
EXPECTED = {
    "expert": {},
    # keeps no records: neither the complaint's details nor the service log
    "careless": {
        "complaint_recorded": ("3.3.b", "missed"),
        "result_recorded": ("3.1.e", "missed"),
    },
    # says whatever calms: "the price never changed", "the meter must be broken", a refund
    # promised, "no need to pay yet"
    "panicky": {
        "tiers_explained": ("3.2.c", "violated"),
        "meter_test_told": ("3.2.c", "violated"),
        "never_mislead": ("3.2.c", "violated"),
    },
    # snaps back at the outburst, at the complaint and at the last question: the customer
    # storms off
    "brusque": {
        "calm_at_outburst": ("3.3.b", "violated"),
        "stay_patient": ("3.2.c", "violated"),
        "not_driven_away": ("3.3.b", "violated"),
    },
    # never tells the superior, and promises the refund on its own say-so
    "solo": {
        "supervisor_told": ("3.3.b", "missed"),
        "never_mislead": ("3.2.c", "violated"),
    },
    # selects, records and reports before saying a word to the shouting customer
    "paperwork_first": {
        "calm_at_outburst": ("3.3.b", "violated"),
    },
}
PASSES = {"expert", "paperwork_first"}
# a critical rule broken fails the session whatever the score
CRITICAL = {"careless": ("3.3.b",), "solo": ("3.3.b",)}


@pytest.fixture(scope="module")
def irate(procedure):
    return find_scenario("irate_customer", procedure.ids)


def _broken(report):
    return {f.rule: (f.clause, f.verdict) for f in report.findings if f.verdict != "met"}


def _moods(engine):
    return [e.arg("level") for e in engine.trace if e.name == "customer_mood"]


def _seed_for(loaded, variant):
    return next(s for s in range(200) if Engine(loaded, s).variant.id == variant)


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


def test_careless_scores_above_the_pass_mark_yet_fails_on_the_unrecorded_complaint(
    irate, procedure
):
    report = play_agent(irate, procedure, 0, "careless").report
    assert report.score >= report.pass_mark
    assert not report.passed


def test_calm_accurate_replies_bring_the_customer_round(irate, procedure):
    engine = play_agent(irate, procedure, 3, "expert").engine
    assert _moods(engine) == ["uneasy", "calm"]  # from angry at the window to calm
    assert not any(e.name == "customer_leaves" for e in engine.trace)


def test_curt_replies_make_the_customer_angrier_until_they_storm_off(irate, procedure):
    engine = play_agent(irate, procedure, 3, "brusque").engine
    nodes = [e.arg("node") for e in engine.trace if e.name == "customer_says"]
    assert nodes[:2] == ["outburst", "flare"]  # a curt answer draws a sharper line
    assert "calm" not in _moods(engine) and _moods(engine)[-1] == "angry"
    left = [e for e in engine.trace if e.name == "customer_leaves"]
    assert [e.arg("reason") for e in left] == ["angry"]
    # it happens at the last question, after the case was told and logged
    done = [e.name for e in engine.trace if e.kind == "action"]
    assert done.index("record_result") < done.index("finish")


def test_the_panicky_trainees_soothing_untruths_are_quoted(irate, procedure):
    played = play_agent(irate, procedure, 0, "panicky")
    report = played.report
    said = played.words().evidence
    evidence = {f.rule: said(f) for f in report.findings}
    assert "电价一直没变" in evidence["tiers_explained"] and "隐瞒" in evidence["tiers_explained"]
    assert "肯定是电表坏了" in evidence["meter_test_told"]


def test_the_tier_explanation_uses_the_companys_figures(irate):
    engine = Engine(irate, _seed_for(irate, "home_office"))
    node = irate.scenario.customer("complainant").dialogue["cause"]
    text = engine.render(next(r.zh for r in node.replies if r.id == "cause_explain"), "zh")
    for name in ("tier1_monthly_kwh", "tier2_monthly_kwh", "tier2_extra", "tier3_extra"):
        assert str(facts()[name]) in text
    assert "{" not in text and "610度" in text


def _arrival(loaded, seed: int) -> float:
    """When the customer reaches the window under this seed (drawn from the timeline's range)."""
    engine = Engine(loaded, seed)
    engine.advance(60)
    return next(e.t for e in engine.trace if e.name == "customer_arrives")


def _clerk(loaded, seed: int, cause_reply: str) -> list[TimedAction]:
    """A clerk who does everything by the book except, perhaps, the answer about the bill."""
    t = _arrival(loaded, seed) + 2
    steps = [
        (0, "log_in", {}),
        (15, "check_system_status", {}),
        (t, "say", {"reply": "outburst_calm"}),
        (t + 10, "say", {"reply": cause_reply}),
        (t + 20, "say", {"reply": "worry_test"}),
        (t + 30, "say", {"reply": "demand_record"}),
        (t + 40, "select_module", {"module": "complaint"}),
        (t + 45, "record_complaint", {}),
        (t + 85, "report_supervisor", {}),
        (t + 105, "inform_customer", {}),
        (t + 140, "say", {"reply": "last_pay"}),
        (t + 150, "record_result", {}),
        (t + 165, "finish", {}),
    ]
    return [TimedAction(float(at), action, args) for at, action, args in steps]


def test_a_clerk_who_explains_by_the_book_scores_full_marks(irate, procedure):
    report = score_actions(irate, procedure, 4, _clerk(irate, 4, "cause_explain")).report
    assert report.score == 100 and report.passed and not report.invalid_attempts


def test_power_factor_charges_explained_to_a_household_misuse_the_term(irate, procedure):
    played = score_actions(irate, procedure, 4, _clerk(irate, 4, "cause_jargon"))
    report = played.report
    said = played.words().evidence
    assert _broken(report) == {
        "terms_accurate": ("3.2.b", "violated"),
        "tiers_explained": ("3.2.c", "violated"),
    }
    finding = next(f for f in report.findings if f.rule == "terms_accurate")
    assert "功率因数" in said(finding) and "术语不当" in said(finding)


def test_scoring_the_recorded_actions_gives_the_same_report(irate, procedure):
    for agent in EXPECTED:
        played = play_agent(irate, procedure, 4, agent)
        again = score_actions(irate, procedure, 4, played.actions)
        assert again.report == played.report

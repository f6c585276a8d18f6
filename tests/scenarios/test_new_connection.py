"""居民新装用电申请: the form hides one mismatch with the documents that only checking finds;
each scripted trainee loses exactly what its flaw deserves."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from scoring.session import play_agent, score_actions
from sim.engine import Engine
from sim.library import find_scenario
from sim.scenario import facts

# rule -> (clause, verdict) for every rule the flaw breaks; everything else must be met
EXPECTED = {
    "expert": {},
    # submits the form as the customer wrote it: unchecked and wrong; keeps no record
    "careless": {
        "checked_before_submit": ("3.2.a", "violated"),
        "no_wrong_details": ("3.1.c", "violated"),
        "result_recorded": ("3.1.e", "missed"),
    },
    # says what pleases: a wrong explanation of 一证受理, "nothing's wrong" about the form,
    # power "tomorrow" instead of the commitment
    "panicky": {
        "terms_accurate": ("3.2.b", "violated"),
        "never_mislead": ("3.2.c", "violated"),
        "commitment_told": ("3.1.e", "violated"),
    },
    # curt with every line, and so never gives the commitment either
    "brusque": {
        "stay_patient": ("3.2.c", "violated"),
        "commitment_told": ("3.1.e", "violated"),
    },
    # promises power tomorrow on its own authority
    "solo": {
        "never_mislead": ("3.2.c", "violated"),
        "commitment_told": ("3.1.e", "violated"),
    },
    # types on while the customer's question waits
    "paperwork_first": {
        "question_answered": ("3.2.c", "violated"),
    },
}
PASSES = {"expert", "solo", "paperwork_first"}

# the field each variant's form gets wrong
WRONG_FIELD = {
    "id_digits_swapped": "id_number",
    "wrong_room_number": "address",
    "estate_name_address": "address",
    "purchase_contract": "id_number",
}


@pytest.fixture(scope="module")
def new_connection(procedure):
    return find_scenario("new_connection", procedure.ids)


def _broken(report):
    return {f.rule: (f.clause, f.verdict) for f in report.findings if f.verdict != "met"}


def _seed_for(loaded, variant):
    return next(s for s in range(200) if Engine(loaded, s).variant.id == variant)


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
    report = play_agent(new_connection, procedure, seed, agent).report
    assert _broken(report) == EXPECTED[agent]
    assert report.passed is (agent in PASSES)
    if "no_wrong_details" in EXPECTED[agent]:
        assert "3.1.c" in report.critical_failures


@pytest.mark.parametrize("variant", sorted(WRONG_FIELD))
def test_only_checking_finds_the_variants_mismatch(new_connection, procedure, variant):
    seed = _seed_for(new_connection, variant)
    expert = play_agent(new_connection, procedure, seed, "expert").engine
    found = [e.arg("field") for e in expert.trace if e.name == "discrepancy_found"]
    assert found == [WRONG_FIELD[variant]]
    assert not [e for e in expert.trace if e.name == "erroneous_submission"]
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
    assert _broken(report) == {"no_wrong_details": ("3.1.c", "violated")}
    assert report.score > report.pass_mark
    assert not report.passed and report.critical_failures == ("3.1.c",)


def test_scoring_the_recorded_actions_gives_the_same_report(new_connection, procedure):
    for agent in EXPECTED:
        played = play_agent(new_connection, procedure, 4, agent)
        again = score_actions(new_connection, procedure, 4, played.actions)
        assert again.report == played.report

"""周一早高峰排队: the queue reaches the alert level, the clerk asks for an extra window, and
every customer's application is still checked; each scripted trainee loses exactly what its
flaw deserves."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from scoring.session import play_agent, score_actions
from sim.engine import Engine
from sim.library import find_scenario

CUSTOMERS = ("landlord", "new_owner", "upgrader")

# rule -> (clause, verdict) for every rule the flaw breaks; everything else must be met
EXPECTED = {
    "expert": {},
    # submits every case unchecked, so the wrong form goes in; records none of them
    "careless": {
        "every_case_checked": ("3.2.a", "violated"),
        "no_wrong_details": ("3.1.c", "violated"),
        "every_case_recorded": ("3.1.e", "missed"),
    },
    # tells a waiting customer "only one or two ahead" and promises power tomorrow
    "panicky": {
        "never_mislead": ("3.2.c", "violated"),
        "commitment_told": ("3.1.e", "violated"),
    },
    # short with people who have waited, and gives no commitment
    "brusque": {
        "stay_patient": ("3.2.c", "violated"),
        "commitment_told": ("3.1.e", "violated"),
    },
    # promises power tomorrow on its own authority
    "solo": {
        "never_mislead": ("3.2.c", "violated"),
        "commitment_told": ("3.1.e", "violated"),
    },
    # finishes the form in hand before looking at the queue or at who is asking
    "paperwork_first": {
        "extra_window_in_time": ("5.3.c", "violated"),
        "waiting_answered": ("3.2.c", "violated"),
    },
}
PASSES = {"expert", "panicky", "solo", "paperwork_first"}

# whose form is wrong in each variant, and in which field
WRONG_FORMS = {
    "after_holiday_id_typo": [("new_owner", "id_number")],
    "month_start_account": [("new_owner", "account")],
    "rainy_monday_address": [("upgrader", "address")],
    "two_forms_wrong": [("landlord", "address"), ("upgrader", "address")],
}


@pytest.fixture(scope="module")
def peak_queue(procedure):
    return find_scenario("peak_queue", procedure.ids)


def _broken(report):
    return {f.rule: (f.clause, f.verdict) for f in report.findings if f.verdict != "met"}


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
    assert _broken(report) == EXPECTED[agent]
    assert report.passed is (agent in PASSES)
    if "no_wrong_details" in EXPECTED[agent]:
        assert "3.1.c" in report.critical_failures


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
    assert _broken(report) == {"every_case_checked": ("3.2.a", "violated")}
    finding = next(f for f in report.findings if f.rule == "every_case_checked")
    submitted = dict(_served_at(played.engine, "submit_application"))
    assert finding.at == submitted["new_owner"]
    # no harm done this time: a clear deduction, not a failure
    assert finding.points_lost == 12.5 and report.passed


def test_skipping_the_check_for_the_last_customer_lets_the_wrong_address_in(peak_queue, procedure):
    seed = _seed_for(peak_queue, "rainy_monday_address")
    played = play_agent(peak_queue, procedure, seed, "expert")
    last_check = _served_at(played.engine, "verify_data")[2][1]
    actions = [
        a
        for a in played.actions
        if not (a.action == "verify_data" and a.t == last_check) and a.action != "correct_data"
    ]
    report = score_actions(peak_queue, procedure, seed, actions).report
    assert _broken(report) == {
        "every_case_checked": ("3.2.a", "violated"),
        "no_wrong_details": ("3.1.c", "violated"),
    }
    assert report.critical_failures == ("3.1.c",)


def test_scoring_the_recorded_actions_gives_the_same_report(peak_queue, procedure):
    for agent in EXPECTED:
        played = play_agent(peak_queue, procedure, 4, agent)
        again = score_actions(peak_queue, procedure, 4, played.actions)
        assert again.report == played.report

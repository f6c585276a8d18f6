"""班前准备: what is wrong at the station is found by the checks and put right by the fixes;
each scripted trainee loses exactly what its flaw deserves."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from scoring.session import play_agent, score_actions
from sim.engine import Engine
from sim.library import find_scenario

# What is wrong at the station in every variant.
WRONG = {
    "jewellery",
    "hair",
    "software",
    "scanner",
    "evacuation_route",
    "clutter",
    "fire_hazard",
    "seat",
    "screen",
}

# rule -> (clause, verdict) for every rule the flaw breaks; everything else must be met
EXPECTED = {
    "expert": {},
    # skips the device checks, so never sees the pending update or the smeared scanner glass,
    # and fills in no checklist
    "careless": {
        "phone_checked": ("2.2.a", "missed"),
        "computer_checked": ("2.2.a", "missed"),
        "printer_checked": ("2.2.b", "missed"),
        "scanner_checked": ("2.2.b", "missed"),
        "software_updated": ("2.2.c", "missed"),
        "update_before_login": ("2.2.c", "violated"),
        "scanner_cleaned": ("5.1.c", "missed"),
        "checklist_filled": ("4.3.c", "missed"),
    },
    # sees the update prompt and the blurred test scan, and opens anyway
    "panicky": {
        "software_updated": ("2.2.c", "missed"),
        "update_before_login": ("2.2.c", "violated"),
        "scanner_cleaned": ("5.1.c", "missed"),
    },
    # logs in to the business system before readying the station
    "paperwork_first": {
        "update_before_login": ("2.2.c", "violated"),
    },
    # no customer comes: flaws with customers cost nothing here
    "brusque": {},
    "solo": {},
}
PASSES = {"expert", "paperwork_first", "brusque", "solo"}


@pytest.fixture(scope="module")
def pre_shift(procedure):
    return find_scenario("pre_shift", procedure.ids)


def _broken(report):
    return {f.rule: (f.clause, f.verdict) for f in report.findings if f.verdict != "met"}


@settings(max_examples=25, deadline=None)
@given(seed=st.integers(min_value=0, max_value=2**32 - 1))
def test_the_expert_readies_the_counter_with_full_marks_on_any_seed(pre_shift, procedure, seed):
    session = play_agent(pre_shift, procedure, seed, "expert")
    assert session.report.score == 100 and session.report.passed
    assert all(v == "ok" for v in session.engine.desk.station.values())


@pytest.mark.parametrize("seed", [0, 1, 2, 5, 9])
@pytest.mark.parametrize("agent", sorted(EXPECTED))
def test_each_trainee_loses_exactly_its_flaw(pre_shift, procedure, agent, seed):
    report = play_agent(pre_shift, procedure, seed, agent).report
    assert _broken(report) == EXPECTED[agent]
    assert report.passed is (agent in PASSES)


def test_every_variant_can_be_drawn_and_the_wrong_items_are_the_same(pre_shift):
    drawn = {Engine(pre_shift, seed).variant.id for seed in range(40)}
    assert drawn == {v.id for v in pre_shift.scenario.variants}
    wrong = {k for k, v in pre_shift.scenario.desk.station.items() if v == "problem"}
    assert wrong == WRONG


def test_the_checks_reveal_every_problem_and_the_expert_puts_each_right(pre_shift, procedure):
    engine = play_agent(pre_shift, procedure, 3, "expert").engine
    found = {e.arg("item") for e in engine.trace if e.name == "check_result"}
    problems = {
        e.arg("item")
        for e in engine.trace
        if e.name == "check_result" and e.arg("result") == "problem"
    }
    assert problems == WRONG and found >= WRONG
    done = [e.name for e in engine.trace if e.kind == "action" and e.valid]
    assert done.index("check_computer") < done.index("install_updates") < done.index("log_in")
    assert done.index("check_computer") < done.index("fill_inspection_checklist")


def test_the_careless_trainee_never_learns_of_the_update(pre_shift, procedure):
    engine = play_agent(pre_shift, procedure, 3, "careless").engine
    assert "software" not in engine.desk.station_known
    assert engine.desk.station["software"] == "problem"
    assert engine.desk.station["scanner"] == "problem"


def test_the_panicky_trainee_sees_the_warnings_and_leaves_them(pre_shift, procedure):
    engine = play_agent(pre_shift, procedure, 3, "panicky").engine
    assert engine.desk.station_known["software"] == "problem"
    assert engine.desk.station_known["scanner"] == "problem"


def test_opening_with_the_exit_blocked_and_the_flame_left_fails_on_critical_rules(
    pre_shift, procedure
):
    played = play_agent(pre_shift, procedure, 2, "expert")
    skipped = {"clear_evacuation_route", "remove_fire_hazard"}
    actions = [a for a in played.actions if a.action not in skipped]
    report = score_actions(pre_shift, procedure, 2, actions).report
    assert _broken(report) == {
        "exit_route_cleared": ("2.2.d", "missed"),
        "fire_hazard_removed": ("2.3.c", "missed"),
    }
    assert report.score > report.pass_mark
    assert not report.passed
    assert set(report.critical_failures) == {"2.2.d", "2.3.c"}


def test_scoring_the_recorded_actions_gives_the_same_report(pre_shift, procedure):
    for agent in EXPECTED:
        played = play_agent(pre_shift, procedure, 4, agent)
        again = score_actions(pre_shift, procedure, 4, played.actions)
        assert again.report == played.report

"""班前准备: what is wrong at the station is found by the checks and put right by the fixes, and
going on duty before it is put right breaks a prohibition; each scripted trainee loses exactly
what its flaw deserves, and the findings of the 班长 and the examiner are reproduced as found and
shown fixed."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import TypeAdapter

from authoring.probes import Avoider, Omit, _play
from scoring.scorer import score_trace
from scoring.session import play_agent, score_actions
from sim.engine import Engine
from sim.library import find_scenario
from sim.scenario import LoadedScenario, Rule
from sim.trace import TimedAction
from tests.scenarios.kit import broken_rules as _broken
from tests.scenarios.kit import score_without as _score_without

# What is wrong at the station in every variant.
WRONG = {
    "jewellery",
    "hair",
    "software",
    "scanner",
    "vents",
    "evacuation_route",
    "clutter",
    "fire_hazard",
    "seat",
    "screen",
}

# each prohibition the procedure states, the fix that lifts it, and the rule broken by going on
# duty (logging in) before the fix
PROHIBITIONS = [
    ("tie_up_hair", "hair_up_before_duty", "2.1.c"),
    ("remove_jewellery", "jewellery_off_before_duty", "2.1.d"),
    ("install_updates", "update_before_login", "2.2.c"),
    ("clear_evacuation_route", "exit_clear_before_duty", "2.2.d"),
    ("remove_fire_hazard", "flame_gone_before_duty", "2.3.c"),
]

# rule -> (clause, verdict) for every rule the flaw breaks; everything else must be met (or not
# apply)
EXPECTED = {
    "expert": {},
    # skips the device checks, so never sees the pending update or the smeared scanner glass,
    # goes on duty on the old version, and fills in no checklist
    "careless": {
        "phone_checked": ("2.2.a", "missed"),
        "computer_checked": ("2.2.a", "missed"),
        "printer_checked": ("2.2.b", "missed"),
        "scanner_checked": ("2.2.b", "missed"),
        "software_updated": ("2.2.c", "missed"),
        "update_before_login": ("2.2.c", "violated"),
        "scanner_cleaned": ("5.1.c", "missed"),
        "vents_cleared": ("5.2.d", "missed"),
        "checklist_filled": ("4.3.c", "missed"),
    },
    # sees the update prompt and the blurred test scan, and opens anyway
    "panicky": {
        "software_updated": ("2.2.c", "missed"),
        "update_before_login": ("2.2.c", "violated"),
        "scanner_cleaned": ("5.1.c", "missed"),
        "vents_cleared": ("5.2.d", "missed"),
    },
    # logs in to the business system before readying the station: goes on duty with the hair
    # loose, the jewellery on, the old version, the exit blocked and the flame there, and puts
    # each right only afterwards
    "paperwork_first": {rule: (clause, "violated") for _, rule, clause in PROHIBITIONS},
    # no customer comes: flaws with customers cost nothing here
    "brusque": {},
    "solo": {},
}
PASSES = {"expert", "paperwork_first", "brusque", "solo"}


@pytest.fixture(scope="module")
def pre_shift(procedure):
    return find_scenario("pre_shift", procedure.ids)


def _moved_after_log_in(actions, name):
    """The same actions, but ``name`` done right after logging in instead of before."""
    login = next(a for a in actions if a.action == "log_in")
    rest = [a for a in actions if a.action != name]
    moved = TimedAction(login.t + 1, name, {})
    return sorted([*rest, moved], key=lambda a: a.t)


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
    assert report.critical_failures == ()
    assert report.score == _score_without(pre_shift, report, EXPECTED[agent])


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
    for fix, _, _ in PROHIBITIONS:
        assert done.index(fix) < done.index("log_in")


def test_the_careless_trainee_never_learns_of_the_update(pre_shift, procedure):
    engine = play_agent(pre_shift, procedure, 3, "careless").engine
    assert "software" not in engine.desk.station_known
    assert engine.desk.station["software"] == "problem"
    assert engine.desk.station["scanner"] == "problem"


def test_the_panicky_trainee_sees_the_warnings_and_leaves_them(pre_shift, procedure):
    engine = play_agent(pre_shift, procedure, 3, "panicky").engine
    assert engine.desk.station_known["software"] == "problem"
    assert engine.desk.station_known["scanner"] == "problem"


def test_opening_with_the_exit_blocked_and_the_flame_left_fails_on_points(pre_shift, procedure):
    played = play_agent(pre_shift, procedure, 2, "expert")
    skipped = {"clear_evacuation_route", "remove_fire_hazard"}
    actions = [a for a in played.actions if a.action not in skipped]
    report = score_actions(pre_shift, procedure, 2, actions).report
    broken = {
        "exit_route_cleared": ("2.2.d", "missed"),
        "exit_clear_before_duty": ("2.2.d", "violated"),
        "fire_hazard_removed": ("2.3.c", "missed"),
        "flame_gone_before_duty": ("2.3.c", "violated"),
    }
    assert _broken(report) == broken
    assert report.score == _score_without(pre_shift, report, broken)
    # not one of the procedure's red lines, so not critical: it fails on its points
    assert report.critical_failures == () and not report.passed


# -- the findings, as found and as fixed -------------------------------------------------------


def _with_rules(loaded: LoadedScenario, *rules: dict) -> LoadedScenario:
    adapter = TypeAdapter(Rule)
    s = loaded.scenario.model_copy(
        update={"rules": tuple(adapter.validate_python(r) for r in rules)}
    )
    return LoadedScenario(scenario=s, path=loaded.path, sha256=loaded.sha256)


def test_found_going_on_duty_wearing_the_watch_could_only_be_missed_now_it_is_violated(
    pre_shift, procedure
):
    """Found: going on duty wearing the watch one's own appearance check had flagged could only
    come out "missed" (never taken off) or even "met" (taken off later), never "violated". Now
    logging in with it still on breaks 2.1.d when it is done."""
    old = _with_rules(
        pre_shift,
        {
            "id": "jewellery_off",
            "template": "required",
            "what": "remove_jewellery",
            "clause": "2.1.d",
            "weight": 10,
        },
    )
    played = play_agent(pre_shift, procedure, 1, "expert")
    late = _moved_after_log_in(played.actions, "remove_jewellery")
    never = [a for a in played.actions if a.action != "remove_jewellery"]
    for actions, as_found, now in (
        (late, "met", {"jewellery_off_before_duty": ("2.1.d", "violated")}),
        (
            never,
            "missed",
            {
                "jewellery_off": ("2.1.d", "missed"),
                "jewellery_off_before_duty": ("2.1.d", "violated"),
            },
        ),
    ):
        session = score_actions(pre_shift, procedure, 1, actions)
        engine = session.engine
        flagged = [
            e
            for e in engine.trace
            if e.name == "check_result" and e.args == (("item", "jewellery"), ("result", "problem"))
        ]
        log_in = next(e for e in engine.trace if e.name == "log_in")
        assert flagged and flagged[0].t < log_in.t  # the clerk's own check had flagged it
        found = score_trace(old, procedure, engine.trace, 1, engine.variant.id, 1).findings[0]
        assert found.verdict == as_found
        assert _broken(session.report) == now


@pytest.mark.parametrize(("fix", "rule", "clause"), PROHIBITIONS)
def test_every_prohibition_is_violated_by_going_on_duty_before_the_fix(
    pre_shift, procedure, fix, rule, clause
):
    """Every other rule checked for the same problem: each duty whose breach is doing something
    (working with the hair loose, the jewellery on, the old version, the exit blocked, the flame
    there) is violated by the log-in itself, even when the fix comes later."""
    played = play_agent(pre_shift, procedure, 0, "expert")
    report = score_actions(pre_shift, procedure, 0, _moved_after_log_in(played.actions, fix)).report
    assert _broken(report) == {rule: (clause, "violated")}
    f = next(f for f in report.findings if f.rule == rule)
    assert f.at == next(a.t for a in played.actions if a.action == "log_in")


def test_the_avoider_and_the_clerk_who_never_goes_on_duty_get_nothing_for_it(pre_shift, procedure):
    """The avoider runs no check that could find a problem and fails. A clerk who never logs in
    is not excused the prohibitions for nothing: never going on duty scores no higher than going
    on duty before anything is ready."""
    for seed in (0, 1, 2, 5):
        avoider = Avoider(seed)
        run = _play(pre_shift, procedure, seed, avoider, "avoider", "zh")
        assert avoider.avoided and not run.passed
        never = _play(pre_shift, procedure, seed, Omit(seed, "log_in"), "", "zh")
        early = play_agent(pre_shift, procedure, seed, "paperwork_first").report
        assert never.score <= early.score
        lost = {f.rule for f in never.findings if f.points_lost}
        assert {"logged_in", "system_checked"} <= lost


def test_the_checklist_filled_before_the_inspection_is_a_false_record(pre_shift, procedure):
    played = play_agent(pre_shift, procedure, 0, "expert")
    check = next(a for a in played.actions if a.action == "check_computer")
    actions = sorted(
        [
            *[a for a in played.actions if a.action != "fill_inspection_checklist"],
            TimedAction(check.t - 0.5, "fill_inspection_checklist", {}),
        ],
        key=lambda a: a.t,
    )
    report = score_actions(pre_shift, procedure, 0, actions).report
    assert _broken(report) == {"checklist_after_inspection": ("4.3.c", "violated")}


def test_scoring_the_recorded_actions_gives_the_same_report(pre_shift, procedure):
    for agent in EXPECTED:
        played = play_agent(pre_shift, procedure, 4, agent)
        again = score_actions(pre_shift, procedure, 4, played.actions)
        assert again.report == played.report


def test_finding_the_computer_check_never_looked_at_the_vents(pre_shift, procedure):
    """Issue 15: 5.2.d (cooling adjusted where it is wrong) was scored nowhere. The computer
    check now reports the vents, blocked by a stack of forms, and the expert clears them."""
    as_found = Path(__file__).with_name("as_found") / "issue15" / "pre_shift.yaml"
    assert "vents" not in as_found.read_text(encoding="utf-8")
    engine = play_agent(pre_shift, procedure, 3, "expert").engine
    vents = [e for e in engine.trace if e.name == "check_result" and e.arg("item") == "vents"]
    assert [e.arg("result") for e in vents] == ["problem"]
    done = [e.name for e in engine.trace if e.kind == "action" and e.valid]
    assert done.index("check_computer") < done.index("clear_vents")
    assert engine.desk.station["vents"] == "ok"

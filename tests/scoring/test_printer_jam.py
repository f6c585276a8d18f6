"""The first scenario end to end: each scripted trainee loses exactly what its flaw deserves."""

from __future__ import annotations

import pytest

from scoring.session import play_agent, score_actions
from sim.trace import TimedAction

# clause -> verdict for every rule the flaw breaks; everything else must be met
EXPECTED = {
    "expert": {},
    "careless": {
        "verify_before_submit": ("3.2.a", "violated"),
        "fault_logged": ("4.3.e", "missed"),
        "result_recorded": ("3.1.e", "missed"),
    },
    "panicky": {
        "stop_on_fault": ("5.3.b", "missed"),
        "no_printing_into_fault": ("5.3.b", "violated"),
        "cause_before_fix": ("5.3.b", "violated"),
        "test_after_fix": ("5.1.c", "missed"),
        "honest_about_delay": ("3.2.c", "missed"),
        "never_mislead": ("3.2.c", "violated"),
    },
}


# In the low-ink variant the cartridge is changed: gloves first (2.1.b), which the panicky skip.
# Changing it is an adjustment that must follow from the inspection (5.2.a), which they skip too.
LOW_INK = {
    "panicky": {
        "protection_for_ink": ("2.1.b", "violated"),
        "ink_adjusted_on_inspection": ("5.2.a", "violated"),
    }
}


@pytest.mark.parametrize("seed", [0, 1, 2, 5, 11])
@pytest.mark.parametrize("agent", sorted(EXPECTED))
def test_each_trainee_loses_exactly_its_flaw(printer_jam, procedure, agent, seed):
    session = play_agent(printer_jam, procedure, seed, agent)
    report = session.report
    broken = {f.rule: (f.clause, f.verdict) for f in report.findings if f.verdict != "met"}
    expected = dict(EXPECTED[agent])
    if session.engine.variant.vars.get("fault") == "low_ink":
        expected.update(LOW_INK.get(agent, {}))
    assert broken == expected
    if agent == "expert":
        assert report.score == 100 and report.passed
    else:
        assert not report.passed


def test_the_low_ink_variant_is_drawn_and_fixed_with_gloves(printer_jam, procedure):
    session = play_agent(printer_jam, procedure, 5, "expert")
    assert session.engine.variant.vars["fault"] == "low_ink"
    done = [e.name for e in session.engine.trace if e.kind == "action"]
    assert done.index("wear_protection") < done.index("replace_ink_cartridge")
    assert session.report.score == 100


def test_careless_loses_thirty_of_a_hundred_and_thirty_weight(printer_jam, procedure):
    report = play_agent(printer_jam, procedure, 0, "careless").report
    assert report.score == 76.9  # 100 × (130 − 30) / 130, to one decimal
    lost = {f.rule: f.points_lost for f in report.findings if f.points_lost}
    assert lost == {"verify_before_submit": 11.54, "fault_logged": 7.69, "result_recorded": 3.85}


def test_the_panicky_trainees_misleading_reply_is_quoted(printer_jam, procedure):
    played = play_agent(printer_jam, procedure, 0, "panicky")
    report = played.report
    said = played.words().evidence
    finding = next(f for f in report.findings if f.rule == "never_mislead")
    assert "系统在自动更新" in said(finding) and "误导" in said(finding)
    tried = [a for a in report.invalid_attempts if a.action == "print_form"]
    assert tried and all(a.reason == "printer_ready" for a in tried)


def test_scoring_the_recorded_actions_gives_the_same_report(printer_jam, procedure):
    for agent in EXPECTED:
        played = play_agent(printer_jam, procedure, 4, agent)
        again = score_actions(printer_jam, procedure, 4, played.actions)
        assert again.report == played.report


def test_each_hint_costs_what_the_scenario_says(printer_jam, procedure):
    played = play_agent(printer_jam, procedure, 0, "expert")
    actions = list(played.actions)
    hinted = [
        *actions[:2],
        TimedAction(t=actions[1].t, action="ask_hint"),
        *actions[2:4],
        TimedAction(t=actions[3].t, action="ask_hint"),
        *actions[4:],
    ]
    report = score_actions(printer_jam, procedure, 0, hinted).report
    cost = printer_jam.scenario.scenario.hint_cost
    assert cost > 0
    assert report.hints_used == 2 and report.hint_points == 2 * cost
    assert report.score == 100 - 2 * cost
    assert report.to_dict()["hints"] == {"used": 2, "points_lost": 2 * cost}
    assert all(f.verdict == "met" for f in report.findings)

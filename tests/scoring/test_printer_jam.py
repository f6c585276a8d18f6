"""打印机卡纸 end to end: each scripted trainee loses exactly what its flaw deserves, and each
thing a 班长 and an examiner found wrong with the verdict, as found and as fixed.

"As found" replays the scenario as release 0.1 shipped it: its bytes are kept with the records
that release wrote (``tests/records/data/release-0.1.sqlite3``), and its results were judged by
scoring semantics 1.
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import replace
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from authoring.lint import GAMING_PASSES, GAMING_SEEDS
from authoring.probes import PATTERNS, gaming_runs
from scoring.procedure import Procedure
from scoring.result import Report
from scoring.session import Session, build, judge, play_agent, score_actions
from sim.agents import Decision, Trainee, run_agent
from sim.observation import Observation
from sim.oracle import AnswerKey
from sim.scenario import LoadedScenario, load_scenario_bytes
from sim.trace import TimedAction

RELEASE_01 = Path(__file__).parent.parent / "records" / "data" / "release-0.1.sqlite3"

# rule -> (clause, verdict) for every rule not met; everything else must be met
EXPECTED: dict[str, dict[str, tuple[str, str]]] = {
    "expert": {},
    # no field-by-field check (3.2.a) and so no review before the submission (3.1.d), no fault
    # log, no service log
    "careless": {
        "details_checked": ("3.2.a", "missed"),
        "verify_before_submit": ("3.1.d", "violated"),
        "fault_logged": ("4.3.e", "missed"),
        "result_recorded": ("3.1.e", "missed"),
    },
    # never stops, pulls the paper out without looking, no test page; answers every line with
    # whatever soothes: "power tomorrow, guaranteed", "the system is updating", "the receipt
    # makes no difference", "three days, guaranteed", and decides what is not the clerk's (a
    # new printer, an express installation): 3.3.d is a red line
    "panicky": {
        "stop_on_fault": ("5.3.b", "missed"),
        "cause_before_fix": ("5.3.b", "violated"),
        "test_after_fix": ("5.1.c", "missed"),
        "greeting_answered": ("3.2.c", "violated"),
        "honest_about_delay": ("3.2.c", "violated"),
        "grumble_answered": ("3.2.c", "violated"),
        "receipt_explained": ("3.2.c", "violated"),
        "when_answered": ("3.2.c", "violated"),
        "next_steps_told": ("3.2.c", "violated"),
        "never_mislead": ("3.2.c", "violated"),
        "no_overpromising": ("3.2.c", "violated"),
        "no_deciding_beyond_authority": ("3.3.d", "violated"),
    },
    # promises whatever is asked: power tomorrow, the printer fine in a minute, the receipt
    # brought round, power in two days, the meter in within three
    "solo": {
        "greeting_answered": ("3.2.c", "violated"),
        "honest_about_delay": ("3.2.c", "violated"),
        "receipt_explained": ("3.2.c", "violated"),
        "when_answered": ("3.2.c", "violated"),
        "next_steps_told": ("3.2.c", "violated"),
        "no_overpromising": ("3.2.c", "violated"),
    },
    # snaps at the greeting, at the question about the printer and at the complaint (a quarrel,
    # 3.3.b): the customer walks out before the application is taken, so the business is lost
    # and the questions that come later never arise
    "brusque": {
        "greeting_answered": ("3.2.c", "violated"),
        "honest_about_delay": ("3.2.c", "violated"),
        "grumble_answered": ("3.2.c", "violated"),
        "stay_patient": ("3.2.c", "violated"),
        "no_quarrel": ("3.3.b", "violated"),
        "right_module": ("3.1.b", "missed"),
        "details_checked": ("3.2.a", "missed"),
        "application_submitted": ("3.1.d", "missed"),
        "receipt_printed": ("3.1.d", "missed"),
        "result_told": ("3.1.e", "missed"),
        "result_recorded": ("3.1.e", "missed"),
        "verify_before_submit": ("3.1.d", "not_applicable"),
        "receipt_explained": ("3.2.c", "not_applicable"),
        "when_answered": ("3.2.c", "not_applicable"),
        "next_steps_told": ("3.2.c", "not_applicable"),
    },
}
CRITICAL = {"panicky": ("3.3.d",), "brusque": ("3.3.b",)}

# The cartridge rules apply only where the ink runs out; there the panicky skip the gloves
# (2.1.b) and change the cartridge without looking first (5.2.a).
INK_ONLY = {
    "protection_for_ink": ("2.1.b", "not_applicable"),
    "ink_adjusted_on_inspection": ("5.2.a", "not_applicable"),
}
LOW_INK = {
    "panicky": {
        "protection_for_ink": ("2.1.b", "violated"),
        "ink_adjusted_on_inspection": ("5.2.a", "violated"),
    }
}
# the red lines of this scenario, and nothing else critical
RED_LINES = {"no_deciding_beyond_authority": "3.3.d", "no_quarrel": "3.3.b"}
FAULT_RULES = ("stop_on_fault", "no_printing_into_fault", "cause_before_fix", "printer_fixed")
FAULT_RULES += ("test_after_fix", "fault_logged", "honest_about_delay", "grumble_answered")

SEEDS = [0, 1, 2, 5, 11]


# the lines where the customer answers back (issue 15): they apply only to a clerk whose wrong
# answer brought them on, and none of the scripted trainees gives those answers
ANSWER_BACK = ("plain_words", "asked_again_answered")


def not_met(session: Session) -> dict[str, tuple[str, str]]:
    return {
        f.rule: (f.clause, f.verdict)
        for f in session.report.findings
        if f.verdict != "met" and not (f.rule in ANSWER_BACK and f.verdict == "not_applicable")
    }


def expected(session: Session, agent: str) -> dict[str, tuple[str, str]]:
    want = dict(EXPECTED[agent])
    if session.engine.variant.vars.get("fault") == "low_ink":
        want.update(LOW_INK.get(agent, {}))
    else:
        want.update(INK_ONLY)
    return want


def share(loaded: LoadedScenario, report: Report, rules: set[str]) -> float:
    """The score a report would have with only ``rules`` lost: 100 less their share of the
    weight of the rules that applied."""
    weight = {r.id: r.weight for r in loaded.scenario.rules}
    applied = sum(weight[f.rule] for f in report.findings if f.verdict != "not_applicable")
    return round(100 - 100 * sum(weight[r] for r in rules) / applied, 1)


def release_01(scenario_id: str, procedure: Procedure) -> LoadedScenario:
    """The scenario as release 0.1 shipped it, from the records that release wrote."""
    with sqlite3.connect(f"{RELEASE_01.as_uri()}?mode=ro&immutable=1", uri=True) as db:
        (source,) = db.execute(
            "SELECT source FROM scenario_sources WHERE scenario_id = ?", (scenario_id,)
        ).fetchone()
    return load_scenario_bytes(source, f"{scenario_id}.yaml", procedure.ids)


class NeverPrints(Trainee):
    """The expert, except that the receipt is never printed: the case is told and recorded
    without it."""

    def business(self, obs: Observation, key: AnswerKey) -> Decision | None:
        return super().business(replace(obs, printed=True), key)


# -- each trainee loses exactly its flaw ------------------------------------------------------


@settings(max_examples=25, deadline=None)
@given(seed=st.integers(min_value=0, max_value=2**31 - 1))
def test_the_expert_scores_full_marks_on_any_seed(printer_jam, procedure, seed):
    session = play_agent(printer_jam, procedure, seed, "expert")
    assert session.report.score == 100 and session.report.passed, not_met(session)


@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("agent", sorted(EXPECTED))
def test_each_trainee_loses_exactly_its_flaw(printer_jam, procedure, agent, seed):
    session = play_agent(printer_jam, procedure, seed, agent)
    report = session.report
    assert not_met(session) == expected(session, agent)
    assert report.critical_failures == CRITICAL.get(agent, ())
    assert report.passed is (agent == "expert")
    lost = {f.rule for f in report.findings if f.points_lost}
    assert report.score == share(printer_jam, report, lost)


def test_the_low_ink_variant_is_drawn_and_fixed_with_gloves(printer_jam, procedure):
    session = play_agent(printer_jam, procedure, 5, "expert")
    assert session.engine.variant.vars["fault"] == "low_ink"
    done = [e.name for e in session.engine.trace if e.kind == "action"]
    assert done.index("wear_protection") < done.index("replace_ink_cartridge")
    assert session.report.score == 100


def test_careless_loses_the_check_and_the_two_logs_and_fails(printer_jam, procedure):
    report = play_agent(printer_jam, procedure, 0, "careless").report
    weight = {r.id: r.weight for r in printer_jam.scenario.rules}
    lost = {"details_checked", "verify_before_submit", "fault_logged", "result_recorded"}
    applied = sum(weight[f.rule] for f in report.findings if f.verdict != "not_applicable")
    points = {f.rule: f.points_lost for f in report.findings if f.points_lost}
    assert points == {r: round(100 * weight[r] / applied, 2) for r in lost}
    assert report.score == round(100 - 100 * sum(weight[r] for r in lost) / applied, 1) < 80


def test_the_panicky_trainees_misleading_words_are_quoted(printer_jam, procedure):
    played = play_agent(printer_jam, procedure, 0, "panicky")
    said = played.words().evidence
    finding = next(f for f in played.report.findings if f.rule == "never_mislead")
    assert "系统在自动更新" in said(finding) and "误导" in said(finding)
    overstep = next(f for f in played.report.findings if f.rule == "no_deciding_beyond_authority")
    assert "我做主" in said(overstep) and overstep.critical


def test_the_critical_rules_are_the_red_lines_only(printer_jam):
    critical = {r.id: r.clause for r in printer_jam.scenario.rules if r.critical}
    assert critical == RED_LINES


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
    assert all(f.verdict in ("met", "not_applicable") for f in report.findings)


# -- what was found, and what it is now --------------------------------------------------------


def test_a_clerk_who_never_prints_now_meets_the_jam_and_loses_the_receipt(printer_jam, procedure):
    # found: "A clerk who never prints the receipt never meets the jam: every fault-handling
    # rule passes untested and the session passes at 96.2."
    old = release_01("printer_jam", procedure)
    engine = build(old, 0)
    run_agent(old, 0, NeverPrints(0), engine=engine)
    found = judge(engine, procedure, semantics=1)
    assert "printer_fault" not in {e.name for e in engine.trace}
    assert found.score == 96.2 and found.passed
    untested = {f.rule: f.verdict for f in found.findings if f.evidence.case == "no_trigger"}
    assert {"stop_on_fault", "test_after_fix", "fault_logged"} <= set(untested)
    assert set(untested.values()) == {"met"}

    # now: the printer fails at its set time whatever the clerk prints; every rule about the
    # fault is judged on what the clerk did about it, and the receipt is a step of its own
    for seed in SEEDS:
        engine = build(printer_jam, seed)
        run_agent(printer_jam, seed, NeverPrints(seed), engine=engine)
        report = judge(engine, procedure)
        assert "printer_fault" in {e.name for e in engine.trace}
        verdicts = {f.rule: f.verdict for f in report.findings}
        assert all(verdicts[r] == "met" for r in FAULT_RULES)
        assert not [
            r
            for r, v in verdicts.items()
            if v == "not_applicable" and r not in INK_ONLY and r not in ANSWER_BACK
        ]
        assert {r for r, v in verdicts.items() if v not in ("met", "not_applicable")} == {
            "receipt_printed"
        }
        assert report.score == share(printer_jam, report, {"receipt_printed"}) < 100


def test_no_clerk_dodges_the_jam(printer_jam, procedure):
    # the clerk who does nothing at all still has the jam on the desk, and fails on it
    for seed in SEEDS:
        engine = build(printer_jam, seed)
        engine.finish(120.0)
        report = judge(engine, procedure)
        assert "printer_fault" in {e.name for e in engine.trace}
        verdicts = {f.rule: f.verdict for f in report.findings}
        assert verdicts["stop_on_fault"] == verdicts["printer_fixed"] == "missed"
        # what it keeps is only what it never did wrong: the prohibitions
        kept = {f.template for f in report.findings if f.verdict == "met"}
        assert kept == {"forbidden"} and not report.passed


def test_a_window_rule_says_not_within_the_window_or_does_not_apply(printer_jam, procedure):
    # found: the debrief told a clerk who printed twice (the receipt that jammed, then the one
    # after the fix) "5.3.b 符合 — 全程未出现「打印受理回执」"; the rule forbids printing only
    # between the fault and the fix
    with sqlite3.connect(f"{RELEASE_01.as_uri()}?mode=ro&immutable=1", uri=True) as db:
        (raw,) = db.execute(
            "SELECT r.report_json FROM results r JOIN sessions s ON s.id = r.session_id"
            " WHERE s.scenario_id = 'printer_jam' AND s.agent = 'expert'"
        ).fetchone()
        printed = db.execute(
            "SELECT COUNT(*) FROM actions a JOIN sessions s ON s.id = a.session_id"
            " WHERE s.scenario_id = 'printer_jam' AND s.agent = 'expert'"
            " AND a.action = 'print_form'"
        ).fetchone()[0]
    stored = next(f for f in json.loads(raw)["findings"] if f["rule"] == "no_printing_into_fault")
    assert printed == 2 and stored["verdict"] == "met"
    assert stored["evidence"] == "全程未出现「打印受理回执」"

    # now: a clerk who prints twice, both outside the window, is told "not between the fault
    # and the fix"
    played = play_agent(printer_jam, procedure, 0, "expert")
    actions = list(played.actions)
    last = actions[-1]
    again = [*actions[:-1], TimedAction(t=last.t, action="print_form"), last]
    session = score_actions(printer_jam, procedure, 0, again)
    assert sum(1 for e in session.engine.trace if e.name == "print_form" and e.valid) == 2
    finding = next(f for f in session.report.findings if f.rule == "no_printing_into_fault")
    zh, en = session.words("zh"), session.words("en")
    assert finding.verdict == "met"
    assert zh.evidence(finding) == "「打印机故障」至「打印机恢复正常」之间未出现「打印受理回执」"
    assert "全程" not in zh.evidence(finding)
    assert "did not happen between" in en.evidence(finding)
    # and one who leaves before the printer ever fails is told the rule does not apply
    early = score_actions(printer_jam, procedure, 0, [TimedAction(t=5.0, action="finish")])
    finding = next(f for f in early.report.findings if f.rule == "no_printing_into_fault")
    assert finding.verdict == "not_applicable"
    assert zh.finding_line(finding).startswith("– 5.3.b 不适用")
    assert early.words("zh").evidence(finding) == "「打印机故障」未发生，本条不适用"


def test_a_stop_exactly_thirty_seconds_after_the_jam_is_in_time(printer_jam, procedure):
    # found: "A reply exactly at its limit is late: 38.2 − 8.2 = 30.000000000000004 > 30"
    seed = 1  # the jam comes at 20.2 s
    played = play_agent(printer_jam, procedure, seed, "expert")
    jam = next(e.t for e in played.engine.trace if e.name == "printer_fault")
    stop = next(a for a in played.actions if a.action == "stop_operation")
    at = jam + 30.0
    assert at - jam > 30  # the float difference is over the limit
    # the expert, slower to react: everything from the stop on comes that much later
    later = at - stop.t
    actions = [
        a if a.t < stop.t else replace(a, t=at if a is stop else round(a.t + later, 3))
        for a in played.actions
    ]
    session = score_actions(printer_jam, procedure, seed, actions)
    finding = next(f for f in session.report.findings if f.rule == "stop_on_fault")
    stopped = next(e.t for e in session.engine.trace if e.name == "stop_operation")
    assert stopped == at and stopped - jam > 30
    old = judge(session.engine, procedure, semantics=1)
    assert next(f for f in old.findings if f.rule == "stop_on_fault").verdict == "violated"
    assert finding.verdict == "met" and session.report.score == 100
    # a thousandth of a second more is late
    late = [replace(a, t=at + 0.001) if a.action == "stop_operation" else a for a in actions]
    slow = score_actions(printer_jam, procedure, seed, late)
    assert next(f for f in slow.report.findings if f.rule == "stop_on_fault").verdict == "violated"


def test_picking_replies_by_position_or_length_or_avoiding_the_printer_fails(
    printer_jam, procedure
):
    # found: always pressing the last reply passed printer_jam, the first passed everything
    old = gaming_runs(release_01("printer_jam", procedure), procedure, GAMING_SEEDS)
    assert sum(r.passed for r in old["last"]) > GAMING_PASSES
    assert sum(r.passed for r in old["first"]) > GAMING_PASSES

    runs = gaming_runs(printer_jam, procedure, GAMING_SEEDS)
    for pattern in PATTERNS:
        assert sum(r.passed for r in runs[pattern]) <= GAMING_PASSES, pattern
        assert not any(r.score >= 100 for r in runs[pattern]), pattern
    avoided = [r for r in runs["avoider"] if r.avoided]
    assert avoided and not any(r.passed for r in avoided)

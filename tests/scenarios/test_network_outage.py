"""网络中断: each scripted trainee loses exactly what its flaw deserves, on every variant; and
each thing a 班长 and an examiner found wrong with the verdict, as found and as fixed.

"As found" replays the scenario as release 0.1 shipped it: its bytes are kept with the records
that release wrote (``tests/records/data/release-0.1.sqlite3``), and its results were judged by
scoring semantics 1.
"""

from __future__ import annotations

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
from sim.library import find_scenario
from sim.observation import Observation
from sim.oracle import AnswerKey
from sim.scenario import LoadedScenario, load_scenario_bytes
from sim.trace import TimedAction

RELEASE_01 = Path(__file__).parent.parent / "records" / "data" / "release-0.1.sqlite3"

# rule -> (clause, verdict) for every rule not met; everything else must be met
EXPECTED: dict[str, dict[str, tuple[str, str]]] = {
    "expert": {},
    # no field-by-field check (3.2.a) and so no review before submitting (3.1.d), no fault log,
    # no service log
    "careless": {
        "details_checked": ("3.2.a", "missed"),
        "verify_before_submit": ("3.1.d", "violated"),
        "fault_logged": ("4.3.e", "missed"),
        "result_recorded": ("3.1.e", "missed"),
    },
    # works on through the outage: no stop, no report, presses submit into the dead network, no
    # contingency plan and no paper form; answers every line with whatever soothes ("five
    # minutes, guaranteed", "the system is updating", "it's already being submitted"), and
    # promises lost earnings back on his own say (3.3.d)
    "panicky": {
        "stop_on_outage": ("3.3.a", "missed"),
        "outage_reported": ("3.3.a", "missed"),
        "no_submitting_while_down": ("3.3.a", "violated"),
        "contingency_started": ("5.3.d", "missed"),
        "taken_on_paper": ("local:paper_form", "violated"),
        "greeting_answered": ("3.2.c", "violated"),
        "honest_about_wait": ("3.2.c", "violated"),
        "grumble_answered": ("3.2.c", "violated"),
        "no_second_trip": ("3.2.c", "violated"),
        "transfer_explained": ("3.2.c", "violated"),
        "next_steps_told": ("3.2.c", "violated"),
        "never_mislead": ("3.2.c", "violated"),
        "no_overpromising": ("3.2.c", "violated"),
        "no_deciding_beyond_authority": ("3.3.d", "violated"),
    },
    # keeps the outage to himself and promises whatever is asked: done in five minutes, fixed in
    # five, two more minutes, all done by tomorrow morning
    "solo": {
        "outage_reported": ("3.3.a", "missed"),
        "greeting_answered": ("3.2.c", "violated"),
        "honest_about_wait": ("3.2.c", "violated"),
        "no_second_trip": ("3.2.c", "violated"),
        "transfer_explained": ("3.2.c", "violated"),
        "next_steps_told": ("3.2.c", "violated"),
        "no_overpromising": ("3.2.c", "violated"),
    },
    # curt at the greeting and about the wait, and snaps back at the customer's complaint (a
    # quarrel, 3.3.b): the customer walks out before anything is taken down, so the paper form,
    # the application and what the customer would have asked later are all lost
    "brusque": {
        "greeting_answered": ("3.2.c", "violated"),
        "honest_about_wait": ("3.2.c", "violated"),
        "grumble_answered": ("3.2.c", "violated"),
        "stay_patient": ("3.2.c", "violated"),
        "no_quarrel": ("3.3.b", "violated"),
        "taken_on_paper": ("local:paper_form", "violated"),
        "details_checked": ("3.2.a", "missed"),
        "application_submitted": ("3.1.d", "missed"),
        "receipt_printed": ("3.1.d", "missed"),
        "result_told": ("3.1.e", "missed"),
        "result_recorded": ("3.1.e", "missed"),
        "verify_before_submit": ("3.1.d", "not_applicable"),
        "no_second_trip": ("3.2.c", "not_applicable"),
        "transfer_explained": ("3.2.c", "not_applicable"),
        "next_steps_told": ("3.2.c", "not_applicable"),
    },
}

# Whether the flaw deserves failing the session, and the critical clauses it breaks.
PASSED = {"expert": True, "careless": False, "panicky": False, "solo": False, "brusque": False}
CRITICAL = {"panicky": ("3.3.a", "3.3.d"), "solo": ("3.3.a",), "brusque": ("3.3.b",)}
# the red lines of this scenario, and nothing else critical
RED_LINES = {
    "stop_on_outage": "3.3.a",
    "outage_reported": "3.3.a",
    "no_submitting_while_down": "3.3.a",
    "no_deciding_beyond_authority": "3.3.d",
    "no_quarrel": "3.3.b",
}

SEEDS = [0, 1, 2, 5, 11]


@pytest.fixture(scope="module")
def outage(procedure: Procedure) -> LoadedScenario:
    return find_scenario("network_outage", procedure.ids)


# the lines where the customer answers back (issue 15): they apply only to a clerk whose wrong
# answer brought them on, and none of the scripted trainees gives those answers
ANSWER_BACK = {"plain_words", "asked_again_answered"}


def broken(session: Session) -> dict[str, tuple[str, str]]:
    return {
        f.rule: (f.clause, f.verdict)
        for f in session.report.findings
        if f.verdict != "met" and not (f.rule in ANSWER_BACK and f.verdict == "not_applicable")
    }


def lost(session: Session) -> dict[str, tuple[str, str]]:
    return {f.rule: (f.clause, f.verdict) for f in session.report.findings if f.lost}


def broken_text(session: Session) -> str:
    said = session.words().evidence
    return "\n".join(
        f"{f.rule} {f.verdict}: {said(f)}" for f in session.report.findings if f.points_lost
    )


@settings(max_examples=25, deadline=None)
@given(seed=st.integers(min_value=0, max_value=2**31 - 1))
def test_the_expert_scores_full_marks_on_any_seed(outage, procedure, seed):
    session = play_agent(outage, procedure, seed, "expert")
    assert session.report.score == 100 and session.report.passed, broken_text(session)


@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("agent", sorted(EXPECTED))
def test_each_trainee_loses_exactly_its_flaw(outage, procedure, agent, seed):
    session = play_agent(outage, procedure, seed, agent)
    assert broken(session) == EXPECTED[agent]
    assert session.report.passed is PASSED[agent]
    weight = {r.id: r.weight for r in outage.scenario.rules}
    findings = session.report.findings
    applied = sum(weight[f.rule] for f in findings if f.verdict != "not_applicable")
    gone = sum(weight[f.rule] for f in findings if f.lost)
    assert session.report.score == round(100 - 100 * gone / applied, 1)
    assert session.report.critical_failures == CRITICAL.get(agent, ())


def test_every_variant_is_drawn_and_the_outage_timing_varies(outage, procedure):
    variants, drops, outages = set(), set(), set()
    for seed in range(12):
        engine = play_agent(outage, procedure, seed, "expert").engine
        variants.add(engine.variant.id)
        down = next(e.t for e in engine.trace if e.name == "network_down")
        back = next(e.t for e in engine.trace if e.name == "network_restored")
        drops.add(down)
        outages.add(back - down)
        assert 180 <= back - down <= 330
    assert variants == {v.id for v in outage.scenario.variants}
    assert len(drops) > 5 and len(outages) > 5


def test_the_expert_takes_it_on_paper_while_down_and_submits_once_back(outage, procedure):
    for seed in SEEDS:
        trace = play_agent(outage, procedure, seed, "expert").engine.trace
        names = [e.name for e in trace]
        down, back = names.index("network_down"), names.index("network_restored")
        during = names[down:back]
        for step in ("stop_operation", "report_supervisor", "start_contingency"):
            assert step in during
        assert "register_on_paper" in during and "log_fault" in during
        assert "submit_application" not in during
        after = names[back:]
        assert after.index("verify_data") < after.index("submit_application")
        assert after.index("submit_application") < after.index("inform_customer")


def test_the_panicky_trainees_submit_attempts_count_and_are_quoted(outage, procedure):
    played = play_agent(outage, procedure, 0, "panicky")
    report = played.report
    said = played.words().evidence
    tried = [a for a in report.invalid_attempts if a.action == "submit_application"]
    assert len(tried) == 2 and all(a.reason == "network_up" for a in tried)
    finding = next(f for f in report.findings if f.rule == "no_submitting_while_down")
    assert "网络已中断" in said(finding)
    mislead = next(f for f in report.findings if f.rule == "never_mislead")
    assert "系统在自动升级" in said(mislead)


def test_one_press_of_submit_into_the_outage_fails_an_otherwise_good_session(outage, procedure):
    # seed 0: the network drops during the data entry and is back after some minutes
    actions = expert_actions(outage, procedure, 0)
    down = first_time(outage, procedure, 0, "network_down")
    retry = TimedAction(t=down + 1.0, action="submit_application", args={})
    session = score_actions(outage, procedure, 0, sorted([*actions, retry], key=lambda a: a.t))
    assert broken(session) == {"no_submitting_while_down": ("3.3.a", "violated")}
    assert not session.report.passed and session.report.critical_failures == ("3.3.a",)


def test_scoring_the_recorded_actions_gives_the_same_report(outage, procedure):
    for agent in EXPECTED:
        played = play_agent(outage, procedure, 4, agent)
        again = score_actions(outage, procedure, 4, played.actions)
        assert again.report == played.report


def expert_actions(loaded, procedure, seed) -> list[TimedAction]:
    return list(play_agent(loaded, procedure, seed, "expert").actions)


def first_time(loaded, procedure, seed, event: str) -> float:
    engine = play_agent(loaded, procedure, seed, "expert").engine
    return next(e.t for e in engine.trace if e.name == event)


def release_01(scenario_id: str, procedure: Procedure) -> LoadedScenario:
    """The scenario as release 0.1 shipped it, from the records that release wrote."""
    with sqlite3.connect(f"{RELEASE_01.as_uri()}?mode=ro&immutable=1", uri=True) as db:
        (source,) = db.execute(
            "SELECT source FROM scenario_sources WHERE scenario_id = ?", (scenario_id,)
        ).fetchone()
    return load_scenario_bytes(source, f"{scenario_id}.yaml", procedure.ids)


class NeverSubmits(Trainee):
    """The expert, except that the application, once checked, is never submitted (nor its
    receipt printed): the customer is told and the case recorded without it."""

    def business(self, obs: Observation, key: AnswerKey) -> Decision | None:
        if obs.verified and not obs.submitted:
            obs = replace(obs, submitted=True, printed=True)
        return super().business(obs, key)


class SubmitsUnchecked(Trainee):
    """The expert, except that the details are never checked before submitting."""

    def verify(self) -> Decision | None:
        return None

    def business(self, obs: Observation, key: AnswerKey) -> Decision | None:
        return super().business(replace(obs, verified=obs.data_entered), key)


def scored(loaded: LoadedScenario, procedure: Procedure, seed: int, trainee: Trainee) -> Report:
    engine = build(loaded, seed)
    run_agent(loaded, seed, trainee, engine=engine)
    return judge(engine, procedure)


# -- what was found, and what it is now --------------------------------------------------------


def test_never_submitting_no_longer_beats_submitting_unchecked(outage, procedure):
    # found: "never submitting scores 93.1 while submitting without checking scores 89.7"
    old = release_01("network_outage", procedure)
    for trainee, found in ((NeverSubmits(0), 93.1), (SubmitsUnchecked(0), 89.7)):
        engine = build(old, 0)
        run_agent(old, 0, trainee, engine=engine)
        assert judge(engine, procedure, semantics=1).score == found

    # now: not submitting loses the submission and the receipt, more than the check it skipped
    for seed in SEEDS:
        never = scored(outage, procedure, seed, NeverSubmits(seed))
        unchecked = scored(outage, procedure, seed, SubmitsUnchecked(seed))
        assert {f.rule for f in never.findings if f.lost} == {
            "application_submitted",
            "receipt_printed",
        }
        assert {f.rule for f in unchecked.findings if f.lost} == {
            "details_checked",
            "verify_before_submit",
        }
        assert never.score < unchecked.score


def test_a_stop_exactly_thirty_seconds_after_the_drop_is_in_time(outage, procedure):
    # found: "A reply exactly at its limit is late: 38.2 − 8.2 = 30.000000000000004 > 30"; here
    # the stop is a red line, so being judged late would fail the session outright
    for seed in range(200):  # seed 48 drops it at 63.4 s: 93.4 - 63.4 = 30.000000000000007
        played = play_agent(outage, procedure, seed, "expert")
        down = next(e.t for e in played.engine.trace if e.name == "network_down")
        at = round(down + 30.0, 3)  # the desk's clock has milliseconds
        if at - down > 30:
            break
    else:
        pytest.fail("no seed drops the network at a time whose float difference shows")
    stop = next(a for a in played.actions if a.action == "stop_operation")
    later = at - stop.t
    # the expert, slower to react: everything from the stop on comes that much later
    actions = [
        a if a.t < stop.t else replace(a, t=at if a is stop else round(a.t + later, 3))
        for a in played.actions
    ]
    session = score_actions(outage, procedure, seed, actions)
    stopped = next(e.t for e in session.engine.trace if e.name == "stop_operation")
    assert stopped - down > 30
    old = judge(session.engine, procedure, semantics=1)
    assert not old.passed and old.critical_failures == ("3.3.a",)
    assert session.report.score == 100 and session.report.passed
    late = [replace(a, t=at + 0.001) if a.action == "stop_operation" else a for a in actions]
    slow = score_actions(outage, procedure, seed, late).report
    assert not slow.passed and slow.critical_failures == ("3.3.a",)


def test_picking_replies_by_position_or_length_or_avoiding_the_business_fails(outage, procedure):
    # found: always pressing the first or the last reply passed network_outage
    old = gaming_runs(release_01("network_outage", procedure), procedure, GAMING_SEEDS)
    assert sum(r.passed for r in old["last"]) > GAMING_PASSES
    assert sum(r.passed for r in old["first"]) > GAMING_PASSES

    runs = gaming_runs(outage, procedure, GAMING_SEEDS)
    for pattern in PATTERNS:
        assert sum(r.passed for r in runs[pattern]) <= GAMING_PASSES, pattern
        assert not any(r.score >= 100 for r in runs[pattern]), pattern
    avoided = [r for r in runs["avoider"] if r.avoided]
    assert avoided and not any(r.passed for r in avoided)


def test_the_critical_rules_are_the_red_lines_only(outage):
    critical = {r.id: r.clause for r in outage.scenario.rules if r.critical}
    assert critical == RED_LINES
    local = {r.id: r.cites for r in outage.scenario.rules if r.local is not None}
    assert local == {"taken_on_paper": "local:paper_form"}
    assert set(outage.scenario.instructions) == {"paper_form"}

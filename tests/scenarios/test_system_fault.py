"""系统故障: each scripted trainee loses exactly what its flaw deserves, on every variant; and
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
    # no field-by-field check (3.2.a) and so no review before submitting (3.1.d), no fault log
    # (for the system nor for the device that ran hot), no service log
    "careless": {
        "details_checked": ("3.2.a", "missed"),
        "verify_before_submit": ("3.1.d", "violated"),
        "fault_logged": ("4.3.e", "missed"),
        "overheat_logged": ("4.3.e", "missed"),
        "result_recorded": ("3.1.e", "missed"),
    },
    # keeps pressing submit on the broken system, never stops, reports or asks for help, no
    # contingency plan and no paper form; answers every line with whatever soothes ("a routine
    # update", "there, it's gone through", "sorted for good") and fiddles with the system's
    # settings and grants an express survey on his own say (3.3.d)
    # (it stops work only when a device runs hot, minutes after the system fault: too late)
    "panicky": {
        "stop_on_fault": ("3.3.a", "violated"),
        "fault_reported": ("3.3.a", "missed"),
        "no_resubmitting_on_fault": ("3.3.a", "violated"),
        "contingency_started": ("5.3.d", "missed"),
        "taken_on_paper": ("local:paper_form", "violated"),
        "help_sought": ("3.3.d", "missed"),
        "greeting_answered": ("3.2.c", "violated"),
        "honest_about_wait": ("3.2.c", "violated"),
        "grumble_answered": ("3.2.c", "violated"),
        "retry_explained": ("3.2.c", "violated"),
        "increase_explained": ("3.2.c", "violated"),
        "next_steps_told": ("3.2.c", "violated"),
        "never_mislead": ("3.2.c", "violated"),
        "no_overpromising": ("3.2.c", "violated"),
        "no_deciding_beyond_authority": ("3.3.d", "violated"),
    },
    # stops and goes to paper, but tells nobody, asks nobody for help, and promises whatever is
    # asked: done tomorrow, five minutes at most, two more minutes, within three days
    "solo": {
        "fault_reported": ("3.3.a", "missed"),
        "help_sought": ("3.3.d", "missed"),
        "greeting_answered": ("3.2.c", "violated"),
        "honest_about_wait": ("3.2.c", "violated"),
        "retry_explained": ("3.2.c", "violated"),
        "next_steps_told": ("3.2.c", "violated"),
        "no_overpromising": ("3.2.c", "violated"),
    },
    # curt at the greeting and about the wait, and snaps back at the customer's complaint (a
    # quarrel, 3.3.b): the customer walks out before anything is taken down, so the paper form,
    # the application and what the customer would have asked later are lost, and with nobody at
    # the counter to promise it to, the supervisor is never asked for help either
    "brusque": {
        "greeting_answered": ("3.2.c", "violated"),
        "honest_about_wait": ("3.2.c", "violated"),
        "grumble_answered": ("3.2.c", "violated"),
        "stay_patient": ("3.2.c", "violated"),
        "no_quarrel": ("3.3.b", "violated"),
        "taken_on_paper": ("local:paper_form", "violated"),
        "help_sought": ("3.3.d", "missed"),
        "details_checked": ("3.2.a", "missed"),
        "application_submitted": ("3.1.d", "missed"),
        "receipt_printed": ("3.1.d", "missed"),
        "result_told": ("3.1.e", "missed"),
        "result_recorded": ("3.1.e", "missed"),
        "verify_before_submit": ("3.1.d", "not_applicable"),
        "retry_explained": ("3.2.c", "not_applicable"),
        "increase_explained": ("3.2.c", "not_applicable"),
        "next_steps_told": ("3.2.c", "not_applicable"),
    },
}

# Whether the flaw deserves failing the session, and the critical clauses it breaks.
PASSED = {"expert": True, "careless": False, "panicky": False, "solo": False, "brusque": False}
CRITICAL = {"panicky": ("3.3.a", "3.3.d"), "solo": ("3.3.a",), "brusque": ("3.3.b",)}
# the red lines of this scenario, and nothing else critical
RED_LINES = {
    "stop_on_fault": "3.3.a",
    "fault_reported": "3.3.a",
    "no_resubmitting_on_fault": "3.3.a",
    "no_reentering_on_fault": "3.3.a",
    "no_deciding_beyond_authority": "3.3.d",
    "no_quarrel": "3.3.b",
}

SEEDS = [0, 1, 2, 5, 11]


@pytest.fixture(scope="module")
def fault(procedure: Procedure) -> LoadedScenario:
    return find_scenario("system_fault", procedure.ids)


# the lines where the customer answers back (issue 15): they apply only to a clerk whose wrong
# answer brought them on, and none of the scripted trainees gives those answers
ANSWER_BACK = {"plain_words", "asked_again_answered"}


def broken(session: Session) -> dict[str, tuple[str, str]]:
    return {
        f.rule: (f.clause, f.verdict)
        for f in session.report.findings
        if f.verdict != "met" and not (f.rule in ANSWER_BACK and f.verdict == "not_applicable")
    }


def broken_text(session: Session) -> str:
    said = session.words().evidence
    return "\n".join(
        f"{f.rule} {f.verdict}: {said(f)}" for f in session.report.findings if f.points_lost
    )


@settings(max_examples=25, deadline=None)
@given(seed=st.integers(min_value=0, max_value=2**31 - 1))
def test_the_expert_scores_full_marks_on_any_seed(fault, procedure, seed):
    session = play_agent(fault, procedure, seed, "expert")
    assert session.report.score == 100 and session.report.passed, broken_text(session)


@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("agent", sorted(EXPECTED))
def test_each_trainee_loses_exactly_its_flaw(fault, procedure, agent, seed):
    session = play_agent(fault, procedure, seed, agent)
    assert broken(session) == EXPECTED[agent]
    assert session.report.passed is PASSED[agent]
    weight = {r.id: r.weight for r in fault.scenario.rules}
    findings = session.report.findings
    applied = sum(weight[f.rule] for f in findings if f.verdict != "not_applicable")
    gone = sum(weight[f.rule] for f in findings if f.lost)
    assert session.report.score == round(100 - 100 * gone / applied, 1)
    assert session.report.critical_failures == CRITICAL.get(agent, ())


def test_freezes_and_errors_are_both_drawn_and_the_timing_varies(fault, procedure):
    variants, kinds, outages = set(), set(), set()
    for seed in range(12):
        engine = play_agent(fault, procedure, seed, "expert").engine
        variants.add(engine.variant.id)
        hit = next(e for e in engine.trace if e.name == "system_fault")
        back = next(e.t for e in engine.trace if e.name == "system_restored")
        kinds.add(hit.arg("kind"))
        assert hit.arg("kind") == engine.variant.vars["fault"]
        outages.add(back - hit.t)
        assert 200 <= back - hit.t <= 360
    assert variants == {v.id for v in fault.scenario.variants}
    assert kinds == {"freeze", "error"} and len(outages) > 5


def test_the_system_comes_back_logged_out_and_the_expert_logs_in_before_going_on(fault, procedure):
    for seed in SEEDS:
        trace = play_agent(fault, procedure, seed, "expert").engine.trace
        names = [e.name for e in trace]
        hit, back = names.index("system_fault"), names.index("system_restored")
        during = names[hit:back]
        for step in (
            "stop_operation",
            "report_supervisor",
            "start_contingency",
            "ask_supervisor_help",
        ):
            assert step in during
        assert "register_on_paper" in during and "log_fault" in during
        assert "submit_application" not in during and "enter_customer_data" not in during
        after = [e.name for e in trace[back:] if e.kind == "action"]
        business = [a for a in after if a != "say"]
        assert business[0] == "log_in"
        assert (
            after.index("log_in") < after.index("verify_data") < after.index("submit_application")
        )


def test_a_submit_before_logging_in_again_is_refused(fault, procedure):
    actions = list(play_agent(fault, procedure, 0, "expert").actions)
    back = event_time(fault, procedure, 0, "system_restored")
    # straight to submit once the system is back, skipping the login
    early = [a for a in actions if a.t < back]
    session = score_actions(
        fault,
        procedure,
        0,
        [*early, TimedAction(t=back + 1.0, action="submit_application", args={})],
    )
    assert [a.reason for a in session.report.invalid_attempts] == ["logged_in"]
    found = broken(session)
    assert found["logged_in_again"] == ("3.1.a", "missed")
    assert found["application_submitted"] == ("3.1.d", "missed")


def test_the_panicky_trainees_retries_count_and_the_misleading_words_are_quoted(fault, procedure):
    played = play_agent(fault, procedure, 0, "panicky")
    report = played.report
    said = played.words().evidence
    tried = [a for a in report.invalid_attempts if a.action == "submit_application"]
    assert len(tried) == 2
    mislead = next(f for f in report.findings if f.rule == "never_mislead")
    assert "系统正常更新" in said(mislead)


def test_typing_the_details_in_again_on_the_broken_system_fails_the_session(fault, procedure):
    actions = list(play_agent(fault, procedure, 0, "expert").actions)
    hit = event_time(fault, procedure, 0, "system_fault")
    again = TimedAction(t=hit + 1.0, action="enter_customer_data", args={})
    session = score_actions(fault, procedure, 0, sorted([*actions, again], key=lambda a: a.t))
    assert broken(session) == {"no_reentering_on_fault": ("3.3.a", "violated")}
    assert not session.report.passed and session.report.critical_failures == ("3.3.a",)


def test_scoring_the_recorded_actions_gives_the_same_report(fault, procedure):
    for agent in EXPECTED:
        played = play_agent(fault, procedure, 4, agent)
        again = score_actions(fault, procedure, 4, played.actions)
        assert again.report == played.report


def event_time(loaded, procedure, seed, event: str) -> float:
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


def test_never_submitting_no_longer_beats_submitting_unchecked(fault, procedure):
    # found (in network_outage, and the same here): never submitting scored more than
    # submitting without checking
    old = release_01("system_fault", procedure)
    found = {}
    for name, trainee in (("never", NeverSubmits(0)), ("unchecked", SubmitsUnchecked(0))):
        engine = build(old, 0)
        run_agent(old, 0, trainee, engine=engine)
        found[name] = judge(engine, procedure, semantics=1).score
    assert found == {"never": 93.5, "unchecked": 90.3}

    # now: not submitting loses the submission and the receipt, more than the check it skipped
    for seed in SEEDS:
        never = scored(fault, procedure, seed, NeverSubmits(seed))
        unchecked = scored(fault, procedure, seed, SubmitsUnchecked(seed))
        assert {f.rule for f in never.findings if f.lost} == {
            "application_submitted",
            "receipt_printed",
        }
        assert {f.rule for f in unchecked.findings if f.lost} == {
            "details_checked",
            "verify_before_submit",
        }
        assert never.score < unchecked.score


def test_picking_replies_by_position_or_length_or_avoiding_the_business_fails(fault, procedure):
    # found: always pressing the first or the last reply passed system_fault
    old = gaming_runs(release_01("system_fault", procedure), procedure, GAMING_SEEDS)
    assert sum(r.passed for r in old["last"]) > GAMING_PASSES
    assert sum(r.passed for r in old["first"]) > GAMING_PASSES

    runs = gaming_runs(fault, procedure, GAMING_SEEDS)
    for pattern in PATTERNS:
        assert sum(r.passed for r in runs[pattern]) <= GAMING_PASSES, pattern
        assert not any(r.score >= 100 for r in runs[pattern]), pattern
    avoided = [r for r in runs["avoider"] if r.avoided]
    assert avoided and not any(r.passed for r in avoided)


def test_the_critical_rules_are_the_red_lines_only(fault):
    critical = {r.id: r.clause for r in fault.scenario.rules if r.critical}
    assert critical == RED_LINES
    local = {r.id: r.cites for r in fault.scenario.rules if r.local is not None}
    assert local == {"taken_on_paper": "local:paper_form"}
    assert set(fault.scenario.instructions) == {"paper_form"}


def test_asking_for_help_is_owed_and_done_when_the_clerk_says_so(fault, procedure):
    # the honest answer to "just click it again" says the supervisor will be asked to chase IT
    # support; the expert then asks, and the help rule is met by that request
    played = play_agent(fault, procedure, 0, "expert")
    names = [(e.name, e.arg("reply")) for e in played.engine.trace if e.kind == "action"]
    said = names.index(("say", "again_honest"))
    assert ("ask_supervisor_help", None) in names[said:]
    help_rule = next(f for f in played.report.findings if f.rule == "help_sought")
    assert help_rule.verdict == "met" and help_rule.clause == "3.3.d" and not help_rule.critical


# -- issue 15: the findings of the 班长, and the device that runs hot (4.2.e) ---------------------

AS_FOUND_15 = Path(__file__).with_name("as_found") / "issue15" / "system_fault.yaml"


def test_finding_coal_to_electric_heating_in_nanjing(fault):
    """As found: 煤改电 (a northern heating policy) as the reason for an increase in Nanjing."""
    assert "煤改电" in AS_FOUND_15.read_text(encoding="utf-8")
    text = Path(fault.path).read_text(encoding="utf-8")
    assert "煤改电" not in text and "充电桩" in text


def test_finding_a_woman_applying_for_her_husband_on_a_deed_in_her_own_name(fault):
    as_found = AS_FOUND_15.read_text(encoding="utf-8")
    assert "替瘫痪在床的老伴办事" in as_found
    v = next(v for v in fault.scenario.variants if v.id == "elderly_heaters")
    persona = v.vars["persona"].zh  # type: ignore[union-attr]
    assert "房子在她自己名下" in persona and "替" not in persona


def _without(actions: list[TimedAction], *names: str) -> list[TimedAction]:
    return [a for a in actions if a.action not in names]


@pytest.mark.parametrize("seed", [0, 2])  # the host in summer, the power strip in winter
def test_a_device_running_hot_is_stopped_cooled_and_logged(fault, procedure, seed):
    expert = play_agent(fault, procedure, seed, "expert")
    hot = [e for e in expert.engine.trace if e.name == "device_overheating"]
    assert len(hot) == 1 and expert.report.score == 100
    after = [a for a in expert.actions if a.t >= hot[0].t]
    assert [a.action for a in after if a.action in ("stop_operation", "cool_device")] == [
        "stop_operation",
        "cool_device",
    ]
    # carrying on regardless: no stop, no cooling
    regardless = [
        a
        for a in expert.actions
        if not (a.t >= hot[0].t and a.action in ("stop_operation", "cool_device"))
    ]
    report = score_actions(fault, procedure, seed, regardless).report
    lost = {f.rule: (f.clause, f.verdict) for f in report.findings if f.points_lost}
    assert lost == {
        "overheat_stopped": ("5.3.b", "missed"),
        "overheat_cooled": ("5.2.d", "missed"),
    }
    assert report.passed  # points, not a red line: the device is switched off in the end


def test_every_variant_has_a_device_running_hot(fault, procedure):
    kinds = {}
    for seed in range(12):
        played = play_agent(fault, procedure, seed, "expert")
        hot = [e.arg("kind") for e in played.engine.trace if e.name == "device_overheating"]
        kinds[played.engine.variant.id] = tuple(hot)
    assert kinds == {
        "aircon_tripping": ("host",),
        "new_appliances": ("host",),
        "ev_charger": ("power_strip",),
        "elderly_heaters": ("power_strip",),
    }

"""停电投诉: neighbours complain together of an outage nobody announced. The clerk looks up the
plan and its notice before saying anything about the cause (3.2.c), stays calm and takes the
12398 threat without answering back (3.3.b, critical), records and reports the complaint
(3.3.b), promises neither compensation (3.3.d, critical) nor a time (3.2.c); each scripted
trainee loses exactly what its flaw deserves, and doing things "just in case" is not free."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from authoring.probes import PATTERNS, gaming_runs
from scoring.procedure import Procedure
from scoring.session import Session, play_agent
from sim.agents import Decision
from sim.engine import Engine
from sim.library import find_scenario
from sim.observation import Observation
from sim.oracle import AnswerKey
from sim.scenario import LoadedScenario, facts
from tests.scenarios.kit import Clerk, broken

# rule -> (citation, verdict) for every rule the flaw breaks; everything else must be met
EXPECTED: dict[str, dict[str, tuple[str, str]]] = {
    "expert": {},
    # the complaint never written down and the case never logged: answered well, taken nowhere
    "careless": {
        "complaint_recorded": ("3.3.b", "missed"),
        "result_recorded": ("3.1.e", "missed"),
    },
    # tells each of them what they want to hear: power back before noon, the freezer paid for
    "panicky": {
        "restoration_answered": ("3.2.c", "violated"),
        "loss_answered": ("3.2.c", "violated"),
        "no_overstepping": ("3.3.d", "violated"),
        "never_mislead": ("3.2.c", "violated"),
    },
    # "I didn't cut your power", then "that's the rule, people are waiting" (the spokesman asks
    # for someone in charge), "call them if you like" to the 12398 threat (a quarrel: the
    # neighbour storms out), "not the counter's business" about the power, "one at a time" to
    # the woman with the freezer; both complainants walk out before anything is written down
    "brusque": {
        "calm_at_outburst": ("3.3.b", "violated"),
        "not_pushed_to_demand_a_superior": ("3.2.c", "violated"),
        "restoration_answered": ("3.2.c", "violated"),
        "threat_answered": ("3.2.c", "violated"),
        "no_quarrel": ("3.3.b", "violated"),
        "not_driven_away": ("3.3.b", "violated"),
        "loss_answered": ("3.2.c", "violated"),
        "never_mislead": ("3.2.c", "violated"),
        "stay_patient": ("3.2.c", "violated"),
        "complaint_recorded": ("3.3.b", "missed"),
        "supervisor_told": ("3.3.b", "missed"),
    },
    # keeps the complaint from the supervisor and promises the power back before noon
    "solo": {
        "restoration_answered": ("3.2.c", "violated"),
        "never_mislead": ("3.2.c", "violated"),
        "supervisor_told": ("3.3.b", "missed"),
    },
    # opens the module and looks the plan up before a word to the group: the look-up is what
    # they asked for, and nothing wrong is said, but a shouting group is acknowledged first;
    # a lapse of order that costs its points and passes
    "paperwork_first": {
        "calm_at_outburst": ("3.3.b", "violated"),
    },
}
PASSED = {agent: agent in ("expert", "paperwork_first") for agent in EXPECTED}
CRITICAL = {"panicky": ("3.3.d",), "brusque": ("3.3.b",)}

SEEDS = [0, 1, 5, 7]


@pytest.fixture(scope="module")
def outage(procedure: Procedure) -> LoadedScenario:
    return find_scenario("outage_complaint", procedure.ids)


def _finding(session: Session, rule: str):
    return next(f for f in session.report.findings if f.rule == rule)


def _seed_for(loaded: LoadedScenario, variant: str) -> int:
    return next(s for s in range(500) if Engine(loaded, s).variant.id == variant)


def _play(loaded, procedure, seed, **kw) -> Session:
    return play_agent(loaded, procedure, seed, Clerk(seed, "spokesman", **kw))


# -- the expert and each flaw ---------------------------------------------------------------


@settings(max_examples=25, deadline=None)
@given(seed=st.integers(min_value=0, max_value=2**32 - 1))
def test_the_expert_scores_full_marks_on_any_seed(outage, procedure, seed):
    report = play_agent(outage, procedure, seed, "expert").report
    assert report.score == 100 and report.passed


@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("agent", sorted(EXPECTED))
def test_each_trainee_loses_exactly_its_flaw(outage, procedure, agent, seed):
    session = play_agent(outage, procedure, seed, agent)
    assert broken(session) == EXPECTED[agent]
    assert session.report.passed is PASSED[agent]
    assert session.report.critical_failures == CRITICAL.get(agent, ())


def test_the_seeds_cover_every_variant(outage):
    assert {Engine(outage, s).variant.id for s in SEEDS} == {v.id for v in outage.scenario.variants}


def test_the_expert_looks_before_it_says_anything_about_the_cause(outage, procedure):
    for seed in SEEDS:
        trace = play_agent(outage, procedure, seed, "expert").engine.trace
        names = [e.name for e in trace]
        looked = names.index("check_outage_plan")
        shown = names.index("system_shows")
        asked = next(
            i for i, e in enumerate(trace) if e.name == "customer_says" and e.arg("node") == "cause"
        )
        assert looked < shown < asked < names.index("record_complaint")


def test_each_variant_shows_its_own_note_and_the_truthful_answer_matches_it(outage, procedure):
    truths = {
        "posted_next_door": ("6栋", "贴在了6栋的公告栏"),
        "never_posted": ("待张贴", "没有张贴记录"),
        "fault_not_plan": ("无计划停电", "今天没有计划停电"),
    }
    for variant, (in_note, in_answer) in truths.items():
        engine = play_agent(outage, procedure, _seed_for(outage, variant), "expert").engine
        notes = [e.arg("note") for e in engine.trace if e.name == "system_shows"]
        assert notes == [variant]
        note = engine.render(outage.scenario.notes[variant].zh, "zh")
        assert in_note in note and "{" not in note
        if variant != "fault_not_plan":
            assert f"提前{facts()['planned_outage_notice_days']}天" in note or (
                f"{facts()['planned_outage_notice_days']}天前" in note
            )
        said = [e.arg("reply") for e in engine.trace if e.name == "say"]
        assert "cause_truth" in said
        reply = outage.scenario.customer("spokesman").dialogue["cause"].replies[0]
        assert in_answer in engine.render(reply.zh, "zh")


def test_no_restoration_time_is_promised_in_the_right_answer(outage):
    # the plan's hours are the plan's, not a promise; a fault has no time at all
    for variant in outage.scenario.variants:
        text = variant.fill("{back_truth}", "zh")
        assert "不能" in text and "打包票" in text or "不能随口" in text
        assert "肯定" not in text and "保证" not in text


# -- one test per key decision --------------------------------------------------------------


@pytest.mark.parametrize("guess", ["outburst_guess", "outburst_blame"])
def test_guessing_or_blaming_before_looking_fails(outage, procedure, guess):
    # "it's always posted, you missed it" / "the property company's business": the spokesman
    # objects ("you haven't even looked!"); the clerk then looks and answers truthfully
    seed = _seed_for(outage, "posted_next_door")
    session = _play(outage, procedure, seed, answers={"outburst": guess})
    assert broken(session) == {
        "calm_at_outburst": ("3.3.b", "violated"),
        "never_mislead": ("3.2.c", "violated"),
    }
    assert not session.report.passed and session.report.critical_failures == ()
    said = [e.arg("node") for e in session.engine.trace if e.name == "customer_says"]
    assert "objection" in said


def test_passing_the_blame_at_the_cause_brings_the_question_back(outage, procedure):
    seed = _seed_for(outage, "never_posted")
    session = _play(outage, procedure, seed, answers={"cause": "cause_blame"})
    assert broken(session) == {
        "cause_answered": ("3.2.c", "violated"),
        "never_mislead": ("3.2.c", "violated"),
    }
    nodes = [e.arg("node") for e in session.engine.trace if e.name == "customer_says"]
    assert nodes.index("cause_again") < nodes.index("when_back")
    assert "物业的事" in session.words().evidence(_finding(session, "never_mislead"))


def test_dodging_the_question_twice_makes_them_demand_a_superior(outage, procedure):
    seed = _seed_for(outage, "fault_not_plan")
    session = _play(
        outage, procedure, seed, answers={"cause": "cause_vague", "cause_again": "again_vague"}
    )
    assert broken(session) == {
        "cause_answered": ("3.2.c", "violated"),
        "not_pushed_to_demand_a_superior": ("3.2.c", "violated"),
        "never_mislead": ("3.2.c", "violated"),
    }
    demanded = [e for e in session.engine.trace if e.name == "supervisor_demanded"]
    assert [e.arg("customer") for e in demanded] == ["spokesman"]
    assert not session.report.passed


def test_a_promised_restoration_time_is_caught(outage, procedure):
    seed = _seed_for(outage, "posted_next_door")
    session = _play(outage, procedure, seed, answers={"when_back": "back_promise"})
    assert broken(session) == {
        "restoration_answered": ("3.2.c", "violated"),
        "never_mislead": ("3.2.c", "violated"),
    }
    assert not session.report.passed
    assert "肯定来电" in session.words().evidence(_finding(session, "never_mislead"))


def test_answering_back_the_12398_threat_is_a_quarrel_and_he_walks_out(outage, procedure):
    seed = _seed_for(outage, "never_posted")
    session = _play(outage, procedure, seed, answers={"threat": "threat_back"})
    assert broken(session) == {
        "threat_answered": ("3.2.c", "violated"),
        "no_quarrel": ("3.3.b", "violated"),
        "not_driven_away": ("3.3.b", "violated"),
        "stay_patient": ("3.2.c", "violated"),
    }
    assert session.report.critical_failures == ("3.3.b",)
    left = [e for e in session.engine.trace if e.name == "customer_leaves"]
    assert [(e.arg("customer"), e.arg("reason")) for e in left] == [("neighbour", "angry")]
    assert any(e.name == "complaint_threatened" for e in session.engine.trace)


def test_talking_him_out_of_12398_misleads(outage, procedure):
    seed = _seed_for(outage, "fault_not_plan")
    session = _play(outage, procedure, seed, answers={"threat": "threat_discourage"})
    assert broken(session) == {
        "threat_answered": ("3.2.c", "violated"),
        "never_mislead": ("3.2.c", "violated"),
    }
    assert session.report.critical_failures == () and not session.report.passed


def test_a_curt_word_to_the_freezer_question_is_not_a_quarrel(outage, procedure):
    # "one at a time" to the woman with the freezer: rude, and it costs its points, but it is
    # not answering back a complaint (the red line is drawn at the 12398 threat)
    seed = _seed_for(outage, "posted_next_door")
    session = _play(outage, procedure, seed, answers={"loss": "loss_curt"})
    assert broken(session) == {
        "loss_answered": ("3.2.c", "violated"),
        "stay_patient": ("3.2.c", "violated"),
    }
    assert session.report.critical_failures == () and session.report.passed


@pytest.mark.parametrize(
    ("answer", "broke", "critical"),
    [
        ("loss_overstep", {"no_overstepping": ("3.3.d", "violated")}, ("3.3.d",)),
        ("loss_deny", {"never_mislead": ("3.2.c", "violated")}, ()),
    ],
)
def test_compensation_promised_is_critical_a_flat_no_is_misleading(
    outage, procedure, answer, broke, critical
):
    seed = _seed_for(outage, "never_posted")
    session = _play(outage, procedure, seed, answers={"loss": answer})
    assert broken(session) == {"loss_answered": ("3.2.c", "violated"), **broke}
    assert session.report.critical_failures == critical
    assert not session.report.passed


def test_never_looking_costs_more_than_looking_and_answering_badly(outage, procedure):
    # without the look-up the question "was it announced?" never comes: that must not pay
    seed = _seed_for(outage, "posted_next_door")
    never = _play(outage, procedure, seed, skip=("check_outage_plan",))
    assert broken(never) == {
        "plan_checked": ("3.2.c", "missed"),
        "complaint_holds_the_record": ("3.3.b", "violated"),
    }
    assert not never.report.passed
    badly = _play(outage, procedure, seed, answers={"cause": "cause_vague"})
    assert never.report.score < badly.report.score


def test_recording_the_complaint_before_looking_is_caught(outage, procedure):
    class RecordsFirst(Clerk):
        def decide(self, obs: Observation, key: AnswerKey) -> Decision | None:
            d = super().decide(obs, key)
            if d is not None and d.action == "check_outage_plan" and not obs.complaint_recorded:
                return Decision("record_complaint")
            return d

    seed = _seed_for(outage, "never_posted")
    session = play_agent(outage, procedure, seed, RecordsFirst(seed, "spokesman"))
    assert broken(session) == {"complaint_holds_the_record": ("3.3.b", "violated")}
    # recorded too early still beats never recorded
    never = _play(outage, procedure, seed, skip=("record_complaint",))
    assert never.report.score < session.report.score


# -- gaming probes ---------------------------------------------------------------------------


def test_guessing_fails_and_doing_less_earns_nothing(outage, procedure):
    runs = gaming_runs(outage, procedure, 20)
    for pattern in PATTERNS:
        assert sum(r.passed for r in runs[pattern]) <= 2, pattern
        assert all(r.score < 100 for r in runs[pattern]), pattern
    avoided = [r for r in runs["avoider"] if r.avoided]
    assert avoided and not any(r.passed for r in avoided)


def test_everything_just_in_case_fails(outage, procedure):
    # the candidate who wants the certificate without the judgement: as soon as the group
    # comes in, 110, the contingency plan, the repair dispatch, the supervisor, and the hall
    # cleared "to be safe"; the complainants are sent out before anything is written down
    seed = _seed_for(outage, "fault_not_plan")
    extra = (
        "call_police",
        "start_contingency",
        "call_dispatch",
        "report_supervisor",
        "ask_supervisor_help",
        "evacuate_hall",
    )
    session = _play(outage, procedure, seed, extra=extra)
    found = broken(session)
    assert found["no_police_on_residents"] == ("3.3.b", "violated")
    assert found["hall_not_cleared"] == ("3.3.b", "violated")
    assert found["complaint_recorded"] == ("3.3.b", "missed")
    assert not session.report.passed and session.report.score < 60


def test_ringing_110_on_complaining_residents_is_not_free(outage, procedure):
    seed = _seed_for(outage, "never_posted")
    session = _play(outage, procedure, seed, extra=("call_police",))
    assert broken(session) == {"no_police_on_residents": ("3.3.b", "violated")}
    assert session.report.score < 100


def test_the_right_reply_is_not_given_away_by_its_length(outage):
    # at the outburst the longest is the confident guess; at the cause, the evasive account of
    # the notice's steps; at the time, the promise; at the threat, the talking-out-of-it
    right = {
        "outburst_look",
        "objection_look",
        "cause_truth",
        "again_truth",
        "back_truth",
        "threat_accept",
        "loss_truth",
    }
    for variant in outage.scenario.variants:
        longest, shortest = set(), set()
        for c in outage.scenario.customers:
            for node in c.dialogue.values():
                if len(node.replies) >= 2:
                    by_length = sorted(node.replies, key=lambda r: len(variant.fill(r.zh, "zh")))
                    longest.add(by_length[-1].id)
                    shortest.add(by_length[0].id)
        # the right reply is sometimes the longest, often not, and the shortest at most once
        assert 0 < len(longest & right) < len(longest) - 2, (variant.id, longest)
        assert len(shortest & right) <= 1, (variant.id, shortest)

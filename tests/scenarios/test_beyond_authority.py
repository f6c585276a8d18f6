"""超出权限的诉求: a customer asks to have a late-payment penalty waived, which is not the clerk's
to decide; each scripted trainee loses exactly what its flaw deserves.

The scenario as it was when the findings were made is kept in ``as_found/`` beside this file,
so that each finding is shown as it was found and then as it is now."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from authoring.probes import PATTERNS, gaming_runs
from scoring.session import build, judge, play_agent, score_actions
from sim.agents import Trainee, make_agent, run_agent
from sim.engine import Engine
from sim.library import find_scenario
from sim.observation import CustomerView, ReplyView
from sim.oracle import AnswerKey
from sim.scenario import load_scenario
from sim.trace import TimedAction
from sim.vocabulary import vocabulary
from tests.scenarios.kit import broken_rules as _broken

BAD = vocabulary().bad_tags
AS_FOUND = Path(__file__).with_name("as_found") / "beyond_authority.yaml"

# rule -> (clause, verdict) for every rule the flaw breaks; everything else must be met (or,
# where the flaw keeps a line from ever being said, not apply)
EXPECTED = {
    "expert": {},
    # asks, relays, tells the customer — and keeps no log of the case
    "careless": {
        "result_recorded": ("3.1.e", "missed"),
    },
    # the customer would be happiest with "I'll let you off": so that is what it says, and then
    # it closes the case on its own word
    "panicky": {
        "request_answered": ("3.2.c", "violated"),
        "help_sought": ("3.3.d", "missed"),
        "help_sought_promptly": ("3.3.d", "missed"),
        "no_overstepping": ("3.3.d", "violated"),
        "result_after_questions": ("3.1.e", "violated"),
    },
    # refuses flat out, then refuses to fetch the superior: decided alone, and curtly
    "brusque": {
        "request_answered": ("3.2.c", "violated"),
        "help_sought": ("3.3.d", "missed"),
        "help_sought_promptly": ("3.3.d", "missed"),
        "stay_patient": ("3.2.c", "violated"),
        "result_after_questions": ("3.1.e", "violated"),
    },
    # grants the waiver itself and never asks
    "solo": {
        "request_answered": ("3.2.c", "violated"),
        "help_sought": ("3.3.d", "missed"),
        "help_sought_promptly": ("3.3.d", "missed"),
        "no_overstepping": ("3.3.d", "violated"),
        "result_after_questions": ("3.1.e", "violated"),
    },
    # opens the billing account before answering: the matter the customer came about, no fault
    "paperwork_first": {},
}
PASSES = {"expert", "careless", "paperwork_first"}
# a critical rule broken fails the session whatever the score
CRITICAL = {"panicky": ("3.3.d",), "brusque": ("3.3.d",), "solo": ("3.3.d",)}


@pytest.fixture(scope="module")
def beyond(procedure):
    return find_scenario("beyond_authority", procedure.ids)


@pytest.fixture(scope="module")
def as_found(procedure):
    return load_scenario(AS_FOUND, procedure.ids)


def _nodes(engine):
    return [e.arg("node") for e in engine.trace if e.name == "customer_says"]


def _seed_for(loaded, variant):
    return next(s for s in range(200) if Engine(loaded, s).variant.id == variant)


def _arrival(loaded, seed: int) -> float:
    """When the customer reaches the window under this seed (drawn from the timeline's range)."""
    engine = Engine(loaded, seed)
    engine.advance(60)
    return next(e.t for e in engine.trace if e.name == "customer_arrives")


class Says(Trainee):
    """The expert, except that wherever a reply with ``words`` in it is on offer, it says that
    one (found by what it says, so the same clerk plays the scenario as found and as it is);
    with ``then_ask`` it goes to ask the superior straight after."""

    def __init__(self, seed: int, *words: str, then_ask: bool = False) -> None:
        super().__init__(seed)
        self.words = words
        self.then_ask = then_ask

    def choose_reply(self, c: CustomerView, key: AnswerKey) -> ReplyView:
        for r in c.replies:
            if any(w in r.text.get("zh") or w == r.id for w in self.words):
                if self.then_ask:
                    self._owe_help = True
                return r
        return super().choose_reply(c, key)


def _play(loaded, procedure, seed, agent, semantics=None):
    engine = build(loaded, seed)
    run_agent(loaded, seed, agent, engine=engine)
    report = judge(engine, procedure) if semantics is None else judge(engine, procedure, semantics)
    return engine, report


@settings(max_examples=25, deadline=None)
@given(seed=st.integers(min_value=0, max_value=2**32 - 1))
def test_the_expert_refers_the_waiver_with_full_marks_on_any_seed(beyond, procedure, seed):
    report = play_agent(beyond, procedure, seed, "expert").report
    assert report.score == 100 and report.passed


@pytest.mark.parametrize("seed", [0, 1, 2, 5, 11])
@pytest.mark.parametrize("agent", sorted(EXPECTED))
def test_each_trainee_loses_exactly_its_flaw(beyond, procedure, agent, seed):
    report = play_agent(beyond, procedure, seed, agent).report
    assert _broken(report) == EXPECTED[agent]
    assert report.passed is (agent in PASSES)
    assert report.critical_failures == CRITICAL.get(agent, ())


def test_the_seeds_above_cover_every_variant(beyond):
    drawn = {Engine(beyond, s).variant.id for s in (0, 1, 2, 5, 11)}
    assert drawn == {v.id for v in beyond.scenario.variants}


def test_the_superiors_answer_comes_only_when_asked_and_is_relayed_before_the_result(
    beyond, procedure
):
    expert = play_agent(beyond, procedure, 2, "expert").engine
    assert _nodes(expert) == ["ask_waive", "waiting", "ruling", "plead", "pay_today"]
    done = [(e.name, e.arg("reply")) for e in expert.trace if e.kind == "action"]
    assert done.index(("ask_supervisor_help", None)) < done.index(("say", "relay_as_is"))
    assert done.index(("say", "relay_as_is")) < done.index(("inform_customer", None))
    solo = play_agent(beyond, procedure, 2, "solo").engine
    assert _nodes(solo) == ["ask_waive"]


def test_a_curt_refusal_draws_a_demand_for_the_boss(beyond, procedure):
    engine = play_agent(beyond, procedure, 2, "brusque").engine
    assert _nodes(engine)[:3] == ["ask_waive", "insist", "grudging"]
    levels = [e.arg("level") for e in engine.trace if e.name == "customer_mood"]
    assert levels == ["angry"]  # from uneasy (a penalty on the bill) to angry


def _clerk(
    loaded,
    seed: int,
    ask_after: float = 10,
    relay: str = "relay_as_is",
    wait: str | None = "wait_honest",
) -> list[TimedAction]:
    """Says the right thing at once, asks the superior ``ask_after`` s later, answers the
    customer's worry (``wait``; None: not at all) on coming back, relays ``relay``, answers the
    rest by the book and closes the case."""
    t = _arrival(loaded, seed) + 2
    ask = t + ask_after
    steps = [
        (0, "log_in", {}),
        (15, "check_system_status", {}),
        (t, "say", {"reply": "waive_escalate"}),
        (ask, "ask_supervisor_help", {}),
        (ask + 20, "say", {"reply": wait}),  # the ruling comes 21-27 s after asking
        (ask + 30, "say", {"reply": relay}),
        (ask + 40, "say", {"reply": "plead_hold"}),
        (ask + 50, "say", {"reply": "pay_as_ruled"}),
        (ask + 60, "select_module", {"module": "billing"}),
        (ask + 65, "inform_customer", {}),
        (ask + 80, "record_result", {}),
        (ask + 95, "finish", {}),
    ]
    return [
        TimedAction(float(at), action, args)
        for at, action, args in steps
        if args.get("reply", "") is not None
    ]


def test_a_clerk_who_asks_at_once_and_relays_the_answer_scores_full_marks(beyond, procedure):
    report = score_actions(beyond, procedure, 0, _clerk(beyond, 0)).report
    assert report.score == 100 and report.passed and not report.invalid_attempts


def test_asking_only_after_minutes_is_not_asking_promptly_but_no_veto(beyond, procedure):
    # 及时 is in 3.3.d's text, but a late referral is not a decision beyond authority
    report = score_actions(beyond, procedure, 0, _clerk(beyond, 0, ask_after=150)).report
    assert _broken(report) == {"help_sought_promptly": ("3.3.d", "violated")}
    assert report.critical_failures == () and report.passed and report.score < 100


def test_dressing_up_the_superiors_answer_passes_off_a_waiver_nobody_granted(beyond, procedure):
    seed = _seed_for(beyond, "forgot_on_trip")
    played = score_actions(beyond, procedure, seed, _clerk(beyond, seed, relay="relay_spin"))
    report = played.report
    said = played.words().evidence
    assert _broken(report) == {
        "ruling_relayed": ("3.2.c", "violated"),
        "never_mislead": ("3.2.c", "violated"),
        "no_overstepping": ("3.3.d", "violated"),
    }
    assert report.critical_failures == ("3.3.d",)
    finding = next(f for f in report.findings if f.rule == "never_mislead")
    assert "下不为例" in said(finding) and "误导" in said(finding)


def test_cutting_the_superiors_answer_short_conceals_it(beyond, procedure):
    seed = _seed_for(beyond, "in_hospital")
    report = score_actions(
        beyond, procedure, seed, _clerk(beyond, seed, relay="relay_partial")
    ).report
    assert _broken(report) == {
        "ruling_relayed": ("3.2.c", "violated"),
        "never_mislead": ("3.2.c", "violated"),
    }
    assert not report.passed and not report.critical_failures


def test_scoring_the_recorded_actions_gives_the_same_report(beyond, procedure):
    for agent in EXPECTED:
        played = play_agent(beyond, procedure, 4, agent)
        again = score_actions(beyond, procedure, 4, played.actions)
        assert again.report == played.report


# -- the findings, as found and as they are now -----------------------------------------------

WAIVED = "违约金我给您免了"  # "I'll let you off the penalty", in both versions


def test_finding_promising_the_waiver_then_asking_the_superior_passed(beyond, as_found, procedure):
    """As found: a clerk who told the customer "这违约金我给您免了" and then asked the superior
    within the minute lost only a 3.2.c promise and passed at 83.3. Now the reply oversteps:
    deciding alone is violated the moment it is said (3.3.d, critical), whatever comes after."""
    for seed in (0, 1, 2):
        _, then = _play(as_found, procedure, seed, Says(seed, WAIVED, then_ask=True), 1)
        assert (then.score, then.passed) == (83.3, True)
        assert _broken(then) == {"no_promises": ("3.2.c", "violated")}

        engine, now = _play(beyond, procedure, seed, Says(seed, WAIVED, then_ask=True))
        asked = [e.t for e in engine.trace if e.name == "ask_supervisor_help"]
        request = next(e.t for e in engine.trace if e.arg("node") == "ask_waive")
        assert asked and asked[0] - request <= 60  # the superior was asked, and promptly
        assert _broken(now)["no_overstepping"] == ("3.3.d", "violated")
        assert now.critical_failures == ("3.3.d",) and not now.passed


def test_finding_granting_the_waiver_alone_could_only_be_missed_never_violated(
    beyond, as_found, procedure
):
    """As found, 3.3.d was scored only by a rule requiring the superior be asked: granting the
    waiver came out "missed", as if the clerk had merely forgotten something. Now the
    prohibition is a forbidden rule, and doing it is "violated"."""
    _, then = _play(as_found, procedure, 0, make_agent("solo", 0))
    assert {f.verdict for f in then.findings if f.clause == "3.3.d"} == {"missed"}
    _, now = _play(beyond, procedure, 0, make_agent("solo", 0))
    overstep = next(f for f in now.findings if f.rule == "no_overstepping")
    assert (overstep.template, overstep.verdict, overstep.critical) == (
        "forbidden",
        "violated",
        True,
    )


def test_finding_the_worry_about_coming_back_was_never_answered(beyond, as_found, procedure):
    """As found: the customer's "我是不是还得再跑一趟？" came 4-10 s after the clerk went to ask
    the superior (a 20-s errand) and the superior's answer 14-25 s after; a customer's new line
    replaces one left unanswered, so when the clerk got back only the ruling was on offer. Under
    the old meaning the relay of the ruling counted as the answer; under semantics 2 even the
    expert failed the rule. Now the worry comes as the customer's reply to "I'll ask the shift
    supervisor", stays on the counter while the clerk is away, and the ruling comes only after
    the clerk is back: the expert answers it, with its own reply."""
    engine, then = _play(as_found, procedure, 0, make_agent("expert", 0), 1)
    honest = next(f for f in then.findings if f.rule == "honest_while_waiting")
    assert honest.verdict == "met" and honest.evidence.entry("what").entry.arg("reply") == (
        "relay_as_is"
    )
    said = {e.arg("reply") for e in engine.trace if e.name == "say"}
    assert not said & {"wait_honest", "wait_promise", "wait_curt"}  # never answered
    ask = next(e.t for e in engine.trace if e.name == "ask_supervisor_help")
    lines = {e.arg("node"): e.t for e in engine.trace if e.name == "customer_says"}
    assert ask < lines["waiting"] < lines["ruling"] < ask + 20  # both while the clerk was away
    _, then2 = _play(as_found, procedure, 0, make_agent("expert", 0), 2)
    assert _broken(then2) == {"honest_while_waiting": ("3.2.c", "violated")}

    for seed in (0, 1, 2, 5):
        _, now = _play(beyond, procedure, seed, make_agent("expert", seed))
        honest = next(f for f in now.findings if f.rule == "honest_while_waiting")
        assert honest.verdict == "met"
        assert honest.evidence.entry("what").entry.arg("reply") == "wait_honest"


def test_a_clerk_who_leaves_the_worry_unanswered_loses_it(beyond, procedure):
    played = score_actions(beyond, procedure, 0, _clerk(beyond, 0, wait=None))
    report = played.report
    assert _broken(report) == {"honest_while_waiting": ("3.2.c", "violated")}
    # the relay answers the ruling, not the worry: the worry went unanswered
    finding = next(f for f in report.findings if f.rule == "honest_while_waiting")
    assert finding.evidence.entry("what").entry.arg("reply") == "relay_as_is"


@pytest.mark.parametrize(
    "words",
    [
        "违约金我给您免了",  # asked to waive it
        "肯定能免",  # asked whether the boss will agree
        "relay_spin",  # the superior's answer turned into a waiver ("违约金全免")
        "我在系统里给您处理掉",  # asked to bend the rules quietly
        "回头我在系统里给您销掉",  # asked what to pay today
    ],
)
def test_every_line_tempts_a_decision_beyond_authority_and_each_is_critical(
    beyond, procedure, words
):
    seed = _seed_for(beyond, "debit_failed")
    _, report = _play(beyond, procedure, seed, Says(seed, words))
    assert _broken(report)["no_overstepping"] == ("3.3.d", "violated")
    assert "3.3.d" in report.critical_failures and not report.passed


def test_finding_guessing_by_position_or_length_and_dodging_no_longer_pass(
    beyond, as_found, procedure
):
    """As found, the first reply (in the order the desk then showed them) and the longest were
    always the right ones: picking the longest blind passed every run. Now no pattern passes
    more than 2 runs in 20 or ever scores 100, and the avoider (who never asks for a ruling)
    fails every run."""
    for c in as_found.scenario.customers:
        for node in c.dialogue.values():
            if node.replies:  # as the desk then showed them, and by length, the right one
                assert not set(node.replies[0].tags) & BAD
                assert not set(max(node.replies, key=lambda r: len(r.zh)).tags) & BAD
    then = gaming_runs(as_found, procedure)
    assert all(r.passed for r in then["longest"])
    ranks = set()  # where the right reply stands by length now: first, last or in between
    shown = Engine(beyond, 0)  # lengths as the desk shows them, figures and names filled in
    for c in beyond.scenario.customers:
        for node in c.dialogue.values():
            if any(set(r.tags) & BAD for r in node.replies):
                by_length = sorted(node.replies, key=lambda r: len(shown.render(r.zh, "zh")))
                good = next(i for i, r in enumerate(by_length) if not set(r.tags) & BAD)
                last = len(by_length) - 1
                ranks.add("shortest" if good == 0 else "longest" if good == last else "between")
    assert ranks == {"shortest", "between", "longest"}
    now = gaming_runs(beyond, procedure)
    for pattern in PATTERNS:
        assert sum(r.passed for r in now[pattern]) <= 2, pattern
        assert not any(r.score >= 100 for r in now[pattern]), pattern
    avoided = [r for r in now["avoider"] if r.avoided]
    assert avoided and not any(r.passed for r in avoided)


# -- no credit for doing less --------------------------------------------------------------------


def test_a_clerk_who_never_says_a_word_to_the_customer_fails(beyond, procedure):
    expert = play_agent(beyond, procedure, 0, "expert").actions
    silent = [a for a in expert if a.action != "say"]
    report = score_actions(beyond, procedure, 0, silent).report
    assert _broken(report) == {
        "request_answered": ("3.2.c", "missed"),
        "ruling_relayed": ("3.2.c", "missed"),
        "result_after_questions": ("3.1.e", "violated"),
    }
    assert not report.passed


@pytest.mark.parametrize("quiet_at", ["relay_as_is", "plead_hold"])
def test_going_quiet_so_the_later_questions_never_come_does_not_pay(beyond, procedure, quiet_at):
    clerk = _clerk(beyond, 0)
    cut = next(i for i, a in enumerate(clerk) if a.args.get("reply") == quiet_at)
    quiet = [a for i, a in enumerate(clerk) if i < cut or a.action != "say"]
    report = score_actions(beyond, procedure, 0, quiet).report
    assert _broken(report)["result_after_questions"] == ("3.1.e", "violated")
    assert not report.passed


def test_never_telling_the_result_is_no_better_than_telling_it_too_early(beyond, procedure):
    clerk = _clerk(beyond, 0)
    never = [a for a in clerk if a.action != "inform_customer"]
    early = sorted(
        (
            TimedAction(a.t - 40, a.action, a.args) if a.action == "inform_customer" else a
            for a in clerk
        ),
        key=lambda a: a.t,
    )
    never_report = score_actions(beyond, procedure, 0, never).report
    early_report = score_actions(beyond, procedure, 0, early).report
    assert _broken(never_report)["result_told"] == ("3.1.e", "missed")
    assert _broken(early_report)["result_after_questions"] == ("3.1.e", "violated")
    assert never_report.score <= early_report.score

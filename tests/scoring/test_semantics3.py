"""Scoring semantics 3: each customer's case on its own, and safety first (3.3.c).

Found with the room's injected incidents (issue 17): an incident thrown in at an arbitrary
moment cost a clerk who did everything right points, even a red line — the safety advice to a
caller counted as the wrong answer to the counter customer's question, the caller's work order
as submitting the counter customer's form before its mismatch was corrected, the minutes spent
on a live hazard as keeping the counter customer waiting; and a network drop during a 40-second
data entry left the clerk unable to stop in time, since the desk kept them on the entry (now the
desk's alarms and the phone take the clerk off the action in hand: ``sim.agents``,
``desk.session``, tested there). Each case below is as found (semantics 2, kept for the results
scored by it) and as fixed; the last ones check no hole was opened for a clerk who gets the
counter customer wrong while the hazard is on.
"""

from __future__ import annotations

import pytest

from scoring.judges import _served, _serving
from scoring.procedure import load_procedure
from scoring.session import judge
from scoring.trace_index import IndexedTrace
from sim.agents import AGENTS, Trainee, make_agent, run_agent
from sim.engine import Engine
from sim.library import find_scenario, scenario_files
from sim.scenario import load_scenario
from tests.scoring.test_judges import act, ev, scenario, score

QUESTION = {
    "id": "asked",
    "template": "first_after",
    "trigger": {"name": "customer_says", "args": {"customer": "a", "node": "ask"}},
    "what": {"name": "say", "tags": ["accurate"]},
    "instead": ["say", "submit_application"],
    "within": 30,
    "clause": "3.2.c",
}
# b reports a hazard by phone while a's question waits
HAZARD = [
    ev(0, "session_start"),
    ev(5, "customer_arrives", customer="a"),
    ev(10, "customer_says", customer="a", node="ask"),
    ev(12, "phone_rings", customer="b"),
    act(14, "answer_phone"),
    ev(14, "customer_says", customer="b", node="hello"),
    ev(14, "hazard_reported", customer="b", kind="fallen_wire"),
]


def verdict(rules: list[dict], trace, semantics: int) -> str:
    return score(scenario(*rules), trace, semantics).findings[0].verdict


def test_safety_advice_to_the_caller_is_not_the_wrong_answer_to_the_counter_customer() -> None:
    trace = [
        *HAZARD,
        act(18, "say", ("accurate",), reply="hi"),  # b's line: the safety advice, say
        act(26, "call_dispatch"),  # the repair dispatch rung for b: 40 s
        ev(66, "customer_leaves", customer="b", reason="served"),
        act(67, "serve", customer="a"),
        act(70, "say", ("accurate",), reply="ask_ok"),
    ]
    assert verdict([QUESTION], trace, 2) == "violated"  # as found: "answered wrong first"
    assert verdict([QUESTION], trace, 3) == "met"  # the 54 s on the hazard do not count


def test_the_time_a_live_hazard_takes_is_not_counted_against_the_customer_who_waits() -> None:
    rule = {**QUESTION, "template": "response", "instead": None}
    rule.pop("instead")
    trace = [
        *HAZARD,
        act(18, "say", ("accurate",), reply="hi"),
        act(26, "call_dispatch"),
        act(66, "inform_customer"),  # b told the crew is coming: done at 81
        ev(84, "customer_leaves", customer="b", reason="served"),
        act(86, "serve", customer="a"),
        act(90, "say", ("accurate",), reply="ask_ok"),  # 80 s after, 69 of them on the hazard
    ]
    assert verdict([rule], trace, 2) == "violated"
    assert verdict([rule], trace, 3) == "met"
    late = [*trace[:-1], act(140, "say", ("accurate",), reply="ask_ok")]  # 56 s after b left
    assert verdict([rule], late, 3) == "violated"


def test_keeping_the_caller_on_the_line_doing_nothing_excuses_nobody() -> None:
    """A clerk who gives the advice and then leaves the caller hanging, to let the counter
    customer wait on the excuse: only the time spent acting for the caller counts."""
    rule = {**QUESTION, "template": "response"}
    rule.pop("instead")
    trace = [
        *HAZARD,
        act(18, "say", ("accurate",), reply="hi"),  # 8 s of speaking: done at 26
        act(95, "say", ("accurate",), reply="ask_ok"),  # the caller never rang off
    ]
    assert verdict([rule], trace, 3) == "violated"  # 85 s, of which only 14 on the hazard


def test_the_hazards_own_rules_never_wait() -> None:
    rule = {
        "id": "safety",
        "template": "response",
        "trigger": "hazard_reported",
        "what": {"name": "say", "tags": ["accurate"]},
        "within": 30,
        "clause": "3.3.c",
    }
    trace = [*HAZARD, act(50, "say", ("accurate",), reply="hi")]
    assert verdict([rule], trace, 3) == "violated"


def test_the_callers_work_order_is_not_submitting_the_counter_customers_form() -> None:
    rule = {
        "id": "corrected_first",
        "template": "forbidden",
        "what": "submit_application",
        "after": "discrepancy_found",
        "until": "correct_data",
        "clause": "3.2.c",
    }
    base = [
        ev(0, "session_start"),
        ev(5, "customer_arrives", customer="a"),
        act(20, "verify_data"),
        ev(20, "discrepancy_found", field="id_number"),
        ev(25, "phone_rings", customer="b"),
        act(27, "answer_phone"),
        ev(27, "hazard_reported", customer="b", kind="fallen_wire"),
    ]
    callers = [*base, act(40, "submit_application"), act(90, "serve", customer="a")]
    assert verdict([rule], callers, 2) == "violated"  # as found
    assert verdict([rule], callers, 3) == "met"  # b's work order, b's case
    # back at a's case, submitting before correcting is still what it was
    own = [*callers, act(95, "submit_application")]
    assert verdict([rule], own, 3) == "violated"
    # a prohibition over the whole desk (the network is down) binds every case
    desk = {**rule, "after": "network_down", "until": "network_restored"}
    drop = [*base[:3], ev(22, "network_down"), *base[4:], act(40, "submit_application")]
    assert verdict([desk], drop, 3) == "violated"


def test_a_wrong_answer_to_the_counter_customer_during_the_hazard_still_counts() -> None:
    trace = [
        *HAZARD,
        act(18, "say", ("accurate",), reply="hi"),
        act(20, "say", ("misleading",), reply="ask_bad"),  # said to a, while b is on the line
        act(64, "say", ("accurate",), reply="ask_ok"),
    ]
    assert verdict([QUESTION], trace, 3) == "violated"
    # and a's own paperwork done instead of answering, while a is served, is acting instead
    paper = [*HAZARD[:3], act(20, "submit_application"), act(25, "say", ("accurate",),
             reply="ask_ok")]  # fmt: skip
    assert verdict([QUESTION], paper, 3) == "violated"


# -- the whole scenarios ---------------------------------------------------------------------


@pytest.fixture(scope="module")
def procedure():
    return load_procedure()


def _watched(agent: str, seed: int, engine: Engine, seen: list[tuple[int, str | None]]) -> Trainee:
    """The scripted trainee ``agent``, noting who was at the counter when it decided on an
    action (a trainee of its own kind: run_agent takes trainees, and the compiled one checks)."""

    class Watch(AGENTS[agent]):  # type: ignore[misc, valid-type]
        def decide(self, obs, key):  # type: ignore[no-untyped-def]
            d = super().decide(obs, key)
            if d is not None:  # the action is the next entry recorded
                seen.append((len(engine.trace), engine.desk.current))
            return d

    watch: Trainee = Watch(seed)
    return watch


def test_who_is_served_as_the_scorer_reads_it_is_who_the_engine_served(procedure) -> None:
    """The scorer reads who was being served from the trace; at every action of every
    scenario, played by several trainees, it is who the engine had at the counter."""
    checked = 0
    for path in scenario_files():
        loaded = load_scenario(path, procedure.ids)
        for agent in ("expert", "careless", "random"):
            engine = Engine(loaded, 3)
            seen: list[tuple[int, str | None]] = []
            run_agent(loaded, 3, _watched(agent, 3, engine, seen), engine=engine)
            indexed = IndexedTrace(engine.trace)
            _served(indexed)
            for n, current in seen:
                # the action decided on was recorded next, with ``current`` at the counter
                if n < len(engine.trace) and engine.trace[n].kind == "action":
                    assert _serving(indexed, n) == current, (loaded.id, agent, n)
                    checked += 1
    assert checked > 800


def _incidents() -> list[tuple[str, str]]:
    """Every incident every scenario offers."""
    proc = load_procedure()
    return [
        (loaded.id, inj.id)
        for loaded in (load_scenario(p, proc.ids) for p in scenario_files())
        for inj in loaded.scenario.injectable
    ]


INCIDENTS = _incidents()


@pytest.mark.parametrize(("sid", "incident"), INCIDENTS)
def test_a_clerk_who_does_everything_right_loses_nothing_whenever_the_incident_comes(
    procedure, sid: str, incident: str
) -> None:
    """The expert, with the incident thrown in at any moment of the session (every 10 s),
    scores full marks by what the rules mean now."""
    loaded = find_scenario(sid, procedure.ids)
    took = 0
    for at in range(5, 400, 10):
        for seed in (0, 1):
            e = run_agent(loaded, seed, make_agent("expert", seed),
                          injections=[(float(at), incident)])  # fmt: skip
            if not any(x.name == "injected" for x in e.trace):
                continue  # the variant does not bring it, or the session was over
            took += 1
            report = judge(e, procedure)
            lost = {f.rule: f.verdict for f in report.findings if f.points_lost}
            assert report.score == 100 and report.passed, (at, seed, lost)
    assert took > 10

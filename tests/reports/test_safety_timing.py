"""Time from a hazard report to the first safety advice, as the drill report measures it: the
advice is what the scenario's own rules score as such, so the timing agrees with the scorer."""

from __future__ import annotations

import pytest

from reports.safety import advice_delay, safety_rule
from scoring.procedure import Procedure
from scoring.session import judge
from sim.agents import make_agent, run_agent
from sim.engine import Engine
from sim.library import find_scenario, scenario_files
from sim.scenario import Pattern, Response, load_scenario
from sim.trace import TraceEntry


def test_the_emergency_scenarios_score_a_reply_tagged_safety(procedure: Procedure) -> None:
    outage = safety_rule(find_scenario("emergency_outage", procedure.ids))
    combined = safety_rule(find_scenario("combined_incident", procedure.ids))
    assert outage is not None and combined is not None
    assert outage.patterns == combined.patterns == (Pattern(name="say", tags=("safety",)),)
    assert outage.within == 30.0  # safety_in_time
    # combined_incident's timing rule counts from the ring (a response to ``phone_rings``), where
    # the reports' clock starts too; no rule on the report itself sets a limit to chart
    assert combined.within is None


def test_no_other_scenario_has_safety_advice_to_time(procedure: Procedure) -> None:
    for path in scenario_files():
        loaded = load_scenario(path, procedure.ids)
        has = safety_rule(loaded) is not None
        # or a hazard call an instructor may throw in (timed in the sessions it came to)
        offered = loaded.scenario.injection("hazard_call") is not None
        assert has == (loaded.id in ("emergency_outage", "combined_incident") or offered), loaded.id


def _e(t: float, kind: str, name: str, *, tags: tuple[str, ...] = (), valid: bool = True):
    return TraceEntry(t=t, kind=kind, name=name, tags=tags, valid=valid)  # type: ignore[arg-type]


def test_only_a_valid_tagged_reply_after_the_report_counts(procedure: Procedure) -> None:
    rule = safety_rule(find_scenario("emergency_outage", procedure.ids))
    assert rule is not None
    trace = [
        _e(1, "action", "say", tags=("safety",)),  # before the hazard: not an answer to it
        _e(10, "event", "hazard_reported"),
        _e(12, "action", "say", tags=("courteous",)),
        _e(15, "action", "say", tags=("safety",), valid=False),
        _e(21.5, "action", "say", tags=("safety", "calm")),
        _e(30, "action", "say", tags=("safety",)),
    ]
    assert advice_delay(trace, rule) == (10, 11.5)
    assert advice_delay(trace[:4], rule) == (10, None)
    assert advice_delay(trace[:1], rule) == (None, None)


@pytest.mark.parametrize("scenario", ["emergency_outage", "combined_incident"])
@pytest.mark.parametrize("agent", ["expert", "panicky", "paperwork_first", "brusque"])
def test_the_timing_agrees_with_the_scorer(procedure: Procedure, scenario: str, agent: str) -> None:
    loaded = find_scenario(scenario, procedure.ids)
    rule = safety_rule(loaded)
    assert rule is not None
    for seed in range(3):
        engine = Engine(loaded, seed)
        run_agent(loaded, seed, make_agent(agent, seed), engine=engine)
        t0, delay = advice_delay(engine.trace, rule)
        assert t0 is not None
        report = judge(engine, procedure)
        first = next(f for f in report.findings if f.rule == "safety_first")
        if first.verdict == "met":  # the first thing done was the advice: same moment
            assert delay == pytest.approx(first.at - t0)
        if first.verdict == "missed":
            assert delay is None
        # the scenario's timing rule counts from where the reports start the clock: the report
        # at the counter (emergency_outage), the ring of the call (combined_incident)
        timing = next(r for r in loaded.scenario.rules if r.id == "safety_in_time")
        assert isinstance(timing, Response) and timing.within is not None
        assert next(e for e in engine.trace if timing.trigger.matches(e)).t == t0
        in_time = next(f for f in report.findings if f.rule == "safety_in_time")
        assert (in_time.verdict == "met") == (delay is not None and delay <= timing.within)


def test_a_hazard_by_phone_is_timed_from_the_ring_by_the_scenario_too(procedure: Procedure) -> None:
    loaded = find_scenario("combined_incident", procedure.ids)
    timing = next(r for r in loaded.scenario.rules if r.id == "safety_in_time")
    assert isinstance(timing, Response)
    assert timing.trigger == Pattern(name="phone_rings", args={"customer": "caller"})
    assert timing.what == Pattern(name="say", tags=("safety",))

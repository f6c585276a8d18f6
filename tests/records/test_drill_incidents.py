"""A drill's own incidents: an exam takes no ad-hoc injection, so a drill schedules its
incidents in its file (``inject:``), the same moment for every candidate. The desk and the
headless runs throw them in when the clock reaches them; verify accepts exactly those; a case
ended before its incident came is not passed."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from desk.clock import ManualWall, SimClock
from desk.recording import open_record
from desk.session import DeskSession
from records.db import Records
from records.drills import finish_attempt, start_attempt
from records.verify import verify_all
from sim.drill import load_drill
from sim.engine import INJECT
from sim.errors import ScenarioError
from sim.library import find_scenario

KEY = b"drill-incidents-key-0123456789ab"


@pytest.fixture
def records(db_target):
    with Records(db_target, key=KEY) as r:
        yield r


def test_every_candidate_meets_the_incidents_at_their_moments(records, procedure, take_drill):
    drill = load_drill("counter_incidents")
    summary = take_drill(records, drill, procedure, "0427", "expert")
    assert summary["passed"] and summary["average"] == 100
    planned = {s.id: s.schedule() for s in drill.drill.every()}
    for row in records.sessions():
        thrown = [(a.t, a.args["event"]) for a in records.actions(row.id) if a.action == INJECT]
        assert thrown == planned[row.scenario_id]
        names = [e.name for e in records.events(row.id)]
        assert "injected" in names
    assert verify_all(records, KEY) == []


def test_an_incident_slipped_into_an_exam_beyond_the_drills_is_found(
    records, procedure, take_drill
):
    take_drill(records, load_drill("counter_incidents"), procedure, "0427", "expert")
    row = next(r for r in records.sessions() if r.scenario_id == "billing_dispute")
    # the recorder writes what an ad-hoc injection would have written: a second incident
    loaded = find_scenario("billing_dispute", procedure.ids)
    forged = Records(records.target, key=KEY)
    rec = forged.start(loaded, procedure, seed=row.seed, variant=row.variant, trainee="0427",
                       mode="exam", drill=row.drill)  # fmt: skip
    from scoring.session import build, judge

    engine = build(loaded, row.seed)
    engine.advance(60.0)
    engine.inject(60.0, "hazard_call")
    engine.advance(200.0)
    engine.inject(200.0, "hazard_call")  # not in the drill
    engine.finish(300.0)
    rec.finish(engine.actions, engine.trace, judge(engine, procedure), procedure)
    codes = {(f.session, f.code) for f in verify_all(forged, KEY)}
    assert (rec.session_id, "injected_in_exam") in codes
    forged.close()


def test_a_case_ended_before_its_incident_came_is_not_passed(records, procedure, tmp_path):
    drill = load_drill("counter_incidents")
    attempt = start_attempt(records, drill, "0427")
    for spec in drill.drill.drawn(attempt.uuid):
        loaded = find_scenario(spec.id, procedure.ids)
        wall = ManualWall()
        session = DeskSession(loaded, procedure, 4, SimClock(wall), trainee="0427",
                              mode="exam", schedule=spec.schedule())  # fmt: skip
        open_record(records, session, procedure, "zh", attempt.uuid)
        for _ in range(300):  # thirty seconds at the desk, then "finish"
            wall.advance(0.1)
            session.tick()
        session.finish()
        session.end_record()
    summary = finish_attempt(records, attempt)
    items = {i["scenario"]: i for i in summary["items"]}
    assert items["billing_dispute"]["ended_before"] == ["hazard_call"]
    assert not items["billing_dispute"]["passed"] and not summary["passed"]
    assert verify_all(records, KEY) == []


def test_the_desk_throws_a_drills_incident_in_when_the_clock_reaches_it(procedure):
    loaded = find_scenario("new_connection", procedure.ids)
    wall = ManualWall()
    session = DeskSession(loaded, procedure, 2, SimClock(wall), mode="exam",
                          schedule=[(90.0, "hazard_call")])  # fmt: skip
    for _ in range(890):
        wall.advance(0.1)
        session.tick()
    assert "injected" not in [e.name for e in session.engine.trace]
    for _ in range(20):
        wall.advance(0.1)
        session.tick()
    injected = next(e for e in session.engine.trace if e.name == "injected")
    assert injected.t == 90.0 and session.engine.actions[-1].action == INJECT
    assert session.engine.observe().phone == "ringing"


def test_a_drill_naming_an_incident_its_scenario_does_not_offer_is_located(tmp_path: Path):
    data = yaml.safe_load(Path(load_drill("counter_incidents").path).read_text(encoding="utf-8"))
    data["scenarios"][0]["inject"][0]["event"] = "hazard_cal"
    bad = tmp_path / "counter_incidents.yaml"
    bad.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    with pytest.raises(ScenarioError) as err:
        load_drill(bad)
    [problem] = err.value.problems
    assert problem.line is not None and "hazard_call" in str(problem)

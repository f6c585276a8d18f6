"""Practice from a lost point at the desk: one key on the debrief of a failed emergency outage
takes the trainee back to the hazard report with everything as it was; doing it right then
gives a debrief that sets the two sessions side by side. Never in an exam."""

from __future__ import annotations

import json

from desk.screens.debrief import Debrief
from scoring.branch import demo, head
from scoring.session import play_agent
from sim.library import find_scenario
from tests.desk.test_desk_ui import press


def _played(app, procedure, agent: str, seed: int = 4):  # type: ignore[no-untyped-def]
    loaded = find_scenario("emergency_outage", procedure.ids)
    played = play_agent(loaded, procedure, seed, agent)
    session = app.start("emergency_outage", seed=seed)
    session.catch_up(played.engine.actions, None, None)
    session.finish()
    app.show_debrief(session)
    return loaded, session


def test_one_key_goes_back_to_the_hazard_report_and_the_debrief_compares(
    make_app, procedure
) -> None:  # type: ignore[no-untyped-def]
    app = make_app("zh", trainee="Z1")
    loaded, first = _played(app, procedure, "paperwork_first")
    debrief = app.screen
    assert isinstance(debrief, Debrief) and not debrief.report.passed
    hazard = next(e.t for e in first.engine.trace if e.name == "hazard_reported")
    assert debrief.first_lost is not None and debrief.first_lost.t == hazard
    app.draw()
    assert debrief.targets.find("ui:branch") is not None
    press(app, "b")
    again = app.sessions[-1]
    assert app.screen.name == "desk" and again.branch_of is first and again.branch_at == hazard

    # everything as it was at the hazard report
    def as_json(entries):  # type: ignore[no-untyped-def]
        return [json.dumps(e.to_dict(), sort_keys=True) for e in entries]

    assert as_json(again.engine.trace) == as_json(first.engine.trace[: len(again.engine.trace)])
    assert again.engine.now == hazard
    assert again.observe().customers == first_state(loaded, procedure, first, hazard)
    # this time the right way: what the expert does from the same moment
    _, expert = demo(loaded, procedure, first.seed, first.engine.actions, hazard, steps=None)
    again.catch_up(expert.engine.actions[len(head(first.engine.actions, hazard)) :], None, None)
    again.finish()
    app.show_debrief(again)
    side = app.screen
    assert isinstance(side, Debrief) and side.compared is not None
    assert side.compared.after.score > side.compared.before.score
    assert debrief.first_lost.rule in {c.rule for c in side.compared.recovered}
    app.g.overflows.clear()
    app.draw()
    assert app.g.overflows == []


def first_state(loaded, procedure, first, at):  # type: ignore[no-untyped-def]
    from scoring.branch import restore

    return restore(loaded, first.seed, first.engine.actions, at).observe().customers


def test_an_exam_debrief_offers_no_going_back(make_app, procedure) -> None:  # type: ignore[no-untyped-def]
    app = make_app("zh", mode="exam", trainee="Z1")
    _played(app, procedure, "paperwork_first")
    debrief = app.screen
    assert isinstance(debrief, Debrief) and not debrief.can_branch
    app.draw()
    assert debrief.targets.find("ui:branch") is None
    press(app, "b")
    assert app.screen is debrief


def test_see_it_done_shows_the_expert_from_the_lost_point_and_esc_comes_back(
    make_app, procedure
) -> None:  # type: ignore[no-untyped-def]
    from desk.screens.demo import DemoScreen
    from tests.desk.test_desk_ui import click

    app = make_app("zh", trainee="Z1")
    _, first = _played(app, procedure, "paperwork_first")
    debrief = app.screen
    assert isinstance(debrief, Debrief) and debrief.first_lost is not None
    app.draw()
    click(app, f"demo:{debrief.first_lost.rule}")
    shown = app.screen
    assert isinstance(shown, DemoScreen) and shown.at == debrief.first_lost.t
    assert shown.steps and shown.steps[0].t == shown.at
    assert any("3.3.c" in s.clauses for s in shown.steps)  # the safety advice, first
    assert shown.player.position == shown.at
    app.g.overflows.clear()
    app.draw()
    assert app.g.overflows == []
    press(app, "escape")
    assert app.screen is debrief


def test_t_on_a_replay_tries_again_from_that_moment_recorded_as_a_branch(
    make_app, procedure, tmp_path
) -> None:  # type: ignore[no-untyped-def]
    from records.db import Records
    from records.service import record_agent_run, replay_session

    loaded = find_scenario("emergency_outage", procedure.ids)
    with Records(tmp_path / "records.sqlite3") as records:
        sid, engine, _ = record_agent_run(records, loaded, procedure, 4, "paperwork_first", "Z1")
        app = make_app("zh", trainee="Z1", records=records)
        app.show_replay(replay_session(records, sid))
        app.screen.player.seek(40.0)  # type: ignore[attr-defined]
        press(app, "t")
        again = app.sessions[-1]
        assert app.screen.name == "desk" and again.branch_at == 40.0
        assert again.engine.now == 40.0
        assert [a for a in again.engine.actions] == [a for a in engine.actions if a.t < 40.0]
        app.end_records()
        row = records.session(again.record_id)
        assert row.branch_of == records.session(sid).uuid and row.branch_at == 40.0

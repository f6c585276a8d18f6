"""The desk session: actions go to the engine at the clock's sim time; hints are recorded."""

from __future__ import annotations

import pytest

from desk.clock import ManualWall, SimClock
from desk.session import DeskSession
from scoring.procedure import Procedure
from scoring.session import score_actions
from sim.scenario import LoadedScenario


def _session(
    loaded: LoadedScenario, procedure: Procedure, mode: str = "training"
) -> tuple[DeskSession, ManualWall]:
    wall = ManualWall()
    return DeskSession(loaded, procedure, 5, SimClock(wall), mode=mode), wall  # type: ignore[arg-type]


def test_an_action_is_applied_at_the_clock_time_and_takes_its_duration(
    printer_jam: LoadedScenario, procedure: Procedure
) -> None:
    s, wall = _session(printer_jam, procedure)
    wall.advance(12.34)
    s.tick()
    entry = s.do("log_in")
    assert entry is not None and entry.valid and entry.t == pytest.approx(12.3)
    assert s.busy and s.do("check_system_status") is None  # the clerk is busy logging in
    wall.advance(1.0)
    s.tick()
    assert not s.busy
    assert s.now() >= 12.3 + 15  # log_in takes 15 s in the vocabulary
    assert s.engine.actions[-1].t == pytest.approx(12.3)


def test_a_refused_action_is_recorded_not_blocked(
    printer_jam: LoadedScenario, procedure: Procedure
) -> None:
    s, wall = _session(printer_jam, procedure)
    entry = s.do("submit_application")
    assert entry is not None and not entry.valid and entry.reason == "data_entered"
    assert s.notes[-1].level == "refused"


def test_hints_are_recorded_in_training_and_absent_in_exams(
    printer_jam: LoadedScenario, procedure: Procedure
) -> None:
    s, wall = _session(printer_jam, procedure)
    h = s.hint()
    assert h is not None and h.action == "say"  # the customer greeted: answer first
    assert s.hints == [h]
    exam, _ = _session(printer_jam, procedure, mode="exam")
    assert exam.hint() is None and exam.hints == []
    assert exam.engine.actions == []
    # the request is part of the session's input, so a replay and a re-score see it
    assert [a.action for a in s.engine.actions] == ["ask_hint"]
    assert s.engine.actions[0].t == h.t


def test_following_the_hints_scores_full_marks_and_replays_the_same(
    printer_jam: LoadedScenario, procedure: Procedure
) -> None:
    s, wall = _session(printer_jam, procedure)
    for _ in range(400):
        if s.done:
            break
        h = s.hint()
        assert h is not None
        if h.action is None:
            wall.advance(2.0)
        else:
            s.do(h.action, dict(h.args))
            wall.advance(1.0)
        s.tick()
    report = s.score()
    # every rule met (the customer's lines that answer back a wrong reply never come); the only
    # points lost are the hints' own cost, one charge per request
    assert [f.rule for f in report.findings if f.verdict not in ("met", "not_applicable")] == []
    assert {f.rule for f in report.findings if f.verdict == "not_applicable"} <= {
        "plain_words",
        "asked_again_answered",
    }
    cost = printer_jam.scenario.scenario.hint_cost
    assert report.hints_used == len(s.hints) > 0
    assert report.hint_points == round(cost * len(s.hints), 2)
    assert report.score == max(0.0, round(100 - cost * len(s.hints), 1))
    again = score_actions(printer_jam, procedure, 5, s.engine.actions).report
    assert again.to_dict() == report.to_dict()


def test_the_form_shows_what_was_entered_beside_the_documents(
    printer_jam: LoadedScenario, procedure: Procedure
) -> None:
    s, wall = _session(printer_jam, procedure)
    for action, args in (
        ("log_in", {}),
        ("select_module", {"module": "new_connection"}),
        ("receive_documents", {}),
        ("enter_customer_data", {}),
    ):
        s.do(action, args)
        wall.advance(1.0)
        s.tick()
    entered, documents = s.case_view()
    assert entered is not None and [k for k, _ in entered][:2] == ["name", "id_number"]
    assert [len(fields) for _, fields in documents] == [2, 2]

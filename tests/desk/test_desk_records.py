"""The desk and the records: every desk session written as it happens, resumed after a crash,
replayed on the replay screen (play, speed, seek, findings), and drills taken at the desk."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import pygame
import pytest

from desk.app import App
from desk.clock import ManualWall
from desk.replay import REPLAY_SPEEDS, ReplayPlayer
from records.db import Records
from records.service import replay_session
from records.verify import verify_session
from sim.agents import make_agent
from sim.drill import load_drill

ROOT = Path(__file__).resolve().parents[2]


def press(app: App, key: str, mod: int = 0) -> None:
    pygame.event.post(
        pygame.event.Event(pygame.KEYDOWN, key=pygame.key.key_code(key), mod=mod, unicode="")
    )
    app.step()


def click_at(app: App, x: float, y: float) -> None:
    pos = app.g.to_window(x, y)
    pygame.event.post(pygame.event.Event(pygame.MOUSEBUTTONDOWN, pos=pos, button=1))
    pygame.event.post(pygame.event.Event(pygame.MOUSEBUTTONUP, pos=pos, button=1))
    app.step()


def play_as(app: App, agent: str = "expert", limit: int | None = None) -> None:
    """A scripted trainee at the desk (the session's own ``do``, at the clock's time)."""
    session = app.sessions[-1]
    wall: ManualWall = app.wall  # type: ignore[assignment]
    who = make_agent(agent, session.seed)
    done = 0
    for _ in range(2000):
        if app.screen.name != "desk" or (limit is not None and done >= limit):
            return
        while session.busy:
            wall.advance(0.2)
            app.step()
        decision = who.decide(session.observe(), session.engine.answer_key())
        if decision is None:
            wall.advance(1.0)
            app.step()
            continue
        if session.do(decision.action, dict(decision.args)) is not None:
            done += 1
        if session.done:
            app.show_debrief(session)
        wall.advance(0.1)
        app.step()


@pytest.fixture
def records(tmp_path: Path):  # type: ignore[no-untyped-def]
    rec = Records(tmp_path / "records.db", key=b"k" * 32)
    yield rec
    rec.close()


def test_a_desk_session_is_recorded_action_by_action_and_replays_byte_for_byte(
    make_app, records: Records
) -> None:  # type: ignore[no-untyped-def]
    app = make_app(trainee="0427", seed=5, records=records)
    session = app.start("printer_jam", seed=5)
    sid = session.record_id
    assert sid is not None
    play_as(app, limit=4)
    # committed as they happened: another connection sees them before the session ends
    with Records(records.path, key=None) as other:
        assert len(other.actions(sid)) == len(session.engine.actions) == 4
        assert other.session(sid).status == "running"
    play_as(app)
    assert app.screen.name == "debrief"
    row = records.session(sid)
    assert row.status == "complete" and row.trainee_id == "0427" and row.mode == "training"
    check = replay_session(records, sid)
    assert check.report_matches is True and check.trace_matches
    assert check.report is not None and check.report.score == 100
    assert verify_session(records, sid, records.key) == []
    # the menu's last result comes from the records, in a fresh desk too
    fresh = make_app(trainee="0427", records=records)
    assert fresh.last_result("printer_jam") == (100.0, True, "training")


def test_leaving_mid_session_keeps_it_incomplete_and_resume_carries_on(
    make_app, records: Records
) -> None:  # type: ignore[no-untyped-def]
    app = make_app(trainee="0427", seed=2, records=records)
    session = app.start("printer_jam", seed=2)
    play_as(app, limit=5)
    before = list(session.engine.actions)
    sid = session.record_id
    app.close()  # the window closed with the scenario half done
    assert records.session(sid).status == "incomplete"
    assert records.actions(sid) == before
    again = make_app(records=records)
    resumed = again.resume(records.session(sid))
    assert again.screen.name == "desk" and again.trainee == "0427"
    assert resumed.engine.actions == before
    assert resumed.now() >= before[-1].t  # the clock goes on from where it stopped
    play_as(again)
    assert again.screen.name == "debrief"
    check = replay_session(records, sid)
    assert check.report_matches is True and check.trace_matches
    assert check.report is not None and check.report.passed


def test_a_killed_desk_leaves_every_action_and_can_be_resumed(tmp_path: Path) -> None:
    db = tmp_path / "r.db"
    script = textwrap.dedent(
        f"""
        import os, sys, time
        os.environ["SDL_VIDEODRIVER"] = "dummy"; os.environ["SDL_AUDIODRIVER"] = "dummy"
        from desk.app import App
        from desk.clock import ManualWall
        from records.db import Records
        app = App("zh", "0501", "exam", seed=4, wall=ManualWall(1.0), sound=False,
                  records=Records({str(db)!r}, key=None))
        s = app.start("system_fault", seed=4)
        for action in ("log_in", "check_system_status"):
            app.wall.advance(3.0); app.step(); s.do(action, {{}})
            while s.busy:
                app.wall.advance(0.3); app.step()
        print(s.record_id, len(s.engine.actions), flush=True)
        time.sleep(60)
        """
    )
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    proc = subprocess.Popen(
        [sys.executable, "-c", script], stdout=subprocess.PIPE, text=True, env=env, cwd=ROOT
    )
    try:
        assert proc.stdout is not None
        sid, n = (int(x) for x in proc.stdout.readline().split())
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.wait()
    with Records(db, key=None) as rec:
        row = rec.session(sid)
        assert row.status == "incomplete" and row.mode == "exam"
        assert [a.action for a in rec.actions(sid)] == ["log_in", "check_system_status"][:n]
        assert replay_session(rec, sid).trace_matches


def test_replay_plays_seeks_and_marks_the_findings(make_app, records: Records) -> None:  # type: ignore[no-untyped-def]
    app = make_app(trainee="0427", seed=9, records=records)
    session = app.start("printer_jam", seed=9)
    play_as(app, agent="careless")
    sid = session.record_id
    final = list(session.engine.trace)
    lost = [f for f in session.score().findings if f.verdict != "met" and f.at is not None]
    assert lost, "the careless clerk loses points in printer_jam"
    check = replay_session(records, sid)
    viewer = make_app(records=records)
    viewer.show_replay(check)
    assert viewer.screen.name == "replay"
    player: ReplayPlayer = viewer.screen.player  # type: ignore[attr-defined]
    assert player.position == 0.0 and not player.playing
    # play at 16×: the wall moves 2 s, the session 32 s
    press(viewer, "space")
    for _ in range(4):
        press(viewer, "up")
    assert player.speed == REPLAY_SPEEDS[-1] == 16.0
    viewer.wall.advance(2.0)  # type: ignore[attr-defined]
    viewer.step()
    assert player.position == pytest.approx(32.0, abs=0.2)
    # the next lost point: the desk at that moment, the finding named in the bar
    press(viewer, "space")
    player.seek(0.0)
    press(viewer, "n")
    first = min(f.at for f in lost if f.at is not None)
    assert player.position == pytest.approx(first)
    assert viewer.screen._finding_here() is not None  # type: ignore[attr-defined]
    # seeking back rebuilds the desk as it was; to the end gives the recorded session exactly
    click_at(viewer, 300.0, 698.0)  # the timeline's left end
    assert player.position == 0.0
    assert len(player.session.engine.trace) < len(final)
    press(viewer, "end")
    assert player.session.engine.trace == final
    assert player.session.engine.trace == check.engine.trace
    viewer.save(Path(records.path).parent / "replay.png")
    assert not viewer.g.overflows


def test_a_drill_at_the_desk_is_exam_mode_throughout_and_signed(make_app, records: Records) -> None:  # type: ignore[no-untyped-def]
    drill = load_drill("emergency_rehearsal")
    app = make_app(trainee="0612", records=records)
    app.start_drill(drill)
    assert app.screen.name == "drill" and app.mode == "exam"
    for _ in drill.drill.scenarios:
        press(app, "return")
        assert app.screen.name == "desk"
        session = app.sessions[-1]
        assert session.mode == "exam" and session.hint() is None
        play_as(app)
        assert app.screen.name == "drill"
    summary = app.drill.summary  # type: ignore[union-attr]
    assert summary is not None and summary["passed"] and summary["signed"] and summary["code"]
    rows = records.sessions(trainee="0612")
    assert len(rows) == len(drill.drill.scenarios)
    assert all(r.mode == "exam" and r.status == "complete" for r in rows)
    assert all(verify_session(records, r.id, records.key) == [] for r in rows)
    app.save(Path(records.path).parent / "drill.png")
    assert not app.g.overflows
    press(app, "escape")
    assert not app.running


def test_the_replay_and_drill_screens_have_every_glyph(make_app) -> None:  # type: ignore[no-untyped-def]
    from desk.i18n import catalogue

    app = make_app()
    for lang in ("zh", "en"):
        cat = catalogue(lang)
        texts = [v for k, v in cat.items() if k.startswith(("replay.", "drill."))]
        assert texts
        assert app.g.glyphs_missing(texts) == []


def test_resume_refuses_a_finished_session_in_one_line(records: Records, tmp_path: Path) -> None:
    from click.testing import CliRunner

    from records.service import record_agent_run
    from scoring.procedure import load_procedure
    from sim.library import find_scenario
    from trainer.cli import main

    proc = load_procedure()
    sid, _, _ = record_agent_run(
        records, find_scenario("printer_jam", proc.ids), proc, 1, "expert", "0427"
    )
    r = CliRunner().invoke(main, ["resume", str(sid), "--db", str(records.path)])
    assert r.exit_code == 2
    lines = r.output.strip().splitlines()
    assert len(lines) == 1 and "replay" in lines[0] and str(records.path) in lines[0]


@pytest.mark.parametrize(
    "args", [["replay", "1"], ["resume", "1"], ["drill", "annual_2026", "--trainee", "x"]]
)
def test_without_a_display_the_window_commands_say_so_in_one_line(
    args: list[str], records: Records
) -> None:
    from records.service import record_agent_run
    from scoring.procedure import load_procedure
    from sim.library import find_scenario

    proc = load_procedure()
    sid, _, _ = record_agent_run(
        records, find_scenario("printer_jam", proc.ids), proc, 1, "expert", "0427"
    )
    records._end(sid, "incomplete", None)  # so that resume gets as far as the window
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY")}
    env["SDL_VIDEODRIVER"] = ""
    r = subprocess.run(
        [sys.executable, "run_sim.py", "--db", str(records.path), *args],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert r.returncode == 1, r.stderr
    assert len(r.stderr.strip().splitlines()) == 1 and "Traceback" not in r.stderr
    assert "DISPLAY" in r.stderr

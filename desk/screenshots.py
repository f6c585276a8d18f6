"""The screenshot script: each screen rendered headless to PNG (``run_sim.py screenshot``).

A careful clerk's actions up to the printer fault, a hurried finish, then a replay and a drill
result from records made for the purpose in a throwaway file. The wall clock is a
``ManualWall`` and the seed fixed, so the sign-in, menu, desk and debrief come out the same
every time (the replay and drill pictures show the start time and a certificate code).
"""

from __future__ import annotations

import os
from pathlib import Path

from desk.app import App
from desk.clock import ManualWall
from desk.gfx import Gfx
from desk.session import Mode

__all__ = ["screenshots"]

# The actions of a careful clerk up to the printer fault, for the mid-incident screenshot.
TO_THE_JAM: tuple[tuple[str, dict[str, str]], ...] = (
    ("say", {"reply": "greet_ok"}),
    ("log_in", {}),
    ("check_system_status", {}),
    ("select_module", {"module": "new_connection"}),
    ("receive_documents", {}),
    ("enter_customer_data", {}),
    ("verify_data", {}),
    ("submit_application", {}),
    ("print_form", {}),
)


def screenshots(
    out_dir: str | Path,
    lang: str = "zh",
    scenario: str = "printer_jam",
    drawn: list[Gfx] | None = None,
) -> list[Path]:
    """Render each screen headless and save PNGs: sign-in, menu, desk mid-incident (and with a
    device menu and a hint open), debrief. Returns the files written. With ``drawn``, the
    drawing records what text it drew on what (``Gfx.record_text``) and is added to it."""
    os.environ.setdefault("SDL_VIDEODRIVER", "dummy")
    os.environ.setdefault("SDL_AUDIODRIVER", "dummy")
    from desk.screens.desk import DeskScreen
    from desk.screens.signin import SignIn

    out = Path(out_dir)
    wall = ManualWall(100.0)
    trainee = "张晓梅" if lang == "zh" else "Zhang Xiaomei"
    app = App(lang, None, "training", seed=1, wall=wall, sound=False, resizable=False)
    if drawn is not None:
        app.g.record_text()
        drawn.append(app.g)
    shots: list[Path] = []
    try:
        signin = app.screen
        assert isinstance(signin, SignIn)
        signin.name_text = trainee
        shots.append(app.save(out / f"1-signin-{lang}.png"))
        app.trainee = trainee
        app.show_menu(scenario)
        shots.append(app.save(out / f"2-menu-{lang}.png"))
        session = app.start(scenario, seed=1)
        for action, args in TO_THE_JAM:
            settle(app, wall)
            session.do(action, args)
        # let the world run until the customer asks about the delay
        for _ in range(200):
            wall.advance(0.5)
            app.step()
            obs = session.observe()
            cur = obs.customer(obs.current)
            if cur is not None and cur.node == "ask_delay":
                break
        wall.advance(2.0)
        app.step()
        shots.append(app.save(out / f"3-desk-{lang}.png"))
        desk = app.screen
        assert isinstance(desk, DeskScreen)
        desk.popup = "printer"
        desk.popup_anchor = (990.0, 104.0)
        desk.hint_shown = session.hint()
        shots.append(app.save(out / f"4-desk-menu-hint-{lang}.png"))
        desk.popup = None
        desk.hint_shown = None
        # a hurried finish: a misleading reply, the printer forced, no fault log
        for action, args in (
            ("say", {"reply": "delay_mislead"}),
            ("clear_paper_jam", {}),
            ("print_form", {}),
        ):
            settle(app, wall)
            session.do(action, args)
        settle(app, wall)
        session.finish()
        app.show_debrief(session)
        shots.append(app.save(out / f"5-debrief-{lang}.png"))
        shots.extend(_record_screens(app, out, lang, trainee))
        shots.extend(_branch_screens(app, out, lang))
        shots.extend(_counter_screens(app, wall, out, lang))
        shots.append(_console_screen(app, out, lang))
    finally:
        app.close()
    return shots


# the counter's wider work at a telling moment: the scenario, its seed, and when to take the
# picture (the expert has just done ``after``, or the world has just emitted it)
COUNTER_SHOTS: tuple[tuple[str, int, str], ...] = (
    ("hall_fire", 2, "hall_emergency"),
    ("billing_dispute", 1, "system_shows"),
    ("outage_complaint", 1, "system_shows"),
)


def _counter_screens(app: App, wall: ManualWall, out: Path, lang: str) -> list[Path]:
    """New scenarios at the desk, played by the expert up to a telling moment, a few seconds
    after it (the customer's answer to it on the screen)."""
    from sim.agents import make_agent

    shots = []
    for n, (sid, seed, moment) in enumerate(COUNTER_SHOTS, start=11):
        if sid not in app.scenarios:
            continue
        session = app.start(sid, seed=seed)
        expert = make_agent("expert", seed)
        seen = None
        for _ in range(400):
            settle(app, wall)
            if seen is None:
                seen = next((e.t for e in session.engine.trace if e.name == moment), None)
            if seen is not None and session.engine.now >= seen + 4.0:
                break
            obs = session.observe()
            d = expert.decide(obs, session.engine.answer_key())
            if d is None or d.action == "finish" or seen is not None:
                wall.advance(1.0)
                app.step()
                continue
            session.do(d.action, dict(d.args))
        shots.append(app.save(out / f"{n}-{sid}-{lang}.png"))
    return shots


def _branch_screens(app: App, out: Path, lang: str) -> list[Path]:
    """Practice from a lost point: the debrief of an emergency outage where the safety advice
    came late, the desk back at the hazard report, and the debrief after doing it right."""
    from scoring.branch import demo, head
    from scoring.session import play_agent

    loaded = app.load_one("emergency_outage")
    played = play_agent(loaded, app.procedure, 4, "paperwork_first")
    first = app.start(loaded, seed=4)
    first.catch_up(played.engine.actions, None, None)
    first.finish()
    app.show_debrief(first)
    shots = [app.save(out / f"8-branch-offer-{lang}.png")]
    app.screen.key("b", None)  # type: ignore[arg-type]
    again = app.sessions[-1]
    at = again.branch_at or 0.0
    shots.append(app.save(out / f"9-branch-desk-{lang}.png"))
    _, expert = demo(loaded, app.procedure, 4, first.engine.actions, at, steps=None)
    again.catch_up(expert.engine.actions[len(head(first.engine.actions, at)) :], None, None)
    again.finish()
    app.show_debrief(again)
    shots.append(app.save(out / f"10-branch-debrief-{lang}.png"))
    return shots


def _record_screens(app: App, out: Path, lang: str, trainee: str) -> list[Path]:
    """The replay of a recorded session at its first lost point, and a drill's signed result,
    from records made for the purpose in a throwaway file (with a demonstration key)."""
    import tempfile

    from desk.drill_flow import DrillRun
    from desk.screens.replay import player_of
    from records.db import Records
    from records.drills import Attempt, run_drill_headless
    from records.service import record_agent_run, replay_session
    from sim.drill import load_drill

    shots = []
    with tempfile.TemporaryDirectory() as tmp:
        records = Records(Path(tmp) / "records.db", key=b"screenshots only, not a centre key")
        try:
            loaded = app.load_one("printer_jam")
            sid, _, _ = record_agent_run(
                records, loaded, app.procedure, 1, "careless", trainee, lang=lang
            )
            app.show_replay(replay_session(records, sid))
            player = player_of(app.screen)
            mark = player.next_mark()
            player.seek(mark if mark is not None else player.end / 2)
            shots.append(app.save(out / f"6-replay-{lang}.png"))
            drill = load_drill("emergency_rehearsal")
            summary = run_drill_headless(records, drill, app.procedure, trainee, "expert", lang)
            attempt = Attempt(0, summary["attempt"], drill, trainee, summary["number"])
            scenarios = {sid: app.load_one(sid) for sid in drill.drill.every_id()}
            run = DrillRun(app, drill, attempt, scenarios)
            run.index, run.summary = run.total, summary
            app.trainee = trainee
            app.show_drill(run)
            shots.append(app.save(out / f"7-drill-{lang}.png"))
        finally:
            records.close()
    return shots


def _console_screen(app: App, out: Path, lang: str) -> Path:
    """The instructor's station over a room of three desks (a throwaway records file): one has
    had the hazard call thrown in and answered it wrong, one is at its paperwork, one sits an
    exam."""
    import tempfile

    from desk.clock import SimClock
    from desk.recording import open_record
    from desk.session import DeskSession
    from records.db import Records
    from records.room import Room

    names = (
        ("张晓梅", "李建国", "赵敏")
        if lang == "zh"
        else ("Zhang Xiaomei", "Li Jianguo", "Zhao Min")
    )
    with tempfile.TemporaryDirectory() as tmp:
        records = Records(Path(tmp) / "room.db", key=b"screenshots only, not a centre key")
        try:
            walls = [ManualWall(), ManualWall(), ManualWall()]
            desks = []
            for who, sid, mode, wall in zip(
                names, ("new_connection", "billing_dispute", "printer_jam"),
                ("training", "training", "exam"), walls, strict=True,
            ):  # fmt: skip
                session = DeskSession(
                    app.load_one(sid),
                    app.procedure,
                    3,
                    SimClock(wall),
                    trainee=who,
                    mode=_mode(mode),
                    lang=lang,
                )
                open_record(records, session, app.procedure, lang)
                desks.append(session)
            room = Room(records, app.procedure, lang)
            room.inject(str(desks[0].record_uuid), "hazard_call", "T001")

            def run(k: int, seconds: float) -> None:
                for _ in range(int(seconds * 10)):
                    walls[k].advance(0.1)
                    desks[k].tick()

            for k in range(3):
                run(k, 1)
                desks[k].do("log_in")
                run(k, 4)
            desks[0].do("answer_phone")
            run(0, 3)
            desks[0].do("say", {"reply": "hazard_register"})
            run(0, 2)
            desks[1].do("check_system_status")
            run(1, 3)
            app.show_console(room, "T001")
            app.screen.update()
            path = app.save(out / f"14-console-{lang}.png")
            for d in desks:
                d.end_record()
        finally:
            records.close()
    return path


def _mode(mode: str) -> Mode:
    return "exam" if mode == "exam" else "training"


def settle(app: App, wall: ManualWall) -> None:
    """Let a busy spell finish (wall time passes, frames are drawn)."""
    for _ in range(20):
        app.step()
        if app.sessions and not app.sessions[-1].busy:
            return
        wall.advance(0.25)

"""The desk trainer's window: the entry points the command line wires up.

``run_app`` opens the sign-in screen (or goes straight to a scenario), ``screenshots`` renders
each screen headless to PNG, ``has_display`` says whether a window can open at all. Importing
this module does not import pygame; the functions do, when called.
"""

from __future__ import annotations

import os
import random
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from desk.i18n import t, tidy

if TYPE_CHECKING:
    from desk.screens.base import Screen
    from desk.session import DeskSession
    from records.db import Records, SessionRow
    from records.drills import Attempt
    from records.service import ReplayCheck
    from scoring.procedure import Procedure
    from sim.drill import LoadedDrill
    from sim.scenario import LoadedScenario

__all__ = [
    "App",
    "run_app",
    "run_replay",
    "run_drill",
    "screenshots",
    "has_display",
    "no_display_message",
    "ManualWall",
]

FPS = 60


def has_display() -> bool:
    """Whether a window can be opened here (a headless driver counts: it is asked for)."""
    driver = os.environ.get("SDL_VIDEODRIVER", "").lower()
    if driver in ("dummy", "offscreen"):
        return True
    if sys.platform.startswith(("win", "darwin", "cygwin")):
        return True
    return bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))


def no_display_message(lang: str = "zh") -> str:
    """One line saying there is no display and how to run headless."""
    return t("app.no_display", lang)


class ManualWall:
    """A wall clock that moves only when told to: for tests, screenshots and replays."""

    def __init__(self, start: float = 0.0) -> None:
        self.now = start

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


class App:
    """The window and its current screen; ``step()`` is one frame, ``run()`` the loop."""

    def __init__(
        self,
        lang: str = "zh",
        trainee: str | None = None,
        mode: str = "training",
        *,
        seed: int | None = None,
        size: tuple[int, int] = (1280, 720),
        wall: Callable[[], float] = time.monotonic,
        sound: bool = True,
        procedure: Procedure | None = None,
        resizable: bool = True,
        scenarios: dict[str, LoadedScenario] | None = None,
        records: Records | None = None,
    ) -> None:
        import pygame

        from desk.gfx import FontBook, Gfx
        from desk.sound import Sounds
        from scoring.procedure import load_procedure
        from sim.i18n import set_language

        self.lang = lang
        set_language(lang)
        self.trainee = trainee
        self.mode = mode
        self.seed = seed
        self.wall = wall
        pygame.display.init()
        pygame.font.init()
        flags = pygame.RESIZABLE if resizable else 0
        self.window = pygame.display.set_mode(size, flags)
        pygame.display.set_caption(t("app.title", lang))
        pygame.key.set_repeat(400, 40)
        self.g = Gfx(self.window, FontBook())
        self.sounds = Sounds(enabled=sound)
        self.procedure = procedure or load_procedure()
        # every session at this desk is written to the records as it happens (None: not kept)
        self.records = records
        self.drill: DrillRun | None = None
        self.broken: list[str] = []
        self._scenarios: dict[str, LoadedScenario] | None = scenarios
        # Reading every scenario file takes about a second: the first screen is drawn before
        # that, and the files are read in the background (joined when first needed).
        self._loader = threading.Thread(target=self._load_scenarios, daemon=True)
        # the last result of each trainee on each scenario, for the menu (kept for this run;
        # the records module is the place to keep them across runs)
        self.results: dict[tuple[str, str], tuple[float, bool, str]] = {}
        self._from_records: set[str] = set()
        self.sessions: list[DeskSession] = []
        self.running = True
        self.frames = 0
        self.screen: Screen = self._signin()
        self.screen.enter()

    # -- scenarios ------------------------------------------------------------------------

    def _load_scenarios(self) -> None:
        from sim.errors import InputError
        from sim.library import scenario_files
        from sim.scenario import load_scenario

        found: dict[str, LoadedScenario] = {}
        for path in scenario_files():
            try:
                loaded = load_scenario(path, self.procedure.ids)
            except InputError as err:
                self.broken.extend(str(p) for p in err.problems)
                continue
            found[loaded.id] = loaded
        self._scenarios = found

    def load_in_background(self) -> None:
        if self._scenarios is None and not self._loader.is_alive() and self._loader.ident is None:
            self._loader.start()

    @property
    def scenarios(self) -> dict[str, LoadedScenario]:
        if self._scenarios is None:
            if self._loader.ident is not None:
                self._loader.join()
            else:
                self._load_scenarios()
        assert self._scenarios is not None
        return self._scenarios

    def load_one(self, name: str) -> LoadedScenario:
        """One scenario by id or path (what ``play SCENARIO`` needs, without reading them all)."""
        from sim.library import find_scenario

        if self._scenarios is not None and name in self._scenarios:
            return self._scenarios[name]
        return find_scenario(name, self.procedure.ids)

    # -- screens --------------------------------------------------------------------------

    def _go(self, screen: Screen) -> None:
        self.screen.leave()
        self.screen = screen
        screen.enter()
        screen.dirty = True

    def _signin(self) -> Screen:
        from desk.screens.signin import SignIn

        return SignIn(self)

    def show_signin(self) -> None:
        self._go(self._signin())

    def show_menu(self, selected: str | None = None) -> None:
        from desk.screens.menu import ScenarioMenu

        self._go(ScenarioMenu(self, selected))

    def start(
        self,
        scenario: str | LoadedScenario,
        seed: int | None = None,
        drill: str | None = None,
        time_limit: float | None = None,
    ) -> DeskSession:
        from desk.clock import SimClock
        from desk.screens.desk import DeskScreen
        from desk.session import DeskSession

        self.end_records()
        if seed is None:
            seed = (
                self.seed if self.seed is not None else random.SystemRandom().randrange(1_000_000)
            )
        loaded = self.load_one(scenario) if isinstance(scenario, str) else scenario
        session = DeskSession(
            loaded,
            self.procedure,
            seed,
            SimClock(self.wall),
            trainee=self.trainee or "",
            mode=self.mode,  # type: ignore[arg-type]
            lang=self.lang,
            time_limit=time_limit,
        )
        self._record(session, drill)
        self.sessions.append(session)
        self._go(DeskScreen(self, session))
        return session

    def _record(self, session: DeskSession, drill: str | None = None) -> None:
        """Open the session's record; what the engine has derived so far is committed at once."""
        from records.db import RecordsError
        from sim.i18n import tr

        if self.records is None:
            return
        try:
            recording = self.records.start(
                session.loaded,
                self.procedure,
                seed=session.seed,
                variant=session.engine.variant.id,
                trainee=session.trainee or "—",
                mode=session.mode,
                lang=self.lang,
                drill=drill,
                time_limit=session.time_limit,
            )
        except RecordsError as err:  # the desk still runs; the trainee is told it is not kept
            from desk.session import Note

            session.record_error = str(err)
            text = tr("records.not_recorded", self.lang, error=str(err))
            session.notes.append(Note(0.0, text, "alert", "records"))
            return
        session.attach(recording)

    def resume(self, row: SessionRow) -> DeskSession:
        """Carry on an incomplete recorded session from its last recorded moment."""
        from desk.clock import SimClock
        from desk.screens.desk import DeskScreen
        from desk.session import DeskSession

        assert self.records is not None
        self.end_records()
        loaded = self.records.scenario(row, self.procedure.ids)
        actions = self.records.actions(row.id)
        events = self.records.events(row.id)
        recording = self.records.reopen(row.id)
        session = DeskSession(
            loaded,
            self.procedure,
            row.seed,
            SimClock(self.wall),
            trainee=row.trainee_id,
            mode="exam" if row.mode == "exam" else "training",
            lang=self.lang,
            time_limit=row.time_limit,
        )
        engine = session.engine
        for a in actions:
            engine.apply(a.t, a.action, a.args)
        last = max([e.t for e in events] + [a.t for a in actions] + [0.0])
        engine.advance(last)
        session.clock = SimClock(self.wall, start=engine.now)
        session._collect()
        session.attach(recording)
        self.trainee = row.trainee_id
        self.mode = session.mode
        self.sessions.append(session)
        self._go(DeskScreen(self, session))
        if session.done:
            self.show_debrief(session)
        return session

    def end_records(self) -> None:
        """Close every open record: a finished session's result stored, an unfinished one
        marked incomplete with everything done so far (it can be resumed)."""
        for s in self.sessions:
            if s.recorded:
                s.end_record()

    def show_debrief(self, session: DeskSession) -> None:
        from desk.screens.debrief import Debrief
        from desk.screens.drill import DrillScreen

        if self.screen.name in ("debrief", "drill"):
            return
        report = session.score()
        session.end_record()
        self.results[(session.trainee, session.loaded.id)] = (
            report.score,
            report.passed,
            session.mode,
        )
        if self.drill is not None:
            self.drill.done_one()
            self._go(DrillScreen(self, self.drill))
            return
        self._go(Debrief(self, session))

    def last_result(self, sid: str) -> tuple[float, bool, str] | None:
        """The trainee's last result on a scenario: from the records when they are kept."""
        trainee = self.trainee or ""
        if self.records is not None and trainee not in self._from_records:
            from records.db import RecordsError
            from records.service import last_results

            try:
                for scenario, result in last_results(self.records, trainee).items():
                    self.results.setdefault((trainee, scenario), result)
            except RecordsError:
                pass
            self._from_records.add(trainee)
        return self.results.get((trainee, sid))

    # -- replay and drills ----------------------------------------------------------------

    def show_replay(self, check: ReplayCheck) -> None:
        from desk.replay import ReplayPlayer
        from desk.screens.replay import ReplayScreen

        self._go(ReplayScreen(self, ReplayPlayer(check, self.lang)))

    def start_drill(self, drill: LoadedDrill) -> None:
        """Begin an attempt at a certification drill: exam mode, one scenario after another."""
        from desk.screens.drill import DrillScreen
        from records.drills import start_attempt

        assert self.records is not None and self.trainee
        self.mode = "exam"
        # every scenario read before the attempt counts: a broken file costs no attempt
        scenarios = {s.id: self.load_one(s.id) for s in drill.drill.scenarios}
        attempt = start_attempt(self.records, drill, self.trainee)
        self.drill = DrillRun(self, drill, attempt, scenarios)
        self._go(DrillScreen(self, self.drill))

    def next_scenario(self, sid: str) -> str | None:
        ids = list(self.scenarios)
        i = ids.index(sid) if sid in ids else -1
        return ids[i + 1] if 0 <= i < len(ids) - 1 else None

    def briefing(self, sid: str) -> str:
        """The scenario's briefing, with the variant of the seed the session would use."""
        from sim.engine import Engine

        loaded = self.scenarios[sid]
        engine = Engine(loaded, self.seed if self.seed is not None else 0)
        return tidy(engine.render(loaded.scenario.scenario.briefing.get(self.lang), self.lang))

    def set_lang(self, lang: str) -> None:
        import pygame

        from sim.i18n import set_language

        self.lang = lang
        set_language(lang)
        pygame.display.set_caption(t("app.title", lang))

    def quit(self) -> None:
        self.running = False

    # -- frames ---------------------------------------------------------------------------

    def step(self) -> bool:
        """One frame: input, update, and a redraw when something changed."""
        import pygame

        for event in pygame.event.get():
            if event.type == pygame.QUIT:
                self.running = False
            elif event.type == pygame.VIDEORESIZE or event.type == pygame.WINDOWSIZECHANGED:
                self.resized()
            else:
                pos = self.g.to_logical(event.pos) if hasattr(event, "pos") else None
                self.screen.handle(event, pos)
        self.screen.update()
        if self.screen.needs_redraw():
            self.draw()
        return self.running

    def resized(self) -> None:
        import pygame

        self.window = pygame.display.get_surface()
        self.g.bind(self.window)
        self.screen.dirty = True

    def draw(self) -> None:
        import pygame

        self.screen.draw(self.g)
        pygame.display.flip()
        self.frames += 1
        if self.frames == 1:
            self.load_in_background()
        drawn = getattr(self.screen, "drawn", None)
        if drawn is not None:
            drawn()
        else:
            self.screen.dirty = False

    def run(self, max_frames: int | None = None) -> int:
        import pygame

        clock = pygame.time.Clock()
        while self.step():
            if max_frames is not None and self.frames >= max_frames:
                break
            clock.tick(FPS)
        self.close()
        return 0

    def close(self) -> None:
        import pygame

        self.sounds.ring(False)
        self.end_records()
        pygame.display.quit()

    # -- for tests and screenshots --------------------------------------------------------

    def window_pos(self, command: str) -> tuple[int, int]:
        """Where (in window pixels) the control named ``command`` is now."""
        tgt = self.screen.targets.find(command)
        if tgt is None:
            raise LookupError(f"no control {command!r} on the {self.screen.name} screen")
        return self.g.to_window(*tgt.center)

    def save(self, path: Path) -> Path:
        import pygame

        self.draw()
        path.parent.mkdir(parents=True, exist_ok=True)
        pygame.image.save(self.window, str(path))
        return path


class DrillRun:
    """An attempt at a certification drill on the desk: its scenarios one after another, in
    exam mode, each with a freshly drawn variant; the verdict signed at the end."""

    def __init__(
        self,
        app: App,
        drill: LoadedDrill,
        attempt: Attempt,
        scenarios: dict[str, LoadedScenario],
    ) -> None:
        self.app = app
        self.drill = drill
        self.attempt = attempt
        self.scenarios = scenarios  # read once: the drill screen names them on every redraw
        self.index = 0  # how many scenarios are done
        self.summary: dict[str, Any] | None = None

    @property
    def total(self) -> int:
        return len(self.drill.drill.scenarios)

    @property
    def finished(self) -> bool:
        return self.summary is not None

    def start_next(self) -> DeskSession:
        from records.drills import draw_seed

        assert self.app.records is not None
        spec = self.drill.drill.scenarios[self.index]
        loaded = self.scenarios[spec.id]
        seed = draw_seed(self.app.records, loaded, self.attempt.trainee, self.drill)
        return self.app.start(
            loaded, seed=seed, drill=self.attempt.uuid, time_limit=spec.time_limit
        )

    def done_one(self) -> None:
        from records.drills import finish_attempt

        self.index += 1
        if self.index >= self.total and self.summary is None:
            assert self.app.records is not None
            self.summary = finish_attempt(self.app.records, self.attempt)


def _open_records(db: str | Path | None) -> Records | None:
    """The records file, or None after one line on stderr saying what is wrong with it."""
    from records.db import Records, RecordsError

    try:
        return Records(db)
    except RecordsError as err:
        print(str(err), file=sys.stderr)
        return None


def _open_window(lang: str, *args: Any, **kw: Any) -> App | None:
    """The desk's window, or None after one line on stderr saying there is no display."""
    if not has_display():
        print(no_display_message(lang), file=sys.stderr)
        return None
    import pygame

    try:
        return App(lang, *args, **kw)
    except pygame.error:
        print(no_display_message(lang), file=sys.stderr)
        return None


def run_app(
    lang: str = "zh",
    trainee: str | None = None,
    scenario: str | None = None,
    mode: str = "training",
    seed: int | None = None,
    procedure: Procedure | None = None,
    db: str | Path | None = None,
    resume: str | None = None,
) -> int:
    """Open the desk trainer: the sign-in screen, straight into ``scenario``, or back into the
    incomplete session ``resume``. Every session is recorded (in ``db``, or the default
    records file). Returns the exit status (1, with one line on stderr, when there is no
    display; 2 when the records cannot be used)."""
    if not has_display():
        print(no_display_message(lang), file=sys.stderr)
        return 1
    records = _open_records(db)
    if records is None:
        return 2
    row = None
    if resume is not None:
        from records.db import RecordsError
        from records.service import resumable

        try:
            row = resumable(records, resume)
        except RecordsError as err:
            print(str(err), file=sys.stderr)
            records.close()
            return 2
    app = _open_window(lang, trainee, mode, seed=seed, procedure=procedure, records=records)
    if app is None:
        records.close()
        return 1
    try:
        if row is not None:
            app.resume(row)
        elif scenario is not None:
            app.load_one(scenario)  # an unknown scenario raises the usual located error
            if app.trainee is None:
                app.trainee = "—"
            app.start(scenario)
        return app.run()
    finally:
        app.end_records()
        records.close()


def run_replay(check: ReplayCheck, lang: str = "zh") -> int:
    """Open a recorded session in the replay screen (play, pause, 1×–16×, seek)."""
    app = _open_window(lang, check.session.trainee_id, check.session.mode,
                       procedure=check.procedure)  # fmt: skip
    if app is None:
        return 1
    app.show_replay(check)
    return app.run()


def run_drill(
    drill: LoadedDrill,
    trainee: str,
    lang: str = "zh",
    *,
    procedure: Procedure | None = None,
    db: str | Path | None = None,
) -> int:
    """Take a certification drill at the desk, in exam mode throughout, recorded and signed."""
    from records.db import RecordsError

    if not has_display():
        print(no_display_message(lang), file=sys.stderr)
        return 1
    records = _open_records(db)
    if records is None:
        return 2
    try:
        app = _open_window(lang, trainee, "exam", procedure=procedure, records=records)
        if app is None:
            return 1
        try:
            app.start_drill(drill)
        except RecordsError as err:  # no attempts left, or the records refused
            app.close()
            print(str(err), file=sys.stderr)
            return 2
        return app.run()
    finally:
        records.close()


# The actions of a careful clerk up to the printer fault, for the mid-incident screenshot.
_TO_THE_JAM: tuple[tuple[str, dict[str, str]], ...] = (
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


def screenshots(out_dir: str | Path, lang: str = "zh", scenario: str = "printer_jam") -> list[Path]:
    """Render each screen headless and save PNGs: sign-in, menu, desk mid-incident (and with a
    device menu and a hint open), debrief. Returns the files written."""
    os.environ.setdefault("SDL_VIDEODRIVER", "dummy")
    os.environ.setdefault("SDL_AUDIODRIVER", "dummy")
    out = Path(out_dir)
    wall = ManualWall(100.0)
    trainee = "张晓梅" if lang == "zh" else "Zhang Xiaomei"
    app = App(lang, None, "training", seed=1, wall=wall, sound=False, resizable=False)
    shots: list[Path] = []
    try:
        signin: Any = app.screen
        signin.name_text = trainee
        shots.append(app.save(out / f"1-signin-{lang}.png"))
        app.trainee = trainee
        app.show_menu(scenario)
        shots.append(app.save(out / f"2-menu-{lang}.png"))
        session = app.start(scenario, seed=1)
        for action, args in _TO_THE_JAM:
            _settle(app, wall)
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
        desk: Any = app.screen
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
            _settle(app, wall)
            session.do(action, args)
        _settle(app, wall)
        session.finish()
        app.show_debrief(session)
        shots.append(app.save(out / f"5-debrief-{lang}.png"))
        shots.extend(_record_screens(app, out, lang, trainee))
    finally:
        app.close()
    return shots


def _record_screens(app: App, out: Path, lang: str, trainee: str) -> list[Path]:
    """The replay of a recorded session at its first lost point, and a drill's signed result,
    from records made for the purpose in a throwaway file (with a demonstration key)."""
    import tempfile

    from desk.screens.drill import DrillScreen
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
            player: Any = app.screen
            mark = player.player.next_mark()
            player.player.seek(mark if mark is not None else player.player.end / 2)
            shots.append(app.save(out / f"6-replay-{lang}.png"))
            drill = load_drill("emergency_rehearsal")
            summary = run_drill_headless(records, drill, app.procedure, trainee, "expert", lang)
            attempt = Attempt(0, summary["attempt"], drill, trainee, summary["number"])
            scenarios = {s.id: app.load_one(s.id) for s in drill.drill.scenarios}
            run = DrillRun(app, drill, attempt, scenarios)
            run.index, run.summary = run.total, summary
            app.trainee = trainee
            app._go(DrillScreen(app, run))
            shots.append(app.save(out / f"7-drill-{lang}.png"))
        finally:
            records.close()
    return shots


def _settle(app: App, wall: ManualWall) -> None:
    """Let a busy spell finish (wall time passes, frames are drawn)."""
    for _ in range(20):
        app.step()
        if app.sessions and not app.sessions[-1].busy:
            return
        wall.advance(0.25)

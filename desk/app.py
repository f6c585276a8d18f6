"""The desk trainer's window: the current screen, the way from one screen to the next, and the
frame loop.

``App`` satisfies ``desk.navigation.Navigator``, which is all a screen may ask of it. The
command line opens it through ``desk.launch``; the scenarios are read by ``desk.loader``, a
session's record is kept by ``desk.recording``, a drill's attempt by ``desk.drill_flow``.
Importing this module does not import pygame; ``App`` does, when it is made.
"""

from __future__ import annotations

import math
import os
import random
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from desk.i18n import t, tidy
from desk.loader import ScenarioLoader

if TYPE_CHECKING:
    import pygame

    from desk.drill_flow import DrillRun
    from desk.screens.base import Screen
    from desk.session import DeskSession, Mode
    from records.db import Records, SessionRow
    from records.paths import Standing
    from records.room import Room
    from records.service import ReplayCheck
    from scoring.procedure import Procedure
    from sim.drill import LoadedDrill
    from sim.path import LearningPath
    from sim.scenario import LoadedScenario

__all__ = ["App"]

FPS = 60


TEXT_SIZES = ("normal", "large")
LOGICAL = (1280, 720)  # as desk.gfx (not imported here: it loads pygame)
LARGE = 1.25  # the large setting: 14 px type becomes 17.5 px


def window_size(text_size: str, desktop: tuple[int, int]) -> tuple[int, int]:
    """The window for a text size: 1280×720, or for large text 1600×900 where the display has
    room (a little less than the display's height is left for its task bar), never smaller
    than 1280×720; the layout is the same, drawn larger."""
    w, h = LOGICAL
    if text_size != "large":
        return (w, h)
    fit = min(LARGE, desktop[0] / w, desktop[1] * 0.92 / h)
    scale = max(1.0, fit)
    return (round(w * scale), round(h * scale))


def _mode(mode: str) -> Mode:
    return "exam" if mode == "exam" else "training"


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
        text_size: str = "normal",
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
        # "large": the whole desk drawn a quarter larger (a bigger window, where the display
        # has room) and the customer's words and the replies in larger type; kept for the run
        self.text_size = text_size if text_size in TEXT_SIZES else "normal"
        self.seed = seed
        self._next_seeds: dict[str, int] = {}  # per scenario, the seed its menu briefing shows
        self.wall = wall
        # the window's pixels are sent to it as they are, where they changed (a GPU texture of
        # the whole window uploaded every frame costs more than the desk's drawing); a user's
        # own setting wins
        os.environ.setdefault("SDL_FRAMEBUFFER_ACCELERATION", "0")
        pygame.display.init()
        pygame.font.init()
        self._flags = pygame.RESIZABLE if resizable else 0
        if self.text_size == "large" and size == LOGICAL:
            size = window_size("large", pygame.display.get_desktop_sizes()[0])
        self.window = pygame.display.set_mode(size, self._flags)
        pygame.display.set_caption(t("app.title", lang))
        pygame.key.set_repeat(400, 40)
        self.g = Gfx(self.window, FontBook())
        # the screen drawn last and where it drew (None: the whole window was sent)
        self._shown: object | None = None
        self._marks: list[pygame.Rect] | None = None
        self.sounds = Sounds(enabled=sound)
        self.procedure = procedure or load_procedure()
        # every session at this desk is written to the records as it happens (None: not kept)
        self.records = records
        self.drill: DrillRun | None = None
        # Reading every scenario file takes about a second: the first screen is drawn before
        # that, and the files are read in the background (joined when first needed).
        self.library = ScenarioLoader(self.procedure.ids, scenarios)
        # the last result of each trainee on each scenario, for the menu (kept for this run;
        # the records module is the place to keep them across runs)
        self.results: dict[tuple[str, str], tuple[float, bool, str]] = {}
        self._from_records: set[str] = set()
        self.sessions: list[DeskSession] = []
        self._ends_tried = -math.inf  # wall time unended records were last tried
        self._onboarding: tuple[LearningPath | None] | None = None  # the default menu order
        self.running = True
        self.frames = 0
        self.screen: Screen = self._signin()
        self.screen.enter()

    # -- scenarios ------------------------------------------------------------------------

    @property
    def scenarios(self) -> dict[str, LoadedScenario]:
        return self.library.scenarios

    def load_one(self, name: str) -> LoadedScenario:
        """One scenario by id or path (what ``play SCENARIO`` needs, without reading them all)."""
        return self.library.load_one(name)

    def menu_order(self, standing: Standing | None = None) -> list[str]:
        """The scenarios in the order a new clerk meets them: the trainee's learning path (or,
        with none, the onboarding path), then the others as the library lists them."""
        from sim.errors import InputError
        from sim.path import load_path

        path = standing.path if standing is not None else None
        if path is None:
            if self._onboarding is None:  # read once a run
                try:
                    self._onboarding = (load_path("onboarding").path,)
                except InputError:  # no onboarding path: the library's order
                    self._onboarding = (None,)
            path = self._onboarding[0]
        ids = list(self.scenarios)
        first = [s.scenario for s in (path.steps if path else ()) if s.scenario in ids]
        return [str(s) for s in first] + [s for s in ids if s not in first]

    def next_scenario(self, sid: str) -> str | None:
        ids = self.menu_order()
        i = ids.index(sid) if sid in ids else -1
        return ids[i + 1] if 0 <= i < len(ids) - 1 else None

    def upcoming_seed(self, sid: str) -> int:
        """The seed the next session of ``sid`` will use: drawn when the menu first shows its
        briefing, so the briefing names the people and the place the session then shows."""
        if self.seed is not None:
            return self.seed
        if sid not in self._next_seeds:
            self._next_seeds[sid] = random.SystemRandom().randrange(1_000_000)
        return self._next_seeds[sid]

    def briefing(self, sid: str) -> str:
        """The scenario's briefing, with the variant of the seed the session will use."""
        from sim.engine import Engine

        loaded = self.scenarios[sid]
        engine = Engine(loaded, self.upcoming_seed(sid))
        return tidy(engine.render(loaded.scenario.scenario.briefing.get(self.lang), self.lang))

    def resolve_trainee(self, text: str) -> str:
        """A registered trainee's name as their staff id (as typed without records)."""
        from records.db import RecordsError

        try:
            return self.records.resolve_trainee(text) if self.records is not None else text
        except RecordsError:
            return text

    def path_status(self) -> Standing | None:
        """The signed-in trainee on their learning path (None: no records, no path)."""
        from records.db import RecordsError
        from records.paths import menu_status
        from sim.errors import InputError

        if self.records is None or not self.trainee:
            return None
        try:
            return menu_status(self.records, self.trainee)
        except (RecordsError, InputError):  # the menu works without it
            return None

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

    # -- screens --------------------------------------------------------------------------

    def _go(self, screen: Screen) -> None:
        self.screen.leave()
        self.screen = screen
        screen.enter()
        screen.dirty = True

    def _signin(self) -> Screen:
        from desk.screens.signin import SignIn

        return SignIn(self)

    def show_console(self, room: Room, who: str | None = None) -> None:
        """The instructor's station over the shared records (``run_sim.py console``)."""
        from desk.screens.console import ConsoleScreen

        self._go(ConsoleScreen(self, room, who))

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
        pauses: int | None = None,
        schedule: list[tuple[float, str]] | None = None,
    ) -> DeskSession:
        from desk.clock import SimClock
        from desk.recording import open_record
        from desk.screens.desk import DeskScreen
        from desk.session import DeskSession

        self.end_records()
        loaded = self.load_one(scenario) if isinstance(scenario, str) else scenario
        if seed is None:  # the seed whose briefing the menu showed; the next one is drawn anew
            seed = self.upcoming_seed(loaded.scenario.id)
            self._next_seeds.pop(loaded.scenario.id, None)
        session = DeskSession(
            loaded,
            self.procedure,
            seed,
            SimClock(self.wall),
            trainee=self.trainee or "",
            mode=_mode(self.mode),
            lang=self.lang,
            time_limit=time_limit,
            pauses_allowed=pauses,
            schedule=list(schedule or []),
        )
        if self.records is not None:
            open_record(self.records, session, self.procedure, self.lang, drill)
        self.sessions.append(session)
        self._go(DeskScreen(self, session))
        return session

    def branch(self, original: DeskSession, at: float) -> DeskSession:
        """Practice again from sim time ``at`` of a finished practice session: the desk exactly
        as it stood then (the head of what was done replayed, the clock set there), a session
        of its own, recorded as a branch of the original; its debrief sets the two side by side.
        Never for an exam or inside a drill."""
        from desk.clock import SimClock
        from desk.recording import open_record
        from desk.screens.desk import DeskScreen
        from desk.session import DeskSession
        from scoring.branch import head

        assert original.mode == "training" and self.drill is None
        self.end_records()
        session = DeskSession(
            original.loaded,
            original.procedure,
            original.seed,
            SimClock(self.wall),
            trainee=original.trainee,
            mode="training",
            lang=self.lang,
            time_limit=original.time_limit,
        )
        session.catch_up(head(original.engine.actions, at), at, None)
        session.clock = SimClock(self.wall, start=session.engine.now)
        session.branch_of, session.branch_at = original, at
        if self.records is not None:
            open_record(
                self.records, session, original.procedure, self.lang,
                branch_of=original.record_uuid, branch_at=at if original.record_uuid else None,
            )  # fmt: skip
        self.sessions.append(session)
        self._go(DeskScreen(self, session))
        return session

    def return_to(self, screen: Screen) -> None:
        """Show ``screen`` (one made before, or made by another screen: a demonstration)."""
        self._go(screen)

    def resume(self, row: SessionRow) -> DeskSession:
        """Carry on an incomplete recorded session from its last recorded moment."""
        from desk.recording import rebuild
        from desk.screens.desk import DeskScreen

        assert self.records is not None
        self.end_records()
        session = rebuild(self.records, self.procedure, row, self.wall, self.lang)
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
            if s.recorded or s.unended:
                s.end_record()

    def show_debrief(self, session: DeskSession) -> None:
        from desk.screens.debrief import Debrief

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
            self.show_drill(self.drill)
            return
        self._go(Debrief(self, session))

    def show_replay(self, check: ReplayCheck) -> None:
        from desk.replay import ReplayPlayer
        from desk.screens.replay import ReplayScreen

        self._go(ReplayScreen(self, ReplayPlayer(check, self.lang)))

    def start_drill(self, drill: LoadedDrill) -> None:
        """Begin an attempt at a certification drill: exam mode, one scenario after another."""
        from desk.drill_flow import DrillRun

        assert self.records is not None and self.trainee
        self.mode = "exam"
        self.drill = DrillRun.begin(self, drill)
        self.show_drill(self.drill)

    def show_drill(self, run: DrillRun) -> None:
        from desk.screens.drill import DrillScreen

        self._go(DrillScreen(self, run))

    def set_lang(self, lang: str) -> None:
        import pygame

        from sim.i18n import set_language

        self.lang = lang
        set_language(lang)
        pygame.display.set_caption(t("app.title", lang))

    def set_text_size(self, text_size: str) -> None:
        """Normal or large text: the window is made the size for it (where the display has
        room) and every screen drawn again."""
        import pygame

        if text_size not in TEXT_SIZES or text_size == self.text_size:
            return
        self.text_size = text_size
        size = window_size(text_size, pygame.display.get_desktop_sizes()[0])
        if size != self.window.get_size():
            self.window = pygame.display.set_mode(size, self._flags)
            self.resized()
        self.screen.dirty = True

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
        self._end_unended()
        if self.screen.needs_redraw():
            self.draw()
        return self.running

    def _end_unended(self) -> None:
        """A record the records refused to end (the server away as the session ended): ended
        when they take it, tried every few seconds of wall time."""
        from desk.session import RECORD_RETRY_S

        wall = self.wall()
        if wall - self._ends_tried < RECORD_RETRY_S:
            return
        self._ends_tried = wall
        for s in self.sessions:
            if s.unended:
                s.end_record()
                self.screen.dirty = True

    def resized(self) -> None:
        import pygame

        surface = pygame.display.get_surface()
        assert surface is not None  # the window is open while it is being resized
        self.window = surface
        self.g.bind(self.window)
        self.screen.dirty = True
        self._marks = None  # the next frame goes to the window whole

    def draw(self) -> None:
        import pygame

        screen = self.screen
        partial = getattr(screen, "partial", False)
        self.g.marks = [] if partial else None
        try:
            screen.draw(self.g)
            screen.draw_focus(self.g)
        finally:
            marks, self.g.marks = self.g.marks, None
        sent = None
        if marks is not None and screen is self._shown and self._marks is not None:
            # only what was drawn on now or last time (the rest is the same backdrop and the
            # same cached parts) goes to the window: at rest, the desk's moving parts
            sent = _sent(self._marks + marks, self.window.get_size())
        if sent is not None:
            pygame.display.update(sent)
        else:
            pygame.display.flip()
        self._shown, self._marks = screen, marks
        self.frames += 1
        if self.frames == 1:
            self.library.in_background()
            stamp = os.environ.get("DESK_TRAINER_FIRST_FRAME")
            if stamp:  # for the benchmark: when the first frame was on screen
                Path(stamp).write_text(repr(time.time()))
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


def _sent(rects: list[pygame.Rect], size: tuple[int, int]) -> list[pygame.Rect] | None:
    """What to send to the window for ``rects``: their bounding box when it is small (a window
    system sends one rectangle faster than a hundred); None when most of it changed."""
    if not rects:
        return []
    box = rects[0].unionall(rects[1:])
    if box.w * box.h * 2 > size[0] * size[1]:
        return None
    return [box]

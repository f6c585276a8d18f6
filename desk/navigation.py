"""What a screen may ask of the window that shows it, and nothing more.

Screens type against ``Navigator``, never against ``desk.app.App``: moving to another screen,
the trainee's settings (language, name, mode), what the menu shows about the scenarios, and the
wall clock and sounds the desk shares. ``App`` satisfies it; a test can hand a screen anything
else that does.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from desk.drill_flow import DrillRun
    from desk.screens.base import Screen
    from desk.session import DeskSession
    from desk.sound import Sounds
    from records.paths import Standing
    from sim.scenario import LoadedScenario

__all__ = ["Navigator"]


class Navigator(Protocol):
    # -- the trainee's settings (the sign-in screen sets them) ----------------------------
    lang: str
    trainee: str | None
    mode: str  # "training" or "exam"
    text_size: str  # "normal" or "large"

    # -- what every screen shares ---------------------------------------------------------
    wall: Callable[[], float]  # wall-clock seconds: animations and the session clocks
    sounds: Sounds

    # -- the scenarios, for the menu and the debrief ---------------------------------------
    @property
    def scenarios(self) -> Mapping[str, LoadedScenario]: ...

    def briefing(self, sid: str) -> str: ...

    def last_result(self, sid: str) -> tuple[float, bool, str] | None: ...

    def next_scenario(self, sid: str) -> str | None: ...

    def menu_order(self, standing: Standing | None = None) -> list[str]: ...

    # -- the register and the trainee's learning path -------------------------------------
    def resolve_trainee(self, text: str) -> str: ...

    def path_status(self) -> Standing | None: ...

    # -- going somewhere else -------------------------------------------------------------
    def show_signin(self) -> None: ...

    def show_menu(self, selected: str | None = None) -> None: ...

    def start(self, scenario: str, seed: int | None = None) -> DeskSession: ...

    def branch(self, original: DeskSession, at: float) -> DeskSession: ...

    def return_to(self, screen: Screen) -> None: ...

    @property
    def drill(self) -> DrillRun | None: ...

    def show_debrief(self, session: DeskSession) -> None: ...

    def set_lang(self, lang: str) -> None: ...

    def set_text_size(self, text_size: str) -> None: ...

    def quit(self) -> None: ...

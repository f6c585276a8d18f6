"""Drawing the desk: each part in its own module, composed here in the order they are drawn.

``desk_layout`` says where each part sits and caches what is drawn; ``desk_status`` draws the
top bar, the log and the busy bar; ``desk_counter`` the queue display, the customer and the
dialogue; ``desk_system`` the business system on the monitor; ``desk_devices`` the devices and
the incident buttons; ``desk_overlays`` a device menu, a hint, the pause card and the "end the
session?" dialog. The desk screen (and the replay, read-only) inherits ``DeskView``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from desk.gfx import Gfx, RectLike
from desk.i18n import t as dt
from desk.screens import desk_counter as counter
from desk.screens import desk_devices as devices
from desk.screens import desk_overlays as overlays
from desk.screens import desk_status as status
from desk.screens import desk_system as system
from desk.screens.desk_layout import DIALOGUE, LOG, MONITOR, QUEUE, QUICK, TOP, Regions
from desk.widgets import Targets
from sim.observation import Observation

if TYPE_CHECKING:
    from desk.navigation import Navigator
    from desk.session import DeskSession, HintRequest

__all__ = ["DeskView"]


class DeskView:
    """The desk as drawn from a session; the screen that uses it provides what it shows."""

    session: DeskSession
    targets: Targets
    hover: tuple[float, float] | None
    popup: str | None  # the device menu that is open
    popup_anchor: tuple[float, float]
    confirm: bool  # the "end the session?" dialog is open
    hint_shown: HintRequest | None

    @property
    def question_new(self) -> bool:
        """A customer has just asked something new (the screen says when)."""
        return False

    app: Navigator
    lang: str

    def __init__(self) -> None:
        self._regions = Regions()
        # where the dialogue is drawn, and what it was worked out for (it changes only with
        # the trace, the question shown and the window, not every frame)
        self._talk_at: tuple[tuple[object, ...], RectLike] | None = None
        self.doc_scroll = 0.0  # the documents column, when the papers do not all fit
        self.doc_room = 0.0
        self.doc_rect: tuple[float, float, float, float] = (0.0, 0.0, 0.0, 0.0)
        self.form_scroll = 0.0  # the form, when its fields do not all fit
        self.form_room = 0.0
        self.form_rect: tuple[float, float, float, float] = (0.0, 0.0, 0.0, 0.0)
        self.shown_replies: list[str] = []  # the replies in the order shown (keys 1–9)
        self.latest_shown = True  # the newest line of the conversation is in view
        self.focus: str | None = None  # whose question the replies answer, when two ask
        self.focus_shown: str | None = None  # ... as last drawn
        self.casualty: str | None = None  # the customer at the counter when one collapsed
        self.keys_shown = False  # the key help (?)
        self.briefing_shown = False  # the scenario's briefing, open over the desk

    # -- helpers --------------------------------------------------------------------------

    @property
    def observation(self) -> Observation:
        return self.session.observe()

    def reply_order(self) -> list[str]:
        return self.shown_replies

    def label(self, action: str, short: bool = False) -> str:
        """The action's name; ``short``: the desk's shorter name for a button, where it has
        one and the module does not name the action otherwise."""
        spec = self.session.vocab.actions.get(action)
        module = self.session.engine.desk.case.module  # a module may name it otherwise
        if short and spec is not None and module not in spec.in_module:
            text = self.dt(f"short.{action}")
            if text != f"short.{action}":
                return text
        return spec.label(self.lang, module) if spec else action

    def dt(self, key: str, **kw: object) -> str:
        return dt(key, self.lang, **kw)

    # -- the frame ------------------------------------------------------------------------

    def draw(self, g: Gfx) -> None:
        self.targets = Targets()
        obs = self.observation
        s = self.session
        # the parts below are drawn whole every frame: the backdrop is needed only around them
        self._regions.backdrop(g, (TOP, QUEUE, DIALOGUE, MONITOR, LOG, QUICK))
        t_anim = self.app.wall()
        busy = s.busy
        changes = len(s.engine.trace)
        common = (busy, self.lang, g.surface.get_size(), getattr(self.app, "text_size", None))
        # the mouse over one of a part's controls is part of what it shows
        hover = getattr(self, "_hover_target", None)

        def part(
            name: str, rect: RectLike, key: tuple[object, ...], fn: Callable[[], None]
        ) -> None:
            self._regions.draw(g, self.targets, hover, name, rect, key, fn)

        part(
            "top",
            TOP,
            (int(obs.t), s.clock.paused, s.clock.speed, self.app.sounds.muted, *common),
            lambda: status.top_bar(self, g, obs),
        )
        part(
            "queue",
            QUEUE,
            (obs.current, obs.queue, *common),
            lambda: counter.queue_board(self, g, obs),
        )
        counter.customer(self, g, obs, t_anim)
        counter.counter_buttons(self, g)
        talk_key = (changes, self.focus, *common)
        if self._talk_at is None or self._talk_at[0] != talk_key:
            self._talk_at = (talk_key, counter.dialogue_rect(self, g, obs))
        talk_at = self._talk_at[1]

        def talk() -> None:
            part(
                "dialogue",
                talk_at,
                (changes, self.question_new, self.focus, talk_at, *common),
                lambda: counter.dialogue(self, g, obs, talk_at),
            )

        wide = talk_at[0] + talk_at[2] > DIALOGUE[0] + DIALOGUE[2]
        if not wide:
            talk()
        part(
            "system",
            MONITOR,
            (changes, self.doc_scroll, self.form_scroll, *common),
            lambda: system.system(self, g, obs),
        )
        part("log", LOG, (len(s.notes), *common), lambda: status.log(self, g))
        if wide:  # spread over the business system: drawn over it
            talk()
        status.busy_bar(self, g)
        status.records_bar(self, g)
        devices.devices(self, g, obs, t_anim)
        part("quick", QUICK, (self.popup, *common), lambda: devices.quick(self, g))
        if self.hint_shown is not None:
            overlays.hint(self, g, self.hint_shown)
        if self.briefing_shown:
            overlays.briefing(self, g)
        if self.popup is not None:
            overlays.popup(self, g, self.popup)
        if self.session.clock.paused:
            overlays.paused(self, g)
        if self.confirm:
            overlays.confirm(self, g)
        if self.keys_shown:
            overlays.keys_help(self, g)

"""The desk: input becomes timed actions on the session; the view is in ``desk_view``.

Nothing here judges what the trainee does: every control sends its action to the engine, which
records refused attempts as evidence too, and the score comes from the scorer at the end.
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING

import pygame

from desk.clock import SPEEDS
from desk.controls import (
    COUNTER_BUTTONS,
    LOGIN,
    MENUS,
    MODULE_KEYS,
    QUICK_BUTTONS,
    SYSTEM_BUTTONS,
    UI_KEYS,
)
from desk.screens.base import Screen
from desk.screens.desk_view import DeskView
from desk.session import DeskSession, HintRequest

if TYPE_CHECKING:
    from desk.clock import SimClock
    from desk.navigation import Navigator

__all__ = ["DeskScreen"]

_ANIM_INTERVAL = 1 / 20  # the desk's pictures move at 20 frames a second; input redraws at once


class DeskScreen(DeskView, Screen):
    name = "desk"
    # every drawing goes through Gfx, so the window is sent only where it changed
    partial = True

    def __init__(self, app: Navigator, session: DeskSession) -> None:
        Screen.__init__(self, app)
        DeskView.__init__(self)
        self.session = session
        self.popup: str | None = None  # an open device menu
        self.popup_anchor: tuple[float, float] = (0.0, 0.0)
        self.confirm = False  # "end the session?" dialog
        self.hint_shown: HintRequest | None = None
        self.briefing_shown = False  # the scenario's briefing, reopened over the desk
        self._asking: set[tuple[str, str | None]] = set()  # the questions open at last look
        self.question_until = 0.0  # wall time until which a new question stays highlighted
        self._last_draw = 0.0
        self._direct: dict[str, str] = {}
        for action, key in (*SYSTEM_BUTTONS, LOGIN, *COUNTER_BUTTONS, *QUICK_BUTTONS):
            self._direct[key] = f"act:{action}"
        for m in MENUS:
            self._direct[m.key] = f"menu:{m.id}"
        self._modules = list(session.vocab.modules)

    # -- input ----------------------------------------------------------------------------

    def key(self, name: str, event: pygame.event.Event) -> None:
        name = name.strip("[]")  # keypad digits arrive as "[1]"
        if self.confirm:
            if name in ("return", "enter", "y"):
                self.command("ui:finish_yes")
            elif name in ("escape", "n"):
                self.command("ui:finish_no")
            return
        if self.briefing_shown:
            if name in ("escape", "return", "enter", UI_KEYS["briefing"]):
                self.briefing_shown = False
            return
        if self.keys_shown:
            if name in ("escape", "return", "enter", UI_KEYS["keys"]):
                self.keys_shown = False
            return
        if self.clock.paused:
            if name in (UI_KEYS["pause"], "p", "escape"):
                self.command("ui:pause")
            return
        if self.popup is not None and self.popup.startswith("pick:"):
            field = self.popup.removeprefix("pick:")
            choices = self.session.sources(field)
            if name.isdigit() and 1 <= int(name) <= len(choices):
                self.command(f"field:{field}:{choices[int(name) - 1][0]}")
            elif name == "escape":
                self.popup = None
            return
        if self.popup is not None:
            menu = next(m for m in MENUS if m.id == self.popup)
            if name.isdigit() and 1 <= int(name) <= len(menu.actions):
                self.command(f"item:{menu.actions[int(name) - 1]}")
            elif name in ("escape", menu.key):
                self.popup = None
            return
        if name == "escape":
            self.hint_shown = None
            return
        if name == "tab":  # Ctrl+Tab (Tab moves the focus): the next customer asking
            asking = [c.id for c in self.observation.asking]
            if len(asking) > 1:
                at = asking.index(self.focus_shown) if self.focus_shown in asking else -1
                self.command(f"talk:{asking[(at + 1) % len(asking)]}")
            return
        if name in ("page down", "page up"):
            self.scroll_documents(120 if name == "page down" else -120)
            return
        if name.isdigit() and name != "0" and getattr(event, "mod", 0) & pygame.KMOD_ALT:
            i = int(name) - 1  # Alt+1…: a business module, as F1… (laptop F-keys)
            if i < len(self._modules):
                self.command(f"module:{self._modules[i]}")
            return
        if name.isdigit() and name != "0":
            replies = self.reply_order()
            i = int(name) - 1
            if i < len(replies):
                self.command(f"reply:{replies[i]}")
            return
        if name in MODULE_KEYS:
            i = MODULE_KEYS.index(name)
            if i < len(self._modules):
                self.command(f"module:{self._modules[i]}")
            return
        for ui, key in UI_KEYS.items():
            if name == key or (ui == "faster" and name in ("+", "[+]")):
                self.command(f"ui:{ui}")
                return
        if name == "p":
            self.command("ui:pause")
            return
        cmd = self._direct.get(name)
        if cmd is not None:
            if cmd == "menu:phone" and self.observation.phone == "ringing":
                cmd = "act:answer_phone"
            self.command(cmd)

    def focus_order(self) -> list[str]:
        """Tab stays inside what is open over the desk: a dialog, a card, a menu. The top
        bar's buttons (drawn right to left) are visited left to right."""
        order = super().focus_order()
        at = {t.command: t.rect for t in self.targets}
        top = sorted((c for c in order if at[c][1] < 48), key=lambda c: at[c][0])
        order = top + [c for c in order if at[c][1] >= 48]
        if self.confirm:
            return [c for c in order if c in ("ui:finish_yes", "ui:finish_no")]
        if self.clock.paused:
            return [c for c in order if c == "ui:pause"]
        if self.briefing_shown:
            return [c for c in order if c == "ui:briefing"]
        if self.keys_shown:
            return [c for c in order if c == "ui:keys"]
        if self.popup is not None:
            return [c for c in order if c.startswith(("item:", "field:"))]
        return order

    def wheel(self, dy: int) -> None:
        if self.hover is not None:
            x, y, w, h = self.doc_rect
            if x <= self.hover[0] < x + w and y <= self.hover[1] < y + h:
                self.scroll_documents(-dy * 40)
            x, y, w, h = self.form_rect
            if x <= self.hover[0] < x + w and y <= self.hover[1] < y + h:
                self.form_scroll = max(0.0, min(self.form_scroll - dy * 40, self.form_room))

    def scroll_documents(self, d: float) -> None:
        self.doc_scroll = max(0.0, min(self.doc_scroll + d, self.doc_room))

    def click_nothing(self) -> None:
        self.popup = None

    def command(self, cmd: str) -> None:
        kind, _, arg = cmd.partition(":")
        s = self.session
        if kind == "ui":
            self._ui(arg)
            return
        if self.clock.paused or self.confirm:
            return
        if kind == "talk":  # whose question to answer, when two customers are asking
            self.focus = arg
            self.dirty = True
            return
        if kind == "pick":  # a field of the form: which paper to take it from
            self.popup = None if self.popup == cmd else cmd
            tgt = self.targets.find(cmd)
            if tgt is not None:
                self.popup_anchor = (tgt.rect[0] + tgt.rect[2], tgt.rect[1])
            return
        if kind == "menu":
            if arg == "phone" and self.observation.phone == "ringing":
                self._act("answer_phone")
                return
            self.popup = None if self.popup == arg else arg
            tgt = self.targets.find(cmd)
            if tgt is not None:
                self.popup_anchor = tgt.rect[:2]
            return
        self.popup = None
        if kind in ("act", "item"):
            self._act(arg)
        elif kind == "module":
            self._act("select_module", {"module": arg})
        elif kind == "reply":
            self._act("say", {"reply": arg})
        elif kind == "serve":
            self._act("serve", {"customer": arg})
        elif kind == "field":
            field, _, source = arg.partition(":")
            self._act("enter_field", {"field": field, "source": source})
        elif kind == "hint" and s.mode == "training":
            self._ui("hint")

    def _act(self, action: str, args: dict[str, str] | None = None) -> None:
        entry = self.session.do(action, args)
        if entry is not None:
            self.on_notes()
        if self.session.done:
            self.app.show_debrief(self.session)

    def _ui(self, what: str) -> None:
        s = self.session
        if what == "keys":
            self.keys_shown = not self.keys_shown
            self.popup = None
            return
        if what == "briefing":  # reading it again does not stop the clock
            self.briefing_shown = not self.briefing_shown
            self.popup = None
            return
        if what == "pause":
            if self.clock.paused:
                s.resume()
            elif not s.pause():
                self.on_notes()
            self.app.sounds.ring(False)
        elif what == "mute":
            self.app.sounds.toggle_mute()
        elif what == "hint" and s.mode == "training" and not self.clock.paused:
            self.hint_shown = s.hint()
        elif what == "close":
            self.hint_shown = None
            self.popup = None
        elif what in ("faster", "slower") and s.mode == "training":
            i = SPEEDS.index(s.clock.speed) if s.clock.speed in SPEEDS else 0
            i = min(len(SPEEDS) - 1, i + 1) if what == "faster" else max(0, i - 1)
            s.clock.set_speed(SPEEDS[i])
        elif what == "finish" and not self.clock.paused:
            self.confirm = True
            self.popup = None
        elif what == "finish_no":
            self.confirm = False
        elif what == "finish_yes":
            self.confirm = False
            s.finish()
            self.app.show_debrief(s)

    # -- frame ----------------------------------------------------------------------------

    @property
    def clock(self) -> SimClock:
        return self.session.clock

    def update(self) -> None:
        s = self.session
        if s.done:
            return
        if not self.clock.paused and not self.confirm:
            before = len(s.notes)
            s.tick()
            if len(s.notes) != before:
                self.dirty = True
                self.on_notes(before)
            if s.done:
                self.app.show_debrief(s)
                return
        self.app.sounds.ring(self.observation.phone == "ringing" and not self.clock.paused)
        self._heard()

    def _heard(self) -> None:
        """A customer's new question is heard and highlighted, so a clerk busy with keys or a
        device menu does not miss it; the hint goes once the step it suggested is done."""
        obs = self.observation
        asking = {(c.id, c.node) for c in obs.asking}
        if asking - self._asking:
            self.app.sounds.play("ask")
            self.question_until = self.app.wall() + 2.5
            self.dirty = True
        self._asking = asking
        h = self.hint_shown
        if h is not None and h.action is not None:
            done = any(
                e.kind == "action"
                and e.valid
                and e.t >= h.t
                and e.name == h.action
                and (not h.args or e.args == h.args)
                for e in self.session.engine.trace[-40:]
            )
            if done:
                self.hint_shown = None
                self.dirty = True

    @property
    def question_new(self) -> bool:
        return self.app.wall() < self.question_until

    def on_notes(self, start: int | None = None) -> None:
        """Sounds for what just happened in the world (not for the clerk's own actions)."""
        notes = self.session.notes[start:] if start is not None else []
        for n in notes:
            if n.event == "printer_fault":
                self.app.sounds.play("grind")
            elif n.level in ("alert", "info") and n.event not in ("phone_rings", "customer_mood"):
                self.app.sounds.play("chime")
        self.dirty = True

    def needs_redraw(self) -> bool:
        if self.dirty:
            return True
        if self.clock.paused or self.confirm:
            return False
        return self.app.wall() - self._last_draw >= _ANIM_INTERVAL

    def drawn(self) -> None:
        self._last_draw = self.app.wall()
        self.dirty = False

    def leave(self) -> None:
        self.app.sounds.ring(False)


def _now() -> float:
    return time.monotonic()

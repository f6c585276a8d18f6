"""What every screen has: its clickable targets, the mouse position, keyboard focus, and the
command loop.

Keyboard focus: Tab and Shift+Tab move it through the screen's controls in the order they are
drawn, Enter (and Space, where Space does not type) presses the focused control, Esc or a click
lets it go; a ring shows where it is. With nothing focused the keys keep their own meaning.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pygame

from desk.gfx import Gfx
from desk.i18n import t
from desk.widgets import Targets, Theme

if TYPE_CHECKING:
    from desk.navigation import Navigator

__all__ = ["Screen"]


class Screen:
    """One screen: ``handle`` input, ``update`` state, ``draw`` it; never decides a score."""

    name = "screen"

    def __init__(self, app: Navigator) -> None:
        self.app = app
        self.targets = Targets()
        self.hover: tuple[float, float] | None = None
        self._hover_target: str | None = None
        self.focused: str | None = None  # the command of the control with keyboard focus
        self.dirty = True

    @property
    def lang(self) -> str:
        return self.app.lang

    def t(self, key: str, **kw: object) -> str:
        return t(key, self.lang, **kw)

    # -- input ----------------------------------------------------------------------------

    def handle(self, event: pygame.event.Event, pos: tuple[float, float] | None) -> None:
        if event.type == pygame.MOUSEMOTION and pos is not None:
            self.hover = pos
            tgt = self.targets.at(*pos)
            name = tgt.command if tgt else None
            if name != self._hover_target:
                self._hover_target = name
                self.dirty = True
        elif event.type == pygame.MOUSEBUTTONDOWN and event.button == 1 and pos is not None:
            self.hover = pos
            self.focused = None
            tgt = self.targets.at(*pos)
            if tgt is not None:
                self.command(tgt.command)
            else:
                self.click_nothing()
            self.dirty = True
        elif event.type == pygame.KEYDOWN:
            name = pygame.key.name(event.key)
            mods = getattr(event, "mod", 0)
            if name == "tab" and not mods & pygame.KMOD_CTRL:
                self.move_focus(-1 if mods & pygame.KMOD_SHIFT else 1)
            elif name == "escape" and self.focused is not None:
                self.focused = None
            elif not (name in self.press_keys and self.press_focused()):
                self.key(name, event)
            self.dirty = True
        elif event.type == pygame.MOUSEWHEEL:
            self.wheel(event.y)
            self.dirty = True
        elif event.type in (pygame.TEXTINPUT, pygame.TEXTEDITING):
            self.text_event(event)
            self.dirty = True

    # the keys that press the focused control (a screen where Space types leaves it out)
    press_keys: tuple[str, ...] = ("return", "enter", "space")

    def focus_order(self) -> list[str]:
        """The controls Tab visits: each command once, in the order drawn."""
        seen: dict[str, None] = {}
        for tgt in self.targets:
            seen.setdefault(tgt.command, None)
        return list(seen)

    def move_focus(self, step: int) -> None:
        order = self.focus_order()
        if not order:
            self.focused = None
            return
        if self.focused in order:
            i = (order.index(self.focused) + step) % len(order)
        else:
            i = 0 if step > 0 else len(order) - 1
        self.focused = order[i]

    def press_focused(self) -> bool:
        """Press the focused control; False when nothing (still shown) has focus."""
        if self.focused is None:
            return False
        if self.focused not in self.focus_order():
            self.focused = None
            return False
        self.command(self.focused)
        return True

    def draw_focus(self, g: Gfx) -> None:
        """The focus ring, over whatever the screen drew: white around a dark blue line, so it
        shows on the light panels and on the coloured bars alike."""
        if self.focused is None or self.focused not in self.focus_order():
            return  # (under a dialog or a menu now open: not where Tab goes)
        tgt = self.targets.find(self.focused)
        if tgt is None:
            return
        x, y, w, h = tgt.rect
        g.rect((x - 5, y - 5, w + 10, h + 10), None, radius=10, border=2, border_color=Theme.white)
        g.rect((x - 3, y - 3, w + 6, h + 6), None, radius=9, border=3, border_color=Theme.focus)

    def command(self, cmd: str) -> None:
        """A click or key that named a control (``act:log_in``, ``ui:pause`` …)."""

    def key(self, name: str, event: pygame.event.Event) -> None:
        pass

    def click_nothing(self) -> None:
        pass

    def wheel(self, dy: int) -> None:
        pass

    def text_event(self, event: pygame.event.Event) -> None:
        pass

    # -- frame ----------------------------------------------------------------------------

    def update(self) -> None:
        pass

    def needs_redraw(self) -> bool:
        return self.dirty

    def draw(self, g: Gfx) -> None:
        self.targets = Targets()
        g.fill(Theme.bg)

    def enter(self) -> None:
        """Called when the screen becomes the current one."""

    def leave(self) -> None:
        """Called when another screen replaces it."""

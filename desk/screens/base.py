"""What every screen has: its clickable targets, the mouse position, and the command loop."""

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
            tgt = self.targets.at(*pos)
            if tgt is not None:
                self.command(tgt.command)
            else:
                self.click_nothing()
            self.dirty = True
        elif event.type == pygame.KEYDOWN:
            self.key(pygame.key.name(event.key), event)
            self.dirty = True
        elif event.type == pygame.MOUSEWHEEL:
            self.wheel(event.y)
            self.dirty = True
        elif event.type in (pygame.TEXTINPUT, pygame.TEXTEDITING):
            self.text_event(event)
            self.dirty = True

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

"""The instructor's station (教员台): every desk recording into the shared records, live, and
the incidents to throw in — into the chosen desk, or into the whole room at once.

A view over ``records.room.Room`` (the same API the tests drive); looked at again once a second
of wall time. Up/Down (or a click) chooses a desk; 1–9 inject the chosen desk's incident of that
number into it, Shift+1–9 the room's incident of that number into every training desk that
offers it; F5 looks again now; Esc closes.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pygame

from desk.gfx import Color, Gfx
from desk.screens.base import Screen
from desk.widgets import Theme, button, panel

if TYPE_CHECKING:
    from desk.navigation import Navigator
    from records.room import DeskLive, Room

__all__ = ["ConsoleScreen"]

REFRESH_S = 1.0  # the desks are looked at again this often (wall seconds)
ROW_H = 62
LIST = (24.0, 84.0, 800.0, 600.0)
SIDE = (844.0, 84.0, 412.0, 600.0)


class ConsoleScreen(Screen):
    name = "console"

    def __init__(self, app: Navigator, room: Room, who: str | None = None) -> None:
        super().__init__(app)
        self.room = room
        self.who = who  # the instructor signed in (recorded with each request)
        self.desks: list[DeskLive] = []
        self.selected: str | None = None  # the chosen desk's session uuid
        self.message = ""
        self.message_bad = False
        self._looked = -1e9

    # -- the room ------------------------------------------------------------------------

    def update(self) -> None:
        now = self.app.wall()
        if now - self._looked >= REFRESH_S:
            self.look()

    def look(self) -> None:
        from records.common import RecordsError

        self._looked = self.app.wall()
        try:
            desks = self.room.desks()
        except RecordsError as err:
            self._say(str(err), bad=True)
            return
        if desks != self.desks:
            self.desks = desks
            self.dirty = True
        uuids = [d.uuid for d in desks]
        if self.selected not in uuids:
            self.selected = next((d.uuid for d in desks if d.live), uuids[0] if uuids else None)

    def chosen(self) -> DeskLive | None:
        return next((d for d in self.desks if d.uuid == self.selected), None)

    def room_incidents(self) -> list[tuple[str, str]]:
        return self.room.incidents(self.desks)

    # -- input ---------------------------------------------------------------------------

    def key(self, name: str, event: pygame.event.Event) -> None:
        mods = getattr(event, "mod", 0)
        if name in ("up", "down") and self.desks:
            uuids = [d.uuid for d in self.desks]
            k = uuids.index(self.selected) if self.selected in uuids else 0
            k = max(0, min(len(uuids) - 1, k + (1 if name == "down" else -1)))
            self.selected = uuids[k]
        elif name.isdigit() and name != "0":
            n = int(name) - 1
            if mods & pygame.KMOD_SHIFT:
                room = self.room_incidents()
                if n < len(room):
                    self.command(f"inj:all:{room[n][0]}")
            else:
                desk = self.chosen()
                if desk is not None and n < len(desk.offers):
                    self.command(f"inj:one:{desk.offers[n][0]}")
        elif name == "f5":
            self.look()
        elif name == "escape":
            self.app.quit()

    def command(self, cmd: str) -> None:
        from records.common import RecordsError

        if cmd.startswith("desk:"):
            self.selected = cmd[5:]
        elif cmd.startswith("inj:one:"):
            desk = self.chosen()
            if desk is None:
                return
            event = cmd[8:]
            try:
                self.room.inject(desk.uuid, event, self.who)
            except RecordsError as err:
                self._say(str(err), bad=True)
            else:
                self._say(self.t("console.sent_one", incident=self._title(event), who=desk.trainee))
            self.look()
        elif cmd.startswith("inj:all:"):
            event = cmd[8:]
            sent = self.room.inject_all(event, self.who)
            text = self.t("console.sent_all", incident=self._title(event), n=len(sent.asked))
            if sent.skipped:
                text += self.t("console.skipped", n=len(sent.skipped))
            self._say(text, bad=not sent.asked)
            self.look()
        elif cmd == "ui:look":
            self.look()
        elif cmd == "ui:quit":
            self.app.quit()
        self.dirty = True

    def _title(self, event: str) -> str:
        for d in self.desks:
            for iid, title in d.offers:
                if iid == event:
                    return title
        return event

    def _say(self, text: str, *, bad: bool = False) -> None:
        self.message, self.message_bad = text, bad
        self.dirty = True

    # -- drawing -------------------------------------------------------------------------

    def draw(self, g: Gfx) -> None:
        super().draw(g)
        g.rect((0, 0, 1280, 64), Theme.teal)
        g.label(self.t("console.title"), (24, 8, 700, 48), 21, Theme.white, bold=True,
                align="left", min_size=14)  # fmt: skip
        live = sum(1 for d in self.desks if d.live)
        g.text(self.t("console.count", live=live, all=len(self.desks)), (1256, 32), 15,
               (214, 238, 234), anchor="midright", max_width=480)  # fmt: skip
        self._list(g)
        self._side(g)
        if self.message:
            colour = Theme.red if self.message_bad else Theme.teal_dark
            g.paragraph(self.message, (24, 690, 1232, 26), 14, colour, min_size=14)

    def _list(self, g: Gfx) -> None:
        x, y, w, h = LIST
        panel(g, LIST, fill=Theme.white)
        if not self.desks:
            g.paragraph(self.t("console.empty"), (x + 24, y + 24, w - 48, 80), 16, Theme.muted)
            return
        cols = (x + 20, x + 190, x + 430, x + 520, x + 600)
        for col, head in zip(cols, ("trainee", "scenario", "mode", "clock", "last"), strict=True):
            g.text(self.t(f"console.col_{head}"), (col, y + 14), 14, Theme.muted)
        ry = y + 40
        for d in self.desks[: int((h - 50) // ROW_H)]:
            rect = (x + 8, ry, w - 16, ROW_H - 6)
            chosen = d.uuid == self.selected
            if chosen:
                g.rect(rect, Theme.teal_soft, radius=8)
            self.targets.add(rect, f"desk:{d.uuid}")
            ink = Theme.ink if d.live else Theme.muted
            g.paragraph(d.trainee, (cols[0], ry + 6, 160, 24 if d.critical else 44), 16, ink,
                        bold=True, min_size=14)  # fmt: skip
            g.paragraph(d.scenario, (cols[1], ry + 6, 230, 44), 15, ink, min_size=14)
            mode = self.t(f"console.mode_{d.mode}") if d.live else self.t(f"console.{d.status}")
            g.text(mode, (cols[2], ry + 8), 14, Theme.amber_ink if d.mode == "exam" else ink)
            g.text(d.clock, (cols[3], ry + 8), 15, ink)
            g.paragraph(d.doing, (cols[4], ry + 6, x + w - cols[4] - 16, 44), 14, ink)
            if d.critical:
                g.paragraph(self.t("console.red_lines", n=len(d.critical)),
                            (cols[0], ry + 30, 160, 22), 14, Theme.red, bold=True)  # fmt: skip
            ry += ROW_H

    def _side(self, g: Gfx) -> None:
        x, y, w, h = SIDE
        panel(g, SIDE, fill=Theme.white)
        desk = self.chosen()
        cy = y + 16
        if desk is not None:
            cy += _lines(g, f"{desk.trainee} · {desk.scenario}", (x + 16, cy, w - 32), 16,
                         Theme.ink, bold=True)  # fmt: skip
            cy += 6
            for line in desk.last[-4:]:
                cy += _lines(g, line, (x + 16, cy, w - 32), 14, Theme.ink)
            for line in desk.critical[-2:]:
                cy += _lines(g, line, (x + 16, cy, w - 32), 14, Theme.red)
            cy += 8
            g.text(self.t("console.this_desk"), (x + 16, cy), 14, Theme.muted)
            cy += 24
            if desk.mode == "exam" or not desk.live:
                g.paragraph(self.t("console.exam_no" if desk.mode == "exam" else "console.over"),
                            (x + 16, cy, w - 32, 44), 14, Theme.amber_ink)  # fmt: skip
                cy += 48
            else:
                for n, (iid, title) in enumerate(desk.offers[:4], start=1):
                    button(g, self.targets, (x + 16, cy, w - 32, 36), f"{n}  {title}",
                           f"inj:one:{iid}", lang=self.lang, hover=self.hover, size=14,
                           style="secondary")  # fmt: skip
                    cy += 42
        g.text(self.t("console.whole_room"), (x + 16, cy + 6), 14, Theme.muted)
        cy += 30
        for n, (iid, title) in enumerate(self.room_incidents()[:4], start=1):
            button(g, self.targets, (x + 16, cy, w - 32, 36), f"⇧{n}  {title}", f"inj:all:{iid}",
                   lang=self.lang, hover=self.hover, size=14)  # fmt: skip
            cy += 42


def _lines(g: Gfx, text: str, at: tuple[float, float, float], size: float, color: Color,
           bold: bool = False) -> float:  # fmt: skip
    """``text`` wrapped to the width at ``at`` (x, y, width), every line of it; the height."""
    x, y, w = at
    return g.paragraph(text, (x, y, w, 10_000), size, color, bold=bold) + 2

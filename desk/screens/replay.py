"""Replay: a recorded session shown again on the desk, with play and pause, speed (1× to 16×),
a timeline to seek on with the findings marked, and what the session's record says.

The desk is drawn by the same ``DeskView`` the trainee saw, slightly smaller, over a session
the ``ReplayPlayer`` rebuilds from the recorded input; its controls are inert here. An examiner
can jump from one lost point to the next and see the desk at that moment.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pygame

from desk.gfx import LOGICAL, Gfx
from desk.i18n import tr
from desk.replay import ReplayPlayer
from desk.screens.base import Screen
from desk.screens.desk_view import DeskView
from desk.widgets import Targets, Theme, button, panel
from scoring.result import Finding
from sim.i18n import clock as mmss
from sim.localtime import show
from sim.vocabulary import vocabulary

if TYPE_CHECKING:
    from desk.navigation import Navigator

__all__ = ["ReplayScreen"]

SCALE = 0.875  # the desk, drawn at 7/8 size in the top-left corner
DESK = (0.0, 0.0, LOGICAL[0] * SCALE, LOGICAL[1] * SCALE)  # 1120 × 630
SIDE = (1128.0, 8.0, 144.0, 622.0)
BAR = (8.0, 638.0, 1264.0, 76.0)
AXIS = (300.0, 1256.0, 698.0)  # the timeline: x from, x to, y
_FRAME = 1 / 20  # while playing, the desk is redrawn 20 times a second


class _Desk(DeskView):
    """The desk as the trainee saw it, over the player's session; nothing on it is live."""

    def __init__(self, app: Navigator, player: ReplayPlayer) -> None:
        super().__init__()
        self.app = app
        self.player = player
        self.session = player.session
        self.lang = app.lang
        self.targets = Targets()
        self.hover = None
        self.popup = None
        self.popup_anchor = (0.0, 0.0)
        self.confirm = False
        self.hint_shown = None

    def draw(self, g: Gfx) -> None:
        # the player rebuilds its session on a seek back; the desk shows the one there is now
        self.session = self.player.session
        self.lang = self.app.lang
        super().draw(g)


class ReplayScreen(Screen):
    name = "replay"

    def __init__(self, app: Navigator, player: ReplayPlayer) -> None:
        super().__init__(app)
        self.player = player
        self.desk = _Desk(app, player)
        self._desk_g: Gfx | None = None
        self._last_wall = app.wall()
        self._last_draw = 0.0
        self._dragging = False

    # -- input ----------------------------------------------------------------------------

    def handle(self, event: pygame.event.Event, pos: tuple[float, float] | None) -> None:
        if event.type == pygame.MOUSEBUTTONUP and event.button == 1:
            self._dragging = False
        elif event.type == pygame.MOUSEMOTION and self._dragging and pos is not None:
            self._seek_to_x(pos[0])
            self.dirty = True
        super().handle(event, pos)

    def key(self, name: str, event: pygame.event.Event) -> None:
        step = 60.0 if event.mod & pygame.KMOD_SHIFT else 10.0
        keys = {
            "space": "ui:play",
            "left": f"ui:back:{step}",
            "right": f"ui:ahead:{step}",
            "up": "ui:faster",
            "down": "ui:slower",
            "=": "ui:faster",
            "+": "ui:faster",
            "-": "ui:slower",
            "home": "ui:start",
            "end": "ui:end",
            "n": "ui:next_mark",
            "b": "ui:prev_mark",
            "d": "ui:demo",
            "t": "ui:branch",
            "escape": "ui:quit",
            "q": "ui:quit",
        }
        cmd = keys.get(name)
        if cmd is not None:
            self.command(cmd)

    def command(self, cmd: str) -> None:
        p = self.player
        parts = cmd.split(":")
        what = parts[1] if len(parts) > 1 else ""
        if cmd == "seek":
            self._dragging = True
            if self.hover is not None:
                self._seek_to_x(self.hover[0])
        elif what == "play":
            p.toggle()
            self._last_wall = self.app.wall()
        elif what == "back":
            p.seek(p.position - float(parts[2]))
        elif what == "ahead":
            p.seek(p.position + float(parts[2]))
        elif what == "faster":
            p.faster()
        elif what == "slower":
            p.slower()
        elif what == "speed":
            p.speed = float(parts[2])
        elif what == "start":
            p.seek(0.0)
        elif what == "end":
            p.seek(p.end)
        elif what in ("next_mark", "prev_mark"):
            t = p.next_mark(forward=what == "next_mark")
            if t is not None:
                p.playing = False
                p.seek(t)
        elif what == "demo" and p.check.session.mode == "training" and not p.check.session.drill:
            from desk.screens.demo import demo_screen

            p.playing = False
            self.app.return_to(demo_screen(self.app, p.check, p.position, self))
        elif what == "branch" and _practice(p):
            p.playing = False
            self.app.branch(p.original(self.app.wall), p.position)
        elif what == "quit":
            self.app.quit()
        self.dirty = True

    def _seek_to_x(self, x: float) -> None:
        x0, x1, _ = AXIS
        frac = min(1.0, max(0.0, (x - x0) / (x1 - x0)))
        self.player.seek(frac * self.player.end)

    # -- frame ----------------------------------------------------------------------------

    def update(self) -> None:
        now = self.app.wall()
        dt, self._last_wall = now - self._last_wall, now
        if self.player.playing:
            self.player.play_for(dt)
            if now - self._last_draw >= _FRAME or not self.player.playing:
                self.dirty = True

    def draw(self, g: Gfx) -> None:
        super().draw(g)
        self._draw_desk(g)
        self._side(g)
        self._bar(g)
        self._last_draw = self.app.wall()

    def _draw_desk(self, g: Gfx) -> None:
        area = g.r(DESK).clip(g.surface.get_rect())
        if self._desk_g is None or self._desk_g.surface.get_size() != area.size:
            self._desk_g = Gfx(pygame.Surface(area.size).convert(), g.fonts)
        self.desk.draw(self._desk_g)
        g.surface.blit(self._desk_g.surface, area.topleft)
        g.overflows.extend(self._desk_g.overflows)
        self._desk_g.overflows.clear()

    def _side(self, g: Gfx) -> None:
        p, lang = self.player, self.lang
        row = p.check.session
        x, y, w, h = SIDE
        panel(g, SIDE, fill=Theme.white)
        g.text(self.t("replay.heading"), (x + 12, y + 12), 17, Theme.teal_dark, bold=True)
        g.text(self.t("replay.session", id=row.id), (x + 12, y + 40), 14, Theme.muted)
        facts = [
            (self.t("replay.trainee"), row.trainee_id),
            (self.t("replay.mode"), self.t(f"mode.{row.mode}")),
            (self.t("replay.variant"), p.check.engine.variant.name(lang)),
            (self.t("replay.seed"), str(row.seed)),
            (self.t("replay.status"), tr(f"status.{row.status}", lang)),
            (self.t("replay.started"), show(row.started_at)),
        ]
        ty = y + 64
        for label, value in facts:
            lw = g.width(label + " ", 14)
            if lw + g.width(value, 14) <= w - 24:  # a short one on one line: "Seed 1"
                g.text(label, (x + 12, ty), 14, Theme.muted)
                g.text(value, (x + 12 + lw, ty), 14, Theme.ink)
                ty += 22
                continue
            g.text(label, (x + 12, ty), 14, Theme.muted)
            lines = g.fit_lines(value, 14, w - 24, 3)
            for i, line in enumerate(lines):
                g.text(line, (x + 12, ty + 19 + i * 19), 14, Theme.ink)
            ty += 22 + 19 * len(lines)
        rep = p.check.report
        ty += 4
        g.line((x + 12, ty), (x + w - 12, ty), Theme.panel_edge, 1)
        ty += 10
        if rep is None:
            g.paragraph(self.t("replay.no_result"), (x + 12, ty, w - 24, 60), 14, Theme.muted)
            ty += 64
        else:
            g.text(self.t("replay.score"), (x + 12, ty), 14, Theme.muted)
            g.text(f"{rep.score:g}", (x + 12, ty + 14), 30, Theme.ink, bold=True)
            verdict = tr("report.passed" if rep.passed else "report.failed", lang)
            colour = Theme.green if rep.passed else Theme.red
            vw = g.width(verdict, 14) + 18
            g.rect((x + 12, ty + 56, vw, 24), colour, radius=12)
            g.text(verdict, (x + 12 + vw / 2, ty + 68), 14, Theme.white, anchor="center")
            ty += 92
        same = p.check.report_matches
        key = {True: "replay.same", False: "replay.differs", None: "replay.nothing_to_compare"}
        colour = {True: Theme.green, False: Theme.red, None: Theme.muted}[same]
        used = g.paragraph(self.t(key[same]), (x + 12, ty, w - 24, 110), 14, colour)
        ty += max(used, 18) + 8
        if not p.check.trace_matches:
            used = g.paragraph(
                self.t("replay.trace_differs"), (x + 12, ty, w - 24, 64), 14, Theme.red
            )
            ty += used + 8
        # the keys at the foot, below what the check found (a warning is never written over)
        top = max(ty, y + h - 150)
        g.paragraph(
            self.t("replay.keys"), (x + 12, top, w - 24, y + h - 6 - top), 14, Theme.muted,
            spacing=1.1,
        )  # fmt: skip

    def _bar(self, g: Gfx) -> None:
        p = self.player
        x, y, w, h = BAR
        panel(g, BAR, fill=Theme.white)
        # the controls, on the left
        bx, by = x + 10, y + 8
        button(g, self.targets, (bx, by, 40, 28), "|◀", "ui:start", lang=self.lang,
               style="secondary", hover=self.hover, size=14)  # fmt: skip
        label = self.t("replay.pause" if p.playing else "replay.play")
        button(g, self.targets, (bx + 46, by, 128, 28), label, "ui:play", key="space",
               lang=self.lang, hover=self.hover, size=14)  # fmt: skip
        button(g, self.targets, (bx + 180, by, 48, 28), "◀◆", "ui:prev_mark", lang=self.lang,
               style="secondary", hover=self.hover, size=14)  # fmt: skip
        button(g, self.targets, (bx + 234, by, 48, 28), "◆▶", "ui:next_mark", lang=self.lang,
               style="secondary", hover=self.hover, size=14)  # fmt: skip
        sx = bx + 288
        for speed in (1.0, 2.0, 4.0, 8.0, 16.0):
            sw = 42 if speed < 10 else 50
            style = "primary" if p.speed == speed else "secondary"
            button(g, self.targets, (sx, by, sw, 28), f"{speed:g}×", f"ui:speed:{speed:g}",
                   lang=self.lang, style=style, hover=self.hover, size=14)  # fmt: skip
            sx += sw + 4
        g.text(
            f"{mmss(p.position)} / {mmss(p.end)}", (sx + 10, by + 14), 15, Theme.ink,
            bold=True, anchor="midleft",
        )  # fmt: skip
        here = self._finding_here()
        if here is not None:
            colour = Theme.red if here.critical else Theme.amber_ink
            words = p.session.words
            verdict = words.verdict(here.verdict)
            cites = words.citation(here.clause)
            text = f"{mmss(here.at or 0.0)}  {cites} {verdict} · {words.evidence(here)}"
            if g.width(text, 14) > x + w - sx - 132:  # the evidence in full is in the debrief
                text = f"{mmss(here.at or 0.0)}  {cites} {verdict}"
            g.text(text, (sx + 120, by + 14), 14, colour, anchor="midleft",
                   max_width=x + w - sx - 132)  # fmt: skip
        self._timeline(g)

    def _finding_here(self) -> Finding | None:
        """The last finding that lost points at or before the position (within a minute)."""
        p = self.player
        best: Finding | None = None
        for f in p.findings:
            if not f.lost or f.at is None:
                continue
            if p.position - 60 <= f.at <= p.position + 0.05 and (
                best is None or f.at >= (best.at or 0)
            ):
                best = f
        return best

    def _timeline(self, g: Gfx) -> None:
        p = self.player
        x0, x1, ay = AXIS
        end = p.end or 1.0

        def px(t: float) -> float:
            return x0 + (x1 - x0) * min(1.0, max(0.0, t / end))

        x, y, w, h = BAR
        g.text(self.t("replay.timeline"), (x + 12, ay), 14, Theme.muted, anchor="midleft")
        g.line((x0, ay), (x1, ay), Theme.panel_edge, 4)
        g.line((x0, ay), (px(p.position), ay), Theme.teal, 4)
        for e in p.check.engine.trace:
            ex = px(e.t)
            if e.kind == "action":
                g.rect((ex - 1, ay + 3, 2, 7), Theme.teal if e.valid else Theme.amber_ink)
            elif e.name in vocabulary().alerts:
                g.poly(
                    [(ex, ay - 11), (ex + 4, ay - 7), (ex, ay - 3), (ex - 4, ay - 7)], Theme.blue
                )
        for f in p.findings:
            if f.lost and f.at is not None:
                fx = px(f.at)
                colour = Theme.red if f.critical else Theme.amber_ink
                g.poly([(fx - 5, ay - 14), (fx + 5, ay - 14), (fx, ay - 5)], colour)
        cx = px(p.position)
        g.circle((cx, ay), 7, Theme.teal_dark)
        g.circle((cx, ay), 3, Theme.white)
        self.targets.add((x0 - 8, ay - 16, x1 - x0 + 16, 32), "seek")

    def needs_redraw(self) -> bool:
        return self.dirty

    def drawn(self) -> None:
        self.dirty = False


def _practice(p: ReplayPlayer) -> bool:
    """A finished practice session (not an exam, not in a drill): one that can be branched."""
    row = p.check.session
    return row.mode == "training" and not row.drill and p.check.report is not None


def player_of(screen: Any) -> ReplayPlayer:
    """The player behind a replay screen (for tests)."""
    assert isinstance(screen, ReplayScreen)
    return screen.player

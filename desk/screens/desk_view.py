"""Drawing the desk: the counter and customer, the business system, devices, log and overlays.

Layout (logical 1280×720): a top bar; the counter on the left (queue display, customer,
dialogue); the computer in the middle (business system over the notification log); devices and
the incident buttons on the right. The static parts are drawn once into a cached layer.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import pygame

from desk import art
from desk.controls import COUNTER_BUTTONS, LOGIN, MENUS, MODULE_KEYS, QUICK_BUTTONS, SYSTEM_BUTTONS
from desk.gfx import Gfx
from desk.i18n import t as dt
from desk.widgets import Targets, Theme, button, key_badge, panel, two_lines
from sim.i18n import clock as mmss
from sim.i18n import tr
from sim.observation import CustomerView, Observation

if TYPE_CHECKING:
    from desk.session import DeskSession

__all__ = ["DeskView"]

TOP = (0, 0, 1280, 48)
QUEUE = (12, 56, 420, 44)
SCENE = (12, 106, 420, 210)
COUNTER_ROW = (20, 272, 404, 34)  # on the counter top, in front of the customer
DIALOGUE = (12, 322, 420, 386)
MONITOR = (442, 56, 520, 484)
SCREEN = (452, 66, 500, 464)
LOG = (442, 548, 520, 160)
NAV_W = 122
TOOLBAR_H = 4 * 38
DEVICES = (972, 56, 296, 290)
QUICK = (972, 354, 296, 354)
PRINTER = (992, 100, 124, 88)
PHONE = (1162, 106, 80, 70)
SCANNER = (992, 222, 110, 44)
ROUTER = (1170, 222, 62, 40)
OPENING = 9 * 3600  # the hall opens at 09:00; the sim clock shows the time of day


@dataclass
class _Region:
    """A part of the desk drawn once and reused until what it shows changes."""

    key: tuple[object, ...]
    surface: pygame.Surface
    origin: tuple[int, int]
    targets: list[Any]


class DeskView:
    session: DeskSession
    targets: Targets
    hover: tuple[float, float] | None
    popup: str | None
    popup_anchor: tuple[float, float]
    confirm: bool
    hint_shown: Any
    app: Any
    lang: str

    def __init__(self) -> None:
        self._static: pygame.Surface | None = None
        self._regions: dict[str, _Region] = {}
        self.doc_scroll = 0.0  # the documents column, when the papers do not all fit
        self.doc_room = 0.0
        self.doc_rect: tuple[float, float, float, float] = (0.0, 0.0, 0.0, 0.0)
        self._obs: Observation | None = None
        self._reply_order: list[str] = []

    # -- helpers --------------------------------------------------------------------------

    @property
    def observation(self) -> Observation:
        return self.session.observe()

    def reply_order(self) -> list[str]:
        return self._reply_order

    def label(self, action: str) -> str:
        spec = self.session.vocab.actions.get(action)
        return spec.label(self.lang) if spec else action

    def dt(self, key: str, **kw: object) -> str:
        return dt(key, self.lang, **kw)

    # -- the frame ------------------------------------------------------------------------

    def draw(self, g: Gfx) -> None:
        self.targets = Targets()
        obs = self.observation
        s = self.session
        self._static_layer(g)
        t_anim = self.app.wall()
        busy = s.busy
        changes = len(s.engine.trace)
        common = (busy, self.lang, g.surface.get_size())
        self._region(
            g,
            "top",
            TOP,
            (int(obs.t), s.clock.paused, s.clock.speed, self.app.sounds.muted, *common),
            self._top_bar,
            obs,
        )
        self._region(g, "queue", QUEUE, (obs.current, obs.queue, *common), self._queue_board, obs)
        self._customer(g, obs, t_anim)
        self._counter_buttons(g)
        self._region(g, "dialogue", DIALOGUE, (changes, *common), self._dialogue, obs)
        self._region(g, "system", MONITOR, (changes, self.doc_scroll, *common), self._system, obs)
        self._region(g, "log", LOG, (len(s.notes), *common), self._log)
        self._busy(g)
        self._devices(g, obs, t_anim)
        self._region(g, "quick", QUICK, (self.popup, *common), self._quick)
        if self.hint_shown is not None:
            self._hint(g)
        if self.popup is not None:
            self._popup(g)
        if self.session.clock.paused:
            self._paused(g)
        if self.confirm:
            self._confirm(g)

    def _region(
        self,
        g: Gfx,
        name: str,
        rect: tuple[float, float, float, float],
        key: tuple[object, ...],
        fn: Callable[..., None],
        *args: Any,
    ) -> None:
        """Draw ``fn`` into a cached surface for ``rect``; redraw only when ``key`` changes."""
        entry = self._regions.get(name)
        # the mouse over one of this part's controls is part of what it shows
        hover = getattr(self, "_hover_target", None)
        if entry is not None and hover in {tgt.command for tgt in entry.targets}:
            key = (*key, hover)
        if entry is None or entry.key != key:
            px = g.r(rect).clip(g.surface.get_rect())
            surf = pygame.Surface(px.size).convert()
            assert self._static is not None
            surf.blit(self._static, (0, 0), px)
            start = len(self.targets)
            with g.offscreen(surf, px.topleft):
                fn(g, *args)
            entry = _Region(key, surf, px.topleft, list(self.targets[start:]))
            self._regions[name] = entry
        else:
            self.targets.extend(entry.targets)
        g.surface.blit(entry.surface, entry.origin)

    def _static_layer(self, g: Gfx) -> None:
        size = g.surface.get_size()
        if self._static is None or self._static.get_size() != size:
            layer = pygame.Surface(size).convert()
            target = g.surface
            g.bind(layer)
            g.fill(Theme.bg)
            g.rect(TOP, Theme.teal)
            art.counter_scene(g, SCENE)
            panel(g, DIALOGUE)
            # the monitor: bezel, a thin stand hidden behind the log
            g.rect(
                (MONITOR[0] + 2, MONITOR[1] + 4, MONITOR[2], MONITOR[3]), Theme.shadow, radius=12
            )
            g.rect(MONITOR, (54, 60, 66), radius=12)
            panel(g, LOG)
            panel(g, DEVICES)
            panel(g, QUICK)
            g.bind(target)
            self._static = layer
        g.surface.blit(self._static, (0, 0))

    # -- top bar --------------------------------------------------------------------------

    def _top_bar(self, g: Gfx, obs: Observation) -> None:
        s = self.session
        lang = self.lang
        g.label(
            f"{self.dt('app.hall')} · {self.dt('app.window')}",
            (16, 8, 240, 32),
            15,
            Theme.white,
            align="left",
            min_size=12,
        )
        title = s.loaded.scenario.scenario.title.get(lang)
        mode = self.dt(f"mode.{s.mode}")
        mw = g.width(mode, 12) + 16
        tx = 268
        room = 548 - tx - mw - 8
        size = 16.0
        while size > 11 and g.width(title, size, True) > room:
            size -= 1
        if g.width(title, size, True) > room:
            lines = g.fit_lines(title, 11, room, 2, True)
            for i, ln in enumerate(lines):
                g.text(
                    ln,
                    (tx, 24 + (i - (len(lines) - 1) / 2) * 15),
                    11,
                    Theme.white,
                    bold=True,
                    anchor="midleft",
                )
            tw = max(g.width(ln, 11, True) for ln in lines)
        else:
            g.text(title, (tx, 24), size, Theme.white, bold=True, anchor="midleft")
            tw = g.width(title, size, True)
        g.rect(
            (tx + tw + 8, 14, mw, 20),
            Theme.amber if s.mode == "exam" else Theme.teal_dark,
            radius=10,
        )
        g.text(mode, (tx + tw + 8 + mw / 2, 24), 12, Theme.white, anchor="center")
        # the clocks
        day = OPENING + int(obs.t)
        g.text(self.dt("desk.sim_clock"), (560, 8), 11, (200, 230, 226))
        g.text(
            f"{day // 3600:02d}:{day % 3600 // 60:02d}:{day % 60:02d}",
            (560, 21),
            19,
            Theme.white,
            bold=True,
        )
        g.text(self.dt("desk.elapsed"), (668, 8), 11, (200, 230, 226))
        g.text(f"{mmss(obs.t)} / {mmss(obs.time_limit)}", (668, 22), 16, Theme.white)
        # the buttons, right to left
        x = 1268

        def add(w: float, label: str, cmd: str, key: str | None, style: str = "soft") -> None:
            nonlocal x
            x -= w
            button(
                g,
                self.targets,
                (x, 8, w, 32),
                label,
                cmd,
                key=key,
                lang=lang,
                style=style,
                hover=self.hover,
                size=13,
            )
            x -= 8

        add(124, self.dt("desk.finish"), "ui:finish", "q", "secondary")
        x -= 40
        g.rect((x, 8, 40, 32), Theme.teal_soft, radius=7)
        art.speaker(g, x + 9, 15, self.app.sounds.muted, Theme.teal_dark)
        self.targets.add((x, 8, 40, 32), "ui:mute")
        x -= 8
        if s.mode == "training":
            add(86, self.dt("desk.hint"), "ui:hint", "h")
        add(96, self.dt("desk.resume" if s.clock.paused else "desk.pause"), "ui:pause", "space")
        speed = self.dt("desk.speed", x=f"{s.clock.speed:g}")
        if s.mode == "training":
            add(76, speed, "ui:faster" if s.clock.speed < 4 else "ui:slower", None)
        else:
            g.text(speed, (x - 8, 24), 13, Theme.white, anchor="midright")

    # -- the counter ----------------------------------------------------------------------

    def _queue_board(self, g: Gfx, obs: Observation) -> None:
        x, y, w, h = QUEUE
        g.rect(QUEUE, (34, 38, 42), radius=8)
        led = (x + 6, y + 6, w - 190, h - 12)
        g.rect(led, (20, 22, 24), radius=4)
        cur = obs.customer(obs.current)
        if cur is not None:
            text = self.dt("desk.now_serving", ticket=self.ticket(cur.id))
        else:
            text = self.dt("desk.idle_board")
        g.label(
            text, (x + 14, y + 6, w - 270, h - 12), 16, (255, 112, 72), align="left", min_size=12
        )
        g.label(
            self.dt("desk.waiting", n=obs.queue),
            (x + w - 258, y + 6, 66, h - 12),
            12,
            (120, 220, 140),
            align="right",
            min_size=10,
        )
        button(
            g,
            self.targets,
            (x + w - 178, y + 7, 170, 30),
            self.label("call_next_customer"),
            "act:call_next_customer",
            key="n",
            lang=self.lang,
            style="soft",
            hover=self.hover,
            size=12,
        )

    def ticket(self, cid: str) -> str:
        ids = [c.id for c in self.session.loaded.scenario.customers]
        return f"A{ids.index(cid) + 1:03d}" if cid in ids else "A000"

    def _customer(self, g: Gfx, obs: Observation, t: float) -> None:
        x, y, w, h = SCENE
        cur = obs.customer(obs.current)
        g.clip(SCENE)
        if cur is None:
            g.text(
                self.dt("desk.no_customer"),
                (x + w / 2, y + h / 2 - 20),
                16,
                Theme.muted,
                anchor="center",
            )
        else:
            art.portrait(
                g,
                x + w / 2 - 40,
                y + 6,
                f"{cur.id}/{self.session.engine.variant.id}",
                cur.level,
                t,
                phone=cur.by_phone,
            )
        art.counter_top(g, SCENE)
        g.clip(None)
        if cur is not None:
            self._customer_card(g, cur)
        others = [c for c in obs.customers if c.id != obs.current and not c.finished]
        for i, c in enumerate(others[:3]):
            bx, by = x + w - 176, y + 10 + i * 20
            g.rect((bx, by - 2, 166, 19), (255, 255, 255, 210), radius=6)
            name = self.session.render(c.name.get(self.lang))
            if c.by_phone:
                name += (
                    f"（{self.dt('desk.by_phone')}）"
                    if self.lang == "zh"
                    else f" ({self.dt('desk.by_phone')})"
                )
            g.label(name, (bx + 6, by - 2, 100, 19), 11, Theme.ink, align="left", min_size=9)
            button(
                g,
                self.targets,
                (bx + 108, by - 1, 56, 17),
                self.dt("desk.serve"),
                f"serve:{c.id}",
                lang=self.lang,
                style="soft",
                hover=self.hover,
                size=10,
            )

    def _customer_card(self, g: Gfx, cur: CustomerView) -> None:
        x, y, w, h = SCENE
        cx, cy, cw, ch = x + w - 176, y + 72, 166, 88
        g.rect((cx, cy, cw, ch), (255, 255, 255, 225), radius=8)
        name = self.session.render(cur.name.get(self.lang))
        g.label(
            name,
            (cx + 10, cy + 5, cw - 20, 22),
            15,
            Theme.ink,
            bold=True,
            align="left",
            min_size=11,
        )
        module = self.session.vocab.modules.get(cur.request)
        req = self.dt("desk.request", module=module.get(self.lang) if module else cur.request)
        if cur.by_phone:
            req = f"{self.dt('desk.by_phone')} · {req}"
        g.paragraph(req, (cx + 10, cy + 28, cw - 20, 30), 11, Theme.muted, min_size=10, spacing=1.1)
        colour = {"calm": Theme.green, "uneasy": Theme.amber, "angry": Theme.red}.get(
            cur.level, Theme.faint
        )
        mood = self.dt(f"desk.mood_{cur.level}")
        bar = cw - 30 - g.width(mood, 11)
        g.rect((cx + 10, cy + 68, bar, 8), (226, 230, 230), radius=4)
        g.rect((cx + 10, cy + 68, max(6.0, bar * cur.mood / 100), 8), colour, radius=4)
        g.text(mood, (cx + cw - 10, cy + 72), 11, colour, anchor="midright")

    def _counter_buttons(self, g: Gfx) -> None:
        x, y, w, h = COUNTER_ROW
        bw = (w - 8) / 2
        for i, (action, key) in enumerate(COUNTER_BUTTONS[:2]):
            button(
                g,
                self.targets,
                (x + i * (bw + 8), y, bw, h),
                self.label(action),
                f"act:{action}",
                key=key,
                lang=self.lang,
                style="secondary",
                hover=self.hover,
                size=13,
                wrap=True,
            )

    def _dialogue(self, g: Gfx, obs: Observation) -> None:
        x, y, w, h = DIALOGUE
        lang = self.lang
        inner_x, inner_w = x + 14, w - 28
        top_limit, bottom = y + 12, y + h - 12
        # the customer's latest line must stay in view with the replies: shrink both if needed
        self._reply_order = []
        transcript = self.session.transcript()
        latest = next((text for who, text in reversed(transcript) if who is not None), "")
        replies = [
            (r.id, self.session.render(r.text.get(lang))) for c in obs.customers for r in c.replies
        ]
        for size in (14, 13, 12):
            blocks = [(rid, g.wrap(text, size, inner_w - 50)) for rid, text in replies]
            step = g.line_height(size)
            heights = [len(lines) * step + 10 for _, lines in blocks]
            top_of_replies = bottom - sum(heights) - 5 * len(blocks) - (22 if blocks else 0)
            need = self._bubble_height(g, latest, size, inner_w - 40, False) if latest else 0
            if top_of_replies - need - 6 >= top_limit:
                break
        ry = top_of_replies + (22 if blocks else 0)
        if blocks:
            g.text(self.dt("desk.choose_reply"), (inner_x, top_of_replies + 2), 12, Theme.muted)
        for i, ((rid, lines), bh) in enumerate(zip(blocks, heights, strict=True)):
            rect = (inner_x, ry, inner_w, bh)
            hovered = (
                self.hover is not None
                and rect[0] <= self.hover[0] < rect[0] + rect[2]
                and rect[1] <= self.hover[1] < rect[1] + rect[3]
            )
            g.rect(
                rect,
                Theme.blue_soft if hovered else Theme.white,
                radius=8,
                border=1,
                border_color=Theme.blue if hovered else Theme.panel_edge,
            )
            g.rect((inner_x + 8, ry + 6, 22, 22), Theme.blue, radius=11)
            g.text(str(i + 1), (inner_x + 19, ry + 17), 13, Theme.white, bold=True, anchor="center")
            for j, ln in enumerate(lines):
                g.text(ln, (inner_x + 38, ry + 5 + j * step), size, Theme.ink)
            if not self.session.busy:
                self.targets.add(rect, f"reply:{rid}")
            self._reply_order.append(rid)
            ry += bh + 5
        # the conversation so far, newest at the bottom, above the replies
        cy = top_of_replies - 6
        for who, text in reversed(transcript):
            clerk = who is None
            bw = inner_w - 40
            bh = self._bubble_height(g, text, size, bw, clerk)
            if cy - bh < top_limit:
                break
            bx = inner_x + (40 if clerk else 0)
            top = cy - bh
            g.rect((bx, top, bw, bh), Theme.teal_soft if clerk else (244, 241, 234), radius=10)
            if not clerk:
                g.text(who or "", (bx + 10, top + 5), 11, Theme.muted, max_width=bw - 20)
            head = 0 if clerk else 16
            for j, ln in enumerate(g.wrap(text, size, bw - 20)):
                g.text(
                    ln,
                    (bx + 10, top + 6 + head + j * g.line_height(size)),
                    size,
                    Theme.teal_dark if clerk else Theme.ink,
                )
            cy = top - 6
        if not blocks and not transcript:
            cur = obs.customer(obs.current)
            note = self.dt("desk.waiting_for_you") if cur else self.dt("desk.no_customer")
            g.text(note, (x + w / 2, y + h / 2), 14, Theme.muted, anchor="center", max_width=w - 40)

    def _bubble_height(self, g: Gfx, text: str, size: float, width: float, clerk: bool) -> float:
        return len(g.wrap(text, size, width - 20)) * g.line_height(size) + 12 + (0 if clerk else 16)

    # -- the business system --------------------------------------------------------------

    def _system(self, g: Gfx, obs: Observation) -> None:
        x, y, w, h = SCREEN
        lang = self.lang
        if obs.computer != "on":
            g.rect(SCREEN, (16, 18, 20), radius=4)
            return
        g.rect(SCREEN, (241, 244, 248), radius=4)
        g.rect((x, y, w, 30), Theme.blue, radius=4)
        g.text(
            self.dt("desk.system_name"),
            (x + 12, y + 15),
            14,
            Theme.white,
            bold=True,
            anchor="midleft",
            max_width=250,
        )
        state = tr("words.colon", lang).join(
            [self.dt("light.system"), self.dt(f"state.system.{obs.system}")]
        )
        if obs.system == "logged_in":
            state = self.dt("desk.operator", name=self.app.trainee or "—")
        g.text(state, (x + w - 12, y + 15), 12, (214, 228, 242), anchor="midright", max_width=200)
        if obs.system == "logged_out":
            self._login(g)
        else:
            self._nav(g, obs)
            self._form(g, obs)
            self._toolbar(g)
        if obs.network == "down" or obs.system == "faulty":
            key = "desk.network_down" if obs.network == "down" else "desk.system_fault"
            g.rect(
                (x + 90, y + 120, w - 180, 70),
                (255, 255, 255),
                radius=6,
                border=2,
                border_color=Theme.red,
            )
            g.rect((x + 90, y + 120, w - 180, 24), Theme.red, radius=6)
            g.text("!", (x + 104, y + 132), 14, Theme.white, bold=True, anchor="center")
            g.paragraph(self.dt(key), (x + 104, y + 152, w - 208, 34), 14, Theme.red, min_size=12)

    def _login(self, g: Gfx) -> None:
        x, y, w, h = SCREEN
        bx, by, bw, bh = x + 110, y + 80, w - 220, 230
        g.rect((bx, by, bw, bh), Theme.white, radius=8, border=1, border_color=Theme.panel_edge)
        g.text(
            self.dt("desk.login_title"),
            (bx + bw / 2, by + 28),
            17,
            Theme.blue,
            bold=True,
            anchor="center",
        )
        for i, (label, value) in enumerate(
            ((self.dt("desk.user"), "0311"), (self.dt("desk.password"), "●●●●●●"))
        ):
            g.label(label, (bx + 20, by + 58 + i * 46, 66, 34), 13, Theme.muted, align="left")
            g.rect(
                (bx + 90, by + 58 + i * 46, bw - 110, 34),
                (248, 250, 252),
                radius=4,
                border=1,
                border_color=Theme.panel_edge,
            )
            g.text(value, (bx + 100, by + 75 + i * 46), 14, Theme.ink, anchor="midleft")
        action, key = LOGIN
        button(
            g,
            self.targets,
            (bx + 20, by + 160, bw - 40, 40),
            self.label(action),
            f"act:{action}",
            key=key,
            lang=self.lang,
            style="blue",
            enabled=not self.session.busy,
            hover=self.hover,
            size=14,
        )

    def _nav(self, g: Gfx, obs: Observation) -> None:
        x, y, w, h = SCREEN
        nx, ny, nw = x, y + 30, NAV_W
        nh = h - 30 - TOOLBAR_H - 8
        g.rect((nx, ny, nw, nh), (228, 235, 244))
        g.text(self.dt("desk.module_nav"), (nx + 10, ny + 8), 12, Theme.muted, max_width=nw - 20)
        item_h = min(36.0, (nh - 32) / max(1, len(self.session.vocab.modules)))
        for i, (mid, text) in enumerate(self.session.vocab.modules.items()):
            rect = (nx + 4, ny + 28 + i * item_h, nw - 8, item_h - 3)
            chosen = obs.module == mid
            hov = (
                self.hover is not None
                and rect[0] <= self.hover[0] < rect[0] + rect[2]
                and rect[1] <= self.hover[1] < rect[1] + rect[3]
            )
            if chosen or hov:
                g.rect(rect, Theme.blue if chosen else (210, 222, 238), radius=5)
            ink = Theme.white if chosen else Theme.ink
            label = text.get(self.lang)
            box = (rect[0] + 6, rect[1], rect[2] - 30, rect[3])
            if g.width(label, 10) > box[2]:
                lines = g.fit_lines(label, 11, box[2], 2)
                for j, ln in enumerate(lines):
                    g.text(ln, (box[0], rect[1] + rect[3] / 2 + (j - len(lines) / 2) * 14), 11, ink)
            else:
                g.label(label, box, 12, ink, align="left", min_size=10)
            g.text(
                MODULE_KEYS[i].upper(),
                (rect[0] + rect[2] - 5, rect[1] + rect[3] / 2),
                10,
                (200, 215, 235) if chosen else Theme.faint,
                anchor="midright",
            )
            if not self.session.busy:
                self.targets.add(rect, f"module:{mid}")

    def _form(self, g: Gfx, obs: Observation) -> None:
        x, y, w, h = SCREEN
        fx, fy = x + NAV_W + 8, y + 36
        fw = w - NAV_W - 16
        form_h = h - 30 - TOOLBAR_H - 8 - 36
        lang = self.lang
        if obs.module is None:
            g.paragraph(
                self.dt("desk.no_module"),
                (fx + 10, fy + 100, fw - 20, 60),
                15,
                Theme.muted,
                align="center",
            )
            return
        module = self.session.vocab.modules[obs.module].get(lang)
        chips = [
            k
            for k, on in (
                ("verified", obs.verified),
                ("submitted", obs.submitted),
                ("printed", obs.printed),
                ("on_paper", obs.on_paper),
            )
            if on
        ]
        cx = fx + fw
        for k in reversed(chips):
            text = self.dt(f"desk.{k}")
            cw = g.width(text, 11) + 14
            if cx - cw - 4 < fx + 110:
                break  # the module's name comes first; later chips wait for room
            cx -= cw + 4
            g.rect((cx, fy + 2, cw, 20), Theme.green_soft, radius=10)
            g.text(text, (cx + cw / 2, fy + 12), 11, Theme.green, anchor="center")
        room = cx - fx - 6
        if g.width(module, 12, True) <= room:
            g.label(
                module, (fx, fy, room, 24), 15, Theme.blue, bold=True, align="left", min_size=12
            )
        else:
            for j, ln in enumerate(g.fit_lines(module, 11, room, 2, True)):
                g.text(ln, (fx, fy - 2 + j * 14), 11, Theme.blue, bold=True)
        col = (fw - 8) / 2
        entered, documents = self.session.case_view()
        # the form as entered
        ax, ay = fx, fy + 30
        g.rect(
            (ax, ay, col, form_h), Theme.white, radius=6, border=1, border_color=Theme.panel_edge
        )
        g.text(self.dt("desk.form"), (ax + 8, ay + 6), 12, Theme.muted, max_width=col - 16)
        g.clip((ax, ay, col, form_h))
        if entered is None:
            g.paragraph(
                self.dt("desk.form_empty"), (ax + 10, ay + 40, col - 20, 80), 13, Theme.faint
            )
        else:
            compact = 28 + sum(self._field_height(g, col - 16, v) for _, v in entered) > form_h
            ry = ay + 28
            for key, value in entered:
                bad = key in obs.open_discrepancies
                ry = self._field(
                    g, ax + 8, ry, col - 16, self._field_label(key), value, bad, compact
                )
        g.clip(None)
        # the documents handed over
        bx = fx + col + 8
        g.text(self.dt("desk.documents"), (bx + 2, ay + 6), 12, Theme.muted, max_width=col - 4)
        if not obs.documents_received:
            g.rect((bx, ay + 26, col, form_h - 26), (236, 239, 242), radius=6)
            g.paragraph(
                self.dt("desk.no_documents"),
                (bx + 10, ay + form_h / 2, col - 20, 40),
                13,
                Theme.faint,
                align="center",
            )
            return
        view = (bx, ay + 26, col, form_h - 26)
        g.clip(view)
        full = sum(self._doc_height(g, col, t, f, False) + 6 for t, f in documents)
        compact = full > form_h - 26
        total = (
            sum(self._doc_height(g, col, t, f, compact) + 6 for t, f in documents)
            if compact
            else full
        )
        self.doc_room = max(0.0, total - (form_h - 26))
        self.doc_rect = view
        dy = ay + 26 - min(self.doc_scroll, self.doc_room)
        for title, fields in documents:
            tl = g.fit_lines(title, 11, col - 16, 2)
            hgt = self._doc_height(g, col, title, fields, compact)
            g.rect(
                (bx, dy, col, hgt),
                (252, 248, 236),
                radius=6,
                border=1,
                border_color=(226, 212, 176),
            )
            for j, ln in enumerate(tl):
                g.text(ln, (bx + 8, dy + 4 + j * 15), 11, (150, 112, 40))
            ry = dy + 8 + 15 * len(tl)
            for key, value in fields:
                ry = self._field(
                    g, bx + 8, ry, col - 16, self._doc_label(key), value, False, compact
                )
            dy += hgt + 6
        g.clip(None)
        if self.doc_room > 0:  # more papers below (or above): the wheel or PgUp/PgDn scrolls them
            vx, vy, vw, vh = view
            down = self.doc_scroll < self.doc_room
            ty = vy + vh - 10 if down else vy + 10
            g.rect((vx + vw - 46, ty - 9, 40, 18), Theme.blue, radius=9)
            d = 4 if down else -4
            g.poly(
                [(vx + vw - 32, ty - d), (vx + vw - 20, ty - d), (vx + vw - 26, ty + d)],
                Theme.white,
            )

    def _doc_height(
        self, g: Gfx, col: float, title: str, fields: list[tuple[str, str]], compact: bool
    ) -> float:
        lines = len(g.wrap(title, 11, col - 16)[:2])
        if compact:
            body = sum(self._compact_height(g, col - 16, v) for _, v in fields)
        else:
            body = sum(self._field_height(g, col - 16, v) for _, v in fields)
        return 8 + 15 * lines + body + 4

    def _field_label(self, key: str) -> str:
        text = self.dt(f"field.{key}")
        return key if text == f"field.{key}" else text

    def _doc_label(self, key: str) -> str:
        text = self.dt(f"docfield.{key}")
        return self._field_label(key) if text == f"docfield.{key}" else text

    def _field_height(self, g: Gfx, w: float, value: str) -> float:
        return 15 + len(g.wrap(value, 13, w)[:2]) * 17 + 3

    def _compact_height(self, g: Gfx, w: float, value: str) -> float:
        return len(g.wrap(value, 12, w * 0.62)[:3]) * 15 + 2

    def _field(
        self,
        g: Gfx,
        x: float,
        y: float,
        w: float,
        label: str,
        value: str,
        bad: bool,
        compact: bool = False,
    ) -> float:
        ink = Theme.red if bad else Theme.ink
        if compact:  # label and value on one line, when the column is full
            g.label(
                label,
                (x, y, w * 0.36, 15),
                10,
                Theme.red if bad else Theme.muted,
                align="left",
                min_size=9,
            )
            lines = g.fit_lines(value, 12, w * 0.62, 3)
            for i, ln in enumerate(lines):
                g.text(ln, (x + w * 0.38, y + i * 15), 12, ink)
            end = y + len(lines) * 15 + 2
            if bad:
                g.rect((x - 5, y + 1, 2, end - y - 2), Theme.red)
            return end
        g.label(
            label, (x, y, w, 14), 11, Theme.red if bad else Theme.muted, align="left", min_size=9
        )
        lines = g.fit_lines(value, 13, w, 2)
        for i, ln in enumerate(lines):
            g.text(ln, (x, y + 14 + i * 17), 13, ink)
        end = y + 15 + len(lines) * 17
        if bad:
            g.rect((x - 5, y + 1, 2, end - y - 2), Theme.red)
            g.label(
                self.dt("desk.mismatch"),
                (x, end - 1, w, 14),
                11,
                Theme.red,
                align="left",
                min_size=9,
            )
            end += 14
        return end + 3

    def _toolbar(self, g: Gfx) -> None:
        x, y, w, h = SCREEN
        items = [(a, k, f"act:{a}") for a, k in SYSTEM_BUTTONS] + [("__more", "o", "menu:computer")]
        bw = (w - 16 - 6) / 2
        top = y + h - TOOLBAR_H - 4
        for i, (action, key, cmd) in enumerate(items):
            r, c = divmod(i, 2)
            rect = (x + 8 + c * (bw + 6), top + r * 38, bw, 34)
            label = self.dt("desk.more") if action == "__more" else self.label(action)
            button(
                g,
                self.targets,
                rect,
                label,
                cmd,
                key=key,
                lang=self.lang,
                style="secondary" if action == "__more" else "blue",
                enabled=not self.session.busy,
                hover=self.hover,
                size=13,
                wrap=True,
                chevron=action == "__more",
            )

    # -- the log --------------------------------------------------------------------------

    def _log(self, g: Gfx) -> None:
        x, y, w, h = LOG
        g.text(self.dt("desk.log"), (x + 14, y + 10), 13, Theme.muted)

        notes = self.session.notes
        if not notes:
            g.text(self.dt("desk.log_empty"), (x + 14, y + 40), 13, Theme.faint)
            return
        ly = y + 40
        step = g.line_height(13) * 1.05
        colours = {
            "info": Theme.ink,
            "action": Theme.teal_dark,
            "warn": Theme.amber,
            "alert": Theme.red,
            "refused": Theme.amber,
        }
        for n in reversed(notes):
            lines = g.wrap(n.text, 13, w - 90)[:2]
            if ly + len(lines) * step > y + h - 8:
                break
            g.text(mmss(n.t), (x + 14, ly), 12, Theme.faint)
            if n.level in ("alert", "refused"):
                g.circle((x + 62, ly + 9), 3, colours[n.level])
            for i, ln in enumerate(lines):
                g.text(ln, (x + 72, ly + i * step), 13, colours[n.level])
            ly += len(lines) * step + 3

    def _busy(self, g: Gfx) -> None:
        """While an action takes its time: its name and a progress bar over the log header."""
        busy = self.session.clock.busy()
        if busy < 1.0 and self.session.last_action:
            x, y, w, h = LOG
            bx, by, bw, bh = x + 120, y + 6, w - 132, 30
            g.rect((bx, by, bw, bh), Theme.teal_soft, radius=8)
            g.rect((bx, by, max(16.0, bw * busy), bh), (170, 214, 207), radius=8)
            text = self.dt("desk.busy", action=self.label(self.session.last_action))
            two_lines(g, text, (bx + 10, by, bw - 20, bh), 12, Theme.teal_dark)

    # -- devices and the incident buttons -------------------------------------------------

    def _devices(self, g: Gfx, obs: Observation, t: float) -> None:
        x, y, w, h = DEVICES
        lang = self.lang
        g.text(self.dt("desk.devices"), (x + 14, y + 10), 13, Theme.muted)
        art.printer(g, PRINTER, obs.printer, t)
        art.phone(g, PHONE, obs.phone, t)
        art.scanner(g, SCANNER)
        art.router(g, ROUTER, obs.network, t)
        for rect, menu, name in (
            (PRINTER, "printer", "printer"),
            (PHONE, "phone", "phone"),
            (SCANNER, "scanner", "scanner"),
        ):
            rx, ry, rw, rh = rect
            key = next(m.key for m in MENUS if m.id == menu)
            text = self.dt(f"menu_names.{name}")
            g.text(text, (rx, ry + rh + 4), 12, Theme.ink, max_width=rw - 24)
            key_badge(g, rx + rw, ry + rh + 3, key, lang)
            self.targets.add((rx - 6, ry - 10, rw + 12, rh + 30), f"menu:{menu}")
        rx, ry, rw, rh = ROUTER
        g.text(self.dt("light.network"), (rx + rw / 2, ry + rh + 4), 12, Theme.ink, anchor="midtop")
        # status lamps, two by two
        lamps = (
            ("network", obs.network, obs.network == "up"),
            ("system", obs.system, obs.system != "faulty"),
            ("printer", obs.printer, obs.printer in ("ok", "printing")),
            ("phone", obs.phone, True),
        )
        for i, (name, state, ok) in enumerate(lamps):
            lx = x + 16 + (i % 2) * 140
            ly = y + h - 48 + (i // 2) * 22
            colour = Theme.green if ok else Theme.red
            if name == "phone" and state == "ringing" or name == "system" and state == "logged_out":
                colour = Theme.amber
            art.lamp(g, (lx + 5, ly + 8), colour, True, 4)
            shown = self.dt(f"state.{name}.{state}")
            text = f"{self.dt('light.' + name)}{tr('words.colon', lang)}{shown}"
            g.text(text, (lx + 16, ly), 12, Theme.ink, max_width=120)

    def _quick(self, g: Gfx) -> None:
        x, y, w, h = QUICK
        lang = self.lang
        busy = self.session.busy
        g.text(self.dt("desk.quick"), (x + 14, y + 10), 13, Theme.muted)
        by = y + 34
        for action, key in QUICK_BUTTONS:
            button(
                g,
                self.targets,
                (x + 12, by, w - 24, 36),
                self.label(action),
                f"act:{action}",
                key=key,
                lang=lang,
                style="danger" if action == "stop_operation" else "primary",
                enabled=not busy,
                hover=self.hover,
                size=14,
            )
            by += 42
        for mid in ("incident", "supervisor"):
            self._menu_button(g, (x + 12, by, w - 24, 36), mid)
            by += 42
        g.text(self.dt("desk.station"), (x + 14, by + 4), 13, Theme.muted)
        by += 28
        for mid in ("appearance", "premises"):
            self._menu_button(g, (x + 12, by, w - 24, 36), mid)
            by += 42
        help_key = "desk.keys_help" if self.session.mode == "training" else "desk.keys_help_exam"
        g.paragraph(
            self.dt(help_key), (x + 14, y + h - 38, w - 28, 32), 11, Theme.faint, min_size=10
        )

    def _menu_button(self, g: Gfx, rect: tuple[float, float, float, float], mid: str) -> None:
        key = next(m.key for m in MENUS if m.id == mid)
        button(
            g,
            self.targets,
            rect,
            self.dt(f"menu_names.{mid}"),
            f"menu:{mid}",
            key=key,
            lang=self.lang,
            style="chosen" if self.popup == mid else "secondary",
            hover=self.hover,
            size=14,
            align="left",
            chevron=True,
        )

    # -- overlays -------------------------------------------------------------------------

    def _popup(self, g: Gfx) -> None:
        menu = next(m for m in MENUS if m.id == self.popup)
        w = 360
        ih = 34
        h = 40 + ih * len(menu.actions) + 8
        ax, ay = self.popup_anchor
        x = ax - w - 10 if ax > 640 else ax + 10
        if menu.id in ("printer", "phone", "scanner"):
            x = DEVICES[0] - w - 10
        y = max(56, min(ay, 712 - h))
        panel(g, (x, y, w, h), fill=Theme.white)
        g.text(
            self.dt(f"menu_names.{menu.id}"),
            (x + 14, y + 10),
            14,
            Theme.ink,
            bold=True,
            max_width=w - 28,
        )
        for i, action in enumerate(menu.actions):
            rect = (x + 8, y + 36 + i * ih, w - 16, ih - 4)
            hov = (
                self.hover is not None
                and rect[0] <= self.hover[0] < rect[0] + rect[2]
                and rect[1] <= self.hover[1] < rect[1] + rect[3]
            )
            if hov:
                g.rect(rect, Theme.blue_soft, radius=5)
            g.rect((rect[0] + 6, rect[1] + 6, 18, 18), Theme.blue, radius=9)
            g.text(
                str(i + 1),
                (rect[0] + 15, rect[1] + 15),
                11,
                Theme.white,
                bold=True,
                anchor="center",
            )
            g.label(
                self.label(action),
                (rect[0] + 32, rect[1], rect[2] - 40, rect[3]),
                13,
                Theme.ink,
                align="left",
                min_size=11,
            )
            if not self.session.busy:
                self.targets.add(rect, f"item:{action}")

    def _hint(self, g: Gfx) -> None:
        h = self.hint_shown
        x, y, w, hh = LOG
        panel(g, (x, y, w, hh), fill=(255, 251, 236))
        g.text(self.dt("desk.hint_title"), (x + 14, y + 10), 13, Theme.amber, bold=True)
        g.text(
            self.dt("desk.hint_count", n=len(self.session.hints)),
            (x + w - 14, y + 11),
            11,
            Theme.muted,
            anchor="topright",
            max_width=w / 2,
        )
        text, clauses = self.session.hint_text(h)
        used = g.paragraph(text, (x + 14, y + 34, w - 28, 48), 15, Theme.ink, min_size=13)
        cy = y + 40 + used
        proc = self.session.procedure
        for cid in clauses[:2]:
            if cid not in proc.ids or cy > y + hh - 40:
                continue
            line = f"{cid}  {proc.clause(cid).text(self.lang)}"
            cy += (
                g.paragraph(
                    line,
                    (x + 14, cy, w - 28, min(40, y + hh - 30 - cy)),
                    12,
                    Theme.muted,
                    min_size=11,
                )
                + 4
            )
        g.text(self.dt("desk.hint_keys"), (x + 14, y + hh - 22), 11, Theme.faint)
        self.targets.add((x, y, w, hh), "ui:close")

    def _paused(self, g: Gfx) -> None:
        g.rect((0, 48, 1280, 672), (236, 240, 238, 235))
        x, y, w, h = 440, 250, 400, 190
        panel(g, (x, y, w, h), fill=Theme.white)
        g.rect((x + w / 2 - 30, y + 26, 20, 44), Theme.teal, radius=4)
        g.rect((x + w / 2 + 10, y + 26, 20, 44), Theme.teal, radius=4)
        g.text(
            self.dt("desk.paused"), (x + w / 2, y + 94), 22, Theme.ink, bold=True, anchor="center"
        )
        g.paragraph(
            self.dt("desk.paused_hint"),
            (x + 30, y + 118, w - 60, 24),
            13,
            Theme.muted,
            align="center",
        )
        button(
            g,
            self.targets,
            (x + w / 2 - 80, y + h - 44, 160, 34),
            self.dt("desk.resume"),
            "ui:pause",
            key="space",
            lang=self.lang,
            hover=self.hover,
        )

    def _confirm(self, g: Gfx) -> None:
        g.rect((0, 0, 1280, 720), (20, 30, 34, 110))
        x, y, w, h = 430, 250, 420, 200
        panel(g, (x, y, w, h), fill=Theme.white)
        g.text(
            self.dt("desk.finish_confirm"),
            (x + w / 2, y + 40),
            19,
            Theme.ink,
            bold=True,
            anchor="center",
            max_width=w - 40,
        )
        g.paragraph(
            self.dt("desk.finish_note"),
            (x + 30, y + 74, w - 60, 44),
            14,
            Theme.muted,
            align="center",
        )
        button(
            g,
            self.targets,
            (x + 30, y + h - 60, 170, 40),
            self.dt("desk.no"),
            "ui:finish_no",
            key="escape",
            lang=self.lang,
            style="secondary",
            hover=self.hover,
        )
        button(
            g,
            self.targets,
            (x + w - 200, y + h - 60, 170, 40),
            self.dt("desk.yes"),
            "ui:finish_yes",
            key="return",
            lang=self.lang,
            style="danger",
            hover=self.hover,
        )

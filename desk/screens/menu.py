"""The scenario menu: title, briefing, difficulty, the trainee's last result, and where they
stand on their learning path (the next step is chosen when the menu opens)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pygame

from desk.gfx import Gfx
from desk.i18n import tr
from desk.screens.base import Screen
from desk.widgets import Theme, button, panel

if TYPE_CHECKING:
    from desk.navigation import Navigator

__all__ = ["ScenarioMenu"]

_PER_PAGE = 7  # rows of the list in view


class ScenarioMenu(Screen):
    name = "menu"

    def __init__(self, app: Navigator, selected: str | None = None) -> None:
        super().__init__(app)
        self.standing = self.app.path_status()
        self.order = self.app.menu_order(self.standing)
        ids = self.order
        nxt = self.standing.next_step if self.standing is not None else None
        if selected is None and nxt is not None and nxt.step.scenario in ids:
            selected = nxt.step.scenario
        self.index = ids.index(selected) if selected in ids else 0
        self.top = max(0, self.index - _PER_PAGE + 1)  # the first row in view
        self.done: set[str] = {
            str(s.step.scenario) for s in (self.standing.steps if self.standing else ()) if s.done
        }

    @property
    def ids(self) -> list[str]:
        return self.order

    def _choose(self, index: int) -> None:
        self.index = min(max(0, index), len(self.ids) - 1)
        # the chosen one stays in view
        self.top = min(self.top, self.index)
        self.top = max(self.top, self.index - _PER_PAGE + 1)

    def wheel(self, dy: int) -> None:
        """The wheel scrolls the list; the chosen scenario stays chosen."""
        self.top = min(max(0, self.top - dy), max(0, len(self.ids) - _PER_PAGE))

    def key(self, name: str, event: pygame.event.Event) -> None:
        if name == "up":
            self._choose(self.index - 1)
        elif name == "down":
            self._choose(self.index + 1)
        elif name == "page up":
            self._choose(self.index - _PER_PAGE)
        elif name == "page down":
            self._choose(self.index + _PER_PAGE)
        elif name in ("return", "enter"):
            self.command("ui:start")
        elif name == "escape":
            self.command("ui:back")

    def command(self, cmd: str) -> None:
        kind, _, arg = cmd.partition(":")
        if kind == "pick":
            self._choose(self.ids.index(arg))
        elif cmd == "ui:start" and self.ids:
            self.app.start(self.ids[self.index])
        elif cmd == "ui:back":
            self.app.show_signin()

    def draw(self, g: Gfx) -> None:
        super().draw(g)
        lang = self.lang
        g.rect((0, 0, 1280, 64), Theme.teal)
        g.text(
            self.t("menu.heading"),
            (40, 32),
            22,
            Theme.white,
            bold=True,
            anchor="midleft",
            max_width=600,
        )
        mode = self.t(f"mode.{self.app.mode}")
        person = self.standing.person if self.standing is not None else None
        name = person.name if person is not None else self.app.trainee or ""
        g.text(
            self.t("menu.trainee", name=name, mode=mode),
            (1240, 32),
            15,
            Theme.white,
            anchor="midright",
            max_width=560,
        )
        ids = self.ids
        if not ids:
            g.text(self.t("menu.none"), (640, 360), 18, Theme.muted, anchor="center")
            return
        # the list (scrolled so that the chosen one is in view)
        per_page = _PER_PAGE
        first = self.top
        for i, sid in enumerate(ids[first : first + per_page], start=first):
            meta = self.app.scenarios[sid].scenario.scenario
            row = i - first
            rect = (40, 96 + row * 80, 400, 72)
            chosen = i == self.index
            g.rect(
                rect,
                Theme.blue_soft if chosen else Theme.panel,
                radius=8,
                border=2 if chosen else 1,
                border_color=Theme.blue if chosen else Theme.panel_edge,
            )
            g.label(
                meta.title.get(lang),
                (58, 102 + row * 80, 366, 32),
                18,
                Theme.ink,
                bold=True,
                align="left",
                min_size=14,
            )
            stars = "★" * meta.difficulty + "☆" * (5 - meta.difficulty)
            sub = f"{tr('kind.' + meta.kind, lang)} · {stars}"
            nxt = self.standing.next_step if self.standing is not None else None
            if sid in self.done:
                sub += " · " + self.t("menu.step_done")
            elif nxt is not None and nxt.step.scenario == sid:
                sub += " · " + self.t("menu.step_next")
            g.text(sub, (58, 136 + row * 80), 14, Theme.muted, max_width=366)
            self.targets.add(rect, f"pick:{sid}")
        if len(ids) > per_page:
            # where the view is in the list: a bar beside it, and the chosen one's place
            track = (446, 96, 6, per_page * 80 - 8)
            g.rect(track, Theme.panel_edge, radius=3)
            span = track[3] * per_page / len(ids)
            at = track[1] + (track[3] - span) * first / max(1, len(ids) - per_page)
            g.rect((track[0], at, track[2], span), Theme.blue, radius=3)
            g.text(f"{self.index + 1} / {len(ids)}", (240, 664), 14, Theme.muted, anchor="center")
        # the detail
        sid = ids[self.index]
        loaded = self.app.scenarios[sid]
        meta = loaded.scenario.scenario
        x, y, w, h = 470, 96, 770, 560
        panel(g, (x, y, w, h))
        g.text(meta.title.get(lang), (x + 30, y + 26), 26, Theme.ink, bold=True, max_width=w - 60)
        facts = [
            f"{tr('kind.' + meta.kind, lang)}",
            f"{self.t('menu.difficulty')} {'★' * meta.difficulty}{'☆' * (5 - meta.difficulty)}",
            self.t("menu.time_limit", minutes=f"{meta.time_limit / 60:g}"),
            self.t("menu.pass_mark", mark=f"{meta.pass_mark:g}"),
        ]
        fx: float = x + 30
        for f in facts:
            fw = g.width(f, 14) + 20
            g.rect((fx, y + 72, fw, 26), Theme.teal_soft, radius=13)
            g.text(f, (fx + fw / 2, y + 85), 14, Theme.teal_dark, anchor="center")
            fx += fw + 8
        g.text(self.t("menu.briefing"), (x + 30, y + 122), 14, Theme.muted)
        briefing = self.app.briefing(sid)
        g.paragraph(
            briefing, (x + 30, y + 148, w - 60, 196), 17, Theme.ink, spacing=1.45, min_size=14
        )
        # last result
        g.line((x + 30, y + 356), (x + w - 30, y + 356), Theme.panel_edge, 1)
        g.text(self.t("menu.last"), (x + 30, y + 372), 14, Theme.muted)
        last = self.app.last_result(sid)
        if last is None:
            g.text(self.t("menu.last_none"), (x + 30, y + 398), 17, Theme.muted, max_width=w - 60)
        else:
            score, passed, mode = last
            verdict = tr("report.passed" if passed else "report.failed", lang)
            g.text(
                self.t(
                    "menu.last_line",
                    score=f"{score:g}",
                    verdict=verdict,
                    mode=self.t(f"mode.{mode}"),
                ),
                (x + 30, y + 398),
                17,
                Theme.green if passed else Theme.red,
                max_width=w - 60,
            )
        self._draw_path(g, x + 30, y + 436, w - 60)
        button(
            g,
            self.targets,
            (x + w - 250, y + h - 70, 220, 46),
            self.t("menu.start"),
            "ui:start",
            key="return",
            lang=lang,
            hover=self.hover,
            size=17,
        )
        button(
            g,
            self.targets,
            (x + 30, y + h - 70, 180, 46),
            self.t("menu.back"),
            "ui:back",
            key="escape",
            lang=lang,
            style="secondary",
            hover=self.hover,
            size=15,
        )
        g.text(self.t("menu.keys"), (640, 690), 14, Theme.muted, anchor="center", max_width=900)

    def _draw_path(self, g: Gfx, x: float, y: float, w: float) -> None:
        """The learning path: its title, steps done, a bar, and the next step."""
        st = self.standing
        if st is None or st.path is None:
            return
        lang = self.lang
        g.line((x, y - 8), (x + w, y - 8), Theme.panel_edge, 1)
        total = len(st.steps)
        g.text(
            self.t("menu.path", title=st.path.path.title.get(lang), done=st.done, total=total),
            (x, y + 10),
            14,
            Theme.muted,
            max_width=w - 210,
        )
        bar_x, bar_w = x + w - 200, 200
        g.rect((bar_x, y + 3, bar_w, 14), Theme.panel_edge, radius=7)
        if st.done:
            g.rect((bar_x, y + 3, max(14, bar_w * st.share), 14), Theme.teal, radius=7)
        nxt = st.next_step
        if nxt is None:
            line, colour = self.t("menu.path_complete"), Theme.green
        elif nxt.step.drill is not None:
            from sim.drill import load_drill
            from sim.errors import InputError

            try:
                title = load_drill(nxt.step.drill).drill.drill.title.get(lang)
            except InputError:
                title = nxt.step.drill
            line, colour = self.t("menu.next_drill", title=title), Theme.ink
        else:
            sid = str(nxt.step.scenario)
            loaded = self.app.scenarios.get(sid)
            title = loaded.scenario.scenario.title.get(lang) if loaded else sid
            mark = nxt.step.pass_mark if nxt.step.pass_mark is not None else 80.0
            line, colour = self.t("menu.next_step", title=title, mark=f"{mark:g}"), Theme.ink
        g.text(line, (x, y + 34), 16, colour, bold=True, max_width=w)

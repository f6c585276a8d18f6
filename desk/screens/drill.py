"""A certification drill on the desk: the briefing, a pause between scenarios (no score shown
until the end, so one result does not unsettle the next), and the signed verdict with the
certificate code.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pygame

from desk.gfx import Gfx
from desk.i18n import tr
from desk.screens.base import Screen
from desk.widgets import Theme, button, panel

if TYPE_CHECKING:
    from desk.drill_flow import DrillRun
    from desk.navigation import Navigator

__all__ = ["DrillScreen"]

CARD = (190.0, 96.0, 900.0, 590.0)


class DrillScreen(Screen):
    name = "drill"

    def __init__(self, app: Navigator, run: DrillRun) -> None:
        super().__init__(app)
        self.run = run

    def key(self, name: str, event: pygame.event.Event) -> None:
        if name in ("return", "enter", "space") and not self.run.finished:
            self.command("ui:next")
        elif name in ("escape", "q") and self.run.finished:
            self.command("ui:quit")

    def command(self, cmd: str) -> None:
        if cmd == "ui:next" and not self.run.finished:
            self.run.start_next()
        elif cmd == "ui:quit":
            self.app.quit()

    def draw(self, g: Gfx) -> None:
        super().draw(g)
        run, lang = self.run, self.lang
        meta = run.drill.drill.drill
        g.rect((0, 0, 1280, 64), Theme.teal)
        g.label(meta.title.get(lang), (24, 8, 820, 48), 21, Theme.white, bold=True,
                align="left", min_size=14)  # fmt: skip
        g.text(
            self.t("drill.who", name=run.attempt.trainee, n=run.attempt.number,
                   allowed=meta.attempts),
            (1256, 32), 14, (214, 238, 234), anchor="midright", max_width=400,
        )  # fmt: skip
        panel(g, CARD, fill=Theme.white)
        if run.finished:
            self._verdict(g)
        else:
            self._between(g)

    def _between(self, g: Gfx) -> None:
        run = self.run
        x, y, w, h = CARD
        meta = run.drill.drill.drill
        if run.index == 0:
            g.text(self.t("drill.briefing"), (x + 36, y + 30), 15, Theme.muted)
            g.paragraph(meta.briefing.get(self.lang), (x + 36, y + 60, w - 72, 150), 17,
                        Theme.ink, spacing=1.5, min_size=14)  # fmt: skip
            g.paragraph(self.t("drill.rules"), (x + 36, y + 220, w - 72, 70), 14, Theme.amber_ink,
                        spacing=1.4)  # fmt: skip
        else:
            g.text(self.t("drill.done_so_far", done=run.index, total=run.total),
                   (x + 36, y + 40), 20, Theme.teal_dark, bold=True)  # fmt: skip
            g.paragraph(self.t("drill.no_scores_yet"), (x + 36, y + 80, w - 72, 60), 15,
                        Theme.muted)  # fmt: skip
        # the list of scenarios with the next one marked
        ly = y + 310
        for i, spec in enumerate(run.specs):
            title = run.scenarios[spec.id].scenario.scenario.title.get(self.lang)
            state = "done" if i < run.index else "next" if i == run.index else "later"
            colour = {"done": Theme.muted, "next": Theme.teal_dark, "later": Theme.ink}[state]
            mark = {"done": "✓", "next": "▶", "later": f"{i + 1}"}[state]
            g.circle((x + 50, ly + 11), 11, Theme.teal_soft if state != "next" else Theme.teal)
            g.text(mark, (x + 50, ly + 11), 14, Theme.white if state == "next" else colour,
                   anchor="center", bold=True)  # fmt: skip
            g.text(title, (x + 72, ly), 16, colour, bold=state == "next", max_width=w - 120)
            ly += 34
        label = self.t("drill.start" if run.index == 0 else "drill.next")
        button(g, self.targets, (x + w - 236, y + h - 64, 200, 42), label, "ui:next",
               key="return", lang=self.lang, hover=self.hover, size=16)  # fmt: skip

    def _verdict(self, g: Gfx) -> None:
        run, lang = self.run, self.lang
        summary: dict[str, Any] = run.summary or {}
        x, y, w, h = CARD
        passed = bool(summary.get("passed"))
        verdict = tr("report.passed" if passed else "report.failed", lang)
        g.text(self.t("drill.result"), (x + 36, y + 28), 15, Theme.muted)
        vw = g.width(verdict, 22, True) + 36
        g.rect((x + 36, y + 54, vw, 44), Theme.green if passed else Theme.red, radius=10)
        g.text(verdict, (x + 36 + vw / 2, y + 76), 22, Theme.white, bold=True, anchor="center")
        g.text(self.t("drill.average", average=f"{summary.get('average', 0):g}"),
               (x + 56 + vw, y + 76), 18, Theme.ink, anchor="midleft")  # fmt: skip
        # each scenario
        ty = y + 124
        cols = (x + 36, x + 470, x + 570, x + 680)
        for col, head in zip(cols, ("scenario", "score", "pass_mark", "verdict"), strict=True):
            g.text(self.t(f"drill.col_{head}"), (col, ty), 14, Theme.muted)
        ty += 24
        for item in summary.get("items", []):
            loaded = run.scenarios[item["scenario"]]
            title = loaded.scenario.scenario.title.get(lang)
            g.line((x + 36, ty - 4), (x + w - 36, ty - 4), Theme.panel_edge, 1)
            g.text(title, (cols[0], ty + 4), 15, Theme.ink, max_width=420)
            score = "—" if item.get("score") is None else f"{item['score']:g}"
            g.text(score, (cols[1], ty + 4), 15, Theme.ink, bold=True)
            g.text(f"{item.get('pass_mark', 0):g}", (cols[2], ty + 4), 15, Theme.muted)
            ok = bool(item.get("passed"))
            crit = item.get("critical_failures") or []
            text = tr("report.passed" if ok else "report.failed", lang)
            if crit:
                text += " · " + self.t("drill.critical", clauses="、".join(crit))
            g.text(text, (cols[3], ty + 4), 14, Theme.green if ok else Theme.red,
                   max_width=x + w - 36 - cols[3])  # fmt: skip
            ty += 34
        # the certificate code, or why there is none
        ty += 12
        code = summary.get("code")
        if code:
            g.rect((x + 36, ty, w - 72, 104), Theme.teal_soft, radius=10)
            g.text(self.t("drill.code"), (x + 56, ty + 14), 14, Theme.teal_dark)
            g.text(code, (x + 56, ty + 36), 26, Theme.teal_dark, bold=True)
            g.paragraph(self.t("drill.code_how", code=code), (x + 56, ty + 74, w - 112, 22), 12,
                        Theme.muted, min_size=14)  # fmt: skip
        elif not summary.get("signed"):
            g.paragraph(self.t("drill.unsigned"), (x + 36, ty, w - 72, 60), 14, Theme.amber_ink)
        else:
            g.paragraph(self.t("drill.no_certificate"), (x + 36, ty, w - 72, 60), 14,
                        Theme.muted)  # fmt: skip
        button(g, self.targets, (x + w - 196, y + h - 60, 160, 40), self.t("drill.quit"),
               "ui:quit", key="escape", lang=self.lang, style="secondary",
               hover=self.hover)  # fmt: skip

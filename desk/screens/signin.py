"""Sign-in: the trainee's name or staff number, training or exam, Chinese or English."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pygame

from desk.gfx import Gfx
from desk.screens.base import Screen
from desk.widgets import Theme, button, panel

if TYPE_CHECKING:
    from desk.navigation import Navigator

__all__ = ["SignIn"]


class SignIn(Screen):
    name = "signin"
    press_keys = ("return", "enter")  # Space types into the name (Tab, Enter: the mode)

    def __init__(self, app: Navigator) -> None:
        super().__init__(app)
        self.name_text = self.app.trainee or ""
        self.composing = ""
        self.error = ""

    def enter(self) -> None:
        pygame.key.start_text_input()

    def leave(self) -> None:
        pygame.key.stop_text_input()

    def text_event(self, event: pygame.event.Event) -> None:
        if event.type == pygame.TEXTINPUT:
            if len(self.name_text) < 24 and event.text.isprintable():
                self.name_text += event.text
                self.error = ""
            self.composing = ""
        else:
            self.composing = event.text

    def key(self, name: str, event: pygame.event.Event) -> None:
        if name == "backspace":
            self.name_text = self.name_text[:-1]
        elif name in ("return", "enter"):
            self.command("ui:enter")
        elif name == "f2":
            self.command("lang:en" if self.lang == "zh" else "lang:zh")
        elif name == "f3":
            self.command("text:normal" if self.app.text_size == "large" else "text:large")
        elif name == "escape":
            self.app.quit()

    def command(self, cmd: str) -> None:
        kind, _, arg = cmd.partition(":")
        if kind == "mode":
            self.app.mode = arg
        elif kind == "lang":
            self.app.set_lang(arg)
        elif kind == "text":
            self.app.set_text_size(arg)
        elif cmd == "ui:enter":
            name = self.name_text.strip()
            if not name:
                self.error = self.t("signin.need_name")
                return
            self.app.trainee = self.app.resolve_trainee(name)  # a registered name: the staff id
            self.app.show_menu()

    def draw(self, g: Gfx) -> None:
        super().draw(g)
        _backdrop(g)
        g.text(
            self.t("app.title"),
            (640, 92),
            30,
            Theme.teal_dark,
            bold=True,
            anchor="center",
            max_width=1100,
        )
        g.text(self.t("app.subtitle"), (640, 134), 16, Theme.muted, anchor="center", max_width=1100)
        x, y, w, h = 390, 176, 500, 470
        panel(g, (x, y, w, h))
        g.text(
            self.t("signin.heading"), (x + 32, y + 24), 22, Theme.ink, bold=True, max_width=w - 64
        )
        # name
        g.text(self.t("signin.trainee"), (x + 32, y + 74), 14, Theme.muted, max_width=w - 64)
        box = (x + 32, y + 98, w - 64, 44)
        g.rect(box, Theme.white, radius=6, border=2, border_color=Theme.teal)
        shown = self.name_text + self.composing
        if shown:
            g.text(shown, (x + 46, y + 120), 18, Theme.ink, anchor="midleft", max_width=w - 100)
            cx = x + 46 + min(g.width(shown, 18), w - 100) + 2
        else:
            g.text(
                self.t("signin.placeholder"),
                (x + 46, y + 120),
                16,
                Theme.muted,
                anchor="midleft",
                max_width=w - 100,
            )
            cx = x + 46
        g.line((cx, y + 108), (cx, y + 132), Theme.teal, 2)
        if self.error:
            g.text(self.error, (x + 32, y + 150), 14, Theme.red, max_width=w - 64)
        # mode
        g.text(self.t("signin.mode"), (x + 32, y + 176), 14, Theme.muted, max_width=w - 64)
        for i, mode in enumerate(("training", "exam")):
            bx = x + 32 + i * ((w - 64) / 2 + 4)
            bw = (w - 64) / 2 - 4
            chosen = self.app.mode == mode
            rect = (bx, y + 200, bw, 88)
            g.rect(
                rect,
                Theme.blue_soft if chosen else Theme.white,
                radius=8,
                border=2 if chosen else 1,
                border_color=Theme.blue if chosen else Theme.panel_edge,
            )
            g.circle(
                (bx + 20, y + 222), 7, Theme.blue if chosen else Theme.faint, 0 if chosen else 2
            )
            g.text(
                self.t(f"signin.{mode}"),
                (bx + 36, y + 222),
                16,
                Theme.ink,
                bold=chosen,
                anchor="midleft",
                max_width=bw - 44,
            )
            g.paragraph(
                self.t(f"signin.{mode}_desc"),
                (bx + 14, y + 240, bw - 24, 44),
                14,
                Theme.muted,
                min_size=14,
            )
            self.targets.add(rect, f"mode:{mode}")
        # language
        g.text(self.t("signin.language"), (x + 32, y + 306), 14, Theme.muted, max_width=220)
        for i, (code, label) in enumerate((("zh", "中文"), ("en", "English"))):
            rect = (x + 32 + i * 112, y + 330, 104, 36)
            button(
                g,
                self.targets,
                rect,
                label,
                f"lang:{code}",
                lang=self.lang,
                style="chosen" if self.lang == code else "secondary",
                hover=self.hover,
                size=15,
            )
        # text size, beside the language: large draws the desk a quarter larger
        g.text(self.t("signin.text_size"), (x + 264, y + 306), 14, Theme.muted, max_width=200)
        for i, size in enumerate(("normal", "large")):
            button(
                g,
                self.targets,
                (x + 264 + i * 100, y + 330, 96, 36),
                self.t(f"signin.text_{size}"),
                f"text:{size}",
                lang=self.lang,
                style="chosen" if self.app.text_size == size else "secondary",
                hover=self.hover,
                size=15 if size == "normal" else 18,
            )
        button(
            g,
            self.targets,
            (x + 32, y + 392, w - 64, 46),
            self.t("signin.enter"),
            "ui:enter",
            key="return",
            lang=self.lang,
            hover=self.hover,
            size=17,
        )
        g.text(
            self.t("signin.keys"),
            (640, y + h + 22),
            14,
            Theme.muted,
            anchor="center",
            max_width=900,
        )


def _backdrop(g: Gfx) -> None:
    """A quiet backdrop: a band of pylons and lines across the bottom."""
    g.rect((0, 560, 1280, 160), (222, 231, 228))
    for i, x in enumerate(range(60, 1280, 260)):
        base = 700
        g.poly(
            [(x - 26, base), (x - 6, base - 120), (x + 6, base - 120), (x + 26, base)],
            (205, 216, 213),
            2,
        )
        g.line((x - 30, base - 96), (x + 30, base - 96), (205, 216, 213), 2)
        g.line((x - 22, base - 72), (x + 22, base - 72), (205, 216, 213), 2)
        if i:
            g.arc((x - 260, base - 130, 260, 60), (205, 216, 213), 3.3, 6.1, 1)

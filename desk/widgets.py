"""The desk's few widgets, immediate-mode: each frame draws them and records where they are.

A ``Target`` is a clickable rectangle (logical coordinates) with a command string such as
``act:log_in``, ``reply:greet_ok`` or ``menu:printer``; clicks and keys both end up as
commands, and tests find a control's position by its command.
"""

from __future__ import annotations

from dataclasses import dataclass

import pygame

from desk.gfx import MIN_TEXT, Color, Gfx, RectLike

__all__ = ["Theme", "Target", "Targets", "button", "key_badge", "key_label", "panel", "two_lines"]


class Theme:
    bg: Color = (232, 237, 235)
    wall: Color = (221, 228, 226)
    panel: Color = (250, 251, 250)
    panel_edge: Color = (203, 213, 211)
    shadow: Color = (0, 0, 0, 26)
    ink: Color = (36, 48, 54)
    # text colours reach WCAG AA (4.5:1) on every fill they are drawn on (a test measures it)
    muted: Color = (84, 96, 102)  # secondary text
    faint: Color = (160, 171, 175)  # lines, ticks, key cap edges: never text
    teal: Color = (0, 108, 102)
    teal_dark: Color = (0, 88, 84)
    teal_soft: Color = (212, 235, 231)
    blue: Color = (38, 92, 146)
    blue_soft: Color = (222, 233, 244)
    amber: Color = (205, 132, 24)  # fills, rings, lamps
    amber_ink: Color = (140, 82, 0)  # amber text, and fills that carry white text
    amber_soft: Color = (252, 239, 214)
    red: Color = (180, 40, 38)
    red_soft: Color = (250, 225, 222)
    green: Color = (22, 112, 60)
    green_soft: Color = (222, 242, 229)
    white: Color = (255, 255, 255)
    focus: Color = (16, 64, 160)  # the keyboard focus ring
    disabled: Color = (226, 230, 230)
    disabled_ink: Color = (88, 98, 102)


@dataclass(frozen=True)
class Target:
    rect: RectLike
    command: str

    def contains(self, x: float, y: float) -> bool:
        rx, ry, rw, rh = self.rect
        return rx <= x < rx + rw and ry <= y < ry + rh

    @property
    def center(self) -> tuple[float, float]:
        rx, ry, rw, rh = self.rect
        return rx + rw / 2, ry + rh / 2


class Targets(list[Target]):
    def add(self, rect: RectLike, command: str) -> None:
        self.append(Target(rect, command))

    def at(self, x: float, y: float) -> Target | None:
        for tgt in reversed(self):  # drawn last is on top
            if tgt.contains(x, y):
                return tgt
        return None

    def find(self, command: str) -> Target | None:
        for tgt in reversed(self):
            if tgt.command == command:
                return tgt
        return None


_KEY_NAMES = {
    "space": {"zh": "空格", "en": "Space"},
    "escape": {"zh": "Esc", "en": "Esc"},
    "return": {"zh": "回车", "en": "Enter"},
    "=": {"zh": "+", "en": "+"},
    "/": {"zh": "?", "en": "?"},
}


def key_label(key: str, lang: str) -> str:
    if key in _KEY_NAMES:
        return _KEY_NAMES[key][lang if lang in ("zh", "en") else "zh"]
    return key.upper()


BADGE_H = 20  # a key cap's height


def key_badge(g: Gfx, x: float, y: float, key: str, lang: str, dark: bool = False) -> float:
    """A small key cap; ``(x, y)`` is its top-right corner. Returns its width."""
    text = key_label(key, lang)
    w = max(20.0, g.width(text, 14) + 10)
    fill = (0, 0, 0, 60) if dark else (255, 255, 255)
    edge = (255, 255, 255) if dark else Theme.faint
    g.rect((x - w, y, w, BADGE_H), fill, radius=4, border=1, border_color=edge)
    g.text(
        text,
        (x - w / 2, y + BADGE_H / 2),
        14,
        Theme.white if dark else Theme.muted,
        anchor="center",
    )
    return w


def panel(g: Gfx, rect: RectLike, title: str | None = None, fill: Color = Theme.panel) -> None:
    x, y, w, h = rect
    g.rect((x + 1, y + 3, w, h), Theme.shadow, radius=10)
    g.rect(rect, fill, radius=10, border=1, border_color=Theme.panel_edge)
    if title:
        g.text(title, (x + 14, y + 10), 14, Theme.muted, bold=False, max_width=w - 28)


def button(
    g: Gfx,
    targets: Targets,
    rect: RectLike,
    label: str,
    command: str,
    *,
    key: str | None = None,
    lang: str = "zh",
    style: str = "primary",
    enabled: bool = True,
    hover: tuple[float, float] | None = None,
    size: float = 14,
    align: str = "center",
    chevron: bool = False,
    wrap: bool = False,
) -> None:
    hovered = enabled and hover is not None and Target(rect, command).contains(*hover)
    # a button looks the same wherever it is drawn again at the same place: its picture is
    # kept (with what it shows and the window's scale in the key) and blitted
    look = ("button", tuple(rect), g.ox, g.oy, g.scale, label, key, lang, style, enabled,
            hovered, size, align, chevron, wrap)  # fmt: skip
    picture = g.kept(look)
    px = g.r(rect)
    # the picture starts at even pixels: Python rounds halves to even, so a shift by an even
    # number of pixels puts every point where drawing in place would
    at = (px.x - px.x % 2, px.y - px.y % 2)
    if picture is None:
        picture = pygame.Surface((px.right - at[0], px.bottom - at[1]), pygame.SRCALPHA)
        with g.offscreen(picture, at):
            _button_look(g, rect, label, key, lang, style, enabled, hovered, size, align,
                         chevron, wrap)  # fmt: skip
        g.keep(look, picture)
    g.blit(picture, at)
    if enabled:
        targets.add(rect, command)


def _button_look(
    g: Gfx,
    rect: RectLike,
    label: str,
    key: str | None,
    lang: str,
    style: str,
    enabled: bool,
    hovered: bool,
    size: float,
    align: str,
    chevron: bool,
    wrap: bool,
) -> None:
    x, y, w, h = rect
    fill, ink, edge = _button_fills()[style]
    if not enabled:
        fill, ink, edge = Theme.disabled, Theme.disabled_ink, Theme.disabled
    elif hovered:
        fill = (min(255, fill[0] + 18), min(255, fill[1] + 18), min(255, fill[2] + 18))
    g.rect(rect, fill, radius=7, border=1, border_color=edge)
    right = x + w - 6
    if key:
        dark = style in ("primary", "danger", "blue") and enabled
        right -= key_badge(g, right, y + (h - BADGE_H) / 2, key, lang, dark) + 4
    if chevron:
        cy = y + h / 2
        g.lines([(right - 9, cy - 5), (right - 4, cy), (right - 9, cy + 5)], ink, 2)
        right -= 14
    pad = 10 if align == "left" else 6
    box = (x + pad, y, right - x - pad - (0 if key else 4), h)
    if wrap and g.width(label, size) > box[2]:
        two_lines(g, label, box, size, ink)
    else:
        g.label(label, box, size, ink, align=align)


def _button_fills() -> dict[str, tuple[Color, Color, Color]]:
    """Each button style's fill, text and edge colours."""
    return {
        "primary": (Theme.teal, Theme.white, Theme.teal_dark),
        "secondary": (Theme.white, Theme.ink, Theme.panel_edge),
        "danger": (Theme.red, Theme.white, (150, 36, 32)),
        "soft": (Theme.teal_soft, Theme.teal_dark, (170, 214, 207)),
        "blue": (Theme.blue, Theme.white, (28, 70, 112)),
        "chosen": (Theme.blue_soft, Theme.blue, Theme.blue),
    }


def two_lines(g: Gfx, text: str, box: RectLike, size: float, ink: Color) -> None:
    """A long label on two centred lines, a little smaller if it must be."""
    x, y, w, h = box
    s = size
    lines = g.wrap(text, s, w)
    while (len(lines) > 2 or g.line_height(s) * 1.9 > h - 2) and s > MIN_TEXT:
        s -= 1
        lines = g.wrap(text, s, w)
    lines = g.fit_lines(text, s, w, 2)
    step = min(g.line_height(s) * 0.92, (h - 2) / 2)
    top = y + (h - step * len(lines)) / 2
    for i, ln in enumerate(lines):
        g.text(ln, (x + w / 2, top + i * step + step / 2), s, ink, anchor="center")


def wheel_or_keys(event: pygame.event.Event) -> int:
    """-1/+1 for scrolling up/down from the mouse wheel or the arrow keys, else 0."""
    if event.type == pygame.MOUSEWHEEL:
        return -1 if event.y > 0 else 1
    if event.type == pygame.KEYDOWN:
        if event.key in (pygame.K_UP, pygame.K_PAGEUP):
            return -1 if event.key == pygame.K_UP else -5
        if event.key in (pygame.K_DOWN, pygame.K_PAGEDOWN):
            return 1 if event.key == pygame.K_DOWN else 5
    return 0

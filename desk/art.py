"""The desk's pictures, drawn for the project with vector shapes: one flat, calm style.

Soft rounded shapes, muted colours, a single darker line weight; faults are shown by the
device itself (a crumpled sheet in the printer, a blinking lamp), not by alarm graphics.
"""

from __future__ import annotations

import math
import zlib

from desk.gfx import Color, Gfx, RectLike
from desk.widgets import Theme

__all__ = [
    "portrait",
    "printer",
    "phone",
    "scanner",
    "router",
    "lamp",
    "speaker",
    "counter_scene",
    "counter_top",
]

LINE: Color = (70, 78, 84)
SKINS: tuple[Color, ...] = ((241, 208, 178), (226, 188, 152), (205, 160, 124))
HAIRS: tuple[Color, ...] = ((46, 40, 38), (84, 62, 46), (150, 150, 152), (30, 30, 34))
SHIRTS: tuple[Color, ...] = ((92, 124, 160), (160, 96, 96), (96, 140, 112), (130, 112, 150))


def _pick(seed: str, options: tuple[Color, ...], salt: str) -> Color:
    return options[zlib.crc32((seed + salt).encode()) % len(options)]


def counter_scene(g: Gfx, rect: RectLike) -> None:
    """The wall behind the glass, and the counter top (static: drawn into the cached layer)."""
    x, y, w, h = rect
    g.rect(rect, (226, 233, 236), radius=10)
    # wall panels and a window frame behind the customer
    for i in range(4):
        g.rect(
            (x + 14 + i * (w - 28) / 4, y + 10, (w - 28) / 4 - 6, h * 0.5),
            (232, 238, 240),
            radius=4,
        )
    # glass partition with a speaking slot
    g.rect(
        (x + 8, y + 8, w - 16, h - 60),
        (214, 232, 240, 70),
        radius=6,
        border=1,
        border_color=(190, 208, 216),
    )


def counter_top(g: Gfx, rect: RectLike) -> None:
    """The wooden counter in front of the customer (drawn over the portrait)."""
    x, y, w, h = rect
    g.rect((x, y + h - 46, w, 46), (196, 160, 120), radius=0)
    g.rect((x, y + h - 52, w, 8), (214, 182, 144))
    g.line((x, y + h - 44), (x + w, y + h - 44), (176, 140, 102), 1)
    g.rect((x + w / 2 - 60, y + h - 60, 120, 8), (180, 200, 210), radius=3)


def portrait(
    g: Gfx, cx: float, top: float, seed: str, level: str, t: float, phone: bool = False
) -> None:
    """A customer from the shoulders up; the face shows ``level`` (calm, uneasy, angry)."""
    skin = _pick(seed, SKINS, "skin")
    hair = _pick(seed, HAIRS, "hair")
    shirt = _pick(seed, SHIRTS, "shirt")
    breathe = math.sin(t * 1.6) * 1.2 if level != "angry" else math.sin(t * 5) * 1.5
    hy = top + 44 + breathe  # head centre
    if level == "collapsed":  # slumped at the counter, head down
        hy = top + 84
    # shoulders
    g.rect((cx - 78, hy + 52, 156, 90), shirt, radius=40)
    g.poly([(cx - 16, hy + 52), (cx, hy + 74), (cx + 16, hy + 52)], (240, 240, 236))
    g.rect((cx - 14, hy + 34, 28, 22), skin, radius=6)
    # head and hair
    g.ellipse((cx - 40, hy - 46, 80, 94), skin)
    g.ellipse((cx - 47, hy - 8, 12, 22), skin)  # ears
    g.ellipse((cx + 35, hy - 8, 12, 22), skin)
    style = zlib.crc32(seed.encode()) % 3
    if style == 0:  # short, parted
        g.ellipse((cx - 43, hy - 54, 86, 46), hair)
        g.rect((cx - 42, hy - 32, 9, 22), hair, radius=4)
        g.rect((cx + 33, hy - 32, 9, 22), hair, radius=4)
    elif style == 1:  # cropped
        g.ellipse((cx - 42, hy - 52, 84, 40), hair)
        g.rect((cx - 41, hy - 34, 7, 16), hair, radius=3)
        g.rect((cx + 34, hy - 34, 7, 16), hair, radius=3)
    else:  # receding
        g.arc((cx - 42, hy - 50, 84, 70), hair, 0.15, math.pi - 0.15, 9)
    # brows, eyes, mouth by mood
    ey = hy - 4
    tilt = {"calm": 0, "uneasy": 3, "angry": -5}.get(level, 0)
    g.line((cx - 24, ey - 12 - tilt), (cx - 9, ey - 12 + tilt), LINE, 3)
    g.line((cx + 9, ey - 12 + tilt), (cx + 24, ey - 12 - tilt), LINE, 3)
    blink = (t % 4.0) < 0.12 or level == "collapsed"  # eyes closed when collapsed
    for dx in (-16, 16):
        if blink:
            g.line((cx + dx - 5, ey), (cx + dx + 5, ey), LINE, 2)
        else:
            g.circle((cx + dx, ey), 4, LINE)
    g.lines([(cx + 1, ey + 2), (cx - 3, ey + 14), (cx + 3, ey + 15)], (196, 150, 120), 2)  # nose
    my = hy + 25
    if level == "calm":
        g.arc((cx - 14, my - 12, 28, 18), LINE, math.pi * 1.1, math.pi * 1.9, 3)
        g.circle((cx - 27, hy + 12), 6, (240, 170, 160))
        g.circle((cx + 27, hy + 12), 6, (240, 170, 160))
    elif level == "collapsed":
        g.ellipse((cx - 5, my - 3, 10, 7), LINE)  # mouth slack
    elif level == "uneasy":
        g.lines([(cx - 11, my), (cx - 4, my - 2), (cx + 4, my + 1), (cx + 11, my - 1)], LINE, 3)
    else:
        g.arc((cx - 14, my - 2, 28, 18), LINE, math.pi * 0.15, math.pi * 0.85, 3)
        g.circle((cx - 27, hy + 12), 7, (232, 120, 110))
        g.circle((cx + 27, hy + 12), 7, (232, 120, 110))
    if phone:
        g.rect((cx + 30, hy - 8, 14, 40), (60, 66, 72), radius=5)


def printer(g: Gfx, rect: RectLike, state: str, t: float) -> None:
    x, y, w, h = rect
    g.rect((x + 10, y + 4, w - 20, 22), (200, 206, 208), radius=4)  # paper input
    g.rect(
        (x + 18, y - 6, w - 36, 14), Theme.white, radius=2, border=1, border_color=(210, 210, 210)
    )
    g.rect(
        (x, y + 20, w, h - 20), (214, 219, 222), radius=10, border=1, border_color=(170, 178, 182)
    )
    g.rect((x + 12, y + h - 30, w - 24, 8), (70, 78, 84), radius=3)  # output slot
    colour = {
        "ok": Theme.green,
        "printing": Theme.green,
        "jammed": Theme.red,
        "low_ink": Theme.amber,
        "offline": Theme.faint,
    }.get(state, Theme.faint)
    on = state in ("ok", "printing") or (t * 2.5) % 1.0 < 0.6
    lamp(g, (x + w - 18, y + 34), colour, on)
    g.rect((x + 14, y + 30, 40, 8), (190, 196, 198), radius=3)
    if state == "printing":
        out = 6 + (t * 22) % 26
        g.rect(
            (x + 22, y + h - 26, w - 44, out),
            Theme.white,
            radius=2,
            border=1,
            border_color=(200, 200, 200),
        )
        for i in range(3):
            g.line(
                (x + 30, y + h - 18 + i * 6), (x + w - 40, y + h - 18 + i * 6), (150, 156, 160), 1
            )
    elif state == "jammed":
        pts = [
            (x + 24, y + h - 26),
            (x + 34, y + h - 10),
            (x + 46, y + h - 22),
            (x + 58, y + h - 6),
            (x + 72, y + h - 20),
            (x + 84, y + h - 8),
            (x + w - 26, y + h - 24),
        ]
        g.poly([*pts, (x + w - 26, y + h - 28), (x + 24, y + h - 28)], Theme.white)
        g.lines(pts, (170, 170, 170), 1)
    elif state == "low_ink":
        g.rect(
            (x + 22, y + h - 26, w - 44, 18),
            Theme.white,
            radius=2,
            border=1,
            border_color=(200, 200, 200),
        )
        for i in range(2):
            g.line(
                (x + 30, y + h - 20 + i * 6), (x + w - 40, y + h - 20 + i * 6), (222, 224, 226), 1
            )


def phone(g: Gfx, rect: RectLike, state: str, t: float) -> None:
    x, y, w, h = rect
    g.rect((x, y + 18, w, h - 18), (64, 72, 80), radius=12)
    for i in range(3):
        for j in range(3):
            g.rect((x + w / 2 - 21 + j * 15, y + 40 + i * 11, 11, 7), (150, 160, 168), radius=2)
    shake = math.sin(t * 40) * 3 if state == "ringing" else 0.0
    lift = -10 if state == "in_call" else 0
    g.rect((x - 4 + shake, y + 4 + lift, w + 8, 18), (84, 94, 104), radius=9)
    g.rect((x - 6 + shake, y + 0 + lift, 22, 24), (84, 94, 104), radius=8)
    g.rect((x + w - 16 + shake, y + 0 + lift, 22, 24), (84, 94, 104), radius=8)
    if state == "ringing":
        phase = (t * 2) % 1.0
        for k in range(2):
            r = 8 + (phase + k * 0.5) % 1.0 * 18
            g.arc((x + w + 2 - r, y + 10 - r, 2 * r, 2 * r), Theme.amber, -0.8, 0.8, 2)
            g.arc(
                (x - 2 - r, y + 10 - r, 2 * r, 2 * r), Theme.amber, math.pi - 0.8, math.pi + 0.8, 2
            )
    lamp(
        g,
        (x + w - 12, y + h - 10),
        Theme.amber if state == "ringing" else Theme.green,
        state != "ringing" or (t * 3) % 1 < 0.5,
        4,
    )


def scanner(g: Gfx, rect: RectLike) -> None:
    x, y, w, h = rect
    g.rect(
        (x, y + 10, w, h - 10), (208, 214, 218), radius=8, border=1, border_color=(170, 178, 182)
    )
    g.rect((x + 2, y, w - 4, 16), (186, 194, 198), radius=6)
    g.rect((x + 10, y + 22, w - 20, h - 34), (150, 184, 200), radius=3)
    g.line((x + 12, y + 30), (x + w - 12, y + 30), (196, 224, 236), 2)
    lamp(g, (x + w - 12, y + h - 8), Theme.green, True, 3)


def router(g: Gfx, rect: RectLike, state: str, t: float) -> None:
    x, y, w, h = rect
    g.line((x + 14, y + 14), (x + 8, y), LINE, 3)
    g.line((x + w - 14, y + 14), (x + w - 8, y), LINE, 3)
    g.rect(
        (x, y + 12, w, h - 12), (228, 232, 234), radius=8, border=1, border_color=(170, 178, 182)
    )
    for i in range(4):
        ok = state == "up" or (state == "flaky" and i % 2 == 0)
        blink = ok and (t * (3 + i)) % 1 < 0.7
        lamp(g, (x + 14 + i * 12, y + h - 12), Theme.green if ok else Theme.red, blink or not ok, 3)


def lamp(g: Gfx, center: tuple[float, float], colour: Color, on: bool, r: float = 5) -> None:
    if on:
        g.circle(center, r + 3, (*colour[:3], 60))
        g.circle(center, r, colour)
    else:
        g.circle(center, r, (200, 205, 207))


def speaker(g: Gfx, x: float, y: float, muted: bool, colour: Color) -> None:
    """A loudspeaker icon, 22×18, top-left at (x, y)."""
    g.poly(
        [
            (x, y + 6),
            (x + 5, y + 6),
            (x + 11, y + 1),
            (x + 11, y + 17),
            (x + 5, y + 12),
            (x, y + 12),
        ],
        colour,
    )
    if muted:
        g.line((x + 14, y + 5), (x + 21, y + 13), colour, 2)
        g.line((x + 21, y + 5), (x + 14, y + 13), colour, 2)
    else:
        g.arc((x + 8, y + 4, 10, 10), colour, -1.0, 1.0, 2)
        g.arc((x + 8, y + 0, 16, 18), colour, -1.0, 1.0, 2)

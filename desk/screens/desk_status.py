"""The desk's top bar (the scenario, the clocks, pause, hint, speed, finish), the notification
log under the monitor, and the bar that shows an action taking its time."""

from __future__ import annotations

from typing import TYPE_CHECKING

from desk import art
from desk.gfx import Gfx
from desk.screens.desk_layout import LOG
from desk.widgets import Theme, button, key_label, two_lines
from sim.i18n import clock as mmss
from sim.observation import Observation

if TYPE_CHECKING:
    from desk.screens.desk_view import DeskView

__all__ = ["top_bar", "log", "busy_bar", "records_bar"]


def top_bar(v: DeskView, g: Gfx, obs: Observation) -> None:
    s = v.session
    lang = v.lang
    # the hall over the window, like the sign above a counter: the title gets the room
    hall = v.dt("app.hall")
    window = v.dt("app.window", n=s.loaded.scenario.scenario.window)
    g.text(hall, (16, 15), 14, Theme.white, anchor="midleft", max_width=180)
    g.text(window, (16, 34), 14, Theme.white, anchor="midleft", max_width=180)
    title = s.loaded.scenario.scenario.title.get(lang)
    mode = v.dt(f"mode.{s.mode}")
    mw = g.width(mode, 14) + 16
    brief = v.dt("desk.briefing_chip")
    bw = g.width(brief, 14) + 16
    # the scenario's title starts where the hall's name ends (English leaves more room)
    tx = 16 + min(180, max(g.width(hall, 14), g.width(window, 14))) + 18
    room = 548 - tx - mw - 8 - bw - 6
    size = 16.0
    while size > 14 and g.width(title, size, True) > room:
        size -= 1
    if g.width(title, size, True) > room:
        lines = g.fit_lines(title, 14, room, 2, True)
        for i, ln in enumerate(lines):
            g.text(
                ln,
                (tx, 24 + (i - (len(lines) - 1) / 2) * 18),
                14,
                Theme.white,
                bold=True,
                anchor="midleft",
            )
        tw = max(g.width(ln, 14, True) for ln in lines)
    else:
        g.text(title, (tx, 24), size, Theme.white, bold=True, anchor="midleft")
        tw = g.width(title, size, True)
    g.rect(
        (tx + tw + 8, 14, mw, 20),
        Theme.amber_ink if s.mode == "exam" else Theme.teal_dark,
        radius=10,
    )
    g.text(mode, (tx + tw + 8 + mw / 2, 24), 14, Theme.white, anchor="center")
    # the briefing, to read again at any time (F10)
    bx = tx + tw + 8 + mw + 6
    g.rect((bx, 14, bw, 20), Theme.teal_soft, radius=10)
    g.text(brief, (bx + bw / 2, 24), 14, Theme.teal_dark, anchor="center")
    v.targets.add((tx - 4, 8, bx + bw - tx + 8, 32), "ui:briefing")
    # the clocks
    day = s.loaded.scenario.scenario.opening + int(obs.t)  # the scenario's time of day
    g.text(v.dt("desk.sim_clock"), (560, 8), 14, (225, 242, 239))
    g.text(
        f"{day // 3600:02d}:{day % 3600 // 60:02d}:{day % 60:02d}",
        (560, 21),
        19,
        Theme.white,
        bold=True,
    )
    g.text(v.dt("desk.elapsed"), (668, 8), 14, (225, 242, 239))
    g.text(f"{mmss(obs.t)} / {mmss(obs.time_limit)}", (668, 22), 16, Theme.white)
    # the buttons, right to left
    x: float = 1268

    def add(w: float, label: str, cmd: str, key: str | None, style: str = "soft") -> None:
        nonlocal x
        # as wide as the label and its key cap need (English words are longer)
        need = g.width(label, 14) + (g.width(key_label(key, lang), 14) + 24 if key else 0) + 24
        w = max(w, need)
        x -= w
        button(
            g,
            v.targets,
            (x, 8, w, 32),
            label,
            cmd,
            key=key,
            lang=lang,
            style=style,
            hover=v.hover,
            size=14,
        )
        x -= 8

    add(124, v.dt("desk.finish"), "ui:finish", "q", "secondary")
    x -= 40
    g.rect((x, 8, 40, 32), Theme.teal_soft, radius=7)
    art.speaker(g, x + 9, 15, v.app.sounds.muted, Theme.teal_dark)
    v.targets.add((x, 8, 40, 32), "ui:mute")
    x -= 8
    if s.mode == "training":
        add(86, v.dt("desk.hint"), "ui:hint", "h")
    add(96, v.dt("desk.resume" if s.clock.paused else "desk.pause"), "ui:pause", "space")
    speed = v.dt("desk.speed", x=f"{s.clock.speed:g}")
    if s.mode == "training":
        add(76, speed, "ui:faster" if s.clock.speed < 4 else "ui:slower", None)
    else:
        g.text(speed, (x - 8, 24), 14, Theme.white, anchor="midright")


def log(v: DeskView, g: Gfx) -> None:
    x, y, w, h = LOG
    g.text(v.dt("desk.log"), (x + 14, y + 10), 14, Theme.muted)

    notes = v.session.notes
    if not notes:
        g.text(v.dt("desk.log_empty"), (x + 14, y + 40), 14, Theme.muted)
        return
    ly = y + 40
    step = g.line_height(14) * 1.05
    colours = {
        "info": Theme.ink,
        "action": Theme.teal_dark,
        "warn": Theme.amber_ink,
        "alert": Theme.red,
        "refused": Theme.amber_ink,
    }
    for n in reversed(notes):
        lines = g.wrap(n.text, 14, w - 90)[:2]
        if ly + len(lines) * step > y + h - 8:
            break
        g.text(mmss(n.t), (x + 14, ly), 14, Theme.muted)
        if n.level in ("alert", "refused"):
            g.circle((x + 62, ly + 9), 3, colours[n.level])
        for i, ln in enumerate(lines):
            g.text(ln, (x + 72, ly + i * step), 14, colours[n.level])
        ly += len(lines) * step + 3


def busy_bar(v: DeskView, g: Gfx) -> None:
    """While an action takes its time: its name and a progress bar over the log header."""
    busy = v.session.clock.busy()
    if busy < 1.0 and v.session.last_action:
        x, y, w, h = LOG
        bx, by, bw, bh = x + 120, y + 6, w - 132, 30
        g.rect((bx, by, bw, bh), Theme.teal_soft, radius=8)
        g.rect((bx, by, max(16.0, bw * busy), bh), (170, 214, 207), radius=8)
        text = v.dt("desk.busy", action=v.label(v.session.last_action))
        two_lines(g, text, (bx + 10, by, bw - 20, bh), 14, Theme.teal_dark)


def records_bar(v: DeskView, g: Gfx) -> None:
    """While the records refuse this session: where its input is kept meanwhile, in red at the
    foot of the log (up to three lines: the file's name is long), until they take it again."""
    text = v.session.record_status
    if text is None:
        return
    x, y, w, h = LOG
    lines = g.fit_lines(text, 14, w - 36, 3)
    step = g.line_height(14) * 0.95
    bh = step * len(lines) + 10
    bx, by, bw = x + 8, y + h - 6 - bh, w - 16
    g.rect((bx, by, bw, bh), Theme.red_soft, radius=8)
    for i, ln in enumerate(lines):
        g.text(ln, (bx + 10, by + 5 + i * step), 14, Theme.red)

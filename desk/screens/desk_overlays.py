"""What is drawn over the desk: an open device menu, a hint, the pause card and the "end the
session?" dialog."""

from __future__ import annotations

from typing import TYPE_CHECKING

from desk.controls import MENUS
from desk.gfx import Gfx
from desk.screens.desk_layout import DEVICES, LOG
from desk.widgets import Theme, button, panel

if TYPE_CHECKING:
    from desk.screens.desk_view import DeskView
    from desk.session import HintRequest

__all__ = ["popup", "hint", "paused", "confirm", "briefing", "keys_help"]


def popup(v: DeskView, g: Gfx, open_menu: str) -> None:
    if open_menu.startswith("pick:"):
        _sources(v, g, open_menu.removeprefix("pick:"))
        return
    menu = next(m for m in MENUS if m.id == open_menu)
    w = 360
    ih = 34
    h = 40 + ih * len(menu.actions) + 8
    ax, ay = v.popup_anchor
    x = ax - w - 10 if ax > 640 else ax + 10
    if menu.id in ("printer", "phone", "scanner"):
        x = DEVICES[0] - w - 10
    y = max(56, min(ay, 712 - h))
    panel(g, (x, y, w, h), fill=Theme.white)
    g.text(
        v.dt(f"menu_names.{menu.id}"),
        (x + 14, y + 10),
        14,
        Theme.ink,
        bold=True,
        max_width=w - 28,
    )
    for i, action in enumerate(menu.actions):
        rect = (x + 8, y + 36 + i * ih, w - 16, ih - 4)
        hov = (
            v.hover is not None
            and rect[0] <= v.hover[0] < rect[0] + rect[2]
            and rect[1] <= v.hover[1] < rect[1] + rect[3]
        )
        if hov:
            g.rect(rect, Theme.blue_soft, radius=5)
        g.rect((rect[0] + 6, rect[1] + 6, 18, 18), Theme.blue, radius=9)
        g.text(
            str(i + 1),
            (rect[0] + 15, rect[1] + 15),
            14,
            Theme.white,
            bold=True,
            anchor="center",
        )
        g.label(
            v.label(action),
            (rect[0] + 32, rect[1], rect[2] - 40, rect[3]),
            14,
            Theme.ink,
            align="left",
            min_size=14,
        )
        if not v.session.busy:
            v.targets.add(rect, f"item:{action}")


def hint(v: DeskView, g: Gfx, h: HintRequest) -> None:
    x, y, w, hh = LOG
    panel(g, (x, y, w, hh), fill=(255, 251, 236))
    g.text(v.dt("desk.hint_title"), (x + 14, y + 10), 14, Theme.amber_ink, bold=True)
    g.text(
        v.dt("desk.hint_count", n=len(v.session.hints)),
        (x + w - 14, y + 11),
        14,
        Theme.muted,
        anchor="topright",
        max_width=w / 2,
    )
    text, clauses = v.session.hint_text(h)
    used = g.paragraph(text, (x + 14, y + 34, w - 28, 48), 15, Theme.ink, min_size=14)
    cy = y + 40 + used
    proc = v.session.procedure
    for cid in clauses[:2]:
        if cid not in proc.ids or cy > y + hh - 40:
            continue
        line = f"{cid}  {proc.clause(cid).text(v.lang)}"
        need = g.measure_paragraph(line, w - 28, 14)
        if cy + need > y + hh - 26:
            break  # a clause is shown whole or not at all (the debrief quotes them all)
        cy += g.paragraph(line, (x + 14, cy, w - 28, need), 14, Theme.muted) + 4
    g.text(v.dt("desk.hint_keys"), (x + 14, y + hh - 22), 14, Theme.muted)
    v.targets.add((x, y, w, hh), "ui:close")


def paused(v: DeskView, g: Gfx) -> None:
    exam = v.session.mode == "exam"
    # in an exam the desk is hidden while the clock stands still: a pause is no time to think
    g.rect((0, 48, 1280, 672), (236, 240, 238, 255 if exam else 235))
    x, y, w, h = 440, 250, 400, 190
    panel(g, (x, y, w, h), fill=Theme.white)
    g.rect((x + w / 2 - 30, y + 26, 20, 44), Theme.teal, radius=4)
    g.rect((x + w / 2 + 10, y + 26, 20, 44), Theme.teal, radius=4)
    g.text(v.dt("desk.paused"), (x + w / 2, y + 94), 22, Theme.ink, bold=True, anchor="center")
    left = v.session.pauses_left
    note = v.dt("desk.paused_exam", left=left) if exam else v.dt("desk.paused_hint")
    g.paragraph(
        note,
        (x + 30, y + 112, w - 60, 36),
        14,
        Theme.muted,
        align="center",
    )
    button(
        g,
        v.targets,
        (x + w / 2 - 80, y + h - 44, 160, 34),
        v.dt("desk.resume"),
        "ui:pause",
        key="space",
        lang=v.lang,
        hover=v.hover,
    )


def briefing(v: DeskView, g: Gfx) -> None:
    """The briefing read again over the desk; the clock keeps running behind it."""
    g.rect((0, 48, 1280, 672), (20, 30, 34, 90))
    x, y, w, h = 300, 110, 680, 460
    panel(g, (x, y, w, h), fill=Theme.white)
    g.text(v.dt("desk.briefing_title"), (x + 30, y + 24), 14, Theme.muted)
    title = v.session.loaded.scenario.scenario.title.get(v.lang)
    g.label(title, (x + 30, y + 44, w - 60, 30), 20, Theme.ink, bold=True, align="left")
    g.paragraph(
        v.session.briefing(),
        (x + 30, y + 90, w - 60, h - 160),
        19 if getattr(v.app, "text_size", "normal") == "large" else 16,
        Theme.ink,
        spacing=1.45,
        min_size=14,
    )
    g.text(v.dt("desk.briefing_clock"), (x + 30, y + h - 44), 14, Theme.muted)
    button(
        g,
        v.targets,
        (x + w - 190, y + h - 54, 160, 34),
        v.dt("desk.briefing_close"),
        "ui:briefing",
        key="escape",
        lang=v.lang,
        hover=v.hover,
    )


def confirm(v: DeskView, g: Gfx) -> None:
    g.rect((0, 0, 1280, 720), (20, 30, 34, 110))
    x, y, w, h = 430, 250, 420, 200
    panel(g, (x, y, w, h), fill=Theme.white)
    g.text(
        v.dt("desk.finish_confirm"),
        (x + w / 2, y + 40),
        19,
        Theme.ink,
        bold=True,
        anchor="center",
        max_width=w - 40,
    )
    g.paragraph(
        v.dt("desk.finish_note"),
        (x + 30, y + 74, w - 60, 44),
        14,
        Theme.muted,
        align="center",
    )
    button(
        g,
        v.targets,
        (x + 30, y + h - 60, 170, 40),
        v.dt("desk.answer_no"),
        "ui:finish_no",
        key="escape",
        lang=v.lang,
        style="secondary",
        hover=v.hover,
    )
    button(
        g,
        v.targets,
        (x + w - 200, y + h - 60, 170, 40),
        v.dt("desk.answer_yes"),
        "ui:finish_yes",
        key="return",
        lang=v.lang,
        style="danger",
        hover=v.hover,
    )


def _sources(v: DeskView, g: Gfx, field: str) -> None:
    """Where a field of the form can be taken from: each paper on the counter, or the form."""
    choices = v.session.sources(field)
    w, ih = 420, 44
    h = 40 + ih * max(1, len(choices)) + 8
    ax, ay = v.popup_anchor
    x = min(ax + 8, 1272 - w)
    y = max(56, min(ay, 712 - h))
    panel(g, (x, y, w, h), fill=Theme.white)
    title = v.dt("desk.take_from", field=v.session.words.field(field) or field)
    g.text(title, (x + 14, y + 10), 14, Theme.ink, bold=True, max_width=w - 28)
    if not choices:
        g.text(v.dt("desk.no_source"), (x + 14, y + 44), 14, Theme.muted, max_width=w - 28)
    for i, (source, what, says) in enumerate(choices):
        rect = (x + 8, y + 36 + i * ih, w - 16, ih - 4)
        hov = (
            v.hover is not None
            and rect[0] <= v.hover[0] < rect[0] + rect[2]
            and rect[1] <= v.hover[1] < rect[1] + rect[3]
        )
        if hov:
            g.rect(rect, Theme.blue_soft, radius=5)
        g.rect((rect[0] + 6, rect[1] + 11, 18, 18), Theme.blue, radius=9)
        g.text(str(i + 1), (rect[0] + 15, rect[1] + 20), 14, Theme.white, bold=True,
               anchor="center")  # fmt: skip
        g.label(what, (rect[0] + 32, rect[1] + 2, rect[2] - 40, 16), 14, Theme.muted,
                align="left", min_size=14)  # fmt: skip
        g.label(says, (rect[0] + 32, rect[1] + 19, rect[2] - 40, 18), 14, Theme.ink,
                align="left", min_size=14)  # fmt: skip
        v.targets.add(rect, f"field:{field}:{source}")


def keys_help(v: DeskView, g: Gfx) -> None:
    """Every key of the desk, in two columns: the key, what it does (``?`` opens it)."""
    rows = [ln.split("|", 1) for ln in v.dt("desk.keys_list").splitlines() if "|" in ln]
    step = 23
    w, h = 760, 70 + step * len(rows) + 56
    x, y = (1280 - w) / 2, max(52.0, (720 - h) / 2)
    g.rect((0, 48, 1280, 672), (20, 30, 34, 90))
    panel(g, (x, y, w, h), fill=Theme.white)
    g.text(v.dt("desk.keys_title"), (x + 30, y + 20), 19, Theme.ink, bold=True)
    ty = y + 60
    for keys, meaning in rows:
        g.text(keys.strip(), (x + 30, ty), 14, Theme.teal_dark, bold=True, max_width=220)
        g.text(meaning.strip(), (x + 260, ty), 14, Theme.ink, max_width=w - 290)
        ty += step
    button(
        g,
        v.targets,
        (x + w - 190, y + h - 50, 160, 34),
        v.dt("desk.briefing_close"),
        "ui:keys",
        key="escape",
        lang=v.lang,
        hover=v.hover,
    )

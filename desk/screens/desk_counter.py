"""The counter: the queue display, the customer (portrait, card, others waiting), the two
counter buttons, and the dialogue with the replies the clerk can choose."""

from __future__ import annotations

from typing import TYPE_CHECKING

from desk import art
from desk.controls import COUNTER_BUTTONS
from desk.gfx import Gfx
from desk.screens.desk_layout import COUNTER_ROW, DIALOGUE, QUEUE, SCENE
from desk.widgets import Theme, button
from sim.observation import CustomerView, Observation

if TYPE_CHECKING:
    from desk.screens.desk_view import DeskView

__all__ = ["queue_board", "customer", "counter_buttons", "dialogue"]


def queue_board(v: DeskView, g: Gfx, obs: Observation) -> None:
    x, y, w, h = QUEUE
    g.rect(QUEUE, (34, 38, 42), radius=8)
    led = (x + 6, y + 6, w - 190, h - 12)
    g.rect(led, (20, 22, 24), radius=4)
    cur = obs.customer(obs.current)
    if cur is not None:
        window = v.session.loaded.scenario.scenario.window
        text = v.dt("desk.now_serving", ticket=_ticket(v, cur.id), window=window)
    else:
        text = v.dt("desk.idle_board")
    g.label(text, (x + 14, y + 6, w - 270, h - 12), 16, (255, 112, 72), align="left", min_size=12)
    g.label(
        v.dt("desk.waiting", n=obs.queue),
        (x + w - 258, y + 6, 66, h - 12),
        12,
        (120, 220, 140),
        align="right",
        min_size=10,
    )
    button(
        g,
        v.targets,
        (x + w - 178, y + 7, 170, 30),
        v.label("call_next_customer"),
        "act:call_next_customer",
        key="n",
        lang=v.lang,
        style="soft",
        hover=v.hover,
        size=12,
    )


def _ticket(v: DeskView, cid: str) -> str:
    ids = [c.id for c in v.session.loaded.scenario.customers]
    return f"A{ids.index(cid) + 1:03d}" if cid in ids else "A000"


def customer(v: DeskView, g: Gfx, obs: Observation, t: float) -> None:
    x, y, w, h = SCENE
    cur = obs.customer(obs.current)
    g.clip(SCENE)
    if cur is None:
        g.text(
            v.dt("desk.no_customer"),
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
            f"{cur.id}/{v.session.engine.variant.id}",
            cur.level,
            t,
            phone=cur.by_phone,
        )
    art.counter_top(g, SCENE)
    g.clip(None)
    if cur is not None:
        _customer_card(v, g, cur)
    others = [c for c in obs.customers if c.id != obs.current and not c.finished]
    for i, c in enumerate(others[:3]):
        bx, by = x + w - 176, y + 10 + i * 20
        g.rect((bx, by - 2, 166, 19), (255, 255, 255, 210), radius=6)
        name = v.session.render(c.name.get(v.lang))
        if c.by_phone:
            name += (
                f"（{v.dt('desk.by_phone')}）" if v.lang == "zh" else f" ({v.dt('desk.by_phone')})"
            )
        g.label(name, (bx + 6, by - 2, 100, 19), 11, Theme.ink, align="left", min_size=9)
        button(
            g,
            v.targets,
            (bx + 108, by - 1, 56, 17),
            v.dt("desk.serve"),
            f"serve:{c.id}",
            lang=v.lang,
            style="soft",
            hover=v.hover,
            size=10,
        )


def _customer_card(v: DeskView, g: Gfx, cur: CustomerView) -> None:
    x, y, w, h = SCENE
    cx, cy, cw, ch = x + w - 176, y + 72, 166, 88
    g.rect((cx, cy, cw, ch), (255, 255, 255, 225), radius=8)
    name = v.session.render(cur.name.get(v.lang))
    g.label(
        name,
        (cx + 10, cy + 5, cw - 20, 22),
        15,
        Theme.ink,
        bold=True,
        align="left",
        min_size=11,
    )
    module = v.session.vocab.modules.get(cur.request)
    req = v.dt("desk.request", module=module.get(v.lang) if module else cur.request)
    if cur.by_phone:
        req = f"{v.dt('desk.by_phone')} · {req}"
    g.paragraph(req, (cx + 10, cy + 28, cw - 20, 30), 11, Theme.muted, min_size=10, spacing=1.1)
    colour = {"calm": Theme.green, "uneasy": Theme.amber, "angry": Theme.red}.get(
        cur.level, Theme.faint
    )
    mood = v.dt(f"desk.mood_{cur.level}")
    bar = cw - 30 - g.width(mood, 11)
    g.rect((cx + 10, cy + 68, bar, 8), (226, 230, 230), radius=4)
    g.rect((cx + 10, cy + 68, max(6.0, bar * cur.mood / 100), 8), colour, radius=4)
    g.text(mood, (cx + cw - 10, cy + 72), 11, colour, anchor="midright")


def counter_buttons(v: DeskView, g: Gfx) -> None:
    x, y, w, h = COUNTER_ROW
    bw = (w - 8) / 2
    for i, (action, key) in enumerate(COUNTER_BUTTONS[:2]):
        button(
            g,
            v.targets,
            (x + i * (bw + 8), y, bw, h),
            v.label(action),
            f"act:{action}",
            key=key,
            lang=v.lang,
            style="secondary",
            hover=v.hover,
            size=13,
            wrap=True,
        )


def dialogue(v: DeskView, g: Gfx, obs: Observation) -> None:
    x, y, w, h = DIALOGUE
    lang = v.lang
    inner_x, inner_w = x + 14, w - 28
    top_limit, bottom = y + 12, y + h - 12
    # the customer's latest line must stay in view with the replies: shrink both if needed
    v.shown_replies = []
    transcript = v.session.transcript()
    latest = next((text for who, text in reversed(transcript) if who is not None), "")
    replies = [(r.id, v.session.render(r.text.get(lang))) for c in obs.customers for r in c.replies]
    for size in (14, 13, 12):
        blocks = [(rid, g.wrap(text, size, inner_w - 50)) for rid, text in replies]
        step = g.line_height(size)
        heights = [len(lines) * step + 10 for _, lines in blocks]
        top_of_replies = bottom - sum(heights) - 5 * len(blocks) - (22 if blocks else 0)
        need = _bubble_height(g, latest, size, inner_w - 40, False) if latest else 0
        if top_of_replies - need - 6 >= top_limit:
            break
    ry = top_of_replies + (22 if blocks else 0)
    if blocks:
        g.text(v.dt("desk.choose_reply"), (inner_x, top_of_replies + 2), 12, Theme.muted)
    for i, ((rid, lines), bh) in enumerate(zip(blocks, heights, strict=True)):
        rect = (inner_x, ry, inner_w, bh)
        hovered = (
            v.hover is not None
            and rect[0] <= v.hover[0] < rect[0] + rect[2]
            and rect[1] <= v.hover[1] < rect[1] + rect[3]
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
        if not v.session.busy:
            v.targets.add(rect, f"reply:{rid}")
        v.shown_replies.append(rid)
        ry += bh + 5
    # the conversation so far, newest at the bottom, above the replies
    cy = top_of_replies - 6
    for who, text in reversed(transcript):
        clerk = who is None
        bw = inner_w - 40
        bh = _bubble_height(g, text, size, bw, clerk)
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
        note = v.dt("desk.waiting_for_you") if cur else v.dt("desk.no_customer")
        g.text(note, (x + w / 2, y + h / 2), 14, Theme.muted, anchor="center", max_width=w - 40)


def _bubble_height(g: Gfx, text: str, size: float, width: float, clerk: bool) -> float:
    return len(g.wrap(text, size, width - 20)) * g.line_height(size) + 12 + (0 if clerk else 16)

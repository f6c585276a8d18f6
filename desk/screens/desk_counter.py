"""The counter: the queue display, the customer (portrait, card, others waiting), the two
counter buttons, and the dialogue with the replies the clerk can choose."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from desk import art
from desk.controls import COUNTER_BUTTONS
from desk.gfx import Gfx, RectLike
from desk.screens.desk_layout import COUNTER_ROW, DIALOGUE, MONITOR, QUEUE, SCENE
from desk.widgets import Theme, button, panel
from sim.observation import CustomerView, Observation

if TYPE_CHECKING:
    from desk.screens.desk_view import DeskView

__all__ = ["queue_board", "customer", "counter_buttons", "dialogue", "dialogue_rect"]


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
    g.label(text, (x + 14, y + 6, w - 270, h - 12), 16, (255, 112, 72), align="left", min_size=14)
    g.label(
        v.dt("desk.waiting", n=obs.queue),
        (x + w - 258, y + 6, 66, h - 12),
        14,
        (120, 220, 140),
        align="right",
        min_size=14,
    )
    button(
        g,
        v.targets,
        (x + w - 178, y + 7, 170, 30),
        v.label("call_next_customer", short=True),
        "act:call_next_customer",
        key="n",
        lang=v.lang,
        style="soft",
        hover=v.hover,
        size=14,
    )


def _ticket(v: DeskView, cid: str) -> str:
    ids = [c.id for c in v.session.loaded.scenario.customers]
    return f"A{ids.index(cid) + 1:03d}" if cid in ids else "A000"


def customer(v: DeskView, g: Gfx, obs: Observation, t: float) -> None:
    x, y, w, h = SCENE
    cur = obs.customer(obs.current)
    if obs.emergency == "collapse" and v.casualty is None:
        v.casualty = obs.current or ""  # who was at the counter when it happened
    down = obs.emergency == "collapse" and cur is not None and cur.id == v.casualty
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
            "collapsed" if down else cur.level,
            t,
            phone=cur.by_phone,
        )
    art.counter_top(g, SCENE)
    g.clip(None)
    if cur is not None:
        _customer_card(v, g, cur, down)
    if obs.emergency is not None:
        # an emergency in the hall: across the scene, in red, while it lasts
        g.rect((x + 6, y + 6, w - 190, 28), Theme.red, radius=6)
        g.label(
            v.dt(f"desk.emergency_{obs.emergency}"),
            (x + 12, y + 6, w - 202, 28),
            14,
            Theme.white,
            bold=True,
        )
    others = [c for c in obs.customers if c.id != obs.current and not c.finished]
    for i, c in enumerate(others[:3]):
        bx, by = x + w - 196, y + 5 + i * 21
        g.rect((bx, by - 2, 186, 20), (255, 255, 255, 225), radius=6)
        name = v.session.render(c.name.get(v.lang))
        if c.by_phone:
            name += (
                f"（{v.dt('desk.by_phone')}）" if v.lang == "zh" else f" ({v.dt('desk.by_phone')})"
            )
        g.label(name, (bx + 6, by - 2, 116, 20), 14, Theme.ink, align="left")
        button(
            g,
            v.targets,
            (bx + 126, by - 1, 58, 18),
            v.dt("desk.serve"),
            f"serve:{c.id}",
            lang=v.lang,
            style="soft",
            hover=v.hover,
            size=14,
        )


def _customer_card(v: DeskView, g: Gfx, cur: CustomerView, down: bool = False) -> None:
    x, y, w, h = SCENE
    cx, cy, cw, ch = x + w - 196, y + 66, 186, 96
    g.rect((cx, cy, cw, ch), (255, 255, 255, 225), radius=8)
    name = v.session.render(cur.name.get(v.lang))
    g.label(
        name,
        (cx + 10, cy + 5, cw - 20, 22),
        15,
        Theme.ink,
        bold=True,
        align="left",
        min_size=14,
    )
    module = v.session.vocab.modules.get(cur.request)
    req = v.dt("desk.request", module=module.get(v.lang) if module else cur.request)
    if cur.by_phone:
        req = f"{v.dt('desk.by_phone')} · {req}"
    g.paragraph(req, (cx + 10, cy + 27, cw - 20, 40), 14, Theme.muted, spacing=1.1)
    colour = {"calm": Theme.green, "uneasy": Theme.amber_ink, "angry": Theme.red}.get(
        cur.level, Theme.muted
    )
    mood = v.dt(f"desk.mood_{cur.level}")
    if down:  # collapsed at the counter: no mood to read
        colour, mood = Theme.red, v.dt("desk.collapsed")
    bar = cw - 30 - g.width(mood, 14)
    g.rect((cx + 10, cy + 76, bar, 8), (226, 230, 230), radius=4)
    g.rect((cx + 10, cy + 76, max(6.0, bar * cur.mood / 100), 8), colour, radius=4)
    g.text(mood, (cx + cw - 10, cy + 80), 14, colour, anchor="midright")


def counter_buttons(v: DeskView, g: Gfx) -> None:
    x, y, w, h = COUNTER_ROW
    bw = (w - 8) / 2
    for i, (action, key) in enumerate(COUNTER_BUTTONS[:2]):
        button(
            g,
            v.targets,
            (x + i * (bw + 8), y, bw, h),
            v.label(action, short=True),
            f"act:{action}",
            key=key,
            lang=v.lang,
            style="secondary",
            hover=v.hover,
            size=14,
            wrap=True,
        )


_FITS = ((15, 10, 5), (14, 10, 5), (14, 6, 3))
# with large text: the customer's words and the replies a size or three up (the dialogue grows
# over the picture, then over the business system, to hold them)
_FITS_LARGE = ((18, 10, 5), (17, 10, 5), (16, 8, 4), (15, 6, 3), (14, 6, 3))


def _fits(v: DeskView) -> tuple[tuple[float, float, float], ...]:
    return _FITS_LARGE if getattr(v.app, "text_size", "normal") == "large" else _FITS


_ROOMY = 1  # the index in the fits the dialogue grows for when it must grow


@dataclass(frozen=True)
class Talk:
    """Who is asking, whose question is shown, its replies and the line they answer."""

    asking: tuple[CustomerView, ...]
    focus: str | None
    replies: tuple[tuple[str, str], ...]
    latest: str
    transcript: tuple[tuple[str | None, str], ...]

    @property
    def header(self) -> int:
        # with tabs, the tabs say whose question it is: no heading over the replies
        return 22 if self.replies and len(self.asking) < 2 else 0


@dataclass(frozen=True)
class Fit:
    size: float
    pad: float
    gap: float
    blocks: list[tuple[str, list[str]]]
    heights: list[float]
    top_of_replies: float
    need: float
    ok: bool


def talk(v: DeskView, obs: Observation) -> Talk:
    lang = v.lang
    transcript = tuple(v.session.transcript())
    latest = next((text for who, text in reversed(transcript) if who is not None), "")
    # one customer's question at a time: when two are asking (a caller and someone at the
    # counter), a tab for each; the one being served first
    asking = obs.asking
    ids = [c.id for c in asking]
    focus = v.focus if v.focus in ids else (obs.current if obs.current in ids else None)
    focus = focus or (ids[0] if ids else None)
    talking = next((c for c in asking if c.id == focus), None)
    replies = tuple(
        (r.id, v.session.render(r.text.get(lang))) for r in (talking.replies if talking else ())
    )
    if talking is not None:
        said = v.session.render(talking.name.get(lang))
        latest = next((text for who, text in reversed(transcript) if who == said), latest)
        if len(asking) > 1:  # each tab shows what its own customer said
            transcript = tuple((who, text) for who, text in transcript if who == said)
    return Talk(asking, focus, replies, latest, transcript)


def _bounds(rect: RectLike, t: Talk) -> tuple[float, float]:
    x, y, w, h = rect
    return y + 10 + (28 if len(t.asking) > 1 else 0), y + h - 8


def _fit(g: Gfx, t: Talk, rect: RectLike, fits: Sequence[tuple[float, float, float]]) -> Fit:
    """The largest type that shows the replies and the line they answer whole in ``rect``;
    the smallest (``ok`` false) when none does."""
    inner_w = rect[2] - 28
    top_limit, bottom = _bounds(rect, t)
    fit: Fit | None = None
    for size, pad, gap in fits:
        blocks = [(rid, g.wrap(text, size, inner_w - 50)) for rid, text in t.replies]
        step = g.line_height(size)
        heights = [len(lines) * step + pad for _, lines in blocks]
        top = bottom - sum(heights) - gap * len(blocks) - t.header
        need = _bubble_height(g, t.latest, size, inner_w - 40, False) if t.latest else 0
        ok = top - need - 6 >= top_limit
        fit = Fit(size, pad, gap, blocks, heights, top, need, ok)
        if ok:
            break
    assert fit is not None
    return fit


def dialogue_rect(v: DeskView, g: Gfx, obs: Observation) -> RectLike:
    """Where the dialogue is drawn: its own panel, grown up over the customer's picture when
    the question's replies and the line they answer would not otherwise be read whole."""
    t = talk(v, obs)
    fits = _fits(v)
    if _fit(g, t, DIALOGUE, fits).ok:
        return DIALOGUE
    grown = _grown(g, t, DIALOGUE, fits)  # over the picture, and the queue display if need be
    if grown[1] > QUEUE[1] or _fit(g, t, grown, fits).ok:
        return grown
    # replies too long for the column even so: the dialogue spreads over the business system
    # too while the customer waits for an answer (the system is back once it is given)
    x, y, w, h = DIALOGUE
    return _grown(g, t, (x, y, MONITOR[0] + MONITOR[2] - x, h), fits)


def _grown(g: Gfx, t: Talk, rect: RectLike, fits: Sequence[tuple[float, float, float]]) -> RectLike:
    """``rect`` grown upwards (no higher than the queue display) for the replies and the line
    they answer in the roomier of the type sizes."""
    x, y, w, h = rect
    roomy = _fit(g, t, rect, fits[_ROOMY : _ROOMY + 1])
    top_limit, _ = _bounds(rect, t)
    short = top_limit - (roomy.top_of_replies - roomy.need - 6)
    top = max(QUEUE[1], min(y, y - short))
    return (x, top, w, y + h - top)


def dialogue(v: DeskView, g: Gfx, obs: Observation, rect: RectLike = DIALOGUE) -> None:
    x, y, w, h = rect
    if rect != DIALOGUE:  # grown over the scene: a panel of its own over the picture
        panel(g, rect)
    lang = v.lang
    inner_x, inner_w = x + 14, w - 28
    v.shown_replies = []
    t = talk(v, obs)
    asking, focus, transcript = t.asking, t.focus, t.transcript
    v.focus_shown = focus
    top_limit, bottom = _bounds(rect, t)
    if len(asking) > 1:
        tx = inner_x
        for c in asking:
            name = v.session.render(c.name.get(lang))
            room = (inner_w - 6) / len(asking)
            phoned = f"{name} · {v.dt('desk.by_phone')}"
            if c.by_phone and g.width(phoned, 14) + 24 <= room:  # else the name alone
                name = phoned
            tw = min(g.width(name, 14) + 24, room)
            on = c.id == focus
            g.rect((tx, y + 8, tw, 24), Theme.blue if on else Theme.blue_soft, radius=12)
            g.label(
                name,
                (tx + 8, y + 8, tw - 16, 24),
                14,
                Theme.white if on else Theme.blue,
                min_size=14,
            )
            v.targets.add((tx, y + 8, tw, 24), f"talk:{c.id}")
            tx += tw + 6
    # the customer's latest line must stay in view with the replies: shrink both if needed
    fit = _fit(g, t, rect, _fits(v))
    size, pad, gap = fit.size, fit.pad, fit.gap
    blocks, heights, top_of_replies = fit.blocks, fit.heights, fit.top_of_replies
    step = g.line_height(size)
    header = t.header
    ry = top_of_replies + header
    if header:
        g.text(v.dt("desk.choose_reply"), (inner_x, top_of_replies + 2), 14, Theme.muted)
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
        g.rect((inner_x + 8, ry + pad / 2 + 1, 22, 22), Theme.blue, radius=11)
        g.text(
            str(i + 1),
            (inner_x + 19, ry + pad / 2 + 12),
            14,
            Theme.white,
            bold=True,
            anchor="center",
        )
        for j, ln in enumerate(lines):
            g.text(ln, (inner_x + 38, ry + pad / 2 + j * step), size, Theme.ink)
        if not v.session.busy:
            v.targets.add(rect, f"reply:{rid}")
        v.shown_replies.append(rid)
        ry += bh + gap
    # the conversation so far, newest at the bottom, above the replies
    v.latest_shown = not transcript
    cy = top_of_replies - 6
    for k, (who, text) in enumerate(reversed(transcript)):
        clerk = who is None
        bw = inner_w - 40
        bh = _bubble_height(g, text, size, bw, clerk)
        lines = g.wrap(text, size, bw - 20)
        if cy - bh < top_limit:
            if k > 0:
                break
            # the newest line never disappears: its last lines, as many as there is room for
            room = int((cy - top_limit - 10) // g.line_height(size))
            if room < 1:
                break
            if room < len(lines):
                tail = lines[len(lines) - room :]
                lines = ["…" + tail[0][1:], *tail[1:]]
            bh = len(lines) * g.line_height(size) + 10
            clerk_like = True  # no room for the name above it: the line alone
        else:
            clerk_like = clerk
        v.latest_shown = True
        bx = inner_x + (40 if clerk else 0)
        top = cy - bh
        g.rect((bx, top, bw, bh), Theme.teal_soft if clerk else (244, 241, 234), radius=10)
        if not clerk_like:
            g.text(who or "", (bx + 10, top + 5), 14, Theme.muted, max_width=bw - 20)
        head = 0 if clerk_like else 20
        for j, ln in enumerate(lines):
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
    cur = obs.customer(obs.current)
    if cur is not None and cur.finished and not blocks:
        # the case is done: said plainly, so the clerk knows to move on
        done = v.dt("desk.case_done_next" if obs.waiting else "desk.case_done")
        g.rect((x + 10, y + 8, w - 20, 30), Theme.green_soft, radius=8)
        g.label(done, (x + 20, y + 8, w - 40, 30), 14, Theme.green, bold=True, min_size=14)
    if v.question_new and blocks:
        # a new question: the panel lights up for a moment, with the chime of a voice
        g.rect((x + 1, y + 1, w - 2, h - 2), None, radius=10, border=3, border_color=Theme.amber)
        if len(t.asking) > 1:
            return  # the tabs fill the top; the border and the chime say it
        g.rect((x + w - 170, y + 8, 160, 24), Theme.amber_ink, radius=12)
        g.label(
            v.dt("desk.new_question"),
            (x + w - 170, y + 8, 160, 24),
            14,
            Theme.white,
            bold=True,
            min_size=14,
        )


def _bubble_height(g: Gfx, text: str, size: float, width: float, clerk: bool) -> float:
    return len(g.wrap(text, size, width - 20)) * g.line_height(size) + 12 + (0 if clerk else 20)

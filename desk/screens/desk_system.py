"""The business system on the monitor: login, the module list, the form as entered beside the
documents handed over, and the toolbar of system actions."""

from __future__ import annotations

from typing import TYPE_CHECKING

from desk.controls import LOGIN, MODULE_KEYS, SYSTEM_BUTTONS
from desk.gfx import Gfx, RectLike
from desk.i18n import tr
from desk.screens.desk_layout import NAV_W, SCREEN, TOOLBAR_H
from desk.widgets import Theme, button
from sim.observation import Observation

if TYPE_CHECKING:
    from desk.screens.desk_view import DeskView

__all__ = ["system"]


def system(v: DeskView, g: Gfx, obs: Observation) -> None:
    x, y, w, h = SCREEN
    lang = v.lang
    if obs.computer != "on":
        g.rect(SCREEN, (16, 18, 20), radius=4)
        return
    g.rect(SCREEN, (241, 244, 248), radius=4)
    g.rect((x, y, w, 30), Theme.blue, radius=4)
    g.text(
        v.dt("desk.system_name"),
        (x + 12, y + 15),
        14,
        Theme.white,
        bold=True,
        anchor="midleft",
        max_width=250,
    )
    state = tr("words.colon", lang).join([v.dt("light.system"), v.dt(f"state.system.{obs.system}")])
    if obs.system == "logged_in":
        state = v.dt("desk.operator", name=v.app.trainee or "—")
    g.text(state, (x + w - 12, y + 15), 14, (214, 228, 242), anchor="midright", max_width=200)
    if obs.system == "logged_out":
        _login(v, g)
    else:
        _nav(v, g, obs)
        _form(v, g, obs)
        _toolbar(v, g)
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
        g.paragraph(v.dt(key), (x + 104, y + 152, w - 208, 34), 14, Theme.red, min_size=14)


LINE = 19  # one line of 14 px text


def _login(v: DeskView, g: Gfx) -> None:
    x, y, w, h = SCREEN
    bx, by, bw, bh = x + 110, y + 80, w - 220, 230
    g.rect((bx, by, bw, bh), Theme.white, radius=8, border=1, border_color=Theme.panel_edge)
    g.text(
        v.dt("desk.login_title"),
        (bx + bw / 2, by + 28),
        17,
        Theme.blue,
        bold=True,
        anchor="center",
    )
    for i, (label, value) in enumerate(
        ((v.dt("desk.user"), "0311"), (v.dt("desk.password"), "●●●●●●"))
    ):
        g.label(label, (bx + 20, by + 58 + i * 46, 66, 34), 14, Theme.muted, align="left")
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
        v.targets,
        (bx + 20, by + 160, bw - 40, 40),
        v.label(action),
        f"act:{action}",
        key=key,
        lang=v.lang,
        style="blue",
        enabled=not v.session.busy,
        hover=v.hover,
        size=14,
    )


def _nav(v: DeskView, g: Gfx, obs: Observation) -> None:
    x, y, w, h = SCREEN
    nx, ny, nw = x, y + 30, NAV_W
    nh = h - 30 - TOOLBAR_H - 8
    g.rect((nx, ny, nw, nh), (228, 235, 244))
    g.text(v.dt("desk.module_nav"), (nx + 10, ny + 8), 14, Theme.muted, max_width=nw - 20)
    item_h = min(36.0, (nh - 32 - 22) / max(1, len(v.session.vocab.modules)))
    # the modules' other keys, for keyboards whose F-keys set the brightness or the volume
    g.text(v.dt("desk.module_alt_keys"), (nx + 10, ny + nh - 22), 14, Theme.muted,
           max_width=nw - 20)  # fmt: skip
    for i, (mid, text) in enumerate(v.session.vocab.modules.items()):
        rect = (nx + 4, ny + 28 + i * item_h, nw - 8, item_h - 3)
        chosen = obs.module == mid
        hov = (
            v.hover is not None
            and rect[0] <= v.hover[0] < rect[0] + rect[2]
            and rect[1] <= v.hover[1] < rect[1] + rect[3]
        )
        if chosen or hov:
            g.rect(rect, Theme.blue if chosen else (210, 222, 238), radius=5)
        ink = Theme.white if chosen else Theme.ink
        # the navigation names a module in a word or two (its full name heads the form)
        short = v.dt(f"module_short.{mid}")
        label = text.get(v.lang) if short == f"module_short.{mid}" else short
        box = (rect[0] + 6, rect[1], rect[2] - 30, rect[3])
        g.label(label, box, 14, ink, align="left")
        g.text(
            MODULE_KEYS[i].upper(),
            (rect[0] + rect[2] - 5, rect[1] + rect[3] / 2),
            14,
            (225, 235, 248) if chosen else Theme.muted,
            anchor="midright",
        )
        if not v.session.busy:
            v.targets.add(rect, f"module:{mid}")


def _form(v: DeskView, g: Gfx, obs: Observation) -> None:
    x, y, w, h = SCREEN
    fx, fy = x + NAV_W + 8, y + 36
    fw = w - NAV_W - 16
    form_h = h - 30 - TOOLBAR_H - 8 - 36
    lang = v.lang
    if obs.module is None:
        g.paragraph(
            v.dt("desk.no_module"),
            (fx + 10, fy + 100, fw - 20, 60),
            15,
            Theme.muted,
            align="center",
        )
        return
    module = v.session.vocab.modules[obs.module].get(lang)
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
        text = v.dt(f"desk.{k}")
        cw = g.width(text, 14) + 14
        if cx - cw - 4 < fx + 110:
            break  # the module's name comes first; later chips wait for room
        cx -= cw + 4
        g.rect((cx, fy + 2, cw, 20), Theme.green_soft, radius=10)
        g.text(text, (cx + cw / 2, fy + 12), 14, Theme.green, anchor="center")
    room = cx - fx - 6
    if g.width(module, 14, True) <= room:
        g.label(module, (fx, fy, room, 24), 15, Theme.blue, bold=True, align="left", min_size=14)
    else:
        for j, ln in enumerate(g.fit_lines(module, 14, room, 2, True)):
            g.text(ln, (fx, fy - 6 + j * LINE), 14, Theme.blue, bold=True)
    col = (fw - 8) / 2
    entered, documents = v.session.case_view()
    # the form as entered
    ax, ay = fx, fy + 30
    g.rect((ax, ay, col, form_h), Theme.white, radius=6, border=1, border_color=Theme.panel_edge)
    g.clip((ax, ay, col, form_h))
    shown = v.session.system_notes()
    if entered is None and shown:  # no form to fill: what the system has shown instead
        # the whole width when no papers are on the counter; the lines scroll like the form's
        nw = fw if not obs.documents_received else col
        g.clip(None)
        g.rect((ax, ay, nw, form_h), Theme.white, radius=6, border=1, border_color=Theme.panel_edge)
        g.text(v.dt("desk.system_notes"), (ax + 8, ay + 6), 14, Theme.muted, max_width=nw - 16)
        view = (ax, ay + 26, nw, form_h - 26)
        lines = [ln for note in shown[-2:] for ln in g.wrap(note, 14, nw - 16)]
        v.form_room = max(0.0, len(lines) * LINE + 4 - view[3])
        v.form_rect = view
        g.clip(view)
        top = view[1] + 2 - min(v.form_scroll, v.form_room)
        for j, ln in enumerate(lines):
            g.text(ln, (ax + 8, top + j * LINE), 14, Theme.ink)
        g.clip(None)
        _more_below(g, view, v.form_scroll, v.form_room)
        if not obs.documents_received:
            return
    elif entered is None:
        g.text(v.dt("desk.form"), (ax + 8, ay + 6), 14, Theme.muted, max_width=col - 16)
        g.paragraph(v.dt("desk.form_empty"), (ax + 10, ay + 40, col - 20, 80), 14, Theme.muted)
    else:
        g.text(v.dt("desk.form"), (ax + 8, ay + 6), 14, Theme.muted, max_width=col - 16)
        blank = v.dt("desk.field_blank")
        # each field's label over its value, in 14 px type: the column scrolls (the wheel over
        # it) when the fields are more than it shows
        view = (ax, ay + 26, col, form_h - 26)
        total = sum(_field_height(g, col - 16, value or blank) for _, value in entered)
        total += LINE * len({k for k, _ in entered} & set(obs.open_discrepancies))
        v.form_room = max(0.0, total + 4 - view[3])
        v.form_rect = view
        g.clip(view)
        ry = view[1] + 2 - min(v.form_scroll, v.form_room)
        for key, value in entered:
            bad = key in obs.open_discrepancies
            top = ry
            label = _field_label(v, key)
            ry = _field(v, g, ax + 8, ry, col - 16, label, value or blank, bad)
            # a field is entered by picking it, then the paper to take it from (where shown)
            shown_top, shown_end = max(top, view[1]), min(ry, view[1] + view[3])
            if shown_end - shown_top >= 8:
                v.targets.add((ax + 2, shown_top, col - 4, shown_end - shown_top), f"pick:{key}")
        g.clip(None)
        _more_below(g, view, v.form_scroll, v.form_room)
    g.clip(None)
    # the documents handed over
    bx = fx + col + 8
    g.text(v.dt("desk.documents"), (bx + 2, ay + 6), 14, Theme.muted, max_width=col - 4)
    if not obs.documents_received:
        g.rect((bx, ay + 26, col, form_h - 26), (236, 239, 242), radius=6)
        g.paragraph(
            v.dt("desk.no_documents"),
            (bx + 10, ay + form_h / 2 - 20, col - 20, 64),
            14,
            Theme.muted,
            align="center",
        )
        return
    view = (bx, ay + 26, col, form_h - 26)
    g.clip(view)
    # each paper's fields as on the paper, label over value: the column scrolls when they
    # are more than it shows (a label beside its value had no room for 14 px type)
    total = sum(_doc_height(g, col, t, f) + 6 for t, f in documents)
    v.doc_room = max(0.0, total - (form_h - 26))
    v.doc_rect = view
    dy = ay + 26 - min(v.doc_scroll, v.doc_room)
    for title, fields in documents:
        tl = g.fit_lines(title, 14, col - 16, 3)
        hgt = _doc_height(g, col, title, fields)
        g.rect(
            (bx, dy, col, hgt),
            (252, 248, 236),
            radius=6,
            border=1,
            border_color=(226, 212, 176),
        )
        for j, ln in enumerate(tl):
            g.text(ln, (bx + 8, dy + 4 + j * LINE), 14, (128, 90, 20))
        ry = dy + 8 + LINE * len(tl)
        for key, value in fields:
            ry = _field(v, g, bx + 8, ry, col - 16, _doc_label(v, key), value, False)
        dy += hgt + 6
    g.clip(None)
    # more papers below (or above): the wheel or PgUp/PgDn scrolls them
    _more_below(g, view, v.doc_scroll, v.doc_room)


def _more_below(g: Gfx, view: RectLike, scroll: float, room: float) -> None:
    """An arrow at the bottom (or top) of a scrolled column: there is more that way."""
    if room <= 0:
        return
    vx, vy, vw, vh = view
    down = scroll < room
    ty = vy + vh - 10 if down else vy + 10
    g.rect((vx + vw - 46, ty - 9, 40, 18), Theme.blue, radius=9)
    d = 4 if down else -4
    g.poly(
        [(vx + vw - 32, ty - d), (vx + vw - 20, ty - d), (vx + vw - 26, ty + d)],
        Theme.white,
    )


def _doc_height(g: Gfx, col: float, title: str, fields: list[tuple[str, str]]) -> float:
    lines = len(g.wrap(title, 14, col - 16)[:3])
    body = sum(_field_height(g, col - 16, value) for _, value in fields)
    return 8 + LINE * lines + body + 4


def _field_label(v: DeskView, key: str) -> str:
    text = v.dt(f"field.{key}")
    return key if text == f"field.{key}" else text


def _doc_label(v: DeskView, key: str) -> str:
    text = v.dt(f"docfield.{key}")
    return _field_label(v, key) if text == f"docfield.{key}" else text


def _field_height(g: Gfx, w: float, value: str) -> float:
    return LINE + len(g.wrap(value, 14, w)[:3]) * LINE + 3


def _field(
    v: DeskView,
    g: Gfx,
    x: float,
    y: float,
    w: float,
    label: str,
    value: str,
    bad: bool,
) -> float:
    ink = Theme.red if bad else Theme.ink
    g.label(label, (x, y, w, LINE), 14, Theme.red if bad else Theme.muted, align="left")
    lines = g.fit_lines(value, 14, w, 3)
    for i, ln in enumerate(lines):
        g.text(ln, (x, y + LINE + i * LINE), 14, ink)
    end = y + LINE + len(lines) * LINE
    if bad:
        g.rect((x - 5, y + 1, 2, end - y - 2), Theme.red)
        g.label(
            v.dt("desk.mismatch"),
            (x, end - 1, w, LINE),
            14,
            Theme.red,
            align="left",
        )
        end += LINE
    return end + 3


def _toolbar(v: DeskView, g: Gfx) -> None:
    x, y, w, h = SCREEN
    items = [(a, k, f"act:{a}") for a, k in SYSTEM_BUTTONS] + [("__more", "o", "menu:computer")]
    bw = (w - 16 - 6) / 2
    top = y + h - TOOLBAR_H - 4
    for i, (action, key, cmd) in enumerate(items):
        r, c = divmod(i, 2)
        rect = (x + 8 + c * (bw + 6), top + r * 38, bw, 34)
        label = v.dt("desk.more") if action == "__more" else v.label(action, short=True)
        button(
            g,
            v.targets,
            rect,
            label,
            cmd,
            key=key,
            lang=v.lang,
            style="secondary" if action == "__more" else "blue",
            enabled=not v.session.busy,
            hover=v.hover,
            size=14,
            wrap=True,
            chevron=action == "__more",
        )

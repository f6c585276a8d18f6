"""The devices (printer, phone, scanner, router and the status lamps) and the column of incident
buttons and menus on the right of the desk."""

from __future__ import annotations

from typing import TYPE_CHECKING

from desk import art
from desk.controls import MENUS, QUICK_BUTTONS
from desk.gfx import Gfx
from desk.i18n import tr
from desk.screens.desk_layout import DEVICES, PHONE, PRINTER, QUICK, ROUTER, SCANNER
from desk.widgets import Theme, button, key_badge
from sim.observation import Observation

if TYPE_CHECKING:
    from desk.screens.desk_view import DeskView

__all__ = ["devices", "quick"]


def devices(v: DeskView, g: Gfx, obs: Observation, t: float) -> None:
    x, y, w, h = DEVICES
    lang = v.lang
    g.text(v.dt("desk.devices"), (x + 14, y + 10), 14, Theme.muted)
    art.printer(g, PRINTER, obs.printer, t)
    art.phone(g, PHONE, obs.phone, t)
    art.scanner(g, SCANNER)
    art.router(g, ROUTER, obs.network, t)
    for rect, menu, name in (
        (PRINTER, "printer", "printer"),
        (PHONE, "phone", "phone"),
        (SCANNER, "scanner", "scanner"),
    ):
        rx, ry, rw, rh = rect
        key = next(m.key for m in MENUS if m.id == menu)
        text = v.dt(f"menu_names.{name}")
        g.text(text, (rx, ry + rh + 4), 14, Theme.ink, max_width=rw - 24)
        key_badge(g, rx + rw, ry + rh + 3, key, lang)
        v.targets.add((rx - 6, ry - 10, rw + 12, rh + 30), f"menu:{menu}")
    rx, ry, rw, rh = ROUTER
    g.text(v.dt("light.network"), (rx + rw / 2, ry + rh + 4), 14, Theme.ink, anchor="midtop")
    # status lamps, two by two
    lamps = (  # the longer words in the wider left column
        ("system", obs.system, obs.system != "faulty"),
        ("network", obs.network, obs.network == "up"),
        ("printer", obs.printer, obs.printer in ("ok", "printing")),
        ("phone", obs.phone, True),
    )
    for i, (name, state, ok) in enumerate(lamps):
        lx = x + 12 + (i % 2) * 144
        ly = y + h - 48 + (i // 2) * 22
        colour = Theme.green if ok else Theme.red
        if name == "phone" and state == "ringing" or name == "system" and state == "logged_out":
            colour = Theme.amber_ink
        art.lamp(g, (lx + 5, ly + 8), colour, True, 4)
        shown = v.dt(f"state.{name}.{state}")
        text = f"{v.dt('light.' + name)}{tr('words.colon', lang)}{shown}"
        g.text(text, (lx + 16, ly), 14, Theme.ink, max_width=128 - (i % 2) * 8)


def quick(v: DeskView, g: Gfx) -> None:
    x, y, w, h = QUICK
    lang = v.lang
    busy = v.session.busy
    g.text(v.dt("desk.quick"), (x + 14, y + 10), 14, Theme.muted)
    by = y + 34
    for action, key in QUICK_BUTTONS:
        button(
            g,
            v.targets,
            (x + 12, by, w - 24, 36),
            v.label(action),
            f"act:{action}",
            key=key,
            lang=lang,
            style="danger" if action == "stop_operation" else "primary",
            enabled=not busy,
            hover=v.hover,
            size=14,
        )
        by += 42
    for mid in ("hall", "incident", "supervisor"):
        _menu_button(v, g, (x + 12, by, w - 24, 36), mid)
        by += 42
    g.text(v.dt("desk.station"), (x + 14, by + 4), 14, Theme.muted)
    by += 28
    half = (w - 30) / 2  # before the shift: two menus side by side
    for k, mid in enumerate(("appearance", "premises")):
        _menu_button(v, g, (x + 12 + k * (half + 6), by, half, 36), mid, chevron=False)
    # every key is in the key help (?): here only how to open it
    g.label(v.dt("desk.keys_hint"), (x + 14, y + h - 34, w - 28, 26), 14, Theme.muted,
            align="left")  # fmt: skip
    v.targets.add((x + 8, y + h - 36, w - 16, 30), "ui:keys")


def _menu_button(
    v: DeskView, g: Gfx, rect: tuple[float, float, float, float], mid: str, chevron: bool = True
) -> None:
    key = next(m.key for m in MENUS if m.id == mid)
    button(
        g,
        v.targets,
        rect,
        v.dt(f"menu_names.{mid}"),
        f"menu:{mid}",
        key=key,
        lang=v.lang,
        style="chosen" if v.popup == mid else "secondary",
        hover=v.hover,
        size=14,
        align="left",
        chevron=chevron,
    )

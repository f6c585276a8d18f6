"""Where each part of the desk sits, and the cache that draws a part again only when it changes.

Layout (logical 1280×720): a top bar; the counter on the left (queue display, customer,
dialogue); the computer in the middle (business system over the notification log); devices and
the incident buttons on the right. What never changes (the backdrop, the counter scene, the
panels and the monitor's bezel) is drawn once into a static layer; each other part is drawn
into its own surface and reused while the key of what it shows stays the same.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import pygame

from desk import art
from desk.gfx import Gfx, RectLike
from desk.widgets import Target, Targets, Theme, panel

__all__ = ["Regions"]

TOP: RectLike = (0, 0, 1280, 48)
QUEUE: RectLike = (12, 56, 420, 44)
SCENE: RectLike = (12, 106, 420, 210)
COUNTER_ROW: RectLike = (20, 272, 404, 34)  # on the counter top, in front of the customer
DIALOGUE: RectLike = (12, 322, 420, 386)
MONITOR: RectLike = (442, 56, 520, 484)
SCREEN: RectLike = (452, 66, 500, 464)
LOG: RectLike = (442, 548, 520, 160)
NAV_W = 140
TOOLBAR_H = 4 * 38
DEVICES: RectLike = (972, 56, 296, 290)
QUICK: RectLike = (972, 354, 296, 354)
PRINTER: RectLike = (992, 100, 124, 88)
PHONE: RectLike = (1162, 106, 80, 70)
SCANNER: RectLike = (992, 222, 110, 44)
ROUTER: RectLike = (1170, 222, 62, 40)


@dataclass
class _Region:
    """A part of the desk drawn once and reused until what it shows changes."""

    key: tuple[object, ...]
    surface: pygame.Surface
    origin: tuple[int, int]
    targets: list[Target]


class Regions:
    """The static layer and the cached parts of one desk view."""

    def __init__(self) -> None:
        self._static: pygame.Surface | None = None
        self._parts: dict[str, _Region] = {}
        self._spare: dict[str, pygame.Surface] = {}  # layers of parts forgotten, to draw on

    def clear(self) -> None:
        """Forget the cached parts (each is drawn again on the next frame)."""
        self._spare.update((name, part.surface) for name, part in self._parts.items())
        self._parts.clear()

    def backdrop(self, g: Gfx, covered: Sequence[RectLike] = ()) -> None:
        """Blit the static layer, drawing it first when there is none for this window size.
        ``covered``: the parts drawn over it whole this frame (their layers are opaque), where
        it need not be blitted."""
        size = g.surface.get_size()
        if self._static is None or self._static.get_size() != size:
            layer = pygame.Surface(size).convert()
            target = g.surface
            g.bind(layer)
            g.fill(Theme.bg)
            g.rect(TOP, Theme.teal)
            art.counter_scene(g, SCENE)
            panel(g, DIALOGUE)
            # the monitor: bezel, a thin stand hidden behind the log
            g.rect(
                (MONITOR[0] + 2, MONITOR[1] + 4, MONITOR[2], MONITOR[3]), Theme.shadow, radius=12
            )
            g.rect(MONITOR, (54, 60, 66), radius=12)
            panel(g, LOG)
            panel(g, DEVICES)
            panel(g, QUICK)
            g.bind(target)
            self._static = layer
        window = g.surface.get_rect()
        holes = [g.r(rect).clip(window) for rect in covered]
        for area in _uncovered(window, holes):
            g.surface.blit(self._static, area.topleft, area)

    def draw(
        self,
        g: Gfx,
        targets: Targets,
        hover: str | None,
        name: str,
        rect: RectLike,
        key: tuple[object, ...],
        fn: Callable[[], None],
    ) -> None:
        """Draw ``fn`` into a cached surface for ``rect``; redraw only when ``key`` changes.
        The controls ``fn`` adds go to ``targets`` (again from the cache when it is reused);
        ``hover``, the control under the mouse, counts as part of the key when it is one of
        this part's."""
        entry = self._parts.get(name)
        if entry is not None and hover in {tgt.command for tgt in entry.targets}:
            key = (*key, hover)
        if entry is None or entry.key != key:
            px = g.r(rect).clip(g.surface.get_rect())
            # the part's layer is drawn over again where one of its size is at hand
            spare = entry.surface if entry is not None else self._spare.pop(name, None)
            if spare is not None and spare.get_size() == px.size:
                surf = spare
            else:
                surf = pygame.Surface(px.size).convert()
            assert self._static is not None
            surf.blit(self._static, (0, 0), px)
            start = len(targets)
            with g.offscreen(surf, px.topleft):
                fn()
            entry = _Region(key, surf, px.topleft, list(targets[start:]))
            self._parts[name] = entry
            g.blit(entry.surface, entry.origin)  # what changed on the window
        else:
            targets.extend(entry.targets)
            g.surface.blit(entry.surface, entry.origin)  # the same pixels as last time


def _uncovered(window: pygame.Rect, holes: list[pygame.Rect]) -> list[pygame.Rect]:
    """``window`` less ``holes``, as rectangles: for each band between the holes' top and bottom
    edges, the stretches no hole covers."""
    holes = [h for h in holes if h.w > 0 and h.h > 0]
    if not holes:
        return [window]
    ys = sorted({window.top, window.bottom, *(h.top for h in holes), *(h.bottom for h in holes)})
    out: list[pygame.Rect] = []
    for top, bottom in zip(ys, ys[1:], strict=False):
        if bottom <= window.top or top >= window.bottom:
            continue
        spans = sorted((h.left, h.right) for h in holes if h.top <= top and h.bottom >= bottom)
        x = window.left
        for left, right in spans:
            if left > x:
                out.append(pygame.Rect(x, top, left - x, bottom - top))
            x = max(x, right)
        if x < window.right:
            out.append(pygame.Rect(x, top, window.right - x, bottom - top))
    return out

"""Drawing in logical coordinates: a 1280×720 layout scaled to whatever the window is.

Every screen draws through ``Gfx`` in logical units; ``Gfx`` scales shapes and renders text at
the scaled pixel size (so text stays sharp in a bigger window), letterboxing to keep the
proportions. Rendered text is cached, and so is line wrapping; Chinese wraps between any two
characters except before closing punctuation, Latin text between words. Text that cannot be
fitted in its box is shortened with "…" and counted in ``overflows`` (a test keeps it empty).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TypeVar

import pygame

from desk.assets import FONT_FILE

__all__ = [
    "Gfx",
    "FontBook",
    "LOGICAL",
    "Color",
    "wrap_tokens",
    "MIN_TEXT",
    "contrast",
    "luminance",
]

LOGICAL = (1280, 720)
# The smallest text the desk draws, in logical pixels (14 px at 1280×720): shrink-to-fit stops
# here and shortens instead (a test plays every scenario and keeps the shortened list empty).
MIN_TEXT = 14
Color = tuple[int, int, int] | tuple[int, int, int, int]
RectLike = tuple[float, float, float, float]
_V = TypeVar("_V")

# Not at the start of a line (closing marks), not at the end of one (opening marks).
_NO_START = set("，。、；：？！）》」』】”’,.;:?!)]}%…·—")
_NO_END = set("（《「『【“‘([{")


def _is_wide(ch: str) -> bool:
    o = ord(ch)
    return (
        0x2E80 <= o <= 0x9FFF
        or 0xF900 <= o <= 0xFAFF
        or 0xFF00 <= o <= 0xFFEF
        or 0x3000 <= o <= 0x303F
    )


def wrap_tokens(text: str) -> list[str]:
    """Split into unbreakable pieces: a CJK character (with the punctuation that must stay
    with it) or a Latin word with its trailing space."""
    tokens: list[str] = []
    word = ""
    for ch in text:
        if word and ch in ",.:" and word[-1] != " ":
            word += ch  # inside a Latin word or a number (1,065 · 0.4 · 8:00): no break here
            continue
        if _is_wide(ch) or ch in _NO_START or ch in _NO_END:
            if word:
                tokens.append(word)
                word = ""
            if tokens and (ch in _NO_START or (tokens[-1] and tokens[-1][-1] in _NO_END)):
                tokens[-1] += ch
            else:
                tokens.append(ch)
        elif ch == " ":
            word += ch
            tokens.append(word)
            word = ""
        else:
            if tokens and tokens[-1] and tokens[-1][-1] in _NO_END and not word:
                word = tokens.pop()
            word += ch
    if word:
        tokens.append(word)
    return tokens


class FontBook:
    """Fonts by pixel size, loaded from the project's own Noto Sans SC."""

    def __init__(self, path: Path = FONT_FILE) -> None:
        self.path = path
        self._fonts: dict[tuple[int, bool], pygame.font.Font] = {}

    def get(self, px: int, bold: bool = False) -> pygame.font.Font:
        key = (max(6, px), bold)
        f = self._fonts.get(key)
        if f is None:
            f = pygame.font.Font(str(self.path), key[0])
            if bold:
                f.bold = True
            self._fonts[key] = f
        return f


class _LRU(dict[tuple[object, ...], _V]):
    """A cache that forgets what was stored longest ago beyond ``size`` entries (looking an
    entry up is a plain dict lookup: a redraw looks up every text it shows)."""

    def __init__(self, size: int) -> None:
        super().__init__()
        self.size = size

    def fetch(self, key: tuple[object, ...]) -> _V | None:
        return self.get(key)

    def store(self, key: tuple[object, ...], value: _V) -> None:
        self[key] = value
        if len(self) > self.size:
            del self[next(iter(self))]


class Gfx:
    def __init__(self, surface: pygame.Surface, fonts: FontBook | None = None) -> None:
        self.fonts = fonts or FontBook()
        self._text: _LRU[pygame.Surface] = _LRU(3000)
        self._wraps: _LRU[list[str]] = _LRU(1000)
        # text widths in pixels and shortened lines, by (text, pixel size, ...): font metrics
        # do not change, and measuring is most of a redraw's text work
        self._widths: dict[tuple[str, int, bool], int] = {}
        self._short: dict[tuple[str, int, float, bool], str] = {}
        # window rectangles by (logical rectangle, offset, scale)
        self._rects: dict[tuple[object, ...], pygame.Rect] = {}
        # where the window was drawn on since ``marks`` was set (None: not recorded)
        self.marks: list[pygame.Rect] | None = None
        self.overflows: list[str] = []
        # what text was drawn in what colour on what background, and at what size (None: not
        # recorded; ``record_text`` starts it): the readability tests read these
        self.text_seen: dict[tuple[tuple[int, int, int], tuple[int, int, int], bool], str] | None
        self.text_seen = None
        self.sizes_seen: dict[float, str] = {}
        self.bind(surface)

    # -- geometry -------------------------------------------------------------------------

    def bind(self, surface: pygame.Surface) -> None:
        self.surface = surface
        self.window = surface  # what ``marks`` records drawing on (not an offscreen layer)
        w, h = surface.get_size()
        self.scale = min(w / LOGICAL[0], h / LOGICAL[1])
        self._px: dict[float, int] = {}  # pixel sizes at this scale
        self.ox = (w - LOGICAL[0] * self.scale) / 2
        self.oy = (h - LOGICAL[1] * self.scale) / 2

    def r(self, rect: RectLike) -> pygame.Rect:
        key = (tuple(rect), self.ox, self.oy, self.scale)
        found = self._rects.get(key)
        if found is None:
            if len(self._rects) > 20_000:
                self._rects.clear()
            found = self._rects[key] = self._r(rect)
        return pygame.Rect(found)  # a copy: callers may change theirs

    def _r(self, rect: RectLike) -> pygame.Rect:
        x, y, w, h = rect
        s = self.scale
        x0, y0 = round(self.ox + x * s), round(self.oy + y * s)
        return pygame.Rect(
            x0, y0, round(self.ox + (x + w) * s) - x0, round(self.oy + (y + h) * s) - y0
        )

    def p(self, x: float, y: float) -> tuple[int, int]:
        return round(self.ox + x * self.scale), round(self.oy + y * self.scale)

    @contextmanager
    def offscreen(self, surface: pygame.Surface, origin: tuple[int, int]) -> Iterator[None]:
        """Draw (in the same logical coordinates) onto ``surface``, which stands for the
        window area whose top-left pixel is ``origin``."""
        saved = (self.surface, self.ox, self.oy)
        self.surface, self.ox, self.oy = surface, self.ox - origin[0], self.oy - origin[1]
        try:
            yield
        finally:
            self.surface, self.ox, self.oy = saved

    def to_logical(self, pos: tuple[int, int]) -> tuple[float, float]:
        return (pos[0] - self.ox) / self.scale, (pos[1] - self.oy) / self.scale

    def to_window(self, x: float, y: float) -> tuple[int, int]:
        return self.p(x, y)

    def px(self, size: float) -> int:
        found = self._px.get(size)
        if found is None:
            found = self._px[size] = max(1, round(size * self.scale))
        return found

    # -- shapes ---------------------------------------------------------------------------

    def kept(self, key: tuple[object, ...]) -> pygame.Surface | None:
        """A picture kept under ``key`` (None: none yet)."""
        return self._text.fetch(key)

    def keep(self, key: tuple[object, ...], picture: pygame.Surface) -> None:
        self._text.store(key, picture)

    def mark(self, rect: pygame.Rect) -> None:
        """Note that ``rect`` of the window was drawn on (when drawing is being recorded)."""
        if self.marks is not None and self.surface is self.window:
            self.marks.append(rect)

    def blit(self, surface: pygame.Surface, pos: tuple[int, int]) -> None:
        """Blit ``surface`` (pixels) at window pixel ``pos``."""
        self.mark(self.surface.blit(surface, pos))

    def fill(self, color: Color) -> None:
        self.mark(self.surface.fill(color))

    def rect(
        self,
        rect: RectLike,
        color: Color | None,
        radius: float = 0,
        border: float = 0,
        border_color: Color | None = None,
    ) -> None:
        r = self.r(rect)
        rad = self.px(radius) if radius else 0
        if color is not None:
            if len(color) == 4:
                self._alpha_rect(r, color, rad)
            else:
                self.mark(pygame.draw.rect(self.surface, color, r, 0, rad))
        if border and border_color is not None:
            self.mark(pygame.draw.rect(self.surface, border_color, r, max(1, self.px(border)), rad))

    def _alpha_rect(self, r: pygame.Rect, color: Color, rad: int) -> None:
        key = ("rect", r.size, color, rad)
        layer = self._text.fetch(key)
        if layer is None:
            layer = pygame.Surface(r.size, pygame.SRCALPHA)
            pygame.draw.rect(layer, color, layer.get_rect(), 0, rad)
            self._text.store(key, layer)
        self.mark(self.surface.blit(layer, r.topleft))

    def circle(
        self, center: tuple[float, float], radius: float, color: Color, width: float = 0
    ) -> None:
        if len(color) == 4:
            r = max(1, self.px(radius))
            key = ("circle", r, color)
            layer = self._text.fetch(key)
            if layer is None:
                layer = pygame.Surface((2 * r, 2 * r), pygame.SRCALPHA)
                pygame.draw.circle(layer, color, (r, r), r)
                self._text.store(key, layer)
            cx, cy = self.p(*center)
            self.mark(self.surface.blit(layer, (cx - r, cy - r)))
            return
        self.mark(
            pygame.draw.circle(
                self.surface,
                color,
                self.p(*center),
                max(1, self.px(radius)),
                max(1, self.px(width)) if width else 0,
            )
        )

    def ellipse(self, rect: RectLike, color: Color, width: float = 0) -> None:
        self.mark(
            pygame.draw.ellipse(
                self.surface, color, self.r(rect), max(1, self.px(width)) if width else 0
            )
        )

    def arc(
        self, rect: RectLike, color: Color, start: float, stop: float, width: float = 2
    ) -> None:
        self.mark(
            pygame.draw.arc(self.surface, color, self.r(rect), start, stop, max(1, self.px(width)))
        )

    def line(
        self, a: tuple[float, float], b: tuple[float, float], color: Color, width: float = 1
    ) -> None:
        self.mark(
            pygame.draw.line(self.surface, color, self.p(*a), self.p(*b), max(1, self.px(width)))
        )

    def poly(self, points: Sequence[tuple[float, float]], color: Color, width: float = 0) -> None:
        self.mark(
            pygame.draw.polygon(
                self.surface,
                color,
                [self.p(*q) for q in points],
                max(1, self.px(width)) if width else 0,
            )
        )

    def lines(self, points: Sequence[tuple[float, float]], color: Color, width: float = 1) -> None:
        self.mark(
            pygame.draw.lines(
                self.surface, color, False, [self.p(*q) for q in points], max(1, self.px(width))
            )
        )

    def clip(self, rect: RectLike | None) -> None:
        self.surface.set_clip(None if rect is None else self.r(rect))

    # -- text -----------------------------------------------------------------------------

    def render(self, text: str, size: float, color: Color, bold: bool = False) -> pygame.Surface:
        px = self.px(size)
        key = (text, px, color, bold)
        surf = self._text.fetch(key)
        if surf is None:
            surf = self.fonts.get(px, bold).render(text, True, color)
            self._text.store(key, surf)
        return surf

    def width(self, text: str, size: float, bold: bool = False) -> float:
        """Logical width of ``text`` at ``size``."""
        return self._px_width(text, self.px(size), bold) / self.scale

    def _px_width(self, text: str, px: int, bold: bool) -> int:
        key = (text, px, bold)
        w = self._widths.get(key)
        if w is None:
            if len(self._widths) > 20_000:
                self._widths.clear()
            w = self._widths[key] = self.fonts.get(px, bold).size(text)[0]
        return w

    def line_height(self, size: float) -> float:
        return self.fonts.get(self.px(size)).get_linesize() / self.scale

    def text(
        self,
        text: str,
        pos: tuple[float, float],
        size: float,
        color: Color,
        bold: bool = False,
        anchor: str = "topleft",
        max_width: float | None = None,
    ) -> pygame.Rect:
        """One line at ``pos`` (logical); shortened with "…" beyond ``max_width``."""
        if max_width is not None:
            text = self.ellipsize(text, size, max_width, bold)
        surf = self.render(text, size, color, bold)
        r = surf.get_rect(**{anchor: self.p(*pos)})
        if self.text_seen is not None and text.strip():
            self._note(text, r, size, color, bold)
        self.mark(self.surface.blit(surf, r))
        return r

    def record_text(self) -> None:
        """Start noting each text's colour, the colour under it, and its size."""
        self.text_seen = {}
        self.sizes_seen = {}
        self._text.clear()  # kept pictures (buttons) are drawn again, and so noted

    def below_aa(self) -> list[str]:
        """Text noted below WCAG AA: 4.5:1, or 3:1 for large text (24 px, 18.66 px bold)."""
        bad = []
        for (fg, bg, large), text in sorted((self.text_seen or {}).items()):
            ratio = contrast(fg, bg)
            if ratio < (3.0 if large else 4.5):
                bad.append(f"{text[:30]!r}: {fg} on {bg} is {ratio:.2f}:1")
        return bad

    def _note(self, text: str, r: pygame.Rect, size: float, color: Color, bold: bool) -> None:
        """What the text is drawn on: the commonest colour of a grid of points inside its box,
        read before the text is blitted (a fill, a panel, a picture)."""
        assert self.text_seen is not None
        box = r.clip(self.surface.get_clip())  # what can be seen of it
        if box.w <= 0 or box.h <= 0:
            return
        counts: dict[tuple[int, int, int], int] = {}
        if box.w > 0 and box.h > 0:
            for i in range(7):
                for j in range(3):
                    x = box.x + (2 * i + 1) * box.w // 14
                    y = box.y + (2 * j + 1) * box.h // 6
                    c = self.surface.get_at((x, y))
                    if c.a >= 128:  # an offscreen layer's empty pixel shows nothing yet
                        counts[(c.r, c.g, c.b)] = counts.get((c.r, c.g, c.b), 0) + 1
        if counts:
            under = max(counts, key=lambda k: counts[k])
            # WCAG's large text: 24 px, or 18.66 px bold
            large = size >= 24 or (bold and size >= 18.66)
            self.text_seen.setdefault((tuple(color[:3]), under, large), text)  # type: ignore[arg-type]
        if size not in self.sizes_seen:
            self.sizes_seen[size] = text

    def ellipsize(self, text: str, size: float, max_width: float, bold: bool = False) -> str:
        px = self.px(size)
        limit = max_width * self.scale
        if self._px_width(text, px, bold) <= limit + 0.5:
            return text
        self.overflows.append(text)
        key = (text, px, limit, bold)
        short = self._short.get(key)
        if short is None:
            if len(self._short) > 5_000:
                self._short.clear()
            short = self._short[key] = self._shorten(text, px, limit, bold)
        return short

    def _shorten(self, text: str, px: int, limit: float, bold: bool) -> str:
        font = self.fonts.get(px, bold)
        lo, hi = 0, len(text)
        while lo < hi:
            mid = (lo + hi + 1) // 2
            if font.size(text[:mid] + "…")[0] <= limit:
                lo = mid
            else:
                hi = mid - 1
        return text[:lo].rstrip() + "…"

    def wrap(self, text: str, size: float, max_width: float, bold: bool = False) -> list[str]:
        px = self.px(size)
        limit = max_width * self.scale
        key = (text, px, round(limit), bold)
        cached = self._wraps.fetch(key)
        if cached is not None:
            return cached
        font = self.fonts.get(px, bold)
        lines: list[str] = []
        for para in text.split("\n"):
            line = ""
            for tok in wrap_tokens(para):
                trial = line + tok
                if line and font.size(trial.rstrip())[0] > limit:
                    lines.append(line.rstrip())
                    line = tok.lstrip()
                else:
                    line = trial
                while font.size(line.rstrip())[0] > limit and len(line) > 1:
                    # a word (an ID number) longer than the line: break it between characters
                    cut = len(line) - 1
                    while cut > 1 and font.size(line[:cut])[0] > limit:
                        cut -= 1
                    lines.append(line[:cut])
                    line = line[cut:]
            lines.append(line.rstrip())
        self._wraps.store(key, lines)
        return lines

    def fit_lines(
        self, text: str, size: float, max_width: float, max_lines: int, bold: bool = False
    ) -> list[str]:
        lines = self.wrap(text, size, max_width, bold)
        if len(lines) <= max_lines:
            return lines
        self.overflows.append(text)
        kept = lines[: max(1, max_lines)]
        counted = len(self.overflows)
        kept[-1] = self.ellipsize(kept[-1] + "……", size, max_width, bold)
        # counted once, above (when the last line with "……" still fits, nothing more was
        # counted: popping then took the text's own count away and hid the cut)
        del self.overflows[counted:]
        return kept

    def paragraph(
        self,
        text: str,
        rect: RectLike,
        size: float,
        color: Color,
        bold: bool = False,
        spacing: float = 1.25,
        align: str = "left",
        min_size: float | None = None,
    ) -> float:
        """Wrapped text inside ``rect``; shrinks towards ``min_size`` before it shortens.
        Returns the logical height used."""
        x, y, w, h = rect
        size_now = size
        while True:
            step = self.line_height(size_now) * spacing / 1.25
            lines = self.wrap(text, size_now, w, bold)
            if len(lines) * step <= h + 0.5 or min_size is None or size_now <= min_size:
                break
            size_now -= 1
        max_lines = max(1, int((h + 0.5) // step))
        lines = (
            self.fit_lines(text, size_now, w, max_lines, bold) if len(lines) > max_lines else lines
        )
        for i, ln in enumerate(lines):
            if align == "center":
                self.text(ln, (x + w / 2, y + i * step), size_now, color, bold, anchor="midtop")
            else:
                self.text(ln, (x, y + i * step), size_now, color, bold)
        return len(lines) * step

    def measure_paragraph(
        self, text: str, width: float, size: float, spacing: float = 1.25
    ) -> float:
        step = self.line_height(size) * spacing / 1.25
        return len(self.wrap(text, size, width)) * step

    def label(
        self,
        text: str,
        rect: RectLike,
        size: float,
        color: Color,
        bold: bool = False,
        align: str = "center",
        min_size: float = MIN_TEXT,
    ) -> None:
        """A one-line label centred vertically in ``rect``: shrinks to fit, then shortens."""
        x, y, w, h = rect
        s = size
        while s > min_size and self.width(text, s, bold) > w:
            s -= 1
        pos = {
            "center": ((x + w / 2, y + h / 2), "center"),
            "left": ((x, y + h / 2), "midleft"),
            "right": ((x + w, y + h / 2), "midright"),
        }[align]
        self.text(text, pos[0], s, color, bold, anchor=pos[1], max_width=w)

    def glyphs_missing(self, text: Iterable[str], size: int = 20) -> list[str]:
        """Characters the font has no glyph for (they would be drawn as boxes)."""
        font = self.fonts.get(size)
        notdef = pygame.image.tobytes(font.render("\uffff", True, (0, 0, 0)), "RGBA")
        missing = []
        for ch in sorted(set("".join(text))):
            if ch.isspace():
                continue
            img = pygame.image.tobytes(font.render(ch, True, (0, 0, 0)), "RGBA")
            if img == notdef:
                missing.append(ch)
        return missing


def luminance(color: Color) -> float:
    """Relative luminance (WCAG 2)."""

    def channel(v: int) -> float:
        c = v / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = color[:3]
    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)


def contrast(a: Color, b: Color) -> float:
    """WCAG contrast ratio of two colours, 1 to 21."""
    hi, lo = sorted((luminance(a), luminance(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)

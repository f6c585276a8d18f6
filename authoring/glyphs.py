"""Which characters the desk's font cannot draw (they would show as boxes at the counter).

The check renders each character with the font the desk uses (``assets/fonts``) and compares
it with the font's "missing glyph" box, as the desk's own glyph test does.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from functools import cache
from pathlib import Path

__all__ = ["FONT_FILE", "missing_glyphs"]

FONT_FILE = Path(__file__).resolve().parent.parent / "assets" / "fonts" / "NotoSansSC-Regular.otf"


@cache
def _font(path: Path) -> tuple[object, bytes]:
    os.environ.setdefault("PYGAME_HIDE_SUPPORT_PROMPT", "1")
    import pygame

    if not pygame.font.get_init():
        pygame.font.init()
    font = pygame.font.Font(str(path), 20)
    return font, _image(font, "\uffff")


def _image(font: object, ch: str) -> bytes:
    import pygame

    assert isinstance(font, pygame.font.Font)
    return pygame.image.tobytes(font.render(ch, True, (0, 0, 0)), "RGBA")


_known: dict[str, bool] = {}


def missing_glyphs(texts: Iterable[str], font_file: Path = FONT_FILE) -> list[str]:
    """The characters of ``texts`` (spaces aside) that ``font_file`` has no glyph for."""
    font, notdef = _font(font_file)
    missing = []
    for ch in sorted(set("".join(texts))):
        if ch.isspace() or ord(ch) < 0x7F:
            continue
        key = f"{font_file}\0{ch}"
        if key not in _known:
            _known[key] = _image(font, ch) == notdef
        if _known[key]:
            missing.append(ch)
    return missing

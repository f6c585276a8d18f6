"""A desk everyone can read: every text colour reaches WCAG AA contrast against what it is
drawn on, measured while drawing (``Gfx.record_text``), so the test follows the code."""

from __future__ import annotations

from pathlib import Path

import pytest

from desk.gfx import MIN_TEXT, Gfx, contrast
from desk.screenshots import screenshots
from desk.widgets import Theme, _button_fills


def test_contrast_is_measured_against_what_the_text_is_drawn_on() -> None:
    import pygame

    pygame.font.init()
    g = Gfx(pygame.Surface((1280, 720)))
    g.record_text()
    g.fill((255, 255, 255))
    g.rect((100, 100, 200, 40), Theme.amber)
    g.text("on amber", (110, 110), 16, Theme.white)
    g.text("on white", (110, 300), 16, Theme.faint)
    assert g.text_seen is not None
    assert (Theme.white, Theme.amber[:3], False) in g.text_seen
    assert ((160, 171, 175), (255, 255, 255), False) in g.text_seen
    assert len(g.below_aa()) == 2  # white on the amber of lamps, and the grey of lines


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_every_screen_is_readable(tmp_path: Path, lang: str) -> None:
    """Sign-in, menu, desk (with a device menu and a hint open), debrief, replay and drill:
    AA contrast, nothing under 14 px, nothing cut short."""
    drawn: list[Gfx] = []
    screenshots(tmp_path, lang, drawn=drawn)
    g = drawn[0]
    assert g.text_seen
    assert g.below_aa() == []
    assert min(g.sizes_seen) >= MIN_TEXT, sorted(g.sizes_seen.items())[:3]
    assert g.overflows == []


def test_buttons_reach_aa_in_every_style_plain_hovered_and_disabled() -> None:
    for style, (fill, ink, _edge) in _button_fills().items():
        assert contrast(ink, fill) >= 4.5, style
        lit = tuple(min(255, c + 18) for c in fill[:3])
        assert contrast(ink, lit) >= 4.5, f"{style} hovered"
    assert contrast(Theme.disabled_ink, Theme.disabled) >= 4.5

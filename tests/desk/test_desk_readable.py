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


def test_large_text_opens_a_quarter_larger_window_where_the_display_has_room() -> None:
    from desk.app import window_size

    assert window_size("normal", (1920, 1080)) == (1280, 720)
    assert window_size("large", (1920, 1080)) == (1600, 900)
    assert window_size("large", (1440, 900)) == (1440, 810)  # as large as fits
    assert window_size("large", (1366, 768)) == (1280, 720)  # no room: the type alone grows
    assert window_size("large", (1024, 768)) == (1280, 720)  # never smaller than the layout


@pytest.mark.parametrize("sid", ["printer_jam", "combined_incident"])
def test_large_text_plays_without_text_cut_short(make_app, sid: str) -> None:  # type: ignore[no-untyped-def]
    """Large text at 1280×720 (a display with no room for a larger window): the customer's
    words and the replies in larger type, the dialogue growing to hold them, nothing cut."""
    from desk.screens import desk_counter

    for lang in ("zh", "en"):
        app = make_app(lang, trainee="Test", sound=False, text_size="large")
        app.g.record_text()
        session = app.start(sid, seed=4)
        wall = app.wall
        dialogue_sizes = set()
        for _ in range(300):
            if app.screen.name != "desk":
                break
            v = app.screen
            assert v.latest_shown
            if v.shown_replies:
                obs = session.observe()
                rect = desk_counter.dialogue_rect(v, app.g, obs)
                fit = desk_counter._fit(
                    app.g, desk_counter.talk(v, obs), rect, desk_counter._fits(v)
                )
                dialogue_sizes.add(fit.size)
            h = session.hint()
            if h is None or h.action is None:
                wall.advance(2.0)
            else:
                session.do(h.action, dict(h.args))
                wall.advance(1.0)
            app.step()
        assert app.g.overflows == [], app.g.overflows[:3]
        assert min(app.g.sizes_seen) >= MIN_TEXT
        assert dialogue_sizes and max(dialogue_sizes) >= 17  # larger than the normal 15


def test_a_number_is_never_broken_across_lines() -> None:
    # found: "1,065 kWh" wrapped as "1," and "065" on the next line in English notes
    from desk.gfx import wrap_tokens

    tokens = wrap_tokens("Readings: 1,065 kWh, daily 0.4–0.6 kWh from 8:00. Done, thanks.")
    assert "1,065 " in tokens and "0.4–0.6 " in tokens and "8:00. " in tokens
    assert "Done, " in tokens  # a comma after a word still ends it
    assert "1,065" in wrap_tokens("示数多出1,065千瓦时")

"""The desk without a mouse: Tab and Shift+Tab move a visible focus through the controls, Enter
or Space presses the focused one, Esc lets it go; Alt+1… choose a business module as F1… do
(laptops send brightness and volume on F-keys); ? opens the key help."""

from __future__ import annotations

import pygame

from desk.app import App
from desk.widgets import Theme


def press(app: App, key: str, mod: int = 0) -> None:
    code = pygame.key.key_code(key)
    pygame.event.post(pygame.event.Event(pygame.KEYDOWN, key=code, mod=mod, unicode=""))
    app.step()


def actions(app: App) -> list[str]:
    return [e.name for e in app.sessions[-1].engine.trace if e.kind == "action"]


def ring_shown(app: App) -> bool:
    """The focus ring's blue is on the window just outside the focused control."""
    tgt = app.screen.targets.find(app.screen.focused or "")
    assert tgt is not None
    x, y, w, h = tgt.rect
    px, py = app.g.to_window(x + w / 2, y - 2)
    return tuple(app.window.get_at((px, py)))[:3] == Theme.focus


def desk(make_app) -> App:  # type: ignore[no-untyped-def]
    app = make_app("zh", trainee="测试", sound=False)
    app.start("printer_jam", seed=1)
    app.draw()
    return app


def test_tab_moves_a_visible_focus_and_enter_presses_it(make_app) -> None:  # type: ignore[no-untyped-def]
    app = desk(make_app)
    order = app.screen.focus_order()
    assert "act:log_in" in order and "ui:pause" in order and "menu:printer" in order
    press(app, "tab")
    assert app.screen.focused == order[0]
    assert ring_shown(app)
    for _ in range(order.index("act:log_in")):
        press(app, "tab")
    assert app.screen.focused == "act:log_in"
    assert ring_shown(app)
    press(app, "return")
    assert actions(app) == ["log_in"]


def test_shift_tab_goes_back_and_esc_lets_go(make_app) -> None:  # type: ignore[no-untyped-def]
    app = desk(make_app)
    order = app.screen.focus_order()
    press(app, "tab", pygame.KMOD_SHIFT)
    assert app.screen.focused == order[-1]
    press(app, "tab", pygame.KMOD_SHIFT)
    assert app.screen.focused == order[-2]
    press(app, "escape")
    assert app.screen.focused is None


def test_space_presses_the_focused_control_else_pauses(make_app) -> None:  # type: ignore[no-untyped-def]
    app = desk(make_app)
    session = app.sessions[-1]
    order = app.screen.focus_order()
    for _ in range(order.index("act:log_in") + 1):
        press(app, "tab")
    press(app, "space")
    assert actions(app) == ["log_in"]
    assert not session.clock.paused
    press(app, "escape")
    press(app, "space")  # nothing focused: Space is the pause key
    assert session.clock.paused


def test_alt_digits_choose_a_module_as_the_f_keys_do(make_app) -> None:  # type: ignore[no-untyped-def]
    app = desk(make_app)
    first = list(app.sessions[-1].vocab.modules)[0]
    press(app, "1", pygame.KMOD_LALT)  # (refused before logging in: the attempt is recorded)
    press(app, "f1")
    tried = [e for e in app.sessions[-1].engine.trace if e.kind == "action"]
    assert [(e.name, dict(e.args)) for e in tried] == [("select_module", {"module": first})] * 2


def test_a_modal_keeps_the_focus_inside_it(make_app) -> None:  # type: ignore[no-untyped-def]
    app = desk(make_app)
    press(app, "q")  # "end the session?"
    assert set(app.screen.focus_order()) == {"ui:finish_yes", "ui:finish_no"}
    press(app, "tab")
    assert app.screen.focused in ("ui:finish_yes", "ui:finish_no")


def test_the_key_help_opens_with_the_question_mark_key(make_app) -> None:  # type: ignore[no-untyped-def]
    app = desk(make_app)
    press(app, "/")
    assert app.screen.keys_shown  # type: ignore[attr-defined]
    assert app.screen.focus_order() == ["ui:keys"]
    press(app, "escape")
    assert not app.screen.keys_shown  # type: ignore[attr-defined]


def test_sign_in_tab_reaches_the_mode_and_space_still_types(make_app) -> None:  # type: ignore[no-untyped-def]
    app = make_app("zh", sound=False)
    app.draw()
    order = app.screen.focus_order()
    assert "mode:exam" in order
    for _ in range(order.index("mode:exam") + 1):
        press(app, "tab")
    press(app, "space")
    assert app.mode == "training"  # Space did not press it: Space types into the name
    press(app, "return")
    assert app.mode == "exam"


def test_text_size_is_chosen_at_sign_in_and_kept(make_app) -> None:  # type: ignore[no-untyped-def]
    app = make_app("zh", sound=False)
    app.draw()
    press(app, "f3")
    assert app.text_size == "large"
    app.trainee = "测试"
    app.show_menu()
    app.start("printer_jam", seed=1)
    assert app.text_size == "large"

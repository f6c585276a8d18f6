"""The desk tells the clerk what happened: a briefing that names the session's own people, a new
question heard and highlighted, a hint that goes once its step is done, a receipt printed only
when the printer says so, and the briefing there to read again."""

from __future__ import annotations

from desk.app import App
from desk.screens.desk import DeskScreen
from tests.desk.test_desk_ui import do, press, wait


def _desk(app: App) -> DeskScreen:
    assert isinstance(app.screen, DeskScreen)
    return app.screen


def test_the_menus_briefing_is_the_one_the_session_then_plays(make_app) -> None:  # type: ignore[no-untyped-def]
    # found: the menu rendered the briefing with seed 0 while the session drew another seed,
    # so the briefing named 孙莉 and the desk showed 吴建军
    app = make_app("zh", seed=None, trainee="Z1")
    shown = app.briefing("peak_queue")
    assert app.briefing("peak_queue") == shown  # the same seed while the menu is open
    session = app.start("peak_queue")
    assert session.briefing() == shown


def test_a_new_question_is_highlighted_and_a_hint_goes_when_its_step_is_done(make_app) -> None:  # type: ignore[no-untyped-def]
    app = make_app("zh", mode="training", trainee="Z1")
    session = app.start("printer_jam", seed=1)
    desk = _desk(app)
    for _ in range(60):
        wait(app, 0.5)
        if desk.observation.customers and desk.observation.customers[0].replies:
            break
    assert desk.question_new  # the customer's first line, just said
    wait(app, 3.0)
    assert not desk.question_new  # for a moment only
    press(app, "h")
    hint = desk.hint_shown
    assert hint is not None and hint.action is not None
    do(app, hint.action, dict(hint.args))
    while session.busy:
        wait(app, 0.2)
    wait(app, 0.1)
    assert desk.hint_shown is None


def test_the_log_says_printed_only_when_the_printer_has_printed(make_app) -> None:  # type: ignore[no-untyped-def]
    # found: "已打印受理回执" was logged a second before "打印机故障：卡纸"
    app = make_app("zh", mode="training", trainee="Z1")
    session = app.start("new_connection", seed=1)
    for action, args in (
        ("log_in", {}),
        ("check_system_status", {}),
        ("select_module", {"module": "new_connection"}),
        ("receive_documents", {}),
        ("enter_customer_data", {}),
        ("verify_data", {}),
        ("correct_data", {}),
        ("submit_application", {}),
        ("print_form", {}),
    ):
        session.do(action, args)
        while session.busy:
            wait(app, 0.2)
    texts = [n.text for n in session.notes]
    assert "受理回执已发送到打印机" in texts
    assert not any(t.startswith("已打印") for t in texts)
    wait(app, 10)
    assert "回执打印完成" in [n.text for n in session.notes]


def test_the_briefing_opens_again_at_the_desk_and_the_clock_runs_on(make_app) -> None:  # type: ignore[no-untyped-def]
    app = make_app("zh", mode="exam", trainee="Z1")
    session = app.start("emergency_outage", seed=2)
    desk = _desk(app)
    press(app, "f10")
    assert desk.briefing_shown
    t0 = session.now()
    wait(app, 5)
    assert session.now() > t0  # reading it again is no pause
    press(app, "escape")
    assert not desk.briefing_shown
    # a click on the title opens it too
    desk.command("ui:briefing")
    assert desk.briefing_shown


def test_the_menu_follows_the_onboarding_order_and_scrolls_with_the_wheel(make_app) -> None:  # type: ignore[no-untyped-def]
    # found: the menu was sorted by id (超出权限的诉求 first, 班前准备 ninth) and ignored the wheel
    import pygame

    from desk.screens.menu import ScenarioMenu
    from sim.path import load_path

    app = make_app("zh", trainee="Z1")
    app.show_menu()
    menu = app.screen
    assert isinstance(menu, ScenarioMenu)
    steps = [s.scenario for s in load_path("onboarding").path.steps if s.scenario]
    assert menu.ids[: len(steps)] == steps and menu.ids[0] == "pre_shift"
    assert sorted(menu.ids) == sorted(app.scenarios)
    app.draw()
    assert menu.targets.find(f"pick:{menu.ids[0]}") is not None
    hidden = menu.ids[-1]
    assert menu.targets.find(f"pick:{hidden}") is None  # below the fold
    for _ in range(len(menu.ids)):
        pygame.event.post(pygame.event.Event(pygame.MOUSEWHEEL, x=0, y=-1))
        app.step()
    app.draw()
    assert menu.targets.find(f"pick:{hidden}") is not None  # scrolled into view
    assert menu.index == 0  # the wheel scrolls; the chosen scenario stays chosen
    press(app, "down")  # a key brings the chosen one back into view
    app.draw()
    assert menu.index == 1 and menu.targets.find(f"pick:{menu.ids[1]}") is not None
    assert app.next_scenario("pre_shift") == steps[1]

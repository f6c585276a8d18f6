"""Desk tests run headless: SDL's dummy video and audio drivers, set before pygame loads."""

from __future__ import annotations

import os

os.environ["SDL_VIDEODRIVER"] = "dummy"
os.environ["SDL_AUDIODRIVER"] = "dummy"
os.environ.setdefault("PYGAME_HIDE_SUPPORT_PROMPT", "1")

import pytest  # noqa: E402

from desk.app import App  # noqa: E402
from desk.clock import ManualWall  # noqa: E402


@pytest.fixture
def make_app():  # type: ignore[no-untyped-def]
    """An App on the dummy driver with a wall clock the test moves."""
    apps: list[App] = []

    def make(lang: str = "zh", mode: str = "training", seed: int = 3, **kw: object) -> App:
        app = App(lang, kw.pop("trainee", None), mode, seed=seed, wall=ManualWall(100.0), **kw)  # type: ignore[arg-type]
        apps.append(app)
        return app

    yield make
    for app in apps:
        app.close()

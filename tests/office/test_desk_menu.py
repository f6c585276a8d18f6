"""At the desk: a trainee who signs in with the name the register holds is known by their staff
id, and the menu shows their learning path, how far they are and the next step, chosen."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from records.db import Records
from records.paths import standings


@pytest.fixture(autouse=True)
def _headless(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SDL_VIDEODRIVER", "dummy")
    monkeypatch.setenv("SDL_AUDIODRIVER", "dummy")


def test_the_menu_opens_on_the_next_step(office: Any, tmp_path: Path) -> None:
    from desk.app import App
    from desk.clock import ManualWall
    from desk.screens.menu import ScenarioMenu

    with Records(office.path, key=None) as records:
        on_the_way = [
            s for s in standings(records, records.people(registered=True))
            if s.next_step is not None and s.next_step.step.scenario and s.done
        ]  # fmt: skip
        assert on_the_way, office.counts
        st = on_the_way[0]
        app = App("zh", None, "training", seed=1, wall=ManualWall(100.0), sound=False,
                  resizable=False, records=records)  # fmt: skip
        signin = app.screen
        signin.name_text = st.person.name  # type: ignore[attr-defined]
        signin.command("ui:enter")
        assert app.trainee == st.person.id
        menu = app.screen
        assert isinstance(menu, ScenarioMenu)
        assert menu.standing is not None and menu.standing.done == st.done
        assert menu.ids[menu.index] == st.next_step.step.scenario
        shot = app.save(tmp_path / "menu.png")
        assert shot.stat().st_size > 10_000

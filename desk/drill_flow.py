"""A certification drill taken at the desk: its scenarios one after another, in exam mode, each
with a freshly drawn variant, and the verdict signed at the end.

``DrillRun`` keeps the attempt between the scenarios; the window shows the drill screen before
the first one, between them and with the result (``App.start_drill``, ``App.show_debrief``).
No pygame here.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from desk.app import App
    from desk.session import DeskSession
    from records.drills import Attempt
    from sim.drill import LoadedDrill
    from sim.scenario import LoadedScenario

__all__ = ["DrillRun"]


class DrillRun:
    """An attempt at a certification drill on the desk: its scenarios one after another, in
    exam mode, each with a freshly drawn variant; the verdict signed at the end."""

    def __init__(
        self,
        app: App,
        drill: LoadedDrill,
        attempt: Attempt,
        scenarios: dict[str, LoadedScenario],
    ) -> None:
        self.app = app
        self.drill = drill
        self.attempt = attempt
        self.scenarios = scenarios  # read once: the drill screen names them on every redraw
        self.index = 0  # how many scenarios are done
        self.summary: dict[str, Any] | None = None
        self.specs = drill.drill.drawn(attempt.uuid)  # what this attempt takes, in order

    @classmethod
    def begin(cls, app: App, drill: LoadedDrill) -> DrillRun:
        """Count a new attempt for the signed-in trainee (raises ``RecordsError`` when none is
        left, or the records refuse)."""
        from records.drills import start_attempt

        assert app.records is not None and app.trainee
        # every scenario read before the attempt counts: a broken file costs no attempt
        scenarios = {sid: app.load_one(sid) for sid in drill.drill.every_id()}
        attempt = start_attempt(app.records, drill, app.trainee)
        return cls(app, drill, attempt, scenarios)

    @property
    def total(self) -> int:
        return len(self.specs)

    @property
    def finished(self) -> bool:
        return self.summary is not None

    def start_next(self) -> DeskSession:
        from records.drills import draw_seed

        assert self.app.records is not None
        spec = self.specs[self.index]
        loaded = self.scenarios[spec.id]
        seed = draw_seed(self.app.records, loaded, self.attempt.trainee, self.drill)
        return self.app.start(
            loaded,
            seed=seed,
            drill=self.attempt.uuid,
            time_limit=spec.time_limit,
            pauses=self.drill.drill.drill.pauses,
            schedule=spec.schedule(),
        )

    def done_one(self) -> None:
        from records.drills import finish_attempt

        self.index += 1
        if self.index >= self.total and self.summary is None:
            assert self.app.records is not None
            self.summary = finish_attempt(self.app.records, self.attempt)

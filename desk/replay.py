"""Watching a recorded session again: the recorded input fed back to the engine at a chosen
position, for the replay screen's play, pause, speed and seek.

No pygame here. The position is sim time; ``seek(t)`` rebuilds the desk as it was at ``t`` from
the scenario bytes, seed and actions the records hold (the same input ``replay --headless``
scores), so what the examiner sees is what the engine derives, never a video of the screen.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from desk.session import DeskSession, Mode
from scoring.result import Finding
from scoring.session import feed

if TYPE_CHECKING:
    from records.service import ReplayCheck
    from scoring.procedure import Procedure

__all__ = ["ReplayPlayer", "ReplayClock", "REPLAY_SPEEDS"]

REPLAY_SPEEDS = (1.0, 2.0, 4.0, 8.0, 16.0)


@dataclass
class ReplayClock:
    """The clock a replayed desk reads: wherever the player has put it, never paused (the
    player's own pause is shown by the replay bar, not by the desk's pause overlay)."""

    position: float = 0.0
    speed: float = 1.0
    paused: bool = False

    def now_sim(self) -> float:
        return self.position

    def busy(self) -> float:
        return 1.0


@dataclass
class ReplayPlayer:
    check: ReplayCheck
    lang: str = "zh"
    playing: bool = False
    speed: float = 1.0
    clock: ReplayClock = field(default_factory=ReplayClock)
    session: DeskSession = field(init=False)
    _next: int = field(init=False, default=0)  # the next recorded action to apply

    def __post_init__(self) -> None:
        self.actions = list(self.check.engine.actions)
        trace = self.check.engine.trace
        self.end = max((e.t for e in trace), default=0.0)
        self.complete = self.check.session.status == "complete"
        self._rebuild()

    # -- what there is to show -------------------------------------------------------------

    @property
    def position(self) -> float:
        return self.clock.position

    @property
    def findings(self) -> list[Finding]:
        """The findings of the re-derived report (what the marks on the timeline show)."""
        return list(self.check.report.findings) if self.check.report is not None else []

    @property
    def at_end(self) -> bool:
        return self.position >= self.end

    # -- moving ----------------------------------------------------------------------------

    def _rebuild(self) -> None:
        row = self.check.session
        mode: Mode = "exam" if row.mode == "exam" else "training"
        self.session = DeskSession(
            self.check.engine.loaded,
            _procedure(self.check),
            row.seed,
            self.clock,  # type: ignore[arg-type]
            trainee=row.trainee_id,
            mode=mode,
            lang=self.lang,
            busy_spells=False,
            time_limit=row.time_limit,
        )
        self._next = 0
        self.clock.position = 0.0

    def original(self, wall: Callable[[], float]) -> DeskSession:
        """The recorded session whole, as a desk session to branch from (its record named)."""
        from desk.clock import SimClock

        row = self.check.session
        session = DeskSession(
            self.check.engine.loaded,
            _procedure(self.check),
            row.seed,
            SimClock(wall),
            trainee=row.trainee_id,
            mode="training",
            lang=self.lang,
            time_limit=row.time_limit,
        )
        session.catch_up(self.actions, None, None)
        if not session.done:
            session.engine.finish(self.end)
        session.record_id, session.record_uuid = row.id, row.uuid
        return session

    def seek(self, t: float) -> None:
        """Show the desk as it was at sim time ``t`` (clamped to the session)."""
        t = max(0.0, min(float(t), self.end))
        if t < self.position:
            self._rebuild()
        engine = self.session.engine
        upto = self._next
        while upto < len(self.actions) and self.actions[upto].t <= t:
            upto += 1
        feed(engine, self.actions[self._next : upto], until=t)
        self._next = upto
        if self._next >= len(self.actions) and t >= self.end and self.complete:
            engine.finish(self.end)
        self.clock.position = t
        self.session._obs = None
        self.session._collect()
        if t >= self.end:
            self.playing = False

    def play_for(self, wall_seconds: float) -> None:
        """Move on by ``wall_seconds`` of real time at the chosen speed (while playing)."""
        if self.playing and wall_seconds > 0:
            self.seek(self.position + wall_seconds * self.speed)

    def toggle(self) -> None:
        if self.at_end:
            self.seek(0.0)
        self.playing = not self.playing

    def faster(self) -> None:
        i = REPLAY_SPEEDS.index(self.speed) if self.speed in REPLAY_SPEEDS else 0
        self.speed = REPLAY_SPEEDS[min(len(REPLAY_SPEEDS) - 1, i + 1)]

    def slower(self) -> None:
        i = REPLAY_SPEEDS.index(self.speed) if self.speed in REPLAY_SPEEDS else 0
        self.speed = REPLAY_SPEEDS[max(0, i - 1)]

    def next_mark(self, forward: bool = True) -> float | None:
        """The time of the next (or previous) finding that lost points, from the position."""
        marks = sorted({f.at for f in self.findings if f.lost and f.at is not None})
        if forward:
            later = [m for m in marks if m > self.position + 0.05]
            return later[0] if later else None
        earlier = [m for m in marks if m < self.position - 0.05]
        return earlier[-1] if earlier else None


def _procedure(check: ReplayCheck) -> Procedure:
    """The procedure the session was scored under (the report shown is the re-derived one)."""
    from scoring.procedure import load_procedure

    return check.procedure or load_procedure()

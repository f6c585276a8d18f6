"""Wall time to sim time: the one adapter between the two (speed factor, pause, busy spells).

The engine never sleeps and the desk never counts frames: each frame asks ``now_sim()`` and lets
the engine run to it. An action takes the time the vocabulary gives it (``duration``): the clock
fast-forwards through it over a short wall spell, so a 40-second data entry passes in well
under a second while the world (a customer's patience, a printer's fault) moves on with it.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

__all__ = ["SimClock", "SPEEDS", "ManualWall"]

SPEEDS = (1.0, 2.0, 4.0)


@dataclass
class _Spell:
    start: float  # active wall seconds when it began
    length: float  # active wall seconds it takes
    seconds: float  # sim seconds it adds

    def done_at(self, active: float) -> float:
        if self.length <= 0:
            return self.seconds
        return self.seconds * min(1.0, max(0.0, (active - self.start) / self.length))


class SimClock:
    """Sim-seconds since the session began, from a wall clock (injectable for tests)."""

    def __init__(
        self, wall: Callable[[], float] = time.monotonic, speed: float = 1.0, start: float = 0.0
    ) -> None:
        self._wall = wall
        self._speed = speed
        self._paused = False
        self._active_acc = 0.0  # active (unpaused) wall seconds before _run_since
        self._run_since = wall()
        self._sim_anchor = start  # a resumed session carries on from where it stopped
        self._active_anchor = 0.0
        self._spells: list[_Spell] = []

    # -- reading --------------------------------------------------------------------------

    def active(self) -> float:
        """Wall seconds the session has been running, pauses left out."""
        if self._paused:
            return self._active_acc
        return self._active_acc + (self._wall() - self._run_since)

    def now_sim(self) -> float:
        a = self.active()
        base = self._sim_anchor + (a - self._active_anchor) * self._speed
        return base + sum(s.done_at(a) for s in self._spells)

    @property
    def paused(self) -> bool:
        return self._paused

    @property
    def speed(self) -> float:
        return self._speed

    def busy(self) -> float:
        """How far the current busy spell has gone (0–1), or 1.0 when the clerk is free."""
        a = self.active()
        running = [s for s in self._spells if s.length > 0 and a < s.start + s.length]
        if not running:
            return 1.0
        return min((a - s.start) / s.length for s in running)

    # -- changing -------------------------------------------------------------------------

    def _reanchor(self) -> None:
        a = self.active()
        self._sim_anchor = self.now_sim()
        self._active_anchor = a
        self._spells = [
            _Spell(a, s.start + s.length - a, s.seconds - s.done_at(a))
            for s in self._spells
            if a < s.start + s.length
        ]

    def wall(self) -> float:
        """The wall clock's reading now (what a pause is measured with)."""
        return self._wall()

    def pause(self) -> None:
        if not self._paused:
            self._active_acc = self.active()
            self._paused = True

    def resume(self) -> None:
        if self._paused:
            self._run_since = self._wall()
            self._paused = False

    def toggle_pause(self) -> bool:
        if self._paused:
            self.resume()
        else:
            self.pause()
        return self._paused

    def set_speed(self, speed: float) -> None:
        self._reanchor()
        self._speed = speed

    def interrupt(self) -> None:
        """The action in hand is dropped (an alarm, the phone): the sim time spent on it so far
        stays spent, the rest is not, and the clerk is free at once."""
        if self._spells:
            self._reanchor()
            self._spells = []

    def spend(self, seconds: float, wall_seconds: float) -> None:
        """The clerk is busy for ``seconds`` of sim time, passed over ``wall_seconds``."""
        self._reanchor()
        self._spells.append(_Spell(self.active(), max(0.0, wall_seconds), max(0.0, seconds)))


class ManualWall:
    """A wall clock that moves only when told to: for tests, screenshots and replays."""

    def __init__(self, start: float = 0.0) -> None:
        self.now = start

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds

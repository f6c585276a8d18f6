"""The SimClock: wall time to sim time, with a speed factor, pause and busy spells."""

from __future__ import annotations

import pytest

from desk.clock import ManualWall, SimClock


def test_sim_time_follows_wall_time_at_the_speed_factor() -> None:
    wall = ManualWall(50.0)
    clock = SimClock(wall)
    wall.advance(10)
    assert clock.now_sim() == pytest.approx(10)
    clock.set_speed(4.0)
    wall.advance(5)
    assert clock.now_sim() == pytest.approx(30)


def test_pause_stops_sim_time_and_resume_goes_on_from_there() -> None:
    wall = ManualWall()
    clock = SimClock(wall)
    wall.advance(3)
    clock.pause()
    wall.advance(100)
    assert clock.now_sim() == pytest.approx(3)
    clock.resume()
    wall.advance(2)
    assert clock.now_sim() == pytest.approx(5)


def test_a_busy_spell_adds_its_seconds_over_its_wall_time() -> None:
    wall = ManualWall()
    clock = SimClock(wall)
    clock.spend(40, 0.5)
    assert clock.busy() == pytest.approx(0.0)
    wall.advance(0.25)
    assert clock.now_sim() == pytest.approx(0.25 + 20)
    assert clock.busy() == pytest.approx(0.5)
    clock.pause()  # a pause freezes the spell too
    wall.advance(10)
    assert clock.now_sim() == pytest.approx(20.25)
    clock.resume()
    wall.advance(1)
    assert clock.now_sim() == pytest.approx(41.25)
    assert clock.busy() == 1.0


def test_sim_time_never_goes_backwards() -> None:
    wall = ManualWall()
    clock = SimClock(wall)
    last = 0.0
    for i in range(200):
        wall.advance(0.05)
        if i % 7 == 0:
            clock.spend(5, 0.3)
        if i % 11 == 0:
            clock.set_speed([1.0, 2.0, 4.0][i % 3])
        if i % 13 == 0:
            clock.toggle_pause()
        now = clock.now_sim()
        assert now >= last - 1e-9
        last = now

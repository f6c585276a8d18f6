"""Benchmark of the desk scene (run on demand, not a test).

    SDL_VIDEODRIVER=dummy SDL_AUDIODRIVER=dummy python benchmarks/bench_desk.py

Measures, at 1280×720 on the dummy driver, with the printer jammed and the customer asking:
- the median time of a full desk frame (every part redrawn; the steady state reuses more);
- the CPU used by the real loop at its 60 FPS cap, as a share of one core;
- the time from launching ``python -c 'run_app(...)'`` to its first frame on screen;
- the replay screen: a frame while playing at 16×, and a seek back to the start and forward
  again (the desk is rebuilt from the recorded input).
Targets (issue #4): median ≤ 4 ms, CPU ≤ 15 %, first frame ≤ 1.5 s.
"""

from __future__ import annotations

import os

os.environ.setdefault("SDL_VIDEODRIVER", "dummy")
os.environ.setdefault("SDL_AUDIODRIVER", "dummy")

import statistics  # noqa: E402
import subprocess  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
from pathlib import Path  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from desk.app import App  # noqa: E402
from desk.clock import ManualWall  # noqa: E402
from desk.screenshots import TO_THE_JAM, settle  # noqa: E402


def _desk_mid_incident(wall: ManualWall | None = None) -> App:
    w = wall or ManualWall(1.0)
    app = App("zh", "基准", "training", seed=1, wall=w, sound=False, resizable=False)
    session = app.start("printer_jam", seed=1)
    for action, args in TO_THE_JAM:
        settle(app, w)
        session.do(action, args)
    for _ in range(80):
        w.advance(0.5)
        app.step()
    return app


def frame_times(n: int = 600) -> tuple[float, float]:
    """Median and 90th percentile (ms) of a full redraw of the desk, caches emptied each time."""
    wall = ManualWall(1.0)
    app = _desk_mid_incident(wall)
    desk = app.screen
    full, steady = [], []
    for _ in range(n):
        wall.advance(1 / 60)
        desk._regions.clear()  # type: ignore[attr-defined]
        t = time.perf_counter()
        app.draw()
        full.append(time.perf_counter() - t)
        wall.advance(1 / 60)
        t = time.perf_counter()
        app.step()
        app.draw()
        steady.append(time.perf_counter() - t)
    app.close()
    return statistics.median(full) * 1000, statistics.median(steady) * 1000


def cpu_at_cap(seconds: float = 10.0) -> float:
    """Share of one core the real loop uses (wall clock, 60 FPS cap) over ``seconds``."""
    app = _desk_mid_incident(None)
    app.wall = time.monotonic
    app.sessions[-1].clock._wall = time.monotonic  # type: ignore[attr-defined]
    app.sessions[-1].clock.__init__(time.monotonic)  # type: ignore[misc]
    import pygame

    clock = pygame.time.Clock()
    c0, w0 = time.process_time(), time.monotonic()
    while time.monotonic() - w0 < seconds:
        app.step()
        clock.tick(60)
    cpu = (time.process_time() - c0) / (time.monotonic() - w0)
    app.close()
    return cpu * 100


def first_frame(runs: int = 3) -> float:
    """Seconds from launching a fresh interpreter to the first frame of the sign-in screen."""
    code = (
        "import sys, time; t0 = float(sys.argv[1]);"
        "from desk.app import App;"
        "app = App('zh', sound=False); app.step();"
        "print(time.time() - t0); app.close()"
    )
    best = []
    for _ in range(runs):
        out = subprocess.run(
            [sys.executable, "-c", code, repr(time.time())],
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=True,
        )
        best.append(float(out.stdout.strip().splitlines()[-1]))
    return statistics.median(best)


def replay_times(n: int = 300) -> tuple[float, float]:
    """Median ms of a replay frame playing at 16×, and of a seek to the end from the start."""
    import tempfile

    from records.db import Records
    from records.service import record_agent_run, replay_session

    wall = ManualWall(1.0)
    app = App("zh", "基准", "training", seed=1, wall=wall, sound=False, resizable=False)
    with tempfile.TemporaryDirectory() as tmp:
        records = Records(Path(tmp) / "r.db", key=None)
        sid, _, _ = record_agent_run(
            records, app.load_one("combined_incident"), app.procedure, 1, "careless", "基准"
        )
        app.show_replay(replay_session(records, sid))
        records.close()
    screen = app.screen
    player = screen.player  # type: ignore[attr-defined]
    player.speed = 16.0
    frames, seeks = [], []
    for _ in range(n):
        if player.at_end:
            player.seek(0.0)
        player.playing = True
        wall.advance(1 / 60)
        t = time.perf_counter()
        app.step()
        app.draw()
        frames.append(time.perf_counter() - t)
    for _ in range(20):
        player.seek(0.0)
        t = time.perf_counter()
        player.seek(player.end)
        app.draw()
        seeks.append(time.perf_counter() - t)
    app.close()
    return statistics.median(frames) * 1000, statistics.median(seeks) * 1000


def main() -> None:
    full, steady = frame_times()
    print(f"desk frame, all parts redrawn: median {full:.2f} ms (target ≤ 4 ms)")
    print(f"desk frame, steady state:      median {steady:.2f} ms")
    print(f"CPU at the 60 FPS cap:         {cpu_at_cap():.1f} % of one core (target ≤ 15 %)")
    print(f"first frame after launch:      {first_frame():.2f} s (target ≤ 1.5 s)")
    play, seek = replay_times()
    print(f"replay frame playing at 16×:   median {play:.2f} ms")
    print(f"replay seek start → end:       median {seek:.2f} ms (combined_incident)")


if __name__ == "__main__":
    main()

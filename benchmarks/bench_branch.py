"""Benchmark (run on demand, not in the test suite): how long practice from a moment takes.

    python benchmarks/bench_branch.py [--moments 50]

Target (issue 19): branching from any moment of a 30-minute session in under 100 ms. The
session is the busiest at hand: every scenario played by the expert under a 30-minute limit,
the one with the most actions, its actions spread out to fill the half hour, so the head
replayed at the last moments is as long as a session gets. Times are CPU time of this process,
median and worst over the moments.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from scoring.branch import branch, demo, head, restore  # noqa: E402
from scoring.procedure import load_procedure  # noqa: E402
from scoring.session import play_agent  # noqa: E402
from sim.library import find_scenario, scenario_files  # noqa: E402
from sim.trace import TimedAction  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--moments", type=int, default=50)
    args = ap.parse_args()
    proc = load_procedure()
    # the busiest session at hand: every scenario played by the expert under a 30-minute
    # limit, the one with the most actions kept, its actions spread out over the half hour
    limit = 1800.0
    runs = [
        play_agent(find_scenario(p.stem, proc.ids), proc, 1, "expert", time_limit=limit)
        for p in scenario_files()
    ]
    played = max(runs, key=lambda s: len(s.actions))
    loaded, seed = played.engine.loaded, played.engine.seed
    last = max(a.t for a in played.actions) or 1.0
    stretch = max(1.0, (limit - 10.0) / last)
    actions = [TimedAction(round(a.t * stretch, 1), a.action, a.args) for a in played.actions]
    rng = random.Random(19)
    moments = sorted(rng.uniform(0, limit - 10.0) for _ in range(args.moments))
    moments[-1] = limit - 10.0  # the longest head there is

    def timed(fn) -> list[float]:  # type: ignore[no-untyped-def]
        out = []
        for at in moments:
            start = time.process_time()
            fn(at)
            out.append((time.process_time() - start) * 1000)
        return out

    def show(what: str, ms: list[float]) -> None:
        ok = "met" if max(ms) < 100 else "NOT met"
        print(f"{what}: median {statistics.median(ms):.1f} ms, worst {max(ms):.1f} ms "
              f"(target < 100 ms: {ok})")  # fmt: skip

    print(
        f"{loaded.id}: a {limit / 60:g}-minute session of {len(actions)} actions, "
        f"{len(moments)} moments"
    )
    show("restore the desk at a moment", timed(lambda at: restore(loaded, seed, actions, at)))
    rest = [TimedAction(limit - 5.0, "finish")]
    show(
        "branch: restore, play a continuation, judge",
        timed(lambda at: branch(loaded, proc, seed, actions, at, rest)),
    )
    show(
        "示范: the expert shadows the head and plays to the end, judged",
        timed(lambda at: demo(loaded, proc, seed, actions, at, steps=5)),
    )
    print(f"(head at the last moment: {len(head(actions, moments[-1]))} actions)")


if __name__ == "__main__":
    main()

"""Benchmark (run on demand, not in the test suite): complete headless runs per second and the
scorer's throughput in trace entries per second.

    python benchmarks/bench_engine.py [--seconds 3]

Targets on one core: >= 1,000 complete runs/s (engine + scorer, expert on printer_jam) and the
scorer alone >= 500,000 trace entries/s on traces of ~30 entries against ~a dozen rules.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from scoring.procedure import load_procedure  # noqa: E402
from scoring.session import judge, replay  # noqa: E402
from sim.agents import make_agent, run_agent  # noqa: E402
from sim.library import find_scenario  # noqa: E402


def timed(fn, seconds: float) -> tuple[int, float]:
    n, start = 0, time.perf_counter()
    while True:
        fn(n)
        n += 1
        elapsed = time.perf_counter() - start
        if elapsed >= seconds:
            return n, elapsed


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seconds", type=float, default=3.0)
    ap.add_argument("--scenario", default="printer_jam")
    args = ap.parse_args()
    proc = load_procedure()
    loaded = find_scenario(args.scenario, proc.ids)

    def full_run(i: int) -> None:
        engine = run_agent(loaded, i, make_agent("expert", i))
        judge(engine, proc)

    n, dt = timed(full_run, args.seconds)
    print(
        f"complete runs (agent + engine + scorer), expert on {args.scenario}: {n / dt:,.0f} runs/s"
    )

    recorded = run_agent(loaded, 0, make_agent("expert", 0))

    def replay_run(i: int) -> None:
        judge(replay(loaded, i, recorded.actions), proc)

    n, dt = timed(replay_run, args.seconds)
    print(f"complete runs (replay of a recorded input + scorer): {n / dt:,.0f} runs/s")

    traces = [
        run_agent(loaded, s, make_agent(a, s))
        for s in range(20)
        for a in ("expert", "careless", "panicky")
    ]
    entries = sum(len(e.trace) for e in traces)

    def score_batch(i: int) -> None:
        for e in traces:
            judge(e, proc)

    n, dt = timed(score_batch, args.seconds)
    rules = len(loaded.scenario.rules)
    print(
        f"scorer alone: {n * entries / dt:,.0f} trace entries/s "
        f"(traces of ~{entries / len(traces):.0f} entries, {rules} rules)"
    )


if __name__ == "__main__":
    main()

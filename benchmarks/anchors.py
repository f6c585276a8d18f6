"""The anchors of ``bench_all.py``: the same kind of work done by well-known tools, run in their
own environment (never the project's), so each of the project's figures is read as a ratio to
one measured on the same machine in the same run.

    <anchor python> benchmarks/anchors.py simpy|heap|cartpole SECONDS
    <anchor python> benchmarks/anchors.py declare FILE.json

Prints one line of JSON last: {"rate": ..., "unit": ...}. Imports nothing of the project.
"""

from __future__ import annotations

import heapq
import json
import sys
import time


def _timed(step, seconds: float) -> tuple[int, float]:
    n, start = 0, time.process_time()  # CPU seconds, as bench_all times the project
    while True:
        n += step()
        elapsed = time.process_time() - start
        if elapsed >= seconds:
            return n, elapsed


def simpy_events(seconds: float) -> dict[str, object]:
    """SimPy: processes that each wait on a timeout again and again (one event a wait)."""
    import simpy

    def clerk(env: simpy.Environment, period: float):
        while True:
            yield env.timeout(period)

    def batch() -> int:
        env = simpy.Environment()
        for k in range(20):
            env.process(clerk(env, 1.0 + k / 20))
        env.run(until=500)
        return int(sum(500 / (1.0 + k / 20) for k in range(20)))

    n, dt = _timed(batch, seconds)
    return {"rate": n / dt, "unit": "events/s"}


def heap_loop(seconds: float) -> dict[str, object]:
    """A tight Python event-heap loop: pop the next (t, seq) and push its follow-up."""

    def batch() -> int:
        heap = [(float(k), k) for k in range(20)]
        heapq.heapify(heap)
        seq = 20
        for _ in range(10_000):
            t, _s = heapq.heappop(heap)
            seq += 1
            heapq.heappush(heap, (t + 1.0, seq))
        return 10_000

    n, dt = _timed(batch, seconds)
    return {"rate": n / dt, "unit": "events/s"}


def cartpole_steps(seconds: float) -> dict[str, object]:
    """Gymnasium CartPole-v1 stepped with a fixed alternating policy (reset when it ends)."""
    import gymnasium as gym

    env = gym.make("CartPole-v1")
    env.reset(seed=0)
    state = {"k": 0}

    def batch() -> int:
        for _ in range(1000):
            state["k"] += 1
            _, _, terminated, truncated, _ = env.step(state["k"] % 2)
            if terminated or truncated:
                env.reset()
        return 1000

    n, dt = _timed(batch, seconds)
    return {"rate": n / dt, "unit": "steps/s"}


def declare(path: str) -> dict[str, object]:
    """pm4py's Declare conformance checking of the traces in ``path`` against its model."""
    import contextlib
    import io

    with contextlib.redirect_stdout(io.StringIO()):  # pm4py greets on import
        import pandas as pd
        import pm4py

    with open(path, encoding="utf-8") as f:
        data = json.load(f)
    rows = []
    for case, trace in enumerate(data["traces"]):
        for i, activity in enumerate(trace):
            rows.append(
                {
                    "case:concept:name": str(case),
                    "concept:name": activity,
                    "time:timestamp": pd.Timestamp(1_700_000_000 + i, unit="s"),
                }
            )
    df = pd.DataFrame(rows)
    model: dict[str, dict[object, dict[str, int]]] = {}
    for template, args in data["model"]:
        key = args[0] if len(args) == 1 else tuple(args)
        model.setdefault(template, {})[key] = {"support": 1, "confidence": 1}
    start = time.process_time()
    results = pm4py.conformance_declare(df, model)
    dt = time.process_time() - start
    fit = sum(1 for r in results if r["is_fit"])
    return {"rate": len(data["traces"]) / dt, "unit": "traces/s", "fit": fit}


def main() -> None:
    what = sys.argv[1]
    if what == "declare":
        out = declare(sys.argv[2])
    else:
        seconds = float(sys.argv[2])
        out = {"simpy": simpy_events, "heap": heap_loop, "cartpole": cartpole_steps}[what](seconds)
    print(json.dumps(out))


if __name__ == "__main__":
    main()

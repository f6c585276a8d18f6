"""Benchmark of the records database (run on demand, not in the test suite).

    python benchmarks/bench_records.py [--sessions 100000] [--keep DB]

Measures:
- durable per-action commits per second: each action (and the events it produced) committed in
  its own transaction, as the desk does (target: at least 2,000/s);
- ``history`` of one trainee and a cohort query (most-broken clauses across every current
  result) over a database of 100,000 recorded sessions (target: under 1 s each).

The large database is built from real recorded sessions: a few dozen agent runs of every
scenario are recorded through the normal API, and their rows are then copied, with fresh
session numbers, trainees and dates, up to the number asked for.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from records.db import Records  # noqa: E402
from records.service import cohort_broken_clauses, history, record_agent_run  # noqa: E402
from scoring.procedure import load_procedure  # noqa: E402
from sim.agents import make_agent, run_agent  # noqa: E402
from sim.engine import Engine  # noqa: E402
from sim.library import find_scenario, scenario_files  # noqa: E402
from sim.scenario import load_scenario  # noqa: E402


def commits_per_second(path: Path) -> tuple[float, int]:
    proc = load_procedure()
    loaded = find_scenario("combined_incident", proc.ids)
    with Records(path) as r:
        n = 0
        start = time.perf_counter()
        for seed in range(40):
            engine = Engine(loaded, seed)
            rec = r.start(loaded, proc, seed=seed, variant=engine.variant.id, trainee="bench")

            def commit(e: Engine, rec=rec) -> None:
                rec.sync(e.actions, e.trace)

            run_agent(loaded, seed, make_agent("expert", seed), engine=engine, on_action=commit)
            n += len(engine.actions)
        # the engine and agent run too; measure them alone and take them out
        total = time.perf_counter() - start
    start = time.perf_counter()
    for seed in range(40):
        run_agent(loaded, seed, make_agent("expert", seed))
    engine_only = time.perf_counter() - start
    return n / max(total - engine_only, 1e-9), n


def build(path: Path, sessions: int) -> None:
    proc = load_procedure()
    with Records(path) as r:
        for f in scenario_files():
            loaded = load_scenario(f, proc.ids)
            for seed, agent in enumerate(("expert", "careless", "panicky", "brusque", "solo")):
                record_agent_run(r, loaded, proc, seed, agent, "seed-trainee")
        c = r.conn
        base = c.execute("SELECT MAX(id) FROM sessions").fetchone()[0]
        templates = c.execute("SELECT * FROM sessions ORDER BY id").fetchall()
        cols = [d[1] for d in c.execute("PRAGMA table_info(sessions)")]
        res_cols = [d[1] for d in c.execute("PRAGMA table_info(results)")]
        results = {row[1]: row for row in c.execute("SELECT * FROM results ORDER BY id")}
        findings: dict[int, list[tuple]] = {}
        for row in c.execute("SELECT * FROM findings"):
            findings.setdefault(row[0], []).append(row)
        next_result = c.execute("SELECT MAX(id) FROM results").fetchone()[0]
        c.execute("BEGIN")
        for i in range(sessions - base):
            sid = base + 1 + i
            t = templates[i % len(templates)]
            row = list(t)
            row[cols.index("id")] = sid
            row[cols.index("uuid")] = f"bench-{sid}"
            row[cols.index("trainee_id")] = f"T{i % 2000:04d}"
            day = 1 + (i // 4000) % 28
            row[cols.index("started_at")] = f"2026-{1 + (i // 8000) % 11:02d}-{day:02d}T09:00:00Z"
            row[cols.index("status")] = "complete"
            c.execute(
                "INSERT OR IGNORE INTO trainees VALUES (?, ?, 'trainee', '2026-01-01')",
                (f"T{i % 2000:04d}", f"T{i % 2000:04d}"),
            )
            c.execute(f"INSERT INTO sessions VALUES ({','.join('?' * len(row))})", row)
            res = list(results[t[0]])
            next_result += 1
            res[res_cols.index("id")] = next_result
            res[res_cols.index("session_id")] = sid
            c.execute(f"INSERT INTO results VALUES ({','.join('?' * len(res))})", res)
            c.executemany(
                "INSERT INTO findings VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                [(next_result, *f[1:]) for f in findings[results[t[0]][0]]],
            )
        c.execute("COMMIT")
        c.execute("ANALYZE")


def timed(fn, repeat: int = 5) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sessions", type=int, default=100_000)
    ap.add_argument("--keep", type=Path, default=None, help="build (or reuse) the big DB here")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        rate, n = commits_per_second(Path(tmp) / "commits.sqlite3")
        print(f"durable per-action commits: {rate:,.0f}/s over {n} actions (target ≥ 2,000/s)")
        big = args.keep or Path(tmp) / "big.sqlite3"
        if not big.exists():
            start = time.perf_counter()
            build(big, args.sessions)
            print(f"built {args.sessions:,} sessions in {time.perf_counter() - start:.1f} s")
        with Records(big) as r:
            total = r.conn.execute("SELECT COUNT(*) FROM sessions").fetchone()[0]
            n_findings = r.conn.execute("SELECT COUNT(*) FROM findings").fetchone()[0]
            h = timed(lambda: history(r, "T0427"))
            sessions = len(history(r, "T0427").sessions)
            cohort = timed(lambda: cohort_broken_clauses(r))
            since = timed(lambda: cohort_broken_clauses(r, since="2026-10-01"))
        size = big.stat().st_size / 1e6
        print(f"database: {total:,} sessions, {n_findings:,} findings, {size:.0f} MB")
        print(f"history of one trainee ({sessions} sessions): {h * 1000:.1f} ms (target < 1 s)")
        print(f"cohort, most-broken clauses, all time: {cohort * 1000:.1f} ms (target < 1 s)")
        print(f"cohort, most-broken clauses, since 2026-10-01: {since * 1000:.1f} ms")


if __name__ == "__main__":
    main()

"""Every speed figure of issue 16, each as a ratio to an anchor measured in the same run (run on
demand; never a timed test).

    python benchmarks/bench_all.py [--quick] [--sessions 20000] [--baseline REF] [--only PART]

PART is one of scorer, engine, rescore, startup, desk. Each figure is measured three times,
interleaved with its anchor, and printed as min / median with the ratio of the medians. Work
done in one process (the scorer, the engine, the anchors) is timed in that process's CPU
seconds, so other programs on a shared machine slow neither side; re-scoring (every core),
start-up and the desk are timed by the wall clock, as a user waits for them.

Anchors (installed on first use into their own environment, ``~/.cache/desk-trainer/
bench-anchors``, never into the project's): pm4py's Declare conformance on the same traces,
Gymnasium's CartPole, SimPy and a tight Python heap loop, raw sqlite3 commits, and the bare
interpreter's start. Where they cannot be installed (no network) one line says so and the
project's own figures are still printed. ``--baseline REF`` (a git ref; by default the last
commit before the work on issue 16) measures the engine's complete runs with that code too, in
the same run, for the "2× today's" target: both codes play the baseline's own scenario files
(the same work), and today's scenario files are then timed with this code alone. This code runs
as installed — compiled by mypyc where ``pip install`` could (``sim.compiled``; the line "this
code runs:" says which) — and, for the record, from its sources too (``DESK_TRAINER_PURE=1``).

Targets: scorer ≥ 500k trace entries/s and ≥ 1.0× pm4py (traces/s, the rules Declare can
express), a 30,000-entry adversarial trace in < 50 ms; engine ≥ 2× the baseline's complete runs/s
on every scenario and a 200-customer queue growing roughly linearly (≤ 2.5× the time of 100);
re-scoring 200k sessions in < 10 min (measured on ``--sessions``, extrapolated) with both cores
busy; ``list`` < 150 ms, ``run printer_jam --agent expert --json`` < 300 ms; the desk's full
redraw ≤ 4 ms median, idle CPU at the 60 FPS cap ≤ 10 % of a core.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
ANCHORS = Path.home() / ".cache" / "desk-trainer" / "bench-anchors"
ANCHOR_PACKAGES = ["pm4py", "gymnasium", "simpy"]
REPS = 3

# -- reporting ------------------------------------------------------------------------------

_verdicts: list[tuple[str, bool]] = []


def _fmt(x: float) -> str:
    if x >= 100:
        return f"{x:,.0f}"
    if x >= 10:
        return f"{x:.1f}"
    return f"{x:.2f}"


def show(
    name: str,
    ours: list[float],
    unit: str,
    anchor: list[float] | None = None,
    anchor_name: str = "",
    target: str = "",
    met: bool | None = None,
) -> None:
    """One figure: min / median of the repetitions, and the ratio of medians to the anchor."""
    line = f"  {name}: min {_fmt(min(ours))} / median {_fmt(statistics.median(ours))} {unit}"
    if anchor:
        ratio = statistics.median(ours) / statistics.median(anchor)
        line += (
            f"  | {anchor_name}: min {_fmt(min(anchor))} / median "
            f"{_fmt(statistics.median(anchor))}  → ratio {ratio:.2f}×"
        )
    if target:
        line += f"  [target {target}: {'met' if met else 'NOT met'}]"
        _verdicts.append((name, bool(met)))
    print(line, flush=True)


def interleaved(*fns: Callable[[], float]) -> list[list[float]]:
    """Each measurement ``REPS`` times, taking turns, so the machine's load falls on all alike."""
    out: list[list[float]] = [[] for _ in fns]
    for _ in range(REPS):
        for k, fn in enumerate(fns):
            out[k].append(fn())
    return out


def timed_rate(
    fn: Callable[[], int], seconds: float, clock: Callable[[], float] = time.process_time
) -> float:
    """Units of work per (CPU) second: ``fn`` returns how many it did; repeated for ``seconds``."""
    n, start = 0, clock()
    while True:
        n += fn()
        dt = clock() - start
        if dt >= seconds:
            return n / dt


# -- anchors --------------------------------------------------------------------------------


def anchor_python() -> Path | None:
    """The anchors' interpreter, its environment made on first use (None: not to be had)."""
    py = ANCHORS / "bin" / "python"
    stamp = ANCHORS / ".installed"
    if py.exists() and stamp.exists():
        return py
    try:
        if not py.exists():
            subprocess.run([sys.executable, "-m", "venv", str(ANCHORS)], check=True)
        subprocess.run(
            [str(py), "-m", "pip", "install", "-q", *ANCHOR_PACKAGES],
            check=True,
            capture_output=True,
            timeout=900,
        )
        stamp.write_text(" ".join(ANCHOR_PACKAGES))
        return py
    except (subprocess.SubprocessError, OSError) as exc:
        reason = exc.__class__.__name__
        print(f"anchors unavailable ({' '.join(ANCHOR_PACKAGES)} not installable: {reason});"
              " the project's own figures follow without ratios")  # fmt: skip
        return None


def run_anchor(py: Path | None, *args: str) -> float | None:
    if py is None:
        return None
    out = subprocess.run(
        [str(py), str(ROOT / "benchmarks" / "anchors.py"), *args],
        capture_output=True,
        text=True,
        cwd=tempfile.gettempdir(),
    )
    if out.returncode != 0:
        print(f"  (anchor {args[0]} failed: {out.stderr.strip().splitlines()[-1:]})")
        return None
    return float(json.loads(out.stdout.strip().splitlines()[-1])["rate"])


def anchored(py: Path | None, *args: str) -> Callable[[], float]:
    return lambda: run_anchor(py, *args) or float("nan")


def _clean(xs: list[float]) -> list[float] | None:
    xs = [x for x in xs if x == x]
    return xs or None


# -- the scorer -----------------------------------------------------------------------------


def _declare_model(rules: Any) -> tuple[list[Any], list[tuple[str, list[str]]]]:
    """The rules Declare can express (plain names, no time limits, no reply matching), and
    the Declare model saying the same."""
    kept, model = [], []
    for r in rules:
        pats = [
            getattr(r, k)
            for k in ("what", "after", "until", "first", "then", "trigger")
            if getattr(r, k, None) is not None
        ]
        if any(p.args or p.tags for p in pats) or getattr(r, "within", None) is not None:
            continue
        if r.template == "required" and r.after is None:
            model.append(("existence", [r.what.name]))
        elif r.template == "forbidden" and r.until is None:
            if r.after is None:
                model.append(("absence", [r.what.name]))
            else:
                model.append(("nonsuccession", [r.after.name, r.what.name]))
        elif r.template == "before":
            model.append(("precedence", [r.first.name, r.then.name]))
        elif r.template == "response" and not (
            r.trigger.name == "customer_says" and r.what.name == "say"
        ):
            model.append(("response", [r.trigger.name, r.what.name]))
        else:
            continue
        kept.append(r)
    return kept, model


_ASKS = (("customer", "owner"), ("node", "ask_delay"))


def _adversarial(n: int) -> list[Any]:
    """A response rule's worst case: a customer asks again and again, and every reply but the
    last answers another question (each a same-name non-matching candidate)."""
    from sim.trace import TraceEntry

    half = n // 2
    entries = [
        TraceEntry(
            float(i), "event", "customer_says", (("customer", "owner"), ("node", "ask_delay"))
        )
        for i in range(half)
    ]
    entries += [
        TraceEntry(float(half + i), "action", "say", (("reply", "r_other"),), tags=("accurate",))
        for i in range(n - half - 1)
    ]
    entries.append(
        TraceEntry(float(n), "action", "say", (("reply", "r_ask_delay"),), tags=("accurate",))
    )
    return entries


def bench_scorer(
    py: Path | None, quick: bool, heap: list[float] | None, baseline: Path | None
) -> None:
    from scoring.procedure import load_procedure
    from scoring.scorer import score_trace
    from scoring.session import judge
    from sim.agents import AGENTS, make_agent, run_agent
    from sim.library import find_scenario
    from sim.scenario import load_scenario

    print("scorer", flush=True)
    proc = load_procedure()
    loaded = find_scenario("printer_jam", proc.ids)
    secs = 1.0 if quick else 2.0

    def entries_rate(which: Any) -> Callable[[], float]:
        """bench_engine's figure: ~60 traces of ``which``, every rule."""
        traces = [
            run_agent(which, s, make_agent(a, s))
            for s in range(20)
            for a in ("expert", "careless", "panicky")
        ]
        entries = sum(len(e.trace) for e in traces)

        def batch() -> int:
            for e in traces:
                judge(e, proc)
            return entries

        return lambda: timed_rate(batch, secs)

    # the target was set on printer_jam as it was then (a dozen-odd rules): the baseline's file
    then = baseline / "scenarios" / "printer_jam.yaml" if baseline is not None else None
    if then is not None and then.exists():
        old = load_scenario(then, proc.ids)
        (ours,) = interleaved(entries_rate(old))
        show(
            f"scorer, trace entries/s (bench_engine's traces on the baseline's printer_jam, "
            f"{len(old.scenario.rules)} rules)",
            ours,
            "entries/s",
            heap,
            "Python heap loop events/s",
            "≥ 500,000 entries/s",
            statistics.median(ours) >= 500_000,
        )
    (ours,) = interleaved(entries_rate(loaded))
    show(
        f"scorer, trace entries/s (today's printer_jam, {len(loaded.scenario.rules)} rules)",
        ours,
        "entries/s",
        heap,
        "Python heap loop events/s",
    )

    # the same 2,000 agent traces for us and for pm4py's Declare conformance
    names = sorted(AGENTS)
    runs = [
        run_agent(loaded, s, make_agent(names[s % len(names)], s)) for s in range(2000)
    ]  # fmt: skip
    kept, model = _declare_model(loaded.scenario.rules)
    subset = loaded.model_copy(
        update={"scenario": loaded.scenario.model_copy(update={"rules": tuple(kept)})}
    )
    activities = [
        [e.name for e in run.trace if e.kind == "event" or e.valid] for run in runs
    ]  # fmt: skip
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as f:
        json.dump({"traces": activities, "model": model}, f)
        declare_file = f.name

    def ours_rate(which: Any) -> Callable[[], float]:
        def go() -> float:
            start = time.process_time()
            for run in runs:
                score_trace(which, proc, run.trace, run.seed, run.variant.id)
            return len(runs) / (time.process_time() - start)

        return go

    subset_r, full_r, pm = interleaved(
        ours_rate(subset), ours_rate(loaded), anchored(py, "declare", declare_file)
    )
    os.unlink(declare_file)
    pm_clean = _clean(pm)
    ratio = statistics.median(subset_r) / statistics.median(pm_clean) if pm_clean else None
    show(
        f"scorer on 2,000 agent traces, the {len(kept)} rules Declare can express",
        subset_r,
        "traces/s",
        pm_clean,
        "pm4py Declare conformance",
        "≥ 1.0× pm4py",
        ratio is not None and ratio >= 1.0,
    )
    show(
        f"scorer on the same traces, all {len(loaded.scenario.rules)} rules",
        full_r,
        "traces/s",
        pm_clean,
        "pm4py Declare conformance (its subset)",
    )

    # the adversarial trace: n log n, never n²
    from scoring.procedure import Procedure  # noqa: F401  (kept imported for the adversary)
    from sim.scenario import load_scenario_bytes

    adversary = load_scenario_bytes(_ADVERSARY.encode(), "adversary.yaml", None)
    small, large = _adversarial(3_000), _adversarial(30_000)

    def ms(trace: list[Any]) -> Callable[[], float]:
        def go() -> float:
            start = time.process_time()
            score_trace(adversary, proc, trace, 0, "default")
            return (time.process_time() - start) * 1000

        return go

    t_small, t_large = interleaved(ms(small), ms(large))
    growth = statistics.median(t_large) / statistics.median(t_small)
    show(
        "adversarial response rule, 30,000 entries",
        t_large,
        f"ms (3,000 entries: median {_fmt(statistics.median(t_small))} ms; ×10 entries → "
        f"×{growth:.1f} time)",
        target="< 50 ms",
        met=statistics.median(t_large) < 50,
    )


_ADVERSARY = """
scenario:
  id: adversary
  title: {zh: 反复追问}
  briefing: {zh: 反复追问}
  kind: customer
  difficulty: 1
  time_limit: 100000
  pass_mark: 60
customers:
  - id: owner
    name: {zh: 业主}
    persona: {zh: 业主}
    request: new_connection
    dialogue:
      ask_delay:
        says: {zh: 要多久？}
        replies:
          - {id: r_ask_delay, zh: 三个工作日, tags: [accurate]}
      other:
        says: {zh: 别的}
        replies:
          - {id: r_other, zh: 别的, tags: [accurate]}
rules:
  - id: answers_each_question
    clause: "3.2.c"
    template: response
    trigger: {name: customer_says, args: {customer: owner, node: ask_delay}}
    what: {name: say, tags: [accurate]}
    weight: 1
"""


# -- the engine -----------------------------------------------------------------------------


def _queue_scenario(n: int) -> bytes:
    """A hall with ``n`` customers arriving one every 20 s, each served in turn."""
    customers, timeline = [], []
    for i in range(n):
        customers.append(
            f"  - id: c{i}\n    name: {{zh: 客户{i}}}\n    persona: {{zh: 客户}}\n"
            f"    request: new_connection\n    patience: 0.5\n"
        )
        timeline.append(
            f"  - at: {i * 20}\n    event: customer_arrives\n    args: {{customer: c{i}}}\n"
        )
    return (
        "scenario:\n  id: queue\n  title: {zh: 排队}\n  briefing: {zh: 排队}\n  kind: customer\n"
        f"  difficulty: 1\n  time_limit: {n * 60 + 600}\n  pass_mark: 60\n"
        "desk:\n  logged_in: true\n  queue_alert: 500\n"
        "customers:\n" + "".join(customers) + "timeline:\n" + "".join(timeline) +
        "rules:\n  - id: told\n    clause: \"3.1.e\"\n    template: required\n"
        "    what: inform_customer\n    weight: 1\n"
    ).encode()  # fmt: skip


def engine_runs(
    root: Path, seconds: float, scenarios: Path | None = None, *, pure: bool = False
) -> dict[str, float]:
    """Complete runs/s (expert: agent + engine + scorer) on every scenario, with the code in
    ``root`` (this tree, or the baseline's), on the scenario files in ``scenarios`` (by default
    the code's own); ``pure``: this tree's sources, not its compiled modules (sim.compiled)."""
    folder = str(scenarios or root / "scenarios")
    code = f"""
import json, sys, time
from pathlib import Path
sys.path.insert(0, {str(root)!r})
from scoring.procedure import load_procedure
from scoring.session import judge
from sim.agents import make_agent, run_agent
from sim.scenario import load_scenario
proc = load_procedure()
out = {{}}
files = sorted(p for p in Path({folder!r}).glob("*.yaml") if not p.name.startswith("_"))
for f in files:
    loaded = load_scenario(f, proc.ids)
    n, start = 0, time.process_time()
    while time.process_time() - start < {seconds}:
        judge(run_agent(loaded, n, make_agent("expert", n)), proc)
        n += 1
    out[loaded.id] = n / (time.process_time() - start)
print(json.dumps(out))
"""
    env = {k: v for k, v in os.environ.items() if k != "DESK_TRAINER_PURE"}
    if pure:
        env["DESK_TRAINER_PURE"] = "1"
    res = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=root, check=True, env=env
    )
    return {k: float(v) for k, v in json.loads(res.stdout.strip().splitlines()[-1]).items()}


# The code as it was when issue 16 set its targets ("2× today's complete runs/s"; the scorer's
# 500k entries/s on bench_engine's printer_jam traces, then a dozen rules).
ISSUE_BASELINE = "d666a5e"  # the last commit before the work on it


def baseline_tree(ref: str) -> Path | None:
    """The code at ``ref``, unpacked from git into a temporary folder (the work tree is left
    alone)."""
    print(f"  baseline: {ref[:12]}")
    dest = Path(tempfile.mkdtemp(prefix="bench-baseline-"))
    try:
        archive = subprocess.run(
            ["git", "-C", str(ROOT), "archive", ref], capture_output=True, check=True
        ).stdout
        subprocess.run(["tar", "-x", "-C", str(dest)], input=archive, check=True)
    except (subprocess.SubprocessError, OSError):
        print(f"  (baseline {ref} not found: no comparison with it)")
        return None
    return dest


def bench_engine(py: Path | None, quick: bool, baseline: Path | None) -> tuple[list[float] | None]:
    from scoring.procedure import load_procedure
    from scoring.session import replay
    from sim.agents import make_agent, run_agent
    from sim.engine import Engine
    from sim.library import find_scenario
    from sim.scenario import load_scenario_bytes

    print("engine", flush=True)
    secs = 1.0 if quick else 2.0
    proc = load_procedure()
    loaded = find_scenario("printer_jam", proc.ids)
    recorded = run_agent(loaded, 0, make_agent("expert", 0))

    def replay_steps() -> float:
        n = len(recorded.actions)
        return timed_rate(lambda: (replay(loaded, 1, recorded.actions), n)[1], secs)

    def agent_steps() -> float:
        state = {"seed": 0}

        def one() -> int:
            state["seed"] += 1
            return len(
                run_agent(loaded, state["seed"], make_agent("expert", state["seed"])).actions
            )

        return timed_rate(one, secs)

    def engine_entries() -> float:
        return timed_rate(lambda: len(replay(loaded, 1, recorded.actions).trace), secs)

    cart, rep, agent, ents, simpy_r, heap_r = interleaved(
        anchored(py, "cartpole", str(secs)),
        replay_steps,
        agent_steps,
        engine_entries,
        anchored(py, "simpy", str(secs)),
        anchored(py, "heap", str(secs)),
    )
    cart_c, simpy_c, heap_c = _clean(cart), _clean(simpy_r), _clean(heap_r)
    show("replayed steps (printer_jam)", rep, "steps/s", cart_c, "CartPole steps/s")
    show("agent + engine steps (expert)", agent, "steps/s", cart_c, "CartPole steps/s")
    show("engine trace entries (replay)", ents, "entries/s", simpy_c, "SimPy events/s")
    if heap_c:
        show("engine trace entries (replay)", ents, "entries/s", heap_c, "Python heap loop")

    # complete runs, this code and the baseline's, taking turns, on the same scenario files:
    # the baseline's own (the work "today's" figure was measured on); then today's scenarios,
    # which now do more (customers answer back, more rules), with this code alone
    from sim import compiled

    # this code as installed (compiled where pip could: sim.compiled), and from its sources
    print(f"  this code runs: {compiled.STATE}", flush=True)
    rounds: list[tuple[dict[str, float], dict[str, float] | None]] = []
    sources: list[dict[str, float]] = []
    for _ in range(REPS):
        same = baseline / "scenarios" if baseline is not None else None
        ours = engine_runs(ROOT, 0.5 if quick else 1.0, same)
        base = engine_runs(baseline, 0.5 if quick else 1.0) if baseline else None
        rounds.append((ours, base))
        if compiled.is_compiled():
            sources.append(engine_runs(ROOT, 0.5 if quick else 1.0, same, pure=True))
    for sid in sorted(rounds[0][0]):
        ours_r = [r[0][sid] for r in rounds]
        if baseline is not None and all(r[1] is not None and sid in r[1] for r in rounds):
            base_r = [r[1][sid] for r in rounds if r[1] is not None]
            ratio = statistics.median(ours_r) / statistics.median(base_r)
            show(
                f"complete runs, {sid} (the baseline's scenario file)",
                ours_r,
                "runs/s",
                base_r,
                "baseline",
                "≥ 2× baseline",
                ratio >= 2.0,
            )
        else:
            show(f"complete runs, {sid}", ours_r, "runs/s")
        if sources:  # for the record: the same code run from its sources, no target
            if baseline is not None:
                show(
                    f"  … from the sources (DESK_TRAINER_PURE=1), {sid}",
                    [r[sid] for r in sources],
                    "runs/s",
                    [r[1][sid] for r in rounds if r[1] is not None],
                    "baseline",
                )
            else:
                show(f"  … from the sources, {sid}", [r[sid] for r in sources], "runs/s")
    if baseline is not None:
        now = [engine_runs(ROOT, 0.5 if quick else 1.0) for _ in range(REPS)]
        for sid in sorted(now[0]):
            show(f"complete runs, {sid} (today's scenario file)", [r[sid] for r in now], "runs/s")

    # a queue growing: the time of a run with n customers
    queues = {
        n: load_scenario_bytes(_queue_scenario(n), "queue.yaml", proc.ids) for n in (100, 200)
    }

    def run_time(n: int) -> Callable[[], float]:
        def go() -> float:
            start = time.process_time()
            run_agent(queues[n], 0, make_agent("expert", 0), engine=Engine(queues[n], 0))
            return time.process_time() - start

        return go

    t100, t200 = interleaved(run_time(100), run_time(200))
    growth = statistics.median(t200) / statistics.median(t100)
    show(
        "a 200-customer queue, one expert run",
        [x * 1000 for x in t200],
        f"ms (100 customers: median {_fmt(statistics.median(t100) * 1000)} ms; ×2 customers → "
        f"×{growth:.2f} time)",
        target="≤ 2.5× the time of 100 (roughly linear)",
        met=growth <= 2.5,
    )
    return (heap_c,)


# -- re-scoring a year ----------------------------------------------------------------------


def build_records(path: Path, sessions: int) -> None:
    """Real recorded sessions (every scenario, five trainees, a few seeds), copied with fresh
    ids up to ``sessions``: ten distinct scenario sources, as a hall's year has."""
    from records.db import Records
    from records.service import record_agent_run
    from scoring.procedure import load_procedure
    from sim.library import scenario_files
    from sim.scenario import load_scenario

    proc = load_procedure()
    with Records(path, key=None) as r:
        for f in scenario_files():
            loaded = load_scenario(f, proc.ids)
            for seed in range(3):
                for agent in ("expert", "careless", "panicky", "brusque", "solo"):
                    record_agent_run(r, loaded, proc, seed, agent, "seed-trainee")
        c = r.conn

        def cols(table: str) -> list[str]:
            return [d[1] for d in c.execute(f"PRAGMA table_info({table})")]

        s_cols, a_cols, e_cols = cols("sessions"), cols("actions"), cols("events")
        r_cols = cols("results")
        templates = c.execute("SELECT * FROM sessions ORDER BY id").fetchall()
        acts = {t[0]: c.execute("SELECT * FROM actions WHERE session_id = ?", (t[0],)).fetchall()
                for t in templates}  # fmt: skip
        evs = {t[0]: c.execute("SELECT * FROM events WHERE session_id = ?", (t[0],)).fetchall()
               for t in templates}  # fmt: skip
        res = {row[r_cols.index("session_id")]: row
               for row in c.execute("SELECT * FROM results WHERE current = 1")}  # fmt: skip
        finds = {}
        for row in c.execute("SELECT * FROM findings"):
            finds.setdefault(row[0], []).append(row)
        sid = c.execute("SELECT MAX(id) FROM sessions").fetchone()[0]
        rid = c.execute("SELECT MAX(id) FROM results").fetchone()[0]
        c.execute("BEGIN")
        for i in range(sessions - len(templates)):
            t = templates[i % len(templates)]
            sid += 1
            row = list(t)
            row[s_cols.index("id")] = sid
            row[s_cols.index("uuid")] = f"bench-{sid}"
            c.execute(f"INSERT INTO sessions VALUES ({','.join('?' * len(row))})", row)
            c.executemany(
                f"INSERT INTO actions VALUES ({','.join('?' * len(a_cols))})",
                [(sid, *a[1:]) for a in acts[t[0]]],
            )
            c.executemany(
                f"INSERT INTO events VALUES ({','.join('?' * len(e_cols))})",
                [(sid, *e[1:]) for e in evs[t[0]]],
            )
            if t[0] in res:
                rid += 1
                rr = list(res[t[0]])
                rr[r_cols.index("id")] = rid
                rr[r_cols.index("session_id")] = sid
                c.execute(f"INSERT INTO results VALUES ({','.join('?' * len(rr))})", rr)
                c.executemany(
                    "INSERT INTO findings VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                    [(rid, *f[1:]) for f in finds.get(res[t[0]][0], [])],
                )
        c.execute("COMMIT")


def sqlite_commits(path: Path, seconds: float) -> float:
    """Raw sqlite3: one small row per committed transaction, WAL and synchronous=NORMAL as the
    records use."""
    import sqlite3

    conn = sqlite3.connect(str(path), isolation_level=None)
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("PRAGMA synchronous = NORMAL")
    conn.execute("CREATE TABLE IF NOT EXISTS t (k INTEGER, v TEXT)")
    k = [0]

    def one() -> int:
        k[0] += 1
        conn.execute("BEGIN")
        conn.execute("INSERT INTO t VALUES (?, ?)", (k[0], "x" * 200))
        conn.execute("COMMIT")
        return 1

    rate = timed_rate(one, seconds, time.perf_counter)  # a commit waits on the disk
    conn.close()
    return rate


def bench_rescore(sessions: int) -> None:
    from records.db import Records
    from records.service import rescore
    from scoring.procedure import load_procedure

    print(f"re-scoring ({sessions:,} sessions)", flush=True)
    proc = load_procedure()
    with tempfile.TemporaryDirectory() as tmp:
        template = Path(tmp) / "year.sqlite3"
        build_records(template, sessions)

        def one_run() -> tuple[float, float]:
            db = Path(tmp) / "run.sqlite3"
            for suffix in ("", "-wal", "-shm"):
                Path(str(db) + suffix).unlink(missing_ok=True)
            db.write_bytes(template.read_bytes())
            with Records(db, key=None) as r:
                ids = r.session_ids()
                c0 = resource.getrusage(resource.RUSAGE_SELF)
                k0 = resource.getrusage(resource.RUSAGE_CHILDREN)
                start = time.perf_counter()
                done = rescore(r, ids, proc)
                wall = time.perf_counter() - start
                c1 = resource.getrusage(resource.RUSAGE_SELF)
                k1 = resource.getrusage(resource.RUSAGE_CHILDREN)
            assert len(done) == len(ids)
            cpu = sum(
                b.ru_utime - a.ru_utime + b.ru_stime - a.ru_stime for a, b in ((c0, c1), (k0, k1))
            )
            return len(ids) / wall, cpu / wall

        rates, busy, commits = [], [], []
        for _ in range(REPS):
            rate, cores = one_run()
            rates.append(rate)
            busy.append(cores)
            commits.append(sqlite_commits(Path(tmp) / f"anchor{len(commits)}.sqlite3", 1.0))
    year = 200_000 / statistics.median(rates) / 60
    show(
        "rescore --all",
        rates,
        "sessions/s",
        commits,
        "raw sqlite3 commits/s",
        "200k sessions < 10 min",
        year < 10,
    )
    print(
        f"    → 200,000 sessions: {year:.1f} min (extrapolated from {sessions:,}); cores busy: "
        f"min {min(busy):.2f} / median {statistics.median(busy):.2f} of {os.cpu_count()}"
    )


# -- start-up -------------------------------------------------------------------------------


def wall_of(cmd: list[str], env: dict[str, str] | None = None) -> float:
    start = time.perf_counter()
    subprocess.run(cmd, cwd=ROOT, stdout=subprocess.DEVNULL, check=True, env=env)
    return (time.perf_counter() - start) * 1000


def bench_startup() -> None:
    print("start-up", flush=True)
    py = sys.executable
    with tempfile.TemporaryDirectory() as tmp:
        kept = dict(os.environ, DESK_TRAINER_CACHE=str(Path(tmp) / "kept"))
        wall_of([py, "run_sim.py", "list"], kept)  # what list shows is kept from now on

        def cold() -> float:  # nothing kept: the scenarios are loaded and checked
            fresh = Path(tempfile.mkdtemp(dir=tmp))
            return wall_of(
                [py, "run_sim.py", "list"], dict(os.environ, DESK_TRAINER_CACHE=str(fresh))
            )

        bare, listed, first, ran = interleaved(
            lambda: wall_of([py, "-c", "pass"]),
            lambda: wall_of([py, "run_sim.py", "list"], kept),
            cold,
            lambda: wall_of(
                [py, "run_sim.py", "run", "printer_jam", "--agent", "expert", "--json"]
            ),
        )
    show("python run_sim.py list", listed, "ms", bare, "bare interpreter start (ms)", "< 150 ms",
         statistics.median(listed) < 150)  # fmt: skip
    show("python run_sim.py list, nothing kept yet", first, "ms", bare,
         "bare interpreter start (ms)")  # fmt: skip
    show("python run_sim.py run printer_jam --agent expert --json", ran, "ms", bare,
         "bare interpreter start (ms)", "< 300 ms", statistics.median(ran) < 300)  # fmt: skip


# -- the desk -------------------------------------------------------------------------------


def bench_desk(quick: bool) -> None:
    """The desk's figures in a process of their own (pygame stays out of this one)."""
    print("desk", flush=True)
    env = dict(os.environ, SDL_AUDIODRIVER="dummy")
    if not env.get("DISPLAY"):
        env.setdefault("SDL_VIDEODRIVER", "dummy")
    where = "a real window on " + env["DISPLAY"] if env.get("DISPLAY") else "the dummy driver"
    code = f"""
import json, sys
sys.path.insert(0, {str(ROOT / "benchmarks")!r})
import bench_desk as b
full, steady = b.frame_times({150 if quick else 600})
cpu = b.cpu_at_cap({3.0 if quick else 10.0})
print(json.dumps([full, steady, cpu]))
"""

    def first_frame() -> float:
        """Seconds from starting ``run_sim.py play printer_jam`` to its first frame."""
        with tempfile.TemporaryDirectory() as tmp:
            stamp = Path(tmp) / "first"
            run_env = dict(env, DESK_TRAINER_FIRST_FRAME=str(stamp))
            start = time.time()
            proc = subprocess.Popen(
                [sys.executable, "run_sim.py", "--db", str(Path(tmp) / "r.sqlite3"), "play",
                 "printer_jam", "--trainee", "bench"],
                cwd=ROOT, env=run_env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
            )  # fmt: skip
            try:
                while not stamp.exists() and proc.poll() is None and time.time() - start < 60:
                    time.sleep(0.005)
                time.sleep(0.05)
                return float(stamp.read_text()) - start if stamp.exists() else float("nan")
            finally:
                proc.kill()
                proc.wait()

    fulls, steadies, cpus, firsts = [], [], [], []
    for _ in range(REPS):
        out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                             cwd=ROOT, env=env)  # fmt: skip
        if out.returncode != 0:
            print(f"  (desk benchmark failed: {out.stderr.strip().splitlines()[-1:]})")
            return
        full, steady, cpu = json.loads(out.stdout.strip().splitlines()[-1])
        fulls.append(full)
        steadies.append(steady)
        cpus.append(cpu)
        firsts.append(first_frame())
    print(f"  measured on {where}")
    show("desk frame, every part redrawn", fulls, "ms", target="≤ 4 ms median",
         met=statistics.median(fulls) <= 4)  # fmt: skip
    show("desk frame, steady", steadies, "ms")
    show("desk idle CPU at the 60 FPS cap", cpus, "% of a core", target="≤ 10 %",
         met=statistics.median(cpus) <= 10)  # fmt: skip
    show("desk first frame, from `run_sim.py play printer_jam` starting", firsts, "s")


# -- main -----------------------------------------------------------------------------------


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="shorter runs, 2,000 sessions")
    ap.add_argument("--sessions", type=int, default=None, help="sessions to re-score")
    ap.add_argument(
        "--baseline",
        default=None,
        help=f"git ref for the engine's 2× (default: {ISSUE_BASELINE}, before the work on it)",
    )
    ap.add_argument("--only", action="append", default=None,
                    choices=["scorer", "engine", "rescore", "startup", "desk"])  # fmt: skip
    args = ap.parse_args()
    sys.path.insert(0, str(ROOT))
    parts = args.only or ["scorer", "engine", "rescore", "startup", "desk"]
    print(f"bench_all: {os.cpu_count()} cores; each figure min / median of {REPS}, interleaved "
          "with its anchor; ratios are of the medians")  # fmt: skip
    py = anchor_python()
    heap: list[float] | None = None
    base = None
    if "engine" in parts or "scorer" in parts:
        base = baseline_tree(args.baseline or ISSUE_BASELINE)
    if "engine" in parts:
        (heap,) = bench_engine(py, args.quick, base)
    if "scorer" in parts:
        if heap is None and py is not None:
            heap = _clean([run_anchor(py, "heap", "1") or float("nan") for _ in range(REPS)])
        bench_scorer(py, args.quick, heap, base)
    if "rescore" in parts:
        bench_rescore(args.sessions or (2_000 if args.quick else 20_000))
    if "startup" in parts:
        bench_startup()
    if "desk" in parts:
        bench_desk(args.quick)
    met = sum(1 for _, ok in _verdicts if ok)
    print(f"targets met: {met} of {len(_verdicts)}")
    for name, ok in _verdicts:
        if not ok:
            print(f"  not met: {name}")


if __name__ == "__main__":
    main()

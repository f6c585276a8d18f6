"""A desk killed at a random moment leaves a record that replays exactly.

The child process plays like the desk: a ``DeskSession`` on a clock, ticking the world forward
between the trainee's actions and committing what it derives as it goes (so the record holds
world events after the last action: a queue growing, a customer losing patience). The parent
kills it with SIGKILL at a random step, then replays the record headless: the re-derived trace
must be the recorded one, entry for entry.
"""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from records.db import Records
from records.service import replay_session
from scoring.session import play_agent
from sim.library import find_scenario
from tests.records.conftest import STORES, make_target

ROOT = Path(__file__).resolve().parents[2]
KILLS = 20

CHILD = textwrap.dedent(
    """
    import json, sys, time
    from desk.clock import SimClock
    from desk.session import DeskSession
    from records.db import Records
    from scoring.procedure import load_procedure
    from sim.library import find_scenario
    from sim.trace import TimedAction

    db, scenario, seed, plan = sys.argv[1], sys.argv[2], int(sys.argv[3]), json.loads(sys.argv[4])
    proc = load_procedure()
    loaded = find_scenario(scenario, proc.ids)
    wall = [0.0]
    session = DeskSession(loaded, proc, seed, SimClock(lambda: wall[0]), trainee="0427",
                          busy_spells=False)
    records = Records(db)
    rec = records.start(loaded, proc, seed=seed, variant=session.engine.variant.id,
                        trainee="0427")
    session.attach(rec)
    step = 0
    for a in [TimedAction(**x) for x in plan]:
        while wall[0] + 0.7 < a.t:
            wall[0] += 0.7
            session.tick()
            step += 1
            print(step, flush=True)
        wall[0] = a.t
        session.tick()
        session.do(a.action, a.args)
        step += 1
        print(step, flush=True)
    print("end", flush=True)
    time.sleep(60)
    """
)


def _plans(procedure) -> list[tuple[str, int, list[dict]]]:
    plans = []
    for name, agent in (
        ("peak_queue", "careless"),
        ("printer_jam", "expert"),
        ("irate_customer", "brusque"),
        ("emergency_outage", "panicky"),
        ("combined_incident", "expert"),
    ):
        loaded = find_scenario(name, procedure.ids)
        for seed in (3, 8):
            actions = play_agent(loaded, procedure, seed, agent).actions
            # to a tenth of a second, as the desk's clock gives it
            plan = [
                {"t": round(a.t, 1), "action": a.action, "args": a.args}
                for a in actions
                if a.action != "finish"
            ]
            plans.append((name, seed, plan))
    return plans


@pytest.mark.parametrize("store", STORES)
def test_sessions_killed_at_random_moments_replay_exactly(
    store: str, tmp_path: Path, procedure, request: pytest.FixtureRequest
) -> None:
    rng = random.Random(20261201)
    plans = _plans(procedure)
    matched = 0
    for k in range(KILLS):
        name, seed, plan = plans[k % len(plans)]
        db = make_target(store, tmp_path / f"kill-{k}", request)
        child = subprocess.Popen(
            [sys.executable, "-c", CHILD, str(db), name, str(seed), json.dumps(plan)],
            cwd=ROOT,
            stdout=subprocess.PIPE,
            text=True,
        )
        assert child.stdout is not None
        # somewhere in the first part of the session, where the desk is busiest
        stop_at = rng.randint(1, 12 + 2 * len(plan))
        for line in child.stdout:
            if line.strip() == "end" or int(line) >= stop_at:
                break
        os.kill(child.pid, signal.SIGKILL)
        child.wait(timeout=30)
        with Records(db) as r:
            [row] = r.sessions()
            assert row.status == "incomplete"
            recorded = r.events(row.id)
            check = replay_session(r, row.id)
        assert check.report is None
        assert check.trace_matches, (name, seed, stop_at, recorded[-3:], check.engine.trace[-3:])
        matched += 1
    assert matched == KILLS

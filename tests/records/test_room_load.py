"""A room's load: 30 desks recording into one store at once, a few killed mid-session.

Each child plays like the desk (a ``DeskSession`` on a clock, ticking the world between the
trainee's actions, each action committed as it is taken) with a scripted trainee's plan, and
says after every commit how many actions it has recorded. The parent kills some with SIGKILL
part-way, lets the rest finish, then checks: every action a survivor confirmed is stored and
its session complete with a result; every killed session is incomplete and holds its actions up
to the kill (at least those it confirmed, never more than it played); ``verify --all`` is clean.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from records.db import Records
from records.integrity import KEY_FILE_ENV
from records.verify import verify_all
from tests.records.conftest import STORES, make_target
from tests.records.test_killed_sessions import _plans

ROOT = Path(__file__).resolve().parents[2]
DESKS = 30
KILLED = (2, 9, 15, 22, 27)  # the desks killed part-way
KEY = b"room-load-centre-key-0123456789"

CHILD = textwrap.dedent(
    """
    import json, sys, time
    from desk.clock import SimClock
    from desk.session import DeskSession
    from records.db import Records
    from scoring.procedure import load_procedure
    from sim.library import find_scenario
    from sim.trace import TimedAction

    db, scenario, seed, who, plan, stall = sys.argv[1:7]
    proc = load_procedure()
    loaded = find_scenario(scenario, proc.ids)
    wall = [0.0]
    session = DeskSession(loaded, proc, int(seed), SimClock(lambda: wall[0]), trainee=who,
                          busy_spells=False)
    records = Records(db, timeout=30)
    rec = records.start(loaded, proc, seed=int(seed), variant=session.engine.variant.id,
                        trainee=who)
    session.attach(rec)
    for a in [TimedAction(**x) for x in json.loads(plan)]:
        while wall[0] + 0.7 < a.t:
            wall[0] += 0.7
            session.tick()
        wall[0] = a.t
        session.tick()
        session.do(a.action, a.args)
        assert session.record_error is None, session.record_error
        print(len(session.engine.actions), flush=True)  # committed: the desk has synced
        if len(session.engine.actions) == int(stall):
            time.sleep(300)  # mid-session, as long as it takes the room to kill it
    session.finish()
    session.end_record()
    assert session.record_error is None, session.record_error
    print("end", flush=True)
    """
)


@pytest.mark.parametrize("store", STORES)
def test_thirty_desks_at_once_with_some_killed_keep_every_confirmed_action(
    store: str, tmp_path: Path, procedure, request: pytest.FixtureRequest
) -> None:
    db = make_target(store, tmp_path / "room", request)
    key_file = tmp_path / "centre.key"
    key_file.write_bytes(KEY)
    env = {**os.environ, KEY_FILE_ENV: str(key_file)}
    with Records(db, key=KEY):
        pass  # the schema made once, before the room starts
    plans = _plans(procedure)
    children = []
    for k in range(DESKS):
        name, seed, plan = plans[k % len(plans)]
        stall = len(plan) // 2 if k in KILLED else 0
        child = subprocess.Popen(
            [sys.executable, "-c", CHILD, str(db), name, str(seed), f"D{k:02d}",
             json.dumps(plan), str(stall)],
            cwd=ROOT, stdout=subprocess.PIPE, text=True, env=env,
        )  # fmt: skip
        children.append((k, name, plan, child))
    confirmed: dict[int, int] = {}
    finished: set[int] = set()
    for k, _name, plan, child in children:
        assert child.stdout is not None
        stop = len(plan) // 2 if k in KILLED else None
        for line in child.stdout:
            if line.strip() == "end":
                finished.add(k)
                break
            confirmed[k] = int(line)
            if stop is not None and confirmed[k] >= stop:
                os.kill(child.pid, signal.SIGKILL)
                break
    for k, _name, _plan, child in children:
        child.wait(timeout=120)
        if k not in KILLED:
            assert child.returncode == 0, f"desk {k} failed"
    assert finished == set(range(DESKS)) - set(KILLED)

    with Records(db, key=KEY) as r:
        rows = {row.trainee_id: row for row in r.sessions()}
        assert len(rows) == DESKS
        for k, _name, plan, _child in children:
            row = rows[f"D{k:02d}"]
            stored = r.actions(row.id)
            played = [(a["action"], a["args"]) for a in plan]
            got = [(a.action, dict(a.args)) for a in stored]
            if k in KILLED:
                assert row.status == "incomplete", (k, row.status)
                # its actions up to the kill: every one confirmed, none it never took
                assert confirmed[k] <= len(got) <= len(plan), (k, confirmed[k], len(got))
                assert got == played[: len(got)]
            else:
                assert row.status == "complete", (k, row.status)
                assert got[: len(played)] == played and got[-1][0] == "finish"
                assert r.results(row.id), f"desk {k} has no result"
        assert verify_all(r, KEY) == []

"""A room's write load (run on demand, never a timed test): per-action commits/s with 30 desks
recording at once into one PostgreSQL database, and the same with 30 desks on one SQLite file.

    python benchmarks/bench_room.py [--desks 30] [--sessions 4] [--pg-url postgresql://...]

Each desk is a process recording scripted trainees' sessions action by action, as the desk
does (one commit per action, with the events it set off). Without ``--pg-url`` (or
``DESK_TRAINER_PG_URL``) a throwaway cluster is made in a temporary folder with the server's
default durability (fsync on), run as the ``postgres`` user when run as root.
"""

from __future__ import annotations

import argparse
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

WORKER = """
import sys, time
from records.db import Records
from scoring.procedure import load_procedure
from sim.agents import make_agent, run_agent
from sim.engine import Engine
from sim.library import find_scenario

db, who, sessions = sys.argv[1], sys.argv[2], int(sys.argv[3])
proc = load_procedure()
names = ["printer_jam", "new_connection", "irate_customer", "emergency_outage"]
records = Records(db, timeout=60)
commits = 0
sys.stdout.write("ready\\n"); sys.stdout.flush()
sys.stdin.readline()  # every desk starts together
start = time.perf_counter()
for k in range(sessions):
    loaded = find_scenario(names[k % len(names)], proc.ids)
    engine = Engine(loaded, k)
    rec = records.start(loaded, proc, seed=k, variant=engine.variant.id, trainee=who)
    def synced(e):
        global commits
        rec.sync(e.actions, e.trace)
        commits += 1
    run_agent(loaded, k, make_agent("expert", k), engine=engine, on_action=synced)
    rec.abandon(engine.actions, engine.trace)
print(commits, time.perf_counter() - start)
"""


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _pg_bin(name: str) -> str | None:
    found = sorted(Path("/usr/lib/postgresql").glob(f"*/bin/{name}"))
    return str(found[-1]) if found else shutil.which(name)


def start_cluster() -> tuple[str, list[str], Path, str]:
    """A throwaway server with default durability: its URL, how to run as its user, its home,
    and pg_ctl."""
    initdb, pg_ctl = _pg_bin("initdb"), _pg_bin("pg_ctl")
    if initdb is None or pg_ctl is None:
        raise SystemExit("PostgreSQL's programs are not installed (apt-get install postgresql)")
    home = Path(tempfile.mkdtemp(prefix="bench-room-pg-"))
    as_user: list[str] = []
    if os.geteuid() == 0:
        as_user = ["runuser", "-u", "postgres", "--"]
        shutil.chown(home, "postgres", "postgres")
    port = _free_port()
    run = lambda *c: subprocess.run([*as_user, *c], check=True, capture_output=True, cwd=home)  # noqa: E731
    run(initdb, "-D", str(home / "data"), "-A", "trust", "-U", "postgres", "-E", "UTF8",
        "--locale=C")  # fmt: skip
    opts = f"-c listen_addresses=127.0.0.1 -p {port} -k {home} -c max_connections=200"
    run(pg_ctl, "-D", str(home / "data"), "-o", opts, "-l", str(home / "log"), "-w", "start")
    subprocess.run(
        ["psql", f"postgresql://postgres@127.0.0.1:{port}/postgres", "-qc",
         "CREATE DATABASE room"], check=True, capture_output=True,
    )  # fmt: skip
    return f"postgresql://postgres@127.0.0.1:{port}/room", as_user, home, pg_ctl


def room(db: str, desks: int, sessions: int) -> tuple[float, int, float]:
    """Commits/s over the room (all desks' commits over the wall time), commits, seconds."""
    from records.db import Records

    with Records(db):
        pass  # the schema made before the room starts
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", WORKER, db, f"B{k:02d}", str(sessions)],
            cwd=ROOT,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )  # fmt: skip
        for k in range(desks)
    ]
    for p in procs:
        assert p.stdout is not None and p.stdout.readline().strip() == "ready"
    start = time.perf_counter()
    for p in procs:
        assert p.stdin is not None
        p.stdin.write("go\n")
        p.stdin.flush()
    total = 0
    for p in procs:
        out, _ = p.communicate(timeout=600)
        total += int(out.split()[0])
    wall = time.perf_counter() - start
    return total / wall, total, wall


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--desks", type=int, default=30)
    ap.add_argument("--sessions", type=int, default=4, help="sessions each desk records")
    ap.add_argument("--pg-url", default=os.environ.get("DESK_TRAINER_PG_URL"))
    args = ap.parse_args()
    print(f"bench_room: {args.desks} desks at once, {args.sessions} sessions each, "
          f"{os.cpu_count()} cores")  # fmt: skip
    cluster = None
    url = args.pg_url
    if url is None:
        cluster = start_cluster()
        url = cluster[0]
    try:
        rate, n, wall = room(url, args.desks, args.sessions)
        print(f"  PostgreSQL: {rate:,.0f} action commits/s ({n:,} commits in {wall:.1f} s)")
    finally:
        if cluster is not None:
            _, as_user, home, pg_ctl = cluster
            subprocess.run([*as_user, pg_ctl, "-D", str(home / "data"), "-m", "fast", "-w",
                            "stop"], capture_output=True)  # fmt: skip
            shutil.rmtree(home, ignore_errors=True)
    folder = Path(tempfile.mkdtemp(prefix="bench-room-sqlite-"))
    try:
        rate, n, wall = room(str(folder / "room.sqlite3"), args.desks, args.sessions)
        print(f"  SQLite (one file): {rate:,.0f} action commits/s ({n:,} commits in {wall:.1f} s)")
    finally:
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()

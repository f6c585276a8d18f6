#!/usr/bin/env bash
# How release-0.1.sqlite3 was made: the records of the release before results became
# language-free data (commit 268ae51), written by that release's own command line, so the
# tests can prove that results stored in the earlier format still replay and verify.
# It runs only against that release: `git worktree add /tmp/r01 268ae51`, then run it there.
set -euo pipefail
db=${1:?usage: make_release_db.sh OUT.sqlite3}
export DESK_TRAINER_KEY=release-fixture-key-0123456789 DESK_TRAINER_PASSWORD=fixture-pass-1
rm -f "$db" "$db-wal" "$db-shm"
p() { python run_sim.py --db "$db" "$@" >/dev/null; }
p run printer_jam --agent expert --trainee 0427 --seed 1
p run printer_jam --agent careless --trainee 0427 --seed 2
p --lang en run irate_customer --agent brusque --trainee 0427 --seed 3
p run emergency_outage --agent paperwork_first --trainee 0501 --seed 4
p run network_outage --agent panicky --trainee 0501 --seed 5
p run combined_incident --agent expert --trainee 0501 --seed 6
p run beyond_authority --agent solo --trainee 0610 --seed 7
p run peak_queue --agent careless --trainee 0610 --seed 8
p drill annual_2026 --trainee 0427 --agent expert --headless
p drill annual_2026 --trainee 0610 --agent panicky --headless
p instructor add T001 --name 王老师
p --as T001 rescore 2
python - "$db" <<'PY'
# a desk session killed after its third action: the desk had recorded world events that
# came after that action (what a desk ticking the clock records), and no result
import sys
from records.db import Records
from scoring.procedure import load_procedure
from sim.engine import Engine
from sim.library import find_scenario
proc = load_procedure()
loaded = find_scenario("peak_queue", proc.ids)
proc = load_procedure()
with Records(sys.argv[1]) as records:
    engine = Engine(loaded, 11)
    rec = records.start(loaded, proc, seed=11, variant=engine.variant.id, trainee="0427")
    for t, action in ((2.0, "log_in"), (5.0, "check_system_status"), (8.3, "call_next_customer")):
        engine.apply(t, action)
        rec.sync(engine.actions, engine.trace)
    engine.advance(40.0)
    rec.sync(engine.actions, engine.trace)
    records.conn.execute("UPDATE sessions SET status = 'incomplete' WHERE id = ?", (rec.session_id,))
PY
sqlite3 "$db" 'PRAGMA wal_checkpoint(TRUNCATE); VACUUM;' >/dev/null 2>&1 || python - "$db" <<'PY'
import sqlite3, sys
c = sqlite3.connect(sys.argv[1]); c.execute("PRAGMA wal_checkpoint(TRUNCATE)"); c.execute("VACUUM"); c.close()
PY

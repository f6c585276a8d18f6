#!/usr/bin/env bash
# Regenerates the sample reports (docs/samples/*.html) and their screenshots
# (docs/screenshots/report-*.png) from fresh databases of scripted trainees (the drill, cohort,
# path and certificate pages come from the training office's year, make_office_samples.py):
#   bash docs/samples/make-samples.sh          (needs chromium on PATH for the screenshots)
set -euo pipefail
cd "$(dirname "$0")/../.."
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
db="$work/samples.sqlite3"
export DESK_TRAINER_KEY="${DESK_TRAINER_KEY:-sample-centre-key-not-a-secret}"
export DESK_TRAINER_PASSWORD="${DESK_TRAINER_PASSWORD:-sample-password}"
sim() { python run_sim.py --db "$db" "$@" >/dev/null; }
# a clerk takes the drill at the desk, doing what a scripted trainee would (a drill run with
# --agent is a check of the drill file: it is marked as such and never earns a certificate)
desk_drill() {
    python - "$db" "$1" "$2" <<'PY'
import sys
from records.db import Records
from records.sample_office import take_drill
from scoring.procedure import load_procedure
from sim.drill import load_drill

db, trainee, agent = sys.argv[1:]
with Records(db) as records:
    take_drill(records, load_procedure(), load_drill("annual_2026"), trainee, agent)
PY
}

# 李文博 practises and gets better: careless and panicky at first, then by the book
for step in "printer_jam careless 1" "new_connection careless 2" "emergency_outage panicky 3" \
            "irate_customer brusque 4" "emergency_outage paperwork_first 5" \
            "printer_jam expert 6" "new_connection expert 7" "emergency_outage expert 8"; do
    set -- $step
    sim run "$1" --agent "$2" --seed "$3" --trainee 李文博
done
desk_drill 李文博 careless
sim run system_fault --agent expert --seed 9 --trainee 李文博
desk_drill 李文博 expert

# the rest of the cohort, each with their habit, some twice
for pair in 张晓梅:expert 王芳:panicky 赵磊:brusque 陈静:solo 周杰:careless \
            吴敏:paperwork_first 孙丽:expert 郑强:brusque 冯雪:solo; do
    trainee=${pair%%:*} agent=${pair##*:}
    sim run emergency_outage --agent "$agent" --seed 11 --trainee "$trainee"
    desk_drill "$trainee" "$agent"
done
for pair in 王芳:expert 赵磊:expert 周杰:expert; do
    desk_drill "${pair%%:*}" "${pair##*:}"
done

# the reports that show exam results are an instructor's
sim instructor add T001 --name 王老师
as_t001=(python run_sim.py --db "$db" --as T001)
"${as_t001[@]}" report trainee 李文博 --out docs/samples/report-trainee.html
# the debrief of 李文博's emergency outage where the safety advice came second
python run_sim.py --db "$db" report session 5 --out docs/samples/report-session.html
# a training room: the hazard call thrown at five desks from the instructor's station
python docs/samples/make_rehearsal_sample.py "$db"
"${as_t001[@]}" report rehearsal --out docs/samples/report-rehearsal.html
for name in report-trainee report-session report-rehearsal; do
    python run_sim.py report png "docs/samples/$name.html" --out "docs/screenshots/$name.png"
done

# the office: a 200-person roster, the onboarding path, a year of sessions and drills
python docs/samples/make_office_samples.py

#!/usr/bin/env bash
# Regenerates the sample reports (docs/samples/*.html) and their screenshots
# (docs/screenshots/report-*.png) from a fresh database of scripted trainees:
#   bash docs/samples/make-samples.sh          (needs chromium on PATH for the screenshots)
set -euo pipefail
cd "$(dirname "$0")/../.."
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
db="$work/samples.sqlite3"
export DESK_TRAINER_KEY="${DESK_TRAINER_KEY:-sample-centre-key-not-a-secret}"
sim() { python run_sim.py --db "$db" "$@" >/dev/null; }

# 李文博 practises and gets better: careless and panicky at first, then by the book
for step in "printer_jam careless 1" "new_connection careless 2" "emergency_outage panicky 3" \
            "irate_customer brusque 4" "emergency_outage paperwork_first 5" \
            "printer_jam expert 6" "new_connection expert 7" "emergency_outage expert 8"; do
    set -- $step
    sim run "$1" --agent "$2" --seed "$3" --trainee 李文博
done
sim drill annual_2026 --trainee 李文博 --agent careless --headless
sim run system_fault --agent expert --seed 9 --trainee 李文博
sim drill annual_2026 --trainee 李文博 --agent expert --headless

# the rest of the cohort, each with their habit, some twice
for pair in 张晓梅:expert 王芳:panicky 赵磊:brusque 陈静:solo 周杰:careless \
            吴敏:paperwork_first 孙丽:expert 郑强:brusque 冯雪:solo; do
    trainee=${pair%%:*} agent=${pair##*:}
    sim run emergency_outage --agent "$agent" --seed 11 --trainee "$trainee"
    sim drill annual_2026 --trainee "$trainee" --agent "$agent" --headless
done
for pair in 王芳:expert 赵磊:expert 周杰:expert; do
    sim drill annual_2026 --trainee "${pair%%:*}" --agent "${pair##*:}" --headless
done

python run_sim.py --db "$db" report drill annual_2026 --out docs/samples/report-drill.html
python run_sim.py --db "$db" report trainee 李文博 --out docs/samples/report-trainee.html
# the debrief of 李文博's emergency outage where the safety advice came second
python run_sim.py --db "$db" report session 5 --out docs/samples/report-session.html
code=$(python - "$db" <<'PY'
import sqlite3, sys
row = sqlite3.connect(sys.argv[1]).execute(
    "SELECT code FROM drill_attempts WHERE trainee_id = '李文博' AND code IS NOT NULL").fetchone()
print(row[0])
PY
)
python run_sim.py --db "$db" certificate "$code" --out docs/samples/certificate.html
for name in report-drill report-trainee report-session certificate; do
    python run_sim.py report png "docs/samples/$name.html" --out "docs/screenshots/$name.png"
done

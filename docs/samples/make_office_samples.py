"""The training office's samples: a 200-person roster (docs/samples/roster-sample.xlsx) entered,
the onboarding path assigned to every unit, a year of sessions and drills played by scripted
trainees at the desk, then the cohort, path and drill reports, a certificate and the Excel
export (beside the records file), with screenshots of the pages in headless Chromium.

    python docs/samples/make_office_samples.py [--db FILE] [--no-png]

Times are in the centre's zone (Asia/Shanghai, scenarios/_centre.yaml).
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DESK_TRAINER_KEY", "sample-centre-key-not-a-secret")
os.environ.setdefault("DESK_TRAINER_PASSWORD", "sample-password")

from records.db import Records  # noqa: E402
from records.roles import add_instructor  # noqa: E402
from records.roster import import_roster  # noqa: E402
from records.sample_office import office_year  # noqa: E402
from records.sample_roster import sample_roster, write_roster  # noqa: E402
from scoring.procedure import load_procedure  # noqa: E402
from sim.drill import load_drill  # noqa: E402
from sim.path import load_path  # noqa: E402

SAMPLES = ROOT / "docs" / "samples"
SHOTS = ROOT / "docs" / "screenshots"


def sim(db: Path, *args: str) -> None:
    cmd = [sys.executable, str(ROOT / "run_sim.py"), "--db", str(db), "--as", "T001", *args]
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--db", default=None)
    parser.add_argument("--no-png", action="store_true")
    args = parser.parse_args()
    db = Path(args.db) if args.db else Path(tempfile.mkdtemp()) / "office.sqlite3"
    today = date.today()
    people = sample_roster(200, seed=2026, today=today)
    roster = write_roster(people, SAMPLES / "roster-sample.xlsx")
    procedure, drill, path = load_procedure(), load_drill("annual_2026"), load_path("onboarding")
    t0 = time.perf_counter()
    with Records(db) as records:
        add_instructor(records, "T001", "王老师", os.environ["DESK_TRAINER_PASSWORD"])
        import_roster(records, roster, by="T001", known_paths=["onboarding"])
        for unit in records.units():
            records.assign_path("unit", unit, "onboarding", by="T001")
        counts = office_year(records, procedure, people, path, drill, today=today)
    print(f"played {counts} in {time.perf_counter() - t0:.1f} s", file=sys.stderr)
    pages = {
        "report-cohort": ("report", "cohort"),
        "report-cohort-unit": ("report", "cohort", "--unit", "江宁供电所"),
        "report-path": ("report", "path", "onboarding", "--unit", "鼓楼营业厅"),
        "report-drill": ("report", "drill", "annual_2026"),
    }
    for name, cmd in pages.items():
        t1 = time.perf_counter()
        sim(db, *cmd, "--out", str(SAMPLES / f"{name}.html"))
        print(f"{name}: {time.perf_counter() - t1:.2f} s", file=sys.stderr)
    with Records(db) as records:
        newest = [a for a in records.certified_attempts("annual_2026")][-1]
    sim(db, "certificate", str(newest.code), "--out", str(SAMPLES / "certificate.html"))
    workbook = db.with_name("export-sample.xlsx")  # beside the records: too big to keep
    sim(db, "export", "--format", "xlsx", "--out", str(workbook))
    print(workbook, file=sys.stderr)
    if not args.no_png:
        for name in [*pages, "certificate"]:
            sim(db, "report", "png", str(SAMPLES / f"{name}.html"), "--out",
                str(SHOTS / f"{name}.png"))  # fmt: skip
    print(db)


if __name__ == "__main__":
    main()

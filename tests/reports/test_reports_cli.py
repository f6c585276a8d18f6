"""``run_sim.py report ...`` and ``certificate`` as a training manager runs them."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
INSTRUCTOR_PASSWORD = "report-tests-password"


def run(
    *args: str, key: str | None = "report-tests-centre-key", password: str | None = None
) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("DESK_TRAINER_")}
    if key:
        env["DESK_TRAINER_KEY"] = key
    if password:
        env["DESK_TRAINER_PASSWORD"] = password
    return subprocess.run(
        [sys.executable, str(ROOT / "run_sim.py"), *args],
        capture_output=True, text=True, cwd=ROOT, env=env, timeout=120,
    )  # fmt: skip


def test_each_report_is_written_where_asked(filled: Any, tmp_path: Path) -> None:
    db = str(filled.path)
    jobs = {
        "session.html": ["report", "session", str(filled.emergency_session)],
        "trainee.html": ["report", "trainee", "李文博"],
        "drill.html": ["--as", "T001", "report", "drill", "annual_2026", "--since", "2020-01-01"],
        "certificate.html": ["certificate", filled.code],
    }
    for name, args in jobs.items():
        out = tmp_path / name
        r = run("--db", db, *args, "--out", str(out), password=INSTRUCTOR_PASSWORD)
        assert r.returncode == 0, r.stderr
        assert r.stdout.strip() == f"已写入 {out}"
        assert out.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    # --lang and --db after the command work too
    r = run("report", "trainee", "李文博", "--db", db, "--lang", "en")
    assert r.returncode == 0, r.stderr
    assert "Progress: 李文博" in r.stdout and '<html lang="en">' in r.stdout


def test_a_certificate_is_refused_in_one_line(filled: Any) -> None:
    db = str(filled.path)
    for attempt, words in [
        (filled.failed_attempt, "不合格"),
        (filled.unsigned_attempt, "未经培训中心密钥签名"),
        ("ZZZZ-ZZZZ-ZZZZ-ZZZZ", "ZZZZ-ZZZZ-ZZZZ-ZZZZ"),
    ]:
        r = run("--db", db, "certificate", str(attempt))
        assert r.returncode == 1
        assert r.stdout == ""
        [line] = r.stderr.strip().splitlines()
        assert words in line


def test_without_the_key_the_certificate_says_it_was_not_checked(filled: Any) -> None:
    r = run("--db", str(filled.path), "certificate", filled.code, key=None)
    assert r.returncode == 0
    assert "verify --code" in r.stderr and filled.code in r.stdout
    # on the page itself, not only on the terminal
    assert 'class="unverified"' in r.stdout and "未经核验" in r.stdout


def test_without_the_key_the_drill_report_says_it_was_not_checked(filled: Any) -> None:
    r = run("--db", str(filled.path), "--as", "T001", "report", "drill", "annual_2026", key=None,
            password=INSTRUCTOR_PASSWORD)  # fmt: skip
    # no key: no instructor either
    assert r.returncode == 2 and "密钥" in r.stderr
    from records.db import Records
    from reports import drill_report

    with Records(filled.path, key=None) as records:
        html = drill_report(records, "annual_2026")
    assert 'class="unverified"' in html and "未经核验" in html


def test_a_forged_pass_is_not_counted_by_the_drill_report(filled: Any, tmp_path: Path) -> None:
    import shutil
    import sqlite3

    from records.db import Records
    from reports.drill import drill_data

    db = tmp_path / "records.sqlite3"
    shutil.copy(filled.path, db)
    with Records(db, key=b"report-tests-centre-key") as records:
        before = drill_data(records, "annual_2026", None, "zh")
    conn = sqlite3.connect(db)
    conn.execute(
        "UPDATE drill_attempts SET passed = 1, code = 'AAAA-BBBB-CCCC-DDDD' WHERE id = ?",
        (filled.failed_attempt,),
    )
    conn.commit()
    conn.close()
    with Records(db, key=b"report-tests-centre-key") as records:
        after = drill_data(records, "annual_2026", None, "zh")
    assert after["n_passed"] == before["n_passed"] and after["n_altered"] == 1
    assert after["n_done"] == before["n_done"] - 1


def test_trainee_report_hides_exam_results_from_anyone_but_an_instructor(filled: Any) -> None:
    r = run("--db", str(filled.path), "report", "trainee", "李文博")
    assert r.returncode == 0, r.stderr
    assert "考试成绩仅培训管理员可见" in r.stdout
    r = run("--db", str(filled.path), "--as", "T001", "report", "trainee", "李文博",
            password=INSTRUCTOR_PASSWORD)  # fmt: skip
    assert r.returncode == 0 and "考试成绩仅培训管理员可见" not in r.stdout


def test_bad_input_exits_2_in_one_line(filled: Any, tmp_path: Path) -> None:
    db = str(filled.path)
    for args in (
        ["--as", "T001", "report", "drill", "annual_2026", "--since", "yesterday"],
        ["--as", "T001", "report", "drill", "no_such_drill"],
        ["report", "drill", "annual_2026"],  # every trainee's exam results: instructors only
        ["report", "trainee", "nobody"],
        ["report", "session", "999"],
    ):
        r = run("--db", db, *args, password=INSTRUCTOR_PASSWORD)
        assert r.returncode == 2, (args, r.stderr)
        assert "Traceback" not in r.stderr
        assert len(r.stderr.strip().splitlines()) == 1, r.stderr

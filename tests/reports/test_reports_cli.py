"""``run_sim.py report ...`` and ``certificate`` as a training manager runs them."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]


def run(
    *args: str, key: str | None = "report-tests-centre-key"
) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("DESK_TRAINER_KEY")}
    if key:
        env["DESK_TRAINER_KEY"] = key
    return subprocess.run(
        [sys.executable, str(ROOT / "run_sim.py"), *args],
        capture_output=True, text=True, cwd=ROOT, env=env, timeout=120,
    )  # fmt: skip


def test_each_report_is_written_where_asked(filled: Any, tmp_path: Path) -> None:
    db = str(filled.path)
    jobs = {
        "session.html": ["report", "session", str(filled.emergency_session)],
        "trainee.html": ["report", "trainee", "李文博"],
        "drill.html": ["report", "drill", "annual_2026", "--since", "2020-01-01"],
        "certificate.html": ["certificate", filled.code],
    }
    for name, args in jobs.items():
        out = tmp_path / name
        r = run("--db", db, *args, "--out", str(out))
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


def test_bad_input_exits_2_in_one_line(filled: Any, tmp_path: Path) -> None:
    db = str(filled.path)
    for args in (
        ["report", "drill", "annual_2026", "--since", "yesterday"],
        ["report", "drill", "no_such_drill"],
        ["report", "trainee", "nobody"],
        ["report", "session", "999"],
    ):
        r = run("--db", db, *args)
        assert r.returncode == 2, (args, r.stderr)
        assert "Traceback" not in r.stderr
        assert len(r.stderr.strip().splitlines()) == 1, r.stderr

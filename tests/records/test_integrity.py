"""Tampering with an exam record in each way an examiner fears, and verify catching it."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from records.db import Records
from records.integrity import header_hash, link
from records.service import record_agent_run
from records.verify import verify_session
from sim.trace import TimedAction
from tests.records.conftest import open_sql

KEY = b"training-centre-key-0123456789"
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def exam(db_target, procedure, printer_jam):
    """A signed exam session (the careless trainee, so the score is not 100), on each store."""
    db = db_target
    with Records(db, key=KEY) as r:
        sid, _, _ = record_agent_run(r, printer_jam, procedure, 3, "careless", "0427", mode="exam")
    return db, sid


def codes(db: Path, sid: int, key: bytes | None = KEY) -> set[str]:
    with Records(db, key=None) as r:
        return {f.code for f in verify_session(r, sid, key)}


def sql(db: Path, *statements: str, params: tuple = ()) -> None:
    conn = open_sql(db)
    for s in statements:
        conn.execute(s, params if "?" in s else ())
    conn.commit()
    conn.close()


def test_an_untouched_exam_verifies(exam):
    db, sid = exam
    assert codes(db, sid) == set()


def test_an_edited_action_is_caught(exam):
    db, sid = exam
    sql(db, f"UPDATE actions SET action = 'verify_data' WHERE session_id = {sid} AND seq = 5")
    found = codes(db, sid)
    assert "action_changed" in found and "report_changed" in found


def test_a_deleted_action_is_caught(exam):
    db, sid = exam
    sql(db, f"DELETE FROM actions WHERE session_id = {sid} AND seq = 4")
    assert {"action_missing", "action_count"} <= codes(db, sid)


def test_an_inserted_action_is_caught(exam):
    db, sid = exam
    conn = open_sql(db)
    n = conn.execute(f"SELECT COUNT(*) FROM actions WHERE session_id = {sid}").fetchone()[0]
    for seq in range(n - 1, 3, -1):
        conn.execute(f"UPDATE actions SET seq = seq + 1 WHERE session_id = {sid} AND seq = {seq}")
    conn.execute(
        "INSERT INTO actions (session_id, seq, t, action, args, chain) VALUES (?, 4, ?, ?, ?, ?)",
        (sid, 40.0, "verify_data", None, "0" * 64),
    )
    conn.commit()
    conn.close()
    assert {"action_changed", "action_count"} <= codes(db, sid)


def test_a_changed_score_is_caught(exam):
    db, sid = exam
    sql(db, f"UPDATE results SET score = 95, passed = 1 WHERE session_id = {sid}")
    assert "score_changed" in codes(db, sid)


def test_a_rewritten_report_is_caught_by_the_signature(exam):
    db, sid = exam
    conn = open_sql(db)
    raw = conn.execute(f"SELECT report_json FROM results WHERE session_id = {sid}").fetchone()[0]
    report = json.loads(raw)
    report.update(score=96.0, passed=True)
    for f in report["findings"]:
        f["verdict"], f["points_lost"] = "met", 0.0
    new = json.dumps(report, ensure_ascii=False, sort_keys=True).encode()
    conn.execute(
        "UPDATE results SET report_json = ?, score = 96, passed = 1 WHERE session_id = ?",
        (new, sid),
    )
    conn.commit()
    conn.close()
    found = codes(db, sid)
    assert {"report_changed", "signature_invalid"} <= found and "score_changed" not in found


def test_a_swapped_seed_is_caught(exam):
    db, sid = exam
    sql(db, f"UPDATE sessions SET seed = 4 WHERE id = {sid}")
    assert "header" in codes(db, sid)


def test_a_loosened_drill_time_limit_is_caught(db_target, procedure, printer_jam):
    db = db_target
    with Records(db, key=KEY) as r:
        sid, engine, _ = record_agent_run(
            r, printer_jam, procedure, 3, "careless", "0427", mode="exam", time_limit=300
        )
        assert engine.time_limit == 300 and r.session(sid).time_limit == 300
    assert codes(db, sid) == set()
    sql(db, f"UPDATE sessions SET time_limit = 900 WHERE id = {sid}")
    assert "header" in codes(db, sid)
    sql(db, f"UPDATE sessions SET time_limit = NULL WHERE id = {sid}")
    assert "header" in codes(db, sid)


def test_a_forger_who_rebuilds_the_chain_without_the_key_is_caught(exam):
    """Edit the header, then recompute header hash and every link: the header and the chain of
    a sealed session are keyed, so neither can be rebuilt, and only the key can re-sign."""
    db, sid = exam
    conn = open_sql(db)
    conn.execute(f"UPDATE sessions SET seed = 4 WHERE id = {sid}")
    cols = (
        "uuid", "trainee_id", "scenario_id", "scenario_sha256", "procedure_sha256",
        "seed", "variant", "mode", "drill", "started_at",
    )  # fmt: skip
    values = conn.execute(f"SELECT {', '.join(cols)} FROM sessions WHERE id = {sid}").fetchone()
    head = header_hash(dict(zip(cols, values, strict=True)))
    conn.execute(f"UPDATE sessions SET header_hash = ? WHERE id = {sid}", (head,))
    rows = conn.execute(
        f"SELECT seq, t, action, args FROM actions WHERE session_id = {sid} ORDER BY seq"
    ).fetchall()
    for seq, t, action, args in rows:
        head = link(head, seq, TimedAction(t, action, json.loads(args) if args else {}))
        conn.execute(
            f"UPDATE actions SET chain = ? WHERE session_id = {sid} AND seq = ?", (head, seq)
        )
    conn.execute(f"UPDATE results SET chain_head = ? WHERE session_id = {sid}", (head,))
    conn.commit()
    conn.close()
    found = codes(db, sid)
    assert {"signature_invalid", "header", "action_changed"} <= found


def test_a_deleted_result_is_caught(exam):
    db, sid = exam
    sql(db, "PRAGMA foreign_keys = OFF", f"DELETE FROM results WHERE session_id = {sid}")
    assert "result_missing" in codes(db, sid)


def test_an_exam_recorded_without_a_key_is_unsigned(db_target, procedure, printer_jam):
    db = db_target
    with Records(db, key=None) as r:
        sid, _, _ = record_agent_run(r, printer_jam, procedure, 0, "expert", "0427", mode="exam")
    assert codes(db, sid) == {"unsigned"}


def test_another_centres_key_is_named_not_trusted(exam):
    db, sid = exam
    assert codes(db, sid, key=b"some-other-centre-key-987654") == {"other_key"}


def test_the_command_line_verifies_and_reports_tampering(exam, tmp_path):
    db, sid = exam
    key_file = tmp_path / "centre.key"
    key_file.write_bytes(KEY)
    cmd = [sys.executable, str(ROOT / "run_sim.py"), "--db", str(db), "verify", "--all"]
    r = subprocess.run([*cmd, "--key-file", str(key_file)], capture_output=True, text=True)
    assert r.returncode == 0 and "全部完好" in r.stdout, r.stderr
    sql(db, f"UPDATE sessions SET trainee_id = trainee_id WHERE id = {sid}")  # no-op stays ok
    sql(db, f"DELETE FROM actions WHERE session_id = {sid} AND seq = 2")
    r = subprocess.run([*cmd, "--key-file", str(key_file)], capture_output=True, text=True)
    assert r.returncode == 1 and f"第 {sid} 号记录" in r.stdout and "缺失" in r.stdout
    r = subprocess.run(cmd, capture_output=True, text=True, env={"PATH": "/usr/bin:/bin"})
    assert r.returncode == 2 and "DESK_TRAINER_KEY_FILE" in r.stderr


def test_the_header_hash_is_the_one_every_release_computed():
    """What the header hash covers must not move, or every recorded session would fail
    verification (the values were computed by the code that wrote the field list twice)."""
    header = {
        "uuid": "5b0c-uuid", "trainee_id": "0427", "scenario_id": "printer_jam",
        "scenario_sha256": "ab" * 32, "procedure_sha256": "cd" * 32, "seed": 3, "variant": "v1",
        "mode": "exam", "drill": None, "started_at": "2026-11-28T09:00:00.000Z",
    }  # fmt: skip
    older = "398e0efeb753ff7de5500b1cdb0dc1f059cb705cfa74c2c77d0d50258fc6f63d"
    assert header_hash(header) == older
    assert header_hash({**header, "time_limit": None}) == older  # unset: hashed as before
    assert header_hash({**header, "time_limit": 300.0}) == (
        "ffa01c518d36ce15dda048405052f3a5b39844ad5f973b9fdca958c03beb1979"
    )

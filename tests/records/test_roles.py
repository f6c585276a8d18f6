"""Trainee and instructor are separate roles: a trainee cannot re-score, delete or export exam
results; an instructor, added with the centre's key, can."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from records.db import Records
from records.roles import RoleError, add_instructor, authenticate
from records.service import record_agent_run
from tests.records.conftest import open_sql

KEY = "training-centre-key-0123456789"
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def db(db_target, procedure, printer_jam):
    path = db_target  # a file, or a database on the server
    with Records(path, key=KEY.encode()) as r:
        record_agent_run(r, printer_jam, procedure, 0, "careless", "0427", mode="training")
        record_agent_run(r, printer_jam, procedure, 1, "careless", "0427", mode="exam")
        add_instructor(r, "T001", "王老师", "s3cret-pass")
    return path


def cli(db: Path, *args: str, password: str | None = None, key: bool = True):
    env = {k: v for k, v in os.environ.items() if not k.startswith("DESK_TRAINER")}
    if key:
        env["DESK_TRAINER_KEY"] = KEY
    if password is not None:
        env["DESK_TRAINER_PASSWORD"] = password
    return subprocess.run(
        [sys.executable, str(ROOT / "run_sim.py"), "--db", str(db), *args],
        capture_output=True, text=True, env=env, cwd=ROOT, stdin=subprocess.DEVNULL,
    )  # fmt: skip


def test_a_trainee_cannot_rescore_or_delete(db):
    for args in (("rescore", "--all"), ("delete", "2", "--yes")):
        r = cli(db, *args)
        assert r.returncode == 2 and "--as" in r.stderr and "Traceback" not in r.stderr
    with Records(db, key=None) as r:
        assert len(r.session_ids()) == 2 and len(r.results(2)) == 1


def test_a_trainee_exports_training_sessions_only(db):
    r = cli(db, "export", "--format", "json")
    assert r.returncode == 0 and "考试成绩不导出" in r.stderr
    assert [s["mode"] for s in json.loads(r.stdout)] == ["training"]
    r = cli(db, "--as", "T001", "export", "--format", "json", password="s3cret-pass")
    assert [s["mode"] for s in json.loads(r.stdout)] == ["training", "exam"]


def test_an_instructor_rescores_and_deletes(db):
    r = cli(db, "--as", "T001", "rescore", "--all", password="s3cret-pass")
    assert r.returncode == 0, r.stderr
    r = cli(db, "--as", "T001", "delete", "2", "--yes", password="s3cret-pass")
    assert r.returncode == 0 and "T001" in r.stdout
    with Records(db, key=None) as rec:
        assert rec.session_ids() == [1] and len(rec.results(1)) == 2


def test_a_wrong_password_is_refused(db):
    r = cli(db, "--as", "T001", "rescore", "--all", password="guess-guess")
    assert r.returncode == 2 and "密码不对" in r.stderr


def test_an_instructor_slipped_into_the_database_by_hand_is_refused(db):
    with Records(db, key=KEY.encode()) as r:
        row = r.conn.execute("SELECT salt, password_hash FROM staff WHERE id = 'T001'").fetchone()
    conn = open_sql(db)
    conn.execute(
        "INSERT INTO staff VALUES ('X999', '冒充', 'instructor', ?, ?, 'now', 'forged')", row
    )
    conn.commit()
    conn.close()
    with Records(db, key=KEY.encode()) as r, pytest.raises(RoleError, match="未经培训中心密钥"):
        authenticate(r, "X999", "s3cret-pass")


def test_adding_an_instructor_needs_the_centres_key(db):
    r = cli(db, "instructor", "add", "T002", password="another-pass", key=False)
    assert r.returncode == 2 and "DESK_TRAINER_KEY" in r.stderr
    r = cli(db, "instructor", "add", "T002", password="another-pass")
    assert r.returncode == 0, r.stderr
    r = cli(db, "--as", "T002", "rescore", "1", password="another-pass")
    assert r.returncode == 0, r.stderr


# -- no key, no instructor (issue 14)


def _forge_staff(db: Path) -> None:
    with Records(db, key=KEY.encode()) as r:
        row = r.conn.execute("SELECT salt, password_hash FROM staff WHERE id = 'T001'").fetchone()
    conn = open_sql(db)
    conn.execute(
        "INSERT INTO staff VALUES ('EVIL', '冒充', 'instructor', ?, ?, 'now', 'forged')", row
    )
    conn.commit()
    conn.close()


@pytest.mark.parametrize(
    "args",
    [("delete", "2", "--yes"), ("export", "--format", "json"), ("rescore", "--all"),
     ("sessions", "--json"), ("history", "0427")],
)  # fmt: skip
def test_without_the_key_no_one_signs_in_as_instructor(db, args):
    """A staff row inserted by hand, on a machine with no key: refused in one line."""
    _forge_staff(db)
    for who in ("EVIL", "T001"):
        r = cli(db, "--as", who, *args, password="s3cret-pass", key=False)
        assert r.returncode == 2, r.stdout
        [line] = r.stderr.strip().splitlines()
        assert "密钥" in line and who in line and "Traceback" not in r.stderr
    with Records(db, key=None) as rec:
        assert len(rec.session_ids()) == 2 and len(rec.results(2)) == 1


def test_exam_results_are_shown_to_instructors_only(db):
    """sessions, history and their --json follow the rule export follows."""
    r = cli(db, "sessions", "--json")
    rows = {s["mode"]: s for s in json.loads(r.stdout)}
    assert rows["exam"]["score"] is None and rows["exam"]["hidden"] is True
    assert rows["training"]["score"] is not None
    r = cli(db, "history", "0427", "--json")
    h = {s["mode"]: s for s in json.loads(r.stdout)["sessions"]}
    assert h["exam"]["score"] is None and h["training"]["score"] is not None
    r = cli(db, "history", "0427")
    assert "仅培训管理员可见" in r.stderr
    r = cli(db, "replay", "2", "--headless", "--json")
    assert json.loads(r.stdout)["report"] is None
    r = cli(db, "--as", "T001", "sessions", "--json", password="s3cret-pass")
    rows = {s["mode"]: s for s in json.loads(r.stdout)}
    assert rows["exam"]["score"] is not None and "hidden" not in rows["exam"]
    r = cli(db, "--as", "T001", "history", "0427", "--json", password="s3cret-pass")
    assert all(s["score"] is not None for s in json.loads(r.stdout)["sessions"])


def test_a_failed_sign_in_is_refused_not_quietly_given_training_only(db):
    r = cli(db, "--as", "T001", "export", "--format", "json", password="guess-guess")
    assert r.returncode == 2 and "密码不对" in r.stderr and r.stdout == ""


def test_deletions_and_rescores_are_in_the_audit_log_with_who(db):
    cli(db, "--as", "T001", "rescore", "1", password="s3cret-pass")
    cli(db, "--as", "T001", "delete", "2", "--yes", password="s3cret-pass")
    with Records(db, key=KEY.encode()) as rec:
        entries = rec.audit_entries()
    kinds = [(e.kind, e.data.get("by")) for e in entries if e.kind in ("delete", "result")]
    assert ("result", "T001") in kinds and ("delete", "T001") in kinds
    r = cli(db, "verify", "--all")
    assert r.returncode == 0, r.stdout


def test_the_instructors_station_is_for_instructors_only(db):
    r = cli(db, "console")
    assert r.returncode == 2 and "--as" in r.stderr and "Traceback" not in r.stderr
    r = cli(db, "--as", "T001", "console", password="wrong-pass")
    assert r.returncode == 2 and "Traceback" not in r.stderr

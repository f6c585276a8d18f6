"""Exports a training manager can open: CSV (Excel-ready), JSON, and dates that filter."""

from __future__ import annotations

import csv
import json
import subprocess
import sys
from pathlib import Path

import pytest

from records.db import Records
from records.export import session_dicts, since_iso, to_csv
from records.service import record_agent_run
from scoring.session import play_agent
from sim.errors import DeskTrainerError

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def filled(db_target, procedure, printer_jam):
    db = db_target
    with Records(db) as r:
        record_agent_run(r, printer_jam, procedure, 0, "expert", "0427")
        record_agent_run(r, printer_jam, procedure, 0, "careless", "0427")
        r.conn.execute("UPDATE sessions SET started_at = '2026-01-05T08:00:00.000Z' WHERE id = 1")
    return db


def test_csv_has_one_row_per_session_with_its_result(filled, procedure, printer_jam):
    with Records(filled) as r:
        rows = list(csv.DictReader(to_csv(session_dicts(r)).splitlines()))
    careless = play_agent(printer_jam, procedure, 0, "careless").report
    broken = " ".join(sorted({f.clause for f in careless.findings if f.lost}))
    assert broken == "3.1.d 3.1.e 3.2.a 4.3.e"  # no check, no review before submitting, no logs
    assert [row["session"] for row in rows] == ["1", "2"]
    assert rows[0]["score"] == "100.0" and rows[0]["passed"] == "1"
    assert rows[1]["passed"] == "0" and rows[1]["broken_clauses"] == broken


def test_since_keeps_only_later_sessions(filled):
    with Records(filled) as r:
        assert [s["session"] for s in session_dicts(r, since_iso("2026-06-01"))] == [2]
    with pytest.raises(DeskTrainerError, match="2026-11-01"):
        since_iso("11/01")


def test_the_command_line_writes_an_excel_ready_csv_and_json(filled, tmp_path):
    out = tmp_path / "成绩.csv"
    run = [sys.executable, str(ROOT / "run_sim.py"), "--db", str(filled), "export"]
    r = subprocess.run([*run, "--out", str(out)], capture_output=True, text=True, cwd=ROOT)
    assert r.returncode == 0, r.stderr
    assert out.read_bytes().startswith(b"\xef\xbb\xbf")  # UTF-8 BOM for Excel
    r = subprocess.run([*run, "--format", "json"], capture_output=True, text=True, cwd=ROOT)
    sessions = json.loads(r.stdout)
    assert sessions[1]["findings"] and sessions[1]["trainee"] == "0427"
    r = subprocess.run([*run, "--lrs", "http://127.0.0.1:9"], capture_output=True, text=True)
    assert r.returncode == 2 and "--format xapi" in r.stderr

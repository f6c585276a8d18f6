"""Outputs never endanger the records: ``--out`` and ``--trace-out`` refuse the records file
and any SQLite file, write whole or not at all, and an unwritable path is one line; a CSV cell a
spreadsheet would run is neutralised (issue 14)."""

from __future__ import annotations

import csv
import hashlib
import io
import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner

from records.db import Records
from records.export import safe_cell
from records.service import record_agent_run
from trainer.cli import main

KEY = "outputs-centre-key-0123456789"
FORMULAS = ['=HYPERLINK("http://x","y")', "=cmd|' /C calc'!A0", "+1+1", "-2+3", "@SUM(A1)"]


@pytest.fixture
def db(tmp_path: Path, procedure, printer_jam) -> Path:  # type: ignore[no-untyped-def]
    path = tmp_path / "records.sqlite3"
    with Records(path, key=KEY.encode()) as r:
        for i, name in enumerate(["张晓梅", *FORMULAS]):
            record_agent_run(r, printer_jam, procedure, i, "careless", name)
    return path


def cli(*args: str) -> tuple[int, str, str]:
    runner = CliRunner()
    r = runner.invoke(main, list(args), env={"DESK_TRAINER_KEY": KEY})
    assert r.exception is None or isinstance(r.exception, SystemExit), r.exc_info
    return r.exit_code, r.stdout, r.stderr


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.mark.parametrize(
    "args",
    [
        ["report", "session", "1", "--out", "{db}"],
        ["export", "--format", "csv", "--out", "{db}"],
        ["export", "--format", "json", "--out", "{db}-wal"],
        ["report", "png", "{html}", "--out", "{db}"],
        ["run", "printer_jam", "--agent", "expert", "--trace-out", "{db}"],
        ["certificate", "1", "--out", "{db}"],
        ["export", "--out", "{other}"],
    ],
)
def test_no_command_writes_over_or_deletes_the_records(db: Path, tmp_path: Path, args) -> None:  # type: ignore[no-untyped-def]
    html = tmp_path / "x.html"
    html.write_text("<!DOCTYPE html><p>x</p>", encoding="utf-8")
    other = tmp_path / "other.sqlite3"
    conn = sqlite3.connect(other)
    conn.execute("CREATE TABLE t (x)")
    conn.commit()
    conn.close()
    before, other_before = digest(db), digest(other)
    code, _, err = cli("--db", str(db), *(a.format(db=db, html=html, other=other) for a in args))
    assert code == 2 and len(err.strip().splitlines()) == 1, err
    assert "SQLite" in err
    assert db.exists() and digest(db) == before and digest(other) == other_before


@pytest.mark.parametrize(
    "args",
    [
        ["export", "--out", "{tmp}/nodir/x.csv"],
        ["export", "--out", "/dev/full"],
        ["run", "printer_jam", "--agent", "expert", "--trace-out", "{tmp}/nodir/t.jsonl"],
        ["report", "session", "1", "--out", "{tmp}/nodir/r.html"],
        ["schema", "--out", "{tmp}/nodir/s.json"],
    ],
)
def test_an_unwritable_path_is_one_line(db: Path, tmp_path: Path, args) -> None:  # type: ignore[no-untyped-def]
    code, _, err = cli("--db", str(db), *(a.format(tmp=tmp_path) for a in args))
    assert code == 2, err
    [line] = err.strip().splitlines()
    assert "Traceback" not in err and (
        "nodir" in line or "/dev/full" in line or str(tmp_path) in line
    )
    assert not list(tmp_path.glob(".*.tmp")) and not list(Path("/dev").glob(".full.*"))


def test_a_file_is_written_whole_by_renaming(db: Path, tmp_path: Path) -> None:
    out = tmp_path / "成绩.csv"
    out.write_text("old", encoding="utf-8")
    code, stdout, err = cli("--db", str(db), "export", "--out", str(out))
    assert code == 0, err
    assert out.read_bytes().startswith(b"\xef\xbb\xbf") and not list(tmp_path.glob(".*.tmp"))


def test_csv_cells_a_spreadsheet_would_run_are_neutralised(db: Path, tmp_path: Path) -> None:
    out = tmp_path / "成绩.csv"
    code, _, err = cli("--db", str(db), "export", "--format", "csv", "--out", str(out))
    assert code == 0, err
    raw = out.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # Excel opens it as UTF-8, Chinese intact
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))
    trainees = [r["trainee"] for r in rows]
    assert "张晓梅" in trainees
    for f in FORMULAS:
        assert "'" + f in trainees
    for row in rows:
        for cell in row.values():
            assert not cell.startswith(("=", "+", "@")) and not cell.startswith("-"), cell


def test_safe_cell_leaves_ordinary_text_alone() -> None:
    assert safe_cell("张晓梅") == "张晓梅" and safe_cell("0427") == "0427"
    assert safe_cell("=1+1") == "'=1+1" and safe_cell("\t=1") == "'\t=1"

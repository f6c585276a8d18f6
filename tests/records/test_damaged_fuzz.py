"""Commands on damaged copies of a real records file: one line, never a traceback (issue 14).

A real records file (training sessions, a person's drill attempt with its certificate, an
instructor's re-score) is damaged in seeded ways: bytes of a random page overwritten, a page
zeroed, the file cut short, or one stored value replaced by junk (a report that is not JSON, a
procedure or drill file that no longer reads, text where bytes were, an absurd number). Then one
command of the records and reports command lines runs on it, in process. It must end with exit
status 0, 1 (verify found something) or 2 (one message); nothing may escape as an exception.

CI runs a sample in seconds; the on-demand run is
``DESK_TRAINER_FUZZ=long python -m pytest tests/records/test_damaged_fuzz.py -s`` (1,000
commands; ``DESK_TRAINER_FUZZ_N`` sets another count).
"""

from __future__ import annotations

import os
import random
import shutil
import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner

from records.db import Records
from records.roles import add_instructor
from records.service import record_agent_run, rescore
from sim.drill import load_drill
from trainer.cli import main

LONG = os.environ.get("DESK_TRAINER_FUZZ") == "long"
N = int(os.environ.get("DESK_TRAINER_FUZZ_N") or (1000 if LONG else 60))
KEY = "damaged-fuzz-centre-key-0123"
PASSWORD = "fuzz-password-1"
ENV = {"DESK_TRAINER_KEY": KEY, "DESK_TRAINER_PASSWORD": PASSWORD}


@pytest.fixture(scope="module")
def real(
    tmp_path_factory: pytest.TempPathFactory, procedure, printer_jam, take_drill
) -> tuple[Path, str]:  # type: ignore[no-untyped-def]
    path = tmp_path_factory.mktemp("damaged") / "records.sqlite3"
    with Records(path, key=KEY.encode()) as r:
        add_instructor(r, "T001", "王老师", PASSWORD)
        sid, _, _ = record_agent_run(r, printer_jam, procedure, 3, "careless", "0427")
        record_agent_run(r, printer_jam, procedure, 4, "expert", "0427", mode="exam")
        code = take_drill(r, load_drill("emergency_rehearsal"), procedure, "0427", "expert")["code"]
        rescore(r, [sid], procedure, by="T001")
    return path, code


COMMANDS = [
    ["sessions"],
    ["sessions", "--json"],
    ["--as", "T001", "sessions", "--json"],
    ["history", "0427"],
    ["--as", "T001", "history", "0427", "--json"],
    ["replay", "1", "--headless", "--json"],
    ["replay", "3", "--headless"],
    ["verify", "--all"],
    ["verify", "2", "--json"],
    ["verify", "--code", "{code}"],
    ["--as", "T001", "export", "--format", "csv"],
    ["export", "--format", "json"],
    ["--as", "T001", "export", "--format", "xapi"],
    ["report", "session", "1"],
    ["--as", "T001", "report", "session", "3"],
    ["report", "trainee", "0427"],
    ["--as", "T001", "report", "drill", "emergency_rehearsal"],
    ["certificate", "{code}"],
    ["certificate", "1"],
    ["--as", "T001", "rescore", "1"],
    ["run", "printer_jam", "--agent", "expert", "--trainee", "0500"],
]

JUNK: list[object] = [
    None,
    "",
    "junk",
    "{",
    "[]",
    '{"a": 1}',
    "null",
    b"\x00\xff\xfe",
    b"not json",
    -1,
    0,
    2**62,
    1e308,
    float("nan"),
    "\ud800".encode("utf-8", "surrogatepass"),
    "x: 1\n",
    b"x: [",
    "字" * 1000,
    '{"format": 2, "findings": "x"}',
    '{"score": "a"}',
]


def damage(rng: random.Random, path: Path) -> str:
    """Damage ``path`` in place; what was done, for the message of a failure."""
    kind = rng.randrange(5)
    raw = bytearray(path.read_bytes())
    page = 4096
    pages = max(1, len(raw) // page)
    if kind == 0:  # bytes of one page overwritten
        p = rng.randrange(pages)
        for _ in range(rng.randint(1, 64)):
            raw[min(len(raw) - 1, p * page + rng.randrange(page))] = rng.randrange(256)
        path.write_bytes(raw)
        return f"page {p + 1} scribbled"
    if kind == 1:  # a page zeroed
        p = rng.randrange(pages)
        raw[p * page : (p + 1) * page] = bytes(page)
        path.write_bytes(raw)
        return f"page {p + 1} zeroed"
    if kind == 2:  # cut short
        cut = rng.randrange(len(raw))
        path.write_bytes(raw[:cut])
        return f"cut at {cut}"
    # one stored value replaced by junk
    conn = sqlite3.connect(path)
    try:
        tables = [
            r[0]
            for r in conn.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
            )
        ]
        table = rng.choice(tables)
        cols = [r[1] for r in conn.execute(f"PRAGMA table_info({table})")]
        col = rng.choice(cols)
        value = rng.choice(JUNK)
        conn.execute(
            f"UPDATE {table} SET {col} = ? WHERE rowid IN"
            f" (SELECT rowid FROM {table} ORDER BY random() LIMIT 1)",
            (value,),
        )
        conn.commit()
    except sqlite3.Error as err:
        return f"junk failed: {err}"
    finally:
        conn.close()
    return f"{table}.{col} = {value!r:.40}"


def test_commands_on_damaged_files_never_end_in_a_traceback(real, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    base, code = real
    rng = random.Random(1414)
    runner = CliRunner()
    tracebacks: list[str] = []
    for n in range(N):
        path = tmp_path / f"d{n % 4}.sqlite3"
        for suffix in ("", "-wal", "-shm"):
            Path(str(path) + suffix).unlink(missing_ok=True)
        shutil.copy(base, path)
        what = damage(rng, path)
        args = [a.replace("{code}", code) for a in rng.choice(COMMANDS)]
        result = runner.invoke(main, ["--db", str(path), *args], env=ENV)
        exc = result.exception
        if exc is not None and not isinstance(exc, SystemExit):
            tracebacks.append(f"#{n} {what} | {' '.join(args)}: {type(exc).__name__}: {exc!s:.100}")
        elif result.exit_code not in (0, 1, 2):
            tracebacks.append(f"#{n} {what} | {' '.join(args)}: exit {result.exit_code}")
    print(f"\ndamaged-file fuzz: {N} commands, {len(tracebacks)} tracebacks")
    assert tracebacks == [], "\n".join(tracebacks[:20])

"""The records: nothing lost, exact replay, re-scoring beside the old result, clear errors."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from records.db import MIGRATIONS, Records, RecordsError, report_bytes
from records.roles import add_instructor
from records.service import history, record_agent_run, replay_session, rescore
from scoring.procedure import DEFAULT_PROCEDURE, load_procedure
from sim.library import scenario_files
from sim.scenario import load_scenario, load_scenario_bytes
from tests.records.conftest import open_sql

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def db(db_target: Path | str) -> Path | str:
    """The records of a test, once in a SQLite file and once on a PostgreSQL server."""
    return db_target


@pytest.fixture
def db_file(tmp_path: Path) -> Path:
    """A SQLite records file, for what only a file can suffer (its bytes, its locks)."""
    return tmp_path / "records.sqlite3"


def _hold(db: Path | str, session: int | None = None):  # type: ignore[no-untyped-def]
    """Another program holding the records' write lock (a file's, or the server's lock of
    the audit chain or of one session's trace): what releases it."""
    from records.store.dialect import WRITE_LOCK

    if isinstance(db, Path):
        holder = sqlite3.connect(db, isolation_level=None)
        holder.execute("BEGIN EXCLUSIVE")
        return lambda: (holder.execute("ROLLBACK"), holder.close())
    holder = open_sql(db)
    if session is None:
        holder.execute("SELECT pg_advisory_lock(?)", (WRITE_LOCK,))
    else:
        holder.execute("SELECT pg_advisory_lock(?, ?)", (WRITE_LOCK, session))
    holder.commit()
    return holder.close


def test_the_database_is_wal_with_its_migrations_applied_once(db):
    with Records(db) as r:
        if isinstance(db, Path):  # a file: WAL, synced at NORMAL
            assert r.conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
            assert r.conn.execute("PRAGMA synchronous").fetchone()[0] == 1  # NORMAL
        tables = set(r.db.table_names())
    assert {"trainees", "sessions", "actions", "events", "results", "findings"} <= tables
    with Records(db) as r:  # opening again applies nothing twice
        versions = [v for (v,) in r.conn.execute("SELECT version FROM schema_migrations")]
    assert versions == list(range(1, len(MIGRATIONS) + 1))


def test_a_run_is_recorded_action_by_action_with_its_result(db, procedure, printer_jam):
    with Records(db) as r:
        sid, engine, report = record_agent_run(r, printer_jam, procedure, 2, "careless", "0427")
        row = r.session(sid)
        assert row.status == "complete" and row.trainee_id == "0427" and row.agent == "careless"
        assert row.seed == 2 and row.variant == engine.variant.id
        assert row.scenario_sha256 == printer_jam.sha256
        assert r.actions(sid) == engine.actions
        assert r.events(sid) == engine.trace
        [result] = r.results(sid)
        assert result.current and result.report_json == report_bytes(report)
        assert result.score == report.score and not result.passed
        broken = r.conn.execute(
            "SELECT clause FROM findings WHERE result_id = ? AND verdict IN ('violated', 'missed')",
            (result.id,),
        ).fetchall()
        # no check (3.2.a) and so no review before submitting (3.1.d), no fault or service log
        assert sorted(c for (c,) in broken) == ["3.1.d", "3.1.e", "3.2.a", "4.3.e"]


KILLED = textwrap.dedent(
    """
    import os, sys, time
    from records.db import Records
    from records.service import record_agent_run
    from scoring.procedure import load_procedure
    from sim.library import find_scenario
    import sim.agents as agents

    proc = load_procedure()
    loaded = find_scenario("printer_jam", proc.ids)
    real = agents.run_agent

    def slow(loaded, seed, agent, *, engine=None, on_action=None, injections=()):
        def hook(e):
            on_action(e)
            if len(e.actions) == 6:
                print("six", flush=True)
                time.sleep(60)
        return real(loaded, seed, agent, engine=engine, on_action=hook, injections=injections)

    import scoring.session as one_path
    one_path.run_agent = slow
    with Records(sys.argv[1]) as r:
        record_agent_run(r, loaded, proc, 4, "expert", "0427")
    """
)


def test_a_trainer_killed_mid_session_loses_nothing(db, procedure, printer_jam):
    proc = subprocess.Popen(
        [sys.executable, "-c", KILLED, str(db)],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert proc.stdout is not None
    assert proc.stdout.readline().strip() == "six"
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(timeout=30)
    with Records(db) as r:
        [row] = r.sessions()
        assert row.status == "incomplete"  # its process is gone
        actions = r.actions(row.id)
        assert len(actions) == 6  # every action up to the last one
        assert r.results(row.id) == []
        check = replay_session(r, row.id)
    assert check.report is None and check.trace_matches
    assert [a.action for a in check.engine.actions] == [a.action for a in actions]


@pytest.mark.parametrize("agent", ["expert", "careless", "panicky", "brusque"])
def test_every_scenario_replays_byte_for_byte(db, procedure, agent):
    with Records(db) as r:
        for path in scenario_files():
            loaded = load_scenario(path, procedure.ids)
            sid, _, _ = record_agent_run(r, loaded, procedure, 7, agent, "0427")
            check = replay_session(r, sid)
            assert check.report_matches is True, loaded.id
            assert check.trace_matches, loaded.id


def test_replay_uses_the_recorded_scenario_even_after_the_file_changed(db, procedure, tmp_path):
    original = (ROOT / "scenarios" / "printer_jam.yaml").read_bytes()
    loaded = load_scenario_bytes(original, str(tmp_path / "printer_jam.yaml"), procedure.ids)
    with Records(db) as r:
        sid, _, report = record_agent_run(r, loaded, procedure, 1, "careless", "0427")
        stored = r.scenario(r.session(sid), procedure.ids)
        assert stored.source == original and stored.sha256 == loaded.sha256
        assert replay_session(r, sid).report_matches is True


def _edition(tmp_path: Path, edition: str, old: str, new: str) -> Path:
    text = DEFAULT_PROCEDURE.read_text(encoding="utf-8")
    assert old in text
    text = text.replace("edition: clerk-2025-1", f"edition: {edition}").replace(old, new)
    path = tmp_path / f"{edition}.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_rescoring_under_a_new_edition_keeps_the_earlier_result(db, procedure, tmp_path):
    new_text = "录入信息时应逐项与客户证件核对，核对无误后方可提交。"
    edited = load_procedure(
        _edition(tmp_path, "clerk-2026-1", "在进行信息录入时,应仔细核对信息,避免错误。", new_text)
    )
    loaded = load_scenario(ROOT / "scenarios" / "printer_jam.yaml", procedure.ids)
    with Records(db) as r:
        sid, _, before = record_agent_run(r, loaded, procedure, 0, "careless", "0427")
        [change] = rescore(r, [sid], edited)
        first, second = r.results(sid)
        assert (first.current, second.current) == (False, True)
        assert first.procedure == "clerk-2025-1" and second.procedure == "clerk-2026-1"
        assert second.reason == "rescore"
        # the result holds no clause text: it is read from the edition it was scored under
        assert "3.2.a" in {f.clause for f in second.report.findings}
        assert new_text not in second.report_json.decode()
        assert r.procedure(second.procedure_sha256).clause("3.2.a").zh == new_text
        assert change.before == change.after == before.score and change.changed == ()
        # replay still checks against the result the session was played with
        assert replay_session(r, sid).report_matches is True
        # to an LRS: the re-scored verdict goes as a new statement, the earlier one voided
        from records.export import xapi_statements

        stmts = xapi_statements(r, r.session(sid))
        verdicts = [s for s in stmts if s["verb"]["display"]["en-US"] in ("passed", "failed")]
        voids = [s for s in stmts if s["verb"]["display"]["en-US"] == "voided"]
        assert len(verdicts) == 2 and verdicts[0]["id"] != verdicts[1]["id"]
        assert [v["object"]["id"] for v in voids] == [verdicts[0]["id"]]
        assert voids[0]["timestamp"] == second.created_at


def test_rescoring_with_a_corrected_rule_shows_what_changed(db, procedure, tmp_path):
    path = ROOT / "scenarios" / "printer_jam.yaml"
    text = path.read_text(encoding="utf-8")
    rule = "  - id: result_recorded\n"
    assert rule in text
    # the correction: drop the rule that required the ledger entry
    start = text.index(rule)
    end = text.find("\n  - id: ", start + len(rule))
    corrected = text[:start] + (text[end + 1 :] if end != -1 else "")
    fixed_path = tmp_path / "printer_jam.yaml"
    fixed_path.write_text(corrected, encoding="utf-8")
    fixed = load_scenario(fixed_path, procedure.ids)
    loaded = load_scenario(path, procedure.ids)
    with Records(db) as r:
        sid, _, before = record_agent_run(r, loaded, procedure, 0, "careless", "0427")
        [change] = rescore(r, [sid], procedure, scenarios={"printer_jam": fixed})
    assert change.changed == (("result_recorded", "3.1.e", "missed", "—"),)
    assert change.before == before.score < change.after


def test_a_large_rescore_fans_out_over_processes_and_changes_nothing(db, procedure, printer_jam):
    with Records(db) as r:
        ids = [
            record_agent_run(r, printer_jam, procedure, seed, "careless", "0427")[0]
            for seed in range(50)
        ]
        ticks = []
        changes = rescore(r, ids, procedure, workers=2, progress=ticks.append)
        assert len(ticks) == 50 and len(changes) == 50
        assert all(c.before == c.after and c.changed == () for c in changes)
        assert all(len(r.results(i)) == 2 for i in ids)


def test_history_lists_sessions_and_the_clauses_broken_most(db, procedure, printer_jam):
    with Records(db) as r:
        for agent in ("expert", "careless", "careless", "panicky"):
            record_agent_run(r, printer_jam, procedure, 0, agent, "0427")
        record_agent_run(r, printer_jam, procedure, 0, "careless", "0999")
        h = history(r, "0427", top=10)
    assert [s["score"] == 100 for s in h.sessions] == [True, False, False, False]
    weak = dict(h.weak_clauses)
    # counted in sessions, not findings: the two careless sessions (not 0999's) skip the check
    assert weak["3.2.a"] == 2 and weak["4.3.e"] == 2
    assert weak["5.3.b"] == 1  # the panicky session breaks two 5.3.b rules: one session
    assert h.weak_clauses[0][1] == max(weak.values())


def test_a_locked_database_is_one_clear_message(db, procedure, printer_jam):
    Records(db).close()
    release = _hold(db)
    try:
        with pytest.raises(RecordsError) as err:
            r = Records(db, timeout=0.1)
            record_agent_run(r, printer_jam, procedure, 0, "expert", "0427")
    finally:
        release()
    message = str(err.value)
    assert str(db) in message and "锁定" in message and "--db" in message
    assert "\n" not in message


def test_a_lock_mid_session_rescues_every_action(db, procedure, printer_jam, tmp_path, monkeypatch):
    # the rescue file in the test's folder, not the tester's own (a server's goes there)
    from records.store.base import StoreBase

    monkeypatch.setattr(StoreBase, "rescue_folders", lambda self: [tmp_path / "rescue"])
    with Records(db, timeout=0.1) as r:
        engine_box = []

        releases = []

        def lock_after_three(e):
            if len(e.actions) == 3 and not engine_box:
                engine_box.append(e)
                releases.append(_hold(db, rec.session_id))

        from sim.agents import make_agent, run_agent
        from sim.engine import Engine

        engine = Engine(printer_jam, 0)
        rec = r.start(printer_jam, procedure, seed=0, variant=engine.variant.id, trainee="0427")

        def on_action(e):
            lock_after_three(e)
            rec.sync(e.actions, e.trace)

        with pytest.raises(RecordsError) as err:
            run_agent(printer_jam, 0, make_agent("expert", 0), engine=engine, on_action=on_action)
        releases[0]()
        assert rec.rescued is not None and str(rec.rescued) in str(err.value)
        assert rec.rescued.parent == tmp_path / "rescue"
        saved = [json.loads(line) for line in rec.rescued.read_text("utf-8").splitlines()]
        assert [a["action"] for a in saved] == [a.action for a in engine.actions]
        assert len(r.actions(rec.session_id)) == 2  # what was committed before the lock stays


def test_a_corrupt_file_is_one_clear_message_and_is_left_alone(db_file):
    db = db_file
    garbage = b"this is not sqlite" * 400
    db.write_bytes(garbage)
    with pytest.raises(RecordsError) as err:
        Records(db)
    message = str(err.value)
    assert str(db) in message and "损坏" in message and "备份" in message
    assert db.read_bytes() == garbage


def test_a_file_from_a_newer_program_is_refused(db):
    Records(db).close()
    conn = open_sql(db)
    conn.execute("INSERT INTO schema_migrations VALUES (99, 'later')")
    conn.commit()
    conn.close()
    with pytest.raises(RecordsError, match="更新版本"):
        Records(db)


def test_an_unknown_session_is_a_clear_message(db):
    with Records(db) as r, pytest.raises(RecordsError, match="没有编号为 42"):
        r.session(42)


def run_cli(*args: str, db: Path, password: str | None = None) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("DESK_TRAINER")}
    env["DESK_TRAINER_KEY"] = "training-centre-key-0123456789"
    if password is not None:
        env["DESK_TRAINER_PASSWORD"] = password
    return subprocess.run(
        [sys.executable, str(ROOT / "run_sim.py"), "--db", str(db), *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=env,
        timeout=120,
    )


def test_the_command_line_records_replays_rescores_and_shows_history(db):
    r = run_cli("run", "printer_jam", "--agent", "careless", "--trainee", "0427", db=db)
    assert r.returncode == 0, r.stderr
    assert "第 1 号" in r.stdout
    r = run_cli("replay", "1", "--headless", "--json", db=db)
    assert r.returncode == 0, r.stderr
    out = json.loads(r.stdout)
    assert out["report_matches"] is True and out["status"] == "complete"
    r = run_cli("history", "0427", "--json", db=db)
    h = json.loads(r.stdout)
    r = run_cli("replay", "1", "--headless", "--json", db=db)
    assert h["sessions"][0]["score"] == json.loads(r.stdout)["report"]["score"] < 80
    assert {w["clause"] for w in h["weak_clauses"]} == {"3.2.a", "3.1.d", "4.3.e", "3.1.e"}
    with Records(db, key=b"training-centre-key-0123456789") as rec:
        add_instructor(rec, "T001", "王老师", "s3cret-pass")
    r = run_cli("--as", "T001", "rescore", "--all", db=db, password="s3cret-pass")
    assert r.returncode == 0 and "1 条记录" in r.stdout, r.stderr
    r = run_cli("replay", "9", "--headless", db=db)
    assert r.returncode == 2 and "没有编号为 9" in r.stderr and "Traceback" not in r.stderr


def test_the_command_line_names_a_corrupt_database(db_file):
    db = db_file
    db.write_bytes(b"garbage" * 100)
    r = run_cli("history", "0427", db=db)
    assert r.returncode == 2
    [line] = r.stderr.strip().splitlines()
    assert str(db) in line and "Traceback" not in r.stderr

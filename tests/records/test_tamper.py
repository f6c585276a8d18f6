# ruff: noqa: E501  (the case table reads best one case a line)
"""The tamper suite: every kind of change a hostile-but-fair examiner tried on a records file
(issue 14), each its own case, naming what it changes and what ``verify --all`` must say.

One records file is made once (a person's failed and passed drill attempts, a scripted
trainee's attempt, an instructor's legitimate re-score with a corrected scenario, an unfinished
exam, a paused exam, training sessions); each case tampers with its own copy and checks that
``verify_all`` reports the expected finding about the named session or attempt. The untouched
file verifies clean: a legitimate re-score is no false alarm.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from records.db import Records
from records.drills import attempts_used, find_by_code, verify_attempt
from records.integrity import header_hash, link
from records.roles import add_instructor
from records.service import record_agent_run, rescore
from records.verify import verify_all
from scoring.session import play_agent, replay
from sim.drill import load_drill
from sim.library import find_scenario
from sim.scenario import load_scenario_bytes
from sim.trace import TimedAction
from tests.records.conftest import STORES, copy_target, make_target, open_sql

KEY = b"tamper-suite-centre-key-0123"
DRILL = "emergency_rehearsal"


@dataclass(frozen=True)
class Base:
    path: Path | str  # a SQLite file, or a database on the server
    failed: int  # attempt ids
    passed: int
    scripted: int
    exam: int  # a session of the passed attempt
    failed_exam: int  # a session of the failed attempt
    agent_exam: int  # a session of the scripted attempt
    training: int  # a training session re-scored by the instructor (two results)
    rescored_exam: int  # a session of the passed attempt re-scored with a corrected scenario
    unfinished: int  # an exam left unfinished (no result, no signature)
    paused: int  # an exam paused once, outside any drill (none allowed)
    code: str


@pytest.fixture(scope="module", params=STORES)
def base(tmp_path_factory: pytest.TempPathFactory, procedure, take_drill, request) -> Base:  # type: ignore[no-untyped-def]
    path = make_target(request.param, tmp_path_factory.mktemp("tamper"), request)
    drill = load_drill(DRILL)
    with Records(path, key=KEY) as r:
        add_instructor(r, "T001", "王老师", "password-123")
        # a clerk who breaks red lines: the failed attempt has critical failures to tamper with
        failed = take_drill(r, drill, procedure, "0427", "panicky")
        passed = take_drill(r, drill, procedure, "0427", "expert")
        scripted = take_drill_scripted(r, drill, procedure)
        ids = {u: i for i, u in r.conn.execute("SELECT id, uuid FROM drill_attempts").fetchall()}
        exam = r.attempt_sessions(passed["attempt"])
        failed_sessions = r.attempt_sessions(failed["attempt"])
        failed_exam = next(
            s.id
            for s in failed_sessions
            if r.current_result(s.id).critical_failures  # type: ignore[union-attr]
        )
        agent_exam = r.attempt_sessions(scripted["attempt"])[0].id
        jam = find_scenario("printer_jam", procedure.ids)
        training, _, _ = record_agent_run(r, jam, procedure, 3, "careless", "0427")
        rescore(r, [training], procedure, by="T001")
        # an instructor corrects a rule of one scenario of the passed attempt and re-scores it
        fixed_row = next(s for s in exam if s.scenario_id == "network_outage")
        source = r.scenario_source(fixed_row.scenario_sha256)
        assert source is not None
        corrected = source.source.replace(b"weight: 5", b"weight: 6", 1)
        fixed = load_scenario_bytes(corrected, "network_outage.yaml", procedure.ids)
        rescore(r, [fixed_row.id], procedure, scenarios={"network_outage": fixed}, by="T001")
        # an exam left unfinished, and an exam paused once
        unfinished = _unfinished_exam(r, jam, procedure)
        paused = _paused_exam(r, jam, procedure)
    return Base(
        path, ids[failed["attempt"]], ids[passed["attempt"]], ids[scripted["attempt"]],
        exam[0].id, failed_exam, agent_exam, training, fixed_row.id, unfinished, paused,
        passed["code"],
    )  # fmt: skip


def take_drill_scripted(r, drill, procedure):  # type: ignore[no-untyped-def]
    from records.drills import run_drill_headless

    return run_drill_headless(r, drill, procedure, "qa", "expert")


def _unfinished_exam(r: Records, jam, procedure) -> int:  # type: ignore[no-untyped-def]
    played = play_agent(jam, procedure, 5, "expert")
    rec = r.start(jam, procedure, seed=5, variant=played.engine.variant.id, trainee="0430",
                  mode="exam")  # fmt: skip
    actions = played.engine.actions[:6]
    engine = replay(jam, 5, actions, complete=False, end=actions[-1].t)
    rec.abandon(engine.actions, engine.trace)
    return rec.session_id


def _paused_exam(r: Records, jam, procedure) -> int:  # type: ignore[no-untyped-def]
    played = play_agent(jam, procedure, 6, "expert")
    actions = list(played.engine.actions)
    t = actions[2].t
    actions[3:3] = [TimedAction(t, "pause"), TimedAction(t, "resume", {"wall": "40"})]
    engine = replay(jam, 6, actions)
    from scoring.session import judge

    rec = r.start(jam, procedure, seed=6, variant=engine.variant.id, trainee="0431",
                  mode="exam")  # fmt: skip
    rec.finish(engine.actions, engine.trace, judge(engine, procedure), procedure)
    return rec.session_id


def _findings(path: Path | str) -> list[tuple[str, int, int | None]]:
    with Records(path, key=KEY) as r:
        return [(f.code, f.session, f.attempt) for f in verify_all(r, KEY)]


def test_the_untouched_file_verifies_clean_after_a_legitimate_rescore(base: Base) -> None:
    found = _findings(base.path)
    assert [f for f in found if f[0] != "pauses_in_exam"] == []
    with Records(base.path, key=KEY) as r:
        assert verify_attempt(r, base.passed, KEY) == []
        assert len(r.results(base.rescored_exam)) == 2 and find_by_code(r, base.code)


def test_a_paused_exam_is_reported_naming_the_session(base: Base) -> None:
    assert _findings(base.path) == [("pauses_in_exam", base.paused, None)]


# -- the tampering: (what it changes, the SQL, what verify --all must say, about whom)

Sql = Callable[[sqlite3.Connection, Base], None]


def _x(*statements: str) -> Sql:
    def run(c: sqlite3.Connection, b: Base) -> None:
        for s in statements:
            c.execute(s.format(b=b))

    return run


def _copy_attempt_column(column: str, src: str, dst: str) -> Sql:
    return _x(
        f"UPDATE drill_attempts SET {column} = (SELECT {column} FROM drill_attempts"
        f" WHERE id = {{b.{src}}}) WHERE id = {{b.{dst}}}"
    )


def _rebuild_chain(session: str, *, edit: str | None = None) -> Sql:
    """Edit a session, then recompute its header hash and every link without the key."""

    def run(c: sqlite3.Connection, b: Base) -> None:
        sid = getattr(b, session)
        if edit:
            c.execute(edit.format(b=b))
        cols = ("uuid", "trainee_id", "scenario_id", "scenario_sha256", "procedure_sha256",
                "seed", "variant", "mode", "drill", "started_at", "time_limit", "agent", "seal")  # fmt: skip
        values = c.execute(f"SELECT {', '.join(cols)} FROM sessions WHERE id = {sid}").fetchone()
        head = header_hash(dict(zip(cols, values, strict=True)))
        c.execute(f"UPDATE sessions SET header_hash = ? WHERE id = {sid}", (head,))
        for seq, t, action, args in c.execute(
            f"SELECT seq, t, action, args FROM actions WHERE session_id = {sid} ORDER BY seq"
        ).fetchall():
            head = link(head, seq, TimedAction(t, action, json.loads(args) if args else {}))
            c.execute(f"UPDATE actions SET chain = ? WHERE session_id = {sid} AND seq = {seq}",
                      (head,))  # fmt: skip

    return run


def _delete_attempt(c: sqlite3.Connection, b: Base) -> None:
    uuid = c.execute(f"SELECT uuid FROM drill_attempts WHERE id = {b.failed}").fetchone()[0]
    sids = [r[0] for r in c.execute("SELECT id FROM sessions WHERE drill = ?", (uuid,))]
    for sid in sids:
        _delete_session_rows(c, sid)
    c.execute(f"DELETE FROM drill_attempts WHERE id = {b.failed}")


def _delete_session_rows(c: sqlite3.Connection, sid: int) -> None:
    rids = [r[0] for r in c.execute(f"SELECT id FROM results WHERE session_id = {sid}")]
    for rid in rids:
        c.execute(f"DELETE FROM findings WHERE result_id = {rid}")
    for table in ("results", "actions", "events"):
        c.execute(f"DELETE FROM {table} WHERE session_id = {sid}")
    c.execute(f"DELETE FROM sessions WHERE id = {sid}")


def _forge_passed(c: sqlite3.Connection, b: Base) -> None:
    c.execute(
        f"UPDATE drill_attempts SET passed = 1, code = 'AAAA-BBBB-CCCC-DDDD' WHERE id = {b.failed}"
    )


def _summary_edit(c: sqlite3.Connection, b: Base) -> None:
    raw = c.execute(f"SELECT summary_json FROM drill_attempts WHERE id = {b.passed}").fetchone()[0]
    summary = json.loads(raw)
    summary["average"] = 12.5
    c.execute(
        f"UPDATE drill_attempts SET summary_json = ?, average = 12.5 WHERE id = {b.passed}",
        (json.dumps(summary, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode(),),
    )


def _drill_source_x1(c: sqlite3.Connection, b: Base) -> None:
    source = b"x: 1\n"
    c.execute(
        f"UPDATE drill_attempts SET drill_source = ?, drill_sha256 = ? WHERE id = {b.passed}",
        (source, hashlib.sha256(source).hexdigest()),
    )
    _summary_edit(c, b)


def _insert_session(c: sqlite3.Connection, b: Base) -> None:
    cols = [r[1] for r in c.execute("PRAGMA table_info(sessions)") if r[1] != "id"]
    c.execute(
        f"INSERT INTO sessions ({', '.join(cols)}) SELECT "
        + ", ".join("'f0f0f0f0-0000-4000-8000-000000000000'" if k == "uuid" else k for k in cols)
        + f" FROM sessions WHERE id = {b.training}"
    )


def _scenario_source_edit(c: sqlite3.Connection, b: Base) -> None:
    sha = c.execute(f"SELECT scenario_sha256 FROM sessions WHERE id = {b.exam}").fetchone()[0]
    c.execute("UPDATE scenario_sources SET source = source || X'0A' WHERE sha256 = ?", (sha,))


def _procedure_source_edit(c: sqlite3.Connection, b: Base) -> None:
    c.execute("UPDATE procedure_sources SET source = source || X'0A'")


CASES: list[tuple[str, Sql, str, str]] = [
    # (what it changes, how, the finding verify --all must give, the session/attempt it names)
    # -- a session's input and header (caught before; kept as cases)
    (
        "an action's name",
        _x("UPDATE actions SET action = 'verify_data' WHERE session_id = {b.exam} AND seq = 2"),
        "action_changed",
        "exam",
    ),
    (
        "an action's time",
        _x("UPDATE actions SET t = t + 1 WHERE session_id = {b.exam} AND seq = 3"),
        "action_changed",
        "exam",
    ),
    (
        "an action's arguments",
        _x('UPDATE actions SET args = \'{{"x": "1"}}\' WHERE session_id = {b.exam} AND seq = 1'),
        "action_changed",
        "exam",
    ),
    (
        "an action deleted",
        _x("DELETE FROM actions WHERE session_id = {b.exam} AND seq = 2"),
        "action_missing",
        "exam",
    ),
    (
        "the last action deleted",
        _x(
            "DELETE FROM actions WHERE session_id = {b.exam} AND seq = (SELECT MAX(seq) FROM actions WHERE session_id = {b.exam})"
        ),
        "action_count",
        "exam",
    ),
    (
        "an action inserted",
        _x(
            "INSERT INTO actions (session_id, seq, t, action, args, chain) VALUES ({b.exam}, 999, 9999, 'log_out', NULL, 'x')"
        ),
        "action_changed",
        "exam",
    ),
    (
        "the seed swapped",
        _x("UPDATE sessions SET seed = seed + 1 WHERE id = {b.exam}"),
        "header",
        "exam",
    ),
    (
        "the variant swapped",
        _x("UPDATE sessions SET variant = 'other' WHERE id = {b.exam}"),
        "header",
        "exam",
    ),
    (
        "the session's trainee renamed",
        _x("UPDATE sessions SET trainee_id = 'X999' WHERE id = {b.exam}"),
        "header",
        "exam",
    ),
    (
        "exam turned into training",
        _x("UPDATE sessions SET mode = 'training' WHERE id = {b.exam}"),
        "header",
        "exam",
    ),
    (
        "the drill's time limit loosened",
        _x("UPDATE sessions SET time_limit = 99999 WHERE id = {b.exam}"),
        "header",
        "exam",
    ),
    (
        "the start time moved",
        _x("UPDATE sessions SET started_at = '2020-01-01T00:00:00.000Z' WHERE id = {b.exam}"),
        "header",
        "exam",
    ),
    (
        "the header hash replaced",
        _x("UPDATE sessions SET header_hash = 'abc' WHERE id = {b.exam}"),
        "header",
        "exam",
    ),
    (
        "the trace edited",
        _x("UPDATE events SET t = t + 1 WHERE session_id = {b.exam} AND seq = 1"),
        "trace_changed",
        "exam",
    ),
    (
        "the chain rebuilt without the key after an edit",
        _rebuild_chain("exam", edit="UPDATE sessions SET seed = seed + 1 WHERE id = {b.exam}"),
        "header",
        "exam",
    ),
    # -- a result (caught before)
    (
        "a score raised",
        _x("UPDATE results SET score = 99 WHERE session_id = {b.failed_exam}"),
        "score_changed",
        "failed_exam",
    ),
    (
        "a verdict flipped",
        _x("UPDATE results SET passed = 1 - passed WHERE session_id = {b.failed_exam}"),
        "score_changed",
        "failed_exam",
    ),
    (
        "critical failures cleared",
        _x("UPDATE results SET critical_failures = '[]' WHERE session_id = {b.failed_exam}"),
        "score_changed",
        "failed_exam",
    ),
    (
        "the report rewritten",
        _x(
            "UPDATE results SET report_json = replace(report_json, '\"violated\"', '\"met\"') WHERE session_id = {b.failed_exam}"
        ),
        "report_changed",
        "failed_exam",
    ),
    (
        "the signature stripped",
        _x("UPDATE results SET signature = NULL WHERE session_id = {b.exam}"),
        "unsigned",
        "exam",
    ),
    (
        "the signature forged",
        _x("UPDATE results SET signature = lower(hex(randomblob(32))) WHERE session_id = {b.exam}"),
        "signature_invalid",
        "exam",
    ),
    (
        "the key id changed",
        _x("UPDATE results SET key_id = 'someoneelse' WHERE session_id = {b.exam}"),
        "other_key",
        "exam",
    ),
    (
        "the action count changed",
        _x("UPDATE results SET n_actions = n_actions + 1 WHERE session_id = {b.exam}"),
        "action_count",
        "exam",
    ),
    (
        "the result deleted",
        _x(
            "DELETE FROM findings WHERE result_id IN (SELECT id FROM results WHERE session_id = {b.exam})",
            "DELETE FROM results WHERE session_id = {b.exam}",
        ),
        "result_missing",
        "exam",
    ),
    ("the recorded scenario bytes edited", _scenario_source_edit, "source_changed", "exam"),
    # -- what verify --all did not see before
    ("the procedure bytes edited", _procedure_source_edit, "source_changed", "exam"),
    (
        "a re-score undone by flipping current",
        _x("UPDATE results SET current = 1 - current WHERE session_id = {b.training}"),
        "current_moved",
        "training",
    ),
    (
        "current cleared",
        _x("UPDATE results SET current = 0 WHERE session_id = {b.training}"),
        "current_moved",
        "training",
    ),
    (
        "the newest result deleted (a re-score undone)",
        _x(
            "DELETE FROM findings WHERE result_id = (SELECT MAX(id) FROM results WHERE session_id = {b.training})",
            "DELETE FROM results WHERE id = (SELECT MAX(id) FROM results WHERE session_id = {b.training})",
            "UPDATE results SET current = 1 WHERE session_id = {b.training}",
        ),
        "result_deleted",
        "training",
    ),
    (
        "the findings table edited",
        _x(
            "UPDATE findings SET verdict = 'met', points_lost = 0 WHERE result_id IN (SELECT id FROM results WHERE session_id = {b.failed_exam})"
        ),
        "findings_changed",
        "failed_exam",
    ),
    (
        "a finding deleted",
        _x(
            "DELETE FROM findings WHERE result_id IN (SELECT id FROM results WHERE session_id = {b.failed_exam}) AND verdict != 'met'"
        ),
        "findings_changed",
        "failed_exam",
    ),
    (
        "hints_used edited",
        _x("UPDATE results SET hints_used = 3 WHERE session_id = {b.exam}"),
        "score_changed",
        "exam",
    ),
    (
        "a result deleted and the session set back to incomplete",
        _x(
            "DELETE FROM findings WHERE result_id IN (SELECT id FROM results WHERE session_id = {b.failed_exam})",
            "DELETE FROM results WHERE session_id = {b.failed_exam}",
            "UPDATE sessions SET status = 'incomplete' WHERE id = {b.failed_exam}",
        ),
        "result_deleted",
        "failed_exam",
    ),
    (
        "agent cleared on an agent-run session",
        _x("UPDATE sessions SET agent = NULL WHERE id = {b.agent_exam}"),
        "header",
        "agent_exam",
    ),
    (
        "a whole session deleted",
        lambda c, b: _delete_session_rows(c, b.training),
        "session_deleted",
        "training",
    ),
    ("a session inserted by hand", _insert_session, "not_logged", "-"),
    (
        "an unfinished exam's chain rebuilt without the key",
        _rebuild_chain(
            "unfinished",
            edit="UPDATE actions SET action = 'verify_data' WHERE session_id = {b.unfinished} AND seq = 1",
        ),
        "header",
        "unfinished",
    ),
    # -- drill attempts
    (
        "an attempt's summary copied from another",
        _copy_attempt_column("summary_json", "passed", "failed"),
        "attempt_changed",
        "failed",
    ),
    (
        "an attempt's signature copied from another",
        _copy_attempt_column("signature", "passed", "failed"),
        "signature_invalid",
        "failed",
    ),
    (
        "a valid code copied onto a failed attempt",
        _copy_attempt_column("code", "passed", "failed"),
        "code",
        "failed",
    ),
    (
        "summary, signature and code all copied",
        lambda c, b: (
            [
                _copy_attempt_column(k, "passed", "failed")(c, b)
                for k in ("summary_json", "signature", "code", "passed", "average")
            ]
            and None
        ),
        "attempt_changed",
        "failed",
    ),
    (
        "an attempt's trainee renamed",
        _x("UPDATE drill_attempts SET trainee_id = 'X999' WHERE id = {b.passed}"),
        "signature_invalid",
        "passed",
    ),
    ("passed=1 with an invented code", _forge_passed, "attempt_changed", "failed"),
    (
        "the average set to 12.5",
        _x("UPDATE drill_attempts SET average = 12.5 WHERE id = {b.passed}"),
        "attempt_changed",
        "passed",
    ),
    ("the average edited in the signed summary too", _summary_edit, "attempt_changed", "passed"),
    (
        "the end date moved",
        _x("UPDATE drill_attempts SET ended_at = '2030-01-01T00:00:00.000Z' WHERE id = {b.passed}"),
        "attempt_changed",
        "passed",
    ),
    (
        "the attempt number changed",
        _x("UPDATE drill_attempts SET attempt = 1 WHERE id = {b.passed}"),
        "attempt_changed",
        "passed",
    ),
    ("the drill source replaced with x: 1", _drill_source_x1, "attempt_changed", "passed"),
    ("a whole failed attempt deleted", _delete_attempt, "attempt_deleted", "failed"),
    (
        "agent cleared on an agent-run attempt",
        _x("UPDATE drill_attempts SET agent = NULL WHERE id = {b.scripted}"),
        "attempt_changed",
        "scripted",
    ),
    (
        "a code put on an agent-run attempt",
        _copy_attempt_column("code", "passed", "scripted"),
        "code",
        "scripted",
    ),
    # -- the audit log itself
    (
        "an audit entry edited",
        _x("UPDATE audit SET at = '2020-01-01T00:00:00.000Z' WHERE seq = 3"),
        "audit_changed",
        "-",
    ),
    ("an audit entry deleted", _x("DELETE FROM audit WHERE seq = 5"), "audit_missing", "-"),
    ("the audit log emptied", _x("DELETE FROM audit"), "not_logged", "exam"),
]


@pytest.mark.parametrize(("what", "change", "code", "whom"), CASES, ids=[c[0] for c in CASES])
def test_tampering_is_caught_by_verify_all(
    base: Base, tmp_path: Path, what: str, change: Sql, code: str, whom: str, request
) -> None:
    path = copy_target(base.path, tmp_path, request)
    conn = open_sql(path)
    conn.execute("PRAGMA foreign_keys = OFF")
    change(conn, base)
    conn.commit()
    conn.close()
    found = _findings(path)
    codes = {f[0] for f in found}
    assert code in codes, f"{what}: {found}"
    if whom in ("failed", "passed", "scripted"):
        assert any(f[0] == code and f[2] == getattr(base, whom) for f in found), found
    elif whom != "-":
        assert any(f[0] == code and f[1] == getattr(base, whom) for f in found), found


def test_deleting_an_attempt_does_not_give_it_back(base: Base, tmp_path: Path, request) -> None:
    path = copy_target(base.path, tmp_path, request)
    conn = open_sql(path)
    _delete_attempt(conn, base)
    conn.commit()
    conn.close()
    with Records(path, key=KEY) as r:
        assert attempts_used(r, DRILL, "0427") == 2


def test_the_command_line_names_what_was_altered(base: Base, tmp_path: Path, request) -> None:
    from click.testing import CliRunner

    from trainer.cli import main

    path = copy_target(base.path, tmp_path, request)
    conn = open_sql(path)
    _copy_attempt_column("code", "passed", "failed")(conn, base)
    conn.commit()
    conn.close()
    out = CliRunner().invoke(
        main,
        ["--db", str(path), "verify", "--all"],
        env={"DESK_TRAINER_KEY": KEY.decode()},
    )
    assert out.exit_code == 1, out.output
    assert f"考核 {base.failed}：" in out.output  # (in process: the default language stays)

"""A desk that loses its records server mid-session keeps working: every action goes on into
the rescue file (the whole input so far, named on screen), the store tries the server again
(at most once every few seconds), and when it is back the session is written there in full,
nothing lost: the stored actions are the engine's, replay matches, verify is clean.

The server is made to go away twice over: its connections killed (pg_terminate_backend) and the
whole cluster stopped and started again on the same port (a cluster of this module's own, so
the run's shared one is never stopped). SQLite: a lock held mid-session behaves the same.
"""

from __future__ import annotations

import contextlib
import os
import signal
import sqlite3
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from desk.recording import ANSWER_S
from records.common import RecordsError, now_iso
from records.service import replay_session
from records.store import Records
from records.store.base import StoreBase
from records.store.dialect import CONNECT_WAIT_S, PgConnection
from records.verify import verify_all
from scoring.procedure import Procedure
from sim.scenario import LoadedScenario
from sim.trace import TimedAction, read_trace_file
from tests.records.conftest import Cluster, new_pg_database
from tests.records.test_room import Desk


@pytest.fixture(scope="module")
def cluster() -> Iterator[Cluster]:
    made = Cluster()
    try:
        yield made
    finally:
        made.remove()


# -- the desk, the records and what they hold

KEY = b"loss-test-key-0123456789abcdef01"


@pytest.fixture
def rescue(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Where rescue files go in these tests (not the tester's own data folder)."""
    folder = tmp_path / "rescue"
    monkeypatch.setattr(StoreBase, "rescue_folders", lambda self: [folder])
    return folder


def _kill_backends(url: str) -> int:
    """Every connection to ``url``'s database but this one, ended by the server."""
    import psycopg

    with psycopg.connect(url, autocommit=True) as admin:
        rows = admin.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
            " WHERE datname = current_database() AND pid <> pg_backend_pid()"
        ).fetchall()
    return len(rows)


def _work(desk: Desk) -> None:
    """A little of everything a trainee does: an action, a hint, a pause, time going by."""
    desk.session.do("call_next_customer")
    desk.frames(1)
    desk.session.hint()
    desk.frames(1)
    desk.session.pause()
    desk.frames(0.5)
    desk.session.resume()
    desk.frames(1)


def _saved(path: Path) -> list[TimedAction]:
    """A rescue file read as the ``score`` command reads a trace file."""
    return read_trace_file(path)


def _until_back(desk: Desk) -> None:
    """The desk's frames until its records take everything again (each look 2 s of its wall)."""
    deadline = time.monotonic() + 30
    while desk.session.record_error is not None:
        assert time.monotonic() < deadline, desk.session.record_error
        desk.frames(2.1)
        time.sleep(0.05)


def _all_there(records: Records, desk: Desk) -> None:
    """The session ended and stored whole: the engine's actions exactly, replayed to the same
    trace and report, nothing for verify to find."""
    s = desk.session
    s.finish()
    s.end_record()
    assert s.record_error is None
    row = records.session(s.record_uuid)
    assert row.status == "complete"
    assert records.actions(row.id) == s.engine.actions
    assert len(records.events(row.id)) == len(s.engine.trace)
    check = replay_session(records, s.record_uuid)
    assert check.trace_matches and check.report_matches
    assert verify_all(records, KEY) == []


def test_a_killed_connection_is_made_again_and_nothing_is_refused(
    cluster: Cluster, quiet: LoadedScenario, procedure: Procedure, rescue: Path
) -> None:
    url = new_pg_database(cluster.url)
    with Records(url, key=KEY) as records:
        desk = Desk(records, quiet, procedure, "张晓梅", "training")
        _work(desk)
        assert _kill_backends(url) >= 1
        _work(desk)  # the first statement finds the connection gone and makes it again
        assert desk.session.record_error is None and desk.session.record_status is None
        assert isinstance(records.conn, PgConnection) and records.conn.reconnects == 1
        assert not rescue.exists()
        # the same process reaching its server again never takes its own session for dead
        assert records.session(desk.session.record_uuid).status == "running"
        _all_there(records, desk)


def test_a_desk_that_loses_its_server_keeps_working_and_loses_nothing(
    cluster: Cluster, quiet: LoadedScenario, procedure: Procedure, rescue: Path
) -> None:
    url = new_pg_database(cluster.url)
    with Records(url, key=KEY) as records:
        desk = Desk(records, quiet, procedure, "张晓梅", "training")
        s = desk.session
        _work(desk)
        before = len(s.engine.actions)
        conn = records.conn
        assert isinstance(conn, PgConnection)
        cluster.stop("fast")
        try:
            slowest = 0.0
            for _ in range(3):  # the desk goes on: nothing is refused, every frame is quick
                started = time.perf_counter()
                _work(desk)
                slowest = max(slowest, time.perf_counter() - started)
            assert len(s.engine.actions) > before
            assert s.record_error is not None and "127.0.0.1" in s.record_error
            file = s.recording.rescued
            assert file is not None and file.parent == rescue and str(file) in s.record_error
            assert _saved(file) == s.engine.actions  # the whole input so far
            status = s.record_status
            assert status is not None and status.startswith("记录服务器连接中断")
            assert file.name in status and "恢复后自动补写" in status
            assert sum(n.level == "alert" and n.event == "records" for n in s.notes) == 1
            # one try to reach it every few seconds, a refused one quick
            assert slowest < 1.0, slowest
        finally:
            cluster.start()
        conn.retry_every = 0.0  # the next try is now (the desk's own look: every 2 s of wall)
        _until_back(desk)
        assert s.record_error is None and s.record_status is None
        assert any(n.text == "已补写到记录服务器" and n.level == "info" for n in s.notes)
        assert not file.exists() and s.recording.rescued is None
        row = records.session(s.record_uuid)
        assert row.status == "running"
        assert records.actions(row.id) == s.engine.actions
        _work(desk)  # and on it goes
        _all_there(records, desk)


def test_a_session_begun_while_the_server_is_away_is_recorded_when_it_is_back(
    cluster: Cluster, quiet: LoadedScenario, procedure: Procedure, rescue: Path
) -> None:
    url = new_pg_database(cluster.url)
    with Records(url, key=KEY) as records:
        conn = records.conn
        assert isinstance(conn, PgConnection)
        cluster.stop("fast")
        try:
            began = now_iso()
            desk = Desk(records, quiet, procedure, "李建国", "training")  # recorded, later
            s = desk.session
            assert s.record_id is None and s.record_uuid is not None
            _work(desk)
            _work(desk)
            file = s.recording.rescued
            assert file is not None and file.name == f"session-{s.record_uuid}.jsonl"
            assert _saved(file) == s.engine.actions
            status = s.record_status
            assert status is not None and status.startswith("记录服务器连接中断")
            time.sleep(0.01)
            opened = now_iso()
        finally:
            cluster.start()
        conn.retry_every = 0.0
        _until_back(desk)
        assert s.record_id is not None and not file.exists()
        row = records.session(s.record_uuid)
        assert row.id == s.record_id and row.status == "running" and row.trainee_id == "李建国"
        assert began <= row.started_at < opened  # when it began, not when its record opened
        assert records.actions(row.id) == s.engine.actions
        _work(desk)
        _all_there(records, desk)


def test_a_server_away_is_tried_at_most_once_every_few_seconds_and_never_waited_on_long(
    cluster: Cluster, rescue: Path
) -> None:
    url = new_pg_database(cluster.url)
    with Records(url, key=KEY) as records:
        conn = records.conn
        assert isinstance(conn, PgConnection) and conn.reconnect is not None
        tries: list[float] = []
        again = conn.reconnect

        def slow() -> Any:  # as a server across a dead network: a try takes its time
            tries.append(time.monotonic())
            time.sleep(1.0)
            return again()

        conn.reconnect = slow
        cluster.stop("immediate")
        try:
            slowest = 0.0
            for _ in range(50):
                started = time.perf_counter()
                with pytest.raises(RecordsError, match="127.0.0.1"):
                    records.session_ids()
                slowest = max(slowest, time.perf_counter() - started)
            assert len(tries) == 1  # the statement that found it gone tried once, then waited
            assert slowest < CONNECT_WAIT_S + 0.25, slowest  # the try is not waited for
        finally:
            cluster.start()
        conn.retry_every = 0.0
        deadline = time.monotonic() + 30
        while True:
            try:
                assert records.session_ids() == []
                break
            except RecordsError:
                assert time.monotonic() < deadline, "the server was never reached again"
                time.sleep(0.1)
        assert conn.reconnects == 1  # (by the try in flight, or the next)


def test_a_commit_whose_answer_was_lost_is_not_written_twice(
    db_target: Path | str, quiet: LoadedScenario, procedure: Procedure, rescue: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:  # fmt: skip
    with Records(db_target, key=KEY) as records:
        desk = Desk(records, quiet, procedure, "张晓梅", "training")
        _work(desk)
        real = Records._write

        def lost(self: Records, *args: Any, **kw: Any) -> str:
            real(self, *args, **kw)  # committed; the answer never came back
            raise RecordsError("the connection was lost")

        monkeypatch.setattr(Records, "_write", lost)
        desk.session.do("call_next_customer")
        desk.frames(0.2)
        assert desk.session.record_error is not None
        monkeypatch.setattr(Records, "_write", real)
        _work(desk)
        assert desk.session.record_error is None
        _all_there(records, desk)


def test_a_locked_file_mid_session_is_the_same(
    tmp_path: Path, quiet: LoadedScenario, procedure: Procedure, rescue: Path
) -> None:
    db = tmp_path / "records.sqlite3"
    with Records(db, key=KEY, timeout=0.05) as records:
        desk = Desk(records, quiet, procedure, "张晓梅", "training")
        s = desk.session
        _work(desk)
        holder = sqlite3.connect(db, isolation_level=None)
        holder.execute("BEGIN IMMEDIATE")
        try:
            _work(desk)
            _work(desk)
            assert s.record_error is not None
            file = s.recording.rescued
            assert file is not None and _saved(file) == s.engine.actions
            status = s.record_status
            assert status is not None and status.startswith("记录数据库暂时无法写入")
            assert file.name in status
        finally:
            holder.execute("ROLLBACK")
            holder.close()
        _until_back(desk)
        assert s.record_status is None
        assert any(n.text == "已补写到记录数据库" for n in s.notes)
        assert not file.exists()
        _work(desk)
        _all_there(records, desk)


def test_a_hung_server_freezes_a_desk_for_seconds_not_for_ever(
    cluster: Cluster, quiet: LoadedScenario, procedure: Procedure, rescue: Path
) -> None:
    url = new_pg_database(cluster.url)
    with Records(url, key=KEY) as records:
        desk = Desk(records, quiet, procedure, "张晓梅", "training")  # (a desk: ANSWER_S)
        _work(desk)
        conn = records.conn
        assert isinstance(conn, PgConnection) and conn.deadline == ANSWER_S
        backend = conn.raw.info.backend_pid
        os.kill(backend, signal.SIGSTOP)  # its connection open, never answering
        try:
            started = time.perf_counter()
            desk.session.do("call_next_customer")
            desk.frames(0.1)
            waited = time.perf_counter() - started
        finally:
            os.kill(backend, signal.SIGCONT)
        # given up after ANSWER_S, and the statement (nothing done yet) run again at once on a
        # new connection: nothing refused, nothing to rescue
        assert ANSWER_S - 0.5 < waited < ANSWER_S + 2.0, waited
        assert conn.reconnects == 1 and desk.session.record_error is None
        assert not rescue.exists()
        _work(desk)
        _all_there(records, desk)


def test_a_session_ended_while_the_server_is_away_is_ended_when_it_is_back(
    cluster: Cluster, quiet: LoadedScenario, procedure: Procedure, rescue: Path
) -> None:
    url = new_pg_database(cluster.url)
    with Records(url, key=KEY) as records:
        desk = Desk(records, quiet, procedure, "张晓梅", "training")
        s = desk.session
        _work(desk)
        conn = records.conn
        assert isinstance(conn, PgConnection)
        cluster.stop("fast")
        try:
            _work(desk)
            s.finish()
            s.end_record()  # the debrief comes; the record cannot be ended yet
            assert s.unended and not s.recorded and s.record_error is not None
            kept = s._unended.rescued
            assert kept is not None and _saved(kept) == s.engine.actions
            assert s.record_status is not None and "恢复后自动补写" in s.record_status
        finally:
            cluster.start()
        conn.retry_every = 0.0
        deadline = time.monotonic() + 30
        while s.unended:  # what the window does every 2 s
            assert time.monotonic() < deadline, s.record_error
            s.end_record()
            time.sleep(0.05)
        assert s.record_error is None and s.record_status is None
        assert any(n.text == "已补写到记录服务器" for n in s.notes)
        row = records.session(s.record_uuid)
        assert row.status == "complete" and len(records.results(row.id)) == 1
        assert records.actions(row.id) == s.engine.actions
        assert not rescue.exists() or not any(rescue.iterdir())
        check = replay_session(records, s.record_uuid)
        assert check.trace_matches and check.report_matches
        assert verify_all(records, KEY) == []


def test_the_window_ends_a_record_refused_at_the_debrief_when_the_records_take_it(
    tmp_path: Path, rescue: Path
) -> None:
    os.environ.setdefault("SDL_VIDEODRIVER", "dummy")
    os.environ.setdefault("SDL_AUDIODRIVER", "dummy")
    from desk.app import App
    from desk.clock import ManualWall

    db = tmp_path / "records.sqlite3"
    with Records(db, key=KEY, timeout=0.05) as records:
        wall = ManualWall(1.0)
        app = App("zh", "0501", "training", seed=4, wall=wall, sound=False, records=records)
        s = app.start("system_fault", seed=4)
        for action in ("log_in", "check_system_status"):
            wall.advance(3.0)
            app.step()
            s.do(action, {})
        holder = sqlite3.connect(db, isolation_level=None)
        holder.execute("BEGIN IMMEDIATE")
        try:
            s.finish()
            app.show_debrief(s)
            assert app.screen.name == "debrief" and s.unended
            status = s.record_status
            assert status is not None and status.startswith("记录数据库暂时无法写入")
            drawn: list[str] = []
            text = app.g.text

            def noted(line: str, *args: Any, **kw: Any) -> Any:
                drawn.append(line)
                return text(line, *args, **kw)

            app.g.text = noted  # type: ignore[method-assign]
            app.screen.dirty = True
            app.step()
            del app.g.text
            assert "".join(drawn).count("记录数据库暂时无法写入") == 1  # the debrief says so
        finally:
            holder.execute("ROLLBACK")
            holder.close()
        wall.advance(2.1)  # the window's next look
        app.step()
        assert not s.unended and s.record_error is None
        row = records.session(s.record_uuid)
        assert row.status == "complete" and records.actions(row.id) == s.engine.actions
        assert verify_all(records, KEY) == []
        app.end_records()


def test_a_batch_that_lost_its_connection_fails_whole(cluster: Cluster, rescue: Path) -> None:
    """A savepoint undone inside a batch leaves the batch open: a connection lost after it is
    not made again in the middle, and the batch fails instead of committing half of itself."""
    url = new_pg_database(cluster.url)
    with Records(url, key=KEY) as records:
        with pytest.raises(RecordsError), records.batch():
            records.ensure_trainee("0427")
            with pytest.raises(RecordsError):  # a write refused on its own: its savepoint undone
                records.ensure_trainee(None)  # type: ignore[arg-type]
            assert _kill_backends(url) >= 1
            with pytest.raises(RecordsError):
                records.ensure_trainee("0428")
            with contextlib.suppress(RecordsError):
                records.ensure_trainee("0429")
        assert [records.trainee_name(t) for t in ("0427", "0428", "0429")] == [None] * 3
        records.ensure_trainee("0430")  # and then the server is reached again
        assert records.trainee_name("0430") == "0430"

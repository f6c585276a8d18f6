"""Files the records cannot use as they are: each is one line, and nothing is lost or written
where it should not be (issue 14): a folder that cannot be written (reads still work), a full
disk (says to free space, leaves no empty rescue file), another program's SQLite file (left
exactly as it was)."""

from __future__ import annotations

import errno
import hashlib
import os
import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner

from records.db import Records, RecordsError
from records.recording import Recording
from records.service import record_agent_run
from trainer.cli import main


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def recorded(tmp_path: Path, procedure, printer_jam) -> Path:  # type: ignore[no-untyped-def]
    path = tmp_path / "folder" / "records.sqlite3"
    with Records(path, key=None) as r:
        record_agent_run(r, printer_jam, procedure, 3, "careless", "0427")
    return path


def test_a_foreign_sqlite_file_is_refused_and_left_untouched(tmp_path: Path) -> None:
    other = tmp_path / "inventory.sqlite3"
    conn = sqlite3.connect(other)
    conn.execute("CREATE TABLE stock (item TEXT, n INTEGER)")
    conn.execute("INSERT INTO stock VALUES ('meter', 3)")
    conn.commit()
    conn.close()
    before = _digest(other)
    with pytest.raises(RecordsError) as err:
        Records(other, key=None)
    assert str(other) in str(err.value) and "SQLite" in str(err.value)
    assert _digest(other) == before
    assert not Path(str(other) + "-wal").exists()
    conn = sqlite3.connect(other)
    tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master")}
    conn.close()
    assert tables == {"stock"}


def test_a_folder_that_cannot_be_written_still_reads(recorded: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """As root, permissions do not bite: the folder is made unwritable in the program's eyes."""
    folder = str(recorded.parent)
    real_access = os.access

    def access(path, mode, *a, **kw):  # type: ignore[no-untyped-def]
        if mode & os.W_OK and str(path).startswith(folder):
            return False
        return real_access(path, mode, *a, **kw)

    monkeypatch.setattr(os, "access", access)
    before = _digest(recorded)
    with Records(recorded, key=None) as r:
        assert r.read_only and len(r.session_ids()) == 1
        with pytest.raises(RecordsError) as err:
            r.ensure_trainee("0500")
    [line] = str(err.value).splitlines()
    assert folder in line and "不可写" in line
    result = CliRunner().invoke(main, ["--db", str(recorded), "history", "0427"])
    assert result.exit_code == 0 and "printer_jam" in result.stdout, result.output
    assert _digest(recorded) == before


def test_a_full_disk_says_to_free_space_and_leaves_no_empty_rescue_file(
    recorded: Path, procedure, printer_jam, monkeypatch, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    from records.store.base import StoreBase

    with Records(recorded, key=None) as r:
        rec = r.start(printer_jam, procedure, seed=0, variant="", trainee="0427")
        assert "磁盘已满" in r._explain(sqlite3.OperationalError("database or disk is full"))

        monkeypatch.setattr(
            StoreBase,
            "_tx",
            lambda self, **_: (_ for _ in ()).throw(
                RecordsError(self._explain(sqlite3.OperationalError("database or disk is full")))
            ),
        )

        real_open = Path.open

        def no_space(self, mode="r", *a, **kw):  # type: ignore[no-untyped-def]
            if "rescue" in str(self) and "w" in mode:
                handle = real_open(self, mode, *a, **kw)

                class Full:
                    def __enter__(self):  # type: ignore[no-untyped-def]
                        return self

                    def __exit__(self, *exc):  # type: ignore[no-untyped-def]
                        handle.close()

                    def write(self, data):  # type: ignore[no-untyped-def]
                        raise OSError(errno.ENOSPC, "No space left on device")

                return Full()
            return real_open(self, mode, *a, **kw)

        monkeypatch.setattr(Path, "open", no_space)
        monkeypatch.setenv("TMPDIR", str(tmp_path / "tmp"))
        from sim.trace import TimedAction

        with pytest.raises(RecordsError) as err:
            rec.sync([TimedAction(1.0, "log_in")], [])
        assert "磁盘已满" in str(err.value) and "腾出" in str(err.value)
        assert isinstance(rec, Recording) and rec.rescued is None
    rescue = [p for p in tmp_path.rglob("*") if "rescue" in str(p) and p.is_file()]
    assert all(p.stat().st_size > 0 for p in rescue), rescue

"""The store's foundation: the connection (WAL, ``synchronous=NORMAL``, foreign keys on), the
schema brought up to date, error translation and transactions. The query modules build on it."""

from __future__ import annotations

import contextlib
import os
import socket
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Literal, Self

from sqlite_utils import Database

from records.common import RecordsError, default_db_path
from records.integrity import load_key
from records.store.schema import migrate
from records.words import tr

__all__ = ["StoreBase"]


def _pid_alive(pid: int | None) -> bool:
    if not pid:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


class StoreBase:
    """The records file. Open it once per process; it is safe to open from several processes
    (WAL), and a busy database is waited for up to ``timeout`` seconds before giving up."""

    def __init__(
        self,
        path: str | Path | None = None,
        *,
        timeout: float = 5.0,
        key: bytes | None | Literal["env"] = "env",
    ) -> None:
        self.path = Path(path) if path is not None else default_db_path()
        # the training centre's signing key: from the environment unless given (None: unsigned)
        self.key: bytes | None = load_key() if key == "env" else key
        with self._errors():
            if self.path.exists() and self.path.is_dir():
                raise sqlite3.OperationalError("unable to open database file")
            self.path.parent.mkdir(parents=True, exist_ok=True)
            conn = sqlite3.connect(str(self.path), timeout=timeout, isolation_level=None)
            self.conn = conn
            self.db = Database(conn)
            conn.execute("PRAGMA foreign_keys = ON")
            mode = conn.execute("PRAGMA journal_mode = WAL").fetchone()[0]
            if str(mode).lower() != "wal" and not self._read_only():
                raise sqlite3.OperationalError("journal mode")
            conn.execute("PRAGMA synchronous = NORMAL")
            migrate(conn, self.db)
            self._mark_abandoned()

    # -- errors: one message naming the file and what to do

    @contextlib.contextmanager
    def _errors(self) -> Iterator[None]:
        try:
            yield
        except sqlite3.DatabaseError as exc:
            raise RecordsError(self._explain(exc)) from None
        except OSError as exc:
            raise RecordsError(
                tr("records.unwritable", file=str(self.path), error=exc.strerror or str(exc))
            ) from None

    def _explain(self, exc: sqlite3.DatabaseError) -> str:
        text = str(exc).lower()
        file = str(self.path)
        if "locked" in text or "busy" in text:
            key = "records.locked"
        elif "readonly" in text or "read-only" in text:
            key = "records.read_only"
        elif "not a database" in text or "malformed" in text or "corrupt" in text:
            key = "records.corrupt"
        elif "unable to open" in text:
            key = "records.cannot_open"
        elif "newer" in text:
            key = "records.too_new"
        else:
            return tr("records.failed", file=file, error=str(exc))
        return tr(key, file=file)

    def _read_only(self) -> bool:
        return not os.access(self.path, os.W_OK)

    def _mark_abandoned(self) -> None:
        """Sessions left ``running`` by a process of this machine that is gone: incomplete."""
        host = socket.gethostname()
        rows = self.conn.execute(
            "SELECT id, pid, host FROM sessions WHERE status = 'running'"
        ).fetchall()
        dead = [r[0] for r in rows if r[2] == host and not _pid_alive(r[1])]
        if dead:
            with self._tx():
                self.conn.executemany(
                    "UPDATE sessions SET status = 'incomplete' WHERE id = ?", [(i,) for i in dead]
                )

    @contextlib.contextmanager
    def batch(self) -> Iterator[None]:
        """Many writes in one transaction (re-scoring a year commits once per batch, not once
        per session): each write inside is a savepoint of it, undone alone if it fails; all of
        them are undone if the batch fails."""
        with self._errors(), self._tx():
            self._batched = True
            try:
                yield
            finally:
                self._batched = False

    _batched = False

    @contextlib.contextmanager
    def _tx(self) -> Iterator[sqlite3.Connection]:
        if self._batched:  # inside batch(): a savepoint of its transaction
            self.conn.execute("SAVEPOINT write")
            try:
                yield self.conn
            except BaseException:
                self.conn.execute("ROLLBACK TO write")
                self.conn.execute("RELEASE write")
                raise
            self.conn.execute("RELEASE write")
            return
        self.conn.execute("BEGIN IMMEDIATE")
        try:
            yield self.conn
        except BaseException:
            self.conn.execute("ROLLBACK")
            raise
        self.conn.execute("COMMIT")

    def close(self) -> None:
        with contextlib.suppress(sqlite3.Error):
            self.conn.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

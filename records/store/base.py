"""The store's foundation: the connection (WAL, ``synchronous=NORMAL``, foreign keys on), the
schema brought up to date, error translation and transactions. The query modules build on it."""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Literal, Self

from sqlite_utils import Database

from records.common import OPENED, RecordsError, default_db_path
from records.integrity import load_key
from records.store.schema import is_foreign, migrate, pending
from records.words import tr

__all__ = ["StoreBase", "DAMAGE"]

# what damaged stored content raises where it is read (sqlite, json, pydantic, bytes): what the
# command line turns into one line naming the records file (``trainer.exits``)
DAMAGE: tuple[type[BaseException], ...] = (
    sqlite3.Error,
    ValueError,
    TypeError,
    KeyError,
    IndexError,
    AttributeError,
    UnicodeError,
    RecursionError,
    OverflowError,
    LookupError,
)


def _nearly_full(path: Path) -> bool:
    """Whether the disk holding ``path`` has (next to) no room left."""
    try:
        return shutil.disk_usage(path.parent).free < 1 << 20
    except OSError:
        return False


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
        OPENED.set(self.path)  # what a damaged file is named by, should it fail later
        # the training centre's signing key: from the environment unless given (None: unsigned)
        self.key: bytes | None = load_key() if key == "env" else key
        # True when the file or its folder cannot be written: it is read, and nothing else
        self.read_only = False
        with self._errors():
            if self.path.exists() and self.path.is_dir():
                raise sqlite3.OperationalError("unable to open database file")
            if self.path.exists() and not self._writable():
                self._open_read_only(timeout)
                return
            self.path.parent.mkdir(parents=True, exist_ok=True)
            try:
                self._connect(timeout)
            except sqlite3.OperationalError as exc:
                text = str(exc).lower()
                if not self.path.exists() or not ("readonly" in text or "unable to open" in text):
                    raise
                self.close()
                self._open_read_only(timeout)

    def _connect(self, timeout: float) -> None:
        conn = sqlite3.connect(str(self.path), timeout=timeout, isolation_level=None)
        self.conn = conn
        self.db = Database(conn)
        # a SQLite file of another program is left exactly as it is: no journal mode, no table
        if is_foreign(conn):
            conn.close()
            raise RecordsError(tr("records.foreign", file=str(self.path)))
        conn.execute("PRAGMA foreign_keys = ON")
        mode = conn.execute("PRAGMA journal_mode = WAL").fetchone()[0]
        if str(mode).lower() != "wal":
            raise sqlite3.OperationalError("journal mode")
        conn.execute("PRAGMA synchronous = NORMAL")
        migrate(conn, self.db, self.key)
        self._mark_abandoned()

    def _open_read_only(self, timeout: float) -> None:
        """A file that cannot be written (or whose folder cannot): opened for reading only,
        as it is; one that would need upgrading first is refused, naming the folder."""
        uri = f"{self.path.resolve().as_uri()}?mode=ro&immutable=1"
        conn = sqlite3.connect(uri, uri=True, timeout=timeout, isolation_level=None)
        self.conn = conn
        self.db = Database(conn)
        self.read_only = True
        if is_foreign(conn):
            conn.close()
            raise RecordsError(tr("records.foreign", file=str(self.path)))
        if pending(conn):
            conn.close()
            raise RecordsError(
                tr("records.read_only_old", file=str(self.path), folder=str(self.path.parent))
            )

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
            return tr("records.read_only", file=file, folder=str(self.path.parent))
        elif "disk is full" in text or (("disk i/o" in text) and _nearly_full(self.path)):
            return tr("records.disk_full", file=file, folder=str(self.path.parent))
        elif "not a database" in text or "malformed" in text or "corrupt" in text:
            key = "records.corrupt"
        elif "unable to open" in text:
            key = "records.cannot_open"
        elif "newer" in text:
            key = "records.too_new"
        else:
            return tr("records.failed", file=file, error=str(exc))
        return tr(key, file=file)

    def _writable(self) -> bool:
        folder = self.path.parent
        return os.access(self.path, os.W_OK) and os.access(folder, os.W_OK | os.X_OK)

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
        with contextlib.suppress(sqlite3.Error, AttributeError):
            self.conn.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

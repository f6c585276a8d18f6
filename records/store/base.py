"""The store's foundation: the connection (a SQLite file: WAL, ``synchronous=NORMAL``, foreign
keys on; or a PostgreSQL server named by a URL, ``records.store.dialect``), the schema brought up
to date, error translation and transactions. The query modules build on it."""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any, Literal, Self

import platformdirs
from sqlite_utils import Database

from records.common import APP, OPENED, RecordsError, default_db
from records.integrity import load_key
from records.store import dialect
from records.store.dialect import PgConnection, PgDatabase
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
    """The records database. Open it once per process; it is safe to open from several
    processes (a file: WAL; a server: one writer of the audit chain at a time), and a busy
    database is waited for up to ``timeout`` seconds before giving up."""

    conn: sqlite3.Connection | PgConnection
    db: Database | PgDatabase

    def __init__(
        self,
        path: str | Path | None = None,
        *,
        timeout: float = 5.0,
        key: bytes | None | Literal["env"] = "env",
    ) -> None:
        target = path if path is not None else default_db()
        # a server (``postgresql://...``): no file; else the SQLite file
        self.url: str | None = str(target) if dialect.is_server(target) else None
        self.path: Path | None = None if self.url else Path(target)
        # what messages name (a server's URL without its password) and what another process
        # opens to reach the same records (``records.service``'s workers)
        self.where = dialect.where(self.url) if self.url else str(self.path)
        self.target = self.url or str(self.path)
        OPENED.set(self.where)  # what damaged records are named by, should they fail later
        # the training centre's signing key: from the environment unless given (None: unsigned)
        self.key: bytes | None = load_key() if key == "env" else key
        # True when the file or its folder cannot be written: it is read, and nothing else
        self.read_only = False
        if self.url is not None:
            self._connect_server(self.url, timeout)
            return
        path = self.path
        assert path is not None
        with self._errors():
            if path.exists() and path.is_dir():
                raise sqlite3.OperationalError("unable to open database file")
            if path.exists() and not self._writable():
                self._open_read_only(timeout)
                return
            path.parent.mkdir(parents=True, exist_ok=True)
            try:
                self._connect(timeout)
            except sqlite3.OperationalError as exc:
                text = str(exc).lower()
                if not path.exists() or not ("readonly" in text or "unable to open" in text):
                    raise
                self.close()
                self._open_read_only(timeout)

    # what a server's driver raises (psycopg's errors once a server is used; none for a file)
    _server_errors: tuple[type[Exception], ...] = ()

    @property
    def file(self) -> Path:
        """The SQLite file (only a file store has one)."""
        assert self.path is not None, "a server database is not a file"
        return self.path

    @property
    def name(self) -> str:
        """A short name for the records: the file's name, or the server database's."""
        return self.path.name if self.path is not None else self.where.rsplit("/", 1)[-1]

    def rescue_folders(self) -> list[Path]:
        """Where a session that cannot be recorded is saved instead, first that works."""
        mine = [self.path.parent / "rescue"] if self.path is not None else []
        return [*mine, Path(platformdirs.user_data_dir(APP, appauthor=False)) / "rescue"]

    def _connect_server(self, url: str, timeout: float) -> None:
        import psycopg

        self._server_errors = (psycopg.Error,)

        def connect(wait: int) -> psycopg.Connection[Any]:
            # a dead server is noticed within seconds, not at TCP's own (many minutes):
            # keepalives while idle, and a write left unanswered gives up
            raw = psycopg.connect(
                url, autocommit=True, connect_timeout=wait, keepalives=1, keepalives_idle=10,
                keepalives_interval=2, keepalives_count=3,
                tcp_user_timeout=max(2000, int(timeout * 1000)),
            )  # fmt: skip
            # a busy database is waited for as long as a file's is
            raw.execute(f"SET lock_timeout = {max(1, int(timeout * 1000))}")
            return raw

        with self._errors():
            # a server that went away mid-session is tried again, briefly each time (the
            # sessions this process records are its own and live: none is marked abandoned)
            conn = PgConnection(
                connect(max(2, int(timeout))), lambda: connect(dialect.CONNECT_TIMEOUT_S)
            )
            self.conn, self.db = conn, PgDatabase(conn)
            if is_foreign(conn):
                conn.close()
                raise RecordsError(tr("records.foreign_server", file=self.where))
            migrate(conn, self.db, self.key, begin=self._begin)
            self._mark_abandoned()

    def answer_within(self, seconds: float) -> None:
        """A server that has not answered a statement in ``seconds`` is taken for gone (the
        statement fails, the server is tried again as after any lost connection): what a desk
        asks, whose frame waits on each statement. A file answers always: nothing to do."""
        if isinstance(self.conn, PgConnection):
            self.conn.answer_within(seconds)

    def _connect(self, timeout: float) -> None:
        conn = sqlite3.connect(str(self.file), timeout=timeout, isolation_level=None)
        self.conn = conn
        self.db = Database(conn)
        # a SQLite file of another program is left exactly as it is: no journal mode, no table
        if is_foreign(conn):
            conn.close()
            raise RecordsError(tr("records.foreign", file=self.where))
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
        uri = f"{self.file.resolve().as_uri()}?mode=ro&immutable=1"
        conn = sqlite3.connect(uri, uri=True, timeout=timeout, isolation_level=None)
        self.conn = conn
        self.db = Database(conn)
        self.read_only = True
        if is_foreign(conn):
            conn.close()
            raise RecordsError(tr("records.foreign", file=self.where))
        if pending(conn):
            conn.close()
            raise RecordsError(
                tr("records.read_only_old", file=self.where, folder=str(self.file.parent))
            )

    # -- errors: one message naming the file and what to do

    @contextlib.contextmanager
    def _errors(self) -> Iterator[None]:
        try:
            yield
        except sqlite3.DatabaseError as exc:
            raise RecordsError(self._explain(exc)) from None
        except self._server_errors as exc:
            raise RecordsError(self._explain_server(exc)) from None
        except OSError as exc:
            raise RecordsError(
                tr("records.unwritable", file=self.where, error=exc.strerror or str(exc))
            ) from None

    def _explain(self, exc: sqlite3.DatabaseError) -> str:
        text = str(exc).lower()
        file = self.where
        folder = str(self.path.parent) if self.path is not None else file
        if "locked" in text or "busy" in text:
            key = "records.locked"
        elif "readonly" in text or "read-only" in text:
            return tr("records.read_only", file=file, folder=folder)
        elif "disk is full" in text or (
            ("disk i/o" in text) and self.path is not None and _nearly_full(self.path)
        ):
            return tr("records.disk_full", file=file, folder=folder)
        elif "not a database" in text or "malformed" in text or "corrupt" in text:
            key = "records.corrupt"
        elif "unable to open" in text:
            key = "records.cannot_open"
        elif "newer" in text:
            key = "records.too_new"
        else:
            return tr("records.failed", file=file, error=str(exc))
        return tr(key, file=file)

    def _explain_server(self, exc: Exception) -> str:
        """A psycopg error as one line naming the server (never its password)."""
        import psycopg

        said = " ".join(str(exc).split()) or type(exc).__name__
        password = dialect.urlsplit(self.url).password if self.url else None
        if password:  # a password in the URL is never repeated
            said = said.replace(password, "***")
        state = getattr(exc, "sqlstate", None) or ""
        if state in ("55P03", "57014", "40P01"):  # lock not available, cancelled, deadlock
            return tr("records.locked", file=self.where)
        if state == "53100":
            return tr("records.disk_full", file=self.where, folder=self.where)
        unreachable = not state or state.startswith(("08", "3D", "28", "57P"))
        if isinstance(exc, psycopg.OperationalError) and unreachable:
            return tr("records.unreachable", server=dialect.server(self.url or ""), error=said)
        return tr("records.failed", file=self.where, error=said)

    def _writable(self) -> bool:
        folder = self.file.parent
        return os.access(self.file, os.W_OK) and os.access(folder, os.W_OK | os.X_OK)

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
    def _tx(self, session: int | None = None) -> Iterator[sqlite3.Connection | PgConnection]:
        """A writing transaction (inside :meth:`batch`: a savepoint of its). ``session``: it
        writes only that session's own trace (no audit entry), which on a server waits only for
        another writer of the same session, not for every desk's."""
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
        self._begin(session)
        try:
            yield self.conn
        except BaseException:
            self.conn.execute("ROLLBACK")
            raise
        self.conn.execute("COMMIT")

    def _begin(self, session: int | None = None) -> None:
        """Start a writing transaction. SQLite's IMMEDIATE lets one writer in at a time; on a
        server every writer of the audit log (one chain for all the records) takes one lock,
        and a session's trace takes a lock of its own (each session is its own chain)."""
        if self.url is None:
            self.conn.execute("BEGIN IMMEDIATE")
            return
        self.conn.execute("BEGIN")
        try:
            if session is None:
                self.conn.execute("SELECT pg_advisory_xact_lock(?)", (dialect.WRITE_LOCK,))
            else:
                lock = (dialect.WRITE_LOCK, session % (1 << 31))
                self.conn.execute("SELECT pg_advisory_xact_lock(?, ?)", lock)
        except BaseException:  # not let in (waited too long): no transaction is left open
            self.conn.execute("ROLLBACK")
            raise

    def close(self) -> None:
        with contextlib.suppress(sqlite3.Error, AttributeError, *self._server_errors):
            self.conn.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

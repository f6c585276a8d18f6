"""The records on a PostgreSQL server: what the store asks of a SQLite connection (``execute``,
``executemany``, ``db.query``, the table API the migrations use), given over psycopg 3.

The query modules keep one SQL text, written for SQLite: ``?`` placeholders, ``RETURNING id``,
``ON CONFLICT``. :func:`translate` turns it into PostgreSQL's: ``?`` becomes ``%s`` (a literal
``%`` doubles), and the few SQLite functions used get their PostgreSQL forms (``json_extract``,
``GROUP_CONCAT``). Nothing in a quoted string is touched.

A server is named by a URL, ``postgresql://USER@HOST:PORT/NAME`` (or ``postgres://``), given as
``--db`` or ``DESK_TRAINER_DB``; :func:`where` is how messages name it (never with a password).
psycopg is imported only when a server is used.
"""

from __future__ import annotations

import contextlib
import functools
import re
import socket
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit, urlunsplit

from records.common import is_server

if TYPE_CHECKING:
    import psycopg

__all__ = ["PgConnection", "PgDatabase", "is_server", "server", "translate", "urlsplit", "where"]


# one lock every writing transaction takes: the audit log (and the deletions it records) is one
# chain for the whole records, so one writer at a time extends it, as SQLite's BEGIN IMMEDIATE
WRITE_LOCK = 0x6465736B  # "desk"

# how often (seconds) a store whose server went away tries to reach it again; how long one try
# may take (libpq's least), made on a thread of its own; and how long a statement waits for it
# (a server that is there answers in milliseconds): a desk's frame waits on a server that is
# away at most CONNECT_WAIT_S, once every RETRY_S
RETRY_S = 5.0
CONNECT_TIMEOUT_S = 2
CONNECT_WAIT_S = 0.25
# how often (seconds) a statement given a deadline (``PgConnection.answer_within``) is looked at
WATCH_S = 0.25


def where(url: str) -> str:
    """A server URL as messages name it: ``postgresql://USER@HOST:PORT/NAME``, no password."""
    parts = urlsplit(url)
    host = parts.hostname or ""
    netloc = f"{parts.username}@{host}" if parts.username else host
    if parts.port:
        netloc += f":{parts.port}"
    return urlunsplit((parts.scheme, netloc, parts.path, "", ""))


def server(url: str) -> str:
    """``HOST:PORT/NAME``: the server and database a URL names (what a failure to reach names)."""
    parts = urlsplit(url)
    return f"{parts.hostname or 'localhost'}:{parts.port or 5432}{parts.path or '/'}"


_TOKENS = re.compile(r"'(?:[^']|'')*'|\?|%")
_JSON = re.compile(r"json_extract\(\s*(\w+(?:\.\w+)?)\s*,\s*'\$\.(\w+)'\s*\)", re.IGNORECASE)
_CONCAT = re.compile(r"GROUP_CONCAT\(\s*(DISTINCT\s+)?([\w.]+)\s*\)", re.IGNORECASE)


@functools.lru_cache(maxsize=1024)  # the store says the same few hundred statements
def translate(sql: str) -> str:
    """A statement written for SQLite, as PostgreSQL takes it."""
    sql = _JSON.sub(lambda m: f"(CAST({m[1]} AS jsonb) ->> '{m[2]}')", sql)
    sql = _CONCAT.sub(lambda m: f"STRING_AGG({m[1] or ''}{m[2]}, ',')", sql)
    sql = sql.replace("BEGIN IMMEDIATE", "BEGIN")

    def one(m: re.Match[str]) -> str:
        token = m[0]
        return "%s" if token == "?" else "%%" if token == "%" else token

    return _TOKENS.sub(one, sql)


def _params(params: Sequence[Any] | Mapping[str, Any] | None) -> tuple[Any, ...]:
    return tuple(params) if params is not None else ()


class PgConnection:
    """A psycopg connection in autocommit mode, answering as ``sqlite3.Connection`` does for
    the calls the store makes (transactions are the store's own BEGIN / COMMIT).

    A connection the server dropped (restarted, its backend killed, the network gone) is not
    the end: given ``reconnect``, the next statement outside a transaction connects again, at
    most once every ``retry_every`` seconds, on a thread of its own, waiting for it at most
    ``CONNECT_WAIT_S`` (between tries a statement fails at once, so a desk drawing 60 frames a
    second never waits long on a server that is away). A statement that finds
    the connection lost before it did anything (``BEGIN``, a read) is run again on the new one
    at once; a transaction that lost its connection is over (the server rolled it back), and
    fails as a whole."""

    def __init__(
        self,
        conn: psycopg.Connection[Any],
        reconnect: Callable[[], psycopg.Connection[Any]] | None = None,
    ) -> None:
        self.raw = conn
        self.reconnect = reconnect
        self.retry_every = RETRY_S
        self.reconnects = 0  # how many times the server was reached again
        self._tried: float | None = None  # when the server was last tried, while it is away
        self._trying: threading.Thread | None = None  # that try, made off the caller's thread
        self._fresh: psycopg.Connection[Any] | None = None  # what it made, not taken up yet
        self._why = ""  # why the last try failed
        self._in_tx = False
        self.deadline: float | None = None  # ``answer_within``: None, waited for
        self._since: float | None = None  # when the statement waited for now was sent
        self._watch: threading.Thread | None = None

    def _live(self) -> psycopg.Connection[Any]:
        """The connection, made again if it was lost (and it is time to try)."""
        if not self.raw.closed or self.reconnect is None or self._in_tx:
            return self.raw  # a lost transaction's statements fail on the closed connection
        import psycopg

        try_now = self._trying is None or not self._trying.is_alive()
        if try_now and self._fresh is None:
            now = time.monotonic()
            if self._tried is None or now - self._tried >= self.retry_every:
                self._tried = now
                self._trying = threading.Thread(
                    target=self._try, args=(self.reconnect,), name="records-reconnect", daemon=True
                )
                self._trying.start()
                self._trying.join(CONNECT_WAIT_S)  # a server that is there answers within it
        fresh, self._fresh = self._fresh, None
        if fresh is None:
            wait = max(0.0, self.retry_every - (time.monotonic() - (self._tried or 0.0)))
            raise psycopg.OperationalError(
                f"{self._why or 'the connection was lost'} (trying again in {wait:.0f} s)"
            )
        self.raw, self._tried, self._why = fresh, None, ""
        self.reconnects += 1
        return fresh

    def _try(self, reconnect: Callable[[], psycopg.Connection[Any]]) -> None:
        """One try to reach the server again, off the desk's frame (``_live`` takes it up)."""
        import psycopg

        try:
            fresh = reconnect()
        except psycopg.Error as err:
            self._why = " ".join(str(err).split()) or type(err).__name__
            return
        if self.reconnect is None:  # closed meanwhile
            fresh.close()
            return
        self._fresh = fresh

    def execute(self, sql: str, params: Sequence[Any] | Mapping[str, Any] | None = None) -> Any:
        """A ``psycopg.Cursor`` (typed ``Any``: it is read as a ``sqlite3.Cursor`` is)."""
        word = sql.lstrip()[:9].upper()
        whole = sql.strip().upper() in ("COMMIT", "ROLLBACK")  # not ROLLBACK TO a savepoint
        if word.startswith("ROLLBACK") and self.raw.closed:
            # the server rolled back what a lost connection had open: nothing left to undo
            if whole:
                self._in_tx = False
            return None
        ending = whole
        try:
            cur = self._run(sql, params, word)
        finally:
            if ending:
                self._in_tx = False
        if word.startswith("BEGIN"):
            self._in_tx = True
        return cur

    def _run(self, sql: str, params: Sequence[Any] | Mapping[str, Any] | None, word: str) -> Any:
        import psycopg

        raw = self._live()
        try:
            with self._waiting():
                return raw.execute(translate(sql), _params(params))
        except psycopg.OperationalError:
            # lost before it did anything: the same statement once more, on a new connection
            harmless = word.startswith(("BEGIN", "SELECT")) and not self._in_tx
            if not (raw.closed and harmless and self.reconnect is not None):
                raise
            self._tried = None
            fresh = self._live()
            with self._waiting():
                return fresh.execute(translate(sql), _params(params))

    def executemany(self, sql: str, rows: Iterable[Sequence[Any]]) -> Any:
        cur = self._live().cursor()
        rows = [tuple(r) for r in rows]
        if rows:
            with self._waiting():
                cur.executemany(translate(sql), rows)
        return cur

    # -- a server that does not answer at all

    def answer_within(self, seconds: float) -> None:
        """Give up a statement the server has not answered in ``seconds`` (a server hung, or
        gone without a word on a network that drops everything): its connection is dropped,
        so the statement fails (and the store tries the server again as for any lost
        connection). For a desk, whose frame waits on every statement; never for a long
        report, which may rightly take longer."""
        self.deadline = seconds
        if self._watch is None:
            self._watch = threading.Thread(target=self._watchdog, name="records-watch", daemon=True)
            self._watch.start()

    @contextlib.contextmanager
    def _waiting(self) -> Iterator[None]:
        self._since = time.monotonic()
        try:
            yield
        finally:
            self._since = None

    def _watchdog(self) -> None:
        while self.reconnect is not None:
            time.sleep(WATCH_S)
            since, deadline = self._since, self.deadline
            if since is None or deadline is None or time.monotonic() - since < deadline:
                continue
            self._since = None
            # the socket shut under the waiting statement: it fails at once, as on a connection
            # the server closed (one that went meanwhile: nothing to do)
            with (
                contextlib.suppress(Exception),
                socket.fromfd(self.raw.fileno(), socket.AF_INET, socket.SOCK_STREAM) as s,
            ):
                s.shutdown(socket.SHUT_RDWR)

    def close(self) -> None:
        self.reconnect = None
        fresh, self._fresh = self._fresh, None
        if fresh is not None:
            fresh.close()
        self.raw.close()


# text compares and sorts by code point, as in SQLite, whatever the server's locale
_TYPES = {str: 'TEXT COLLATE "C"', int: "BIGINT", float: "DOUBLE PRECISION", bytes: "BYTEA"}


class _Table:
    """The part of sqlite-utils' table API the migrations use, as PostgreSQL DDL."""

    def __init__(self, conn: PgConnection, name: str) -> None:
        self.conn, self.name = conn, name

    def create(
        self,
        columns: Mapping[str, type],
        pk: str | tuple[str, ...],
        not_null: Iterable[str] = (),
        foreign_keys: Iterable[tuple[str, str, str]] = (),
    ) -> None:
        keys = (pk,) if isinstance(pk, str) else tuple(pk)
        refs = {column: (table, other) for column, table, other in foreign_keys}
        strict = set(not_null)
        lines = []
        for column, kind in columns.items():
            line = f"{column} {_TYPES[kind]}"
            if keys == (column,) and column == "id" and kind is int:
                line += " GENERATED BY DEFAULT AS IDENTITY"  # sqlite's rowid: numbered for us
            if column in strict:
                line += " NOT NULL"
            if column in refs:
                line += f" REFERENCES {refs[column][0]} ({refs[column][1]})"
            lines.append(line)
        lines.append(f"PRIMARY KEY ({', '.join(keys)})")
        self.conn.execute(f"CREATE TABLE {self.name} ({', '.join(lines)})")

    def add_column(self, column: str, kind: type) -> None:
        self.conn.execute(f"ALTER TABLE {self.name} ADD COLUMN {column} {_TYPES[kind]}")

    def create_index(self, columns: Sequence[str], unique: bool = False) -> None:
        name = f"idx_{self.name}_{'_'.join(columns)}"
        kind = "UNIQUE INDEX" if unique else "INDEX"
        self.conn.execute(f"CREATE {kind} {name} ON {self.name} ({', '.join(columns)})")


class PgDatabase:
    """What the store and the migrations ask of sqlite-utils' ``Database``, on PostgreSQL."""

    def __init__(self, conn: PgConnection) -> None:
        self.conn = conn

    def table(self, name: str) -> _Table:
        return _Table(self.conn, name)

    def execute(self, sql: str, params: Sequence[Any] | None = None) -> Any:
        return self.conn.execute(sql, params)

    def query(
        self, sql: str, params: Sequence[Any] | Mapping[str, Any] | None = None
    ) -> Iterator[dict[str, Any]]:
        cur = self.conn.execute(sql, params)
        names = [d.name for d in cur.description or ()]
        for row in cur.fetchall():
            yield dict(zip(names, row, strict=True))

    def table_names(self) -> list[str]:
        rows = self.conn.execute(
            "SELECT table_name FROM information_schema.tables"
            " WHERE table_schema = current_schema() ORDER BY table_name"
        ).fetchall()
        return [str(r[0]) for r in rows]

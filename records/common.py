"""What the schema, the store and the recorder share: the program's name (where its files go),
the error every records failure becomes, the default database file and the clock."""

from __future__ import annotations

import os
from contextvars import ContextVar
from datetime import UTC, datetime
from pathlib import Path

import platformdirs

from sim.errors import DeskTrainerError

__all__ = ["APP", "OPENED", "RecordsError", "default_db", "default_db_path", "is_server", "now_iso"]

APP = "desk-trainer"

# the records opened last in this context (a file, or a server's URL without its password): what
# the command line names when damaged records make something fail the store did not catch itself
OPENED: ContextVar[str | None] = ContextVar("records_opened", default=None)


class RecordsError(DeskTrainerError):
    """The database cannot be used as asked; the message names the file and what to do."""


def is_server(target: object) -> bool:
    """Whether a ``--db`` value names a PostgreSQL server (``postgresql://USER@HOST:PORT/NAME``,
    or ``postgres://``) rather than a SQLite file."""
    return isinstance(target, str) and target.lower().startswith(("postgresql://", "postgres://"))


def default_db() -> str | Path:
    """Where records live unless ``--db`` says otherwise: ``DESK_TRAINER_DB`` (a file, or a
    server's URL), else the file in the user's data directory."""
    override = os.environ.get("DESK_TRAINER_DB")
    if override:
        return override if is_server(override) else Path(override)
    return Path(platformdirs.user_data_dir(APP, appauthor=False)) / "records.sqlite3"


def default_db_path() -> Path:
    """The default records file (``DESK_TRAINER_DB`` when it names a file)."""
    found = default_db()
    if isinstance(found, Path):
        return found
    return Path(platformdirs.user_data_dir(APP, appauthor=False)) / "records.sqlite3"


def now_iso() -> str:
    return datetime.now(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")

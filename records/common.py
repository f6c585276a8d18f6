"""What the schema, the store and the recorder share: the program's name (where its files go),
the error every records failure becomes, the default database file and the clock."""

from __future__ import annotations

import os
from contextvars import ContextVar
from datetime import UTC, datetime
from pathlib import Path

import platformdirs

from sim.errors import DeskTrainerError

__all__ = ["APP", "OPENED", "RecordsError", "default_db_path", "now_iso"]

APP = "desk-trainer"

# the records file opened last in this context: what the command line names when a damaged file
# makes something fail that the store did not catch itself
OPENED: ContextVar[Path | None] = ContextVar("records_opened", default=None)


class RecordsError(DeskTrainerError):
    """The database cannot be used as asked; the message names the file and what to do."""


def default_db_path() -> Path:
    """Where records live unless ``--db`` says otherwise (the user's data directory)."""
    override = os.environ.get("DESK_TRAINER_DB")
    if override:
        return Path(override)
    return Path(platformdirs.user_data_dir(APP, appauthor=False)) / "records.sqlite3"


def now_iso() -> str:
    return datetime.now(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")

"""The records database: trainees, sessions, their input and trace, and every result.

The names the desk, the command line and the tests have always imported from here; the work is
done in :mod:`records.store.schema` (migrations), :mod:`records.rows` (what queries return),
:mod:`records.store` (every query) and :mod:`records.recording` (a session as it happens).
"""

from __future__ import annotations

from records.common import RecordsError, default_db_path, now_iso
from records.recording import Recording
from records.rows import ResultRow, SessionRow
from records.store import Records
from records.store.schema import MIGRATIONS
from scoring.result import report_bytes

__all__ = [
    "MIGRATIONS",
    "Records",
    "Recording",
    "RecordsError",
    "SessionRow",
    "ResultRow",
    "default_db_path",
    "report_bytes",
    "now_iso",
]

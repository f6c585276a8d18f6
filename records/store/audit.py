"""The audit log: one append-only, linked entry per thing that decides an outcome (a session
opened, a result stored, an attempt started or ended, a deletion, an instructor added) and per
change to the register (who made it), written in the same transaction as the thing itself.
``records.integrity`` says why; ``records.audit`` reads it back for ``verify``."""

from __future__ import annotations

import sqlite3
from typing import Any

from records.common import now_iso
from records.integrity import audit_mac, canon, key_id
from records.rows import AuditEntry
from records.store.base import StoreBase
from records.store.dialect import PgConnection

__all__ = ["AuditStore", "append"]


def append(
    conn: sqlite3.Connection | PgConnection,
    key: bytes | None,
    kind: str,
    subject: str,
    body: dict[str, Any],
) -> int:
    """Add an entry after the last one (inside the caller's transaction); its number."""
    last = conn.execute("SELECT seq, mac FROM audit ORDER BY seq DESC LIMIT 1").fetchone()
    seq = int(last[0]) + 1 if last else 1
    prev = str(last[1]) if last else ""
    at = now_iso()
    text = canon(body)
    mac = audit_mac(key, prev, seq, at, kind, subject, text)
    conn.execute(
        "INSERT INTO audit (seq, at, kind, subject, body, key_id, mac)"
        " VALUES (?, ?, ?, ?, ?, ?, ?)",
        (seq, at, kind, subject, text, key_id(key) if key is not None else None, mac),
    )
    return seq


class AuditStore(StoreBase):
    """Reading the audit log, and counting what it recorded."""

    def audit_entries(self) -> list[AuditEntry]:
        """The whole log, in order."""
        with self._errors():
            rows = self.conn.execute(
                "SELECT seq, at, kind, subject, body, key_id, mac FROM audit ORDER BY seq"
            ).fetchall()
        return [AuditEntry(*r) for r in rows]

    def audited_attempts(self, drill_id: str, trainee: str) -> int:
        """How many attempts at a drill the log recorded for a trainee (deleted ones too)."""
        with self._errors():
            found = self.conn.execute(
                "SELECT COUNT(*) FROM audit WHERE kind = 'attempt'"
                " AND json_extract(body, '$.drill') = ? AND json_extract(body, '$.trainee') = ?",
                (drill_id, trainee),
            ).fetchone()
        return int(found[0])

    def audit_head(self) -> tuple[int, str] | None:
        """The log's last entry: its number and link (None: no log)."""
        with self._errors():
            found = self.conn.execute(
                "SELECT seq, mac FROM audit ORDER BY seq DESC LIMIT 1"
            ).fetchone()
        return None if found is None else (int(found[0]), str(found[1]))

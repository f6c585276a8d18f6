"""People: the trainees sessions are recorded for, and the staff (instructors) who may re-score,
delete or export exam results."""

from __future__ import annotations

from records.common import now_iso
from records.rows import StaffRow
from records.store.audit import append
from records.store.base import StoreBase

__all__ = ["PeopleStore"]


class PeopleStore(StoreBase):
    """Trainees and staff."""

    def ensure_trainee(
        self, trainee_id: str, name: str | None = None, role: str = "trainee"
    ) -> None:
        with self._errors(), self._tx() as c:
            c.execute(
                "INSERT OR IGNORE INTO trainees (id, name, role, created_at) VALUES (?, ?, ?, ?)",
                (trainee_id, name or trainee_id, role, now_iso()),
            )

    def trainee_name(self, trainee_id: str) -> str | None:
        """The name a trainee was entered with (None: no such trainee)."""
        with self._errors():
            found = self.conn.execute(
                "SELECT name FROM trainees WHERE id = ?", (trainee_id,)
            ).fetchone()
        return None if found is None else found[0]

    def put_staff(
        self,
        staff_id: str,
        name: str,
        role: str,
        salt: bytes,
        password_hash: bytes,
        signature: str,
    ) -> None:
        """Add a member of staff, or replace their entry (a reset password)."""
        with self._errors(), self._tx() as c:
            c.execute(
                "INSERT OR REPLACE INTO staff VALUES (?, ?, ?, ?, ?, ?, ?)",
                (staff_id, name, role, salt, password_hash, now_iso(), signature),
            )
            append(c, self.key, "staff", staff_id, {"role": role, "name": name})

    def staff(self, staff_id: str) -> StaffRow | None:
        """A member of staff's entry (None: there is none)."""
        with self._errors():
            rows = list(self.db.query("SELECT * FROM staff WHERE id = ?", [staff_id]))
        return StaffRow.of(rows[0]) if rows else None

"""People: the trainees sessions are recorded for, and the staff (instructors) who may re-score,
delete or export exam results."""

from __future__ import annotations

from collections.abc import Sequence

from records.common import now_iso
from records.rows import PersonRow, StaffRow
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
                "INSERT INTO trainees (id, name, role, created_at) VALUES (?, ?, ?, ?)"
                " ON CONFLICT DO NOTHING",
                (trainee_id, name or trainee_id, role, now_iso()),
            )

    def trainee_name(self, trainee_id: str) -> str | None:
        """The name a trainee was entered with (None: no such trainee)."""
        with self._errors():
            found = self.conn.execute(
                "SELECT name FROM trainees WHERE id = ?", (trainee_id,)
            ).fetchone()
        return None if found is None else found[0]

    def resolve_trainee(self, text: str) -> str:
        """The trainee id a sign-in names: an id as it is; a registered trainee's name (when
        only one has it) as their staff id; anything else as typed (an unregistered trainee)."""
        with self._errors():
            if self.conn.execute("SELECT 1 FROM trainees WHERE id = ?", (text,)).fetchone():
                return text
            found = self.conn.execute(
                "SELECT id FROM trainees WHERE name = ? AND unit IS NOT NULL LIMIT 2", (text,)
            ).fetchall()
        return str(found[0][0]) if len(found) == 1 else text

    def person(self, trainee_id: str) -> PersonRow | None:
        """A trainee's entry (None: no such trainee)."""
        with self._errors():
            rows = list(self.db.query("SELECT * FROM trainees WHERE id = ?", [trainee_id]))
        return PersonRow.of(rows[0]) if rows else None

    def people(self, *, unit: str | None = None, registered: bool = False) -> list[PersonRow]:
        """Trainees (of one unit; only those entered in the roster), by unit, team and id."""
        sql = "SELECT * FROM trainees WHERE role = 'trainee'"
        params: list[str] = []
        if unit is not None:
            sql += " AND unit = ?"
            params.append(unit)
        if registered:
            sql += " AND unit IS NOT NULL"
        sql += " ORDER BY unit IS NULL, unit, team NULLS FIRST, id"  # as SQLite orders NULL
        with self._errors():
            return [PersonRow.of(r) for r in self.db.query(sql, params)]

    def people_named(self, name: str) -> list[PersonRow]:
        """Registered trainees entered with this name."""
        with self._errors():
            rows = self.db.query(
                "SELECT * FROM trainees WHERE name = ? AND unit IS NOT NULL ORDER BY id", [name]
            )
            return [PersonRow.of(r) for r in rows]

    def units(self) -> list[str]:
        """The units in the register, sorted."""
        with self._errors():
            rows = self.conn.execute(
                "SELECT DISTINCT unit FROM trainees WHERE unit IS NOT NULL ORDER BY unit"
            ).fetchall()
        return [str(r[0]) for r in rows]

    def put_people(self, people: Sequence[PersonRow], *, by: str, source: str) -> tuple[int, int]:
        """Enter or update trainees in one transaction (a roster import or an edit): how many
        were added and how many changed. The audit log records who did it and from what."""
        added = changed = 0
        at = now_iso()
        with self._errors(), self._tx() as c:
            for p in people:
                old = c.execute(
                    "SELECT name, unit, team, job, hire_date, active FROM trainees WHERE id = ?",
                    (p.id,),
                ).fetchone()
                new = (p.name, p.unit, p.team, p.job, p.hire_date, int(p.active))
                if old is None:
                    c.execute(
                        "INSERT INTO trainees (id, name, role, created_at, unit, team, job,"
                        " hire_date, active, updated_at, updated_by)"
                        " VALUES (?, ?, 'trainee', ?, ?, ?, ?, ?, ?, ?, ?)",
                        (p.id, p.name, at, p.unit, p.team, p.job, p.hire_date, int(p.active),
                         at, by),
                    )  # fmt: skip
                    added += 1
                elif tuple(old) != new:
                    c.execute(
                        "UPDATE trainees SET name = ?, unit = ?, team = ?, job = ?, hire_date = ?,"
                        " active = ?, updated_at = ?, updated_by = ? WHERE id = ?",
                        (*new, at, by, p.id),
                    )
                    changed += 1
            if added or changed:
                append(c, self.key, "roster", source, {
                    "by": by, "added": added, "changed": changed, "people": len(people),
                })  # fmt: skip
        return added, changed

    def assign_path(self, scope: str, subject: str, path_id: str | None, *, by: str) -> None:
        """Assign a learning path to a unit or a trainee (``scope``); None takes it away."""
        with self._errors(), self._tx() as c:
            if path_id is None:
                c.execute(
                    "DELETE FROM path_assignments WHERE scope = ? AND subject = ?",
                    (scope, subject),
                )
            else:
                c.execute(
                    "INSERT INTO path_assignments VALUES (?, ?, ?, ?, ?)"
                    " ON CONFLICT (scope, subject) DO UPDATE SET path_id = excluded.path_id,"
                    " assigned_at = excluded.assigned_at, assigned_by = excluded.assigned_by",
                    (scope, subject, path_id, now_iso(), by),
                )
            append(c, self.key, "path", f"{scope}:{subject}", {"by": by, "path": path_id})

    def path_assignments(self) -> dict[tuple[str, str], str]:
        """Every assignment: (scope, subject) → path id."""
        with self._errors():
            rows = self.conn.execute(
                "SELECT scope, subject, path_id FROM path_assignments"
            ).fetchall()
        return {(str(a), str(b)): str(p) for a, b, p in rows}

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
                "INSERT INTO staff VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO UPDATE SET"
                " name = excluded.name, role = excluded.role, salt = excluded.salt,"
                " password_hash = excluded.password_hash, created_at = excluded.created_at,"
                " signature = excluded.signature",
                (staff_id, name, role, salt, password_hash, now_iso(), signature),
            )
            append(c, self.key, "staff", staff_id, {"role": role, "name": name})

    def staff(self, staff_id: str) -> StaffRow | None:
        """A member of staff's entry (None: there is none)."""
        with self._errors():
            rows = list(self.db.query("SELECT * FROM staff WHERE id = ?", [staff_id]))
        return StaffRow.of(rows[0]) if rows else None

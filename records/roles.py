"""Trainee and instructor are separate roles.

A trainee (anyone at the desk) trains, takes exams, reads their own history and verifies
certificates. Re-scoring, deleting and exporting exam results are an instructor's: the command
line asks for ``--as ID`` and the instructor's password (``DESK_TRAINER_PASSWORD`` or a prompt).
Instructors are added with the training centre's key, which also signs their entry, so a row
slipped into the database by hand is not an instructor; and signing in as one needs the key too
(without it no entry can be checked, so there is no instructor at all).

Who sees exam results: an instructor sees everyone's; anyone else sees none through the command
line (a trainee sees their own at the desk, where they took them). ``exams_visible`` is the one
rule every command that lists results follows.
"""

from __future__ import annotations

import hashlib
import hmac
import os

from records.db import Records
from records.integrity import sign
from records.words import tr
from sim.errors import DeskTrainerError

__all__ = ["RoleError", "add_instructor", "authenticate", "exams_visible"]

_SCRYPT = {"n": 2**14, "r": 8, "p": 1, "dklen": 32}


class RoleError(DeskTrainerError):
    """The command is an instructor's, and no instructor has signed in."""


def _hash(password: str, salt: bytes) -> bytes:
    return hashlib.scrypt(password.encode("utf-8"), salt=salt, **_SCRYPT)


def _entry(staff_id: str, role: str, pw_hash: bytes) -> bytes:
    return b"staff\0" + staff_id.encode() + b"\0" + role.encode() + b"\0" + pw_hash


def add_instructor(records: Records, staff_id: str, name: str, password: str) -> None:
    """Add (or reset) an instructor; needs the training centre's key."""
    if records.key is None:
        raise RoleError(tr("roles.needs_key"))
    if len(password) < 8:
        raise RoleError(tr("roles.weak_password"))
    salt = os.urandom(16)
    pw_hash = _hash(password, salt)
    signature = sign(records.key, _entry(staff_id, "instructor", pw_hash))
    records.put_staff(staff_id, name, "instructor", salt, pw_hash, signature)


def authenticate(records: Records, staff_id: str | None, password: str | None) -> str:
    """The instructor's id, or RoleError saying what the command needs."""
    if not staff_id:
        raise RoleError(tr("roles.instructor_only"))
    if records.key is None:
        raise RoleError(tr("roles.no_key", id=staff_id))
    row = records.staff(staff_id)
    if row is None or password is None:
        raise RoleError(tr("roles.denied", id=staff_id))
    role, pw_hash = row.role, row.password_hash
    if role != "instructor" or not hmac.compare_digest(_hash(password, row.salt), pw_hash):
        raise RoleError(tr("roles.denied", id=staff_id))
    if not hmac.compare_digest(
        sign(records.key, _entry(staff_id, role, pw_hash)), row.signature or ""
    ):
        raise RoleError(tr("roles.forged", id=staff_id))
    return staff_id


def exams_visible(
    instructor: str | None, trainee: str | None = None, me: str | None = None
) -> bool:
    """Whether exam results (of ``trainee``) may be shown: to an instructor always; to a
    trainee (``me``) only their own."""
    return instructor is not None or (me is not None and me == trainee)

"""Exam integrity: what makes a record evidence, and how ``verify`` checks it.

The model, in three layers. Each fact that decides an outcome is in one of them; nothing a
verdict depends on is trusted from a column that no key and no re-derivation covers.

**1. Chained (per session).** A session's header (trainee, scenario bytes by hash, procedure
edition by hash, seed, variant, mode, drill attempt, start time, the drill's time limit, and —
from schema 6 on — the ``agent`` that played, or none, and the ``seal``) is hashed, and each
recorded action extends a hash chain from it. With the centre's key at recording time the seal
is ``v2:<key id>`` and both the header hash and every link are HMACs with the key, so an
unfinished session (no result, no signature) cannot be rebuilt without the key either. Without a
key the seal is ``v2`` and the hashes are plain SHA-256 (a training desk with no key); an exam
sealed so is reported as unsigned. Sessions recorded before schema 6 keep their plain chain
(seal NULL) and verify as they always did.

**2. Signed (per result, per attempt).** A result is signed (HMAC-SHA256, the centre's key) over
the header hash, the chain head, the number of actions, the report's bytes and the procedure.
A re-score is a new signed result; the earlier ones stay. A drill attempt's summary (its
sessions, each result's report hash, the average and the verdict) is signed with the trainee's
id, and the certificate code is an HMAC of the same, so it names one attempt and cannot be
moved. A staff entry is signed (an instructor exists only if the key made them).

**3. Logged (per database).** ``audit`` is an append-only log in which each entry is linked to
the one before (an HMAC with the key, SHA-256 without) and written in the same transaction as
what it records: a session opened (its uuid, header hash, seal, mode, agent), a result stored
(its report's hash, signature, why, and who re-scored it), an attempt started (drill, trainee,
number, agent) and ended (summary hash, signature, average, verdict, code, date), a session
deleted (by whom), an instructor added; and, though they decide no outcome, a change to the
trainee register and a learning path assigned (by whom: ``roster`` and ``path`` entries). Its
first entry, written when the schema is upgraded, says how many sessions, results and attempts
were there before the log (those verify as before).

**Re-derived, not trusted.** ``verify`` derives again: the trace and every result from the
recorded input (each with its own semantics); which result is current (the last one the log
recorded for the session); the findings rows and ``hints_used`` (from the signed report); an
attempt's verdict (from the signed results of its sessions), its average, verdict, code and
date (from the signed summary and the log), its number (its place among the trainee's attempts
at the drill in the log: a deleted attempt is still counted, so it is not given back); the
scenario, procedure and drill bytes (against their SHA-256); pauses and hints in an exam (from
the actions). Whatever differs is named: the session or the attempt, and what was altered.

What this cannot see, said plainly: with the key, anything can be re-signed (keep it off the
desks); and whoever deletes the newest entries of the log together with what they record leaves
no trace inside the file (``verify --all`` prints the log's head so it can be noted elsewhere).
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from records.words import tr
from sim.errors import DeskTrainerError
from sim.trace import TimedAction

__all__ = [
    "KEY_ENV",
    "KEY_FILE_ENV",
    "HEADER_FIELDS",
    "load_key",
    "key_id",
    "header_hash",
    "link",
    "audit_mac",
    "canon",
    "seal_for",
    "sealed_key_id",
    "sign",
    "signature_payload",
    "Finding",
]

KEY_ENV = "DESK_TRAINER_KEY"
KEY_FILE_ENV = "DESK_TRAINER_KEY_FILE"


def load_key(key_file: str | Path | None = None) -> bytes | None:
    """The training centre's key: ``key_file``, else the environment; None when there is none."""
    path = key_file or os.environ.get(KEY_FILE_ENV)
    if path:
        try:
            raw = Path(path).read_bytes().strip()
        except OSError as exc:
            raise DeskTrainerError(
                tr("integrity.key_unreadable", file=str(path), error=exc.strerror or str(exc))
            ) from None
        if len(raw) < 16:
            raise DeskTrainerError(tr("integrity.key_short", file=str(path)))
        return raw
    env = os.environ.get(KEY_ENV)
    if env:
        if len(env) < 16:
            raise DeskTrainerError(tr("integrity.key_short", file=KEY_ENV))
        return env.encode("utf-8")
    return None


def key_id(key: bytes) -> str:
    """A short public name for a key (which key signed), not the key."""
    return hashlib.sha256(b"desk-trainer key id\0" + key).hexdigest()[:12]


def _canon(value: Any) -> bytes:
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode()


# The session's signed header: what a session's chain starts from. The store selects exactly
# these columns, and ``header_hash`` hashes them, so the two cannot drift apart.
HEADER_FIELDS: tuple[str, ...] = (
    "uuid",
    "trainee_id",
    "scenario_id",
    "scenario_sha256",
    "procedure_sha256",
    "seed",
    "variant",
    "mode",
    "drill",
    "started_at",
    "time_limit",
    "agent",
    "seal",
    "branch_of",
    "branch_at",
)
# fields added after release 0.1: hashed only when set, so that an older session (which has
# none) hashes exactly as it did when it was recorded
_ADDED_LATER = frozenset({"time_limit", "branch_of", "branch_at"})
# a branch's link to its original (schema 8): hashed, sealed or not, only when set
_BRANCH = frozenset({"branch_of", "branch_at"})
# fields of a sealed (schema 6) header: always hashed, even when empty (a blanked agent shows)
_SEALED_ONLY = frozenset({"agent", "seal"})


def seal_for(key: bytes | None) -> str:
    """The seal a new session gets: keyed with this key, or plain (no key)."""
    return f"v2:{key_id(key)}" if key is not None else "v2"


def sealed_key_id(seal: str | None) -> str | None:
    """The id of the key a session's header and chain are keyed with (None: not keyed)."""
    return seal[3:] if seal and seal.startswith("v2:") else None


def header_hash(header: dict[str, Any], key: bytes | None = None) -> str:
    """The hash of a session's header (``HEADER_FIELDS`` of its row).

    A session recorded before schema 6 (no seal) hashes the fields it had, as it always did;
    a sealed one also hashes its agent and seal, keyed with ``key`` when its seal names a key.
    """
    seal = header.get("seal")
    if not seal:
        body = {
            k: header.get(k)
            for k in HEADER_FIELDS
            if k not in _SEALED_ONLY and (k not in _ADDED_LATER or header.get(k) is not None)
        }
        return hashlib.sha256(_canon(body)).hexdigest()
    body = {
        k: header.get(k)
        for k in HEADER_FIELDS
        if k not in _BRANCH or header.get(k) is not None  # sessions sealed before branches
    }
    return _digest(key if sealed_key_id(seal) else None, b"header\0" + _canon(body))


def _digest(key: bytes | None, data: bytes) -> str:
    if key is None:
        return hashlib.sha256(data).hexdigest()
    return hmac.new(key, data, hashlib.sha256).hexdigest()


def link(prev: str, seq: int, action: TimedAction, key: bytes | None = None) -> str:
    """The next link of a session's chain (keyed with ``key`` for a keyed seal)."""
    body = _canon([seq, action.t, action.action, dict(sorted(action.args.items()))])
    if key is None:
        return hashlib.sha256(prev.encode() + b"\0" + body).hexdigest()
    return hmac.new(key, b"link\0" + prev.encode() + b"\0" + body, hashlib.sha256).hexdigest()


def audit_mac(
    key: bytes | None, prev: str, seq: int, at: str, kind: str, subject: str, body: str
) -> str:
    """The link of one audit-log entry to the one before (keyed when written with a key)."""
    return _digest(key, b"audit\0" + prev.encode() + b"\0" + _canon([seq, at, kind, subject, body]))


def canon(value: Any) -> str:
    """A value as the canonical JSON text that is hashed and signed."""
    return _canon(value).decode("utf-8")


def signature_payload(
    header: str, chain_head: str, n_actions: int, report_json: bytes, procedure_sha256: str
) -> bytes:
    return _canon(
        {
            "header": header,
            "chain": chain_head,
            "actions": n_actions,
            "report": hashlib.sha256(report_json).hexdigest(),
            "procedure": procedure_sha256,
        }
    )


def sign(key: bytes, payload: bytes) -> str:
    return hmac.new(key, payload, hashlib.sha256).hexdigest()


@dataclass(frozen=True)
class Finding:
    """One thing verify found wrong with a session."""

    session: int  # 0: not about one session (an attempt, the audit log)
    code: str  # header | action_changed | action_missing | trace_changed | report_changed |
    #            score_changed | signature_invalid | unsigned | other_key | hint_in_exam | ...
    detail: str
    attempt: int | None = None  # the drill attempt it is about, if any

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"session": self.session, "code": self.code, "detail": self.detail}
        if self.attempt is not None:
            out["attempt"] = self.attempt
        return out

"""Exam integrity: each session's actions form a hash chain, and each result is signed.

The chain starts from a hash of the session's header (trainee, scenario bytes, procedure
edition, seed, variant, mode, drill, start time); each recorded action extends it. A result is
signed with the training centre's key (HMAC-SHA256) over the header hash, the chain head, the
number of actions and the report's bytes. The key comes from ``DESK_TRAINER_KEY`` (the key
itself) or ``DESK_TRAINER_KEY_FILE`` (a file holding it), never from the database; the database
keeps only a short key id, so it is clear which key signed what.

``verify`` re-derives everything from the recorded input: an edited, deleted or inserted action,
a changed header (a swapped seed), a changed score or report, an edited trace, or a signature
that does not match are each reported with the session and what was altered.
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
)
# fields added after release 0.1: hashed only when set, so that an older session (which has
# none) hashes exactly as it did when it was recorded
_ADDED_LATER = frozenset({"time_limit"})


def header_hash(header: dict[str, Any]) -> str:
    """The hash of a session's header (``HEADER_FIELDS`` of its row)."""
    body = {
        k: header.get(k)
        for k in HEADER_FIELDS
        if k not in _ADDED_LATER or header.get(k) is not None
    }
    return hashlib.sha256(_canon(body)).hexdigest()


def link(prev: str, seq: int, action: TimedAction) -> str:
    body = _canon([seq, action.t, action.action, dict(sorted(action.args.items()))])
    return hashlib.sha256(prev.encode() + b"\0" + body).hexdigest()


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

    session: int
    code: str  # header | action_changed | action_missing | trace_changed | report_changed |
    #            score_changed | signature_invalid | unsigned | other_key | hint_in_exam
    detail: str

    def to_dict(self) -> dict[str, Any]:
        return {"session": self.session, "code": self.code, "detail": self.detail}

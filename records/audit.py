"""The audit log read back for ``verify``: each entry's link checked, and what it recorded
indexed (sessions, results, attempts, deletions) so the tables can be compared with it.

Why there is a log and what it covers: :mod:`records.integrity`.
"""

from __future__ import annotations

import hmac
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from records.db import Records
from records.integrity import Finding, audit_mac, key_id
from records.words import tr

__all__ = ["AuditIndex", "read_audit"]


@dataclass
class AuditIndex:
    """What the log says, and what was wrong with the log itself."""

    findings: list[Finding] = field(default_factory=list)
    # before the log: ids up to these were recorded by an earlier release (verified as before)
    sessions_before: int = 0
    results_before: int = 0
    attempts_before: int = 0
    has_log: bool = False
    head: tuple[int, str] | None = None  # the last entry: its number and link
    sessions: dict[str, dict[str, Any]] = field(default_factory=dict)  # uuid -> entry body
    signed_sessions: set[str] = field(default_factory=set)
    results: dict[str, list[dict[str, Any]]] = field(default_factory=dict)  # session uuid
    deleted: dict[str, dict[str, Any]] = field(default_factory=dict)  # session uuid
    attempts: dict[str, dict[str, Any]] = field(default_factory=dict)  # attempt uuid
    attempt_ends: dict[str, dict[str, Any]] = field(default_factory=dict)
    # (drill, trainee) -> attempt uuids in the order the log recorded them
    attempt_order: dict[tuple[str, str], list[str]] = field(default_factory=dict)

    def logged_session(self, session_id: int) -> bool:
        """Whether a session of this number must have been recorded in the log."""
        return self.has_log and session_id > self.sessions_before

    def logged_result(self, result_id: int) -> bool:
        return self.has_log and result_id > self.results_before

    def logged_attempt(self, attempt_id: int) -> bool:
        return self.has_log and attempt_id > self.attempts_before

    def current(self, session_uuid: str) -> int | None:
        """The result the log recorded last for a session (its current one)."""
        found = self.results.get(session_uuid)
        return int(found[-1]["id"]) if found else None


def read_audit(records: Records, key: bytes | None) -> AuditIndex:
    """The log, each link checked with ``key`` (a keyed entry needs the key to be checked)."""
    index = AuditIndex()
    order: dict[tuple[str, str], list[str]] = defaultdict(list)
    results: dict[str, list[dict[str, Any]]] = defaultdict(list)
    prev = ""
    expected = 1
    mine = key_id(key) if key is not None else None
    for e in records.audit_entries():
        if e.seq != expected:
            index.findings.append(_f("audit_missing", first=expected, last=e.seq - 1))
        expected = e.seq + 1
        if e.key_id is None:
            good = audit_mac(None, prev, e.seq, e.at, e.kind, e.subject, e.body)
        elif e.key_id == mine and key is not None:
            good = audit_mac(key, prev, e.seq, e.at, e.kind, e.subject, e.body)
        else:
            good = None  # another key: cannot be checked here
            index.findings.append(_f("audit_other_key", seq=e.seq, key=e.key_id))
        if good is not None and not hmac.compare_digest(good, e.mac or ""):
            index.findings.append(_f("audit_changed", seq=e.seq, kind=e.kind))
        prev = e.mac or ""
        index.head = (e.seq, prev)
        body = e.data
        if e.kind == "genesis":
            if index.has_log:
                index.findings.append(_f("audit_changed", seq=e.seq, kind=e.kind))
                continue
            index.has_log = True
            index.sessions_before = _int(body.get("sessions"))
            index.results_before = _int(body.get("results"))
            index.attempts_before = _int(body.get("attempts"))
        elif e.kind == "session":
            index.sessions[e.subject] = body
            if e.key_id is not None:
                index.signed_sessions.add(e.subject)
        elif e.kind == "result":
            results[e.subject].append({**body, "_signed": e.key_id is not None})
        elif e.kind == "delete":
            index.deleted[e.subject] = body
        elif e.kind == "attempt":
            index.attempts[e.subject] = body
            order[(str(body.get("drill")), str(body.get("trainee")))].append(e.subject)
        elif e.kind == "attempt_end":
            index.attempt_ends[e.subject] = {**body, "_signed": e.key_id is not None}
    index.results = dict(results)
    index.attempt_order = dict(order)
    return index


def _int(value: Any) -> int:
    return value if isinstance(value, int) and not isinstance(value, bool) else 0


def _f(code: str, **kw: object) -> Finding:
    return Finding(0, code, tr(f"verify.{code}", **kw))

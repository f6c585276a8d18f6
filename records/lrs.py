"""A small client for an LRS (xAPI 1.0.3): send statements so that sending again is harmless,
and read them back by registration. Standard library only.

A batch is POSTed, not PUT: the LRS answers a POST with the ids it newly stored (Ralph answers 204
when all were there already), so "sent" and "already there" can be told apart, while a PUT
answers 204 either way.
"""

from __future__ import annotations

import base64
import http.client
import json
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

__all__ = ["LRSError", "SendResult", "fetch", "send"]

XAPI_VERSION = "1.0.3"


class LRSError(Exception):
    """The LRS could not be used at all: unreachable, wrong address or refused credentials."""


@dataclass(frozen=True)
class SendResult:
    """What became of the statements: newly stored, already in the LRS, or failed (and why)."""

    sent: int = 0
    already: int = 0
    failed: int = 0
    messages: tuple[str, ...] = field(default=())

    @property
    def ok(self) -> bool:
        return self.failed == 0

    def __str__(self) -> str:
        head = f"sent {self.sent}, already in the LRS {self.already}, failed {self.failed}"
        return "\n".join([head, *self.messages])


def send(
    statements: list[dict[str, Any]],
    url: str,
    *,
    username: str,
    password: str,
    retries: int = 3,
    timeout: float = 10,
    batch: int = 50,
    backoff: float = 0.5,
    deadline: float = 60,
) -> SendResult:
    """POST the statements to ``{url}/statements``; sending them again changes nothing.

    A batch the LRS refuses (400, or 409 because some id is stored with other content) is sent
    again one by one, so the others still arrive and the culprit is named. A 409 counts as
    already there when the LRS's copy says what ours says, and as a failure when it does not.
    Connection errors and 5xx are tried ``retries`` more times, waiting ``backoff`` seconds,
    then twice that, and so on; unreachable, refused credentials or a wrong address end the
    sending with one message saying what to check. ``timeout`` bounds each wait for the
    network; ``deadline`` bounds each request as a whole, so an LRS that answers one byte at a
    time cannot hold the export.
    """
    client = _Client(url, username, password, retries=retries, timeout=timeout, backoff=backoff,
                     deadline=deadline)  # fmt: skip
    tally = _Tally()
    chunks = list(_chunks(statements, max(1, batch)))
    for i, chunk in enumerate(chunks):
        try:
            _send_batch(client, chunk, tally)
        except LRSError as err:
            tally.failed += sum(len(c) for c in chunks[i:])
            tally.messages.append(str(err))
            break
    return SendResult(tally.sent, tally.already, tally.failed, tuple(tally.messages))


def fetch(
    url: str,
    *,
    username: str,
    password: str,
    registration: str,
    timeout: float = 10,
    limit: int | None = None,
) -> list[dict[str, Any]]:
    """The LRS's statements for one registration (one session), following its ``more`` links."""
    client = _Client(url, username, password, retries=1, timeout=timeout, backoff=0.2)
    query = {"registration": registration}
    if limit:
        query["limit"] = str(limit)
    target: str | None = f"{client.base}/statements?{urllib.parse.urlencode(query)}"
    seen: set[str] = set()
    found: list[dict[str, Any]] = []
    while target and target not in seen:
        seen.add(target)
        status, body = client.call("GET", target)
        if status != 200:
            raise LRSError(
                f"the LRS at {client.base} would not list statements: {_said(status, body)}"
            )
        try:
            page = json.loads(body)
        except ValueError:
            page = None
        if not isinstance(page, dict):
            raise LRSError(f"the LRS at {client.base} answered a query with something not xAPI")
        found.extend(page.get("statements", []))
        more = page.get("more")
        target = urllib.parse.urljoin(client.base + "/", more) if more else None
    return found


@dataclass
class _Tally:
    sent: int = 0
    already: int = 0
    failed: int = 0
    messages: list[str] = field(default_factory=list)


def _chunks(items: Sequence[dict[str, Any]], size: int) -> Iterator[list[dict[str, Any]]]:
    for start in range(0, len(items), size):
        yield list(items[start : start + size])


def _send_batch(client: _Client, chunk: list[dict[str, Any]], tally: _Tally) -> None:
    status, body = client.call("POST", f"{client.base}/statements", chunk)
    if status in (200, 204):
        stored = _stored_ids(body, chunk) if status == 200 else set()
        tally.sent += len(stored)
        tally.already += len(chunk) - len(stored)
        return
    if status in (400, 409) and len(chunk) > 1:
        for one in chunk:
            _send_batch(client, [one], tally)
        return
    statement = chunk[0] if len(chunk) == 1 else None
    if status == 409 and statement is not None:
        theirs = _stored_copy(client, str(statement.get("id")))
        if theirs is not None and _says_the_same(statement, theirs):
            tally.already += 1
            return
        tally.failed += 1
        tally.messages.append(
            f"statement {statement.get('id')} ({_verb(statement)}): the LRS already holds a "
            "different statement under this id and keeps it (statements cannot be changed); "
            "the session was probably re-scored or edited after it was sent"
        )
        return
    tally.failed += len(chunk)
    what = f"statement {statement.get('id')} ({_verb(statement)})" if statement else "a batch"
    tally.messages.append(f"{what}: the LRS at {client.base} refused it: {_said(status, body)}")


def _stored_ids(body: bytes, chunk: list[dict[str, Any]]) -> set[str]:
    ours = {str(s.get("id")) for s in chunk}
    try:
        ids = json.loads(body)
    except ValueError:
        return ours  # a 200 that does not list them: take the LRS at its word
    return ours & {str(i) for i in ids} if isinstance(ids, list) else ours


def _stored_copy(client: _Client, statement_id: str) -> dict[str, Any] | None:
    query = urllib.parse.urlencode({"statementId": statement_id})
    status, body = client.call("GET", f"{client.base}/statements?{query}")
    if status != 200:
        return None
    try:
        found = json.loads(body)
    except ValueError:
        return None
    return found if isinstance(found, dict) else None


def _says_the_same(ours: Any, theirs: Any, key: str = "") -> bool:
    """Every value we set is in the LRS's copy (which adds stored, authority, version)."""
    if isinstance(ours, dict):
        return isinstance(theirs, dict) and all(
            k in theirs and _says_the_same(v, theirs[k], k) for k, v in ours.items()
        )
    if isinstance(ours, list):
        return (
            isinstance(theirs, list)
            and len(ours) == len(theirs)
            and all(_says_the_same(a, b) for a, b in zip(ours, theirs, strict=True))
        )
    if key == "timestamp" and isinstance(ours, str) and isinstance(theirs, str):
        return _instant(ours) == _instant(theirs) is not None
    return bool(ours == theirs)


def _instant(text: str) -> datetime | None:
    try:
        return datetime.fromisoformat(text)
    except ValueError:
        return None


def _verb(statement: dict[str, Any] | None) -> str:
    verb = (statement or {}).get("verb", {})
    return str(verb.get("display", {}).get("en-US") or verb.get("id", "?"))


def _said(status: int, body: bytes) -> str:
    text = body.decode("utf-8", "replace").strip()
    try:
        detail = json.loads(text).get("detail", text)
    except (ValueError, AttributeError):
        detail = text
    return f"HTTP {status}" + (f" {str(detail)[:200]}" if detail else "")


class _TooSlow(Exception):
    """An answer still coming when its request's deadline passed."""


class _Client:
    def __init__(
        self,
        url: str,
        username: str,
        password: str,
        *,
        retries: int,
        timeout: float,
        backoff: float,
        deadline: float = 60,
    ) -> None:
        self.base = url.rstrip("/")
        self.deadline = deadline
        self.username = username
        token = base64.b64encode(f"{username}:{password}".encode()).decode("ascii")
        self.headers = {
            "Authorization": f"Basic {token}",
            "X-Experience-API-Version": XAPI_VERSION,
            "Content-Type": "application/json",
        }
        self.attempts = 1 + max(0, retries)
        self.timeout = timeout
        self.backoff = backoff

    @staticmethod
    def _body(reply: Any, due: float) -> bytes:
        """The whole body, read as it comes, by ``due`` (a monotonic time) at the latest."""
        parts: list[bytes] = []
        while True:
            if time.monotonic() > due:
                raise _TooSlow
            part = reply.read1(65536)
            if not part:
                return b"".join(parts)
            parts.append(part)

    def call(self, method: str, target: str, payload: Any = None) -> tuple[int, bytes]:
        """One request, tried again on connection errors and 5xx (safe: our ids are stable).

        Returns the status and body of any other answer; raises :class:`LRSError` when the LRS
        cannot be reached, refuses the credentials or is not at this address.
        """
        data = None if payload is None else json.dumps(payload, ensure_ascii=False).encode()
        if not target.startswith(("http://", "https://")):
            raise LRSError(f"the LRS address must start with http:// or https://: {self.base!r}")
        why = ""
        for attempt in range(self.attempts):
            if attempt:
                time.sleep(self.backoff * 2 ** (attempt - 1))
            request = urllib.request.Request(target, data, self.headers, method=method)
            try:
                due = time.monotonic() + self.deadline
                with urllib.request.urlopen(request, timeout=self.timeout) as reply:
                    return int(reply.status), self._body(reply, due)
            except urllib.error.HTTPError as err:
                status, body = int(err.code), err.read()
                if status in (401, 403):
                    raise LRSError(
                        f"the LRS at {self.base} refused the credentials of user "
                        f"{self.username!r} ({_said(status, body)}): check the username and "
                        "password"
                    ) from None
                if status == 404:
                    raise LRSError(
                        f"no xAPI statements resource at {self.base}/statements (HTTP 404): "
                        "check the address; it is the LRS endpoint, e.g. http://host:8100/xAPI"
                    ) from None
                if status < 500:
                    return status, body
                why = _said(status, body)
                if attempt == self.attempts - 1:
                    return status, body
            except (urllib.error.URLError, OSError, http.client.HTTPException) as err:
                reason = getattr(err, "reason", err)
                strerror = reason.strerror if isinstance(reason, OSError) else None
                why = strerror or str(reason) or type(reason).__name__
            except _TooSlow:
                raise LRSError(
                    f"the LRS at {self.base} did not finish answering within {self.deadline:g} s:"
                    " check that it is working, or try again later"
                ) from None
        tries = f"{self.attempts} attempts" if self.attempts > 1 else "1 attempt"
        raise LRSError(
            f"cannot reach the LRS at {self.base} ({why}) after {tries}: check the address "
            "and that the LRS is running"
        )

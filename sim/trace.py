"""Trace files and the derived trace.

A trace file (the session's input) is JSON Lines, one timed action a line:
``{"t": 42.0, "action": "report_supervisor"}`` with an optional ``"args": {...}``.
The derived trace is everything that happened: events and actions, each with its sim time.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from sim.errors import Problem, TraceError
from sim.i18n import tr

__all__ = [
    "TimedAction",
    "TraceEntry",
    "read_trace_file",
    "parse_trace_lines",
    "dump_actions",
    "write_trace_file",
]


@dataclass(frozen=True)
class TimedAction:
    """One line of a trace file: what the clerk did, and when (sim-seconds from the start)."""

    t: float
    action: str
    args: dict[str, str] = field(default_factory=dict)

    def to_json(self) -> str:
        body: dict[str, Any] = {"t": self.t, "action": self.action}
        if self.args:
            body["args"] = dict(sorted(self.args.items()))
        return json.dumps(body, ensure_ascii=False)


@dataclass(frozen=True)
class TraceEntry:
    """One thing that happened in a session: an event of the world or an action of the clerk.

    For actions, ``valid`` says whether its preconditions held (an invalid attempt changes
    nothing, and ``reason`` names the precondition that failed); ``tags`` are the tags of the
    reply chosen, for ``say``.
    """

    t: float
    kind: Literal["event", "action"]
    name: str
    args: tuple[tuple[str, str], ...] = ()
    valid: bool = True
    reason: str | None = None
    tags: tuple[str, ...] = ()

    def arg(self, key: str) -> str | None:
        for k, v in self.args:
            if k == key:
                return v
        return None

    def to_dict(self) -> dict[str, Any]:
        body: dict[str, Any] = {"t": self.t, "kind": self.kind, "name": self.name}
        if self.args:
            body["args"] = dict(self.args)
        if self.kind == "action":
            body["valid"] = self.valid
            if self.reason:
                body["reason"] = self.reason
            if self.tags:
                body["tags"] = list(self.tags)
        return body

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> TraceEntry:
        return cls(
            t=float(d["t"]),
            kind=d["kind"],
            name=str(d["name"]),
            args=tuple((str(k), str(v)) for k, v in (d.get("args") or {}).items()),
            valid=bool(d.get("valid", True)),
            reason=d.get("reason"),
            tags=tuple(d.get("tags") or ()),
        )


# a trace is one action a line: far below these in any real session
MAX_TRACE_BYTES = 32 * 1024 * 1024
MAX_TIME = 1e12  # sim-seconds: past any time limit, and exact in a float


# The engine makes one of these for every step. A frozen dataclass's __init__ sets each field
# through object.__setattr__; these make the very same objects (equal, hashed and shown alike;
# neither class has __post_init__) by filling the instance's __dict__ directly.
_new = object.__new__


def made_action(t: float, action: str, args: dict[str, str]) -> TimedAction:
    """``TimedAction(t, action, args)``."""
    obj = _new(TimedAction)
    d = obj.__dict__
    d["t"] = t
    d["action"] = action
    d["args"] = args
    return obj


def made_entry(
    t: float,
    kind: Literal["event", "action"],
    name: str,
    args: tuple[tuple[str, str], ...],
    valid: bool = True,
    reason: str | None = None,
    tags: tuple[str, ...] = (),
) -> TraceEntry:
    """``TraceEntry(t, kind, name, args, valid, reason, tags)``."""
    obj = _new(TraceEntry)
    d = obj.__dict__
    d["t"] = t
    d["kind"] = kind
    d["name"] = name
    d["args"] = args
    d["valid"] = valid
    d["reason"] = reason
    d["tags"] = tags
    return obj


def read_trace_file(path: str | Path) -> list[TimedAction]:
    p = Path(path)
    try:
        if p.stat().st_size > MAX_TRACE_BYTES:
            mb = MAX_TRACE_BYTES // (1024 * 1024)
            raise TraceError([Problem(str(p), None, tr("trace.too_large", mb=mb))])
        text = p.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise TraceError([Problem(str(p), None, tr("trace.not_utf8"))]) from None
    except OSError as exc:
        problem = Problem(str(p), None, tr("trace.unreadable", error=exc.strerror))
        raise TraceError([problem]) from None
    # only "\n" ends a line: str.splitlines would also split inside a reply at U+0085 or U+2028
    return parse_trace_lines(text.split("\n"), str(p))


def parse_trace_lines(lines: Iterable[str], file: str) -> list[TimedAction]:
    """Parse trace-file lines; every malformed line is reported, with its number."""
    actions: list[TimedAction] = []
    problems: list[Problem] = []
    last_t = 0.0
    for number, raw in enumerate(lines, start=1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        try:
            item = json.loads(line)
        except json.JSONDecodeError as exc:
            problems.append(Problem(file, number, tr("trace.bad_json", error=exc.msg)))
            continue
        except RecursionError:
            problems.append(Problem(file, number, tr("trace.too_deep")))
            continue
        except ValueError:  # an integer past Python's digit limit
            problems.append(Problem(file, number, tr("trace.number_too_long")))
            continue
        problem = _check_line(item)
        if problem:
            problems.append(Problem(file, number, problem))
            continue
        t = float(item["t"])
        if t < last_t:
            problems.append(Problem(file, number, tr("trace.backwards", t=t, last=last_t)))
            continue
        last_t = t
        args = {str(k): str(v) for k, v in (item.get("args") or {}).items()}
        actions.append(TimedAction(t=t, action=item["action"], args=args))
    if problems:
        raise TraceError(problems)
    return actions


def _text_ok(value: str) -> bool:
    """Text that can be written out again: no lone surrogate (``"\\ud800"``)."""
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _number_ok(value: int | float) -> bool:
    return abs(value) <= MAX_TIME if isinstance(value, int) else math.isfinite(value)


def _check_line(item: Any) -> str | None:
    if not isinstance(item, dict):
        return tr("trace.not_object")
    unknown = sorted(set(item) - {"t", "action", "args"})
    if unknown:
        shown = ", ".join(k if _text_ok(k) else ascii(k) for k in unknown)
        return tr("trace.unknown_keys", keys=shown[:200])
    t = item.get("t")
    if (
        isinstance(t, bool)
        or not isinstance(t, int | float)
        or not _number_ok(t)
        or not 0 <= t <= MAX_TIME
    ):
        value = json.dumps(t, ensure_ascii=True) if not isinstance(t, int) else "…"
        return tr("trace.bad_time", value=value[:40])
    if not isinstance(item.get("action"), str) or not item["action"]:
        return tr("trace.bad_action")
    if not _text_ok(item["action"]):
        return tr("trace.bad_text")
    args = item.get("args", {})
    if not isinstance(args, dict) or not all(
        isinstance(v, str | int | float) and not isinstance(v, bool) for v in args.values()
    ):
        return tr("trace.bad_args")
    if not all(isinstance(v, str) or _number_ok(v) for v in args.values()):
        return tr("trace.bad_args")
    if not all(_text_ok(k) and (not isinstance(v, str) or _text_ok(v)) for k, v in args.items()):
        return tr("trace.bad_text")
    return None


def dump_actions(actions: Sequence[TimedAction]) -> str:
    return "".join(a.to_json() + "\n" for a in actions)


def write_trace_file(path: str | Path, actions: Sequence[TimedAction]) -> None:
    """Write whole or not at all: a temporary file renamed into place."""
    p = Path(path)
    tmp = p.with_name(p.name + ".tmp")
    tmp.write_text(dump_actions(actions), encoding="utf-8")
    tmp.replace(p)

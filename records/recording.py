"""The recorder: one session written as it happens, action by action, through the store.

If the database refuses while a session is being recorded, nothing the trainee did is lost: the
whole input so far goes to a rescue trace file, and the error names it. The next sync tries
again with everything pending (a server that went away is reached again by the store); once
the record holds it all, the rescue file is removed.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from records.common import APP, RecordsError
from records.words import tr
from scoring.procedure import Procedure
from scoring.result import Report
from sim.trace import TimedAction, TraceEntry

if TYPE_CHECKING:
    from records.store import Records

__all__ = ["Recording"]


@dataclass
class Recording:
    """Writes one session as it happens. ``sync(engine)`` after each action commits the action
    and the trace entries derived since the last call; ``finish`` stores the result."""

    records: Records
    session_id: int
    uuid: str
    _actions: int = 0
    _events: int = 0
    chain: str = ""
    key: bytes | None = None  # what a sealed session's chain is keyed with (None: plain)
    rescued: Path | None = field(default=None)
    # the database refused the last write (what it holds is read again before the next)
    away: bool = False
    _saved: int = 0  # how many actions the rescue file holds
    # a session whose record could not open when it began: what opens it (then session_id is
    # 0 until it is open; its input is kept in the rescue file meanwhile)
    opener: Callable[[], Recording] | None = None
    result_id: int | None = None  # the result stored by ``finish``

    def sync(self, actions: Sequence[TimedAction], trace: Sequence[TraceEntry]) -> None:
        """Commit what is new in ``actions`` and ``trace`` (the engine's lists, whole).

        If the database refuses (locked too long, gone read-only, full), the whole input so far
        is written to a rescue trace file and the error names it: nothing the trainee did is
        lost, and ``score`` can still score it.
        """
        if self.opener is not None:
            self._open(actions)
        if self.away:
            self._catch_up(actions)
        new_a = actions[self._actions :]
        new_e = trace[self._events :]
        if not new_a and not new_e:
            self._back()
            return
        try:
            head = self.records._write(
                self.session_id, self._actions, new_a, self._events, new_e, self.chain, self.key
            )
        except RecordsError as err:
            self.away = True
            raise self._rescue(actions, err) from None
        self.chain = head
        self._actions += len(new_a)
        self._events += len(new_e)
        self._back()

    def _open(self, actions: Sequence[TimedAction]) -> None:
        """The record the session could not open when it began, opened now (same uuid); while
        the database still refuses, the rescue file is written again and the error raised."""
        assert self.opener is not None
        try:
            opened = self.opener()
        except RecordsError as err:
            self.away = True
            raise self._rescue(actions, err) from None
        self.session_id, self.chain, self.key = opened.session_id, opened.chain, opened.key
        self.opener = None

    def _catch_up(self, actions: Sequence[TimedAction]) -> None:
        """After a refusal: where the record really stops (a commit whose answer was lost with
        the connection did happen), so what follows is written after it, once; while the
        database still refuses, the rescue file is written again and the error raised."""
        try:
            self._actions, self._events, self.chain = self.records._held(self.session_id)
        except RecordsError as err:
            raise self._rescue(actions, err) from None

    def _back(self) -> None:
        """Everything is in the records again: the rescue file has done its work."""
        if not self.away:
            return
        self.away = False
        if self.rescued is not None:
            with contextlib.suppress(OSError):
                self.rescued.unlink()
            self.rescued = None

    def _rescue(self, actions: Sequence[TimedAction], err: RecordsError) -> RecordsError:
        if self.rescued is not None and self._saved == len(actions) and self.rescued.exists():
            # the file holds this input already (frames with no new action write nothing)
            return RecordsError(f"{err} {tr('records.rescued', file=str(self.rescued))}")
        body = "".join(a.to_json() + "\n" for a in actions)
        places = (
            *self.records.rescue_folders(),
            Path(tempfile.gettempdir()) / APP / "rescue",
        )
        for folder in places:
            path = folder / f"session-{self.uuid}.jsonl"
            tmp = folder / f".session-{self.uuid}.jsonl.tmp"
            try:
                folder.mkdir(parents=True, exist_ok=True)
                # whole or not at all: a full disk leaves no empty rescue file behind
                with tmp.open("w", encoding="utf-8") as out:
                    out.write(body)
                    out.flush()
                    os.fsync(out.fileno())
                tmp.replace(path)
            except OSError:
                with contextlib.suppress(OSError):
                    tmp.unlink()
                continue
            self.rescued, self._saved = path, len(actions)
            return RecordsError(f"{err} {tr('records.rescued', file=str(path))}")
        return err

    def finish(
        self,
        actions: Sequence[TimedAction],
        trace: Sequence[TraceEntry],
        report: Report,
        procedure: Procedure,
    ) -> int:
        self.sync(actions, trace)
        if self.result_id is None:  # (tried again after a refusal: stored once)
            self.result_id = self.records.add_result(self.session_id, report, procedure)
        self.records._end(self.session_id, "complete", trace[-1].t if trace else 0.0)
        return self.result_id

    def abandon(self, actions: Sequence[TimedAction], trace: Sequence[TraceEntry]) -> None:
        """The trainee left before the end: keep what was done, mark it incomplete."""
        self.sync(actions, trace)
        self.records._end(self.session_id, "incomplete", trace[-1].t if trace else None)

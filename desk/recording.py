"""Desk sessions and the records file: a new session's record opened as it starts, and an
unfinished one rebuilt from its record to carry on (``resume``).

No pygame here; ``App.start`` and ``App.resume`` put the session on the screen.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from desk.session import DeskSession
    from records.db import Records, SessionRow
    from scoring.procedure import Procedure

__all__ = ["open_record", "rebuild"]

# how long (seconds) a desk waits for its records server to answer a statement before taking it
# for gone (a server that is there answers in milliseconds; a lock is waited for less long than
# this): the longest a frame can freeze on a hung server or a network that drops everything
ANSWER_S = 3.0


def open_record(
    records: Records,
    session: DeskSession,
    procedure: Procedure,
    lang: str,
    drill: str | None = None,
    branch_of: str | None = None,
    branch_at: float | None = None,
) -> None:
    """Open the session's record; what the engine has derived so far is committed at once.
    When the records refuse, the desk still runs and nothing is lost: its input is kept in the
    rescue file, and the record is opened (with the same uuid, from when the session began)
    as soon as the records take it, everything done meanwhile written into it."""
    import uuid as uuidlib

    from records.common import now_iso
    from records.db import RecordsError
    from records.recording import Recording

    uuid, started = str(uuidlib.uuid4()), now_iso()
    records.answer_within(ANSWER_S)

    def start() -> Recording:
        return records.start(
            session.loaded,
            procedure,
            seed=session.seed,
            variant=session.engine.variant.id,
            trainee=session.trainee or "—",
            mode=session.mode,
            lang=lang,
            drill=drill,
            session_uuid=uuid,
            time_limit=session.time_limit,
            branch_of=branch_of,
            branch_at=branch_at,
            started_at=started,
        )

    def open_late() -> Recording:
        try:
            return start()
        except RecordsError as err:
            # opened after all, when the answer was lost with the connection: carried on
            try:
                row = records.session(uuid)
            except RecordsError:
                raise err from None
            return records.reopen(row.id)

    try:
        recording = start()
    except RecordsError:
        recording = Recording(records, 0, uuid, opener=open_late)
    session.attach(recording)


def rebuild(
    records: Records,
    procedure: Procedure,
    row: SessionRow,
    wall: Callable[[], float],
    lang: str,
) -> DeskSession:
    """An incomplete recorded session as it was at its last recorded moment: its actions fed
    to the engine again, the clock set there, and the record reopened to go on writing."""
    from desk.clock import SimClock
    from desk.session import DeskSession

    records.answer_within(ANSWER_S)
    loaded = records.scenario(row, procedure.ids)
    actions = records.actions(row.id)
    extent = records.extent(row.id)
    recording = records.reopen(row.id)
    session = DeskSession(
        loaded,
        procedure,
        row.seed,
        SimClock(wall),
        trainee=row.trainee_id,
        mode="exam" if row.mode == "exam" else "training",
        lang=lang,
        time_limit=row.time_limit,
    )
    session.catch_up(actions, *(extent or (None, None)))
    session.clock = SimClock(wall, start=session.engine.now)
    session.attach(recording)
    return session

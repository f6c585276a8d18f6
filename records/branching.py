"""Practice from a recorded moment: the recorded session as the original, branched through
``scoring.branch``. Exams and drill sessions are never branched: a certification attempt is
taken once, and a practice branch never stands in for it."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from records.db import Records, RecordsError, SessionRow
from records.service import replay_session
from records.words import tr
from scoring.branch import Comparison, DemoStep, LostPoint, branch, compare, demo, lost_points
from scoring.session import Session
from sim.trace import TimedAction

__all__ = ["Original", "original", "branch_session", "demo_session", "record_branch"]


@dataclass(frozen=True)
class Original:
    """A recorded, finished practice session, re-derived and judged, with its lost points."""

    row: SessionRow
    session: Session
    lost: tuple[LostPoint, ...]

    @property
    def end(self) -> float:
        return self.session.engine.now


def original(records: Records, ref: int | str) -> Original:
    row = records.session(ref)
    if row.mode == "exam" or row.drill:
        raise RecordsError(tr("branch.exam", session=row.id))
    if row.status != "complete":
        raise RecordsError(tr("branch.open", session=row.id))
    check = replay_session(records, row.id)
    assert check.report is not None and check.procedure is not None  # complete
    session = Session(check.engine, check.report, check.procedure)
    lost = lost_points(check.report, check.engine.now, check.engine.trace)
    return Original(row, session, tuple(lost))


def _at(o: Original, at: float) -> float:
    if not 0 <= at <= o.end:
        raise RecordsError(tr("branch.outside", session=o.row.id, at=f"{at:g}", end=f"{o.end:g}"))
    return at


def branch_session(
    records: Records, ref: int | str, at: float, continuation: Sequence[TimedAction], file: str
) -> tuple[Original, Session, Comparison]:
    o = original(records, ref)
    engine = o.session.engine
    b = branch(engine.loaded, o.session.procedure, engine.seed, engine.actions, _at(o, at),
               continuation, time_limit=o.row.time_limit, file=file)  # fmt: skip
    return o, b, compare(o.session, b, at)


def demo_session(
    records: Records, ref: int | str, at: float, steps: int = 5
) -> tuple[Original, list[DemoStep], Session]:
    """The expert's next ``steps`` moves from ``at``, and its whole session from there."""
    o = original(records, ref)
    engine = o.session.engine
    shown, expert = demo(engine.loaded, o.session.procedure, engine.seed, engine.actions,
                         _at(o, at), steps=steps, time_limit=o.row.time_limit)  # fmt: skip
    return o, shown, expert


def record_branch(
    records: Records, ref: int | str, at: float, continuation: Sequence[TimedAction], file: str
) -> tuple[int, Original, Session, Comparison]:
    """The branch kept as a practice session of its own (head + the new actions), linked to
    the original and the moment it branched at, with its result; its number first."""
    o, b, cmp = branch_session(records, ref, at, continuation, file)
    row, engine = o.row, b.engine
    rec = records.start(
        engine.loaded, b.procedure, seed=row.seed, variant=row.variant, trainee=row.trainee_id,
        mode="training", lang=row.lang, time_limit=row.time_limit, branch_of=row.uuid,
        branch_at=at,
    )  # fmt: skip
    rec.finish(engine.actions, engine.trace, b.report, b.procedure)
    return rec.session_id, o, b, cmp

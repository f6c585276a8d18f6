"""The training room, headless: two desks and the instructor's console over one store. The
console lists both desks; an injection reaches one desk and then the whole room; the desks'
traces hold the injected incidents; replay and verify hold; an exam refuses injection."""

from __future__ import annotations

from pathlib import Path

import pytest

from desk.clock import ManualWall, SimClock
from desk.recording import open_record
from desk.session import DeskSession
from records.common import RecordsError
from records.room import Room
from records.service import replay_session
from records.store import Records
from records.verify import verify_all
from scoring.procedure import Procedure
from sim.scenario import LoadedScenario

KEY = b"room-test-key-0123456789abcdef01"


class Desk:
    """A desk as the window drives it: a session on its own wall clock, recorded."""

    def __init__(
        self,
        records: Records,
        loaded: LoadedScenario,
        procedure: Procedure,
        who: str,
        mode: str = "training",
    ) -> None:
        self.wall = ManualWall()
        self.session = DeskSession(
            loaded,
            procedure,
            11,
            SimClock(self.wall),
            trainee=who,
            mode=mode,  # type: ignore[arg-type]
        )
        open_record(records, self.session, procedure, "zh")
        assert self.session.recorded, self.session.record_error

    def frames(self, seconds: float) -> None:
        """The window's frames for ``seconds`` of wall time (a tick every 0.1 s)."""
        for _ in range(round(seconds * 10)):
            self.wall.advance(0.1)
            self.session.tick()

    def names(self) -> list[str]:
        return [e.name for e in self.session.engine.trace]


@pytest.fixture
def room(db_target: Path | str, quiet: LoadedScenario, procedure: Procedure):
    """Two desks and the console on one store: a SQLite file, and a PostgreSQL database."""
    records = Records(db_target, key=KEY)
    desks = [
        Desk(records, quiet, procedure, "张晓梅", "training"),
        Desk(records, quiet, procedure, "李建国", "training"),
    ]
    yield records, desks, Room(records, procedure)
    for d in desks:
        d.session.end_record()
    records.close()


def test_the_console_lists_every_desk_recording_into_the_store(room) -> None:
    records, (a, b), console = room
    a.frames(6)
    a.session.do("call_next_customer")
    a.frames(2)
    shown = {d.trainee: d for d in console.desks()}
    assert set(shown) == {"张晓梅", "李建国"}
    mine = shown["张晓梅"]
    assert mine.mode == "training" and mine.live and mine.scenario == "安静的柜台"
    assert mine.sim_t >= 3.0 and mine.clock.startswith("00:0")
    assert any("叫号" in line or "下一位" in line for line in mine.last), mine.last
    assert ("hazard_call", "来电报告电线落地") in mine.offers


def test_an_injection_reaches_one_desk_then_the_whole_room(room) -> None:
    records, (a, b), console = room
    a.frames(2)
    b.frames(2)
    console.inject(a.session.record_uuid, "hazard_call", by="王教员")
    a.frames(1)  # the desk's next look: within the second
    b.frames(1)
    assert "injected" in a.names() and "phone_rings" in a.names()
    assert "injected" not in b.names()
    sent = console.inject_all("printer_breaks", by="王教员")
    assert set(sent.asked) == {a.session.record_uuid, b.session.record_uuid}
    a.frames(6)
    b.frames(6)
    for d in (a, b):
        names = d.names()
        assert "printer_fault" in names[names.index("injected") :]
        taken = [(x.action, x.args) for x in d.session.engine.actions if x.action == "inject"]
        assert ("inject", {"event": "printer_breaks"}) in taken
    statuses = {(r["session_uuid"], r["event"]): r["status"] for r in records.injections()}
    assert set(statuses.values()) == {"taken"}
    shown = {d.trainee: d for d in console.desks()}
    assert ("hazard_call", "taken") in shown["张晓梅"].injected
    # the input recorded is the input replayed: the same trace, and nothing to find
    for d in (a, b):
        d.session.finish()
        d.session.end_record()
        check = replay_session(records, d.session.record_uuid)
        assert check.trace_matches and check.report_matches
    assert verify_all(records, KEY) == []


def test_a_red_line_crossed_in_training_shows_on_the_console_as_it_happens(room) -> None:
    records, (a, b), console = room
    console.inject(a.session.record_uuid, "hazard_call")
    a.frames(1)
    a.session.do("answer_phone")
    a.frames(3)
    a.session.do("say", {"reply": "just_wait"})
    a.frames(1)
    shown = {d.trainee: d for d in console.desks()}
    assert any("3.3.c" in line for line in shown["张晓梅"].critical)
    assert shown["李建国"].critical == ()


def test_an_exam_refuses_injection_at_the_console_and_at_the_desk(
    db_target: Path | str, quiet: LoadedScenario, procedure: Procedure
) -> None:
    records = Records(db_target, key=KEY)
    exam = Desk(records, quiet, procedure, "赵敏", "exam")
    practice = Desk(records, quiet, procedure, "李建国", "training")
    console = Room(records, procedure)
    with pytest.raises(RecordsError, match="考试"):
        console.inject(exam.session.record_uuid, "hazard_call")
    sent = console.inject_all("hazard_call")
    assert sent.asked == (practice.session.record_uuid,)
    assert [u for u, _ in sent.skipped] == [exam.session.record_uuid]
    # a request slipped into the table by hand is refused by the exam desk itself
    records.request_injection(exam.session.record_uuid, "hazard_call", "someone")
    exam.frames(2)
    assert "injected" not in exam.names()
    refused = [r for r in records.injections(exam.session.record_uuid)]
    assert [(r["status"], r["reason"]) for r in refused] == [("refused", "exam")]
    for d in (exam, practice):
        d.session.end_record()
    records.close()


def test_what_the_scenario_does_not_offer_is_refused_with_the_desk_named(room) -> None:
    records, (a, b), console = room
    with pytest.raises(RecordsError, match="张晓梅"):
        console.inject(a.session.record_uuid, "fire_in_the_hall")


def test_an_injection_in_an_exam_record_is_found_by_verify(
    db_target: Path | str, quiet: LoadedScenario, procedure: Procedure
) -> None:
    """Written around the desk (a hand-made recorder), an exam with an injected incident is
    signed and stored, and ``verify`` names it: the result cannot be trusted."""
    from scoring.session import build, judge

    records = Records(db_target, key=KEY)
    engine = build(quiet, 3)
    rec = records.start(quiet, procedure, seed=3, variant=engine.variant.id, trainee="赵敏",
                        mode="exam")  # fmt: skip
    engine.advance(20.0)
    engine.inject(20.0, "hazard_call")
    rec.sync(engine.actions, engine.trace)
    engine.finish(60.0)
    rec.finish(engine.actions, engine.trace, judge(engine, procedure), procedure)
    found = verify_all(records, KEY)
    assert [f.code for f in found] == ["injected_in_exam"]
    assert found[0].session == rec.session_id and str(rec.session_id) in found[0].detail
    records.close()

"""The room's rehearsal report: three training desks at the new-connection counter get the same
hazard call from the instructor's console; one gives the safety advice at once, one late, one
registers the caller first (3.3.c, critical); an exam desk's request is refused. The report's
data holds each desk's seconds from the ring, sorted by the time to safety advice, the median
and the slowest marked, the critical failures in words, the refused request apart; on both
stores. The command writes the page, in English on request."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from records.roles import add_instructor
from records.room import Room
from records.rows import PersonRow
from records.store import Records
from reports.page import ReportError
from reports.rehearsal import incident_steps, rehearsal_data, rehearsal_report
from scoring.procedure import Procedure
from sim.library import find_scenario
from sim.scenario import LoadedScenario
from tests.records.conftest import STORES, make_target, pg_server  # noqa: F401  (a fixture)
from tests.records.test_room import Desk as RoomDesk
from tests.reports.test_reports_cli import run

KEY = b"rehearsal-test-key-0123456789abc"
PASSWORD = "rehearsal-password"


@pytest.fixture(params=STORES)
def db_target(request: pytest.FixtureRequest, tmp_path: Path) -> Path | str:
    """The records tests' two stores: a SQLite file, and a database on a PostgreSQL server."""
    return make_target(request.param, tmp_path, request)


@pytest.fixture(scope="module")
def new_connection(procedure: Procedure) -> LoadedScenario:
    return find_scenario("new_connection", procedure.ids)


class Desk(RoomDesk):
    """A desk of the room (tests/records/test_room.py), with what these tests ask of it."""

    def do(self, action: str, **args: str) -> None:
        done = self.session.do(action, args)
        assert done is not None and done.valid, (action, done)

    def rang(self) -> float:
        return next(e.t for e in self.session.engine.trace if e.name == "phone_rings")

    def first(self, action: str, **args: str) -> float:
        return next(
            e.t
            for e in self.session.engine.trace
            if e.kind == "action"
            and e.name == action
            and all(e.arg(k) == v for k, v in args.items())
        )


def _room(records: Records, loaded: LoadedScenario, procedure: Procedure) -> dict[str, Any]:
    """Three training desks and an exam desk; the hazard call for the room; each desk answers
    its own way. The fast and the slow desks end; the wrong one is still running."""
    records.put_people([PersonRow(id="T101", name="张晓梅", unit="鼓楼营业厅")], by="test",
                       source="test")  # fmt: skip
    fast = Desk(records, loaded, procedure, "T101")
    slow = Desk(records, loaded, procedure, "李建国")
    wrong = Desk(records, loaded, procedure, "王芳")
    exam = Desk(records, loaded, procedure, "赵敏", "exam")
    desks = (fast, slow, wrong, exam)
    for d in desks:
        d.frames(3)
    sent = Room(records, procedure).inject_all("hazard_call", by="王教员")
    assert len(sent.asked) == 3 and len(sent.skipped) == 1
    # the request the console would not send, slipped into the table: the exam desk refuses it
    records.request_injection(exam.session.record_uuid, "hazard_call", "王教员")
    for d in desks:
        d.frames(1)
    for d in (fast, slow, wrong):
        d.do("answer_phone")
    for d in desks:
        d.frames(4)
    fast.do("say", reply="hazard_safety")
    wrong.do("say", reply="hazard_register")  # the form before the person: 3.3.c, critical
    for d in desks:
        d.frames(20)
    slow.do("say", reply="hazard_safety")
    fast.do("call_dispatch")
    for d in desks:
        d.frames(6)
    fast.do("report_supervisor")
    slow.do("call_dispatch")
    for d in (fast, slow):
        d.session.finish()
        d.session.end_record()
    return {"fast": fast, "slow": slow, "wrong": wrong, "exam": exam}


@pytest.fixture
def room(db_target: Path | str, new_connection: LoadedScenario, procedure: Procedure):
    records = Records(db_target, key=KEY)
    desks = _room(records, new_connection, procedure)
    yield records, desks
    for d in desks.values():
        d.session.end_record()
    records.close()


def test_the_steps_are_read_from_the_scenario_rules(new_connection: LoadedScenario) -> None:
    s = new_connection.scenario
    hazard, steps = incident_steps(s, s.injection("hazard_call"))  # type: ignore[arg-type]
    assert hazard
    assert [(x.name, x.scored) for x in steps] == [
        ("answer_phone", True),
        ("call_dispatch", True),
        ("report_supervisor", False),  # the rehearsal asks it; this scenario scores it not
    ]
    hazard, steps = incident_steps(s, s.injection("network_drop"))  # type: ignore[arg-type]
    assert not hazard
    assert [(x.name, x.scored) for x in steps] == [
        ("stop_operation", True),
        ("report_supervisor", True),
        ("log_fault", True),
    ]


def test_each_desk_timed_from_the_ring_sorted_by_safety_advice(room) -> None:
    records, d = room
    data = rehearsal_data(records, lang="zh")
    (table,) = data["tables"]
    assert table["id"] == "hazard_call" and table["key"] == "safety_advice"
    assert table["columns"] == ["safety_advice", "answer_phone", "call_dispatch",
                                "report_supervisor"]  # fmt: skip
    rows = table["rows"]
    assert [r["trainee_id"] for r in rows] == ["T101", "李建国", "王芳"]

    def since_ring(desk: Desk, action: str, **args: str) -> float:
        return round(desk.first(action, **args) - desk.rang(), 3)

    fast, slow, wrong = rows
    assert fast["trainee"] == "张晓梅" and fast["unit"] == "鼓楼营业厅"
    assert fast["times"]["safety_advice"] == since_ring(d["fast"], "say", reply="hazard_safety")
    assert fast["times"]["call_dispatch"] == since_ring(d["fast"], "call_dispatch")
    assert fast["times"]["report_supervisor"] == since_ring(d["fast"], "report_supervisor")
    assert fast["times"]["answer_phone"] == since_ring(d["fast"], "answer_phone")
    assert fast["times"]["safety_advice"] < 10 < 20 < slow["times"]["safety_advice"]
    assert slow["times"]["safety_advice"] == since_ring(d["slow"], "say", reply="hazard_safety")
    assert slow["times"]["report_supervisor"] is None  # never: "—"
    # the wrong first answer: no safety advice at all, a critical failure, still running
    assert wrong["times"]["safety_advice"] is None and wrong["never"] and wrong["running"]
    # no result yet: the red line it has crossed so far, judged as its record stands
    assert wrong["passed"] is None and len(wrong["critical"]) == 1
    assert wrong["critical"][0].startswith("3.3.c") and "截至目前" in wrong["critical"][0]
    # the request: who asked, and the desk clock it was taken at
    assert fast["requested_by"] == "王教员" and fast["taken_t"] == next(
        e.t for e in d["fast"].session.engine.trace if e.name == "injected"
    )
    # the median desk, and the slowest: the one that never gave the advice
    assert [r["median"] for r in rows] == [False, True, False]
    assert [r["slowest"] for r in rows] == [False, False, True]
    assert table["median"] == slow["times"]["safety_advice"] and table["slowest"] is None
    assert table["never"] == 1 and table["unscored"] == ["report_supervisor"]
    # results: the slow desk's late advice fails 3.3.c (critical), said in words
    assert slow["passed"] is False
    assert any(c.startswith("3.3.c") for c in slow["critical"]), slow["critical"]
    # the exam desk's request, apart, with the reason
    (refused,) = data["refused"]
    assert refused["trainee_id"] == "赵敏" and refused["mode"] == "exam"
    assert "考试" in refused["reason"]


def test_a_finished_wrong_answer_shows_its_critical_failure(room) -> None:
    records, d = room
    d["wrong"].session.finish()
    d["wrong"].session.end_record()
    (table,) = rehearsal_data(records, incident="hazard_call", lang="en")["tables"]
    wrong = next(r for r in table["rows"] if r["trainee_id"] == "王芳")
    assert not wrong["running"] and wrong["passed"] is False
    assert any(c.startswith("3.3.c") for c in wrong["critical"]), wrong["critical"]


def test_the_page_in_both_languages_and_the_span(room) -> None:
    records, d = room
    zh = rehearsal_report(records, lang="zh")
    assert "突发事件演练" in zh and "张晓梅" in zh and "考试中" in zh and "A4 landscape" in zh
    en = rehearsal_report(records, lang="en")
    assert "Safety advice" in en and "Requests not taken" in en and "median" in en
    with pytest.raises(ReportError):
        rehearsal_data(records, since="2020-01-01", until="2020-01-02")
    with pytest.raises(ReportError):
        rehearsal_data(records, incident="printer_breaks")
    with pytest.raises(ReportError, match="2026-13"):
        rehearsal_data(records, since="2026-13-01")


def test_the_command_writes_the_page_for_instructors_only(
    tmp_path: Path, new_connection: LoadedScenario, procedure: Procedure
) -> None:
    db = tmp_path / "records.sqlite3"
    with Records(db, key=KEY) as records:
        desks = _room(records, new_connection, procedure)
        add_instructor(records, "T001", "王老师", PASSWORD)
        for x in desks.values():
            x.session.end_record()
    out = tmp_path / "演练.html"
    refused = run("--db", str(db), "report", "rehearsal", "--out", str(out), key=KEY.decode())
    assert refused.returncode == 2 and not out.exists()
    done = run("--db", str(db), "--as", "T001", "report", "rehearsal", "--incident",
               "hazard_call", "--lang", "en", "--out", str(out), key=KEY.decode(),
               password=PASSWORD)  # fmt: skip
    assert done.returncode == 0, done.stderr
    page = out.read_text(encoding="utf-8")
    assert "rehearsal: injected incidents side by side" in page and "hazard_call" in page

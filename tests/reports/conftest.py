"""One records database for the report tests, filled once by scripted trainees: training runs,
drills in exam mode (signed), a failed attempt, an unsigned one and a trainee whose name is
markup."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from records.db import Records
from records.roles import add_instructor
from records.service import record_agent_run
from scoring.procedure import Procedure
from sim.library import find_scenario
from tests.conftest import pinned_drill

KEY = b"report-tests-centre-key"
NASTY = "<script>alert('x')</script>"
INSTRUCTOR_PASSWORD = "report-tests-password"


@dataclass(frozen=True)
class Filled:
    path: Path
    emergency_session: int  # 李文博's emergency outage, safety advice late
    passed_attempt: int
    failed_attempt: int
    unsigned_attempt: int
    code: str
    nasty: str = NASTY  # a trainee whose name is markup


@pytest.fixture(scope="session")
def filled(
    tmp_path_factory: pytest.TempPathFactory, procedure: Procedure, take_drill: Any
) -> Filled:
    path = tmp_path_factory.mktemp("reports") / "records.sqlite3"
    # the bank cut to one scenario a group: every attempt has the emergency outage to time
    drill = pinned_drill("annual_2026", path.parent)
    with Records(path, key=KEY) as records:
        for i, (scenario, agent) in enumerate(
            [
                ("printer_jam", "careless"),
                ("emergency_outage", "paperwork_first"),
                ("new_connection", "expert"),
            ]
        ):
            loaded = find_scenario(scenario, procedure.ids)
            sid, _, _ = record_agent_run(records, loaded, procedure, i, agent, "李文博")
            if scenario == "emergency_outage":
                emergency = sid
        # clerks at the desk, entering what the scripted trainees would
        failed = take_drill(records, drill, procedure, "李文博", "careless")
        passed = take_drill(records, drill, procedure, "李文博", "expert")
        for trainee, agent in [("王芳", "panicky"), ("赵磊", "brusque"), (NASTY, "solo")]:
            take_drill(records, drill, procedure, trainee, agent)
        add_instructor(records, "T001", "王老师", INSTRUCTOR_PASSWORD)
        ids = [
            r[0]
            for r in records.conn.execute(
                "SELECT id FROM drill_attempts WHERE uuid IN (?, ?) ORDER BY id",
                (failed["attempt"], passed["attempt"]),
            )
        ]
    with Records(path, key=None) as records:
        unsigned = take_drill(records, drill, procedure, "陈静", "expert")
        unsigned_id = records.conn.execute(
            "SELECT id FROM drill_attempts WHERE uuid = ?", (unsigned["attempt"],)
        ).fetchone()[0]
    return Filled(path, emergency, ids[1], ids[0], unsigned_id, passed["code"])


@pytest.fixture
def records(filled: Filled) -> Iterator[Records]:
    with Records(filled.path, key=KEY) as r:
        yield r

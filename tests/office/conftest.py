"""One training office for these tests: the seeded 200-person roster imported from a workbook,
the onboarding path assigned to every unit, and a year of desk sessions and drills played by
scripted trainees for some newcomers and some longer-serving clerks (on the days they
happened), signed with the centre's key."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pytest

from records.db import Records
from records.roles import add_instructor
from records.roster import import_roster
from records.rows import PersonRow
from records.sample_office import office_year
from records.sample_roster import sample_roster, write_roster
from scoring.procedure import Procedure
from sim.drill import load_drill
from sim.path import load_path

ROOT = Path(__file__).resolve().parents[2]
KEY = b"office-tests-centre-key"
PASSWORD = "office-tests-password"
TODAY = date(2026, 11, 30)


@dataclass(frozen=True)
class Office:
    path: Path
    roster: Path
    people: tuple[PersonRow, ...]
    counts: dict[str, int]


@pytest.fixture(scope="session")
def office(tmp_path_factory: pytest.TempPathFactory, procedure: Procedure) -> Office:
    folder = tmp_path_factory.mktemp("office")
    people = sample_roster(200, seed=2026, today=TODAY)
    roster = write_roster(people, folder / "名册.xlsx")
    db = folder / "records.sqlite3"
    with Records(db, key=KEY) as records:
        add_instructor(records, "T001", "王老师", PASSWORD)
        import_roster(records, roster, by="T001", known_paths=["onboarding"])
        for unit in records.units():
            records.assign_path("unit", unit, "onboarding", by="T001")
        counts = office_year(
            records, procedure, people, load_path("onboarding"), load_drill("annual_2026"),
            today=TODAY, newcomers=8, veterans=10,
        )  # fmt: skip
    return Office(db, roster, tuple(people), counts)


@pytest.fixture
def records(office: Office) -> Iterator[Records]:
    with Records(office.path, key=KEY) as r:
        yield r


def run(
    *args: str, key: bytes | None = KEY, password: str | None = PASSWORD, tz: str | None = None
) -> subprocess.CompletedProcess[str]:
    """``run_sim.py`` as a training manager runs it (the centre's key and password set)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("DESK_TRAINER_")}
    if key:
        env["DESK_TRAINER_KEY"] = key.decode()
    if password:
        env["DESK_TRAINER_PASSWORD"] = password
    if tz:
        env["DESK_TRAINER_TZ"] = tz
    return subprocess.run(
        [sys.executable, str(ROOT / "run_sim.py"), *args],
        capture_output=True, text=True, cwd=ROOT, env=env, timeout=300,
    )  # fmt: skip


@pytest.fixture(scope="session")
def cli():  # type: ignore[no-untyped-def]
    """``cli(*args, key=..., password=..., tz=...)``: the command line in a child process."""
    return run

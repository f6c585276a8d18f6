"""Times are stored in UTC and shown in the centre's zone, one way everywhere: a session played
at 23:30 Beijing time is dated that day, and one at 07:30 is not dated the day before."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from records.db import Records
from records.export import session_dicts, since_iso
from records.sample_office import at, take_scenario
from reports import trainee_report
from scoring.procedure import Procedure
from sim import localtime
from sim.localtime import show, since_utc

BEIJING_2330 = datetime(2026, 11, 28, 15, 30, tzinfo=UTC)  # 23:30 in Beijing
BEIJING_0730 = datetime(2026, 11, 28, 23, 30, tzinfo=UTC)  # 07:30 on the 29th in Beijing


def test_one_function_for_times(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(localtime.TZ_ENV, "Asia/Shanghai")
    assert show("2026-11-28T15:30:00.000Z") == "2026-11-28 23:30"
    assert show("2026-11-28T16:00:00.000Z", "day") == "2026-11-29"
    assert show("2026-11-30T16:00:00Z", "month") == "2026-12"
    assert show(None) == "—" and show("") == "—"
    # --since is midnight in the centre's zone
    assert since_utc("2026-11-01") == "2026-10-31T16:00:00.000Z"
    monkeypatch.setenv(localtime.TZ_ENV, "UTC")
    assert show("2026-11-28T15:30:00.000Z") == "2026-11-28 15:30"
    monkeypatch.setenv(localtime.TZ_ENV, "Mars/Olympus")
    with pytest.raises(Exception, match="unknown time zone"):
        show("2026-11-28T15:30:00.000Z")


def test_the_shipped_centre_is_in_shanghai(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(localtime.TZ_ENV, raising=False)
    assert localtime.zone_name() == "Asia/Shanghai"


def test_a_session_at_2330_beijing_is_dated_that_day(
    tmp_path: Path, procedure: Procedure, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv(localtime.TZ_ENV, raising=False)  # the shipped setting
    with Records(tmp_path / "r.sqlite3", key=None) as records:
        for moment in (BEIJING_2330, BEIJING_0730):
            with at(moment):
                take_scenario(records, procedure, "printer_jam", "0430", "expert", 1)
        late, early = records.sessions(trainee="0430")
        assert late.started_at.startswith("2026-11-28T15:30")  # stored in UTC
        html = trainee_report(records, "0430", exams=False)
        assert "2026-11-28 23:30" in html and "2026-11-29 07:30" in html
        assert "2026-11-28 15:30" not in html
        # the day the early one was played, not the UTC day before
        assert show(early.started_at, "day") == "2026-11-29"
        # --since the 29th (Beijing) takes the 07:30 one and not the 23:30 the day before
        assert [s["session"] for s in session_dicts(records, since_iso("2026-11-29"))] == [early.id]


def test_the_cli_lists_local_times(tmp_path: Path, procedure: Procedure, cli: Any) -> None:
    db = tmp_path / "r.sqlite3"
    with Records(db, key=None) as records, at(BEIJING_2330):
        take_scenario(records, procedure, "printer_jam", "0430", "expert", 1)
    r = cli("--db", str(db), "sessions", key=None)
    assert r.returncode == 0 and "2026-11-28 23:30" in r.stdout
    r = cli("--db", str(db), "sessions", key=None, tz="UTC")
    assert "2026-11-28 15:30" in r.stdout


def test_the_sim_clock_is_written_one_way() -> None:
    from reports.charts import clock as chart_clock
    from sim.i18n import clock

    # 5.6 s is 00:05 on the desk, in the debrief and on the chart alike
    assert clock(5.6) == chart_clock(5.6) == "00:05"

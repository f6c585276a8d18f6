"""Learning paths as data, where each trainee stands on theirs, who is due for recertification
(from the signed attempts only), and the cohort, path and drill pages a training manager prints:
names and units, charts drawn from the same numbers as the tables, no rule ids."""

from __future__ import annotations

import re
import time
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from records.db import Records
from records.paths import add_months, certificates, standing, standings
from records.rows import PersonRow, ScoreRow
from reports import ReportError, certificate, cohort_report, drill_report, path_report
from sim.errors import InputError
from sim.path import load_path

RULE_IDS = re.compile(r"\b(?:hazard_reported|safety_first|[a-z]+_[a-z_]+_(?:first|ok|done))\b")


def test_the_onboarding_path_loads_and_a_broken_one_is_located(tmp_path: Path) -> None:
    path = load_path("onboarding").path
    assert path.steps[0].scenario == "pre_shift" and path.steps[-1].drill == "annual_2026"
    assert path.certification is not None and path.certification.first_due_days == 90
    bad = tmp_path / "bad.yaml"
    bad.write_text(
        "path:\n  id: bad\n  title: {zh: 坏}\nsteps:\n  - scenario: printer_jm\n"
        "  - drill: annual_2026\n    pass_mark: 80\n",
        encoding="utf-8",
    )
    with pytest.raises(InputError) as err:
        load_path(bad)
    text = str(err.value)
    assert "bad.yaml:" in text and "pass_mark" in text


def test_lint_checks_the_paths(tmp_path: Path, cli: Any) -> None:
    r = cli("lint", "scenarios/paths/onboarding.yaml", key=None, password=None)
    assert r.returncode == 0, r.stdout + r.stderr
    bad = tmp_path / "paths"
    bad.mkdir()
    (bad / "oops.yaml").write_text(
        "path:\n  id: oops\n  title: {zh: 错}\nsteps:\n  - scenario: printer_jm\n",
        encoding="utf-8",
    )
    r = cli("lint", str(bad / "oops.yaml"), key=None, password=None)
    assert r.returncode == 1 and "oops.yaml:5" in r.stdout + r.stderr
    assert "printer_jam" in r.stdout + r.stderr  # did you mean


def _score(sid: str, score: float, passed: bool) -> ScoreRow:
    return ScoreRow(1, "t", sid, "training", None, None, "2026-11-01T01:00:00Z", "complete",
                    score, passed, not passed)  # fmt: skip


def test_a_step_is_done_at_its_mark_and_the_first_undone_is_next() -> None:
    path = load_path("onboarding").path
    me = PersonRow("t", "甲", unit="鼓楼营业厅", hire_date="2026-10-01")
    scores = [_score("pre_shift", 90, True), _score("new_connection", 79, True),
              _score("printer_jam", 95, True)]  # fmt: skip
    st = standing(me, path, scores, [], date(2026, 11, 1))
    by_id = {s.step.scenario: s for s in st.steps}
    assert [by_id[k].done for k in ("pre_shift", "new_connection", "printer_jam")] == [
        True,
        False,
        True,
    ]
    assert (
        st.steps[0].step.scenario == "pre_shift" and st.steps[1].step.scenario == "new_connection"
    )
    assert st.next_step is not None and st.next_step.step.scenario == "new_connection"
    assert by_id["new_connection"].best == 79 and st.done == 2
    # no certificate: due 90 days after the hire date
    assert st.due == date(2026, 12, 30) and st.state == "due"
    assert standing(me, path, scores, [], date(2026, 12, 15)).state == "due_soon"
    assert standing(me, path, scores, [], date(2027, 1, 2)).state == "overdue"


def test_add_months_keeps_to_the_calendar() -> None:
    assert add_months(date(2026, 1, 31), 1) == date(2026, 2, 28)
    assert add_months(date(2026, 11, 30), 12) == date(2027, 11, 30)


def test_certificates_are_the_signed_attempts_and_lapse(office: Any, records: Records) -> None:
    held = certificates(records)
    assert held, office.counts
    for certs in held.values():
        for c in certs:
            assert c.checked and c.valid_until == add_months(c.earned, 12)
    # an attempt whose verdict was altered in the database earns nothing
    trainee, certs = next(iter(held.items()))
    records.conn.execute(
        "UPDATE drill_attempts SET average = 99.9 WHERE id = ?", (certs[0].attempt_id,)
    )
    try:
        after = certificates(records).get(trainee, [])
        assert certs[0].attempt_id not in [c.attempt_id for c in after]
    finally:
        records.conn.execute(
            "UPDATE drill_attempts SET average = ? WHERE id = ?",
            (certs[0].average, certs[0].attempt_id),
        )


def test_standings_for_the_whole_roster(office: Any, records: Records) -> None:
    t0 = time.perf_counter()
    found = standings(records, records.people(registered=True), today=date(2026, 11, 30))
    assert time.perf_counter() - t0 < 5
    assert len(found) == 200 and all(s.path is not None for s in found)
    states = {s.state for s in found}
    assert "overdue" in states and ("valid" in states or "due_soon" in states)
    newcomer = next(s for s in found if s.sessions and s.person.hire_date >= "2026-08-01")
    assert newcomer.steps[0].done or newcomer.steps[0].tries


def test_the_cohort_report(office: Any, records: Records) -> None:
    t0 = time.perf_counter()
    html = cohort_report(records)
    took = time.perf_counter() - t0
    assert took < 20, took
    assert "学员情况：全部单位" in html and "学员 × 场景" in html and "学员 × 条款" in html
    assert "各单位" in html and "取证与复训到期" in html and "最难的条款" in html
    assert "<script" not in html and "http" not in html.replace("http-equiv", "")
    # every registered trainee is a row of the matrix, under their name
    for p in office.people[:20]:
        assert p.name in html
    assert not RULE_IDS.search(re.sub(r"<[^>]+>", " ", html))
    # the hardest-clause chart draws the table's numbers
    shares = re.findall(r'class="hbar[^"]*" data-value="([0-9.e-]+)"', html)
    assert shares and all(0 <= float(v) <= 1 for v in shares)
    unit = office.people[0].unit
    one = cohort_report(records, unit=unit)
    assert f"学员情况：{unit}" in one
    with pytest.raises(ReportError, match="没有单位"):
        cohort_report(records, unit="火星营业厅")


def test_the_path_report(office: Any, records: Records) -> None:
    html = path_report(records, "onboarding")
    assert "学习路径：新员工入职培训" in html and "各人走到哪一步" in html
    bars = [int(float(v)) for v in re.findall(r'class="hbar[^"]*" data-value="([0-9.]+)"', html)]
    assert sum(bars) == 200  # each trainee counts at one step
    unit = office.people[0].unit
    assert unit in path_report(records, "onboarding", unit=unit)
    with pytest.raises(ReportError, match="没有学习路径"):
        path_report(records, "nothing")


def test_the_drill_report_names_units_and_splits_passes_from_fails(
    office: Any, records: Records
) -> None:
    html = drill_report(records, "annual_2026")
    assert any(f"{p.name}（{p.id}，{p.unit}）" in html for p in office.people)
    bars = re.findall(r'class="bar split" data-count="(\d+)" data-from="([0-9.]+)"', html)
    parts = {m for m in re.findall(r'class="part pass" data-passed="(\d+)"', html)}
    assert bars and parts
    assert "safety_first" not in html and "hazard_reported" not in html


def test_the_certificate_names_the_person_and_their_unit(office: Any, records: Records) -> None:
    held = certificates(records)
    trainee, certs = next(iter(held.items()))
    person = records.person(trainee)
    assert person is not None
    html = certificate(records, certs[-1].code)
    for words in (person.name, f"工号 {person.id}", str(person.unit), "有效期至",
                  certs[-1].valid_until.isoformat() if certs[-1].valid_until else "",
                  "国网南京供电公司客户服务培训中心", "核验码报培训中心"):  # fmt: skip
        assert words in html, words
    assert "python run_sim.py" not in html


def test_report_commands_are_an_instructors(office: Any, tmp_path: Path, cli: Any) -> None:
    db = str(office.path)
    for args in (["report", "cohort"], ["report", "path", "onboarding"]):
        r = cli("--db", db, *args, password=None)
        assert r.returncode == 2 and "仅限培训管理员" in r.stderr
    out = tmp_path / "cohort.html"
    r = cli("--db", db, "--as", "T001", "report", "cohort", "--since", "2026-06-01",
            "--out", str(out))  # fmt: skip
    assert r.returncode == 0, r.stderr
    assert "2026-06-01 以来" in out.read_text(encoding="utf-8") or "2026-06-01" in out.read_text(
        encoding="utf-8"
    )

"""The register: a roster read from Excel or CSV with Chinese headers, checked row by row (every
problem located, nothing entered), names and units on every page, and the trainee typed at the
desk or on the command line recorded under their staff id."""

from __future__ import annotations

import csv
import shutil
from pathlib import Path
from typing import Any

import pytest

from records.db import Records
from records.roster import import_roster, read_roster
from records.sample_roster import UNITS, sample_roster
from records.service import record_agent_run
from scoring.procedure import Procedure
from sim.errors import InputError
from sim.library import find_scenario

KEY = b"office-tests-centre-key"


def test_the_sample_roster_looks_like_nanjing() -> None:
    people = sample_roster(200)
    assert len({p.id for p in people}) == 200 and len({p.name for p in people}) == 200
    assert {p.unit for p in people} <= {u for u, _ in UNITS}
    assert any(p.unit and p.unit.endswith("供电所") for p in people)
    assert any(p.unit and p.unit.endswith("营业厅") for p in people)
    # Chinese names of two or three characters, eight-digit staff ids, no "trainee17"
    assert all(2 <= len(p.name) <= 3 and "\u4e00" <= p.name[0] <= "\u9fff" for p in people)
    assert all(p.id.isdigit() and len(p.id) == 8 for p in people)
    assert sample_roster(200) == people  # the same draw every time


def test_an_imported_workbook_is_the_register(office: Any, records: Records) -> None:
    people = records.people(registered=True)
    assert len(people) == 200
    first = office.people[0]
    found = records.person(first.id)
    assert found is not None and (found.name, found.unit, found.team, found.job) == (
        first.name, first.unit, first.team, first.job,
    )  # fmt: skip
    assert found.hire_date == first.hire_date


def _csv(path: Path, rows: list[list[str]], encoding: str = "utf-8-sig") -> Path:
    with path.open("w", encoding=encoding, newline="") as f:
        csv.writer(f).writerows(rows)
    return path


def test_a_csv_from_wps_in_gbk_with_other_chinese_headers(tmp_path: Path) -> None:
    f = _csv(tmp_path / "名册.csv", [
        ["员工编号", "姓名", "所属单位", "班组", "职务", "入职时间", "状态"],
        ["32019001", "周晓燕", "江宁供电所", "受理一班", "用电客户受理员", "2026/9/1", "在职"],
        ["32019002", "钱立新", "鼓楼营业厅", "", "营业班长", "2019年3月12日", "离职"],
    ], encoding="gbk")  # fmt: skip
    rows = read_roster(f)
    assert [(r.person.id, r.person.hire_date, r.person.active) for r in rows] == [
        ("32019001", "2026-09-01", True), ("32019002", "2019-03-12", False),
    ]  # fmt: skip
    assert rows[1].person.team is None


def test_every_bad_row_is_named_and_nothing_is_entered(tmp_path: Path, records: Records) -> None:
    f = _csv(tmp_path / "bad.csv", [
        ["工号", "姓名", "单位", "入职日期", "学习路径"],
        ["32019101", "甲", "鼓楼营业厅", "2026-02-30", ""],
        ["32019101", "乙", "鼓楼营业厅", "2026-01-01", ""],
        ["", "丙", "", "", ""],
        ["32019103", "丁", "鼓楼营业厅", "", "onbaording"],
        ["=cmd|' /C calc'!A0", "戊", "鼓楼营业厅", "", ""],
    ])  # fmt: skip
    before = len(records.people())
    with pytest.raises(InputError) as err:
        import_roster(records, f, by="T001", known_paths=["onboarding"])
    text = str(err.value)
    assert "bad.csv:2: 入职日期“2026-02-30”看不懂" in text
    assert "bad.csv:3: 工号 32019101 与第 2 行重复" in text
    assert "bad.csv:4: “工号”为空" in text and "bad.csv:4: “单位”为空" in text
    assert "bad.csv:5: 没有学习路径“onbaording”" in text
    assert "bad.csv:6: 工号“=cmd|' /C calc'!A0”只能由" in text
    assert len(records.people()) == before


def test_a_roster_without_the_needed_columns(tmp_path: Path) -> None:
    f = _csv(tmp_path / "x.csv", [["编号", "名字"], ["1", "甲"]])
    with pytest.raises(InputError, match=r"x.csv:1: 缺少“工号”列（找到的列：编号、名字）"):
        read_roster(f)


def _copy(office: Any, tmp_path: Path) -> Path:
    """The office's records, copied (for a test that changes them)."""
    out = tmp_path / "records.sqlite3"
    for suffix in ("", "-wal"):
        src = Path(str(office.path) + suffix)
        if src.exists():
            shutil.copy(src, str(out) + suffix)
    return out


def test_a_name_in_the_register_records_under_the_staff_id(
    office: Any, tmp_path: Path, procedure: Procedure
) -> None:
    person = office.people[-1]
    loaded = find_scenario("printer_jam", procedure.ids)
    with Records(_copy(office, tmp_path), key=KEY) as records:
        sid, _, _ = record_agent_run(records, loaded, procedure, 3, "expert", person.name)
        assert records.session(str(sid)).trainee_id == person.id
        # someone not in the register is recorded as typed, as before
        sid, _, _ = record_agent_run(records, loaded, procedure, 3, "expert", "访客小李")
        assert records.session(str(sid)).trainee_id == "访客小李"


def test_roster_commands(office: Any, tmp_path: Path, cli: Any) -> None:
    db = str(_copy(office, tmp_path))
    # changing the register is an instructor's
    r = cli("--db", db, "roster", "import", str(office.roster))
    assert r.returncode == 2 and "仅限培训管理员" in r.stderr
    r = cli("--db", db, "--as", "T001", "roster", "import", str(office.roster))
    assert r.returncode == 0, r.stderr
    assert "新增 0 人，更新 0 人" in r.stdout
    r = cli("--db", db, "--as", "T001", "roster", "set", "32099999", "--name", "新同事",
            "--unit", "高淳供电所", "--hire-date", "2026-11-20")  # fmt: skip
    assert r.returncode == 0, r.stderr
    r = cli("--db", db, "roster", "list", "--unit", "高淳供电所")
    assert r.returncode == 0 and "32099999  新同事  高淳供电所" in r.stdout
    assert "路径 onboarding" in r.stdout  # the unit's path
    r = cli("--db", db, "--as", "T001", "roster", "assign", "onboarding", "--unit", "不存在营业厅")
    assert r.returncode == 2 and "没有单位“不存在营业厅”" in r.stderr
    # a roster edit is in the audit log, and the whole record still verifies
    r = cli("--db", db, "verify", "--all")
    assert r.returncode == 0, r.stdout + r.stderr

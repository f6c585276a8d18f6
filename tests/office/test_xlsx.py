"""``export --format xlsx`` as Excel, WPS and openpyxl open it: one sheet per view, Chinese
headers, the header row frozen, dates as dates, scores as numbers, and no cell a formula."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any

from openpyxl import load_workbook

from records.db import Records
from records.export import session_dicts
from records.sample_office import at, take_scenario
from records.xlsx import SHEETS, to_xlsx
from scoring.procedure import Procedure


def test_the_workbook_has_the_right_types(office: Any, tmp_path: Path, cli: Any) -> None:
    out = tmp_path / "成绩.xlsx"
    r = cli("--db", str(office.path), "--as", "T001", "export", "--format", "xlsx",
            "--out", str(out))  # fmt: skip
    assert r.returncode == 0, r.stderr
    book = load_workbook(out)
    assert book.sheetnames == list(SHEETS)
    sessions = book["实训记录"]
    head = [c.value for c in sessions[1]]
    assert head[:3] == ["记录号", "工号", "姓名"] and "成绩" in head and "单位" in head
    assert sessions.freeze_panes == "A2"
    col = {h: i for i, h in enumerate(head)}
    started = next(h for h in head if str(h).startswith("开始时间"))
    assert "Asia/Shanghai" in started
    rows = list(sessions.iter_rows(min_row=2, values_only=True))
    assert len(rows) == office.counts["sessions"]
    scored = [r for r in rows if r[col["成绩"]] is not None]
    assert scored and all(isinstance(r[col["成绩"]], int | float) for r in scored)
    assert all(isinstance(r[col[started]], datetime) for r in rows)
    assert all(r[col["是否合格"]] in ("是", "否") for r in scored)
    assert sessions.column_dimensions["C"].width >= 6
    findings = book["扣分明细"]
    f_head = [c.value for c in findings[1]]
    assert "条款" in f_head and "规则说明" in f_head and "规则" not in f_head
    assert findings.max_row > 1
    cohort = book["学员汇总"]
    assert [c.value for c in cohort[1]][:3] == ["工号", "姓名", "单位"]
    roster = book["学员名册"]
    assert roster.max_row == 201
    hired = [r[5] for r in roster.iter_rows(min_row=2, values_only=True)]
    assert all(isinstance(h, datetime) for h in hired)
    # without --out there is nowhere to put a workbook
    r = cli("--db", str(office.path), "export", "--format", "xlsx")
    assert r.returncode == 2 and "--out" in r.stderr


def test_no_cell_is_a_formula(tmp_path: Path, procedure: Procedure) -> None:
    evil = '=HYPERLINK("http://x","点我")'
    with Records(tmp_path / "r.sqlite3", key=None) as records:
        with at(datetime.fromisoformat("2026-11-28T07:00:00+00:00")):
            take_scenario(records, procedure, "printer_jam", evil, "careless", 2)
            take_scenario(records, procedure, "printer_jam", "-1+2", "expert", 2)
        data = to_xlsx(records, session_dicts(records))
    out = tmp_path / "x.xlsx"
    out.write_bytes(data)
    book = load_workbook(out)
    cells = [c for ws in book.worksheets for row in ws.iter_rows() for c in row]
    assert not [c for c in cells if c.data_type == "f"]
    names = [c for c in cells if c.value in (evil, "-1+2")]
    assert names and all(c.data_type == "s" and c.quotePrefix for c in names)

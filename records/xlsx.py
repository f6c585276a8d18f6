"""The records as an Excel workbook (``export --format xlsx``), for a training manager to hand
on: one sheet per view — sessions, findings, the cohort (each trainee against each scenario)
and the register — Chinese headers, the header row frozen and filtered, widths that fit the
content, times as dates in the centre's zone, scores as numbers.

Formula-safe like the CSV: every text cell is stored as text (never a formula, whatever it
starts with) and marked so Excel and WPS keep it text when it is edited.
"""

from __future__ import annotations

import io
from collections import defaultdict
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from records.db import Records
from records.rows import PersonRow
from records.words import tr
from scoring.procedure import Procedure
from sim.errors import DeskTrainerError
from sim.i18n import clock
from sim.localtime import local, zone_label
from sim.scenario import LoadedScenario

__all__ = ["to_xlsx", "SHEETS"]

SHEETS = ("实训记录", "扣分明细", "学员汇总", "学员名册")
DATE_TIME = "yyyy-mm-dd hh:mm"
DATE = "yyyy-mm-dd"
SCORE = "0.0"
_HEADER_FILL = PatternFill("solid", fgColor="1F4E79")
_HEADER_FONT = Font(bold=True, color="FFFFFF")


def _when(iso: str | None) -> datetime | None:
    """A stored UTC time as the centre's local time, without a zone (Excel has none)."""
    found = local(iso) if iso else None
    return found.replace(tzinfo=None, microsecond=0) if found is not None else None


def _day(iso: str | None) -> datetime | None:
    if not iso:
        return None
    try:
        return datetime.fromisoformat(iso)
    except ValueError:
        return None


def _width(value: Any) -> float:
    if value is None:
        return 0.0
    if isinstance(value, datetime):
        return 16.0
    text = str(value)
    return sum(2.0 if ord(ch) >= 0x2E80 else 1.0 for ch in text)


def _sheet(
    book: Workbook,
    title: str,
    headers: Sequence[str],
    rows: Sequence[Sequence[Any]],
    formats: dict[int, str] | None = None,
) -> Worksheet:
    sheet: Worksheet = book.create_sheet(title)
    sheet.append(list(headers))
    for cell in sheet[1]:
        cell.font = _HEADER_FONT
        cell.fill = _HEADER_FILL
        cell.alignment = Alignment(vertical="center")
    widths = [_width(h) for h in headers]
    for row in rows:
        values = []
        for v in row:
            if isinstance(v, str):
                v = ILLEGAL_CHARACTERS_RE.sub("", v)
            values.append(v)
        sheet.append(values)
        r = sheet.max_row
        for i, v in enumerate(values):
            cell = sheet.cell(row=r, column=i + 1)
            if isinstance(v, str):
                cell.data_type = "s"  # text, never a formula, whatever it starts with
                if v[:1] in ("=", "+", "-", "@", "\t", "\r"):
                    cell.quotePrefix = True  # and kept text when edited
            fmt = (formats or {}).get(i)
            if fmt is not None:
                cell.number_format = fmt
            widths[i] = max(widths[i], _width(v))
    for i, w in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(i)].width = min(60.0, max(6.0, w + 2.0))
    sheet.freeze_panes = "A2"
    if rows:
        sheet.auto_filter.ref = sheet.dimensions
    return sheet


def to_xlsx(records: Records, sessions: list[dict[str, Any]], lang: str = "zh") -> bytes:
    """The workbook of ``sessions`` (as ``records.export.session_dicts`` gives them)."""
    people: dict[str, PersonRow] = {p.id: p for p in records.people()}

    def person(tid: str) -> PersonRow:
        return people.get(tid) or PersonRow(id=tid, name=tid)

    scenarios: dict[str, LoadedScenario | None] = {}
    procedures: dict[str, Procedure | None] = {}

    def scenario_of(s: dict[str, Any]) -> LoadedScenario | None:
        sha = s["scenario_sha256"]
        if sha not in scenarios:
            try:
                scenarios[sha] = records.scenario(records.session(str(s["session"])))
            except DeskTrainerError:
                scenarios[sha] = None
        return scenarios[sha]

    def procedure_of(sha: str | None) -> Procedure | None:
        if not sha:
            return None
        if sha not in procedures:
            try:
                procedures[sha] = records.procedure(sha)
            except DeskTrainerError:
                procedures[sha] = None
        return procedures[sha]

    zone = zone_label()
    yes, no = tr("xlsx.yes_word", lang), tr("xlsx.no_word", lang)
    session_rows = []
    finding_rows = []
    for s in sessions:
        p = person(s["trainee"])
        loaded = scenario_of(s)
        title = loaded.scenario.scenario.title.get(lang) if loaded else s["scenario"]
        session_rows.append([
            s["session"], p.id, p.name, p.unit, p.team, title,
            tr(f"mode.{s['mode']}", lang), tr(f"status.{s['status']}", lang),
            _when(s["started_at"]), _when(s["ended_at"]), s["score"],
            None if s["passed"] is None else (yes if s["passed"] else no),
            "、".join(s["critical_failures"]), s["hints_used"],
            "、".join(s["broken_clauses"]), s["procedure"], s["agent"] or "", s["uuid"],
        ])  # fmt: skip
        rules = {r.id: r for r in loaded.scenario.rules} if loaded else {}
        proc = procedure_of(s.get("procedure_sha256")) or procedure_of(
            records.session(str(s["session"])).procedure_sha256 if s["findings"] else None
        )
        for f in s["findings"]:
            if f["verdict"] not in ("violated", "missed"):
                continue
            rule = rules.get(f["rule"])
            clause = f["clause"]
            text = proc.clause(clause).zh if proc is not None and clause in proc.ids else ""
            note = rule.note.get(lang) if rule is not None and rule.note is not None else text
            finding_rows.append([
                s["session"], p.id, p.name, p.unit, title, _when(s["started_at"]), clause,
                tr(f"xlsx.verdict_{f['verdict']}", lang), yes if f["critical"] else no,
                f.get("points_lost"), None if f.get("at") is None else clock(float(f["at"])),
                note, text,
            ])  # fmt: skip

    # the cohort: each trainee against each scenario
    pairs: dict[tuple[str, str], list[dict[str, Any]]] = defaultdict(list)
    for s in sessions:
        pairs[(s["trainee"], s["scenario"])].append(s)
    cohort_rows = []
    for (tid, sid), mine in sorted(pairs.items(), key=lambda kv: (
        person(kv[0][0]).unit or "", kv[0][0], kv[0][1])):  # fmt: skip
        p = person(tid)
        scored = [m for m in mine if m["score"] is not None]
        loaded = scenario_of(mine[0])
        cohort_rows.append([
            p.id, p.name, p.unit, p.team,
            loaded.scenario.scenario.title.get(lang) if loaded else sid, len(mine),
            max((m["score"] for m in scored), default=None),
            scored[-1]["score"] if scored else None,
            yes if any(m["passed"] for m in scored) else no,
            _when(mine[-1]["started_at"]),
        ])  # fmt: skip

    roster_rows = [
        [p.id, p.name, p.unit, p.team, p.job, _day(p.hire_date), yes if p.active else no]
        for p in people.values()
        if p.registered
    ]

    book = Workbook()
    default = book.active
    if default is not None:
        book.remove(default)
    h = tr("xlsx.time_in", lang, zone=zone)
    _sheet(book, SHEETS[0], [
        "记录号", "工号", "姓名", "单位", "班组", "场景", "模式", "状态", f"开始时间（{h}）",
        f"结束时间（{h}）", "成绩", "是否合格", "关键条款违规", "提示次数", "违规条款",
        "规程版本", "模拟学员", "记录标识",
    ], session_rows, {8: DATE_TIME, 9: DATE_TIME, 10: SCORE})  # fmt: skip
    _sheet(book, SHEETS[1], [
        "记录号", "工号", "姓名", "单位", "场景", f"开始时间（{h}）", "条款", "结论",
        "关键条款", "扣分", "发生时刻", "规则说明", "条款原文",
    ], finding_rows, {5: DATE_TIME, 9: SCORE})  # fmt: skip
    _sheet(book, SHEETS[2], [
        "工号", "姓名", "单位", "班组", "场景", "次数", "最高分", "最近成绩", "是否合格",
        f"最近一次（{h}）",
    ], cohort_rows, {6: SCORE, 7: SCORE, 9: DATE_TIME})  # fmt: skip
    _sheet(book, SHEETS[3], ["工号", "姓名", "单位", "班组", "岗位", "入职日期", "在岗"],
           roster_rows, {5: DATE})  # fmt: skip
    buf = io.BytesIO()
    book.save(buf)
    return buf.getvalue()

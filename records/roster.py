"""The trainee register: a roster read from an Excel workbook or a CSV file (Chinese or English
headers), checked row by row with located problems, entered all at once or not at all; and
who a name typed at the desk is.

The staff id (工号) is the trainee id sessions and drill attempts already link to, so a roster
imported after the fact gathers a trainee's earlier sessions under their name and unit.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

from records.db import Records
from records.rows import PersonRow
from records.words import tr
from sim.errors import InputError, Problem

__all__ = [
    "HEADERS",
    "RosterEntry",
    "read_roster",
    "import_roster",
    "resolve_trainee",
    "person_of",
    "unit_kind",
]

# each field and the headers it is recognised by (compared without spaces, case or brackets)
HEADERS: dict[str, tuple[str, ...]] = {
    "id": ("工号", "员工编号", "人员编号", "职工编号", "员工号", "staffid", "id"),
    "name": ("姓名", "名字", "name"),
    "unit": ("单位", "所属单位", "营业厅/供电所", "营业厅", "供电所", "部门", "unit"),
    "team": ("班组", "班组名称", "team"),
    "job": ("岗位", "职务", "岗位名称", "role", "job"),
    "hire_date": ("入职日期", "入职时间", "参加工作时间", "进公司时间", "hiredate", "hired"),
    "active": ("状态", "在岗状态", "active", "status"),
    "path": ("学习路径", "培训路径", "path", "learningpath"),
}
REQUIRED = ("id", "name", "unit")
_INACTIVE = {"离职", "调离", "退休", "停用", "否", "0", "false", "no", "inactive", "left"}
_EXCEL_EPOCH = date(1899, 12, 30)


@dataclass(frozen=True)
class RosterEntry:
    """One roster row as read: the person, the path it assigns (if any) and its line."""

    person: PersonRow
    path: str | None
    line: int


def _key(header: Any) -> str:
    return re.sub(r"[\s_\-（）()]", "", str(header or "")).lower()


_FIELD_OF = {_key(h): field for field, names in HEADERS.items() for h in names}


def _text(value: Any) -> str:
    """A cell as text: a whole number read from Excel loses its ``.0``."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _date(value: Any) -> date | None:
    """A hire date as Excel, WPS or a person writes it (None: not a date)."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        if 1 <= value < 80000:  # an Excel serial day number
            return _EXCEL_EPOCH + timedelta(days=int(value))
        text = _text(value)
    else:
        text = str(value).strip()
    m = re.fullmatch(r"(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?(?:[ T].*)?", text)
    if m is None:
        m = re.fullmatch(r"(\d{4})(\d{2})(\d{2})", text)
    if m is None:
        return None
    try:
        return date(int(m[1]), int(m[2]), int(m[3]))
    except ValueError:
        return None


def _rows_of(path: Path) -> list[list[Any]]:
    """Every row of the file's first sheet (or of the CSV), as cell values."""
    suffix = path.suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        from openpyxl import load_workbook

        try:
            book = load_workbook(path, read_only=True, data_only=True)
        except Exception as exc:  # openpyxl raises many kinds for a file that is not a workbook
            problem = Problem(str(path), None, tr("roster.bad_workbook", error=str(exc)))
            raise InputError([problem]) from None
        try:
            sheet = book.worksheets[0]
            return [list(r) for r in sheet.iter_rows(values_only=True)]
        finally:
            book.close()
    if suffix in (".xls", ".et"):
        raise InputError([Problem(str(path), None, tr("roster.old_excel"))])
    raw = path.read_bytes()
    for encoding in ("utf-8-sig", "gb18030"):  # Excel and WPS on Chinese Windows save GBK
        try:
            text = raw.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise InputError([Problem(str(path), None, tr("roster.bad_encoding"))])
    sample = text[:4096]
    dialect = "excel-tab" if sample.count("\t") > sample.count(",") else "excel"
    return [list(r) for r in csv.reader(io.StringIO(text), dialect=dialect)]


def read_roster(path: str | Path, known_paths: Iterable[str] = ()) -> list[RosterEntry]:
    """The roster's rows, checked; an InputError with every problem (file and row) otherwise."""
    file = Path(path)
    try:
        rows = _rows_of(file)
    except OSError as exc:
        raise InputError([Problem(str(file), None, tr("roster.unreadable", error=exc.strerror)
                                  )]) from None  # fmt: skip
    where = str(file)
    start = next((i for i, r in enumerate(rows) if any(_text(c) for c in r)), None)
    if start is None:
        raise InputError([Problem(where, None, tr("roster.empty"))])
    header = rows[start]
    columns: dict[str, int] = {}
    problems: list[Problem] = []
    for i, cell in enumerate(header):
        field = _FIELD_OF.get(_key(cell))
        if field is not None and field not in columns:
            columns[field] = i
    for field in REQUIRED:
        if field not in columns:
            found = "、".join(_text(c) for c in header if _text(c)) or "-"
            message = tr("roster.no_column", column=HEADERS[field][0], found=found)
            problems.append(Problem(where, start + 1, message))
    if problems:
        raise InputError(problems)
    known = set(known_paths)
    seen: dict[str, int] = {}
    out: list[RosterEntry] = []
    today = date.today()
    for n, row in enumerate(rows[start + 1 :], start=start + 2):

        def cell(field: str, row: list[Any] = row) -> Any:
            i = columns.get(field)
            return row[i] if i is not None and i < len(row) else None

        if not any(_text(c) for c in row):
            continue
        staff_id, name, unit = _text(cell("id")), _text(cell("name")), _text(cell("unit"))
        for field, value in (("id", staff_id), ("name", name), ("unit", unit)):
            if not value:
                problems.append(Problem(where, n, tr("roster.missing", column=HEADERS[field][0])))
        if staff_id and (len(staff_id) > 32 or not re.fullmatch(r"[0-9A-Za-z_.\-]+", staff_id)):
            problems.append(Problem(where, n, tr("roster.bad_id", value=staff_id)))
        if staff_id in seen:
            problems.append(
                Problem(where, n, tr("roster.duplicate", id=staff_id, line=seen[staff_id]))
            )
        seen.setdefault(staff_id, n)
        hired: date | None = None
        raw_date = cell("hire_date")
        if _text(raw_date):
            hired = _date(raw_date)
            if hired is None:
                problems.append(Problem(where, n, tr("roster.bad_date", value=_text(raw_date))))
            elif hired > today or hired.year < 1950:
                problems.append(Problem(where, n, tr("roster.odd_date", value=hired.isoformat())))
        path_id = _text(cell("path")) or None
        if path_id is not None and path_id not in known:
            message = tr("roster.unknown_path", path=path_id, paths=", ".join(sorted(known)) or "-")
            problems.append(Problem(where, n, message))
        active = _text(cell("active")).lower() not in _INACTIVE
        person = PersonRow(
            id=staff_id, name=name, unit=unit, team=_text(cell("team")) or None,
            job=_text(cell("job")) or None,
            hire_date=hired.isoformat() if hired else None, active=active,
        )  # fmt: skip
        out.append(RosterEntry(person, path_id, n))
    if problems:
        raise InputError(problems)
    if not out:
        raise InputError([Problem(where, None, tr("roster.empty"))])
    return out


def import_roster(
    records: Records, path: str | Path, *, by: str, known_paths: Iterable[str] = ()
) -> tuple[int, int, int]:
    """Enter a roster file: (added, changed, paths assigned). Nothing is entered when any row
    has a problem."""
    entries = read_roster(path, known_paths)
    added, changed = records.put_people([e.person for e in entries], by=by,
                                        source=Path(path).name)  # fmt: skip
    assigned = 0
    current = records.path_assignments()
    for e in entries:
        if e.path is not None and current.get(("trainee", e.person.id)) != e.path:
            records.assign_path("trainee", e.person.id, e.path, by=by)
            assigned += 1
    return added, changed, assigned


def resolve_trainee(records: Records, text: str) -> str:
    """The trainee id a sign-in names: a staff id as it is; a registered trainee's name (when
    only one has it) as their staff id; anything else as typed (an unregistered trainee)."""
    return records.resolve_trainee(text.strip())


def person_of(records: Records, trainee: str) -> PersonRow:
    """A trainee's entry, or a bare one for an id nobody entered."""
    return records.person(trainee) or PersonRow(id=trainee, name=trainee)


def unit_kind(unit: str | None) -> str | None:
    """``hall`` for a 营业厅, ``station`` for a 供电所 (None: neither)."""
    if not unit:
        return None
    if unit.endswith("营业厅"):
        return "hall"
    if unit.endswith("供电所"):
        return "station"
    return None


def write_roster_csv(people: Sequence[PersonRow], paths: dict[str, str] | None = None) -> str:
    """A roster as CSV with the Chinese headers ``read_roster`` reads."""
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(["工号", "姓名", "单位", "班组", "岗位", "入职日期", "学习路径"])
    for p in people:
        w.writerow([p.id, p.name, p.unit or "", p.team or "", p.job or "", p.hire_date or "",
                    (paths or {}).get(p.id, "")])  # fmt: skip
    return buf.getvalue()

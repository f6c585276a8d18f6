"""The training manager's office on the command line: the trainee register (``roster import``,
``list``, ``set``, ``assign``). Registered on the main group by ``trainer/records_cli.register``;
the work is done in ``records/roster.py`` and ``records/paths.py``. The cohort and path reports
are in ``trainer/reports_cli.py``.

Changing the register is an instructor's (``--as ID``); anyone may list it.
"""

from __future__ import annotations

import json
from datetime import date
from typing import TYPE_CHECKING

import click

from sim.errors import DeskTrainerError, InputError
from trainer.options import common, db_option, instructor, open_records, problem
from trainer.words import tr

if TYPE_CHECKING:  # `list` and the other light commands start without the procedure's models
    from scoring.procedure import Procedure

__all__ = ["register"]


@click.group("roster")
def roster_group() -> None:
    """学员名册：导入、查看、修改、指定学习路径 / The trainee register."""


def _known_paths() -> list[str]:
    from sim.path import path_files

    return [p.stem for p in path_files()]


@roster_group.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
@db_option
@common
def roster_import_cmd(lang: str, proc: Procedure, file: str, db: str | None) -> None:
    """从 Excel（.xlsx）或 CSV 导入名册，中文表头可用 / Import a roster (instructors only)."""
    from records.roster import import_roster

    with open_records(db) as records:
        who = instructor(records)
        added, changed, assigned = import_roster(records, file, by=who, known_paths=_known_paths())
    click.echo(tr("roster.imported", file=file, added=added, changed=changed, assigned=assigned))


@roster_group.command("list")
@click.option("--unit", default=None, help="只看该单位 / only this unit")
@click.option("--json", "as_json", is_flag=True, help="JSON 输出 / JSON output")
@db_option
@common
def roster_list_cmd(
    lang: str, proc: Procedure, unit: str | None, as_json: bool, db: str | None
) -> None:
    """列出名册 / List the register."""
    from records.paths import path_for

    with open_records(db) as records:
        people = records.people(unit=unit, registered=True)
        assignments = records.path_assignments()
    if as_json:
        rows = [
            {
                "id": p.id, "name": p.name, "unit": p.unit, "team": p.team, "job": p.job,
                "hire_date": p.hire_date, "active": p.active, "path": path_for(p, assignments),
            }
            for p in people
        ]  # fmt: skip
        click.echo(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    if not people:
        click.echo(tr("roster.none"))
        return
    for p in people:
        click.echo(
            tr(
                "roster.line",
                id=p.id,
                name=p.name,
                unit=p.unit or "—",
                team=p.team or "—",
                job=p.job or "—",
                hired=p.hire_date or "—",
                path=path_for(p, assignments) or "—",
                left="" if p.active else tr("roster.inactive"),
            )
        )
    click.echo(tr("roster.count", n=len(people)))


@roster_group.command("set")
@click.argument("staff_id")
@click.option("--name", default=None, help="姓名 / name")
@click.option("--unit", default=None, help="单位（营业厅/供电所）/ unit")
@click.option("--team", default=None, help="班组 / team")
@click.option("--job", default=None, help="岗位 / job")
@click.option("--hire-date", default=None, help="入职日期，如 2026-09-01 / hire date")
@click.option("--active/--inactive", default=None, help="在岗 / 离岗 / still on the roster")
@db_option
@common
def roster_set_cmd(
    lang: str,
    proc: Procedure,
    staff_id: str,
    name: str | None,
    unit: str | None,
    team: str | None,
    job: str | None,
    hire_date: str | None,
    active: bool | None,
    db: str | None,
) -> None:
    """新增或修改一名学员 / Add or change a trainee (instructors only)."""
    from dataclasses import replace

    from records.rows import PersonRow

    if hire_date is not None:
        try:
            hire_date = date.fromisoformat(hire_date.strip()).isoformat()
        except ValueError:
            bad = problem("--hire-date", tr("roster.bad_date", value=hire_date))
            raise InputError([bad]) from None
    with open_records(db) as records:
        who = instructor(records)
        old = records.person(staff_id)
        if old is None and (name is None or unit is None):
            raise DeskTrainerError(tr("roster.new_needs", id=staff_id))
        base = old or PersonRow(id=staff_id, name=name or staff_id)
        person = replace(
            base,
            name=name if name is not None else base.name,
            unit=unit if unit is not None else base.unit,
            team=team if team is not None else base.team,
            job=job if job is not None else base.job,
            hire_date=hire_date if hire_date is not None else base.hire_date,
            active=active if active is not None else base.active,
        )
        records.put_people([person], by=who, source=f"set:{staff_id}")
    click.echo(tr("roster.set", id=staff_id, name=person.name, unit=person.unit or "—"))


@roster_group.command("assign")
@click.argument("path_id")
@click.option("--unit", default=None, help="指定给该单位 / to this unit")
@click.option("--trainee", default=None, help="指定给该学员（工号）/ to this trainee")
@click.option("--remove", is_flag=True, help="取消指定 / take the assignment away")
@db_option
@common
def roster_assign_cmd(
    lang: str,
    proc: Procedure,
    path_id: str,
    unit: str | None,
    trainee: str | None,
    remove: bool,
    db: str | None,
) -> None:
    """给单位或学员指定学习路径 / Assign a learning path (instructors only)."""
    from sim.path import load_path

    if (unit is None) == (trainee is None):
        raise click.UsageError(tr("roster.assign_which"))
    load_path(path_id)  # an unknown path is a located problem
    with open_records(db) as records:
        who = instructor(records)
        if trainee is not None and records.person(trainee) is None:
            raise DeskTrainerError(tr("roster.no_trainee", id=trainee))
        if unit is not None and unit not in records.units():
            raise DeskTrainerError(
                tr("roster.no_unit", unit=unit, units="、".join(records.units()) or "—")
            )
        scope, subject = ("unit", unit) if unit is not None else ("trainee", trainee)
        assert subject is not None
        records.assign_path(scope, subject, None if remove else path_id, by=who)
    key = "roster.unassigned" if remove else "roster.assigned"
    click.echo(tr(key, path=path_id, subject=subject))


def register(main: click.Group) -> None:
    main.add_command(roster_group)

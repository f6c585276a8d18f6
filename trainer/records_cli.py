"""The records commands: ``sessions``, ``replay``, ``rescore``, ``history``, ``drill``,
``delete``, ``instructor add``, ``verify``, ``export`` and ``resume``. Registered on the main
group by ``register`` (the last lines of ``trainer/cli.py``); the work is done in ``records/``.

Re-scoring, deleting and exporting exam results are an instructor's (``--as ID`` and the
instructor's password). ``verify`` and ``replay --headless`` exit 1 when they find a difference.
"""

from __future__ import annotations

import json
import sys
from typing import TYPE_CHECKING, Any

import click

from sim.errors import DeskTrainerError, InputError
from sim.i18n import clock
from sim.localtime import show
from trainer.options import (
    common,
    db_option,
    db_path,
    instructor,
    open_records,
    password,
    problem,
    viewer,
)
from trainer.outputs import check_target, write_file
from trainer.words import tr

if TYPE_CHECKING:
    from records.db import Records
    from scoring.procedure import Procedure

__all__ = ["register"]


def _password(prompt_key: str = "roles.password_prompt", confirm: bool = False) -> str | None:
    return password(prompt_key, confirm)


def _instructor(records: Records) -> str:
    """The signed-in instructor (``--as``), or a RoleError naming what the command needs."""
    return instructor(records)


@click.command("sessions")
@click.option("--trainee", default=None, help="只看该学员 / only this trainee")
@click.option("--json", "as_json", is_flag=True, help="JSON 输出 / JSON output")
@db_option
@common
def sessions_cmd(
    lang: str, proc: Procedure, trainee: str | None, as_json: bool, db: str | None
) -> None:
    """列出实训记录 / List the recorded sessions."""
    from records.roles import exams_visible

    with open_records(db) as records:
        who = viewer(records)
        rows = records.sessions(trainee=trainee)
        results = {r.id: records.current_result(r.id) for r in rows}
    hidden = {r.id for r in rows if r.mode == "exam" and not exams_visible(who, r.trainee_id)}
    for sid in hidden:
        results[sid] = None
    if as_json:
        out = []
        for r in rows:
            res = results[r.id]
            out.append(
                {
                    "session": r.id,
                    "uuid": r.uuid,
                    "trainee": r.trainee_id,
                    "scenario": r.scenario_id,
                    "mode": r.mode,
                    "status": r.status,
                    "started_at": r.started_at,
                    "score": res.score if res else None,
                    "passed": res.passed if res else None,
                    **({"hidden": True} if r.id in hidden else {}),
                }
            )
        click.echo(json.dumps(out, ensure_ascii=False, indent=2))
        return
    if hidden:
        click.echo(tr("roles.exams_hidden"), err=True)
    for r in rows:
        res = results[r.id]
        click.echo(
            tr(
                "cli.session_line",
                id=r.id,
                started=show(r.started_at),
                trainee=r.trainee_id,
                scenario=r.scenario_id,
                mode=tr(f"mode.{r.mode}"),
                status=tr(f"status.{r.status}"),
                score="—" if res is None else f"{res.score:g}",
                verdict=""
                if res is None
                else tr("report.passed" if res.passed else "report.failed"),
            )
        )


@click.command("replay")
@click.argument("session")
@click.option("--headless", is_flag=True, help="不开窗口，重新推演并核对 / re-derive and compare")
@click.option("--json", "as_json", is_flag=True, help="JSON 输出 / JSON output")
@db_option
@common
def replay_cmd(
    lang: str, proc: Procedure, session: str, headless: bool, as_json: bool, db: str | None
) -> None:
    """按记录精确重放 / Replay a recorded session exactly."""
    from records.service import replay_session

    if not headless:
        from desk.launch import run_replay

        with open_records(db) as records:
            check = replay_session(records, session)
        sys.exit(run_replay(check, lang, db_path(db)))
    from records.roles import exams_visible

    with open_records(db) as records:
        check = replay_session(records, session)
        row = check.session
        shown = row.mode != "exam" or exams_visible(viewer(records), row.trainee_id)
    if as_json:
        out = check.to_dict()
        if not shown:
            out.update(report=None, hidden=True)
        click.echo(json.dumps(out, ensure_ascii=False, sort_keys=True))
    elif not check.trace_matches:
        click.echo(tr("cli.replay_trace_differs", session=check.session.id))
    elif check.report_matches is None:
        click.echo(tr("cli.replay_open", session=check.session.id, t=clock(check.engine.now)))
    elif check.report_matches and check.stored is not None and check.stored.report.format < 2:
        click.echo(tr("cli.replay_same_facts", session=check.session.id))
    else:
        key = "cli.replay_same" if check.report_matches else "cli.replay_differs"
        click.echo(tr(key, session=check.session.id))
    if check.report_matches is False or not check.trace_matches:
        sys.exit(1)


@click.command("resume")
@click.argument("session")
@db_option
@common
def resume_cmd(lang: str, proc: Procedure, session: str, db: str | None) -> None:
    """接着做一条中途中断的实训记录 / Carry on a session that was left unfinished."""
    from desk.launch import run_app
    from records.service import resumable

    with open_records(db) as records:  # an unknown or finished session: one line, before a window
        resumable(records, session)
    sys.exit(run_app(lang, procedure=proc, db=db_path(db), resume=session))


@click.command("rescore")
@click.argument("session", required=False)
@click.option("--all", "all_sessions", is_flag=True, help="全部已完成的记录 / every session")
@click.option(
    "--scenario",
    "scenario_files_",
    multiple=True,
    type=click.Path(dir_okay=False),
    help="用更正后的场景文件重评该场景的记录 / re-score with a corrected scenario file",
)
@click.option("--json", "as_json", is_flag=True, help="JSON 输出 / JSON output")
@db_option
@common
def rescore_cmd(
    lang: str,
    proc: Procedure,
    session: str | None,
    all_sessions: bool,
    scenario_files_: tuple[str, ...],
    as_json: bool,
    db: str | None,
) -> None:
    """按（新版）规程重新评分，保留原结果 / Re-score under a procedure, keeping earlier results."""
    from tqdm import tqdm

    from records.service import rescore

    if (session is None) == (not all_sessions):
        raise click.UsageError(tr("cli.rescore_which"))
    from sim.scenario import load_scenario

    fixed = {}
    for path in scenario_files_:
        loaded = load_scenario(path, proc.ids)
        fixed[loaded.id] = loaded
    with open_records(db) as records:
        who = _instructor(records)
        ids = [records.session(session).id] if session is not None else records.session_ids()
        with tqdm(total=len(ids), disable=len(ids) < 20 or as_json, file=sys.stderr) as bar:
            changes = rescore(records, ids, proc, scenarios=fixed, progress=bar.update, by=who)
    if as_json:
        click.echo(json.dumps([c.to_dict() for c in changes], ensure_ascii=False, indent=2))
        return
    moved = [c for c in changes if c.changed or c.before != c.after]
    click.echo(tr("cli.rescored", n=len(changes), edition=proc.edition, changed=len(moved)))
    for c in moved:
        before = "—" if c.before is None else f"{c.before:g}"
        click.echo(
            tr(
                "cli.rescore_line",
                id=c.session,
                trainee=c.trainee,
                scenario=c.scenario,
                before=before,
                after=f"{c.after:g}",
            )
        )
        for rule, clause, old, new in c.changed:
            old_t = tr(f"verdict.{old}") if old != "—" else "—"
            new_t = tr(f"verdict.{new}") if new != "—" else "—"
            click.echo(f"    {clause} {rule}: {old_t} → {new_t}")


@click.command("history")
@click.argument("trainee")
@click.option("--json", "as_json", is_flag=True, help="JSON 输出 / JSON output")
@db_option
@common
def history_cmd(lang: str, proc: Procedure, trainee: str, as_json: bool, db: str | None) -> None:
    """学员的实训经历与常错条款 / A trainee's sessions and the clauses they break most."""
    from records.roles import exams_visible
    from records.service import history

    with open_records(db) as records:
        who = viewer(records)
        trainee = records.resolve_trainee(trainee)  # a registered name: the staff id
        h = history(records, trainee, exams=exams_visible(who, trainee))
    if as_json:
        click.echo(json.dumps(h.to_dict(), ensure_ascii=False, indent=2))
        return
    if not h.sessions:
        click.echo(tr("cli.history_none", trainee=trainee))
        return
    if any(s.get("hidden") for s in h.sessions):
        click.echo(tr("roles.exams_hidden"), err=True)
    click.echo(tr("cli.history_header", trainee=trainee, n=len(h.sessions)))
    for s in h.sessions:
        verdict = ""
        if s["passed"] is not None:
            verdict = tr("report.passed" if s["passed"] else "report.failed")
        click.echo(
            tr(
                "cli.history_line",
                id=s["session"],
                started=show(s["started_at"]),
                scenario=s["scenario"],
                mode=tr(f"mode.{s['mode']}"),
                status=tr(f"status.{s['status']}"),
                score="—" if s["score"] is None else f"{s['score']:g}",
                verdict=verdict,
            )
        )
    if h.weak_clauses:
        click.echo("")
        click.echo(tr("cli.history_weak"))
        for clause, n in h.weak_clauses:
            text = proc.clause(clause).text(lang) if clause in proc.ids else ""
            click.echo(tr("cli.history_weak_line", clause=clause, n=n, text=text))
    if h.practised:
        click.echo("")
        click.echo(tr("cli.history_practised"))
        for clause, n in h.practised:
            click.echo(tr("cli.history_practised_line", clause=clause, n=n))


@click.command("drill")
@click.argument("drill_id")
@click.option("--trainee", required=True, help="学员姓名或工号 / trainee name or id")
@click.option("--agent", default=None, help="由模拟学员代考（质量检查）/ a scripted trainee")
@click.option("--headless", is_flag=True, help="不开窗口 / no window (needs --agent)")
@click.option("--json", "as_json", is_flag=True, help="JSON 输出 / JSON output")
@db_option
@common
def drill_cmd(
    lang: str,
    proc: Procedure,
    drill_id: str,
    trainee: str,
    agent: str | None,
    headless: bool,
    as_json: bool,
    db: str | None,
) -> None:
    """岗位资格考核（考试模式）/ Take a certification drill, in exam mode throughout."""
    from records.drills import run_drill_headless
    from sim.drill import load_drill

    drill = load_drill(drill_id)
    if not headless:
        from desk.launch import run_drill

        sys.exit(run_drill(drill, trainee, lang, procedure=proc, db=db_path(db)))
    if agent is None:
        raise click.UsageError(tr("cli.drill_needs_agent"))
    from sim.agents import AGENTS  # the engine only for a headless run

    if agent not in AGENTS:
        raise InputError(
            [problem("--agent", tr("cli.unknown_agent", name=agent, names=", ".join(AGENTS)))]
        )
    with open_records(db) as records:
        summary = run_drill_headless(records, drill, proc, trainee, agent, lang)
    if as_json:
        click.echo(json.dumps(summary, ensure_ascii=False, indent=2))
        return
    meta = drill.drill.drill
    click.echo(
        tr("drill.header", title=meta.title.get(lang), id=drill.id, trainee=trainee,
           attempt=summary["number"])
    )  # fmt: skip
    for item in summary["items"]:
        crit = item.get("critical_failures") or []
        click.echo(
            tr(
                "drill.line",
                scenario=item["scenario"],
                variant=item.get("variant") or "—",
                score="—" if item["score"] is None else f"{item['score']:g}",
                pass_mark=item.get("pass_mark", 0),
                verdict=tr("report.passed" if item.get("passed") else "report.failed"),
                critical=tr("drill.critical", clauses="、".join(crit)) if crit else "",
            )
        )
    verdict = tr("report.passed" if summary["passed"] else "report.failed")
    click.echo(tr("drill.overall", average=f"{summary['average']:g}", verdict=verdict))
    if summary["code"]:
        click.echo(tr("drill.certificate", code=summary["code"]))
    elif summary.get("agent"):
        click.echo(tr("drill.scripted", agent=summary["agent"]))
    elif not summary["signed"]:
        click.echo(tr("drill.unsigned"))


@click.command("delete")
@click.argument("session")
@click.option("--yes", is_flag=True, help="不再确认 / do not ask")
@db_option
@common
def delete_cmd(lang: str, proc: Procedure, session: str, yes: bool, db: str | None) -> None:
    """删除一条实训记录（仅限培训管理员）/ Delete a session (instructors only)."""
    with open_records(db) as records:
        who = _instructor(records)
        row = records.session(session)
        if not yes:
            click.confirm(
                tr("roles.confirm_delete", id=row.id, trainee=row.trainee_id,
                   scenario=row.scenario_id, mode=tr(f"mode.{row.mode}")),
                abort=True, err=True,
            )  # fmt: skip
        records.delete_session(row.id, by=who)
    click.echo(tr("roles.deleted", id=row.id, who=who))


@click.group("instructor")
def instructor_group() -> None:
    """培训管理员账号 / Instructor accounts."""


@instructor_group.command("add")
@click.argument("staff_id")
@click.option("--name", default=None, help="姓名 / name")
@db_option
@common
def instructor_add_cmd(
    lang: str, proc: Procedure, staff_id: str, name: str | None, db: str | None
) -> None:
    """添加培训管理员（需要培训中心密钥）/ Add an instructor (needs the centre's key)."""
    from records.roles import add_instructor

    with open_records(db) as records:
        if records.key is None:
            raise DeskTrainerError(tr("roles.needs_key"))
        password = _password("roles.new_password_prompt", confirm=True)
        if password is None:
            raise DeskTrainerError(tr("roles.no_password"))
        add_instructor(records, staff_id, name or staff_id, password)
    click.echo(tr("roles.added", id=staff_id))


@click.command("verify")
@click.argument("session", required=False)
@click.option("--all", "all_sessions", is_flag=True, help="核验全部记录 / every session")
@click.option("--code", default=None, help="核验证书上的核验码 / check a certificate code")
@click.option(
    "--key-file",
    type=click.Path(dir_okay=False),
    default=None,
    help="培训中心签名密钥文件 / the training centre's key file",
)
@click.option("--json", "as_json", is_flag=True, help="JSON 输出 / JSON output")
@db_option
@common
def verify_cmd(
    lang: str,
    proc: Procedure,
    session: str | None,
    all_sessions: bool,
    code: str | None,
    key_file: str | None,
    as_json: bool,
    db: str | None,
) -> None:
    """核验记录未被篡改：哈希链、签名、重新推演 / Check records: chain, signature, re-derivation."""
    from records.drills import find_by_code, verify_attempt
    from records.integrity import load_key
    from records.verify import verify_all, verify_session

    if sum((session is not None, all_sessions, code is not None)) != 1:
        raise click.UsageError(tr("cli.verify_which"))
    key = load_key(key_file)
    if key is None:
        raise DeskTrainerError(tr("integrity.no_key"))
    if code is not None:
        with open_records(db) as records:
            attempt = find_by_code(records, code)
            row = records.attempt(attempt) if attempt is not None else None
            if attempt is None or row is None:
                click.echo(tr("verify.no_code", code=code))
                sys.exit(1)
            found = verify_attempt(records, attempt, key)
        if found:
            click.echo(tr("verify.bad", n=1, bad=1))
            for f in found:
                click.echo("  " + f.detail)
            sys.exit(1)
        from sim.drill import load_drill

        try:
            title = load_drill(row.drill_id).drill.drill.title.get(lang)
        except InputError:
            title = row.drill_id
        verdict = tr("report.passed" if row.passed else "report.failed")
        click.echo(
            tr("verify.code_ok", trainee=row.trainee_id, title=title, attempt=row.attempt,
               average=f"{row.average:g}", verdict=verdict)
        )  # fmt: skip
        return
    with open_records(db) as records:
        if session is not None:
            ids = [records.session(session).id]
            found = verify_session(records, ids[0], key)
            checked = 1
        else:
            found = verify_all(records, key)
            checked = len(records.session_ids()) + len(records.attempt_ids())
        head = records.audit_head() if session is None else None
    bad = len({(f.session, f.attempt) for f in found})
    if as_json:
        click.echo(
            json.dumps(
                {
                    "verified": checked,
                    "problems": [f.to_dict() for f in found],
                    "audit_head": {"entries": head[0], "link": head[1]} if head else None,
                },
                ensure_ascii=False,
                indent=2,
            )
        )
    elif not found:
        click.echo(tr("verify.ok", n=checked))
    else:
        click.echo(tr("verify.bad", n=checked, bad=bad))
        for f in found:
            click.echo("  " + f.detail)
    if head is not None and not as_json:
        click.echo(tr("verify.audit_head", n=head[0], mac=head[1][:16]))
    if found:
        sys.exit(1)


@click.command("export")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["csv", "json", "xapi", "xlsx"]),
    default="csv",
    show_default=True,
    help="导出格式 / format",
)
@click.option("--since", default=None, help="只导出该日期（含）之后的记录，如 2026-11-01 / since")
@click.option(
    "--out",
    "out_file",
    type=click.Path(dir_okay=False),
    default=None,
    help="写入文件（默认输出到屏幕）/ write to a file (default: stdout)",
)
@click.option("--lrs", default=None, help="把 xAPI 语句发送到该学习记录库 / send xAPI to this LRS")
@click.option("--lrs-user", envvar="DESK_TRAINER_LRS_USER", default=None, help="LRS 用户名")
@click.option("--lrs-password", envvar="DESK_TRAINER_LRS_PASSWORD", default=None, help="LRS 密码")
@db_option
@common
def export_cmd(
    lang: str,
    proc: Procedure,
    fmt: str,
    since: str | None,
    out_file: str | None,
    lrs: str | None,
    lrs_user: str | None,
    lrs_password: str | None,
    db: str | None,
) -> None:
    """导出实训记录（CSV、JSON、xAPI 或 Excel）/ Export the records (CSV, JSON, xAPI, Excel)."""
    from records.export import session_dicts, since_iso, to_csv, to_json

    when = since_iso(since)
    if lrs is not None and fmt != "xapi":
        raise click.UsageError(tr("export.lrs_needs_xapi"))
    if fmt == "xlsx" and out_file is None:
        raise click.UsageError(tr("export.xlsx_needs_out"))
    if out_file is not None:
        check_target(out_file, db_path(db))  # never over the records, checked before reading
    with open_records(db) as records:
        # a trainee may export training sessions, never exam results; an instructor who tried
        # to sign in and could not is refused (viewer raises), not quietly given less
        modes = None if viewer(records) is not None else {"training"}
        if fmt == "xapi":
            from records.export import xapi_statements
            from records.xapi import send

            cache: dict[str, Any] = {}
            stmts: list[dict[str, Any]] = []
            for row in records.sessions(since=when):
                if modes is not None and row.mode not in modes:
                    continue
                stmts.extend(xapi_statements(records, row, cache))
            text = json.dumps(stmts, ensure_ascii=False, indent=2) + "\n"
        else:
            sessions = [
                s for s in session_dicts(records, when) if modes is None or s["mode"] in modes
            ]
            if fmt == "xlsx":
                from records.xlsx import to_xlsx

                workbook = to_xlsx(records, sessions, lang)
            else:
                text = to_csv(sessions) if fmt == "csv" else to_json(sessions)
    if lrs is not None:
        result = send(stmts, lrs, username=lrs_user or "", password=lrs_password or "")
        click.echo(str(result))
        if modes is not None:
            click.echo(tr("roles.export_training_only"), err=True)
        if result.failed:
            sys.exit(1)
        return
    if fmt == "xlsx":
        assert out_file is not None
        write_file(out_file, workbook, db=db_path(db))
        click.echo(tr("export.written", file=out_file))
    elif out_file is None:
        click.echo(text, nl=False)
    else:
        # a BOM lets Excel on a Chinese Windows desktop open the CSV as UTF-8
        write_file(
            out_file, text, db=db_path(db), encoding="utf-8-sig" if fmt == "csv" else "utf-8"
        )
        click.echo(tr("export.written", file=out_file))
    if modes is not None:
        click.echo(tr("roles.export_training_only"), err=True)


@click.command("console")
@db_option
@common
def console_cmd(lang: str, proc: Procedure, db: str | None = None) -> None:
    """教员台：查看同一记录库里正在实训的各个柜台，并向一个柜台或全室插入突发情况（仅限教员）
    / The instructor's station: every desk recording into the same records, live, and incidents
    injected into one desk or the whole room (instructors only)."""
    from desk.launch import has_display, no_display_message, run_console

    if not has_display():
        click.echo(no_display_message(lang), err=True)
        sys.exit(1)
    records = open_records(db)
    try:
        who = _instructor(records)
        status = run_console(lang, proc, records, who)
    finally:
        records.close()
    sys.exit(status)


def register(main: click.Group) -> None:
    """Add the records commands to the program's command group."""
    for command in (
        sessions_cmd, replay_cmd, rescore_cmd, history_cmd, drill_cmd, delete_cmd,
        instructor_group, verify_cmd, export_cmd, resume_cmd, console_cmd,
    ):  # fmt: skip
        main.add_command(command)
    # practice from a moment (trainer/branch_cli.py)
    from trainer.branch_cli import branch_cmd

    main.add_command(branch_cmd)
    # the register (trainer/office_cli.py)
    from trainer.office_cli import register as register_office

    register_office(main)

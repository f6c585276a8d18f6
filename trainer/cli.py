"""The command line: a thin layer that wires the engine, the scorer and the files together.

Bad input exits with status 2 and one line per problem, naming file and line. A command that
produced a report exits 0 whether the trainee passed or not.
"""

from __future__ import annotations

import functools
import json
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from scoring.coverage import coverage, load_scope, render_matrix
from scoring.narrate import Narrator, render_json, render_text
from scoring.procedure import DEFAULT_PROCEDURE, Procedure, load_procedure
from scoring.result import Report
from scoring.session import play_agent, score_actions
from sim.agents import AGENTS
from sim.errors import DeskTrainerError, InputError, Problem
from sim.i18n import LANGUAGES, clock, set_language
from sim.library import find_scenario, resolve, scenario_files
from sim.scenario import SCENARIO_DIR, Scenario, load_scenario
from sim.trace import read_trace_file, write_trace_file
from sim.validation import did_you_mean
from sim.vocabulary import vocabulary
from trainer.exits import bad_input_exits
from trainer.words import tr

__all__ = ["main"]


def _common(fn: Callable[..., Any]) -> Callable[..., Any]:
    """--lang and --procedure on every command; input errors become exit status 2."""

    @click.option(
        "--lang",
        type=click.Choice(LANGUAGES),
        default=None,
        help="zh（默认）或 en / zh (default) or en",
    )
    @click.option(
        "--procedure",
        "procedure_file",
        type=click.Path(dir_okay=False),
        default=None,
        help="规程版本文件 / procedure edition file",
    )
    @click.pass_context
    @functools.wraps(fn)
    def wrapper(ctx: click.Context, lang: str | None, procedure_file: str | None, **kw: Any) -> Any:
        obj = ctx.ensure_object(dict)
        lang = lang or obj.get("lang") or "zh"
        set_language(lang)
        procedure_file = procedure_file or obj.get("procedure")
        with bad_input_exits():
            proc = load_procedure(procedure_file or DEFAULT_PROCEDURE)
            return fn(lang=lang, proc=proc, **kw)

    return wrapper


@click.group(invoke_without_command=True, context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--lang", type=click.Choice(LANGUAGES), default="zh", help="zh（默认）或 en")
@click.option(
    "--procedure",
    type=click.Path(dir_okay=False),
    default=None,
    help="规程版本文件 / procedure edition file",
)
@click.option(
    "--db",
    type=click.Path(dir_okay=False),
    default=None,
    help="记录数据库文件 / records database file",
)
@click.option(
    "--as",
    "as_staff",
    default=None,
    help="以培训管理员身份（工号）操作；密码取自 DESK_TRAINER_PASSWORD 或提示输入 / "
    "act as this instructor",
)
@click.pass_context
def main(
    ctx: click.Context, lang: str, procedure: str | None, db: str | None, as_staff: str | None
) -> None:
    """用电客户受理员柜台实训系统 / Desk trainer for electricity customer service clerks."""
    ctx.ensure_object(dict).update(lang=lang, procedure=procedure, db=db, as_staff=as_staff)
    set_language(lang)
    if ctx.invoked_subcommand is None:
        ctx.invoke(play_cmd, scenario=None)


@main.command("list")
@_common
def list_cmd(lang: str, proc: Procedure) -> None:
    """列出全部场景 / List the scenarios."""
    problems = []
    for path in scenario_files():
        try:
            s = load_scenario(path, proc.ids).scenario
        except InputError as err:
            problems.extend(err.problems)
            continue
        meta = s.scenario
        click.echo(
            tr(
                "cli.list_line",
                id=s.id,
                title=meta.title.get(lang),
                kind=tr(f"kind.{meta.kind}"),
                difficulty="★" * meta.difficulty,
                minutes=f"{meta.time_limit / 60:g}",
            )
        )
    if problems:
        raise InputError(problems)


@main.command("actions")
@click.option("--json", "as_json", is_flag=True, help="JSON 输出 / JSON output")
@_common
def actions_cmd(lang: str, proc: Procedure, as_json: bool) -> None:
    """动作词表及其对应条款 / The action vocabulary and the clauses each evidences."""
    vocab = vocabulary()
    rows = []
    for aid, spec in vocab.actions.items():
        rows.append(
            {
                "id": aid,
                "zh": spec.zh,
                "en": spec.en,
                "args": list(spec.args),
                "requires": list(spec.requires),
                "evidences": [
                    {"clause": c, "clause_text": proc.clause(c).zh}
                    for c in spec.evidences
                    if c in proc.ids
                ],
            }
        )
    if as_json:
        click.echo(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    for row in rows:
        label = row["en"] if lang == "en" else row["zh"]
        clauses = "、".join(e["clause"] for e in row["evidences"]) or "—"
        args = f" ({', '.join(row['args'])})" if row["args"] else ""
        click.echo(tr("cli.action_line", id=row["id"] + args, label=label, clauses=clauses))


@main.command("agents")
@_common
def agents_cmd(lang: str, proc: Procedure) -> None:
    """列出模拟学员及其缺陷 / List the scripted trainees and their flaws."""
    for name in AGENTS:
        click.echo(tr("cli.agent_line", name=name, flaw=tr(f"agents.{name}")))


def _db_option(fn: Callable[..., Any]) -> Callable[..., Any]:
    return click.option(
        "--db",
        type=click.Path(dir_okay=False),
        default=None,
        help="记录数据库文件（默认在用户数据目录）/ records database (default: user data dir)",
    )(fn)


def _records(db: str | None) -> Any:
    """Open the records database (``--db``, or the group's ``--db``, or the default)."""
    from records.db import Records

    ctx = click.get_current_context(silent=True)
    chosen = db or (ctx.find_root().obj or {}).get("db") if ctx else db
    return Records(chosen)


def _password(prompt_key: str = "roles.password_prompt", confirm: bool = False) -> str | None:
    password = os.environ.get("DESK_TRAINER_PASSWORD")
    if password is None and sys.stdin.isatty():
        password = click.prompt(
            tr(prompt_key), hide_input=True, confirmation_prompt=confirm, err=True
        )
    return password


def _instructor(records: Any) -> str:
    """The signed-in instructor (``--as``), or a RoleError naming what the command needs."""
    from records.roles import authenticate

    ctx = click.get_current_context()
    staff = (ctx.find_root().obj or {}).get("as_staff")
    return authenticate(records, staff, _password() if staff else None)


def _seed_option(fn: Callable[..., Any]) -> Callable[..., Any]:
    return click.option("--seed", type=int, default=0, show_default=True, help="随机种子 / seed")(
        fn
    )


@main.command("run")
@click.argument("scenario")
@click.option("--agent", required=True, help="模拟学员 / scripted trainee (see `agents`)")
@_seed_option
@click.option("--json", "as_json", is_flag=True, help="JSON 报告 / JSON report")
@click.option(
    "--trace-out",
    type=click.Path(dir_okay=False),
    default=None,
    help="把动作写成轨迹文件 / write the actions taken as a trace file",
)
@click.option(
    "--trainee",
    default=None,
    help="记入该学员的实训记录 / record the run under this trainee id",
)
@_db_option
@_common
def run_cmd(
    lang: str,
    proc: Procedure,
    scenario: str,
    agent: str,
    seed: int,
    as_json: bool,
    trace_out: str | None,
    trainee: str | None,
    db: str | None,
) -> None:
    """由模拟学员无界面运行场景 / Run a scenario headless with a scripted trainee."""
    if agent not in AGENTS:
        raise InputError(
            [
                _problem(
                    "--agent",
                    tr("cli.unknown_agent", name=agent, names=", ".join(AGENTS))
                    + did_you_mean(agent, AGENTS),
                )
            ]
        )
    loaded = find_scenario(scenario, proc.ids)
    if trainee is not None:
        from records.service import record_agent_run

        with _records(db) as records:
            sid, engine, report = record_agent_run(
                records, loaded, proc, seed, agent, trainee, lang=lang
            )
        if trace_out:
            write_trace_file(trace_out, engine.actions)
        _emit(report, loaded.scenario, proc, lang, as_json)
        if not as_json:
            click.echo(tr("cli.recorded", session=sid, file=str(records.path)))
        return
    session = play_agent(loaded, proc, seed, agent)
    if trace_out:
        write_trace_file(trace_out, session.actions)
    _emit(session.report, loaded.scenario, proc, lang, as_json)


@main.command("score")
@click.argument("scenario")
@click.option(
    "--trace",
    "trace_file",
    required=True,
    type=click.Path(dir_okay=False),
    help="轨迹文件（JSON Lines）/ trace file (JSON Lines)",
)
@_seed_option
@click.option("--json", "as_json", is_flag=True, help="JSON 报告 / JSON report")
@_common
def score_cmd(
    lang: str, proc: Procedure, scenario: str, trace_file: str, seed: int, as_json: bool
) -> None:
    """按轨迹文件评分 / Score a trace file."""
    loaded = find_scenario(scenario, proc.ids)
    actions = read_trace_file(trace_file)
    session = score_actions(loaded, proc, seed, actions)
    _emit(session.report, loaded.scenario, proc, lang, as_json)


@main.command("play")
@click.argument("scenario", required=False)
@click.option("--trainee", default=None, help="学员姓名或工号 / trainee name or id")
@click.option(
    "--mode",
    type=click.Choice(["training", "exam"]),
    default="training",
    show_default=True,
    help="培训或考试 / training or exam",
)
@click.option("--seed", type=int, default=None, help="随机种子 / seed")
@_db_option
@_common
def play_cmd(
    lang: str,
    proc: Procedure,
    scenario: str | None,
    trainee: str | None = None,
    mode: str = "training",
    seed: int | None = None,
    db: str | None = None,
) -> None:
    """打开柜台界面（可直接进入某个场景），每次实训逐步记录 / Open the desk (every session
    is recorded as it happens), or go straight to a scenario."""
    from desk.launch import run_app  # pygame is imported only when a window is wanted

    if scenario is not None:
        find_scenario(scenario, proc.ids)  # an unknown id gets the usual located message
    sys.exit(
        run_app(
            lang,
            trainee=trainee,
            scenario=scenario,
            mode=mode,
            seed=seed,
            procedure=proc,
            db=_db_path(db),
        )  # fmt: skip
    )


@main.command("resume")
@click.argument("session")
@_db_option
@_common
def resume_cmd(lang: str, proc: Procedure, session: str, db: str | None) -> None:
    """接着做一条中途中断的实训记录 / Carry on a session that was left unfinished."""
    from desk.launch import run_app
    from records.service import resumable

    with _records(db) as records:  # an unknown or finished session: one line, before a window
        resumable(records, session)
    sys.exit(run_app(lang, procedure=proc, db=_db_path(db), resume=session))


@main.command("screenshot")
@click.option(
    "--out",
    "out_dir",
    required=True,
    type=click.Path(file_okay=False),
    help="截图保存目录 / directory for the PNGs",
)
@_common
def screenshot_cmd(lang: str, proc: Procedure, out_dir: str) -> None:
    """无界面渲染各个画面并存为 PNG / Render each screen headless to PNG."""
    from desk.screenshots import screenshots

    for path in screenshots(out_dir, lang):
        click.echo(str(path))


@main.command("validate")
@click.argument("paths", nargs=-1)
@_common
def validate_cmd(lang: str, proc: Procedure, paths: tuple[str, ...]) -> None:
    """校验场景文件，一次列出全部问题 / Check scenario files, reporting every problem."""
    files: list[Path] = []
    problems = []
    for name in paths or (str(SCENARIO_DIR),):
        p = Path(name)
        if p.is_dir():
            files.extend(scenario_files(p))
        else:
            try:
                files.append(resolve(name))
            except InputError as err:
                problems.extend(err.problems)
    for f in files:
        try:
            load_scenario(f, proc.ids)
        except InputError as err:
            problems.extend(err.problems)
    if problems:
        raise InputError(problems)
    click.echo(tr("cli.valid", n=len(files)))


@main.command("coverage")
@click.option("--json", "as_json", is_flag=True, help="JSON 输出 / JSON output")
@_common
def coverage_cmd(lang: str, proc: Procedure, as_json: bool) -> None:
    """条款 × 场景覆盖矩阵 / Which scenarios score each clause; exits 1 on a gap."""
    loaded, problems = [], []
    for path in scenario_files():
        try:
            loaded.append(load_scenario(path, proc.ids))
        except InputError as err:
            problems.extend(err.problems)
    if problems:
        raise InputError(problems)
    cov = coverage(proc, loaded, load_scope(procedure=proc), lang)
    if as_json:
        click.echo(json.dumps(cov.to_dict(), ensure_ascii=False, indent=2))
    else:
        click.echo(render_matrix(cov, lang), nl=False)
    if cov.uncovered:
        sys.exit(1)


@main.command("sessions")
@click.option("--trainee", default=None, help="只看该学员 / only this trainee")
@click.option("--json", "as_json", is_flag=True, help="JSON 输出 / JSON output")
@_db_option
@_common
def sessions_cmd(
    lang: str, proc: Procedure, trainee: str | None, as_json: bool, db: str | None
) -> None:
    """列出实训记录 / List the recorded sessions."""
    with _records(db) as records:
        rows = records.sessions(trainee=trainee)
        results = {r.id: records.current_result(r.id) for r in rows}
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
                }
            )
        click.echo(json.dumps(out, ensure_ascii=False, indent=2))
        return
    for r in rows:
        res = results[r.id]
        click.echo(
            tr(
                "cli.session_line",
                id=r.id,
                started=r.started_at[:16].replace("T", " "),
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


@main.command("replay")
@click.argument("session")
@click.option("--headless", is_flag=True, help="不开窗口，重新推演并核对 / re-derive and compare")
@click.option("--json", "as_json", is_flag=True, help="JSON 输出 / JSON output")
@_db_option
@_common
def replay_cmd(
    lang: str, proc: Procedure, session: str, headless: bool, as_json: bool, db: str | None
) -> None:
    """按记录精确重放 / Replay a recorded session exactly."""
    from records.service import replay_session

    if not headless:
        from desk.launch import run_replay

        with _records(db) as records:
            check = replay_session(records, session)
        sys.exit(run_replay(check, lang))
    with _records(db) as records:
        check = replay_session(records, session)
    if as_json:
        click.echo(json.dumps(check.to_dict(), ensure_ascii=False, sort_keys=True))
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


@main.command("rescore")
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
@_db_option
@_common
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
    fixed = {}
    for path in scenario_files_:
        loaded = load_scenario(path, proc.ids)
        fixed[loaded.id] = loaded
    with _records(db) as records:
        _instructor(records)
        ids = records.session_ids() if all_sessions else [records.session(session).id]
        with tqdm(total=len(ids), disable=len(ids) < 20 or as_json, file=sys.stderr) as bar:
            changes = rescore(records, ids, proc, scenarios=fixed, progress=bar.update)
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


@main.command("history")
@click.argument("trainee")
@click.option("--json", "as_json", is_flag=True, help="JSON 输出 / JSON output")
@_db_option
@_common
def history_cmd(lang: str, proc: Procedure, trainee: str, as_json: bool, db: str | None) -> None:
    """学员的实训经历与常错条款 / A trainee's sessions and the clauses they break most."""
    from records.service import history

    with _records(db) as records:
        h = history(records, trainee)
    if as_json:
        click.echo(json.dumps(h.to_dict(), ensure_ascii=False, indent=2))
        return
    if not h.sessions:
        click.echo(tr("cli.history_none", trainee=trainee))
        return
    click.echo(tr("cli.history_header", trainee=trainee, n=len(h.sessions)))
    for s in h.sessions:
        verdict = ""
        if s["passed"] is not None:
            verdict = tr("report.passed" if s["passed"] else "report.failed")
        click.echo(
            tr(
                "cli.history_line",
                id=s["session"],
                started=s["started_at"][:16].replace("T", " "),
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


@main.command("drill")
@click.argument("drill_id")
@click.option("--trainee", required=True, help="学员姓名或工号 / trainee name or id")
@click.option("--agent", default=None, help="由模拟学员代考（质量检查）/ a scripted trainee")
@click.option("--headless", is_flag=True, help="不开窗口 / no window (needs --agent)")
@click.option("--json", "as_json", is_flag=True, help="JSON 输出 / JSON output")
@_db_option
@_common
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

        sys.exit(run_drill(drill, trainee, lang, procedure=proc, db=_db_path(db)))
    if agent is None:
        raise click.UsageError(tr("cli.drill_needs_agent"))
    if agent not in AGENTS:
        raise InputError(
            [_problem("--agent", tr("cli.unknown_agent", name=agent, names=", ".join(AGENTS)))]
        )
    with _records(db) as records:
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
    elif not summary["signed"]:
        click.echo(tr("drill.unsigned"))


def _db_path(db: str | None) -> str | None:
    ctx = click.get_current_context(silent=True)
    return db or ((ctx.find_root().obj or {}).get("db") if ctx else None)


@main.command("delete")
@click.argument("session")
@click.option("--yes", is_flag=True, help="不再确认 / do not ask")
@_db_option
@_common
def delete_cmd(lang: str, proc: Procedure, session: str, yes: bool, db: str | None) -> None:
    """删除一条实训记录（仅限培训管理员）/ Delete a session (instructors only)."""
    with _records(db) as records:
        who = _instructor(records)
        row = records.session(session)
        if not yes:
            click.confirm(
                tr("roles.confirm_delete", id=row.id, trainee=row.trainee_id,
                   scenario=row.scenario_id, mode=tr(f"mode.{row.mode}")),
                abort=True, err=True,
            )  # fmt: skip
        records.delete_session(row.id)
    click.echo(tr("roles.deleted", id=row.id, who=who))


@main.group("instructor")
def instructor_group() -> None:
    """培训管理员账号 / Instructor accounts."""


@instructor_group.command("add")
@click.argument("staff_id")
@click.option("--name", default=None, help="姓名 / name")
@_db_option
@_common
def instructor_add_cmd(
    lang: str, proc: Procedure, staff_id: str, name: str | None, db: str | None
) -> None:
    """添加培训管理员（需要培训中心密钥）/ Add an instructor (needs the centre's key)."""
    from records.roles import add_instructor

    with _records(db) as records:
        if records.key is None:
            raise DeskTrainerError(tr("roles.needs_key"))
        password = _password("roles.new_password_prompt", confirm=True)
        if password is None:
            raise DeskTrainerError(tr("roles.no_password"))
        add_instructor(records, staff_id, name or staff_id, password)
    click.echo(tr("roles.added", id=staff_id))


@main.command("verify")
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
@_db_option
@_common
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
    from records.verify import verify_session

    if sum((session is not None, all_sessions, code is not None)) != 1:
        raise click.UsageError(tr("cli.verify_which"))
    key = load_key(key_file)
    if key is None:
        raise DeskTrainerError(tr("integrity.no_key"))
    if code is not None:
        with _records(db) as records:
            attempt = find_by_code(records, code)
            if attempt is None:
                click.echo(tr("verify.no_code", code=code))
                sys.exit(1)
            found = verify_attempt(records, attempt, key)
            row = records.conn.execute(
                "SELECT trainee_id, drill_id, attempt, average, passed FROM drill_attempts"
                " WHERE id = ?",
                (attempt,),
            ).fetchone()
        if found:
            click.echo(tr("verify.bad", n=1, bad=1))
            for f in found:
                click.echo("  " + f.detail)
            sys.exit(1)
        from sim.drill import load_drill

        try:
            title = load_drill(row[1]).drill.drill.title.get(lang)
        except InputError:
            title = row[1]
        verdict = tr("report.passed" if row[4] else "report.failed")
        click.echo(
            tr("verify.code_ok", trainee=row[0], title=title, attempt=row[2],
               average=f"{row[3]:g}", verdict=verdict)
        )  # fmt: skip
        return
    with _records(db) as records:
        ids = records.session_ids() if all_sessions else [records.session(session).id]
        found = [f for sid in ids for f in verify_session(records, sid, key)]
    if as_json:
        click.echo(
            json.dumps(
                {"verified": len(ids), "problems": [f.to_dict() for f in found]},
                ensure_ascii=False,
                indent=2,
            )
        )
    elif not found:
        click.echo(tr("verify.ok", n=len(ids)))
    else:
        click.echo(tr("verify.bad", n=len(ids), bad=len({f.session for f in found})))
        for f in found:
            click.echo("  " + f.detail)
    if found:
        sys.exit(1)


@main.command("export")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["csv", "json", "xapi"]),
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
@_db_option
@_common
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
    """导出实训记录（CSV、JSON 或 xAPI）/ Export the records (CSV, JSON or xAPI)."""
    from records.export import session_dicts, since_iso, to_csv, to_json

    when = since_iso(since)
    if lrs is not None and fmt != "xapi":
        raise click.UsageError(tr("export.lrs_needs_xapi"))
    with _records(db) as records:
        try:
            _instructor(records)
            modes = None
        except DeskTrainerError:
            # a trainee may export training sessions, never exam results
            modes = {"training"}
            click.echo(tr("roles.export_training_only"), err=True)
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
            text = to_csv(sessions) if fmt == "csv" else to_json(sessions)
    if lrs is not None:
        result = send(stmts, lrs, username=lrs_user or "", password=lrs_password or "")
        click.echo(str(result))
        if result.failed:
            sys.exit(1)
        return
    if out_file is None:
        click.echo(text, nl=False)
    else:
        # a BOM lets Excel on a Chinese Windows desktop open the CSV as UTF-8
        Path(out_file).write_text(text, encoding="utf-8-sig" if fmt == "csv" else "utf-8")
        click.echo(tr("export.written", file=out_file))


def _problem(where: str, message: str) -> Problem:
    return Problem(where, None, message)


def _emit(report: Report, scenario: Scenario, proc: Procedure, lang: str, as_json: bool) -> None:
    words = Narrator(scenario, report.variant, lang, proc)
    if as_json:
        click.echo(render_json(report, words), nl=False)
    else:
        click.echo(render_text(report, words), nl=False)


# report session|trainee|drill|png and certificate (trainer/reports_cli.py)
from trainer.reports_cli import register as _register_reports  # noqa: E402

_register_reports(main)

from trainer.authoring_cli import register as _register_authoring  # noqa: E402

_register_authoring(main)

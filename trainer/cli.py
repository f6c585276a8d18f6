"""The command line: a thin layer that wires the engine, the scorer and the files together.

Bad input exits with status 2 and one line per problem, naming file and line. A command that
produced a report exits 0 whether the trainee passed or not.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from sim.errors import InputError
from sim.i18n import LANGUAGES, set_language
from sim.listing import SCENARIO_DIR, scenario_files
from trainer.options import common, db_option, db_path, light, open_records, problem
from trainer.outputs import check_target, write_file
from trainer.words import tr

# The models (pydantic), the engine, the scripted trainees, the scorer's words and the coverage
# matrix are imported by the commands that use them: `list` starts without any of them when it
# has kept what it shows.
if TYPE_CHECKING:
    from scoring.procedure import Procedure
    from scoring.result import Report
    from sim.scenario import Scenario
    from sim.trace import TraceEntry

__all__ = ["main"]


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
@light
def list_cmd(lang: str, procedure_file: Path) -> None:
    """列出全部场景 / List the scenarios."""
    from sim.listing import keep_listing, kept_listing, listing_key

    files = scenario_files()
    key = listing_key(files, procedure_file)
    rows = kept_listing(key)
    if rows is None:  # loaded and checked now (and kept when all of them are fine)
        from scoring.procedure import load_procedure
        from sim.scenario import load_scenario

        proc = load_procedure(procedure_file)
        rows, problems = [], []
        for path in files:
            try:
                s = load_scenario(path, proc.ids).scenario
            except InputError as err:
                problems.extend(err.problems)
                continue
            meta = s.scenario
            row = {"id": s.id, "zh": meta.title.zh, "en": meta.title.en, "kind": meta.kind,
                   "difficulty": meta.difficulty, "time_limit": meta.time_limit}  # fmt: skip
            rows.append(row)
            _list_line(row, lang)
        if problems:
            raise InputError(problems)
        keep_listing(key, rows)
        return
    for row in rows:
        _list_line(row, lang)


def _list_line(row: dict[str, Any], lang: str) -> None:
    """One scenario in ``list`` (the title as Text.get has it: English when there is one)."""
    title = row["en"] if lang == "en" and row["en"] else row["zh"]
    click.echo(
        tr(
            "cli.list_line",
            id=row["id"],
            title=title,
            kind=tr(f"kind.{row['kind']}"),
            difficulty="★" * row["difficulty"],
            minutes=f"{row['time_limit'] / 60:g}",
        )
    )


@main.command("actions")
@click.option("--json", "as_json", is_flag=True, help="JSON 输出 / JSON output")
@common
def actions_cmd(lang: str, proc: Procedure, as_json: bool) -> None:
    """动作词表及其对应条款 / The action vocabulary and the clauses each evidences."""
    from sim.vocabulary import vocabulary

    vocab = vocabulary()
    rows: list[dict[str, Any]] = []
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
@common
def agents_cmd(lang: str, proc: Procedure) -> None:
    """列出模拟学员及其缺陷 / List the scripted trainees and their flaws."""
    from sim.agents import AGENTS

    for name in AGENTS:
        click.echo(tr("cli.agent_line", name=name, flaw=tr(f"agents.{name}")))


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
@db_option
@common
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
    from scoring.session import play_agent
    from sim.agents import AGENTS
    from sim.library import find_scenario
    from sim.trace import dump_actions
    from sim.validation import did_you_mean

    if agent not in AGENTS:
        raise InputError(
            [
                problem(
                    "--agent",
                    tr("cli.unknown_agent", name=agent, names=", ".join(AGENTS))
                    + did_you_mean(agent, AGENTS),
                )
            ]
        )
    loaded = find_scenario(scenario, proc.ids)
    if trace_out:
        check_target(trace_out, db_path(db))  # before anything is played or recorded
    if trainee is not None:
        from records.service import record_agent_run

        with open_records(db) as records:
            sid, engine, report = record_agent_run(
                records, loaded, proc, seed, agent, trainee, lang=lang
            )
        if trace_out:
            write_file(trace_out, dump_actions(engine.actions), db=db_path(db))
        _emit(report, loaded.scenario, proc, lang, as_json, engine.trace)
        if not as_json:
            click.echo(tr("cli.recorded", session=sid, file=records.where))
        return
    session = play_agent(loaded, proc, seed, agent)
    if trace_out:
        write_file(trace_out, dump_actions(session.actions), db=db_path(db))
    _emit(session.report, loaded.scenario, proc, lang, as_json, session.engine.trace)


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
@common
def score_cmd(
    lang: str, proc: Procedure, scenario: str, trace_file: str, seed: int, as_json: bool
) -> None:
    """按轨迹文件评分 / Score a trace file."""
    from scoring.session import score_actions
    from sim.library import find_scenario
    from sim.trace import read_trace_file

    loaded = find_scenario(scenario, proc.ids)
    actions = read_trace_file(trace_file)
    session = score_actions(loaded, proc, seed, actions)
    _emit(session.report, loaded.scenario, proc, lang, as_json, session.engine.trace)


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
@db_option
@common
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
    from sim.library import find_scenario

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
            db=db_path(db),
        )  # fmt: skip
    )


@main.command("screenshot")
@click.option(
    "--out",
    "out_dir",
    required=True,
    type=click.Path(file_okay=False),
    help="截图保存目录 / directory for the PNGs",
)
@common
def screenshot_cmd(lang: str, proc: Procedure, out_dir: str) -> None:
    """无界面渲染各个画面并存为 PNG / Render each screen headless to PNG."""
    from desk.screenshots import screenshots

    for path in screenshots(out_dir, lang):
        click.echo(str(path))


@main.command("validate")
@click.argument("paths", nargs=-1)
@common
def validate_cmd(lang: str, proc: Procedure, paths: tuple[str, ...]) -> None:
    """校验场景文件，一次列出全部问题 / Check scenario files, reporting every problem."""
    from sim.library import resolve
    from sim.scenario import load_scenario

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
@common
def coverage_cmd(lang: str, proc: Procedure, as_json: bool) -> None:
    """条款 × 场景覆盖矩阵 / Which scenarios score each clause; exits 1 on a gap."""
    from scoring.coverage import coverage, load_scope, render_matrix
    from sim.scenario import load_scenario

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


def _emit(
    report: Report,
    scenario: Scenario,
    proc: Procedure,
    lang: str,
    as_json: bool,
    trace: Sequence[TraceEntry] | None = None,
) -> None:
    from scoring.narrate import Narrator, render_json, render_text

    words = Narrator(scenario, report.variant, lang, proc, trace=trace)
    if as_json:
        click.echo(render_json(report, words), nl=False)
    else:
        click.echo(render_text(report, words), nl=False)


# sessions, replay, rescore, history, drill, delete, instructor, verify, export and resume
# (trainer/records_cli.py)
from trainer.records_cli import register as _register_records  # noqa: E402

_register_records(main)

# report session|trainee|drill|png and certificate (trainer/reports_cli.py)
from trainer.reports_cli import register as _register_reports  # noqa: E402

_register_reports(main)

from trainer.authoring_cli import register as _register_authoring  # noqa: E402

_register_authoring(main)

"""The command line: a thin layer that wires the engine, the scorer and the files together.

Bad input exits with status 2 and one line per problem, naming file and line. A command that
produced a report exits 0 whether the trainee passed or not.
"""

from __future__ import annotations

import functools
import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from scoring.coverage import coverage, load_scope, render_matrix
from scoring.procedure import DEFAULT_PROCEDURE, Procedure, load_procedure
from scoring.report import render_json, render_text
from sim.agents import AGENTS
from sim.errors import DeskTrainerError, InputError, Problem
from sim.i18n import LANGUAGES, set_language, tr
from sim.library import find_scenario, resolve, scenario_files
from sim.scenario import SCENARIO_DIR, load_scenario
from sim.trace import read_trace_file, write_trace_file
from sim.validation import did_you_mean
from sim.vocabulary import vocabulary
from trainer.sessions import play_agent, score_actions

__all__ = ["main"]


def _fail(err: InputError) -> None:
    for p in err.problems:
        click.echo(str(p), err=True)
    sys.exit(2)


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
        try:
            proc = load_procedure(procedure_file or DEFAULT_PROCEDURE)
            return fn(lang=lang, proc=proc, **kw)
        except InputError as err:
            _fail(err)
        except DeskTrainerError as err:
            click.echo(str(err), err=True)
            sys.exit(2)

    return wrapper


@click.group(invoke_without_command=True, context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--lang", type=click.Choice(LANGUAGES), default="zh", help="zh（默认）或 en")
@click.option(
    "--procedure",
    type=click.Path(dir_okay=False),
    default=None,
    help="规程版本文件 / procedure edition file",
)
@click.pass_context
def main(ctx: click.Context, lang: str, procedure: str | None) -> None:
    """用电客户受理员柜台实训系统 / Desk trainer for electricity customer service clerks."""
    ctx.ensure_object(dict).update(lang=lang, procedure=procedure)
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
@_common
def run_cmd(
    lang: str,
    proc: Procedure,
    scenario: str,
    agent: str,
    seed: int,
    as_json: bool,
    trace_out: str | None,
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
    session = play_agent(loaded, proc, seed, agent, lang)
    if trace_out:
        write_trace_file(trace_out, session.actions)
    _emit(session.report, loaded.scenario, proc, as_json)


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
    session = score_actions(loaded, proc, seed, actions, lang)
    _emit(session.report, loaded.scenario, proc, as_json)


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
@_common
def play_cmd(
    lang: str,
    proc: Procedure,
    scenario: str | None,
    trainee: str | None = None,
    mode: str = "training",
    seed: int | None = None,
) -> None:
    """打开柜台界面（可直接进入某个场景）/ Open the desk, or go straight to a scenario."""
    from desk.app import run_app  # pygame is imported only when a window is wanted

    if scenario is not None:
        find_scenario(scenario, proc.ids)  # an unknown id gets the usual located message
    sys.exit(
        run_app(lang, trainee=trainee, scenario=scenario, mode=mode, seed=seed, procedure=proc)
    )


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
    from desk.app import screenshots

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


def _problem(where: str, message: str) -> Problem:
    return Problem(where, None, message)


def _emit(report: Any, scenario: Any, proc: Procedure, as_json: bool) -> None:
    if as_json:
        click.echo(render_json(report), nl=False)
    else:
        click.echo(render_text(report, scenario, proc), nl=False)

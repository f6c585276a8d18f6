"""``new``, ``lint`` and ``schema``: writing scenarios. Registered on the main group by
``register`` (the last lines of ``trainer/cli.py``); the work is done in ``authoring/``.

``lint`` exits 1 when it finds an error, 0 when it finds warnings only or nothing; bad input (a
path that does not exist, an unreadable procedure file) exits 2 with one line per problem, like
every other command.
"""

from __future__ import annotations

import functools
import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from sim.i18n import LANGUAGES, set_language
from trainer.exits import bad_input_exits
from trainer.words import tr

__all__ = ["register", "new_cmd", "lint_cmd", "schema_cmd"]


def _options(fn: Callable[..., Any]) -> Callable[..., Any]:
    """--lang on each command (the global one applies when not given here); bad input exits 2."""

    @click.option("--lang", type=click.Choice(LANGUAGES), default=None, help="zh（默认）或 en")
    @click.pass_context
    @functools.wraps(fn)
    def wrapper(ctx: click.Context, /, lang: str | None, **kw: Any) -> Any:
        root = ctx.find_root().obj or {}
        lang = lang or root.get("lang") or "zh"
        set_language(lang)
        with bad_input_exits():
            return fn(lang=lang, edition_file=root.get("procedure"), **kw)

    return wrapper


def _edition(path: str | None) -> Any:
    from authoring.lint import Edition
    from scoring.procedure import DEFAULT_PROCEDURE, load_procedure

    file = path or str(DEFAULT_PROCEDURE)
    return Edition(load_procedure(file), file)


@click.command("new")
@click.argument("scenario_id")
@click.option(
    "--out",
    "out_dir",
    type=click.Path(file_okay=False),
    default=None,
    help="写到该目录（默认 scenarios/）/ folder to write to (default: scenarios/)",
)
@_options
def new_cmd(lang: str, edition_file: str | None, scenario_id: str, out_dir: str | None) -> None:
    """生成一个带注释、可直接运行的新场景 / Write a commented scenario that already runs."""
    from authoring.scaffold import write_scaffold

    target = write_scaffold(scenario_id, Path(out_dir) if out_dir else None)
    click.echo(tr("authoring.new.written", file=str(target)))


@click.command("lint")
@click.argument("paths", nargs=-1)
@click.option(
    "--procedure",
    "new_edition",
    type=click.Path(dir_okay=False),
    default=None,
    help="与这一新版规程比对所引条款 / compare the clauses cited with this new edition",
)
@click.option("--json", "as_json", is_flag=True, help="JSON 输出 / JSON output")
@_options
def lint_cmd(
    lang: str,
    edition_file: str | None,
    paths: tuple[str, ...],
    new_edition: str | None,
    as_json: bool,
) -> None:
    """检查场景和考核文件：校验之外，还试演每个场景 / Check scenario and drill files, beyond
    validate: each scenario is played by scripted trainees. Exits 1 on an error."""
    from authoring.lint import lint

    edition = _edition(edition_file)
    new = _edition(new_edition) if new_edition else None
    result = lint(list(paths), edition, new=new, lang=lang)
    if as_json:
        click.echo(json.dumps(result.to_dict(), ensure_ascii=False, indent=2))
    else:
        for finding in result.findings:
            click.echo(finding.render(lang))
        if result.findings:
            n_err, n_warn = len(result.errors), len(result.warnings)
            click.echo(tr("authoring.summary", files=result.files, errors=n_err, warnings=n_warn))
        else:
            click.echo(tr("authoring.clean", files=result.files))
    if result.errors:
        sys.exit(1)


@click.command("schema")
@click.option(
    "--kind",
    type=click.Choice(["scenario", "drill"]),
    default="scenario",
    show_default=True,
    help="场景或考核方案 / scenario or drill files",
)
@click.option(
    "--out",
    "out_file",
    type=click.Path(dir_okay=False),
    default=None,
    help="写入该文件（默认输出到屏幕）/ write this file (default: stdout)",
)
@_options
def schema_cmd(lang: str, edition_file: str | None, kind: str, out_file: str | None) -> None:
    """场景文件的 JSON Schema，供编辑器补全和检查 / JSON Schema for editors."""
    from authoring.schema import schema_text

    text = schema_text("drill" if kind == "drill" else "scenario", _edition(edition_file).procedure)
    if out_file is None:
        click.echo(text, nl=False)
        return
    from trainer.options import db_path
    from trainer.outputs import write_file

    write_file(out_file, text, db=db_path(None))
    click.echo(tr("authoring.schema.written", file=out_file))


def register(main: click.Group) -> None:
    main.add_command(new_cmd)
    main.add_command(lint_cmd)
    main.add_command(schema_cmd)

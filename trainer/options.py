"""What the command modules share: --lang and --procedure on every command, --db, opening the
records, and a located problem for a bad option. Used by ``trainer/cli.py`` and
``trainer/records_cli.py`` so their commands cannot drift apart."""

from __future__ import annotations

import functools
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from sim.errors import Problem
from sim.i18n import LANGUAGES, set_language
from trainer.exits import bad_input_exits

if TYPE_CHECKING:
    from records.db import Records

__all__ = [
    "common",
    "light",
    "db_option",
    "db_path",
    "open_records",
    "problem",
    "password",
    "instructor",
    "viewer",
]


def common(fn: Callable[..., Any]) -> Callable[..., Any]:
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
    def wrapper(
        ctx: click.Context, /, lang: str | None, procedure_file: str | None, **kw: Any
    ) -> Any:
        obj = ctx.ensure_object(dict)
        lang = lang or obj.get("lang") or "zh"
        set_language(lang)
        procedure_file = procedure_file or obj.get("procedure")
        with bad_input_exits():
            from scoring.procedure import DEFAULT_PROCEDURE, load_procedure

            proc = load_procedure(procedure_file or DEFAULT_PROCEDURE)
            return fn(lang=lang, proc=proc, **kw)

    return wrapper


def light(fn: Callable[..., Any]) -> Callable[..., Any]:
    """``common`` for a command that may need no procedure at all (``list`` shows what it kept
    without loading the models): it is handed the procedure's file, not the edition."""

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
    def wrapper(
        ctx: click.Context, /, lang: str | None, procedure_file: str | None, **kw: Any
    ) -> Any:
        obj = ctx.ensure_object(dict)
        lang = lang or obj.get("lang") or "zh"
        set_language(lang)
        chosen = procedure_file or obj.get("procedure")
        with bad_input_exits():
            return fn(lang=lang, procedure_file=Path(chosen) if chosen else _DEFAULT, **kw)

    return wrapper


# scoring.procedure.DEFAULT_PROCEDURE, without importing the models (a test keeps them equal)
_DEFAULT = Path(__file__).resolve().parent.parent / "scoring" / "procedures" / "clerk-2025-1.yaml"


def db_option(fn: Callable[..., Any]) -> Callable[..., Any]:
    return click.option(
        "--db",
        type=click.Path(dir_okay=False),
        default=None,
        help="记录数据库文件（默认在用户数据目录）/ records database (default: user data dir)",
    )(fn)


def db_path(db: str | None) -> str | None:
    """The records file asked for: the command's ``--db``, else the group's (None: default)."""
    ctx = click.get_current_context(silent=True)
    return db or ((ctx.find_root().obj or {}).get("db") if ctx else None)


def open_records(db: str | None) -> Records:
    """Open the records database (``--db``, or the group's ``--db``, or the default)."""
    from records.db import Records  # the records are opened only by the commands that need them

    return Records(db_path(db))


def problem(where: str, message: str) -> Problem:
    return Problem(where, None, message)


def password(prompt_key: str = "roles.password_prompt", confirm: bool = False) -> str | None:
    """The instructor's password: ``DESK_TRAINER_PASSWORD``, else asked at a terminal."""
    from trainer.words import tr

    found = os.environ.get("DESK_TRAINER_PASSWORD")
    if found is None and sys.stdin.isatty():
        found = click.prompt(tr(prompt_key), hide_input=True, confirmation_prompt=confirm, err=True)
    return found


def instructor(records: Records) -> str:
    """The signed-in instructor (``--as``), or a RoleError naming what the command needs."""
    from records.roles import authenticate

    ctx = click.get_current_context()
    staff = (ctx.find_root().obj or {}).get("as_staff")
    return authenticate(records, staff, password() if staff else None)


def viewer(records: Records) -> str | None:
    """Who is looking at results: the instructor signed in with ``--as`` (a wrong password or a
    missing key is refused), or None (anyone: exam results are not shown)."""
    ctx = click.get_current_context()
    if not (ctx.find_root().obj or {}).get("as_staff"):
        return None
    return instructor(records)

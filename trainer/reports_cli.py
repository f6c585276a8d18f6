"""``report session|trainee|drill|cohort|path|rehearsal|png`` and ``certificate``: HTML a training
manager reads and prints, and the pass certificate of a drill attempt. Registered on the main
group by ``register`` (the last lines of ``trainer/cli.py``); the work is done in ``reports/``.

Bad input and a report that cannot be made exit 2 with one line; a certificate that is refused
(no such attempt, not passed, not signed, failed verification) exits 1, like ``verify``.
"""

from __future__ import annotations

import functools
import sys
from collections.abc import Callable
from typing import Any

import click

from sim.errors import DeskTrainerError
from sim.i18n import LANGUAGES, set_language
from trainer.exits import bad_input_exits
from trainer.options import viewer
from trainer.outputs import check_target, write_file
from trainer.words import tr

__all__ = ["register", "report_group", "certificate_cmd"]


def _options(fn: Callable[..., Any]) -> Callable[..., Any]:
    """--lang, --db and --out on each command (the global ones apply when not given here);
    opens the records and hands ``records`` and ``lang`` to the command."""

    @click.option(
        "--out",
        "out_file",
        type=click.Path(dir_okay=False),
        default=None,
        help="写入该 HTML 文件（默认输出到屏幕）/ write this HTML file (default: stdout)",
    )
    @click.option("--lang", type=click.Choice(LANGUAGES), default=None, help="zh（默认）或 en")
    @click.option(
        "--db",
        type=click.Path(dir_okay=False),
        default=None,
        help="记录数据库文件 / records database file",
    )
    @click.pass_context
    @functools.wraps(fn)
    def wrapper(
        ctx: click.Context, /, lang: str | None, db: str | None, out_file: str | None, **kw: Any
    ) -> None:
        from records.db import Records

        root = ctx.find_root().obj or {}
        lang = lang or root.get("lang") or "zh"
        set_language(lang)
        with bad_input_exits():
            try:
                db_file = db or root.get("db")
                if out_file is not None:
                    check_target(out_file, db_file)  # before anything is read or made
                with Records(db_file) as records:
                    html = fn(records=records, lang=lang, **kw)
                _write(html, out_file, db_file)
            except _Refused as err:
                click.echo(str(err), err=True)
                sys.exit(1)

    return wrapper


class _Refused(DeskTrainerError):
    pass


def _write(html: str, out_file: str | None, db: str | None) -> None:
    if out_file is None:
        click.echo(html, nl=False)
        return
    write_file(out_file, html, db=db)
    click.echo(tr("reports.written", file=out_file))


@click.group("report")
def report_group() -> None:
    """报告（HTML，可打印为 PDF）/ Reports as HTML that print to PDF."""


@report_group.command("session")
@click.argument("session")
@_options
def report_session_cmd(records: Any, lang: str, session: str) -> str:
    """一次实训的讲评 / The debrief of one session."""
    from records.roles import exams_visible
    from reports import session_report

    row = records.session(session)
    if row.mode == "exam" and not exams_visible(viewer(records), row.trainee_id):
        raise DeskTrainerError(tr("roles.instructors_only_report"))
    return session_report(records, session, lang)


@report_group.command("trainee")
@click.argument("trainee")
@_options
def report_trainee_cmd(records: Any, lang: str, trainee: str) -> str:
    """学员的实训进度 / A trainee's progress."""
    from records.roles import exams_visible
    from reports import trainee_report

    trainee = records.resolve_trainee(trainee)  # a registered name: the staff id
    return trainee_report(records, trainee, lang, exams=exams_visible(viewer(records), trainee))


@report_group.command("drill")
@click.argument("drill_id")
@click.option("--since", default=None, help="只看该日期（含）之后的考核，如 2026-11-01 / since")
@_options
def report_drill_cmd(records: Any, lang: str, drill_id: str, since: str | None) -> str:
    """一项考核的全体情况 / A drill's cohort: pass rate, spread, clauses, safety timing."""
    from reports import drill_report

    if viewer(records) is None:  # every trainee's exam results: an instructor's page
        raise DeskTrainerError(tr("roles.instructors_only_report"))
    return drill_report(records, drill_id, since, lang)


@report_group.command("cohort")
@click.option("--unit", default=None, help="只看该单位，如 鼓楼营业厅 / only this unit")
@click.option("--since", default=None, help="只看该日期（含）之后的实训，如 2026-11-01 / since")
@_options
def report_cohort_cmd(records: Any, lang: str, unit: str | None, since: str | None) -> str:
    """全体学员情况：学员×场景、学员×条款、月度趋势、到期取证 / A unit's cohort."""
    from reports import cohort_report

    if viewer(records) is None:  # every trainee's exam results: an instructor's page
        raise DeskTrainerError(tr("roles.instructors_only_report"))
    return cohort_report(records, unit, since, lang)


@report_group.command("rehearsal")
@click.option(
    "--since",
    default=None,
    help="从该日期或时刻起（默认今天），如 2026-12-02 或 2026-12-02T14:00 / since",
)
@click.option("--until", default=None, help="到该日期（含）或时刻为止 / until")
@click.option("--incident", default=None, help="只看该事件，如 hazard_call / only this incident")
@click.option("--unit", default=None, help="只看该单位 / only this unit")
@_options
def report_rehearsal_cmd(
    records: Any,
    lang: str,
    since: str | None,
    until: str | None,
    incident: str | None,
    unit: str | None,
) -> str:
    """突发事件演练：各工位对照 / The room's rehearsal: injected incidents side by side."""
    from reports import rehearsal_report

    if viewer(records) is None:  # every trainee's results side by side: an instructor's page
        raise DeskTrainerError(tr("roles.instructors_only_report"))
    return rehearsal_report(records, since, until, incident, unit, lang)


@report_group.command("path")
@click.argument("path_id", required=False)
@click.option("--unit", default=None, help="只看该单位 / only this unit")
@_options
def report_path_cmd(records: Any, lang: str, path_id: str | None, unit: str | None) -> str:
    """学习路径：每人走到哪一步 / Who is where on a learning path."""
    from reports import path_report

    if viewer(records) is None:
        raise DeskTrainerError(tr("roles.instructors_only_report"))
    return path_report(records, path_id, unit, lang)


@report_group.command("png")
@click.argument("html_file", type=click.Path(exists=True, dir_okay=False))
@click.option("--out", "out_file", type=click.Path(dir_okay=False), required=True,
              help="PNG 文件 / the PNG file")  # fmt: skip
@click.option("--width", type=int, default=1240, show_default=True, help="窗口宽 / width")
@click.option("--height", type=int, default=1754, show_default=True, help="窗口高 / height")
def report_png_cmd(html_file: str, out_file: str, width: int, height: int) -> None:
    """用无界面 Chromium 给报告截图 / Screenshot a report with headless Chromium."""
    from reports.screenshot import screenshot

    root = click.get_current_context().find_root().obj or {}
    lang = root.get("lang") or "zh"
    set_language(lang)
    try:
        check_target(out_file, root.get("db"))
        screenshot(html_file, out_file, width=width, height=height)
    except DeskTrainerError as err:
        click.echo(str(err), err=True)
        sys.exit(2)
    click.echo(tr("reports.png_written", file=out_file))


@click.command("certificate")
@click.argument("attempt_or_code")
@_options
def certificate_cmd(records: Any, lang: str, attempt_or_code: str) -> str:
    """考核合格证书（考核编号或证书核验码）/ The pass certificate of a drill attempt."""
    from reports import ReportError, certificate

    try:
        html = certificate(records, attempt_or_code, lang)
    except ReportError as err:
        raise _Refused(str(err)) from None
    if records.key is None:
        click.echo(tr("reports.not_checked"), err=True)
    return html


def register(main: click.Group) -> None:
    """Add ``report`` and ``certificate`` to the program's command group."""
    main.add_command(report_group)
    main.add_command(certificate_cmd)

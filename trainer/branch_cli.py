"""``branch``: practice from a moment of a recorded practice session — its lost points, what a
good clerk does from one of them (``--demo``), or a trace played on from it beside the original
(``--trace``)."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

import click

from sim.i18n import clock
from trainer.options import common, db_option, open_records
from trainer.words import tr

if TYPE_CHECKING:  # `list` and the other light commands start without the procedure's models
    from scoring.procedure import Procedure

__all__ = ["branch_cmd"]


class _Moment(click.ParamType):  # type: ignore[type-arg]
    """A moment of the session as the desk clock shows it (``02:07``) or in seconds (``127``)."""

    name = "moment"

    def convert(
        self, value: object, param: click.Parameter | None, ctx: click.Context | None
    ) -> float:
        if isinstance(value, float):
            return value
        text = str(value).strip()
        try:
            if ":" in text:
                minutes, seconds = text.split(":", 1)
                if not 0 <= float(seconds) < 60:
                    raise ValueError(text)
                return int(minutes) * 60 + float(seconds)
            return float(text)
        except ValueError:
            self.fail(tr("branch.bad_moment", value=text), param, ctx)


@click.command("branch")
@click.argument("session")
@click.option("--at", "at", type=_Moment(), default=None,
              help="从哪一刻重来：02:07 或 127 秒 / the moment: 02:07 or 127 s")  # fmt: skip
@click.option(
    "--trace",
    "trace_file",
    type=click.Path(dir_okay=False),
    default=None,
    help="从这一刻起的操作（JSON Lines）/ the actions from that moment (JSON Lines)",
)
@click.option(
    "--demo", is_flag=True, help="示范：优秀受理员从这一刻起怎么做 / what a good clerk does"
)
@click.option(
    "--record",
    is_flag=True,
    help="把这次重来记为一次练习（与原记录关联）/ keep the try as a practice session",
)
@click.option("--json", "as_json", is_flag=True, help="JSON 输出 / JSON output")
@db_option
@common
def branch_cmd(
    lang: str,
    proc: Procedure,
    session: str,
    at: float | None,
    trace_file: str | None,
    demo: bool,
    record: bool,
    as_json: bool,
    db: str | None,
) -> None:
    """从练习记录的某一刻重来并对比 / Practise again from a moment of a recorded session."""
    from records.branching import branch_session, demo_session, original, record_branch
    from sim.trace import read_trace_file

    if at is None and (trace_file or demo):
        raise click.UsageError(tr("branch.needs_at"))
    if record and not trace_file:
        raise click.UsageError(tr("branch.record_needs_trace"))
    if trace_file and demo:
        raise click.UsageError(tr("branch.one_of"))
    with open_records(db) as records:
        if at is None:
            o = original(records, session)
            words = o.session.words(lang)
            by_rule = {f.rule: f for f in o.session.report.findings}
            if as_json:
                points = [
                    {"t": p.t, "rule": p.rule, "clause": p.clause, "points": p.points,
                     "critical": p.critical}
                    for p in o.lost
                ]  # fmt: skip
                click.echo(json.dumps({"session": o.row.id, "lost": points}, ensure_ascii=False))
                return
            click.echo(tr("branch.lost_head", session=o.row.id, n=len(o.lost)))
            for p in o.lost:
                line = words.finding_line(by_rule[p.rule])
                click.echo(f"  {clock(p.t)}  {line}")
            click.echo(tr("branch.lost_tail", session=o.row.id))
            return
        if demo:
            o, steps, expert = demo_session(records, session, at)
            if as_json:
                out = [
                    {"t": s.t, "action": s.action, "args": dict(s.args), "clauses": list(s.clauses)}
                    for s in steps
                ]
                click.echo(json.dumps({"session": o.row.id, "at": at, "demo": out},
                                      ensure_ascii=False))  # fmt: skip
                return
            words = expert.words(lang)  # the expert's own session: its modules
            click.echo(tr("branch.demo_head", t=clock(at)))
            for s in steps:
                met = "、".join(s.clauses) if lang == "zh" else ", ".join(s.clauses)
                what = words.describe(s.entry, most=60, at=s.i)
                tail = tr("branch.meets", clauses=met) if met else ""
                click.echo(f"  {clock(s.t)}  {what}{tail}")
            return
        assert trace_file is not None
        kept: int | None = None
        actions = read_trace_file(trace_file)
        if record:
            kept, o, b, cmp = record_branch(records, session, at, actions, trace_file)
        else:
            o, b, cmp = branch_session(records, session, at, actions, trace_file)
    if as_json:
        body = {"session": o.row.id, "branch": kept, **cmp.to_dict()}
        click.echo(json.dumps(body, ensure_ascii=False))
        return
    words = o.session.words(lang)
    verdict = {True: tr("branch.passed"), False: tr("branch.failed")}
    click.echo(
        tr("branch.scores", t=clock(at), before=f"{cmp.before.score:g}",
           after=f"{cmp.after.score:g}", pass_mark=f"{cmp.after.pass_mark:g}",
           was=verdict[cmp.before.passed], now=verdict[cmp.after.passed])
    )  # fmt: skip
    if not cmp.changes:
        click.echo(tr("branch.no_changes"))
    was = {f.rule: f for f in cmp.before.findings}
    now = {f.rule: f for f in cmp.after.findings}
    after_words = b.words(lang)
    for c in cmp.changes:
        click.echo("  " + tr("branch.was", line=words.finding_line(was[c.rule])))
        click.echo("  " + tr("branch.now", line=after_words.finding_line(now[c.rule])))
    if cmp.advice_before is not None or cmp.advice_after is not None:
        never = tr("branch.never")
        click.echo(
            tr("branch.advice",
               before=never if cmp.advice_before is None else f"{cmp.advice_before:g}",
               after=never if cmp.advice_after is None else f"{cmp.advice_after:g}")
        )  # fmt: skip
    if kept is not None:
        click.echo(tr("branch.kept", session=kept, original=o.row.id))

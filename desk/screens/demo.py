"""示范: what a good clerk does from a moment of a session, drawn on the same desk.

From the replay (D at any moment) or from a lost point on the debrief, the expert trainee
shadows what was done up to that moment (``scoring.branch.demo``) and plays on from the same
state on the same seed; the replay player shows its session from the moment on, step by step,
and the side panel lists its next moves with the clause each one meets. Esc goes back.
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from desk.replay import ReplayPlayer
from desk.screens.replay import SIDE, ReplayScreen
from desk.widgets import Theme, panel
from scoring.branch import DemoStep, demo
from sim.i18n import clock as mmss

if TYPE_CHECKING:
    from desk.gfx import Gfx
    from desk.navigation import Navigator
    from desk.screens.base import Screen
    from desk.session import DeskSession
    from records.service import ReplayCheck

__all__ = ["DemoScreen", "demo_screen", "check_of"]

_STEPS = 6  # the moves listed beside the desk


class DemoScreen(ReplayScreen):
    name = "demo"

    def __init__(
        self,
        app: Navigator,
        player: ReplayPlayer,
        steps: list[DemoStep],
        at: float,
        back: Screen,
    ) -> None:
        super().__init__(app, player)
        self.steps = steps
        self.at = at
        self.back = back

    def command(self, cmd: str) -> None:
        if cmd == "ui:quit":
            self.app.return_to(self.back)
            return
        super().command(cmd)

    def _side(self, g: Gfx) -> None:
        x, y, w, h = SIDE
        panel(g, SIDE, fill=Theme.white)
        g.text(self.t("demo.heading"), (x + 12, y + 12), 17, Theme.teal_dark, bold=True)
        ty = (
            y
            + 40
            + g.paragraph(
                self.t("demo.from", at=mmss(self.at)),
                (x + 12, y + 40, w - 24, 110),
                14,
                Theme.muted,
            )
        )
        words = self.player.session.words
        position = self.player.position
        for s in self.steps:
            if ty > y + h - 170:  # the rest would run into the keys
                break
            done = s.t <= position
            colour = Theme.teal_dark if done else Theme.ink
            g.text(mmss(s.t), (x + 12, ty + 6), 14, Theme.muted if not done else Theme.teal)
            # the move in a few words (a reply by its first words: the whole of it is said on
            # the desk as the demonstration plays)
            what = words.describe(s.entry, most=24, reply_most=10, at=s.i)
            lines = g.wrap(what, 14, w - 24)
            for j, ln in enumerate(lines):
                g.text(ln, (x + 12, ty + 24 + j * 19), 14, colour)
            ty += 28 + len(lines) * 19
            if s.clauses:
                met = self.t("demo.meets", clauses="、".join(s.clauses))
                for ln in g.wrap(met, 14, w - 24):
                    g.text(ln, (x + 12, ty), 14, Theme.green)
                    ty += 19
                ty += 2
            ty += 6
        g.paragraph(
            self.t("demo.keys"), (x + 12, y + h - 90, w - 24, 84), 14, Theme.muted, spacing=1.3
        )


def check_of(session: DeskSession) -> ReplayCheck:
    """A finished desk session as a replay check (recorded or not): its engine and report."""
    from records.db import SessionRow
    from records.service import ReplayCheck

    row = SessionRow(
        id=session.record_id or 0,
        uuid=session.record_uuid or "",
        trainee_id=session.trainee,
        scenario_id=session.loaded.id,
        scenario_sha256=session.loaded.sha256,
        procedure=session.procedure.edition,
        procedure_sha256="",
        seed=session.seed,
        variant=session.engine.variant.id,
        mode=session.mode,
        agent=None,
        lang=session.lang,
        drill=None,
        started_at="",
        ended_at=None,
        status="complete" if session.done else "incomplete",
        sim_end=session.engine.now,
        time_limit=session.time_limit,
    )
    report = session.score() if session.done else None
    return ReplayCheck(row, session.engine, report, None, None, True, session.procedure)


def demo_screen(app: Navigator, check: ReplayCheck, at: float, back: Screen) -> DemoScreen:
    """The expert from sim time ``at`` of the session ``check`` holds, on the replay desk."""
    engine = check.engine
    procedure = check.procedure
    assert procedure is not None
    steps, expert = demo(
        engine.loaded, procedure, engine.seed, engine.actions, at, steps=_STEPS,
        time_limit=check.session.time_limit,
    )  # fmt: skip
    shown = replace(
        check, engine=expert.engine, report=expert.report, report_matches=None, trace_matches=True
    )
    player = ReplayPlayer(shown, app.lang)
    player.seek(at)
    player.playing = True
    return DemoScreen(app, player, steps, at, back)

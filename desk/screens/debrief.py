"""The debrief: score and verdict, critical failures first and in red, each finding with its
clause text, verdict and the sim time of its evidence, a timeline strip; retry and next.

Everything shown comes from the scorer's ``Report`` (via ``scoring.session``) and the session's
trace, put into words by the session's ``Narrator``; the screen only arranges it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pygame

from desk.gfx import Gfx
from desk.i18n import tr
from desk.screens.base import Screen
from desk.session import DeskSession
from desk.widgets import Theme, button, panel
from scoring.branch import Comparison, compare, lost_points
from scoring.result import Finding, ordered
from scoring.session import Session
from sim.i18n import clock as mmss
from sim.vocabulary import vocabulary

if TYPE_CHECKING:
    from desk.navigation import Navigator

__all__ = ["Debrief"]

CARD = (24, 80, 300, 620)
STRIP = (340, 80, 916, 132)
LIST = (340, 224, 916, 476)


class Debrief(Screen):
    name = "debrief"

    def __init__(self, app: Navigator, session: DeskSession) -> None:
        super().__init__(app)
        self.session = session
        self.report = session.score()
        self.findings = ordered(self.report.findings)
        self.scroll = 0.0
        self._content_h = 0.0
        # practice from a lost point: in training, outside a drill
        self.can_branch = session.mode == "training" and app.drill is None
        end = session.engine.now
        self.lost = {p.rule: p for p in lost_points(self.report, end, session.engine.trace)}
        self.first_lost = min(self.lost.values(), key=lambda p: p.t, default=None)
        # a branch's debrief: the original beside it
        self.compared: Comparison | None = None
        if session.branch_of is not None and session.branch_at is not None:
            before = session.branch_of
            self.compared = compare(
                Session(before.engine, before.score(), before.procedure),
                Session(session.engine, self.report, session.procedure),
                session.branch_at,
            )
        self.was = {f.rule: f for f in self.compared.before.findings} if self.compared else {}

    def key(self, name: str, event: pygame.event.Event) -> None:
        if name == "r":
            self.command("ui:retry")
        elif name == "b":
            self.command("ui:branch")
        elif name == "n":
            self.command("ui:next")
        elif name == "escape":
            self.command("ui:menu")
        elif name in ("up", "down", "page up", "page down"):
            step = {"up": -40, "down": 40, "page up": -300, "page down": 300}[name]
            self._scroll(step)

    def wheel(self, dy: int) -> None:
        self._scroll(-dy * 48)

    def _scroll(self, d: float) -> None:
        self.scroll = max(0.0, min(self.scroll + d, max(0.0, self._content_h - LIST[3] + 16)))

    def command(self, cmd: str) -> None:
        sid = self.session.loaded.id
        if cmd == "ui:retry":
            self.app.start(sid, seed=self.session.seed)
        elif cmd == "ui:branch" and self.can_branch and self.first_lost is not None:
            self.app.branch(self.session, self.first_lost.t)
        elif cmd.startswith("demo:") and self.can_branch:
            from desk.screens.demo import check_of, demo_screen

            point = self.lost.get(cmd.partition(":")[2])
            if point is not None:
                check = check_of(self.session)
                self.app.return_to(demo_screen(self.app, check, point.t, self))
        elif cmd.startswith("branch:") and self.can_branch:
            point = self.lost.get(cmd.partition(":")[2])
            if point is not None:
                self.app.branch(self.session, point.t)
        elif cmd == "ui:next":
            nxt = self.app.next_scenario(sid)
            if nxt is None:
                self.app.show_menu(sid)
            else:
                self.app.start(nxt)
        elif cmd == "ui:menu":
            self.app.show_menu(sid)

    def draw(self, g: Gfx) -> None:
        super().draw(g)
        s, rep, lang = self.session, self.report, self.lang
        g.rect((0, 0, 1280, 64), Theme.teal)
        title = s.loaded.scenario.scenario.title.get(lang)
        g.label(
            f"{self.t('debrief.heading')} · {title}",
            (24, 8, 620, 48),
            21,
            Theme.white,
            bold=True,
            align="left",
            min_size=14,
        )
        info = self.t(
            "debrief.trainee",
            name=s.trainee or "—",
            mode=self.t(f"mode.{s.mode}"),
            variant=s.engine.variant.name(lang),
            seed=rep.seed,
        )
        lines = g.fit_lines(info, 14, 600, 2)  # the variant's name can be long
        for i, ln in enumerate(lines):
            cy = 32 + (i - (len(lines) - 1) / 2) * 19
            g.text(ln, (1256, cy), 14, (214, 238, 234), anchor="midright")
        self._card(g)
        self._strip(g)
        self._list(g)

    def _card(self, g: Gfx) -> None:
        rep = self.report
        x, y, w, h = CARD
        panel(g, CARD, fill=Theme.white)
        g.text(self.t("debrief.score"), (x + 24, y + 20), 14, Theme.muted)
        colour = Theme.green if rep.passed else Theme.red
        score = f"{rep.score:g}"
        g.text(score, (x + 24, y + 40), 64, colour, bold=True)
        sw = g.width(score, 64, True)
        g.text("/ 100", (x + 32 + sw, y + 86), 18, Theme.muted)
        verdict = self.t("debrief.passed" if rep.passed else "debrief.failed")
        vw = g.width(verdict, 18, True) + 32
        g.rect(
            (x + 24, y + 130, vw, 34), Theme.green_soft if rep.passed else Theme.red_soft, radius=17
        )
        g.text(verdict, (x + 24 + vw / 2, y + 147), 18, colour, bold=True, anchor="center")
        g.text(
            self.t("debrief.pass_mark", mark=f"{rep.pass_mark:g}"),
            (x + 36 + vw, y + 147),
            14,
            Theme.muted,
            anchor="midleft",
            max_width=w - vw - 60,
        )
        cy: float = y + 184
        if rep.critical_failures:
            text = self.t("debrief.critical", clauses="、".join(rep.critical_failures))
            g.rect((x + 16, cy - 6, w - 32, 64), Theme.red_soft, radius=8)
            cy += (
                g.paragraph(text, (x + 28, cy, w - 56, 52), 14, Theme.red, bold=True, min_size=14)
                + 14
            )
        facts = [self.t("debrief.invalid", n=len(rep.invalid_attempts))]
        if self.compared is not None:  # a branch: the original's score beside this one
            c = self.compared
            text = self.t(
                "debrief.compared",
                at=mmss(c.at),
                before=f"{c.before.score:g}",
                after=f"{c.after.score:g}",
                won=len(c.recovered),
            )
            if c.advice_before is not None or c.advice_after is not None:
                never = self.t("debrief.advice_never")
                text += self.t(
                    "debrief.compared_advice",
                    before=never if c.advice_before is None else f"{c.advice_before:g}",
                    after=never if c.advice_after is None else f"{c.advice_after:g}",
                )
            box = g.wrap(text, 14, w - 56)
            bh = len(box) * g.line_height(14) + 14
            g.rect((x + 16, cy - 6, w - 32, bh), Theme.blue_soft, radius=8)
            for k, ln in enumerate(box):
                g.text(ln, (x + 28, cy + k * g.line_height(14)), 14, Theme.blue)
            cy += bh + 8
        if rep.pauses:
            facts.append(self.t("debrief.pauses", n=rep.pauses, seconds=f"{rep.paused_s:g}"))
        if self.session.mode == "training":
            facts.insert(
                0, self.t("debrief.hints_used", n=rep.hints_used, points=f"{rep.hint_points:g}")
            )
        for f in facts:
            g.text("· " + f, (x + 24, cy), 14, Theme.ink, max_width=w - 48)
            cy += 26
        limit: float = y + h - 166
        # the records still to take this session (the server away as it ended): kept where,
        # above the buttons, until they do
        status = self.session.record_status
        if status is not None:
            lines = g.wrap(status, 14, w - 56)[:6]
            step = g.line_height(14)
            bh = len(lines) * step + 14
            branch = self.can_branch and self.first_lost is not None
            top = y + h - (214 if branch else 162) - 10 - bh
            g.rect((x + 16, top, w - 32, bh), Theme.red_soft, radius=8)
            for k, ln in enumerate(lines):
                g.text(ln, (x + 28, top + 7 + k * step), 14, Theme.red)
            limit = min(limit, top - 4)
        # what was refused, briefly
        for a in rep.invalid_attempts[:4]:
            if cy + 44 > limit:
                break  # the rest are in the findings and the timeline
            words = self.session.words
            line = f"{mmss(a.t)} {words.label(a.action)}" + words.paren(
                words.w(f"precondition.{a.reason}")
            )
            cy += g.paragraph(line, (x + 36, cy, w - 60, 44), 14, Theme.amber_ink) + 4
        bx, bw = x + 20, w - 40
        if self.can_branch and self.first_lost is not None:
            button(
                g,
                self.targets,
                (bx, y + h - 214, bw, 42),
                self.t("debrief.branch", at=mmss(self.first_lost.t)),
                "ui:branch",
                key="b",
                lang=self.lang,
                style="soft",
                hover=self.hover,
                size=15,
            )
        button(
            g,
            self.targets,
            (bx, y + h - 162, bw, 42),
            self.t("debrief.retry"),
            "ui:retry",
            key="r",
            lang=self.lang,
            hover=self.hover,
            size=15,
        )
        button(
            g,
            self.targets,
            (bx, y + h - 110, bw, 42),
            self.t("debrief.next"),
            "ui:next",
            key="n",
            lang=self.lang,
            style="soft",
            hover=self.hover,
            size=15,
        )
        button(
            g,
            self.targets,
            (bx, y + h - 58, bw, 42),
            self.t("debrief.menu"),
            "ui:menu",
            key="escape",
            lang=self.lang,
            style="secondary",
            hover=self.hover,
            size=15,
        )

    def _strip(self, g: Gfx) -> None:
        x, y, w, h = STRIP
        panel(g, STRIP, fill=Theme.white)
        g.text(self.t("debrief.timeline"), (x + 16, y + 10), 14, Theme.muted)
        trace = self.session.engine.trace
        end = max((e.t for e in trace), default=1.0) or 1.0
        ax0, ax1, ay = x + 24, x + w - 24, y + 78

        def px(t: float) -> float:
            return ax0 + (ax1 - ax0) * min(1.0, t / end)

        g.line((ax0, ay), (ax1, ay), Theme.faint, 2)
        step = 60 if end <= 900 else 300
        for k in range(int(end // step) + 1):
            tx = px(k * step)
            g.line((tx, ay - 4), (tx, ay + 4), Theme.faint, 1)
            g.text(mmss(k * step), (tx, ay + 24), 14, Theme.muted, anchor="midtop")
        hover_label: tuple[float, str] | None = None
        for e in trace:
            ex = px(e.t)
            if e.kind == "event":
                if e.name in ("session_start", "mood_check"):
                    continue
                alert = e.name in vocabulary().alerts
                colour = Theme.red if alert else Theme.faint
                g.poly([(ex, ay - 22), (ex + 5, ay - 16), (ex, ay - 10), (ex - 5, ay - 16)], colour)
                label = self.session.event_text(e)
                hy = ay - 16
            else:
                colour = Theme.teal if e.valid else Theme.amber_ink
                g.rect((ex - 1.5, ay + 6, 3, 12), colour)
                spec = self.session.vocab.actions.get(e.name)
                label = spec.label(self.lang) if spec else e.name
                hy = ay + 12
            if self.hover and abs(self.hover[0] - ex) < 4 and abs(self.hover[1] - hy) < 10:
                hover_label = (ex, f"{mmss(e.t)} {label}")
        for f in self.report.findings:
            if f.lost and f.at is not None:
                fx = px(f.at)
                g.poly(
                    [(fx - 6, ay - 40), (fx + 6, ay - 40), (fx, ay - 30)],
                    Theme.red if f.critical else Theme.amber_ink,
                )
        # legend
        lx: float = x + w - 16
        for label, colour, shape in (
            (self.t("debrief.legend_finding"), Theme.amber_ink, "tri"),
            (self.t("debrief.legend_refused"), Theme.amber_ink, "bar"),
            (self.t("debrief.legend_action"), Theme.teal, "bar"),
            (self.t("debrief.legend_event"), Theme.faint, "dia"),
        ):
            tw = g.width(label, 14)
            g.text(label, (lx, y + 12), 14, Theme.muted, anchor="topright")
            mx = lx - tw - 10
            if shape == "bar":
                g.rect((mx - 1.5, y + 12, 3, 12), colour)
            elif shape == "tri":
                g.poly([(mx - 5, y + 13), (mx + 5, y + 13), (mx, y + 22)], colour)
            else:
                g.poly([(mx, y + 12), (mx + 5, y + 18), (mx, y + 24), (mx - 5, y + 18)], colour)
            lx = mx - 16
        if hover_label is not None:
            hx, text = hover_label
            tw = min(g.width(text, 14) + 16, 400)
            bx = min(max(x + 4, hx - tw / 2), x + w - tw - 4)
            g.rect((bx, y + 30, tw, 22), (40, 48, 54), radius=5)
            g.text(text, (bx + 8, y + 41), 14, Theme.white, anchor="midleft", max_width=tw - 16)

    def _list(self, g: Gfx) -> None:
        x, y, w, h = LIST
        panel(g, LIST, fill=Theme.white)
        g.text(self.t("debrief.findings", n=len(self.findings)), (x + 16, y + 10), 14, Theme.muted)
        g.text(self.t("debrief.scroll"), (x + w - 16, y + 12), 14, Theme.muted, anchor="topright")
        top = y + 36
        g.clip((x + 2, top, w - 4, h - 38))
        cy = top - self.scroll
        text_w = w - (220 if self.can_branch and self.lost else 180)
        words = self.session.words
        for f in self.findings:
            label = self.t("debrief.local" if f.source == "local" else "debrief.clause")
            clause_line = f"{label}{words.clause_texts(f)}"
            ev_lines = g.wrap(words.evidence(f), 14, text_w)
            g0 = self.was.get(f.rule)
            if g0 is not None and (g0.verdict, g0.points_lost) != (f.verdict, f.points_lost):
                was = self.t(
                    "debrief.was", verdict=words.verdict(g0.verdict), points=f"{g0.points_lost:g}"
                )
                clause_line = f"{was}　{clause_line}"
            cl_lines = g.wrap(clause_line, 14, text_w)
            rh = 30 + (len(ev_lines) + len(cl_lines)) * 19 + 12
            if self.can_branch and f.rule in self.lost:
                rh = max(rh, 108)  # room for its two buttons
            if cy + rh >= top and cy <= y + h:
                self._row(g, f, (x + 12, cy, w - 24, rh - 6), ev_lines, cl_lines)
            cy += rh
        self._content_h = cy + self.scroll - top
        g.clip(None)

    def _row(
        self,
        g: Gfx,
        f: Finding,
        rect: tuple[float, float, float, float],
        ev: list[str],
        cl: list[str],
    ) -> None:
        x, y, w, h = rect
        bad = f.lost
        colour = Theme.red if bad and f.critical else Theme.amber_ink if bad else Theme.green
        fill = Theme.red_soft if bad and f.critical else (253, 248, 238) if bad else (246, 250, 247)
        g.rect(rect, fill, radius=8)
        g.rect((x, y, 5, h), colour, radius=2)
        # mark: a tick or a cross, drawn
        mx, my = x + 26, y + 18
        g.circle((mx, my), 11, colour)
        if bad:
            g.line((mx - 4, my - 4), (mx + 4, my + 4), Theme.white, 2)
            g.line((mx + 4, my - 4), (mx - 4, my + 4), Theme.white, 2)
        else:
            g.lines([(mx - 5, my), (mx - 1, my + 4), (mx + 5, my - 4)], Theme.white, 2)
        words = self.session.words
        verdict = words.verdict(f.verdict)
        cites = words.citation(f.clause)
        head = f"{cites}  {verdict}"
        if bad and f.critical:
            head = f"{cites}  {tr('report.critical_tag', self.lang).strip()}{verdict}"
        g.text(head, (x + 46, y + 8), 15, colour, bold=True, max_width=w - 260)
        right = x + w - 14
        when = mmss(f.at) if f.at is not None else self.t("debrief.no_time")
        g.text(when, (right, y + 9), 14, Theme.muted, anchor="topright")
        if f.points_lost:
            g.text(
                self.t("debrief.lost", points=f"{f.points_lost:g}"),
                (right - 64, y + 9),
                14,
                colour,
                anchor="topright",
                bold=True,
            )
        if self.can_branch and f.rule in self.lost:
            button(
                g,
                self.targets,
                (right - 150, y + 32, 150, 30),
                self.t("debrief.branch_here"),
                f"branch:{f.rule}",
                lang=self.lang,
                style="secondary",
                hover=self.hover,
                size=14,
            )
            button(
                g,
                self.targets,
                (right - 150, y + 66, 150, 30),
                self.t("debrief.demo_here"),
                f"demo:{f.rule}",
                lang=self.lang,
                style="secondary",
                hover=self.hover,
                size=14,
            )
        ty = y + 32
        for ln in ev:
            g.text(ln, (x + 46, ty), 14, Theme.ink)
            ty += 19
        for ln in cl:
            g.text(ln, (x + 46, ty), 14, Theme.muted)
            ty += 19
